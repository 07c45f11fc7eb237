/*
 * check_sdp.c: SDP bodies (RFC 4566) through sip_sdp_parse(): the fields
 * the offer/answer model needs (RFC 3264), the RFC examples, and hostile
 * bodies (caps, garbage, every truncation).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip.h"
#include "sip/sip-sdp.h"

static struct sip_sdp *
sdp_ok(const char *text)
{
	struct sip_sdp	*s = NULL;
	enum sdp_error	 err;

	ck_assert_int_eq(sip_sdp_parse((const uint8_t *)text, strlen(text), &s,
	    &err), 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(err, SDP_ERR_NONE);
	return (s);
}

static int
str_is(const struct sip_str *s, const char *want)
{
	return (s->s != NULL && s->len == strlen(want) &&
	    strcmp(s->s, want) == 0);
}

static const char *
addr_of(const struct sw_addr *a)
{
	static char	buf[SW_ADDRSTRLEN];

	return (sw_addr_format(a, buf, sizeof buf));
}

/* An offer as RFC 3264 10.1 writes it, with DTMF and a ptime. */
START_TEST(test_offer)
{
	struct sip_sdp		*s;
	struct sip_sdp_media	*m;

	s = sdp_ok(
	    "v=0\r\n"
	    "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n"
	    "s=-\r\n"
	    "c=IN IP4 192.0.2.101\r\n"
	    "t=0 0\r\n"
	    "m=audio 49170 RTP/AVP 0 8 97 101\r\n"
	    "a=rtpmap:0 PCMU/8000\r\n"
	    "a=rtpmap:8 PCMA/8000\r\n"
	    "a=rtpmap:97 iLBC/8000\r\n"
	    "a=rtpmap:101 telephone-event/8000\r\n"
	    "a=fmtp:101 0-15\r\n"
	    "a=ptime:20\r\n"
	    "m=video 51372 RTP/AVP 31 32\r\n"
	    "a=rtpmap:31 H261/90000\r\n"
	    "a=rtpmap:32 MPV/90000\r\n");
	ck_assert(str_is(&s->origin_user, "alice"));
	ck_assert_uint_eq(s->sess_version, 2890844526ULL);
	ck_assert_int_eq(s->origin_addr.family, 0);	/* an FQDN */
	ck_assert_str_eq(addr_of(&s->conn), "192.0.2.101:0");
	ck_assert_uint_eq(s->nmedia, 2);
	ck_assert_uint_eq(s->media_total, 2);
	ck_assert_uint_eq(s->problems, 0);
	m = &s->media[0];
	ck_assert(str_is(&m->media, "audio"));
	ck_assert(str_is(&m->proto, "RTP/AVP"));
	ck_assert_uint_eq(m->port, 49170);
	ck_assert_uint_eq(m->flags & SDP_M_RTP, SDP_M_RTP);
	ck_assert_uint_eq(m->flags & SDP_M_CONN_SESSION, SDP_M_CONN_SESSION);
	ck_assert_str_eq(addr_of(&m->addr), "192.0.2.101:49170");
	ck_assert_int_eq(m->dir, SDP_DIR_SENDRECV);
	ck_assert_int_eq(m->dir_attr, SDP_DIR_UNSET);
	ck_assert_uint_eq(m->ptime, 20);
	ck_assert_uint_eq(m->nfmt, 4);
	ck_assert_int_eq(m->fmt[0].pt, 0);
	ck_assert(str_is(&m->fmt[0].name, "PCMU"));
	ck_assert_uint_eq(m->fmt[0].clock, 8000);
	ck_assert(str_is(&m->fmt[2].name, "iLBC"));
	ck_assert_int_eq(m->fmt[3].pt, 101);
	ck_assert(str_is(&m->fmt[3].name, "telephone-event"));
	ck_assert(str_is(&m->fmt[3].fmtp, "0-15"));
	ck_assert_ptr_null(m->fmt[0].fmtp.s);
	m = &s->media[1];
	ck_assert(str_is(&m->media, "video"));
	ck_assert_uint_eq(m->fmt[1].clock, 90000);
	sip_sdp_free(s);
}
END_TEST

/* Media-level c=, IPv6, direction at both levels, hold (RFC 3264 8.4). */
START_TEST(test_levels)
{
	struct sip_sdp	*s;

	s = sdp_ok(
	    "v=0\r\n"
	    "o=- 1 2 IN IP6 2001:db8::1\r\n"
	    "s=-\r\n"
	    "c=IN IP4 198.51.100.1\r\n"
	    "t=0 0\r\n"
	    "a=sendonly\r\n"
	    "m=audio 4000 RTP/AVP 8\r\n"
	    "c=IN IP6 2001:db8::2\r\n"
	    "m=audio 4002 RTP/AVP 18\r\n"
	    "a=inactive\r\n"
	    "m=audio 0 RTP/AVP 0\r\n");
	ck_assert_int_eq(s->dir, SDP_DIR_SENDONLY);
	ck_assert_str_eq(addr_of(&s->origin_addr), "[2001:db8::1]:0");
	ck_assert_str_eq(addr_of(&s->media[0].addr), "[2001:db8::2]:4000");
	ck_assert(str_is(&s->media[0].conn, "2001:db8::2"));
	ck_assert_uint_eq(s->media[0].flags & SDP_M_CONN_SESSION, 0);
	ck_assert_int_eq(s->media[0].dir, SDP_DIR_SENDONLY);
	ck_assert_int_eq(s->media[1].dir, SDP_DIR_INACTIVE);
	ck_assert_int_eq(s->media[1].dir_attr, SDP_DIR_INACTIVE);
	ck_assert_str_eq(addr_of(&s->media[1].addr), "198.51.100.1:4002");
	ck_assert(str_is(&s->media[1].fmt[0].name, "G729"));
	/* A rejected line keeps its port 0 (RFC 3264 6). */
	ck_assert_uint_eq(s->media[2].port, 0);
	ck_assert_str_eq(sdp_dir_name(s->media[2].dir), "sendonly");
	sip_sdp_free(s);
}
END_TEST

/* a=rtcp (RFC 3605 2.1), rtcp-mux (RFC 5761), crypto (RFC 4568 9.1),
 * DTLS-SRTP (RFC 5764), T.38 over UDPTL. */
START_TEST(test_attributes)
{
	struct sip_sdp		*s;
	struct sip_sdp_media	*m;

	s = sdp_ok(
	    "v=0\r\n"
	    "o=- 1 1 IN IP4 192.0.2.1\r\n"
	    "s=-\r\n"
	    "c=IN IP4 192.0.2.1\r\n"
	    "t=0 0\r\n"
	    "m=audio 49170 RTP/SAVP 0\r\n"
	    "a=rtcp:53020 IN IP4 126.16.64.4\r\n"
	    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
	    "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32\r\n"
	    "a=crypto:2 AES_CM_128_HMAC_SHA1_32 "
	    "inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32\r\n"
	    "m=audio 50000 UDP/TLS/RTP/SAVPF 111\r\n"
	    "a=rtpmap:111 opus/48000/2\r\n"
	    "a=rtcp-mux\r\n"
	    "a=fingerprint:sha-256 AB:CD\r\n"
	    "m=image 49172 udptl t38\r\n"
	    "a=T38FaxVersion:0\r\n"
	    "a=T38FaxRateManagement:transferredTCF\r\n");
	m = &s->media[0];
	ck_assert_uint_eq(m->flags & (SDP_M_RTP | SDP_M_SECURE),
	    SDP_M_RTP | SDP_M_SECURE);
	ck_assert_uint_eq(m->rtcp_port, 53020);
	ck_assert_str_eq(addr_of(&m->rtcp_addr), "126.16.64.4:53020");
	ck_assert_uint_eq(m->ncrypto, 2);
	ck_assert(str_is(&m->crypto_suite, "AES_CM_128_HMAC_SHA1_80"));
	m = &s->media[1];
	ck_assert_uint_eq(m->flags & (SDP_M_DTLS | SDP_M_SECURE | SDP_M_AVPF |
	    SDP_M_RTCP_MUX | SDP_M_RTP), SDP_M_DTLS | SDP_M_SECURE |
	    SDP_M_AVPF | SDP_M_RTCP_MUX | SDP_M_RTP);
	ck_assert_uint_eq(m->fmt[0].clock, 48000);
	ck_assert_uint_eq(m->fmt[0].channels, 2);
	m = &s->media[2];
	ck_assert(str_is(&m->media, "image"));
	ck_assert_uint_eq(m->flags & (SDP_M_UDPTL | SDP_M_T38 | SDP_M_RTP),
	    SDP_M_UDPTL | SDP_M_T38);
	ck_assert_int_eq(m->fmt[0].pt, -1);
	ck_assert(str_is(&m->fmt[0].name, "t38"));
	ck_assert_uint_eq(s->problems, 0);
	sip_sdp_free(s);
}
END_TEST

/* Values that are there but unusable: flagged, the rest still read. */
START_TEST(test_problems)
{
	struct sip_sdp	*s;

	s = sdp_ok(
	    "v=0\r\n"
	    "o=- 1 1 IN IP4 pbx.example.com\r\n"
	    "s=-\r\n"
	    "c=IN IP4 pbx.example.com\r\n"
	    "t=0 0\r\n"
	    "m=audio 99999 RTP/AVP 0 300 abc\r\n"
	    "a=rtpmap:0 PCMU\r\n"
	    "a=rtpmap:xx foo/8000\r\n"
	    "a=ptime:twenty\r\n"
	    "a=rtcp:0\r\n");
	ck_assert(s->problems & (1u << SDP_P_BAD_CONN));
	ck_assert(s->problems & (1u << SDP_P_BAD_PORT));
	ck_assert(s->problems & (1u << SDP_P_BAD_RTPMAP));
	ck_assert(s->problems & (1u << SDP_P_BAD_ATTR));
	/* A session c= was there, if unusable: not "no c=". */
	ck_assert_uint_eq(s->problems & (1u << SDP_P_NO_CONN), 0);
	ck_assert(str_is(&s->media[0].conn, "pbx.example.com"));
	ck_assert_uint_eq(s->media[0].port, 0);
	ck_assert_int_eq(s->media[0].addr.family, 0);
	ck_assert_uint_eq(s->media[0].ptime, 0);
	ck_assert_uint_eq(s->media[0].rtcp_port, 0);
	/* "300" and "abc" are not payload types of RTP/AVP. */
	ck_assert_int_eq(s->media[0].fmt[1].pt, -1);
	ck_assert_int_eq(s->media[0].fmt[2].pt, -1);
	ck_assert_str_eq(sdp_problem_name(SDP_P_BAD_CONN), "sdp.bad_conn");
	ck_assert_str_eq(sdp_problem_name(SDP_P_COUNT), "sdp.unknown");
	sip_sdp_free(s);
}
END_TEST

/* Caps: media lines and formats beyond them are counted, not kept. */
START_TEST(test_caps)
{
	struct sip_sdp	*s;
	char		 body[8192];
	size_t		 off;
	int		 i;

	off = (size_t)snprintf(body, sizeof body,
	    "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
	    "t=0 0\r\n");
	for (i = 0; i < 20; i++)
		off += (size_t)snprintf(body + off, sizeof body - off,
		    "m=audio %d RTP/AVP 0\r\n", 4000 + 2 * i);
	off += (size_t)snprintf(body + off, sizeof body - off,
	    "m=audio 6000 RTP/AVP");
	for (i = 0; i < 40; i++)
		off += (size_t)snprintf(body + off, sizeof body - off, " %d",
		    96 + i % 32);
	snprintf(body + off, sizeof body - off, "\r\n");
	s = sdp_ok(body);
	ck_assert_uint_eq(s->nmedia, SDP_MEDIA_KEEP);
	ck_assert_uint_eq(s->media_total, 21);
	ck_assert(s->problems & (1u << SDP_P_MEDIA_CAP));
	ck_assert_uint_eq(s->media[SDP_MEDIA_KEEP - 1].port,
	    4000 + 2 * (SDP_MEDIA_KEEP - 1));
	sip_sdp_free(s);

	off = (size_t)snprintf(body, sizeof body,
	    "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"
	    "t=0 0\r\nm=audio 6000 RTP/AVP");
	for (i = 0; i < 40; i++)
		off += (size_t)snprintf(body + off, sizeof body - off, " %d", i);
	snprintf(body + off, sizeof body - off, "\r\n");
	s = sdp_ok(body);
	ck_assert_uint_eq(s->media[0].nfmt, SDP_FMT_KEEP);
	ck_assert_uint_eq(s->media[0].fmt_total, 40);
	ck_assert(s->problems & (1u << SDP_P_FMT_CAP));
	sip_sdp_free(s);
}
END_TEST

/* Not SDP, empty, too large, a NUL inside, a short buffer. */
START_TEST(test_hostile)
{
	static const char	 ok[] = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"
	    "s=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
	static const char	 noconn[] = "v=0\r\n"
	    "o=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
	    "m=audio 4000 RTP/AVP 0\r\n";
	struct sip_sdp		*s = NULL;
	enum sdp_error		 err;
	uint8_t			*big, buf[64];
	char			 nul[sizeof ok + 16];

	ck_assert_int_eq(sip_sdp_parse((const uint8_t *)"", 0, &s, &err), -1);
	ck_assert_int_eq(err, SDP_ERR_EMPTY);
	ck_assert_int_eq(sip_sdp_parse((const uint8_t *)"hello\r\n", 7, &s,
	    &err), -1);
	ck_assert_int_eq(err, SDP_ERR_SYNTAX);
	ck_assert_ptr_null(s);
	big = calloc(1, SDP_BODY_MAX + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', SDP_BODY_MAX + 1);
	ck_assert_int_eq(sip_sdp_parse(big, SDP_BODY_MAX + 1, &s, &err), -1);
	ck_assert_int_eq(err, SDP_ERR_TOO_LARGE);
	free(big);
	ck_assert_int_eq(sip_sdp_parse_buf((const uint8_t *)ok, strlen(ok),
	    buf, sizeof buf, &s, &err), -1);
	ck_assert_int_eq(err, SDP_ERR_TOO_LARGE);
	/* Everything after a NUL is not read, and that is flagged. */
	memcpy(nul, ok, sizeof ok);
	memcpy(nul + sizeof ok, "m=video 1 RTP/AVP 0\r\n", 16);
	ck_assert_int_eq(sip_sdp_parse((const uint8_t *)nul, sizeof nul, &s,
	    &err), 0);
	ck_assert(s->problems & (1u << SDP_P_NUL));
	ck_assert_uint_eq(s->nmedia, 1);
	sip_sdp_free(s);
	ck_assert_str_eq(sdp_error_name(SDP_ERR_SYNTAX), "sdp.parse.syntax");
	/* No c= anywhere (osip2 accepts it; RFC 4566 5.7 does not). */
	ck_assert_int_eq(sip_sdp_parse((const uint8_t *)noconn,
	    strlen(noconn), &s, &err), 0);
	ck_assert(s->problems & (1u << SDP_P_NO_CONN));
	ck_assert_int_eq(s->media[0].addr.family, 0);
	sip_sdp_free(s);
}
END_TEST

/* Every prefix of a full body parses or is refused; nothing else. */
START_TEST(test_every_truncation)
{
	static const char	 full[] =
	    "v=0\r\no=- 20518 0 IN IP4 203.0.113.1\r\ns= \r\n"
	    "c=IN IP4 203.0.113.1\r\nt=0 0\r\n"
	    "m=audio 54400 RTP/SAVPF 0 96\r\na=rtpmap:96 opus/48000/2\r\n"
	    "a=fmtp:96 minptime=10\r\na=rtcp:54401 IN IP4 203.0.113.1\r\n"
	    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abc\r\na=sendrecv\r\n"
	    "m=image 54402 udptl t38\r\n";
	struct sip_sdp		*s;
	enum sdp_error		 err;
	size_t			 n;
	unsigned		 parsed = 0;

	for (n = 0; n <= sizeof full - 1; n++) {
		if (sip_sdp_parse((const uint8_t *)full, n, &s, &err) == 0) {
			ck_assert_uint_le(s->nmedia, 2);
			parsed++;
			sip_sdp_free(s);
		} else
			ck_assert(err == SDP_ERR_SYNTAX || err == SDP_ERR_EMPTY);
	}
	ck_assert_uint_gt(parsed, 0);
}
END_TEST

START_TEST(test_static)
{
	const char	*name;
	uint32_t	 clock;
	unsigned	 ch;

	ck_assert_int_eq(sdp_static_payload(9, &name, &clock, &ch), 0);
	ck_assert_str_eq(name, "G722");
	ck_assert_uint_eq(clock, 8000);	/* RFC 3551 4.5.2: 8000, not 16000 */
	ck_assert_int_eq(sdp_static_payload(10, &name, &clock, &ch), 0);
	ck_assert_uint_eq(ch, 2);
	ck_assert_int_eq(sdp_static_payload(19, &name, &clock, &ch), -1);
	ck_assert_int_eq(sdp_static_payload(96, &name, &clock, &ch), -1);
	ck_assert_int_eq(sdp_static_payload(-1, NULL, NULL, NULL), -1);
}
END_TEST

static Suite *
sdp_suite(void)
{
	Suite	*s = suite_create("sdp");
	TCase	*tc = tcase_create("parse");

	tcase_add_test(tc, test_offer);
	tcase_add_test(tc, test_levels);
	tcase_add_test(tc, test_attributes);
	tcase_add_test(tc, test_problems);
	tcase_add_test(tc, test_caps);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_static);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sip_global_init();
	sr = srunner_create(sdp_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	sip_thread_done();
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
