/*
 * check_decode.c: link/IP/UDP decoding on hand-built frames, including
 * every truncation of a valid frame and malformed length fields.
 */
#include "config.h"

#include <check.h>
#include <pcap/dlt.h>
#include <stdint.h>
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
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL), -1);
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
	ck_assert_int_eq(run(DLT_EN10MB, f, 60, 60, &g, NULL), -1);
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
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL), -1);
	ck_assert_int_eq(g.last.nvlan, 1);
	ck_assert_int_eq(g.last.vlan[0], 100);

	n = put_eth(f, tags, 2, 0x0800);
	n += put_ipv4_udp(f + n, sip_payload, strlen(sip_payload), 5060, 5060);
	ck_assert_int_eq(run(DLT_EN10MB, f, n, n, &g, NULL), -1);
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
	ck_assert_int_eq(run(DLT_LINUX_SLL, f, n, n, &g, NULL), -1);
	ck_assert_int_eq(g.n, 1);

	memset(f, 0, 20);
	f[0] = 0x86; f[1] = 0xdd;
	n = 20 + put_ipv6_udp(f + 20, sip_payload, strlen(sip_payload), 0);
	ck_assert_int_eq(run(DLT_LINUX_SLL2, f, n, n, &g, NULL), -1);
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
	ck_assert_int_eq(run(DLT_NULL, f, n, n, &g, NULL), -1);
	f[0] = 0; f[1] = 0; f[2] = 0; f[3] = 30;	/* big-endian AF_INET6 (Darwin) */
	n = 4 + put_ipv6_udp(f + 4, sip_payload, strlen(sip_payload), 0);
	ck_assert_int_eq(run(DLT_LOOP, f, n, n, &g, NULL), -1);
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
	ck_assert_int_eq(run(DLT_RAW, f, n, n, &g, NULL), -1);
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
	ck_assert_int_eq(feed(ctx, 2, f1, 48 + first, &g), -1);
	ck_assert_int_eq(g.n, 1);
	ck_assert_mem_eq(g.payload, sip_payload, strlen(sip_payload));
	ck_assert_int_eq(g.last.src.family, 6);
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
