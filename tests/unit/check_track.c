/*
 * check_track.c: transaction, dialog and call tracking, and every rule
 * the tracker raises, on synthetic messages built with sip_parse().
 *
 * Each test feeds messages with chosen packet times and asserts the exact
 * alerts raised (rule id and Call-ID, and where it matters the time, the
 * addresses and the code), including that nothing else fired.  Time is
 * packet time only: nothing here depends on the wall clock.
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <jansson.h>

#include "alert/alert.h"
#include "core/addr.h"
#include "decode/decode.h"
#include "rules/rules.h"
#include "sip/sip.h"
#include "track/track.h"
#include "track/track-int.h"
#include "fixtures.h"

#include "track-got.h"

/* Every incident line: event, rule, incident id, count, time. */
struct line {
	enum alert_event	 event;
	char			 rule[32];
	char			 incident[ALERT_INCIDENT_LEN];
	char			 subject[128];
	uint64_t		 count;
	int64_t			 ts;
	int64_t			 first;
	int64_t			 last;
};

static struct line	lines[MAXGOT];	/* every line */
static int		nlines;
static int		feed_flags;	/* DECODE_F_* given with each message */

static void
collect(const struct alert *a, void *arg)
{
	struct line	*l;

	(void)arg;
	ck_assert_int_lt(nlines, MAXGOT);
	l = &lines[nlines++];
	l->event = a->event;
	snprintf(l->rule, sizeof l->rule, "%s", a->rule);
	snprintf(l->incident, sizeof l->incident, "%s", a->incident);
	snprintf(l->subject, sizeof l->subject, "%s", a->subject);
	l->count = a->count;
	l->ts = a->ts_us;
	l->first = a->first_us;
	l->last = a->last_us;
	if (nlines > 1)	/* lines come in packet-time order */
		ck_assert_int_le(lines[nlines - 2].ts, l->ts);
	got_note(a);
}

static struct track *
tracker(void)
{
	struct track_opts	o;

	track_opts_default(&o);
	ngot = nlines = 0;
	return (track_create(&o, collect, NULL));
}

static struct sw_addr
addr(const char *s)
{
	struct sw_addr	a;

	fixture_addr(&a, s);
	return (a);
}

/*
 * Feed one message at T_MS milliseconds (after an arbitrary epoch) from
 * SRC to DST.  The text uses "\n" line ends; they become CRLF here and
 * Content-Length is computed for the body after the blank line.
 */
static void
feed_tp(struct track *tr, int64_t t_ms, const char *src, const char *dst,
    int tp, const char *text)
{
	char		 buf[8192];
	size_t		 n;
	struct sip_msg	*m;
	enum sip_error	 err;
	struct sw_addr	 s = addr(src), d = addr(dst);

	n = fixture_sip_text(text, buf, sizeof buf);
	ck_assert_msg(sip_parse((const uint8_t *)buf, n, &m, &err) == 0,
	    "parse failed (%d): %s", err, buf);
	track_message(tr, m, 1700000000000000LL + t_ms * 1000, &s, &d, tp,
	    feed_flags);
	sip_msg_free(m);
}

static void
feed(struct track *tr, int64_t t_ms, const char *src, const char *dst,
    const char *text)
{
	feed_tp(tr, t_ms, src, dst, DECODE_TP_UDP, text);
}

/* A request / response in a call between alice (10.0.0.1) and bob. */
static char *
req(const char *method, const char *branch, const char *callid,
    const char *ftag, const char *ttag, unsigned cseq, const char *extra)
{
	static char	buf[4096];

	snprintf(buf, sizeof buf,
	    "%s sip:bob@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\n"
	    "Max-Forwards: 70\n"
	    "From: <sip:alice@example.com>;tag=%s\n"
	    "To: <sip:bob@example.com>%s%s\n"
	    "Call-ID: %s\n"
	    "CSeq: %u %s\n"
	    "Contact: <sip:alice@10.0.0.1>\n"
	    "%s",
	    method, branch, ftag, ttag != NULL ? ";tag=" : "",
	    ttag != NULL ? ttag : "", callid, cseq, method,
	    extra != NULL ? extra : "");
	/* Drop a trailing newline so feed() can add Content-Length. */
	if (buf[strlen(buf) - 1] == '\n')
		buf[strlen(buf) - 1] = '\0';
	return (buf);
}

static char *
resp(int code, const char *reason, const char *branch, const char *callid,
    const char *ftag, const char *ttag, unsigned cseq, const char *method,
    const char *extra)
{
	static char	buf[4096];

	snprintf(buf, sizeof buf,
	    "SIP/2.0 %d %s\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\n"
	    "From: <sip:alice@example.com>;tag=%s\n"
	    "To: <sip:bob@example.com>%s%s\n"
	    "Call-ID: %s\n"
	    "CSeq: %u %s\n"
	    "%s",
	    code, reason, branch, ftag, ttag != NULL ? ";tag=" : "",
	    ttag != NULL ? ttag : "", callid, cseq, method,
	    extra != NULL ? extra : "");
	if (buf[strlen(buf) - 1] == '\n')
		buf[strlen(buf) - 1] = '\0';
	return (buf);
}

#define A	"10.0.0.1:5060"
#define B	"10.0.0.2:5060"
#define C	"10.0.0.3:5060"

/* The tracker's report as JSON; caller releases. */
static json_t *
report(struct track *tr)
{
	json_t	*root = json_object();

	track_report(root, tr);
	return (root);
}

static json_int_t
jget(json_t *root, const char *sec, const char *key)
{
	json_t	*v = json_object_get(json_object_get(root, sec), key);

	ck_assert_msg(v != NULL, "%s.%s missing", sec, key);
	return (json_integer_value(v));
}

/* ------------------------------------------------------------------ */

/* A complete call: no alert; call, dialog and transaction counts. */
START_TEST(test_normal_call)
{
	struct track	*tr = tracker();
	json_t		*r, *calls;

	feed(tr, 0, A, B, req("INVITE", "z9hG4bKi1", "c1", "ft", NULL, 1,
	    NULL));
	feed(tr, 10, B, A, resp(100, "Trying", "z9hG4bKi1", "c1", "ft", NULL,
	    1, "INVITE", NULL));
	feed(tr, 400, B, A, resp(180, "Ringing", "z9hG4bKi1", "c1", "ft",
	    "tt", 1, "INVITE", NULL));
	feed(tr, 2400, B, A, resp(200, "OK", "z9hG4bKi1", "c1", "ft", "tt", 1,
	    "INVITE", "Contact: <sip:bob@10.0.0.2>\n"));
	feed(tr, 2410, A, B, req("ACK", "z9hG4bKa1", "c1", "ft", "tt", 1,
	    NULL));
	feed(tr, 62410, B, A, req("BYE", "z9hG4bKb1", "c1", "tt", "ft", 1,
	    NULL));
	feed(tr, 62420, A, B, resp(200, "OK", "z9hG4bKb1", "c1", "tt", "ft",
	    1, "BYE", NULL));
	track_advance(tr, 1700000000000000LL + 200000 * 1000LL);
	track_finish(tr);
	expect(NULL);

	r = report(tr);
	ck_assert_int_eq(jget(r, "transactions", "count"), 2);
	ck_assert_int_eq(jget(r, "transactions", "acks_2xx"), 1);
	ck_assert_int_eq(jget(r, "dialogs", "confirmed"), 1);
	ck_assert_int_eq(jget(r, "dialogs", "terminated"), 1);
	ck_assert_int_eq(jget(r, "calls", "count"), 1);
	ck_assert_int_eq(jget(r, "calls", "answered"), 1);
	calls = json_object_get(r, "calls");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    calls, "ended_by"), "callee")), 1);
	/* PDD 400 ms, setup 2400 ms (histogram resolution ~3 %). */
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    calls, "pdd_ms"), "p50")) / 10, 40);
	ck_assert_int_ge(json_integer_value(json_object_get(json_object_get(
	    calls, "setup_ms"), "p50")), 2350);
	ck_assert_int_le(json_integer_value(json_object_get(json_object_get(
	    calls, "setup_ms"), "p50")), 2450);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    calls, "duration_s"), "p50")), 60);
	ck_assert_int_eq(jget(r, "pending_at_end", "count"), 0);
	json_decref(r);
	track_destroy(tr);
}
END_TEST

/* INVITE never answered: 7 sends, then Timer B at exactly 64*T1. */
START_TEST(test_invite_timeout)
{
	struct track	*tr = tracker();
	static const int sends[] = { 0, 500, 1500, 3500, 7500, 15500, 31500 };
	char		*inv;
	unsigned	 i;

	inv = strdup(req("INVITE", "z9hG4bKdead", "c-dead", "f1", NULL, 1,
	    NULL));
	for (i = 0; i < 7; i++)
		feed(tr, sends[i], A, B, inv);
	track_advance(tr, 1700000000000000LL + 32001 * 1000LL);
	/* One fact, one alert: the timeout, not also its retransmissions. */
	expect("invite-timeout", "c-dead", NULL);
	ck_assert_str_eq(got[0].method, "INVITE");
	/* The verdict is certain at the deadline, not later. */
	ck_assert_int_eq(got[0].ts, 1700000000000000LL + 32000 * 1000LL);
	ck_assert_str_eq(got[0].src, A);
	ck_assert_str_eq(got[0].dst, B);
	ck_assert_int_eq(got[0].code, 0);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "sent 7 time(s)"));
	free(inv);
	track_destroy(tr);
}
END_TEST

/*
 * A message that came after a hole in its TCP stream marks its call: the
 * verdicts on that call say the capture may lack messages.  Other calls
 * are not marked.
 */
START_TEST(test_gap_marks_verdicts)
{
	struct track	*tr = tracker();
	char		*inv1, *inv2;

	inv1 = strdup(req("INVITE", "z9hG4bKgap1", "c-gap", "f1", NULL, 1,
	    NULL));
	inv2 = strdup(req("INVITE", "z9hG4bKgap2", "c-nogap", "f2", NULL, 1,
	    NULL));
	/* Two servers: two incidents. */
	feed_flags = DECODE_F_GAP;
	feed_tp(tr, 0, A, B, DECODE_TP_TCP, inv1);
	feed_flags = 0;
	feed_tp(tr, 10, A, C, DECODE_TP_TCP, inv2);
	track_advance(tr, 1700000000000000LL + 40000 * 1000LL);
	expect("invite-timeout", "c-gap", "invite-timeout", "c-nogap", NULL);
	ck_assert_int_eq(got[0].gap, 1);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "TCP stream"));
	ck_assert_int_eq(got[1].gap, 0);
	ck_assert_ptr_null(strstr(got[1].summary, "TCP stream"));
	free(inv1);
	free(inv2);
	track_destroy(tr);
}
END_TEST

/*
 * A verdict drawn from a message osip2 rejected (read by the lenient
 * reader: a CSeq given twice) says so (partial_parse), as do later
 * verdicts about that call; other calls are not marked.  The report
 * counts the incidents drawn from incomplete evidence.
 */
START_TEST(test_partial_parse_marks_verdicts)
{
	struct track	*tr = tracker();
	char		*inv1, *inv2;
	json_t		*r, *ev;

	inv1 = strdup(req("INVITE", "z9hG4bKpp1", "c-part", "f1", NULL, 1,
	    "CSeq: 1 INVITE\n"));
	inv2 = strdup(req("INVITE", "z9hG4bKpp2", "c-whole", "f2", NULL, 1,
	    NULL));
	feed(tr, 0, A, B, inv1);
	feed(tr, 10, A, C, inv2);
	track_advance(tr, 1700000000000000LL + 40000 * 1000LL);
	expect("invite-timeout", "c-part", "invite-timeout", "c-whole", NULL);
	ck_assert_int_eq(got[0].partial, 1);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "parse error"));
	ck_assert_int_eq(got[0].gap, 0);
	ck_assert_int_eq(got[0].drops, 0);
	ck_assert_int_eq(got[1].partial, 0);
	ck_assert_ptr_null(strstr(got[1].summary, "parse error"));
	r = report(tr);
	ev = json_object_get(json_object_get(r, "incidents"),
	    "incomplete_evidence");
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "incidents")),
	    1);
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "partial_parse")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "drops_nearby")), 0);
	json_decref(r);
	free(inv1);
	free(inv2);
	track_destroy(tr);
}
END_TEST

/*
 * Capture drops (track_capture_drops(), pcap_stats) counted in a span
 * that overlaps the 64*T1 before a verdict mark it (drops_nearby); a
 * verdict more than 64*T1 after the last rise is not marked, nor is one
 * when the counter did not rise.
 */
START_TEST(test_drops_nearby_marks_verdicts)
{
	struct track	*tr = tracker();
	char		*inv1, *inv2, *opt;
	json_t		*r, *ev;

	inv1 = strdup(req("INVITE", "z9hG4bKdr1", "c-drop", "f1", NULL, 1,
	    NULL));
	inv2 = strdup(req("INVITE", "z9hG4bKdr2", "c-later", "f2", NULL, 1,
	    NULL));
	opt = strdup(req("OPTIONS", "z9hG4bKdr3", "c-opt", "f3", NULL, 1,
	    NULL));
	track_capture_drops(tr, 0);
	feed(tr, 0, A, B, inv1);
	feed(tr, 1000, A, C, opt);
	track_capture_drops(tr, 7);	/* lost between 0 and 1 s */
	feed(tr, 2000, A, C, resp(200, "OK", "z9hG4bKdr3", "c-opt", "f3",
	    "t3", 1, "OPTIONS", NULL));
	track_capture_drops(tr, 7);	/* no more */
	feed(tr, 40000, A, C, inv2);
	track_capture_drops(tr, 7);
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	/* Timer B at 32 s: the span ends 31 s before; at 72 s: 71 s. */
	expect("invite-timeout", "c-drop", "invite-timeout", "c-later", NULL);
	ck_assert_int_eq(got[0].drops, 1);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "dropped packets"));
	ck_assert_int_eq(got[1].drops, 0);
	ck_assert_int_eq(got[0].partial, 0);
	ck_assert(track_drops_near(tr, 1700000000000000LL + 32500 * 1000LL));
	ck_assert(!track_drops_near(tr, 1700000000000000LL + 33500 * 1000LL));
	ck_assert(!track_drops_near(tr, 1700000000000000LL));
	r = report(tr);
	ev = json_object_get(json_object_get(r, "incidents"),
	    "incomplete_evidence");
	ck_assert_int_eq(json_integer_value(json_object_get(ev, "incidents")),
	    1);
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "drops_nearby")), 1);
	json_decref(r);
	free(inv1);
	free(inv2);
	free(opt);
	track_destroy(tr);
}
END_TEST

/* A provisional stops Timer B: a long ringing call is not a timeout. */
START_TEST(test_invite_ringing_no_timeout)
{
	struct track	*tr = tracker();

	feed(tr, 0, A, B, req("INVITE", "z9hG4bKr", "c-ring", "f1", NULL, 1,
	    NULL));
	feed(tr, 100, B, A, resp(180, "Ringing", "z9hG4bKr", "c-ring", "f1",
	    "t1", 1, "INVITE", NULL));
	feed(tr, 60000, B, A, resp(486, "Busy Here", "z9hG4bKr", "c-ring",
	    "f1", "t1", 1, "INVITE", NULL));
	feed(tr, 60010, A, B, req("ACK", "z9hG4bKr", "c-ring", "f1", "t1", 1,
	    NULL));
	track_advance(tr, 1700000000000000LL + 120000 * 1000LL);
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/* Timer H: a non-2xx final never ACKed is counted, not alerted. */
START_TEST(test_timer_h)
{
	struct track	*tr = tracker();
	json_t		*r;

	feed(tr, 0, A, B, req("INVITE", "z9hG4bKh", "c-h", "f1", NULL, 1,
	    NULL));
	feed(tr, 10, B, A, resp(486, "Busy Here", "z9hG4bKh", "c-h", "f1",
	    "t1", 1, "INVITE", NULL));
	feed(tr, 510, B, A, resp(486, "Busy Here", "z9hG4bKh", "c-h", "f1",
	    "t1", 1, "INVITE", NULL));
	track_advance(tr, 1700000000000000LL + 40000 * 1000LL);
	track_finish(tr);
	expect(NULL);
	r = report(tr);
	ck_assert_int_eq(jget(r, "transactions", "non2xx_not_acked"), 1);
	ck_assert_int_eq(jget(r, "pending_at_end", "count"), 0);
	json_decref(r);
	track_destroy(tr);
}
END_TEST

/* Timer F; and a deadline past the last packet is pending, not fired. */
START_TEST(test_non_invite_timeout_and_pending)
{
	struct track	*tr = tracker();
	json_t		*r, *e;

	feed(tr, 0, A, B, req("OPTIONS", "z9hG4bKo1", "c-opt", "f1", NULL, 1,
	    NULL));
	feed(tr, 40000, A, B, req("OPTIONS", "z9hG4bKo2", "c-opt2", "f2",
	    NULL, 1, NULL));
	feed(tr, 41000, A, B, req("INVITE", "z9hG4bKi", "c-inv", "f3", NULL,
	    1, NULL));
	track_finish(tr);
	expect("non-invite-timeout", "c-opt", NULL);
	ck_assert_int_eq(got[0].ts, 1700000000000000LL + 32000 * 1000LL);
	ck_assert_str_eq(got[0].method, "OPTIONS");

	r = report(tr);
	e = json_object_get(r, "pending_at_end");
	ck_assert_int_eq(json_integer_value(json_object_get(e, "count")), 2);
	e = json_object_get(e, "entries");
	ck_assert_int_eq(json_array_size(e), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e,
	    0), "rule")), "non-invite-timeout");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e,
	    0), "call_id")), "c-opt2");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e,
	    1), "rule")), "invite-timeout");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e,
	    1), "call_id")), "c-inv");
	json_decref(r);
	track_destroy(tr);
}
END_TEST

/* 2xx retransmitted, never ACKed, callee hangs up: ack-missing. */
START_TEST(test_ack_missing)
{
	struct track	*tr = tracker();
	static const int resend[] = { 1000, 1500, 2500, 4500, 8500, 12500,
	    16500, 20500, 24500, 28500, 32500 };
	char		*ok;
	unsigned	 i;

	feed(tr, 0, A, B, req("INVITE", "z9hG4bKx", "c-noack", "f1", NULL, 1,
	    NULL));
	ok = strdup(resp(200, "OK", "z9hG4bKx", "c-noack", "f1", "t1", 1,
	    "INVITE", "Contact: <sip:bob@192.168.1.20>\n"));
	for (i = 0; i < 11; i++)
		feed(tr, resend[i], B, A, ok);
	feed(tr, 33000, B, A, req("BYE", "z9hG4bKbye", "c-noack", "t1", "f1",
	    1, NULL));
	feed(tr, 33010, A, B, resp(200, "OK", "z9hG4bKbye", "c-noack", "t1",
	    "f1", 1, "BYE", NULL));
	track_finish(tr);
	expect("ack-missing", "c-noack", NULL);
	ck_assert_int_eq(got[0].ts, 1700000000000000LL + 33000 * 1000LL);
	ck_assert_int_eq(got[0].code, 200);
	ck_assert_str_eq(got[0].src, B);
	ck_assert_ptr_nonnull(strstr(got[0].advice, "sip:bob@192.168.1.20"));
	free(ok);
	track_destroy(tr);
}
END_TEST

/* The ACK comes: nothing.  A 2xx sent once without ACK: not an alert. */
START_TEST(test_ack_present_or_unobserved)
{
	struct track	*tr = tracker();
	json_t		*r;

	feed(tr, 0, A, B, req("INVITE", "z9hG4bKy", "c-ack", "f1", NULL, 1,
	    NULL));
	feed(tr, 1000, B, A, resp(200, "OK", "z9hG4bKy", "c-ack", "f1", "t1",
	    1, "INVITE", NULL));
	feed(tr, 1500, B, A, resp(200, "OK", "z9hG4bKy", "c-ack", "f1", "t1",
	    1, "INVITE", NULL));
	feed(tr, 1600, A, B, req("ACK", "z9hG4bKack", "c-ack", "f1", "t1", 1,
	    NULL));
	feed(tr, 5000, A, B, req("INVITE", "z9hG4bKz", "c-once", "f2", NULL,
	    1, NULL));
	feed(tr, 6000, B, A, resp(200, "OK", "z9hG4bKz", "c-once", "f2", "t2",
	    1, "INVITE", NULL));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect(NULL);
	r = report(tr);
	ck_assert_int_eq(jget(r, "calls", "ack_not_observed"), 1);
	json_decref(r);
	track_destroy(tr);
}
END_TEST

/* UDP: two sends are fine, three are not; TCP: any resend. */
START_TEST(test_retransmission)
{
	struct track	*tr = tracker();
	char		*r1, *r2;

	r1 = strdup(req("REGISTER", "z9hG4bKu", "c-udp", "f1", NULL, 1,
	    NULL));
	feed(tr, 0, A, B, r1);
	feed(tr, 500, A, B, r1);
	feed(tr, 600, B, A, resp(200, "OK", "z9hG4bKu", "c-udp", "f1", "t1",
	    1, "REGISTER", NULL));
	expect(NULL);
	r2 = strdup(req("REGISTER", "z9hG4bKt", "c-tcp", "f2", NULL, 1,
	    NULL));
	/* Another server: an incident of its own. */
	feed_tp(tr, 1000, A, C, DECODE_TP_TCP, r2);
	feed_tp(tr, 1500, A, C, DECODE_TP_TCP, r2);
	/* The verdict waits for the outcome: it could still time out. */
	expect(NULL);
	feed_tp(tr, 1600, C, A, DECODE_TP_TCP, resp(200, "OK", "z9hG4bKt",
	    "c-tcp", "f2", "t2", 1, "REGISTER", NULL));
	expect("retransmission", "c-tcp", NULL);
	ck_assert_int_eq(got[0].ts, 1700000000000000LL + 1600 * 1000LL);
	ck_assert_ptr_nonnull(strstr(got[0].summary,
	    "first response came 0.6 s after"));
	feed(tr, 2000, A, B, r1);	/* after the final: third send */
	expect("retransmission", "c-tcp", "retransmission", "c-udp", NULL);
	ck_assert_ptr_nonnull(strstr(got[1].advice, "not reaching"));
	free(r1);
	free(r2);
	track_destroy(tr);
}
END_TEST

/*
 * Matching: the ACK for a non-2xx and CANCEL share the INVITE's branch
 * but are not retransmissions of it; RFC 2543 requests (no cookie) match
 * on Call-ID, tags, CSeq and Via.
 */
START_TEST(test_matching)
{
	struct track	*tr = tracker();
	json_t		*r;
	char		*inv;

	feed(tr, 0, A, B, req("INVITE", "z9hG4bKm", "c-m", "f1", NULL, 1,
	    NULL));
	feed(tr, 50, B, A, resp(180, "Ringing", "z9hG4bKm", "c-m", "f1", "t1",
	    1, "INVITE", NULL));
	feed(tr, 3000, A, B, req("CANCEL", "z9hG4bKm", "c-m", "f1", NULL, 1,
	    NULL));
	feed(tr, 3010, B, A, resp(200, "OK", "z9hG4bKm", "c-m", "f1", "t1", 1,
	    "CANCEL", NULL));
	feed(tr, 3020, B, A, resp(487, "Request Terminated", "z9hG4bKm",
	    "c-m", "f1", "t1", 1, "INVITE", NULL));
	feed(tr, 3030, A, B, req("ACK", "z9hG4bKm", "c-m", "f1", "t1", 1,
	    NULL));
	feed(tr, 3530, B, A, resp(487, "Request Terminated", "z9hG4bKm",
	    "c-m", "f1", "t1", 1, "INVITE", NULL));
	feed(tr, 3540, A, B, req("ACK", "z9hG4bKm", "c-m", "f1", "t1", 1,
	    NULL));

	/* RFC 2543: a branch without the cookie. */
	inv = strdup(req("INVITE", "old1", "c-2543", "f9", NULL, 7, NULL));
	feed(tr, 4000, A, B, inv);
	feed(tr, 4500, A, B, inv);
	feed(tr, 4600, B, A, resp(604, "Does Not Exist Anywhere", "old1",
	    "c-2543", "f9", "t9", 7, "INVITE", NULL));
	feed(tr, 4610, A, B, req("ACK", "old1", "c-2543", "f9", "t9", 7,
	    NULL));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	track_finish(tr);
	expect("global-failure", "c-2543", NULL);

	r = report(tr);
	/* INVITE, CANCEL, INVITE: three transactions; no timeout. */
	ck_assert_int_eq(jget(r, "transactions", "count"), 3);
	ck_assert_int_eq(jget(r, "transactions", "rfc2543"), 1);
	ck_assert_int_eq(jget(r, "transactions", "request_retransmissions"),
	    1);
	ck_assert_int_eq(jget(r, "transactions", "response_retransmissions"),
	    1);
	ck_assert_int_eq(jget(r, "transactions", "acks_non2xx"), 3);
	ck_assert_int_eq(jget(r, "transactions", "timed_out"), 0);
	ck_assert_int_eq(jget(r, "calls", "cancelled"), 1);
	json_decref(r);
	free(inv);
	track_destroy(tr);
}
END_TEST

/*
 * One packet captured twice is not a retransmission; a completed
 * transaction's request replayed from elsewhere is a new transaction.
 */
START_TEST(test_duplicates_and_replays)
{
	struct track	*tr = tracker();
	json_t		*r;
	char		*inv, *ok;

	inv = strdup(req("INVITE", "z9hG4bKdup", "c-dup", "f1", NULL, 1,
	    NULL));
	ok = strdup(resp(486, "Busy Here", "z9hG4bKdup", "c-dup", "f1", "t1",
	    1, "INVITE", NULL));
	feed(tr, 0, A, B, inv);
	feed(tr, 1, A, B, inv);		/* 1 ms later: the same packet */
	feed(tr, 2, A, B, inv);
	feed(tr, 10, B, A, ok);
	/* The same call replayed 1 s later between other addresses. */
	feed(tr, 1000, "10.0.1.1:5060", "10.0.1.2:5060", inv);
	feed(tr, 1010, "10.0.1.2:5060", "10.0.1.1:5060", ok);
	track_finish(tr);
	expect(NULL);
	r = report(tr);
	ck_assert_int_eq(jget(r, "transactions", "capture_duplicates"), 2);
	ck_assert_int_eq(jget(r, "transactions", "request_retransmissions"),
	    0);
	ck_assert_int_eq(jget(r, "transactions", "count"), 2);
	/* Same Call-ID and From-tag after a failure: the same call again. */
	ck_assert_int_eq(jget(r, "calls", "count"), 1);
	json_decref(r);
	free(inv);
	free(ok);
	track_destroy(tr);
}
END_TEST

/* The two sides of a proxy are two transactions; a 502 names both. */
START_TEST(test_proxy_hops_bad_gateway)
{
	struct track	*tr = tracker();
	const char	*P = "10.0.0.9:5060", *G = "10.0.0.7:5060";

	feed(tr, 0, A, P, req("INVITE", "z9hG4bKleg1", "c-502", "f1", NULL, 1,
	    NULL));
	feed(tr, 5, P, A, resp(100, "Trying", "z9hG4bKleg1", "c-502", "f1",
	    NULL, 1, "INVITE", NULL));
	feed(tr, 10, P, G,
	    "INVITE sip:bob@10.0.0.7 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKleg2\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKleg1\n"
	    "Max-Forwards: 69\n"
	    "From: <sip:alice@example.com>;tag=f1\n"
	    "To: <sip:bob@example.com>\n"
	    "Call-ID: c-502\n"
	    "CSeq: 1 INVITE");
	feed(tr, 20, G, P,
	    "SIP/2.0 500 Oops\n"
	    "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKleg2\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKleg1\n"
	    "From: <sip:alice@example.com>;tag=f1\n"
	    "To: <sip:bob@example.com>;tag=gw\n"
	    "Call-ID: c-502\n"
	    "CSeq: 1 INVITE");
	feed(tr, 30, P, A, resp(502, "Bad Gateway", "z9hG4bKleg1", "c-502",
	    "f1", "px", 1, "INVITE", "Server: TestProxy/1.0\n"
	    "Warning: 399 proxy.example.com \"garbage from gateway\"\n"));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect("bad-gateway", "c-502", NULL);
	ck_assert_str_eq(got[0].src, P);
	ck_assert_int_eq(got[0].code, 502);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "TestProxy/1.0"));
	ck_assert_ptr_nonnull(strstr(got[0].summary, "garbage from gateway"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, G));
	track_destroy(tr);
}
END_TEST

static void
refer_setup(struct track *tr, const char *cid, int accept)
{
	feed(tr, 0, A, B, req("REFER", "z9hG4bKref", cid, "fa", "tb", 5,
	    "Refer-To: <sip:carol@example.com>\n"));
	if (accept != 0)
		feed(tr, 100, B, A, resp(accept, "Accepted", "z9hG4bKref", cid,
		    "fa", "tb", 5, "REFER", NULL));
}

static char *
notify(const char *cid, const char *branch, unsigned cseq, const char *frag,
    const char *state)
{
	static char	buf[2048];

	snprintf(buf, sizeof buf,
	    "NOTIFY sip:alice@10.0.0.1 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=%s\n"
	    "From: <sip:bob@example.com>;tag=tb\n"
	    "To: <sip:alice@example.com>;tag=fa\n"
	    "Call-ID: %s\n"
	    "CSeq: %u NOTIFY\n"
	    "Event: refer\n"
	    "Subscription-State: %s\n"
	    "Content-Type: message/sipfrag;version=2.0\n"
	    "\n"
	    "%s",
	    branch, cid, cseq, state, frag);
	return (buf);
}

static char *
notify_ok(const char *cid, const char *branch, unsigned cseq)
{
	static char	buf[1024];

	snprintf(buf, sizeof buf,
	    "SIP/2.0 200 OK\n"
	    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=%s\n"
	    "From: <sip:bob@example.com>;tag=tb\n"
	    "To: <sip:alice@example.com>;tag=fa\n"
	    "Call-ID: %s\n"
	    "CSeq: %u NOTIFY", branch, cid, cseq);
	return (buf);
}

/* REFER accepted (202 or 200), no NOTIFY: refer-no-notify at 64*T1. */
START_TEST(test_refer_no_notify)
{
	struct track	*tr = tracker();

	refer_setup(tr, "c-ref202", 202);
	track_advance(tr, 1700000000000000LL + 40000 * 1000LL);
	expect("refer-no-notify", "c-ref202", NULL);
	ck_assert_int_eq(got[0].ts, 1700000000000000LL + 32100 * 1000LL);
	ck_assert_str_eq(got[0].method, "REFER");
	ck_assert_int_eq(got[0].code, 202);
	ck_assert_str_eq(got[0].src, A);
	track_destroy(tr);

	/* RFC 7647: 200 is the same as 202. */
	tr = tracker();
	refer_setup(tr, "c-ref200", 200);
	track_advance(tr, 1700000000000000LL + 40000 * 1000LL);
	expect("refer-no-notify", "c-ref200", NULL);
	ck_assert_int_eq(got[0].code, 200);
	track_destroy(tr);

	/* Refer-Sub: false (RFC 4488): no NOTIFY is due. */
	tr = tracker();
	feed(tr, 0, A, B, req("REFER", "z9hG4bKns", "c-nosub", "fa", "tb", 5,
	    "Refer-To: <sip:carol@example.com>\nRefer-Sub: false\n"));
	feed(tr, 100, B, A, resp(200, "OK", "z9hG4bKns", "c-nosub", "fa",
	    "tb", 5, "REFER", "Refer-Sub: false\n"));
	track_advance(tr, 1700000000000000LL + 40000 * 1000LL);
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/* The NOTIFYs come; the sipfrag says how the transfer ended. */
START_TEST(test_transfer_outcome)
{
	struct track	*tr = tracker();
	json_t		*r;

	refer_setup(tr, "c-xok", 202);
	feed(tr, 150, B, A, notify("c-xok", "z9hG4bKn1", 1,
	    "SIP/2.0 100 Trying\n", "active;expires=60"));
	feed(tr, 160, A, B, notify_ok("c-xok", "z9hG4bKn1", 1));
	feed(tr, 3000, B, A, notify("c-xok", "z9hG4bKn2", 2,
	    "SIP/2.0 200 OK\n", "terminated;reason=noresource"));
	feed(tr, 3010, A, B, notify_ok("c-xok", "z9hG4bKn2", 2));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect(NULL);
	r = report(tr);
	ck_assert_int_eq(jget(r, "transfers", "succeeded"), 1);
	ck_assert_int_eq(jget(r, "transfers", "accepted_202"), 1);
	json_decref(r);
	track_destroy(tr);

	tr = tracker();
	refer_setup(tr, "c-xbusy", 200);
	feed(tr, 150, B, A, notify("c-xbusy", "z9hG4bKn1", 1,
	    "SIP/2.0 100 Trying\n", "active;expires=60"));
	feed(tr, 155, A, B, notify_ok("c-xbusy", "z9hG4bKn1", 1));
	feed(tr, 5000, B, A, notify("c-xbusy", "z9hG4bKn2", 2,
	    "SIP/2.0 486 Busy Here\n", "terminated;reason=noresource"));
	feed(tr, 5005, A, B, notify_ok("c-xbusy", "z9hG4bKn2", 2));
	/* The same NOTIFY seen again (another hop) raises nothing more. */
	feed(tr, 5500, B, A, notify("c-xbusy", "z9hG4bKn3", 3,
	    "SIP/2.0 486 Busy Here\n", "terminated;reason=noresource"));
	feed(tr, 5505, A, B, notify_ok("c-xbusy", "z9hG4bKn3", 3));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect("transfer-failed", "c-xbusy", NULL);
	ck_assert_int_eq(got[0].code, 486);
	ck_assert_str_eq(got[0].method, "NOTIFY");
	ck_assert_ptr_nonnull(strstr(got[0].summary, "sip:carol@example.com"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, "busy"));
	track_destroy(tr);
}
END_TEST

/* REFER refused: refer-rejected; an auth challenge is not a refusal. */
START_TEST(test_refer_rejected)
{
	struct track	*tr = tracker();

	refer_setup(tr, "c-rej", 0);
	feed(tr, 50, B, A, resp(407, "Proxy Authentication Required",
	    "z9hG4bKref", "c-rej", "fa", "tb", 5, "REFER", NULL));
	feed(tr, 100, A, B, req("REFER", "z9hG4bKref2", "c-rej", "fa", "tb", 6,
	    "Refer-To: <sip:carol@example.com>\n"));
	feed(tr, 150, B, A, resp(603, "Declined", "z9hG4bKref2", "c-rej", "fa",
	    "tb", 6, "REFER", NULL));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect("refer-rejected", "c-rej", NULL);
	ck_assert_int_eq(got[0].code, 603);
	ck_assert_str_eq(got[0].src, A);
	track_destroy(tr);
}
END_TEST

/* 503 + Retry-After: a new INVITE to the same server too soon. */
START_TEST(test_retry_after_violation)
{
	struct track	*tr = tracker();

	feed(tr, 0, A, B, req("INVITE", "z9hG4bK1", "c-ra1", "f1", NULL, 1,
	    NULL));
	feed(tr, 10, B, A, resp(503, "Service Unavailable", "z9hG4bK1",
	    "c-ra1", "f1", "t1", 1, "INVITE", "Retry-After: 30\n"));
	feed(tr, 20, A, B, req("ACK", "z9hG4bK1", "c-ra1", "f1", "t1", 1,
	    NULL));
	/* A retransmitted 503 and its ACK are not new transactions. */
	feed(tr, 500, B, A, resp(503, "Service Unavailable", "z9hG4bK1",
	    "c-ra1", "f1", "t1", 1, "INVITE", "Retry-After: 30\n"));
	feed(tr, 510, A, B, req("ACK", "z9hG4bK1", "c-ra1", "f1", "t1", 1,
	    NULL));
	feed(tr, 5010, A, B, req("INVITE", "z9hG4bK2", "c-ra2", "f2", NULL, 1,
	    NULL));
	feed(tr, 5020, B, A, resp(503, "Service Unavailable", "z9hG4bK2",
	    "c-ra2", "f2", "t2", 1, "INVITE", "Retry-After: 30\n"));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect("retry-after-violation", "c-ra2", NULL);
	ck_assert_int_eq(got[0].ts, 1700000000000000LL + 5010 * 1000LL);
	ck_assert_str_eq(got[0].src, A);
	ck_assert_str_eq(got[0].dst, B);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "Retry-After: 30"));
	track_destroy(tr);

	/* Honoured: the next request comes after 31 s. */
	tr = tracker();
	feed(tr, 0, A, B, req("INVITE", "z9hG4bK1", "c-ra1", "f1", NULL, 1,
	    NULL));
	feed(tr, 10, B, A, resp(503, "Service Unavailable", "z9hG4bK1",
	    "c-ra1", "f1", "t1", 1, "INVITE", "Retry-After: 30\n"));
	feed(tr, 20, A, B, req("ACK", "z9hG4bK1", "c-ra1", "f1", "t1", 1,
	    NULL));
	feed(tr, 31010, A, B, req("INVITE", "z9hG4bK3", "c-ra3", "f3", NULL,
	    1, NULL));
	feed(tr, 31020, B, A, resp(200, "OK", "z9hG4bK3", "c-ra3", "f3", "t3",
	    1, "INVITE", NULL));
	feed(tr, 31030, A, B, req("ACK", "z9hG4bK4", "c-ra3", "f3", "t3", 1,
	    NULL));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/* 486 + Retry-After: calling the same user again too soon (notice). */
START_TEST(test_premature_retry)
{
	struct track	*tr = tracker();

	feed(tr, 0, A, B, req("INVITE", "z9hG4bK1", "c-pr1", "f1", NULL, 1,
	    NULL));
	feed(tr, 10, B, A, resp(486, "Busy Here", "z9hG4bK1", "c-pr1", "f1",
	    "t1", 1, "INVITE", "Retry-After: 60\n"));
	feed(tr, 20, A, B, req("ACK", "z9hG4bK1", "c-pr1", "f1", "t1", 1,
	    NULL));
	feed(tr, 10000, A, B, req("INVITE", "z9hG4bK2", "c-pr2", "f2", NULL, 1,
	    NULL));
	feed(tr, 10010, B, A, resp(486, "Busy Here", "z9hG4bK2", "c-pr2", "f2",
	    "t2", 1, "INVITE", "Retry-After: 60\n"));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect("premature-retry", "c-pr2", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "bob"));
	track_destroy(tr);
}
END_TEST

/* K 5xx within W from one server: one burst alert with the breakdown. */
/*
 * A response captured before its request (two taps, clock skew): held
 * for the reorder window, then matched when the request comes; no
 * timeout, the call answered.  A response whose request never comes is
 * processed without it once the window has passed.
 */
START_TEST(test_response_before_request)
{
	struct track	*tr = tracker();
	json_t		*r;

	feed(tr, 0, B, A, resp(100, "Trying", "z9hG4bKrb", "c-rb", "f1",
	    NULL, 1, "INVITE", NULL));
	feed(tr, 5, A, B, req("INVITE", "z9hG4bKrb", "c-rb", "f1", NULL, 1,
	    NULL));
	feed(tr, 2000, B, A, resp(200, "OK", "z9hG4bKrb", "c-rb", "f1", "t1",
	    1, "INVITE", NULL));
	feed(tr, 2010, A, B, req("ACK", "z9hG4bKra", "c-rb", "f1", "t1", 1,
	    NULL));
	/* A final response before its request: no Timer F verdict. */
	feed(tr, 2500, B, A, resp(200, "OK", "z9hG4bKrq", "c-rq", "f3", "t3",
	    1, "OPTIONS", NULL));
	feed(tr, 2502, A, B, req("OPTIONS", "z9hG4bKrq", "c-rq", "f3", NULL, 1,
	    NULL));
	/* A 200 to an OPTIONS that was never captured. */
	feed(tr, 3000, B, A, resp(200, "OK", "z9hG4bKro", "c-ro", "f2", "t2",
	    1, "OPTIONS", NULL));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	track_finish(tr);
	expect(NULL);
	r = report(tr);
	ck_assert_int_eq(jget(r, "transactions", "responses_before_request"),
	    2);
	ck_assert_int_eq(jget(r, "transactions", "without_request"), 1);
	ck_assert_int_eq(jget(r, "transactions", "timed_out"), 0);
	ck_assert_int_eq(jget(r, "calls", "answered"), 1);
	json_decref(r);
	track_destroy(tr);
}
END_TEST

/*
 * Evidence of a response the capture lost: no Timer B/F verdict.  The ACK
 * of a non-2xx; a 2xx's ACK (the call was answered); a PRACK (a reliable
 * provisional); a client that stopped retransmitting after the server
 * sent it something.  Without evidence the timeout stands.
 */
START_TEST(test_response_not_captured)
{
	struct track	*tr = tracker();
	char		*inv;
	json_t		*r;

	/* INVITE, its 486 lost, the ACK (same branch, with To-tag). */
	feed(tr, 0, A, B, req("INVITE", "z9hG4bKe1", "c-e1", "f1", NULL, 1,
	    NULL));
	feed(tr, 300, A, B, req("ACK", "z9hG4bKe1", "c-e1", "f1", "t1", 1,
	    NULL));
	/* INVITE, its 200 lost, the ACK (a new branch). */
	feed(tr, 1000, A, B, req("INVITE", "z9hG4bKe2", "c-e2", "f2", NULL, 1,
	    NULL));
	feed(tr, 1400, A, B, req("ACK", "z9hG4bKe2a", "c-e2", "f2", "t2", 1,
	    NULL));
	/* INVITE, its 183 with Require: 100rel lost, the PRACK. */
	feed(tr, 2000, A, B, req("INVITE", "z9hG4bKe3", "c-e3", "f3", NULL, 1,
	    NULL));
	feed(tr, 2300, A, B, req("PRACK", "z9hG4bKe3p", "c-e3", "f3", "t3", 2,
	    NULL));
	feed(tr, 2310, B, A, resp(200, "OK", "z9hG4bKe3p", "c-e3", "f3", "t3",
	    2, "PRACK", NULL));
	/* OPTIONS sent twice; the server sent a NOTIFY back in the same
	 * Call-ID, and the client stopped retransmitting: its 200 was lost. */
	inv = strdup(req("OPTIONS", "z9hG4bKe4", "c-e4", "f4", NULL, 1,
	    NULL));
	feed(tr, 3000, A, B, inv);
	feed(tr, 3500, A, B, inv);
	feed(tr, 3600, B, A, req("NOTIFY", "z9hG4bKe4n", "c-e4", "t4", "f4",
	    1, NULL));
	feed(tr, 3610, A, B, resp(200, "OK", "z9hG4bKe4n", "c-e4", "t4", "f4",
	    1, "NOTIFY", NULL));
	free(inv);
	/* Without evidence: an INVITE that got nothing times out. */
	feed(tr, 5000, A, C, req("INVITE", "z9hG4bKe5", "c-e5", "f5", NULL, 1,
	    NULL));
	track_advance(tr, 1700000000000000LL + 60000 * 1000LL);
	track_finish(tr);
	expect("invite-timeout", "c-e5", NULL);
	r = report(tr);
	ck_assert_int_eq(jget(r, "transactions", "responses_not_captured"),
	    4);
	ck_assert_int_eq(jget(r, "calls", "answered"), 1);
	ck_assert_int_eq(jget(r, "calls", "answer_not_captured"), 1);
	json_decref(r);
	track_destroy(tr);
}
END_TEST

/*
 * Incidents: one per (rule, subject), raised once, updated at most once
 * per window with the count so far, cleared after the hold time without
 * occurrence (burst rules); the same condition later is a new incident.
 */
START_TEST(test_incident_lifecycle)
{
	struct track	*tr = tracker();
	char		 cid[32], br[32];
	json_t		*r, *l;
	int		 i;

	/* 30 5xx from B, one every 2 s: K=10 within 60 s from the 10th. */
	for (i = 0; i < 30; i++) {
		snprintf(cid, sizeof cid, "c-i%d", i);
		snprintf(br, sizeof br, "z9hG4bKi%d", i);
		feed(tr, i * 2000, A, B, req("OPTIONS", br, cid, "f", NULL, 1,
		    NULL));
		feed(tr, i * 2000 + 5, B, A, resp(503, "Busy", br, cid, "f",
		    "t", 1, "OPTIONS", NULL));
	}
	/* Silence past the hold time (120 s), then the same again. */
	for (i = 0; i < 10; i++) {
		snprintf(cid, sizeof cid, "c-j%d", i);
		snprintf(br, sizeof br, "z9hG4bKj%d", i);
		feed(tr, 400000 + i * 1000, A, B, req("OPTIONS", br, cid, "f",
		    NULL, 1, NULL));
		feed(tr, 400000 + i * 1000 + 5, B, A, resp(503, "Busy", br,
		    cid, "f", "t", 1, "OPTIONS", NULL));
	}
	track_advance(tr, 1700000000000000LL + 700000 * 1000LL);

	/* raise (10th 5xx, 18 s), update (60 s later: 21 so far), clear
	 * 120 s after the last (58 s): 178 s; raise again at 409 s, clear. */
	ck_assert_int_eq(nlines, 5);
	ck_assert_int_eq(lines[0].event, ALERT_EVENT_RAISE);
	ck_assert_int_eq(lines[0].count, 1);
	ck_assert_str_eq(lines[0].subject, "server " B);
	ck_assert_int_eq(lines[1].event, ALERT_EVENT_UPDATE);
	ck_assert_str_eq(lines[1].incident, lines[0].incident);
	ck_assert_int_eq(lines[1].ts, lines[0].ts + 60 * 1000000LL);
	ck_assert_int_eq(lines[1].count, 21);
	ck_assert_int_eq(lines[2].event, ALERT_EVENT_CLEAR);
	ck_assert_str_eq(lines[2].incident, lines[0].incident);
	ck_assert_int_eq(lines[2].count, 21);
	ck_assert_int_eq(lines[2].first, lines[0].ts);
	ck_assert_int_eq(lines[2].last, 1700000000000000LL + 58005 * 1000LL);
	ck_assert_int_eq(lines[2].ts, lines[2].last + 120 * 1000000LL);
	ck_assert_int_eq(lines[3].event, ALERT_EVENT_RAISE);
	ck_assert_str_ne(lines[3].incident, lines[0].incident);
	ck_assert_int_eq(lines[4].event, ALERT_EVENT_CLEAR);
	ck_assert_int_eq(lines[4].count, 1);
	expect("server-error-burst", "c-i9", "server-error-burst", "c-j9",
	    NULL);

	r = report(tr);
	ck_assert_int_eq(jget(r, "incidents", "count"), 2);
	ck_assert_int_eq(jget(r, "incidents", "updates"), 1);
	ck_assert_int_eq(jget(r, "incidents", "clears"), 2);
	l = json_object_get(json_object_get(r, "incidents"), "list");
	ck_assert_int_eq(json_array_size(l), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_array_get(l, 0), "count")), 21);
	json_decref(r);
	track_destroy(tr);
}
END_TEST

/* Timeouts to one server from several calls are one incident. */
START_TEST(test_incident_per_server)
{
	struct track	*tr = tracker();
	char		 cid[32], br[32];
	int		 i;

	for (i = 0; i < 3; i++) {
		snprintf(cid, sizeof cid, "c-t%d", i);
		snprintf(br, sizeof br, "z9hG4bKt%d", i);
		feed(tr, i * 1000, A, B, req("INVITE", br, cid, "f", NULL, 1,
		    NULL));
	}
	track_advance(tr, 1700000000000000LL + 40000 * 1000LL);
	track_finish(tr);
	expect("invite-timeout", "c-t0", NULL);
	/* The last count is written at the end of the capture. */
	ck_assert_int_eq(nlines, 2);
	ck_assert_int_eq(lines[1].event, ALERT_EVENT_UPDATE);
	ck_assert_int_eq(lines[1].count, 3);
	track_destroy(tr);
}
END_TEST

START_TEST(test_server_error_burst)
{
	struct track	*tr = tracker();
	char		 cid[32], br[32];
	int		 i;

	for (i = 0; i < 12; i++) {
		snprintf(cid, sizeof cid, "c-b%d", i);
		snprintf(br, sizeof br, "z9hG4bKb%d", i);
		feed(tr, i * 1000, A, B, req("OPTIONS", br, cid, "f", NULL, 1,
		    NULL));
		feed(tr, i * 1000 + 5, B, A, resp(i % 3 == 0 ? 500 : 503,
		    "Err", br, cid, "f", "t", 1, "OPTIONS", NULL));
	}
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect("server-error-burst", "c-b9", NULL);
	ck_assert_str_eq(got[0].src, B);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "500: 4"));
	ck_assert_ptr_nonnull(strstr(got[0].summary, "503: 6"));
	track_destroy(tr);

	/* Nine are not a burst; neither are ten spread over 90 s. */
	tr = tracker();
	for (i = 0; i < 10; i++) {
		snprintf(cid, sizeof cid, "c-s%d", i);
		snprintf(br, sizeof br, "z9hG4bKs%d", i);
		feed(tr, i * 10000, A, B, req("OPTIONS", br, cid, "f", NULL, 1,
		    NULL));
		feed(tr, i * 10000 + 5, B, A, resp(503, "Err", br, cid, "f",
		    "t", 1, "OPTIONS", NULL));
	}
	track_advance(tr, 1700000000000000LL + 200000 * 1000LL);
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/* 302 back to a URI already tried in the call. */
START_TEST(test_redirect_loop)
{
	struct track	*tr = tracker();

	feed(tr, 0, A, B, req("INVITE", "z9hG4bK1", "c-rl", "f1", NULL, 1,
	    NULL));
	feed(tr, 10, B, A, resp(302, "Moved Temporarily", "z9hG4bK1", "c-rl",
	    "f1", "t1", 1, "INVITE", "Contact: <sip:carol@example.com>\n"));
	feed(tr, 20, A, B, req("ACK", "z9hG4bK1", "c-rl", "f1", "t1", 1,
	    NULL));
	feed(tr, 30, A, "10.0.0.3:5060",
	    "INVITE sip:carol@example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK2\n"
	    "From: <sip:alice@example.com>;tag=f1\n"
	    "To: <sip:bob@example.com>\n"
	    "Call-ID: c-rl\n"
	    "CSeq: 2 INVITE");
	feed(tr, 40, "10.0.0.3:5060", A,
	    "SIP/2.0 302 Moved Temporarily\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK2\n"
	    "From: <sip:alice@example.com>;tag=f1\n"
	    "To: <sip:bob@example.com>;tag=t3\n"
	    "Call-ID: c-rl\n"
	    "CSeq: 2 INVITE\n"
	    "Contact: <sip:bob@10.0.0.2:5060;transport=udp>");
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect("redirect-loop", "c-rl", NULL);
	ck_assert_int_eq(got[0].code, 302);
	ck_assert_str_eq(got[0].src, "10.0.0.3:5060");
	track_destroy(tr);
}
END_TEST

/* 6xx ends the call: 603 and 600 are told apart; one alert per call. */
START_TEST(test_global_failure)
{
	struct track	*tr = tracker();

	/* 603 and 600 are the callee's choice: no alert at all. */
	feed(tr, 0, A, B, req("INVITE", "z9hG4bK1", "c-603", "f1", NULL, 1,
	    NULL));
	feed(tr, 10, B, A, resp(603, "Decline", "z9hG4bK1", "c-603", "f1",
	    "t1", 1, "INVITE", NULL));
	feed(tr, 500, B, A, resp(603, "Decline", "z9hG4bK1", "c-603", "f1",
	    "t1", 1, "INVITE", NULL));
	feed(tr, 1000, A, B, req("INVITE", "z9hG4bK2", "c-600", "f2", NULL, 1,
	    NULL));
	feed(tr, 1010, B, A, resp(600, "Busy Everywhere", "z9hG4bK2", "c-600",
	    "f2", "t2", 1, "INVITE", NULL));
	expect(NULL);
	feed(tr, 2000, A, B, req("INVITE", "z9hG4bK3", "c-604", "f3", NULL, 1,
	    NULL));
	feed(tr, 2010, B, A, resp(604, "Does Not Exist Anywhere", "z9hG4bK3",
	    "c-604", "f3", "t3", 1, "INVITE", NULL));
	track_advance(tr, 1700000000000000LL + 100000 * 1000LL);
	expect("global-failure", "c-604", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].advice, "known not to exist"));
	track_destroy(tr);
}
END_TEST

/* A scanner by its User-Agent, and one by behaviour. */
START_TEST(test_scanner)
{
	struct track	*tr = tracker();
	char		 text[1024];
	int		 i;

	feed(tr, 0, "10.9.9.9:5060", B,
	    "OPTIONS sip:100@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK-1;rport\n"
	    "From: \"sipvicious\" <sip:100@1.1.1.1>;tag=aa\n"
	    "To: \"sipvicious\" <sip:100@1.1.1.1>\n"
	    "Call-ID: 1234567890\n"
	    "CSeq: 1 OPTIONS\n"
	    "User-Agent: friendly-scanner");
	feed(tr, 100, "10.9.9.9:5060", B,
	    "OPTIONS sip:101@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK-2;rport\n"
	    "From: \"sipvicious\" <sip:101@1.1.1.1>;tag=ab\n"
	    "To: \"sipvicious\" <sip:101@1.1.1.1>\n"
	    "Call-ID: 1234567891\n"
	    "CSeq: 1 OPTIONS\n"
	    "User-Agent: friendly-scanner");
	expect("scanner", "1234567890", NULL);
	ck_assert_str_eq(got[0].src, "10.9.9.9:5060");
	track_destroy(tr);

	/* No telltale UA: 12 users probed, all refused with 404. */
	tr = tracker();
	for (i = 0; i < 12; i++) {
		snprintf(text, sizeof text,
		    "INVITE sip:%d@10.0.0.2 SIP/2.0\n"
		    "Via: SIP/2.0/UDP 10.8.8.8:5070;branch=z9hG4bKp%d\n"
		    "From: <sip:x@10.8.8.8>;tag=p%d\n"
		    "To: <sip:%d@10.0.0.2>\n"
		    "Call-ID: probe-%d\n"
		    "CSeq: 1 INVITE", 200 + i, i, i, 200 + i, i);
		feed(tr, i * 100, "10.8.8.8:5070", B, text);
		snprintf(text, sizeof text,
		    "SIP/2.0 404 Not Found\n"
		    "Via: SIP/2.0/UDP 10.8.8.8:5070;branch=z9hG4bKp%d\n"
		    "From: <sip:x@10.8.8.8>;tag=p%d\n"
		    "To: <sip:%d@10.0.0.2>;tag=s%d\n"
		    "Call-ID: probe-%d\n"
		    "CSeq: 1 INVITE", i, i, 200 + i, i, i);
		feed(tr, i * 100 + 5, B, "10.8.8.8:5070", text);
	}
	expect("scanner", "probe-9", NULL);
	ck_assert_str_eq(got[0].src, "10.8.8.8:5070");
	track_destroy(tr);
}
END_TEST

/*
 * SIPVicious messages with stacked Vias: charged to the source that sends
 * them while it answers nothing (a tool hiding behind forged Vias), never
 * to a proxy that has answered requests and relays them.
 */
static void
relayed_probe(struct track *tr, int64_t t, const char *src, int n)
{
	char	text[1024];

	snprintf(text, sizeof text,
	    "OPTIONS sip:%d@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bKx%d\n"
	    "Via: SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK-%d;rport\n"
	    "From: \"sipvicious\" <sip:100@1.1.1.1>;tag=aa%d\n"
	    "To: \"sipvicious\" <sip:100@1.1.1.1>\n"
	    "Call-ID: 55%d\n"
	    "CSeq: 1 OPTIONS\n"
	    "User-Agent: friendly-scanner", 100 + n, src, n, n, n, n);
	feed(tr, t, src, B, text);
}

START_TEST(test_scanner_relayed)
{
	struct track	*tr = tracker();
	char		 adv[sizeof got[0].advice];

	relayed_probe(tr, 0, "10.7.7.7:5060", 1);
	relayed_probe(tr, 100, "10.7.7.7:5060", 2);
	expect("scanner", "551", NULL);
	ck_assert_str_eq(got[0].src, "10.7.7.7:5060");
	ck_assert_msg(strstr(got[0].summary, "to 1 host(s)") != NULL, "%s",
	    got[0].summary);
	snprintf(adv, sizeof adv, "%s", got[0].advice);
	ck_assert_msg(strstr(adv, "lower Via") != NULL, "%s", adv);
	track_destroy(tr);

	/* A proxy (it answered a request) relaying the same: not its doing. */
	tr = tracker();
	feed(tr, 0, A, C, req("OPTIONS", "z9hG4bKq1", "c-q", "f", NULL, 1,
	    NULL));
	feed(tr, 5, C, A, resp(200, "OK", "z9hG4bKq1", "c-q", "f", "t", 1,
	    "OPTIONS", NULL));
	relayed_probe(tr, 100, C, 1);
	relayed_probe(tr, 200, C, 2);
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/*
 * Metasploit's sip_invite_spoof: no branch, no From-tag, Call-ID 1NN and
 * the Via host.  An RFC 2543 INVITE without branch and tag is not it.
 */
START_TEST(test_scanner_forged)
{
	struct track	*tr = tracker();

	feed(tr, 0, "10.0.1.199:5060", "10.0.1.45:10270",
	    "INVITE sip:@127.0.0.1 SIP/2.0\n"
	    "To: <sip:10.0.1.45>\n"
	    "Via: SIP/2.0/UDP 10.0.1.45\n"
	    "From: \"testtest\"<sip:10.0.1.199>\n"
	    "Call-ID: 14810.0.1.45\n"
	    "CSeq: 1 INVITE\n"
	    "Max-Forwards: 20\n"
	    "Contact: <sip:127.0.0.1>");
	expect("scanner", "14810.0.1.45", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].summary,
	    "Metasploit sip_invite_spoof"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, "sent straight to "
	    "10.0.1.45"));
	track_destroy(tr);

	tr = tracker();
	feed(tr, 0, A, B,
	    "INVITE sip:bob@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1\n"
	    "From: <sip:alice@10.0.0.1>\n"
	    "To: <sip:bob@10.0.0.2>\n"
	    "Call-ID: 1234@10.0.0.1\n"
	    "CSeq: 1 INVITE\n"
	    "Contact: <sip:alice@10.0.0.1>");
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/* What the observations said: the peers of messages, final classes. */
static struct sw_addr	 obs_src_peer, obs_dst_peer;
static int		 obs_final_cls[8];
static int		 obs_nfinal;

static void
obs_peers(const struct track_obs *o, void *arg)
{
	(void)arg;
	if (o->type == TRACK_OBS_MESSAGE) {
		obs_src_peer = *o->u.msg.src_peer;
		obs_dst_peer = *o->u.msg.dst_peer;
	} else if (o->type == TRACK_OBS_FINAL && obs_nfinal < 8)
		obs_final_cls[obs_nfinal++] = o->u.final.cls;
}

/*
 * A source that sends requests from several ports and never a response
 * is published as its IP alone (port 0) for the per-peer views; a server
 * and a one-port client keep their ip:port.  A 401 to a REGISTER without
 * credentials is a challenge; to one with credentials, a failure.
 */
START_TEST(test_peer_identity)
{
	struct track	*tr = tracker();
	char		 text[1024];
	int		 i;

	ck_assert_int_eq(track_subscribe(tr, obs_peers, NULL), 0);
	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof text,
		    "REGISTER sip:10.0.0.2 SIP/2.0\n"
		    "Via: SIP/2.0/UDP 10.7.7.7:%d;branch=z9hG4bKs%d\n"
		    "From: <sip:10%d@10.0.0.2>;tag=s%d\n"
		    "To: <sip:10%d@10.0.0.2>\n"
		    "Call-ID: scan-%d\n"
		    "CSeq: 1 REGISTER%s", 40000 + i, i, i, i, i, i,
		    i == 2 ? "\nAuthorization: Digest username=\"u\", "
		    "realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"x\"" :
		    "");
		feed(tr, i * 100, i == 0 ? "10.7.7.7:40000" : i == 1 ?
		    "10.7.7.7:40001" : "10.7.7.7:40002", B, text);
		if (i == 0) {
			/* One port so far: ip:port. */
			ck_assert_int_eq(obs_src_peer.port, 40000);
			ck_assert_int_eq(obs_dst_peer.port, 5060);
		} else
			ck_assert_int_eq(obs_src_peer.port, 0);
		snprintf(text, sizeof text,
		    "SIP/2.0 401 Unauthorized\n"
		    "Via: SIP/2.0/UDP 10.7.7.7:%d;branch=z9hG4bKs%d\n"
		    "From: <sip:10%d@10.0.0.2>;tag=s%d\n"
		    "To: <sip:10%d@10.0.0.2>;tag=x\n"
		    "Call-ID: scan-%d\n"
		    "CSeq: 1 REGISTER\n"
		    "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"",
		    40000 + i, i, i, i, i, i);
		feed(tr, i * 100 + 5, B, i == 0 ? "10.7.7.7:40000" : i == 1 ?
		    "10.7.7.7:40001" : "10.7.7.7:40002", text);
		/* The server keeps its port; the client is its IP. */
		ck_assert_int_eq(obs_src_peer.port, 5060);
		if (i > 0)
			ck_assert_int_eq(obs_dst_peer.port, 0);
	}
	ck_assert_int_eq(obs_nfinal, 3);
	ck_assert_int_eq(obs_final_cls[0], TRACK_FINAL_CHALLENGE);
	ck_assert_int_eq(obs_final_cls[1], TRACK_FINAL_CHALLENGE);
	ck_assert_int_eq(obs_final_cls[2], TRACK_FINAL_FAILURE);
	track_destroy(tr);
}
END_TEST

/* The leg group and how, of each call that began (TRACK_OBS_CALL). */
static struct {
	char		cid[64];
	uint64_t	group;
	int		by;
}			 legs_seen[16];
static int		 nlegs_seen;

static void
obs_legs(const struct track_obs *o, void *arg)
{
	(void)arg;
	if (o->type != TRACK_OBS_CALL || o->u.call.invite == NULL ||
	    nlegs_seen == 16)
		return;
	snprintf(legs_seen[nlegs_seen].cid, sizeof legs_seen[0].cid, "%s",
	    o->call_id);
	legs_seen[nlegs_seen].group = o->u.call.leg_group;
	legs_seen[nlegs_seen++].by = o->u.call.legs_by;
}

static int
leg_of(const char *cid, uint64_t *group)
{
	int	i;

	for (i = 0; i < nlegs_seen; i++) {
		if (strcmp(legs_seen[i].cid, cid) == 0) {
			*group = legs_seen[i].group;
			return (legs_seen[i].by);
		}
	}
	ck_abort_msg("no call %s", cid);
	return (-1);
}

/* An initial INVITE of CID from FROM (user) at SRC to DST, with EXTRA. */
static void
leg_invite(struct track *tr, int64_t t, const char *src, const char *dst,
    const char *cid, const char *from, const char *extra)
{
	char	text[1024];

	snprintf(text, sizeof text,
	    "INVITE sip:bob@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s\n"
	    "From: <sip:%s@10.0.0.1>;tag=t%s\n"
	    "To: <sip:bob@10.0.0.2>\n"
	    "Call-ID: %s\n"
	    "CSeq: 1 INVITE%s%s", src, cid, from, cid, cid,
	    extra != NULL ? "\n" : "", extra != NULL ? extra : "");
	feed(tr, t, src, dst, text);
}

/*
 * The legs of a call across B2BUAs (track-legs.c): X-CID naming the
 * earlier leg's Call-ID, an X-Call-ID token both legs carry, a
 * --correlate header with a REGEX, the Call-ID conventions (a tail, a
 * head), and without any of them the B2BUA's timing: the element that
 * got the INVITE sends one of a new Call-ID for the same caller within
 * 5 s.  Anonymous callers and late INVITEs are not linked.
 */
START_TEST(test_call_legs)
{
	struct track	*tr = tracker();
	uint64_t	 g0, g;
	char		*cause = NULL;

	nlegs_seen = 0;
	ck_assert_int_eq(track_subscribe(tr, obs_legs, NULL), 0);
	ck_assert_int_eq(track_correlate(tr, "X-Foo:id=([0-9]+)", &cause), 0);
	ck_assert_int_eq(track_correlate(tr, "X-Foo:(", &cause), -1);
	free(cause);
	ck_assert_int_eq(track_correlate(tr, "X-Foo:id=([0-9]+)", &cause), 0);

	leg_invite(tr, 0, "10.1.0.1:5060", "10.1.0.2:5060", "leg-a-0001",
	    "alice", NULL);
	leg_invite(tr, 10, "10.1.0.3:5060", "10.1.0.4:5060", "other-0002",
	    "carol", "X-CID: leg-a-0001");
	leg_invite(tr, 20, "10.1.0.5:5060", "10.1.0.6:5060", "tok-1", "dave",
	    "X-Call-ID: shared-token-77");
	leg_invite(tr, 30, "10.1.0.7:5060", "10.1.0.8:5060", "tok-2", "erin",
	    "X-Call-ID: shared-token-77");
	leg_invite(tr, 40, "10.1.0.9:5060", "10.1.0.10:5060", "cor-1", "fred",
	    "X-Foo: id=4242;x=1");
	leg_invite(tr, 50, "10.1.0.11:5060", "10.1.0.12:5060", "cor-2", "gina",
	    "X-Foo: other id=4242");
	leg_invite(tr, 60, "10.1.0.13:5060", "10.1.0.14:5060",
	    "8f2a77c1@pbx.example", "hank", NULL);
	leg_invite(tr, 70, "10.1.0.15:5060", "10.1.0.16:5060",
	    "8f2a77c1@pbx.example_b2b-1", "ivan", NULL);
	leg_invite(tr, 80, "10.1.0.17:5060", "10.1.0.18:5060",
	    "SBC7-8f2a77c1@pbx.example", "jack", NULL);
	/* The B2BUA at 10.2.0.1 bridges alice's call, then a late one. */
	leg_invite(tr, 100, "10.2.0.9:5060", "10.2.0.1:5060", "b2b-in",
	    "kate", NULL);
	leg_invite(tr, 101, "10.2.0.1:5060", "10.2.0.7:5060", "b2b-out",
	    "kate", NULL);
	leg_invite(tr, 110, "10.2.0.9:5060", "10.2.0.1:5060", "anon-in",
	    "anonymous", NULL);
	leg_invite(tr, 111, "10.2.0.1:5060", "10.2.0.7:5060", "anon-out",
	    "anonymous", NULL);
	leg_invite(tr, 7000, "10.2.0.1:5060", "10.2.0.7:5060", "b2b-late",
	    "kate", NULL);
	leg_invite(tr, 7100, "10.2.0.5:5060", "10.2.0.6:5060", "8f2a77c1",
	    "lisa", NULL);

	ck_assert_int_eq(leg_of("leg-a-0001", &g0), TRACK_LEGS_NONE);
	ck_assert_uint_ne(g0, 0);
	ck_assert_int_eq(leg_of("other-0002", &g), TRACK_LEGS_HEADER);
	ck_assert_uint_eq(g, g0);
	ck_assert_int_eq(leg_of("tok-1", &g0), TRACK_LEGS_NONE);
	ck_assert_int_eq(leg_of("tok-2", &g), TRACK_LEGS_HEADER);
	ck_assert_uint_eq(g, g0);
	ck_assert_int_eq(leg_of("cor-1", &g0), TRACK_LEGS_NONE);
	ck_assert_int_eq(leg_of("cor-2", &g), TRACK_LEGS_CORRELATE);
	ck_assert_uint_eq(g, g0);
	ck_assert_int_eq(leg_of("8f2a77c1@pbx.example", &g0), TRACK_LEGS_NONE);
	ck_assert_int_eq(leg_of("8f2a77c1@pbx.example_b2b-1", &g),
	    TRACK_LEGS_CALLID);
	ck_assert_uint_eq(g, g0);
	ck_assert_int_eq(leg_of("SBC7-8f2a77c1@pbx.example", &g),
	    TRACK_LEGS_CALLID);
	ck_assert_uint_eq(g, g0);
	/* A shorter Call-ID is not derived from a longer one. */
	ck_assert_int_eq(leg_of("8f2a77c1", &g), TRACK_LEGS_NONE);
	ck_assert_uint_ne(g, g0);
	ck_assert_int_eq(leg_of("b2b-in", &g0), TRACK_LEGS_NONE);
	ck_assert_int_eq(leg_of("b2b-out", &g), TRACK_LEGS_B2BUA);
	ck_assert_uint_eq(g, g0);
	ck_assert_int_eq(leg_of("anon-out", &g), TRACK_LEGS_NONE);
	ck_assert_int_eq(leg_of("b2b-late", &g), TRACK_LEGS_NONE);
	ck_assert_uint_ne(g, g0);
	track_destroy(tr);
}
END_TEST

static void
register_attempt(struct track *tr, int64_t t, int n, int code,
    const char *stale)
{
	char	text[1024], cid[32];

	snprintf(cid, sizeof cid, "reg-%d", n);
	snprintf(text, sizeof text,
	    "REGISTER sip:example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKr%d\n"
	    "From: <sip:alice@example.com>;tag=r%d\n"
	    "To: <sip:alice@example.com>\n"
	    "Call-ID: reg-1\n"
	    "CSeq: %d REGISTER\n"
	    "Authorization: Digest username=\"alice\", realm=\"example.com\", "
	    "nonce=\"abc\", uri=\"sip:example.com\", response=\"0123\"",
	    n, n, n);
	feed(tr, t, A, B, text);
	snprintf(text, sizeof text,
	    "SIP/2.0 %d No\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKr%d\n"
	    "From: <sip:alice@example.com>;tag=r%d\n"
	    "To: <sip:alice@example.com>;tag=s\n"
	    "Call-ID: reg-1\n"
	    "CSeq: %d REGISTER\n"
	    "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"abc\"%s",
	    code, n, n, n, stale);
	feed(tr, t + 5, B, A, text);
}

/* Credentials rejected three times in a row: auth-failure-burst. */
START_TEST(test_auth_failure_burst)
{
	struct track	*tr = tracker();

	register_attempt(tr, 0, 1, 401, ", stale=true");	/* not counted */
	register_attempt(tr, 1000, 2, 401, "");
	/* The AOR has no binding: wrong credentials, one failure so far. */
	expect("registration-failed", "reg-1", NULL);
	register_attempt(tr, 2000, 3, 403, "");
	expect("registration-failed", "reg-1", NULL);
	register_attempt(tr, 3000, 4, 403, "");
	expect("registration-failed", "reg-1", "auth-failure-burst", "reg-1",
	    NULL);
	ck_assert_int_eq(got[1].code, 403);
	ck_assert_str_eq(got[1].src, A);
	ck_assert_ptr_nonnull(strstr(got[1].advice, "nonce"));
	track_destroy(tr);
}
END_TEST

/* 483 and a Via that repeats: loop-detected, once per request. */
START_TEST(test_loop_detected)
{
	struct track	*tr = tracker();

	feed(tr, 0, A, B, req("OPTIONS", "z9hG4bK1", "c-483", "f1", NULL, 1,
	    NULL));
	feed(tr, 10, B, A, resp(483, "Too Many Hops", "z9hG4bK1", "c-483",
	    "f1", "t1", 1, "OPTIONS", NULL));
	feed(tr, 20, A, B,
	    "INVITE sip:bob@example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKloop\n"
	    "Via: SIP/2.0/UDP 10.0.0.3:5060;branch=z9hG4bKmid\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKloop\n"
	    "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKorig\n"
	    "From: <sip:carol@example.com>;tag=f2\n"
	    "To: <sip:bob@example.com>\n"
	    "Call-ID: c-via\n"
	    "CSeq: 1 INVITE");
	/* A spiral: the same proxy twice, different branches: fine. */
	feed(tr, 30, A, B,
	    "INVITE sip:bob@example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKsp2\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKsp1\n"
	    "From: <sip:dave@example.com>;tag=f3\n"
	    "To: <sip:bob@example.com>\n"
	    "Call-ID: c-spiral\n"
	    "CSeq: 1 INVITE");
	feed(tr, 31, B, A,
	    "SIP/2.0 100 Trying\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKsp2\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKsp1\n"
	    "From: <sip:dave@example.com>;tag=f3\n"
	    "To: <sip:bob@example.com>\n"
	    "Call-ID: c-spiral\n"
	    "CSeq: 1 INVITE");
	expect("loop-detected", "c-483", "loop-detected", "c-via", NULL);
	ck_assert_int_eq(got[0].code, 483);
	ck_assert_ptr_nonnull(strstr(got[1].summary, "10.0.0.1:5060"));
	track_destroy(tr);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Issue 14: the failures engineers meet, advice that fits. */

/* A REGISTER for AOR from A with CSEQ; CREDS adds Authorization. */
static void
reg_req(struct track *tr, int64_t t, const char *cid, const char *aor,
    unsigned cseq, int creds, const char *dst)
{
	char	text[1024];

	snprintf(text, sizeof text,
	    "REGISTER sip:example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKg%s%u\n"
	    "Max-Forwards: 70\n"
	    "From: <%s>;tag=rf\n"
	    "To: <%s;transport=udp>\n"
	    "Call-ID: %s\n"
	    "CSeq: %u REGISTER\n"
	    "Contact: <sip:x@10.0.0.1>\n"
	    "%s",
	    cid, cseq, aor, aor, cid, cseq, creds ? "Authorization: Digest "
	    "username=\"x\", realm=\"example.com\", nonce=\"n1\", "
	    "uri=\"sip:example.com\", response=\"0123\"" : "Expires: 600");
	feed(tr, t, A, dst, text);
}

static void
reg_resp(struct track *tr, int64_t t, const char *cid, const char *aor,
    unsigned cseq, int code, const char *extra)
{
	char	text[1024];

	snprintf(text, sizeof text,
	    "SIP/2.0 %d Reason\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKg%s%u\n"
	    "From: <%s>;tag=rf\n"
	    "To: <%s;transport=udp>;tag=rt\n"
	    "Call-ID: %s\n"
	    "CSeq: %u REGISTER\n"
	    "%s",
	    code, cid, cseq, aor, aor, cid, cseq, extra != NULL ? extra : "");
	if (text[strlen(text) - 1] == '\n')
		text[strlen(text) - 1] = '\0';
	feed(tr, t, B, A, text);
}

/*
 * registration-failed: not for a challenge that asks for credentials; for
 * credentials refused, for a registrar that never answers; one incident
 * per AOR, cleared when it registers.
 */
START_TEST(test_registration_failed)
{
	struct track	*tr = tracker();
	const char	*ali = "sip:alice@example.com";
	const char	*bob = "sip:Bob@Example.com";
	int		 i;

	reg_req(tr, 0, "r1", ali, 1, 0, B);
	reg_resp(tr, 5, "r1", ali, 1, 401, "WWW-Authenticate: Digest "
	    "realm=\"example.com\", nonce=\"n1\"");
	expect(NULL);			/* 22.2: the first step */
	reg_req(tr, 10, "r1", ali, 2, 1, B);
	reg_resp(tr, 15, "r1", ali, 2, 403, NULL);
	expect("registration-failed", "r1", NULL);
	ck_assert_str_eq(lines[0].subject, "aor sip:alice@example.com");
	ck_assert_ptr_nonnull(strstr(got[0].advice, "refused the credentials"));
	/* Later failures are occurrences of the same incident. */
	reg_req(tr, 200000, "r2", ali, 1, 1, B);
	reg_resp(tr, 200005, "r2", ali, 1, 401, "WWW-Authenticate: Digest "
	    "realm=\"example.com\", nonce=\"n2\"");
	expect("registration-failed", "r1", NULL);
	ck_assert_int_eq(lines[nlines - 1].count, 2);
	/* It registers: the incident clears at once. */
	reg_req(tr, 210000, "r3", ali, 1, 1, B);
	reg_resp(tr, 210005, "r3", ali, 1, 200, "Contact: <sip:x@10.0.0.1>;"
	    "expires=600");
	ck_assert_int_eq(lines[nlines - 1].event, ALERT_EVENT_CLEAR);
	/* stale=true twice is a retry; the third time, a loop. */
	for (i = 1; i <= 3; i++) {
		reg_req(tr, 220000 + i * 10, "r4", bob, (unsigned)i, 1, B);
		reg_resp(tr, 220005 + i * 10, "r4", bob, (unsigned)i, 401,
		    "WWW-Authenticate: Digest realm=\"x\", nonce=\"s\", "
		    "stale=true");
		if (i < 3)
			expect("registration-failed", "r1", NULL);
	}
	expect("registration-failed", "r1", "registration-failed", "r4", NULL);
	ck_assert_ptr_nonnull(strstr(got[1].advice, "stale=true"));
	ck_assert_ptr_nonnull(strstr(got[1].summary, "sip:Bob@example.com"));
	track_destroy(tr);
}
END_TEST

/*
 * A registrar that never answers: registration-failed for the first AOR;
 * when it leaves a second AOR unanswered too, the registrar is what
 * failed: non-invite-timeout for the server, once.
 */
START_TEST(test_registration_no_answer)
{
	struct track	*tr = tracker();

	reg_req(tr, 0, "n1", "sip:carol@example.com", 1, 0, C);
	track_advance(tr, 1700000000000000LL + 33000 * 1000LL);
	expect("registration-failed", "n1", NULL);
	ck_assert_int_eq(got[0].code, 0);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "no response"));
	reg_req(tr, 40000, "n2", "sip:dave@example.com", 1, 0, C);
	track_advance(tr, 1700000000000000LL + 73000 * 1000LL);
	expect("registration-failed", "n1", "non-invite-timeout", "n2", NULL);
	reg_req(tr, 80000, "n3", "sip:erin@example.com", 1, 0, C);
	track_advance(tr, 1700000000000000LL + 113000 * 1000LL);
	expect("registration-failed", "n1", "non-invite-timeout", "n2", NULL);
	track_destroy(tr);
}
END_TEST

static void
subscribe(struct track *tr, int64_t t, const char *cid, const char *ttag,
    unsigned cseq, const char *event, int code)
{
	char	text[1024], br[32];

	snprintf(br, sizeof br, "z9hG4bKs%s%u", cid, cseq);
	snprintf(text, sizeof text,
	    "SUBSCRIBE sip:bob@example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\n"
	    "Max-Forwards: 70\n"
	    "From: <sip:alice@example.com>;tag=sf\n"
	    "To: <sip:alice@example.com>%s%s\n"
	    "Call-ID: %s\n"
	    "CSeq: %u SUBSCRIBE\n"
	    "Contact: <sip:alice@10.0.0.1>\n"
	    "Event: %s\n"
	    "Expires: 600",
	    br, ttag != NULL ? ";tag=" : "", ttag != NULL ? ttag : "", cid,
	    cseq, event);
	feed(tr, t, A, B, text);
	snprintf(text, sizeof text,
	    "SIP/2.0 %d Refused\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\n"
	    "From: <sip:alice@example.com>;tag=sf\n"
	    "To: <sip:alice@example.com>;tag=%s\n"
	    "Call-ID: %s\n"
	    "CSeq: %u SUBSCRIBE\n"
	    "Allow-Events: message-summary",
	    code, br, ttag != NULL ? ttag : "nt", cid, cseq);
	feed(tr, t + 1, B, A, text);
}

/*
 * subscription-failed: a refresh answered 481 at once; initial SUBSCRIBEs
 * refused 489 only when they come again and again; not a NOTIFY that
 * ended the subscription itself.
 */
START_TEST(test_subscription_failed)
{
	struct track	*tr = tracker();

	subscribe(tr, 0, "s1", NULL, 1, "presence.winfo", 489);
	subscribe(tr, 3000, "s2", NULL, 1, "presence.winfo", 489);
	expect(NULL);
	subscribe(tr, 6000, "s3", NULL, 1, "presence.winfo", 489);
	expect("subscription-failed", "s3", NULL);
	ck_assert_str_eq(lines[0].subject,
	    "subscriber sip:alice@example.com presence.winfo");
	ck_assert_ptr_nonnull(strstr(got[0].summary, "3 times"));
	ck_assert_ptr_nonnull(strstr(got[0].summary, "message-summary"));
	/* A NOTIFY terminating the subscription, answered 481: normal. */
	feed(tr, 7000, B, A,
	    "NOTIFY sip:alice@10.0.0.1 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKnt1\n"
	    "From: <sip:bob@example.com>;tag=nf\n"
	    "To: <sip:alice@example.com>;tag=sf\n"
	    "Call-ID: s9\n"
	    "CSeq: 5 NOTIFY\n"
	    "Event: dialog\n"
	    "Subscription-State: terminated;reason=timeout");
	feed(tr, 7001, A, B,
	    "SIP/2.0 481 Subscription does not exist\n"
	    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKnt1\n"
	    "From: <sip:bob@example.com>;tag=nf\n"
	    "To: <sip:alice@example.com>;tag=sf\n"
	    "Call-ID: s9\n"
	    "CSeq: 5 NOTIFY");
	expect("subscription-failed", "s3", NULL);
	/* A refresh in the dialog answered 481: the subscription is lost. */
	subscribe(tr, 8000, "s10", "n10", 2, "message-summary", 481);
	expect("subscription-failed", "s3", "subscription-failed", "s10", NULL);
	ck_assert_ptr_nonnull(strstr(got[1].summary, "inside its dialog"));
	track_destroy(tr);
}
END_TEST

static const char sdp_audio[] =
    "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n"
    "m=audio 4000 RTP/AVP 8 0\na=sendrecv\n";
static const char sdp_t38[] =
    "v=0\no=- 1 2 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n"
    "m=image 4002 udptl t38\n";

/*
 * media-rejected: 488 to an offer, with what the answer accepts; a
 * refused re-offer keeps the call's media; 606 to an offer is not
 * global-failure.
 */
START_TEST(test_media_rejected)
{
	struct track	*tr = tracker();
	char		 text[2048];

	snprintf(text, sizeof text, "%s\n\n%s", req("INVITE", "z9hG4bKm1",
	    "c-m1", "f1", NULL, 1, "Content-Type: application/sdp"),
	    sdp_audio);
	feed(tr, 0, A, B, text);
	feed(tr, 10, B, A, resp(488, "Not Acceptable Here", "z9hG4bKm1", "c-m1",
	    "f1", "t1", 1, "INVITE", "Warning: 305 gw \"G.729 only\"\n"
	    "Accept: application/sdp"));
	expect("media-rejected", "c-m1", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].summary,
	    "offered: audio 4000 RTP/AVP PCMA,PCMU"));
	ck_assert_ptr_nonnull(strstr(got[0].summary, "G.729 only"));
	ck_assert_ptr_nonnull(strstr(got[0].summary, "Accept: application/sdp"));

	/* An answered call, then a T.38 re-offer refused. */
	snprintf(text, sizeof text, "%s\n\n%s", req("INVITE", "z9hG4bKm2",
	    "c-m2", "f2", NULL, 1, "Content-Type: application/sdp"),
	    sdp_audio);
	feed(tr, 100, A, B, text);
	snprintf(text, sizeof text, "%s\n\n%s", resp(200, "OK", "z9hG4bKm2",
	    "c-m2", "f2", "t2", 1, "INVITE", "Content-Type: application/sdp"),
	    sdp_audio);
	feed(tr, 110, B, A, text);
	feed(tr, 120, A, B, req("ACK", "z9hG4bKm2a", "c-m2", "f2", "t2", 1,
	    NULL));
	snprintf(text, sizeof text, "%s\n\n%s", req("INVITE", "z9hG4bKm3",
	    "c-m2", "f2", "t2", 2, "Content-Type: application/sdp"), sdp_t38);
	feed(tr, 2000, A, B, text);
	feed(tr, 2010, B, A, resp(488, "Not Acceptable Here", "z9hG4bKm3",
	    "c-m2", "f2", "t2", 2, "INVITE", NULL));
	expect("media-rejected", "c-m1", "media-rejected", "c-m2", NULL);
	ck_assert_ptr_nonnull(strstr(got[1].summary, "inside the call"));
	ck_assert_ptr_nonnull(strstr(got[1].advice, "T.38"));
	ck_assert_ptr_nonnull(strstr(got[1].advice,
	    "goes on with the media it had (RFC 3261 14.1): audio 4000"));

	/* 606 to an offer: media-rejected, not global-failure. */
	snprintf(text, sizeof text, "%s\n\n%s", req("INVITE", "z9hG4bKm4",
	    "c-m4", "f4", NULL, 1, "Content-Type: application/sdp"),
	    sdp_audio);
	feed(tr, 3000, A, B, text);
	feed(tr, 3010, B, A, resp(606, "Not Acceptable", "z9hG4bKm4", "c-m4",
	    "f4", "t4", 1, "INVITE", NULL));
	expect("media-rejected", "c-m1", "media-rejected", "c-m2",
	    "media-rejected", "c-m4", NULL);
	track_destroy(tr);
}
END_TEST

/* 488 to a REFER is about the transfer, never codecs. */
START_TEST(test_refer_488)
{
	struct track	*tr = tracker();

	feed(tr, 0, A, B, req("REFER", "z9hG4bKr88", "c-r88", "f1", "t1", 5,
	    "Refer-To: <sip:carol@example.com?Replaces=abc%40h%3Bto-tag%3D1>"));
	feed(tr, 10, B, A, resp(488, "Not Acceptable Here", "z9hG4bKr88",
	    "c-r88", "f1", "t1", 5, "REFER", NULL));
	expect("refer-rejected", "c-r88", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].advice, "Replaces"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, "not about codecs"));
	track_destroy(tr);
}
END_TEST

/* An initial INVITE from A to B ending with CODE (0: never answered). */
static void
attempt(struct track *tr, int64_t t, int n, int code)
{
	char	cid[32], br[32], tag[32];

	snprintf(cid, sizeof cid, "c-rate%d", n);
	snprintf(br, sizeof br, "z9hG4bKrate%d", n);
	snprintf(tag, sizeof tag, "fr%d", n);
	feed(tr, t, A, B, req("INVITE", br, cid, tag, NULL, 1, NULL));
	if (code != 0)
		feed(tr, t + 5, B, A, resp(code, "X", br, cid, tag, "tr", 1,
		    "INVITE", NULL));
}

/*
 * call-failure-rate: 5xx and 4xx count, 486/487/401 do not; raised once
 * at least N attempts are in the window and failures pass PCT.
 */
START_TEST(test_call_failure_rate)
{
	struct track	*tr = tracker();
	static const int codes[] = { 503, 486, 200, 401, 487, 503, 404, 200,
	    486, 500 };
	int		 i;

	for (i = 0; i < 9; i++)
		attempt(tr, i * 1000, i, codes[i]);
	/* 8 attempts counted (401 is not), 3 failures: below 10. */
	expect(NULL);
	attempt(tr, 9000, 9, codes[9]);
	attempt(tr, 10000, 10, 503);
	/* 10 attempts, 4 failures (40 % > 30 %) at the 10th. */
	expect("call-failure-rate", "c-rate10", NULL);
	ck_assert_str_eq(lines[0].subject, "server " B);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "5 of 10 call attempts"));
	track_destroy(tr);
}
END_TEST

/* 483 to a Max-Forwards 0 probe, 482 to a single-Via request: no loop. */
START_TEST(test_not_a_loop)
{
	struct track	*tr = tracker();

	feed(tr, 0, A, B,
	    "OPTIONS sip:10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKmf0\n"
	    "Max-Forwards: 0\n"
	    "From: <sip:ping@example.com>;tag=p\n"
	    "To: <sip:10.0.0.2>\n"
	    "Call-ID: c-mf0\n"
	    "CSeq: 1 OPTIONS");
	feed(tr, 5, B, A, resp(483, "Too Many Hops", "z9hG4bKmf0", "c-mf0",
	    "p", "x", 1, "OPTIONS", NULL));
	feed(tr, 10, A, B, req("INVITE", "z9hG4bK482", "c-482", "f1", NULL, 1,
	    NULL));
	feed(tr, 15, B, A, resp(482, "Loop Detected", "z9hG4bK482", "c-482",
	    "f1", "t1", 1, "INVITE", NULL));
	feed(tr, 20, A, B, req("ACK", "z9hG4bK482", "c-482", "f1", "t1", 1,
	    NULL));
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/*
 * An INVITE over TCP never answered while the server answers other
 * INVITEs on the connection: discarded, with the header that differs.
 */
START_TEST(test_tcp_discarded)
{
	struct track	*tr = tracker();

	feed_tp(tr, 0, A, B, DECODE_TP_TCP, req("INVITE", "z9hG4bKd1", "c-d1",
	    "f1", NULL, 1, "Supported: timer"));
	feed_tp(tr, 5, B, A, DECODE_TP_TCP, resp(486, "Busy", "z9hG4bKd1",
	    "c-d1", "f1", "t1", 1, "INVITE", NULL));
	feed_tp(tr, 1000, A, B, DECODE_TP_TCP, req("INVITE", "z9hG4bKd2",
	    "c-d2", "f2", NULL, 1, "Supported: timer\n"
	    "P-Early-Media: supported"));
	feed_tp(tr, 2000, A, B, DECODE_TP_TCP, req("INVITE", "z9hG4bKd3",
	    "c-d3", "f3", NULL, 1, NULL));
	feed_tp(tr, 2005, B, A, DECODE_TP_TCP, resp(180, "Ringing",
	    "z9hG4bKd3", "c-d3", "f3", "t3", 1, "INVITE", NULL));
	track_advance(tr, 1700000000000000LL + 34000 * 1000LL);
	expect("invite-timeout", "c-d2", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].summary,
	    "answered 2 other INVITE(s) on the same connection"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, "do not fail over"));
	ck_assert_ptr_nonnull(strstr(got[0].advice, ": p-early-media."));
	track_destroy(tr);
}
END_TEST

/* A CANCEL unanswered by a server that answered its INVITE. */
START_TEST(test_cancel_unanswered)
{
	struct track	*tr = tracker();

	feed(tr, 0, A, B, req("INVITE", "z9hG4bKc1", "c-c1", "f1", NULL, 1,
	    NULL));
	feed(tr, 5, B, A, resp(180, "Ringing", "z9hG4bKc1", "c-c1", "f1",
	    "t1", 1, "INVITE", NULL));
	feed(tr, 2000, A, B, req("CANCEL", "z9hG4bKc1", "c-c1", "f1", NULL, 1,
	    NULL));
	track_advance(tr, 1700000000000000LL + 35000 * 1000LL);
	expect("non-invite-timeout", "c-c1", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].advice, "answered the INVITE"));
	ck_assert_ptr_null(strstr(got[0].advice, "is up and that"));
	track_destroy(tr);
}
END_TEST

/*
 * A BYE through a proxy (B) that the far end (C) never answers: the
 * client's resends and its timeout are about C, not the proxy.
 */
START_TEST(test_silent_far_end)
{
	struct track	*tr = tracker();
	char		*a2b, *b2c;
	static const int sends[] = { 0, 500, 1500, 3500 };
	unsigned	 i;

	a2b = strdup(req("BYE", "z9hG4bKab", "c-far", "f1", "t1", 2, NULL));
	b2c = strdup(
	    "BYE sip:carol@10.0.0.3 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKbc\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKab\n"
	    "Max-Forwards: 69\n"
	    "From: <sip:alice@example.com>;tag=f1\n"
	    "To: <sip:bob@example.com>;tag=t1\n"
	    "Call-ID: c-far\n"
	    "CSeq: 2 BYE");
	for (i = 0; i < 4; i++) {
		feed(tr, sends[i], A, B, a2b);
		feed(tr, sends[i] + 1, B, C, b2c);
	}
	track_advance(tr, 1700000000000000LL + 33000 * 1000LL);
	expect("non-invite-timeout", "c-far", NULL);
	ck_assert_str_eq(got[0].dst, C);
	ck_assert_str_eq(lines[0].subject, "server " C);
	free(a2b);
	free(b2c);
	track_destroy(tr);
}
END_TEST

/*
 * Resent and unanswered when the capture ends: a retransmission verdict
 * then; a step of the packet clock over a day judges no timer.
 */
START_TEST(test_end_and_clock_jump)
{
	struct track	*tr = tracker();
	json_t		*r;
	char		*inv;

	inv = strdup(req("INVITE", "z9hG4bKe1", "c-end", "f1", NULL, 1, NULL));
	feed(tr, 0, A, C, inv);
	feed(tr, 500, A, C, inv);
	feed(tr, 1500, A, C, inv);
	feed(tr, 5000, A, B, req("OPTIONS", "z9hG4bKo1", "c-o", "f9", NULL, 1,
	    NULL));
	expect(NULL);		/* it could still be answered or time out */
	track_finish(tr);
	expect("retransmission", "c-end", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "still unanswered"));
	track_destroy(tr);

	tr = tracker();
	feed(tr, 5000, A, B, req("INVITE", "z9hG4bKj1", "c-jump", "f2", NULL,
	    1, NULL));
	/* Two days later, its 100 (synthetic timestamps). */
	feed(tr, 5000 + 2 * 86400000LL, B, A, resp(100, "Trying", "z9hG4bKj1",
	    "c-jump", "f2", NULL, 1, "INVITE", NULL));
	track_finish(tr);
	expect(NULL);
	r = report(tr);
	ck_assert_int_eq(jget(r, "transactions", "clock_jumps"), 1);
	ck_assert_int_eq(jget(r, "transactions", "timers_unjudged"), 1);
	json_decref(r);
	free(inv);
	track_destroy(tr);
}
END_TEST

/*
 * State stays bounded: with small caps, 20000 calls never hold more than
 * the caps, and evictions are counted.
 */
START_TEST(test_bounded)
{
	struct track_opts	o;
	struct track		*tr;
	struct track_usage	u;
	char			cid[32], br[32];
	int			i;

	track_opts_default(&o);
	o.max_transactions = 100;
	o.max_call_ids = 50;
	o.max_peers = 16;
	ngot = 0;
	tr = track_create(&o, collect, NULL);
	for (i = 0; i < 20000; i++) {
		snprintf(cid, sizeof cid, "bound-%d", i);
		snprintf(br, sizeof br, "z9hG4bKB%d", i);
		feed(tr, i, A, B, req("INVITE", br, cid, "f", NULL, 1, NULL));
		feed(tr, i, B, A, resp(180, "Ringing", br, cid, "f", "t", 1,
		    "INVITE", NULL));
		track_usage(tr, &u);
		ck_assert_uint_le(u.transactions, 100);
		ck_assert_uint_le(u.call_ids, 50);
		ck_assert_uint_le(u.peers, 16 * 5);
	}
	track_usage(tr, &u);
	ck_assert_uint_ge(u.evicted, 19950);
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/* An INVITE from SRC for NUMBER, answered CODE by B; T in ms. */
static void
fraud_call(struct track *tr, int64_t t, const char *src, const char *number,
    int code, const char *cid)
{
	char	text[1024];

	snprintf(text, sizeof text,
	    "INVITE sip:%s@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s\n"
	    "From: <sip:100@x.example>;tag=f%s\n"
	    "To: <sip:%s@10.0.0.2>\n"
	    "Call-ID: %s\n"
	    "CSeq: 1 INVITE\n"
	    "User-Agent: eyeBeam release 1004p", number, src, cid, cid,
	    number, cid);
	feed(tr, t, src, B, text);
	snprintf(text, sizeof text,
	    "SIP/2.0 %d X\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s\n"
	    "From: <sip:100@x.example>;tag=f%s\n"
	    "To: <sip:%s@10.0.0.2>;tag=t%s\n"
	    "Call-ID: %s\n"
	    "CSeq: 1 INVITE\n"
	    "Server: Asterisk PBX 16.2", code, src, cid, cid, number, cid, cid);
	feed(tr, t + 500, B, src, text);
}

/*
 * Calls to an international number from an outside source that never
 * registered: the refused ones update its scanner incident (the 603 raises
 * no global-failure: attack traffic), the answered one is toll-fraud,
 * critical.  The source is then flagged whatever its port
 * (track_attacker()); the PBX is not.
 */
START_TEST(test_toll_fraud)
{
	struct track	*tr = tracker();
	struct sw_addr	 a = addr("203.0.113.9:40000");
	struct sw_addr	 pbx = addr(B);

	fraud_call(tr, 0, "203.0.113.9:5060", "0097259912", 603, "c1");
	fraud_call(tr, 2000, "203.0.113.9:5062", "011442079460000", 200,
	    "c2");
	expect("scanner", "c1", "toll-fraud", "c2", NULL);
	ck_assert_ptr_nonnull(strstr(got[1].summary, "011442079460000"));
	ck_assert_ptr_nonnull(strstr(got[1].summary, "Asterisk PBX 16.2"));
	ck_assert_ptr_nonnull(strstr(got[1].advice,
	    "nft add element inet filter sipwatch_block { 203.0.113.9 }"));
	ck_assert_ptr_null(strstr(got[1].advice, "203.0.113.9:"));
	ck_assert_int_eq(track_attacker(tr, &a), 1);
	ck_assert_int_eq(track_attacker(tr, &pbx), 0);
	track_destroy(tr);

	/* The same from a local source, or to a national number: nothing. */
	tr = tracker();
	fraud_call(tr, 0, "10.0.0.7:5060", "011442079460000", 200, "c3");
	fraud_call(tr, 1000, "203.0.113.9:5060", "2125550100", 200, "c4");
	expect(NULL);
	track_destroy(tr);
}
END_TEST

/* --local-net and --fraud-prefix replace the defaults. */
START_TEST(test_toll_fraud_options)
{
	struct track_opts	 o;
	struct track		*tr;
	struct sw_cidr		 nets[1];
	const char *const	 prefixes[] = { "0900" };

	ck_assert_int_eq(sw_cidr_parse("203.0.113.0/24", &nets[0]), 0);
	track_opts_default(&o);
	o.local_nets = nets;
	o.nlocal_nets = 1;
	ngot = nlines = 0;
	tr = track_create(&o, collect, NULL);
	fraud_call(tr, 0, "203.0.113.9:5060", "011442079460000", 200, "c1");
	fraud_call(tr, 1000, "10.0.0.7:5060", "011442079460000", 200, "c2");
	/* 10/8 is no longer local: the attempt, then the answer. */
	expect("scanner", "c2", "toll-fraud", "c2", NULL);
	track_destroy(tr);

	track_opts_default(&o);
	o.fraud_prefixes = prefixes;
	o.nfraud_prefixes = 1;
	ngot = nlines = 0;
	tr = track_create(&o, collect, NULL);
	fraud_call(tr, 0, "203.0.113.9:5060", "011442079460000", 200, "c1");
	fraud_call(tr, 1000, "203.0.113.8:5060", "0900123456", 200, "c2");
	expect("scanner", "c2", "toll-fraud", "c2", NULL);
	track_destroy(tr);
}
END_TEST

/* One REGISTER round: challenge, credentials for ACC, CODE; at T ms. */
static void
guess(struct track *tr, int64_t t, const char *src, const char *acc,
    int n, int code)
{
	char	text[1024];

	snprintf(text, sizeof text,
	    "REGISTER sip:pbx.example SIP/2.0\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bKg%d\n"
	    "From: <sip:%s@pbx.example>;tag=g%d\n"
	    "To: <sip:%s@pbx.example>\n"
	    "Call-ID: g%d\n"
	    "CSeq: 2 REGISTER\n"
	    "Contact: <sip:%s@%s>\n"
	    "Authorization: Digest username=\"%s\", realm=\"pbx.example\", "
	    "nonce=\"n%d\", uri=\"sip:pbx.example\", response=\"0123\"",
	    src, n, acc, n, acc, n, acc, src, acc, n);
	feed(tr, t, src, B, text);
	snprintf(text, sizeof text,
	    "SIP/2.0 %d X\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bKg%d\n"
	    "From: <sip:%s@pbx.example>;tag=g%d\n"
	    "To: <sip:%s@pbx.example>;tag=s%d\n"
	    "Call-ID: g%d\n"
	    "CSeq: 2 REGISTER\n"
	    "Contact: <sip:%s@%s>;expires=600%s", code, src, n, acc, n, acc, n,
	    n, acc, src, code == 401 ? "\nWWW-Authenticate: Digest "
	    "realm=\"pbx.example\", nonce=\"m\"" : "");
	feed(tr, t + 20, B, src, text);
}

/*
 * Password guessing per source IP across accounts: one account every 40 s
 * (never three in a minute) is the slow variant, raised at the sixth
 * refusal within the hour; a 200 then is account-compromised.  A device
 * refused for its own single account every 40 s is not guessing.
 */
START_TEST(test_guessing)
{
	struct track	*tr = tracker();
	const char	*acc[] = { "201", "202", "203" };
	int		 i;

	/*
	 * The first refusal is a registration failure as far as anyone can
	 * tell; once the outside source is refused for a second account
	 * its REGISTERs are no registration's failures.
	 */
	for (i = 0; i < 5; i++)
		guess(tr, i * 40000LL, "203.0.113.7:5060", acc[i % 3], i, 403);
	expect("registration-failed", "g0", NULL);
	guess(tr, 5 * 40000LL, "203.0.113.7:5070", acc[2], 5, 401);
	expect("registration-failed", "g0", "auth-failure-burst", "g5", NULL);
	/* The registration-failed incident ends: it was guessing. */
	ck_assert_int_eq(lines[nlines - 2].event, ALERT_EVENT_CLEAR);
	ck_assert_str_eq(lines[nlines - 2].rule, "registration-failed");
	ck_assert_ptr_nonnull(strstr(got[1].summary, "201@pbx.example, "
	    "202@pbx.example, 203@pbx.example"));
	guess(tr, 6 * 40000LL, "203.0.113.7:5071", acc[1], 6, 200);
	expect("registration-failed", "g0", "auth-failure-burst", "g5",
	    "account-compromised", "g6", NULL);
	ck_assert_ptr_nonnull(strstr(got[2].summary, "sip:202@pbx.example"));
	ck_assert_ptr_nonnull(strstr(got[2].summary,
	    "sip:202@203.0.113.7:5071"));
	track_destroy(tr);

	/* One device of the LAN refused for its own account: no attack. */
	tr = tracker();
	for (i = 0; i < 12; i++)
		guess(tr, i * 40000LL, "10.0.0.9:5060", "209", i, 403);
	guess(tr, 12 * 40000LL, "10.0.0.9:5060", "209", 12, 200);
	expect("registration-failed", "g0", NULL);
	track_destroy(tr);
}
END_TEST

/*
 * SIPVicious by its formats, whatever its User-Agent: the From-tag is the
 * hex of "text", 0x01 and a decimal number.  The SBC's 482 to it is no
 * loop (loop-detected is absorbed), and a server's 5xx to it do not
 * count towards that server's burst.
 */
START_TEST(test_renamed_tool)
{
	struct track	*tr = tracker();
	char		 text[1024];
	int		 i;

	feed(tr, 0, "203.0.113.4:5060", B,
	    "REGISTER sip:10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 203.0.113.4:5060;branch=z9hG4bK-1234567;rport\n"
	    "From: \"100\" <sip:100@10.0.0.2>;tag=3130303a3130300131323334\n"
	    "To: \"100\" <sip:100@10.0.0.2>\n"
	    "Call-ID: 987654321\n"
	    "CSeq: 1 REGISTER\n"
	    "User-Agent: Cisco-SIPGateway/IOS-12.x");
	feed(tr, 20, B, "203.0.113.4:5060",
	    "SIP/2.0 482 Loop Detected\n"
	    "Via: SIP/2.0/UDP 203.0.113.4:5060;branch=z9hG4bK-1234567;rport\n"
	    "From: \"100\" <sip:100@10.0.0.2>;tag=3130303a3130300131323334\n"
	    "To: \"100\" <sip:100@10.0.0.2>;tag=x\n"
	    "Call-ID: 987654321\n"
	    "CSeq: 1 REGISTER");
	expect("scanner", "987654321", NULL);
	ck_assert_ptr_nonnull(strstr(got[0].summary, "SIPVicious"));
	ck_assert_ptr_nonnull(strstr(got[0].summary, "Cisco-SIPGateway"));
	for (i = 0; i < 12; i++) {
		snprintf(text, sizeof text,
		    "OPTIONS sip:10.0.0.2 SIP/2.0\n"
		    "Via: SIP/2.0/UDP 203.0.113.4:5060;branch=z9hG4bK-9%d\n"
		    "From: <sip:100@1.1.1.1>;tag=a%d\n"
		    "To: <sip:100@10.0.0.2>\n"
		    "Call-ID: o%d\n"
		    "CSeq: 1 OPTIONS", i, i, i);
		feed(tr, 100 + i * 10, "203.0.113.4:5060", B, text);
		snprintf(text, sizeof text,
		    "SIP/2.0 503 Busy\n"
		    "Via: SIP/2.0/UDP 203.0.113.4:5060;branch=z9hG4bK-9%d\n"
		    "From: <sip:100@1.1.1.1>;tag=a%d\n"
		    "To: <sip:100@10.0.0.2>;tag=y\n"
		    "Call-ID: o%d\n"
		    "CSeq: 1 OPTIONS", i, i, i);
		feed(tr, 105 + i * 10, B, "203.0.113.4:5060", text);
	}
	expect("scanner", "987654321", NULL);
	track_destroy(tr);
}
END_TEST


/*
 * A scanner's probe that is never answered: its Timer F verdict is attack
 * traffic, counted into the scanner incident, even when the packet that
 * moves the clock past the deadline comes hours later (the flag is read
 * at the verdict's time, not the clock's).
 */
START_TEST(test_absorb_at_deadline)
{
	struct track	*tr = tracker();
	json_t		*r;

	feed(tr, 0, "212.83.179.0:5097", B,
	    "OPTIONS sip:100@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 1.1.1.1:5060;branch=z9hG4bK-1577;rport\n"
	    "From: \"sipvicious\" <sip:100@1.1.1.1>;tag=6131\n"
	    "To: \"sipvicious\" <sip:100@1.1.1.1>\n"
	    "Call-ID: 1413354990453077\n"
	    "CSeq: 1 OPTIONS\n"
	    "User-Agent: friendly-scanner");
	feed(tr, 2 * 3600 * 1000LL, A, B, req("OPTIONS", "z9hG4bKlate",
	    "late", "f1", NULL, 1, NULL));
	expect("scanner", "1413354990453077", NULL);
	r = report(tr);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r,
	    "attacks"), "absorbed")), 1);
	json_decref(r);
	track_destroy(tr);
}
END_TEST

static Suite *
track_suite(void)
{
	Suite	*s = suite_create("track");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_normal_call);
	tcase_add_test(tc, test_invite_timeout);
	tcase_add_test(tc, test_gap_marks_verdicts);
	tcase_add_test(tc, test_partial_parse_marks_verdicts);
	tcase_add_test(tc, test_drops_nearby_marks_verdicts);
	tcase_add_test(tc, test_invite_ringing_no_timeout);
	tcase_add_test(tc, test_timer_h);
	tcase_add_test(tc, test_non_invite_timeout_and_pending);
	tcase_add_test(tc, test_ack_missing);
	tcase_add_test(tc, test_ack_present_or_unobserved);
	tcase_add_test(tc, test_retransmission);
	tcase_add_test(tc, test_response_before_request);
	tcase_add_test(tc, test_response_not_captured);
	tcase_add_test(tc, test_incident_lifecycle);
	tcase_add_test(tc, test_incident_per_server);
	tcase_add_test(tc, test_matching);
	tcase_add_test(tc, test_duplicates_and_replays);
	tcase_add_test(tc, test_proxy_hops_bad_gateway);
	tcase_add_test(tc, test_refer_no_notify);
	tcase_add_test(tc, test_transfer_outcome);
	tcase_add_test(tc, test_refer_rejected);
	tcase_add_test(tc, test_retry_after_violation);
	tcase_add_test(tc, test_premature_retry);
	tcase_add_test(tc, test_server_error_burst);
	tcase_add_test(tc, test_redirect_loop);
	tcase_add_test(tc, test_global_failure);
	tcase_add_test(tc, test_scanner);
	tcase_add_test(tc, test_scanner_relayed);
	tcase_add_test(tc, test_scanner_forged);
	tcase_add_test(tc, test_peer_identity);
	tcase_add_test(tc, test_call_legs);
	tcase_add_test(tc, test_auth_failure_burst);
	tcase_add_test(tc, test_loop_detected);
	tcase_add_test(tc, test_registration_failed);
	tcase_add_test(tc, test_registration_no_answer);
	tcase_add_test(tc, test_subscription_failed);
	tcase_add_test(tc, test_media_rejected);
	tcase_add_test(tc, test_refer_488);
	tcase_add_test(tc, test_call_failure_rate);
	tcase_add_test(tc, test_not_a_loop);
	tcase_add_test(tc, test_tcp_discarded);
	tcase_add_test(tc, test_cancel_unanswered);
	tcase_add_test(tc, test_silent_far_end);
	tcase_add_test(tc, test_end_and_clock_jump);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_toll_fraud);
	tcase_add_test(tc, test_toll_fraud_options);
	tcase_add_test(tc, test_guessing);
	tcase_add_test(tc, test_renamed_tool);
	tcase_add_test(tc, test_absorb_at_deadline);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sip_global_init();
	sr = srunner_create(track_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
