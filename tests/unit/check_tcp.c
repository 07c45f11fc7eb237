/*
 * check_tcp.c: TCP stream reassembly and SIP framing, WebSocket, TLS
 * recognition, tunnels (GRE, ERSPAN, VXLAN, MPLS) and SCTP, on hand-built
 * frames.  Every test asserts the exact messages handed on (count, bytes,
 * flags) and the events counted.
 */
#include "config.h"

#include <check.h>
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

#define MAXGOT	64

static const char msg1[] =
    "OPTIONS sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK776\r\n"
    "Content-Length: 0\r\n\r\n";
static const char msg2[] =
    "MESSAGE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK777\r\n"
    "l: 5\r\n\r\nhello";
static const char msg3[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK777\r\n"
    "Content-Length:   11\r\n\r\n0123456789X";

struct got {
	int		n;
	struct {
		uint8_t	 transport;
		uint8_t	 flags;
		uint16_t sport;
		uint16_t dport;
		uint8_t	 src0;		/* last byte of the source IPv4 */
		size_t	 len;
		char	 data[4096];
	} m[MAXGOT];
	int		keepalives;
};

static void
deliver(const struct decode_pkt *pkt, void *arg)
{
	struct got	*g = arg;

	if (pkt->len > 0 && (pkt->payload[0] == '\r' ||
	    pkt->payload[0] == '\n')) {
		g->keepalives++;
		return;
	}
	ck_assert_int_lt(g->n, MAXGOT);
	g->m[g->n].transport = pkt->transport;
	g->m[g->n].flags = pkt->flags;
	g->m[g->n].sport = pkt->src.port;
	g->m[g->n].dport = pkt->dst.port;
	g->m[g->n].src0 = pkt->src.ip[3];
	g->m[g->n].len = pkt->len;
	memcpy(g->m[g->n].data, pkt->payload, pkt->len < 4095 ? pkt->len : 4095);
	g->m[g->n].data[pkt->len < 4095 ? pkt->len : 4095] = '\0';
	g->n++;
}

/* Ethernet + IPv4 (192.0.2.A -> 192.0.2.B) + TCP with LEN bytes of DATA. */
static size_t
tcp_frame(uint8_t *f, int a, int b, uint16_t sport, uint16_t dport,
    uint32_t seq, uint8_t flags, const void *data, size_t len)
{
	uint8_t	*ip = f + 14, *th = f + 34;
	size_t	 total = 20 + 20 + len;

	memset(f, 0, 54);
	memset(f, 0xaa, 12);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 192; ip[13] = 0; ip[14] = 2; ip[15] = (uint8_t)a;
	ip[16] = 192; ip[17] = 0; ip[18] = 2; ip[19] = (uint8_t)b;
	th[0] = (uint8_t)(sport >> 8); th[1] = (uint8_t)sport;
	th[2] = (uint8_t)(dport >> 8); th[3] = (uint8_t)dport;
	th[4] = (uint8_t)(seq >> 24); th[5] = (uint8_t)(seq >> 16);
	th[6] = (uint8_t)(seq >> 8); th[7] = (uint8_t)seq;
	th[12] = 0x50;
	th[13] = flags;
	if (len > 0)
		memcpy(th + 20, data, len);
	return (14 + total);
}

#define FIN	0x01
#define SYN	0x02
#define RST	0x04
#define PSH	0x08
#define ACK	0x10

struct tc {
	struct decode_ctx	*ctx;
	struct got		 g;
	int64_t			 ts;
	uint8_t			 f[70000];
};

static struct tc *
tc_new(void)
{
	struct tc	*t = calloc(1, sizeof *t);

	t->ctx = decode_create();
	t->ts = 1000000000;
	return (t);
}

static void
tc_free(struct tc *t)
{
	decode_destroy(t->ctx);
	free(t);
}

/* Client 192.0.2.1:40000 -> server 192.0.2.2:5060 (DIR 0) or back (1). */
static int
seg(struct tc *t, int dir, uint32_t seq, uint8_t flags, const void *d,
    size_t len)
{
	size_t	n;

	if (dir == 0)
		n = tcp_frame(t->f, 1, 2, 40000, 5060, seq, flags, d, len);
	else
		n = tcp_frame(t->f, 2, 1, 5060, 40000, seq, flags, d, len);
	t->ts += 1000;
	return (decode_frame(t->ctx, DLT_EN10MB, t->ts, t->f, n, n, deliver,
	    &t->g));
}

static uint64_t
ev(struct tc *t, enum decode_event e)
{
	return (decode_stats(t->ctx)->events[e]);
}

/* SYN, SYN-ACK with ISNs 1000 (client) and 5000 (server). */
static void
handshake(struct tc *t)
{
	seg(t, 0, 1000, SYN, NULL, 0);
	seg(t, 1, 5000, SYN | ACK, NULL, 0);
	seg(t, 0, 1001, ACK, NULL, 0);
}

START_TEST(test_two_messages_one_segment)
{
	struct tc	*t = tc_new();
	char		 buf[1024];

	handshake(t);
	snprintf(buf, sizeof buf, "%s%s", msg1, msg2);
	ck_assert_int_eq(seg(t, 0, 1001, ACK | PSH, buf, strlen(buf)),
	    DECODE_DELIVERED);
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_str_eq(t->g.m[0].data, msg1);
	ck_assert_str_eq(t->g.m[1].data, msg2);
	ck_assert_int_eq(t->g.m[0].transport, DECODE_TP_TCP);
	ck_assert_int_eq(t->g.m[0].flags, 0);
	ck_assert_int_eq(t->g.m[1].flags, 0);
	ck_assert_int_eq(t->g.m[0].sport, 40000);
	ck_assert_int_eq(t->g.m[0].dport, 5060);
	/* And the answer the other way. */
	ck_assert_int_eq(seg(t, 1, 5001, ACK | PSH, msg3, strlen(msg3)),
	    DECODE_DELIVERED);
	ck_assert_int_eq(t->g.n, 3);
	ck_assert_str_eq(t->g.m[2].data, msg3);
	ck_assert_int_eq(t->g.m[2].sport, 5060);
	ck_assert_int_eq(decode_stats(t->ctx)->tcp_sip_streams, 1);
	ck_assert_int_eq(decode_stats(t->ctx)->tcp_messages, 3);
	tc_free(t);
}
END_TEST

START_TEST(test_message_across_segments)
{
	struct tc	*t = tc_new();
	size_t		 l = strlen(msg2), a = 10, b = 50;

	handshake(t);
	ck_assert_int_eq(seg(t, 0, 1001, ACK, msg2, a), DECODE_EV_TCP_PARTIAL);
	ck_assert_int_eq(seg(t, 0, 1001 + a, ACK, msg2 + a, b - a),
	    DECODE_EV_TCP_PARTIAL);
	ck_assert_int_eq(t->g.n, 0);
	/* The last segment also holds the next message. */
	{
		char buf[1024];

		snprintf(buf, sizeof buf, "%s%s", msg2 + b, msg1);
		ck_assert_int_eq(seg(t, 0, 1001 + b, ACK, buf, strlen(buf)),
		    DECODE_DELIVERED);
	}
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_str_eq(t->g.m[0].data, msg2);
	ck_assert_int_eq(t->g.m[0].len, l);
	ck_assert_int_eq(t->g.m[0].flags, DECODE_F_TCPREASM);
	ck_assert_str_eq(t->g.m[1].data, msg1);
	ck_assert_int_eq(t->g.m[1].flags, 0);
	ck_assert_int_eq(decode_stats(t->ctx)->tcp_reassembled, 1);
	tc_free(t);
}
END_TEST

START_TEST(test_one_byte_segments)
{
	struct tc	*t = tc_new();
	size_t		 i, l = strlen(msg3);

	handshake(t);
	for (i = 0; i < l; i++)
		seg(t, 1, 5001 + (uint32_t)i, ACK, msg3 + i, 1);
	ck_assert_int_eq(t->g.n, 1);
	ck_assert_str_eq(t->g.m[0].data, msg3);
	ck_assert_int_eq(t->g.m[0].flags, DECODE_F_TCPREASM);
	tc_free(t);
}
END_TEST

START_TEST(test_out_of_order)
{
	struct tc	*t = tc_new();
	size_t		 l = strlen(msg2);

	handshake(t);
	/* Third, first, second. */
	ck_assert_int_eq(seg(t, 0, 1001 + 60, ACK, msg2 + 60, l - 60),
	    DECODE_EV_TCP_OUT_OF_ORDER);
	seg(t, 0, 1001, ACK, msg2, 30);
	ck_assert_int_eq(t->g.n, 0);
	ck_assert_int_eq(seg(t, 0, 1001 + 30, ACK, msg2 + 30, 30),
	    DECODE_DELIVERED);
	ck_assert_int_eq(t->g.n, 1);
	ck_assert_str_eq(t->g.m[0].data, msg2);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_OUT_OF_ORDER), 1);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_GAP), 0);
	tc_free(t);
}
END_TEST

START_TEST(test_retransmission_and_overlap)
{
	struct tc	*t = tc_new();
	size_t		 l = strlen(msg1);
	char		 bad[512];

	handshake(t);
	seg(t, 0, 1001, ACK, msg1, l);
	ck_assert_int_eq(seg(t, 0, 1001, ACK, msg1, l),
	    DECODE_EV_TCP_RETRANSMISSION);
	ck_assert_int_eq(t->g.n, 1);
	/* Next message: a later piece held, then an overlapping one. */
	seg(t, 0, 1001 + (uint32_t)l + 40, ACK, msg2 + 40, 40);
	/* Overlaps the held piece with different bytes: first copy wins. */
	memcpy(bad, msg2, strlen(msg2));
	memset(bad + 40, 'Z', 20);
	seg(t, 0, 1001 + (uint32_t)l + 20, ACK, bad + 20, 40);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_OVERLAP_CONFLICT), 1);
	/* Fill: the start, overlapping what is delivered and what is held. */
	seg(t, 0, 1001 + (uint32_t)l - 5, ACK, bad, 0);
	{
		char buf[1024];

		memcpy(buf, msg1 + l - 5, 5);
		memcpy(buf + 5, msg2, 30);
		seg(t, 0, 1001 + (uint32_t)l - 5, ACK, buf, 35);
	}
	ck_assert_int_eq(t->g.n, 1);
	seg(t, 0, 1001 + (uint32_t)l + 80, ACK, msg2 + 80,
	    strlen(msg2) - 80);
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_str_eq(t->g.m[1].data, msg2);
	ck_assert_uint_ge(ev(t, DECODE_EV_TCP_OVERLAP), 1);
	tc_free(t);
}
END_TEST

START_TEST(test_keepalives)
{
	struct tc	*t = tc_new();
	char		 buf[1024];

	handshake(t);
	snprintf(buf, sizeof buf, "\r\n\r\n%s\r\n\r\n%s", msg1, msg1);
	seg(t, 0, 1001, ACK, buf, strlen(buf));
	seg(t, 1, 5001, ACK, "\r\n", 2);
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_int_eq(t->g.keepalives, 3);
	ck_assert_str_eq(t->g.m[1].data, msg1);
	tc_free(t);
}
END_TEST

START_TEST(test_midstream)
{
	struct tc	*t = tc_new();
	char		 buf[1024];

	/* No handshake: the capture starts inside a message body. */
	snprintf(buf, sizeof buf, "o=- 1 1 IN IP4 192.0.2.1\r\n"
	    "a=sendrecv\r\n%s", msg2);
	ck_assert_int_eq(seg(t, 0, 77777, ACK, buf, strlen(buf)),
	    DECODE_DELIVERED);
	ck_assert_int_eq(t->g.n, 1);
	ck_assert_str_eq(t->g.m[0].data, msg2);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_MIDSTREAM), 1);
	seg(t, 0, 77777 + (uint32_t)strlen(buf), ACK, msg1, strlen(msg1));
	ck_assert_int_eq(t->g.n, 2);
	tc_free(t);
}
END_TEST

START_TEST(test_gap)
{
	struct tc	*t = tc_new();
	size_t		 l1 = strlen(msg1), l2 = strlen(msg2);
	char		 buf[1024];

	handshake(t);
	seg(t, 0, 1001, ACK, msg2, l2);
	/* msg1's first 20 bytes never captured; its rest and msg3 arrive. */
	snprintf(buf, sizeof buf, "%s%s", msg1 + 20, msg3);
	seg(t, 0, 1001 + (uint32_t)(l2 + 20), ACK, buf, strlen(buf));
	ck_assert_int_eq(t->g.n, 1);
	/* The connection resets: the hole will never be filled. */
	seg(t, 1, 5001, RST, NULL, 0);
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_str_eq(t->g.m[1].data, msg3);
	ck_assert_int_eq(t->g.m[1].flags & DECODE_F_GAP, DECODE_F_GAP);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_GAP), 1);
	ck_assert_int_eq(decode_stats(t->ctx)->tcp_gap_bytes, 20);
	(void)l1;
	tc_free(t);
}
END_TEST

START_TEST(test_gap_by_time_and_flush)
{
	struct tc	*t = tc_new();
	size_t		 l1 = strlen(msg1);

	handshake(t);
	seg(t, 0, 1001 + (uint32_t)l1, ACK, msg2, strlen(msg2));
	ck_assert_int_eq(t->g.n, 0);
	/* End of input: what is behind the hole is handed on. */
	decode_flush(t->ctx, t->ts, deliver, &t->g);
	ck_assert_int_eq(t->g.n, 1);
	ck_assert_str_eq(t->g.m[0].data, msg2);
	ck_assert_int_eq(t->g.m[0].flags & DECODE_F_GAP, DECODE_F_GAP);
	tc_free(t);

	t = tc_new();
	handshake(t);
	seg(t, 0, 1001 + (uint32_t)l1, ACK, msg2, strlen(msg2));
	t->ts += 11 * 1000000LL;		/* TCP_HOLE_US is 10 s */
	seg(t, 1, 5001, ACK, NULL, 0);
	ck_assert_int_eq(t->g.n, 1);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_GAP), 1);
	tc_free(t);
}
END_TEST

START_TEST(test_no_content_length)
{
	struct tc	*t = tc_new();
	const char	 noclen[] = "NOTIFY sip:a@b SIP/2.0\r\nVia: x\r\n\r\nbody\r\n";
	char		 buf[1024];

	handshake(t);
	snprintf(buf, sizeof buf, "%s%s", noclen, msg1);
	seg(t, 0, 1001, ACK, buf, strlen(buf));
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_str_eq(t->g.m[0].data, noclen);
	ck_assert_str_eq(t->g.m[1].data, msg1);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_SIP_NO_CLEN), 1);
	tc_free(t);
}
END_TEST

START_TEST(test_garbage_between_messages)
{
	struct tc	*t = tc_new();
	char		 buf[1024];

	handshake(t);
	snprintf(buf, sizeof buf, "%sjunk junk\r\nmore junk\r\n%s", msg1, msg1);
	seg(t, 0, 1001, ACK, buf, strlen(buf));
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_SIP_RESYNC), 1);
	tc_free(t);
}
END_TEST

START_TEST(test_too_large)
{
	struct tc	*t = tc_new();
	static char	 body[1400];
	char		 hdr[256];
	uint32_t	 seq = 1001;
	size_t		 sent = 0, total = 300 * 1024;
	int		 i;

	handshake(t);
	snprintf(hdr, sizeof hdr, "MESSAGE sip:a@b SIP/2.0\r\n"
	    "Content-Length: %zu\r\n\r\n", total);
	seg(t, 0, seq, ACK, hdr, strlen(hdr));
	seq += (uint32_t)strlen(hdr);
	memset(body, 'x', sizeof body);
	for (i = 0; sent < total; i++) {
		size_t n = total - sent < sizeof body ? total - sent :
		    sizeof body;

		seg(t, 0, seq, ACK, body, n);
		seq += (uint32_t)n;
		sent += n;
	}
	ck_assert_int_eq(t->g.n, 1);
	ck_assert_int_eq(t->g.m[0].len, 256 * 1024);
	ck_assert_int_eq(t->g.m[0].flags & DECODE_F_TRUNC, DECODE_F_TRUNC);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_SIP_TOO_LARGE), 1);
	/* Framing continues after the skipped rest. */
	seg(t, 0, seq, ACK, msg1, strlen(msg1));
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_str_eq(t->g.m[1].data, msg1);
	tc_free(t);
}
END_TEST

START_TEST(test_tls_counted)
{
	struct tc	*t = tc_new();
	const uint8_t	 hello[] = { 0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0, 0,
	    1, 0 };
	const struct decode_stats *st;

	handshake(t);
	ck_assert_int_eq(seg(t, 0, 1001, ACK, hello, sizeof hello),
	    DECODE_EV_TLS_ENCRYPTED);
	ck_assert_int_eq(seg(t, 1, 5001, ACK, hello, sizeof hello),
	    DECODE_EV_TLS_ENCRYPTED);
	/* SIP-looking bytes inside a TLS connection are not SIP. */
	seg(t, 0, 1001 + sizeof hello, ACK, msg1, strlen(msg1));
	ck_assert_int_eq(t->g.n, 0);
	st = decode_stats(t->ctx);
	ck_assert_int_eq(st->tls_streams, 1);
	ck_assert_int_eq(st->ntls, 1);
	ck_assert_int_eq(st->tls[0].server.port, 5060);
	ck_assert_int_eq(st->tls[0].connections, 1);
	ck_assert_int_eq(st->tls[0].bytes, 2 * sizeof hello + strlen(msg1));
	tc_free(t);
}
END_TEST

START_TEST(test_not_sip_is_cheap)
{
	struct tc	*t = tc_new();
	const char	 get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

	handshake(t);
	ck_assert_int_eq(seg(t, 0, 1001, ACK, get, strlen(get)),
	    DECODE_EV_TCP_NOT_DECODED);
	ck_assert_int_eq(seg(t, 1, 5001, ACK, "HTTP/1.1 200 OK\r\n\r\n", 19),
	    DECODE_EV_TCP_NOT_DECODED);
	seg(t, 0, 1001 + strlen(get), ACK, msg1, strlen(msg1));
	ck_assert_int_eq(t->g.n, 0);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_NOT_DECODED), 3);
	tc_free(t);
}
END_TEST

/* A WebSocket frame with LEN payload bytes, masked with KEY if not NULL. */
static size_t
ws_frame(uint8_t *f, int fin, int op, const uint8_t *key, const void *d,
    size_t len)
{
	size_t	h = 2, i;

	f[0] = (uint8_t)((fin ? 0x80 : 0) | op);
	if (len < 126)
		f[1] = (uint8_t)len;
	else {
		f[1] = 126;
		f[2] = (uint8_t)(len >> 8);
		f[3] = (uint8_t)len;
		h = 4;
	}
	if (key != NULL) {
		f[1] |= 0x80;
		memcpy(f + h, key, 4);
		h += 4;
	}
	for (i = 0; i < len; i++)
		f[h + i] = ((const uint8_t *)d)[i] ^ (key ? key[i & 3] : 0);
	return (h + len);
}

START_TEST(test_websocket)
{
	struct tc	*t = tc_new();
	const char	 req[] = "GET / HTTP/1.1\r\nHost: x\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Protocol: sip\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n";
	const char	 resp[] = "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
	    "Sec-WebSocket-Protocol: sip\r\n\r\n";
	const uint8_t	 key[4] = { 0x12, 0x34, 0x56, 0x78 };
	uint8_t		 buf[4096];
	size_t		 n, h1;
	uint32_t	 cseq = 1001, sseq = 5001;

	handshake(t);
	seg(t, 0, cseq, ACK, req, strlen(req));
	cseq += (uint32_t)strlen(req);
	seg(t, 1, sseq, ACK, resp, strlen(resp));
	sseq += (uint32_t)strlen(resp);
	ck_assert_int_eq(t->g.n, 0);

	/* Masked client frame, a ping, then a message in two fragments. */
	n = ws_frame(buf, 1, 1, key, msg1, strlen(msg1));
	n += ws_frame(buf + n, 1, 9, key, "hi", 2);
	h1 = ws_frame(buf + n, 0, 1, key, msg2, 20);
	n += h1;
	n += ws_frame(buf + n, 1, 0, key, msg2 + 20, strlen(msg2) - 20);
	/* Split the frames across two segments mid-frame. */
	seg(t, 0, cseq, ACK, buf, 30);
	seg(t, 0, cseq + 30, ACK, buf + 30, n - 30);
	cseq += (uint32_t)n;
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_str_eq(t->g.m[0].data, msg1);
	ck_assert_int_eq(t->g.m[0].transport, DECODE_TP_WS);
	ck_assert_int_eq(t->g.m[0].flags, DECODE_F_TCPREASM);
	ck_assert_str_eq(t->g.m[1].data, msg2);
	ck_assert_int_eq(ev(t, DECODE_EV_WS_CONTROL), 1);

	/* Unmasked server frame with a 16-bit length. */
	n = ws_frame(buf, 1, 1, NULL, msg3, strlen(msg3));
	seg(t, 1, sseq, ACK, buf, n);
	ck_assert_int_eq(t->g.n, 3);
	ck_assert_str_eq(t->g.m[2].data, msg3);
	ck_assert_int_eq(t->g.m[2].flags, 0);
	ck_assert_int_eq(decode_stats(t->ctx)->ws_streams, 1);
	tc_free(t);
}
END_TEST

START_TEST(test_websocket_midstream)
{
	struct tc	*t = tc_new();
	const uint8_t	 key[4] = { 1, 2, 3, 4 };
	uint8_t		 buf[2048];
	size_t		 n;

	n = ws_frame(buf, 1, 2, key, msg1, strlen(msg1));
	seg(t, 0, 3333, ACK, buf, n);
	ck_assert_int_eq(t->g.n, 1);
	ck_assert_str_eq(t->g.m[0].data, msg1);
	ck_assert_int_eq(t->g.m[0].transport, DECODE_TP_WS);
	tc_free(t);
}
END_TEST

START_TEST(test_fin_frees)
{
	struct tc	*t = tc_new();
	size_t		 l = strlen(msg1);

	handshake(t);
	seg(t, 0, 1001, ACK | FIN, msg1, l);
	seg(t, 1, 5001, ACK | FIN, NULL, 0);
	ck_assert_int_eq(t->g.n, 1);
	/* The same ports again: a new connection, new sequence numbers. */
	seg(t, 0, 9000, SYN, NULL, 0);
	seg(t, 0, 9001, ACK, msg1, l);
	ck_assert_int_eq(t->g.n, 2);
	ck_assert_int_eq(decode_stats(t->ctx)->tcp_streams, 2);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_RETRANSMISSION), 0);
	tc_free(t);
}
END_TEST

START_TEST(test_stream_cap_and_timeout)
{
	struct tc	*t = tc_new();
	const struct decode_stats *st;
	size_t		 n;
	int		 i;

	/* 20000 connections, each holding half a message. */
	for (i = 0; i < 20000; i++) {
		n = tcp_frame(t->f, 1, 2, (uint16_t)(1024 + i), 5060, 1,
		    ACK, msg1, 20);
		t->ts += 10;
		decode_frame(t->ctx, DLT_EN10MB, t->ts, t->f, n, n, deliver,
		    &t->g);
	}
	st = decode_stats(t->ctx);
	ck_assert_int_eq(st->tcp_streams, 20000);
	ck_assert_int_eq(st->tcp_peak_streams, 16384);
	ck_assert_int_eq(st->events[DECODE_EV_TCP_EVICTED], 20000 - 16384);
	/* 61 s later every one of them times out. */
	t->ts += 61 * 1000000LL;
	n = tcp_frame(t->f, 7, 8, 1, 2, 1, ACK, "x", 1);
	decode_frame(t->ctx, DLT_EN10MB, t->ts, t->f, n, n, deliver, &t->g);
	ck_assert_int_eq(st->events[DECODE_EV_TCP_TIMEOUT], 16384);
	ck_assert_int_eq(t->g.n, 0);
	tc_free(t);
}
END_TEST

START_TEST(test_out_of_order_cap)
{
	struct tc	*t = tc_new();
	int		 i;

	handshake(t);
	/* 300 held segments after a hole: the cap (256) declares the gap. */
	for (i = 0; i < 300; i++)
		seg(t, 0, 2001 + (uint32_t)i * 100, ACK, msg1, 100);
	ck_assert_int_eq(ev(t, DECODE_EV_TCP_GAP), 1);
	ck_assert_uint_le(ev(t, DECODE_EV_TCP_OUT_OF_ORDER), 300);
	tc_free(t);
}
END_TEST

/* IPv4/UDP 192.0.2.A:5060 -> 192.0.2.B:5060 with a SIP payload at P. */
static size_t
ipv4_udp(uint8_t *p, int a, int b, uint16_t dport, const void *d, size_t len)
{
	size_t	total = 28 + len;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[2] = (uint8_t)(total >> 8);
	p[3] = (uint8_t)total;
	p[8] = 64;
	p[9] = 17;
	p[12] = 10; p[15] = (uint8_t)a;
	p[16] = 10; p[19] = (uint8_t)b;
	p[20] = 0x13; p[21] = 0xc4;
	p[22] = (uint8_t)(dport >> 8); p[23] = (uint8_t)dport;
	p[24] = (uint8_t)((8 + len) >> 8);
	p[25] = (uint8_t)(8 + len);
	memcpy(p + 28, d, len);
	return (total);
}

/* Outer Ethernet + IPv4 carrying PROTO, body built by the caller. */
static size_t
outer(uint8_t *f, int proto, size_t body)
{
	size_t	total = 20 + body;

	memset(f, 0xbb, 12);
	f[12] = 0x08; f[13] = 0;
	memset(f + 14, 0, 20);
	f[14] = 0x45;
	f[16] = (uint8_t)(total >> 8);
	f[17] = (uint8_t)total;
	f[22] = 64;
	f[23] = (uint8_t)proto;
	f[26] = 172; f[29] = 1;
	f[30] = 172; f[33] = 2;
	return (14 + total);
}

static size_t
inner_eth(uint8_t *p, const void *d, size_t len)
{
	memset(p, 0xcc, 12);
	p[12] = 0x08; p[13] = 0;
	return (14 + ipv4_udp(p + 14, 5, 6, 5060, d, len));
}

START_TEST(test_tunnels)
{
	struct tc	*t = tc_new();
	uint8_t		*f = t->f, *g = f + 34;
	size_t		 n, b;
	int		 r;

	/* GRE carrying IPv4. */
	g[0] = 0; g[1] = 0; g[2] = 0x08; g[3] = 0;
	b = 4 + ipv4_udp(g + 4, 5, 6, 5060, msg1, strlen(msg1));
	n = outer(f, 47, b);
	r = decode_frame(t->ctx, DLT_EN10MB, 1, f, n, n, deliver, &t->g);
	ck_assert_int_eq(r, DECODE_DELIVERED);
	ck_assert_int_eq(t->g.m[0].src0, 5);

	/* GRE + ERSPAN II (sequence bit set). */
	memset(g, 0, 16);
	g[0] = 0x10; g[2] = 0x88; g[3] = 0xbe;
	g[8] = 0x10;				/* ERSPAN version 1 */
	b = 16 + inner_eth(g + 16, msg1, strlen(msg1));
	n = outer(f, 47, b);
	ck_assert_int_eq(decode_frame(t->ctx, DLT_EN10MB, 2, f, n, n, deliver,
	    &t->g), DECODE_DELIVERED);

	/* GRE + ERSPAN III with its optional subheader. */
	memset(g, 0, 28);
	g[0] = 0x10; g[2] = 0x22; g[3] = 0xeb;
	g[8] = 0x20;				/* ERSPAN version 2 */
	g[19] = 0x01;				/* O: subheader follows */
	b = 28 + inner_eth(g + 28, msg1, strlen(msg1));
	n = outer(f, 47, b);
	ck_assert_int_eq(decode_frame(t->ctx, DLT_EN10MB, 3, f, n, n, deliver,
	    &t->g), DECODE_DELIVERED);

	/* VXLAN. */
	{
		uint8_t	 vx[2048];
		size_t	 vl;

		memset(vx, 0, 8);
		vx[0] = 0x08;
		vx[6] = 0x2a;
		vl = 8 + inner_eth(vx + 8, msg1, strlen(msg1));
		n = 14 + ipv4_udp(f + 14, 1, 2, 4789, vx, vl);
		memset(f, 0xbb, 12);
		f[12] = 0x08; f[13] = 0;
		ck_assert_int_eq(decode_frame(t->ctx, DLT_EN10MB, 4, f, n, n,
		    deliver, &t->g), DECODE_DELIVERED);
	}

	/* MPLS, two labels, IPv4. */
	memset(f, 0xbb, 12);
	f[12] = 0x88; f[13] = 0x47;
	memset(f + 14, 0, 8);
	f[16] = 0x00; f[17] = 0x40;		/* label 1, TTL 64 */
	f[20] = 0x01; f[21] = 0x40;		/* bottom of stack */
	n = 22 + ipv4_udp(f + 22, 5, 6, 5060, msg1, strlen(msg1));
	ck_assert_int_eq(decode_frame(t->ctx, DLT_EN10MB, 5, f, n, n, deliver,
	    &t->g), DECODE_DELIVERED);

	ck_assert_int_eq(t->g.n, 5);
	for (r = 0; r < 5; r++) {
		ck_assert_str_eq(t->g.m[r].data, msg1);
		ck_assert_int_eq(t->g.m[r].src0, 5);
		ck_assert_int_eq(t->g.m[r].transport, DECODE_TP_UDP);
	}

	/* Every truncation of the ERSPAN III frame: never a payload. */
	memset(g, 0, 28);
	g[0] = 0x10; g[2] = 0x22; g[3] = 0xeb;
	g[8] = 0x20;
	b = 28 + inner_eth(g + 28, msg1, strlen(msg1));
	n = outer(f, 47, b);
	for (b = 0; b < n; b++)
		decode_frame(t->ctx, DLT_EN10MB, 6, f, b, b, deliver, &t->g);
	ck_assert_int_eq(t->g.n, 5);
	tc_free(t);
}
END_TEST

START_TEST(test_sctp)
{
	struct tc	*t = tc_new();
	uint8_t		*f = t->f, *s = f + 34;
	size_t		 l = strlen(msg1), cl = 16 + l, n, b;

	memset(s, 0, 12);
	s[0] = 0x13; s[1] = 0xc4; s[2] = 0x13; s[3] = 0xc4;
	/* Two bundled DATA chunks: a whole message, then a fragment. */
	b = 12;
	memset(s + b, 0, 16);
	s[b] = 0; s[b + 1] = 0x03;
	s[b + 2] = (uint8_t)(cl >> 8); s[b + 3] = (uint8_t)cl;
	memcpy(s + b + 16, msg1, l);
	b += (cl + 3) & ~(size_t)3;
	memset(s + b, 0, 16);
	s[b] = 0; s[b + 1] = 0x02;
	s[b + 2] = (uint8_t)(cl >> 8); s[b + 3] = (uint8_t)cl;
	memcpy(s + b + 16, msg1, l);
	b += cl;
	n = outer(f, 132, b);
	ck_assert_int_eq(decode_frame(t->ctx, DLT_EN10MB, 1, f, n, n, deliver,
	    &t->g), DECODE_DELIVERED);
	ck_assert_int_eq(t->g.n, 1);
	ck_assert_str_eq(t->g.m[0].data, msg1);
	ck_assert_int_eq(t->g.m[0].transport, DECODE_TP_SCTP);
	ck_assert_int_eq(ev(t, DECODE_EV_SCTP_FRAGMENTED), 1);
	for (b = 0; b < n; b++)
		decode_frame(t->ctx, DLT_EN10MB, 2, f, b, b, deliver, &t->g);
	tc_free(t);
}
END_TEST

/* Random segments on a few connections: never a crash, bounded memory. */
START_TEST(test_random_segments)
{
	struct tc	*t = tc_new();
	uint8_t		 d[1500];
	uint32_t	 x = 12345;
	size_t		 len, j;
	int		 i;

	for (i = 0; i < 200000; i++) {
		x = x * 1103515245 + 12345;
		len = (x >> 8) % 1400;
		for (j = 0; j < len; j++) {
			x = x * 1103515245 + 12345;
			d[j] = "INVITE sip:a SIP/2.0\r\nl: 3\r\n\r\nabc\x81\x16\x03"
			    [(x >> 16) % 36];
		}
		x = x * 1103515245 + 12345;
		seg(t, (x >> 3) & 1, (x >> 4) & 0xffff,
		    (uint8_t)((x >> 20) & 0x17), d, len);
	}
	tc_free(t);
}
END_TEST

static Suite *
tcp_suite(void)
{
	Suite	*s = suite_create("tcp");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_two_messages_one_segment);
	tcase_add_test(tc, test_message_across_segments);
	tcase_add_test(tc, test_one_byte_segments);
	tcase_add_test(tc, test_out_of_order);
	tcase_add_test(tc, test_retransmission_and_overlap);
	tcase_add_test(tc, test_keepalives);
	tcase_add_test(tc, test_midstream);
	tcase_add_test(tc, test_gap);
	tcase_add_test(tc, test_gap_by_time_and_flush);
	tcase_add_test(tc, test_no_content_length);
	tcase_add_test(tc, test_garbage_between_messages);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_tls_counted);
	tcase_add_test(tc, test_not_sip_is_cheap);
	tcase_add_test(tc, test_websocket);
	tcase_add_test(tc, test_websocket_midstream);
	tcase_add_test(tc, test_fin_frees);
	tcase_add_test(tc, test_stream_cap_and_timeout);
	tcase_add_test(tc, test_out_of_order_cap);
	tcase_add_test(tc, test_tunnels);
	tcase_add_test(tc, test_sctp);
	tcase_add_test(tc, test_random_segments);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(tcp_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
