/*
 * media.c: the media analyser's tables: flows and streams, their caps,
 * idle expiry and eviction, the finished streams kept for the report, and
 * the entry point for every UDP payload the SIP detector rejected.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "media/media-int.h"

void
media_opts_default(struct media_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_streams = MEDIA_DEFAULT_MAX_STREAMS;
	o->max_expect = MEDIA_DEFAULT_MAX_EXPECT;
	o->report_max = MEDIA_DEFAULT_REPORT_MAX;
	o->idle_us = MEDIA_DEFAULT_IDLE_US;
	o->probation_idle_us = MEDIA_DEFAULT_PROBATION_IDLE_US;
	o->jb_ms = MEDIA_DEFAULT_JB_MS;
}

struct media *
media_create(const struct media_opts *o)
{
	struct media	*m;

	m = xcalloc(1, sizeof *m);
	media_opts_default(&m->o);
	if (o != NULL) {
		if (o->max_streams != 0)
			m->o.max_streams = o->max_streams;
		if (o->max_expect != 0)
			m->o.max_expect = o->max_expect;
		if (o->report_max != 0)
			m->o.report_max = o->report_max;
		if (o->idle_us > 0)
			m->o.idle_us = o->idle_us;
		if (o->probation_idle_us > 0)
			m->o.probation_idle_us = o->probation_idle_us;
		if (o->jb_ms > 0)
			m->o.jb_ms = o->jb_ms;
	}
	TAILQ_INIT(&m->probation);
	TAILQ_INIT(&m->active);
	TAILQ_INIT(&m->free_streams);
	TAILQ_INIT(&m->free_flows);
	TAILQ_INIT(&m->exp_fifo);
	m->next_id = 1;
	m->exp_gen = 1;
	return (m);
}

/*
 * A 32-bit hash of LEN bytes (a multiple of 4): 8 bytes a step, each
 * mixed by a multiply and a fold (keys are addresses, ports and SSRCs,
 * chosen by the network: the table's caps, not the hash, bound the harm
 * of collisions).
 */
uint32_t
media_hash(const void *key, size_t len)
{
	const uint8_t	*p = key;
	uint64_t	 h = 0x9e3779b97f4a7c15ULL ^ len, w;
	uint32_t	 t;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (len >= 4) {
		memcpy(&t, p, 4);
		h = (h ^ t) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 29;
	}
	return ((uint32_t)(h ^ (h >> 32)));
}

void
media_fkey_make(struct media_fkey *k, const struct sw_addr *src,
    const struct sw_addr *dst)
{
	memset(k, 0, sizeof *k);
	k->family = src->family;
	k->sport = src->port;
	k->dport = dst->port;
	memcpy(k->src, src->ip, sizeof k->src);
	memcpy(k->dst, dst->ip, sizeof k->dst);
}

struct media_stream *
media_stream_find(struct media *m, const struct media_skey *k)
{
	struct media_stream	*s;

	HASH_FIND_BYHASHVALUE(hh, m->streams, k, sizeof *k,
	    media_hash(k, sizeof *k), s);
	return (s);
}

/* ------------------------------------------------------------------ */
/* Flows */

void
media_flow_free(struct media *m, struct media_flow *f)
{
	if (f->assoc.exp != NULL) {
		TAILQ_REMOVE(&f->assoc.exp->flows, f, exp_entry);
		media_exp_unref(m, f->assoc.exp);
		f->assoc.exp = NULL;
	}
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): uthash */
	HASH_DELETE(hh, m->flows, f);
	TAILQ_INSERT_HEAD(&m->free_flows, f, exp_entry);
}

/* The flow of K (created, and tied to a call if one covers it). */
struct media_flow *
media_flow_get(struct media *m, const struct media_fkey *k)
{
	struct media_flow	*f;
	uint32_t		 h = media_hash(k, sizeof *k);

	HASH_FIND_BYHASHVALUE(hh, m->flows, k, sizeof *k, h, f);
	if (f != NULL)
		return (f);
	if ((f = TAILQ_FIRST(&m->free_flows)) != NULL)
		TAILQ_REMOVE(&m->free_flows, f, exp_entry);
	else {
		f = xcalloc(1, sizeof *f);
		m->nflows_alloc++;
	}
	memset(f, 0, sizeof *f);
	f->key = *k;
	TAILQ_INIT(&f->streams);
	HASH_ADD_KEYPTR_BYHASHVALUE(hh, m->flows, &f->key, sizeof f->key, h,
	    f);
	f->assoc_gen = 0;
	(void)media_assoc_check(m, f);
	return (f);
}

/* ------------------------------------------------------------------ */
/* Streams */

/* Keep a finished stream for the report (or count it as unlisted). */
static void
media_stream_archive(struct media *m, struct media_stream *s)
{
	struct media_stream	*a;
	unsigned		 cap;

	if (s->fin_assoc.exp != NULL)
		m->st.streams_announced++;
	else
		m->st.streams_unannounced++;
	if (m->nfin >= m->o.report_max) {
		m->st.unlisted++;
		if (s->fin_assoc.exp != NULL)
			media_exp_unref(m, s->fin_assoc.exp);
		return;
	}
	/* Grown by doubling, up to report_max. */
	if (m->nfin == m->fin_cap) {
		cap = m->fin_cap != 0 ? m->fin_cap * 2 : 16;
		if (cap > m->o.report_max)
			cap = m->o.report_max;
		m->fin = xreallocarray(m->fin, cap, sizeof *m->fin);
		m->fin_cap = cap;
	}
	a = &m->fin[m->nfin++];
	*a = *s;
	m->st.listed++;
}

/* Tell the media_on_end() functions that S ended (before it is archived:
 * its announcement, hence its Call-ID, is still held). */
static void
media_stream_ended(const struct media *m, const struct media_stream *s)
{
	struct media_stream_info	info;
	unsigned			i;

	if (m->non_end == 0)
		return;
	media_stream_info_fill(m, s, &info);
	for (i = 0; i < m->non_end; i++)
		m->on_end[i].fn(&info, m->on_end[i].arg);
}

int
media_on_end(struct media *m, media_stream_fn *fn, void *arg)
{
	if (m->non_end == MEDIA_END_FN_MAX)
		return (-1);
	m->on_end[m->non_end].fn = fn;
	m->on_end[m->non_end].arg = arg;
	m->non_end++;
	return (0);
}

/*
 * End stream S (idle, evicted, end of run, or its flow changed call): it
 * leaves the table; a validated one is kept for the report with its
 * call, a candidate is only counted.  With FREE_FLOW, a flow left without
 * streams is freed.
 */
void
media_stream_end(struct media *m, struct media_stream *s, int evicted,
    int free_flow)
{
	struct media_flow	*f;

	if ((f = s->flow) == NULL)
		fatalx("media: a stream without its flow");
	HASH_DELETE(hh, m->streams, s);
	TAILQ_REMOVE(s->validated ? &m->active : &m->probation, s, lru);
	TAILQ_REMOVE(&f->streams, s, flow_entry);
	m->nstreams--;
	if (s->validated) {
		m->st.streams_active--;
		s->ended = 1;
		s->evicted = evicted != 0;
		if (evicted)
			m->st.evicted++;
		s->fin_assoc = f->assoc;
		if (s->fin_assoc.exp != NULL)
			s->fin_assoc.exp->refs++;
		media_stream_ended(m, s);
		media_stream_archive(m, s);
	} else {
		m->st.candidates++;
		m->st.candidate_packets += s->packets;
	}
	s->flow = NULL;
	TAILQ_INSERT_HEAD(&m->free_streams, s, lru);
	if (--f->nstreams == 0 && free_flow)
		media_flow_free(m, f);
}

/* Make room for one more stream: the least recently active candidate,
 * else the least recently active stream, is evicted. */
void
media_stream_evict(struct media *m)
{
	struct media_stream	*s;

	if ((s = TAILQ_FIRST(&m->probation)) == NULL)
		s = TAILQ_FIRST(&m->active);
	if (s != NULL)
		media_stream_end(m, s, 1, 1);
}

/*
 * A new stream with key K (hash H) on flow F, first seen at TS.  The
 * caller made room (media_stream_evict()) before getting F.
 */
struct media_stream *
media_stream_new(struct media *m, const struct media_skey *k, uint32_t h,
    struct media_flow *f, int64_t ts)
{
	struct media_stream	*s;

	if ((s = TAILQ_FIRST(&m->free_streams)) != NULL)
		TAILQ_REMOVE(&m->free_streams, s, lru);
	else {
		s = xmalloc(sizeof *s);
		m->nalloc++;
	}
	memset(s, 0, sizeof *s);
	s->key = *k;
	s->flow = f;
	s->last_pt = -1;
	s->pt_main = -1;
	s->first_us = s->last_us = s->lru_us = ts;
	s->drops_first = s->drops_last = m->drops;
	s->gen = m->exp_gen;
	/* RFC 3550 8.2: a new SSRC on a 5-tuple that had another. */
	s->ssrc_changes = f->nssrc++;
	HASH_ADD_KEYPTR_BYHASHVALUE(hh, m->streams, &s->key, sizeof s->key, h,
	    s);
	TAILQ_INSERT_TAIL(&m->probation, s, lru);
	TAILQ_INSERT_TAIL(&f->streams, s, flow_entry);
	f->nstreams++;
	if (++m->nstreams > m->st.peak_streams)
		m->st.peak_streams = m->nstreams;
	return (s);
}

/* S passed probation (or its flow is announced): it is a stream now. */
void
media_stream_validate(struct media *m, struct media_stream *s)
{
	TAILQ_REMOVE(&m->probation, s, lru);
	TAILQ_INSERT_TAIL(&m->active, s, lru);
	s->validated = 1;
	m->st.streams++;
	m->st.streams_active++;
	media_hosts_add(m, &s->key.f);
}

/* ------------------------------------------------------------------ */
/* Hosts seen in RTP */

static void
media_host_key(uint8_t key[20], int family, const uint8_t *ip)
{
	memset(key, 0, 20);
	key[0] = (uint8_t)family;
	memcpy(key + 4, ip, 16);
}

static struct media_host *
media_host_find(const struct media *m, const uint8_t key[20])
{
	struct media_host	*h;

	HASH_FIND_BYHASHVALUE(hh, m->hosts, key, 20, media_hash(key, 20), h);
	return (h);
}

/* Host KEY talked to PEER: remember the first peer, or that it has many. */
static void
media_host_note(struct media *m, const uint8_t key[20], const uint8_t peer[20])
{
	struct media_host	*h;

	if ((h = media_host_find(m, key)) != NULL) {
		if (!h->many && memcmp(h->peer, peer, 20) != 0)
			h->many = 1;
		return;
	}
	if (m->nhosts >= MEDIA_HOSTS_MAX)
		return;
	h = xcalloc(1, sizeof *h);
	memcpy(h->key, key, 20);
	memcpy(h->peer, peer, 20);
	HASH_ADD_KEYPTR_BYHASHVALUE(hh, m->hosts, h->key, 20,
	    media_hash(h->key, 20), h);
	m->nhosts++;
}

void
media_hosts_add(struct media *m, const struct media_fkey *k)
{
	uint8_t	a[20], b[20];

	media_host_key(a, k->family, k->src);
	media_host_key(b, k->family, k->dst);
	media_host_note(m, a, b);
	media_host_note(m, b, a);
}

int
media_path_seen(const struct media *m, const struct sw_addr *a,
    const struct sw_addr *b)
{
	const struct media_host	*ha, *hb;
	uint8_t			 ka[20], kb[20];

	media_host_key(ka, a->family, a->ip);
	media_host_key(kb, b->family, b->ip);
	ha = media_host_find(m, ka);
	hb = media_host_find(m, kb);
	if ((ha != NULL && (ha->many || memcmp(ha->peer, kb, 20) == 0)) ||
	    (hb != NULL && (hb->many || memcmp(hb->peer, ka, 20) == 0)))
		return (1);
	return (0);
}

/* A packet of S at TS: move it to the tail of its LRU list about once a
 * second (the order only needs that resolution). */
void
media_stream_touch(struct media *m, struct media_stream *s, int64_t ts)
{
	if (ts - s->lru_us < 1000000)
		return;
	s->lru_us = ts;
	if (s->validated) {
		TAILQ_REMOVE(&m->active, s, lru);
		TAILQ_INSERT_TAIL(&m->active, s, lru);
	} else {
		TAILQ_REMOVE(&m->probation, s, lru);
		TAILQ_INSERT_TAIL(&m->probation, s, lru);
	}
}

/* ------------------------------------------------------------------ */

void
media_advance(struct media *m, int64_t now)
{
	struct media_stream	*s;

	if (now <= m->now)
		return;
	m->now = now;
	m->next_tick = now + 1000000;
	while ((s = TAILQ_FIRST(&m->probation)) != NULL &&
	    s->lru_us + m->o.probation_idle_us < now)
		media_stream_end(m, s, 0, 1);
	while ((s = TAILQ_FIRST(&m->active)) != NULL &&
	    s->lru_us + m->o.idle_us < now)
		media_stream_end(m, s, 0, 1);
}

void
media_capture_drops(struct media *m, uint64_t drops)
{
	m->drops = drops;
	m->st.capture_drops = drops;
}

/* Give the free streams and flows back to the allocator (the report is
 * built next, from the same heap). */
static void
media_free_lists(struct media *m)
{
	struct media_stream	*s;
	struct media_flow	*f;

	while ((s = TAILQ_FIRST(&m->free_streams)) != NULL) {
		TAILQ_REMOVE(&m->free_streams, s, lru);
		free(s);
		m->nalloc--;
	}
	while ((f = TAILQ_FIRST(&m->free_flows)) != NULL) {
		TAILQ_REMOVE(&m->free_flows, f, exp_entry);
		free(f);
		m->nflows_alloc--;
	}
}

void
media_finish(struct media *m, int64_t now)
{
	struct media_stream	*s;

	if (now > m->now)
		m->now = now;
	while ((s = TAILQ_FIRST(&m->probation)) != NULL)
		media_stream_end(m, s, 0, 1);
	while ((s = TAILQ_FIRST(&m->active)) != NULL)
		media_stream_end(m, s, 0, 1);
	media_free_lists(m);
}

enum media_kind
media_packet(struct media *m, const struct decode_pkt *pkt)
{
	const uint8_t	*p = pkt->payload;

	if (pkt->ts_us >= m->next_tick)
		media_advance(m, pkt->ts_us);
	m->pkt_exp = NULL;
	/* RFC 3550 5.1, 6.4: version 2 in the top bits of either. */
	if (pkt->transport != DECODE_TP_UDP || pkt->len < 4 ||
	    (p[0] >> 6) != 2) {
		m->st.not_media++;
		return (MEDIA_NONE);
	}
	/*
	 * Byte 1 from 200 to 207 is an RTCP packet type (SR, RR, SDES,
	 * BYE, APP, RTPFB, PSFB, XR); as RTP it would be the marker bit
	 * with payload type 72 to 79, of which 72-76 RFC 3551 excludes
	 * (RFC 5761 4).  A compound that does not add up is not RTCP.
	 */
	if (p[1] >= 200 && p[1] <= 207) {
		if (media_rtcp_packet(m, pkt) == 0) {
			m->st.rtcp_packets++;
			return (MEDIA_RTCP);
		}
		if (p[1] <= 204) {
			m->st.rtcp_bad++;
			return (MEDIA_NONE);
		}
	}
	return (media_rtp_packet(m, pkt));
}

const char *
media_packet_call_id(const struct media *m, size_t *len)
{
	if (m->pkt_exp == NULL) {
		*len = 0;
		return (NULL);
	}
	*len = m->pkt_exp->call_id_len;
	return (m->pkt_exp->call_id);
}

/* ------------------------------------------------------------------ */

void
media_stats(const struct media *m, struct media_stats *st)
{
	*st = m->st;
	st->expect_live = m->nexp;
}

/* Every validated stream: the finished ones, then the active ones. */
void
media_streams(const struct media *m, media_stream_fn *fn, void *arg)
{
	struct media_stream_info	 info;
	const struct media_stream	*s;
	unsigned			 i;

	for (i = 0; i < m->nfin; i++) {
		media_stream_info_fill(m, &m->fin[i], &info);
		fn(&info, arg);
	}
	TAILQ_FOREACH(s, &m->active, lru) {
		media_stream_info_fill(m, s, &info);
		fn(&info, arg);
	}
}

void
media_destroy(struct media *m)
{
	struct media_stream	*s, *stmp;
	struct media_flow	*f, *ftmp;
	struct media_host	*h, *htmp;
	unsigned		 i;

	if (m == NULL)
		return;
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, m->hosts, h, htmp) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, m->hosts, h);
		free(h);
	}
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, m->streams, s, stmp) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, m->streams, s);
		free(s);
	}
	media_free_lists(m);
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, m->flows, f, ftmp) {
		if (f->assoc.exp != NULL) {
			TAILQ_REMOVE(&f->assoc.exp->flows, f, exp_entry);
			media_exp_unref(m, f->assoc.exp);
		}
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, m->flows, f);
		free(f);
	}
	media_free_lists(m);
	for (i = 0; i < m->nfin; i++) {
		if (m->fin[i].fin_assoc.exp != NULL)
			media_exp_unref(m, m->fin[i].fin_assoc.exp);
	}
	free(m->fin);
	media_expect_free_all(m);
	free(m);
}
