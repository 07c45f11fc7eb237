/*
 * metrics-observe.c: responses per peer and class, and the call latency
 * histograms, from the tracker's observations (capture thread only): the
 * delays are the ones the tracker measured for its report, so the
 * histograms' counts equal the report's.  The RTP stream histograms and
 * loss totals take each stream's final figures from the media module as
 * the stream ends (media_on_end()).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "media/media.h"
#include "metrics/metrics-int.h"
#include "sip/sip.h"
#include "track/track.h"

const double metrics_lat_bounds[METRICS_LAT_BUCKETS] = {
	0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120
};
/* The user satisfaction categories of G.107 Table B.1 (R 50, 60, 70, 80,
 * 90 give MOS 2.58, 3.10, 3.60, 4.02, 4.34; rounded up to the hundredth),
 * and finer steps near the top, where G.711 calls lie (R 93.2: 4.41). */
const double metrics_mos_bounds[METRICS_MOS_BUCKETS] = {
	1, 2, 2.58, 3.1, 3.6, 4.03, 4.2, 4.34, 4.4, 4.5
};
const double metrics_jitter_bounds[METRICS_JITTER_BUCKETS] = {
	0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5
};
const double metrics_loss_bounds[METRICS_LOSS_BUCKETS] = {
	0, 0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5
};

static void
metrics_hist_init(struct metrics_hist *h, const double *bounds,
    unsigned nbounds)
{
	memset(h, 0, sizeof *h);
	h->bounds = bounds;
	h->nbounds = nbounds;
}

struct metrics_obs *
metrics_obs_create(void)
{
	struct metrics_obs	*o;

	o = xcalloc(1, sizeof *o);
	metrics_hist_init(&o->pdd, metrics_lat_bounds, METRICS_LAT_BUCKETS);
	metrics_hist_init(&o->setup, metrics_lat_bounds, METRICS_LAT_BUCKETS);
	metrics_hist_init(&o->mos, metrics_mos_bounds, METRICS_MOS_BUCKETS);
	metrics_hist_init(&o->jitter, metrics_jitter_bounds,
	    METRICS_JITTER_BUCKETS);
	metrics_hist_init(&o->loss, metrics_loss_bounds, METRICS_LOSS_BUCKETS);
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
metrics_hist_add(struct metrics_hist *h, double v)
{
	unsigned	i;

	h->count++;
	h->sum += v;
	for (i = 0; i < h->nbounds; i++) {
		if (v <= h->bounds[i]) {
			h->bucket[i]++;
			return;
		}
	}
	h->over++;
}

/* A delay in µs, into a histogram in seconds. */
static void
metrics_hist_add_us(struct metrics_hist *h, int64_t us)
{
	metrics_hist_add(h, us < 0 ? 0 : (double)us / 1e6);
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
			metrics_hist_add_us(&o->pdd, obs->u.call.srd_sample);
		if (obs->u.call.setup_sample >= 0)
			metrics_hist_add_us(&o->setup, obs->u.call.setup_sample);
		break;
	default:
		break;
	}
}

void
metrics_obs_stream(const struct media_stream_info *info, void *arg)
{
	struct metrics_obs	*o = arg;

	o->rtp_expected += info->expected;
	if (info->lost > 0)
		o->rtp_lost += (uint64_t)info->lost;
	if (info->quality.known)
		metrics_hist_add(&o->mos, info->quality.mos);
	if (info->jitter_known)
		metrics_hist_add(&o->jitter, info->mean_jitter_ms / 1000.0);
	if (info->expected > 0)
		metrics_hist_add(&o->loss, info->lost > 0 ?
		    info->lost_pct / 100.0 : 0);
}
