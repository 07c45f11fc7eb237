/*
 * retrans.c: bounded table of recent message digests (see retrans.h).
 *
 * Entries live in a fixed array used as a ring: the slot reused next is
 * always the oldest insertion, so the table never grows and eviction is
 * O(1).  uthash indexes the slots by digest.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "core/xmalloc.h"
#include "decode/decode.h"
#include "track/retrans.h"

struct retrans_entry {
	uint64_t	digest;
	int64_t		ts_us;
	int		used;
	UT_hash_handle	hh;
};

struct retrans {
	struct retrans_entry	*slots;
	struct retrans_entry	*index;		/* uthash head */
	unsigned		 max;
	unsigned		 next;		/* ring position */
	int64_t			 window_us;
	uint64_t		 evictions;
};

uint64_t
retrans_hash(uint64_t h, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

struct retrans *
retrans_create(unsigned max, int64_t window_us)
{
	struct retrans	*rt;

	if (max == 0)
		max = 1;
	rt = xcalloc(1, sizeof *rt);
	rt->slots = xcalloc(max, sizeof *rt->slots);
	rt->max = max;
	rt->window_us = window_us;
	return (rt);
}

void
retrans_destroy(struct retrans *rt)
{
	if (rt == NULL)
		return;
	HASH_CLEAR(hh, rt->index);
	free(rt->slots);
	free(rt);
}

uint64_t
retrans_evictions(const struct retrans *rt)
{
	return (rt->evictions);
}

static uint64_t
retrans_digest(const struct sw_addr *src, const struct sw_addr *dst,
    const uint8_t *data, size_t len)
{
	uint64_t	h = RETRANS_FNV_SEED;
	uint8_t		ep[19];

	memcpy(ep, src->ip, 16);
	ep[16] = src->family;
	ep[17] = (uint8_t)(src->port >> 8);
	ep[18] = (uint8_t)src->port;
	h = retrans_hash(h, ep, sizeof ep);
	memcpy(ep, dst->ip, 16);
	ep[16] = dst->family;
	ep[17] = (uint8_t)(dst->port >> 8);
	ep[18] = (uint8_t)dst->port;
	h = retrans_hash(h, ep, sizeof ep);
	return (retrans_hash(h, data, len));
}

int
retrans_check(struct retrans *rt, int64_t ts_us, const struct sw_addr *src,
    const struct sw_addr *dst, const uint8_t *data, size_t len)
{
	struct retrans_entry	*e;
	uint64_t		 d;
	int			 seen;

	d = retrans_digest(src, dst, data, len);
	HASH_FIND(hh, rt->index, &d, sizeof d, e);
	if (e != NULL) {
		seen = ts_us - e->ts_us <= rt->window_us &&
		    ts_us >= e->ts_us;
		e->ts_us = ts_us;
		return (seen);
	}
	e = &rt->slots[rt->next];
	if (e->used) {
		HASH_DELETE(hh, rt->index, e);
		if (ts_us - e->ts_us <= rt->window_us)
			rt->evictions++;
	}
	rt->next = (rt->next + 1) % rt->max;
	e->digest = d;
	e->ts_us = ts_us;
	e->used = 1;
	HASH_ADD(hh, rt->index, digest, sizeof e->digest, e);
	return (0);
}
