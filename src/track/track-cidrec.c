/*
 * track-cidrec.c: Call-ID records: the table, the dispatch of each
 * message to the call and REFER code, the deadlines.
 *
 * A record holds everything that shares one Call-ID (RFC 3261 8.1.1.4):
 * its dialogs (tag pairs, RFC 3261 12) and call (track-call.c), its REFER
 * subscriptions (track-refer.c) and its transactions (freed with it).
 *
 * Records live on three LRU lists with their own idle timeouts: "long"
 * while a call is up (a call can be silent for hours), "open" while a call
 * is being set up or a transfer reports progress, "short" otherwise (kept
 * only to recognise retransmissions).  A full table evicts from the short
 * list first, then the open one, then the long one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "track/track-int.h"

#define CIDREC_FREE_KEEP	512

/* ------------------------------------------------------------------ */
/* The table. */

static struct tkey
cidrec_key(const struct sip_str *call_id)
{
	struct thash	h;

	th_init(&h, 0xca11);
	th_str(&h, call_id);
	return (th_final(&h));
}

static void
cidrec_set_class(struct track *tr, struct cidrec *cr, enum cidrec_lru c)
{
	if (cr->lru_class == c)
		return;
	TAILQ_REMOVE(&tr->cidrec_lru[cr->lru_class], cr, lru);
	cr->lru_class = c;
	TAILQ_INSERT_TAIL(&tr->cidrec_lru[c], cr, lru);
}

struct cidrec *
cidrec_get(struct track *tr, const struct sip_str *call_id, int64_t now,
    int create)
{
	struct tkey	 k = cidrec_key(call_id);
	struct cidrec	*cr, *victim;

	HASH_FIND(hh, tr->cidrecs, &k, sizeof k, cr);
	if (cr != NULL || !create)
		return (cr);
	if (tr->ncidrec >= tr->o.max_call_ids) {
		victim = TAILQ_FIRST(&tr->cidrec_lru[CIDREC_LRU_SHORT]);
		if (victim == NULL)
			victim = TAILQ_FIRST(&tr->cidrec_lru[CIDREC_LRU_OPEN]);
		if (victim == NULL)
			victim = TAILQ_FIRST(&tr->cidrec_lru[CIDREC_LRU_LONG]);
		if (victim != NULL)
			cidrec_free(tr, victim, 1);
	}
	if ((cr = tr->cidrec_free_list) != NULL) {
		tr->cidrec_free_list = cr->hh.next;
		tr->ncidrec_free--;
		memset(cr, 0, sizeof *cr);
	} else
		cr = xcalloc(1, sizeof *cr);
	cr->key = k;
	cr->tm.kind = TT_CIDREC;
	TAILQ_INIT(&cr->txns);
	if (call_id->len < sizeof cr->call_id_buf) {
		memcpy(cr->call_id_buf, call_id->s, call_id->len);
		cr->call_id_buf[call_id->len] = '\0';
		cr->call_id = cr->call_id_buf;
	} else
		cr->call_id = xstrndup(call_id->s, call_id->len);
	cr->call_id_len = call_id->len;
	cr->first_us = cr->last_us = now;
	cr->lru_class = CIDREC_LRU_SHORT;
	HASH_ADD(hh, tr->cidrecs, key, sizeof cr->key, cr);
	TAILQ_INSERT_TAIL(&tr->cidrec_lru[CIDREC_LRU_SHORT], cr, lru);
	tr->ncidrec++;
	tr->dl.records++;
	return (cr);
}

/* Put D on the LRU list its state calls for. */
void
cidrec_classify(struct track *tr, struct cidrec *cr)
{
	enum cidrec_lru	 c = CIDREC_LRU_SHORT;
	struct refer	*r;
	int		 i;

	switch (cr->call.state) {
	case TRACK_CALL_ANSWERED:
		c = CIDREC_LRU_LONG;
		break;
	case TRACK_CALL_TRYING:
	case TRACK_CALL_EARLY:
		c = CIDREC_LRU_OPEN;
		break;
	default:
		break;
	}
	for (i = 0; c == CIDREC_LRU_SHORT && cr->refers != NULL &&
	    i < CIDREC_REFERS; i++) {
		r = &cr->refers[i];
		if (r->used && r->state == REFER_ACCEPTED && !r->terminated &&
		    !r->norefersub)
			c = CIDREC_LRU_OPEN;
	}
	cidrec_set_class(tr, cr, c);
}

void
cidrec_touch(struct track *tr, struct cidrec *cr, int64_t now)
{
	cr->last_us = now;
	TAILQ_REMOVE(&tr->cidrec_lru[cr->lru_class], cr, lru);
	TAILQ_INSERT_TAIL(&tr->cidrec_lru[cr->lru_class], cr, lru);
}

/* Count the call of D in the report, once. */
void
cidrec_close_call(struct track *tr, struct cidrec *cr)
{
	struct call	*c = &cr->call;

	if (c->state == CALL_NONE || c->counted)
		return;
	c->counted = 1;
	if (c->cancelled && c->answer_us == 0) {
		tr->calls.cancelled++;
		c->ended_by = TRACK_END_CANCEL;
	}
	if (c->final_code >= 100 && c->final_code < 700)
		tr->calls.final_codes[c->final_code]++;
	if (c->answer_us == 0 && c->final_code >= 300)
		tr->calls.failed++;
	if (c->answer_us == 0 && c->final_code >= 300 &&
	    c->ended_by == TRACK_END_NONE)
		c->ended_by = TRACK_END_REJECTED;
	if (tr->finished && (c->state == TRACK_CALL_TRYING ||
	    c->state == TRACK_CALL_EARLY || c->state == TRACK_CALL_ANSWERED))
		tr->calls.active++;
	tr->calls.ended_by[c->ended_by]++;
	if (c->answer_us != 0 && c->end_us >= c->answer_us)
		hist_add(&tr->calls.duration,
		    (c->end_us - c->answer_us) / 1000000);
}

void
cidrec_free(struct track *tr, struct cidrec *cr, int evicted)
{
	struct txn	*t;
	struct track_obs	 o;
	int		 i;

	if (evicted) {
		tr->dl.evicted++;
		if (cr->tm.idx != 0)
			tr->dl.evicted_pending++;
	}
	track_obs_init(&o, TRACK_OBS_RELEASE, tr->now, cr);
	o.u.release.evicted = evicted;
	track_publish(tr, &o);
	while ((t = TAILQ_FIRST(&cr->txns)) != NULL)
		txn_free(tr, t, evicted);
	cm_close(tr, cr, 0);
	cidrec_close_call(tr, cr);
	call_note_close(tr, cr);
	free(cr->call.ack_contact);
	if (cr->info != NULL) {
		free(cr->info->offer);
		free(cr->info->media);
		free(cr->info->event);
		free(cr->info->aor);
		free(cr->info);
	}
	if (cr->refers != NULL) {
		for (i = 0; i < CIDREC_REFERS; i++)
			free(cr->refers[i].refer_to);
		free(cr->refers);
	}
	if (cr->call_id != cr->call_id_buf)
		free(cr->call_id);
	theap_remove(&tr->heap, &cr->tm);
	HASH_DELETE(hh, tr->cidrecs, cr);
	TAILQ_REMOVE(&tr->cidrec_lru[cr->lru_class], cr, lru);
	tr->ncidrec--;
	if (tr->ncidrec_free < CIDREC_FREE_KEEP) {
		cr->hh.next = tr->cidrec_free_list;
		tr->cidrec_free_list = cr;
		tr->ncidrec_free++;
	} else
		free(cr);
}

void
cidrec_expire(struct track *tr, int64_t now)
{
	struct cidrec	*cr;
	int		 c;

	for (c = 0; c < CIDREC_LRU_COUNT; c++) {
		while ((cr = TAILQ_FIRST(&tr->cidrec_lru[c])) != NULL &&
		    cr->last_us + tr->cidrec_idle[c] < now) {
			tr->dl.expired++;
			cidrec_free(tr, cr, 0);
		}
	}
}

/* Queue D's earliest deadline, or take it off the heap if none. */
void
cidrec_rearm(struct track *tr, struct cidrec *cr)
{
	int64_t	 when = 0;
	int	 i;

	if (cr->call.ack_pending)
		when = cr->call.ack_deadline;
	if (cm_deadline(cr) != 0 && (when == 0 || cm_deadline(cr) < when))
		when = cm_deadline(cr);
	for (i = 0; cr->refers != NULL && i < CIDREC_REFERS; i++) {
		if (cr->refers[i].used && cr->refers[i].deadline != 0 &&
		    (when == 0 || cr->refers[i].deadline < when))
			when = cr->refers[i].deadline;
	}
	if (when == 0)
		theap_remove(&tr->heap, &cr->tm);
	else if (cr->tm.idx == 0 || cr->tm.deadline != when)
		theap_set(&tr->heap, &cr->tm, when);
}

struct cidinfo *
cidrec_info(struct cidrec *cr)
{
	if (cr->info == NULL)
		cr->info = xcalloc(1, sizeof *cr->info);
	return (cr->info);
}

void
cidinfo_set(char **dst, const char *s, size_t len)
{
	free(*dst);
	*dst = NULL;
	if (s == NULL)
		return;
	if (len > CIDINFO_MAX)
		len = CIDINFO_MAX;
	*dst = xstrndup(s, len);
}

/* ------------------------------------------------------------------ */
/* Messages. */

void
cidrec_request(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct call	*c = &cr->call;

	switch (m->method) {
	case SIP_METHOD_INVITE:
		if (m->to.tag.s == NULL)
			call_invite(tr, cr, t, m, ts);
		media_request(tr, cr, m);
		break;
	case SIP_METHOD_UPDATE:
		media_request(tr, cr, m);
		break;
	case SIP_METHOD_REGISTER:
		reg_request(tr, cr, m);
		break;
	case SIP_METHOD_SUBSCRIBE:
		sub_request(tr, cr, t, m);
		break;
	case SIP_METHOD_BYE:
		call_bye(tr, cr, m, ts);
		break;
	case SIP_METHOD_CANCEL:
		if (c->state == TRACK_CALL_TRYING || c->state == TRACK_CALL_EARLY)
			c->cancelled = 1;
		break;
	case SIP_METHOD_REFER:
		refer_request(tr, cr, m, ts, src, dst);
		break;
	case SIP_METHOD_NOTIFY:
		sub_request(tr, cr, t, m);
		if (m->event.s != NULL && sip_str_eq(&m->event, "refer"))
			refer_notify(tr, cr, m, ts, src, dst);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Deadlines. */

void
cidrec_timer(struct track *tr, struct cidrec *cr)
{
	int	i;

	int64_t	now = cr->tm.deadline;

	if (tr->unjudged) {
		/* The capture's clock stepped over these deadlines. */
		cr->call.ack_pending = 0;
		free(cr->call.ack_contact);
		cr->call.ack_contact = NULL;
		for (i = 0; cr->refers != NULL && i < CIDREC_REFERS; i++)
			cr->refers[i].deadline = 0;
		cidrec_rearm(tr, cr);
		return;
	}
	call_timer(tr, cr, now);
	refer_timer(tr, cr, now);
	cm_timer(tr, cr, now);
	cidrec_rearm(tr, cr);
}

static void
cidrec_add_pending(struct track *tr, enum rule_id rule, int64_t deadline,
    const struct cidrec *cr)
{
	struct pending	*p;

	tr->pending_total++;
	tr->pending_by_rule[rule]++;
	if (tr->npending >= PENDING_KEEP)
		return;
	p = &tr->pending[tr->npending++];
	p->rule = (uint8_t)rule;
	p->deadline = deadline;
	p->call_id = xstrndup(cr->call_id, cr->call_id_len);
}

/* At the end of the capture: D's deadlines that were not reached. */
void
cidrec_pending(struct track *tr, struct cidrec *cr)
{
	int	i;

	if (cr->call.ack_pending)
		cidrec_add_pending(tr, RULE_ACK_MISSING, cr->call.ack_deadline, cr);
	for (i = 0; cr->refers != NULL && i < CIDREC_REFERS; i++) {
		if (cr->refers[i].used && cr->refers[i].deadline != 0)
			cidrec_add_pending(tr, RULE_REFER_NO_NOTIFY,
			    cr->refers[i].deadline, cr);
	}
}

/* A transaction timer that was not reached (track_finish()). */
void
track_pending_txn(struct track *tr, struct txn *t)
{
	cidrec_add_pending(tr, t->method == SIP_METHOD_INVITE ?
	    RULE_INVITE_TIMEOUT : RULE_NON_INVITE_TIMEOUT, t->tm.deadline,
	    t->cidrec);
}
