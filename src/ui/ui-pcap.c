/*
 * ui-pcap.c: a call's messages as a pcap file, when its captured frames
 * are not held (HEP input; see ui-export.c).
 *
 * The model keeps each SIP message's bytes, addresses and time, not the
 * captured frame, so the packets are rebuilt: an IPv4 or IPv6 header
 * and a UDP header (checksums computed) around the message, in a pcap
 * file of link type LINKTYPE_RAW (101) with microsecond timestamps.
 * Wireshark, tshark and sipwatch -r read it as they read the original.
 * Messages whose bytes were not kept (over the byte limits) are left
 * out.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "decode/decode.h"
#include "ui/ui-int.h"

#define UI_PCAP_LINKTYPE_RAW	101
#define UI_PCAP_SNAPLEN		262144

static void
ui_put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
ui_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One's complement sum of LEN bytes (RFC 1071), added to SUM. */
static uint32_t
ui_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len % 2 == 1)
		sum += (uint32_t)p[len - 1] << 8;
	return (sum);
}

static uint16_t
ui_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

/*
 * Build the IP + UDP packet for M into a new buffer; *LEN gets its
 * size.  NULL when the message does not fit in one IP datagram.
 */
static uint8_t *
ui_pcap_packet(const struct ui_msg *m, size_t *len, unsigned id)
{
	uint8_t		*pkt, *udp, pseudo[40];
	size_t		 iplen, ulen;
	uint32_t	 sum;
	uint16_t	 ck;
	int		 v6 = m->src.family == 6;

	iplen = v6 ? 40 : 20;
	ulen = 8 + m->raw_len;
	if (ulen > 65535 || (!v6 && iplen + ulen > 65535))
		return (NULL);
	*len = iplen + ulen;
	pkt = xcalloc(1, *len);
	if (v6) {
		pkt[0] = 0x60;
		ui_put16(pkt + 4, (unsigned)ulen);
		pkt[6] = 17;		/* UDP */
		pkt[7] = 64;		/* hop limit */
		memcpy(pkt + 8, m->src.ip, 16);
		memcpy(pkt + 24, m->dst.ip, 16);
	} else {
		pkt[0] = 0x45;
		ui_put16(pkt + 2, (unsigned)(iplen + ulen));
		ui_put16(pkt + 4, id & 0xffff);
		pkt[8] = 64;		/* TTL */
		pkt[9] = 17;
		memcpy(pkt + 12, m->src.ip, 4);
		memcpy(pkt + 16, m->dst.ip, 4);
		ui_put16(pkt + 10, ui_csum_fold(ui_csum_add(0, pkt, 20)));
	}
	udp = pkt + iplen;
	ui_put16(udp, m->src.port);
	ui_put16(udp + 2, m->dst.port);
	ui_put16(udp + 4, (unsigned)ulen);
	memcpy(udp + 8, m->raw, m->raw_len);

	/* The pseudo-header (RFC 768, RFC 8200 8.1). */
	memset(pseudo, 0, sizeof pseudo);
	if (v6) {
		memcpy(pseudo, m->src.ip, 16);
		memcpy(pseudo + 16, m->dst.ip, 16);
		ui_put32(pseudo + 32, (uint32_t)ulen);
		pseudo[39] = 17;
		sum = ui_csum_add(0, pseudo, 40);
	} else {
		memcpy(pseudo, m->src.ip, 4);
		memcpy(pseudo + 4, m->dst.ip, 4);
		pseudo[9] = 17;
		ui_put16(pseudo + 10, (unsigned)ulen);
		sum = ui_csum_add(0, pseudo, 12);
	}
	ck = ui_csum_fold(ui_csum_add(sum, udp, ulen));
	ui_put16(udp + 6, ck == 0 ? 0xffff : ck);
	return (pkt);
}

/* The next message in time order over N calls (merge); NULL at the end. */
static const struct ui_msg *
ui_pcap_next(struct ui_call *const *calls, unsigned n, unsigned *pos)
{
	const struct ui_msg	*best = NULL, *m;
	unsigned		 i, bi = 0;

	for (i = 0; i < n; i++) {
		if (pos[i] >= calls[i]->nmsgs)
			continue;
		m = &calls[i]->msgs[pos[i]];
		if (best == NULL || m->ts_us < best->ts_us) {
			best = m;
			bi = i;
		}
	}
	if (best != NULL)
		pos[bi]++;
	return (best);
}

/* CALLS' messages to FP (closed here), merged in time order. */
static int
ui_pcap_write_fp(struct ui_call *const *calls, unsigned ncalls, FILE *fp,
    const char *path, char **cause)
{
	const struct ui_msg	*m;
	uint8_t			 hdr[24], rec[16], *pkt;
	uint32_t		 magic = 0xa1b2c3d4, snap = UI_PCAP_SNAPLEN;
	uint32_t		 link = UI_PCAP_LINKTYPE_RAW;
	uint16_t		 major = 2, minor = 4;
	unsigned		*pos;
	size_t			 len;
	int			 n = 0, err = 0;

	pos = xcalloc(ncalls > 0 ? ncalls : 1, sizeof *pos);
	/* Native byte order, as libpcap writes it; readers swap. */
	memset(hdr, 0, sizeof hdr);
	memcpy(hdr, &magic, 4);
	memcpy(hdr + 4, &major, 2);
	memcpy(hdr + 6, &minor, 2);
	memcpy(hdr + 16, &snap, 4);
	memcpy(hdr + 20, &link, 4);
	if (fwrite(hdr, sizeof hdr, 1, fp) != 1)
		err = errno;
	while (err == 0 && (m = ui_pcap_next(calls, ncalls, pos)) != NULL) {
		uint32_t	v[4];

		if (m->raw == NULL || m->src.family != m->dst.family ||
		    (pkt = ui_pcap_packet(m, &len, (unsigned)n + 1)) == NULL)
			continue;
		v[0] = (uint32_t)(m->ts_us / 1000000);
		v[1] = (uint32_t)(m->ts_us % 1000000);
		v[2] = (uint32_t)len;
		v[3] = (uint32_t)len;
		memcpy(rec, v, sizeof rec);
		if (fwrite(rec, sizeof rec, 1, fp) != 1 ||
		    fwrite(pkt, len, 1, fp) != 1)
			err = errno;
		free(pkt);
		n++;
	}
	free(pos);
	if (fclose(fp) != 0 && err == 0)
		err = errno;
	if (err != 0) {
		*cause = xasprintf("%s: %s", path, strerror(err));
		return (-1);
	}
	return (n);
}

int
ui_pcap_write(const struct ui_call *call, const char *path, char **cause)
{
	struct ui_call	*one = (struct ui_call *)(uintptr_t)call;
	FILE		*fp;

	if ((fp = fopen(path, "wb")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	return (ui_pcap_write_fp(&one, 1, fp, path, cause));
}

int
ui_pcap_write_calls(struct ui_call *const *calls, unsigned n,
    const char *path, char **cause)
{
	FILE	*fp;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1 || (fp = fdopen(fd, "wb")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	return (ui_pcap_write_fp(calls, n, fp, path, cause));
}
