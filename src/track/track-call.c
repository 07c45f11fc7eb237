/*
 * track-call.c: dialogs and calls within a Call-ID record, and the rules
 * that read them.
 *
 * - Dialogs, each identified by its tag pair (RFC 3261 12, 12.1): a
 *   101-199 with a To-tag makes an early dialog, a 2xx a confirmed one
 *   (13.2.2.4), a BYE ends it (15); forks make several.
 * - The call: the INVITE without To-tag and everything it leads to,
 *   whatever the hop (both sides of a proxy share Call-ID and From-tag):
 *   post-dial delay (first INVITE to first 101-199), setup time (to the
 *   first 2xx), answer, final code, duration and who sent the BYE; the
 *   2xx/ACK rule of 13.3.1.4 for every INVITE of the dialog (ack-missing);
 *   redirect-loop, global-failure, bad-gateway and loop-detected (482/483)
 *   from the final responses.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"
#include "track/track-int.h"

/* ------------------------------------------------------------------ */
/* Dialogs. */

static uint64_t
dialog_tags(const struct sip_msg *m)
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
dialog_update(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    enum dialog_state state)
{
	uint64_t	 tags;
	struct dialog	*l = NULL;
	unsigned	 i;

	if (m->to.tag.s == NULL || m->from.tag.s == NULL)
		return;
	tags = dialog_tags(m);
	for (i = 0; i < cr->ndialogs; i++) {
		if (cr->dialogs[i].tags == tags) {
			l = &cr->dialogs[i];
			break;
		}
	}
	if (l == NULL) {
		if (state == DIALOG_TERMINATED)
			return;
		if (cr->ndialogs == CIDREC_DIALOGS) {
			tr->dl.forks_dropped++;
			return;
		}
		l = &cr->dialogs[cr->ndialogs++];
		l->tags = tags;
		l->state = 0;
		tr->dl.dialogs++;
		if (state == DIALOG_EARLY)
			tr->dl.early++;
	}
	if (state <= l->state)
		return;
	if (state == DIALOG_CONFIRMED)
		tr->dl.confirmed++;
	else if (state == DIALOG_TERMINATED)
		tr->dl.terminated++;
	l->state = state;
}

/* ------------------------------------------------------------------ */
/* Calls. */

/* Who a call is between, and what its final response said. */
struct call_note {
	char		*from;		/* the caller (From user) */
	char		*to;		/* the called (Request-URI user) */
	char		*reason;	/* of the final response, or NULL */
	struct sw_addr	 server;	/* answered the final, or got the
					   INVITE (a timeout) */
};

/* A failed call in the report's list. */
struct failure {
	int64_t		 ts;		/* its final response or Timer B */
	int		 code;		/* 0: timed out */
	uint8_t		 outcome;	/* enum call_outcome */
	char		*call_id;
	struct call_note note;
};

struct track_failures {
	struct failure	 ring[TRACK_FAILURES_KEEP];
	unsigned	 next;
	uint64_t	 n;		/* every failed call */
};

static char *
call_note_str(const struct sip_str *s)
{
	if (s->s == NULL || s->len == 0)
		return (NULL);
	return (xstrndup(s->s, s->len > 64 ? 64 : s->len));
}

static void
call_note_clear(struct call_note *n)
{
	free(n->from);
	free(n->to);
	free(n->reason);
	memset(n, 0, sizeof *n);
}

static void
call_start(struct track *tr, struct cidrec *cr, uint64_t caller_tag, int64_t ts)
{
	struct call	*c = &cr->call;

	cidrec_close_call(tr, cr);
	call_note_close(tr, cr);
	free(c->ack_contact);
	memset(c, 0, sizeof *c);
	c->state = TRACK_CALL_TRYING;
	c->caller_tag = caller_tag;
	c->invite_us = ts;
	tr->calls.attempts++;
	cidrec_rearm(tr, cr);
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
	if (c->ntried < CALL_TRIED)
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

/* A call's outcome so far, the index of tr->calls.outcomes[]. */
enum call_outcome {
	CALL_OUT_NONE = 0,
	CALL_OUT_PROGRESS,
	CALL_OUT_ANSWERED,
	CALL_OUT_FAILED,
	CALL_OUT_REJECTED,
	CALL_OUT_REDIRECTED,
	CALL_OUT_CANCELLED,
	CALL_OUT_TIMEOUT
};

static enum call_outcome
call_outcome(const struct call *c)
{
	switch (c->state) {
	case TRACK_CALL_TRYING:
	case TRACK_CALL_EARLY:
		return (CALL_OUT_PROGRESS);
	case TRACK_CALL_ANSWERED:
	case TRACK_CALL_ENDED:
		return (CALL_OUT_ANSWERED);
	case TRACK_CALL_CANCELLED:
		return (CALL_OUT_CANCELLED);
	case TRACK_CALL_TIMEOUT:
		return (CALL_OUT_TIMEOUT);
	case TRACK_CALL_FAILED:
		break;
	default:
		return (CALL_OUT_NONE);
	}
	if (c->final_code == 487)	/* a CANCEL's (RFC 3261 9.2) */
		return (CALL_OUT_CANCELLED);
	switch (track_final_class(c->final_code, SIP_METHOD_INVITE)) {
	case TRACK_FINAL_REDIRECT:
		return (CALL_OUT_REDIRECTED);
	case TRACK_FINAL_USER:		/* RFC 6076 4.7 */
		return (CALL_OUT_REJECTED);
	default:
		return (CALL_OUT_FAILED);
	}
}

void
call_note_close(struct track *tr, struct cidrec *cr)
{
	struct call		*c = &cr->call;
	struct track_failures	*fl;
	struct failure		*f;
	enum call_outcome	 out;

	if (c->note == NULL)
		return;
	out = call_outcome(c);
	if (out == CALL_OUT_FAILED || out == CALL_OUT_REJECTED ||
	    out == CALL_OUT_TIMEOUT) {
		if ((fl = tr->failures) == NULL)
			fl = tr->failures = xcalloc(1, sizeof *fl);
		f = &fl->ring[fl->next];
		free(f->call_id);
		call_note_clear(&f->note);
		f->ts = out == CALL_OUT_TIMEOUT ? c->end_us : c->final_us;
		f->code = out == CALL_OUT_TIMEOUT ? 0 : c->final_code;
		f->outcome = (uint8_t)out;
		f->call_id = xstrndup(cr->call_id, cr->call_id_len);
		f->note = *c->note;		/* the strings move */
		memset(c->note, 0, sizeof *c->note);
		fl->next = (fl->next + 1) % TRACK_FAILURES_KEEP;
		fl->n++;
	}
	call_note_clear(c->note);
	free(c->note);
	c->note = NULL;
}

static int
call_failure_cmp(const void *a, const void *b)
{
	const struct failure	*x = *(const struct failure *const *)a;
	const struct failure	*y = *(const struct failure *const *)b;

	return (x->ts < y->ts ? -1 : x->ts > y->ts);
}

void
call_failures_report(json_t *calls, struct track *tr)
{
	struct track_failures	*fl = tr->failures;
	const struct failure	**v;
	const struct failure	 *f;
	json_t			 *a, *o;
	char			  t[SW_TIME_LEN], addr[SW_ADDRSTRLEN];
	unsigned		  n = 0, i;
	static const char *const names[] = { "", "", "", "failed",
	    "rejected", "", "", "timed_out" };

	a = json_array();
	if (fl != NULL) {
		v = xcalloc(TRACK_FAILURES_KEEP, sizeof *v);
		for (i = 0; i < TRACK_FAILURES_KEEP; i++) {
			if (fl->ring[i].call_id != NULL)
				v[n++] = &fl->ring[i];
		}
		qsort(v, n, sizeof *v, call_failure_cmp);
		for (i = 0; i < n; i++) {
			f = v[i];
			o = json_object();
			sw_json_set(o, "time", json_string(sw_time_rfc3339(
			    f->ts, 3, t, sizeof t)));
			sw_json_set(o, "call_id", sw_json_wire(f->call_id));
			sw_json_set(o, "from", f->note.from != NULL ?
			    sw_json_wire(f->note.from) : json_null());
			sw_json_set(o, "to", f->note.to != NULL ?
			    sw_json_wire(f->note.to) : json_null());
			sw_json_set(o, "outcome", json_string(
			    names[f->outcome]));
			sw_json_set(o, "code", f->code != 0 ?
			    json_integer(f->code) : json_null());
			sw_json_set(o, "reason", f->note.reason != NULL ?
			    sw_json_wire(f->note.reason) : json_null());
			sw_json_set(o, "server", json_string(sw_addr_format(
			    &f->note.server, addr, sizeof addr)));
			json_array_append_new(a, o);
		}
		free(v);
	}
	sw_json_set(calls, "failures", a);
	sw_json_set(calls, "failures_count", sw_json_uint(fl != NULL ?
	    fl->n : 0));
}

void
call_failures_destroy(struct track *tr)
{
	struct track_failures	*fl = tr->failures;
	unsigned		 i;

	if (fl == NULL)
		return;
	for (i = 0; i < TRACK_FAILURES_KEEP; i++) {
		free(fl->ring[i].call_id);
		call_note_clear(&fl->ring[i].note);
	}
	free(fl);
	tr->failures = NULL;
}

void
track_call_tally(const struct track *tr, struct track_call_tally *out)
{
	const uint64_t	*n = tr->calls.outcomes;
	uint64_t	 base;

	memset(out, 0, sizeof *out);
	out->in_progress = n[CALL_OUT_PROGRESS];
	out->answered = n[CALL_OUT_ANSWERED];
	out->failed = n[CALL_OUT_FAILED];
	out->rejected = n[CALL_OUT_REJECTED];
	out->redirected = n[CALL_OUT_REDIRECTED];
	out->cancelled = n[CALL_OUT_CANCELLED];
	out->timed_out = n[CALL_OUT_TIMEOUT];
	out->attempts = out->in_progress + out->answered + out->failed +
	    out->rejected + out->redirected + out->cancelled + out->timed_out;
	base = out->attempts - out->in_progress - out->redirected;
	out->ser = out->seer = -1;
	if (base > 0) {
		out->ser = 100.0 * (double)out->answered / (double)base;
		out->seer = 100.0 * (double)(out->answered + out->rejected) /
		    (double)base;
	}
}

static void
call_publish_full(struct track *tr, struct cidrec *cr, int64_t ts,
    const struct sip_msg *invite, int64_t srd, int64_t srd_failed,
    int64_t setup)
{
	struct call		*c = &cr->call;
	struct track_obs	 o;
	enum call_outcome	 out;

	if (c->state == CALL_NONE)
		return;
	/* Every change of state is published here: the tally follows. */
	if ((out = call_outcome(c)) != c->outcome) {
		if (c->outcome != CALL_OUT_NONE)
			tr->calls.outcomes[c->outcome]--;
		tr->calls.outcomes[out]++;
		c->outcome = (uint8_t)out;
	}
	track_obs_init(&o, TRACK_OBS_CALL, ts, cr);
	o.u.call.srd_sample = srd;
	o.u.call.srd_failed_sample = srd_failed;
	o.u.call.setup_sample = setup;
	o.u.call.state = c->state;
	o.u.call.ended_by = c->ended_by;
	o.u.call.final_code = c->final_code;
	o.u.call.invite_us = c->invite_us;
	o.u.call.srd_us = c->srd_us;
	o.u.call.answer_us = c->answer_us;
	o.u.call.end_us = c->end_us;
	o.u.call.invite = invite;
	o.u.call.leg_group = c->leg_group;
	o.u.call.legs_by = c->legs_by;
	track_publish(tr, &o);
}

void
call_publish(struct track *tr, struct cidrec *cr, int64_t ts,
    const struct sip_msg *invite)
{
	call_publish_full(tr, cr, ts, invite, -1, -1, -1);
}

void
call_publish_samples(struct track *tr, struct cidrec *cr, int64_t ts,
    int64_t srd, int64_t srd_failed, int64_t setup)
{
	call_publish_full(tr, cr, ts, NULL, srd, srd_failed, setup);
}

void
call_invite(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts)
{
	struct call	*c = &cr->call;
	uint64_t	 tag = track_hash_str(&m->from.tag);

	t->flags |= TXN_F_INITIAL_INVITE;
	if (c->state == CALL_NONE || c->caller_tag != tag ||
	    c->state == TRACK_CALL_ENDED) {
		call_start(tr, cr, tag, ts);
		c->note = xcalloc(1, sizeof *c->note);
		c->note->from = call_note_str(&m->from.user);
		c->note->to = call_note_str(m->ruri_user.s != NULL ?
		    &m->ruri_user : &m->to.user);
		c->note->server = t->server;
		legs_invite(tr, cr, m, &t->client, &t->server, ts, 1);
		call_publish(tr, cr, ts, m);
	} else if (c->state == TRACK_CALL_FAILED ||
	    c->state == TRACK_CALL_TIMEOUT) {
		/*
		 * A new attempt of the same call: credentials after a
		 * challenge, a redirect, the next server after a timeout.
		 */
		c->state = TRACK_CALL_TRYING;
		c->ended_by = TRACK_END_NONE;
		c->final_code = 0;
		legs_invite(tr, cr, m, &t->client, &t->server, ts, 0);
		call_publish(tr, cr, ts, NULL);
	}
	call_tried(c, t->ruri_h);
}

void
call_bye(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts)
{
	struct call	*c = &cr->call;
	int		 callee;

	if (c->state != TRACK_CALL_ANSWERED)
		return;
	callee = track_hash_str(&m->from.tag) != c->caller_tag;
	c->state = TRACK_CALL_ENDED;
	c->end_us = ts;
	c->ended_by = callee ? TRACK_END_CALLEE : TRACK_END_CALLER;
	if (c->ack_pending && callee)
		c->ack_callee_bye = 1;
	call_publish(tr, cr, ts, NULL);
}

/*
 * A request inside the dialog of CR's call shows what its INVITE got even
 * when the capture lost it: an ACK for a 2xx or the callee's BYE, that a
 * 2xx existed (the call was answered); any other in-dialog request
 * (PRACK, UPDATE, INFO, the caller's BYE on an early dialog ...), that a
 * provisional with a To-tag did.  FINAL says which.  No Timer B verdict
 * is drawn for such an INVITE.
 */
void
call_evidence(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts, int final)
{
	struct call	*c = &cr->call;
	struct txn	*t;

	TAILQ_FOREACH(t, &cr->txns, cidrec_entry) {
		if (t->method != SIP_METHOD_INVITE || t->final_code != 0 ||
		    (t->flags & TXN_F_ORPHAN) || t->first_us > ts ||
		    (m->method != SIP_METHOD_PRACK && final &&
		    t->cseq != m->cseq))
			continue;
		txn_inferred(tr, t, !final);
	}
	if (!final || c->answer_us != 0 || (c->state != TRACK_CALL_TRYING &&
	    c->state != TRACK_CALL_EARLY && c->state != TRACK_CALL_TIMEOUT))
		return;
	/* Answered: the 2xx itself was not captured. */
	c->answer_us = ts;
	c->state = TRACK_CALL_ANSWERED;
	c->ended_by = TRACK_END_NONE;
	c->end_us = 0;
	tr->calls.answered++;
	tr->calls.answer_inferred++;
	call_publish(tr, cr, ts, NULL);
}

/* The 2xx/ACK rule (RFC 3261 13.3.1.4): a 2xx to INVITE was sent. */
static void
call_2xx(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct call	*c = &cr->call;
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
	cidrec_rearm(tr, cr);
}

void
cidrec_ack(struct track *tr, struct cidrec *cr, const struct sip_msg *m, int64_t ts)
{
	struct call	*c = &cr->call;

	if (c->ack_deadline == 0 || c->ack_cseq != m->cseq) {
		/* No 2xx seen for this CSeq (or it was not captured). */
		tr->tx.acks_unmatched++;
		call_evidence(tr, cr, m, ts, 1);
		return;
	}
	tr->tx.acks_2xx++;
	if (!c->ack_pending)
		return;		/* the same ACK at another hop, or resent */
	c->ack_pending = 0;
	free(c->ack_contact);
	c->ack_contact = NULL;
	cidrec_rearm(tr, cr);
}

/* 3xx to INVITE: does the Contact lead back (RFC 3261 8.1.3.4)? */
static void
call_redirect(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct call	*c = &cr->call;
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
		track_ctx_init(&ctx, RULE_REDIRECT_LOOP, ts, cr);
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

/*
 * A 483 that answers a request sent with Max-Forwards 0 or 1 (an OPTIONS
 * or INVITE probe, RFC 3261 11, 16.3 step 3) is the answer the probe
 * asks for.  Without the request, the Warning some proxies add
 * ("Max-Forwards zero") says the same.
 */
static int
call_mf_probe(const struct txn *t, const struct sip_msg *m)
{
	if (m->status != 483)
		return (0);
	if (t != NULL && !(t->flags & TXN_F_ORPHAN))
		return (t->max_fwd <= 1);
	return (m->warning.s != NULL &&
	    strcasestr(m->warning.s, "max-forwards") != NULL);
}

/* A final response of 300 or more: the response-level rules. */
static void
cidrec_failure(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct rule_ctx	 c;
	struct txn	*h;
	char		 peer[SW_ADDRSTRLEN];

	if (m->status == 482 || m->status == 483) {
		/*
		 * Not a routing loop: a REGISTER's is a registration failure
		 * (track-reg.c says it); a probe's 483 is expected; a 482 to
		 * a request with a single Via passed no proxy that could
		 * find itself in it, so it is a refusal (an SBC turning away
		 * unsolicited traffic) or a merged request (8.2.2.2).
		 */
		if (m->method == SIP_METHOD_REGISTER || call_mf_probe(t, m) ||
		    (m->status == 482 && m->via_total <= 1))
			return;
		if (t != NULL)
			t->flags |= TXN_F_REPORTED;
		if (track_fired(cr, RULE_LOOP_DETECTED, m->cseq, m->method))
			return;
		track_ctx_init(&c, RULE_LOOP_DETECTED, ts, cr);
		c.src = src;
		c.dst = dst;
		c.method = sip_method_name(m->method);
		if (m->method == SIP_METHOD_OTHER && m->cseq_method_name.s)
			c.method = m->cseq_method_name.s;
		track_ctx_final(&c, m);
		track_raise(tr, &c);
	} else if (m->status == 502) {
		if (t != NULL)
			t->flags |= TXN_F_REPORTED;
		if (track_fired(cr, RULE_BAD_GATEWAY, m->cseq, m->method))
			return;
		track_ctx_init(&c, RULE_BAD_GATEWAY, ts, cr);
		c.src = src;
		c.dst = dst;
		c.method = sip_method_name(m->method);
		if (m->method == SIP_METHOD_OTHER && m->cseq_method_name.s)
			c.method = m->cseq_method_name.s;
		track_ctx_final(&c, m);
		c.reason_hdr = m->reason_hdr.s;
		if (t != NULL && (t->flags & TXN_F_IN_DIALOG))
			c.flags |= RULE_F_IN_DIALOG;
		/*
		 * Where did the element that sent the 502 forward the
		 * request?  Its own client transaction for the same CSeq.
		 */
		TAILQ_FOREACH(h, &cr->txns, cidrec_entry) {
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
cidrec_response(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst, int first_final)
{
	struct call	*c = &cr->call;
	struct rule_ctx	 ctx;
	int		 initial, code = m->status;
	int64_t		 srd, srd_failed, setup;

	if (code >= 200 && !first_final) {
		/* A retransmitted final: only the 2xx/ACK rule cares. */
		if (m->method == SIP_METHOD_INVITE && code < 300 && t != NULL &&
		    c->ack_pending && c->ack_cseq == m->cseq &&
		    t->final_sends > c->ack_2xx_sends)
			c->ack_2xx_sends = t->final_sends;
		return;
	}
	if (m->method == SIP_METHOD_REFER)
		refer_response(tr, cr, m, ts, src, dst);
	if (code >= 300)
		cidrec_failure(tr, cr, t, m, ts, src, dst);
	if (code >= 200 && t != NULL) {
		switch (m->method) {
		case SIP_METHOD_SUBSCRIBE:
		case SIP_METHOD_NOTIFY:
			sub_final(tr, cr, t, m, ts);
			break;
		case SIP_METHOD_INVITE:
		case SIP_METHOD_UPDATE:
			media_final(tr, cr, t, m, ts);
			break;
		default:
			break;
		}
	}

	if (m->method == SIP_METHOD_SUBSCRIBE || m->method == SIP_METHOD_REFER) {
		if (code >= 200 && code < 300)
			dialog_update(tr, cr, m, DIALOG_CONFIRMED);
		return;
	}
	if (m->method == SIP_METHOD_BYE) {
		if (code >= 200 && code < 300)
			dialog_update(tr, cr, m, DIALOG_TERMINATED);
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
		dialog_update(tr, cr, m, DIALOG_EARLY);
	else if (code >= 200 && code < 300)
		dialog_update(tr, cr, m, DIALOG_CONFIRMED);
	if (code >= 200 && code < 300)
		call_2xx(tr, cr, t, m, ts, src, dst);
	if (!initial || c->state == CALL_NONE)
		return;

	/* Post-dial delay: the call's session request delay (RFC 6076 4.3). */
	srd = srd_failed = -1;
	if (c->srd_us == 0 && code > 100 && code < 300) {
		c->srd_us = ts;
		srd = ts - c->invite_us;
		hist_add(&tr->calls.pdd, srd / 1000);
	} else if (c->srd_us == 0 && !c->srd_failed && code >= 300 &&
	    code != 401 && code != 402 && code != 407) {
		c->srd_failed = 1;
		srd_failed = ts - c->invite_us;
		hist_add(&tr->calls.pdd_failed, srd_failed / 1000);
	}
	if (code < 200) {
		if (c->state == TRACK_CALL_TRYING || srd != -1) {
			if (c->state == TRACK_CALL_TRYING)
				c->state = TRACK_CALL_EARLY;
			call_publish_samples(tr, cr, ts, srd, -1, -1);
		}
		return;
	}
	c->final_code = code;
	c->final_us = ts;
	if (c->note != NULL && c->answer_us == 0) {
		free(c->note->reason);
		c->note->reason = call_note_str(&m->reason);
		c->note->server = *src;
	}
	if (code < 300) {
		if (c->answer_us == 0) {
			c->answer_us = ts;
			c->state = TRACK_CALL_ANSWERED;
			c->ended_by = TRACK_END_NONE;
			tr->calls.answered++;
			setup = ts - c->invite_us;	/* RFC 6076 4.4 */
			hist_add(&tr->calls.setup, setup / 1000);
			call_publish_samples(tr, cr, ts, srd, -1, setup);
		}
		return;
	}
	if (c->answer_us != 0)
		return;
	c->state = c->cancelled ? TRACK_CALL_CANCELLED : TRACK_CALL_FAILED;
	call_publish_samples(tr, cr, ts, -1, srd_failed, -1);
	if (code < 400)
		call_redirect(tr, cr, t, m, ts, src, dst);
	/*
	 * 600 and 603 are the callee's choice (busy, decline), not a
	 * fault; a 606 to an offer is media-rejected (track-media.c).
	 */
	if (code >= 600 && code != 600 && code != 603 &&
	    !(code == 606 && media_offered(cr, m)) && !c->global_fired) {
		c->global_fired = 1;
		track_ctx_init(&ctx, RULE_GLOBAL_FAILURE, ts, cr);
		ctx.src = src;
		ctx.dst = dst;
		ctx.method = "INVITE";
		track_ctx_final(&ctx, m);
		track_raise(tr, &ctx);
	}
}

/* ------------------------------------------------------------------ */
/* Deadlines. */

/* The 2xx/ACK deadline of CR's call passed at NOW (cidrec_timer()). */
void
call_timer(struct track *tr, struct cidrec *cr, int64_t now)
{
	struct call	*c = &cr->call;
	struct rule_ctx	 ctx;

	if (c->ack_pending && c->ack_deadline <= now) {
		c->ack_pending = 0;
		if (c->ack_2xx_sends < 2 && !c->ack_callee_bye) {
			/*
			 * The 2xx went out once and the callee did not
			 * repeat it: the ACK reached it by a path this
			 * capture does not see.
			 */
			tr->calls.ack_unobserved++;
		} else if (!track_fired(cr, RULE_ACK_MISSING, c->ack_cseq,
		    SIP_METHOD_INVITE)) {
			track_ctx_init(&ctx, RULE_ACK_MISSING, c->ack_deadline,
			    cr);
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
}
