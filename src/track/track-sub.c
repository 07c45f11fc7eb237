/*
 * track-sub.c: subscriptions (RFC 6665) and subscription-failed.
 *
 * A subscription is lost when a request inside it is refused as not
 * belonging to one: a refresh SUBSCRIBE or a NOTIFY answered 481 (no
 * such subscription: the notifier or a B2BUA/SBC between lost its state,
 * RFC 6665 4.1.2.2, 4.2.2) or 489 (the event package is not supported,
 * 4.1.3, 4.2.1.1).  Each such answer is an occurrence of one incident per
 * subscriber (the SUBSCRIBE's From, the NOTIFY's To, as an AOR) and
 * event package.  A subscriber that starts over from scratch (a new
 * SUBSCRIBE without To-tag) and is refused 481/489 again and again,
 * SUB_AGAIN times within SUB_WINDOW_US, is the same failure: a feature
 * the server does not offer, hammered in a loop.
 *
 * Not failures: one initial SUBSCRIBE refused 489 (the client learns the
 * package is not there), a NOTIFY with Subscription-State: terminated
 * answered 481 (the subscriber ended it first, 4.2.2), an out-of-dialog
 * NOTIFY (no subscription to lose), other refusals (404, 403, 501: the
 * feature is not provisioned, which the subscriber is told once).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "track/track-int.h"

#define SUB_AGAIN	3			/* initial SUBSCRIBEs refused */
#define SUB_WINDOW_US	(600 * 1000000LL)	/* ... within */

void
sub_request(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m)
{
	struct cidinfo	*ci;

	(void)tr;
	if (m->method == SIP_METHOD_NOTIFY && m->sub_state.s != NULL &&
	    sip_str_eq(&m->sub_state, "terminated"))
		t->flags |= TXN_F_SUB_TERM;
	if (m->event.s == NULL || m->event.len == 0)
		return;
	ci = cidrec_info(cr);
	if (ci->event != NULL && strlen(ci->event) == m->event.len &&
	    memcmp(ci->event, m->event.s, m->event.len) == 0)
		return;
	cidinfo_set(&ci->event, m->event.s, m->event.len);
}

void
sub_final(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts)
{
	const struct sip_nameaddr *who;
	const char	*event;
	char		 aor[CIDINFO_MAX], target[CIDINFO_MAX * 2 + 2];
	char		 allow[128];
	struct peer	*p;
	struct tkey	 k;
	struct thash	 h;
	struct rule_ctx	 c;
	int		 code = m->status, in_dialog;

	if (code != 481 && code != 489)
		return;
	in_dialog = (t->flags & TXN_F_IN_DIALOG) != 0;
	if (m->method == SIP_METHOD_NOTIFY) {
		/* 4.2.2: a NOTIFY after the subscriber ended it gets 481. */
		if (!in_dialog || (code == 481 && (t->flags & TXN_F_SUB_TERM)))
			return;
		who = &m->to;		/* the subscriber receives NOTIFYs */
	} else
		who = &m->from;
	if (sip_uri_aor(who->uri.s, who->uri.len, aor, sizeof aor) == 0)
		return;
	event = cr->info != NULL && cr->info->event != NULL ?
	    cr->info->event : (m->event.s != NULL ? m->event.s : "?");
	snprintf(target, sizeof target, "%s %s", aor, event);

	th_init(&h, 0x5ab5);
	th_bytes(&h, target, strlen(target));
	k = th_final(&h);
	p = peer_get(tr, PEER_SUB, &k, ts, 1);
	peer_touch(tr, PEER_SUB, p, ts, ts + SUB_WINDOW_US);
	if (p->u.sub.refused == 0 || ts - p->u.sub.first_us > SUB_WINDOW_US) {
		p->u.sub.refused = 0;
		p->u.sub.first_us = ts;
	}
	p->u.sub.refused++;
	t->flags |= TXN_F_REPORTED;
	if (!in_dialog && p->u.sub.refused < SUB_AGAIN)
		return;
	if (track_fired(cr, RULE_SUBSCRIPTION_FAILED, m->cseq, m->method))
		return;
	track_ctx_init(&c, RULE_SUBSCRIPTION_FAILED, ts, cr);
	c.src = &t->client;
	c.dst = &t->server;
	c.method = sip_method_name(m->method);
	track_ctx_final(&c, m);
	c.target = target;
	c.contact = event;
	c.n = p->u.sub.refused;
	c.elapsed_us = ts - p->u.sub.first_us;
	if (in_dialog)
		c.flags |= RULE_F_IN_DIALOG;
	if (sip_header_value(m, "Allow-Events", allow, sizeof allow))
		c.accept = allow;
	track_raise(tr, &c);
}
