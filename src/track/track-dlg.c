/*
 * track-dlg.c: Call-ID records: dialogs, calls, REFER subscriptions, and
 * the rules that read them.
 *
 * A record holds everything that shares one Call-ID (RFC 3261 8.1.1.4):
 *
 * - dialogs, each identified by its tag pair (12, 12.1): a 101-199 with
 *   a To-tag makes an early dialog, a 2xx a confirmed one (13.2.2.4), a
 *   BYE ends it (15); forks make several;
 * - the call: the INVITE without To-tag and everything it leads to,
 *   whatever the hop (both sides of a proxy share Call-ID and From-tag):
 *   post-dial delay (first INVITE to first 101-199), setup time (to the
 *   first 2xx), answer, final code, duration and who sent the BYE; the
 *   2xx/ACK rule of 13.3.1.4 for every INVITE of the dialog;
 * - REFER subscriptions (RFC 3515 2.4.4): accepted with 200 or 202 (RFC
 *   7647 5: the same), matched to NOTIFYs with Event: refer whose To-tag
 *   is the REFER's From-tag (RFC 6665 4.4.1) and whose id, if any, is the
 *   REFER's CSeq number (RFC 3515 2.4.6); the message/sipfrag status line
 *   of each NOTIFY (RFC 3420) gives the transfer's progress and outcome;
 * - the transactions of that Call-ID (freed with the record).
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

#define DLG_FREE_KEEP	512

/* ------------------------------------------------------------------ */
/* The table. */

static struct tkey
dlg_key(const struct sip_str *call_id)
{
	struct thash	h;

	th_init(&h, 0xca11);
	th_str(&h, call_id);
	return (th_final(&h));
}

static void
dlg_set_class(struct track *tr, struct dlg *d, enum dlg_lru c)
{
	if (d->lru_class == c)
		return;
	TAILQ_REMOVE(&tr->dlg_lru[d->lru_class], d, lru);
	d->lru_class = c;
	TAILQ_INSERT_TAIL(&tr->dlg_lru[c], d, lru);
}

struct dlg *
dlg_get(struct track *tr, const struct sip_str *call_id, int64_t now,
    int create)
{
	struct tkey	 k = dlg_key(call_id);
	struct dlg	*d, *victim;

	HASH_FIND(hh, tr->dlgs, &k, sizeof k, d);
	if (d != NULL || !create)
		return (d);
	if (tr->ndlg >= tr->o.max_dialogs) {
		victim = TAILQ_FIRST(&tr->dlg_lru[DLG_LRU_SHORT]);
		if (victim == NULL)
			victim = TAILQ_FIRST(&tr->dlg_lru[DLG_LRU_OPEN]);
		if (victim == NULL)
			victim = TAILQ_FIRST(&tr->dlg_lru[DLG_LRU_LONG]);
		if (victim != NULL)
			dlg_free(tr, victim, 1);
	}
	if ((d = tr->dlg_free) != NULL) {
		tr->dlg_free = d->hh.next;
		tr->ndlg_free--;
		memset(d, 0, sizeof *d);
	} else
		d = xcalloc(1, sizeof *d);
	d->key = k;
	d->tm.kind = TT_DLG;
	TAILQ_INIT(&d->txns);
	if (call_id->len < sizeof d->call_id_buf) {
		memcpy(d->call_id_buf, call_id->s, call_id->len);
		d->call_id_buf[call_id->len] = '\0';
		d->call_id = d->call_id_buf;
	} else
		d->call_id = xstrndup(call_id->s, call_id->len);
	d->call_id_len = call_id->len;
	d->first_us = d->last_us = now;
	d->lru_class = DLG_LRU_SHORT;
	HASH_ADD(hh, tr->dlgs, key, sizeof d->key, d);
	TAILQ_INSERT_TAIL(&tr->dlg_lru[DLG_LRU_SHORT], d, lru);
	tr->ndlg++;
	tr->dl.records++;
	return (d);
}

/* Put D on the LRU list its state calls for. */
void
dlg_classify(struct track *tr, struct dlg *d)
{
	enum dlg_lru	 c = DLG_LRU_SHORT;
	struct refer	*r;
	int		 i;

	switch (d->call.state) {
	case CALL_ANSWERED:
		c = DLG_LRU_LONG;
		break;
	case CALL_TRYING:
	case CALL_EARLY:
		c = DLG_LRU_OPEN;
		break;
	default:
		break;
	}
	for (i = 0; c == DLG_LRU_SHORT && d->refers != NULL &&
	    i < DLG_REFERS; i++) {
		r = &d->refers[i];
		if (r->used && r->state == REFER_ACCEPTED && !r->terminated &&
		    !r->norefersub)
			c = DLG_LRU_OPEN;
	}
	dlg_set_class(tr, d, c);
}

void
dlg_touch(struct track *tr, struct dlg *d, int64_t now)
{
	d->last_us = now;
	TAILQ_REMOVE(&tr->dlg_lru[d->lru_class], d, lru);
	TAILQ_INSERT_TAIL(&tr->dlg_lru[d->lru_class], d, lru);
}

/* Count the call of D in the report, once. */
void
dlg_close_call(struct track *tr, struct dlg *d)
{
	struct call	*c = &d->call;

	if (c->state == CALL_NONE || c->counted)
		return;
	c->counted = 1;
	if (c->cancelled && c->answer_us == 0) {
		tr->calls.cancelled++;
		c->ended_by = CALL_END_CANCEL;
	}
	if (c->final_code >= 100 && c->final_code < 700)
		tr->calls.final_codes[c->final_code]++;
	if (c->answer_us == 0 && c->final_code >= 300)
		tr->calls.failed++;
	if (c->answer_us == 0 && c->final_code >= 300 &&
	    c->ended_by == CALL_END_NONE)
		c->ended_by = CALL_END_REJECTED;
	if (tr->finished && (c->state == CALL_TRYING ||
	    c->state == CALL_EARLY || c->state == CALL_ANSWERED))
		tr->calls.active++;
	tr->calls.ended_by[c->ended_by]++;
	if (c->answer_us != 0 && c->end_us >= c->answer_us)
		hist_add(&tr->calls.duration,
		    (c->end_us - c->answer_us) / 1000000);
}

void
dlg_free(struct track *tr, struct dlg *d, int evicted)
{
	struct txn	*t;
	int		 i;

	if (evicted) {
		tr->dl.evicted++;
		if (d->tm.idx != 0)
			tr->dl.evicted_pending++;
	}
	if (tr->hooks.release != NULL)
		tr->hooks.release(d->call_id, d->call_id_len, evicted,
		    tr->hooks.arg);
	while ((t = TAILQ_FIRST(&d->txns)) != NULL)
		txn_free(tr, t, evicted);
	dlg_close_call(tr, d);
	free(d->call.ack_contact);
	if (d->refers != NULL) {
		for (i = 0; i < DLG_REFERS; i++)
			free(d->refers[i].refer_to);
		free(d->refers);
	}
	if (d->call_id != d->call_id_buf)
		free(d->call_id);
	theap_remove(&tr->heap, &d->tm);
	HASH_DELETE(hh, tr->dlgs, d);
	TAILQ_REMOVE(&tr->dlg_lru[d->lru_class], d, lru);
	tr->ndlg--;
	if (tr->ndlg_free < DLG_FREE_KEEP) {
		d->hh.next = tr->dlg_free;
		tr->dlg_free = d;
		tr->ndlg_free++;
	} else
		free(d);
}

void
dlg_expire(struct track *tr, int64_t now)
{
	struct dlg	*d;
	int		 c;

	for (c = 0; c < DLG_LRU_COUNT; c++) {
		while ((d = TAILQ_FIRST(&tr->dlg_lru[c])) != NULL &&
		    d->last_us + tr->dlg_idle[c] < now) {
			tr->dl.expired++;
			dlg_free(tr, d, 0);
		}
	}
}

/* Queue D's earliest deadline, or take it off the heap if none. */
void
dlg_rearm(struct track *tr, struct dlg *d)
{
	int64_t	 when = 0;
	int	 i;

	if (d->call.ack_pending)
		when = d->call.ack_deadline;
	for (i = 0; d->refers != NULL && i < DLG_REFERS; i++) {
		if (d->refers[i].used && d->refers[i].deadline != 0 &&
		    (when == 0 || d->refers[i].deadline < when))
			when = d->refers[i].deadline;
	}
	if (when == 0)
		theap_remove(&tr->heap, &d->tm);
	else if (d->tm.idx == 0 || d->tm.deadline != when)
		theap_set(&tr->heap, &d->tm, when);
}

/* ------------------------------------------------------------------ */
/* Dialogs. */

static uint64_t
dlg_tags(const struct sip_msg *m)
{
	uint64_t	a = track_hash_str(&m->from.tag);
	uint64_t	b = track_hash_str(&m->to.tag);
	struct thash	h;

	th_init(&h, 0x7a65);
	th_u64(&h, a < b ? a : b);
	th_u64(&h, a < b ? b : a);
	return (th_final64(&h));
}

/* Move the dialog of M's tags to STATE (never backwards), creating it. */
static void
dlg_leg(struct track *tr, struct dlg *d, const struct sip_msg *m,
    enum leg_state state)
{
	uint64_t	 tags;
	struct dleg	*l = NULL;
	unsigned	 i;

	if (m->to.tag.s == NULL || m->from.tag.s == NULL)
		return;
	tags = dlg_tags(m);
	for (i = 0; i < d->nlegs; i++) {
		if (d->legs[i].tags == tags) {
			l = &d->legs[i];
			break;
		}
	}
	if (l == NULL) {
		if (state == LEG_TERMINATED)
			return;
		if (d->nlegs == DLG_LEGS) {
			tr->dl.forks_dropped++;
			return;
		}
		l = &d->legs[d->nlegs++];
		l->tags = tags;
		l->state = 0;
		tr->dl.dialogs++;
		if (state == LEG_EARLY)
			tr->dl.early++;
	}
	if (state <= l->state)
		return;
	if (state == LEG_CONFIRMED)
		tr->dl.confirmed++;
	else if (state == LEG_TERMINATED)
		tr->dl.terminated++;
	l->state = state;
}

/* ------------------------------------------------------------------ */
/* Calls. */

static void
call_start(struct track *tr, struct dlg *d, uint64_t caller_tag, int64_t ts)
{
	struct call	*c = &d->call;

	dlg_close_call(tr, d);
	free(c->ack_contact);
	memset(c, 0, sizeof *c);
	c->state = CALL_TRYING;
	c->caller_tag = caller_tag;
	c->invite_us = ts;
	tr->calls.attempts++;
	dlg_rearm(tr, d);
}

static void
call_tried(struct call *c, uint64_t h)
{
	unsigned	i;

	if (h == 0)
		return;
	for (i = 0; i < c->ntried; i++) {
		if (c->tried[i] == h)
			return;
	}
	if (c->ntried < DLG_TRIED)
		c->tried[c->ntried++] = h;
}

static int
call_was_tried(const struct call *c, uint64_t h)
{
	unsigned	i;

	for (i = 0; i < c->ntried; i++) {
		if (c->tried[i] == h)
			return (1);
	}
	return (0);
}

static void
call_invite(struct track *tr, struct dlg *d, struct txn *t,
    const struct sip_msg *m, int64_t ts)
{
	struct call	*c = &d->call;
	uint64_t	 tag = track_hash_str(&m->from.tag);

	t->flags |= TXN_F_INITIAL_INVITE;
	if (c->state == CALL_NONE || c->caller_tag != tag ||
	    c->state == CALL_ENDED)
		call_start(tr, d, tag, ts);
	else if (c->state == CALL_FAILED) {
		/* A new attempt of the same call: credentials, redirect. */
		c->state = CALL_TRYING;
		c->ended_by = CALL_END_NONE;
	}
	call_tried(c, t->ruri_h);
}

static void
call_bye(struct track *tr, struct dlg *d, const struct sip_msg *m,
    int64_t ts)
{
	struct call	*c = &d->call;
	int		 callee;

	if (c->state != CALL_ANSWERED)
		return;
	callee = track_hash_str(&m->from.tag) != c->caller_tag;
	c->state = CALL_ENDED;
	c->end_us = ts;
	c->ended_by = callee ? CALL_END_CALLEE : CALL_END_CALLER;
	if (c->ack_pending && callee)
		c->ack_callee_bye = 1;
}

/* The 2xx/ACK rule (RFC 3261 13.3.1.4): a 2xx to INVITE was sent. */
static void
call_2xx(struct track *tr, struct dlg *d, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct call	*c = &d->call;
	uint16_t	 sends = t != NULL ? t->final_sends : 1;

	if (c->ack_pending && c->ack_cseq == m->cseq) {
		if (sends > c->ack_2xx_sends)
			c->ack_2xx_sends = sends;
		return;
	}
	if (c->ack_cseq == m->cseq && c->ack_deadline != 0 &&
	    ts < c->ack_deadline)
		return;		/* already ACKed: another hop or fork */
	c->ack_pending = 1;
	c->ack_callee_bye = 0;
	c->ack_cseq = m->cseq;
	c->ack_code = m->status;
	c->ack_deadline = ts + tr->timer64;
	c->ack_2xx_sends = sends;
	c->ack_src = *src;
	c->ack_dst = *dst;
	free(c->ack_contact);
	c->ack_contact = m->contact.uri.s != NULL ?
	    xstrndup(m->contact.uri.s, m->contact.uri.len) : NULL;
	dlg_rearm(tr, d);
}

void
dlg_ack(struct track *tr, struct dlg *d, const struct sip_msg *m, int64_t ts)
{
	struct call	*c = &d->call;

	if (c->ack_deadline == 0 || c->ack_cseq != m->cseq) {
		/* No 2xx seen for this CSeq (or it was not captured). */
		tr->tx.acks_unmatched++;
		return;
	}
	tr->tx.acks_2xx++;
	if (!c->ack_pending)
		return;		/* the same ACK at another hop, or resent */
	c->ack_pending = 0;
	free(c->ack_contact);
	c->ack_contact = NULL;
	dlg_rearm(tr, d);
}

/* ------------------------------------------------------------------ */
/* REFER. */

static struct refer *
refer_find(struct dlg *d, uint64_t tag, uint32_t cseq, int any_cseq)
{
	struct refer	*r, *best = NULL;
	int		 i;

	for (i = 0; d->refers != NULL && i < DLG_REFERS; i++) {
		r = &d->refers[i];
		if (!r->used || r->referrer_tag != tag)
			continue;
		if (!any_cseq && r->cseq != cseq)
			continue;
		if (best == NULL || r->sent_us > best->sent_us)
			best = r;
	}
	return (best);
}

static struct refer *
refer_new(struct track *tr, struct dlg *d, uint64_t tag, uint32_t cseq,
    int64_t ts)
{
	struct refer	*r = NULL;
	int		 i;

	if (d->refers == NULL)
		d->refers = xcalloc(DLG_REFERS, sizeof *d->refers);
	for (i = 0; i < DLG_REFERS; i++) {
		if (!d->refers[i].used) {
			r = &d->refers[i];
			break;
		}
	}
	if (r == NULL) {
		/* Reuse the oldest. */
		r = &d->refers[0];
		for (i = 1; i < DLG_REFERS; i++) {
			if (d->refers[i].sent_us < r->sent_us)
				r = &d->refers[i];
		}
		tr->xfer.dropped++;
		free(r->refer_to);
	}
	memset(r, 0, sizeof *r);
	r->used = 1;
	r->state = REFER_SENT;
	r->referrer_tag = tag;
	r->cseq = cseq;
	r->sent_us = ts;
	return (r);
}

static void
refer_request(struct track *tr, struct dlg *d, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst)
{
	uint64_t	 tag = track_hash_str(&m->from.tag);
	struct refer	*r;

	if (refer_find(d, tag, m->cseq, 0) != NULL)
		return;		/* the same REFER at another hop */
	tr->xfer.refers++;
	r = refer_new(tr, d, tag, m->cseq, ts);
	r->src = *src;
	r->dst = *dst;
	if (m->refer_to.uri.s != NULL)
		r->refer_to = xstrndup(m->refer_to.uri.s, m->refer_to.uri.len);
}

static void
refer_response(struct track *tr, struct dlg *d, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst)
{
	uint64_t	 tag = track_hash_str(&m->from.tag);
	struct refer	*r;
	struct rule_ctx	 c;
	char		 sub[16];

	if (m->status < 200)
		return;
	if ((r = refer_find(d, tag, m->cseq, 0)) == NULL) {
		/* The REFER itself was not captured. */
		tr->xfer.refers++;
		r = refer_new(tr, d, tag, m->cseq, ts);
		r->src = *dst;
		r->dst = *src;
	}
	if (r->state != REFER_SENT)
		return;
	if (m->status < 300) {
		r->state = REFER_ACCEPTED;
		r->accepted_us = ts;
		r->accept_code = m->status;
		r->acc_src = *src;
		r->acc_dst = *dst;
		tr->xfer.accepted++;
		if (m->status == 202)
			tr->xfer.accepted_202++;
		if (track_raw_header(m, "Refer-Sub", sub, sizeof sub) &&
		    strcasecmp(sub, "false") == 0) {
			r->norefersub = 1;
			tr->xfer.norefersub++;
		} else if (r->notify_us == 0) {
			r->deadline = ts + tr->timer64;
			dlg_rearm(tr, d);
		}
		return;
	}
	if (m->status == 401 || m->status == 407)
		return;		/* a challenge: the REFER comes again */
	r->state = REFER_REJECTED;
	tr->xfer.rejected++;
	if (r->fired)
		return;
	r->fired = 1;
	track_ctx_init(&c, RULE_REFER_REJECTED, ts, d);
	c.src = &r->src;
	c.dst = &r->dst;
	c.method = "REFER";
	c.code = m->status;
	c.kb_code = m->status;
	c.reason = m->reason.s;
	c.warning = m->warning.s;
	c.contact = r->refer_to;
	track_raise(tr, &c);
}

static long
refer_event_id(const struct sip_msg *m)
{
	long	 v = 0;
	size_t	 i;

	if (m->event_id.s == NULL)
		return (0);
	for (i = 0; i < m->event_id.len && i < 10; i++) {
		if (m->event_id.s[i] < '0' || m->event_id.s[i] > '9')
			return (0);
		v = v * 10 + (m->event_id.s[i] - '0');
	}
	return (v);
}

static void
refer_notify(struct track *tr, struct dlg *d, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst)
{
	uint64_t	 tag = track_hash_str(&m->to.tag);
	long		 id = refer_event_id(m);
	struct refer	*r;
	struct rule_ctx	 c;
	char		 reason[128];
	int		 code;

	r = refer_find(d, tag, (uint32_t)id, id == 0);
	if (r == NULL && id != 0)
		r = refer_find(d, tag, 0, 1);
	if (r == NULL) {
		/*
		 * RFC 6665 4.4.1 says the NOTIFY's To-tag is the REFER's
		 * From-tag; some senders copy the REFER's From and To
		 * unchanged.  Accept the dialog's tags either way round.
		 */
		tag = track_hash_str(&m->from.tag);
		if ((r = refer_find(d, tag, (uint32_t)id, id == 0)) == NULL)
			r = refer_find(d, tag, 0, 1);
		if (r != NULL)
			tr->xfer.notifies_reversed++;
	}
	if (r == NULL) {
		tr->xfer.notifies_unmatched++;
		r = refer_new(tr, d, tag, (uint32_t)id, ts);
		r->state = REFER_ACCEPTED;
		r->src = *dst;
		r->dst = *src;
	}
	tr->xfer.notifies++;
	if (r->notify_us == 0) {
		r->notify_us = ts;
		if (r->deadline != 0) {
			r->deadline = 0;
			dlg_rearm(tr, d);
		}
	}
	if (m->sub_state.s != NULL && sip_str_eq(&m->sub_state, "terminated"))
		r->terminated = 1;
	code = track_sipfrag_status(m->body, m->body_len, reason,
	    sizeof reason);
	if (code == 0)
		return;
	r->frag_code = code;
	if (code < 200 || r->fired)
		return;
	r->fired = 1;
	if (code < 300) {
		tr->xfer.succeeded++;
		return;
	}
	tr->xfer.failed++;
	track_ctx_init(&c, RULE_TRANSFER_FAILED, ts, d);
	c.src = src;
	c.dst = dst;
	c.method = "NOTIFY";
	c.code = code;
	c.kb_code = code;
	c.reason = reason;
	c.contact = r->refer_to;
	track_raise(tr, &c);
}

/* ------------------------------------------------------------------ */
/* Messages. */

void
dlg_request(struct track *tr, struct dlg *d, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct call	*c = &d->call;

	switch (m->method) {
	case SIP_METHOD_INVITE:
		if (m->to.tag.s == NULL)
			call_invite(tr, d, t, m, ts);
		break;
	case SIP_METHOD_BYE:
		call_bye(tr, d, m, ts);
		break;
	case SIP_METHOD_CANCEL:
		if (c->state == CALL_TRYING || c->state == CALL_EARLY)
			c->cancelled = 1;
		break;
	case SIP_METHOD_REFER:
		refer_request(tr, d, m, ts, src, dst);
		break;
	case SIP_METHOD_NOTIFY:
		if (m->event.s != NULL && sip_str_eq(&m->event, "refer"))
			refer_notify(tr, d, m, ts, src, dst);
		break;
	default:
		break;
	}
}

/* 3xx to INVITE: does the Contact lead back (RFC 3261 8.1.3.4)? */
static void
call_redirect(struct track *tr, struct dlg *d, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct call	*c = &d->call;
	struct rule_ctx	 ctx;
	uint64_t	 h;
	int		 self;

	if (m->contact.uri.s == NULL)
		return;
	h = track_hash_uri(m->contact.uri.s, m->contact.uri.len);
	if (h == 0)
		return;
	self = t != NULL && h == t->ruri_h;
	if (self || call_was_tried(c, h)) {
		/* One alert per call: each later 3xx repeats the loop. */
		if (c->redirect_fired)
			return;
		c->redirect_fired = 1;
		track_ctx_init(&ctx, RULE_REDIRECT_LOOP, ts, d);
		ctx.src = src;
		ctx.dst = dst;
		ctx.method = "INVITE";
		ctx.code = m->status;
		ctx.kb_code = m->status;
		ctx.contact = m->contact.uri.s;
		ctx.n = c->ntried;
		if (self)
			ctx.flags |= RULE_F_SELF;
		track_raise(tr, &ctx);
		return;
	}
	call_tried(c, h);
}

/* A final response of 300 or more: the response-level rules. */
static void
dlg_failure(struct track *tr, struct dlg *d, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct rule_ctx	 c;
	struct txn	*h;
	char		 peer[SW_ADDRSTRLEN];

	if (m->status == 482 || m->status == 483) {
		if (track_fired(d, RULE_LOOP_DETECTED, m->cseq, m->method))
			return;
		track_ctx_init(&c, RULE_LOOP_DETECTED, ts, d);
		c.src = src;
		c.dst = dst;
		c.method = sip_method_name(m->method);
		if (m->method == SIP_METHOD_OTHER && m->cseq_method_name.s)
			c.method = m->cseq_method_name.s;
		c.code = m->status;
		c.kb_code = m->status;
		c.reason = m->reason.s;
		track_raise(tr, &c);
	} else if (m->status == 502) {
		if (track_fired(d, RULE_BAD_GATEWAY, m->cseq, m->method))
			return;
		track_ctx_init(&c, RULE_BAD_GATEWAY, ts, d);
		c.src = src;
		c.dst = dst;
		c.method = sip_method_name(m->method);
		if (m->method == SIP_METHOD_OTHER && m->cseq_method_name.s)
			c.method = m->cseq_method_name.s;
		c.code = 502;
		c.reason = m->reason.s;
		c.server = m->server.s != NULL ? m->server.s :
		    m->user_agent.s;
		c.warning = m->warning.s;
		c.reason_hdr = m->reason_hdr.s;
		if (t != NULL && (t->flags & TXN_F_IN_DIALOG))
			c.flags |= RULE_F_IN_DIALOG;
		/*
		 * Where did the element that sent the 502 forward the
		 * request?  Its own client transaction for the same CSeq.
		 */
		TAILQ_FOREACH(h, &d->txns, dlg_entry) {
			if (h->cseq == m->cseq && h->method == m->method &&
			    !(h->flags & TXN_F_ORPHAN) &&
			    sw_addr_cmp(&h->client, src) == 0) {
				c.peer = sw_addr_format(&h->server, peer,
				    sizeof peer);
				break;
			}
		}
		track_raise(tr, &c);
	}
}

void
dlg_response(struct track *tr, struct dlg *d, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst, int first_final)
{
	struct call	*c = &d->call;
	struct rule_ctx	 ctx;
	int		 initial, code = m->status;

	if (code >= 200 && !first_final) {
		/* A retransmitted final: only the 2xx/ACK rule cares. */
		if (m->method == SIP_METHOD_INVITE && code < 300 && t != NULL &&
		    c->ack_pending && c->ack_cseq == m->cseq &&
		    t->final_sends > c->ack_2xx_sends)
			c->ack_2xx_sends = t->final_sends;
		return;
	}
	if (m->method == SIP_METHOD_REFER)
		refer_response(tr, d, m, ts, src, dst);
	if (code >= 300)
		dlg_failure(tr, d, t, m, ts, src, dst);

	if (m->method == SIP_METHOD_SUBSCRIBE || m->method == SIP_METHOD_REFER) {
		if (code >= 200 && code < 300)
			dlg_leg(tr, d, m, LEG_CONFIRMED);
		return;
	}
	if (m->method == SIP_METHOD_BYE) {
		if (code >= 200 && code < 300)
			dlg_leg(tr, d, m, LEG_TERMINATED);
		return;
	}
	if (m->method != SIP_METHOD_INVITE)
		return;

	if (t != NULL && !(t->flags & TXN_F_ORPHAN))
		initial = (t->flags & TXN_F_INITIAL_INVITE) != 0;
	else
		initial = c->state != CALL_NONE && c->answer_us == 0 &&
		    track_hash_str(&m->from.tag) == c->caller_tag;
	if (code > 100 && code < 200)
		dlg_leg(tr, d, m, LEG_EARLY);
	else if (code >= 200 && code < 300)
		dlg_leg(tr, d, m, LEG_CONFIRMED);
	if (code >= 200 && code < 300)
		call_2xx(tr, d, t, m, ts, src, dst);
	if (!initial || c->state == CALL_NONE)
		return;

	if (code < 200) {
		if (code > 100 && c->pdd_us == 0) {
			c->pdd_us = ts;
			hist_add(&tr->calls.pdd, (ts - c->invite_us) / 1000);
		}
		if (c->state == CALL_TRYING)
			c->state = CALL_EARLY;
		return;
	}
	c->final_code = code;
	c->final_us = ts;
	if (code < 300) {
		if (c->answer_us == 0) {
			c->answer_us = ts;
			c->state = CALL_ANSWERED;
			c->ended_by = CALL_END_NONE;
			tr->calls.answered++;
			hist_add(&tr->calls.setup, (ts - c->invite_us) / 1000);
		}
		return;
	}
	if (c->answer_us != 0)
		return;
	c->state = CALL_FAILED;
	if (code < 400)
		call_redirect(tr, d, t, m, ts, src, dst);
	if (code >= 600 && !c->global_fired) {
		c->global_fired = 1;
		track_ctx_init(&ctx, RULE_GLOBAL_FAILURE, ts, d);
		ctx.src = src;
		ctx.dst = dst;
		ctx.method = "INVITE";
		ctx.code = code;
		ctx.kb_code = code;
		ctx.reason = m->reason.s;
		ctx.warning = m->warning.s;
		ctx.retry_after = m->retry_after;
		track_raise(tr, &ctx);
	}
}

/* ------------------------------------------------------------------ */
/* Deadlines. */

void
dlg_timer(struct track *tr, struct dlg *d)
{
	int64_t		 now = d->tm.deadline;
	struct call	*c = &d->call;
	struct refer	*r;
	struct rule_ctx	 ctx;
	int		 i;

	if (c->ack_pending && c->ack_deadline <= now) {
		c->ack_pending = 0;
		if (c->ack_2xx_sends < 2 && !c->ack_callee_bye) {
			/*
			 * The 2xx went out once and the callee did not
			 * repeat it: the ACK reached it by a path this
			 * capture does not see.
			 */
			tr->calls.ack_unobserved++;
		} else if (!track_fired(d, RULE_ACK_MISSING, c->ack_cseq,
		    SIP_METHOD_INVITE)) {
			track_ctx_init(&ctx, RULE_ACK_MISSING, c->ack_deadline,
			    d);
			ctx.src = &c->ack_src;
			ctx.dst = &c->ack_dst;
			ctx.method = "INVITE";
			ctx.code = c->ack_code;
			ctx.n = c->ack_2xx_sends;
			ctx.window_us = tr->timer64;
			ctx.contact = c->ack_contact;
			if (c->ack_callee_bye)
				ctx.flags |= RULE_F_CALLEE_BYE;
			track_raise(tr, &ctx);
		}
		free(c->ack_contact);
		c->ack_contact = NULL;
	}
	for (i = 0; d->refers != NULL && i < DLG_REFERS; i++) {
		r = &d->refers[i];
		if (!r->used || r->deadline == 0 || r->deadline > now)
			continue;
		r->deadline = 0;
		tr->xfer.no_notify++;
		track_ctx_init(&ctx, RULE_REFER_NO_NOTIFY, now, d);
		ctx.src = &r->src;
		ctx.dst = &r->dst;
		ctx.method = "REFER";
		ctx.code = r->accept_code;
		ctx.window_us = tr->timer64;
		ctx.contact = r->refer_to;
		track_raise(tr, &ctx);
	}
	dlg_rearm(tr, d);
}

static void
dlg_add_pending(struct track *tr, enum rule_id rule, int64_t deadline,
    const struct dlg *d)
{
	struct pending	*p;

	tr->pending_total++;
	tr->pending_by_rule[rule]++;
	if (tr->npending >= PENDING_KEEP)
		return;
	p = &tr->pending[tr->npending++];
	p->rule = (uint8_t)rule;
	p->deadline = deadline;
	p->call_id = xstrndup(d->call_id, d->call_id_len);
}

/* At the end of the capture: D's deadlines that were not reached. */
void
dlg_pending(struct track *tr, struct dlg *d)
{
	int	i;

	if (d->call.ack_pending)
		dlg_add_pending(tr, RULE_ACK_MISSING, d->call.ack_deadline, d);
	for (i = 0; d->refers != NULL && i < DLG_REFERS; i++) {
		if (d->refers[i].used && d->refers[i].deadline != 0)
			dlg_add_pending(tr, RULE_REFER_NO_NOTIFY,
			    d->refers[i].deadline, d);
	}
}

/* A transaction timer that was not reached (track_finish()). */
void
track_pending_txn(struct track *tr, struct txn *t)
{
	dlg_add_pending(tr, t->method == SIP_METHOD_INVITE ?
	    RULE_INVITE_TIMEOUT : RULE_NON_INVITE_TIMEOUT, t->tm.deadline,
	    t->dlg);
}
