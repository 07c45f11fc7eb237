/*
 * track-incident.c: incidents, the unit every alert line is about.
 *
 * A rule's verdict is about a subject its entry names (rules.h: a call, a
 * server, a client, a source IP, an AOR).  The first verdict of a rule for
 * a subject opens an incident and raises it (one line, event "raise");
 * later verdicts for the same (rule, subject) are occurrences of it: they
 * update its count, first and last time and, at most once per window, its
 * example (the latest verdict's summary and advice).  An open incident
 * whose count grew writes an "update" line at most once per window, when
 * the window has passed since its last line (at the next occurrence, or
 * by its deadline when the condition went quiet).  When no occurrence has
 * come for the hold time the incident ends: with a "clear" line for
 * burst-type rules (a condition that can stop: a server answering again,
 * a scanner gone), silently (after a last update if one is due) for the
 * others.  The same condition later opens a new incident.
 *
 * Every line goes through the tracker's emit callback in packet-time
 * order.  The table is capped (the least recently active incident ends
 * early, evictions counted) and the first INCIDENT_KEEP incidents are
 * kept for the report with their final counts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"
#include "track/track-int.h"

/* The incident's subject ("server 192.0.2.1:5060") into BUF; 0 or -1. */
static int
incident_subject(const struct rule_entry *e, const char *call_id,
    size_t call_id_len, const struct sw_addr *src, const struct sw_addr *dst,
    const char *target, char *buf, size_t len)
{
	char	a[SW_ADDRSTRLEN];

	switch (e->subject) {
	case RULE_SUBJ_CALL:
		if (call_id == NULL || call_id_len == 0)
			break;
		snprintf(buf, len, "%s %.*s", e->role, (int)call_id_len,
		    call_id);
		return (0);
	case RULE_SUBJ_SRC:
		if (src == NULL)
			return (-1);
		snprintf(buf, len, "%s %s", e->role,
		    sw_addr_format(src, a, sizeof a));
		return (0);
	case RULE_SUBJ_DST:
		if (dst == NULL)
			return (-1);
		snprintf(buf, len, "%s %s", e->role,
		    sw_addr_format(dst, a, sizeof a));
		return (0);
	case RULE_SUBJ_SRC_IP:
		if (src == NULL)
			return (-1);
		snprintf(buf, len, "%s %s", e->role,
		    sw_addr_format_ip(src, a, sizeof a));
		return (0);
	case RULE_SUBJ_TARGET:
		if (target == NULL || *target == '\0')
			return (-1);
		snprintf(buf, len, "%s %s", e->role, target);
		return (0);
	}
	/* A call rule without a Call-ID: the message's sender instead. */
	if (src == NULL)
		return (-1);
	snprintf(buf, len, "client %s", sw_addr_format(src, a, sizeof a));
	return (0);
}

static struct tkey
incident_key(enum rule_id rule, const char *subject)
{
	struct thash	h;

	th_init(&h, 0x1c1d);
	th_u64(&h, (uint64_t)rule);
	th_bytes(&h, subject, strlen(subject));
	return (th_final(&h));
}

static struct incident *
incident_find(struct track *tr, const struct tkey *k)
{
	struct incident	*inc;

	HASH_FIND(hh, tr->incidents, k, sizeof *k, inc);
	return (inc);
}

/*
 * How long INC stays open without an occurrence: the rule's own hold time
 * (a condition that lasts, such as an AOR that cannot register; at least
 * RULE_ATTACK_HOLD_S for an attack rule: attackers come back in rounds)
 * or --alert-hold, whichever is longer.
 */
static int64_t
incident_hold(const struct track *tr, const struct incident *inc)
{
	const struct rule_entry	*e = rules_entry(inc->rule);
	int64_t			 h = tr->o.incident_hold_us;

	if (e != NULL && (int64_t)e->hold_s * 1000000 > h)
		h = (int64_t)e->hold_s * 1000000;
	if (e != NULL && e->attack && RULE_ATTACK_HOLD_S * 1000000LL > h)
		h = RULE_ATTACK_HOLD_S * 1000000LL;
	return (h);
}

/* The open incident of RULE for the subject these fields make, or NULL. */
static struct incident *
incident_lookup(struct track *tr, enum rule_id rule, const char *call_id,
    size_t call_id_len, const struct sw_addr *src, const struct sw_addr *dst,
    const char *target)
{
	const struct rule_entry	*e = rules_entry(rule);
	struct tkey		 k;
	char			 subject[INCIDENT_SUBJECT_MAX];

	if (e == NULL || tr->ninc == 0 || incident_subject(e, call_id,
	    call_id_len, src, dst, target, subject, sizeof subject) == -1)
		return (NULL);
	k = incident_key(rule, subject);
	return (incident_find(tr, &k));
}

/* The earliest of INC's deadlines: its update when one is due, its end. */
static void
incident_rearm(struct track *tr, struct incident *inc)
{
	int64_t	when = inc->last_us + incident_hold(tr, inc);

	if (inc->count > inc->pub_count &&
	    inc->pub_us + tr->o.incident_window_us < when)
		when = inc->pub_us + tr->o.incident_window_us;
	theap_set(&tr->heap, &inc->tm, when);
}

/*
 * INC's evidence now includes FLAGS (RULE_F_INCOMPLETE bits of one
 * occurrence): count each kind once per incident.
 */
static void
incident_evidence(struct track *tr, struct incident *inc, int flags)
{
	unsigned	add = (unsigned)flags & RULE_F_INCOMPLETE & ~inc->evidence;

	if (add == 0)
		return;
	if (inc->evidence == 0)
		tr->inc.incomplete++;
	if (add & RULE_F_GAP)
		tr->inc.gap++;
	if (add & RULE_F_PARTIAL)
		tr->inc.partial++;
	if (add & RULE_F_DROPS)
		tr->inc.drops++;
	inc->evidence |= add;
	if (inc->rec != 0)
		tr->inc_recs[inc->rec - 1].evidence = inc->evidence;
}

/* Keep the report's copy of INC current. */
static void
incident_archive(struct track *tr, const struct incident *inc)
{
	struct incident_rec	*r;

	if (inc->rec == 0)
		return;
	r = &tr->inc_recs[inc->rec - 1];
	r->count = inc->count;
	r->last_us = inc->last_us;
	r->ended = inc->ended;
}

/* Write one line about INC: EV at TS; WHY (or NULL) says why it cleared. */
static void
incident_line_why(struct track *tr, struct incident *inc, enum alert_event ev,
    int64_t ts, const char *why)
{
	struct alert	 a;
	char		 first[SW_TIME_LEN], last[SW_TIME_LEN];
	char		 example[SW_TIME_LEN];
	const char	*rule = inc->example.rule;
	char		*sum;

	inc->pub_us = ts;
	inc->pub_count = inc->count;
	incident_archive(tr, inc);
	if (tr->emit == NULL)
		return;
	alert_copy(&a, &inc->example);
	a.ts_us = ts;
	a.event = ev;
	/* Every line says what the incident's evidence lacked so far. */
	a.gap = (inc->evidence & RULE_F_GAP) != 0;
	a.partial_parse = (inc->evidence & RULE_F_PARTIAL) != 0;
	a.drops_nearby = (inc->evidence & RULE_F_DROPS) != 0;
	memcpy(a.incident, inc->id, sizeof a.incident);
	free(a.subject);
	a.subject = xstrdup(inc->subject);
	a.count = inc->count;
	a.first_us = inc->first_us;
	a.last_us = inc->last_us;
	sw_time_rfc3339(inc->first_us, 0, first, sizeof first);
	sw_time_rfc3339(inc->last_us, 0, last, sizeof last);
	sw_time_rfc3339(inc->example.ts_us, 0, example, sizeof example);
	if (ev == ALERT_EVENT_UPDATE) {
		sum = xasprintf(_("%s %s: %llu occurrence(s) between %s and "
		    "%s; at %s: %s"), rule, inc->subject,
		    (unsigned long long)inc->count, first, last, example,
		    inc->example.summary);
		tr->inc.updates++;
	} else if (ev == ALERT_EVENT_CLEAR && why != NULL) {
		sum = xasprintf(_("%s %s cleared: %s (%llu occurrence(s) "
		    "since %s)"), rule, inc->subject, why,
		    (unsigned long long)inc->count, first);
		tr->inc.clears++;
		free(a.advice);
		a.advice = xstrdup("");
	} else if (ev == ALERT_EVENT_CLEAR) {
		sum = xasprintf(_("%s %s cleared: not seen for %lld s "
		    "(%llu occurrence(s) since %s)"), rule, inc->subject,
		    (long long)(incident_hold(tr, inc) / 1000000),
		    (unsigned long long)inc->count, first);
		tr->inc.clears++;
		free(a.advice);
		a.advice = xstrdup("");
	} else
		sum = xstrdup(inc->example.summary);
	free(a.summary);
	a.summary = sum;
	tr->emit(&a, tr->emit_arg);
	alert_clear(&a);
}

static void
incident_line(struct track *tr, struct incident *inc, enum alert_event ev,
    int64_t ts)
{
	incident_line_why(tr, inc, ev, ts, NULL);
}

static void
incident_free(struct track *tr, struct incident *inc)
{
	theap_remove(&tr->heap, &inc->tm);
	HASH_DELETE(hh, tr->incidents, inc);
	TAILQ_REMOVE(&tr->inc_lru, inc, lru);
	tr->ninc--;
	alert_clear(&inc->example);
	free(inc->subject);
	free(inc);
}

/* INC ends at TS: a clear line (burst rules) or its last update. */
static void
incident_end(struct track *tr, struct incident *inc, int64_t ts)
{
	inc->ended = 1;
	if (inc->burst)
		incident_line(tr, inc, ALERT_EVENT_CLEAR, ts);
	else if (inc->count > inc->pub_count)
		incident_line(tr, inc, ALERT_EVENT_UPDATE, ts);
	else
		incident_archive(tr, inc);
	tr->inc.ended++;
	incident_free(tr, inc);
}

void
incident_timer(struct track *tr, struct incident *inc)
{
	int64_t	now = inc->tm.deadline;

	if (inc->last_us + incident_hold(tr, inc) <= now) {
		/* An update due before the end is written first. */
		if (inc->count > inc->pub_count && !inc->burst &&
		    inc->pub_us + tr->o.incident_window_us < now)
			incident_line(tr, inc, ALERT_EVENT_UPDATE,
			    inc->pub_us + tr->o.incident_window_us);
		incident_end(tr, inc, now);
		return;
	}
	if (inc->count > inc->pub_count &&
	    inc->pub_us + tr->o.incident_window_us <= now)
		incident_line(tr, inc, ALERT_EVENT_UPDATE, now);
	incident_rearm(tr, inc);
}

/* One more occurrence of INC at TS. */
static void
incident_occur(struct track *tr, struct incident *inc, int64_t ts)
{
	inc->count++;
	tr->inc.occurrences[inc->rule]++;
	if (ts > inc->last_us)
		inc->last_us = ts;
	TAILQ_REMOVE(&tr->inc_lru, inc, lru);
	TAILQ_INSERT_TAIL(&tr->inc_lru, inc, lru);
	if (inc->pub_us + tr->o.incident_window_us <= ts)
		incident_line(tr, inc, ALERT_EVENT_UPDATE, ts);
	else
		incident_archive(tr, inc);
	incident_rearm(tr, inc);
}

int
incident_note(struct track *tr, enum rule_id rule, int64_t ts,
    const char *call_id, size_t call_id_len, const struct sw_addr *src,
    const struct sw_addr *dst, const char *target)
{
	struct incident	*inc;

	if ((inc = incident_lookup(tr, rule, call_id, call_id_len, src, dst,
	    target)) == NULL)
		return (0);
	incident_occur(tr, inc, ts);
	return (1);
}

/* The incident's stable id: its rule, subject and first time. */
static void
incident_id(struct incident *inc, const struct tkey *k)
{
	struct thash	h;

	th_init(&h, 0x1d);
	th_u64(&h, k->a);
	th_u64(&h, k->b);
	th_u64(&h, (uint64_t)inc->first_us);
	snprintf(inc->id, sizeof inc->id, "%016llx",
	    (unsigned long long)th_final64(&h));
}

void
incident_raise(struct track *tr, const struct rule_ctx *c)
{
	const struct rule_entry	*e = rules_entry(c->rule);
	struct incident		*inc;
	struct incident_rec	*r;
	struct tkey		 k;
	char			 subject[INCIDENT_SUBJECT_MAX];

	if (incident_subject(e, c->call_id, c->call_id != NULL ?
	    c->call_id_len : 0, c->src, c->dst, c->target, subject,
	    sizeof subject) == -1)
		snprintf(subject, sizeof subject, "%s", e->role);
	k = incident_key(c->rule, subject);
	if ((inc = incident_find(tr, &k)) != NULL) {
		/* The example follows the latest verdict, once a window. */
		if (c->ts_us - inc->example.ts_us >= tr->o.incident_window_us) {
			alert_clear(&inc->example);
			rules_alert(c, tr->o.kb_fix, tr->o.kb_arg,
			    &inc->example);
		}
		incident_evidence(tr, inc, c->flags);
		incident_occur(tr, inc, c->ts_us);
		return;
	}
	if (tr->ninc >= tr->o.max_incidents &&
	    (inc = TAILQ_FIRST(&tr->inc_lru)) != NULL) {
		tr->inc.evicted++;
		incident_end(tr, inc, c->ts_us);
	}
	inc = xcalloc(1, sizeof *inc);
	inc->key = k;
	inc->tm.kind = TT_INCIDENT;
	inc->rule = (uint8_t)c->rule;
	inc->burst = (uint8_t)e->burst;
	inc->subject = xstrdup(subject);
	inc->first_us = inc->last_us = c->ts_us;
	inc->count = 1;
	incident_id(inc, &k);
	rules_alert(c, tr->o.kb_fix, tr->o.kb_arg, &inc->example);
	HASH_ADD(hh, tr->incidents, key, sizeof inc->key, inc);
	TAILQ_INSERT_TAIL(&tr->inc_lru, inc, lru);
	tr->ninc++;
	tr->inc.opened++;
	tr->inc.by_rule[c->rule]++;
	tr->inc.occurrences[c->rule]++;
	tr->inc.by_sev[e->severity]++;
	if (tr->ninc_recs < INCIDENT_KEEP) {
		r = &tr->inc_recs[tr->ninc_recs++];
		inc->rec = tr->ninc_recs;
		memcpy(r->id, inc->id, sizeof r->id);
		r->rule = inc->rule;
		r->subject = xstrdup(subject);
		r->first_us = inc->first_us;
		r->summary = xstrdup(inc->example.summary);
	}
	incident_evidence(tr, inc, c->flags);
	incident_line(tr, inc, ALERT_EVENT_RAISE, c->ts_us);
	incident_rearm(tr, inc);
}

int
incident_open(struct track *tr, enum rule_id rule, const char *call_id,
    size_t call_id_len, const struct sw_addr *src, const struct sw_addr *dst,
    const char *target)
{
	return (incident_lookup(tr, rule, call_id, call_id_len, src, dst,
	    target) != NULL);
}

int
incident_clear(struct track *tr, enum rule_id rule, int64_t ts,
    const char *call_id, size_t call_id_len, const struct sw_addr *src,
    const struct sw_addr *dst, const char *target, const char *why)
{
	struct incident	*inc;

	if ((inc = incident_lookup(tr, rule, call_id, call_id_len, src, dst,
	    target)) == NULL)
		return (0);
	/* An update due before the end is written first. */
	if (inc->count > inc->pub_count)
		incident_line(tr, inc, ALERT_EVENT_UPDATE, ts);
	inc->ended = 1;
	if (inc->burst)
		incident_line_why(tr, inc, ALERT_EVENT_CLEAR, ts, why);
	else
		incident_archive(tr, inc);
	tr->inc.ended++;
	incident_free(tr, inc);
	return (1);
}

void
incident_finish(struct track *tr)
{
	struct incident	*inc;

	/* Counts not yet written go out now, at the end of the capture. */
	TAILQ_FOREACH(inc, &tr->inc_lru, lru) {
		if (inc->count > inc->pub_count)
			incident_line(tr, inc, ALERT_EVENT_UPDATE,
			    tr->last_us > inc->last_us ? tr->last_us :
			    inc->last_us);
		else
			incident_archive(tr, inc);
	}
}

void
incident_destroy(struct track *tr)
{
	struct incident	*inc;
	unsigned	 i;

	while ((inc = TAILQ_FIRST(&tr->inc_lru)) != NULL)
		incident_free(tr, inc);
	for (i = 0; i < tr->ninc_recs; i++) {
		free(tr->inc_recs[i].subject);
		free(tr->inc_recs[i].summary);
	}
	free(tr->inc_recs);
}

static int
incident_rec_cmp(const void *a, const void *b)
{
	const struct incident_rec	*x = *(const struct incident_rec *const *)a;
	const struct incident_rec	*y = *(const struct incident_rec *const *)b;

	if (x->first_us != y->first_us)
		return (x->first_us < y->first_us ? -1 : 1);
	return (strcmp(x->id, y->id));
}

void
incident_report(json_t *root, struct track *tr)
{
	const struct rule_entry	*e;
	const struct incident_rec *r, **v;
	json_t			*o, *m, *n, *l, *it;
	char			 t[SW_TIME_LEN];
	unsigned		 i;

	o = json_object();
	sw_json_set(o, "count", sw_json_uint(tr->inc.opened));
	m = json_object();
	n = json_object();
	for (i = 0; i < RULE_COUNT; i++) {
		e = rules_entry(i);
		sw_json_set(m, e->id, sw_json_uint(tr->inc.by_rule[i]));
		sw_json_set(n, e->id, sw_json_uint(tr->inc.occurrences[i]));
	}
	sw_json_set(o, "by_rule", m);
	sw_json_set(o, "occurrences_by_rule", n);
	m = json_object();
	for (i = 0; i < ALERT_SEVERITY_COUNT; i++)
		sw_json_set(m, alert_severity_name(i),
		    sw_json_uint(tr->inc.by_sev[i]));
	sw_json_set(o, "by_severity", m);
	m = json_object();
	sw_json_set(m, "incidents", sw_json_uint(tr->inc.incomplete));
	sw_json_set(m, "gap", sw_json_uint(tr->inc.gap));
	sw_json_set(m, "partial_parse", sw_json_uint(tr->inc.partial));
	sw_json_set(m, "drops_nearby", sw_json_uint(tr->inc.drops));
	sw_json_set(o, "incomplete_evidence", m);
	sw_json_set(o, "updates", sw_json_uint(tr->inc.updates));
	sw_json_set(o, "clears", sw_json_uint(tr->inc.clears));
	sw_json_set(o, "ended", sw_json_uint(tr->inc.ended));
	sw_json_set(o, "open_at_end", sw_json_uint(tr->ninc));
	sw_json_set(o, "evicted", sw_json_uint(tr->inc.evicted));
	sw_json_set(o, "cap", sw_json_uint(tr->o.max_incidents));
	sw_json_set(o, "window_s",
	    json_real((double)tr->o.incident_window_us / 1e6));
	sw_json_set(o, "hold_s", json_real((double)tr->o.incident_hold_us / 1e6));
	/* In the order they were raised (a copy: open incidents point in). */
	v = xcalloc(tr->ninc_recs + 1, sizeof *v);
	for (i = 0; i < tr->ninc_recs; i++)
		v[i] = &tr->inc_recs[i];
	qsort(v, tr->ninc_recs, sizeof *v, incident_rec_cmp);
	l = json_array();
	for (i = 0; i < tr->ninc_recs; i++) {
		r = v[i];
		e = rules_entry(r->rule);
		it = json_object();
		sw_json_set(it, "incident", json_string(r->id));
		sw_json_set(it, "rule", json_string(e->id));
		sw_json_set(it, "severity",
		    json_string(alert_severity_name(e->severity)));
		sw_json_set(it, "subject", sw_json_wire(r->subject));
		sw_json_set(it, "count", sw_json_uint(r->count));
		sw_json_set(it, "first", json_string(sw_time_rfc3339(
		    r->first_us, 6, t, sizeof t)));
		sw_json_set(it, "last", json_string(sw_time_rfc3339(
		    r->last_us, 6, t, sizeof t)));
		sw_json_set(it, "open_at_end", json_boolean(!r->ended));
		if (r->evidence & RULE_F_GAP)
			sw_json_set(it, "gap", json_true());
		if (r->evidence & RULE_F_PARTIAL)
			sw_json_set(it, "partial_parse", json_true());
		if (r->evidence & RULE_F_DROPS)
			sw_json_set(it, "drops_nearby", json_true());
		sw_json_set(it, "summary", sw_json_wire(r->summary));
		json_array_append_new(l, it);
	}
	free(v);
	sw_json_set(o, "list", l);
	sw_json_set(o, "listed", sw_json_uint(tr->ninc_recs));
	sw_json_set(root, "incidents", o);
}
