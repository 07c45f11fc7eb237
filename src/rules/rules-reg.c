/*
 * rules-reg.c: registration-failed (RFC 3261 10, 22).
 *
 * The entry and the text of its alert: why the REGISTER ended without a
 * binding, from the response itself (the code, whether credentials had
 * been sent, stale=true, the Warning, how often it was sent), and what to
 * check for that cause.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "rules/rules-int.h"

static void
rules_text_registration_failed(const struct rule_ctx *c, struct rule_text *t)
{
	const char	*aor = nz(c->target);

	if (c->code == 0)
		rules_cat(&t->sum, _("REGISTER for %s from %s to %s got no "
		    "response within Timer F (%.1f s; sent %ld time(s) over "
		    "%s): no binding"), aor, t->src, t->dst, secs(c->window_us),
		    c->n, nz(c->transport));
	else
		rules_cat(&t->sum, _("REGISTER for %s from %s to %s ended "
		    "with %d %s: no binding"), aor, t->src, t->dst, c->code,
		    nz(c->reason));
	if (c->warning != NULL)
		rules_cat(&t->sum, _("; Warning: %s"), c->warning);
	if (c->code != 0 && c->n > 1)
		rules_cat(&t->sum, _("; the REGISTER was sent %ld times before "
		    "the answer"), c->n);
	if (c->n2 > 1 && !(c->flags & RULE_F_STALE))
		rules_cat(&t->sum, _(" (%ld failures in %.0f s)"), c->n2,
		    secs(c->elapsed_us));

	switch (c->code) {
	case 0:
		rules_cat(&t->adv, _("The registrar %s never answered this "
		    "client while nothing else shows it down: check the "
		    "address and port the phone registers to (DNS SRV/NAPTR), "
		    "that the registrar listens there, and that its responses "
		    "reach %s (firewall, NAT, Via received/rport)."), t->dst,
		    t->src);
		break;
	case 401:
	case 407:
		if (c->flags & RULE_F_STALE)
			rules_cat(&t->adv, _("The registrar keeps answering "
			    "stale=true (%ld times): its nonces expire before "
			    "the client can use them. Check the registrar's "
			    "nonce lifetime and the clocks of a registrar "
			    "cluster (RFC 3261 22.1)."), c->n2);
		else
			rules_cat(&t->adv, _("The credentials were answered by "
			    "another challenge: the registrar rejected them "
			    "(RFC 3261 22.1). The password, user name or realm "
			    "configured on %s is wrong; a client must not send "
			    "rejected credentials again."), t->src);
		break;
	case 403:
		if (c->flags & RULE_F_AUTH)
			rules_cat(&t->adv, _("The registrar refused the "
			    "credentials: wrong password or user name, or the "
			    "account is disabled (RFC 3261 22.1). Check the "
			    "account configured on %s."), t->src);
		else
			rules_cat(&t->adv, _("The registrar refuses this AOR "
			    "without asking for credentials (RFC 3261 10.3 "
			    "step 4): the device or account is not provisioned "
			    "for it, or an address-based rule (ACL, allowed "
			    "networks) blocks %s."), t->src);
		break;
	case 404:
		rules_cat(&t->adv, _("The registrar does not know this AOR in "
		    "its domain (RFC 3261 10.3 step 5): a wrong user name or "
		    "domain on the phone, or an account not created on the "
		    "registrar."));
		break;
	case 423:
		rules_cat(&t->adv, _("The client keeps asking for a shorter "
		    "registration than the registrar's Min-Expires: it must "
		    "retry with at least that value (RFC 3261 10.2.8). Raise "
		    "the registration interval on the phone."));
		break;
	case 480:
		rules_cat(&t->adv, _("The registrar (or the proxy in front of "
		    "it) could not reach the registrar responsible for this "
		    "domain: a domain it does not serve and cannot resolve "
		    "(see the Warning), or that registrar is down."));
		break;
	case 482:
	case 483:
		rules_cat(&t->adv, _("The REGISTER loops: a proxy forwards "
		    "REGISTERs for this domain back to itself or to another "
		    "proxy that sends them back, until Max-Forwards runs out "
		    "(RFC 3261 16.3). Declare the domain as local on the "
		    "registrar (alias/domain list) or fix the route."));
		break;
	default:
		if (c->code >= 500 && c->code < 600)
			rules_cat(&t->adv, _("The registrar failed (%d): "
			    "it is overloaded, misconfigured or cannot reach "
			    "its database.%s"), c->code, c->retry_after > 0 ?
			    _(" Honour its Retry-After.") : "");
		else
			rules_cat(&t->adv, _("The registrar refused the "
			    "registration with %d."), c->code);
		break;
	}
	rules_cat(&t->adv, _(" Until it registers, calls to %s fail."), aor);
}

const struct rule_entry rule_registration_failed = {
	.id = "registration-failed",
	.severity = ALERT_WARNING,
	.kb_code = 403,
	.kb_advice = 1,
	.rfc = "RFC 3261 10.2, 10.3, 22.1, 17.1.2.2",
	.trigger = N_("a REGISTER ends without a binding: a final 4xx-6xx, "
	    "credentials answered by another challenge, or no answer"),
	.subject = RULE_SUBJ_TARGET,
	.role = "aor",
	.burst = 1,
	.hold_s = 3600,
	.detector = "src/track/track-reg.c (reg_final, reg_timeout)",
	.text = rules_text_registration_failed,
};
