/*
 * retrans.c: bounded table of recent message digests (see retrans.h).
 *
 * A set-associative cache: the digest picks a bucket of RETRANS_WAYS slots
 * (one cache line), a new digest replaces the oldest slot of its bucket.
 * The table never grows; one lookup touches one cache line.  A slot
 * replaced while still inside the window is counted as an eviction: a
 * retransmission of that message would then be missed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "core/addr.h"
#include "pipeline/retrans.h"

#define RETRANS_WAYS	4

struct retrans_slot {
	uint64_t	digest;		/* 0: empty */
	int64_t		ts_us;
};

struct retrans {
	struct retrans_slot	*slots;
	uint64_t		 mask;		/* buckets - 1 */
	int64_t			 window_us;
	uint64_t		 evictions;
};

uint64_t
retrans_hash(uint64_t h, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint64_t	 v;

	h ^= (uint64_t)len * 0x9e3779b97f4a7c15ULL;
	while (len >= 8) {
		memcpy(&v, p, 8);
		h = (h ^ v) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
		p += 8;
		len -= 8;
	}
	v = 0;
	memcpy(&v, p, len);
	h = (h ^ v) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	return (h);
}

struct retrans *
retrans_create(unsigned max, int64_t window_us)
{
	struct retrans	*rt;
	uint64_t	 buckets = 1;

	while (buckets * RETRANS_WAYS < max)
		buckets <<= 1;
	rt = xcalloc(1, sizeof *rt);
	rt->slots = xcalloc(buckets * RETRANS_WAYS, sizeof *rt->slots);
	rt->mask = buckets - 1;
	rt->window_us = window_us;
	return (rt);
}

void
retrans_destroy(struct retrans *rt)
{
	if (rt == NULL)
		return;
	free(rt->slots);
	free(rt);
}

uint64_t
retrans_evictions(const struct retrans *rt)
{
	return (rt->evictions);
}

uint64_t
retrans_digest(const struct sw_addr *src, const struct sw_addr *dst,
    const uint8_t *data, size_t len)
{
	uint64_t	h = RETRANS_HASH_SEED;
	uint8_t		ep[38];

	memcpy(ep, src->ip, 16);
	ep[16] = src->family;
	ep[17] = (uint8_t)(src->port >> 8);
	ep[18] = (uint8_t)src->port;
	memcpy(ep + 19, dst->ip, 16);
	ep[35] = dst->family;
	ep[36] = (uint8_t)(dst->port >> 8);
	ep[37] = (uint8_t)dst->port;
	h = retrans_hash(h, ep, sizeof ep);
	h = retrans_hash(h, data, len);
	return (h != 0 ? h : 1);
}

int
retrans_check(struct retrans *rt, int64_t ts_us, const struct sw_addr *src,
    const struct sw_addr *dst, const uint8_t *data, size_t len)
{
	return (retrans_check_digest(rt, ts_us,
	    retrans_digest(src, dst, data, len)));
}

int
retrans_check_digest(struct retrans *rt, int64_t ts_us, uint64_t d)
{
	struct retrans_slot	*b, *victim;
	int			 i, seen;

	if (d == 0)
		d = 1;
	b = &rt->slots[((d >> 7) & rt->mask) * RETRANS_WAYS];
	victim = &b[0];
	for (i = 0; i < RETRANS_WAYS; i++) {
		if (b[i].digest == d) {
			seen = ts_us >= b[i].ts_us &&
			    ts_us - b[i].ts_us <= rt->window_us;
			b[i].ts_us = ts_us;
			return (seen);
		}
		if (b[i].digest == 0 || b[i].ts_us < victim->ts_us)
			victim = &b[i];
		if (b[i].digest == 0)
			break;
	}
	if (victim->digest != 0 && ts_us - victim->ts_us <= rt->window_us)
		rt->evictions++;
	victim->digest = d;
	victim->ts_us = ts_us;
	return (0);
}
