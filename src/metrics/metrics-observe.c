/*
 * metrics-observe.c: responses per peer and class, and the call latency
 * histograms, from the tracker's observations (capture thread only): the
 * delays are the ones the tracker measured for its report, so the
 * histograms' counts equal the report's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "metrics/metrics-int.h"
#include "sip/sip.h"
#include "track/track.h"

const double metrics_lat_bounds[METRICS_LAT_BUCKETS] = {
	0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120
};

struct metrics_obs *
metrics_obs_create(void)
{
	struct metrics_obs	*o;

	o = xcalloc(1, sizeof *o);
	return (o);
}

void
metrics_obs_destroy(struct metrics_obs *o)
{
	if (o == NULL)
		return;
	free(o);
}

/* FNV-1a over LEN bytes; never 0. */
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

void
metrics_obs_observe(const struct track_obs *obs, void *arg)
{
	struct metrics_obs	*o = arg;
	const struct sip_msg	*m;

	switch (obs->type) {
	case TRACK_OBS_MESSAGE:
		m = obs->u.msg.msg;
		if (!m->is_request && m->status >= 100 && m->status < 700)
			metrics_peer_classes(o, obs->u.msg.src)[m->status /
			    100]++;
		break;
	case TRACK_OBS_CALL:
		if (obs->u.call.srd_sample >= 0)
			metrics_hist_add(&o->pdd, obs->u.call.srd_sample);
		if (obs->u.call.setup_sample >= 0)
			metrics_hist_add(&o->setup, obs->u.call.setup_sample);
		break;
	default:
		break;
	}
}
