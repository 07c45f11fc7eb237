/*
 * rules-media.c: media-rejected (RFC 3261 21.4.26, 21.6.4, 21.4.13;
 * RFC 3264).
 *
 * The entry and the text of its alert: the offered media lines by name,
 * what the answer says it accepts (its SDP, Accept, the Warning code),
 * and for a re-offer inside a call, that the call goes on with the media
 * it had.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "rules/rules-int.h"

/* Is every media line of the offer summary S disabled (port 0)? */
static int
rules_offer_unusable(const char *s)
{
	const char	*p;
	int		 lines = 1, dead = 0;

	if (s == NULL || *s == '\0')
		return (0);
	for (p = s; (p = strstr(p, "; ")) != NULL; p += 2)
		lines++;
	for (p = s; (p = strstr(p, "(disabled)")) != NULL; p += 10)
		dead++;
	return (dead == lines);
}

static void
rules_text_media_rejected(const struct rule_ctx *c, struct rule_text *t)
{
	int	reoffer = (c->flags & RULE_F_IN_DIALOG) != 0;
	int	t38 = c->offer != NULL && strstr(c->offer, "t38") != NULL;

	if (reoffer)
		rules_cat(&t->sum, _("%s inside the call from %s refused by %s "
		    "with %d %s; offered: %s"), nz(c->method), t->dst, t->src,
		    c->code, nz(c->reason), nz(c->offer));
	else
		rules_cat(&t->sum, _("%s from %s refused by %s with %d %s; "
		    "offered: %s"), nz(c->method), t->dst, t->src, c->code,
		    nz(c->reason), nz(c->offer));
	if (c->answer != NULL)
		rules_cat(&t->sum, _("; the answer's SDP offers: %s"), c->answer);
	if (c->accept != NULL)
		rules_cat(&t->sum, _("; Accept: %s"), c->accept);
	if (c->warning != NULL)
		rules_cat(&t->sum, _("; Warning: %s"), c->warning);

	if (c->code == 415)
		rules_cat(&t->adv, _("%s does not accept the body type of the "
		    "request (RFC 3261 21.4.13); its Accept header lists what "
		    "it takes. "), t->src);
	else if (rules_offer_unusable(c->offer))
		rules_cat(&t->adv, _("The offer holds no usable media (every "
		    "m= line has port 0): the caller has no codec enabled for "
		    "this call, so it can only be refused. Enable at least one "
		    "audio codec on the caller; the network and %s are not at "
		    "fault. "), t->src);
	else if (t38)
		rules_cat(&t->adv, _("%s refused the switch to T.38 fax: fax "
		    "relay is not supported or not enabled on that side (or "
		    "the route to it). Enable T.38 end to end, or send fax as "
		    "G.711 pass-through on purpose (no silence suppression, "
		    "no echo cancellation, jitter buffer fixed). "), t->src);
	else
		rules_cat(&t->adv, _("No media line of the offer was "
		    "acceptable to %s: compare the codecs offered with the "
		    "ones it allows (and RTP against SRTP), using the Warning "
		    "code (304/305: media or format, 370: bandwidth). "),
		    t->src);
	if (reoffer)
		rules_cat(&t->adv, _("The call goes on with the media it had "
		    "(RFC 3261 14.1)%s%s%s."), c->prev != NULL ? ": " : "",
		    nz(c->prev), t38 ? _("; a fax then crosses as audio") : "");
	else
		rules_cat(&t->adv, _("The call fails: nothing the caller "
		    "offered can be used by the callee side."));
}

const struct rule_entry rule_media_rejected = {
	.id = "media-rejected",
	.severity = ALERT_WARNING,
	.kb_code = 488,
	.kb_advice = 1,
	.rfc = "RFC 3261 21.4.26, 21.6.4, 21.4.13, 14.1; RFC 3264",
	.trigger = N_("488, 606 or 415 to an INVITE, re-INVITE or UPDATE "
	    "that carries an SDP offer"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-media.c (media_final)",
	.text = rules_text_media_rejected,
};
