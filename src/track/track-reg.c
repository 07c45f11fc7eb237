/*
 * track-reg.c: registrations (RFC 3261 10) and registration-failed.
 *
 * A REGISTER adds a binding for an address of record (the To URI without
 * parameters, 10.3 step 5).  It ends without one when the registrar
 * refuses it (a final 4xx, 5xx or 6xx: 403 and 404 for an AOR it will
 * not serve, 480, 482/483 when REGISTERs loop, 5xx), when the credentials
 * it asked for are answered by another challenge (22.1: a wrong password;
 * or stale=true again and again, a nonce that never lives long enough),
 * when the client does not raise Expires after 423 (10.2.8), or when the
 * registrar never answers (Timer F, 17.1.2.2).  Each such outcome is an
 * occurrence of one incident per AOR, which ends when the AOR registers
 * (a clear line) or after the rule's hold time.
 *
 * Not failures: the 401/407 that asks a REGISTER without credentials for
 * them (the first step of digest, 22.2), one stale=true challenge, a 3xx
 * (another registrar), a single 423.  REGISTERs from a source another
 * rule reports as an attacker (track_attacker()), or from an outside
 * source refused for a second account (attack_guessing()), feed the
 * attack record, not this rule.  When a registrar leaves the REGISTERs of two
 * AORs unanswered, the registrar is what failed: non-invite-timeout says
 * it once for the server instead of one incident per AOR.
 *
 * State: a PEER_REG record per AOR (failures since the last binding, the
 * stale and 423 runs), a PEER_REGSRV record per registrar (the AOR it
 * last left unanswered); the AOR of each REGISTER's Call-ID is kept in
 * its cidinfo for Timer F.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/xmalloc.h"
#include "track/track-int.h"

#define REG_IDLE_US	(3600 * 1000000LL)	/* forget an AOR after */
#define REGSRV_IDLE_US	(600 * 1000000LL)
#define REG_STALE_LOOP	3	/* stale challenges in a row that fail */
#define REG_BRIEF_LOOP	2	/* 423s in a row that fail */

static struct tkey
reg_key(uint64_t seed, const char *s, size_t n)
{
	struct thash	h;

	th_init(&h, seed);
	th_bytes(&h, s, n);
	return (th_final(&h));
}

void
reg_request(struct track *tr, struct cidrec *cr, const struct sip_msg *m)
{
	char	aor[CIDINFO_MAX];
	size_t	n;

	(void)tr;
	if ((n = sip_uri_aor(m->to.uri.s, m->to.uri.len, aor,
	    sizeof aor)) == 0)
		return;
	if (cr->info != NULL && cr->info->aor != NULL &&
	    strcmp(cr->info->aor, aor) == 0)
		return;
	cidinfo_set(&cidrec_info(cr)->aor, aor, n);
}

/* One failure of AOR's registration, seen in T's outcome at TS. */
static void
reg_fail(struct track *tr, struct txn *t, struct peer *p, const char *aor,
    const struct sip_msg *m, int64_t ts)
{
	struct rule_ctx	c;

	t->flags |= TXN_F_REPORTED;
	/* One verdict per request, whatever the hops that relay it. */
	if (track_fired(t->cidrec, RULE_REGISTRATION_FAILED, t->cseq,
	    SIP_METHOD_REGISTER))
		return;
	if (track_attacker(tr, &t->client) ||
	    attack_guessing(tr, &t->client))
		return;
	p->u.reg.fails++;
	if (p->u.reg.since_us == 0)
		p->u.reg.since_us = ts;
	track_ctx_init(&c, RULE_REGISTRATION_FAILED, ts, t->cidrec);
	c.src = &t->client;
	c.dst = &t->server;
	c.method = "REGISTER";
	c.transport = decode_transport_name(t->transport);
	c.target = aor;
	c.n = t->sends;
	c.n2 = p->u.reg.fails;
	c.elapsed_us = ts - p->u.reg.since_us;
	c.window_us = tr->timer64;
	if (t->flags & TXN_F_HAS_AUTH)
		c.flags |= RULE_F_AUTH;
	if (m != NULL) {
		track_ctx_final(&c, m);
		if (m->challenge_stale)
			c.flags |= RULE_F_STALE;
		if (p->u.reg.stale > 0)
			c.n2 = p->u.reg.stale;
		/*
		 * The knowledge base explains these codes for calls (dial
		 * plans, caller IDs, routes); the rule's own text says what
		 * they mean for a registration.
		 */
		if (m->status == 403 || m->status == 404 || m->status == 480 ||
		    m->status == 482 || m->status == 483)
			c.flags |= RULE_F_NO_KB;
	} else
		c.kb_code = 408;
	track_raise(tr, &c);
}

void
reg_final(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts)
{
	char		 aor[CIDINFO_MAX];
	struct peer	*p;
	struct tkey	 k;
	size_t		 n;
	int		 code = m->status;

	(void)cr;
	if ((n = sip_uri_aor(m->to.uri.s, m->to.uri.len, aor,
	    sizeof aor)) == 0)
		return;
	k = reg_key(0x7e91, aor, n);
	if (code < 300) {
		/* A binding (or its removal, as asked): the AOR is fine. */
		if ((p = peer_get(tr, PEER_REG, &k, ts, 0)) != NULL)
			memset(&p->u.reg, 0, sizeof p->u.reg);
		(void)incident_clear(tr, RULE_REGISTRATION_FAILED, ts, NULL, 0,
		    NULL, NULL, aor, _("the AOR registered"));
		return;
	}
	if (code < 400)
		return;		/* another registrar to try (10.2.4) */
	p = peer_get(tr, PEER_REG, &k, ts, 1);
	peer_touch(tr, PEER_REG, p, ts, ts + REG_IDLE_US);
	if (code == 401 || code == 407) {
		p->u.reg.brief = 0;
		/* 22.2: the challenge that asks for credentials. */
		if (!(t->flags & TXN_F_HAS_AUTH))
			return;
		/* 22.1: a stale nonce may be retried, but not for ever. */
		if (m->challenge_stale && ++p->u.reg.stale < REG_STALE_LOOP)
			return;
	} else if (code == 423) {
		/* 10.2.8: the client retries with Min-Expires. */
		p->u.reg.stale = 0;
		if (++p->u.reg.brief < REG_BRIEF_LOOP)
			return;
	} else
		p->u.reg.stale = p->u.reg.brief = 0;
	reg_fail(tr, t, p, aor, m, ts);
}

int
reg_timeout(struct track *tr, struct txn *t)
{
	const char	*aor;
	struct peer	*p, *s;
	struct tkey	 k, ks;
	struct thash	 h;
	uint64_t	 ah;
	int64_t		 now = t->tm.deadline;

	if (t->cidrec->info == NULL || (aor = t->cidrec->info->aor) == NULL)
		return (0);
	/* The registrar is already reported as silent. */
	if (incident_open(tr, RULE_NON_INVITE_TIMEOUT, NULL, 0, NULL,
	    &t->server, NULL))
		return (0);
	k = reg_key(0x7e91, aor, strlen(aor));
	ah = k.a;
	th_init(&h, 0x7e95);
	th_u64(&h, track_hash_addr(&t->server, 1));
	ks = th_final(&h);
	s = peer_get(tr, PEER_REGSRV, &ks, now, 1);
	if (s->u.regsrv.aor != 0 && s->u.regsrv.aor != ah &&
	    now - s->u.regsrv.us < REGSRV_IDLE_US)
		return (0);	/* a second AOR: the registrar is silent */
	s->u.regsrv.aor = ah;
	s->u.regsrv.us = now;
	peer_touch(tr, PEER_REGSRV, s, now, now + REGSRV_IDLE_US);
	p = peer_get(tr, PEER_REG, &k, now, 1);
	peer_touch(tr, PEER_REG, p, now, now + REG_IDLE_US);
	reg_fail(tr, t, p, aor, NULL, now);
	return (1);
}
