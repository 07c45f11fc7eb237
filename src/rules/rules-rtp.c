/*
 * rules-rtp.c: the media rules (issue 16): no-media, one-way-media,
 * media-nat-mismatch, media-quality, media-timeout, late-media.
 *
 * Each rule is one const struct rule_entry (rules.h); the tracker
 * (src/track/track-rtp.c) decides them from the calls' SDP and the RTP
 * streams tied to each call, and hands the evidence over in
 * rule_ctx.media (struct rule_media).  Summaries say what was measured;
 * the advice names the side and the likely cause the evidence points to.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "rules/rules-int.h"

static const char *
rules_party(const char *p)
{
	if (p == NULL)
		return ("?");
	return (strcmp(p, "caller") == 0 ? _("caller") : _("callee"));
}

static const char *
rules_other(const char *p)
{
	if (p == NULL)
		return ("?");
	return (strcmp(p, "caller") == 0 ? _("callee") : _("caller"));
}

static void
rules_text_no_media(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_media	*m = c->media;

	rules_cat(&t->sum, _("No RTP in either direction %.1f s after the "
	    "answer: the caller announced %s, the callee %s"),
	    secs(m->silence_us), nz(m->party_rtp), nz(m->other_rtp));
	if (m->codec != NULL)
		rules_cat(&t->sum, _(" (%s)"), m->codec);
	rules_cat(&t->adv, _("The call is up but no audio flows. This capture "
	    "sees RTP of these hosts elsewhere, so the media would be seen "
	    "here. Check that both media addresses are reachable from each "
	    "other (a private address in an SDP that crosses a NAT, a "
	    "firewall that blocks the RTP port range), that the SDP "
	    "addresses are the ones the endpoints really use, and that a "
	    "media relay or SBC on the path is running."));
}

const struct rule_entry rule_no_media = {
	.id = "no-media",
	.severity = ALERT_ERROR,
	.kb_code = 200,
	.kb_advice = 0,
	.rfc = "RFC 3264 5, 6; RFC 3550 6.2",
	.trigger = N_("an answered call carries no RTP in either direction "
	    "within N seconds (default 5)"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-rtp.c (cm_check)",
	.text = rules_text_no_media,
};

static void
rules_text_one_way(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_media	*m = c->media;
	const char		*who = rules_party(m->party);
	const char		*other = rules_other(m->party);

	rules_cat(&t->sum, _("One-way audio: the %s (%s) sent %llu RTP "
	    "packet(s) while the %s (%s) sent %llu; the %s has been silent "
	    "for %.1f s though both sides negotiated sendrecv"), who,
	    nz(m->party_rtp), (unsigned long long)m->sent, other,
	    nz(m->other_rtp), (unsigned long long)m->heard, who,
	    secs(m->silence_us));
	rules_cat(&t->adv, _("The %s hears nothing from the %s. "), other,
	    who);
	if (m->cause & RULE_MC_PRIVATE)
		rules_cat(&t->adv, _("The %s announced the private address %s "
		    "while its SIP came from the public address %s: it is "
		    "behind a NAT that does not rewrite the SDP (no SIP ALG, no "
		    "media relay), so its RTP, if it leaves at all, is not "
		    "where the %s expects it. Use a media relay or SBC that "
		    "latches onto the RTP source (comedia), or configure the "
		    "%s's public address (STUN, external IP). "), who,
		    nz(m->party_rtp), nz(m->party_sig), other, who);
	if (m->cause & RULE_MC_PEER_PRIVATE)
		rules_cat(&t->adv, _("The %s announced a private address (%s) "
		    "behind public SIP: the %s's RTP goes to an address it "
		    "cannot reach. "), other, nz(m->other_rtp), who);
	if (m->cause & RULE_MC_RELAY)
		rules_cat(&t->adv, _("The %s's RTP reaches %s, the address the "
		    "SDP at another hop announced (a media relay or SBC), but "
		    "nothing leaves it towards the %s (%s): the relay drops it "
		    "or sends it elsewhere; check its logs and its "
		    "configuration for this call. "), who, nz(m->rtp_src), other,
		    nz(m->other_rtp));
	if (m->cause & RULE_MC_OTHER_PORT)
		rules_cat(&t->adv, _("RTP from the %s goes to an address or "
		    "port the %s did not announce: check the NAT or SBC "
		    "between them. "), who, other);
	if (m->cause & RULE_MC_HOLD)
		rules_cat(&t->adv, _("Its RTP stopped when the call was put on "
		    "hold and did not restart after the resume (re-INVITE at "
		    "%.1f s into the hold): check the %s's handling of "
		    "re-INVITE. "), secs(m->resume_us - m->hold_us), who);
	if ((m->cause & RULE_MC_NEVER_SENT) &&
	    !(m->cause & (RULE_MC_PRIVATE | RULE_MC_OTHER_PORT)))
		rules_cat(&t->adv, _("The %s sent no RTP stream that this "
		    "capture saw (%llu packet(s) in all): check its microphone "
		    "or mute, a codec it cannot encode, or a firewall on its "
		    "side that blocks outgoing media (with nothing sent, no "
		    "NAT or firewall on its side ever opens the way back "
		    "either). "), who, (unsigned long long)m->sent);
	else if (!(m->cause & (RULE_MC_PRIVATE | RULE_MC_PEER_PRIVATE |
	    RULE_MC_OTHER_PORT | RULE_MC_HOLD)))
		rules_cat(&t->adv, _("Its stream stopped while the call "
		    "stayed up: check the %s's media path (NAT binding, "
		    "firewall timeout, a media server that stopped). "), who);
	if (m->cause & RULE_MC_SHARED)
		rules_cat(&t->adv, _("The media runs directly between the two "
		    "legs' endpoints (a B2BUA's direct media): the other leg "
		    "describes the same streams."));
}

const struct rule_entry rule_one_way_media = {
	.id = "one-way-media",
	.severity = ALERT_ERROR,
	.kb_code = 200,
	.kb_advice = 0,
	.rfc = "RFC 3264 6.1; RFC 3550 5.1; RFC 4961",
	.trigger = N_("an answered call whose SDP lets both sides send "
	    "carries RTP one way only"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-rtp.c (cm_check)",
	.text = rules_text_one_way,
};

static void
rules_text_nat(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_media	*m = c->media;

	if (m->cause & RULE_MC_PRIVATE) {
		rules_cat(&t->sum, _("The %s's SDP announces the private "
		    "address %s while its SIP came from the public address %s"),
		    rules_party(m->party), nz(m->party_rtp), nz(m->party_sig));
		rules_cat(&t->adv, _("A NAT is between the %s and this point "
		    "and nothing rewrote the SDP: the far end will send RTP to "
		    "an address it cannot reach, unless a media relay or SBC "
		    "latches onto the RTP source (symmetric RTP, RFC 4961). If "
		    "the call has one-way or no audio, this is why: use a "
		    "media relay, or give the %s its public address (STUN, "
		    "external IP)."), rules_party(m->party),
		    rules_party(m->party));
		return;
	}
	rules_cat(&t->sum, _("RTP to %s comes from %s, another port than "
	    "the sender announced"), nz(m->other_rtp), nz(m->rtp_src));
	rules_cat(&t->adv, _("A NAT on the path changed the source port (or "
	    "the endpoint sends from another port than it receives on). "
	    "Symmetric RTP (RFC 4961) expects both to be the same: an "
	    "endpoint or SBC that sends its RTP back to the announced port "
	    "is sending it where no one listens. If the call has one-way "
	    "audio, look at that NAT."));
}

const struct rule_entry rule_media_nat_mismatch = {
	.id = "media-nat-mismatch",
	.severity = ALERT_NOTICE,
	.kb_code = 200,
	.kb_advice = 0,
	.rfc = "RFC 3264 5; RFC 4961; RFC 3605",
	.trigger = N_("an SDP address is private while its SIP came from a "
	    "public one, or RTP arrives from another port than announced"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-rtp.c (cm_check)",
	.text = rules_text_nat,
};

static void
rules_text_quality(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_media	*m = c->media;
	int			 n = 0;

	rules_cat(&t->sum, _("Poor audio on the stream %s -> %s"),
	    nz(m->rtp_src), nz(m->other_rtp));
	if (m->codec != NULL)
		rules_cat(&t->sum, _(" (%s)"), m->codec);
	rules_cat(&t->sum, _(": %lld of %lld packets lost (%.1f %%)"),
	    (long long)m->lost, (long long)m->expected, m->loss_pct);
	if (m->jitter_ms >= 0)
		rules_cat(&t->sum, _(", mean jitter %.1f ms"), m->jitter_ms);
	if (m->mos > 0)
		rules_cat(&t->sum, _(", MOS %.2f"), m->mos);
	if (m->mos > 0 && m->late > 0)
		rules_cat(&t->sum, _(" (%llu packets too late for a 60 ms "
		    "jitter buffer count as lost)"), (unsigned long long)m->late);
	rules_cat(&t->sum, _(" over %.1f s"), secs(m->silence_us));
	rules_cat(&t->adv, _("Beyond the thresholds ("));
	if (m->loss_pct > m->max_loss_pct) {
		rules_cat(&t->adv, _("loss above %.1f %%"), m->max_loss_pct);
		n++;
	}
	if (m->jitter_ms > m->max_jitter_ms) {
		rules_cat(&t->adv, _("%sjitter above %.1f ms"), n ? ", " : "",
		    m->max_jitter_ms);
		n++;
	}
	if (m->mos > 0 && m->mos < m->min_mos)
		rules_cat(&t->adv, _("%sMOS below %.2f"), n ? ", " : "",
		    m->min_mos);
	rules_cat(&t->adv, _("). The listener at %s hears gaps or robotic "
	    "audio. Loss and jitter arise between the sender %s and this "
	    "capture point when they show here; if the capture sits next to "
	    "the receiver, the whole path is in question: check congestion "
	    "and QoS (DSCP EF) on the links, Wi-Fi, and the sender's CPU. "),
	    nz(m->other_rtp), nz(m->rtp_src));
}

const struct rule_entry rule_media_quality = {
	.id = "media-quality",
	.severity = ALERT_WARNING,
	.kb_code = 200,
	.kb_advice = 0,
	.rfc = "RFC 3550 6.4, A.3, A.8; ITU-T G.107",
	.trigger = N_("a stream's loss, jitter or MOS is beyond "
	    "--media-thresholds"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-rtp.c (cm_grade)",
	.text = rules_text_quality,
};

static void
rules_text_timeout(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_media	*m = c->media;

	rules_cat(&t->sum, _("RTP stopped in both directions for %.1f s while "
	    "the call is up and not on hold (%s <-> %s)"),
	    secs(m->silence_us), nz(m->party_rtp), nz(m->other_rtp));
	rules_cat(&t->adv, _("Dead air: the signalling still holds the call "
	    "but no audio flows. Usually a NAT binding or firewall state for "
	    "the RTP ports expired, a media server or gateway stopped, or "
	    "one side lost the call without a BYE; a session timer (RFC "
	    "4028) or the RTP timeout of the PBX will end it later."));
}

const struct rule_entry rule_media_timeout = {
	.id = "media-timeout",
	.severity = ALERT_ERROR,
	.kb_code = 200,
	.kb_advice = 0,
	.rfc = "RFC 3550 6.3.5; RFC 4028",
	.trigger = N_("RTP stops in every direction for N seconds (default "
	    "15) in a call that is up and not on hold"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-rtp.c (cm_check)",
	.text = rules_text_timeout,
};

static void
rules_text_late(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_media	*m = c->media;

	rules_cat(&t->sum, _("The first RTP came %.1f s after the answer"),
	    secs(m->silence_us));
	rules_cat(&t->adv, _("The start of the conversation is clipped: the "
	    "caller misses the first words or the greeting. Media that starts "
	    "late usually waits for something after the 200 OK: the ACK "
	    "crossing a slow path, a media server or IVR that is slow to "
	    "start, ICE or a NAT keepalive that opens the path late."));
}

const struct rule_entry rule_late_media = {
	.id = "late-media",
	.severity = ALERT_WARNING,
	.kb_code = 200,
	.kb_advice = 0,
	.rfc = "RFC 3264 5; RFC 3261 13.3.1.4",
	.trigger = N_("the first RTP of a call comes more than N ms after the "
	    "answer (default 2000)"),
	.subject = RULE_SUBJ_CALL,
	.role = "call",
	.burst = 0,
	.detector = "src/track/track-rtp.c (cm_check)",
	.text = rules_text_late,
};
