/*
 * track-peer.c: per-peer state and the rules that read it.
 *
 *   backoff  (client ip:port, server ip:port): a 503 or 500 with
 *            Retry-After: N asks the client to send that server no other
 *            request for N seconds (RFC 3261 21.5.4, 21.5.1, 20.33); a new
 *            transaction inside the period is retry-after-violation.
 *   hint     (caller URI, target user): a 404/413/480/486/600/603 with
 *            Retry-After says when the called party may be reachable
 *            (20.33, 21.4.18, 21.4.24, 21.6); calling earlier is
 *            premature-retry (a notice: it is only a hint).
 *   burst    (server ip:port): the times and codes of its last K 5xx
 *            final responses; K within W seconds is server-error-burst.
 *   source   (source ip): what it probed, guessed and called; the attack
 *            rules that read it are in track-attack.c.
 *
 * Each table is capped at max_peers records; a full table evicts its
 * least recently used record.  Records expire when their state no longer
 * matters (the back-off is over, the window has passed).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xmalloc.h"
#include "track/track-int.h"

void
peer_init(struct track *tr)
{
	int	i;

	for (i = 0; i < PEER_KIND_COUNT; i++) {
		memset(&tr->peers[i], 0, sizeof tr->peers[i]);
		TAILQ_INIT(&tr->peers[i].lru);
		tr->peers[i].cap = tr->o.max_peers;
	}
}

static void
peer_free(struct track *tr, enum peer_kind kind, struct peer *p)
{
	struct ptab	*pt = &tr->peers[kind];

	HASH_DELETE(hh, pt->hash, p);
	TAILQ_REMOVE(&pt->lru, p, lru);
	pt->n--;
	if (kind == PEER_BURST) {
		free(p->u.burst.ts);
		free(p->u.burst.codes);
	} else if (kind == PEER_SOURCE)
		attack_src_free(p->u.src);
	free(p);
}

void
peer_destroy(struct track *tr)
{
	struct peer	*p;
	int		 i;

	for (i = 0; i < PEER_KIND_COUNT; i++) {
		while ((p = TAILQ_FIRST(&tr->peers[i].lru)) != NULL)
			/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): TAILQ */
			peer_free(tr, i, p);
	}
}

void
peer_expire(struct track *tr, int64_t now)
{
	struct ptab	*pt;
	struct peer	*p;
	int		 i;

	for (i = 0; i < PEER_KIND_COUNT; i++) {
		pt = &tr->peers[i];
		while ((p = TAILQ_FIRST(&pt->lru)) != NULL) {
			/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): TAILQ */
			if (p->expire_us >= now)
				break;
			pt->expired++;
			peer_free(tr, i, p);
		}
	}
}

unsigned
peer_count(const struct track *tr)
{
	unsigned	n = 0;
	int		i;

	for (i = 0; i < PEER_KIND_COUNT; i++)
		n += tr->peers[i].n;
	return (n);
}

/* Find the record KEY of KIND; create it (evicting if full) if asked. */
struct peer *
peer_get(struct track *tr, enum peer_kind kind, const struct tkey *key,
    int64_t now, int create)
{
	struct ptab	*pt = &tr->peers[kind];
	struct peer	*p, *victim;

	HASH_FIND(hh, pt->hash, key, sizeof *key, p);
	if (p != NULL || !create)
		return (p);
	if (pt->n >= pt->cap && (victim = TAILQ_FIRST(&pt->lru)) != NULL) {
		pt->evicted++;
		peer_free(tr, kind, victim);
	}
	p = xcalloc(1, sizeof *p);
	p->key = *key;
	p->last_us = now;
	p->expire_us = now;
	if (kind == PEER_BURST) {
		p->u.burst.ts = xcalloc(tr->o.burst_k, sizeof *p->u.burst.ts);
		p->u.burst.codes = xcalloc(tr->o.burst_k,
		    sizeof *p->u.burst.codes);
	}
	HASH_ADD(hh, pt->hash, key, sizeof p->key, p);
	TAILQ_INSERT_TAIL(&pt->lru, p, lru);
	pt->n++;
	pt->created++;
	return (p);
}

/* Record activity: move P to the LRU tail, expiring at EXPIRE. */
void
peer_touch(struct track *tr, enum peer_kind kind, struct peer *p,
    int64_t now, int64_t expire)
{
	struct ptab	*pt = &tr->peers[kind];

	p->last_us = now;
	p->expire_us = expire;
	TAILQ_REMOVE(&pt->lru, p, lru);
	TAILQ_INSERT_TAIL(&pt->lru, p, lru);
}

static struct tkey
peer_key2(uint64_t seed, uint64_t a, uint64_t b)
{
	struct thash	h;

	th_init(&h, seed);
	th_u64(&h, a);
	th_u64(&h, b);
	return (th_final(&h));
}

/* ------------------------------------------------------------------ */
/* Requests. */

void
peer_request(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct peer	*p;
	struct tkey	 k;
	struct rule_ctx	 c;

	/* The attack rules first: a verdict below about a source they flag
	 * now is attack traffic (track_attacker()). */
	attack_request(tr, cr, t, m, ts, src, dst);

	/* retry-after-violation: a new transaction towards a backing-off
	 * server.  ACK is never here; CANCEL and BYE are exempt (SIP-FACTS
	 * 5.2): they end what was already under way. */
	if (tr->peers[PEER_BACKOFF].n > 0 && m->method != SIP_METHOD_CANCEL &&
	    m->method != SIP_METHOD_BYE) {
		k = peer_key2(0xbac0, track_hash_addr(src, 1),
		    track_hash_addr(dst, 1));
		p = peer_get(tr, PEER_BACKOFF, &k, ts, 0);
		if (p != NULL && ts < p->u.backoff.until_us) {
			/* Each request inside the back-off is an occurrence. */
			track_ctx_init(&c, RULE_RETRY_AFTER_VIOLATION, ts, cr);
			c.src = src;
			c.dst = dst;
			c.method = txn_method_name(t);
			c.code = p->u.backoff.code;
			c.kb_code = p->u.backoff.code;
			c.retry_after = p->u.backoff.retry_after;
			c.elapsed_us = ts - p->u.backoff.since_us;
			if (t->flags & TXN_F_IN_DIALOG)
				c.flags |= RULE_F_IN_DIALOG;
			track_raise(tr, &c);
		}
	}

	/* premature-retry: the same caller, the same target, too soon. */
	if (tr->peers[PEER_HINT].n > 0 && m->method != SIP_METHOD_CANCEL &&
	    !(t->flags & TXN_F_IN_DIALOG)) {
		k = peer_key2(0x4147, t->from_h, t->ruser_h);
		p = peer_get(tr, PEER_HINT, &k, ts, 0);
		if (p != NULL && ts < p->u.hint.until_us &&
		    !p->u.hint.fired) {
			p->u.hint.fired = 1;
			track_ctx_init(&c, RULE_PREMATURE_RETRY, ts, cr);
			c.src = src;
			c.dst = dst;
			c.method = txn_method_name(t);
			c.code = p->u.hint.code;
			c.kb_code = p->u.hint.code;
			c.retry_after = p->u.hint.retry_after;
			c.elapsed_us = ts - p->u.hint.since_us;
			c.target = m->ruri_user.s != NULL ? m->ruri_user.s :
			    m->to.user.s;
			track_raise(tr, &c);
		}
	}

}

/* ------------------------------------------------------------------ */
/* Final responses. */

static void
peer_burst(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst)
{
	struct peer	*p;
	struct tkey	 k;
	struct rule_ctx	 c;
	unsigned	 K = tr->o.burst_k, i, oldest;
	int64_t		 w = tr->o.burst_window_us;

	k = peer_key2(0xb125, track_hash_addr(src, 1), 0);
	p = peer_get(tr, PEER_BURST, &k, ts, 1);
	peer_touch(tr, PEER_BURST, p, ts, ts + w);
	p->u.burst.ts[p->u.burst.next] = ts;
	p->u.burst.codes[p->u.burst.next] = (uint16_t)m->status;
	p->u.burst.next = (p->u.burst.next + 1) % K;
	if (p->u.burst.n < K)
		p->u.burst.n++;
	if (p->u.burst.n < K)
		return;
	oldest = p->u.burst.next;	/* the slot written K sends ago */
	if (ts - p->u.burst.ts[oldest] > w)
		return;
	/* Every 5xx while K of them fall within W is an occurrence. */
	track_ctx_init(&c, RULE_SERVER_ERROR_BURST, ts, cr);
	c.src = src;
	c.dst = dst;
	c.method = sip_method_name(m->method);
	c.code = m->status;
	c.n = K;
	c.elapsed_us = ts - p->u.burst.ts[oldest];
	c.server = m->server.s != NULL ? m->server.s : m->user_agent.s;
	for (i = 0; i < K; i++) {
		switch (p->u.burst.codes[i]) {
		case 500:
			c.codes[0]++;
			break;
		case 502:
			c.codes[1]++;
			break;
		case 503:
			c.codes[2]++;
			break;
		case 504:
			c.codes[3]++;
			break;
		default:
			c.codes[4]++;
			break;
		}
	}
	c.kb_code = c.codes[2] >= c.codes[0] ? 503 : 500;
	track_raise(tr, &c);
}

void
peer_final(struct track *tr, struct cidrec *cr, struct txn *t,
    const struct sip_msg *m, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	struct peer		*p;
	struct tkey		 k;
	struct track_obs	 o;
	int			 code = m->status;
	int64_t			 until;
	uint64_t	 caller, target;
	const struct sw_addr *client = t != NULL ? &t->client : dst;
	const struct sw_addr *server = t != NULL ? &t->server : src;

	/* A server's 5xx to an attacker is its defence, not its failure. */
	if (code >= 500 && code < 600 && track_attacker(tr, client))
		attack_note_5xx(tr, client, code, ts);
	else if (code >= 500 && code < 600)
		peer_burst(tr, cr, m, ts, src, dst);

	if (m->retry_after > 0 && (code == 500 || code == 503)) {
		until = ts + (int64_t)m->retry_after * 1000000;
		k = peer_key2(0xbac0, track_hash_addr(client, 1),
		    track_hash_addr(server, 1));
		p = peer_get(tr, PEER_BACKOFF, &k, ts, 1);
		peer_touch(tr, PEER_BACKOFF, p, ts, until);
		p->u.backoff.since_us = ts;
		p->u.backoff.until_us = until;
		p->u.backoff.retry_after = m->retry_after;
		p->u.backoff.code = code;
		track_obs_init(&o, TRACK_OBS_BACKOFF, ts, cr);
		o.u.backoff.server = server;
		o.u.backoff.client = client;
		o.u.backoff.until_us = until;
		o.u.backoff.retry_after = m->retry_after;
		o.u.backoff.code = code;
		track_publish(tr, &o);
	}

	if (m->retry_after > 0 && (code == 404 || code == 413 || code == 480 ||
	    code == 486 || code == 600 || code == 603)) {
		until = ts + (int64_t)m->retry_after * 1000000;
		caller = t != NULL ? t->from_h : track_hash_nameaddr(&m->from);
		target = t != NULL ? t->ruser_h : track_hash_str(&m->to.user);
		k = peer_key2(0x4147, caller, target);
		p = peer_get(tr, PEER_HINT, &k, ts, 1);
		peer_touch(tr, PEER_HINT, p, ts, until);
		p->u.hint.since_us = ts;
		p->u.hint.until_us = until;
		p->u.hint.retry_after = m->retry_after;
		p->u.hint.code = code;
		p->u.hint.fired = 0;
	}

	/* The attack rules: how the source's requests were answered. */
	attack_final(tr, cr, t, m, ts, src, dst);
}

