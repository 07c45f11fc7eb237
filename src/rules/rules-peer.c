/*
 * rules-peer.c: the peer rules: Retry-After and 5xx bursts (the attack rules
 * are in rules-attack.c).
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
rules_text_retry_after(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("%s sent %s to %s %.1f s after a %d with "
	    "Retry-After: %ld"), t->src, nz(c->method), t->dst, secs(c->elapsed_us),
	    c->code, c->retry_after);
	rules_cat(&t->adv, _("Server %s asked clients not to send it any other "
	    "request for %ld s (RFC 3261 21.5.4); %s started a new "
	    "transaction %.1f s early. Retrying into an overloaded server "
	    "keeps it overloaded: configure %s to honour Retry-After (mark "
	    "the server down and fail over to another one, RFC 3263 4.3)."),
	    t->dst, c->retry_after, t->src, (double)c->retry_after -
	    secs(c->elapsed_us), t->src);
	if (c->flags & RULE_F_IN_DIALOG)
		rules_cat(&t->adv, _(" The request belongs to a dialog whose "
		    "route passes through %s, so there was no alternative "
		    "(RFC 5057): less serious."), t->dst);
	if (c->reason_hdr != NULL || c->warning != NULL)
		rules_cat(&t->adv, _(" The server said: %s%s%s."),
		    nz(c->reason_hdr), c->reason_hdr != NULL &&
		    c->warning != NULL ? "; " : "", nz(c->warning));
}

const struct rule_entry rule_retry_after_violation = {
	.id = "retry-after-violation",
	.severity = ALERT_WARNING,
	.kb_code = 503,
	.kb_advice = 1,
	.rfc = "RFC 3261 21.5.4, 20.33; RFC 5390 5",
	.trigger = N_("after a 503 (or 500) with Retry-After: N from server S, "
	    "client C starts a new transaction towards S within N "
	    "seconds"),
	.subject = RULE_SUBJ_SRC,
	.role = "client",
	.burst = 1,
	.detector = "src/track/track-peer.c (peer_request)",
	.text = rules_text_retry_after,
};

static void
rules_text_premature(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("%s sent %s to user %s again %.1f s after a %d "
	    "with Retry-After: %ld"), t->src, nz(c->method), nz(c->target),
	    secs(c->elapsed_us), c->code, c->retry_after);
	rules_cat(&t->adv, _("The called side said when %s would be reachable "
	    "again (%ld s); retrying %.1f s early will most likely fail the "
	    "same way. It is only a hint (RFC 3261 20.33), but dialers and "
	    "call-back features should honour it."), nz(c->target),
	    c->retry_after, (double)c->retry_after - secs(c->elapsed_us));
}

const struct rule_entry rule_premature_retry = {
	.id = "premature-retry",
	.severity = ALERT_NOTICE,
	.kb_code = 480,
	.kb_advice = 1,
	.rfc = "RFC 3261 20.33, 21.4.18, 21.4.24, 21.6",
	.trigger = N_("after a 404/413/480/486/600/603 with Retry-After: N, the "
	    "same caller sends a new request to the same user within "
	    "N seconds"),
	.subject = RULE_SUBJ_SRC,
	.role = "client",
	.burst = 0,
	.detector = "src/track/track-peer.c (peer_request)",
	.text = rules_text_premature,
};

static void
rules_text_burst(const struct rule_ctx *c, struct rule_text *t)
{
	int	top = 0, i, best = 0;
	static const int codes[5] = { 500, 502, 503, 504, 0 };

	rules_cat(&t->sum, _("%s sent %ld 5xx responses within %.0f s (500: %d, "
	    "502: %d, 503: %d, 504: %d, other: %d)"), t->src, c->n,
	    secs(c->elapsed_us), c->codes[0], c->codes[1], c->codes[2],
	    c->codes[3], c->codes[4]);
	for (i = 0; i < 5; i++) {
		if (c->codes[i] > best) {
			best = c->codes[i];
			top = codes[i];
		}
	}
	switch (top) {
	case 503:
		rules_cat(&t->adv, _("Mostly 503: %s is overloaded or in "
		    "maintenance (or a gateway maps trunk causes to 503). "
		    "Clients should fail over and honour Retry-After."), t->src);
		break;
	case 500:
		rules_cat(&t->adv, _("Mostly 500: %s hits internal errors (or "
		    "forwards a downstream 503 as 500, RFC 3261 16.7); check "
		    "its logs."), t->src);
		break;
	case 502:
		rules_cat(&t->adv, _("Mostly 502: the element behind %s returns "
		    "invalid responses."), t->src);
		break;
	case 504:
		rules_cat(&t->adv, _("Mostly 504: a server %s depends on (DNS, "
		    "database, location service) answers too slowly."), t->src);
		break;
	default:
		rules_cat(&t->adv, _("Check %s's logs and the elements behind it."),
		    t->src);
		break;
	}
	if (c->server != NULL)
		rules_cat(&t->adv, _(" It identifies as \"%s\"."), c->server);
}

const struct rule_entry rule_server_error_burst = {
	.id = "server-error-burst",
	.severity = ALERT_ERROR,
	.kb_code = 503,
	.kb_advice = 1,
	.rfc = "RFC 3261 21.5; RFC 6076 4.8",
	.trigger = N_("one server sends K or more 5xx final responses within W "
	    "seconds"),
	.subject = RULE_SUBJ_SRC,
	.role = "server",
	.burst = 1,
	.detector = "src/track/track-peer.c (peer_burst)",
	.text = rules_text_burst,
};
