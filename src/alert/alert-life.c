/*
 * alert-life.c: deduplication windows, raise/clear of burst rules and
 * the global rate limit (alert-life.h).
 *
 * Entries are keyed by "RULE \x1f KEY" in a hash.  Two lists keep them
 * in deadline order without a heap: windows all have the same length and
 * open in time order, so the list of open windows is sorted by their end;
 * active bursts move to the tail of theirs whenever their condition is
 * seen, so it is sorted by last activity, hence by clear deadline.
 */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hash.h"

#include "alert/alert-life.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"

#define LIFE_TOKEN	1000000LL	/* one line, in micro-tokens */
#define LIFE_BY_RULE	32		/* suppressed counts kept per rule */
#define LIFE_NOTICE_US	(60 * 1000000LL) /* "suppressed" at least this often */

/*
 * The key of an entry is the rule and its subject (rule_entry.subject):
 * the Call-ID, or the addresses and AOR the alert names.  An alert with
 * no Call-ID for a call subject is keyed by its source instead.
 */
struct life_entry {
	UT_hash_handle		 hh;
	char			*key;		/* "rule\x1fkey" */
	char			*what;		/* "from 192.0.2.10:5060" */
	enum rule_subject	 kind;
	int			 burst;
	int			 active;	/* burst raised, not cleared */
	int			 in_win;	/* on the window list */
	int64_t			 win_start;
	int64_t			 win_end;
	uint64_t		 repeats;	/* in the open window */
	uint64_t		 total;		/* repeats since raised */
	int64_t			 last_seen;	/* condition last seen */
	struct alert		 first;		/* the raising alert (no text) */
	TAILQ_ENTRY(life_entry)	 win_entry;
	TAILQ_ENTRY(life_entry)	 burst_entry;
};

/* cppcheck-suppress unusedStructMember ; used by TAILQ macros */
TAILQ_HEAD(life_list, life_entry);

struct life_count {
	char		rule[ALERT_RULE_LEN];
	uint64_t	n;
};

struct alert_life {
	struct alert_life_opts	 o;
	struct alert_out	*out;
	struct life_entry	*hash;
	unsigned		 n;
	struct life_list	 wins;		/* by window end */
	struct life_list	 bursts;	/* active, by last_seen */
	unsigned		 nbursts;
	int64_t			 now;

	/* token bucket */
	int64_t			 tokens;	/* micro-tokens */
	int64_t			 bucket_ts;	/* last refill */
	int			 bucket_started;

	/* suppressed since the last "suppressed" line */
	uint64_t		 held;
	int64_t			 held_since;
	struct life_count	 held_by[LIFE_BY_RULE];
	unsigned		 nheld_by;

	/* report */
	uint64_t		 in;
	uint64_t		 raised;
	uint64_t		 repeats;
	uint64_t		 summaries;
	uint64_t		 clears;
	uint64_t		 suppressed;
	uint64_t		 notices;
	uint64_t		 evicted;
	uint64_t		 lines;
	struct life_count	 supp_by[LIFE_BY_RULE];
	unsigned		 nsupp_by;
};

void
alert_life_opts_default(struct alert_life_opts *o)
{
	memset(o, 0, sizeof *o);
	o->window_us = ALERT_LIFE_WINDOW_US;
	o->hold_us = ALERT_LIFE_HOLD_US;
	o->rate = ALERT_LIFE_RATE;
	o->burst = ALERT_LIFE_BURST;
	o->max_keys = ALERT_LIFE_MAX_KEYS;
}

/* The entry of the rule named RULE; NULL for a name no rule has. */
static const struct rule_entry *
life_rule(const char *rule)
{
	int	id;

	if ((id = rules_find(rule)) == -1)
		return (NULL);
	return (rules_entry(id));
}

struct alert_life *
alert_life_create(const struct alert_life_opts *o, struct alert_out *out)
{
	struct alert_life	*l;

	l = xcalloc(1, sizeof *l);
	l->o = *o;
	if (l->o.max_keys == 0)
		l->o.max_keys = ALERT_LIFE_MAX_KEYS;
	if (l->o.hold_us <= 0)
		l->o.hold_us = ALERT_LIFE_HOLD_US;
	if (l->o.burst == 0)
		l->o.burst = 1;
	l->out = out;
	TAILQ_INIT(&l->wins);
	TAILQ_INIT(&l->bursts);
	l->tokens = (int64_t)l->o.burst * LIFE_TOKEN;
	return (l);
}

/* "192.0.2.1" from "192.0.2.1:5060" or "[2001:db8::1]:5060". */
static void
life_ip(const char *addr, char *buf, size_t len)
{
	const char	*end;
	size_t		 n;

	if (addr[0] == '[' && (end = strchr(addr, ']')) != NULL) {
		addr++;
		n = (size_t)(end - addr);
	} else if ((end = strrchr(addr, ':')) != NULL)
		n = (size_t)(end - addr);
	else
		n = strlen(addr);
	if (n >= len)
		n = len - 1;
	memcpy(buf, addr, n);
	buf[n] = '\0';
}

/*
 * The hash key and the words naming it ("from 192.0.2.10:5060") for
 * RULE and the alert fields.  Both allocated.
 */
static void
life_key(enum rule_subject kind, const char *rule, const char *call_id,
    const char *src, const char *dst, const char *target, char **key,
    char **what)
{
	char		ip[ALERT_ADDR_LEN];

	if (kind == RULE_SUBJ_CALL && (call_id == NULL || *call_id == '\0'))
		kind = RULE_SUBJ_SRC;
	if (src == NULL)
		src = "";
	if (dst == NULL)
		dst = "";
	if (target == NULL)
		target = "";
	switch (kind) {
	case RULE_SUBJ_CALL:
		*key = xasprintf("%s\x1f%s", rule, call_id);
		*what = xasprintf(_("for Call-ID %s"), call_id);
		break;
	case RULE_SUBJ_SRC:
		*key = xasprintf("%s\x1f%s", rule, src);
		*what = xasprintf(_("from %s"), src);
		break;
	case RULE_SUBJ_SRC_IP:
		life_ip(src, ip, sizeof ip);
		*key = xasprintf("%s\x1f%s", rule, ip);
		*what = xasprintf(_("from %s"), ip);
		break;
	case RULE_SUBJ_DST:
		*key = xasprintf("%s\x1f%s", rule, dst);
		*what = xasprintf(_("to %s"), dst);
		break;
	case RULE_SUBJ_SRC_IP_TARGET:
		life_ip(src, ip, sizeof ip);
		*key = xasprintf("%s\x1f%s\x1f%s", rule, ip, target);
		*what = xasprintf(_("from %s for %s"), ip, target);
		break;
	}
}

static void
life_count(struct life_count *v, unsigned *n, const char *rule)
{
	unsigned	i;

	for (i = 0; i < *n; i++) {
		if (strcmp(v[i].rule, rule) == 0) {
			v[i].n++;
			return;
		}
	}
	if (*n == LIFE_BY_RULE)
		i = LIFE_BY_RULE - 1;	/* the last slot takes the rest */
	else {
		i = (*n)++;
		snprintf(v[i].rule, sizeof v[i].rule, "%s", rule);
		v[i].n = 0;
	}
	v[i].n++;
}

/* ------------------------------------------------------------------ */
/* The rate limit. */

static void
life_refill(struct alert_life *l, int64_t ts)
{
	int64_t	cap = (int64_t)l->o.burst * LIFE_TOKEN;

	if (!l->bucket_started) {
		l->bucket_started = 1;
		l->bucket_ts = ts;
		return;
	}
	if (ts <= l->bucket_ts)
		return;
	if ((ts - l->bucket_ts) >= cap / (l->o.rate > 0 ? l->o.rate : 1))
		l->tokens = cap;
	else
		l->tokens += (ts - l->bucket_ts) * (int64_t)l->o.rate;
	if (l->tokens > cap)
		l->tokens = cap;
	l->bucket_ts = ts;
}

/*
 * When the "suppressed" line is due: once the bucket is full again (the
 * flood is over), or LIFE_NOTICE_US after the first line held back,
 * whichever comes first; so a long flood is reported once a minute.
 */
static int64_t
life_notice_due(const struct alert_life *l)
{
	int64_t	full, cap = (int64_t)l->o.burst * LIFE_TOKEN;

	if (l->o.rate == 0)
		full = l->bucket_ts;
	else
		full = l->bucket_ts + (cap - l->tokens + l->o.rate - 1) /
		    (int64_t)l->o.rate;
	if (full > l->held_since + LIFE_NOTICE_US)
		full = l->held_since + LIFE_NOTICE_US;
	return (full);
}

/* Write A to the sinks; through the rate limit unless FORCE. */
static void
life_out(struct alert_life *l, const struct alert *a, int force)
{
	if (!force && l->o.rate > 0) {
		life_refill(l, a->ts_us);
		if (l->tokens < LIFE_TOKEN) {
			if (l->held == 0)
				l->held_since = a->ts_us;
			l->held++;
			l->suppressed++;
			life_count(l->held_by, &l->nheld_by, a->rule);
			life_count(l->supp_by, &l->nsupp_by, a->rule);
			return;
		}
		l->tokens -= LIFE_TOKEN;
	}
	l->lines++;
	alert_out_emit(l->out, a);
}

/* The "suppressed" line for what the bucket held back, at TS. */
static void
life_notice(struct alert_life *l, int64_t ts)
{
	struct alert	a;
	char		since[40], *list, *p;
	unsigned	i;

	sw_time_rfc3339(l->held_since, 0, since, sizeof since);
	list = xstrdup("");
	for (i = 0; i < l->nheld_by; i++) {
		p = xasprintf("%s%s%s %llu", list, i > 0 ? ", " : "",
		    l->held_by[i].rule, (unsigned long long)l->held_by[i].n);
		free(list);
		list = p;
	}
	alert_init(&a, ts, "alert-rate-limit", ALERT_WARNING, NULL, 0, NULL,
	    NULL, NULL, 0);
	a.event = ALERT_EVENT_SUPPRESSED;
	a.repeats = l->held;
	a.window_us = ts - l->held_since;
	free(a.summary);
	a.summary = xasprintf(_("rate limit: %llu alert line(s) suppressed "
	    "since %s (%s)"), (unsigned long long)l->held, since, list);
	free(a.advice);
	a.advice = xasprintf(_("More than %u alert lines per second were "
	    "due; the report counts them all. Read the alert file or the "
	    "report for the details, or raise --alert-rate."), l->o.rate);
	free(list);
	l->notices++;
	l->lines++;
	alert_out_emit(l->out, &a);
	alert_clear(&a);
	l->held = 0;
	l->nheld_by = 0;
}

/* ------------------------------------------------------------------ */
/* Entries. */

/* A line about E (event EV) at TS, built from its first alert. */
static void
life_line(struct alert_life *l, struct life_entry *e, enum alert_event ev,
    int64_t ts, int force)
{
	struct alert	a;
	long long	secs;

	alert_copy(&a, &e->first);
	a.ts_us = ts;
	a.event = ev;
	if (e->kind != RULE_SUBJ_CALL) {
		free(a.call_id);
		a.call_id = xstrdup("");
	}
	free(a.summary);
	if (ev == ALERT_EVENT_REPEATS) {
		a.repeats = e->repeats;
		a.window_us = ts - e->win_start;
		secs = (long long)((a.window_us + 999999) / 1000000);
		a.summary = xasprintf(_("%s %s: %llu more in %lld s"),
		    e->first.rule, e->what, (unsigned long long)e->repeats,
		    secs);
		l->summaries++;
	} else {
		a.repeats = e->total;
		a.window_us = l->o.hold_us;
		a.summary = xasprintf(_("%s %s cleared: not seen for %lld s "
		    "(%llu repeat(s) after it was raised)"), e->first.rule,
		    e->what, (long long)(l->o.hold_us / 1000000),
		    (unsigned long long)e->total);
		l->clears++;
	}
	life_out(l, &a, force);
	alert_clear(&a);
}

static void
life_win_close(struct alert_life *l, struct life_entry *e, int64_t ts,
    int force)
{
	if (!e->in_win)
		return;
	TAILQ_REMOVE(&l->wins, e, win_entry);
	e->in_win = 0;
	if (e->repeats > 0)
		life_line(l, e, ALERT_EVENT_REPEATS, ts, force);
	e->repeats = 0;
}

static void
life_free(struct alert_life *l, struct life_entry *e)
{
	if (e->in_win)
		TAILQ_REMOVE(&l->wins, e, win_entry);
	if (e->active) {
		TAILQ_REMOVE(&l->bursts, e, burst_entry);
		l->nbursts--;
	}
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
	HASH_DELETE(hh, l->hash, e);
	l->n--;
	alert_clear(&e->first);
	free(e->key);
	free(e->what);
	free(e);
}

static void
life_win_open(struct alert_life *l, struct life_entry *e, int64_t ts)
{
	e->win_start = ts;
	e->win_end = ts + l->o.window_us;
	e->repeats = 0;
	e->in_win = 1;
	TAILQ_INSERT_TAIL(&l->wins, e, win_entry);
}

/* The table is full: close the oldest window early (or oldest burst). */
static void
life_evict(struct alert_life *l)
{
	struct life_entry	*e;

	if ((e = TAILQ_FIRST(&l->wins)) == NULL &&
	    (e = TAILQ_FIRST(&l->bursts)) == NULL)
		return;
	l->evicted++;
	life_win_close(l, e, l->now, 0);
	life_free(l, e);
}

void
alert_life_advance(struct alert_life *l, int64_t now)
{
	struct life_entry	*w, *b;
	int64_t			 tw, tb, tn;

	if (now < l->now)
		return;
	l->now = now;
	for (;;) {
		w = TAILQ_FIRST(&l->wins);
		b = TAILQ_FIRST(&l->bursts);
		tw = w != NULL ? w->win_end : INT64_MAX;
		tb = b != NULL ? b->last_seen + l->o.hold_us : INT64_MAX;
		tn = l->held > 0 ? life_notice_due(l) : INT64_MAX;
		if (tw <= tb && tw <= tn && tw <= now) {
			life_win_close(l, w, tw, 0);
			if (!w->active)
				life_free(l, w);
		} else if (tb <= tn && tb <= now) {
			/* Its window, if open, is over before it clears. */
			life_win_close(l, b, b->win_end < tb ? b->win_end :
			    tb, 0);
			life_line(l, b, ALERT_EVENT_CLEAR, tb, 0);
			life_free(l, b);
		} else if (tn <= now) {
			life_refill(l, tn);
			life_notice(l, tn);
		} else
			break;
	}
}

void
alert_life_emit(struct alert_life *l, const struct alert *a)
{
	const struct rule_entry	*r;
	struct life_entry	*e;
	char			*key, *what;
	int64_t			 ts = a->ts_us;
	enum rule_subject	 kind;
	int			 burst;

	alert_life_advance(l, ts);
	if (ts < l->now)
		ts = l->now;
	l->in++;
	if (l->o.window_us <= 0) {
		l->raised++;
		life_out(l, a, 0);
		return;
	}
	/* Lines of its own (the rate limit's) are keyed by their source. */
	r = life_rule(a->rule);
	kind = r != NULL ? r->subject : RULE_SUBJ_SRC;
	burst = r != NULL && r->burst;
	life_key(kind, a->rule, a->call_id, a->src, a->dst, a->target, &key,
	    &what);
	HASH_FIND_STR(l->hash, key, e);
	if (e != NULL) {
		free(key);
		free(what);
		l->repeats++;
		e->total++;
		if (e->active) {
			e->last_seen = ts;
			TAILQ_REMOVE(&l->bursts, e, burst_entry);
			TAILQ_INSERT_TAIL(&l->bursts, e, burst_entry);
		}
		if (!e->in_win)
			life_win_open(l, e, ts);
		e->repeats++;
		return;
	}
	if (l->n >= l->o.max_keys)
		life_evict(l);
	e = xcalloc(1, sizeof *e);
	e->key = key;
	e->what = what;
	e->kind = kind;
	if (e->kind == RULE_SUBJ_CALL && a->call_id[0] == '\0')
		e->kind = RULE_SUBJ_SRC;
	e->burst = burst;
	alert_copy(&e->first, a);
	free(e->first.summary);
	free(e->first.advice);
	e->first.summary = xstrdup("");
	e->first.advice = xstrdup("");
	HASH_ADD_KEYPTR(hh, l->hash, e->key, strlen(e->key), e);
	l->n++;
	life_win_open(l, e, ts);
	if (e->burst) {
		e->active = 1;
		e->last_seen = ts;
		TAILQ_INSERT_TAIL(&l->bursts, e, burst_entry);
		l->nbursts++;
	}
	l->raised++;
	life_out(l, a, 0);
}

void
alert_life_note(struct alert_life *l, enum rule_id rule, int64_t ts,
    const char *src, const char *target)
{
	const struct rule_entry	*r;
	struct life_entry	*e;
	char			*key, *what;

	if (l->nbursts == 0)
		return;
	if ((r = rules_entry(rule)) == NULL || !r->burst)
		return;
	/*
	 * The clock first: a burst whose hold time ran out before TS is
	 * cleared (and its entry freed) now, so the lookup below cannot
	 * return it; the condition seen again is then a new occurrence,
	 * which the tracker raises as an alert of its own.
	 */
	alert_life_advance(l, ts);
	life_key(r->subject, r->id, NULL, src, NULL, target, &key, &what);
	HASH_FIND_STR(l->hash, key, e);
	free(key);
	free(what);
	if (e == NULL || !e->active)
		return;
	if (ts < l->now)
		ts = l->now;
	/* One more occurrence of the condition: a repeat. */
	l->repeats++;
	e->total++;
	e->last_seen = ts;
	TAILQ_REMOVE(&l->bursts, e, burst_entry);
	TAILQ_INSERT_TAIL(&l->bursts, e, burst_entry);
	if (!e->in_win)
		life_win_open(l, e, ts);
	e->repeats++;
}

unsigned
alert_life_active(const struct alert_life *l)
{
	return (l->nbursts);
}

void
alert_life_finish(struct alert_life *l, int64_t now)
{
	struct life_entry	*e;

	alert_life_advance(l, now);
	if (now < l->now)
		now = l->now;
	while ((e = TAILQ_FIRST(&l->wins)) != NULL) {
		life_win_close(l, e, now, 1);
		if (!e->active)
			life_free(l, e);
	}
	if (l->held > 0)
		life_notice(l, now);
}

void
alert_life_report(json_t *root, void *arg)
{
	struct alert_life	*l = arg;
	json_t			*o, *m;
	unsigned		 i;

	o = json_object();
	sw_json_set(o, "window_s", json_real((double)l->o.window_us / 1e6));
	sw_json_set(o, "hold_s", json_real((double)l->o.hold_us / 1e6));
	sw_json_set(o, "rate", sw_json_uint(l->o.rate));
	sw_json_set(o, "burst", sw_json_uint(l->o.burst));
	sw_json_set(o, "alerts_in", sw_json_uint(l->in));
	sw_json_set(o, "raised", sw_json_uint(l->raised));
	sw_json_set(o, "repeats", sw_json_uint(l->repeats));
	sw_json_set(o, "summaries", sw_json_uint(l->summaries));
	sw_json_set(o, "clears", sw_json_uint(l->clears));
	sw_json_set(o, "suppressed", sw_json_uint(l->suppressed));
	m = json_object();
	for (i = 0; i < l->nsupp_by; i++)
		sw_json_set(m, l->supp_by[i].rule, sw_json_uint(l->supp_by[i].n));
	sw_json_set(o, "suppressed_by_rule", m);
	sw_json_set(o, "suppressed_notices", sw_json_uint(l->notices));
	sw_json_set(o, "lines", sw_json_uint(l->lines));
	sw_json_set(o, "active_bursts", sw_json_uint(l->nbursts));
	sw_json_set(o, "keys", sw_json_uint(l->n));
	sw_json_set(o, "cap", sw_json_uint(l->o.max_keys));
	sw_json_set(o, "evicted", sw_json_uint(l->evicted));
	sw_json_set(root, "alert_lifecycle", o);
}

void
alert_life_destroy(struct alert_life *l)
{
	struct life_entry	*e, *tmp;

	if (l == NULL)
		return;
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, l->hash, e, tmp)
		life_free(l, e);
	free(l);
}
