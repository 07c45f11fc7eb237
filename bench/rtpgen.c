/*
 * rtpgen.c: write a pcap of many concurrent G.711 calls for the media
 * benchmarks (bench/media.sh).
 *
 * N calls between phones (10.1.0.0/16, or 127.1.0.0/16 with -L) and a PBX
 * (10.0.0.1): each is set up with INVITE / 100 / 180 / 200 (both with
 * SDP: PCMU, telephone-event, ptime 20) / ACK in the first second, then
 * carries RTP in both directions, one 160-byte PCMU packet every 20 ms
 * each way (50 packets/s per direction), an RTCP sender report with a
 * reception report block every 5 s each way, and ends with BYE / 200.
 * With -l, each RTP packet is dropped with that probability (seeded), so
 * the expected loss is known.  Packets are written in time order; the
 * same options give the same file, byte for byte.
 *
 * usage: rtpgen [-L] [-s seed] [-l loss] -c calls -d seconds -o out.pcap
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

static uint32_t	PBX = 0x0a000001u;		/* 10.0.0.1 */
static uint32_t	PHONES = 0x0a010000u;		/* 10.1.0.0/16 */
static int	loopback_macs;
static uint64_t	rng_state = 42;
static pcap_dumper_t *dump;
static uint64_t	written, dropped;

static uint32_t
rng(void)
{
	return (bench_rng(&rng_state));
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* One Ethernet / IPv4 / UDP frame carrying LEN bytes of DATA. */
static void
frame(int64_t ts, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
    const uint8_t *data, size_t len)
{
	if (bench_frame(dump, ts, src, sport, dst, dport, data, len,
	    loopback_macs) == -1)
		abort();
	written++;
}

static void
ip(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
}

struct call {
	uint32_t	 phone;
	uint16_t	 pport;		/* the phone's RTP port */
	uint16_t	 xport;		/* the PBX's RTP port */
	uint32_t	 ssrc[2];	/* phone -> PBX, PBX -> phone */
	uint16_t	 seq[2];
	uint32_t	 rts[2];
	uint32_t	 sent[2];
	uint32_t	 octets[2];
};

/* A SIP message of the call's dialog, with SDP when SDP_PORT != 0. */
static void
sip(int64_t ts, const struct call *c, unsigned id, int from_phone,
    const char *first, const char *method, unsigned cseq, uint16_t sdp_port)
{
	char	 msg[2048], body[512], pip[16], xip[16], *who;
	int	 blen = 0, n;

	ip(c->phone, pip, sizeof pip);
	ip(PBX, xip, sizeof xip);
	if (sdp_port != 0) {
		who = from_phone ? pip : xip;
		blen = snprintf(body, sizeof body,
		    "v=0\r\no=- %u 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\n"
		    "t=0 0\r\nm=audio %u RTP/AVP 0 101\r\n"
		    "a=rtpmap:0 PCMU/8000\r\n"
		    "a=rtpmap:101 telephone-event/8000\r\n"
		    "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n",
		    id, who, who, sdp_port);
	}
	n = snprintf(msg, sizeof msg,
	    "%s\r\n"
	    "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%u%s\r\n"
	    "From: <sip:%u@%s>;tag=a%u\r\n"
	    "To: <sip:%u@%s>%s\r\n"
	    "Call-ID: %u-bench@%s\r\n"
	    "CSeq: %u %s\r\n"
	    "Contact: <sip:%u@%s:5060>\r\n"
	    "%s"
	    "Content-Length: %d\r\n\r\n%s",
	    first, pip, id, method[0] == 'B' ? "b" : "", 1000 + id % 50000,
	    pip, id, 2000 + id % 50000, xip, strncmp(first, "SIP/", 4) == 0 ||
	    cseq == 2 ? ";tag=b" : "", id, pip, cseq, method,
	    1000 + id % 50000, from_phone ? pip : xip,
	    sdp_port != 0 ? "Content-Type: application/sdp\r\n" : "",
	    blen, sdp_port != 0 ? body : "");
	if (from_phone)
		frame(ts, c->phone, 5060, PBX, 5060, (const uint8_t *)msg,
		    (size_t)n);
	else
		frame(ts, PBX, 5060, c->phone, 5060, (const uint8_t *)msg,
		    (size_t)n);
}

/* One RTP packet of direction D (0: phone to PBX). */
static void
rtp(int64_t ts, struct call *c, int d, double loss)
{
	uint8_t	p[12 + 160];

	p[0] = 0x80;
	p[1] = 0;
	put16(p + 2, c->seq[d]);
	put32(p + 4, c->rts[d]);
	put32(p + 8, c->ssrc[d]);
	memset(p + 12, 0xff, 160);
	c->seq[d]++;
	c->rts[d] += 160;
	c->sent[d]++;
	c->octets[d] += 160;
	if (loss > 0 && (double)rng() / 4294967296.0 < loss) {
		dropped++;
		return;
	}
	if (d == 0)
		frame(ts, c->phone, c->pport, PBX, c->xport, p, sizeof p);
	else
		frame(ts, PBX, c->xport, c->phone, c->pport, p, sizeof p);
}

/* An SR with one report block about the other direction (RFC 3550 6.4.1). */
static void
rtcp(int64_t ts, struct call *c, int d)
{
	uint8_t		p[52];
	uint64_t	ntp = (uint64_t)(ts / 1000000 + 2208988800ULL) << 32 |
			    (uint64_t)((ts % 1000000) * 4294967296.0 / 1e6);

	p[0] = 0x81;
	p[1] = 200;
	put16(p + 2, 12);
	put32(p + 4, c->ssrc[d]);
	put32(p + 8, (uint32_t)(ntp >> 32));
	put32(p + 12, (uint32_t)ntp);
	put32(p + 16, c->rts[d]);
	put32(p + 20, c->sent[d]);
	put32(p + 24, c->octets[d]);
	put32(p + 28, c->ssrc[!d]);
	put32(p + 32, 0);
	put32(p + 36, c->seq[!d]);
	put32(p + 40, 8);
	put32(p + 44, 0);
	put32(p + 48, 0);
	if (d == 0)
		frame(ts, c->phone, c->pport + 1, PBX, c->xport + 1, p,
		    sizeof p);
	else
		frame(ts, PBX, c->xport + 1, c->phone, c->pport + 1, p,
		    sizeof p);
}

int
main(int argc, char **argv)
{
	struct call	*calls;
	pcap_t		*dead;
	const char	*out = NULL;
	unsigned	 ncalls = 0, i, secs = 0, tick, ticks;
	double		 loss = 0;
	int64_t		 t0 = 1700000000LL * 1000000, slot, ts;
	int		 ch;

	while ((ch = getopt(argc, argv, "Lc:d:l:o:s:")) != -1) {
		switch (ch) {
		case 'L':
			PBX = 0x7f000001u;
			PHONES = 0x7f010000u;
			loopback_macs = 1;
			break;
		case 'c':
			ncalls = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'd':
			secs = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'l':
			loss = strtod(optarg, NULL);
			break;
		case 'o':
			out = optarg;
			break;
		case 's':
			rng_state = strtoull(optarg, NULL, 10) * 2654435761ULL + 1;
			break;
		default:
			goto usage;
		}
	}
	if (out == NULL || ncalls == 0 || ncalls > 20000 || secs == 0 ||
	    loss < 0 || loss >= 1)
		goto usage;
	if ((calls = calloc(ncalls, sizeof *calls)) == NULL)
		return (1);
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if ((dump = pcap_dump_open(dead, out)) == NULL) {
		fprintf(stderr, "rtpgen: %s\n", pcap_geterr(dead));
		return (1);
	}
	/* Set-up, spread over the first second. */
	slot = 1000000 / ncalls;
	for (i = 0; i < ncalls; i++) {
		struct call *c = &calls[i];

		c->phone = PHONES + 2 + i;
		c->pport = 16384 + 2 * (i % 8000);
		c->xport = (uint16_t)(20000 + 2 * i);
		c->ssrc[0] = rng();
		c->ssrc[1] = rng();
		c->seq[0] = (uint16_t)rng();
		c->seq[1] = (uint16_t)rng();
		c->rts[0] = rng();
		c->rts[1] = rng();
		ts = t0 + (int64_t)i * slot;
		sip(ts, c, i, 1, "INVITE sip:2000@pbx SIP/2.0", "INVITE", 1,
		    c->pport);
		sip(ts + 1, c, i, 0, "SIP/2.0 100 Trying", "INVITE", 1, 0);
		sip(ts + 2, c, i, 0, "SIP/2.0 180 Ringing", "INVITE", 1, 0);
		sip(ts + 3, c, i, 0, "SIP/2.0 200 OK", "INVITE", 1, c->xport);
		sip(ts + 4, c, i, 1, "ACK sip:2000@pbx SIP/2.0", "ACK", 1, 0);
	}
	/* Media: every 20 ms each call sends one packet each way, the calls
	 * spread over the 20 ms so that the file stays in time order. */
	ticks = secs * 50;
	t0 += 1000000;
	slot = 20000 / ncalls;
	for (tick = 0; tick < ticks; tick++) {
		for (i = 0; i < ncalls; i++) {
			ts = t0 + (int64_t)tick * 20000 + (int64_t)i * slot;
			rtp(ts, &calls[i], 0, loss);
			rtp(ts, &calls[i], 1, loss);
			if (tick % 250 == 249) {
				rtcp(ts, &calls[i], 0);
				rtcp(ts, &calls[i], 1);
			}
		}
	}
	t0 += (int64_t)ticks * 20000;
	slot = 1000000 / ncalls;
	for (i = 0; i < ncalls; i++) {
		ts = t0 + (int64_t)i * slot;
		sip(ts, &calls[i], i, 1, "BYE sip:2000@pbx SIP/2.0", "BYE", 2,
		    0);
		sip(ts + 1, &calls[i], i, 0, "SIP/2.0 200 OK", "BYE", 2, 0);
	}
	pcap_dump_close(dump);
	pcap_close(dead);
	free(calls);
	fprintf(stderr, "rtpgen: %u calls, %u s, %llu packets written, %llu RTP "
	    "packets dropped\n", ncalls, secs, (unsigned long long)written,
	    (unsigned long long)dropped);
	return (0);
usage:
	fprintf(stderr, "usage: rtpgen [-L] [-s seed] [-l loss] -c calls "
	    "-d seconds -o out.pcap\n");
	return (1);
}
