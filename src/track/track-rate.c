/*
 * track-rate.c: call-failure-rate, the share of call attempts a server
 * fails for network or service reasons (RFC 6076 4.6-4.8: the opposite of
 * its session establishment effectiveness; the NER idea of ITU-T E.411).
 *
 * Per next hop (the server an initial INVITE went to, ip:port) a sliding
 * window of --failure-rate S seconds, kept in RATE_SLOTS slots, counts
 * the attempts and how they failed:
 *
 *   attempt   the first final response of an initial INVITE transaction
 *             at that hop, or its Timer B;
 *   failure   a 4xx other than 401/407 (a digest challenge: the retry
 *             with credentials is the attempt that counts) and 486/487
 *             (the callee busy, the caller cancelling: user actions), a
 *             5xx, or Timer B;
 *   neither   a 3xx (the redirected attempt counts), 401/407.
 *
 * 6xx are the callee's word (600, 603) or about the session (606), not a
 * failing server.  A failure a proxy relays from the next hop (the same
 * code, already seen on the next hop's transaction of the same request)
 * counts where it arose, not at the proxy.  While at least N attempts are
 * in the window and failures exceed PCT % of them, each failure is an
 * occurrence of one incident per server; when the share falls, the
 * incident clears after the hold time.  Attempts from a source reported
 * as a scanner are not counted.
 */
#include "config.h"

#include <string.h>

#include "track/track-int.h"

/* Did the element T went to relay CODE from its own next hop? */
static int
rate_relayed(const struct txn *t, int code)
{
	const struct txn	*d;

	TAILQ_FOREACH(d, &t->cidrec->txns, cidrec_entry) {
		if (d == t || d->method != SIP_METHOD_INVITE ||
		    d->cseq != t->cseq || (d->flags & TXN_F_ORPHAN) ||
		    sw_addr_ip_cmp(&d->client, &t->server) != 0 ||
		    sw_addr_cmp(&d->server, &t->client) == 0)
			continue;
		if (d->final_code == code ||
		    (code == 408 && (d->flags & TXN_F_TIMED_OUT)))
			return (1);
	}
	return (0);
}

/* Move P's window to TS: slots older than the window are emptied. */
static void
rate_slide(struct peer *p, int64_t ts, int64_t slot)
{
	int64_t		 steps;
	unsigned	 i;

	if (p->u.rate.slot_us == 0 || ts - p->u.rate.slot_us >=
	    slot * RATE_SLOTS) {
		memset(&p->u.rate, 0, sizeof p->u.rate);
		p->u.rate.slot_us = ts;
		return;
	}
	if (ts < p->u.rate.slot_us + slot)
		return;
	steps = (ts - p->u.rate.slot_us) / slot;
	for (i = 0; i < (unsigned)steps; i++) {
		p->u.rate.head = (uint8_t)((p->u.rate.head + 1) % RATE_SLOTS);
		p->u.rate.att[p->u.rate.head] = 0;
		p->u.rate.f4[p->u.rate.head] = 0;
		p->u.rate.f5[p->u.rate.head] = 0;
		p->u.rate.to[p->u.rate.head] = 0;
	}
	p->u.rate.slot_us += steps * slot;
}

static void
rate_inc(uint16_t *v)
{
	if (*v < UINT16_MAX)
		(*v)++;
}

void
rate_outcome(struct track *tr, struct txn *t, int code, int64_t ts)
{
	struct peer	*p;
	struct tkey	 k;
	struct thash	 h;
	struct rule_ctx	 c;
	int64_t		 w = tr->o.fail_window_us;
	unsigned	 i, att = 0, f4 = 0, f5 = 0, to = 0, fails;
	int		 fail;

	if ((code >= 300 && code < 400) || code == 401 || code == 407)
		return;
	/* A scanner's probes say nothing about the server's service. */
	if (track_attacker(tr, &t->client))
		return;
	fail = code == 0 || (code >= 400 && code < 600 && code != 486 &&
	    code != 487);
	if (fail && code != 0 && rate_relayed(t, code))
		return;
	th_init(&h, 0x4a7e);
	th_u64(&h, track_hash_addr(&t->server, 1));
	k = th_final(&h);
	p = peer_get(tr, PEER_RATE, &k, ts, 1);
	peer_touch(tr, PEER_RATE, p, ts, ts + w);
	rate_slide(p, ts, w / RATE_SLOTS > 0 ? w / RATE_SLOTS : 1);
	i = p->u.rate.head;
	rate_inc(&p->u.rate.att[i]);
	if (code == 0)
		rate_inc(&p->u.rate.to[i]);
	else if (fail && code < 500)
		rate_inc(&p->u.rate.f4[i]);
	else if (fail)
		rate_inc(&p->u.rate.f5[i]);
	if (!fail)
		return;
	for (i = 0; i < RATE_SLOTS; i++) {
		att += p->u.rate.att[i];
		f4 += p->u.rate.f4[i];
		f5 += p->u.rate.f5[i];
		to += p->u.rate.to[i];
	}
	fails = f4 + f5 + to;
	if (att < tr->o.fail_min || (uint64_t)fails * 100 <=
	    (uint64_t)tr->o.fail_pct * att)
		return;
	track_ctx_init(&c, RULE_CALL_FAILURE_RATE, ts, t->cidrec);
	c.src = &t->client;
	c.dst = &t->server;
	c.method = "INVITE";
	c.code = code;
	c.kb_code = code != 0 ? code : 408;
	c.n = att;
	c.n2 = fails;
	c.codes[0] = (int)f4;
	c.codes[1] = (int)f5;
	c.codes[2] = (int)to;
	c.window_us = w;
	c.transport = decode_transport_name(t->transport);
	track_raise(tr, &c);
}
