/*
 * check_ui_model.c: the dashboard without a terminal: the model fed with
 * synthetic messages (sip_parse()) and alerts, its snapshots, the call
 * states it derives, peers (Retry-After back-off, post-dial delay), the
 * bounds, filters, the top codes, the layouts, and what the screens show
 * when rendered into a canvas (main screen, ladder, knowledge base),
 * keys included.  The saved pcap is read back with libpcap.
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <glib.h>
#include <pcap/pcap.h>

#include "alert/alert.h"
#include "core/addr.h"
#include "core/i18n.h"
#include "decode/decode.h"
#include "sip/sip.h"
#include "track/track.h"
#include "ui/ui-int.h"
#include "ui/ui.h"

#define T0	1700000000000000LL	/* packet time of the first message */
#define MS	1000LL
#define SEC	1000000LL

static struct sw_addr	A, P, B;	/* alice, proxy, bob */

static void
mkaddr(struct sw_addr *a, const char *ip, uint16_t port)
{
	memset(a, 0, sizeof *a);
	a->family = 4;
	ck_assert_int_eq(inet_pton(AF_INET, ip, a->ip), 1);
	a->port = port;
}

static void
setup(void)
{
	sip_global_init();
	mkaddr(&A, "10.0.0.1", 5060);
	mkaddr(&P, "10.0.0.2", 5060);
	mkaddr(&B, "10.0.0.3", 5060);
}

/*
 * Parse TEXT ("\n" line ends, headers, a blank line, a body) into a
 * message; Content-Length is added.  Aborts the test on a parse error.
 */
static struct sip_msg *
parse(const char *fmt, ...)
{
	struct sip_msg	*m = NULL;
	enum sip_error	 err;
	GString		*s;
	va_list		 ap;
	char		*text, *body, *p;
	size_t		 blen;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	body = strstr(text, "\n\n");
	ck_assert_ptr_nonnull(body);
	*body = '\0';
	body += 2;
	blen = strlen(body);
	s = g_string_new(NULL);
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			g_string_append(s, "\r\n");
		else
			g_string_append_c(s, *p);
	}
	g_string_append_printf(s, "\r\nContent-Length: %zu\r\n\r\n", blen);
	g_string_append(s, body);
	ck_assert_int_eq(sip_parse((const uint8_t *)s->str, s->len, &m, &err),
	    0);
	g_string_free(s, TRUE);
	g_free(text);
	return (m);
}

/*
 * Feed one message to the model through a tracker (the model is a view
 * of its observations: one tracker per model, made on first use) and
 * free it.
 */
static struct track	*tr;		/* feed()'s, for its model tr_um */
static struct ui_model	*tr_um;

static void
feed(struct ui_model *um, struct sip_msg *m, int64_t ts,
    const struct sw_addr *src, const struct sw_addr *dst, int retrans)
{
	if (um != tr_um) {
		if (tr != NULL) {
			track_unsubscribe(tr, ui_model_observe, tr_um);
			track_destroy(tr);
		}
		tr = track_create(NULL, NULL, NULL);
		ck_assert_int_eq(track_subscribe(tr, ui_model_observe, um), 0);
		tr_um = um;
	}
	track_message(tr, m, ts, src, dst, DECODE_TP_UDP,
	    retrans ? TRACK_F_RETRANS : 0);
	sip_msg_free(m);
}

static struct sip_msg *
invite(const char *cid, int cseq, const char *from, const char *to,
    const char *totag)
{
	return (parse("INVITE sip:%s@example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK%s%d\n"
	    "From: <sip:%s@example.com>;tag=f%s\n"
	    "To: <sip:%s@example.com>%s%s\n"
	    "Call-ID: %s\nCSeq: %d INVITE\nMax-Forwards: 70\n"
	    "Contact: <sip:%s@10.0.0.1>\n"
	    "Content-Type: application/sdp\n\nv=0\r\n",
	    to, cid, cseq, from, cid, to, totag != NULL ? ";tag=" : "",
	    totag != NULL ? totag : "", cid, cseq, from));
}

static struct sip_msg *
request(const char *method, const char *cid, int cseq, const char *extra,
    const char *body)
{
	return (parse("%s sip:bob@10.0.0.3 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK%s%s%d\n"
	    "From: <sip:alice@example.com>;tag=f%s\n"
	    "To: <sip:bob@example.com>;tag=t%s\n"
	    "Call-ID: %s\nCSeq: %d %s\nMax-Forwards: 70\n%s\n%s",
	    method, method, cid, cseq, cid, cid, cid, cseq, method,
	    extra != NULL ? extra : "", body != NULL ? body : ""));
}

static struct sip_msg *
response(int code, const char *reason, const char *method, const char *cid,
    int cseq, int totag, const char *extra)
{
	return (parse("SIP/2.0 %d %s\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK%s%s%d\n"
	    "From: <sip:alice@example.com>;tag=f%s\n"
	    "To: <sip:bob@example.com>%s%s\n"
	    "Call-ID: %s\nCSeq: %d %s\n%s\n",
	    code, reason, strcmp(method, "INVITE") == 0 ? "" : method, cid,
	    cseq, cid, totag ? ";tag=t" : "", totag ? cid : "", cid, cseq,
	    method, extra != NULL ? extra : ""));
}

/*
 * A blind transfer through a proxy: alice -> proxy -> bob, answered,
 * alice REFERs bob to carol (202, NOTIFY 200), alice hangs up.  The
 * first INVITE is retransmitted once.
 */
static void
feed_transfer(struct ui_model *um, const char *cid, int notify)
{
	feed(um, invite(cid, 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, invite(cid, 1, "alice", "bob", NULL), T0 + 500 * MS, &A, &P,
	    1);
	feed(um, response(100, "Trying", "INVITE", cid, 1, 0, NULL),
	    T0 + 501 * MS, &P, &A, 0);
	feed(um, invite(cid, 1, "alice", "bob", NULL), T0 + 502 * MS, &P, &B,
	    0);
	feed(um, response(180, "Ringing", "INVITE", cid, 1, 1, NULL),
	    T0 + 1500 * MS, &B, &P, 0);
	feed(um, response(180, "Ringing", "INVITE", cid, 1, 1, NULL),
	    T0 + 1501 * MS, &P, &A, 0);
	feed(um, response(200, "OK", "INVITE", cid, 1, 1, NULL),
	    T0 + 4 * SEC, &B, &P, 0);
	feed(um, response(200, "OK", "INVITE", cid, 1, 1, NULL),
	    T0 + 4 * SEC + MS, &P, &A, 0);
	feed(um, request("ACK", cid, 1, NULL, NULL), T0 + 4 * SEC + 2 * MS,
	    &A, &P, 0);
	feed(um, request("REFER", cid, 2, "Refer-To: <sip:carol@example.com>\n"
	    "Referred-By: <sip:alice@example.com>\n", NULL), T0 + 10 * SEC,
	    &A, &P, 0);
	feed(um, response(202, "Accepted", "REFER", cid, 2, 1, NULL),
	    T0 + 10 * SEC + MS, &P, &A, 0);
	if (notify)
		feed(um, request("NOTIFY", cid, 3, "Event: refer\n"
		    "Subscription-State: terminated;reason=noresource\n"
		    "Content-Type: message/sipfrag\n", "SIP/2.0 200 OK\r\n"),
		    T0 + 12 * SEC, &P, &A, 0);
	feed(um, request("BYE", cid, 4, NULL, NULL), T0 + 13 * SEC, &A, &P, 0);
}

/* A snapshot's call CID, or NULL. */
static const struct ui_call_row *
snap_call(const struct ui_snap *s, const char *cid)
{
	unsigned	i;

	for (i = 0; i < s->ncalls; i++) {
		if (strcmp(s->calls[i].call_id, cid) == 0)
			return (&s->calls[i]);
	}
	return (NULL);
}

static const struct ui_peer_row *
snap_peer(const struct ui_snap *s, const struct sw_addr *a)
{
	unsigned	i;

	for (i = 0; i < s->npeers; i++) {
		if (sw_addr_cmp(&s->peers[i].addr, a) == 0)
			return (&s->peers[i]);
	}
	return (NULL);
}

static void
add_alert(struct ui_model *um, int64_t ts, const char *rule,
    enum alert_severity sev, const char *cid, const char *method, int code,
    const char *summary)
{
	struct alert	a;

	alert_init(&a, ts, rule, sev, cid, strlen(cid), "10.0.0.1:5060",
	    "10.0.0.2:5060", method, code);
	free(a.summary);
	a.summary = strdup(summary);
	a.kb_code = code;
	ui_model_alert(um, &a);
	alert_clear(&a);
}

/* Does the canvas show TEXT on some row? */
static int
shows(const struct ui_canvas *c, const char *text)
{
	char	*dump = ui_canvas_text_dump(c);
	int	 found = strstr(dump, text) != NULL;

	if (!found)
		fprintf(stderr, "--- no \"%s\" in:\n%s", text, dump);
	free(dump);
	return (found);
}

/* The row of the canvas that shows TEXT, or -1. */
static int
row_of(const struct ui_canvas *c, const char *text)
{
	char	*row;
	int	 y;

	for (y = 0; y < c->h; y++) {
		row = ui_canvas_row(c, y);
		if (strstr(row, text) != NULL) {
			free(row);
			return (y);
		}
		free(row);
	}
	return (-1);
}

static void
ctx_setup(struct ui_ctx *ctx, struct ui_canvas *c, struct ui_model *um,
    int w, int h)
{
	ui_ctx_init(ctx, um, SW_TOP_SRCDIR "/data/kb", w, h);
	memset(c, 0, sizeof *c);
	ui_canvas_resize(c, w, h);
	c->utf8 = 1;
	ui_ctx_refresh(ctx, 1, T0);
}

/* --- the model -------------------------------------------------------- */

START_TEST(test_call_transfer_states)
{
	struct ui_model			*um = ui_model_create(NULL);
	struct ui_snap			 s;
	const struct ui_call_row	*r;
	char				 buf[128];

	memset(&s, 0, sizeof s);
	feed_transfer(um, "xfer1", 1);
	ui_model_snapshot(um, &s);
	ck_assert_uint_eq(s.ncalls, 1);
	r = snap_call(&s, "xfer1");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->caller, "alice");
	ck_assert_str_eq(r->callee, "bob");
	ck_assert_str_eq(r->refer_to, "carol");
	ck_assert_int_eq(r->state, UI_CALL_ENDED);
	ck_assert_int_eq(r->xfer, UI_XFER_DONE);
	ck_assert(r->invite);
	ck_assert_int_eq(r->answer_us, T0 + 4 * SEC);	/* first 2xx seen */
	ck_assert_int_eq(r->end_us, T0 + 13 * SEC);
	ck_assert_uint_eq(r->nmsgs, 13);
	ck_assert_uint_eq(r->nhosts, 3);
	ck_assert(ui_call_has_code(r, 202));
	ck_assert(!ui_call_has_code(r, 486));
	ui_call_state_text(buf, sizeof buf, r);
	ck_assert_str_eq(buf, "transferred to carol");
	/* Retransmissions do not count as responses. */
	ck_assert_uint_eq(s.codes[200], 2);
	ck_assert_uint_eq(s.cls_total[0], 3);
	ck_assert_uint_eq(s.cls_total[1], 3);
	ck_assert_int_eq(s.now_us, T0 + 13 * SEC);
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

/*
 * Every ending is a state of its own, with its cause: who hung up, the
 * code and the reason phrase the server sent, a redirect, the called
 * user's refusal, Timer B.  The tracker's tally of outcomes and its RFC
 * 6076 ratios are on the second status line.  A call keeps its alert
 * line after the alert ring has moved on: opened from the calls list,
 * it shows it.
 */
START_TEST(test_call_endings)
{
	struct ui_model_limits		 l = { .max_alerts = 4 };
	struct ui_model			*um = ui_model_create(&l);
	struct track_call_tally		 t;
	struct ui_snap			 s;
	struct ui_ctx			 ctx;
	struct ui_canvas		 c;
	const struct ui_call_row	*r;
	char				 buf[128];
	int				 i;

	memset(&s, 0, sizeof s);
	feed(um, invite("e1", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(200, "OK", "INVITE", "e1", 1, 1, NULL), T0 + SEC,
	    &P, &A, 0);
	feed(um, request("ACK", "e1", 1, NULL, NULL), T0 + SEC + MS, &A, &P,
	    0);
	feed(um, request("BYE", "e1", 2, NULL, NULL), T0 + 5 * SEC, &A, &P,
	    0);
	feed(um, invite("f1", 1, "alice", "carol", NULL), T0, &A, &P, 0);
	feed(um, response(503, "Service Unavailable", "INVITE", "f1", 1, 1,
	    NULL), T0 + 2 * SEC, &P, &A, 0);
	feed(um, invite("r1", 1, "alice", "dave", NULL), T0, &A, &P, 0);
	feed(um, response(302, "Moved Temporarily", "INVITE", "r1", 1, 1,
	    "Contact: <sip:dave@10.0.0.9>\n"), T0 + MS, &P, &A, 0);
	feed(um, invite("d1", 1, "alice", "erin", NULL), T0, &A, &P, 0);
	feed(um, response(603, "Decline", "INVITE", "d1", 1, 1, NULL),
	    T0 + 3 * SEC, &P, &A, 0);
	feed(um, invite("t1", 1, "alice", "frank", NULL), T0 + SEC, &A, &P,
	    0);
	/* Time goes on: Timer B (64*T1 = 32 s) fires for t1's INVITE. */
	feed(um, request("OPTIONS", "ping", 1, NULL, NULL), T0 + 40 * SEC, &A,
	    &B, 0);
	ui_model_snapshot(um, &s);
	ui_call_state_text(buf, sizeof buf, snap_call(&s, "e1"));
	ck_assert_str_eq(buf, "ended by caller");
	r = snap_call(&s, "f1");
	ui_call_state_text(buf, sizeof buf, r);
	ck_assert_str_eq(buf, "failed 503 Service Unavailable");
	ck_assert_int_eq(r->end_us, T0 + 2 * SEC);	/* not still running */
	ui_call_state_text(buf, sizeof buf, snap_call(&s, "r1"));
	ck_assert_str_eq(buf, "redirected 302 Moved Temporarily");
	ui_call_state_text(buf, sizeof buf, snap_call(&s, "d1"));
	ck_assert_str_eq(buf, "rejected 603 Decline");
	r = snap_call(&s, "t1");
	ck_assert_int_eq(r->state, UI_CALL_TIMEOUT);
	ui_call_state_text(buf, sizeof buf, r);
	ck_assert_str_eq(buf, "timed out (Timer B)");
	ck_assert_int_eq(r->end_us, T0 + 33 * SEC);

	/* The tracker's tally: one call each; 1 answered of 4 decided. */
	track_call_tally(tr, &t);
	ck_assert_uint_eq(t.attempts, 5);
	ck_assert_uint_eq(t.answered, 1);
	ck_assert_uint_eq(t.failed, 1);
	ck_assert_uint_eq(t.rejected, 1);
	ck_assert_uint_eq(t.redirected, 1);
	ck_assert_uint_eq(t.timed_out, 1);
	ck_assert(t.ser > 24.9 && t.ser < 25.1);
	ck_assert(t.seer > 49.9 && t.seer < 50.1);
	ui_model_calls(um, &t);

	/* f1's alert, then more than the ring holds about other things. */
	add_alert(um, T0 + 2 * SEC, "server-error", ALERT_ERROR, "f1",
	    "INVITE", 503, "the server refused the call");
	for (i = 0; i < 6; i++)
		add_alert(um, T0 + 3 * SEC + i, "scanner", ALERT_NOTICE, "", "",
		    0, "a scan");
	ctx_setup(&ctx, &c, um, 120, 40);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "answered 1  failed 1  rejected 1  cancelled 0  "
	    "timed out 1  ASR 25%  NER 50%"));
	ck_assert(shows(&c, "failed 503 Service Unavailable"));
	ck_assert(shows(&c, "timed out (Timer B)"));
	ck_assert(shows(&c, "ended by caller"));
	/* Opened from the calls list: the alert line is there. */
	ui_open_detail(&ctx, "f1", NULL);
	ck_assert(ctx.detail_has_alert);
	ck_assert_str_eq(ctx.detail_alert.rule, "server-error");
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "server-error: the server refused the call"));
	ck_assert(shows(&c, "failed 503 Service Unavailable"));
	/* rule: finds the call by the incidents it keeps. */
	ui_key(&ctx, 27);
	ck_assert_int_eq(ui_ctx_set_filter(&ctx, "rule:server-error"), 0);
	ck_assert_uint_eq(ctx.nvcalls, 1);
	ck_assert_str_eq(ctx.snap.calls[ctx.vcalls[0]].call_id, "f1");
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

/*
 * Two legs of one call through a B2BUA at P, linked by X-CID: the calls
 * list puts the second under the first, and the call view gets both
 * dialogs in one ladder, in time order, one column per element.
 */
START_TEST(test_legs_merged)
{
	struct ui_model		*um = ui_model_create(NULL);
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	struct ui_call		*call;
	uint64_t		 gen = 0;

	feed(um, invite("la1", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, parse("INVITE sip:bob@10.0.0.3 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKlb1\n"
	    "From: <sip:alice@example.com>;tag=flb1\n"
	    "To: <sip:bob@example.com>\n"
	    "Call-ID: lb1\nCSeq: 7 INVITE\nMax-Forwards: 70\n"
	    "X-CID: la1\n\n"), T0 + MS, &P, &B, 0);
	feed(um, invite("other", 1, "carol", "dave", NULL), T0 + 2 * MS, &A,
	    &P, 0);
	feed(um, parse("SIP/2.0 200 OK\n"
	    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKlb1\n"
	    "From: <sip:alice@example.com>;tag=flb1\n"
	    "To: <sip:bob@example.com>;tag=b\n"
	    "Call-ID: lb1\nCSeq: 7 INVITE\n\n"), T0 + 3 * SEC, &B, &P, 0);
	feed(um, response(200, "OK", "INVITE", "la1", 1, 1, NULL),
	    T0 + 3 * SEC + MS, &P, &A, 0);

	ctx_setup(&ctx, &c, um, 120, 40);
	ck_assert_uint_eq(ctx.nvcalls, 3);
	/* The newest leg's place: la1, lb1 under it, then the other call. */
	ck_assert_str_eq(ctx.snap.calls[ctx.vcalls[0]].call_id, "other");
	ck_assert_str_eq(ctx.snap.calls[ctx.vcalls[1]].call_id, "la1");
	ck_assert_int_eq(ctx.vlegs[1], UI_VLEG_FIRST);
	ck_assert_str_eq(ctx.snap.calls[ctx.vcalls[2]].call_id, "lb1");
	ck_assert_int_eq(ctx.vlegs[2], UI_VLEG_LAST);
	ck_assert_int_eq(ctx.snap.calls[ctx.vcalls[2]].legs_by,
	    TRACK_LEGS_HEADER);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "\u2514 alice"));

	call = ui_model_call_legs(um, "lb1", &gen);
	ck_assert_ptr_nonnull(call);
	ck_assert_uint_eq(call->nlegs, 2);
	ck_assert_str_eq(call->legs[0].call_id, "la1");
	ck_assert_str_eq(call->legs[1].call_id, "lb1");
	ck_assert_uint_eq(call->nmsgs, 4);
	ck_assert_int_eq(call->msgs[0].leg, 0);
	ck_assert_int_eq(call->msgs[1].leg, 1);
	ck_assert_int_eq(call->msgs[2].leg, 1);	/* 200 on the B leg */
	ck_assert_int_eq(call->msgs[3].leg, 0);
	ck_assert_uint_eq(call->row.nhosts, 3);	/* alice, the B2BUA, bob */
	ck_assert_str_eq(call->row.call_id, "la1");
	ui_call_free(call);
	/* Nothing changed: nothing new. */
	ck_assert_ptr_null(ui_model_call_legs(um, "la1", &gen));
	/* The call view of the first leg: both, and what linked them. */
	ui_open_detail(&ctx, "la1", NULL);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "2 legs, by X-Call-ID/X-CID"));
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_call_refer_without_notify)
{
	struct ui_model			*um = ui_model_create(NULL);
	struct ui_snap			 s;
	const struct ui_call_row	*r;
	char				 buf[128];

	memset(&s, 0, sizeof s);
	feed_transfer(um, "xfer2", 0);
	ui_model_snapshot(um, &s);
	r = snap_call(&s, "xfer2");
	ck_assert_int_eq(r->xfer, UI_XFER_ACCEPTED);
	ui_call_state_text(buf, sizeof buf, r);
	ck_assert_str_eq(buf, "transfer to carol accepted");
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_call_failed_then_retried)
{
	struct ui_model			*um = ui_model_create(NULL);
	struct ui_snap			 s;
	const struct ui_call_row	*r;
	char				 buf[128];

	memset(&s, 0, sizeof s);
	/* 407, then the INVITE again with credentials, then 486. */
	feed(um, invite("f1", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(407, "Proxy Authentication Required", "INVITE", "f1",
	    1, 1, NULL), T0 + MS, &P, &A, 0);
	ui_model_snapshot(um, &s);
	r = snap_call(&s, "f1");
	ck_assert_int_eq(r->state, UI_CALL_FAILED);
	ck_assert_int_eq(r->code, 407);
	feed(um, invite("f1", 2, "alice", "bob", NULL), T0 + 10 * MS, &A, &P,
	    0);
	ui_model_snapshot(um, &s);
	r = snap_call(&s, "f1");
	ck_assert_int_eq(r->state, UI_CALL_TRYING);
	feed(um, response(486, "Busy Here", "INVITE", "f1", 2, 1, NULL),
	    T0 + 2 * SEC, &P, &A, 0);
	ui_model_snapshot(um, &s);
	r = snap_call(&s, "f1");
	ck_assert_int_eq(r->state, UI_CALL_FAILED);
	ck_assert_int_eq(r->code, 486);
	ui_call_state_text(buf, sizeof buf, r);
	ck_assert_str_eq(buf, "rejected 486 Busy Here");

	/* CANCEL then 487: cancelled, not failed. */
	feed(um, invite("c1", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(180, "Ringing", "INVITE", "c1", 1, 1, NULL),
	    T0 + SEC, &P, &A, 0);
	feed(um, request("CANCEL", "c1", 1, NULL, NULL), T0 + 3 * SEC, &A, &P,
	    0);
	feed(um, response(487, "Request Terminated", "INVITE", "c1", 1, 1,
	    NULL), T0 + 3 * SEC + MS, &P, &A, 0);
	ui_model_snapshot(um, &s);
	r = snap_call(&s, "c1");
	ck_assert_int_eq(r->state, UI_CALL_CANCELLED);

	/* A REGISTER is a Call-ID, not a call. */
	feed(um, parse("REGISTER sip:example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKREGISTERreg11\n"
	    "From: <sip:alice@example.com>;tag=r\n"
	    "To: <sip:alice@example.com>\n"
	    "Call-ID: reg1\nCSeq: 1 REGISTER\n\n"), T0, &A, &P, 0);
	feed(um, response(401, "Unauthorized", "REGISTER", "reg1", 1, 1, NULL),
	    T0 + MS, &P, &A, 0);
	ui_model_snapshot(um, &s);
	r = snap_call(&s, "reg1");
	ck_assert(!r->invite);
	ck_assert_int_eq(r->state, UI_CALL_OTHER);
	ui_call_state_text(buf, sizeof buf, r);
	ck_assert_str_eq(buf, "REGISTER 401");
	/* Newest call first. */
	ck_assert_str_eq(s.calls[0].call_id, "reg1");
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_peer_backoff_and_pdd)
{
	struct ui_model			*um = ui_model_create(NULL);
	struct ui_snap			 s;
	const struct ui_peer_row	*p;

	memset(&s, 0, sizeof s);
	/*
	 * Post-dial delay at P, the tracker's session request delay (RFC
	 * 6076 4.3): 1 s (180), 3 s (183), 2 s (a 200 without 1xx) ->
	 * median 2 s.  A 486 is a failed SRD, not a sample, and the called
	 * user's choice, not one of P's failures; a 404 is.
	 */
	feed(um, invite("d1", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(100, "Trying", "INVITE", "d1", 1, 0, NULL),
	    T0 + 100 * MS, &P, &A, 0);
	feed(um, response(180, "Ringing", "INVITE", "d1", 1, 1, NULL),
	    T0 + SEC, &P, &A, 0);
	feed(um, invite("d2", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(183, "Session Progress", "INVITE", "d2", 1, 1, NULL),
	    T0 + 3 * SEC, &P, &A, 0);
	feed(um, invite("d3", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(200, "OK", "INVITE", "d3", 1, 1, NULL),
	    T0 + 2 * SEC, &P, &A, 0);
	feed(um, invite("d5", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(486, "Busy Here", "INVITE", "d5", 1, 1, NULL),
	    T0 + 500 * MS, &P, &A, 0);
	feed(um, invite("d6", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(404, "Not Found", "INVITE", "d6", 1, 1, NULL),
	    T0 + 600 * MS, &P, &A, 0);
	/* B answers 503 with Retry-After: 30. */
	feed(um, invite("d4", 1, "alice", "bob", NULL), T0 + 5 * SEC, &A, &B,
	    0);
	feed(um, response(503, "Service Unavailable", "INVITE", "d4", 1, 1,
	    "Retry-After: 30\n"), T0 + 5 * SEC + MS, &B, &A, 0);
	ui_model_snapshot(um, &s);

	p = snap_peer(&s, &P);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->npdd, 3);
	ck_assert_int_eq(p->pdd_median_us, 2 * SEC);
	ck_assert_uint_eq(p->finals, 3);
	ck_assert_uint_eq(p->c4, 1);
	ck_assert_int_eq(p->backoff_code, 0);

	p = snap_peer(&s, &B);
	ck_assert_int_eq(p->backoff_code, 503);
	ck_assert_int_eq(p->retry_after, 30);
	ck_assert_int_eq(p->backoff_until_us, T0 + 35 * SEC + MS);
	ck_assert_uint_eq(p->c5, 1);
	ck_assert_int_eq(p->pdd_median_us, -1);

	p = snap_peer(&s, &A);
	ck_assert_uint_eq(p->sent, 6);
	ck_assert_uint_eq(p->received, 7);
	ck_assert_int_eq(p->pdd_median_us, -1);
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_bounds)
{
	struct ui_model_limits	 l = { .max_calls = 3, .max_msgs = 4,
				    .max_alerts = 5 };
	struct ui_model		*um = ui_model_create(&l);
	struct ui_snap		 s;
	struct ui_call		*c;
	char			 cid[32];
	int			 i;

	memset(&s, 0, sizeof s);
	for (i = 0; i < 5; i++) {
		snprintf(cid, sizeof cid, "b%d", i);
		feed(um, invite(cid, 1, "alice", "bob", NULL), T0 + i * SEC,
		    &A, &P, 0);
	}
	/* Only the 3 most recently updated calls stay. */
	ui_model_snapshot(um, &s);
	ck_assert_uint_eq(s.ncalls, 3);
	ck_assert_uint_eq(s.calls_evicted, 2);
	ck_assert_ptr_null(snap_call(&s, "b0"));
	ck_assert_ptr_nonnull(snap_call(&s, "b4"));
	/* Touching b2 keeps it when b5 comes. */
	feed(um, response(180, "Ringing", "INVITE", "b2", 1, 1, NULL),
	    T0 + 10 * SEC, &P, &A, 0);
	feed(um, invite("b5", 1, "alice", "bob", NULL), T0 + 11 * SEC, &A, &P,
	    0);
	ui_model_snapshot(um, &s);
	ck_assert_ptr_nonnull(snap_call(&s, "b2"));
	ck_assert_ptr_null(snap_call(&s, "b3"));

	/* At most 4 messages kept per call; the rest are counted. */
	for (i = 0; i < 6; i++)
		feed(um, request("OPTIONS", "b5", 10 + i, NULL, NULL),
		    T0 + 12 * SEC, &A, &P, 0);
	c = ui_model_call(um, "b5", NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nmsgs, 4);
	ck_assert_uint_eq(c->row.nmsgs, 7);
	ck_assert_uint_eq(c->row.dropped, 3);
	ck_assert_ptr_nonnull(c->msgs[0].raw);
	ck_assert(memcmp(c->msgs[0].raw, "INVITE ", 7) == 0);
	ui_call_free(c);
	ck_assert_ptr_null(ui_model_call(um, "b0", NULL));

	/* Alerts: a ring of 5, copied newest first, incrementally. */
	for (i = 0; i < 3; i++)
		add_alert(um, T0 + i, "scanner", ALERT_NOTICE, "", "", 0, "x");
	ui_model_snapshot(um, &s);
	ck_assert_uint_eq(s.nalerts, 3);
	ck_assert_uint_eq(s.alerts[0].seq, 3);
	for (i = 3; i < 9; i++)
		add_alert(um, T0 + i, i % 2 ? "bad-gateway" : "scanner",
		    ALERT_ERROR, "", "", 502, "y");
	ui_model_snapshot(um, &s);
	ck_assert_uint_eq(s.nalerts, 5);
	ck_assert_uint_eq(s.alerts_total, 9);
	for (i = 0; i < 5; i++)
		ck_assert_uint_eq(s.alerts[i].seq, 9 - (uint64_t)i);
	ck_assert_int_eq(s.alerts[0].a.ts_us, T0 + 8);
	/* Counts per rule cover every alert, not only those kept. */
	ck_assert_uint_eq(s.nrules, 2);
	ck_assert_str_eq(s.rules[0].rule, "scanner");
	ck_assert_uint_eq(s.rules[0].n, 6);
	ck_assert_uint_eq(s.rules[1].n, 3);
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

/*
 * At the cap, a new call takes the place of the oldest call that has
 * ended (failed, here), whenever it ended, and of an open one only when
 * none has; other Call-IDs (OPTIONS) have a cap of their own and never push
 * a call out.  What went is counted, on screen and in the report.
 */
START_TEST(test_evict_ended_first)
{
	struct ui_model_limits	 l = { .max_calls = 3, .max_others = 2 };
	struct ui_model		*um = ui_model_create(&l);
	struct ui_model_usage	 u;
	struct ui_snap		 s;
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	json_t			*j;
	char			 cid[16];
	int			 i;

	memset(&s, 0, sizeof s);
	feed(um, invite("c0", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, invite("c1", 1, "alice", "bob", NULL), T0 + 1 * SEC, &A, &P,
	    0);
	feed(um, invite("c2", 1, "alice", "bob", NULL), T0 + 2 * SEC, &A, &P,
	    0);
	feed(um, response(603, "Decline", "INVITE", "c2", 1, 1, NULL),
	    T0 + 2 * SEC + MS, &P, &A, 0);
	/* c0 ends after c2, but is older: it goes first. */
	feed(um, response(486, "Busy Here", "INVITE", "c0", 1, 1, NULL),
	    T0 + 2 * SEC + 2 * MS, &P, &A, 0);
	/* c1 is the least recently updated, but open: the ended go first. */
	feed(um, invite("c3", 1, "alice", "bob", NULL), T0 + 3 * SEC, &A, &P,
	    0);
	ui_model_snapshot(um, &s);
	ck_assert_ptr_null(snap_call(&s, "c0"));
	ck_assert_ptr_nonnull(snap_call(&s, "c1"));
	ck_assert_ptr_nonnull(snap_call(&s, "c2"));
	feed(um, invite("c4", 1, "alice", "bob", NULL), T0 + 4 * SEC, &A, &P,
	    0);
	ui_model_snapshot(um, &s);
	ck_assert_ptr_null(snap_call(&s, "c2"));
	ck_assert_ptr_nonnull(snap_call(&s, "c1"));
	/* None ended: the least recently updated open call goes. */
	feed(um, invite("c5", 1, "alice", "bob", NULL), T0 + 5 * SEC, &A, &P,
	    0);
	/* Probes with Call-IDs of their own: only other probes go. */
	for (i = 0; i < 5; i++) {
		snprintf(cid, sizeof cid, "o%d", i);
		feed(um, request("OPTIONS", cid, 1, NULL, NULL),
		    T0 + 6 * SEC + i, &A, &P, 0);
	}
	ui_model_snapshot(um, &s);
	ck_assert_ptr_null(snap_call(&s, "c1"));
	ck_assert_ptr_nonnull(snap_call(&s, "c3"));
	ck_assert_ptr_nonnull(snap_call(&s, "c4"));
	ck_assert_ptr_nonnull(snap_call(&s, "c5"));
	ck_assert_ptr_null(snap_call(&s, "o2"));
	ck_assert_ptr_nonnull(snap_call(&s, "o4"));
	ck_assert_uint_eq(s.ncalls, 5);
	ck_assert_uint_eq(s.calls_seen, 6);
	ck_assert_uint_eq(s.calls_evicted, 3);
	ck_assert_uint_eq(s.others_evicted, 3);
	ck_assert_uint_eq(s.max_calls, 3);
	ui_model_usage(um, &u);
	ck_assert_uint_eq(u.calls, 3);
	ck_assert_uint_eq(u.others, 2);
	j = ui_model_usage_json(&u);
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "calls_not_shown")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(j,
	    "calls_seen")), 6);
	json_decref(j);
	ui_snap_free(&s);

	/* The calls list says so on its last row; with a, the Call-IDs. */
	ctx_setup(&ctx, &c, um, 100, 30);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "Calls 3 "));
	ck_assert(shows(&c, "3 older calls not shown (--max-calls=3)"));
	ui_key(&ctx, 'a');
	ui_ctx_refresh(&ctx, 1, T0);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "6 older Call-IDs not shown"));
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_byte_budget)
{
	struct ui_model_limits	 l = { .max_call_bytes = 600,
				    .max_bytes = 1500 };
	struct ui_model		*um = ui_model_create(&l);
	struct ui_model_usage	 u;
	struct ui_snap		 s;
	struct ui_call		*c;
	char			 cid[16];
	int			 i;

	memset(&s, 0, sizeof s);
	/* Each INVITE is about 290 bytes: two fit per call. */
	for (i = 0; i < 3; i++)
		feed(um, invite("big", 1 + i, "alice", "bob", NULL),
		    T0 + i * SEC, &A, &P, 0);
	c = ui_model_call(um, "big", NULL);
	ck_assert_uint_eq(c->nmsgs, 3);
	ck_assert_ptr_nonnull(c->msgs[1].raw);
	ck_assert_ptr_null(c->msgs[2].raw);	/* over the call's budget */
	ui_call_free(c);
	/*
	 * Over the global budget the raw bytes of the calls least recently
	 * given bytes go; every call stays, with its ladder.
	 */
	for (i = 0; i < 6; i++) {
		snprintf(cid, sizeof cid, "g%d", i);
		feed(um, invite(cid, 1, "alice", "bob", NULL), T0 + 10 * SEC,
		    &A, &P, 0);
		feed(um, invite(cid, 2, "alice", "bob", NULL), T0 + 10 * SEC,
		    &A, &P, 0);
	}
	ui_model_snapshot(um, &s);
	ck_assert_uint_eq(s.ncalls, 7);
	ck_assert_uint_eq(s.calls_evicted, 0);
	ck_assert_ptr_nonnull(snap_call(&s, "big"));
	c = ui_model_call(um, "big", NULL);
	ck_assert_uint_eq(c->nmsgs, 3);
	ck_assert_ptr_null(c->msgs[0].raw);
	ck_assert_uint_eq(c->msgs[0].cseq, 1);	/* the ladder stays */
	ui_call_free(c);
	c = ui_model_call(um, "g5", NULL);
	ck_assert_ptr_nonnull(c->msgs[0].raw);
	ck_assert_ptr_nonnull(c->msgs[1].raw);
	ui_call_free(c);
	ui_model_usage(um, &u);
	ck_assert_uint_le(u.bytes, 1500);
	ck_assert_uint_ge(u.bytes_released, 4);
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_history)
{
	struct ui_model	*um = ui_model_create(NULL);
	struct ui_snap	 s;

	memset(&s, 0, sizeof s);
	feed(um, invite("h", 1, "alice", "bob", NULL), T0, &A, &P, 0);
	feed(um, response(503, "Service Unavailable", "INVITE", "h", 1, 1,
	    NULL), T0 + 2 * SEC, &P, &A, 0);
	feed(um, response(503, "Service Unavailable", "INVITE", "h", 1, 1,
	    NULL), T0 + 2 * SEC + 10, &P, &A, 0);
	feed(um, response(180, "Ringing", "INVITE", "h", 1, 1, NULL),
	    T0 + 20 * SEC, &P, &A, 0);
	ui_model_snapshot(um, &s);
	/* Now is T0 + 20 s: the last bucket is that second. */
	ck_assert_uint_eq(s.hist[UI_HIST_SECS - 1][0], 1);
	ck_assert_uint_eq(s.hist[UI_HIST_SECS - 19][4], 2);
	ck_assert_uint_eq(ui_hist_sum(&s, 5, 10), 0);
	ck_assert_uint_eq(ui_hist_sum(&s, 5, 20), 2);
	ck_assert_uint_eq(ui_hist_sum(&s, 1, 10), 1);
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

/* --- computations ----------------------------------------------------- */

/* TEXT (ui-filter.c; "" matches all) on a call row, an alert, a peer. */
static int
filter_on(const char *text, struct ui_filter_subject *subj,
    const struct ui_peer_row *p)
{
	struct ui_filter	*f = NULL;
	char			*cause = NULL;
	int			 r;

	if (*text != '\0') {
		f = ui_filter_parse(text, &cause);
		ck_assert_msg(f != NULL, "%s: %s", text, cause);
	}
	r = p != NULL ? ui_filter_peer(f, p) : ui_filter_eval(f, subj);
	ui_filter_free(f);
	return (r);
}

static int
filter_call(const char *text, const struct ui_call_row *r)
{
	struct ui_filter_subject	subj;

	memset(&subj, 0, sizeof subj);
	subj.row = r;
	return (filter_on(text, &subj, NULL));
}

static int
filter_alert(const char *text, const struct alert *a)
{
	struct ui_filter_subject	subj;

	memset(&subj, 0, sizeof subj);
	subj.alert = a;
	return (filter_on(text, &subj, NULL));
}

static int
filter_peer(const char *text, const struct ui_peer_row *p)
{
	return (filter_on(text, NULL, p));
}

START_TEST(test_filters)
{
	struct ui_call_row	r;
	struct ui_peer_row	p;
	struct alert		a;

	memset(&r, 0, sizeof r);
	snprintf(r.call_id, sizeof r.call_id, "abc123@host");
	snprintf(r.caller, sizeof r.caller, "alice");
	snprintf(r.callee, sizeof r.callee, "2001");
	snprintf(r.method, sizeof r.method, "INVITE");
	r.methods = 1U << SIP_METHOD_INVITE | 1U << SIP_METHOD_REFER;
	r.codes[(503 - 100) / 8] |= 1U << ((503 - 100) % 8);
	r.hosts[0] = A;
	r.nhosts = 1;
	ck_assert(filter_call("", &r));
	ck_assert(filter_call("ABC123", &r));
	ck_assert(filter_call("alic", &r));
	ck_assert(filter_call("2001", &r));
	ck_assert(filter_call("10.0.0.1", &r));
	ck_assert(filter_call("refer", &r));
	ck_assert(filter_call("503", &r));
	ck_assert(filter_call("5xx", &r));
	ck_assert(!filter_call("486", &r));
	ck_assert(!filter_call("4xx", &r));
	ck_assert(!filter_call("bye", &r));
	ck_assert(!filter_call("10.0.0.2", &r));

	alert_init(&a, T0, "bad-gateway", ALERT_ERROR, "gw1", 3,
	    "10.0.0.9:5060", "10.0.0.1:5060", "INVITE", 502);
	ck_assert(filter_alert("502", &a));
	ck_assert(filter_alert("5xx", &a));
	ck_assert(filter_alert("gw1", &a));
	ck_assert(filter_alert("10.0.0.9", &a));
	ck_assert(filter_alert("invite", &a));
	ck_assert(filter_alert("gateway", &a));
	ck_assert(!filter_alert("503", &a));
	ck_assert(!filter_alert("alice", &a));
	alert_clear(&a);

	memset(&p, 0, sizeof p);
	p.addr = B;
	p.c5 = 1;
	ck_assert(filter_peer("10.0.0.3:5060", &p));
	ck_assert(filter_peer("5xx", &p));
	ck_assert(!filter_peer("4xx", &p));
	ck_assert(!filter_peer("10.0.0.1", &p));
}
END_TEST

START_TEST(test_top_codes_median_rates)
{
	uint64_t		codes[700];
	struct ui_top_code	top[3];
	int64_t			v[] = { 5, 1, 4, 2 };
	struct ui_snap		*s;
	struct ui_rates		r;
	unsigned		n;

	memset(codes, 0, sizeof codes);
	codes[200] = 10;
	codes[180] = 4;
	codes[503] = 4;
	codes[486] = 1;
	codes[100] = 7;
	n = ui_top_codes(codes, top, 3);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(top[0].code, 200);
	ck_assert_int_eq(top[1].code, 100);
	ck_assert_int_eq(top[2].code, 180);	/* tie: lower code first */
	ck_assert_uint_eq(top[2].n, 4);

	ck_assert_int_eq(ui_median(v, 4), 3);
	ck_assert_int_eq(ui_median(v, 3), 4);
	ck_assert_int_eq(ui_median(v, 0), -1);

	/* Replay: rates by packet time; at the end, the average. */
	s = calloc(1, sizeof *s);
	memset(&r, 0, sizeof r);
	s->have_stats = 1;
	s->st.first_ts_us = T0;
	s->st.last_ts_us = T0;
	ui_rates_update(&r, s, 0);
	s->st.packets = 100;
	s->st.messages = 50;
	s->st.last_ts_us = T0 + 2 * SEC;
	ui_rates_update(&r, s, 0);
	ck_assert(r.pps > 49.9 && r.pps < 50.1);
	ck_assert(r.mps > 24.9 && r.mps < 25.1);
	ck_assert(!r.average);
	s->st.packets = 400;
	s->st.last_ts_us = T0 + 4 * SEC;
	s->finished = 1;
	ui_rates_update(&r, s, 0);
	ck_assert(r.average);
	ck_assert(r.pps > 99.9 && r.pps < 100.1);
	free(s);
}
END_TEST

static void
check_inside(const struct ui_rect *r, int w, int h)
{
	ck_assert_int_ge(r->x, 0);
	ck_assert_int_ge(r->y, 0);
	ck_assert_int_le(r->x + r->w, w);
	ck_assert_int_le(r->y + r->h, h);
}

START_TEST(test_layouts)
{
	static const int	sizes[][2] = { { 80, 24 }, { 160, 48 },
				    { 100, 30 }, { 40, 10 } };
	struct ui_layout	l;
	struct ui_detail_layout	d;
	unsigned		i;
	int			w, h;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		w = sizes[i][0];
		h = sizes[i][1];
		ui_layout_main(w, h, &l);
		check_inside(&l.status, w, h);
		check_inside(&l.codes, w, h);
		check_inside(&l.alerts, w, h);
		check_inside(&l.peers, w, h);
		check_inside(&l.calls, w, h);
		check_inside(&l.keys, w, h);
		/* Alerts and calls stack without overlap, above the keys. */
		ck_assert_int_le(l.alerts.y + l.alerts.h, l.calls.y);
		ck_assert_int_le(l.calls.y + l.calls.h, l.keys.y);
		ck_assert_int_ge(l.alerts.h, 2);
		ui_layout_detail(w, h, 1, &d);
		check_inside(&d.ladder, w, h);
		check_inside(&d.message, w, h);
		ck_assert_int_le(d.ladder.y + d.ladder.h, d.message.y);
	}
	/* 80 x 24: codes, 4 alerts, 3 peers, 4 calls. */
	ui_layout_main(80, 24, &l);
	ck_assert_int_eq(l.codes.h, 7);
	ck_assert_int_eq(l.alerts.h, 5);
	ck_assert_int_eq(l.peers.h, 4);
	ck_assert_int_eq(l.calls.h, 5);
	/* Wide: peers beside the codes. */
	ui_layout_main(160, 48, &l);
	ck_assert_int_eq(l.peers.y, l.codes.y);
	ck_assert_int_gt(l.peers.x, l.codes.x);
}
END_TEST

START_TEST(test_canvas)
{
	struct ui_canvas	c;
	char			*row;

	memset(&c, 0, sizeof c);
	ui_canvas_resize(&c, 12, 2);
	c.utf8 = 1;
	ck_assert_int_eq(ui_text_width("日本語"), 6);
	ck_assert_int_eq(ui_text_width("Звонки"), 6);
	/* A wide character that would not fit is left out. */
	ck_assert_int_eq(ui_canvas_text(&c, 0, 0, 5, UI_COL_NORMAL, "日本語"),
	    4);
	/* A control character shows escaped (check_escape.c). */
	ck_assert_int_eq(ui_canvas_text(&c, 5, 0, 7, UI_COL_LABEL, "ab\tc"),
	    7);
	row = ui_canvas_row(&c, 0);
	ck_assert_str_eq(row, "日本 ab\\x09c");
	free(row);
	/* ... and is counted as drawn, so fitting and drawing agree. */
	ck_assert_int_eq(ui_text_width("ab\tc"), 7);
	ck_assert_int_eq(ui_text_width("a\xff" "b"), 6);
	ck_assert_int_eq(ui_text_width("a\xc2\x85"), 9);
	/* Overwriting half of a wide character clears the other half. */
	ui_canvas_text(&c, 1, 0, 1, UI_COL_NORMAL, "x");
	row = ui_canvas_row(&c, 0);
	ck_assert_str_eq(row, " x本 ab\\x09c");
	free(row);
	/* Without UTF-8, no characters beyond ASCII. */
	c.utf8 = 0;
	ui_canvas_text(&c, 0, 1, 12, UI_COL_NORMAL, "Türkçe");
	row = ui_canvas_row(&c, 1);
	ck_assert_str_eq(row, "T?rk?e");
	free(row);
	ck_assert_int_eq(c.cells[5].colour, UI_COL_LABEL);
	ui_canvas_free(&c);
}
END_TEST

/* --- screens and keys ------------------------------------------------- */

static struct ui_model *
model_with_alert(void)
{
	struct ui_model	*um = ui_model_create(NULL);
	struct stats	 st;

	ui_model_source(um, "file", "refer.pcap", 0, 0);
	feed_transfer(um, "xfer-cid-1", 0);
	feed(um, invite("busy1", 1, "dave", "erin", NULL), T0 + 20 * SEC, &A,
	    &B, 0);
	feed(um, response(503, "Service Unavailable", "INVITE", "busy1", 1, 1,
	    "Retry-After: 30\n"), T0 + 20 * SEC + MS, &B, &A, 0);
	add_alert(um, T0 + 42 * SEC, "refer-no-notify", ALERT_WARNING,
	    "xfer-cid-1", "REFER", 202,
	    "REFER from 10.0.0.1:5060 to 10.0.0.2:5060 was accepted with 202 "
	    "but no NOTIFY arrived");
	memset(&st, 0, sizeof st);
	st.packets = 15;
	st.messages = 15;
	st.first_ts_us = T0;
	st.last_ts_us = T0 + 42 * SEC;
	ui_model_stats(um, &st, 3, 2, 1000, 1000);
	ui_model_finish(um, 0);
	return (um);
}

START_TEST(test_render_main)
{
	struct ui_model		*um = model_with_alert();
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	int			 y;

	ctx_setup(&ctx, &c, um, 80, 24);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "file refer.pcap  end of file  100%"));
	ck_assert(shows(&c, "transactions 3  Call-IDs 2"));
	ck_assert(shows(&c, "Response codes"));
	ck_assert(shows(&c, "503 Service Unavailable"));
	ck_assert(shows(&c, "Alerts 1"));
	ck_assert(shows(&c, "refer-no-notify 1"));
	ck_assert(shows(&c, "WARN refer-no-notify"));
	ck_assert(shows(&c, "transfer to carol accepted"));
	ck_assert(shows(&c, "failed 503"));
	/* The back-off: 30 s asked at T0+20, now T0+42: 9 s left. */
	y = row_of(&c, "10.0.0.3:5060");
	ck_assert_int_ge(y, 0);
	ck_assert(shows(&c, "503 9s"));
	/* Every line fits in 80 columns. */
	for (y = 0; y < c.h; y++) {
		char	*row = ui_canvas_row(&c, y);

		ck_assert_int_le(ui_text_width(row), 80);
		free(row);
	}
	/* The call with an alert is marked. */
	ck_assert(shows(&c, "!transfer to carol"));
	/*
	 * A path too long for the status line: its end, the cut marked;
	 * the state and progress whole.
	 */
	ui_model_source(um, "file", "/var/tmp/captures/from-the-customer/"
	    "2024-01-02/night-shift/pbx-1/refer.pcap", 0, 0);
	ui_ctx_refresh(&ctx, 1, T0);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "/refer.pcap  end of file  100%"));
	ck_assert_int_eq(row_of(&c, "\u2026"), 0);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);

	/* Wide: the Call-ID column and the alert's addresses. */
	ctx_setup(&ctx, &c, um, 160, 48);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "10.0.0.1:5060 > 10.0.0.2:5060"));
	ck_assert(shows(&c, "xfer-cid-1"));
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_detail_ladder)
{
	struct ui_model		*um = model_with_alert();
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	char			*row;
	int			 yr, y2;

	ctx_setup(&ctx, &c, um, 80, 24);
	/* Enter on the alert (focused at start). */
	ck_assert_int_eq(ctx.focus, UI_PANEL_ALERTS);
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert_int_eq(ctx.view, UI_VIEW_DETAIL);
	ck_assert_ptr_nonnull(ctx.detail);
	/* The cursor is on the 202 to the REFER, proxy to alice. */
	ck_assert_int_eq(ctx.detail->msgs[ctx.dsel].status, 202);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "10.0.0.1:5060"));
	ck_assert(shows(&c, "10.0.0.3:5060"));
	/* Arrows: REFER alice -> proxy, then 202 back. */
	yr = row_of(&c, "\u2500REFER\u2500");
	y2 = row_of(&c, "\u2500202 Accepted\u2500");
	ck_assert_int_gt(yr, 0);
	ck_assert_int_eq(y2, yr + 1);
	row = ui_canvas_row(&c, yr);
	ck_assert_ptr_nonnull(strstr(row, "\u2500>"));
	free(row);
	row = ui_canvas_row(&c, y2);
	ck_assert_ptr_nonnull(strstr(row, "<\u2500"));
	free(row);
	ck_assert(shows(&c, "WARN refer-no-notify: REFER from"));
	/* The raw message under the cursor. */
	ck_assert(shows(&c, "SIP/2.0 202 Accepted"));
	ck_assert(shows(&c, "CSeq: 2 REFER"));
	/* Tab: the alert's advice, then the explanation of 202. */
	ui_key(&ctx, UI_KEY_TAB);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "202 Accepted"));
	ck_assert(shows(&c, "Meaning"));
	while (row_of(&c, "When you see it") < 0 && ctx.lscroll < 100) {
		ui_key(&ctx, UI_KEY_PGDN);
		ui_render(&ctx, &c);
	}
	ck_assert(shows(&c, "When you see it"));
	/* Home: the first INVITE; its retransmission is marked R. */
	ui_key(&ctx, UI_KEY_HOME);
	ck_assert_int_eq(ctx.dsel, 0);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "+0.500 R"));
	ck_assert(shows(&c, "INVITE (SDP)"));
	/* Esc: back to the main screen. */
	ui_key(&ctx, UI_KEY_ESC);
	ck_assert_int_eq(ctx.view, UI_VIEW_MAIN);
	ck_assert_ptr_null(ctx.detail);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_keys_codes_compare_filter)
{
	struct ui_model		*um = model_with_alert();
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	const char		*k;
	char			*row;

	ctx_setup(&ctx, &c, um, 80, 24);
	/* Shift-Tab from alerts: the codes; 180 and 200 twice each. */
	ui_key(&ctx, UI_KEY_BTAB);
	ck_assert_int_eq(ctx.focus, UI_PANEL_CODES);
	ck_assert_int_eq(ctx.top_codes[0].code, 180);
	ck_assert_int_eq(ctx.top_codes[1].code, 200);
	ui_key(&ctx, 'j');
	ck_assert_int_eq(ctx.sel[UI_PANEL_CODES], 1);
	ui_key(&ctx, 'x');
	ck_assert_int_eq(ctx.view, UI_VIEW_KB);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "SIP 200 OK"));
	/* c, then 503: the comparison, as "sipwatch explain 200 503". */
	ui_key(&ctx, 'c');
	ck_assert_int_eq(ctx.prompt, UI_PROMPT_COMPARE);
	for (k = "503"; *k != '\0'; k++)
		ui_key(&ctx, (uint32_t)*k);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "Compare with code: 503"));
	ui_key(&ctx, UI_KEY_ENTER);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "SIP 200 OK vs 503 Service Unavailable"));
	ck_assert_int_eq(ctx.kb_code[1], 503);
	/* Scrolling reaches "Key differences". */
	while (row_of(&c, "Key differences") < 0 && ctx.kb_scroll + c.h <
	    (int)ctx.kb_nlines + 2) {
		ui_key(&ctx, UI_KEY_PGDN);
		ui_render(&ctx, &c);
	}
	ck_assert(shows(&c, "Key differences"));
	ui_key(&ctx, 'q');
	ck_assert_int_eq(ctx.view, UI_VIEW_MAIN);

	/* A filter: only what involves dave. */
	ui_key(&ctx, '/');
	for (k = "dave"; *k != '\0'; k++)
		ui_key(&ctx, (uint32_t)*k);
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert_str_eq(ctx.filter, "dave");
	ck_assert_uint_eq(ctx.nvcalls, 1);
	ck_assert_uint_eq(ctx.nvalerts, 0);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "failed 503"));
	row = ui_canvas_row(&c, row_of(&c, "failed 503"));
	ck_assert_ptr_null(strstr(row, "carol"));
	free(row);
	ck_assert(shows(&c, "filter: dave"));
	/* Esc clears the filter before it quits. */
	ui_key(&ctx, UI_KEY_ESC);
	ck_assert_str_eq(ctx.filter, "");
	ck_assert(!ctx.quit);
	ck_assert_uint_eq(ctx.nvcalls, 2);
	/* p pauses: no new snapshot until p again. */
	ui_key(&ctx, 'p');
	feed(um, invite("late", 1, "x", "y", NULL), T0 + 50 * SEC, &A, &B, 0);
	ui_ctx_refresh(&ctx, 0, T0);
	ck_assert_uint_eq(ctx.nvcalls, 2);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "PAUSED"));
	ui_key(&ctx, 'p');
	ui_ctx_refresh(&ctx, 0, T0);
	ck_assert_uint_eq(ctx.nvcalls, 3);
	/* q asks; a second q quits. */
	ui_key(&ctx, 'q');
	ck_assert(!ctx.quit);
	ck_assert_int_eq(ctx.prompt, UI_PROMPT_QUIT);
	ui_key(&ctx, 'q');
	ck_assert(ctx.quit);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_save_pcap)
{
	struct ui_model		*um = model_with_alert();
	struct ui_call		*call;
	char			 path[] = "/tmp/check_ui_XXXXXX", err[PCAP_ERRBUF_SIZE];
	char			*cause = NULL;
	struct pcap_pkthdr	*h;
	const u_char		*data;
	pcap_t			*p;
	int			 fd, n, i = 0;

	call = ui_model_call(um, "xfer-cid-1", NULL);
	ck_assert_ptr_nonnull(call);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	n = ui_pcap_write(call, path, &cause);
	ck_assert_int_eq(n, 12);
	p = pcap_open_offline(path, err);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(pcap_datalink(p), DLT_RAW);
	while (pcap_next_ex(p, &h, &data) == 1) {
		const struct ui_msg	*m = &call->msgs[i];

		ck_assert_int_eq((int64_t)h->ts.tv_sec * SEC + h->ts.tv_usec,
		    m->ts_us);
		ck_assert_uint_eq(h->caplen, 28 + m->raw_len);
		ck_assert_int_eq(data[0], 0x45);
		ck_assert_int_eq(data[9], 17);
		ck_assert(memcmp(data + 12, m->src.ip, 4) == 0);
		ck_assert_int_eq(data[20] << 8 | data[21], m->src.port);
		ck_assert(memcmp(data + 28, m->raw, m->raw_len) == 0);
		i++;
	}
	ck_assert_int_eq(i, 12);
	pcap_close(p);
	unlink(path);
	/* An unwritable path is an error with its reason. */
	ck_assert_int_eq(ui_pcap_write(call, "/nonexistent/x.pcap", &cause),
	    -1);
	ck_assert_ptr_nonnull(strstr(cause, "/nonexistent/x.pcap"));
	free(cause);
	ui_call_free(call);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_small_screens)
{
	static const int	sizes[][2] = { { 1, 1 }, { 10, 3 }, { 20, 6 },
				    { 40, 10 }, { 60, 16 } };
	struct ui_model		*um = model_with_alert();
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	unsigned		 i, v;
	char			*row;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		ctx_setup(&ctx, &c, um, sizes[i][0], sizes[i][1]);
		/* Every view draws inside the screen, whatever its size. */
		for (v = 0; v < 4; v++) {
			if (v == 1)
				ui_key(&ctx, UI_KEY_ENTER);	/* detail */
			else if (v == 2)
				ui_key(&ctx, UI_KEY_ENTER);	/* its code */
			else if (v == 3)
				ui_key(&ctx, '?');
			ui_render(&ctx, &c);
			row = ui_canvas_row(&c, 0);
			ck_assert_int_le(ui_text_width(row), sizes[i][0]);
			if (v == 0 && sizes[i][0] >= 10)
				ck_assert_ptr_nonnull(strstr(row, "file"));
			free(row);
		}
		ui_ctx_free(&ctx);
		ui_canvas_free(&c);
	}
	ui_model_destroy(um);
}
END_TEST

/*
 * The attack view: one row per source IP from the tracker's attack
 * observations, newest first, with the worst outcome kept.
 */
/*
 * The media of a call as the tracker publishes it (TRACK_OBS_MEDIA): the
 * codec, worst MOS and one-way mark in the calls list, the streams in the
 * call view, which a media alert opens on; a call the model does not hold
 * is not made for it.
 */
static void
media_obs(struct ui_model *um, const char *cid, unsigned flags,
    unsigned nstreams, unsigned total)
{
	struct track_media		 md;
	struct track_media_stream	 st[2];
	struct track_obs		 o;

	memset(&md, 0, sizeof md);
	md.flags = flags;
	md.codec = "PCMU";
	md.mos_known = 1;
	md.worst_mos = 3.046;
	md.streams = total;
	memset(st, 0, sizeof st);
	mkaddr(&st[0].src, "10.0.0.3", 6000);
	mkaddr(&st[0].dst, "10.0.0.1", 4000);
	st[0].ssrc = 0xb0b;
	st[0].packets = 452;
	st[0].lost = 57;
	st[0].lost_pct = 11.198;
	st[0].jitter_known = 1;
	st[0].mean_jitter_ms = 3.557;
	st[0].max_jitter_ms = 7.695;
	st[0].mos_known = 1;
	st[0].mos = 3.046;
	st[0].first_us = T0 + 4 * SEC + 250 * MS;
	st[0].last_us = T0 + 12 * SEC;
	snprintf(st[0].payload, sizeof st[0].payload, "PCMU");
	st[1] = st[0];
	st[1].src = st[0].dst;
	st[1].dst = st[0].src;
	st[1].ssrc = 0xa11ce;
	st[1].packets = 508;
	st[1].lost = 0;
	st[1].lost_pct = 0;
	st[1].mos = 4.36;
	memset(&o, 0, sizeof o);
	o.type = TRACK_OBS_MEDIA;
	o.ts_us = T0 + 12 * SEC;
	o.call_id = cid;
	o.call_id_len = strlen(cid);
	o.u.media.media = &md;
	o.u.media.streams = st;
	o.u.media.nstreams = nstreams;
	o.u.media.streams_total = total;
	ui_model_observe(&o, um);
}

START_TEST(test_media)
{
	struct ui_model		*um = ui_model_create(NULL);
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	struct ui_snap		 s;
	struct ui_call		*call;
	const struct ui_call_row *r;
	struct stats		 st;
	char			*row;
	int			 y;

	ui_model_source(um, "file", "media.pcap", 0, 0);
	feed_transfer(um, "media-1", 1);
	media_obs(um, "media-1", TRACK_MEDIA_ONE_WAY, 2, 3);
	media_obs(um, "not-held", 0, 1, 1);
	memset(&s, 0, sizeof s);
	ui_model_snapshot(um, &s);
	ck_assert_ptr_null(snap_call(&s, "not-held"));
	r = snap_call(&s, "media-1");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->codec, "PCMU");
	ck_assert_int_eq(r->mos_known, 1);
	ck_assert_uint_eq(r->mflags, TRACK_MEDIA_ONE_WAY);
	ck_assert_uint_eq(r->nstreams, 3);
	ui_snap_free(&s);
	call = ui_model_call(um, "media-1", NULL);
	ck_assert_ptr_nonnull(call);
	ck_assert_uint_eq(call->nstreams, 2);
	ck_assert_uint_eq(call->streams_total, 3);
	ck_assert_uint_eq(call->streams[1].packets, 508);
	ui_call_free(call);
	add_alert(um, T0 + 10 * SEC, "one-way-media", ALERT_ERROR, "media-1",
	    "", 0, "One-way audio: the caller sent 0 RTP packet(s)");
	memset(&st, 0, sizeof st);
	st.first_ts_us = T0;
	st.last_ts_us = T0 + 13 * SEC;
	ui_model_stats(um, &st, 1, 1, 1000, 1000);
	ui_model_finish(um, 0);

	/* The calls list: codec, the worst MOS, the mark. */
	ctx_setup(&ctx, &c, um, 80, 24);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "media"));
	y = row_of(&c, "PCMU 3.05 one-way");
	ck_assert_int_gt(y, 0);
	row = ui_canvas_row(&c, y);
	ck_assert_ptr_nonnull(strstr(row, "alice"));
	free(row);
	/* Enter on the media alert: the call, on its streams. */
	ck_assert_int_eq(ctx.focus, UI_PANEL_ALERTS);
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert_int_eq(ctx.view, UI_VIEW_DETAIL);
	ck_assert_int_eq(ctx.lower, UI_LOWER_STREAMS);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "3 RTP streams  PCMU 3.05 one-way"));
	y = row_of(&c, "10.0.0.3:6000 \u2192 10.0.0.1:4000");
	ck_assert_int_gt(y, 0);
	row = ui_canvas_row(&c, y);
	ck_assert_ptr_nonnull(strstr(row, "PCMU      452   57 11.2% 3.56/7.70 "
	    "3.05"));
	free(row);
	/* What does not fit beside it, under it (80 columns). */
	row = ui_canvas_row(&c, y + 1);
	ck_assert_ptr_nonnull(strstr(row, "SSRC 0x00000B0B"));
	ck_assert_ptr_nonnull(strstr(row, "first 22:13:24.250"));
	free(row);
	ck_assert(shows(&c, "1 more stream not listed"));
	ck_assert(shows(&c, "Tab message"));
	/* Tab: the message, the explanation, the streams again. */
	ui_key(&ctx, UI_KEY_TAB);
	ck_assert_int_eq(ctx.lower, UI_LOWER_MESSAGE);
	ui_key(&ctx, UI_KEY_TAB);
	ck_assert_int_eq(ctx.lower, UI_LOWER_KB);
	ui_key(&ctx, UI_KEY_TAB);
	ck_assert_int_eq(ctx.lower, UI_LOWER_STREAMS);
	ui_key(&ctx, UI_KEY_BTAB);
	ck_assert_int_eq(ctx.lower, UI_LOWER_KB);
	/* Esc, then the call from the calls list: its message first. */
	ui_key(&ctx, UI_KEY_ESC);
	ctx.focus = UI_PANEL_CALLS;
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert_int_eq(ctx.view, UI_VIEW_DETAIL);
	ck_assert_int_eq(ctx.lower, UI_LOWER_MESSAGE);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);

	/* Wide: every column on the stream's row. */
	ctx_setup(&ctx, &c, um, 160, 48);
	ui_key(&ctx, UI_KEY_ENTER);
	ui_render(&ctx, &c);
	y = row_of(&c, "10.0.0.1:4000 \u2192 10.0.0.3:6000");
	ck_assert_int_gt(y, 0);
	row = ui_canvas_row(&c, y);
	ck_assert_ptr_nonnull(strstr(row, "0x000A11CE"));
	ck_assert_ptr_nonnull(strstr(row, "508"));
	ck_assert_ptr_nonnull(strstr(row, "22:13:24.250 22:13:32.000"));
	free(row);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_attacks)
{
	struct ui_model		*um = ui_model_create(NULL);
	struct ui_snap		 s;
	struct sw_addr		 scan, guess;
	char			 ip[SW_ADDRSTRLEN];

	memset(&s, 0, sizeof s);
	ck_assert_int_eq(sw_addr_parse("203.0.113.5:40000", &scan), 0);
	ck_assert_int_eq(sw_addr_parse("203.0.113.6:5060", &guess), 0);
	feed(um, parse("OPTIONS sip:100@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK-1\n"
	    "From: \"sipvicious\" <sip:100@1.1.1.1>;tag=a\n"
	    "To: \"sipvicious\" <sip:100@1.1.1.1>\n"
	    "Call-ID: 111\nCSeq: 1 OPTIONS\nMax-Forwards: 70\n"
	    "User-Agent: friendly-scanner\n\n"), T0, &scan, &P, 0);
	feed(um, parse("INVITE sip:0044123456@10.0.0.2 SIP/2.0\n"
	    "Via: SIP/2.0/UDP 203.0.113.6:5060;branch=z9hG4bKx\n"
	    "From: <sip:1@203.0.113.6>;tag=b\n"
	    "To: <sip:0044123456@10.0.0.2>\n"
	    "Call-ID: fraud-1\nCSeq: 1 INVITE\nMax-Forwards: 70\n\n"),
	    T0 + SEC, &guess, &P, 0);
	feed(um, parse("SIP/2.0 200 OK\n"
	    "Via: SIP/2.0/UDP 203.0.113.6:5060;branch=z9hG4bKx\n"
	    "From: <sip:1@203.0.113.6>;tag=b\n"
	    "To: <sip:0044123456@10.0.0.2>;tag=c\n"
	    "Call-ID: fraud-1\nCSeq: 1 INVITE\n\n"), T0 + 2 * SEC, &P, &guess,
	    0);
	ui_model_snapshot(um, &s);
	ck_assert_uint_eq(s.nattacks, 2);
	ck_assert_str_eq(sw_addr_format_ip(&s.attacks[0].source, ip,
	    sizeof ip), "203.0.113.6");
	ck_assert_str_eq(s.attacks[0].kind, "toll-fraud");
	ck_assert_int_eq(s.attacks[0].outcome, TRACK_ATTACK_FRAUD_ANSWERED);
	ck_assert_uint_eq(s.attacks[0].fraud_calls, 1);
	ck_assert_str_eq(sw_addr_format_ip(&s.attacks[1].source, ip,
	    sizeof ip), "203.0.113.5");
	ck_assert_str_eq(s.attacks[1].kind, "scanner");
	ck_assert_int_eq(s.attacks[1].outcome, TRACK_ATTACK_NOTHING);
	ck_assert_int_eq(s.attacks[1].first_us, T0);
	ui_snap_free(&s);
	ui_model_destroy(um);
}
END_TEST

static Suite *
ui_suite(void)
{
	Suite	*s = suite_create("ui");
	TCase	*tc;

	tc = tcase_create("model");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_call_transfer_states);
	tcase_add_test(tc, test_call_refer_without_notify);
	tcase_add_test(tc, test_call_endings);
	tcase_add_test(tc, test_legs_merged);
	tcase_add_test(tc, test_call_failed_then_retried);
	tcase_add_test(tc, test_peer_backoff_and_pdd);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_evict_ended_first);
	tcase_add_test(tc, test_byte_budget);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_attacks);
	suite_add_tcase(s, tc);

	tc = tcase_create("view");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_top_codes_median_rates);
	tcase_add_test(tc, test_layouts);
	tcase_add_test(tc, test_canvas);
	suite_add_tcase(s, tc);

	tc = tcase_create("screens");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_render_main);
	tcase_add_test(tc, test_detail_ladder);
	tcase_add_test(tc, test_keys_codes_compare_filter);
	tcase_add_test(tc, test_save_pcap);
	tcase_add_test(tc, test_small_screens);
	tcase_add_test(tc, test_media);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	/* English text, local time in UTC: the assertions match exactly. */
	setenv("TZ", "UTC", 1);
	setenv("LANGUAGE", "en", 1);
	(void)i18n_init("en", NULL);
	sr = srunner_create(ui_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
