/*
 * check_decode.c: link/IP/UDP decoding on hand-built frames, including
 * every truncation of a valid frame and malformed length fields; PPP in
 * PPPoE and GRE, GTP-U, and SCTP user messages split over chunks.
 */
#include "config.h"

#include <check.h>
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

static const char sip_payload[] =
    "OPTIONS sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776\r\n\r\n";

struct got {
	int			n;
	struct decode_pkt	last;
	uint8_t			payload[2048];
};

static void
deliver(const struct decode_pkt *pkt, void *arg)
{
	struct got	*g = arg;

	g->n++;
	g->last = *pkt;
	memcpy(g->payload, pkt->payload, pkt->len < sizeof g->payload ?
	    pkt->len : sizeof g->payload);
}

/* Append an IPv4 + UDP header and payload at P; returns bytes written. */
static size_t
put_ipv4_udp(uint8_t *p, const void *payload, size_t plen, uint16_t sport,
    uint16_t dport)
{
	size_t	total = 20 + 8 + plen;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[8] = 64;
	p[9] = 17;
	p[12] = 192; p[13] = 0; p[14] = 2; p[15] = 1;
	p[16] = 198; p[17] = 51; p[18] = 100; p[19] = 7;
	p[20] = (uint8_t)(sport >> 8);
	p[21] = (uint8_t)sport;
	p[22] = (uint8_t)(dport >> 8);
	p[23] = (uint8_t)dport;
	p[24] = (uint8_t)((8 + plen) >> 8);
	p[25] = (uint8_t)(8 + plen);
	memcpy(p + 28, payload, plen);
	return (total);
}

static size_t
put_ipv6_udp(uint8_t *p, const void *payload, size_t plen, int with_ext)
{
	size_t	off = 40, ext = with_ext ? 8 : 0;

	memset(p, 0, 40 + ext + 8);
	p[0] = 0x60;
	p[4] = (uint8_t)((ext + 8 + plen) >> 8);
	p[5] = (uint8_t)(ext + 8 + plen);
	p[6] = with_ext ? 0 : 17;	/* hop-by-hop, then UDP */
	p[7] = 64;
	p[8] = 0x20; p[9] = 0x01; p[10] = 0x0d; p[11] = 0xb8; p[23] = 1;
	p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = 0xb8; p[39] = 2;
	if (with_ext) {
		p[40] = 17;	/* next: UDP */
		p[41] = 0;	/* 8 bytes */
		off += 8;
	}
	p[off] = 0x13; p[off + 1] = 0xc4;	/* 5060 */
	p[off + 2] = 0x13; p[off + 3] = 0xc4;
	p[off + 4] = (uint8_t)((8 + plen) >> 8);
	p[off + 5] = (uint8_t)(8 + plen);
	memcpy(p + off + 8, payload, plen);
	return (off + 8 + plen);
}

static size_t
put_eth(uint8_t *p, const uint16_t *tags, int ntags, uint16_t type)
{
	size_t	off = 12;
	int	i;

	memset(p, 0xaa, 12);
	for (i = 0; i < ntags; i++) {
		p[off] = (uint8_t)(tags[i] >> 8);
		p[off + 1] = (uint8_t)tags[i];
		p[off + 2] = 0x00;
		p[off + 3] = (uint8_t)(100 + i);	/* VLAN id */
		off += 4;
	}
	p[off] = (uint8_t)(type >> 8);
	p[off + 1] = (uint8_t)type;
	return (off + 2);
}

static int
run(int dlt, const uint8_t *f, size_t caplen, size_t wirelen, struct got *g,
    struct decode_ctx **ctxp)
{
	struct decode_ctx	*ctx = decode_create();
	int			 ev;

	memset(g, 0, sizeof *g);
	ev = decode_frame(ctx, dlt, 1000000, f, caplen, wirelen, deliver, g);
	if (ctxp != NULL)
		*ctxp = ctx;
	else
		decode_destroy(ctx);
	return (ev);
}

START_TEST(test_ethernet_ipv4_udp)
{
	uint8_t		f[512];
	size_t		n;
	struct got	g;
	char		buf[SW_ADDRSTRLEN];

	n = put_eth(f, NULL, 0, 0x0800);
	n += put_ipv4_udp(f + n, sip_payload, strlen(sip_payload), 5060, 5080);
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	ck_assert_uint_eq(g.last.len, strlen(sip_payload));
	ck_assert_mem_eq(g.payload, sip_payload, strlen(sip_payload));
	ck_assert_str_eq(sw_addr_format(&g.last.src, buf, sizeof buf),
	    "192.0.2.1:5060");
	ck_assert_str_eq(sw_addr_format(&g.last.dst, buf, sizeof buf),
	    "198.51.100.7:5080");
	ck_assert_int_eq(g.last.transport, DECODE_TP_UDP);
}
END_TEST

START_TEST(test_ethernet_padding_trimmed)
{
	uint8_t		f[128];
	size_t		n;
	struct got	g;

	/* A 2-byte payload in a 60-byte frame: the rest is padding. */
	n = put_eth(f, NULL, 0, 0x0800);
	n += put_ipv4_udp(f + n, "\r\n", 2, 5060, 5060);
	memset(f + n, 0, 60 - n);
	ck_assert_int_eq(run(DLT_EN10MB, f, 60, 60, &g, NULL),
	    DECODE_DELIVERED);
	ck_assert_uint_eq(g.last.len, 2);
}
END_TEST

START_TEST(test_vlan_and_qinq)
{
	uint8_t		 f[512];
	uint16_t	 tags[2] = { 0x88a8, 0x8100 };
	size_t		 n;
	struct got	 g;

	n = put_eth(f, tags + 1, 1, 0x0800);
	n += put_ipv4_udp(f + n, sip_payload, strlen(sip_payload), 5060, 5060);
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.last.nvlan, 1);
	ck_assert_int_eq(g.last.vlan[0], 100);

	n = put_eth(f, tags, 2, 0x0800);
	n += put_ipv4_udp(f + n, sip_payload, strlen(sip_payload), 5060, 5060);
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(g.last.nvlan, 2);
	ck_assert_int_eq(g.last.vlan[0], 100);
	ck_assert_int_eq(g.last.vlan[1], 101);
}
END_TEST

START_TEST(test_vlan_too_deep)
{
	uint8_t		 f[512];
	uint16_t	 tags[5] = { 0x8100, 0x8100, 0x8100, 0x8100, 0x8100 };
	size_t		 n;
	struct got	 g;

	n = put_eth(f, tags, 5, 0x0800);
	n += put_ipv4_udp(f + n, sip_payload, strlen(sip_payload), 5060, 5060);
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL),
	    DECODE_EV_VLAN_TOO_DEEP);
	ck_assert_int_eq(g.n, 0);
}
END_TEST

START_TEST(test_sll_and_sll2)
{
	uint8_t		f[512];
	size_t		n;
	struct got	g;

	memset(f, 0, 16);
	f[14] = 0x08; f[15] = 0x00;
	n = 16 + put_ipv4_udp(f + 16, sip_payload, strlen(sip_payload), 1, 2);
	ck_assert_int_eq(run(DLT_LINUX_SLL, f, n, n, &g, NULL),
	    DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);

	memset(f, 0, 20);
	f[0] = 0x86; f[1] = 0xdd;
	n = 20 + put_ipv6_udp(f + 20, sip_payload, strlen(sip_payload), 0);
	ck_assert_int_eq(run(DLT_LINUX_SLL2, f, n, n, &g, NULL),
	    DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(g.last.src.family, 6);
	ck_assert_int_eq(g.last.src.port, 5060);
}
END_TEST

START_TEST(test_null_both_byte_orders)
{
	uint8_t		f[512];
	size_t		n;
	struct got	g;

	f[0] = 2; f[1] = 0; f[2] = 0; f[3] = 0;	/* little-endian AF_INET */
	n = 4 + put_ipv4_udp(f + 4, sip_payload, strlen(sip_payload), 1, 2);
	ck_assert_int_eq(run(DLT_NULL, f, n, n, &g, NULL), DECODE_DELIVERED);
	f[0] = 0; f[1] = 0; f[2] = 0; f[3] = 30;	/* big-endian AF_INET6 (Darwin) */
	n = 4 + put_ipv6_udp(f + 4, sip_payload, strlen(sip_payload), 0);
	ck_assert_int_eq(run(DLT_LOOP, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.last.dst.family, 6);
	f[3] = 99;
	ck_assert_int_eq(run(DLT_LOOP, f, n, n, &g, NULL),
	    DECODE_EV_NULL_UNKNOWN_FAMILY);
}
END_TEST

START_TEST(test_raw_ip_and_ipv6_ext)
{
	uint8_t		f[512];
	size_t		n;
	struct got	g;
	char		buf[SW_ADDRSTRLEN];

	n = put_ipv6_udp(f, sip_payload, strlen(sip_payload), 1);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(sw_addr_format(&g.last.src, buf, sizeof buf),
	    "[2001:db8::1]:5060");
	/* An extension header that runs past the packet. */
	f[41] = 200;
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_IPV6_BAD_EXT);
	ck_assert_int_eq(g.n, 0);
}
END_TEST

/* Every prefix of a valid frame decodes without reading past its end. */
START_TEST(test_every_truncation)
{
	static const int dlts[] = { DLT_EN10MB, DLT_LINUX_SLL, DLT_NULL };
	uint8_t		 f[512], *copy;
	size_t		 n, cut, hdr;
	struct got	 g;
	unsigned	 d;
	int		 ev;

	for (d = 0; d < sizeof dlts / sizeof dlts[0]; d++) {
		if (dlts[d] == DLT_EN10MB)
			hdr = put_eth(f, NULL, 0, 0x0800);
		else if (dlts[d] == DLT_LINUX_SLL) {
			memset(f, 0, 16);
			f[14] = 0x08;
			f[15] = 0;
			hdr = 16;
		} else {
			memset(f, 0, 4);
			f[0] = 2;
			hdr = 4;
		}
		n = hdr + put_ipv4_udp(f + hdr, sip_payload,
		    strlen(sip_payload), 5060, 5060);
		for (cut = 0; cut < n; cut++) {
			/* Exact-size heap copy so ASan catches any overread. */
			copy = malloc(cut > 0 ? cut : 1);
			memcpy(copy, f, cut);
			/* Cut by snaplen: wire length is the full frame. */
			ev = run(dlts[d], copy, cut, n, &g, NULL);
			if (g.n == 1) {
				ck_assert(g.last.flags & DECODE_F_TRUNC);
				ck_assert_uint_lt(g.last.len,
				    strlen(sip_payload));
			} else
				ck_assert_int_ge(ev, 0);
			/* Not cut by snaplen: the IP length is a lie. */
			ev = run(dlts[d], copy, cut, cut, &g, NULL);
			ck_assert_int_eq(g.n, 0);
			ck_assert_int_ge(ev, 0);
			ck_assert(decode_event_is_error(ev));
			free(copy);
		}
	}
}
END_TEST

START_TEST(test_bad_ipv4_fields)
{
	uint8_t			 f[512];
	size_t			 n;
	struct got		 g;
	struct decode_ctx	*ctx;

	n = put_ipv4_udp(f, sip_payload, strlen(sip_payload), 1, 2);
	f[0] = 0x44;	/* IHL 16 bytes */
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_IPV4_BAD_HLEN);
	f[0] = 0x45;
	f[2] = 0; f[3] = 10;	/* total length below the header */
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_IPV4_BAD_TOTAL_LEN);
	n = put_ipv4_udp(f, sip_payload, strlen(sip_payload), 1, 2);
	f[6] = 0x20;	/* more fragments, but a length not a multiple of 8 */
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, &ctx),
	    DECODE_EV_FRAG_INVALID);
	ck_assert_uint_eq(decode_stats(ctx)->events[DECODE_EV_FRAG_INVALID],
	    1);
	decode_destroy(ctx);
	n = put_ipv4_udp(f, sip_payload, strlen(sip_payload), 1, 2);
	f[24] = 0; f[25] = 4;	/* UDP length below 8 */
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_UDP_BAD_LEN);
	n = put_ipv4_udp(f, "", 0, 1, 2);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_EV_UDP_EMPTY);
	ck_assert_int_eq(g.n, 0);
}
END_TEST

START_TEST(test_unsupported_and_not_ip)
{
	uint8_t		f[64];
	size_t		n;
	struct got	g;

	memset(f, 0, sizeof f);
	ck_assert_int_eq(run(147, f, sizeof f, sizeof f, &g, NULL),
	    DECODE_EV_LINK_UNSUPPORTED);
	n = put_eth(f, NULL, 0, 0x0806);	/* ARP */
	ck_assert_int_eq(run(DLT_EN10MB, f, n + 28, n + 28, &g, NULL),
	    DECODE_EV_NOT_IP);
	ck_assert(!decode_event_is_error(DECODE_EV_NOT_IP));
	ck_assert_str_eq(decode_event_name(DECODE_EV_IPV4_TRUNCATED),
	    "decode.ipv4.truncated");
}
END_TEST


/*
 * Split a UDP datagram carrying PAYLOAD into IPv4 fragments of at most
 * CHUNK data bytes (a multiple of 8); frame I of the result goes to
 * FRAMES[I] with its length in LENS[I].  Returns the number of fragments.
 */
static int
make_v4_frags(const char *payload, size_t chunk, uint8_t frames[][600],
    size_t *lens, uint16_t id)
{
	uint8_t	 whole[2048];
	size_t	 n, off;
	int	 k = 0;

	n = put_ipv4_udp(whole, payload, strlen(payload), 5060, 5060);
	for (off = 0; off < n - 20; off += chunk, k++) {
		size_t len = n - 20 - off < chunk ? n - 20 - off : chunk;
		uint16_t fo = (uint16_t)(off / 8);

		memcpy(frames[k], whole, 20);
		memcpy(frames[k] + 20, whole + 20 + off, len);
		frames[k][2] = (uint8_t)((20 + len) >> 8);
		frames[k][3] = (uint8_t)(20 + len);
		frames[k][4] = (uint8_t)(id >> 8);
		frames[k][5] = (uint8_t)id;
		if (off + len < n - 20)
			fo |= 0x2000;
		frames[k][6] = (uint8_t)(fo >> 8);
		frames[k][7] = (uint8_t)fo;
		lens[k] = 20 + len;
	}
	return (k);
}

static int
feed(struct decode_ctx *ctx, int64_t ts, const uint8_t *f, size_t len,
    struct got *g)
{
	return (decode_frame(ctx, DLT_RAW, ts, f, len, len, deliver, g));
}

START_TEST(test_ipv4_reassembly)
{
	static uint8_t		 fr[16][600];
	size_t			 lens[16];
	struct decode_ctx	*ctx = decode_create();
	struct got		 g;
	int			 k, i;

	memset(&g, 0, sizeof g);
	k = make_v4_frags(sip_payload, 32, fr, lens, 7);
	ck_assert_int_ge(k, 3);
	/* Out of order, with one fragment seen twice: one SIP message. */
	for (i = k - 1; i >= 0; i--) {
		ck_assert_int_eq(g.n, 0);
		feed(ctx, 1000, fr[i], lens[i], &g);
		if (i == 1)
			feed(ctx, 1000, fr[i], lens[i], &g);
	}
	ck_assert_int_eq(g.n, 1);
	ck_assert_uint_eq(g.last.len, strlen(sip_payload));
	ck_assert_mem_eq(g.payload, sip_payload, strlen(sip_payload));
	ck_assert(g.last.flags & DECODE_F_IPFRAG);
	ck_assert_uint_eq(decode_stats(ctx)->events[DECODE_EV_FRAG_DUPLICATE], 1);
	ck_assert_uint_eq(decode_stats(ctx)->events[DECODE_EV_FRAG_REASSEMBLED], 1);

	/* An overlap with different bytes drops the datagram. */
	memset(&g, 0, sizeof g);
	k = make_v4_frags(sip_payload, 32, fr, lens, 8);
	feed(ctx, 2000, fr[0], lens[0], &g);
	fr[1][7] = 2;	/* offset 16 bytes: overlaps fragment 0 */
	fr[1][6] = 0x20;
	ck_assert_int_eq(feed(ctx, 2000, fr[1], lens[1], &g),
	    DECODE_EV_FRAG_OVERLAP);
	for (i = 2; i < k; i++)
		feed(ctx, 2000, fr[i], lens[i], &g);
	ck_assert_int_eq(g.n, 0);

	/* A datagram left incomplete times out 30 s (packet time) later. */
	k = make_v4_frags(sip_payload, 32, fr, lens, 9);
	feed(ctx, 3000000, fr[0], lens[0], &g);
	k = make_v4_frags(sip_payload, 32, fr, lens, 10);
	feed(ctx, 3000000 + 31000000, fr[0], lens[0], &g);
	ck_assert_uint_ge(decode_stats(ctx)->events[DECODE_EV_FRAG_TIMEOUT], 1);
	decode_destroy(ctx);
}
END_TEST

/*
 * A last fragment whose end falls short of a fragment already held, with
 * a hole before it as large as what lies beyond: the bytes held add up to
 * the total, but the datagram is not whole (found by fuzz_decode: the
 * reassembly wrote past its buffer).
 */
START_TEST(test_ipv4_reassembly_beyond_end)
{
	static uint8_t		 fr[16][600];
	size_t			 lens[16];
	struct decode_ctx	*ctx = decode_create();
	struct got		 g;
	int			 k;

	memset(&g, 0, sizeof g);
	k = make_v4_frags("OPTIONS sip:x@example.com SIP/2.0\r\n\r\n", 8, fr,
	    lens, 11);
	ck_assert_int_ge(k, 6);				/* [40, 45) last */
	feed(ctx, 1000, fr[0], lens[0], &g);		/* [0, 8) */
	feed(ctx, 1000, fr[4], lens[4], &g);		/* [32, 40) */
	fr[2][6] &= ~0x20;				/* [16, 24), "last" */
	ck_assert_int_eq(feed(ctx, 1000, fr[2], lens[2], &g),
	    DECODE_EV_FRAG_OVERLAP);
	ck_assert_int_eq(g.n, 0);
	ck_assert_uint_eq(decode_stats(ctx)->events[DECODE_EV_FRAG_REASSEMBLED],
	    0);
	decode_destroy(ctx);
}
END_TEST

/* Many incomplete datagrams: the reassembly table stays within its caps. */
START_TEST(test_ipv4_reassembly_caps)
{
	static uint8_t		 fr[16][600];
	size_t			 lens[16];
	struct decode_ctx	*ctx = decode_create();
	struct got		 g;
	uint32_t		 id;

	memset(&g, 0, sizeof g);
	for (id = 0; id < 20000; id++) {
		make_v4_frags(sip_payload, 32, fr, lens, (uint16_t)id);
		fr[0][12] = (uint8_t)(id >> 16);	/* vary the source too */
		feed(ctx, 1000 + id, fr[0], lens[0], &g);
	}
	ck_assert_int_eq(g.n, 0);
	ck_assert_uint_ge(decode_stats(ctx)->events[DECODE_EV_FRAG_EVICTED],
	    20000 - 4096);
	decode_destroy(ctx);
}
END_TEST

START_TEST(test_ipv6_reassembly)
{
	uint8_t			 whole[1024], f1[600], f2[600];
	size_t			 n, udp, first;
	struct decode_ctx	*ctx = decode_create();
	struct got		 g;

	memset(&g, 0, sizeof g);
	n = put_ipv6_udp(whole, sip_payload, strlen(sip_payload), 0);
	udp = n - 40;			/* UDP header + payload */
	first = 48;			/* data bytes in the first fragment */
	/* Fragment 1: IPv6 header + fragment header + first 48 bytes. */
	memcpy(f1, whole, 40);
	f1[6] = 44;
	f1[4] = 0; f1[5] = (uint8_t)(8 + first);
	memset(f1 + 40, 0, 8);
	f1[40] = 17; f1[43] = 1;	/* next UDP, offset 0, M */
	f1[47] = 0x55;			/* id */
	memcpy(f1 + 48, whole + 40, first);
	/* Fragment 2: the rest. */
	memcpy(f2, f1, 48);
	f2[4] = (uint8_t)((8 + udp - first) >> 8);
	f2[5] = (uint8_t)(8 + udp - first);
	f2[42] = (uint8_t)(first >> 8);
	f2[43] = (uint8_t)(first & 0xf8);	/* offset 48, no M */
	memcpy(f2 + 48, whole + 40 + first, udp - first);
	ck_assert_int_eq(feed(ctx, 1, f2, 48 + udp - first, &g),
	    DECODE_EV_IPV6_FRAGMENT);
	ck_assert_int_eq(feed(ctx, 2, f1, 48 + first, &g), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	ck_assert_mem_eq(g.payload, sip_payload, strlen(sip_payload));
	ck_assert_int_eq(g.last.src.family, 6);
	decode_destroy(ctx);
}
END_TEST

/* ---- PPP, PPPoE, GRE/PPP, GTP-U, SCTP reassembly --------------------- */

/* One SIP payload from inside one tunnel, with the inner addresses. */
static void
assert_tunnelled(const struct got *g)
{
	char	buf[SW_ADDRSTRLEN];

	ck_assert_int_eq(g->n, 1);
	ck_assert_uint_eq(g->last.len, strlen(sip_payload));
	ck_assert_mem_eq(g->payload, sip_payload, strlen(sip_payload));
	ck_assert_str_eq(sw_addr_format(&g->last.src, buf, sizeof buf),
	    "192.0.2.1:5060");
	ck_assert_int_eq(g->last.encap, 1);
}

/* An outer IPv4 header (172.16.0.A -> 172.16.0.B) for LEN bytes of PROTO. */
static size_t
put_ipv4_hdr(uint8_t *p, uint8_t proto, size_t len, uint8_t a, uint8_t b)
{
	size_t	total = 20 + len;

	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[8] = 64;
	p[9] = proto;
	p[12] = 172; p[13] = 16; p[15] = a;
	p[16] = 172; p[17] = 16; p[19] = b;
	return (total);
}

/* A PPPoE session header and PPP protocol PROTO for IPLEN bytes of it. */
static size_t
put_pppoe(uint8_t *p, uint16_t proto, size_t iplen)
{
	p[0] = 0x11;
	p[1] = 0x00;
	p[2] = 0x12; p[3] = 0x34;
	p[4] = (uint8_t)((iplen + 2) >> 8);
	p[5] = (uint8_t)(iplen + 2);
	p[6] = (uint8_t)(proto >> 8);
	p[7] = (uint8_t)proto;
	return (8);
}

/* Every prefix of F: no payload unless flagged cut, never a read beyond. */
static void
every_prefix(int dlt, const uint8_t *f, size_t n, size_t full)
{
	struct got	 g;
	uint8_t		*copy;
	size_t		 cut;
	int		 ev;

	for (cut = 0; cut < n; cut++) {
		copy = malloc(cut > 0 ? cut : 1);
		memcpy(copy, f, cut);
		ev = run(dlt, copy, cut, full, &g, NULL);
		if (g.n > 0)
			ck_assert(g.last.flags & DECODE_F_TRUNC);
		else
			ck_assert_int_ge(ev, 0);
		ev = run(dlt, copy, cut, cut, &g, NULL);
		ck_assert_int_eq(g.n, 0);
		ck_assert_int_ge(ev, 0);
		free(copy);
	}
}

START_TEST(test_pppoe)
{
	uint8_t		 f[512];
	uint16_t	 tags[2] = { 0x88a8, 0x8100 };
	size_t		 n, h, ip;
	struct got	 g;
	char		 buf[SW_ADDRSTRLEN];

	/* QinQ, PPPoE session, PPP IPv4 (as a DSL uplink carries it). */
	h = put_eth(f, tags, 2, 0x8864);
	ip = put_ipv4_udp(f + h + 8, sip_payload, strlen(sip_payload), 5060,
	    5060);
	n = h + put_pppoe(f + h, 0x0021, ip) + ip;
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	ck_assert_uint_eq(g.last.len, strlen(sip_payload));
	ck_assert_mem_eq(g.payload, sip_payload, strlen(sip_payload));
	ck_assert_int_eq(g.last.nvlan, 2);
	ck_assert_str_eq(sw_addr_format(&g.last.src, buf, sizeof buf),
	    "192.0.2.1:5060");
	every_prefix(DLT_EN10MB, f, n, n);
	/* Ethernet padding after the PPPoE length is not read. */
	memset(f + n, 0xee, 20);
	ck_assert_int_eq(run(DLT_EN10MB, f, n + 20, n + 20, &g, NULL),
	    DECODE_DELIVERED);
	ck_assert_uint_eq(g.last.len, strlen(sip_payload));

	/* PPP IPv6. */
	h = put_eth(f, NULL, 0, 0x8864);
	ip = put_ipv6_udp(f + h + 8, sip_payload, strlen(sip_payload), 0);
	n = h + put_pppoe(f + h, 0x0057, ip) + ip;
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.last.src.family, 6);

	/* Control and compressed PPP frames: counted, not errors. */
	f[h + 6] = 0xc0; f[h + 7] = 0x21;		/* LCP */
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL),
	    DECODE_EV_PPP_NOT_IP);
	f[h + 6] = 0x00; f[h + 7] = 0xfd;		/* CCP / MPPE */
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL),
	    DECODE_EV_PPP_COMPRESSED);
	ck_assert(!decode_event_is_error(DECODE_EV_PPP_NOT_IP));
	ck_assert(!decode_event_is_error(DECODE_EV_PPP_COMPRESSED));
	f[h + 7] = 0x57;

	/* A version, type or code that is not a session packet. */
	f[h] = 0x21;
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL),
	    DECODE_EV_PPPOE_BAD_HEADER);
	f[h] = 0x11;
	f[h + 1] = 0x09;				/* PADI */
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL),
	    DECODE_EV_PPPOE_BAD_HEADER);
	f[h + 1] = 0x00;

	/* A length beyond the frame: a lie, or the snap length's cut. */
	f[h + 4] = 0x05;
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL),
	    DECODE_EV_PPPOE_TRUNCATED);
	ck_assert_int_eq(g.n, 0);
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n + 2000, &g, NULL),
	    DECODE_DELIVERED);
	ck_assert(g.last.flags & DECODE_F_TRUNC);

	/* The discovery stage. */
	h = put_eth(f, NULL, 0, 0x8863);
	memset(f + h, 0, 20);
	f[h] = 0x11; f[h + 1] = 0x09;
	ck_assert_int_eq(run(DLT_EN10MB, f, h + 20, h + 20, &g, NULL),
	    DECODE_EV_PPPOE_DISCOVERY);
	ck_assert(!decode_event_is_error(DECODE_EV_PPPOE_DISCOVERY));
}
END_TEST

START_TEST(test_ppp_link_types)
{
	uint8_t		f[512];
	size_t		n, ip;
	struct got	g;

	/* DLT_PPP with the address and control bytes. */
	f[0] = 0xff; f[1] = 0x03; f[2] = 0x00; f[3] = 0x21;
	n = 4 + put_ipv4_udp(f + 4, sip_payload, strlen(sip_payload), 1, 2);
	ck_assert_int_eq(run(DLT_PPP, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	/* DLT_PPP_SERIAL without them, protocol field compressed. */
	f[0] = 0x21;
	n = 1 + put_ipv4_udp(f + 1, sip_payload, strlen(sip_payload), 1, 2);
	ck_assert_int_eq(run(DLT_PPP_SERIAL, f, n, n, &g, NULL),
	    DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	every_prefix(DLT_PPP_SERIAL, f, n, n);
	/* DLT_PPP_ETHER: a PPPoE header, session or discovery. */
	ip = put_ipv4_udp(f + 8, sip_payload, strlen(sip_payload), 1, 2);
	n = put_pppoe(f, 0x0021, ip) + ip;
	ck_assert_int_eq(run(DLT_PPP_ETHER, f, n, n, &g, NULL),
	    DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	f[1] = 0x07;					/* PADO */
	ck_assert_int_eq(run(DLT_PPP_ETHER, f, n, n, &g, NULL),
	    DECODE_EV_PPPOE_DISCOVERY);
	ck_assert(decode_dlt_supported(DLT_PPP));
	ck_assert(decode_dlt_supported(DLT_PPP_SERIAL));
	ck_assert(decode_dlt_supported(DLT_PPP_ETHER));
}
END_TEST

/* An enhanced GRE header (RFC 2637) with FLAGS, payload length PLEN. */
static size_t
put_gre_v1(uint8_t *p, uint16_t flags, size_t plen)
{
	size_t	n = 8;

	p[0] = (uint8_t)(flags >> 8);
	p[1] = (uint8_t)flags;
	p[2] = 0x88; p[3] = 0x0b;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = 0x00; p[7] = 0x2a;			/* call id */
	if (flags & 0x1000) {				/* sequence number */
		memset(p + n, 0, 4);
		p[n + 3] = 7;
		n += 4;
	}
	if (flags & 0x0080) {				/* acknowledgment */
		memset(p + n, 0, 4);
		p[n + 3] = 6;
		n += 4;
	}
	return (n);
}

/* Outer IPv4 + enhanced GRE + PPP (PPPHDR bytes) + inner IPv4/UDP SIP. */
static size_t
gre_ppp_frame(uint8_t *f, uint16_t flags, const uint8_t *ppphdr, size_t pl)
{
	uint8_t	*g = f + 20;
	size_t	 gl, ip;

	gl = put_gre_v1(g, flags, 0);
	memcpy(g + gl, ppphdr, pl);
	ip = put_ipv4_udp(g + gl + pl, sip_payload, strlen(sip_payload), 5060,
	    5060);
	g[4] = (uint8_t)((pl + ip) >> 8);
	g[5] = (uint8_t)(pl + ip);
	return (put_ipv4_hdr(f, 47, gl + pl + ip, 1, 2));
}

START_TEST(test_gre_ppp)
{
	static const uint8_t	 hdlc[4] = { 0xff, 0x03, 0x00, 0x21 };
	static const uint8_t	 pfc[1] = { 0x21 };
	uint8_t			 f[1024];
	size_t			 n, gl;
	struct got		 g;

	/* Key and sequence number; then with an acknowledgment too. */
	n = gre_ppp_frame(f, 0x3001, hdlc, sizeof hdlc);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	assert_tunnelled(&g);
	n = gre_ppp_frame(f, 0x3081, hdlc, sizeof hdlc);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	every_prefix(DLT_RAW, f, n, n);
	/* Address/control left out and the protocol field compressed. */
	n = gre_ppp_frame(f, 0x3001, pfc, sizeof pfc);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	/* An acknowledgment alone. */
	gl = put_gre_v1(f + 20, 0x2081, 0);
	n = put_ipv4_hdr(f, 47, gl, 1, 2);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_GRE_ACK_ONLY);
	ck_assert(!decode_event_is_error(DECODE_EV_GRE_ACK_ONLY));
	/* A payload length beyond the packet. */
	n = gre_ppp_frame(f, 0x3001, hdlc, sizeof hdlc);
	f[20 + 5] += 10;
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_GRE_TRUNCATED);
	ck_assert_int_eq(g.n, 0);
	/* Version 1 carrying something other than PPP. */
	n = gre_ppp_frame(f, 0x3001, hdlc, sizeof hdlc);
	f[22] = 0x08; f[23] = 0x00;
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_GRE_UNSUPPORTED);
	/* Version 0 carrying PPP (0x880b) with a key. */
	f[20] = 0x20; f[21] = 0x00; f[22] = 0x88; f[23] = 0x0b;
	memcpy(f + 28, hdlc, sizeof hdlc);
	n = 28 + sizeof hdlc + put_ipv4_udp(f + 28 + sizeof hdlc, sip_payload,
	    strlen(sip_payload), 5060, 5060);
	put_ipv4_hdr(f, 47, n - 20, 1, 2);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
}
END_TEST

/* A UDP header SPORT -> DPORT for LEN bytes. */
static size_t
put_udp_hdr(uint8_t *p, uint16_t sport, uint16_t dport, size_t len)
{
	p[0] = (uint8_t)(sport >> 8); p[1] = (uint8_t)sport;
	p[2] = (uint8_t)(dport >> 8); p[3] = (uint8_t)dport;
	p[4] = (uint8_t)((8 + len) >> 8); p[5] = (uint8_t)(8 + len);
	p[6] = 0; p[7] = 0;
	return (8);
}

/*
 * Outer IPv4/UDP (SPORT -> DPORT) + a GTP-U header (FLAGS, TYPE, then
 * OPTLEN bytes of optional fields and extension headers) + INNER.
 */
static size_t
gtp_frame(uint8_t *f, uint16_t sport, uint16_t dport, uint8_t flags,
    uint8_t type, const uint8_t *opt, size_t optlen, const uint8_t *inner,
    size_t ilen)
{
	uint8_t	*u = f + 20, *gt = f + 28;
	size_t	 glen = 8 + optlen + ilen;

	gt[0] = flags;
	gt[1] = type;
	gt[2] = (uint8_t)((optlen + ilen) >> 8);
	gt[3] = (uint8_t)(optlen + ilen);
	gt[4] = 0; gt[5] = 0; gt[6] = 1; gt[7] = 2;	/* TEID */
	if (optlen > 0)
		memcpy(gt + 8, opt, optlen);
	if (ilen > 0)
		memcpy(gt + 8 + optlen, inner, ilen);
	put_udp_hdr(u, sport, dport, glen);
	return (put_ipv4_hdr(f, 17, 8 + glen, 1, 2));
}

START_TEST(test_gtpu)
{
	static const uint8_t	 seq[4] = { 0x12, 0x34, 0, 0 };
	/* PDU session container (0x85), then UDP port (0x40), then none. */
	static const uint8_t	 ext[12] = { 0, 0, 0, 0x85,
	    0x01, 0x10, 0x09, 0x40, 0x01, 0x13, 0xc4, 0x00 };
	static const uint8_t	 ext0[8] = { 0, 0, 0, 0x85, 0x00, 0, 0, 0 };
	uint8_t			 f[2048], in4[1024], in6[1024], many[80];
	size_t			 n, l4, l6, i;
	struct got		 g;

	l4 = put_ipv4_udp(in4, sip_payload, strlen(sip_payload), 5060, 5060);
	l6 = put_ipv6_udp(in6, sip_payload, strlen(sip_payload), 0);

	/* No optional field, IPv4 inside. */
	n = gtp_frame(f, 2152, 2152, 0x30, 0xff, NULL, 0, in4, l4);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	assert_tunnelled(&g);
	ck_assert_int_eq(g.last.transport, DECODE_TP_UDP);
	/* A sequence number, IPv6 inside. */
	n = gtp_frame(f, 2152, 2152, 0x32, 0xff, seq, sizeof seq, in6, l6);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.last.src.family, 6);
	/* Two extension headers, and every prefix of that frame. */
	n = gtp_frame(f, 2152, 2152, 0x34, 0xff, ext, sizeof ext, in4, l4);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	ck_assert_mem_eq(g.payload, sip_payload, strlen(sip_payload));
	every_prefix(DLT_RAW, f, n, n);
	/* Only the source port is 2152 (a downlink from a core that picks). */
	n = gtp_frame(f, 2152, 40000, 0x34, 0xff, ext, sizeof ext, in4, l4);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	/* An extension header of length 0. */
	n = gtp_frame(f, 2152, 2152, 0x34, 0xff, ext0, sizeof ext0, in4, l4);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_EV_GTP_BAD_EXT);
	/* 17 chained extension headers. */
	memset(many, 0, sizeof many);
	many[3] = 0x85;
	for (i = 0; i < 17; i++) {
		many[4 + i * 4] = 1;
		many[4 + i * 4 + 3] = 0x85;
	}
	n = gtp_frame(f, 2152, 2152, 0x34, 0xff, many, 4 + 17 * 4, in4, l4);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_EV_GTP_BAD_EXT);
	ck_assert(decode_event_is_error(DECODE_EV_GTP_BAD_EXT));
	/* An echo request; a G-PDU of a non-IP session. */
	n = gtp_frame(f, 2152, 2152, 0x32, 1, seq, sizeof seq, NULL, 0);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_GTP_SIGNALLING);
	ck_assert(!decode_event_is_error(DECODE_EV_GTP_SIGNALLING));
	in4[0] = 0x02;
	n = gtp_frame(f, 2152, 2152, 0x30, 0xff, NULL, 0, in4, l4);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_EV_GTP_NOT_IP);
	in4[0] = 0x45;
	/* A GTP length beyond the datagram. */
	n = gtp_frame(f, 2152, 2152, 0x30, 0xff, NULL, 0, in4, l4);
	f[28 + 2] += 1;
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL),
	    DECODE_EV_GTP_TRUNCATED);
	ck_assert_int_eq(g.n, 0);
	/* On port 2152 but not GTP-U: an ordinary datagram. */
	n = put_udp_hdr(f + 20, 5060, 2152, strlen(sip_payload));
	memcpy(f + 28, sip_payload, strlen(sip_payload));
	n = put_ipv4_hdr(f, 17, 8 + strlen(sip_payload), 1, 2);
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), DECODE_DELIVERED);
	ck_assert_int_eq(g.last.dst.port, 2152);
	ck_assert_int_eq(g.last.encap, 0);
}
END_TEST

#define CH_B	0x02
#define CH_E	0x01
#define CH_U	0x04

/*
 * One SCTP packet (raw IPv4, 172.16.0.1 -> .2, or back when REV) holding
 * one DATA chunk (I-DATA when IDATA) of LEN bytes of D: TSN, stream SID,
 * SSN or MID in ID, FSN for I-DATA pieces after the first.
 */
static size_t
put_sctp(uint8_t *f, int rev, int idata, uint8_t flags, uint32_t tsn,
    uint16_t sid, uint32_t id, uint32_t fsn, const void *d, size_t len)
{
	uint8_t	*s = f + 20, *c = s + 12;
	size_t	 h = idata ? 20 : 16, cl = h + len, padded = (cl + 3) & ~3u;

	memset(s, 0, 12 + padded);
	s[0] = 0x13; s[1] = 0xc4; s[2] = 0x13; s[3] = 0xc4;
	s[4] = 1; s[5] = 2; s[6] = 3; s[7] = 4;		/* verification tag */
	c[0] = idata ? 64 : 0;
	c[1] = flags;
	c[2] = (uint8_t)(cl >> 8);
	c[3] = (uint8_t)cl;
	c[4] = (uint8_t)(tsn >> 24); c[5] = (uint8_t)(tsn >> 16);
	c[6] = (uint8_t)(tsn >> 8); c[7] = (uint8_t)tsn;
	c[8] = (uint8_t)(sid >> 8); c[9] = (uint8_t)sid;
	if (!idata) {
		c[10] = (uint8_t)(id >> 8);
		c[11] = (uint8_t)id;
	} else {
		c[12] = (uint8_t)(id >> 24); c[13] = (uint8_t)(id >> 16);
		c[14] = (uint8_t)(id >> 8); c[15] = (uint8_t)id;
		if (!(flags & CH_B)) {
			c[16] = (uint8_t)(fsn >> 24);
			c[17] = (uint8_t)(fsn >> 16);
			c[18] = (uint8_t)(fsn >> 8);
			c[19] = (uint8_t)fsn;
		}
	}
	memcpy(c + h, d, len);
	return (put_ipv4_hdr(f, 132, 12 + padded, rev ? 2 : 1, rev ? 1 : 2));
}

/* A SIP request of about 700 bytes in BUF; returns its length. */
static size_t
big_message(char *buf, size_t size, int n)
{
	size_t	len;
	int	i;

	len = (size_t)snprintf(buf, size, "MESSAGE sip:bob@example.com SIP/2.0\r\n"
	    "Via: SIP/2.0/SCTP 192.0.2.1:5060;branch=z9hG4bK-%d\r\n", n);
	for (i = 0; i < 10; i++)
		len += (size_t)snprintf(buf + len, size - len,
		    "X-Pad-%d: %060d\r\n", i, n);
	len += (size_t)snprintf(buf + len, size - len, "Content-Length: 0\r\n\r\n");
	return (len);
}

static int
sctp_feed(struct decode_ctx *ctx, int64_t ts, int rev, int idata,
    uint8_t flags, uint32_t tsn, uint16_t sid, uint32_t id, uint32_t fsn,
    const void *d, size_t len, struct got *g)
{
	uint8_t	f[2048];
	size_t	n;

	n = put_sctp(f, rev, idata, flags, tsn, sid, id, fsn, d, len);
	return (decode_frame(ctx, DLT_RAW, ts, f, n, n, deliver, g));
}

#define SCTP_EV(ctx, e)	(decode_stats(ctx)->events[(e)])

START_TEST(test_sctp_reassembly)
{
	struct decode_ctx	*ctx = decode_create();
	char			 m[1024], m2[1024], alt[300];
	size_t			 ml, ml2;
	struct got		 g;

	memset(&g, 0, sizeof g);
	ml = big_message(m, sizeof m, 1);
	ck_assert_uint_gt(ml, 600);

	/* Three pieces in order, one per packet. */
	ck_assert_int_eq(sctp_feed(ctx, 1, 0, 0, CH_B, 100, 0, 5, 0, m, 250,
	    &g), DECODE_EV_SCTP_FRAGMENTED);
	ck_assert_int_eq(sctp_feed(ctx, 2, 0, 0, 0, 101, 0, 5, 0, m + 250, 250,
	    &g), DECODE_EV_SCTP_FRAGMENTED);
	ck_assert_int_eq(g.n, 0);
	ck_assert_int_eq(sctp_feed(ctx, 3, 0, 0, CH_E, 102, 0, 5, 0, m + 500,
	    ml - 500, &g), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 1);
	ck_assert_uint_eq(g.last.len, ml);
	ck_assert_mem_eq(g.payload, m, ml);
	ck_assert(g.last.flags & DECODE_F_SCTPREASM);
	ck_assert_int_eq(g.last.transport, DECODE_TP_SCTP);
	ck_assert_int_eq(g.last.src.port, 5060);
	ck_assert_uint_eq(SCTP_EV(ctx, DECODE_EV_SCTP_REASSEMBLED), 1);
	ck_assert_uint_eq(decode_stats(ctx)->sctp_messages, 1);

	/* The middle piece again (a retransmission): nothing new. */
	ck_assert_int_eq(sctp_feed(ctx, 4, 0, 0, 0, 101, 0, 5, 0, m + 250, 250,
	    &g), DECODE_EV_SCTP_DUPLICATE);
	ck_assert_int_eq(g.n, 1);

	/* Out of order, and a copy of the middle piece with other bytes. */
	memcpy(alt, m + 250, 250);
	alt[0] ^= 1;
	ck_assert_int_eq(sctp_feed(ctx, 5, 1, 0, CH_E, 202, 0, 6, 0, m + 500,
	    ml - 500, &g), DECODE_EV_SCTP_FRAGMENTED);
	ck_assert_int_eq(sctp_feed(ctx, 5, 1, 0, 0, 201, 0, 6, 0, m + 250, 250,
	    &g), DECODE_EV_SCTP_FRAGMENTED);
	ck_assert_int_eq(sctp_feed(ctx, 5, 1, 0, 0, 201, 0, 6, 0, alt, 250,
	    &g), DECODE_EV_SCTP_CONFLICT);
	ck_assert_int_eq(sctp_feed(ctx, 6, 1, 0, CH_B, 200, 0, 6, 0, m, 250,
	    &g), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 2);
	ck_assert_mem_eq(g.payload, m, ml);		/* the first copy */
	ck_assert_uint_eq(g.last.src.ip[3], 2);

	/* Two streams, pieces arriving interleaved. */
	ml2 = big_message(m2, sizeof m2, 2);
	sctp_feed(ctx, 7, 0, 0, CH_B, 300, 1, 0, 0, m, 400, &g);
	sctp_feed(ctx, 7, 0, 0, CH_B, 302, 2, 0, 0, m2, 300, &g);
	ck_assert_int_eq(sctp_feed(ctx, 7, 0, 0, CH_E, 301, 1, 0, 0, m + 400,
	    ml - 400, &g), DECODE_DELIVERED);
	ck_assert_mem_eq(g.payload, m, ml);
	ck_assert_int_eq(sctp_feed(ctx, 7, 0, 0, CH_E, 303, 2, 0, 0, m2 + 300,
	    ml2 - 300, &g), DECODE_DELIVERED);
	ck_assert_mem_eq(g.payload, m2, ml2);
	ck_assert_int_eq(g.n, 4);

	/* Two unordered messages on one stream (their SSN means nothing). */
	sctp_feed(ctx, 8, 0, 0, CH_U | CH_B, 400, 3, 77, 0, m, 300, &g);
	sctp_feed(ctx, 8, 0, 0, CH_U | CH_B, 402, 3, 78, 0, m2, 300, &g);
	sctp_feed(ctx, 8, 0, 0, CH_U | CH_E, 403, 3, 0, 0, m2 + 300,
	    ml2 - 300, &g);
	ck_assert_int_eq(g.n, 5);
	ck_assert_mem_eq(g.payload, m2, ml2);
	sctp_feed(ctx, 8, 0, 0, CH_U | CH_E, 401, 3, 9, 0, m + 300, ml - 300,
	    &g);
	ck_assert_int_eq(g.n, 6);
	ck_assert_mem_eq(g.payload, m, ml);

	/* I-DATA: a message named by its MID, pieces by FSN. */
	sctp_feed(ctx, 9, 0, 1, CH_E, 502, 4, 9, 2, m + 400, ml - 400, &g);
	sctp_feed(ctx, 9, 0, 1, CH_B, 500, 4, 9, 0, m, 200, &g);
	ck_assert_int_eq(g.n, 6);
	ck_assert_int_eq(sctp_feed(ctx, 9, 0, 1, 0, 501, 4, 9, 1, m + 200,
	    200, &g), DECODE_DELIVERED);
	ck_assert_int_eq(g.n, 7);
	ck_assert_mem_eq(g.payload, m, ml);
	ck_assert_uint_eq(SCTP_EV(ctx, DECODE_EV_SCTP_REASSEMBLED), 7);
	ck_assert_uint_eq(decode_stats(ctx)->sctp_messages, 7);

	/* A message left incomplete: dropped 30 s later, counted. */
	sctp_feed(ctx, 1000000, 0, 0, CH_B, 600, 5, 1, 0, m, 200, &g);
	sctp_feed(ctx, 32000000, 0, 0, CH_B, 700, 6, 1, 0, m, 200, &g);
	ck_assert_uint_eq(SCTP_EV(ctx, DECODE_EV_SCTP_TIMEOUT), 1);
	/* The other is still held at the end of the input. */
	decode_flush(ctx, 33000000, deliver, &g);
	ck_assert_uint_eq(SCTP_EV(ctx, DECODE_EV_SCTP_INCOMPLETE), 1);
	ck_assert(decode_event_is_error(DECODE_EV_SCTP_INCOMPLETE));
	ck_assert(!decode_event_is_error(DECODE_EV_SCTP_FRAGMENTED));
	ck_assert_int_eq(g.n, 7);
	decode_destroy(ctx);
}
END_TEST

START_TEST(test_sctp_reassembly_caps)
{
	struct decode_ctx	*ctx = decode_create();
	static char		 blob[1400];
	struct got		 g;
	uint32_t		 i;

	memset(&g, 0, sizeof g);
	memset(blob, 'x', sizeof blob);
	/* A message that never ends: dropped at its 257th piece. */
	sctp_feed(ctx, 1, 0, 0, CH_B, 0, 0, 1, 0, blob, 10, &g);
	for (i = 1; i < 300; i++)
		sctp_feed(ctx, 1, 0, 0, 0, i, 0, 1, 0, blob, 10, &g);
	ck_assert_uint_eq(SCTP_EV(ctx, DECODE_EV_SCTP_TOO_LARGE), 1);
	/* One of 1400-byte pieces: dropped when it passes 256 KiB. */
	sctp_feed(ctx, 1, 0, 0, CH_B, 1000, 0, 2, 0, blob, sizeof blob, &g);
	for (i = 1; i < 200; i++)
		sctp_feed(ctx, 1, 0, 0, 0, 1000 + i, 0, 2, 0, blob,
		    sizeof blob, &g);
	ck_assert_uint_eq(SCTP_EV(ctx, DECODE_EV_SCTP_TOO_LARGE), 2);
	/* 20000 messages begun on as many streams: at most 1024 held. */
	for (i = 0; i < 20000; i++)
		sctp_feed(ctx, 2, 0, 0, CH_B, 10000 + i * 2, (uint16_t)i, 1,
		    0, blob, sizeof blob, &g);
	ck_assert_uint_ge(SCTP_EV(ctx, DECODE_EV_SCTP_EVICTED), 20000 - 1024);
	ck_assert_uint_le(decode_stats(ctx)->sctp_peak_bytes, 8 * 1024 * 1024);
	ck_assert_int_eq(g.n, 0);
	decode_destroy(ctx);
}
END_TEST

static Suite *
decode_suite(void)
{
	Suite	*s = suite_create("decode");
	TCase	*tc = tcase_create("frames");

	tcase_add_test(tc, test_ethernet_ipv4_udp);
	tcase_add_test(tc, test_ethernet_padding_trimmed);
	tcase_add_test(tc, test_vlan_and_qinq);
	tcase_add_test(tc, test_vlan_too_deep);
	tcase_add_test(tc, test_sll_and_sll2);
	tcase_add_test(tc, test_null_both_byte_orders);
	tcase_add_test(tc, test_raw_ip_and_ipv6_ext);
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_bad_ipv4_fields);
	tcase_add_test(tc, test_unsupported_and_not_ip);
	tcase_add_test(tc, test_ipv4_reassembly);
	tcase_add_test(tc, test_ipv4_reassembly_caps);
	tcase_add_test(tc, test_ipv4_reassembly_beyond_end);
	tcase_add_test(tc, test_ipv6_reassembly);
	tcase_add_test(tc, test_pppoe);
	tcase_add_test(tc, test_ppp_link_types);
	tcase_add_test(tc, test_gre_ppp);
	tcase_add_test(tc, test_gtpu);
	tcase_add_test(tc, test_sctp_reassembly);
	tcase_add_test(tc, test_sctp_reassembly_caps);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(decode_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
