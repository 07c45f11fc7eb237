/*
 * check_ui_filter.c: the dashboard's parts that do not depend on its
 * model: the filter language (parse, evaluate on rows, raw messages and
 * alerts), text fitted to a width (ellipsis, columns by priority, counts
 * never cut), escape sequences, the quit confirmation and context help,
 * and exports (text, HTML, CSV, names), hostile bytes included.
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <glib.h>

#include "alert/alert.h"
#include "core/i18n.h"
#include "decode/decode.h"
#include "sip/sip.h"
#include "track/track.h"
#include "ui/ui-int.h"
#include "ui/ui.h"

#define T0	1700000000000000LL
#define MS	1000LL
#define SEC	1000000LL

static struct sw_addr	A, P, B, V6;

static void
mkaddr(struct sw_addr *a, const char *ip, uint16_t port)
{
	memset(a, 0, sizeof *a);
	if (strchr(ip, ':') != NULL) {
		a->family = 6;
		ck_assert_int_eq(inet_pton(AF_INET6, ip, a->ip), 1);
	} else {
		a->family = 4;
		ck_assert_int_eq(inet_pton(AF_INET, ip, a->ip), 1);
	}
	a->port = port;
}

static void
setup(void)
{
	sip_global_init();
	mkaddr(&A, "10.0.0.1", 5060);
	mkaddr(&P, "192.168.7.20", 5062);
	mkaddr(&B, "10.0.0.3", 5060);
	mkaddr(&V6, "2001:db8::1:2", 5060);
}

/* --- a call built by hand ---------------------------------------------- */

struct fixture {
	struct ui_call_row	 row;
	struct ui_call		 call;
	struct ui_msg		 msgs[4];
	int			 fetches;
};

static const char invite_raw[] =
    "INVITE sip:5035551234@pbx.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
    "From: \"Alice Smith\" <sip:alice@example.com>;tag=a1\r\n"
    "t: <sip:5035551234@pbx.example.com>\r\n"
    "i: cid-1@host\r\n"
    "CSeq: 1 INVITE\r\n"
    "User-Agent: Cisco-SIPGateway/IOS-15\r\n"
    "X-Call-ID: leg-a-77\r\n"
    "Subject: a folded\r\n"
    "  header with needle-in-fold\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 26\r\n"
    "\r\n"
    "v=0\r\nX-Body-Only: in-body\r\n";
static const char resp_raw[] =
    "SIP/2.0 486 Busy Here\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:5035551234@pbx.example.com>;tag=b2\r\n"
    "Call-ID: cid-1@host\r\n"
    "CSeq: 1 INVITE\r\n"
    "Server: Asterisk PBX 18.2\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static void
fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	snprintf(f->row.call_id, sizeof f->row.call_id, "cid-1@host");
	snprintf(f->row.caller, sizeof f->row.caller, "alice");
	snprintf(f->row.callee, sizeof f->row.callee, "5035551234");
	snprintf(f->row.method, sizeof f->row.method, "INVITE");
	f->row.invite = 1;
	f->row.state = UI_CALL_FAILED;
	f->row.code = 486;
	f->row.methods = 1U << SIP_METHOD_INVITE;
	f->row.codes[(486 - 100) / 8] |= 1U << ((486 - 100) % 8);
	f->row.hosts[0] = A;
	f->row.hosts[1] = P;
	f->row.nhosts = 2;
	f->msgs[0].raw = (uint8_t *)(uintptr_t)invite_raw;
	f->msgs[0].raw_len = sizeof invite_raw - 1;
	f->msgs[0].is_request = 1;
	f->msgs[1].raw = (uint8_t *)(uintptr_t)resp_raw;
	f->msgs[1].raw_len = sizeof resp_raw - 1;
	f->msgs[1].status = 486;
	f->call.row = f->row;
	f->call.msgs = f->msgs;
	f->call.nmsgs = 2;
}

static const struct ui_call *
fixture_fetch(void *arg)
{
	struct fixture	*f = arg;

	f->fetches++;
	return (&f->call);
}

/* Does TEXT match the fixture (its messages fetched on demand)? */
static int
fmatch(struct fixture *f, const char *text)
{
	struct ui_filter_subject	 subj;
	struct ui_filter		*flt;
	char				*cause = NULL;
	int				 r;

	flt = ui_filter_parse(text, &cause);
	ck_assert_msg(flt != NULL, "\"%s\": %s", text, cause);
	memset(&subj, 0, sizeof subj);
	subj.row = &f->row;
	subj.fetch = fixture_fetch;
	subj.fetch_arg = f;
	r = ui_filter_eval(flt, &subj);
	ui_filter_free(flt);
	return (r);
}

/* The parse error of TEXT (it must not parse), to be freed. */
static char *
ferror_of(const char *text)
{
	struct ui_filter	*flt;
	char			*cause = NULL;

	flt = ui_filter_parse(text, &cause);
	ck_assert_msg(flt == NULL, "\"%s\" parsed", text);
	ck_assert_ptr_nonnull(cause);
	return (cause);
}

/* --- filters ------------------------------------------------------------ */

START_TEST(test_filter_codes_and_text)
{
	struct fixture	f;

	fixture_init(&f);
	/* A bare code is the code, never part of a dialled number. */
	ck_assert(fmatch(&f, "486"));
	ck_assert(fmatch(&f, "4xx"));
	ck_assert(fmatch(&f, "code:486"));
	ck_assert(fmatch(&f, "code:480-489"));
	ck_assert(!fmatch(&f, "503"));
	ck_assert(!fmatch(&f, "code:5XX"));
	ck_assert(!fmatch(&f, "code:487-499"));
	/* Quoted, it is text: the callee 5035551234 has it. */
	ck_assert(fmatch(&f, "\"503\""));
	ck_assert(fmatch(&f, "text:503"));
	/* Free text looks into the raw messages, case folded. */
	ck_assert(fmatch(&f, "cisco"));
	ck_assert(fmatch(&f, "asterisk"));
	ck_assert(fmatch(&f, "\"Busy Here\""));
	ck_assert(!fmatch(&f, "polycom"));
	ck_assert(fmatch(&f, "sip:alice@example.com"));
	ck_assert(fmatch(&f, "10.0.0.1:5060"));
	ck_assert(fmatch(&f, "invite"));
	ck_assert(!fmatch(&f, "bye"));
}
END_TEST

START_TEST(test_filter_fields)
{
	struct fixture	f;

	fixture_init(&f);
	ck_assert(fmatch(&f, "state:failed"));
	ck_assert(fmatch(&f, "state:fail"));
	ck_assert(!fmatch(&f, "state:answered"));
	ck_assert(!fmatch(&f, "state:active"));
	ck_assert(!fmatch(&f, "state:timeout"));
	f.row.state = UI_CALL_TIMEOUT;
	ck_assert(fmatch(&f, "state:timeout"));
	ck_assert(!fmatch(&f, "state:failed"));
	f.row.state = UI_CALL_FAILED;
	/* From/To: the row's user, or anything in the header. */
	ck_assert(fmatch(&f, "from:alice"));
	ck_assert(fmatch(&f, "from:\"Alice Smith\""));
	ck_assert(!fmatch(&f, "from:bob"));
	ck_assert(fmatch(&f, "to:5035551234"));
	ck_assert(fmatch(&f, "to:pbx.example.com"));	/* compact t: */
	/* IP: an address, with or without the port, a prefix. */
	ck_assert(fmatch(&f, "ip:10.0.0.1"));
	ck_assert(!fmatch(&f, "ip:10.0.0.10"));
	ck_assert(fmatch(&f, "ip:192.168.7.20:5062"));
	ck_assert(!fmatch(&f, "ip:192.168.7.20:5060"));
	ck_assert(fmatch(&f, "ip:192.168.0.0/16"));
	ck_assert(fmatch(&f, "ip:192.168.6.0/23"));
	ck_assert(!fmatch(&f, "ip:192.168.8.0/24"));
	ck_assert(fmatch(&f, "ip:10.0.0"));		/* a part: text */
	/* User-Agent or Server. */
	ck_assert(fmatch(&f, "ua:cisco"));
	ck_assert(fmatch(&f, "ua:Asterisk"));
	ck_assert(!fmatch(&f, "ua:Polycom"));
	/* Headers, compact forms both ways, folded lines, not the body. */
	ck_assert(fmatch(&f, "hdr:X-Call-ID=leg-a"));
	ck_assert(fmatch(&f, "hdr:x-call-id"));
	ck_assert(!fmatch(&f, "hdr:X-Call-ID=leg-b"));
	ck_assert(fmatch(&f, "hdr:Call-ID=cid-1"));	/* i: */
	ck_assert(fmatch(&f, "hdr:i=cid-1"));
	ck_assert(fmatch(&f, "hdr:To=5035551234"));	/* t: */
	ck_assert(fmatch(&f, "hdr:Subject=needle-in-fold"));
	ck_assert(!fmatch(&f, "hdr:X-Body-Only"));
	ck_assert(!fmatch(&f, "hdr:Reason"));
	ck_assert(fmatch(&f, "method:INVITE"));
	ck_assert(!fmatch(&f, "method:REFER"));
	ck_assert(fmatch(&f, "callid:cid-1"));
	ck_assert(!fmatch(&f, "callid:cid-2"));
}
END_TEST

START_TEST(test_filter_logic)
{
	struct fixture	f;

	fixture_init(&f);
	ck_assert(fmatch(&f, "code:486 and ua:cisco"));
	ck_assert(fmatch(&f, "code:486 ua:cisco"));		/* and */
	ck_assert(!fmatch(&f, "code:486 && ua:polycom"));
	ck_assert(fmatch(&f, "code:503 or ua:cisco"));
	ck_assert(fmatch(&f, "code:503 || ua:cisco"));
	ck_assert(!fmatch(&f, "not code:486"));
	ck_assert(!fmatch(&f, "!code:486"));
	ck_assert(fmatch(&f, "NOT code:503"));
	/* and binds tighter than or; parentheses change it. */
	ck_assert(fmatch(&f, "code:503 and ua:x or state:failed"));
	ck_assert(!fmatch(&f, "code:503 and (ua:x or state:failed)"));
	ck_assert(fmatch(&f, "(code:503 or code:486) and not (ua:polycom)"));
	ck_assert(fmatch(&f, "not not code:486"));
}
END_TEST

START_TEST(test_filter_fetch_once)
{
	struct fixture	f;

	fixture_init(&f);
	/* Row-only terms never fetch the messages. */
	ck_assert(fmatch(&f, "code:486 and state:failed and ip:10.0.0.1"));
	ck_assert_int_eq(f.fetches, 0);
	/* Several message terms: one fetch. */
	ck_assert(fmatch(&f, "ua:cisco and hdr:X-Call-ID and cisco"));
	ck_assert_int_eq(f.fetches, 1);
	/* Without messages (not held): those terms are false. */
	{
		struct ui_filter_subject	 subj;
		struct ui_filter		*flt;
		char				*cause = NULL;

		flt = ui_filter_parse("ua:cisco", &cause);
		ck_assert_ptr_nonnull(flt);
		ck_assert(ui_filter_needs_msgs(flt));
		memset(&subj, 0, sizeof subj);
		subj.row = &f.row;
		ck_assert(!ui_filter_eval(flt, &subj));
		ui_filter_free(flt);
		flt = ui_filter_parse("state:failed code:4xx", &cause);
		ck_assert(!ui_filter_needs_msgs(flt));
		ui_filter_free(flt);
	}
}
END_TEST

START_TEST(test_filter_alerts_peers)
{
	struct ui_filter_subject	 subj;
	struct ui_filter		*flt;
	struct ui_peer_row		 p;
	struct alert			 a;
	const struct alert		*list[1];
	struct fixture			 f;
	char				*cause = NULL;

	alert_init(&a, T0, "bad-gateway", ALERT_ERROR, "gw1", 3,
	    "10.0.0.9:5060", "10.0.0.1:5060", "INVITE", 502);
	/* An alert with its call: rule: looks at the call's alerts. */
	fixture_init(&f);
	list[0] = &a;
	memset(&subj, 0, sizeof subj);
	subj.row = &f.row;
	subj.alerts = list;
	subj.nalerts = 1;
	flt = ui_filter_parse("rule:gateway", &cause);
	ck_assert(ui_filter_eval(flt, &subj));
	subj.nalerts = 0;
	ck_assert(!ui_filter_eval(flt, &subj));
	ui_filter_free(flt);
	/* An alert alone: its own code, addresses, rule, text. */
	memset(&subj, 0, sizeof subj);
	subj.alert = &a;
	flt = ui_filter_parse("code:502 and ip:10.0.0.9 and rule:bad", &cause);
	ck_assert(ui_filter_eval(flt, &subj));
	ui_filter_free(flt);
	flt = ui_filter_parse("state:failed", &cause);
	ck_assert(!ui_filter_eval(flt, &subj));
	ui_filter_free(flt);
	alert_clear(&a);
	/* A peer: its address, its failure classes. */
	memset(&p, 0, sizeof p);
	p.addr = V6;
	p.c5 = 2;
	flt = ui_filter_parse("ip:[2001:db8::1:2]:5060", &cause);
	ck_assert_msg(flt != NULL, "%s", cause);
	ck_assert(ui_filter_peer(flt, &p));
	ui_filter_free(flt);
	flt = ui_filter_parse("ip:2001:db8::/32 and 5xx", &cause);
	ck_assert(ui_filter_peer(flt, &p));
	ui_filter_free(flt);
	flt = ui_filter_parse("4xx", &cause);
	ck_assert(!ui_filter_peer(flt, &p));
	ui_filter_free(flt);
}
END_TEST

START_TEST(test_filter_errors)
{
	static const char *const bad[][2] = {
		{ "stat:failed", "unknown field \"stat\"" },
		{ "code:5o3", "is not a response code" },
		{ "code:", "needs a value" },
		{ "state:busy", "is not a state" },
		{ "(code:503", "\")\" missing" },
		{ "code:503)", "unexpected" },
		{ "from:\"alice", "quote is not closed" },
		{ "code:503 and", "ends where a term was expected" },
		{ "", "empty" },
		{ "hdr:=x", "hdr:" },
	};
	char		*cause, *deep;
	size_t		 i;
	GString		*s;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = ferror_of(bad[i][0]);
		ck_assert_msg(strstr(cause, bad[i][1]) != NULL,
		    "\"%s\": \"%s\"", bad[i][0], cause);
		free(cause);
	}
	/* URIs and addresses with colons are text, not fields. */
	{
		struct fixture	f;

		fixture_init(&f);
		ck_assert(fmatch(&f, "sip:alice"));
		ck_assert(fmatch(&f, "fe80::1 or 486"));
	}
	/* Deep nesting is refused, not a stack overflow. */
	s = g_string_new(NULL);
	for (i = 0; i < 10000; i++)
		g_string_append_c(s, '(');
	cause = ferror_of(s->str);
	ck_assert_ptr_nonnull(strstr(cause, "nested"));
	free(cause);
	g_string_free(s, TRUE);
	/* Quoting back what a user clicked on. */
	deep = ui_filter_quote("ip:", "[2001:db8::1]:5060");
	ck_assert_str_eq(deep, "ip:[2001:db8::1]:5060");
	free(deep);
	deep = ui_filter_quote("from:", "Alice \"A\" Smith");
	ck_assert_str_eq(deep, "from:\"Alice \\\"A\\\" Smith\"");
	free(deep);
}
END_TEST

/* --- text fitting -------------------------------------------------------- */

START_TEST(test_text_fit)
{
	char	*s;

	s = ui_text_fit("Service Unavailable", 10, UI_FIT_END, 1);
	ck_assert_str_eq(s, "Service U\u2026");
	ck_assert_int_eq(ui_text_width(s), 10);
	free(s);
	s = ui_text_fit("Service Unavailable", 10, UI_FIT_WORD, 1);
	ck_assert_str_eq(s, "Service \u2026");
	free(s);
	s = ui_text_fit("Service Unavailable", 10, UI_FIT_END, 0);
	ck_assert_str_eq(s, "Service U~");
	free(s);
	s = ui_text_fit("/var/tmp/customer/refer.pcap", 14, UI_FIT_START, 1);
	ck_assert_str_eq(s, "\u2026er/refer.pcap");
	free(s);
	s = ui_text_fit("abcdefghijkl", 7, UI_FIT_MIDDLE, 1);
	ck_assert_str_eq(s, "abc\u2026jkl");
	free(s);
	s = ui_text_fit("short", 10, UI_FIT_END, 1);
	ck_assert_str_eq(s, "short");
	free(s);
	/* Wide characters are never split. */
	s = ui_text_fit("\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8", 6,
	    UI_FIT_END, 1);
	ck_assert_str_eq(s, "\u65e5\u672c\u2026");
	ck_assert_int_le(ui_text_width(s), 6);
	free(s);
	/* Prose: between words, so the address is not cut. */
	s = ui_text_fit("REFER from 127.0.0.11:5060 to 127.0.0.1:5060 was "
	    "accepted", 40, UI_FIT_WORD, 1);
	ck_assert_str_eq(s, "REFER from 127.0.0.11:5060 to \u2026");
	free(s);
}
END_TEST

START_TEST(test_counts)
{
	char	buf[32];

	ui_fmt_count(buf, sizeof buf, 12345, 8);
	ck_assert_str_eq(buf, "12345");
	ui_fmt_count(buf, sizeof buf, 123456789, 6);
	ck_assert_str_eq(buf, "123M");
	ui_fmt_count(buf, sizeof buf, 1234567, 4);
	ck_assert_str_eq(buf, "1.2M");
	ui_fmt_count(buf, sizeof buf, 99999, 4);
	ck_assert_str_eq(buf, "100k");
	ck_assert(ui_text_is_number("+901148185422016"));
	ck_assert(ui_text_is_number("*97#"));
	ck_assert(!ui_text_is_number("alice"));
	ck_assert(!ui_text_is_number(""));
}
END_TEST

START_TEST(test_columns)
{
	struct ui_col	c[4];

	/* Everything fits: each gets what it wants, the flex the rest. */
	memset(c, 0, sizeof c);
	c[0] = (struct ui_col){ .want = 8, .prio = 0 };
	c[1] = (struct ui_col){ .want = 15, .prio = 1 };
	c[2] = (struct ui_col){ .want = 16, .min = 9, .prio = 3 };
	c[3] = (struct ui_col){ .want = 100, .min = 20, .prio = 2,
	    .flex = 1 };
	ui_cols_layout(c, 4, 1, 79, 1);
	ck_assert_int_eq(c[0].x, 1);
	ck_assert_int_eq(c[1].x, 10);
	ck_assert_int_eq(c[2].w, 16);
	ck_assert_int_eq(c[3].w, 79 - 8 - 15 - 16 - 3);
	/* Narrow: the cuttable least important shrinks first. */
	ui_cols_layout(c, 4, 0, 55, 1);
	ck_assert_int_eq(c[1].w, 15);
	ck_assert_int_eq(c[2].w, 9);
	ck_assert_int_eq(c[3].w, 20);
	/* Narrower: whole columns go, least important first. */
	c[1] = (struct ui_col){ .want = 15, .prio = 4 };
	ui_cols_layout(c, 4, 0, 40, 1);
	ck_assert_int_eq(c[1].w, 0);
	ck_assert_int_eq(c[0].w, 8);
	ck_assert_int_ge(c[3].w, 20);
	/* One column wider than everything: it alone, cut. */
	memset(c, 0, sizeof c);
	c[0] = (struct ui_col){ .want = 50, .prio = 0 };
	c[1] = (struct ui_col){ .want = 5, .prio = 1 };
	ui_cols_layout(c, 2, 0, 20, 1);
	ck_assert_int_eq(c[0].w, 20);
	ck_assert_int_eq(c[1].w, 0);
}
END_TEST

/* --- keys ---------------------------------------------------------------- */

static uint32_t
esc(const char *s)
{
	uint32_t	seq[16];
	size_t		n;

	for (n = 0; s[n] != '\0' && n < 16; n++)
		seq[n] = (unsigned char)s[n];
	return (ui_esc_decode(seq, n));
}

START_TEST(test_escape_sequences)
{
	/* What tmux sends with TERM=xterm-256color, and xterm's own. */
	ck_assert_uint_eq(esc("[1~"), UI_KEY_HOME);
	ck_assert_uint_eq(esc("[4~"), UI_KEY_END);
	ck_assert_uint_eq(esc("[7~"), UI_KEY_HOME);
	ck_assert_uint_eq(esc("[8~"), UI_KEY_END);
	ck_assert_uint_eq(esc("[H"), UI_KEY_HOME);
	ck_assert_uint_eq(esc("[F"), UI_KEY_END);
	ck_assert_uint_eq(esc("OH"), UI_KEY_HOME);
	ck_assert_uint_eq(esc("OF"), UI_KEY_END);
	ck_assert_uint_eq(esc("[1;5H"), UI_KEY_HOME);
	ck_assert_uint_eq(esc("[1;2B"), UI_KEY_DOWN);
	ck_assert_uint_eq(esc("[5~"), UI_KEY_PGUP);
	ck_assert_uint_eq(esc("[6;3~"), UI_KEY_PGDN);
	ck_assert_uint_eq(esc("OA"), UI_KEY_UP);
	ck_assert_uint_eq(esc("[Z"), UI_KEY_BTAB);
	ck_assert_uint_eq(esc("OM"), UI_KEY_ENTER);
	/* Unknown function keys and Alt-combinations: ignored. */
	ck_assert_uint_eq(esc("[15~"), 0);
	ck_assert_uint_eq(esc("[2~"), 0);
	ck_assert_uint_eq(esc("x"), 0);
	ck_assert_uint_eq(esc("q"), 0);
	ck_assert_uint_eq(esc("[99999999~"), 0);
	ck_assert_uint_eq(esc("OPQ"), 0);
	ck_assert_uint_eq(esc("["), 0);
}
END_TEST

/*
 * The raw message RAW (LEN bytes) into the model UM through the tracker
 * TR it subscribes to (the model is a view of its observations).
 */
static void
feed_raw(struct track *tr, const char *raw, size_t len, int64_t ts,
    const struct sw_addr *src, const struct sw_addr *dst)
{
	struct sip_msg	*m = NULL;
	enum sip_error	 err;

	ck_assert_int_eq(sip_parse((const uint8_t *)raw, len, &m, &err), 0);
	track_message(tr, m, ts, src, dst, DECODE_TP_UDP, 0);
	sip_msg_free(m);
}

static struct track *
model_tracker(struct ui_model *um)
{
	struct track	*tr = track_create(NULL, NULL, NULL);

	ck_assert_int_eq(track_subscribe(tr, ui_model_observe, um), 0);
	return (tr);
}

static void
model_tracker_done(struct track *tr, struct ui_model *um)
{
	track_unsubscribe(tr, ui_model_observe, um);
	track_destroy(tr);
}

/* A model with a failed call and an alert about it. */
static struct ui_model *
small_model(void)
{
	struct ui_model	*um = ui_model_create(NULL);
	struct track	*tr = model_tracker(um);
	struct alert	 a;

	ui_model_source(um, "file", "calls.pcap", 0, 0);
	feed_raw(tr, invite_raw, sizeof invite_raw - 1, T0, &A, &P);
	feed_raw(tr, resp_raw, sizeof resp_raw - 1, T0 + 120 * MS, &P, &A);
	model_tracker_done(tr, um);
	alert_init(&a, T0 + SEC, "global-failure", ALERT_WARNING,
	    "cid-1@host", 10, "192.168.7.20:5062", "10.0.0.1:5060", "INVITE",
	    486);
	free(a.summary);
	a.summary = strdup("486 <b>Busy</b> from 192.168.7.20:5062 \x1b[31m");
	free(a.advice);
	a.advice = strdup("Call again later; check the callee's "
	    "do-not-disturb setting and its call forwarding.");
	ui_model_alert(um, &a);
	alert_clear(&a);
	ui_model_finish(um, 0);
	return (um);
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

START_TEST(test_quit_asks)
{
	struct ui_model		*um = small_model();
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;

	ctx_setup(&ctx, &c, um, 80, 24);
	/* q asks; any other key stays (and is not acted upon). */
	ui_key(&ctx, 'q');
	ck_assert(!ctx.quit);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "Quit sipwatch?"));
	ui_key(&ctx, 'p');
	ck_assert(!ctx.quit);
	ck_assert(!ctx.paused);
	ck_assert_int_eq(ctx.prompt, UI_PROMPT_NONE);
	/* Esc asks too (no filter to clear); Esc again stays. */
	ui_key(&ctx, UI_KEY_ESC);
	ck_assert_int_eq(ctx.prompt, UI_PROMPT_QUIT);
	ui_key(&ctx, UI_KEY_ESC);
	ck_assert(!ctx.quit);
	/* q q quits. */
	ui_key(&ctx, 'q');
	ui_key(&ctx, 'q');
	ck_assert(ctx.quit);
	ctx.quit = 0;
	/* Q quits at once, from the detail view too. */
	ui_key(&ctx, UI_KEY_TAB);
	ui_key(&ctx, UI_KEY_TAB);
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert_int_eq(ctx.view, UI_VIEW_DETAIL);
	ui_key(&ctx, 'Q');
	ck_assert(ctx.quit);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_context_help)
{
	struct ui_model		*um = small_model();
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	int			 i;

	ctx_setup(&ctx, &c, um, 80, 24);
	ui_key(&ctx, '?');
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "Main screen"));
	ck_assert(shows(&c, "the calls that got"));
	/* The filter language is further down. */
	for (i = 0; i < 10; i++)
		ui_key(&ctx, UI_KEY_PGDN);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "Everywhere"));
	ck_assert(shows(&c, "hdr:N=V"));
	ui_key(&ctx, UI_KEY_ESC);
	ck_assert_int_eq(ctx.view, UI_VIEW_MAIN);
	/* From the call view: its keys. */
	ctx.focus = UI_PANEL_CALLS;
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert_int_eq(ctx.view, UI_VIEW_DETAIL);
	ui_key(&ctx, '?');
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "Call view"));
	ck_assert(shows(&c, "move in the ladder"));
	ui_key(&ctx, '?');
	ck_assert_int_eq(ctx.view, UI_VIEW_DETAIL);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_enter_filters)
{
	struct ui_model		*um = small_model();
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;

	ctx_setup(&ctx, &c, um, 80, 24);
	/* Enter on the code 486 in the top codes: the calls that got it. */
	ctx.focus = UI_PANEL_CODES;
	ck_assert_int_eq(ctx.top_codes[0].code, 486);
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert_str_eq(ctx.filter, "code:486");
	ck_assert_int_eq(ctx.focus, UI_PANEL_CALLS);
	ck_assert_uint_eq(ctx.nvcalls, 1);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "filter: code:486"));
	ck_assert(shows(&c, "? help"));
	ck_assert(shows(&c, "q quit"));
	/* A filter that matches nothing: no call, no alert, no peer. */
	ck_assert_int_eq(ui_ctx_set_filter(&ctx, "code:503"), 0);
	ck_assert_uint_eq(ctx.nvcalls, 0);
	ck_assert_uint_eq(ctx.nvalerts, 0);
	ck_assert_uint_eq(ctx.nvpeers, 0);
	/* A bad filter is not applied; its text comes back at "/". */
	ck_assert_int_eq(ui_ctx_set_filter(&ctx, "code:50x"), -1);
	ck_assert_str_eq(ctx.filter, "code:503");
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "Filter not applied"));
	ui_key(&ctx, '/');
	ck_assert_str_eq(ctx.input, "code:50x");
	ui_key(&ctx, UI_KEY_ESC);
	/* Enter on a peer: the calls through it. */
	ck_assert_int_eq(ui_ctx_set_filter(&ctx, ""), 0);
	ctx.focus = UI_PANEL_PEERS;
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert_ptr_nonnull(strstr(ctx.filter, "ip:"));
	ck_assert_uint_eq(ctx.nvcalls, 1);
	/* Free text over the raw messages: Cisco is in the User-Agent. */
	ck_assert_int_eq(ui_ctx_set_filter(&ctx, "cisco"), 0);
	ck_assert_uint_eq(ctx.nvcalls, 1);
	ck_assert_uint_eq(ctx.nvalerts, 1);
	ck_assert_int_eq(ui_ctx_set_filter(&ctx, "polycom"), 0);
	ck_assert_uint_eq(ctx.nvcalls, 0);
	ck_assert_uint_eq(ctx.nvalerts, 0);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

/* --- truncation ---------------------------------------------------------- */

START_TEST(test_numbers_and_addresses_whole)
{
	struct ui_model		*um = ui_model_create(NULL);
	struct track		*tr = model_tracker(um);
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	char			*raw, *row, *dump;
	static const int	 widths[] = { 40, 50, 60, 80, 100, 160 };
	size_t			 k;
	int			 y;

	/* A long dialled number from a long IPv6 address. */
	raw = g_strdup_printf("INVITE sip:901148185422016@gw.example.net "
	    "SIP/2.0\r\nVia: SIP/2.0/UDP [2001:db8::1:2];branch=z9hG4bKx\r\n"
	    "From: <sip:+3908351673002@example.net>;tag=1\r\n"
	    "To: <sip:901148185422016@gw.example.net>\r\n"
	    "Call-ID: a-very-long-call-id-0123456789abcdef0123456789@host"
	    "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
	feed_raw(tr, raw, strlen(raw), T0, &V6, &P);
	model_tracker_done(tr, um);
	g_free(raw);
	ui_model_source(um, "file", "calls.pcap", 0, 0);
	for (k = 0; k < sizeof widths / sizeof widths[0]; k++) {
		ctx_setup(&ctx, &c, um, widths[k], 24);
		ui_render(&ctx, &c);
		dump = ui_canvas_text_dump(&c);
		/*
		 * The callee whole, never "90114818542201"; the caller whole
		 * or (on a narrow screen) not shown, never a part of it.
		 */
		ck_assert_msg(strstr(dump, "901148185422016") != NULL,
		    "%d columns:\n%s", widths[k], dump);
		ck_assert_msg(strstr(dump, "+3908351673002") != NULL ||
		    (strstr(dump, "+390835") == NULL && widths[k] < 80),
		    "%d columns:\n%s", widths[k], dump);
		/* The peer's IPv6 address whole. */
		ck_assert_msg(strstr(dump, "[2001:db8::1:2]:5060") != NULL,
		    "%d columns:\n%s", widths[k], dump);
		/* A cut Call-ID ends with an ellipsis. */
		y = 0;
		for (y = 0; y < c.h; y++) {
			row = ui_canvas_row(&c, y);
			if (strstr(row, "a-very-long") != NULL &&
			    strstr(row, "6789@host") == NULL)
				ck_assert_msg(strstr(row, "\u2026") != NULL,
				    "cut without an ellipsis: %s", row);
			ck_assert_int_le(ui_text_width(row), widths[k]);
			free(row);
		}
		free(dump);
		ui_ctx_free(&ctx);
		ui_canvas_free(&c);
	}
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_advice_whole)
{
	struct ui_model		*um = small_model();
	struct ui_ctx		 ctx;
	struct ui_canvas	 c;
	GString			*all;
	char			*dump;
	int			 i;

	ctx_setup(&ctx, &c, um, 80, 24);
	/* The call (not the alert) opens with its alert. */
	ctx.focus = UI_PANEL_CALLS;
	ui_key(&ctx, UI_KEY_ENTER);
	ck_assert(ctx.detail_has_alert);
	ui_render(&ctx, &c);
	ck_assert(shows(&c, "WARN global-failure"));
	/* Tab, then PgDn: the summary and advice whole, then the KB. */
	ui_key(&ctx, UI_KEY_TAB);
	all = g_string_new(NULL);
	for (i = 0; i < 8; i++) {
		ui_render(&ctx, &c);
		dump = ui_canvas_text_dump(&c);
		g_string_append(all, dump);
		free(dump);
		ui_key(&ctx, UI_KEY_PGDN);
	}
	ck_assert_ptr_nonnull(strstr(all->str, "do-not-disturb"));
	ck_assert_ptr_nonnull(strstr(all->str, "forwarding."));
	ck_assert_ptr_nonnull(strstr(all->str, "486 Busy Here"));
	ck_assert_ptr_nonnull(strstr(all->str, "When you see it"));
	g_string_free(all, TRUE);
	ui_ctx_free(&ctx);
	ui_canvas_free(&c);
	ui_model_destroy(um);
}
END_TEST

/* --- exports ------------------------------------------------------------- */

static char *
slurp(const char *path)
{
	char	*text = NULL;
	gsize	 len;

	ck_assert_msg(g_file_get_contents(path, &text, &len, NULL), "%s",
	    path);
	return (text);
}

/* Export the model's only call as FMT to a new file in DIR. */
static char *
export_one(struct ui_model *um, const char *dir, enum ui_export_fmt fmt,
    struct ui_export_result *res)
{
	struct ui_snap		 snap;
	struct ui_export	 e;
	struct ui_export_result	 again;
	const char		*ids[1] = { "cid-1@host" };
	char			*path, *cause = NULL, *text;

	memset(&snap, 0, sizeof snap);
	ui_model_snapshot(um, &snap);
	path = ui_export_path(dir, "cid-1@host", T0, fmt);
	memset(&e, 0, sizeof e);
	e.model = um;
	e.snap = &snap;
	e.call_ids = ids;
	e.ncalls = 1;
	e.fmt = fmt;
	e.path = path;
	e.title = "ua:cisco";
	e.now_us = T0;
	ck_assert_msg(ui_export_write(&e, res, &cause) == 0, "%s", cause);
	/* Never over an existing file. */
	ck_assert_int_eq(ui_export_write(&e, &again, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "File exists"));
	free(cause);
	ui_snap_free(&snap);
	text = slurp(path);
	unlink(path);
	free(path);
	return (text);
}

START_TEST(test_export_files)
{
	struct ui_model		*um = small_model();
	struct ui_export_result	 res;
	char			 dir[] = "/tmp/check_ui_export_XXXXXX";
	char			*text, *path;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* Names: label cleaned, UTC time, then -2 when taken. */
	path = ui_export_path(dir, "code:5xx and not ua:\"x y\"/..", T0,
	    UI_EXPORT_HTML);
	ck_assert_ptr_nonnull(strstr(path, "/sipwatch-code_5xx_and_not_ua_x_"
	    "y_..-20231114T221320Z.html"));
	ck_assert(g_file_set_contents(path, "x", 1, NULL));
	text = ui_export_path(dir, "code:5xx and not ua:\"x y\"/..", T0,
	    UI_EXPORT_HTML);
	ck_assert_ptr_nonnull(strstr(text, "Z-2.html"));
	unlink(path);
	free(path);
	free(text);

	/* Text: the alert with its advice, the ladder, the messages. */
	text = export_one(um, dir, UI_EXPORT_TEXT, &res);
	ck_assert_uint_eq(res.calls, 1);
	ck_assert_uint_eq(res.items, 2);
	ck_assert_ptr_nonnull(strstr(text, "warning global-failure"));
	ck_assert_ptr_nonnull(strstr(text, "do-not-disturb"));
	ck_assert_ptr_nonnull(strstr(text, "|-----INVITE (SDP)----->|"));
	ck_assert_ptr_nonnull(strstr(text, "|<----486 Busy Here-----|"));
	ck_assert_ptr_nonnull(strstr(text, "User-Agent: Cisco"));
	/* Control characters escaped, never raw. */
	ck_assert_ptr_null(strchr(text, '\x1b'));
	ck_assert_ptr_nonnull(strstr(text, "\\x1b[31m"));
	free(text);

	/* HTML: escaped, self-contained, the ladder linked to messages. */
	text = export_one(um, dir, UI_EXPORT_HTML, &res);
	ck_assert_ptr_nonnull(strstr(text, "<svg class=\"ladder\""));
	ck_assert_ptr_nonnull(strstr(text, "<a href=\"#c1m2\">"));
	ck_assert_ptr_nonnull(strstr(text, "id=\"c1m2\""));
	ck_assert_ptr_nonnull(strstr(text, "486 &lt;b&gt;Busy&lt;/b&gt;"));
	ck_assert_ptr_null(strstr(text, "<b>Busy"));
	ck_assert_ptr_null(strchr(text, '\x1b'));
	ck_assert_ptr_null(strstr(text, "<script"));
	ck_assert_ptr_null(strstr(text, " src="));
	ck_assert_ptr_null(strstr(text, "href=\"http"));
	ck_assert_ptr_nonnull(strstr(text, "filter <code>ua:cisco</code>"));
	free(text);

	/* CSV: one row, quoted where needed. */
	text = export_one(um, dir, UI_EXPORT_CSV, &res);
	ck_assert_ptr_nonnull(strstr(text, "start_utc,caller,callee,state"));
	ck_assert_ptr_nonnull(strstr(text, ",alice,5035551234,rejected 486 Busy Here,486,"));
	ck_assert_ptr_nonnull(strstr(text, ",global-failure,"));
	ck_assert_ptr_nonnull(strstr(text, "cid-1@host\r\n"));
	free(text);
	ck_assert_int_eq(rmdir(dir), 0);
	ui_model_destroy(um);
}
END_TEST

START_TEST(test_export_pcap_rebuilt)
{
	struct ui_model		*um = small_model();
	struct ui_export_result	 res;
	char			 dir[] = "/tmp/check_ui_export_XXXXXX";
	char			*text;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* No frame store (HEP input): rebuilt from the messages. */
	text = export_one(um, dir, UI_EXPORT_PCAP, &res);
	ck_assert(res.rebuilt);
	ck_assert_uint_eq(res.items, 2);
	free(text);
	ck_assert_int_eq(rmdir(dir), 0);
	ui_model_destroy(um);
}
END_TEST

static Suite *
ui_filter_suite(void)
{
	Suite	*s = suite_create("ui_filter");
	TCase	*tc;

	tc = tcase_create("filter");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_filter_codes_and_text);
	tcase_add_test(tc, test_filter_fields);
	tcase_add_test(tc, test_filter_logic);
	tcase_add_test(tc, test_filter_fetch_once);
	tcase_add_test(tc, test_filter_alerts_peers);
	tcase_add_test(tc, test_filter_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_text_fit);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_columns);
	tcase_add_test(tc, test_numbers_and_addresses_whole);
	tcase_add_test(tc, test_advice_whole);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_escape_sequences);
	tcase_add_test(tc, test_quit_asks);
	tcase_add_test(tc, test_context_help);
	tcase_add_test(tc, test_enter_filters);
	suite_add_tcase(s, tc);

	tc = tcase_create("export");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_export_files);
	tcase_add_test(tc, test_export_pcap_rebuilt);
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
	sr = srunner_create(ui_filter_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
