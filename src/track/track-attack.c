/*
 * track-attack.c: attack sources, one record per source IP, and the four
 * attack rules that read them (doc/ALERTS.md, "Attacks").
 *
 *   scanner              reconnaissance by one source IP, whatever its
 *                        ports: behaviour first (many users on one target
 *                        mostly refused or unanswered; many hosts or ports;
 *                        calls to fraud destinations from an unregistered
 *                        outside source), signatures second (a known
 *                        tool's User-Agent, and SIPVicious' From/To display
 *                        name, Contact, From-tag, branch and Call-ID
 *                        formats, so a renamed tool is still recognised).
 *   auth-failure-burst   credentials (Authorization, Proxy-Authorization;
 *                        RFC 3261 22) rejected with 401/403/407 for one
 *                        source IP, across its accounts: K within W
 *                        seconds over two accounts or more, K within W/6
 *                        for one account, or (the slow variant, one guess
 *                        per account per round) 2K within an hour over
 *                        two accounts or more.
 *   account-compromised  a source flagged as scanning or guessing gets a
 *                        2xx to a credentialed REGISTER or INVITE (a
 *                        device whose wrong password was corrected also
 *                        has failures before its 2xx: not enough alone).
 *   toll-fraud           a call to an international or premium number
 *                        (--fraud-prefix) from a flagged source, or from
 *                        an outside (--local-net) source that never
 *                        registered and answers nothing, is answered;
 *                        unanswered attempts update its scanner incident.
 *
 * A source an attack rule spoke about is flagged (track_attacker()) until
 * it has been quiet for the attack hold; verdicts of the other rules that
 * involve it are counted here instead of being raised (attack_absorb()).
 *
 * Requests relayed by a proxy (more than one Via) are not attributed to
 * the proxy that relayed them: its address is not the attacker's.  Only
 * a source that answers no request and sends an attack tool's messages
 * with stacked Vias is charged with them (attack_request()).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/json.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"
#include "track/track-int.h"

#define ATTACK_IDLE_US		(3600 * 1000000LL)	/* unflagged source */
#define ATTACK_SLOW_US		(3600 * 1000000LL)	/* slow guessing */
#define ATTACK_DISTINCT_MAX	256	/* distinct values counted */
#define ATTACK_NAMES		6	/* accounts, targets named */
#define ATTACK_NAME_MAX		64	/* bytes of one name kept */
#define ATTACK_CALLS		8	/* fraud calls followed */
#define ATTACK_ONE_ACCOUNT_DIV	6	/* one account: K within W/6 */

#define SRC_F_SCANNER		0x01	/* rules that spoke */
#define SRC_F_GUESSING		0x02
#define SRC_F_COMPROMISED	0x04
#define SRC_F_FRAUD		0x08

/* A set of 64-bit digests that grows up to ATTACK_DISTINCT_MAX. */
struct hset {
	uint64_t	*v;
	unsigned	 n;
	unsigned	 cap;
	unsigned	 full;		/* more were seen than kept */
};

struct authfail {
	int64_t		 ts;
	uint64_t	 account;
};

struct fraudcall {
	uint64_t	 call_id;	/* digest, 0 free */
	int64_t		 answer_us;	/* 0 not answered */
};

struct srcrec {
	struct sw_addr	 ip;		/* port 0 */
	int64_t		 first_us;
	int64_t		 flag_until;	/* flagged until (µs), 0 never */
	uint8_t		 flags;		/* SRC_F_* */
	uint8_t		 outcome;	/* enum track_attack_outcome */
	uint8_t		 registered;
	uint8_t		 server;	/* it answered a request */
	uint8_t		 relayed;
	uint8_t		 nonce_repeat;
	unsigned	 kinds;		/* RULE_ATK_* */
	unsigned	 tool_flags;	/* RULE_TOOL_* */
	uint64_t	 ua_checked;
	uint64_t	 requests;
	uint64_t	 finals;
	uint64_t	 good;		/* 1xx-answered, 2xx, 3xx */
	uint64_t	 refused;	/* 401/403/404/407 */
	uint64_t	 unanswered;
	uint64_t	 invite_2xx;
	struct hset	 users;
	struct hset	 hosts;
	struct hset	 endpoints;
	struct hset	 accounts;
	char		*tool;		/* owned */
	char		*agent;		/* owned */
	char		*names[ATTACK_NAMES];	/* accounts tried (owned) */
	char		*targets[ATTACK_NAMES];	/* hosts attacked (owned) */

	/* credentials rejected */
	struct authfail	*fails;		/* ring [TRACK_AUTH_FAILURES_MAX] */
	unsigned	 fnext;
	unsigned	 fn;
	uint64_t	 auth_failures;
	uint64_t	 last_nonce;

	/* fraud */
	uint64_t	 fraud_attempts;
	uint64_t	 fraud_answered;
	struct fraudcall calls[ATTACK_CALLS];
	unsigned	 ncalls;
	char		 number[ATTACK_NAME_MAX];
	char		 device[160];
	char		 account[ATTACK_NAME_MAX * 2];
	char		 binding[ATTACK_NAME_MAX * 2];
	int64_t		 duration_us;

	/* verdicts of other rules absorbed (struct rule_attack.absorbed) */
	uint64_t	 absorbed[5];
	int64_t		 first_503_us;

	/* the AOR of its first REGISTER refused before it was flagged: the
	   one registration-failed may have spoken about (owned) */
	char		*first_aor;
};

/* User-Agent substrings of attack tools (SIP-FACTS A8, higher confidence). */
static const struct {
	const char	*ua;
	const char	*tool;
} attack_uas[] = {
	{ "friendly-scanner", "SIPVicious" },
	{ "friendly-request", "SIPVicious" },
	{ "sipvicious", "SIPVicious" },
	{ "svmap", "SIPVicious" },
	{ "svwar", "SIPVicious" },
	{ "svcrack", "SIPVicious" },
	{ "sipcli", "sipcli" },
	{ "sip-scan", "sip-scan" },
	{ "sundayddr", "sundayddr" },
	{ "iwar", "iWar" },
	{ "vaxsipuseragent", "VaxSIPUserAgent" },
	{ "vaxipuseragent", "VaxSIPUserAgent" },
	{ "pplsip", "pplsip" },
	{ "sivus", "SiVuS" },
	{ "siparmyknife", "SIP Army Knife" },
	{ "sippts", "SIPPTS" },
	{ "voiphopper", "VoIP Hopper" },
	{ "smap ", "smap" },
};

/* ------------------------------------------------------------------ */
/* Records. */

static void
hset_free(struct hset *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* Add V (0 ignored) to S; 1 if it was new. */
static int
hset_add(struct hset *s, uint64_t v)
{
	unsigned	i;

	if (v == 0)
		return (0);
	for (i = 0; i < s->n; i++) {
		if (s->v[i] == v)
			return (0);
	}
	if (s->n == ATTACK_DISTINCT_MAX) {
		s->full = 1;
		return (0);
	}
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 4 : s->cap * 2;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n++] = v;
	return (1);
}

void
attack_src_free(struct srcrec *sr)
{
	unsigned	i;

	if (sr == NULL)
		return;
	hset_free(&sr->users);
	hset_free(&sr->hosts);
	hset_free(&sr->endpoints);
	hset_free(&sr->accounts);
	for (i = 0; i < ATTACK_NAMES; i++) {
		free(sr->names[i]);
		free(sr->targets[i]);
	}
	free(sr->tool);
	free(sr->agent);
	free(sr->fails);
	free(sr->first_aor);
	free(sr);
}

/* The record of A's IP, whose track_hash_addr(A, 0) is HASH; created if
 * CREATE.  NULL if none. */
static struct srcrec *
attack_src_hashed(struct track *tr, const struct sw_addr *a, uint64_t hash,
    int64_t now, int create)
{
	struct peer	*p;
	struct tkey	 k;

	if (a == NULL || (a->family != 4 && a->family != 6))
		return (NULL);
	k.a = hash;
	k.b = 0x5ca7;
	if ((p = peer_get(tr, PEER_SOURCE, &k, now, create)) == NULL)
		return (NULL);
	if (p->u.src == NULL) {
		p->u.src = xcalloc(1, sizeof *p->u.src);
		p->u.src->ip = *a;
		p->u.src->ip.port = 0;
		p->u.src->first_us = now;
		p->u.src->duration_us = -1;
	}
	if (create) {
		peer_touch(tr, PEER_SOURCE, p, now, p->u.src->flag_until > now +
		    ATTACK_IDLE_US ? p->u.src->flag_until : now +
		    ATTACK_IDLE_US);
	}
	return (p->u.src);
}

/* The record of A's IP; created if CREATE.  NULL if none. */
static struct srcrec *
attack_src(struct track *tr, const struct sw_addr *a, int64_t now, int create)
{
	if (a == NULL || (a->family != 4 && a->family != 6))
		return (NULL);
	return (attack_src_hashed(tr, a, track_hash_addr(a, 0), now, create));
}

/* How long an attack incident and its flag last without occurrence. */
static int64_t
attack_hold(const struct track *tr)
{
	int64_t	h = RULE_ATTACK_HOLD_S * 1000000LL;

	return (tr->o.incident_hold_us > h ? tr->o.incident_hold_us : h);
}

/* The record of A's IP (HASH: track_hash_addr(A, 0)) if it is flagged
 * at TS (µs), else NULL. */
static struct srcrec *
attack_flagged_hashed(struct track *tr, const struct sw_addr *a,
    uint64_t hash, int64_t ts)
{
	struct srcrec	*sr;

	if (a == NULL || tr->peers[PEER_SOURCE].n == 0 ||
	    (sr = attack_src_hashed(tr, a, hash, ts, 0)) == NULL)
		return (NULL);
	return (sr->flags != 0 && ts <= sr->flag_until ? sr : NULL);
}

/* The record of A's IP if it is flagged at TS (µs), else NULL. */
static struct srcrec *
attack_flagged(struct track *tr, const struct sw_addr *a, int64_t ts)
{
	if (a == NULL || tr->peers[PEER_SOURCE].n == 0 ||
	    (a->family != 4 && a->family != 6))
		return (NULL);
	return (attack_flagged_hashed(tr, a, track_hash_addr(a, 0), ts));
}

int
track_attacker(struct track *tr, const struct sw_addr *a)
{
	return (attack_flagged(tr, a, tr->now) != NULL);
}

int
track_attacker_hashed(struct track *tr, const struct sw_addr *a,
    uint64_t hash)
{
	return (attack_flagged_hashed(tr, a, hash, tr->now) != NULL);
}

/* Is A inside the operator's local networks? */
static int
attack_local(const struct track *tr, const struct sw_addr *a)
{
	unsigned	i;

	if (tr->o.nlocal_nets == 0)
		return (sw_addr_is_private(a));
	for (i = 0; i < tr->o.nlocal_nets; i++) {
		if (sw_cidr_match(&tr->o.local_nets[i], a))
			return (1);
	}
	return (0);
}

int
attack_guessing(struct track *tr, const struct sw_addr *a)
{
	struct srcrec	*sr;

	if (a == NULL || tr->peers[PEER_SOURCE].n == 0 ||
	    (sr = attack_src(tr, a, tr->now, 0)) == NULL)
		return (0);
	return (sr->accounts.n >= 2 && !sr->registered &&
	    !attack_local(tr, &sr->ip));
}

/* Does the dialled USER start with a fraud prefix? */
static int
attack_fraud_number(const struct track *tr, const struct sip_str *user)
{
	static const char *const dflt[] = TRACK_FRAUD_PREFIXES;
	const char *const	*v = tr->o.fraud_prefixes;
	unsigned		 n = tr->o.nfraud_prefixes, i;
	size_t			 len;

	if (user->s == NULL || user->len == 0)
		return (0);
	if (n == 0) {
		v = dflt;
		n = sizeof dflt / sizeof dflt[0];
	}
	for (i = 0; i < n; i++) {
		len = strlen(v[i]);
		if (len > 0 && user->len > len &&
		    strncmp(user->s, v[i], len) == 0)
			return (1);
	}
	return (0);
}

/* Keep a copy of S (LEN bytes) in the first free slot of V, if new. */
static void
attack_name(char **v, const char *s, size_t len)
{
	unsigned	i;

	if (s == NULL || len == 0)
		return;
	if (len >= ATTACK_NAME_MAX)
		len = ATTACK_NAME_MAX - 1;
	for (i = 0; i < ATTACK_NAMES && v[i] != NULL; i++) {
		if (strlen(v[i]) == len && memcmp(v[i], s, len) == 0)
			return;
	}
	if (i < ATTACK_NAMES)
		v[i] = xstrndup(s, len);
}

/* The names in V, comma-separated, into BUF; "" when none. */
static const char *
attack_list(char *const *v, unsigned total, char *buf, size_t len)
{
	size_t		off = 0;
	unsigned	i;
	int		n;

	buf[0] = '\0';
	for (i = 0; i < ATTACK_NAMES && v[i] != NULL; i++) {
		n = snprintf(buf + off, len - off, "%s%s", i > 0 ? ", " : "",
		    v[i]);
		if (n < 0 || (size_t)n >= len - off)
			return (buf);
		off += (size_t)n;
	}
	if (total > i && off < len)
		snprintf(buf + off, len - off, " (+%u)", total - i);
	return (buf);
}

/* ------------------------------------------------------------------ */
/* Signatures. */

static int
attack_digits(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
	}
	return (1);
}

static int
attack_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * SIPVicious' From-tag (svhelper.createTag): the hex of some text, a 0x01
 * byte and a decimal random number; or the fixed tag of svcrack's first
 * REGISTER.
 */
static int
attack_sv_tag(const struct sip_str *tag)
{
	size_t	i;
	int	hi, lo, b, sep = 0, digits = 0;

	if (tag->s == NULL)
		return (0);
	if (tag->len == 10 && memcmp(tag->s, "3206210844", 10) == 0)
		return (1);
	if (tag->len < 8 || tag->len % 2 != 0 || tag->len > 512)
		return (0);
	for (i = 0; i < tag->len; i += 2) {
		if ((hi = attack_hexval(tag->s[i])) < 0 ||
		    (lo = attack_hexval(tag->s[i + 1])) < 0)
			return (0);
		b = hi * 16 + lo;
		if (sep) {
			if (b < '0' || b > '9')
				return (0);
			digits++;
		} else if (b == 0x01)
			sep = 1;
		else if (b < 0x20 || b > 0x7e)
			return (0);
	}
	return (sep && digits > 0);
}

/*
 * Metasploit's auxiliary/voip/sip_invite_spoof INVITE: a Via without
 * branch naming the target itself, no From-tag, and a Call-ID made of a
 * number from 100 to 199 followed by that Via host (a forged call that
 * rings a phone directly; RFC 3261 8.1.1.7 and 8.1.1.3 require both).
 */
static int
attack_msf_spoof(const struct sip_msg *m)
{
	const struct sip_via	*v = &m->via[0];
	const struct sip_str	*c = &m->call_id;

	if (m->method != SIP_METHOD_INVITE || m->via_total == 0 ||
	    v->branch.s != NULL || m->from.tag.s != NULL ||
	    v->host.s == NULL || c->s == NULL || c->len != v->host.len + 3)
		return (0);
	return (c->s[0] == '1' && attack_digits(c->s, 3) &&
	    memcmp(c->s + 3, v->host.s, v->host.len) == 0);
}

/* What in M points at a known attack tool: RULE_TOOL_* bits. */
static unsigned
attack_fingerprint(struct track *tr, struct srcrec *sr,
    const struct sip_msg *m)
{
	const struct sip_via	*v = &m->via[0];
	unsigned		 f = 0;
	uint64_t		 ua;
	char			 buf[256];
	size_t			 n, i;

	ua = track_hash_str(&m->user_agent);
	if (ua != 0 && ua != sr->ua_checked && sr->tool == NULL &&
	    tr->attack.ua_clean[ua % ATTACK_UA_CLEAN] != ua) {
		n = m->user_agent.len < sizeof buf - 2 ? m->user_agent.len :
		    sizeof buf - 2;
		memcpy(buf, m->user_agent.s, n);
		buf[n] = ' ';	/* lets "smap " match at the end too */
		buf[n + 1] = '\0';
		for (i = 0; i < sizeof attack_uas / sizeof attack_uas[0];
		    i++) {
			if (strcasestr(buf, attack_uas[i].ua) != NULL) {
				f |= RULE_TOOL_UA;
				sr->tool = xstrdup(attack_uas[i].tool);
				break;
			}
		}
		if (f == 0)
			tr->attack.ua_clean[ua % ATTACK_UA_CLEAN] = ua;
	}
	sr->ua_checked = ua;
	if (sip_str_eq(&m->from.display, "sipvicious") ||
	    sip_str_eq(&m->from.display, "\"sipvicious\"") ||
	    sip_str_eq(&m->to.display, "sipvicious") ||
	    sip_str_eq(&m->to.display, "\"sipvicious\""))
		f |= RULE_TOOL_DISPLAY;
	if (sip_str_eq(&m->contact.host, "1.1.1.1") ||
	    sip_str_eq(&m->from.host, "1.1.1.1"))
		f |= RULE_TOOL_CONTACT;
	if (attack_sv_tag(&m->from.tag))
		f |= RULE_TOOL_TAG;
	if (v->branch.s != NULL && v->branch.len > 8 && v->branch.len <= 18 &&
	    strncmp(v->branch.s, "z9hG4bK-", 8) == 0 &&
	    attack_digits(v->branch.s + 8, v->branch.len - 8) &&
	    m->call_id.len <= 25 && attack_digits(m->call_id.s,
	    m->call_id.len))
		f |= RULE_TOOL_BRANCH;
	if (attack_msf_spoof(m))
		f |= RULE_TOOL_FORGED;
	if (f != 0 && sr->tool == NULL)	/* its formats */
		sr->tool = xstrdup((f & RULE_TOOL_FORGED) ?
		    "Metasploit sip_invite_spoof" : "SIPVicious");
	if (f != 0 && sr->agent == NULL && m->user_agent.s != NULL)
		sr->agent = xstrndup(m->user_agent.s, m->user_agent.len <
		    ATTACK_NAME_MAX * 2 ? m->user_agent.len :
		    ATTACK_NAME_MAX * 2);
	return (f);
}

/* ------------------------------------------------------------------ */
/* Raising. */

/* SR's facts for the rule texts; the strings live in BUFS. */
struct attack_bufs {
	char	accounts[ATTACK_NAMES * (ATTACK_NAME_MAX + 2) + 16];
	char	targets[ATTACK_NAMES * (SW_ADDRSTRLEN + 2) + 16];
};

static void
attack_facts(const struct track *tr, const struct srcrec *sr,
    struct rule_attack *f, struct attack_bufs *b)
{
	memset(f, 0, sizeof *f);
	f->kinds = sr->kinds;
	f->tool_flags = sr->tool_flags;
	f->tool = sr->tool;
	f->agent = sr->agent;
	f->requests = sr->requests;
	f->hosts = sr->hosts.n;
	f->endpoints = sr->endpoints.n;
	f->users = sr->users.n;
	f->refused = sr->refused;
	f->unanswered = sr->unanswered;
	f->finals = sr->finals;
	f->auth_failures = sr->auth_failures;
	f->accounts = sr->accounts.n;
	f->account_list = attack_list(sr->names, sr->accounts.n, b->accounts,
	    sizeof b->accounts);
	f->target_list = attack_list(sr->targets, sr->hosts.n, b->targets,
	    sizeof b->targets);
	f->account = sr->account[0] != '\0' ? sr->account : NULL;
	f->binding = sr->binding[0] != '\0' ? sr->binding : NULL;
	f->fraud_attempts = sr->fraud_attempts;
	f->fraud_answered = sr->fraud_answered;
	f->number = sr->number[0] != '\0' ? sr->number : NULL;
	f->device = sr->device[0] != '\0' ? sr->device : NULL;
	f->duration_us = sr->duration_us;
	memcpy(f->absorbed, sr->absorbed, sizeof f->absorbed);
	f->first_503_us = sr->first_503_us;
	f->first_us = sr->first_us;
	f->local = attack_local(tr, &sr->ip);
	f->registered = sr->registered;
	f->relayed = sr->relayed;
}

static const char *
attack_rule_word(enum rule_id rule)
{
	switch (rule) {
	case RULE_SCANNER:
		return ("scanner");
	case RULE_AUTH_FAILURE_BURST:
		return ("password guessing");
	case RULE_ACCOUNT_COMPROMISED:
		return ("account compromised");
	default:
		return ("toll fraud");
	}
}

/*
 * Rule RULE speaks about SR at TS: raise its incident or count an
 * occurrence, flag SR, and publish the attack observation.  SRC and DST
 * are the message's endpoints (the alert's addresses), CR its record.
 */
static void
attack_raise(struct track *tr, struct srcrec *sr, enum rule_id rule,
    int64_t ts, struct cidrec *cr, const struct sw_addr *src,
    const struct sw_addr *dst, const char *method, int code)
{
	struct rule_ctx		 c;
	struct rule_attack	 f;
	struct attack_bufs	 b;
	struct track_obs	 o;
	char			 reason[256];
	int			 first = sr->flags == 0 ||
				    ts > sr->flag_until;

	if (first)
		tr->attack.flagged++;
	switch (rule) {
	case RULE_SCANNER:
		sr->flags |= SRC_F_SCANNER;
		break;
	case RULE_AUTH_FAILURE_BURST:
		/*
		 * The refusal before the pattern showed was taken for a
		 * registration's failure: that incident ends, saying why.
		 */
		if (!(sr->flags & SRC_F_GUESSING) && sr->first_aor != NULL)
			(void)incident_clear(tr, RULE_REGISTRATION_FAILED, ts,
			    NULL, 0, NULL, NULL, sr->first_aor,
			    _("its REGISTERs were password guessing "
			    "(auth-failure-burst)"));
		sr->flags |= SRC_F_GUESSING;
		break;
	case RULE_ACCOUNT_COMPROMISED:
		if (method != NULL && code >= 200 && code < 300)
			tr->attack.compromised++;
		sr->flags |= SRC_F_COMPROMISED;
		if (sr->outcome == TRACK_ATTACK_NOTHING)
			sr->outcome = TRACK_ATTACK_COMPROMISED;
		break;
	default:
		sr->flags |= SRC_F_FRAUD;
		sr->outcome = TRACK_ATTACK_FRAUD_ANSWERED;
		break;
	}
	sr->flag_until = ts + attack_hold(tr);
	attack_facts(tr, sr, &f, &b);
	track_ctx_init(&c, rule, ts, cr);
	/* The subject is the source's IP: the message may go the other way
	 * (a server's answer to it). */
	if (src != NULL && sw_addr_ip_cmp(src, &sr->ip) == 0) {
		c.src = src;
		c.dst = dst;
	} else if (dst != NULL && sw_addr_ip_cmp(dst, &sr->ip) == 0) {
		c.src = dst;
		c.dst = src;
	} else {
		c.src = &sr->ip;
		c.dst = NULL;
	}
	c.method = method;
	c.code = code;
	c.server = sr->agent;
	c.attack = &f;
	if (f.tool_flags & RULE_TOOL_UA)
		c.flags |= RULE_F_UA_MATCH;
	if (sr->nonce_repeat)
		c.flags |= RULE_F_NONCE_REPEAT;
	incident_raise(tr, &c);

	snprintf(reason, sizeof reason, "%s: %llu requests, %u hosts, %u "
	    "users, %llu credentials rejected, %llu fraud calls%s%s",
	    attack_rule_word(rule), (unsigned long long)sr->requests,
	    sr->hosts.n, sr->users.n, (unsigned long long)sr->auth_failures,
	    (unsigned long long)sr->fraud_attempts, sr->tool != NULL ?
	    ", tool " : "", sr->tool != NULL ? sr->tool : "");
	track_obs_init(&o, TRACK_OBS_ATTACK, ts, cr);
	o.u.attack.source = &sr->ip;
	o.u.attack.rule = rule;
	o.u.attack.outcome = sr->outcome;
	o.u.attack.first = first;
	o.u.attack.until_us = sr->flag_until;
	o.u.attack.facts = &f;
	o.u.attack.reason = reason;
	track_publish(tr, &o);
}

/* The scanner verdict, if SR's behaviour or signature says so. */
static void
attack_scan_check(struct track *tr, struct srcrec *sr, int64_t ts,
    struct cidrec *cr, const struct sw_addr *src, const struct sw_addr *dst,
    const char *method, int at_request)
{
	unsigned	n = tr->o.scan_users;
	uint64_t	bad = sr->refused + sr->unanswered;
	uint64_t	outcomes = sr->finals + sr->unanswered;
	int		local = attack_local(tr, &sr->ip);

	if (sr->flags & SRC_F_SCANNER) {
		/* Every request of a source seen scanning is an occurrence. */
		if (at_request)
			attack_raise(tr, sr, RULE_SCANNER, ts, cr, src, dst,
			    method, 0);
		return;
	}
	if (sr->tool_flags != 0)
		sr->kinds |= RULE_ATK_TOOL;
	/* Vertical: many users, mostly refused or unanswered. */
	if (sr->users.n >= n && bad * 2 >= n && bad * 5 >= outcomes * 4)
		sr->kinds |= RULE_ATK_VERTICAL;
	/*
	 * Horizontal: many hosts or ports, by a source that answers nothing
	 * and set up no call.  An outside source is judged as it sends (at
	 * most half of its requests answered well so far); a local one (a
	 * PBX qualifying its phones) only once most of its requests are
	 * known to have been refused or unanswered.
	 */
	if ((sr->hosts.n >= n || sr->endpoints.n >= n) && !sr->server &&
	    sr->invite_2xx == 0 && ((!local && sr->good * 2 <= sr->requests) ||
	    (outcomes >= n && bad * 2 > outcomes)))
		sr->kinds |= RULE_ATK_HORIZONTAL;
	if (sr->kinds & (RULE_ATK_TOOL | RULE_ATK_VERTICAL |
	    RULE_ATK_HORIZONTAL | RULE_ATK_FRAUD_TRY))
		attack_raise(tr, sr, RULE_SCANNER, ts, cr, src, dst, method, 0);
}

/* ------------------------------------------------------------------ */
/* Requests. */

/* The account a request is for: the AOR of a REGISTER, else the From. */
static const struct sip_nameaddr *
attack_account(const struct sip_msg *m, int method)
{
	return (method == SIP_METHOD_REGISTER ? &m->to : &m->from);
}

/* Follow an answered fraud call: its BYE gives the duration. */
static void
attack_bye(struct track *tr, struct srcrec *sr, struct cidrec *cr,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	uint64_t	cid = track_hash_str(&m->call_id);
	unsigned	i;

	for (i = 0; i < ATTACK_CALLS; i++) {
		if (sr->calls[i].call_id != cid || sr->calls[i].answer_us == 0)
			continue;
		sr->duration_us = ts - sr->calls[i].answer_us;
		sr->calls[i].answer_us = 0;
		attack_raise(tr, sr, RULE_TOLL_FRAUD, ts, cr, src, dst, "BYE",
		    0);
		return;
	}
}

void
attack_request(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct srcrec	*sr, *peer;
	uint64_t	 user;
	char		 ip[SW_ADDRSTRLEN];
	unsigned	 f, i;

	if (m->method == SIP_METHOD_BYE) {
		/* Either side may end an answered fraud call. */
		if ((sr = attack_src(tr, src, ts, 0)) != NULL &&
		    sr->fraud_answered > 0)
			attack_bye(tr, sr, cr, m, ts, src, dst);
		else if ((peer = attack_src(tr, dst, ts, 0)) != NULL &&
		    peer->fraud_answered > 0)
			attack_bye(tr, peer, cr, m, ts, src, dst);
		return;
	}
	if (t->flags & TXN_F_IN_DIALOG)
		return;
	sr = attack_src(tr, src, ts, 1);
	if (m->via_total > 1) {
		/*
		 * Relayed by SRC, sent by someone behind it: what it probes
		 * is not SRC's doing.  An attack tool's messages (its
		 * fingerprint, or any request once SRC is seen scanning) are
		 * still charged to SRC while SRC has answered no request: a
		 * proxy answers (finals), a tool stacking Vias to hide does
		 * not.  The text tells to look at the lower Vias before
		 * blocking.
		 */
		sr->relayed = 1;
		if (sr->server || ((f = attack_fingerprint(tr, sr, m)) == 0 &&
		    !(sr->flags & SRC_F_SCANNER)))
			return;
	} else
		f = attack_fingerprint(tr, sr, m);
	sr->tool_flags |= f;
	sr->requests++;
	user = m->ruri_user.s != NULL && m->ruri_user.len > 0 ?
	    t->ruser_h : track_hash_str(&m->to.user);
	(void)hset_add(&sr->users, user);
	if (hset_add(&sr->hosts, track_hash_addr(dst, 0))) {
		sw_addr_format_ip(dst, ip, sizeof ip);
		attack_name(sr->targets, ip, strlen(ip));
	}
	(void)hset_add(&sr->endpoints, track_hash_addr(dst, 1));

	/* A call to a fraud destination, by a source that should not. */
	if (m->method == SIP_METHOD_INVITE && attack_fraud_number(tr,
	    &m->ruri_user) && (sr->flags != 0 || (!sr->registered &&
	    !sr->server && !attack_local(tr, src)))) {
		sr->fraud_attempts++;
		tr->attack.fraud_calls++;
		sr->kinds |= RULE_ATK_FRAUD_TRY;
		snprintf(sr->number, sizeof sr->number, "%.*s",
		    (int)m->ruri_user.len, m->ruri_user.s);
		i = sr->ncalls++ % ATTACK_CALLS;
		sr->calls[i].call_id = track_hash_str(&m->call_id);
		sr->calls[i].answer_us = 0;
	}
	attack_scan_check(tr, sr, ts, cr, src, dst, txn_method_name(t), 1);
}

/* ------------------------------------------------------------------ */
/* Final responses. */

/* Credentials of T's request were rejected with M: guessing? */
static void
attack_auth_failure(struct track *tr, struct srcrec *sr, struct cidrec *cr,
    struct txn *t, const struct sip_msg *m, int64_t ts,
    const struct sw_addr *client, const struct sw_addr *server)
{
	const struct sip_nameaddr *acc = attack_account(m, t->method);
	unsigned	 K = tr->o.auth_failures, i, fast = 0, slow = 0;
	unsigned	 one = 0;
	uint64_t	 ah = track_hash_nameaddr(acc), seen[4];
	unsigned	 nseen = 0, j;
	char		 ip[SW_ADDRSTRLEN];
	char		 name[ATTACK_NAME_MAX];
	char		 aor[CIDINFO_MAX];
	size_t		 n;

	if (sr->fails == NULL)
		sr->fails = xcalloc(TRACK_AUTH_FAILURES_MAX,
		    sizeof *sr->fails);
	if (t->method == SIP_METHOD_REGISTER && sr->flags == 0 &&
	    sr->first_aor == NULL && (n = sip_uri_aor(acc->uri.s,
	    acc->uri.len, aor, sizeof aor)) > 0)
		sr->first_aor = xstrndup(aor, n);
	sr->fails[sr->fnext].ts = ts;
	sr->fails[sr->fnext].account = ah;
	sr->fnext = (sr->fnext + 1) % TRACK_AUTH_FAILURES_MAX;
	if (sr->fn < TRACK_AUTH_FAILURES_MAX)
		sr->fn++;
	sr->auth_failures++;
	sr->kinds |= RULE_ATK_GUESSING;
	if (t->nonce_h != 0 && t->nonce_h == sr->last_nonce)
		sr->nonce_repeat = 1;
	sr->last_nonce = t->nonce_h;
	if (hset_add(&sr->accounts, ah)) {
		snprintf(name, sizeof name, "%.*s%s%.*s",
		    (int)acc->user.len, acc->user.s != NULL ? acc->user.s : "",
		    acc->host.s != NULL ? "@" : "",
		    (int)acc->host.len, acc->host.s != NULL ? acc->host.s : "");
		attack_name(sr->names, name, strlen(name));
	}
	if (hset_add(&sr->hosts, track_hash_addr(server, 0))) {
		sw_addr_format_ip(server, ip, sizeof ip);
		attack_name(sr->targets, ip, strlen(ip));
	}
	for (i = 0; i < sr->fn; i++) {
		if (ts - sr->fails[i].ts <= tr->o.auth_window_us)
			fast++;
		if (ts - sr->fails[i].ts <= tr->o.auth_window_us /
		    ATTACK_ONE_ACCOUNT_DIV && sr->fails[i].account == ah)
			one++;
		if (ts - sr->fails[i].ts > ATTACK_SLOW_US)
			continue;
		slow++;
		for (j = 0; j < nseen; j++) {
			if (seen[j] == sr->fails[i].account)
				break;
		}
		if (j == nseen && nseen < 4)
			seen[nseen++] = sr->fails[i].account;
	}
	/*
	 * Guessing: K failures within W over two accounts or more, or for
	 * one account within W/6 (a device with a wrong password retries
	 * a failed registration no sooner than about 30 s, RFC 5626 4.5, so
	 * three refusals in 10 s are a machine guessing); or the slow
	 * variant, 2K within an hour over two accounts or more.
	 */
	if (!(sr->flags & SRC_F_GUESSING) && one < K && (fast < K ||
	    nseen < 2) && (slow < 2 * K || nseen < 2))
		return;
	attack_raise(tr, sr, RULE_AUTH_FAILURE_BURST, ts, cr, client, server,
	    txn_method_name(t), m->status);
}

/* Credentials of T's request were accepted with M: compromised? */
static void
attack_auth_ok(struct track *tr, struct srcrec *sr, struct cidrec *cr,
    struct txn *t, const struct sip_msg *m, int64_t ts,
    const struct sw_addr *client, const struct sw_addr *server)
{
	const struct sip_nameaddr *acc = attack_account(m, t->method);
	char		 sb[SW_ADDRSTRLEN];

	/*
	 * Only a source flagged as scanning or guessing: a device whose
	 * wrong password was corrected also has failures before its 2xx.
	 */
	if (!(sr->flags & (SRC_F_SCANNER | SRC_F_GUESSING)))
		return;
	snprintf(sr->account, sizeof sr->account, "%.*s",
	    (int)acc->uri.len, acc->uri.s != NULL ? acc->uri.s : "");
	if (t->method == SIP_METHOD_REGISTER && m->contact.uri.s != NULL)
		snprintf(sr->binding, sizeof sr->binding, "%.*s",
		    (int)m->contact.uri.len, m->contact.uri.s);
	else
		sr->binding[0] = '\0';
	snprintf(sr->device, sizeof sr->device, "%s",
	    sw_addr_format(server, sb, sizeof sb));
	attack_raise(tr, sr, RULE_ACCOUNT_COMPROMISED, ts, cr, client, server,
	    txn_method_name(t), m->status);
}

/* A 2xx to an INVITE of SR: one of its fraud calls answered? */
static void
attack_answer(struct track *tr, struct srcrec *sr, struct cidrec *cr,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *client,
    const struct sw_addr *server)
{
	uint64_t	 cid = track_hash_str(&m->call_id);
	const char	*ua = m->server.s != NULL ? m->server.s :
			    m->user_agent.s;
	char		 sb[SW_ADDRSTRLEN];
	unsigned	 i;

	for (i = 0; i < ATTACK_CALLS; i++) {
		if (sr->calls[i].call_id == cid)
			break;
	}
	if (i == ATTACK_CALLS || sr->calls[i].answer_us != 0)
		return;
	sr->calls[i].answer_us = ts;
	sr->fraud_answered++;
	tr->attack.fraud_answered++;
	sr->duration_us = -1;
	snprintf(sr->device, sizeof sr->device, "%s%s%.80s%s",
	    sw_addr_format(server, sb, sizeof sb), ua != NULL ? " (" : "",
	    ua != NULL ? ua : "", ua != NULL ? ")" : "");
	attack_raise(tr, sr, RULE_TOLL_FRAUD, ts, cr, client, server, "INVITE",
	    m->status);
}

void
attack_final(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct srcrec	*sr, *srv;
	int		 code = m->status;

	if (t == NULL)
		return;
	/* The sender of a final response answers requests: a server. */
	if ((srv = attack_src(tr, src, ts, 1)) != NULL)
		srv->server = 1;
	if (t->flags & TXN_F_IN_DIALOG)
		return;
	if ((sr = attack_src(tr, &t->client, ts, (t->flags & TXN_F_ORPHAN) !=
	    0)) == NULL)
		return;
	if (t->flags & TXN_F_ORPHAN) {
		/* Its request was not captured: count it from the answer. */
		sr->requests++;
		(void)hset_add(&sr->users, t->ruser_h);
		(void)hset_add(&sr->hosts, track_hash_addr(&t->server, 0));
		(void)hset_add(&sr->endpoints, track_hash_addr(&t->server, 1));
		if (t->method == SIP_METHOD_INVITE && attack_fraud_number(tr,
		    &m->to.user) && (sr->flags != 0 || (!sr->registered &&
		    !sr->server && !attack_local(tr, &t->client)))) {
			sr->fraud_attempts++;
			sr->kinds |= RULE_ATK_FRAUD_TRY;
		}
	}
	sr->finals++;
	/* An SBC's or proxy's 482/483 to a flagged source: its defence,
	 * counted here whether or not loop-detected speaks about it. */
	if ((code == 482 || code == 483) && sr->flags != 0 &&
	    ts <= sr->flag_until)
		sr->absorbed[2]++;
	if (code < 400)
		sr->good++;
	if (code == 401 || code == 403 || code == 404 || code == 407)
		sr->refused++;
	if ((t->flags & TXN_F_HAS_AUTH) && (t->method == SIP_METHOD_REGISTER ||
	    t->method == SIP_METHOD_INVITE)) {
		if (code == 403 || ((code == 401 || code == 407) &&
		    !m->challenge_stale))
			attack_auth_failure(tr, sr, cr, t, m, ts, &t->client,
			    &t->server);
		else if (code >= 200 && code < 300)
			attack_auth_ok(tr, sr, cr, t, m, ts, &t->client,
			    &t->server);
	}
	if (t->method == SIP_METHOD_INVITE && code >= 200 && code < 300) {
		sr->invite_2xx++;
		if (sr->ncalls > 0)
			attack_answer(tr, sr, cr, m, ts, &t->client,
			    &t->server);
	}
	if (t->method == SIP_METHOD_REGISTER && code >= 200 && code < 300 &&
	    sr->flags == 0)
		sr->registered = 1;
	attack_scan_check(tr, sr, ts, cr, &t->client, &t->server,
	    txn_method_name(t), 0);
}

/* ------------------------------------------------------------------ */
/* Other rules' verdicts about attack traffic. */

void
attack_note_5xx(struct track *tr, const struct sw_addr *a, int code,
    int64_t ts)
{
	struct srcrec	*sr;

	if ((sr = attack_src(tr, a, ts, 0)) == NULL)
		return;
	if (code == 503) {
		sr->absorbed[0]++;
		if (sr->first_503_us == 0)
			sr->first_503_us = ts;
	} else
		sr->absorbed[1]++;
}

int
attack_absorb(struct track *tr, const struct rule_ctx *c)
{
	const struct rule_entry	*e = rules_entry(c->rule);
	struct srcrec		*sr = NULL;
	int			 slot;

	if (e == NULL || e->attack)
		return (0);
	if ((c->rule == RULE_INVITE_TIMEOUT ||
	    c->rule == RULE_NON_INVITE_TIMEOUT) && c->src != NULL &&
	    (sr = attack_src(tr, c->src, c->ts_us, 0)) != NULL) {
		/* An unanswered probe: the behaviour may now show a scan. */
		sr->unanswered++;
		if (sr->flags == 0)
			attack_scan_check(tr, sr, c->ts_us, NULL, c->src,
			    c->dst, c->method, 0);
	}
	/* Flagged when the verdict became certain (a timer's deadline may
	 * lie well before the packet that moved the clock past it). */
	if ((sr = attack_flagged(tr, c->src, c->ts_us)) == NULL &&
	    (sr = attack_flagged(tr, c->dst, c->ts_us)) == NULL)
		return (0);
	switch (c->rule) {
	case RULE_SERVER_ERROR_BURST:
	case RULE_BAD_GATEWAY:
		slot = c->code == 503 ? 0 : 1;
		break;
	case RULE_LOOP_DETECTED:
		slot = 2;
		break;
	case RULE_GLOBAL_FAILURE:
		slot = 3;
		break;
	default:
		slot = 4;
		break;
	}
	/* A 482/483 was counted when it came (attack_final()). */
	if (slot != 2 || (c->code != 482 && c->code != 483))
		sr->absorbed[slot]++;
	tr->attack.absorbed++;
	if (slot == 0 && sr->first_503_us == 0)
		sr->first_503_us = c->ts_us;
	/* An occurrence of its incident, whose text now counts it. */
	attack_raise(tr, sr, (sr->flags & SRC_F_SCANNER) ? RULE_SCANNER :
	    (sr->flags & SRC_F_GUESSING) ? RULE_AUTH_FAILURE_BURST :
	    (sr->flags & SRC_F_FRAUD) ? RULE_TOLL_FRAUD :
	    RULE_ACCOUNT_COMPROMISED, c->ts_us, NULL, c->src, c->dst,
	    c->method, c->code);
	return (1);
}

/* ------------------------------------------------------------------ */
/* Report. */

static const char *
attack_outcome_name(int outcome)
{
	switch (outcome) {
	case TRACK_ATTACK_COMPROMISED:
		return ("compromised");
	case TRACK_ATTACK_FRAUD_ANSWERED:
		return ("fraud_answered");
	default:
		return ("nothing");
	}
}

static json_t *
attack_src_json(const struct track *tr, const struct srcrec *sr)
{
	struct rule_attack	 f;
	struct attack_bufs	 b;
	json_t			*o, *r, *a;
	char			 ip[SW_ADDRSTRLEN], t[SW_TIME_LEN];
	static const char *const absorbed[5] = {
		"503", "other_5xx", "482_483", "6xx", "timeouts_retransmissions"
	};
	unsigned		 i;

	attack_facts(tr, sr, &f, &b);
	o = json_object();
	sw_json_set(o, "source", json_string(sw_addr_format_ip(&sr->ip, ip,
	    sizeof ip)));
	sw_json_set(o, "network", json_string(sw_addr_format_net(&sr->ip, ip,
	    sizeof ip)));
	sw_json_set(o, "local", json_boolean(f.local));
	r = json_array();
	if (sr->flags & SRC_F_SCANNER)
		json_array_append_new(r, json_string("scanner"));
	if (sr->flags & SRC_F_GUESSING)
		json_array_append_new(r, json_string("auth-failure-burst"));
	if (sr->flags & SRC_F_COMPROMISED)
		json_array_append_new(r, json_string("account-compromised"));
	if (sr->flags & SRC_F_FRAUD)
		json_array_append_new(r, json_string("toll-fraud"));
	sw_json_set(o, "rules", r);
	sw_json_set(o, "outcome", json_string(attack_outcome_name(
	    sr->outcome)));
	sw_json_set(o, "tool", sr->tool != NULL ? sw_json_wire(sr->tool) :
	    json_null());
	sw_json_set(o, "user_agent", sr->agent != NULL ?
	    sw_json_wire(sr->agent) : json_null());
	sw_json_set(o, "first", json_string(sw_time_rfc3339(sr->first_us, 6,
	    t, sizeof t)));
	sw_json_set(o, "flagged_until", json_string(sw_time_rfc3339(
	    sr->flag_until, 0, t, sizeof t)));
	sw_json_set(o, "requests", sw_json_uint(sr->requests));
	sw_json_set(o, "hosts", sw_json_uint(sr->hosts.n));
	sw_json_set(o, "endpoints", sw_json_uint(sr->endpoints.n));
	sw_json_set(o, "users", sw_json_uint(sr->users.n));
	sw_json_set(o, "refused", sw_json_uint(sr->refused));
	sw_json_set(o, "unanswered", sw_json_uint(sr->unanswered));
	sw_json_set(o, "credentials_rejected", sw_json_uint(sr->auth_failures));
	sw_json_set(o, "accounts", sw_json_uint(sr->accounts.n));
	sw_json_set(o, "accounts_named", sw_json_wire(f.account_list));
	sw_json_set(o, "targets_named", sw_json_wire(f.target_list));
	sw_json_set(o, "fraud_calls", sw_json_uint(sr->fraud_attempts));
	sw_json_set(o, "fraud_answered", sw_json_uint(sr->fraud_answered));
	if (f.account != NULL)
		sw_json_set(o, "account", sw_json_wire(f.account));
	a = json_object();
	for (i = 0; i < 5; i++)
		sw_json_set(a, absorbed[i], sw_json_uint(sr->absorbed[i]));
	sw_json_set(o, "refusals_absorbed", a);
	return (o);
}

void
attack_report(json_t *root, struct track *tr)
{
	const struct ptab	*pt = &tr->peers[PEER_SOURCE];
	const struct peer	*p;
	json_t			*o, *l;
	unsigned		 n = 0, listed = 0;

	l = json_array();
	TAILQ_FOREACH(p, &pt->lru, lru) {
		if (p->u.src == NULL || p->u.src->flags == 0)
			continue;
		n++;
		if (listed++ < INCIDENT_KEEP)
			json_array_append_new(l, attack_src_json(tr, p->u.src));
	}
	o = json_object();
	sw_json_set(o, "sources", sw_json_uint(n));
	sw_json_set(o, "flagged_total", sw_json_uint(tr->attack.flagged));
	sw_json_set(o, "compromised", sw_json_uint(tr->attack.compromised));
	sw_json_set(o, "fraud_calls", sw_json_uint(tr->attack.fraud_calls));
	sw_json_set(o, "fraud_answered", sw_json_uint(tr->attack.fraud_answered));
	sw_json_set(o, "absorbed", sw_json_uint(tr->attack.absorbed));
	sw_json_set(o, "list", l);
	sw_json_set(root, "attacks", o);
}

void
track_attacks(const struct track *tr, struct track_attack_counts *out)
{
	const struct peer	*p;

	memset(out, 0, sizeof *out);
	TAILQ_FOREACH(p, &tr->peers[PEER_SOURCE].lru, lru) {
		if (p->u.src != NULL && p->u.src->flags != 0 &&
		    tr->now <= p->u.src->flag_until)
			out->flagged++;
	}
	out->flagged_total = tr->attack.flagged;
	out->compromised = tr->attack.compromised;
	out->fraud_calls = tr->attack.fraud_calls;
	out->fraud_answered = tr->attack.fraud_answered;
	out->absorbed = tr->attack.absorbed;
}
