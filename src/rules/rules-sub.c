/*
 * rules-sub.c: subscription-failed (RFC 6665).
 *
 * The entry and the text of its alert: which subscription was refused,
 * how (481: no such subscription, 489: the event package is not
 * supported), whether inside a dialog or again and again from scratch,
 * and the Allow-Events the refusing side lists.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "rules/rules-int.h"

static void
rules_text_subscription_failed(const struct rule_ctx *c, struct rule_text *t)
{
	const char	*ev = nz(c->contact);

	if (c->flags & RULE_F_IN_DIALOG)
		rules_cat(&t->sum, _("%s of the %s subscription from %s to %s "
		    "answered %d %s inside its dialog: the subscription is "
		    "gone"), nz(c->method), ev, t->src, t->dst, c->code,
		    nz(c->reason));
	else
		rules_cat(&t->sum, _("%s for %s from %s to %s answered %d %s "
		    "%ld times in %.0f s: the subscriber starts over again "
		    "and again"), nz(c->method), ev, t->src, t->dst, c->code,
		    nz(c->reason), c->n, secs(c->elapsed_us));
	if (c->accept != NULL)
		rules_cat(&t->sum, _("; Allow-Events: %s"), c->accept);
	if (c->code == 489) {
		rules_cat(&t->adv, _("The %s event package is not supported "
		    "at %s (RFC 6665 4.1.3, 8.3.2): enable it there (presence, "
		    "BLF hints, mailboxes) or stop the subscriber asking for "
		    "it; resubscribing cannot succeed."), ev,
		    strcmp(nz(c->method), "NOTIFY") == 0 ? t->src : t->dst);
	} else if (strcmp(nz(c->method), "NOTIFY") == 0) {
		rules_cat(&t->adv, _("The subscriber %s no longer knows the "
		    "subscription the notifier still serves (RFC 6665 "
		    "4.2.2): it restarted or a B2BUA/SBC between them lost the "
		    "dialog. The notifier drops it; the subscriber must "
		    "subscribe again."), t->dst);
	} else {
		rules_cat(&t->adv, _("The notifier (or a B2BUA/SBC in front "
		    "of it) has lost the subscription the subscriber refreshes "
		    "(RFC 6665 4.1.2.2): after a restart or fail-over, or an "
		    "SBC that does not keep subscription dialogs. Status "
		    "lamps and message waiting stay stale until a new "
		    "subscription succeeds."));
	}
}

const struct rule_entry rule_subscription_failed = {
	.id = "subscription-failed",
	.severity = ALERT_WARNING,
	.kb_code = 489,
	.kb_advice = 1,
	.rfc = "RFC 6665 4.1.2.2, 4.1.3, 4.2.2; RFC 5057",
	.trigger = N_("an in-dialog SUBSCRIBE or NOTIFY is answered 481 or "
	    "489, or a subscriber starting over is refused so again and "
	    "again"),
	.subject = RULE_SUBJ_TARGET,
	.role = "subscriber",
	.burst = 1,
	.hold_s = 600,
	.detector = "src/track/track-sub.c (sub_final)",
	.text = rules_text_subscription_failed,
};
