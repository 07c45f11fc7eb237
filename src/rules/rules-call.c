/*
 * rules-call.c: the call rules: the 2xx/ACK rule, redirects, 6xx, 502, loops.
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
rules_text_ack_missing(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("%d to INVITE from %s to %s was not ACKed within "
	    "64*T1 (%.1f s); the 2xx was sent %ld time(s)"), c->code, t->src,
	    t->dst, secs(c->window_us), c->n);
	if (c->flags & RULE_F_CALLEE_BYE)
		rules_cat(&t->sum, _(" and the callee then ended the call with "
		    "BYE"));
	rules_cat(&t->adv, _("This is the \"call drops after 32 seconds\" "
	    "pattern: the ACK does not reach the callee, which keeps "
	    "retransmitting the 2xx and then hangs up (RFC 3261 13.3.1.4). "
	    "The ACK is sent to the 2xx's Contact through the Record-Route "
	    "set, so check whether that Contact%s%s%s can be reached (a "
	    "private address behind NAT, or an SBC that did not rewrite it, "
	    "are the usual causes) and that every proxy on the path "
	    "Record-Routes."), c->contact != NULL ? " (" : "",
	    nz(c->contact), c->contact != NULL ? ")" : "");
}

const struct rule_entry rule_ack_missing = {
	.id = "ack-missing",
	.severity = ALERT_ERROR,
	.kb_code = 200,
	.kb_advice = 1,
	.rfc = "RFC 3261 13.3.1.4, 13.2.2.4",
	.trigger = N_("a 2xx to INVITE is not ACKed within 64*T1"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-call.c (call_timer)",
	.text = rules_text_ack_missing,
};

static void
rules_text_redirect_loop(const struct rule_ctx *c, struct rule_text *t)
{
	if (c->flags & RULE_F_SELF)
		rules_cat(&t->sum, _("%d from %s redirects the call to %s, the "
		    "URI it was sent to"), c->code, t->src, nz(c->contact));
	else
		rules_cat(&t->sum, _("%d from %s redirects the call back to %s, "
		    "already tried in this call (%ld target(s) tried)"),
		    c->code, t->src, nz(c->contact), c->n);
	rules_cat(&t->adv, _("A URI must not be tried twice in one call (RFC 3261 "
	    "8.1.3.4): the redirects form a loop. Look for call forwarding "
	    "that points back (A forwards to B, B forwards to A) or a "
	    "redirect server whose routing sends the call to itself."));
}

const struct rule_entry rule_redirect_loop = {
	.id = "redirect-loop",
	.severity = ALERT_ERROR,
	.kb_code = 302,
	.kb_advice = 1,
	.rfc = "RFC 3261 8.1.3.4, 16.5",
	.trigger = N_("a 3xx Contact leads back to a target already tried in "
	    "the same call"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-call.c (call_redirect)",
	.text = rules_text_redirect_loop,
};

static void
rules_text_global_failure(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("Call from %s rejected everywhere with %d %s (sent "
	    "by %s)"), t->dst, c->code, nz(c->reason), t->src);
	switch (c->code) {
	case 600:
		rules_cat(&t->adv, _("600 Busy Everywhere: the callee is busy on "
		    "every device and no other device will answer; this is "
		    "the callee's state, not a network fault."));
		break;
	case 603:
		rules_cat(&t->adv, _("603 Decline: the callee (or its device "
		    "policy, e.g. do-not-disturb) explicitly declined the call; "
		    "not a network fault."));
		break;
	case 604:
		rules_cat(&t->adv, _("604 Does Not Exist Anywhere: the number or "
		    "user is known not to exist; check the dialled number."));
		break;
	case 606:
		rules_cat(&t->adv, _("606 Not Acceptable: no device of the callee "
		    "can accept the offered session (codecs, media); check the "
		    "SDP offer and the Warning header."));
		break;
	case 607:
		rules_cat(&t->adv, _("607 Unwanted: the callee marked this caller "
		    "as unwanted (RFC 8197)."));
		break;
	case 608:
		rules_cat(&t->adv, _("608 Rejected: an intermediary (call "
		    "analytics) rejected the call as unwanted (RFC 8688); "
		    "its Call-Info says who to contact."));
		break;
	default:
		rules_cat(&t->adv, _("A 6xx means no other destination will "
		    "accept the call: a forking proxy stops trying."));
		break;
	}
	if (c->retry_after > 0)
		rules_cat(&t->adv, _(" Retry-After: %ld s: the callee may be "
		    "reachable again after that."), c->retry_after);
	if (c->warning != NULL)
		rules_cat(&t->adv, _(" Warning: %s."), c->warning);
}

const struct rule_entry rule_global_failure = {
	.id = "global-failure",
	.severity = ALERT_NOTICE,
	.kb_code = 600,
	.kb_advice = 1,
	.rfc = "RFC 3261 21.6, 16.7 step 6; RFC 8197; RFC 8688",
	.trigger = N_("a 6xx final response other than 600, 603 and a 606 to "
	    "an offer ends a call"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-call.c (cidrec_response)",
	.text = rules_text_global_failure,
};

static void
rules_text_bad_gateway(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("502 %s from %s to %s for %s"), nz(c->reason), t->src,
	    t->dst, nz(c->method));
	if (c->server != NULL)
		rules_cat(&t->sum, _("; generated by \"%s\""), c->server);
	if (c->warning != NULL)
		rules_cat(&t->sum, _("; Warning: %s"), c->warning);
	if (c->reason_hdr != NULL)
		rules_cat(&t->sum, _("; Reason: %s"), c->reason_hdr);
	if (c->peer != NULL)
		rules_cat(&t->adv, _("%s, acting as a proxy or gateway, forwarded "
		    "the request to %s and got an invalid (or no usable) "
		    "response from it (RFC 3261 21.5.3). Check %s: its "
		    "responses, and whether it is up."), t->src, c->peer, c->peer);
	else
		rules_cat(&t->adv, _("%s, acting as a proxy or gateway, got an "
		    "invalid (or no usable) response from the next element "
		    "(RFC 3261 21.5.3); that element is not in this capture. "
		    "Its Warning or Reason header, if any, names it."), t->src);
	if (c->flags & RULE_F_IN_DIALOG)
		rules_cat(&t->adv, _(" Inside a dialog a 502 usually means a "
		    "broken Record-Route (RFC 5057)."));
}

const struct rule_entry rule_bad_gateway = {
	.id = "bad-gateway",
	.severity = ALERT_ERROR,
	.kb_code = 502,
	.kb_advice = 1,
	.rfc = "RFC 3261 21.5.3; RFC 5057 note 14",
	.trigger = N_("a 502 Bad Gateway response"),
	.subject = RULE_SUBJ_SRC,
	.role = "server",
	.burst = 1,
	.detector = "src/track/track-call.c (cidrec_failure)",
	.text = rules_text_bad_gateway,
};

static void
rules_text_loop(const struct rule_ctx *c, struct rule_text *t)
{
	if (c->flags & RULE_F_VIA_REPEAT) {
		rules_cat(&t->sum, _("%s from %s to %s passes %s twice with the "
		    "same branch (%ld Via headers)"), nz(c->method), t->src, t->dst,
		    nz(c->peer), c->n);
		rules_cat(&t->adv, _("The request came back to an element it "
		    "already went through: a routing loop (RFC 5393 4). "));
	} else if (c->code == 483) {
		rules_cat(&t->sum, _("483 %s from %s for %s: Max-Forwards reached "
		    "0"), nz(c->reason), t->src, nz(c->method));
		rules_cat(&t->adv, _("The request went through too many hops, "
		    "almost always a routing loop between proxies (RFC 3261 "
		    "16.3 step 3). "));
	} else {
		rules_cat(&t->sum, _("482 %s from %s for %s"), nz(c->reason), t->src,
		    nz(c->method));
		rules_cat(&t->adv, _("A proxy found its own address in the Via "
		    "list (a loop, RFC 3261 16.3 step 4), or a UAS received "
		    "the same request twice by different paths (a merged "
		    "request after forking, 8.2.2.2; harmless if isolated). "));
	}
	rules_cat(&t->adv, _("Check the routes between the elements on the Via "
	    "path: a default route or DNS entry pointing back, or two "
	    "proxies routing the domain to each other."));
}

const struct rule_entry rule_loop_detected = {
	.id = "loop-detected",
	.severity = ALERT_ERROR,
	.kb_code = 483,
	.kb_advice = 1,
	.rfc = "RFC 3261 16.3 steps 3-4, 8.2.2.2; RFC 5393 4",
	.trigger = N_("a 482 or 483 response (not to a REGISTER, not a 483 "
	    "to a Max-Forwards 0/1 probe, not a 482 to a single-Via "
	    "request), or a request whose Via list passes the same element "
	    "twice with the same branch"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track.c (track_via_loop), src/track/track-call.c (cidrec_failure)",
	.text = rules_text_loop,
};
