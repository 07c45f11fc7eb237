/*
 * track-got.h: what the tracker suites (check_track, check_track_media)
 * keep of the incidents a tracker raises, and the assertion on their
 * order.  Include once per suite, after alert/alert.h.
 */
#ifndef SW_TESTS_TRACK_GOT_H
#define SW_TESTS_TRACK_GOT_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>

#include "alert/alert.h"

#define MAXGOT	256

/* One incident raised (event raise), as the tests read it. */
struct got {
	char	rule[32];
	char	call_id[128];
	char	src[64];
	char	dst[64];
	char	method[32];
	int64_t	ts;
	int	code;
	char	summary[1024];
	char	advice[2048];
	int	gap;
	int	partial;
	int	drops;
};

static struct got	got[MAXGOT];	/* the incidents raised */
static int		ngot;

/*
 * Keep A if it raises an incident; raises come in packet-time order
 * (asserted).
 */
static void
got_note(const struct alert *a)
{
	struct got	*g;

	if (a->event != ALERT_EVENT_RAISE)
		return;
	ck_assert_int_lt(ngot, MAXGOT);
	g = &got[ngot++];
	snprintf(g->rule, sizeof g->rule, "%s", a->rule);
	snprintf(g->call_id, sizeof g->call_id, "%s", a->call_id);
	snprintf(g->src, sizeof g->src, "%s", a->src);
	snprintf(g->dst, sizeof g->dst, "%s", a->dst);
	snprintf(g->method, sizeof g->method, "%s", a->method);
	snprintf(g->summary, sizeof g->summary, "%s", a->summary);
	snprintf(g->advice, sizeof g->advice, "%s", a->advice);
	g->ts = a->ts_us;
	g->gap = a->gap;
	g->partial = a->partial_parse;
	g->drops = a->drops_nearby;
	g->code = a->code;
	if (ngot > 1)
		ck_assert_int_le(got[ngot - 2].ts, g->ts);
}

/* Assert the incidents, in order: pairs of (rule, call_id), NULL-ended. */
static void
expect(const char *first, ...)
{
	va_list		 ap;
	const char	*rule, *cid;
	int		 i = 0;

	va_start(ap, first);
	for (rule = first; rule != NULL; rule = va_arg(ap, const char *)) {
		cid = va_arg(ap, const char *);
		ck_assert_msg(i < ngot, "missing alert %s %s (got %d)", rule,
		    cid, ngot);
		ck_assert_str_eq(got[i].rule, rule);
		ck_assert_str_eq(got[i].call_id, cid);
		i++;
	}
	va_end(ap);
	ck_assert_msg(i == ngot, "unexpected alert: %s %s (%s)",
	    ngot > i ? got[i].rule : "", ngot > i ? got[i].call_id : "",
	    ngot > i ? got[i].summary : "");
}

#endif
