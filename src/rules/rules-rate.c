/*
 * rules-rate.c: call-failure-rate (RFC 6076 4.6-4.8).
 *
 * The entry and the text of its alert: how many call attempts to the
 * server failed in the window, how (4xx, 5xx, no answer), and what each
 * kind usually means.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "rules/rules-int.h"

static void
rules_text_call_failure_rate(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("%ld of %ld call attempts to %s failed in the "
	    "last %.0f s (%.0f %%): %d refused 4xx, %d server errors 5xx, "
	    "%d never answered; latest: %d from %s"), c->n2, c->n, t->dst,
	    secs(c->window_us), c->n > 0 ? 100.0 * (double)c->n2 /
	    (double)c->n : 0.0, c->codes[0], c->codes[1], c->codes[2],
	    c->code, t->src);
	rules_cat(&t->adv, _("These are failures of the network or the "
	    "service, not of the callees (busy, cancelled and challenged "
	    "attempts are not counted, RFC 6076). "));
	if (c->codes[2] >= c->codes[0] && c->codes[2] >= c->codes[1])
		rules_cat(&t->adv, _("Most attempts got no answer at all: %s "
		    "is down, overloaded or unreachable; fail over to "
		    "another route."), t->dst);
	else if (c->codes[1] >= c->codes[0])
		rules_cat(&t->adv, _("Most were 5xx: %s (or what is behind "
		    "it) is failing; check its capacity, trunks and logs."),
		    t->dst);
	else
		rules_cat(&t->adv, _("Most were refused with 4xx: a policy or "
		    "routing change at %s (403: ACL, account or credit; 404/"
		    "484: dial plan; 488: codecs)."), t->dst);
}

const struct rule_entry rule_call_failure_rate = {
	.id = "call-failure-rate",
	.severity = ALERT_ERROR,
	.kb_code = 503,
	.kb_advice = 1,
	.rfc = "RFC 6076 4.6-4.8",
	.trigger = N_("more than PCT percent of at least N call attempts to one "
	    "server within S seconds fail with 4xx (not 401/407/486/487), "
	    "5xx or no answer"),
	.subject = RULE_SUBJ_DST,
	.role = "server",
	.burst = 1,
	.detector = "src/track/track-rate.c (rate_outcome)",
	.text = rules_text_call_failure_rate,
};
