/*
 * check_hep.c: HEP encoding and decoding (v3 chunks, v1/v2 headers),
 * every rejection reason, TCP framing, URL parsing; the collector's
 * de-duplication across agents and its counters over real loopback
 * sockets; the sender into the collector.
 */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "decode/decode.h"
#include "hep/hep.h"
#include "metrics/metrics.h"
#include "sip/sip.h"
#include "stats/stats.h"
#include "track/track.h"

#include "fixtures.h"

static size_t
encode(uint8_t *buf, size_t cap, const struct sw_addr *src,
    const struct sw_addr *dst, int64_t ts, const char *auth,
    const char *payload)
{
	struct hep_encode_in	in;

	memset(&in, 0, sizeof in);
	in.src = src;
	in.dst = dst;
	in.ip_proto = HEP_IPPROTO_UDP;
	in.ts_us = ts;
	in.capture_id = 2001;
	in.auth = auth;
	in.auth_len = auth != NULL ? strlen(auth) : 0;
	in.correlation = (const uint8_t *)"c1@192.0.2.1";
	in.correlation_len = 12;
	in.payload = (const uint8_t *)payload;
	in.len = strlen(payload);
	return (hep_encode(&in, buf, cap));
}

START_TEST(test_roundtrip_v4)
{
	struct sw_addr	src, dst;
	struct hep_msg	m;
	uint8_t		buf[2048];
	size_t		n;

	fixture_addr(&src, "192.0.2.1:5060");
	fixture_addr(&dst, "192.0.2.2:5080");
	n = encode(buf, sizeof buf, &src, &dst, 1700000000123456LL, "secret",
	    fixture_invite);
	ck_assert_uint_gt(n, strlen(fixture_invite));
	/* Header: "HEP3" and the total length, network order. */
	ck_assert(memcmp(buf, "HEP3", 4) == 0);
	ck_assert_uint_eq(((size_t)buf[4] << 8) | buf[5], n);
	ck_assert_int_eq(hep_frame_length(buf, n), (long)n);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_OK);
	ck_assert_int_eq(m.version, 3);
	ck_assert_int_eq(sw_addr_cmp(&m.src, &src), 0);
	ck_assert_int_eq(sw_addr_cmp(&m.dst, &dst), 0);
	ck_assert_int_eq(m.ip_proto, 17);
	ck_assert_int_eq(m.ts_us, 1700000000123456LL);
	ck_assert_int_eq(m.proto_type, HEP_PROTO_SIP);
	ck_assert_int_eq(m.has_capture_id, 1);
	ck_assert_uint_eq(m.capture_id, 2001);
	ck_assert_uint_eq(m.auth_len, 6);
	ck_assert(memcmp(m.auth, "secret", 6) == 0);
	ck_assert_uint_eq(m.correlation_len, 12);
	ck_assert(memcmp(m.correlation, "c1@192.0.2.1", 12) == 0);
	ck_assert_uint_eq(m.len, strlen(fixture_invite));
	ck_assert(memcmp(m.payload, fixture_invite, m.len) == 0);
	ck_assert_uint_eq(m.unknown_chunks, 0);
	/* Too small a buffer: nothing written. */
	ck_assert_uint_eq(encode(buf, n - 1, &src, &dst, 1, "secret",
	    fixture_invite), 0);
}
END_TEST

/*
 * RTCP as HOMER's agents send it: protocol type 5 and a JSON payload with
 * heplify's field names (SR sender info, report blocks with the signed
 * cumulative loss, XR VoIP metrics, SDES SSRC); nothing for a compound
 * without a report, and nothing read past a length that lies.
 */
START_TEST(test_rtcp_json)
{
	static const uint8_t	 sr[] = {
		/* SR, one block: SSRC 0x11223344 */
		0x81, 200, 0x00, 0x0c, 0x11, 0x22, 0x33, 0x44,
		0xee, 0xc0, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00,	/* NTP */
		0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x01, 0xf4,	/* ts, 500 */
		0x00, 0x01, 0x38, 0x80,				/* 80000 */
		0x55, 0x66, 0x77, 0x88, 0x40, 0xff, 0xff, 0xfe,	/* -2 */
		0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20,
		0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x00, 0x00,
		/* SDES: one chunk, CNAME "a", end */
		0x81, 202, 0x00, 0x02, 0x11, 0x22, 0x33, 0x44,
		0x01, 0x01, 'a', 0x00,
		/* XR, VoIP metrics about 0x55667788 */
		0x80, 207, 0x00, 0x0a, 0x11, 0x22, 0x33, 0x44,
		0x07, 0x00, 0x00, 0x08, 0x55, 0x66, 0x77, 0x88,
		0x0c, 0x02, 0x03, 0x04, 0x00, 0x10, 0x00, 0x20,
		0x00, 0x30, 0x00, 0x40, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t	 bye[] = { 0x81, 203, 0x00, 0x01, 1, 2, 3, 4 };
	struct hep_encode_in	 in;
	struct hep_msg		 m;
	struct sw_addr		 src, dst;
	json_t			*o, *b;
	json_error_t		 jerr;
	uint8_t			 buf[2048], cut[sizeof sr];
	char			*text;
	size_t			 n, i;

	ck_assert_ptr_nonnull(text = hep_rtcp_json(sr, sizeof sr));
	ck_assert_ptr_nonnull(o = json_loads(text, 0, &jerr));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "ssrc")),
	    0x11223344);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "type")), 200);
	ck_assert_int_eq(json_integer_value(json_object_get(o,
	    "report_count")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(o,
	    "sdes_ssrc")), 0x11223344);
	b = json_object_get(o, "sender_information");
	ck_assert_int_eq(json_integer_value(json_object_get(b, "packets")),
	    500);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "octets")),
	    80000);
	ck_assert_uint_eq(json_array_size(json_object_get(o,
	    "report_blocks")), 1);
	b = json_array_get(json_object_get(o, "report_blocks"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(b,
	    "source_ssrc")), 0x55667788);
	ck_assert_int_eq(json_integer_value(json_object_get(b,
	    "fraction_lost")), 64);
	ck_assert_int_eq(json_integer_value(json_object_get(b,
	    "packets_lost")), -2);
	ck_assert_int_eq(json_integer_value(json_object_get(b,
	    "highest_seq_no")), 0x10010);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "ia_jitter")),
	    32);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "dlsr")),
	    65536);
	b = json_object_get(o, "report_blocks_xr");
	ck_assert_int_eq(json_integer_value(json_object_get(b, "type")), 7);
	ck_assert_int_eq(json_integer_value(json_object_get(b,
	    "fraction_lost")), 12);
	ck_assert_int_eq(json_integer_value(json_object_get(b,
	    "round_trip_delay")), 48);
	ck_assert_int_eq(json_integer_value(json_object_get(b,
	    "end_system_delay")), 64);
	json_decref(o);

	/* Protocol type 5 with the JSON as payload. */
	fixture_addr(&src, "192.0.2.1:4001");
	fixture_addr(&dst, "192.0.2.2:6001");
	memset(&in, 0, sizeof in);
	in.src = &src;
	in.dst = &dst;
	in.ip_proto = HEP_IPPROTO_UDP;
	in.ts_us = 1700000000000000LL;
	in.proto_type = HEP_PROTO_RTCP;
	in.correlation = (const uint8_t *)"c1";
	in.correlation_len = 2;
	in.payload = (const uint8_t *)text;
	in.len = strlen(text);
	ck_assert_uint_gt(n = hep_encode(&in, buf, sizeof buf), 0);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_NOT_SIP);
	ck_assert_int_eq(m.proto_type, HEP_PROTO_RTCP);
	ck_assert_uint_eq(m.correlation_len, 2);
	ck_assert_uint_eq(m.len, strlen(text));
	free(text);

	/* No report: nothing to send. */
	ck_assert_ptr_null(hep_rtcp_json(bye, sizeof bye));
	/* Every cut of the compound: no read past it (ASan), and a report
	 * only once the first SR is whole. */
	for (i = 0; i < sizeof sr; i++) {
		memcpy(cut, sr, i);
		text = hep_rtcp_json(cut, i);
		if (i < 52)
			ck_assert_ptr_null(text);
		free(text);
	}
}
END_TEST

START_TEST(test_roundtrip_v6)
{
	struct sw_addr	src, dst;
	struct hep_msg	m;
	uint8_t		buf[2048];
	size_t		n;

	fixture_addr(&src, "[2001:db8::1]:5060");
	fixture_addr(&dst, "[2001:db8::2]:5060");
	n = encode(buf, sizeof buf, &src, &dst, 5, NULL, fixture_invite);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_OK);
	ck_assert_int_eq(m.src.family, 6);
	ck_assert_int_eq(sw_addr_cmp(&m.src, &src), 0);
	ck_assert_int_eq(sw_addr_cmp(&m.dst, &dst), 0);
	ck_assert_int_eq(m.ts_us, 5);
	ck_assert_ptr_null(m.auth);
	/* Mixed families are refused. */
	fixture_addr(&dst, "192.0.2.2:5060");
	ck_assert_uint_eq(encode(buf, sizeof buf, &src, &dst, 5, NULL,
	    fixture_invite), 0);
}
END_TEST

/* A HEPv3 packet from chunks given as (type, bytes, len) triples. */
struct chunk {
	uint16_t	vendor;
	uint16_t	type;
	const void	*val;
	size_t		len;
};

static size_t
build(uint8_t *buf, const struct chunk *c, unsigned n)
{
	size_t		off = 6;
	unsigned	i;

	memcpy(buf, "HEP3", 4);
	for (i = 0; i < n; i++) {
		buf[off] = (uint8_t)(c[i].vendor >> 8);
		buf[off + 1] = (uint8_t)c[i].vendor;
		buf[off + 2] = (uint8_t)(c[i].type >> 8);
		buf[off + 3] = (uint8_t)c[i].type;
		buf[off + 4] = (uint8_t)((c[i].len + 6) >> 8);
		buf[off + 5] = (uint8_t)(c[i].len + 6);
		memcpy(buf + off + 6, c[i].val, c[i].len);
		off += 6 + c[i].len;
	}
	buf[4] = (uint8_t)(off >> 8);
	buf[5] = (uint8_t)off;
	return (off);
}

START_TEST(test_decode_errors)
{
	static const uint8_t	fam4 = 2, fam9 = 9, sip = 1, rtcp = 5;
	static const uint8_t	ip4a[4] = { 192, 0, 2, 1 };
	static const uint8_t	ip4b[4] = { 192, 0, 2, 2 };
	static const uint8_t	ip6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const uint8_t	zero[4] = { 0 };
	struct hep_msg		m;
	uint8_t			buf[1024];
	size_t			n;

	struct chunk good[] = {
		{ 0, HEP_CHUNK_FAMILY, &fam4, 1 },
		{ 0, HEP_CHUNK_SRC4, ip4a, 4 },
		{ 0, HEP_CHUNK_DST4, ip4b, 4 },
		{ 0x1234, 0x0042, zero, 4 },		/* vendor chunk: skipped */
		{ 0, 0x0099, zero, 2 },			/* unknown type: skipped */
		{ 0, HEP_CHUNK_PROTO_TYPE, &sip, 1 },
		{ 0, HEP_CHUNK_PAYLOAD, fixture_invite, sizeof fixture_invite - 1 },
	};
	n = build(buf, good, 7);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_OK);
	ck_assert_uint_eq(m.unknown_chunks, 2);
	ck_assert_int_eq(m.ts_us, 0);
	ck_assert_int_eq(m.has_capture_id, 0);

	/* Shorter than any header; not HEP. */
	ck_assert_int_eq(hep_decode(buf, 3, &m), HEP_ERR_TRUNCATED);
	ck_assert_int_eq(hep_decode((const uint8_t *)"HEP4xxxx", 8, &m),
	    HEP_ERR_BAD_VERSION);
	ck_assert_int_eq(hep_decode((const uint8_t *)"HEP3", 4, &m),
	    HEP_ERR_TRUNCATED);
	/* Length field disagrees with the datagram. */
	ck_assert_int_eq(hep_decode(buf, n - 1, &m), HEP_ERR_BAD_LENGTH);
	buf[5]++;
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_BAD_LENGTH);
	buf[5]--;
	/* A chunk longer than what is left, or shorter than its header. */
	buf[6 + 4] = 0xff;
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_BAD_CHUNK);
	buf[6 + 4] = 0;
	buf[6 + 5] = 5;
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_BAD_CHUNK);
	buf[6 + 5] = 7;
	/* Trailing bytes that are not a whole chunk header. */
	buf[n] = 0;
	buf[n + 1] = 0;
	buf[4] = (uint8_t)((n + 2) >> 8);
	buf[5] = (uint8_t)(n + 2);
	ck_assert_int_eq(hep_decode(buf, n + 2, &m), HEP_ERR_BAD_CHUNK);

	good[0].val = &fam9;
	n = build(buf, good, 7);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_BAD_FAMILY);
	good[0].val = &fam4;
	good[1].val = ip6;
	good[1].len = 16;
	n = build(buf, good, 7);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_NO_ADDRESS);
	good[1].val = ip4a;
	good[1].len = 4;
	n = build(buf, good, 2);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_NO_ADDRESS);
	n = build(buf, good, 6);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_NO_PAYLOAD);
	good[6].type = HEP_CHUNK_PAYLOAD_Z;
	n = build(buf, good, 7);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_COMPRESSED);
	good[6].type = HEP_CHUNK_PAYLOAD;
	good[5].val = &rtcp;
	n = build(buf, good, 7);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_NOT_SIP);
	ck_assert_uint_eq(m.len, sizeof fixture_invite - 1);
	/* An integer chunk of the wrong size. */
	good[5].val = zero;
	good[5].len = 2;
	n = build(buf, good, 7);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_BAD_CHUNK);

	ck_assert_str_eq(hep_error_name(HEP_ERR_NOT_SIP), "hep.not_sip");
	ck_assert_str_eq(hep_error_name(HEP_ERR_COUNT), "?");
}
END_TEST

/* HEPv2 as Kamailio's siptrace writes it: times in host (x86) order. */
START_TEST(test_decode_v2)
{
	struct hep_msg	m;
	uint8_t		buf[1024];
	size_t		n = 0;
	uint32_t	sec = 1700000000, usec = 654321;

	buf[n++] = 2;		/* version */
	buf[n++] = 16;		/* header length */
	buf[n++] = 2;		/* AF_INET */
	buf[n++] = 17;		/* UDP */
	buf[n++] = 0x13;	/* 5060 */
	buf[n++] = 0xc4;
	buf[n++] = 0x13;	/* 5070 */
	buf[n++] = 0xce;
	memcpy(buf + n, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);
	n += 8;
	buf[n++] = (uint8_t)sec;
	buf[n++] = (uint8_t)(sec >> 8);
	buf[n++] = (uint8_t)(sec >> 16);
	buf[n++] = (uint8_t)(sec >> 24);
	buf[n++] = (uint8_t)usec;
	buf[n++] = (uint8_t)(usec >> 8);
	buf[n++] = (uint8_t)(usec >> 16);
	buf[n++] = (uint8_t)(usec >> 24);
	buf[n++] = 7;		/* capture id 7 */
	buf[n++] = 0;
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_NO_PAYLOAD);
	memcpy(buf + n, fixture_invite, sizeof fixture_invite - 1);
	n += sizeof fixture_invite - 1;
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_OK);
	ck_assert_int_eq(m.version, 2);
	ck_assert_int_eq(m.src.port, 5060);
	ck_assert_int_eq(m.dst.port, 5070);
	ck_assert_int_eq(m.src.ip[3], 1);
	ck_assert_int_eq(m.dst.ip[3], 2);
	ck_assert_int_eq(m.ts_us, 1700000000654321LL);
	ck_assert_uint_eq(m.capture_id, 7);
	ck_assert_uint_eq(m.len, sizeof fixture_invite - 1);
	ck_assert(memcmp(m.payload, "INVITE ", 7) == 0);
	/* Kamailio's layout: the time header padded to 12 bytes. */
	memmove(buf + 28, buf + 26, n - 26);
	buf[26] = buf[27] = 0;
	ck_assert_int_eq(hep_decode(buf, n + 2, &m), HEP_OK);
	ck_assert_uint_eq(m.len, sizeof fixture_invite - 1);
	ck_assert(memcmp(m.payload, "INVITE ", 7) == 0);
	memmove(buf + 26, buf + 28, n - 26);
	/* v1: no time, no capture id. */
	buf[0] = 1;
	ck_assert_int_eq(hep_decode(buf, 16, &m), HEP_ERR_NO_PAYLOAD);
	ck_assert_int_eq(hep_decode(buf, 12, &m), HEP_ERR_TRUNCATED);
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_OK);
	ck_assert_int_eq(m.ts_us, 0);
	ck_assert_int_eq(m.has_capture_id, 0);
	ck_assert_uint_eq(m.len, n - 16);
	buf[2] = 7;
	ck_assert_int_eq(hep_decode(buf, n, &m), HEP_ERR_BAD_FAMILY);
}
END_TEST

START_TEST(test_frame_and_url)
{
	char	*host, *port, *cause;
	int	 tcp;

	ck_assert_int_eq(hep_frame_length((const uint8_t *)"HE", 2), 0);
	ck_assert_int_eq(hep_frame_length((const uint8_t *)"HEP3\x00", 5), 0);
	ck_assert_int_eq(hep_frame_length((const uint8_t *)"HEP3\x01\x00", 6),
	    256);
	ck_assert_int_eq(hep_frame_length((const uint8_t *)"HEP3\x00\x02", 6),
	    -1);
	ck_assert_int_eq(hep_frame_length((const uint8_t *)"GET /", 5), -1);

	ck_assert_int_eq(hep_url_parse("udp://127.0.0.1:9060", &tcp, &host,
	    &port, &cause), 0);
	ck_assert_int_eq(tcp, 0);
	ck_assert_str_eq(host, "127.0.0.1");
	ck_assert_str_eq(port, "9060");
	free(host);
	free(port);
	ck_assert_int_eq(hep_url_parse("tcp://[::1]:9061", &tcp, &host,
	    &port, &cause), 0);
	ck_assert_int_eq(tcp, 1);
	ck_assert_str_eq(host, "::1");
	free(host);
	free(port);
	ck_assert_int_eq(hep_url_parse("udp:10.0.0.1:9060", &tcp, &host,
	    &port, &cause), 0);
	free(host);
	free(port);
	ck_assert_int_eq(hep_url_parse("http://x:1", &tcp, &host, &port,
	    &cause), -1);
	free(cause);
	ck_assert_int_eq(hep_url_parse("udp://x:70000", &tcp, &host, &port,
	    &cause), -1);
	free(cause);
	ck_assert_int_eq(hep_url_parse("udp://x", &tcp, &host, &port,
	    &cause), -1);
	free(cause);
}
END_TEST

/* The collector, on loopback: what it delivers. */
struct got {
	int		n;
	int64_t		ts[16];
	char		agent[16][64];
	struct sw_addr	src[16];
	size_t		len[16];
};

static struct hep_listener	*cur_listener;

static void
deliver(const struct decode_pkt *p, void *arg)
{
	struct got		*g = arg;
	const struct hep_agent	*a;

	ck_assert_int_lt(g->n, 16);
	a = hep_listener_current_agent(cur_listener);
	ck_assert_ptr_nonnull(a);
	hep_agent_format(a, g->agent[g->n], sizeof g->agent[g->n]);
	g->ts[g->n] = p->ts_us;
	g->src[g->n] = p->src;
	g->len[g->n] = p->len;
	ck_assert_int_eq(p->dlt, -1);
	g->n++;
}

static int
udp_from(const char *ip)
{
	struct sockaddr_in	sin;
	int			fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, ip, &sin.sin_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	return (fd);
}

static void
udp_send(int fd, int port, const uint8_t *buf, size_t len)
{
	struct sockaddr_in	sin;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	ck_assert_int_eq(sendto(fd, buf, len, 0, (struct sockaddr *)&sin,
	    sizeof sin), (ssize_t)len);
}

/* Read until COUNT packets came (loopback delivers at once). */
static void
drain(struct hep_listener *l, struct got *g, unsigned count)
{
	struct pollfd	pfd[4];
	unsigned	got = 0, tries = 0, n;

	while (got < count && tries++ < 50) {
		n = hep_listener_pollfds(l, pfd, 4);
		(void)poll(pfd, n, 100);
		got += hep_listener_read(l, 1, deliver, g);
	}
	ck_assert_uint_eq(got, count);
}

static int
test_port(int k)
{
	return (30000 + (getpid() * 7 + k) % 20000);
}

START_TEST(test_listen_dedup)
{
	const struct hep_listen_stats	*st;
	struct hep_listener		*l;
	struct sw_addr			 src, dst;
	struct got			 g;
	uint8_t				 buf[2048];
	char				 url[64], *cause = NULL;
	size_t				 n, nbad;
	int				 port = test_port(1), a1, a2;

	snprintf(url, sizeof url, "udp://127.0.0.1:%d", port);
	l = hep_listener_open(url, NULL, &cause);
	ck_assert_msg(l != NULL, "%s", cause);
	cur_listener = l;
	a1 = udp_from("127.0.0.1");
	a2 = udp_from("127.0.0.2");
	memset(&g, 0, sizeof g);
	fixture_addr(&src, "192.0.2.1:5060");
	fixture_addr(&dst, "192.0.2.2:5060");

	/* Agent 1 sees the INVITE; agent 2 (other host) the same 3 ms on. */
	n = encode(buf, sizeof buf, &src, &dst, 1000000000, NULL, fixture_invite);
	udp_send(a1, port, buf, n);
	drain(l, &g, 1);
	n = encode(buf, sizeof buf, &src, &dst, 1000003000, NULL, fixture_invite);
	udp_send(a2, port, buf, n);
	drain(l, &g, 1);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(g.ts[0], 1000000000);
	ck_assert_str_eq(g.agent[0], "2001@127.0.0.1");
	/* Agent 1 retransmits it 500 ms later: fed (a retransmission). */
	n = encode(buf, sizeof buf, &src, &dst, 1000500000, NULL, fixture_invite);
	udp_send(a1, port, buf, n);
	/* ... and agent 2 reports that copy too: a duplicate. */
	n = encode(buf, sizeof buf, &src, &dst, 1000501000, NULL, fixture_invite);
	udp_send(a2, port, buf, n);
	/* Agent 2 alone, two seconds on: nobody else saw it, fed. */
	n = encode(buf, sizeof buf, &src, &dst, 1002500000, NULL, fixture_invite);
	udp_send(a2, port, buf, n);
	/* Garbage from agent 2. */
	nbad = 5;
	udp_send(a2, port, (const uint8_t *)"HEP3\x00", nbad);
	drain(l, &g, 4);
	ck_assert_int_eq(g.n, 3);
	ck_assert_int_eq(g.ts[1], 1000500000);
	ck_assert_str_eq(g.agent[1], "2001@127.0.0.1");
	ck_assert_int_eq(g.ts[2], 1002500000);
	ck_assert_str_eq(g.agent[2], "2001@127.0.0.2");
	ck_assert_int_eq(sw_addr_cmp(&g.src[2], &src), 0);
	ck_assert_uint_eq(g.len[2], sizeof fixture_invite - 1);

	/* The agent that last reported each endpoint. */
	{
		char			 name[64];
		const struct hep_agent	*pa;
		struct sw_addr		 other;

		pa = hep_listener_peer_agent(l, &src);
		ck_assert_ptr_nonnull(pa);
		ck_assert_str_eq(hep_agent_format(pa, name, sizeof name),
		    "2001@127.0.0.2");
		ck_assert_ptr_nonnull(hep_listener_peer_agent(l, &dst));
		fixture_addr(&other, "192.0.2.1:5061");
		ck_assert_ptr_null(hep_listener_peer_agent(l, &other));
	}
	st = hep_listener_stats(l);
	ck_assert_uint_eq(st->packets, 6);
	ck_assert_uint_eq(st->messages, 3);
	ck_assert_uint_eq(st->duplicates, 2);
	ck_assert_uint_eq(st->by_version[3], 5);
	ck_assert_uint_eq(st->errors[HEP_ERR_TRUNCATED], 1);
	{
		const struct hep_agent	*a;
		unsigned		 na;

		a = hep_listener_agents(l, &na);
		ck_assert_uint_eq(na, 3);	/* the bad packet: no id */
		ck_assert_uint_eq(a[0].messages, 2);
		ck_assert_uint_eq(a[1].messages, 1);
		ck_assert_uint_eq(a[1].duplicates, 2);
		ck_assert_uint_eq(a[2].errors, 1);
	}
	close(a1);
	close(a2);
	hep_listener_close(l);
}
END_TEST

START_TEST(test_listen_password)
{
	const struct hep_listen_stats	*st;
	struct hep_listener		*l;
	struct sw_addr			 src, dst;
	struct got			 g;
	uint8_t				 buf[2048];
	char				 url[64], *cause = NULL;
	size_t				 n;
	int				 port = test_port(2), fd;

	snprintf(url, sizeof url, "udp://127.0.0.1:%d", port);
	l = hep_listener_open(url, "k3y", &cause);
	ck_assert_msg(l != NULL, "%s", cause);
	cur_listener = l;
	fd = udp_from("127.0.0.1");
	memset(&g, 0, sizeof g);
	fixture_addr(&src, "192.0.2.1:5060");
	fixture_addr(&dst, "192.0.2.2:5060");
	n = encode(buf, sizeof buf, &src, &dst, 1, NULL, fixture_invite);
	udp_send(fd, port, buf, n);
	n = encode(buf, sizeof buf, &src, &dst, 2, "wrong", fixture_invite);
	udp_send(fd, port, buf, n);
	n = encode(buf, sizeof buf, &src, &dst, 3, "k3y", fixture_invite);
	udp_send(fd, port, buf, n);
	drain(l, &g, 3);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(g.ts[0], 3);
	st = hep_listener_stats(l);
	ck_assert_uint_eq(st->errors[HEP_ERR_AUTH], 2);
	close(fd);
	hep_listener_close(l);
}
END_TEST

/* TCP: packets split across writes and several in one write. */
START_TEST(test_listen_tcp)
{
	const struct hep_listen_stats	*st;
	struct hep_listener		*l;
	struct sockaddr_in		 sin;
	struct sw_addr			 src, dst;
	struct got			 g;
	uint8_t				 buf[4096];
	char				 url[64], *cause = NULL;
	size_t				 n;
	int				 port = test_port(3), fd;

	snprintf(url, sizeof url, "tcp://127.0.0.1:%d", port);
	l = hep_listener_open(url, NULL, &cause);
	ck_assert_msg(l != NULL, "%s", cause);
	cur_listener = l;
	memset(&g, 0, sizeof g);
	fixture_addr(&src, "192.0.2.1:5060");
	fixture_addr(&dst, "192.0.2.2:5060");
	n = encode(buf, sizeof buf, &src, &dst, 10, NULL, fixture_invite);
	memcpy(buf + n, buf, n);
	((uint8_t *)buf)[n + n - 1] ^= 0;	/* same bytes twice */

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(write(fd, buf, 10), 10);
	(void)hep_listener_read(l, 1, deliver, &g);	/* accepts */
	ck_assert_int_eq(write(fd, buf + 10, 2 * n - 10), (ssize_t)(2 * n - 10));
	drain(l, &g, 2);
	/* Same agent, same bytes: a retransmission, fed twice. */
	ck_assert_int_eq(g.n, 2);
	ck_assert_int_eq(write(fd, "GET / HTTP/1.0\r\n\r\n", 18), 18);
	drain(l, &g, 0);
	(void)poll(NULL, 0, 50);
	(void)hep_listener_read(l, 1, deliver, &g);
	st = hep_listener_stats(l);
	ck_assert_uint_eq(st->tcp_accepted, 1);
	ck_assert_uint_eq(st->tcp_closed_bad, 1);
	ck_assert_uint_eq(st->messages, 2);
	close(fd);
	hep_listener_close(l);
}
END_TEST

/* The sender into the collector, UDP: every message arrives whole. */
START_TEST(test_send_udp)
{
	struct hep_send_opts	 so;
	struct hep_send_stats	 ss;
	struct hep_sender	*s;
	struct hep_listener	*l;
	struct sw_addr		 src, dst;
	struct got		 g;
	char			 url[64], *cause = NULL;
	int			 port = test_port(4), i;

	snprintf(url, sizeof url, "udp://127.0.0.1:%d", port);
	l = hep_listener_open(url, "pw", &cause);
	ck_assert_msg(l != NULL, "%s", cause);
	cur_listener = l;
	memset(&so, 0, sizeof so);
	so.url = url;
	so.capture_id = 77;
	so.password = "pw";
	s = hep_sender_create(&so, &cause);
	ck_assert_msg(s != NULL, "%s", cause);
	fixture_addr(&src, "[2001:db8::1]:5060");
	fixture_addr(&dst, "[2001:db8::2]:5062");
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(hep_sender_push(s, 1000000 * (i + 1), &src,
		    &dst, DECODE_TP_TCP, (const uint8_t *)"cid", 3,
		    (const uint8_t *)fixture_invite, sizeof fixture_invite - 1), 0);
	hep_sender_stop(s);
	hep_sender_stats(s, &ss);
	ck_assert_uint_eq(ss.queued, 5);
	ck_assert_uint_eq(ss.sent, 5);
	ck_assert_uint_eq(ss.queue_len, 0);
	memset(&g, 0, sizeof g);
	drain(l, &g, 5);
	ck_assert_int_eq(g.n, 5);
	ck_assert_int_eq(g.ts[4], 5000000);
	ck_assert_str_eq(g.agent[0], "77@127.0.0.1");
	ck_assert_int_eq(sw_addr_cmp(&g.src[0], &src), 0);
	hep_sender_destroy(s);
	hep_listener_close(l);
}
END_TEST

/*
 * UDP to a port nobody listens on (loopback: each datagram is refused by
 * ICMP at once): every message counts as failed, none as sent, and the
 * figures add up (a send(2) fails only every other datagram, for the
 * previous one, so counting send errors found half).
 */
START_TEST(test_send_udp_refused)
{
	struct hep_send_opts	 so;
	struct hep_send_stats	 ss;
	struct hep_sender	*s;
	struct sw_addr		 src, dst;
	char			 url[64], *cause = NULL;
	int			 i;

	snprintf(url, sizeof url, "udp://127.0.0.1:%d", test_port(6));
	memset(&so, 0, sizeof so);
	so.url = url;
	s = hep_sender_create(&so, &cause);
	ck_assert_msg(s != NULL, "%s", cause);
	fixture_addr(&src, "192.0.2.1:5060");
	fixture_addr(&dst, "192.0.2.2:5060");
	for (i = 0; i < 40; i++) {
		ck_assert_int_eq(hep_sender_push(s, i, &src, &dst,
		    DECODE_TP_UDP, NULL, 0, (const uint8_t *)fixture_invite,
		    sizeof fixture_invite - 1), 0);
		if (i % 8 == 7)
			(void)poll(NULL, 0, 20);	/* several batches */
	}
	hep_sender_stop(s);
	hep_sender_stats(s, &ss);
	ck_assert_uint_eq(ss.queued, 40);
	ck_assert_uint_eq(ss.sent, 0);
	ck_assert_uint_eq(ss.failed, 40);
	ck_assert_uint_eq(ss.dropped_shutdown, 0);
	ck_assert_uint_eq(ss.queue_len, 0);
	hep_sender_destroy(s);
}
END_TEST

/* TCP collector down: nothing blocks, the queue bound holds. */
START_TEST(test_send_tcp_down)
{
	struct hep_send_opts	 so;
	struct hep_send_stats	 ss;
	struct hep_sender	*s;
	struct sw_addr		 src, dst;
	char			 url[64], *cause = NULL;
	int			 i, dropped = 0;

	snprintf(url, sizeof url, "tcp://127.0.0.1:%d", test_port(5));
	memset(&so, 0, sizeof so);
	so.url = url;
	so.queue_max = 10;
	s = hep_sender_create(&so, &cause);
	ck_assert_msg(s != NULL, "%s", cause);
	fixture_addr(&src, "192.0.2.1:5060");
	fixture_addr(&dst, "192.0.2.2:5060");
	for (i = 0; i < 25; i++)
		if (hep_sender_push(s, i, &src, &dst, DECODE_TP_UDP, NULL, 0,
		    (const uint8_t *)fixture_invite, sizeof fixture_invite - 1) == -1)
			dropped++;
	hep_sender_stop(s);
	hep_sender_stats(s, &ss);
	ck_assert_uint_eq(ss.sent, 0);
	ck_assert_uint_eq(ss.queued + ss.dropped_full, 25);
	ck_assert_uint_eq(ss.dropped_full, (unsigned)dropped);
	ck_assert_uint_ge(ss.dropped_full, 15);
	ck_assert_uint_eq(ss.dropped_shutdown, ss.queued);
	ck_assert_uint_eq(ss.failed, 0);
	ck_assert_uint_ge(ss.connect_failures, 1);
	hep_sender_destroy(s);
}
END_TEST

static Suite *
hep_suite(void)
{
	Suite	*s = suite_create("hep");
	TCase	*tc = tcase_create("codec");
	TCase	*tn = tcase_create("sockets");

	tcase_add_test(tc, test_roundtrip_v4);
	tcase_add_test(tc, test_roundtrip_v6);
	tcase_add_test(tc, test_rtcp_json);
	tcase_add_test(tc, test_decode_errors);
	tcase_add_test(tc, test_decode_v2);
	tcase_add_test(tc, test_frame_and_url);
	suite_add_tcase(s, tc);
	tcase_add_test(tn, test_listen_dedup);
	tcase_add_test(tn, test_listen_password);
	tcase_add_test(tn, test_listen_tcp);
	tcase_add_test(tn, test_send_udp);
	tcase_add_test(tn, test_send_tcp_down);
	tcase_add_test(tn, test_send_udp_refused);
	tcase_set_timeout(tn, 60);
	suite_add_tcase(s, tn);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(hep_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? 0 : 1);
}
