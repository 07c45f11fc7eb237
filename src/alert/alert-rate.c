/*
 * alert-rate.c: the token bucket in front of the sinks (alert-rate.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert-rate.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"

#define RATE_TOKEN	1000000LL	/* one line, in micro-tokens */
#define RATE_BY_RULE	32		/* suppressed counts kept per rule */
#define RATE_NOTICE_US	(60 * 1000000LL) /* "suppressed" at least this often */

struct rate_count {
	char		rule[ALERT_RULE_LEN];
	uint64_t	n;
};

struct alert_rate {
	unsigned		 rate;
	unsigned		 burst;
	struct alert_out	*out;
	int64_t			 now;

	int64_t			 tokens;	/* micro-tokens */
	int64_t			 bucket_ts;	/* last refill */
	int			 bucket_started;

	/* held back since the last "suppressed" line */
	uint64_t		 held;
	int64_t			 held_since;
	int64_t			 held_last;
	struct rate_count	 held_by[RATE_BY_RULE];
	unsigned		 nheld_by;

	/* report */
	uint64_t		 lines;
	uint64_t		 suppressed;
	uint64_t		 notices;
	struct rate_count	 supp_by[RATE_BY_RULE];
	unsigned		 nsupp_by;
};

struct alert_rate *
alert_rate_create(unsigned rate, unsigned burst, struct alert_out *out)
{
	struct alert_rate	*r;

	r = xcalloc(1, sizeof *r);
	r->rate = rate;
	r->burst = burst != 0 ? burst : 1;
	r->out = out;
	r->tokens = (int64_t)r->burst * RATE_TOKEN;
	return (r);
}

void
alert_rate_destroy(struct alert_rate *r)
{
	free(r);
}

static void
rate_count(struct rate_count *v, unsigned *n, const char *rule)
{
	unsigned	i;

	for (i = 0; i < *n; i++) {
		if (strcmp(v[i].rule, rule) == 0) {
			v[i].n++;
			return;
		}
	}
	if (*n == RATE_BY_RULE)
		i = RATE_BY_RULE - 1;	/* the last slot takes the rest */
	else {
		i = (*n)++;
		snprintf(v[i].rule, sizeof v[i].rule, "%s", rule);
		v[i].n = 0;
	}
	v[i].n++;
}

static void
rate_refill(struct alert_rate *r, int64_t ts)
{
	int64_t	cap = (int64_t)r->burst * RATE_TOKEN;

	if (!r->bucket_started) {
		r->bucket_started = 1;
		r->bucket_ts = ts;
		return;
	}
	if (ts <= r->bucket_ts)
		return;
	if ((ts - r->bucket_ts) >= cap / (r->rate > 0 ? r->rate : 1))
		r->tokens = cap;
	else
		r->tokens += (ts - r->bucket_ts) * (int64_t)r->rate;
	if (r->tokens > cap)
		r->tokens = cap;
	r->bucket_ts = ts;
}

/*
 * When the "suppressed" line is due: once the bucket is full again (the
 * flood is over), or RATE_NOTICE_US after the first line held back,
 * whichever comes first; so a long flood is reported once a minute.
 */
static int64_t
rate_notice_due(const struct alert_rate *r)
{
	int64_t	full, cap = (int64_t)r->burst * RATE_TOKEN;

	if (r->rate == 0)
		full = r->bucket_ts;
	else
		full = r->bucket_ts + (cap - r->tokens + r->rate - 1) /
		    (int64_t)r->rate;
	if (full > r->held_since + RATE_NOTICE_US)
		full = r->held_since + RATE_NOTICE_US;
	return (full);
}

/* The "suppressed" line for what the bucket held back, at TS. */
static void
rate_notice(struct alert_rate *r, int64_t ts)
{
	struct alert	a;
	char		since[SW_TIME_LEN], *list, *p;
	unsigned	i;

	sw_time_rfc3339(r->held_since, 0, since, sizeof since);
	list = xstrdup("");
	for (i = 0; i < r->nheld_by; i++) {
		p = xasprintf("%s%s%s %llu", list, i > 0 ? ", " : "",
		    r->held_by[i].rule, (unsigned long long)r->held_by[i].n);
		free(list);
		list = p;
	}
	alert_init(&a, ts, "alert-rate-limit", ALERT_WARNING, NULL, 0, NULL,
	    NULL, NULL, 0);
	a.event = ALERT_EVENT_SUPPRESSED;
	a.count = r->held;
	a.first_us = r->held_since;
	a.last_us = r->held_last;
	free(a.summary);
	a.summary = xasprintf(_("rate limit: %llu alert line(s) suppressed "
	    "since %s (%s)"), (unsigned long long)r->held, since, list);
	free(a.advice);
	a.advice = xasprintf(_("More than %u alert lines per second were "
	    "due; the report counts them all. Read the alert file or the "
	    "report for the details, or raise --alert-rate."), r->rate);
	free(list);
	r->notices++;
	r->lines++;
	alert_out_emit(r->out, &a);
	alert_clear(&a);
	r->held = 0;
	r->nheld_by = 0;
}

void
alert_rate_advance(struct alert_rate *r, int64_t now)
{
	int64_t	due;

	if (now < r->now)
		return;
	r->now = now;
	if (r->held > 0 && (due = rate_notice_due(r)) <= now) {
		rate_refill(r, due);
		rate_notice(r, due);
	}
}

void
alert_rate_emit(struct alert_rate *r, const struct alert *a)
{
	alert_rate_advance(r, a->ts_us);
	if (r->rate > 0) {
		rate_refill(r, a->ts_us);
		if (r->tokens < RATE_TOKEN) {
			if (r->held == 0)
				r->held_since = a->ts_us;
			r->held_last = a->ts_us;
			r->held++;
			r->suppressed++;
			rate_count(r->held_by, &r->nheld_by, a->rule);
			rate_count(r->supp_by, &r->nsupp_by, a->rule);
			return;
		}
		r->tokens -= RATE_TOKEN;
	}
	r->lines++;
	alert_out_emit(r->out, a);
}

void
alert_rate_finish(struct alert_rate *r, int64_t now)
{
	alert_rate_advance(r, now);
	if (r->held > 0)
		rate_notice(r, now > r->now ? now : r->now);
}

void
alert_rate_report(json_t *root, void *arg)
{
	struct alert_rate	*r = arg;
	json_t			*o, *m;
	unsigned		 i;

	o = json_object();
	sw_json_set(o, "rate", sw_json_uint(r->rate));
	sw_json_set(o, "burst", sw_json_uint(r->burst));
	sw_json_set(o, "lines", sw_json_uint(r->lines));
	sw_json_set(o, "suppressed", sw_json_uint(r->suppressed));
	m = json_object();
	for (i = 0; i < r->nsupp_by; i++)
		sw_json_set(m, r->supp_by[i].rule, sw_json_uint(r->supp_by[i].n));
	sw_json_set(o, "suppressed_by_rule", m);
	sw_json_set(o, "suppressed_notices", sw_json_uint(r->notices));
	sw_json_set(root, "alert_rate", o);
}
