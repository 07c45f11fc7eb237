/*
 * check_sip.c: start-line detection, the osip2 wrapper, its work bounds
 * and the lenient reader, on well-formed, malformed and hostile messages
 * (and, when it is beside the checkout, every message of the corpus).
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "sip/sip.h"
#include "sip/sip-int.h"

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

/* Header names: lower case, compact forms written out, once each, bounded. */
START_TEST(test_header_names)
{
	char		 buf[256], small[16];
	struct sip_msg	*m = parse_ok(
	    "INVITE sip:b@example.org SIP/2.0\r\n"
	    "v: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKh1\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKh0\r\n"
	    "f: <sip:a@example.org>;tag=a1\r\n"
	    "To: <sip:b@example.org>\r\n"
	    "Call-ID: names-1\r\n"
	    "CSeq: 1 INVITE\r\n"
	    "X-Legacy-Routing: trunk-b;\r\n"
	    " legacy=1\r\n"
	    "P-Asserted-Identity: <sip:a@example.org>\r\n"
	    "Content-Length: 0\r\n\r\n");

	ck_assert_uint_eq(sip_header_names(m, buf, sizeof buf), 8);
	ck_assert_str_eq(buf, "via,from,to,call-id,cseq,x-legacy-routing,"
	    "p-asserted-identity,content-length");
	/* What does not fit is left out, never cut in the middle. */
	ck_assert_uint_eq(sip_header_names(m, small, sizeof small), 3);
	ck_assert_str_eq(small, "via,from,to");
	sip_msg_free(m);
}
END_TEST

/* SDP summaries: names from rtpmap or RFC 3551, disabled lines, T.38. */
START_TEST(test_sdp_summary)
{
	char		 buf[200], tiny[12];
	static const char null_offer[] =
	    "v=0\r\no=8801 559 2101 IN IP4 192.168.8.183\r\ns=Talk\r\n"
	    "c=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n"
	    "a=inactive\r\n";
	static const char two[] =
	    "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
	    "t=0 0\r\nm=audio 4000 RTP/AVP 8 101 18\r\n"
	    "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
	    "m=image 4002 udptl t38\r\na=T38FaxVersion:0\r\n";
	static const char notsdp[] = "SIP/2.0 200 OK\r\n";

	ck_assert_uint_eq(sip_sdp_summary((const uint8_t *)null_offer,
	    strlen(null_offer), buf, sizeof buf), 1);
	ck_assert_str_eq(buf, "audio 0 RTP/AVP PCMU inactive c=0.0.0.0 "
	    "(disabled)");
	ck_assert_uint_eq(sip_sdp_summary((const uint8_t *)two, strlen(two),
	    buf, sizeof buf), 2);
	ck_assert_str_eq(buf, "audio 4000 RTP/AVP PCMA,telephone-event,G729; "
	    "image 4002 udptl t38");
	ck_assert_uint_eq(sip_sdp_summary((const uint8_t *)two, strlen(two),
	    tiny, sizeof tiny), 2);
	ck_assert_str_eq(tiny, "audio 40...");
	ck_assert_uint_eq(sip_sdp_summary((const uint8_t *)notsdp,
	    strlen(notsdp), buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(sip_sdp_summary(NULL, 0, buf, sizeof buf), 0);
}
END_TEST

/* The AOR a registrar compares: parameters dropped, scheme/host folded. */
START_TEST(test_uri_aor)
{
	char		 buf[64];
	static const char u1[] = "SIP:Telephone2@Domain.COM;transport=UDP";
	static const char u2[] = "sip:210@192.168.60.240:5060";
	static const char u3[] = "sips:EXAMPLE.org?Subject=x";

	ck_assert_uint_gt(sip_uri_aor(u1, strlen(u1), buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "sip:Telephone2@domain.com");
	ck_assert_uint_gt(sip_uri_aor(u2, strlen(u2), buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "sip:210@192.168.60.240:5060");
	ck_assert_uint_gt(sip_uri_aor(u3, strlen(u3), buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "sips:example.org");
	ck_assert_uint_eq(sip_uri_aor("nocolon", 7, buf, sizeof buf), 0);
	ck_assert_uint_eq(sip_uri_aor(NULL, 0, buf, sizeof buf), 0);
	ck_assert_uint_eq(sip_uri_aor(u1, strlen(u1), buf, 8), 7);
	ck_assert_str_eq(buf, "sip:Tel");
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

	/* 80 Via headers: the first SIP_VIA_KEEP are kept, all counted. */
	p = buf;
	p += sprintf(p, "OPTIONS sip:a@b SIP/2.0\r\n");
	for (k = 0; k < 80; k++)
		p += sprintf(p, "Via: SIP/2.0/UDP h%zu;branch=z9hG4bK%zu\r\n", k, k);
	p += sprintf(p, "Call-ID: x\r\nFrom: <sip:a@b>;tag=1\r\n"
	    "To: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\n\r\n");
	len = (size_t)(p - buf);
	ck_assert_int_eq(sip_parse((const uint8_t *)buf, len, &m, &err), 0);
	ck_assert_int_eq(err, SIP_ERR_NONE);
	ck_assert_uint_eq(m->nvia, SIP_VIA_KEEP);
	ck_assert_uint_eq(m->via_total, 80);
	ck_assert_str_eq(m->via[0].branch.s, "z9hG4bK0");
	sip_msg_free(m);

	/*
	 * A thousand: past SIP_HDR_MAX, so osip2 never sees it; the lenient
	 * reader stops at SIP_SALVAGE_FIELDS, before Call-ID, From, To and
	 * CSeq, so the message is counted and not tracked.
	 */
	p = buf;
	p += sprintf(p, "OPTIONS sip:a@b SIP/2.0\r\n");
	for (k = 0; k < 1000; k++)
		p += sprintf(p, "Via: SIP/2.0/UDP h%zu;branch=z9hG4bK%zu\r\n", k, k);
	p += sprintf(p, "Call-ID: x\r\nFrom: <sip:a@b>;tag=1\r\n"
	    "To: <sip:a@b>\r\nCSeq: 1 OPTIONS\r\n\r\n");
	len = (size_t)(p - buf);
	ck_assert_int_eq(parse_fail(buf, len), SIP_ERR_TOO_MANY_HEADERS);

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


/* Via, From, To, Call-ID and CSeq into P; bytes written. */
static int
fields(char *p, const char *callid)
{
	return (sprintf(p,
	    "Via: SIP/2.0/UDP 192.0.2.30:5070;branch=z9hG4bKb1;rport\r\n"
	    "From: <sip:scan@192.0.2.30>;tag=f1\r\n"
	    "To: <sip:100@192.0.2.40>\r\n"
	    "Call-ID: %s\r\nCSeq: 3 OPTIONS\r\n", callid));
}

#define START	"OPTIONS sip:100@192.0.2.40 SIP/2.0\r\n"

/* A request head: the start line and fields(); bytes written. */
static int
head(char *p, const char *callid)
{
	strcpy(p, START);
	return ((int)strlen(START) + fields(p + strlen(START), callid));
}

/* The fields head() wrote, as the lenient reader must have read them. */
static void
check_head(const struct sip_msg *m, const char *callid)
{
	ck_assert_int_eq(m->partial, 1);
	ck_assert(m->is_request);
	ck_assert_int_eq(m->method, SIP_METHOD_OPTIONS);
	ck_assert_str_eq(m->ruri.s, "sip:100@192.0.2.40");
	ck_assert_str_eq(m->ruri_user.s, "100");
	ck_assert_str_eq(m->call_id.s, callid);
	ck_assert_uint_eq(m->cseq, 3);
	ck_assert_int_eq(m->cseq_method, SIP_METHOD_OPTIONS);
	ck_assert_uint_ge(m->nvia, 1);
	ck_assert_str_eq(m->via[0].transport.s, "UDP");
	ck_assert_str_eq(m->via[0].host.s, "192.0.2.30");
	ck_assert_uint_eq(m->via[0].port, 5070);
	ck_assert_str_eq(m->via[0].branch.s, "z9hG4bKb1");
	ck_assert_int_eq(m->via[0].rport, 0);
	ck_assert_str_eq(m->from.uri.s, "sip:scan@192.0.2.30");
	ck_assert_str_eq(m->from.tag.s, "f1");
	ck_assert_str_eq(m->to.user.s, "100");
	ck_assert_ptr_null(m->to.tag.s);
}

/*
 * The work bounds (issue 20 item 1): at each bound osip2 parses the
 * message; one past it, osip2 is not called, the reason is counted and
 * the lenient reader still finds the tracking fields.
 */
START_TEST(test_bounds)
{
	char		*buf, *p;
	struct sip_msg	*m;
	enum sip_error	 err;
	int		 i, extra;

	buf = malloc(SIP_MSG_MAX + 1);
	/* Fields: head() has 5, Content-Length 1. */
	for (extra = 0; extra <= 1; extra++) {
		p = buf + head(buf, "bound-fields");
		for (i = 0; i < SIP_HDR_MAX - 6 + extra; i++)
			p += sprintf(p, "X-%d: v\r\n", i);
		p += sprintf(p, "Content-Length: 0\r\n\r\n");
		ck_assert_int_eq(sip_parse((const uint8_t *)buf,
		    (size_t)(p - buf), &m, &err), 0);
		if (!extra) {
			ck_assert_int_eq(err, SIP_ERR_NONE);
			ck_assert_int_eq(m->partial, 0);
		} else {
			ck_assert_int_eq(err, SIP_ERR_TOO_MANY_HEADERS);
			check_head(m, "bound-fields");
			ck_assert_int_eq(m->content_length, 0);
		}
		sip_msg_free(m);
	}
	/* Separators: head() has 2 (;branch ;rport) and the tag 1. */
	for (extra = 0; extra <= 1; extra++) {
		p = buf + head(buf, "bound-seps");
		p += sprintf(p, "Accept: a/b");
		for (i = 0; i < SIP_HDR_SEP_MAX - 3 + extra; i++)
			p += sprintf(p, ",a/b");
		p += sprintf(p, "\r\nContent-Length: 0\r\n\r\n");
		ck_assert_int_eq(sip_parse((const uint8_t *)buf,
		    (size_t)(p - buf), &m, &err), 0);
		if (!extra)
			ck_assert_int_eq(err, SIP_ERR_NONE);
		else {
			ck_assert_int_eq(err, SIP_ERR_TOO_MANY_PARAMS);
			check_head(m, "bound-seps");
		}
		sip_msg_free(m);
	}
	/* Size: the start line and headers, up to the empty line. */
	for (extra = 0; extra <= 1; extra++) {
		p = buf + head(buf, "bound-size");
		p += sprintf(p, "Subject: ");
		i = SIP_HDR_SIZE_MAX - (int)(p - buf) - 2 -
		    (int)strlen("Content-Length: 0\r\n") + extra;
		memset(p, 's', (size_t)i);
		p += i;
		p += sprintf(p, "\r\nContent-Length: 0\r\n");
		ck_assert_int_eq((int)(p - buf), SIP_HDR_SIZE_MAX + extra);
		p += sprintf(p, "\r\n");
		ck_assert_int_eq(sip_parse((const uint8_t *)buf,
		    (size_t)(p - buf), &m, &err), 0);
		if (!extra)
			ck_assert_int_eq(err, SIP_ERR_NONE);
		else {
			ck_assert_int_eq(err, SIP_ERR_HEADERS_TOO_LARGE);
			check_head(m, "bound-size");
		}
		sip_msg_free(m);
	}
	/* Request-URI parameters are separators too. */
	p = buf + sprintf(buf, "OPTIONS sip:100@192.0.2.40");
	for (i = 0; i < SIP_HDR_SEP_MAX; i++)
		p += sprintf(p, ";p");
	p += sprintf(p, " SIP/2.0\r\n");
	p += head(p, "x") - (int)strlen("OPTIONS sip:100@192.0.2.40 SIP/2.0\r\n");
	/* head() wrote its own start line at P: remove it. */
	memmove(p - (strlen(p)), p, 0);
	free(buf);
}
END_TEST

/*
 * One bad header must not throw the message away (issue 14 section 2):
 * what osip2 rejects is still read by the lenient reader, and the reason
 * is kept.
 */
START_TEST(test_salvage)
{
	char		 buf[2048];
	struct sip_msg	*m;
	enum sip_error	 err;
	int		 n;

	/* A duplicated Content-Type: osip2 refuses the message. */
	n = head(buf, "dup-ct@192.0.2.30");
	n += sprintf(buf + n, "Contact: \"Scan\" <sip:scan@[2001:db8::1]:5080>"
	    ";expires=60, <sip:other@192.0.2.31>\r\n"
	    "Max-Forwards: 69\r\nExpires: 120\r\n"
	    "User-Agent: friendly\r\n scanner\r\n"
	    "Content-Type: Application/SDP\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 5\r\n\r\nv=0\r\nextra");
	ck_assert_int_eq(sip_parse((const uint8_t *)buf, (size_t)n, &m, &err),
	    0);
	ck_assert_int_eq(err, SIP_ERR_HEADER);
	check_head(m, "dup-ct@192.0.2.30");
	ck_assert_uint_eq(m->nvia, 1);
	ck_assert_uint_eq(m->via_total, 1);
	ck_assert_str_eq(m->contact.display.s, "Scan");
	ck_assert_str_eq(m->contact.host.s, "2001:db8::1");
	ck_assert_str_eq(m->contact.user.s, "scan");
	ck_assert_int_eq(m->max_forwards, 69);
	ck_assert_int_eq(m->expires, 120);
	ck_assert_str_eq(m->user_agent.s, "friendly   scanner");
	ck_assert_str_eq(m->content_type.s, "application/sdp");
	ck_assert_int_eq(m->content_length, 5);
	ck_assert_uint_eq(m->body_len, 5);
	ck_assert_mem_eq(m->body, "v=0\r\n", 5);
	sip_msg_free(m);

	/*
	 * As the suricata-verify captures have it: a display name with
	 * stray backslashes, compact forms, To given twice (t: and To:).
	 */
	n = sprintf(buf, "INVITE sip:972@voip.example.net SIP/2.0\r\n"
	    "v: SIP/2.0/UDP 192.168.1.2:5060;branch=z9hG4bKnp1;rport\r\n"
	    "f: \\\"arik\\\" <sip:816@voip.example.net>;tag=6433ef9\r\n"
	    "t: <sip:972@voip.example.net>\r\n"
	    "To: <sip:12345@voip.example.net>\r\n"
	    "i: 105090259-446faf7a@192.168.1.2\r\nCSeq: 1 INVITE\r\n"
	    "c: application/sdp\r\nl: 3\r\n\r\nv=0");
	ck_assert_int_eq(sip_parse((const uint8_t *)buf, (size_t)n, &m, &err),
	    0);
	ck_assert_int_eq(err, SIP_ERR_HEADER);
	ck_assert_int_eq(m->partial, 1);
	ck_assert_int_eq(m->method, SIP_METHOD_INVITE);
	ck_assert_str_eq(m->call_id.s, "105090259-446faf7a@192.168.1.2");
	ck_assert_str_eq(m->via[0].branch.s, "z9hG4bKnp1");
	ck_assert_str_eq(m->from.display.s, "\\\"arik\\\"");
	ck_assert_str_eq(m->from.user.s, "816");
	ck_assert_str_eq(m->from.tag.s, "6433ef9");
	ck_assert_str_eq(m->to.user.s, "972");	/* the first wins */
	ck_assert_str_eq(m->content_type.s, "application/sdp");
	ck_assert_uint_eq(m->body_len, 3);
	sip_msg_free(m);

	/* A response: CSeq gives the method; digest challenge; two Vias. */
	n = sprintf(buf, "SIP/2.0 407 Proxy Authentication Required\r\n"
	    "Via: SIP/2.0/TCP [2001:db8::2]:5061;branch=z9hG4bKr1;"
	    "received=192.0.2.9;rport=4444, SIP/2.0/UDP h2;branch=z9hG4bKr0\r\n"
	    "From: <sip:a@example.org>;tag=1\r\nTo: <sip:b@example.org>;tag=2\r\n"
	    "Call-ID: resp-1\r\nCSeq: 9 REGISTER\r\nCSeq: 9 REGISTER\r\n"
	    "Proxy-Authenticate: Digest realm=\"r, x\", nonce=\"n,1\", "
	    "stale=TRUE, algorithm=MD5\r\nRetry-After: 30\r\n\r\n");
	ck_assert_int_eq(sip_parse((const uint8_t *)buf, (size_t)n, &m, &err),
	    0);
	ck_assert_int_eq(err, SIP_ERR_HEADER);
	ck_assert_int_eq(m->partial, 1);
	ck_assert(!m->is_request);
	ck_assert_int_eq(m->status, 407);
	ck_assert_str_eq(m->reason.s, "Proxy Authentication Required");
	ck_assert_int_eq(m->method, SIP_METHOD_REGISTER);
	ck_assert_uint_eq(m->nvia, 2);
	ck_assert_str_eq(m->via[0].transport.s, "TCP");
	ck_assert_str_eq(m->via[0].host.s, "2001:db8::2");
	ck_assert_uint_eq(m->via[0].port, 5061);
	ck_assert_str_eq(m->via[0].received.s, "192.0.2.9");
	ck_assert_int_eq(m->via[0].rport, 4444);
	ck_assert_str_eq(m->via[1].branch.s, "z9hG4bKr0");
	ck_assert_str_eq(m->to.tag.s, "2");
	ck_assert_str_eq(m->challenge_nonce.s, "n,1");
	ck_assert(m->challenge_stale);
	ck_assert_int_eq(m->retry_after, 30);
	ck_assert_int_eq(m->content_length, -1);
	ck_assert_uint_eq(m->body_len, 0);
	sip_msg_free(m);

	/* Nothing to track without Call-ID: the reason osip2 gave stays. */
	n = sprintf(buf, "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;"
	    "branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
	    "CSeq: 1 OPTIONS\r\nCSeq: 2 OPTIONS\r\n\r\n");
	ck_assert_int_eq(parse_fail(buf, (size_t)n), SIP_ERR_HEADER);
}
END_TEST

/*
 * Larger than SIP_MSG_MAX (a 65.8 KB INVITE over TCP is in the corpus):
 * the first SIP_MSG_MAX + 1 bytes are read and the message tracked.  A
 * message whose mandatory headers lie past SIP_SALVAGE_FIELDS fields is
 * counted and not tracked.
 */
START_TEST(test_salvage_bounded)
{
	size_t		 len = 70000;
	char		*buf, *p;
	struct sip_msg	*m;
	enum sip_error	 err;
	int		 i, n;

	buf = malloc(len);
	n = head(buf, "big@192.0.2.30");
	n += sprintf(buf + n, "Content-Type: text/plain\r\n"
	    "Content-Length: %zu\r\n\r\n", len - (size_t)n - 50);
	memset(buf + n, 'b', len - (size_t)n);
	ck_assert_int_eq(sip_parse((const uint8_t *)buf, len, &m, &err), 0);
	ck_assert_int_eq(err, SIP_ERR_TOO_LARGE);
	check_head(m, "big@192.0.2.30");
	ck_assert_uint_eq(m->raw_len, SIP_MSG_MAX + 1);
	ck_assert_uint_eq(m->body_len, SIP_MSG_MAX + 1 - (size_t)n);
	sip_msg_free(m);

	/* Junk first: the tracking fields are never reached. */
	p = buf + sprintf(buf, START);
	for (i = 0; i < SIP_SALVAGE_FIELDS; i++)
		p += sprintf(p, "a:b\r\n");
	p += fields(p, "late");
	p += sprintf(p, "\r\n");
	ck_assert_int_eq(parse_fail(buf, (size_t)(p - buf)),
	    SIP_ERR_TOO_MANY_HEADERS);

	/* The same fields first, then the junk: tracked. */
	p = buf + head(buf, "early");
	for (i = 0; i < SIP_SALVAGE_FIELDS; i++)
		p += sprintf(p, "a:b\r\n");
	p += sprintf(p, "\r\n");
	ck_assert_int_eq(sip_parse((const uint8_t *)buf, (size_t)(p - buf),
	    &m, &err), 0);
	ck_assert_int_eq(err, SIP_ERR_TOO_MANY_HEADERS);
	check_head(m, "early");
	sip_msg_free(m);
	free(buf);
}
END_TEST

/* --- the lenient reader against osip2, on every corpus message ------- */

struct agree {
	struct decode_ctx	*dc;
	struct capture		*cap;
	unsigned		 compared;
	unsigned		 differ;
	void			*buf;
	size_t			 size;
};

static int
str_same(const struct sip_str *a, const struct sip_str *b)
{
	if (a->s == NULL || b->s == NULL)
		return (a->s == b->s);
	return (strcmp(a->s, b->s) == 0);
}

/*
 * As str_same(), but where osip2 (A) read nothing from a header it
 * accepted, the lenient reader (B) may read what is there: a digest
 * nonce sent as nonce=\"...\" in the corpus.
 */
static int
str_same_or_more(const struct sip_str *a, const struct sip_str *b)
{
	return (a->s == NULL || str_same(a, b));
}

static int
nameaddr_same(const struct sip_nameaddr *a, const struct sip_nameaddr *b)
{
	/* Not the URI text: osip2 writes it anew (brackets, an empty '@'). */
	return (str_same(&a->display, &b->display) &&
	    str_same(&a->user, &b->user) && str_same(&a->host, &b->host) &&
	    str_same(&a->tag, &b->tag));
}

/* What tracking reads of a message, by both readers. */
static int
msg_same(const struct sip_msg *a, const struct sip_msg *b)
{
	unsigned	i;

	if (a->is_request != b->is_request || a->method != b->method ||
	    a->status != b->status || a->cseq != b->cseq ||
	    a->cseq_method != b->cseq_method || a->nvia != b->nvia ||
	    a->via_total != b->via_total ||
	    a->max_forwards != b->max_forwards || a->expires != b->expires ||
	    a->retry_after != b->retry_after ||
	    a->content_length != b->content_length ||
	    a->body_len != b->body_len || a->has_auth != b->has_auth ||
	    a->challenge_stale != b->challenge_stale)
		return (0);
	if (!str_same(&a->call_id, &b->call_id) ||
	    !str_same(&a->reason, &b->reason) ||
	    !str_same(&a->ruri_user, &b->ruri_user) ||
	    !str_same(&a->event, &b->event) ||
	    !str_same(&a->sub_state, &b->sub_state) ||
	    !str_same(&a->content_type, &b->content_type) ||
	    !str_same(&a->user_agent, &b->user_agent) ||
	    !str_same(&a->server, &b->server) ||
	    !str_same(&a->warning, &b->warning) ||
	    !str_same(&a->reason_hdr, &b->reason_hdr) ||
	    !str_same_or_more(&a->auth_nonce, &b->auth_nonce) ||
	    !str_same_or_more(&a->challenge_nonce, &b->challenge_nonce))
		return (0);
	for (i = 0; i < a->nvia; i++) {
		if (!str_same(&a->via[i].transport, &b->via[i].transport) ||
		    !str_same(&a->via[i].host, &b->via[i].host) ||
		    a->via[i].port != b->via[i].port ||
		    !str_same(&a->via[i].branch, &b->via[i].branch) ||
		    !str_same(&a->via[i].received, &b->via[i].received) ||
		    a->via[i].rport != b->via[i].rport)
			return (0);
	}
	return (nameaddr_same(&a->from, &b->from) &&
	    nameaddr_same(&a->to, &b->to) &&
	    nameaddr_same(&a->contact, &b->contact) &&
	    nameaddr_same(&a->refer_to, &b->refer_to));
}

static void
agree_payload(const struct decode_pkt *pkt, void *arg)
{
	struct agree	*ag = arg;
	struct sip_msg	*m, *s;
	enum sip_error	 err;
	enum sip_detect	 k;

	k = sip_detect(pkt->payload, pkt->len, NULL);
	if (k != SIP_DETECT_REQUEST && k != SIP_DETECT_RESPONSE)
		return;
	if (sip_parse(pkt->payload, pkt->len, &m, &err) != 0)
		return;
	if (!m->partial && pkt->len <= SIP_MSG_MAX) {
		if (ag->size < sip_parse_space(pkt->len)) {
			ag->size = sip_parse_space(pkt->len);
			ag->buf = xrealloc(ag->buf, ag->size);
		}
		s = sip_salvage(pkt->payload, pkt->len, ag->buf, ag->size);
		ag->compared++;
		if (s == NULL || !msg_same(m, s)) {
			if (ag->differ++ < 5)
				fprintf(stderr, "lenient reader differs on "
				    "Call-ID %s\n", m->call_id.s);
		}
	}
	sip_msg_free(m);
}

static void
agree_frame(int64_t ts, const uint8_t *data, size_t caplen, size_t wirelen,
    void *arg)
{
	struct agree	*ag = arg;

	(void)decode_frame(ag->dc, capture_datalink(ag->cap), ts, data, caplen,
	    wirelen, agree_payload, ag);
}

/*
 * Every message of the shared corpus that osip2 parses is read the same
 * by the lenient reader, field for field (URI text aside).  Skipped when
 * the corpus is not beside the checkout.
 */
START_TEST(test_salvage_corpus)
{
	struct capture_opts	 o;
	struct agree		 ag;
	struct dirent		*de;
	const char		*env = getenv("SIPWATCH_CORPUS");
	char			 dir[4096], path[8192], *cause = NULL;
	DIR			*d;
	int			 r;

	snprintf(dir, sizeof dir, "%s/pcaps", env != NULL && *env != '\0' ?
	    env : SW_TOP_SRCDIR "/../shared/corpus");
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: no corpus, skipped\n", dir);
		return;
	}
	memset(&ag, 0, sizeof ag);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		memset(&o, 0, sizeof o);
		o.file = path;
		if ((ag.cap = capture_open(&o, &cause)) == NULL) {
			free(cause);	/* a format libpcap cannot read */
			continue;
		}
		ag.dc = decode_create();
		do {
			r = capture_dispatch(ag.cap, -1, agree_frame, &ag,
			    &cause);
		} while (r >= 0);
		if (r == CAPTURE_ERROR)
			free(cause);
		decode_flush(ag.dc, 0, agree_payload, &ag);
		decode_destroy(ag.dc);
		capture_close(ag.cap);
	}
	closedir(d);
	free(ag.buf);
	fprintf(stderr, "corpus: %u messages read by both, %u differ\n",
	    ag.compared, ag.differ);
	ck_assert_uint_gt(ag.compared, 10000);
	ck_assert_uint_eq(ag.differ, 0);
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
	tcase_add_test(tc, test_header_names);
	tcase_add_test(tc, test_sdp_summary);
	tcase_add_test(tc, test_uri_aor);
	tcase_add_test(tc, test_parse_refer_and_auth);
	tcase_add_test(tc, test_missing_mandatory);
	tcase_add_test(tc, test_body_short);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_methods);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_salvage);
	tcase_add_test(tc, test_salvage_bounded);
	tcase_add_test(tc, test_salvage_corpus);
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
