/*
 * rules-txn.c: the transaction rules: the timers of RFC 3261 17 and retransmissions.
 *
 * Each rule is one const struct rule_entry (rules.h): its id, severity,
 * knowledge-base code, RFC basis, subject, where it is detected, and the
 * function that writes its summary and advice from what the tracker saw.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "rules/rules-int.h"

static void
rules_text_invite_timeout(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("INVITE from %s to %s got no response at all within "
	    "Timer B (%.1f s); sent %ld time(s) over %s"), t->src, t->dst,
	    secs(c->window_us), c->n, nz(c->transport));
	if (c->flags & RULE_F_DISCARDED) {
		rules_cat(&t->sum, _(", while %s answered %ld other INVITE(s) "
		    "on the same connection"), t->dst, c->n2);
		rules_cat(&t->adv, _("%s received this INVITE (the connection "
		    "delivered it and keeps working) and discarded it without "
		    "any response: it rejected something in this request, not "
		    "the call. The server is up: do not fail over; look in "
		    "its log for why it dropped the request."), t->dst);
		if (c->headers != NULL && *c->headers != '\0')
			rules_cat(&t->adv, _(" Headers this INVITE carries that "
			    "the answered ones did not: %s."), c->headers);
		return;
	}
	rules_cat(&t->adv, _("The next hop %s never answered, not even with 100 "
	    "Trying: it is down or unreachable, or its responses do not come "
	    "back (firewall, NAT, a wrong Via sent-by or missing rport). The "
	    "caller treats this as 408 and should fail over to the next DNS "
	    "SRV target. Check that %s is up and listening on %s."), t->dst, t->dst,
	    nz(c->transport));
}

const struct rule_entry rule_invite_timeout = {
	.id = "invite-timeout",
	.severity = ALERT_ERROR,
	.kb_code = 408,
	.kb_advice = 1,
	.rfc = "RFC 3261 17.1.1.2 (Timer B), 8.1.3.1",
	.trigger = N_("an INVITE client transaction gets no response within "
	    "Timer B (64*T1)"),
	.subject = RULE_SUBJ_DST,
	.role = "server",
	.burst = 1,
	.detector = "src/track/track-txn.c (txn_timer)",
	.text = rules_text_invite_timeout,
};

static void
rules_text_non_invite_timeout(const struct rule_ctx *c, struct rule_text *t)
{
	const char	*m = nz(c->method);

	if (c->flags & RULE_F_PROVISIONAL)
		rules_cat(&t->sum, _("%s from %s to %s got a provisional response "
		    "but no final response within Timer F (%.1f s); sent %ld "
		    "time(s) over %s"), m, t->src, t->dst, secs(c->window_us), c->n,
		    nz(c->transport));
	else
		rules_cat(&t->sum, _("%s from %s to %s got no response within "
		    "Timer F (%.1f s); sent %ld time(s) over %s"), m, t->src, t->dst,
		    secs(c->window_us), c->n, nz(c->transport));
	if (strcmp(m, "REGISTER") == 0)
		rules_cat(&t->adv, _("The registration did not complete: the "
		    "user cannot receive calls until it does. "));
	else if (strcmp(m, "BYE") == 0)
		rules_cat(&t->adv, _("The far end may keep the session (and "
		    "billing) open; the caller has already dropped it. "));
	else if (strcmp(m, "OPTIONS") == 0)
		rules_cat(&t->adv, _("A keep-alive or capability probe failed: "
		    "the peer is probably down or unreachable. "));
	else if (strcmp(m, "NOTIFY") == 0)
		rules_cat(&t->adv, _("The notifier should now drop the "
		    "subscription (RFC 6665 4.2.2). "));
	else if (strcmp(m, "CANCEL") == 0 && (c->flags & RULE_F_ANSWERED)) {
		if (c->n2 >= 200)
			rules_cat(&t->adv, _("%s had already answered the INVITE "
			    "with %ld, and it is up: it ignores a CANCEL that "
			    "comes after the final response, where it should "
			    "still answer it (200, or 481 when it no longer "
			    "knows the transaction, RFC 3261 9.2). Harmless for "
			    "the call; check the CANCEL handling of %s."),
			    t->dst, c->n2, t->dst);
		else
			rules_cat(&t->adv, _("%s answered the INVITE (it is up) "
			    "but not the CANCEL for it: it does not match the "
			    "CANCEL to the INVITE (the Request-URI, Call-ID, "
			    "From, CSeq number and top Via must be the INVITE's, "
			    "RFC 3261 9.1) or drops it; the call keeps ringing "
			    "there until its own timer. Compare the CANCEL with "
			    "the INVITE, and check %s."), t->dst, t->dst);
		return;
	}
	rules_cat(&t->adv, _("A non-INVITE timeout is the only signal a client "
	    "gets: stateful elements must not send 408 for it (RFC 4320). "
	    "Check that %s is up and that its responses are routed back to "
	    "%s (Via received/rport, NAT, firewall)."), t->dst, t->src);
}

const struct rule_entry rule_non_invite_timeout = {
	.id = "non-invite-timeout",
	.severity = ALERT_WARNING,
	.kb_code = 408,
	.kb_advice = 1,
	.rfc = "RFC 3261 17.1.2.2 (Timer F); RFC 4320",
	.trigger = N_("a non-INVITE request gets no final response within "
	    "Timer F (64*T1)"),
	.subject = RULE_SUBJ_DST,
	.role = "server",
	.burst = 1,
	.detector = "src/track/track-txn.c (txn_timer)",
	.text = rules_text_non_invite_timeout,
};

static void
rules_text_retransmission(const struct rule_ctx *c, struct rule_text *t)
{
	const char	*m = nz(c->method);

	rules_cat(&t->sum, _("%s from %s to %s was sent %ld times over %s "
	    "(%ld retransmissions in %.1f s)"), m, t->src, t->dst, c->n,
	    nz(c->transport), c->n - 1, secs(c->elapsed_us));
	if (c->n2 != 0)
		rules_cat(&t->sum, _("; still unanswered when the capture "
		    "ended"));
	else if (c->window_us > 0)
		rules_cat(&t->sum, _("; the first response came %.1f s after "
		    "the first send"), secs(c->window_us));
	if (c->flags & RULE_F_RELIABLE) {
		rules_cat(&t->adv, _("Requests are never retransmitted over a "
		    "reliable transport: Timers A and E run only on UDP (RFC "
		    "3261 17.1.1.2, 17.1.2.2). The sender is misconfigured or "
		    "its responses are lost above the transport; check %s's "
		    "transport settings."), t->src);
		return;
	}
	if (c->flags & RULE_F_FINAL_SEEN)
		rules_cat(&t->adv, _("A final response was sent, yet the request "
		    "was repeated: the response is not reaching %s. "), t->src);
	else if (c->flags & RULE_F_PROVISIONAL)
		rules_cat(&t->adv, _("A provisional response was sent, yet the "
		    "request was repeated: responses are not reaching %s. "),
		    t->src);
	else if (c->n2 != 0) {
		rules_cat(&t->adv, _("%s has not answered at all: it is down, "
		    "unreachable, or its responses do not come back (NAT, "
		    "firewall, responses sent to the Via sent-by instead of "
		    "received/rport, RFC 3581)."), t->dst);
		return;
	} else
		rules_cat(&t->adv, _("No response came back between the sends. "));
	rules_cat(&t->adv, _("Either %s is slow or not answering, or its "
	    "responses are lost on the way back (NAT, firewall, responses "
	    "sent to the Via sent-by instead of received/rport, RFC 3581). "
	    "Retransmissions add load and delay call setup."), t->dst);
}

const struct rule_entry rule_retransmission = {
	.id = "retransmission",
	.severity = ALERT_WARNING,
	.kb_code = 408,
	.kb_advice = 1,
	.rfc = "RFC 3261 17.1.1.2, 17.1.2.2",
	.trigger = N_("a request is sent 3 or more times over UDP, or "
	    "retransmitted at all over a reliable transport, and then "
	    "answered (or still unanswered when the capture ends)"),
	.subject = RULE_SUBJ_DST,
	.role = "server",
	.burst = 1,
	.detector = "src/track/track-txn.c (txn_retrans)",
	.text = rules_text_retransmission,
};
