/*
 * check_sip.c: start-line detection and the osip2 wrapper, on well-formed,
 * malformed and hostile messages.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip.h"

static const char invite[] =
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.example.org:5062;branch=z9hG4bK776asdhds;rport\r\n"
    "Via: SIP/2.0/TCP proxy.example.net;branch=z9hG4bK1;received=192.0.2.9\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@example.com>\r\n"
    "From: \"Alice A\" <sip:alice@example.org>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.example.org\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.example.org>\r\n"
    "User-Agent: TestUA/1.0\r\n"
    "Content-Type: Application/SDP\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

static struct sip_msg *
parse_ok(const char *text)
{
	struct sip_msg	*m = NULL;
	enum sip_error	 err;

	ck_assert_int_eq(sip_parse((const uint8_t *)text, strlen(text), &m,
	    &err), 0);
	ck_assert_ptr_nonnull(m);
	return (m);
}

static enum sip_error
parse_fail(const char *text, size_t len)
{
	struct sip_msg	*m = (struct sip_msg *)1;
	enum sip_error	 err;

	ck_assert_int_eq(sip_parse((const uint8_t *)text, len, &m, &err), -1);
	ck_assert_ptr_null(m);
	return (err);
}

START_TEST(test_detect)
{
	struct sip_startline	l;

#define D(s) sip_detect((const uint8_t *)(s), strlen(s), &l)
	ck_assert_int_eq(D("INVITE sip:a@b SIP/2.0\r\nVia: x\r\n"),
	    SIP_DETECT_REQUEST);
	ck_assert_uint_eq(l.method_len, 6);
	ck_assert_int_eq(D("SIP/2.0 503 Service Unavailable\r\n"),
	    SIP_DETECT_RESPONSE);
	ck_assert_int_eq(l.status, 503);
	ck_assert_int_eq(D("SIP/2.0 180\r\n"), SIP_DETECT_RESPONSE);
	ck_assert_int_eq(D("FOO-BAR.x sip:a@b sip/2.0\n"), SIP_DETECT_REQUEST);
	ck_assert_int_eq(D("\r\n\r\n"), SIP_DETECT_KEEPALIVE);
	ck_assert_int_eq(D("\r\n"), SIP_DETECT_KEEPALIVE);
	ck_assert_int_eq(D("SIP/2.0 099 Low\r\n"), SIP_DETECT_NOT_SIP);
	ck_assert_int_eq(D("SIP/2.0 700 High\r\n"), SIP_DETECT_NOT_SIP);
	ck_assert_int_eq(D("SIP/2.0 2000 OK\r\n"), SIP_DETECT_NOT_SIP);
	ck_assert_int_eq(D("GET / HTTP/1.1\r\n"), SIP_DETECT_NOT_SIP);
	ck_assert_int_eq(D("INVITE SIP/2.0\r\n"), SIP_DETECT_NOT_SIP);
	ck_assert_int_eq(D("INVITE sip:a@b SIP/2.0"), SIP_DETECT_NOT_SIP);
	ck_assert_int_eq(D("INV(TE sip:a@b SIP/2.0\r\n"), SIP_DETECT_NOT_SIP);
	ck_assert_int_eq(D(""), SIP_DETECT_NOT_SIP);
	ck_assert_int_eq(D("\x80\x01\x02 RTP"), SIP_DETECT_NOT_SIP);
#undef D
}
END_TEST

START_TEST(test_parse_invite)
{
	struct sip_msg	*m = parse_ok(invite);

	ck_assert(m->is_request);
	ck_assert_int_eq(m->method, SIP_METHOD_INVITE);
	ck_assert_str_eq(m->method_name.s, "INVITE");
	ck_assert_str_eq(m->ruri_user.s, "bob");
	ck_assert_str_eq(m->call_id.s, "a84b4c76e66710@pc33.example.org");
	ck_assert_uint_eq(m->cseq, 314159);
	ck_assert_int_eq(m->cseq_method, SIP_METHOD_INVITE);
	ck_assert_uint_eq(m->nvia, 2);
	ck_assert_uint_eq(m->via_total, 2);
	ck_assert_str_eq(m->via[0].branch.s, "z9hG4bK776asdhds");
	ck_assert_str_eq(m->via[0].host.s, "pc33.example.org");
	ck_assert_uint_eq(m->via[0].port, 5062);
	ck_assert_str_eq(m->via[0].transport.s, "UDP");
	ck_assert_int_eq(m->via[0].rport, 0);
	ck_assert_str_eq(m->via[1].transport.s, "TCP");
	ck_assert_str_eq(m->via[1].received.s, "192.0.2.9");
	ck_assert_uint_eq(m->via[1].port, 0);
	ck_assert_str_eq(m->from.tag.s, "1928301774");
	ck_assert_str_eq(m->from.display.s, "Alice A");
	ck_assert_str_eq(m->from.user.s, "alice");
	ck_assert_ptr_null(m->to.tag.s);
	ck_assert_str_eq(m->to.user.s, "bob");
	ck_assert_str_eq(m->contact.host.s, "pc33.example.org");
	ck_assert_int_eq(m->max_forwards, 70);
	ck_assert_str_eq(m->user_agent.s, "TestUA/1.0");
	ck_assert_str_eq(m->content_type.s, "application/sdp");
	ck_assert_int_eq(m->content_length, 4);
	ck_assert_uint_eq(m->body_len, 4);
	ck_assert_mem_eq(m->body, "v=0\n", 4);
	ck_assert_int_eq(m->retry_after, -1);
	ck_assert_uint_eq(m->raw_len, strlen(invite));
	sip_msg_free(m);
}
END_TEST

START_TEST(test_parse_response_retry_after)
{
	struct sip_msg	*m = parse_ok(
	    "SIP/2.0 503 Service Unavailable\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx\r\n"
	    "From: <sip:a@example.org>;tag=1\r\n"
	    "To: <sip:b@example.org>;tag=2\r\n"
	    "Call-ID: c1\r\n"
	    "CSeq: 7 OPTIONS\r\n"
	    "Retry-After: 120 (maintenance);duration=3600\r\n"
	    "Server: Kamailio (5.6)\r\n"
	    "Warning: 399 sbc.example.net \"no route\"\r\n"
	    "Reason: Q.850;cause=34\r\n"
	    "Content-Length: 0\r\n\r\n");

	ck_assert(!m->is_request);
	ck_assert_int_eq(m->status, 503);
	ck_assert_str_eq(m->reason.s, "Service Unavailable");
	ck_assert_int_eq(m->method, SIP_METHOD_OPTIONS);
	ck_assert_int_eq(m->retry_after, 120);
	ck_assert_str_eq(m->server.s, "Kamailio (5.6)");
	ck_assert_ptr_nonnull(strstr(m->warning.s, "no route"));
	ck_assert_str_eq(m->reason_hdr.s, "Q.850;cause=34");
	ck_assert_str_eq(m->to.tag.s, "2");
	ck_assert_uint_eq(m->body_len, 0);
	sip_msg_free(m);
}
END_TEST

/* The sipfrag reader on empty, short and real bodies (found by fuzzing). */
START_TEST(test_sipfrag_status)
{
	char		 reason[64];
	static const char frag[] = "SIP/2.0 486 Busy Here\r\n";

	ck_assert_int_eq(sip_sipfrag_status(NULL, 0, reason, sizeof reason),
	    0);
	ck_assert_str_eq(reason, "");
	ck_assert_int_eq(sip_sipfrag_status((const uint8_t *)"SIP/2.0", 7,
	    reason, sizeof reason), 0);
	ck_assert_int_eq(sip_sipfrag_status((const uint8_t *)frag,
	    strlen(frag), reason, sizeof reason), 486);
	ck_assert_str_eq(reason, "Busy Here");
}
END_TEST

START_TEST(test_parse_notify_sipfrag_compact)
{
	static const char frag[] = "SIP/2.0 200 OK\r\n";
	char		 text[1024];
	struct sip_msg	*m;

	snprintf(text, sizeof text,
	    "NOTIFY sip:a@192.0.2.1 SIP/2.0\r\n"
	    "v: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKn1\r\n"
	    "f: <sip:b@example.org>;tag=b1\r\n"
	    "t: <sip:a@example.org>;tag=a1\r\n"
	    "i: refer-call-1\r\n"
	    "CSeq: 2 NOTIFY\r\n"
	    "o: refer;id=93809824\r\n"
	    "Subscription-State: terminated;reason=noresource\r\n"
	    "c: message/sipfrag;version=2.0\r\n"
	    "l: %zu\r\n\r\n%s", strlen(frag), frag);
	m = parse_ok(text);
	ck_assert_int_eq(m->method, SIP_METHOD_NOTIFY);
	ck_assert_str_eq(m->call_id.s, "refer-call-1");
	ck_assert_str_eq(m->event.s, "refer");
	ck_assert_str_eq(m->event_id.s, "93809824");
	ck_assert_str_eq(m->sub_state.s, "terminated");
	ck_assert_str_eq(m->sub_reason.s, "noresource");
	ck_assert_str_eq(m->content_type.s, "message/sipfrag");
	ck_assert_uint_eq(m->body_len, strlen(frag));
	ck_assert_mem_eq(m->body, frag, strlen(frag));
	sip_msg_free(m);
}
END_TEST

START_TEST(test_parse_refer_and_auth)
{
	struct sip_msg	*m = parse_ok(
	    "REFER sip:b@example.org SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKr\r\n"
	    "From: <sip:a@example.org>;tag=1\r\n"
	    "To: <sip:b@example.org>;tag=2\r\n"
	    "Call-ID: r1\r\nCSeq: 3 REFER\r\n"
	    "Refer-To: <sip:carol@example.org>\r\n"
	    "Authorization: Digest username=\"a\", realm=\"example.org\", "
	    "nonce=\"abc123\", uri=\"sip:b@example.org\", response=\"0\"\r\n"
	    "Content-Length: 0\r\n\r\n");

	ck_assert_int_eq(m->method, SIP_METHOD_REFER);
	ck_assert_str_eq(m->refer_to.user.s, "carol");
	ck_assert(m->has_auth);
	ck_assert_str_eq(m->auth_nonce.s, "abc123");
	sip_msg_free(m);

	m = parse_ok(
	    "SIP/2.0 401 Unauthorized\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKr\r\n"
	    "From: <sip:a@example.org>;tag=1\r\nTo: <sip:a@example.org>;tag=9\r\n"
	    "Call-ID: reg1\r\nCSeq: 1 REGISTER\r\n"
	    "WWW-Authenticate: Digest realm=\"example.org\", nonce=\"n0\", "
	    "stale=TRUE\r\nContent-Length: 0\r\n\r\n");
	ck_assert_str_eq(m->challenge_nonce.s, "n0");
	ck_assert(m->challenge_stale);
	ck_assert(!m->has_auth);
	sip_msg_free(m);
}
END_TEST

START_TEST(test_missing_mandatory)
{
	static const char no_callid[] =
	    "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\n\r\n";
	static const char no_via[] =
	    "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\n\r\n";
	static const char no_cseq[] =
	    "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "Call-ID: x\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n\r\n";

	ck_assert_int_eq(parse_fail(no_callid, strlen(no_callid)),
	    SIP_ERR_NO_CALL_ID);
	ck_assert_int_eq(parse_fail(no_via, strlen(no_via)), SIP_ERR_NO_VIA);
	ck_assert_int_eq(parse_fail(no_cseq, strlen(no_cseq)),
	    SIP_ERR_NO_CSEQ);
	ck_assert_str_eq(sip_error_name(SIP_ERR_NO_VIA), "sip.parse.no_via");
}
END_TEST

START_TEST(test_body_short)
{
	static const char text[] =
	    "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "Call-ID: x\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
	    "CSeq: 1 MESSAGE\r\nContent-Length: 500\r\n\r\nhello";
	struct sip_msg	*m = NULL;
	enum sip_error	 err;
	int		 r;

	/* Accepted or rejected by osip2, the short body is what is counted. */
	r = sip_parse((const uint8_t *)text, strlen(text), &m, &err);
	ck_assert_int_eq(err, SIP_ERR_BODY_SHORT);
	if (r == 0) {
		ck_assert_uint_eq(m->body_len, 5);
		sip_msg_free(m);
	}
	/* A Content-Length that is not a number is kept, and flagged. */
	ck_assert_int_eq(sip_parse((const uint8_t *)
	    "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "Call-ID: x\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
	    "CSeq: 1 MESSAGE\r\nContent-Length: -5\r\n\r\n", 150, &m, &err), 0);
	ck_assert_int_eq(err, SIP_ERR_BAD_CONTENT_LENGTH);
	ck_assert_int_eq(m->content_length, -1);
	ck_assert(m->bad_content_length);
	sip_msg_free(m);
	/* A mangled start line is told apart from a bad header. */
	ck_assert_int_eq(parse_fail("INVITE sip:a@b SIP/2.0", 22),
	    SIP_ERR_START_LINE);
	ck_assert_int_eq(parse_fail("SIP/2.0 200 OK\r\nVia: SIP/2.0/U", 29),
	    SIP_ERR_HEADER);
}
END_TEST

/* Hostile input: huge values, many Vias, NULs, garbage. Must not crash. */
START_TEST(test_hostile)
{
	static const char *sizes_hdr[] = { "Call-ID", "Via", "From" };
	size_t		 sizes[] = { 4096, 65000 };
	char		*buf, *p;
	struct sip_msg	*m;
	enum sip_error	 err;
	size_t		 i, j, k, len;

	buf = malloc(200000);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 3; j++) {
			p = buf;
			p += sprintf(p, "OPTIONS sip:a@b SIP/2.0\r\n");
			if (strcmp(sizes_hdr[j], "Via") != 0)
				p += sprintf(p, "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n");
			if (strcmp(sizes_hdr[j], "Call-ID") != 0)
				p += sprintf(p, "Call-ID: x\r\n");
			if (strcmp(sizes_hdr[j], "From") != 0)
				p += sprintf(p, "From: <sip:a@b>;tag=1\r\n");
			p += sprintf(p, "%s: ", sizes_hdr[j]);
			if (strcmp(sizes_hdr[j], "Via") == 0)
				p += sprintf(p, "SIP/2.0/UDP h;branch=z9hG4bK");
			else if (strcmp(sizes_hdr[j], "From") == 0)
				p += sprintf(p, "<sip:a@b>;tag=");
			for (k = 0; k < sizes[i]; k++)
				*p++ = 'x';
			p += sprintf(p, "\r\nTo: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\n\r\n");
			len = (size_t)(p - buf);
			m = NULL;
			if (sip_parse((const uint8_t *)buf, len, &m, &err) == 0) {
				ck_assert_uint_eq(m->raw_len, len);
				sip_msg_free(m);
			} else
				ck_assert_int_ne(err, SIP_ERR_NONE);
		}
	}

	/* A thousand Via headers: the first SIP_VIA_KEEP are kept, all counted. */
	p = buf;
	p += sprintf(p, "OPTIONS sip:a@b SIP/2.0\r\n");
	for (k = 0; k < 1000; k++)
		p += sprintf(p, "Via: SIP/2.0/UDP h%zu;branch=z9hG4bK%zu\r\n", k, k);
	p += sprintf(p, "Call-ID: x\r\nFrom: <sip:a@b>;tag=1\r\n"
	    "To: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\n\r\n");
	len = (size_t)(p - buf);
	if (len <= SIP_MSG_MAX) {
		ck_assert_int_eq(sip_parse((const uint8_t *)buf, len, &m, &err), 0);
		ck_assert_uint_eq(m->nvia, SIP_VIA_KEEP);
		ck_assert_uint_eq(m->via_total, 1000);
		ck_assert_str_eq(m->via[0].branch.s, "z9hG4bK0");
		sip_msg_free(m);
	} else
		ck_assert_int_eq(parse_fail(buf, len), SIP_ERR_TOO_LARGE);

	/* Empty Warning, negative Content-Length, NUL bytes, garbage. */
	len = (size_t)sprintf(buf, "SIP/2.0 200 OK\r\n"
	    "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: x\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\n"
	    "Warning:\r\nContent-Length: -5\r\n\r\nbody");
	m = NULL;
	if (sip_parse((const uint8_t *)buf, len, &m, &err) == 0)
		sip_msg_free(m);
	memcpy(buf, invite, sizeof invite);
	buf[60] = '\0';
	m = NULL;
	if (sip_parse((const uint8_t *)buf, strlen(invite), &m, &err) == 0)
		sip_msg_free(m);
	for (k = 0; k < 4096; k++)
		buf[k] = (char)((k * 7919) & 0xff);
	m = NULL;
	if (sip_parse((const uint8_t *)buf, 4096, &m, &err) == 0)
		sip_msg_free(m);
	ck_assert_int_eq(parse_fail(buf, 0), SIP_ERR_OSIP);
	ck_assert_int_eq(parse_fail(buf, SIP_MSG_MAX + 1), SIP_ERR_TOO_LARGE);
	free(buf);
}
END_TEST

/* Every truncation of a valid message parses or fails cleanly. */
START_TEST(test_every_truncation)
{
	struct sip_msg	*m;
	enum sip_error	 err;
	size_t		 cut, len = strlen(invite);
	char		*copy;

	for (cut = 1; cut < len; cut++) {
		copy = malloc(cut);
		memcpy(copy, invite, cut);
		m = NULL;
		if (sip_parse((const uint8_t *)copy, cut, &m, &err) == 0) {
			ck_assert_ptr_nonnull(m);
			sip_msg_free(m);
		} else
			ck_assert_int_ne(err, SIP_ERR_NONE);
		free(copy);
	}
}
END_TEST

START_TEST(test_methods)
{
	ck_assert_int_eq(sip_method_from("REFER", 5), SIP_METHOD_REFER);
	ck_assert_int_eq(sip_method_from("refer", 5), SIP_METHOD_OTHER);
	ck_assert_int_eq(sip_method_from("FOO", 3), SIP_METHOD_OTHER);
	ck_assert_str_eq(sip_method_name(SIP_METHOD_PRACK), "PRACK");
}
END_TEST

static Suite *
sip_suite(void)
{
	Suite	*s = suite_create("sip");
	TCase	*tc = tcase_create("parse");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_detect);
	tcase_add_test(tc, test_parse_invite);
	tcase_add_test(tc, test_parse_response_retry_after);
	tcase_add_test(tc, test_parse_notify_sipfrag_compact);
	tcase_add_test(tc, test_sipfrag_status);
	tcase_add_test(tc, test_parse_refer_and_auth);
	tcase_add_test(tc, test_missing_mandatory);
	tcase_add_test(tc, test_body_short);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_methods);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sip_global_init();
	sr = srunner_create(sip_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	sip_thread_done();
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
