/*
 * metrics-observe.c: responses per peer and class, and the call latency
 * histograms, from the stream of parsed messages (capture thread only).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "metrics/metrics-int.h"
#include "sip/sip.h"

const double metrics_lat_bounds[METRICS_LAT_BUCKETS] = {
	0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120
};

struct metrics_obs *
metrics_obs_create(void)
{
	struct metrics_obs	*o;

	o = xcalloc(1, sizeof *o);
	o->calls = xcalloc(METRICS_CALLS_MAX, sizeof *o->calls);
	return (o);
}

void
metrics_obs_destroy(struct metrics_obs *o)
{
	if (o == NULL)
		return;
	free(o->calls);
	free(o);
}

static uint64_t
metrics_hash(const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return (h == 0 ? 1 : h);
}

static void
metrics_hist_add(struct metrics_hist *h, int64_t us)
{
	double		s = us < 0 ? 0 : (double)us / 1e6;
	unsigned	i;

	h->count++;
	h->sum += s;
	for (i = 0; i < METRICS_LAT_BUCKETS; i++) {
		if (s <= metrics_lat_bounds[i]) {
			h->bucket[i]++;
			return;
		}
	}
	h->over++;
}

/* The class counters of the peer at IP SRC (by IP, port ignored). */
static uint64_t *
metrics_peer_classes(struct metrics_obs *o, const struct sw_addr *src)
{
	struct metrics_peer	*p;
	uint64_t		 h;
	unsigned		 i, slot;

	h = metrics_hash(src->ip, src->family == 6 ? 16 : 4);
	for (i = 0; i < METRICS_PEER_SLOTS; i++) {
		slot = (unsigned)((h + i) % METRICS_PEER_SLOTS);
		p = &o->peers[slot];
		if (!p->used) {
			if (o->npeers == METRICS_PEERS_MAX)
				return (o->other_classes);
			p->used = 1;
			memset(&p->addr, 0, sizeof p->addr);
			p->addr.family = src->family;
			memcpy(p->addr.ip, src->ip, 16);
			o->npeers++;
			return (p->classes);
		}
		if (p->addr.family == src->family &&
		    memcmp(p->addr.ip, src->ip, 16) == 0)
			return (p->classes);
	}
	return (o->other_classes);
}

/* The call slot for Call-ID digest D; CREATE: make one (evicting). */
static struct metrics_call *
metrics_call_find(struct metrics_obs *o, uint64_t d, int create)
{
	struct metrics_call	*b, *victim = NULL;
	unsigned		 i;

	b = &o->calls[(d % (METRICS_CALLS_MAX / METRICS_CALL_WAYS)) *
	    METRICS_CALL_WAYS];
	for (i = 0; i < METRICS_CALL_WAYS; i++) {
		if (b[i].digest == d)
			return (&b[i]);
		if (victim == NULL || (victim->digest != 0 &&
		    (b[i].digest == 0 || b[i].invite_us < victim->invite_us)))
			victim = &b[i];
	}
	if (!create)
		return (NULL);
	if (victim->digest != 0)
		o->calls_evicted++;
	memset(victim, 0, sizeof *victim);
	victim->digest = d;
	return (victim);
}

void
metrics_obs_message(struct metrics_obs *o, const struct sip_msg *m,
    int64_t ts_us, const struct sw_addr *src, const struct sw_addr *dst)
{
	struct metrics_call	*c;
	uint64_t		 d;

	if (!m->is_request && m->status >= 100 && m->status < 700)
		metrics_peer_classes(o, src)[m->status / 100]++;
	if (m->call_id.len == 0 || m->cseq_method != SIP_METHOD_INVITE)
		return;
	d = metrics_hash(m->call_id.s, m->call_id.len);
	if (m->is_request) {
		if (m->method != SIP_METHOD_INVITE || m->to.tag.len > 0)
			return;
		if (metrics_call_find(o, d, 0) == NULL) {
			c = metrics_call_find(o, d, 1);
			c->invite_us = ts_us;
		}
		return;
	}
	if ((c = metrics_call_find(o, d, 0)) == NULL)
		return;
	if (m->status > 100 && m->status < 200) {
		if (!c->pdd_done)
			metrics_hist_add(&o->pdd, ts_us - c->invite_us);
		c->pdd_done = 1;
	} else if (m->status >= 200 && m->status < 300) {
		metrics_hist_add(&o->setup, ts_us - c->invite_us);
		c->digest = 0;
	} else if (m->status >= 300 && m->status != 401 && m->status != 407)
		c->digest = 0;
}
