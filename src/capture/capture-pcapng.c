/*
 * capture-pcapng.c: a small, bounded pcapng reader for files libpcap
 * refuses: those whose interfaces have different link types (a capture on
 * "any" next to a mirror port, merged files).  libpcap 1.10 insists on one
 * link type per file; sipwatch decodes per packet, so each packet carries
 * its interface's link type.
 *
 * Blocks read (draft-ietf-opsawg-pcapng): Section Header (either byte
 * order; a new section forgets the interfaces), Interface Description
 * (link type, if_tsresol), Enhanced Packet, Simple Packet (interface 0)
 * and the obsolete Packet Block.  Every other block is skipped.  Limits:
 * a block is at most PCAPNG_BLOCK_MAX bytes, a section has at most
 * PCAPNG_IF_MAX interfaces; anything beyond is an error, not a crash.
 *
 * A packet longer than its interface's snap length (262144 when the
 * interface gives none, or more) is refused with libpcap's words, as
 * libpcap refuses it in the files it reads itself: a file reads the same
 * whichever reader sipwatch uses, and -w never gets a frame that libpcap
 * and tshark would refuse to read back.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "capture/capture-int.h"
#include "core/xmalloc.h"

#define PCAPNG_SHB		0x0a0d0d0au
#define PCAPNG_IDB		1u
#define PCAPNG_PB		2u	/* obsolete Packet Block */
#define PCAPNG_SPB		3u
#define PCAPNG_EPB		6u
#define PCAPNG_BOM		0x1a2b3c4du
#define PCAPNG_BLOCK_MAX	(16u * 1024 * 1024)
#define PCAPNG_IF_MAX		256
#define PCAPNG_OPT_TSRESOL	9

struct pcapng_if {
	int		dlt;
	uint32_t	snaplen;
	int		pow2;		/* resolution 2^-res, else 10^-res */
	uint8_t		res;
};

struct pcapng_rd {
	FILE			*fp;
	int			 swap;		/* section in the other byte order */
	struct pcapng_if	 ifs[PCAPNG_IF_MAX];
	unsigned		 nif;
	uint8_t			*buf;		/* current block body */
	size_t			 cap;
	int64_t			 last_us;
};

static uint32_t
ng_u32(const struct pcapng_rd *r, const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, 4);
	return (r->swap ? __builtin_bswap32(v) : v);
}

static uint16_t
ng_u16(const struct pcapng_rd *r, const uint8_t *p)
{
	uint16_t	v;

	memcpy(&v, p, 2);
	return (r->swap ? __builtin_bswap16(v) : v);
}

/* A timestamp in interface IF's units to microseconds. */
static int64_t
ng_ts_us(const struct pcapng_if *ifc, uint64_t ts)
{
	unsigned __int128	v = ts;
	int			i;

	if (ifc->pow2)
		return ((int64_t)((v * 1000000u) >> (ifc->res & 63)));
	if (ifc->res == 6)
		return ((int64_t)ts);
	if (ifc->res < 6) {
		for (i = ifc->res; i < 6; i++)
			v *= 10;
		return ((int64_t)v);
	}
	for (i = 6; i < ifc->res && i < 26; i++)
		v /= 10;
	return ((int64_t)v);
}

/* Interface Description Block body P[0..N). */
static int
ng_idb(struct pcapng_rd *r, const uint8_t *p, size_t n, char **cause)
{
	struct pcapng_if	*ifc;
	size_t			 off = 8;
	uint16_t		 code, len;

	if (n < 8) {
		*cause = xstrdup("pcapng: interface block too short");
		return (-1);
	}
	if (r->nif >= PCAPNG_IF_MAX) {
		*cause = xasprintf("pcapng: more than %d interfaces",
		    PCAPNG_IF_MAX);
		return (-1);
	}
	ifc = &r->ifs[r->nif++];
	memset(ifc, 0, sizeof *ifc);
	ifc->dlt = ng_u16(r, p);
	ifc->snaplen = ng_u32(r, p + 4);
	if (ifc->snaplen == 0 || ifc->snaplen > CAPTURE_SNAPLEN_MAX)
		ifc->snaplen = CAPTURE_SNAPLEN_MAX;	/* as libpcap */
	ifc->res = 6;
	while (off + 4 <= n) {
		code = ng_u16(r, p + off);
		len = ng_u16(r, p + off + 2);
		off += 4;
		if (code == 0 || (size_t)len > n - off)
			break;
		if (code == PCAPNG_OPT_TSRESOL && len >= 1) {
			ifc->pow2 = (p[off] & 0x80) != 0;
			ifc->res = p[off] & 0x7f;
		}
		off += ((size_t)len + 3) & ~(size_t)3;
	}
	return (0);
}

/*
 * One packet of CAPLEN bytes at DATA (ROOM bytes in the block) from
 * interface IFID at TS.  A packet of an interface not described is handed
 * on with link type -1 (counted as unsupported by the decoder).
 */
static int
ng_packet(struct pcapng_rd *r, struct capture_pkt *pkt, uint32_t ifid,
    uint64_t ts, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
    size_t room, char **cause)
{
	uint32_t	snaplen = ifid < r->nif ? r->ifs[ifid].snaplen :
			    CAPTURE_SNAPLEN_MAX;

	if (caplen > room) {
		*cause = xasprintf("pcapng: packet of %u bytes in a block of "
		    "%zu", caplen, room);
		return (-1);
	}
	if (caplen > snaplen) {
		*cause = xasprintf("invalid packet capture length %u, bigger "
		    "than snaplen of %u", caplen, snaplen);
		return (-1);
	}
	if (ifid < r->nif) {
		pkt->ts_us = ng_ts_us(&r->ifs[ifid], ts);
		pkt->dlt = r->ifs[ifid].dlt;
	} else {
		pkt->ts_us = r->last_us;
		pkt->dlt = -1;
	}
	pkt->data = data;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	r->last_us = pkt->ts_us;
	return (1);
}

struct pcapng_rd *
pcapng_open(FILE *fp, int *first_dlt, char **cause)
{
	struct pcapng_rd	*r;
	struct capture_pkt	 pkt;
	long			 start;
	int			 n;

	r = xcalloc(1, sizeof *r);
	r->fp = fp;
	*first_dlt = -1;
	/* Read up to the first packet to learn the first link type. */
	if ((start = ftell(fp)) == -1) {
		*cause = xstrdup("pcapng: input is not seekable");
		free(r);
		return (NULL);
	}
	n = pcapng_next(r, &pkt, cause);
	if (n == -1) {
		pcapng_close(r);
		return (NULL);
	}
	if (r->nif > 0)
		*first_dlt = r->ifs[0].dlt;
	if (fseek(fp, start, SEEK_SET) == -1) {
		*cause = xstrdup("pcapng: cannot rewind");
		pcapng_close(r);
		return (NULL);
	}
	r->nif = 0;
	return (r);
}

void
pcapng_close(struct pcapng_rd *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

int
pcapng_next(struct pcapng_rd *r, struct capture_pkt *pkt, char **cause)
{
	uint8_t			 hdr[12], *p;
	uint32_t		 type, blen, bom, ifid, caplen, wirelen;
	size_t			 n, body;
	uint64_t		 ts;

	for (;;) {
		n = fread(hdr, 1, 8, r->fp);
		if (n == 0)
			return (0);
		if (n < 8) {
			*cause = xstrdup("pcapng: truncated block header");
			return (-1);
		}
		memcpy(&type, hdr, 4);
		if (type == PCAPNG_SHB) {
			if (fread(hdr + 8, 1, 4, r->fp) != 4) {
				*cause = xstrdup("pcapng: truncated section");
				return (-1);
			}
			memcpy(&bom, hdr + 8, 4);
			if (bom == PCAPNG_BOM)
				r->swap = 0;
			else if (__builtin_bswap32(bom) == PCAPNG_BOM)
				r->swap = 1;
			else {
				*cause = xstrdup("pcapng: bad byte-order magic");
				return (-1);
			}
			r->nif = 0;
		}
		type = ng_u32(r, hdr);
		blen = ng_u32(r, hdr + 4);
		if (blen < 12 || (blen & 3) != 0 || blen > PCAPNG_BLOCK_MAX ||
		    (type == PCAPNG_SHB && blen < 28)) {
			*cause = xasprintf("pcapng: bad block length %u", blen);
			return (-1);
		}
		/* Body without header and trailing length. */
		body = (size_t)blen - 12;
		if (type == PCAPNG_SHB)
			body -= 4;		/* the magic was read already */
		if (body + 4 > r->cap) {
			r->cap = body + 4;
			r->buf = xrealloc(r->buf, r->cap);
		}
		if (fread(r->buf, 1, body + 4, r->fp) != body + 4) {
			*cause = xstrdup("pcapng: truncated block");
			return (-1);
		}
		p = r->buf;
		switch (type) {
		case PCAPNG_IDB:
			if (ng_idb(r, p, body, cause) == -1)
				return (-1);
			continue;
		case PCAPNG_EPB:
			if (body < 20)
				break;
			ifid = ng_u32(r, p);
			ts = ((uint64_t)ng_u32(r, p + 4) << 32) |
			    ng_u32(r, p + 8);
			caplen = ng_u32(r, p + 12);
			wirelen = ng_u32(r, p + 16);
			return (ng_packet(r, pkt, ifid, ts, p + 20, caplen,
			    wirelen, body - 20, cause));
		case PCAPNG_PB:
			if (body < 20)
				break;
			ifid = ng_u16(r, p);
			ts = ((uint64_t)ng_u32(r, p + 4) << 32) |
			    ng_u32(r, p + 8);
			caplen = ng_u32(r, p + 12);
			wirelen = ng_u32(r, p + 16);
			return (ng_packet(r, pkt, ifid, ts, p + 20, caplen,
			    wirelen, body - 20, cause));
		case PCAPNG_SPB:
			if (body < 4 || r->nif == 0)
				break;
			wirelen = ng_u32(r, p);
			caplen = wirelen;
			if (caplen > body - 4)
				caplen = (uint32_t)(body - 4);
			if (caplen > r->ifs[0].snaplen)
				caplen = r->ifs[0].snaplen;
			pkt->ts_us = r->last_us;	/* no timestamp */
			pkt->data = p + 4;
			pkt->caplen = caplen;
			pkt->wirelen = wirelen;
			pkt->dlt = r->ifs[0].dlt;
			return (1);
		}
		/* Other blocks (statistics, name resolution ...). */
	}
}
