/*
 * track-refer.c: REFER subscriptions (RFC 3515) and the transfer rules.
 *
 * A REFER accepted with 200 or 202 (RFC 7647 5: the same) creates an
 * implicit subscription (RFC 3515 2.4.4), matched to NOTIFYs with Event:
 * refer whose To-tag is the REFER's From-tag (RFC 6665 4.4.1) and whose
 * id, if any, is the REFER's CSeq number (RFC 3515 2.4.6); the
 * message/sipfrag status line of each NOTIFY (RFC 3420) gives the
 * transfer's progress and outcome.  refer-rejected, refer-no-notify and
 * transfer-failed are decided here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xmalloc.h"
#include "track/track-int.h"

/* ------------------------------------------------------------------ */
/* REFER. */

static struct refer *
refer_find(struct cidrec *cr, uint64_t tag, uint32_t cseq, int any_cseq)
{
	struct refer	*r, *best = NULL;
	int		 i;

	for (i = 0; cr->refers != NULL && i < CIDREC_REFERS; i++) {
		r = &cr->refers[i];
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
refer_new(struct track *tr, struct cidrec *cr, uint64_t tag, uint32_t cseq,
    int64_t ts)
{
	struct refer	*r = NULL;
	int		 i;

	if (cr->refers == NULL)
		cr->refers = xcalloc(CIDREC_REFERS, sizeof *cr->refers);
	for (i = 0; i < CIDREC_REFERS; i++) {
		if (!cr->refers[i].used) {
			r = &cr->refers[i];
			break;
		}
	}
	if (r == NULL) {
		/* Reuse the oldest. */
		r = &cr->refers[0];
		for (i = 1; i < CIDREC_REFERS; i++) {
			if (cr->refers[i].sent_us < r->sent_us)
				r = &cr->refers[i];
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

/* The transfer R of CR is now in STATE (TRACK_OBS_TRANSFER). */
static void
refer_publish(struct track *tr, struct cidrec *cr, const struct refer *r,
    int64_t ts, enum track_xfer_state state, int code,
    const struct sip_msg *refer)
{
	struct track_obs	o;

	track_obs_init(&o, TRACK_OBS_TRANSFER, ts, cr);
	o.u.xfer.state = state;
	o.u.xfer.code = code;
	o.u.xfer.refer_to = r->refer_to;
	o.u.xfer.refer = refer;
	track_publish(tr, &o);
}

void
refer_request(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst)
{
	uint64_t	 tag = track_hash_str(&m->from.tag);
	struct refer	*r;

	if (refer_find(cr, tag, m->cseq, 0) != NULL)
		return;		/* the same REFER at another hop */
	tr->xfer.refers++;
	r = refer_new(tr, cr, tag, m->cseq, ts);
	r->src = *src;
	r->dst = *dst;
	if (m->refer_to.uri.s != NULL)
		r->refer_to = xstrndup(m->refer_to.uri.s, m->refer_to.uri.len);
	refer_publish(tr, cr, r, ts, TRACK_XFER_REQUESTED, 0, m);
}

void
refer_response(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst)
{
	uint64_t	 tag = track_hash_str(&m->from.tag);
	struct refer	*r;
	struct rule_ctx	 c;
	char		 sub[16];

	if (m->status < 200)
		return;
	if ((r = refer_find(cr, tag, m->cseq, 0)) == NULL) {
		/* The REFER itself was not captured. */
		tr->xfer.refers++;
		r = refer_new(tr, cr, tag, m->cseq, ts);
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
		refer_publish(tr, cr, r, ts, TRACK_XFER_ACCEPTED, m->status,
		    NULL);
		if (sip_header_value(m, "Refer-Sub", sub, sizeof sub) &&
		    strcasecmp(sub, "false") == 0) {
			r->norefersub = 1;
			tr->xfer.norefersub++;
		} else if (r->notify_us == 0) {
			r->deadline = ts + tr->timer64;
			cidrec_rearm(tr, cr);
		}
		return;
	}
	if (m->status == 401 || m->status == 407)
		return;		/* a challenge: the REFER comes again */
	r->state = REFER_REJECTED;
	tr->xfer.rejected++;
	refer_publish(tr, cr, r, ts, TRACK_XFER_REJECTED, m->status, NULL);
	if (r->fired)
		return;
	r->fired = 1;
	track_ctx_init(&c, RULE_REFER_REJECTED, ts, cr);
	c.src = &r->src;
	c.dst = &r->dst;
	c.method = "REFER";
	track_ctx_final(&c, m);
	c.contact = r->refer_to;
	/* 488/606 to a REFER is about the transfer, not codecs: the KB
	 * text of the code is about media. */
	if (m->status == 488 || m->status == 606)
		c.flags |= RULE_F_NO_KB;
	if (r->refer_to != NULL && strcasestr(r->refer_to, "replaces") != NULL)
		c.flags |= RULE_F_REPLACES;
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

void
refer_notify(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst)
{
	uint64_t	 tag = track_hash_str(&m->to.tag);
	long		 id = refer_event_id(m);
	struct refer	*r;
	struct rule_ctx	 c;
	char		 reason[128];
	int		 code;

	r = refer_find(cr, tag, (uint32_t)id, id == 0);
	if (r == NULL && id != 0)
		r = refer_find(cr, tag, 0, 1);
	if (r == NULL) {
		/*
		 * RFC 6665 4.4.1 says the NOTIFY's To-tag is the REFER's
		 * From-tag; some senders copy the REFER's From and To
		 * unchanged.  Accept the dialog's tags either way round.
		 */
		tag = track_hash_str(&m->from.tag);
		if ((r = refer_find(cr, tag, (uint32_t)id, id == 0)) == NULL)
			r = refer_find(cr, tag, 0, 1);
		if (r != NULL)
			tr->xfer.notifies_reversed++;
	}
	if (r == NULL) {
		tr->xfer.notifies_unmatched++;
		r = refer_new(tr, cr, tag, (uint32_t)id, ts);
		r->state = REFER_ACCEPTED;
		r->src = *dst;
		r->dst = *src;
	}
	tr->xfer.notifies++;
	if (r->notify_us == 0) {
		r->notify_us = ts;
		if (r->deadline != 0) {
			r->deadline = 0;
			cidrec_rearm(tr, cr);
		}
	}
	if (m->sub_state.s != NULL && sip_str_eq(&m->sub_state, "terminated"))
		r->terminated = 1;
	code = sip_sipfrag_status(m->body, m->body_len, reason,
	    sizeof reason);
	if (code == 0)
		return;
	r->frag_code = code;
	if (code < 200 || r->fired)
		return;
	r->fired = 1;
	if (code < 300) {
		tr->xfer.succeeded++;
		refer_publish(tr, cr, r, ts, TRACK_XFER_SUCCEEDED, code, NULL);
		return;
	}
	tr->xfer.failed++;
	refer_publish(tr, cr, r, ts, TRACK_XFER_FAILED, code, NULL);
	track_ctx_init(&c, RULE_TRANSFER_FAILED, ts, cr);
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
/* Deadlines. */

/* REFER subscriptions of CR whose NOTIFY deadline passed at NOW. */
void
refer_timer(struct track *tr, struct cidrec *cr, int64_t now)
{
	struct refer	*r;
	struct rule_ctx	 ctx;
	int		 i;

	for (i = 0; cr->refers != NULL && i < CIDREC_REFERS; i++) {
		r = &cr->refers[i];
		if (!r->used || r->deadline == 0 || r->deadline > now)
			continue;
		r->deadline = 0;
		tr->xfer.no_notify++;
		refer_publish(tr, cr, r, now, TRACK_XFER_NO_NOTIFY,
		    r->accept_code, NULL);
		track_ctx_init(&ctx, RULE_REFER_NO_NOTIFY, now, cr);
		ctx.src = &r->src;
		ctx.dst = &r->dst;
		ctx.method = "REFER";
		ctx.code = r->accept_code;
		ctx.window_us = tr->timer64;
		ctx.contact = r->refer_to;
		track_raise(tr, &ctx);
	}
}
