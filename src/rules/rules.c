/*
 * rules.c: the rule catalogue and the text of every alert.
 *
 * The catalogue is one const table indexed by enum rule_id.  rules_alert()
 * writes a summary (what happened, with the numbers that prove it) and
 * advice (what it usually means and what to check, using what the
 * message itself says), then appends the knowledge-base fix for the
 * alert's code.  All format strings go through _() for translation.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "rules/rules.h"

static const struct rule_def rules_table[RULE_COUNT] = {
	[RULE_INVITE_TIMEOUT] = {
		"invite-timeout", ALERT_ERROR, 408, 1,
		"RFC 3261 17.1.1.2 (Timer B), 8.1.3.1",
		N_("an INVITE client transaction gets no response within "
		    "Timer B (64*T1)") },
	[RULE_NON_INVITE_TIMEOUT] = {
		"non-invite-timeout", ALERT_WARNING, 408, 1,
		"RFC 3261 17.1.2.2 (Timer F); RFC 4320",
		N_("a non-INVITE request gets no final response within "
		    "Timer F (64*T1)") },
	[RULE_ACK_MISSING] = {
		"ack-missing", ALERT_ERROR, 200, 1,
		"RFC 3261 13.3.1.4, 13.2.2.4",
		N_("a 2xx to INVITE is not ACKed within 64*T1") },
	[RULE_RETRANSMISSION] = {
		"retransmission", ALERT_WARNING, 408, 1,
		"RFC 3261 17.1.1.2, 17.1.2.2",
		N_("a request is sent 3 or more times over UDP, or "
		    "retransmitted at all over a reliable transport") },
	[RULE_REFER_NO_NOTIFY] = {
		"refer-no-notify", ALERT_WARNING, 202, 1,
		"RFC 3515 2.4.4; RFC 6665 4.1.2.4 (Timer N); RFC 7647 5",
		N_("a REFER is accepted (200 or 202) and no NOTIFY for it "
		    "arrives within 64*T1") },
	[RULE_REFER_REJECTED] = {
		"refer-rejected", ALERT_WARNING, 603, 1,
		"RFC 3515 2.4.2",
		N_("a REFER gets a final response of 300 or above (401/407 "
		    "challenges excepted)") },
	[RULE_TRANSFER_FAILED] = {
		"transfer-failed", ALERT_WARNING, 486, 1,
		"RFC 3515 2.4.5; RFC 3420",
		N_("a NOTIFY's message/sipfrag body reports a final status of "
		    "300 or above for a REFER") },
	[RULE_RETRY_AFTER_VIOLATION] = {
		"retry-after-violation", ALERT_WARNING, 503, 1,
		"RFC 3261 21.5.4, 20.33; RFC 5390 5",
		N_("after a 503 (or 500) with Retry-After: N from server S, "
		    "client C starts a new transaction towards S within N "
		    "seconds") },
	[RULE_PREMATURE_RETRY] = {
		"premature-retry", ALERT_NOTICE, 480, 1,
		"RFC 3261 20.33, 21.4.18, 21.4.24, 21.6",
		N_("after a 404/413/480/486/600/603 with Retry-After: N, the "
		    "same caller sends a new request to the same user within "
		    "N seconds") },
	[RULE_SERVER_ERROR_BURST] = {
		"server-error-burst", ALERT_ERROR, 503, 1,
		"RFC 3261 21.5; RFC 6076 4.8",
		N_("one server sends K or more 5xx final responses within W "
		    "seconds") },
	[RULE_BAD_GATEWAY] = {
		"bad-gateway", ALERT_ERROR, 502, 1,
		"RFC 3261 21.5.3; RFC 5057 note 14",
		N_("a 502 Bad Gateway response") },
	[RULE_REDIRECT_LOOP] = {
		"redirect-loop", ALERT_ERROR, 302, 1,
		"RFC 3261 8.1.3.4, 16.5",
		N_("a 3xx Contact leads back to a target already tried in "
		    "the same call") },
	[RULE_GLOBAL_FAILURE] = {
		"global-failure", ALERT_NOTICE, 600, 1,
		"RFC 3261 21.6, 16.7 step 6; RFC 8197; RFC 8688",
		N_("a 6xx final response ends a call") },
	[RULE_SCANNER] = {
		"scanner", ALERT_WARNING, 403, 0,
		"RFC 3261 26.1.5; SIPVicious and operator blocklists",
		N_("a source sends requests with a known scanner User-Agent, "
		    "or probes many distinct users and is mostly refused "
		    "(401/403/404)") },
	[RULE_AUTH_FAILURE_BURST] = {
		"auth-failure-burst", ALERT_ERROR, 403, 1,
		"RFC 3261 22.1, 22.2, 26.1.5",
		N_("repeated 401/403 to REGISTERs that carry credentials, "
		    "from one source for one AOR") },
	[RULE_LOOP_DETECTED] = {
		"loop-detected", ALERT_ERROR, 483, 1,
		"RFC 3261 16.3 steps 3-4, 8.2.2.2; RFC 5393 4",
		N_("a 482 or 483 response, or a request whose Via list "
		    "passes the same element twice with the same branch") },
};

const struct rule_def *
rules_def(enum rule_id id)
{
	if ((unsigned)id >= RULE_COUNT)
		return (NULL);
	return (&rules_table[id]);
}

int
rules_find(const char *name)
{
	int	i;

	for (i = 0; i < RULE_COUNT; i++) {
		if (strcmp(rules_table[i].id, name) == 0)
			return (i);
	}
	return (-1);
}

/* A growing string. */
struct rules_buf {
	char	*s;
	size_t	 len;
};

static void
rules_cat(struct rules_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
rules_cat(struct rules_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*add;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&add, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("out of memory");
	b->s = xrealloc(b->s, b->len + (size_t)n + 1);
	memcpy(b->s + b->len, add, (size_t)n + 1);
	b->len += (size_t)n;
	free(add);
}

/* A string for printing: "" for NULL. */
static const char *
nz(const char *s)
{
	return (s != NULL ? s : "");
}

static double
secs(int64_t us)
{
	return ((double)us / 1e6);
}

static const char *
addr(const struct sw_addr *a, char *buf)
{
	if (a == NULL)
		return ("?");
	return (sw_addr_format(a, buf, SW_ADDRSTRLEN));
}

static void
rules_text_invite_timeout(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("INVITE from %s to %s got no response at all within "
	    "Timer B (%.1f s); sent %ld time(s) over %s"), src, dst,
	    secs(c->window_us), c->n, nz(c->transport));
	rules_cat(adv, _("The next hop %s never answered, not even with 100 "
	    "Trying: it is down or unreachable, or its responses do not come "
	    "back (firewall, NAT, a wrong Via sent-by or missing rport). The "
	    "caller treats this as 408 and should fail over to the next DNS "
	    "SRV target. Check that %s is up and listening on %s."), dst, dst,
	    nz(c->transport));
}

static void
rules_text_non_invite_timeout(const struct rule_ctx *c,
    struct rules_buf *sum, struct rules_buf *adv, const char *src,
    const char *dst)
{
	const char	*m = nz(c->method);

	if (c->flags & RULE_F_PROVISIONAL)
		rules_cat(sum, _("%s from %s to %s got a provisional response "
		    "but no final response within Timer F (%.1f s); sent %ld "
		    "time(s) over %s"), m, src, dst, secs(c->window_us), c->n,
		    nz(c->transport));
	else
		rules_cat(sum, _("%s from %s to %s got no response within "
		    "Timer F (%.1f s); sent %ld time(s) over %s"), m, src, dst,
		    secs(c->window_us), c->n, nz(c->transport));
	if (strcmp(m, "REGISTER") == 0)
		rules_cat(adv, _("The registration did not complete: the "
		    "user cannot receive calls until it does. "));
	else if (strcmp(m, "BYE") == 0)
		rules_cat(adv, _("The far end may keep the session (and "
		    "billing) open; the caller has already dropped it. "));
	else if (strcmp(m, "OPTIONS") == 0)
		rules_cat(adv, _("A keep-alive or capability probe failed: "
		    "the peer is probably down or unreachable. "));
	else if (strcmp(m, "NOTIFY") == 0)
		rules_cat(adv, _("The notifier should now drop the "
		    "subscription (RFC 6665 4.2.2). "));
	rules_cat(adv, _("A non-INVITE timeout is the only signal a client "
	    "gets: stateful elements must not send 408 for it (RFC 4320). "
	    "Check that %s is up and that its responses are routed back to "
	    "%s (Via received/rport, NAT, firewall)."), dst, src);
}

static void
rules_text_ack_missing(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("%d to INVITE from %s to %s was not ACKed within "
	    "64*T1 (%.1f s); the 2xx was sent %ld time(s)"), c->code, src,
	    dst, secs(c->window_us), c->n);
	if (c->flags & RULE_F_CALLEE_BYE)
		rules_cat(sum, _(" and the callee then ended the call with "
		    "BYE"));
	rules_cat(adv, _("This is the \"call drops after 32 seconds\" "
	    "pattern: the ACK does not reach the callee, which keeps "
	    "retransmitting the 2xx and then hangs up (RFC 3261 13.3.1.4). "
	    "The ACK is sent to the 2xx's Contact through the Record-Route "
	    "set, so check whether that Contact%s%s%s can be reached (a "
	    "private address behind NAT, or an SBC that did not rewrite it, "
	    "are the usual causes) and that every proxy on the path "
	    "Record-Routes."), c->contact != NULL ? " (" : "",
	    nz(c->contact), c->contact != NULL ? ")" : "");
}

static void
rules_text_retransmission(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	const char	*m = nz(c->method);

	rules_cat(sum, _("%s from %s to %s was sent %ld times over %s "
	    "(%ld retransmissions in %.1f s)"), m, src, dst, c->n,
	    nz(c->transport), c->n - 1, secs(c->elapsed_us));
	if (c->flags & RULE_F_RELIABLE) {
		rules_cat(adv, _("Requests are never retransmitted over a "
		    "reliable transport: Timers A and E run only on UDP (RFC "
		    "3261 17.1.1.2, 17.1.2.2). The sender is misconfigured or "
		    "its responses are lost above the transport; check %s's "
		    "transport settings."), src);
		return;
	}
	if (c->flags & RULE_F_FINAL_SEEN)
		rules_cat(adv, _("A final response was sent, yet the request "
		    "was repeated: the response is not reaching %s. "), src);
	else if (c->flags & RULE_F_PROVISIONAL)
		rules_cat(adv, _("A provisional response was sent, yet the "
		    "request was repeated: responses are not reaching %s. "),
		    src);
	else
		rules_cat(adv, _("No response came back between the sends. "));
	rules_cat(adv, _("Either %s is slow or not answering, or its "
	    "responses are lost on the way back (NAT, firewall, responses "
	    "sent to the Via sent-by instead of received/rport, RFC 3581). "
	    "Retransmissions add load and delay call setup."), dst);
}

static void
rules_text_refer_no_notify(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("REFER from %s to %s was accepted with %d but no "
	    "NOTIFY (Event: refer) arrived within 64*T1 (%.1f s)"), src, dst,
	    c->code, secs(c->window_us));
	rules_cat(adv, _("Accepting a REFER creates an implicit "
	    "subscription and the transferee must send a NOTIFY at once "
	    "(RFC 3515 2.4.4); without it the transferor cannot tell whether "
	    "the transfer to %s worked. Check that NOTIFY is routed to the "
	    "REFER's Contact, or have the transferee answer with Refer-Sub: "
	    "false (RFC 4488) if it does not report progress."),
	    c->contact != NULL ? c->contact : _("the target"));
	if (c->code == 202)
		rules_cat(adv, _(" Note: 202 to REFER is deprecated; RFC 7647 "
		    "asks for 200, and both mean the same."));
}

static void
rules_text_refer_rejected(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("REFER from %s to %s (transfer to %s) was rejected "
	    "with %d %s"), src, dst,
	    c->contact != NULL ? c->contact : "?", c->code, nz(c->reason));
	switch (c->code) {
	case 400:
		rules_cat(adv, _("The REFER was malformed: it needs exactly "
		    "one Refer-To (RFC 3515 2.4.2)."));
		break;
	case 403:
	case 603:
		rules_cat(adv, _("The transferee refused the transfer by "
		    "policy or by its user; transfer through the PBX instead."));
		break;
	case 405:
	case 501:
		rules_cat(adv, _("The transferee does not support REFER: "
		    "transfer through the PBX (or a B2BUA) instead."));
		break;
	case 420:
		rules_cat(adv, _("The transferee does not support an "
		    "extension the REFER required (norefersub?): send it "
		    "without Require (RFC 4488)."));
		break;
	case 429:
		rules_cat(adv, _("The transferee wants a valid Referred-By "
		    "token (RFC 3892)."));
		break;
	case 481:
		rules_cat(adv, _("The dialog the REFER was sent in no longer "
		    "exists at the transferee: it had already ended the call."));
		break;
	default:
		rules_cat(adv, _("The transfer did not start; the original "
		    "call is unchanged."));
		break;
	}
	if (c->warning != NULL)
		rules_cat(adv, _(" Warning: %s."), c->warning);
}

static void
rules_text_transfer_failed(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("Transfer to %s failed: NOTIFY from %s reports "
	    "\"SIP/2.0 %d %s\""), c->contact != NULL ? c->contact : "?", src,
	    c->code, nz(c->reason));
	rules_cat(adv, _("The REFER was accepted, but the transferee's own "
	    "call to the transfer target ended with %d"), c->code);
	if (c->code == 486 || c->code == 600)
		rules_cat(adv, _(" (the target was busy)"));
	else if (c->code == 603)
		rules_cat(adv, _(" (the target declined)"));
	else if (c->code == 480 || c->code == 408 || c->code == 487)
		rules_cat(adv, _(" (the target did not answer)"));
	else if (c->code == 404 || c->code == 484 || c->code == 604)
		rules_cat(adv, _(" (the target does not exist: check the "
		    "Refer-To)"));
	else if (c->code >= 500 && c->code < 600)
		rules_cat(adv, _(" (a server on the way to the target failed)"));
	rules_cat(adv, _(". The transferor keeps (or can retrieve) the "
	    "original call (RFC 3515 2.4.5)."));
}

static void
rules_text_retry_after(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("%s sent %s to %s %.1f s after a %d with "
	    "Retry-After: %ld"), src, nz(c->method), dst, secs(c->elapsed_us),
	    c->code, c->retry_after);
	rules_cat(adv, _("Server %s asked clients not to send it any other "
	    "request for %ld s (RFC 3261 21.5.4); %s started a new "
	    "transaction %.1f s early. Retrying into an overloaded server "
	    "keeps it overloaded: configure %s to honour Retry-After (mark "
	    "the server down and fail over to another one, RFC 3263 4.3)."),
	    dst, c->retry_after, src, (double)c->retry_after -
	    secs(c->elapsed_us), src);
	if (c->flags & RULE_F_IN_DIALOG)
		rules_cat(adv, _(" The request belongs to a dialog whose "
		    "route passes through %s, so there was no alternative "
		    "(RFC 5057): less serious."), dst);
	if (c->reason_hdr != NULL || c->warning != NULL)
		rules_cat(adv, _(" The server said: %s%s%s."),
		    nz(c->reason_hdr), c->reason_hdr != NULL &&
		    c->warning != NULL ? "; " : "", nz(c->warning));
}

static void
rules_text_premature(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("%s sent %s to user %s again %.1f s after a %d "
	    "with Retry-After: %ld"), src, nz(c->method), nz(c->target),
	    secs(c->elapsed_us), c->code, c->retry_after);
	rules_cat(adv, _("The called side said when %s would be reachable "
	    "again (%ld s); retrying %.1f s early will most likely fail the "
	    "same way. It is only a hint (RFC 3261 20.33), but dialers and "
	    "call-back features should honour it."), nz(c->target),
	    c->retry_after, (double)c->retry_after - secs(c->elapsed_us));
}

static void
rules_text_burst(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	int	top = 0, i, best = 0;
	static const int codes[5] = { 500, 502, 503, 504, 0 };

	rules_cat(sum, _("%s sent %ld 5xx responses within %.0f s (500: %d, "
	    "502: %d, 503: %d, 504: %d, other: %d)"), src, c->n,
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
		rules_cat(adv, _("Mostly 503: %s is overloaded or in "
		    "maintenance (or a gateway maps trunk causes to 503). "
		    "Clients should fail over and honour Retry-After."), src);
		break;
	case 500:
		rules_cat(adv, _("Mostly 500: %s hits internal errors (or "
		    "forwards a downstream 503 as 500, RFC 3261 16.7); check "
		    "its logs."), src);
		break;
	case 502:
		rules_cat(adv, _("Mostly 502: the element behind %s returns "
		    "invalid responses."), src);
		break;
	case 504:
		rules_cat(adv, _("Mostly 504: a server %s depends on (DNS, "
		    "database, location service) answers too slowly."), src);
		break;
	default:
		rules_cat(adv, _("Check %s's logs and the elements behind it."),
		    src);
		break;
	}
	if (c->server != NULL)
		rules_cat(adv, _(" It identifies as \"%s\"."), c->server);
}

static void
rules_text_bad_gateway(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("502 %s from %s to %s for %s"), nz(c->reason), src,
	    dst, nz(c->method));
	if (c->server != NULL)
		rules_cat(sum, _("; generated by \"%s\""), c->server);
	if (c->warning != NULL)
		rules_cat(sum, _("; Warning: %s"), c->warning);
	if (c->reason_hdr != NULL)
		rules_cat(sum, _("; Reason: %s"), c->reason_hdr);
	if (c->peer != NULL)
		rules_cat(adv, _("%s, acting as a proxy or gateway, forwarded "
		    "the request to %s and got an invalid (or no usable) "
		    "response from it (RFC 3261 21.5.3). Check %s: its "
		    "responses, and whether it is up."), src, c->peer, c->peer);
	else
		rules_cat(adv, _("%s, acting as a proxy or gateway, got an "
		    "invalid (or no usable) response from the next element "
		    "(RFC 3261 21.5.3); that element is not in this capture. "
		    "Its Warning or Reason header, if any, names it."), src);
	if (c->flags & RULE_F_IN_DIALOG)
		rules_cat(adv, _(" Inside a dialog a 502 usually means a "
		    "broken Record-Route (RFC 5057)."));
}

static void
rules_text_redirect_loop(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	if (c->flags & RULE_F_SELF)
		rules_cat(sum, _("%d from %s redirects the call to %s, the "
		    "URI it was sent to"), c->code, src, nz(c->contact));
	else
		rules_cat(sum, _("%d from %s redirects the call back to %s, "
		    "already tried in this call (%ld target(s) tried)"),
		    c->code, src, nz(c->contact), c->n);
	rules_cat(adv, _("A URI must not be tried twice in one call (RFC 3261 "
	    "8.1.3.4): the redirects form a loop. Look for call forwarding "
	    "that points back (A forwards to B, B forwards to A) or a "
	    "redirect server whose routing sends the call to itself."));
}

static void
rules_text_global_failure(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	rules_cat(sum, _("Call from %s rejected everywhere with %d %s (sent "
	    "by %s)"), dst, c->code, nz(c->reason), src);
	switch (c->code) {
	case 600:
		rules_cat(adv, _("600 Busy Everywhere: the callee is busy on "
		    "every device and no other device will answer; this is "
		    "the callee's state, not a network fault."));
		break;
	case 603:
		rules_cat(adv, _("603 Decline: the callee (or its device "
		    "policy, e.g. do-not-disturb) explicitly declined the call; "
		    "not a network fault."));
		break;
	case 604:
		rules_cat(adv, _("604 Does Not Exist Anywhere: the number or "
		    "user is known not to exist; check the dialled number."));
		break;
	case 606:
		rules_cat(adv, _("606 Not Acceptable: no device of the callee "
		    "can accept the offered session (codecs, media); check the "
		    "SDP offer and the Warning header."));
		break;
	case 607:
		rules_cat(adv, _("607 Unwanted: the callee marked this caller "
		    "as unwanted (RFC 8197)."));
		break;
	case 608:
		rules_cat(adv, _("608 Rejected: an intermediary (call "
		    "analytics) rejected the call as unwanted (RFC 8688); "
		    "its Call-Info says who to contact."));
		break;
	default:
		rules_cat(adv, _("A 6xx means no other destination will "
		    "accept the call: a forking proxy stops trying."));
		break;
	}
	if (c->retry_after > 0)
		rules_cat(adv, _(" Retry-After: %ld s: the callee may be "
		    "reachable again after that."), c->retry_after);
	if (c->warning != NULL)
		rules_cat(adv, _(" Warning: %s."), c->warning);
}

static void
rules_text_scanner(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	if (c->flags & RULE_F_UA_MATCH)
		rules_cat(sum, _("%s sends %s requests with the scanner "
		    "User-Agent \"%s\""), src, nz(c->method), nz(c->server));
	else
		rules_cat(sum, _("%s probed %ld distinct users; %ld of its "
		    "final responses were 401/403/404"), src, c->n, c->n2);
	rules_cat(adv, _("Someone is scanning for SIP accounts (SIPVicious "
	    "and similar tools) to guess passwords or place fraudulent "
	    "calls. Block %s at the edge (firewall, fail2ban, pike), use "
	    "long random SIP passwords, and answer unknown and known users "
	    "alike so extensions cannot be enumerated."), src);
}

static void
rules_text_auth_burst(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	char	ip[SW_ADDRSTRLEN];

	/* Counted per source address, whatever its ports. */
	if (c->src != NULL)
		src = sw_addr_format_ip(c->src, ip, sizeof ip);
	rules_cat(sum, _("%ld REGISTERs with credentials for %s from %s "
	    "were rejected with 401/403 within %.0f s (last: %d)"), c->n,
	    nz(c->target), src, secs(c->elapsed_us), c->code);
	if (c->flags & RULE_F_NONCE_REPEAT)
		rules_cat(adv, _("The client resent credentials for a nonce "
		    "that was already rejected, which a UA must not do (RFC "
		    "3261 22.1): wrong password, or a password-guessing tool. "));
	else
		rules_cat(adv, _("Each attempt answered a fresh challenge and "
		    "was rejected: a wrong password, or someone guessing it. "));
	rules_cat(adv, _("Check the credentials configured on the device "
	    "at %s; if it is not yours, block it."), src);
}

static void
rules_text_loop(const struct rule_ctx *c, struct rules_buf *sum,
    struct rules_buf *adv, const char *src, const char *dst)
{
	if (c->flags & RULE_F_VIA_REPEAT) {
		rules_cat(sum, _("%s from %s to %s passes %s twice with the "
		    "same branch (%ld Via headers)"), nz(c->method), src, dst,
		    nz(c->peer), c->n);
		rules_cat(adv, _("The request came back to an element it "
		    "already went through: a routing loop (RFC 5393 4). "));
	} else if (c->code == 483) {
		rules_cat(sum, _("483 %s from %s for %s: Max-Forwards reached "
		    "0"), nz(c->reason), src, nz(c->method));
		rules_cat(adv, _("The request went through too many hops, "
		    "almost always a routing loop between proxies (RFC 3261 "
		    "16.3 step 3). "));
	} else {
		rules_cat(sum, _("482 %s from %s for %s"), nz(c->reason), src,
		    nz(c->method));
		rules_cat(adv, _("A proxy found its own address in the Via "
		    "list (a loop, RFC 3261 16.3 step 4), or a UAS received "
		    "the same request twice by different paths (a merged "
		    "request after forking, 8.2.2.2; harmless if isolated). "));
	}
	rules_cat(adv, _("Check the routes between the elements on the Via "
	    "path: a default route or DNS entry pointing back, or two "
	    "proxies routing the domain to each other."));
}

void
rules_alert(const struct rule_ctx *c, rules_kb_fix_fn *kb_fix, void *kb_arg,
    struct alert *out)
{
	const struct rule_def	*d = &rules_table[c->rule];
	struct rules_buf	 sum = { NULL, 0 }, adv = { NULL, 0 };
	char			 sbuf[SW_ADDRSTRLEN], dbuf[SW_ADDRSTRLEN];
	const char		*src, *dst, *fix;
	int			 kb;

	src = addr(c->src, sbuf);
	dst = addr(c->dst, dbuf);
	rules_cat(&sum, "%s", "");
	rules_cat(&adv, "%s", "");
	switch (c->rule) {
	case RULE_INVITE_TIMEOUT:
		rules_text_invite_timeout(c, &sum, &adv, src, dst);
		break;
	case RULE_NON_INVITE_TIMEOUT:
		rules_text_non_invite_timeout(c, &sum, &adv, src, dst);
		break;
	case RULE_ACK_MISSING:
		rules_text_ack_missing(c, &sum, &adv, src, dst);
		break;
	case RULE_RETRANSMISSION:
		rules_text_retransmission(c, &sum, &adv, src, dst);
		break;
	case RULE_REFER_NO_NOTIFY:
		rules_text_refer_no_notify(c, &sum, &adv, src, dst);
		break;
	case RULE_REFER_REJECTED:
		rules_text_refer_rejected(c, &sum, &adv, src, dst);
		break;
	case RULE_TRANSFER_FAILED:
		rules_text_transfer_failed(c, &sum, &adv, src, dst);
		break;
	case RULE_RETRY_AFTER_VIOLATION:
		rules_text_retry_after(c, &sum, &adv, src, dst);
		break;
	case RULE_PREMATURE_RETRY:
		rules_text_premature(c, &sum, &adv, src, dst);
		break;
	case RULE_SERVER_ERROR_BURST:
		rules_text_burst(c, &sum, &adv, src, dst);
		break;
	case RULE_BAD_GATEWAY:
		rules_text_bad_gateway(c, &sum, &adv, src, dst);
		break;
	case RULE_REDIRECT_LOOP:
		rules_text_redirect_loop(c, &sum, &adv, src, dst);
		break;
	case RULE_GLOBAL_FAILURE:
		rules_text_global_failure(c, &sum, &adv, src, dst);
		break;
	case RULE_SCANNER:
		rules_text_scanner(c, &sum, &adv, src, dst);
		break;
	case RULE_AUTH_FAILURE_BURST:
		rules_text_auth_burst(c, &sum, &adv, src, dst);
		break;
	case RULE_LOOP_DETECTED:
		rules_text_loop(c, &sum, &adv, src, dst);
		break;
	case RULE_COUNT:
		break;
	}

	if (c->flags & RULE_F_GAP)
		rules_cat(&sum, "%s", _(" (bytes were missing from the TCP stream "
		    "before this: the capture may lack messages of this call)"));
	kb = c->kb_code != 0 ? c->kb_code : d->kb_code;
	if (kb_fix != NULL && d->kb_advice && kb != 0 &&
	    (fix = kb_fix(kb, kb_arg)) != NULL && *fix != '\0')
		rules_cat(&adv, _(" KB %d: %s"), kb, fix);

	alert_init(out, c->ts_us, d->id, d->severity, c->call_id,
	    c->call_id != NULL ? c->call_id_len : 0,
	    c->src != NULL ? src : NULL, c->dst != NULL ? dst : NULL,
	    c->method, c->code);
	out->kb_code = kb;
	out->gap = (c->flags & RULE_F_GAP) != 0;
	free(out->summary);
	free(out->advice);
	out->summary = sum.s;
	out->advice = adv.s;
	if (c->target != NULL) {
		free(out->target);
		out->target = xstrdup(c->target);
	}
}
