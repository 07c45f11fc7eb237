/*
 * media-expect.c: announcements of expected media (from the tracker's
 * SDP offer/answer, RFC 3264) and how flows are tied to them.
 *
 * An announcement says where one party of a call receives RTP: its c=
 * address and m= port.  Two endpoints go into an index: that one (a
 * match there is MEDIA_MATCH_SDP) and, when the party's SIP came from
 * another address, that address with the announced port (MEDIA_MATCH_NAT:
 * a NAT rewrote the address, the far end sends to where the signalling
 * came from, RFC 4961 symmetric RTP, "comedia").  A flow is tied to the
 * announcement of its destination (the party receives it) or of its
 * source (the party sends from where it receives), SDP matches before
 * NAT ones.  The newest announcement of an endpoint wins.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "media/media-int.h"

const char *
media_party_name(enum media_party p)
{
	switch (p) {
	case MEDIA_PARTY_CALLER:
		return ("caller");
	case MEDIA_PARTY_CALLEE:
		return ("callee");
	case MEDIA_PARTY_NONE:
		break;
	}
	return ("");
}

const char *
media_match_name(enum media_match mt)
{
	switch (mt) {
	case MEDIA_MATCH_SDP:
		return ("sdp");
	case MEDIA_MATCH_NAT:
		return ("nat");
	case MEDIA_MATCH_NONE:
		break;
	}
	return ("none");
}

static void
media_epkey_make(struct media_epkey *k, const struct sw_addr *a,
    uint16_t port)
{
	memset(k, 0, sizeof *k);
	k->family = a->family;
	k->port = port;
	memcpy(k->ip, a->ip, sizeof k->ip);
}

static struct media_ep *
media_ep_find(const struct media *m, const struct media_epkey *k)
{
	struct media_ep	*ep;

	HASH_FIND_BYHASHVALUE(hh, m->eps, k, sizeof *k,
	    media_hash(k, sizeof *k), ep);
	return (ep);
}

/* The announcement covering endpoint (ADDR, PORT), or NULL. */
static struct media_ep *
media_ep_lookup(const struct media *m, int family, const uint8_t *ip,
    uint16_t port)
{
	struct media_epkey	k;

	memset(&k, 0, sizeof k);
	k.family = (uint8_t)family;
	k.port = port;
	memcpy(k.ip, ip, sizeof k.ip);
	return (media_ep_find(m, &k));
}

struct media_exp *
media_exp_at(const struct media *m, const struct sw_addr *a, uint16_t port)
{
	struct media_ep	*ep;

	if ((ep = media_ep_lookup(m, a->family, a->ip, port)) == NULL)
		return (NULL);
	return (ep->exp);
}

/* Same call? */
static int
media_exp_same_call(const struct media_exp *a, const struct media_exp *b)
{
	return (a != NULL && b != NULL && a->call_id_len == b->call_id_len &&
	    memcmp(a->call_id, b->call_id, a->call_id_len) == 0);
}

/* Drop a reference to E; the last one frees it (and its id). */
void
media_exp_unref(struct media *m, struct media_exp *e)
{
	if (e == NULL || --e->refs > 0)
		return;
	if (m->pkt_exp == e)
		m->pkt_exp = NULL;
	HASH_DELETE(hh, m->exp_by_id, e);
	free(e->block);
	free(e);
}

/*
 * Tie flow F to E (NULL: untie) with MATCH, FROM_PARTY.  When F was tied
 * to another call that is over (its announcement withdrawn: the port is
 * reused by a new call), its streams end first (they belong to that
 * call); when that call is still up (the two legs of a B2BUA that hands
 * the media over between them, direct media), the streams go on with the
 * newer call.  A flow that was unannounced keeps its streams (RTP seen
 * before the SDP).  Returns 1 when streams were ended.
 */
static int
media_flow_tie(struct media *m, struct media_flow *f, struct media_exp *e,
    enum media_match match, int from_party)
{
	struct media_stream	*s;
	int			 ended = 0;

	if (f->assoc.exp == e) {
		f->assoc.match = match;
		f->assoc.from_party = from_party;
		return (0);
	}
	if (f->assoc.exp != NULL) {
		if (!f->assoc.exp->live &&
		    !media_exp_same_call(f->assoc.exp, e)) {
			while ((s = TAILQ_FIRST(&f->streams)) != NULL) {
				media_stream_end(m, s, 0, 0);
				ended = 1;
			}
		}
		TAILQ_REMOVE(&f->assoc.exp->flows, f, exp_entry);
		media_exp_unref(m, f->assoc.exp);
	}
	f->assoc.exp = e;
	f->assoc.match = e != NULL ? match : MEDIA_MATCH_NONE;
	f->assoc.from_party = e != NULL ? from_party : 0;
	if (e != NULL) {
		e->refs++;
		TAILQ_INSERT_TAIL(&e->flows, f, exp_entry);
	}
	return (ended);
}

/*
 * The best announcement for flow F: its destination announced (the party
 * receives), else its source announced (the party sends, symmetric RTP).
 * A destination that is a party's signalling address with the announced
 * port (NAT) comes after a source the SDP announced only when the two
 * belong to different calls (many phones behind one NAT address may
 * announce the same port): RTP from one party to the NAT address of the
 * other is what the other receives.
 */
static struct media_ep *
media_flow_best(const struct media *m, const struct media_flow *f,
    int *from_party)
{
	struct media_ep	*dst, *src;

	dst = media_ep_lookup(m, f->key.family, f->key.dst, f->key.dport);
	src = media_ep_lookup(m, f->key.family, f->key.src, f->key.sport);
	*from_party = 0;
	if (dst != NULL && (dst->match == MEDIA_MATCH_SDP || src == NULL ||
	    src->match != MEDIA_MATCH_SDP ||
	    media_exp_same_call(dst->exp, src->exp)))
		return (dst);
	if (src != NULL)
		*from_party = 1;
	return (src);
}

/*
 * Announcements changed since F was last looked at: tie it to the best
 * one, unless it is tied to one still live.  Returns 1 when F's streams
 * ended (it changed call).
 */
int
media_assoc_check(struct media *m, struct media_flow *f)
{
	struct media_ep	*ep;
	int		 from;

	if (f->assoc_gen == m->exp_gen)
		return (0);
	f->assoc_gen = m->exp_gen;
	if (f->assoc.exp != NULL && f->assoc.exp->live)
		return (0);
	if ((ep = media_flow_best(m, f, &from)) == NULL)
		return (0);
	return (media_flow_tie(m, f, ep->exp, ep->match, from));
}

/* Does flow F match announcement E, and how? */
static enum media_match
media_flow_matches(const struct media_exp *e, const struct media_flow *f,
    int *from_party)
{
	int	 i;

	for (i = 0; i < 2; i++) {
		const struct media_ep *ep = e->ep[i];

		if (ep == NULL || ep->key.family != f->key.family)
			continue;
		if (ep->key.port == f->key.dport &&
		    memcmp(ep->key.ip, f->key.dst, 16) == 0) {
			*from_party = 0;
			return (ep->match);
		}
		if (ep->key.port == f->key.sport &&
		    memcmp(ep->key.ip, f->key.src, 16) == 0) {
			*from_party = 1;
			return (ep->match);
		}
	}
	return (MEDIA_MATCH_NONE);
}

/* Remove E's endpoints from the index (those it still holds). */
static void
media_exp_unindex(struct media *m, struct media_exp *e)
{
	int	i;

	for (i = 0; i < 2; i++) {
		if (e->ep[i] == NULL)
			continue;
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): uthash */
		HASH_DELETE(hh, m->eps, e->ep[i]);
		free(e->ep[i]);
		e->ep[i] = NULL;
	}
}

/*
 * Withdraw live announcement E from the tables (replaced, withdrawn,
 * evicted).  Flows stay tied to it; it is freed with its last reference.
 */
static void
media_exp_withdraw(struct media *m, struct media_exp *e)
{
	media_exp_unindex(m, e);
	HASH_DELETE(hk, m->exp_by_key, e);
	TAILQ_REMOVE(&m->exp_fifo, e, fifo);
	m->nexp--;
	e->live = 0;
	m->exp_gen++;
	media_exp_unref(m, e);
}

/*
 * Put endpoint (ADDR, PORT) of E into the index as MATCH.  An endpoint
 * another announcement held is taken over: that one's flows through it
 * that are of another call move to E (ending their streams).
 */
static void
media_exp_index(struct media *m, struct media_exp *e, int slot,
    const struct sw_addr *addr, uint16_t port, enum media_match match)
{
	struct media_epkey	 k;
	struct media_ep		*ep;
	struct media_exp	*old;
	struct media_flow	*f, *ftmp;
	int			 from;

	media_epkey_make(&k, addr, port);
	if ((ep = media_ep_find(m, &k)) != NULL) {
		old = ep->exp;
		if (old->ep[0] == ep)
			old->ep[0] = NULL;
		if (old->ep[1] == ep)
			old->ep[1] = NULL;
		ep->exp = e;
		ep->match = match;
		e->ep[slot] = ep;
		TAILQ_FOREACH_SAFE(f, &old->flows, exp_entry, ftmp) {
			if (media_flow_matches(e, f, &from) == MEDIA_MATCH_NONE)
				continue;
			(void)media_flow_tie(m, f, e, match, from);
			if (f->nstreams == 0)
				media_flow_free(m, f);
		}
		return;
	}
	ep = xcalloc(1, sizeof *ep);
	ep->key = k;
	ep->exp = e;
	ep->match = match;
	HASH_ADD_KEYPTR_BYHASHVALUE(hh, m->eps, &ep->key, sizeof ep->key,
	    media_hash(&ep->key, sizeof ep->key), ep);
	e->ep[slot] = ep;
}

/* A new announcement object for X; its key bytes are mline, party, leg,
 * Call-ID. */
static struct media_exp *
media_exp_new(struct media *m, const struct media_expect *x)
{
	struct media_exp	*e;
	size_t			 size, off;
	unsigned		 i, n;
	uint32_t		 hdr[3];
	char			*p;

	n = x->npayloads;
	if (n > MEDIA_PT_KEEP)
		n = MEDIA_PT_KEEP;
	size = sizeof hdr + x->call_id_len + 1;
	for (i = 0; i < n; i++) {
		if (x->payloads[i].name != NULL)
			size += strlen(x->payloads[i].name) + 1;
	}
	e = xcalloc(1, sizeof *e);
	e->block = p = xmalloc(size);
	hdr[0] = x->mline;
	hdr[1] = (uint32_t)x->party;
	hdr[2] = x->leg;
	memcpy(p, hdr, sizeof hdr);
	memcpy(p + sizeof hdr, x->call_id, x->call_id_len);
	e->keylen = sizeof hdr + x->call_id_len;
	p[e->keylen] = '\0';
	e->call_id = p + sizeof hdr;
	e->call_id_len = x->call_id_len;
	off = e->keylen + 1;
	for (i = 0; i < n; i++) {
		e->pmap[i].pt = x->payloads[i].pt;
		e->pmap[i].clock = x->payloads[i].clock;
		e->pmap[i].channels = x->payloads[i].channels;
		if (x->payloads[i].name != NULL) {
			size_t l = strlen(x->payloads[i].name);

			memcpy(p + off, x->payloads[i].name, l + 1);
			e->pmap[i].name = p + off;
			off += l + 1;
		}
	}
	e->npmap = n;
	e->id = m->next_id++;
	e->mline = x->mline;
	e->leg = x->leg;
	e->party = x->party;
	e->rtp = x->rtp;
	e->signal = x->signal;
	e->rtcp_port = x->rtcp_port;
	e->rtcp_mux = x->rtcp_mux;
	e->dir = x->dir;
	e->ptime_ms = x->ptime_ms;
	e->ts_us = x->ts_us;
	TAILQ_INIT(&e->flows);
	return (e);
}

uint64_t
media_expect(struct media *m, const struct media_expect *x)
{
	struct media_exp	*e, *old;
	struct media_flow	*f, *ftmp;
	enum media_match	 mt;
	int			 from;

	if (x->rtp.family == 0 || x->rtp.port == 0 || x->call_id == NULL ||
	    x->call_id_len == 0 || x->call_id_len > SIP_MSG_MAX) {
		m->st.expect_refused++;
		return (0);
	}
	e = media_exp_new(m, x);
	HASH_FIND(hk, m->exp_by_key, e->block, e->keylen, old);
	if (old == NULL && m->nexp >= m->o.max_expect) {
		media_exp_withdraw(m, TAILQ_FIRST(&m->exp_fifo));
		m->st.expect_evicted++;
	}
	if (old != NULL) {
		old->refs++;	/* held while its flows move */
		media_exp_withdraw(m, old);
	}
	e->live = 1;
	e->refs = 1;
	HASH_ADD(hh, m->exp_by_id, id, sizeof e->id, e);
	HASH_ADD_KEYPTR(hk, m->exp_by_key, e->block, e->keylen, e);
	TAILQ_INSERT_TAIL(&m->exp_fifo, e, fifo);
	m->nexp++;
	m->st.expect++;
	if (e->mline > m->max_mline)
		m->max_mline = e->mline;
	if (e->leg > m->max_leg)
		m->max_leg = e->leg;
	media_exp_index(m, e, 0, &e->rtp, e->rtp.port, MEDIA_MATCH_SDP);
	if (e->signal.family == e->rtp.family &&
	    sw_addr_ip_cmp(&e->signal, &e->rtp) != 0)
		media_exp_index(m, e, 1, &e->signal, e->rtp.port,
		    MEDIA_MATCH_NAT);
	/* The replaced announcement's flows that still match move here. */
	if (old != NULL) {
		TAILQ_FOREACH_SAFE(f, &old->flows, exp_entry, ftmp) {
			if ((mt = media_flow_matches(e, f, &from)) !=
			    MEDIA_MATCH_NONE)
				(void)media_flow_tie(m, f, e, mt, from);
		}
		media_exp_unref(m, old);
	}
	m->exp_gen++;
	return (e->id);
}

void
media_expect_end(struct media *m, const char *call_id, size_t len)
{
	struct media_exp	*e;
	uint8_t			*key;
	uint32_t		 hdr[3];
	unsigned		 line, leg;
	int			 party;

	if (call_id == NULL || len == 0 || len > SIP_MSG_MAX)
		return;
	/* Each (line, party, leg) key of the call: a few lookups, not a
	 * walk. */
	key = xmalloc(sizeof hdr + len);
	memcpy(key + sizeof hdr, call_id, len);
	for (line = 0; line <= m->max_mline; line++) {
		for (leg = 0; leg <= m->max_leg; leg++) {
			for (party = MEDIA_PARTY_NONE;
			    party <= MEDIA_PARTY_CALLEE; party++) {
				hdr[0] = line;
				hdr[1] = (uint32_t)party;
				hdr[2] = leg;
				memcpy(key, hdr, sizeof hdr);
				HASH_FIND(hk, m->exp_by_key, key,
				    sizeof hdr + len, e);
				if (e != NULL)
					media_exp_withdraw(m, e);
			}
		}
	}
	free(key);
}

/* What media_exp_walk() calls for each stream counted for an
 * announcement. */
typedef void media_walk_fn(const struct media *, const struct media_stream *,
		    int from_party, int nat, void *arg);

/*
 * Every validated stream of announcement E: those of the flows tied to
 * it, and, for a live E whose endpoint another announcement took over
 * (the same SDP at another hop of the call, or another call: a B2BUA's
 * other leg sending the media directly), that one's flows through the
 * endpoint: what E's endpoints carry, whoever holds them.  Returns the
 * number of endpoints another call holds.
 */
static unsigned
media_exp_walk(const struct media *m, const struct media_exp *e,
    media_walk_fn *fn, void *arg)
{
	const struct media_flow		*f;
	const struct media_stream	*s;
	const struct media_ep		*ep;
	struct media_epkey		 k;
	unsigned			 i, shared = 0;
	int				 from;

	TAILQ_FOREACH(f, &e->flows, exp_entry) {
		TAILQ_FOREACH(s, &f->streams, flow_entry) {
			if (s->validated)
				fn(m, s, f->assoc.from_party,
				    f->assoc.match == MEDIA_MATCH_NAT, arg);
		}
	}
	if (!e->live)
		return (0);
	for (i = 0; i < 2; i++) {
		if (e->ep[i] != NULL)
			continue;
		if (i == 0)
			media_epkey_make(&k, &e->rtp, e->rtp.port);
		else if (e->signal.family == e->rtp.family &&
		    sw_addr_ip_cmp(&e->signal, &e->rtp) != 0)
			media_epkey_make(&k, &e->signal, e->rtp.port);
		else
			continue;
		if ((ep = media_ep_find(m, &k)) == NULL || ep->exp == e)
			continue;
		if (!media_exp_same_call(ep->exp, e))
			shared++;
		TAILQ_FOREACH(f, &ep->exp->flows, exp_entry) {
			if (f->key.family != k.family)
				continue;
			if (f->key.dport == k.port &&
			    memcmp(f->key.dst, k.ip, 16) == 0)
				from = 0;
			else if (f->key.sport == k.port &&
			    memcmp(f->key.src, k.ip, 16) == 0)
				from = 1;
			else
				continue;
			TAILQ_FOREACH(s, &f->streams, flow_entry) {
				if (s->validated)
					fn(m, s, from, i == 1, arg);
			}
		}
	}
	return (shared);
}

static void
media_status_add(const struct media *m, const struct media_stream *s,
    int from_party, int nat, void *arg)
{
	struct media_expect_status	*st = arg;
	int64_t				*first, *last;

	(void)m;
	if (from_party) {
		st->tx_streams++;
		st->tx_packets += s->packets;
		first = &st->first_tx_us;
		last = &st->last_tx_us;
	} else {
		st->rx_streams++;
		st->rx_packets += s->packets;
		first = &st->first_rx_us;
		last = &st->last_rx_us;
	}
	if (*first == 0 || s->first_us < *first)
		*first = s->first_us;
	if (s->last_us > *last)
		*last = s->last_us;
	if (nat)
		st->nat_streams++;
}

int
media_expect_status(const struct media *m, uint64_t id,
    struct media_expect_status *st)
{
	const struct media_exp	*e;

	memset(st, 0, sizeof *st);
	HASH_FIND(hh, m->exp_by_id, &id, sizeof id, e);
	if (e == NULL)
		return (-1);
	st->live = e->live;
	st->shared = media_exp_walk(m, e, media_status_add, st);
	return (0);
}

struct media_streams_arg {
	media_expect_fn	*fn;
	void		*arg;
};

static void
media_streams_one(const struct media *m, const struct media_stream *s,
    int from_party, int nat, void *arg)
{
	struct media_streams_arg	*a = arg;
	struct media_stream_info	 info;

	(void)nat;
	media_stream_info_fill(m, s, &info);
	a->fn(&info, from_party, a->arg);
}

int
media_expect_streams(const struct media *m, uint64_t id, media_expect_fn *fn,
    void *arg)
{
	const struct media_exp		*e;
	struct media_streams_arg	 a;

	HASH_FIND(hh, m->exp_by_id, &id, sizeof id, e);
	if (e == NULL)
		return (-1);
	a.fn = fn;
	a.arg = arg;
	(void)media_exp_walk(m, e, media_streams_one, &a);
	return (0);
}

/* media_destroy(): every announcement still held, whatever its
 * references (the flows and streams that held them are gone). */
void
media_expect_free_all(struct media *m)
{
	struct media_exp	*e, *tmp;

	while ((e = TAILQ_FIRST(&m->exp_fifo)) != NULL) {
		media_exp_unindex(m, e);
		/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): uthash */
		HASH_DELETE(hk, m->exp_by_key, e);
		TAILQ_REMOVE(&m->exp_fifo, e, fifo);
	}
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, m->exp_by_id, e, tmp) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, m->exp_by_id, e);
		free(e->block);
		free(e);
	}
	HASH_CLEAR(hk, m->exp_by_key);
}
