/*
 * rules-refer.c: the transfer rules: REFER and its NOTIFYs (RFC 3515).
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
rules_text_refer_no_notify(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("REFER from %s to %s was accepted with %d but no "
	    "NOTIFY (Event: refer) arrived within 64*T1 (%.1f s)"), t->src, t->dst,
	    c->code, secs(c->window_us));
	rules_cat(&t->adv, _("Accepting a REFER creates an implicit "
	    "subscription and the transferee must send a NOTIFY at once "
	    "(RFC 3515 2.4.4); without it the transferor cannot tell whether "
	    "the transfer to %s worked. Check that NOTIFY is routed to the "
	    "REFER's Contact, or have the transferee answer with Refer-Sub: "
	    "false (RFC 4488) if it does not report progress."),
	    c->contact != NULL ? c->contact : _("the target"));
	if (c->code == 202)
		rules_cat(&t->adv, _(" Note: 202 to REFER is deprecated; RFC 7647 "
		    "asks for 200, and both mean the same."));
}

const struct rule_entry rule_refer_no_notify = {
	.id = "refer-no-notify",
	.severity = ALERT_WARNING,
	.kb_code = 202,
	.kb_advice = 1,
	.rfc = "RFC 3515 2.4.4; RFC 6665 4.1.2.4 (Timer N); RFC 7647 5",
	.trigger = N_("a REFER is accepted (200 or 202) and no NOTIFY for it "
	    "arrives within 64*T1"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-refer.c (refer_timer)",
	.text = rules_text_refer_no_notify,
};

static void
rules_text_refer_rejected(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("REFER from %s to %s (transfer to %s) was rejected "
	    "with %d %s"), t->src, t->dst,
	    c->contact != NULL ? c->contact : "?", c->code, nz(c->reason));
	switch (c->code) {
	case 400:
		rules_cat(&t->adv, _("The REFER was malformed: it needs exactly "
		    "one Refer-To (RFC 3515 2.4.2)."));
		break;
	case 403:
	case 603:
		rules_cat(&t->adv, _("The transferee refused the transfer by "
		    "policy or by its user; transfer through the PBX instead."));
		break;
	case 405:
	case 501:
		rules_cat(&t->adv, _("The transferee does not support REFER: "
		    "transfer through the PBX (or a B2BUA) instead."));
		break;
	case 420:
		rules_cat(&t->adv, _("The transferee does not support an "
		    "extension the REFER required (norefersub?): send it "
		    "without Require (RFC 4488)."));
		break;
	case 429:
		rules_cat(&t->adv, _("The transferee wants a valid Referred-By "
		    "token (RFC 3892)."));
		break;
	case 481:
		rules_cat(&t->adv, _("The dialog the REFER was sent in no longer "
		    "exists at the transferee: it had already ended the call."));
		break;
	case 488:
	case 606:
		if (c->flags & RULE_F_REPLACES)
			rules_cat(&t->adv, _("The transferee did not accept "
			    "the transfer itself: the Refer-To asks it to "
			    "replace a dialog (attended transfer, Replaces, RFC "
			    "3891) that it cannot use - already ended, "
			    "unknown to it, or not on that device. Check which "
			    "call the Replaces names; this is not about "
			    "codecs."));
		else
			rules_cat(&t->adv, _("The transferee did not accept "
			    "the transfer target or the way the REFER asks for "
			    "it (the Refer-To URI, its method or headers): "
			    "check the Refer-To. A REFER carries no media "
			    "offer: this is not about codecs."));
		break;
	default:
		rules_cat(&t->adv, _("The transfer did not start; the original "
		    "call is unchanged."));
		break;
	}
	if (c->warning != NULL)
		rules_cat(&t->adv, _(" Warning: %s."), c->warning);
}

const struct rule_entry rule_refer_rejected = {
	.id = "refer-rejected",
	.severity = ALERT_WARNING,
	.kb_code = 603,
	.kb_advice = 1,
	.rfc = "RFC 3515 2.4.2",
	.trigger = N_("a REFER gets a final response of 300 or above (401/407 "
	    "challenges excepted)"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-refer.c (refer_response)",
	.text = rules_text_refer_rejected,
};

static void
rules_text_transfer_failed(const struct rule_ctx *c, struct rule_text *t)
{
	rules_cat(&t->sum, _("Transfer to %s failed: NOTIFY from %s reports "
	    "\"SIP/2.0 %d %s\""), c->contact != NULL ? c->contact : "?", t->src,
	    c->code, nz(c->reason));
	rules_cat(&t->adv, _("The REFER was accepted, but the transferee's own "
	    "call to the transfer target ended with %d"), c->code);
	if (c->code == 486 || c->code == 600)
		rules_cat(&t->adv, _(" (the target was busy)"));
	else if (c->code == 603)
		rules_cat(&t->adv, _(" (the target declined)"));
	else if (c->code == 480 || c->code == 408 || c->code == 487)
		rules_cat(&t->adv, _(" (the target did not answer)"));
	else if (c->code == 404 || c->code == 484 || c->code == 604)
		rules_cat(&t->adv, _(" (the target does not exist: check the "
		    "Refer-To)"));
	else if (c->code >= 500 && c->code < 600)
		rules_cat(&t->adv, _(" (a server on the way to the target failed)"));
	rules_cat(&t->adv, _(". The transferor keeps (or can retrieve) the "
	    "original call (RFC 3515 2.4.5)."));
}

const struct rule_entry rule_transfer_failed = {
	.id = "transfer-failed",
	.severity = ALERT_WARNING,
	.kb_code = 486,
	.kb_advice = 1,
	.rfc = "RFC 3515 2.4.5; RFC 3420",
	.trigger = N_("a NOTIFY's message/sipfrag body reports a final status of "
	    "300 or above for a REFER"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-refer.c (refer_notify)",
	.text = rules_text_transfer_failed,
};
