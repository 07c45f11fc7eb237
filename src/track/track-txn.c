/*
 * track-txn.c: the transaction table (RFC 3261 17).
 *
 * A passive observer sees each transaction once per hop: a proxy puts its
 * own Via on top, so the two sides of a proxy are two transactions, each
 * keyed by what its own top Via says.  The key (a 128-bit digest) is
 *
 *   cookie branch (z9hG4bK...):  branch and method, as a client matches a
 *                                response (17.1.3), and the Call-ID; not
 *                                the sent-by, which NAT, SIP ALGs and
 *                                SBCs rewrite (rport and received change
 *                                it too): two clients that reuse a branch
 *                                still differ by their Call-ID;
 *   anything else (RFC 2543):    Call-ID, From-tag, CSeq number, method
 *                                and the whole top Via (17.2.3, last
 *                                paragraphs) - the fields a response
 *                                carries too (no To-tag, no Request-URI).
 *
 * The method is the request's, or the CSeq method of a response; an ACK
 * is looked up as INVITE (the ACK for a non-2xx shares the INVITE's
 * branch, 17.1.1.3) and CANCEL is its own transaction (9.1).
 *
 * Entries sit on one of two LRU lists: "open" (no final response yet) and
 * "done".  A full table evicts the oldest done entry first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "track/track-int.h"

#define TXN_FREE_KEEP	1024	/* structs kept for reuse */

static int
txn_has_cookie(const struct sip_via *v)
{
	return (v->branch.s != NULL && v->branch.len > 7 &&
	    strncmp(v->branch.s, "z9hG4bK", 7) == 0);
}

struct tkey
txn_key(const struct sip_msg *m, int method)
{
	const struct sip_via	*v = &m->via[0];
	struct thash		 h;
	const struct sip_str	*name;

	name = m->is_request ? &m->method_name : &m->cseq_method_name;
	if (txn_has_cookie(v)) {
		th_init(&h, 0x3261);
		th_str(&h, &v->branch);
		th_str(&h, &m->call_id);
	} else {
		th_init(&h, 0x2543);
		th_str(&h, &m->call_id);
		th_str(&h, &m->from.tag);
		th_u64(&h, m->cseq);
		th_str(&h, &v->branch);
		th_lower(&h, v->host.s != NULL ? v->host.s : "",
		    v->host.len);
		th_u64(&h, v->port);
		th_lower(&h, v->transport.s != NULL ? v->transport.s : "",
		    v->transport.len);
	}
	th_u64(&h, (uint64_t)method);
	if (method == SIP_METHOD_OTHER)
		th_str(&h, name);
	return (th_final(&h));
}

struct txn *
txn_find(struct track *tr, const struct tkey *k)
{
	struct txn	*t;

	HASH_FIND(hh, tr->txns, k, sizeof *k, t);
	return (t);
}

static void
txn_unlink(struct track *tr, struct txn *t)
{
	HASH_DELETE(hh, tr->txns, t);
	TAILQ_REMOVE(&tr->txn_lru[t->lru_class], t, lru);
	TAILQ_REMOVE(&t->cidrec->txns, t, cidrec_entry);
	theap_remove(&tr->heap, &t->tm);
	tr->ntxn--;
}

void
txn_free(struct track *tr, struct txn *t, int evicted)
{
	if (evicted) {
		tr->tx.evicted++;
		if (t->tm.idx != 0)
			tr->tx.evicted_pending++;
	}
	txn_unlink(tr, t);
	free(t->hnames);
	t->hnames = NULL;
	if (tr->ntxn_free < TXN_FREE_KEEP) {
		t->hh.next = tr->txn_free;
		tr->txn_free = t;
		tr->ntxn_free++;
	} else
		free(t);
}

struct txn *
txn_create(struct track *tr, struct cidrec *cr, const struct tkey *k)
{
	struct txn	*t, *victim;

	if (tr->ntxn >= tr->o.max_transactions) {
		victim = TAILQ_FIRST(&tr->txn_lru[TXN_LRU_DONE]);
		if (victim == NULL)
			victim = TAILQ_FIRST(&tr->txn_lru[TXN_LRU_OPEN]);
		if (victim != NULL)
			txn_free(tr, victim, 1);
	}
	if ((t = tr->txn_free) != NULL) {
		tr->txn_free = t->hh.next;
		tr->ntxn_free--;
		memset(t, 0, sizeof *t);
	} else
		t = xcalloc(1, sizeof *t);
	t->key = *k;
	t->cidrec = cr;
	t->tm.kind = TT_TXN;
	t->lru_class = TXN_LRU_OPEN;
	HASH_ADD(hh, tr->txns, key, sizeof t->key, t);
	TAILQ_INSERT_TAIL(&tr->txn_lru[TXN_LRU_OPEN], t, lru);
	TAILQ_INSERT_TAIL(&cr->txns, t, cidrec_entry);
	tr->ntxn++;
	tr->tx.created++;
	return (t);
}

void
txn_touch(struct track *tr, struct txn *t, int64_t now)
{
	t->last_us = now;
	TAILQ_REMOVE(&tr->txn_lru[t->lru_class], t, lru);
	TAILQ_INSERT_TAIL(&tr->txn_lru[t->lru_class], t, lru);
}

void
txn_set_class(struct track *tr, struct txn *t, enum txn_lru c)
{
	if (t->lru_class == c)
		return;
	TAILQ_REMOVE(&tr->txn_lru[t->lru_class], t, lru);
	t->lru_class = c;
	TAILQ_INSERT_TAIL(&tr->txn_lru[c], t, lru);
}

void
txn_expire(struct track *tr, int64_t now)
{
	struct txn	*t;
	int		 c;

	for (c = 0; c < TXN_LRU_COUNT; c++) {
		while ((t = TAILQ_FIRST(&tr->txn_lru[c])) != NULL &&
		    t->last_us + tr->txn_idle[c] < now) {
			tr->tx.expired++;
			txn_free(tr, t, 0);
		}
	}
}

const char *
txn_method_name(const struct txn *t)
{
	if (t->method == SIP_METHOD_OTHER && t->method_name[0] != '\0')
		return (t->method_name);
	return (sip_method_name(t->method));
}

void
txn_inferred(struct track *tr, struct txn *t, int prov)
{
	if (t->final_code != 0 || (t->flags & TXN_F_INFERRED))
		return;
	if (prov) {
		/* 17.1.1.2: a provisional stops Timer B (not Timer F). */
		if (t->method == SIP_METHOD_INVITE && t->prov_us == 0) {
			t->prov_us = t->last_us;
			theap_remove(&tr->heap, &t->tm);
			tr->tx.not_captured++;
		}
		return;
	}
	t->flags |= TXN_F_INFERRED;
	theap_remove(&tr->heap, &t->tm);
	tr->tx.not_captured++;
	/* The response existed: the resends were answered, late or lost. */
	if (t->flags & TXN_F_RETRANS_DUE)
		txn_retrans(tr, t, tr->now > t->last_us ? tr->now : t->last_us,
		    0);
}

/* ------------------------------------------------------------------ */
/* Retransmissions: one verdict, about the element that did not answer. */

/*
 * Did the element T's request went to forward it (the same request, the
 * next hop: the same method and CSeq in the Call-ID, sent from that
 * element's address) to a next hop that never answered?  Then that next
 * hop, not the proxy in between, is why T's client kept resending or
 * gave up: its own verdict names it.
 */
int
txn_downstream_silent(const struct txn *t)
{
	const struct txn	*d;

	TAILQ_FOREACH(d, &t->cidrec->txns, cidrec_entry) {
		if (d == t || d->method != t->method || d->cseq != t->cseq ||
		    (d->flags & TXN_F_ORPHAN) || d->first_us < t->first_us ||
		    sw_addr_ip_cmp(&d->client, &t->server) != 0 ||
		    sw_addr_cmp(&d->server, &t->client) == 0)
			continue;
		if (d->flags & TXN_F_TIMED_OUT)
			return (1);
		if (d->prov_us == 0 && d->final_code == 0 &&
		    !(d->flags & TXN_F_INFERRED))
			return (1);
	}
	return (0);
}

void
txn_retrans(struct track *tr, struct txn *t, int64_t ts, int end)
{
	struct rule_ctx	 c;
	int64_t		 first;

	if (!(t->flags & TXN_F_RETRANS_DUE))
		return;
	t->flags &= ~TXN_F_RETRANS_DUE;
	if (t->flags & (TXN_F_TIMED_OUT | TXN_F_REPORTED))
		return;
	/* An attacker's resent probe: track_raise() counts it into its
	 * incident (attack_absorb()). */
	if (txn_downstream_silent(t))
		return;
	if (track_fired(t->cidrec, RULE_RETRANSMISSION, t->cseq, t->method))
		return;
	track_ctx_init(&c, RULE_RETRANSMISSION, ts, t->cidrec);
	c.src = &t->client;
	c.dst = &t->server;
	c.method = txn_method_name(t);
	c.transport = decode_transport_name(t->transport);
	c.n = t->sends;
	c.n2 = end;
	c.elapsed_us = t->last_send_us - t->first_us;
	/* When the server was first heard from, if it was. */
	first = t->prov_us != 0 ? t->prov_us : t->final_us;
	if (first != 0 && first >= t->first_us)
		c.window_us = first - t->first_us;
	if (track_reliable(t->transport))
		c.flags |= RULE_F_RELIABLE;
	/* Resent after the server had answered: its answers are lost. */
	if (t->method == SIP_METHOD_INVITE && t->prov_us != 0 &&
	    t->prov_us < t->last_send_us)
		c.flags |= RULE_F_PROVISIONAL;
	if (t->final_us != 0 && t->final_us < t->last_send_us)
		c.flags |= RULE_F_FINAL_SEEN;
	track_raise(tr, &c);
}

/* ------------------------------------------------------------------ */
/* Connections: what a server answers on one TCP/TLS/WS connection. */

static struct tkey
txn_conn_key(const struct txn *t)
{
	struct thash	h;

	th_init(&h, 0xc0ae);
	th_u64(&h, track_hash_addr(&t->client, 1));
	th_u64(&h, track_hash_addr(&t->server, 1));
	th_u64(&h, t->transport);
	return (th_final(&h));
}

static uint32_t
txn_name_hash(const char *s, size_t n)
{
	struct thash	h;

	th_init(&h, 0x4ead);
	th_bytes(&h, s, n);
	return ((uint32_t)th_final64(&h));
}

#define TXN_CONN_IDLE_US	(600 * 1000000LL)

void
txn_conn_answered(struct track *tr, struct txn *t, int64_t ts)
{
	struct peer	*p;
	struct tkey	 k = txn_conn_key(t);
	const char	*n, *comma;
	uint32_t	 h;
	unsigned	 i;

	p = peer_get(tr, PEER_CONN, &k, ts, 1);
	peer_touch(tr, PEER_CONN, p, ts, ts + TXN_CONN_IDLE_US);
	p->u.conn.answered++;
	p->u.conn.answer_us = ts;
	for (n = t->hnames; n != NULL && *n != '\0'; n = comma + 1) {
		comma = strchr(n, ',');
		if (comma == NULL)
			comma = n + strlen(n);
		h = txn_name_hash(n, (size_t)(comma - n));
		for (i = 0; i < p->u.conn.nnames; i++) {
			if (p->u.conn.names[i] == h)
				break;
		}
		if (i == p->u.conn.nnames && i < CONN_NAMES)
			p->u.conn.names[p->u.conn.nnames++] = h;
		if (*comma == '\0')
			break;
	}
}

/*
 * T, an INVITE over a reliable transport, was never answered: did its
 * server answer other INVITEs on the same connection?  Then it received
 * T and discarded it.  The names of the headers T carries that none of
 * the answered ones did go into BUF (LEN bytes; empty when the list of
 * answered names is full and no difference can be told).  Returns the
 * number of INVITEs answered, 0 when none.
 */
static unsigned
txn_conn_discarded(struct track *tr, const struct txn *t, char *buf,
    size_t len)
{
	struct peer	*p;
	struct tkey	 k = txn_conn_key(t);
	const char	*n, *comma;
	size_t		 out = 0, w;
	uint32_t	 h;
	unsigned	 i;

	buf[0] = '\0';
	p = peer_get(tr, PEER_CONN, &k, tr->now, 0);
	if (p == NULL || p->u.conn.answered == 0 ||
	    p->u.conn.answer_us < t->first_us - tr->timer64)
		return (0);
	for (n = t->hnames; n != NULL && *n != '\0' &&
	    p->u.conn.nnames < CONN_NAMES; n = comma + 1) {
		comma = strchr(n, ',');
		if (comma == NULL)
			comma = n + strlen(n);
		w = (size_t)(comma - n);
		h = txn_name_hash(n, w);
		for (i = 0; i < p->u.conn.nnames; i++) {
			if (p->u.conn.names[i] == h)
				break;
		}
		if (i == p->u.conn.nnames && out + w + 3 < len) {
			if (out > 0) {
				memcpy(buf + out, ", ", 2);
				out += 2;
			}
			memcpy(buf + out, n, w);
			out += w;
			buf[out] = '\0';
		}
		if (*comma == '\0')
			break;
	}
	return (p->u.conn.answered);
}

/*
 * A CANCEL that got no final response: did the server of the INVITE it
 * cancels answer that INVITE?  Returns its final code, 100 for a
 * provisional only, 0 when it answered nothing (or was not captured).
 */
static int
txn_cancel_invite(const struct txn *t)
{
	const struct txn	*i;

	TAILQ_FOREACH(i, &t->cidrec->txns, cidrec_entry) {
		if (i->method != SIP_METHOD_INVITE || i->cseq != t->cseq ||
		    sw_addr_ip_cmp(&i->client, &t->client) != 0 ||
		    sw_addr_ip_cmp(&i->server, &t->server) != 0)
			continue;
		if (i->final_code != 0)
			return (i->final_code);
		if (i->prov_us != 0)
			return (100);
	}
	return (0);
}

void
txn_peer_spoke(struct cidrec *cr, const struct sw_addr *src,
    const struct sw_addr *dst, int64_t ts)
{
	struct txn	*t;

	TAILQ_FOREACH(t, &cr->txns, cidrec_entry) {
		if (t->final_code == 0 && ts > t->first_us &&
		    sw_addr_ip_cmp(&t->server, src) == 0 &&
		    sw_addr_ip_cmp(&t->client, dst) == 0)
			t->peer_us = ts;
	}
}

/*
 * Over UDP the client retransmits until Timer B/F (RFC 3261 17.1.1.2,
 * 17.1.2.2: every T2 at most, so the last send is within T2 of the
 * deadline).  A client that stopped long before, after the server had
 * sent it something in this Call-ID, got a response the capture lost.
 */
static int
txn_stopped_early(const struct track *tr, const struct txn *t)
{
	if (track_reliable(t->transport) || t->peer_us == 0)
		return (0);
	return (t->tm.deadline - t->last_send_us > 16 * tr->o.t1_us &&
	    t->peer_us >= t->first_us);
}

/*
 * Timer B (INVITE, RFC 3261 17.1.1.2) or Timer F (non-INVITE, 17.1.2.2)
 * reached its deadline: an INVITE got no response at all, a non-INVITE
 * no final response.  Or Timer H (17.2.1): the ACK for a non-2xx final
 * response to INVITE did not come (counted, no rule).
 */
void
txn_timer(struct track *tr, struct txn *t)
{
	struct rule_ctx	 c;
	enum rule_id	 rule;
	struct call	*call = &t->cidrec->call;
	char		 names[256];
	unsigned	 answered;
	int		 code;

	if (t->flags & TXN_F_TIMER_H) {
		/* 17.2.1: Timer H fired, the non-2xx final was not ACKed. */
		if (t->acks == 0 && !tr->unjudged)
			tr->tx.timer_h++;
		return;
	}
	if (tr->unjudged)
		return;		/* the capture's clock stepped over it */
	if (t->final_code != 0 || (t->flags & (TXN_F_TIMED_OUT |
	    TXN_F_INFERRED)))
		return;
	if (t->method == SIP_METHOD_INVITE && t->prov_us != 0)
		return;
	if (txn_stopped_early(tr, t)) {
		txn_inferred(tr, t, 0);
		return;
	}
	if (txn_downstream_silent(t)) {
		/*
		 * The silent next hop's own timeout (or resends) says it.  An
		 * attacker's probe left unanswered is no server fault either:
		 * its verdict goes to track_raise(), which counts it into the
		 * attacker's incident (attack_absorb()).
		 */
		t->flags |= TXN_F_TIMED_OUT;
		t->flags &= ~TXN_F_RETRANS_DUE;
		tr->tx.timed_out++;
		return;
	}
	t->flags |= TXN_F_TIMED_OUT;
	/* One fact, one alert: the timeout says why it was resent. */
	t->flags &= ~TXN_F_RETRANS_DUE;
	tr->tx.timed_out++;
	if (t->flags & TXN_F_INITIAL_INVITE)
		rate_outcome(tr, t, 0, t->tm.deadline);
	if (t->method == SIP_METHOD_REGISTER && reg_timeout(tr, t))
		return;
	if (t->method == SIP_METHOD_INVITE) {
		rule = RULE_INVITE_TIMEOUT;
		if ((t->flags & TXN_F_INITIAL_INVITE) &&
		    call->state == TRACK_CALL_TRYING) {
			call->state = TRACK_CALL_TIMEOUT;
			call->ended_by = TRACK_END_TIMEOUT;
			call->end_us = t->tm.deadline;
			call_publish(tr, t->cidrec, t->tm.deadline, NULL);
		}
	} else
		rule = RULE_NON_INVITE_TIMEOUT;
	if (track_fired(t->cidrec, rule, t->cseq, t->method))
		return;
	track_ctx_init(&c, rule, t->tm.deadline, t->cidrec);
	c.src = &t->client;
	c.dst = &t->server;
	c.method = txn_method_name(t);
	c.transport = decode_transport_name(t->transport);
	c.n = t->sends;
	c.window_us = tr->timer64;
	c.elapsed_us = t->tm.deadline - t->first_us;
	if (t->prov_us != 0)
		c.flags |= RULE_F_PROVISIONAL;
	if (t->method == SIP_METHOD_INVITE && t->hnames != NULL &&
	    (answered = txn_conn_discarded(tr, t, names, sizeof names)) > 0) {
		/* Received (TCP delivered it) and dropped, not a dead server. */
		c.flags |= RULE_F_DISCARDED | RULE_F_NO_KB;
		c.n2 = answered;
		c.headers = names;
	}
	if (t->method == SIP_METHOD_CANCEL &&
	    (code = txn_cancel_invite(t)) != 0) {
		/* The KB's 408 text points at reachability: not this. */
		c.flags |= RULE_F_ANSWERED | RULE_F_NO_KB;
		c.n2 = code;
	}
	track_raise(tr, &c);
}
