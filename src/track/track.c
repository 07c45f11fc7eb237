/*
 * track.c: the tracker's entry points: options, the clock, the dispatch
 * of each message to transactions, Call-ID records and peers, the end of
 * a capture, and the report sections.
 *
 * Per message the work is a few hash lookups (Call-ID record, then
 * transaction) and O(1) list moves; structs are recycled through free
 * lists, so a steady stream of calls allocates little.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "core/json.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "track/track-int.h"

#define TRACK_TIMER_C_US	(180 * 1000000LL)	/* RFC 3261 16.6 */
#define TRACK_T4_US		(5 * 1000000LL)
#define TRACK_SLACK_US		(10 * 1000000LL)
#define TRACK_CALL_IDLE_US	(4 * 3600 * 1000000LL)
/*
 * A step of the packet clock longer than this between two messages is a
 * discontinuity of the capture (files merged, synthetic timestamps, a
 * clock set), not time the capture watched: no timer verdict is drawn
 * from a deadline inside it.  A live capture's clock follows the wall
 * clock every poll, so it never steps this far.
 */
#define TRACK_CLOCK_JUMP_US	(24 * 3600 * 1000000LL)

void
track_opts_default(struct track_opts *o)
{
	memset(o, 0, sizeof *o);
	o->t1_us = TRACK_DEFAULT_T1_US;
	o->max_transactions = TRACK_DEFAULT_MAX_TRANSACTIONS;
	o->max_call_ids = TRACK_DEFAULT_MAX_CALL_IDS;
	o->max_peers = TRACK_DEFAULT_MAX_PEERS;
	o->burst_k = TRACK_DEFAULT_BURST_K;
	o->burst_window_us = TRACK_DEFAULT_BURST_WINDOW_US;
	o->scan_users = TRACK_DEFAULT_SCAN_USERS;
	o->auth_failures = TRACK_DEFAULT_AUTH_FAILURES;
	o->auth_window_us = TRACK_DEFAULT_AUTH_WINDOW_US;
	o->incident_window_us = TRACK_DEFAULT_INCIDENT_WINDOW_US;
	o->incident_hold_us = TRACK_DEFAULT_INCIDENT_HOLD_US;
	o->max_incidents = TRACK_DEFAULT_MAX_INCIDENTS;
	o->fail_pct = TRACK_DEFAULT_FAIL_PCT;
	o->fail_min = TRACK_DEFAULT_FAIL_MIN;
	o->fail_window_us = TRACK_DEFAULT_FAIL_WINDOW_US;
}

static unsigned
track_clamp(unsigned v, unsigned dflt, unsigned max)
{
	if (v == 0)
		return (dflt);
	return (v > max ? max : v);
}

struct track *
track_create(const struct track_opts *o, track_alert_fn *emit, void *arg)
{
	struct track	*tr;
	int		 i;

	tr = xcalloc(1, sizeof *tr);
	if (o != NULL)
		tr->o = *o;
	else
		track_opts_default(&tr->o);
	if (tr->o.t1_us <= 0)
		tr->o.t1_us = TRACK_DEFAULT_T1_US;
	tr->o.max_transactions = track_clamp(tr->o.max_transactions,
	    TRACK_DEFAULT_MAX_TRANSACTIONS, 1u << 26);
	tr->o.max_call_ids = track_clamp(tr->o.max_call_ids,
	    TRACK_DEFAULT_MAX_CALL_IDS, 1u << 26);
	tr->o.max_peers = track_clamp(tr->o.max_peers,
	    TRACK_DEFAULT_MAX_PEERS, 1u << 24);
	tr->o.burst_k = track_clamp(tr->o.burst_k, TRACK_DEFAULT_BURST_K,
	    TRACK_BURST_K_MAX);
	if (tr->o.burst_window_us <= 0)
		tr->o.burst_window_us = TRACK_DEFAULT_BURST_WINDOW_US;
	tr->o.scan_users = track_clamp(tr->o.scan_users,
	    TRACK_DEFAULT_SCAN_USERS, TRACK_SCAN_USERS_MAX);
	tr->o.auth_failures = track_clamp(tr->o.auth_failures,
	    TRACK_DEFAULT_AUTH_FAILURES, TRACK_AUTH_FAILURES_MAX);
	if (tr->o.auth_window_us <= 0)
		tr->o.auth_window_us = TRACK_DEFAULT_AUTH_WINDOW_US;
	if (tr->o.incident_window_us < 0)
		tr->o.incident_window_us = TRACK_DEFAULT_INCIDENT_WINDOW_US;
	if (tr->o.incident_hold_us <= 0)
		tr->o.incident_hold_us = TRACK_DEFAULT_INCIDENT_HOLD_US;
	tr->o.max_incidents = track_clamp(tr->o.max_incidents,
	    TRACK_DEFAULT_MAX_INCIDENTS, 1u << 20);
	tr->o.fail_pct = track_clamp(tr->o.fail_pct, TRACK_DEFAULT_FAIL_PCT,
	    100);
	tr->o.fail_min = track_clamp(tr->o.fail_min, TRACK_DEFAULT_FAIL_MIN,
	    1u << 20);
	if (tr->o.fail_window_us <= 0)
		tr->o.fail_window_us = TRACK_DEFAULT_FAIL_WINDOW_US;
	tr->emit = emit;
	tr->emit_arg = arg;
	tr->timer64 = 64 * tr->o.t1_us;

	/*
	 * Idle timeouts.  A transaction with a final response is kept for
	 * 64*T1 + T4 after its last message, to recognise retransmissions
	 * (Timers J, H, D, and 2xx resends); an open one for Timer C past
	 * 64*T1.  A Call-ID record outlives its transactions (it is touched
	 * by each of their messages); with a call up it is kept for hours
	 * (calls are silent while they last).
	 */
	tr->txn_idle[TXN_LRU_DONE] = tr->timer64 + TRACK_T4_US;
	tr->txn_idle[TXN_LRU_OPEN] = tr->timer64 + TRACK_TIMER_C_US;
	tr->cidrec_idle[CIDREC_LRU_SHORT] = tr->txn_idle[TXN_LRU_DONE] +
	    TRACK_SLACK_US;
	tr->cidrec_idle[CIDREC_LRU_OPEN] = tr->txn_idle[TXN_LRU_OPEN] +
	    TRACK_SLACK_US;
	tr->cidrec_idle[CIDREC_LRU_LONG] = TRACK_CALL_IDLE_US;

	for (i = 0; i < TXN_LRU_COUNT; i++)
		TAILQ_INIT(&tr->txn_lru[i]);
	for (i = 0; i < CIDREC_LRU_COUNT; i++)
		TAILQ_INIT(&tr->cidrec_lru[i]);
	peer_init(tr);
	theap_init(&tr->heap, tr->o.max_transactions + tr->o.max_call_ids +
	    tr->o.max_incidents + 16);
	TAILQ_INIT(&tr->inc_lru);
	tr->inc_recs = xcalloc(INCIDENT_KEEP, sizeof *tr->inc_recs);
	tr->held = xcalloc(TRACK_HELD_MAX, sizeof *tr->held);
	tr->pending = xcalloc(PENDING_KEEP, sizeof *tr->pending);
	return (tr);
}

void
track_destroy(struct track *tr)
{
	struct cidrec	*cr;
	struct txn	*t;
	unsigned	 i;
	int		 c;

	if (tr == NULL)
		return;
	for (c = 0; c < CIDREC_LRU_COUNT; c++) {
		while ((cr = TAILQ_FIRST(&tr->cidrec_lru[c])) != NULL)
			cidrec_free(tr, cr, 0);
	}
	while ((t = tr->txn_free) != NULL) {
		tr->txn_free = t->hh.next;
		free(t);
	}
	while ((cr = tr->cidrec_free_list) != NULL) {
		tr->cidrec_free_list = cr->hh.next;
		free(cr);
	}
	peer_destroy(tr);
	ident_destroy(tr);
	legs_destroy(tr);
	call_failures_destroy(tr);
	incident_destroy(tr);
	reorder_destroy(tr);
	cm_destroy(tr);
	free(tr->sdp_buf);
	theap_free(&tr->heap);
	for (i = 0; i < tr->npending; i++)
		free(tr->pending[i].call_id);
	free(tr->pending);
	free(tr);
}

/* ------------------------------------------------------------------ */
/* Alerts. */

void
track_ctx_init(struct rule_ctx *c, enum rule_id rule, int64_t ts,
    const struct cidrec *cr)
{
	memset(c, 0, sizeof *c);
	c->rule = rule;
	c->ts_us = ts;
	c->retry_after = -1;
	if (cr != NULL) {
		c->call_id = cr->call_id;
		c->call_id_len = cr->call_id_len;
		if (cr->gap)
			c->flags |= RULE_F_GAP;
		if (cr->partial)
			c->flags |= RULE_F_PARTIAL;
	}
}

void
track_ctx_final(struct rule_ctx *c, const struct sip_msg *m)
{
	c->code = m->status;
	c->kb_code = m->status;
	c->reason = m->reason.s;
	c->warning = m->warning.s;
	c->server = m->server.s != NULL ? m->server.s : m->user_agent.s;
	c->retry_after = m->retry_after;
}

void
track_raise(struct track *tr, const struct rule_ctx *c)
{
	struct rule_ctx	x = *c;

	/* Attack traffic feeds its source's incident (track_attacker()). */
	if (attack_absorb(tr, c))
		return;
	if (tr->cur_partial)
		x.flags |= RULE_F_PARTIAL;
	if (track_drops_near(tr, c->ts_us))
		x.flags |= RULE_F_DROPS;
	incident_raise(tr, &x);
}

/* ------------------------------------------------------------------ */
/* Capture drops. */

void
track_capture_drops(struct track *tr, uint64_t drops)
{
	struct drop_span	*d;
	int64_t			 from;

	from = tr->drops_polled != 0 ? tr->drops_polled : tr->first_us;
	tr->drops_polled = tr->now;
	if (drops <= tr->drops_seen) {
		tr->drops_seen = drops;	/* a counter that went back */
		return;
	}
	tr->drops_seen = drops;
	if (tr->ndrops > 0) {
		d = &tr->drops[(tr->drops_head + tr->ndrops - 1) %
		    TRACK_DROPS_KEEP];
		if (d->to >= from) {
			/* Rising at consecutive polls: one span. */
			d->to = tr->now;
			return;
		}
	}
	if (tr->ndrops == TRACK_DROPS_KEEP) {
		tr->drops_head = (tr->drops_head + 1) % TRACK_DROPS_KEEP;
		tr->ndrops--;
	}
	d = &tr->drops[(tr->drops_head + tr->ndrops) % TRACK_DROPS_KEEP];
	d->from = from;
	d->to = tr->now;
	tr->ndrops++;
	tr->drop_spans++;
}

int
track_drops_near(const struct track *tr, int64_t ts)
{
	const struct drop_span	*d;
	unsigned		 i;

	for (i = 0; i < tr->ndrops; i++) {
		d = &tr->drops[(tr->drops_head + i) % TRACK_DROPS_KEEP];
		if (d->from < ts && d->to > ts - tr->timer64)
			return (1);
	}
	return (0);
}

void
track_obs_init(struct track_obs *o, enum track_obs_type type, int64_t ts,
    const struct cidrec *cr)
{
	memset(o, 0, sizeof *o);
	o->type = type;
	o->ts_us = ts;
	o->call_id = cr != NULL ? cr->call_id : "";
	o->call_id_len = cr != NULL ? cr->call_id_len : 0;
}

void
track_publish(struct track *tr, const struct track_obs *o)
{
	unsigned	i;

	for (i = 0; i < tr->nsubs; i++)
		tr->subs[i].fn(o, tr->subs[i].arg);
}

int
track_subscribe(struct track *tr, track_obs_fn *fn, void *arg)
{
	if (tr->nsubs == TRACK_SUBSCRIBERS_MAX)
		return (-1);
	tr->subs[tr->nsubs].fn = fn;
	tr->subs[tr->nsubs].arg = arg;
	tr->nsubs++;
	return (0);
}

void
/* cppcheck-suppress constParameter ; FN is a function, compared only */
track_unsubscribe(struct track *tr, track_obs_fn *fn, const void *arg)
{
	unsigned	i;

	for (i = 0; i < tr->nsubs; i++) {
		if (tr->subs[i].fn == fn && tr->subs[i].arg == arg) {
			memmove(&tr->subs[i], &tr->subs[i + 1],
			    (tr->nsubs - i - 1) * sizeof tr->subs[0]);
			tr->nsubs--;
			return;
		}
	}
}

enum track_final_class
track_final_class(int code, int method)
{
	(void)method;
	if (code < 300)
		return (TRACK_FINAL_SUCCESS);
	if (code < 400)
		return (TRACK_FINAL_REDIRECT);
	switch (code) {
	case 401:
	case 407:
		return (TRACK_FINAL_CHALLENGE);
	case 480:	/* RFC 6076 4.7 counts it with 486, 600, 603 */
	case 486:
	case 487:
	case 600:
	case 603:
		return (TRACK_FINAL_USER);
	default:
		return (TRACK_FINAL_FAILURE);
	}
}

void
track_still(struct track *tr, enum rule_id rule, int64_t ts,
    const struct sw_addr *src, const char *target)
{
	(void)incident_note(tr, rule, ts, NULL, 0, src, NULL, target);
}

int
track_fired(struct cidrec *cr, enum rule_id rule, uint32_t cseq, int method)
{
	struct fired	*f;
	unsigned	 i, n;

	n = cr->nfired < CIDREC_FIRED ? cr->nfired : CIDREC_FIRED;
	/* cppcheck-suppress knownConditionTrueFalse ; min() misread */
	for (i = 0; i < n; i++) {
		f = &cr->fired[i];
		if (f->rule == rule && f->cseq == cseq && f->method == method)
			return (1);
	}
	f = &cr->fired[cr->nfired % CIDREC_FIRED];
	f->rule = (uint8_t)rule;
	f->cseq = cseq;
	f->method = (uint8_t)method;
	cr->nfired++;
	return (0);
}

void
track_incidents(const struct track *tr, enum rule_id rule,
    struct track_incident_counts *out)
{
	const struct incident	*inc;
	int			 i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < RULE_COUNT; i++) {
		if ((unsigned)rule < RULE_COUNT && i != (int)rule)
			continue;
		out->opened += tr->inc.by_rule[i];
		out->occurrences += tr->inc.occurrences[i];
	}
	TAILQ_FOREACH(inc, &tr->inc_lru, lru) {
		if ((unsigned)rule >= RULE_COUNT || inc->rule == rule)
			out->open++;
	}
}

void
track_usage(const struct track *tr, struct track_usage *u)
{
	int	i;

	memset(u, 0, sizeof *u);
	u->transactions = tr->ntxn;
	u->call_ids = tr->ncidrec;
	u->peers = peer_count(tr);
	u->timers = tr->heap.n;
	u->evicted = tr->tx.evicted + tr->dl.evicted;
	for (i = 0; i < PEER_KIND_COUNT; i++) {
		u->evicted += tr->peers[i].evicted;
		u->peer_cap += tr->peers[i].cap;
	}
}

/* ------------------------------------------------------------------ */
/* Time. */

void
track_advance(struct track *tr, int64_t now)
{
	struct ttimer	*tm;

	if (now <= tr->now)
		return;
	if (tr->now != 0 && now - tr->now > TRACK_CLOCK_JUMP_US) {
		tr->tx.clock_jumps++;
		tr->jump_from = tr->now;
	}
	tr->now = now;
	/* Responses that waited long enough for their request go first. */
	if (tr->nheld > 0)
		reorder_advance(tr, now);
	while ((tm = theap_top(&tr->heap)) != NULL && tm->deadline < now) {
		theap_remove(&tr->heap, tm);
		/* Inside a step of the clock: the outcome was not watched. */
		tr->unjudged = tr->jump_from != 0 && tm->deadline > tr->jump_from;
		if (tr->unjudged && tm->kind != TT_INCIDENT)
			tr->tx.unjudged++;
		if (tm->kind == TT_TXN)
			txn_timer(tr, container_of(tm, struct txn, tm));
		else if (tm->kind == TT_INCIDENT)
			incident_timer(tr, container_of(tm, struct incident,
			    tm));
		else
			cidrec_timer(tr, container_of(tm, struct cidrec, tm));
	}
	tr->unjudged = 0;
	tr->jump_from = 0;
	txn_expire(tr, now);
	cidrec_expire(tr, now);
	peer_expire(tr, now);
}

/* ------------------------------------------------------------------ */
/* Messages. */

/*
 * RFC 5393 4.2: the request already went through an element: two Via
 * values with the same sent-by and the same branch.
 */
static void
track_via_loop(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	const struct sip_via	*a, *b;
	struct rule_ctx		 c;
	unsigned		 i, j;
	char			 peer[300];

	for (i = 0; i + 1 < m->nvia; i++) {
		a = &m->via[i];
		if (a->branch.s == NULL || a->host.s == NULL)
			continue;
		for (j = i + 1; j < m->nvia; j++) {
			b = &m->via[j];
			if (b->branch.s == NULL || b->host.s == NULL ||
			    a->port != b->port || a->branch.len !=
			    b->branch.len || a->host.len != b->host.len ||
			    memcmp(a->branch.s, b->branch.s,
			    a->branch.len) != 0 ||
			    strncasecmp(a->host.s, b->host.s, a->host.len) != 0)
				continue;
			if (track_fired(cr, RULE_LOOP_DETECTED, m->cseq,
			    m->method))
				return;
			if (a->port != 0)
				snprintf(peer, sizeof peer, "%s:%u", a->host.s,
				    a->port);
			else
				snprintf(peer, sizeof peer, "%s", a->host.s);
			track_ctx_init(&c, RULE_LOOP_DETECTED, ts, cr);
			c.src = src;
			c.dst = dst;
			c.method = txn_method_name(t);
			c.n = m->via_total;
			c.peer = peer;
			c.flags |= RULE_F_VIA_REPEAT;
			track_raise(tr, &c);
			return;
		}
	}
}

/* Fill a new transaction from the message that revealed it. */
static void
track_txn_fill(struct track *tr, struct txn *t, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *client, const struct sw_addr *server,
    int transport)
{
	const struct sip_str	*name;
	const struct sip_via	*v = &m->via[0];
	size_t			 n;

	t->client = *client;
	t->server = *server;
	t->first_us = t->last_us = ts;
	t->cseq = m->cseq;
	t->method = (uint8_t)m->method;
	t->transport = (uint8_t)transport;
	name = m->is_request ? &m->method_name : &m->cseq_method_name;
	if (m->method == SIP_METHOD_OTHER && name->s != NULL) {
		n = name->len < sizeof t->method_name - 1 ? name->len :
		    sizeof t->method_name - 1;
		memcpy(t->method_name, name->s, n);
		t->method_name[n] = '\0';
	}
	if (!(v->branch.s != NULL && v->branch.len > 7 &&
	    strncmp(v->branch.s, "z9hG4bK", 7) == 0)) {
		t->flags |= TXN_F_RFC2543;
		tr->tx.rfc2543++;
	}
	t->from_h = track_hash_nameaddr(&m->from);
	t->to_h = track_hash_nameaddr(&m->to);
	if (m->is_request && m->ruri_user.s != NULL && m->ruri_user.len > 0)
		t->ruser_h = track_hash_str(&m->ruri_user);
	else
		t->ruser_h = track_hash_str(&m->to.user);
	if (m->is_request) {
		char	names[512];

		t->max_fwd = (uint8_t)(m->max_forwards < 0 ||
		    m->max_forwards > 255 ? 255 : m->max_forwards);
		/* What the request carries, to compare with the INVITEs the
		 * same server answers on the same connection (txn_timer()). */
		if (m->method == SIP_METHOD_INVITE && track_reliable(transport) &&
		    sip_header_names(m, names, sizeof names) > 0)
			t->hnames = xstrdup(names);
		t->ruri_h = m->ruri.s != NULL ?
		    track_hash_uri(m->ruri.s, m->ruri.len) : 0;
		if (m->to.tag.s != NULL)
			t->flags |= TXN_F_IN_DIALOG;
		if (m->has_auth) {
			t->flags |= TXN_F_HAS_AUTH;
			t->nonce_h = track_hash_str(&m->auth_nonce);
		}
	}
	tr->tx.by_method[m->method]++;
}

static void
track_request(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst,
    int transport)
{
	struct tkey	 k;
	struct txn	*t;
	unsigned	 need;
	int		 held;

	if (m->method == SIP_METHOD_ACK) {
		/* 17.1.1.3: the ACK for a non-2xx shares the INVITE's
		 * branch; an ACK for a 2xx is a new transaction, matched to
		 * the dialog by CSeq (13.2.2.4). */
		k = txn_key(m, SIP_METHOD_INVITE);
		t = txn_find(tr, &k);
		if (t != NULL && t->cidrec == cr && t->final_code >= 300) {
			t->acks++;
			tr->tx.acks_non2xx++;
			txn_touch(tr, t, ts);
			theap_remove(&tr->heap, &t->tm);	/* Timer H */
			return;
		}
		if (t != NULL && t->cidrec == cr && t->final_code == 0 &&
		    m->to.tag.s != NULL) {
			/* The ACK of a non-2xx the capture did not see. */
			tr->tx.acks_non2xx++;
			txn_inferred(tr, t, 0);
			return;
		}
		cidrec_ack(tr, cr, m, ts);
		return;
	}
	/*
	 * An in-dialog request shows what the call's INVITE got: a BYE from
	 * the callee, a 2xx (it MUST NOT send BYE on an early dialog, RFC
	 * 3261 15); any other, at least a provisional with a To-tag.
	 */
	if (m->to.tag.s != NULL && m->method != SIP_METHOD_CANCEL)
		call_evidence(tr, cr, m, ts, m->method == SIP_METHOD_BYE &&
		    cr->call.state != CALL_NONE &&
		    track_hash_str(&m->from.tag) != cr->call.caller_tag);

	k = txn_key(m, m->method);
	t = txn_find(tr, &k);
	if (t != NULL && (t->cidrec != cr || t->cseq != m->cseq ||
	    (t->flags & TXN_F_ORPHAN))) {
		/* A reused branch, or the request after its response. */
		txn_free(tr, t, 0);
		t = NULL;
	}
	if (t != NULL && t->final_code != 0 &&
	    (sw_addr_cmp(&t->client, src) != 0 ||
	    sw_addr_cmp(&t->server, dst) != 0)) {
		/* A completed transaction's key again, elsewhere: a replay. */
		txn_free(tr, t, 0);
		t = NULL;
	}
	if (t != NULL) {
		if (sw_addr_cmp(&t->client, src) != 0 ||
		    sw_addr_cmp(&t->server, dst) != 0) {
			/* The same message seen at another capture point. */
			tr->tx.path_duplicates++;
			return;
		}
		if (ts - t->last_send_us < tr->o.t1_us / 16) {
			/*
			 * Far sooner than any retransmission timer: the
			 * capture saw one packet twice (a mirror port, two
			 * interfaces).
			 */
			tr->tx.capture_duplicates++;
			return;
		}
		t->last_send_us = ts;
		t->sends++;
		tr->tx.retransmissions++;
		txn_touch(tr, t, ts);
		need = track_reliable(t->transport) ? 2 : 3;
		if (t->sends < need || (t->flags & TXN_F_RETRANS_ALERT))
			return;
		t->flags |= TXN_F_RETRANS_ALERT | TXN_F_RETRANS_DUE;
		/*
		 * The verdict waits for the outcome (txn_retrans()): a request
		 * that times out is reported by its timeout.  It is known
		 * already once a final response came, or a provisional to an
		 * INVITE (Timer B no longer runs).
		 */
		if (t->final_code != 0 || (t->method == SIP_METHOD_INVITE &&
		    t->prov_us != 0))
			txn_retrans(tr, t, ts, 0);
		return;
	}

	t = txn_create(tr, cr, &k);
	track_txn_fill(tr, t, m, ts, src, dst, transport);
	t->sends = 1;
	t->last_send_us = ts;
	held = reorder_pending(tr, &k);
	theap_set(&tr->heap, &t->tm, ts + tr->timer64);
	if (m->nvia >= 2)
		track_via_loop(tr, cr, t, m, ts, src, dst);
	cidrec_request(tr, cr, t, m, ts, src, dst);
	peer_request(tr, cr, t, m, ts, src, dst);
	/* Its responses captured before it (track-reorder.c), now. */
	if (held) {
		cidrec_classify(tr, cr);
		reorder_release(tr, &k, ts);
	}
}

/*
 * The session request delay of an initial INVITE at one hop (RFC 6076
 * 4.3): from the request to the first 101-199 or 2xx (successful), or to
 * the first failure other than 401, 402 and 407 when neither came.
 */
static void
track_srd(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct track_obs	o;
	int			code = m->status;

	if (!(t->flags & TXN_F_INITIAL_INVITE) || (t->flags & TXN_F_SRD) ||
	    code == 100 || code == 401 || code == 402 || code == 407)
		return;
	t->flags |= TXN_F_SRD;
	track_obs_init(&o, TRACK_OBS_SRD, ts, cr);
	o.u.srd.server = src;
	o.u.srd.client = dst;
	o.u.srd.srd_us = ts - t->first_us;
	o.u.srd.failed = code >= 300;
	track_publish(tr, &o);
}

/* The first final response of T (TRACK_OBS_FINAL). */
static void
track_final(struct track *tr, struct cidrec *cr, const struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct track_obs	o;

	track_obs_init(&o, TRACK_OBS_FINAL, ts, cr);
	o.u.final.server = src;
	o.u.final.client = dst;
	o.u.final.method = m->method;
	o.u.final.code = m->status;
	o.u.final.cls = track_final_class(m->status, m->method);
	/*
	 * A 401 or 407 to a request that carried credentials, not stale:
	 * they were refused (RFC 3261 22.2, 22.4), a failure; only the
	 * challenge of a request without them is one to answer.
	 */
	if (o.u.final.cls == TRACK_FINAL_CHALLENGE &&
	    (t->flags & TXN_F_HAS_AUTH) && !m->challenge_stale)
		o.u.final.cls = TRACK_FINAL_FAILURE;
	track_publish(tr, &o);
}

static void
track_response(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst,
    int transport)
{
	struct tkey	 k;
	struct txn	*t;
	int		 first;

	if (m->status < 100 || m->status > 699) {
		tr->tx.untracked++;
		return;
	}
	k = txn_key(m, m->method);
	t = txn_find(tr, &k);
	if (t != NULL && (t->cidrec != cr || t->cseq != m->cseq)) {
		txn_free(tr, t, 0);
		t = NULL;
	}
	if (t == NULL) {
		/* The request was not captured: keep a transaction so the
		 * response's retransmissions are recognised. */
		tr->tx.orphan_responses++;
		t = txn_create(tr, cr, &k);
		track_txn_fill(tr, t, m, ts, dst, src, transport);
		t->flags |= TXN_F_ORPHAN;
	}
	txn_touch(tr, t, ts);
	if (t->method == SIP_METHOD_INVITE)
		track_srd(tr, cr, t, m, ts, src, dst);

	if (t->prov_us == 0 && t->final_code == 0 &&
	    t->method == SIP_METHOD_INVITE && t->hnames != NULL)
		txn_conn_answered(tr, t, ts);
	if (m->status < 200) {
		if (t->prov_us == 0) {
			t->prov_us = ts;
			/* 17.1.1.2: a provisional stops Timer B. */
			if (t->method == SIP_METHOD_INVITE)
				theap_remove(&tr->heap, &t->tm);
		}
		cidrec_response(tr, cr, t, m, ts, src, dst, 0);
		if (t->method == SIP_METHOD_INVITE)
			txn_retrans(tr, t, ts, 0);
		return;
	}
	if (t->final_code == 0) {
		t->final_code = (uint16_t)m->status;
		t->final_us = ts;
		t->final_sends = 1;
		theap_remove(&tr->heap, &t->tm);
		if (t->method == SIP_METHOD_INVITE && m->status >= 300) {
			/* 17.2.1: Timer H, 64*T1 for the ACK. */
			t->flags |= TXN_F_TIMER_H;
			theap_set(&tr->heap, &t->tm, ts + tr->timer64);
		}
		txn_set_class(tr, t, TXN_LRU_DONE);
		tr->tx.completed++;
		track_final(tr, cr, t, m, ts, src, dst);
		cidrec_response(tr, cr, t, m, ts, src, dst, 1);
		peer_final(tr, cr, t, m, ts, src, dst);
		/* After the attack rules: their sources feed their incidents. */
		if (t->method == SIP_METHOD_REGISTER)
			reg_final(tr, cr, t, m, ts);
		else if (t->flags & TXN_F_INITIAL_INVITE)
			rate_outcome(tr, t, m->status, ts);
		txn_retrans(tr, t, ts, 0);
		return;
	}
	first = m->status != t->final_code;
	if (!first) {
		t->final_sends++;
		tr->tx.resp_retransmissions++;
	}
	cidrec_response(tr, cr, t, m, ts, src, dst, first);
}

void
track_message(struct track *tr, const struct sip_msg *m, int64_t ts,
    const struct sw_addr *src, const struct sw_addr *dst, int transport,
    int flags)
{
	track_advance(tr, ts);
	if (tr->first_us == 0)
		tr->first_us = ts;
	if (ts > tr->last_us)
		tr->last_us = ts;
	track_process(tr, m, ts, src, dst, transport, flags);
}

/*
 * Should response M wait for its request (track-reorder.c)?  Yes when no
 * transaction has its key, or earlier responses of that key are waiting.
 */
static int
track_hold(struct track *tr, const struct sip_msg *m, struct tkey *k)
{
	struct txn	*t;

	if (m->status < 100 || m->status > 699)
		return (0);
	*k = txn_key(m, m->method);
	if (reorder_pending(tr, k))
		return (1);
	t = txn_find(tr, k);
	return (t == NULL || t->cseq != m->cseq);
}

void
track_process(struct track *tr, const struct sip_msg *m, int64_t ts,
    const struct sw_addr *src, const struct sw_addr *dst, int transport,
    int flags)
{
	struct cidrec		*cr = NULL;
	struct track_obs	 o;
	struct sw_addr		 src_peer, dst_peer;
	struct tkey		 k;

	track_sdp_done(tr);	/* the SDP read is M's from here */
	if (m->call_id.s != NULL && m->nvia > 0) {
		if (!m->is_request && !(flags & TRACK_F_HELD) &&
		    track_hold(tr, m, &k)) {
			reorder_hold(tr, m, &k, ts, src, dst, transport,
			    flags);
			return;
		}
		cr = cidrec_get(tr, &m->call_id, ts, 1);
		cidrec_touch(tr, cr, ts > tr->now ? ts : tr->now);
	}
	if (cr != NULL)
		txn_peer_spoke(cr, src, dst, ts);
	/* The views see the message before any rule speaks of it. */
	track_obs_init(&o, TRACK_OBS_MESSAGE, ts, cr);
	if (cr == NULL && m->call_id.s != NULL) {
		o.call_id = m->call_id.s;
		o.call_id_len = m->call_id.len;
	}
	o.u.msg.msg = m;
	o.u.msg.src = src;
	o.u.msg.dst = dst;
	ident_message(tr, m, src, dst, &src_peer, &dst_peer);
	o.u.msg.src_peer = &src_peer;
	o.u.msg.dst_peer = &dst_peer;
	o.u.msg.transport = transport;
	o.u.msg.retrans = (flags & TRACK_F_RETRANS) != 0;
	track_publish(tr, &o);
	if (cr == NULL) {
		tr->tx.untracked++;
		return;
	}
	if (flags & DECODE_F_GAP)
		cr->gap = 1;
	if (m->partial)
		cr->partial = 1;
	tr->cur_partial = m->partial;
	if (m->is_request)
		track_request(tr, cr, m, ts, src, dst, transport);
	else
		track_response(tr, cr, m, ts, src, dst, transport);
	tr->cur_partial = 0;
	cm_message(tr, cr, m, ts, src, dst);
	cidrec_classify(tr, cr);
}

/* ------------------------------------------------------------------ */
/* End of capture. */

static int
track_pending_cmp(const void *a, const void *b)
{
	const struct pending	*x = a, *y = b;
	int			 r;

	if (x->deadline != y->deadline)
		return (x->deadline < y->deadline ? -1 : 1);
	if (x->rule != y->rule)
		return (x->rule < y->rule ? -1 : 1);
	r = strcmp(x->call_id, y->call_id);
	return (r);
}

void
track_finish(struct track *tr)
{
	struct ttimer	*tm;
	struct cidrec	*cr, *tmp;
	struct txn	*t;
	unsigned	 i;

	if (tr->finished)
		return;
	reorder_flush(tr);
	tr->finished = 1;
	for (i = 1; i <= tr->heap.n; i++) {
		tm = tr->heap.v[i];
		if (tm->kind == TT_TXN) {
			t = container_of(tm, struct txn, tm);
			if (!(t->flags & TXN_F_TIMER_H))
				track_pending_txn(tr, t);
		} else if (tm->kind == TT_CIDREC)
			cidrec_pending(tr, container_of(tm, struct cidrec, tm));
	}
	/* Requests resent and still unanswered when the capture ends (not
	 * while walking the heap: a verdict queues incident timers). */
	TAILQ_FOREACH(t, &tr->txn_lru[TXN_LRU_OPEN], lru) {
		if (t->flags & TXN_F_RETRANS_DUE)
			txn_retrans(tr, t, tr->last_us, 1);
	}
	incident_finish(tr);
	qsort(tr->pending, tr->npending, sizeof *tr->pending,
	    track_pending_cmp);
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, tr->cidrecs, cr, tmp) {
		cm_close(tr, cr, 1);
		cidrec_close_call(tr, cr);
		call_note_close(tr, cr);	/* into the failed calls */
	}
}
