/*
 * rules-attack.c: the attack rules: scanners, password guessing, accounts
 * taken over, toll fraud (detected in src/track/track-attack.c).
 *
 * Their subject is the source IP, never a port: scanners use a new port
 * for every request, and a firewall blocks an address.  Every text names
 * the address and its network and ends with a concrete block line; a
 * source inside the operator's networks is a device to find, not an
 * address to drop.  Each rule is one const struct rule_entry (rules.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/timefmt.h"
#include "rules/rules-int.h"

/* The source IP and its network, for the texts. */
struct attack_names {
	char	ip[SW_ADDRSTRLEN];
	char	net[SW_ADDRSTRLEN];
};

static void
attack_names(const struct rule_ctx *c, const struct rule_text *t,
    struct attack_names *n)
{
	if (c->src != NULL) {
		sw_addr_format_ip(c->src, n->ip, sizeof n->ip);
		sw_addr_format_net(c->src, n->net, sizeof n->net);
	} else {
		snprintf(n->ip, sizeof n->ip, "%s", t->src);
		snprintf(n->net, sizeof n->net, "?");
	}
}

/* How to block the source: the lines an operator types. */
static void
attack_block(const struct rule_ctx *c, struct rule_text *t,
    const struct attack_names *n)
{
	if (c->attack != NULL && c->attack->local) {
		rules_cat(&t->adv, _(" %s is inside your local networks: find "
		    "that device (compromised, or someone running an attack "
		    "tool) before you block it (iptables -I INPUT -s %s -j "
		    "DROP)."), n->ip, n->ip);
		return;
	}
	rules_cat(&t->adv, _(" Block %s at the edge, or its network %s if "
	    "more of it attacks: nft add element inet filter sipwatch_block "
	    "{ %s } (or ipset add sipwatch_block %s, or iptables -I INPUT -s "
	    "%s -j DROP). With --blocklist, sipwatch lists every flagged "
	    "source for fail2ban or nftables (doc/OPERATIONS.md)."), n->ip,
	    n->net, n->ip, n->ip, n->ip);
}

/* The servers' refusals counted into the incident, if any. */
static void
attack_absorbed(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_attack	*a = c->attack;
	uint64_t			 n;

	if (a == NULL)
		return;
	n = a->absorbed[0] + a->absorbed[1] + a->absorbed[2] +
	    a->absorbed[3] + a->absorbed[4];
	if (n == 0)
		return;
	rules_cat(&t->sum, _("; refused by the servers: %llu 503, %llu other "
	    "5xx, %llu 482/483, %llu 6xx, %llu timeouts or retransmissions"),
	    (unsigned long long)a->absorbed[0],
	    (unsigned long long)a->absorbed[1],
	    (unsigned long long)a->absorbed[2],
	    (unsigned long long)a->absorbed[3],
	    (unsigned long long)a->absorbed[4]);
	if (a->first_503_us > a->first_us)
		rules_cat(&t->sum, _(" (first 503 after %.0f min)"),
		    secs(a->first_503_us - a->first_us) / 60);
	rules_cat(&t->adv, _(" The servers' refusals of this source are the "
	    "defence working: they raise no alert of their own."));
}

/* The tool recognised, and how. */
static void
attack_tool(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_attack	*a = c->attack;

	if (a == NULL || a->tool == NULL)
		return;
	rules_cat(&t->sum, _("; tool: %s"), a->tool);
	if (!(a->tool_flags & RULE_TOOL_UA) && a->agent != NULL)
		rules_cat(&t->sum, _(" (recognised by its message formats "
		    "although its User-Agent says \"%s\")"), a->agent);
	else if (!(a->tool_flags & RULE_TOOL_UA))
		rules_cat(&t->sum, "%s", _(" (recognised by its message "
		    "formats)"));
	else if (a->agent != NULL)
		rules_cat(&t->sum, _(" (User-Agent \"%s\")"), a->agent);
}

static void
rules_text_scanner(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_attack	*a = c->attack;
	struct attack_names		 n;
	const char			*sep = "";

	attack_names(c, t, &n);
	if (a == NULL) {
		rules_cat(&t->sum, _("%s scans"), n.ip);
		rules_cat(&t->adv, "%s", "");
		attack_block(c, t, &n);
		return;
	}
	rules_cat(&t->sum, _("%s scans: %llu requests to %u host(s) (%u "
	    "address:port), %u user(s); %llu refused (401/403/404/407), %llu "
	    "unanswered"), n.ip, (unsigned long long)a->requests, a->hosts,
	    a->endpoints, a->users, (unsigned long long)a->refused,
	    (unsigned long long)a->unanswered);
	rules_cat(&t->sum, "%s", " [");
	if (a->kinds & RULE_ATK_VERTICAL) {
		rules_cat(&t->sum, "%s", _("many users on one target"));
		sep = ", ";
	}
	if (a->kinds & RULE_ATK_HORIZONTAL) {
		rules_cat(&t->sum, "%s%s", sep, _("many hosts or ports"));
		sep = ", ";
	}
	if (a->kinds & RULE_ATK_FRAUD_TRY) {
		rules_cat(&t->sum, "%s%s", sep, _("calls to fraud "
		    "destinations"));
		sep = ", ";
	}
	if (a->kinds & RULE_ATK_TOOL)
		rules_cat(&t->sum, "%s%s", sep, _("attack tool"));
	rules_cat(&t->sum, "%s", "]");
	attack_tool(c, t);
	if (a->target_list != NULL && *a->target_list != '\0')
		rules_cat(&t->sum, _("; hosts: %s"), a->target_list);
	if (a->fraud_attempts > 0)
		rules_cat(&t->sum, _("; %llu call(s) to fraud destinations "
		    "(latest %s), %llu answered"),
		    (unsigned long long)a->fraud_attempts, nz(a->number),
		    (unsigned long long)a->fraud_answered);
	attack_absorbed(c, t);

	rules_cat(&t->adv, "%s", _("Someone is probing for SIP servers and "
	    "accounts, to guess passwords and then place calls at your "
	    "expense."));
	if (a->relayed)
		rules_cat(&t->adv, _(" Requests from %s carry other Vias: it may "
		    "be a proxy relaying the attacker's messages; find their "
		    "origin in the lower Via headers before you block it."),
		    n.ip);
	if ((a->tool_flags & RULE_TOOL_FORGED) && a->target_list != NULL)
		rules_cat(&t->adv, _(" A forged call with a fake caller ID "
		    "was sent straight to %s: a phone that accepts INVITEs from "
		    "any address rings for it; let the phones accept calls only "
		    "from your PBX."), a->target_list);
	attack_block(c, t, &n);
	rules_cat(&t->adv, "%s", _(" Use long random SIP passwords, and "
	    "answer unknown and known users alike so extensions cannot be "
	    "enumerated."));
}

const struct rule_entry rule_scanner = {
	.id = "scanner",
	.severity = ALERT_WARNING,
	.kb_code = 403,
	.kb_advice = 0,
	.rfc = "RFC 3261 26.1.5; SIPVicious and operator blocklists",
	.trigger = N_("one source IP probes many users, hosts or ports and is "
	    "mostly refused or unanswered, calls fraud destinations without "
	    "having registered, or sends a known attack tool's messages"),
	.subject = RULE_SUBJ_SRC_IP,
	.role = "source",
	.burst = 1,
	.detector = "src/track/track-attack.c (attack_scan_check)",
	.text = rules_text_scanner,
	.attack = 1,
};

static void
rules_text_auth_burst(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_attack	*a = c->attack;
	struct attack_names		 n;
	unsigned			 accounts = a != NULL ? a->accounts : 1;

	attack_names(c, t, &n);
	rules_cat(&t->sum, _("%s had %llu credentials rejected (last: %s "
	    "answered %d) for %u account(s): %s"), n.ip,
	    (unsigned long long)(a != NULL ? a->auth_failures : (uint64_t)c->n),
	    t->dst, c->code, accounts, a != NULL ? nz(a->account_list) :
	    nz(c->target));
	attack_tool(c, t);
	attack_absorbed(c, t);
	if (c->flags & RULE_F_NONCE_REPEAT)
		rules_cat(&t->adv, "%s", _("The client resent credentials for "
		    "a nonce that was already rejected, which a UA must not do "
		    "(RFC 3261 22.1): wrong password, or a password-guessing "
		    "tool. "));
	if (accounts > 1 || (a != NULL && (a->tool != NULL ||
	    (a->kinds & ~RULE_ATK_GUESSING) != 0))) {
		rules_cat(&t->adv, "%s", _("Someone is guessing SIP passwords "
		    "(RFC 3261 26.1.5); a 2xx to one of these accounts would be "
		    "raised as account-compromised."));
		attack_block(c, t, &n);
	} else {
		rules_cat(&t->adv, "%s", _("Each attempt answered a fresh "
		    "challenge and was rejected: a wrong password, or someone "
		    "guessing it. "));
		rules_cat(&t->adv, _("Check the credentials configured on the "
		    "device at %s; if it is not yours, block it."), n.ip);
		attack_block(c, t, &n);
	}
}

const struct rule_entry rule_auth_failure_burst = {
	.id = "auth-failure-burst",
	.severity = ALERT_ERROR,
	.kb_code = 403,
	.kb_advice = 0,
	.rfc = "RFC 3261 22.1, 22.2, 26.1.5",
	.trigger = N_("credentialed REGISTERs or INVITEs from one source IP "
	    "refused 401/403/407: K within W seconds over two accounts or more, "
	    "K within W/6 for one account, or 2K within an hour over two "
	    "accounts or more"),
	.subject = RULE_SUBJ_SRC_IP,
	.role = "source",
	.burst = 1,
	.detector = "src/track/track-attack.c (attack_auth_failure)",
	.text = rules_text_auth_burst,
	.attack = 1,
};

static void
rules_text_compromised(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_attack	*a = c->attack;
	struct attack_names		 n;
	char				 when[SW_TIME_LEN];
	const char			*acc = a != NULL ? nz(a->account) : "?";

	attack_names(c, t, &n);
	sw_time_rfc3339(c->ts_us, 0, when, sizeof when);
	rules_cat(&t->sum, _("%s's credentials for %s were accepted by %s "
	    "(%s %d) at %s after %llu rejected attempt(s) from it"), n.ip, acc,
	    t->dst, nz(c->method), c->code, when,
	    (unsigned long long)(a != NULL ? a->auth_failures : 0));
	if (a != NULL && a->binding != NULL)
		rules_cat(&t->sum, _("; binding installed: %s"), a->binding);
	attack_tool(c, t);
	rules_cat(&t->adv, _("The attacker now holds %s. Change its password "
	    "now, remove its bindings from the registrar %s, block %s, and "
	    "check the call records since %s for calls it placed "
	    "(international and premium numbers first)."), acc, t->dst, n.ip,
	    when);
	attack_block(c, t, &n);
}

const struct rule_entry rule_account_compromised = {
	.id = "account-compromised",
	.severity = ALERT_CRITICAL,
	.kb_code = 200,
	.kb_advice = 0,
	.rfc = "RFC 3261 22, 26.1.5",
	.trigger = N_("a source IP flagged as scanning or guessing passwords "
	    "gets a 2xx to a credentialed REGISTER or INVITE"),
	.subject = RULE_SUBJ_SRC_IP,
	.role = "source",
	.burst = 1,
	.detector = "src/track/track-attack.c (attack_auth_ok)",
	.text = rules_text_compromised,
	.attack = 1,
};

static void
rules_text_fraud(const struct rule_ctx *c, struct rule_text *t)
{
	const struct rule_attack	*a = c->attack;
	struct attack_names		 n;

	attack_names(c, t, &n);
	rules_cat(&t->sum, _("%s placed a call to %s and %s answered it"),
	    n.ip, a != NULL ? nz(a->number) : "?", a != NULL &&
	    a->device != NULL ? a->device : t->dst);
	if (a != NULL && a->duration_us >= 0)
		rules_cat(&t->sum, _(" (it lasted %.0f s)"),
		    secs(a->duration_us));
	if (a != NULL)
		rules_cat(&t->sum, _("; %llu call(s) to fraud destinations, "
		    "%llu answered"), (unsigned long long)a->fraud_attempts,
		    (unsigned long long)a->fraud_answered);
	if (a != NULL && !a->registered)
		rules_cat(&t->sum, "%s", _("; the source never registered"));
	attack_tool(c, t);
	rules_cat(&t->adv, _("Calls to international or premium numbers from "
	    "a source that should not place them are toll fraud: the bill "
	    "comes to you. %s accepted a call from outside without the "
	    "authentication of a local user: restrict its dial plan (only "
	    "authenticated local users may dial out, international numbers "
	    "behind a PIN) and its access list, ask your carrier to bar these "
	    "destinations, and check the call records."), t->dst);
	attack_block(c, t, &n);
}

const struct rule_entry rule_toll_fraud = {
	.id = "toll-fraud",
	.severity = ALERT_CRITICAL,
	.kb_code = 200,
	.kb_advice = 0,
	.rfc = "RFC 3261 26.1.5; operator fraud practice",
	.trigger = N_("a call to an international or premium number "
	    "(--fraud-prefix) from a flagged source, or from an outside "
	    "source (--local-net) that never registered, is answered"),
	.subject = RULE_SUBJ_SRC_IP,
	.role = "source",
	.burst = 1,
	.detector = "src/track/track-attack.c (attack_answer)",
	.text = rules_text_fraud,
	.attack = 1,
};
