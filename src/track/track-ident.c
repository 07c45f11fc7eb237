/*
 * track-ident.c: what each end of a message counts as for the per-peer
 * views (the dashboard's peers, struct track_obs msg.src_peer and
 * dst_peer).  A server answers on the address it listens on, and a
 * client may send from any port (RFC 3261 18.1.1, 18.2.1): an element
 * that ever sent a response, or that sent requests from one port only,
 * is its ip:port; a source that sent requests from several ports and
 * never a response (a scanner walking its source ports, a client behind
 * a NAT that rewrites them), or that the attack rules flagged, is its IP
 * alone, so that each of its ports does not become a peer of its own.
 *
 * One record per IP address, IDENT_PORTS distinct request ports at
 * most, in a table of at most max_peers records (the least recently used
 * goes).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "track/track-int.h"

#define IDENT_PORTS	4	/* distinct request source ports kept */
#define IDENT_BY_IP	2	/* ports from which a client is its IP */

struct ident {
	UT_hash_handle		 hh;
	uint64_t		 key;		/* track_hash_addr(), no port */
	TAILQ_ENTRY(ident)	 lru;
	uint16_t		 ports[IDENT_PORTS];
	uint8_t			 nports;
	uint8_t			 responds;	/* sent a response */
};

struct track_ident {
	struct ident		*hash;
	/* cppcheck-suppress unusedStructMember ; read by the sys/queue.h macros */
	TAILQ_HEAD(, ident)	 lru;		/* most recent last */
	unsigned		 n;
};

/* The record of the IP whose track_hash_addr(, 0) is KEY, or NULL. */
static struct ident *
ident_find(struct track_ident *ti, uint64_t key)
{
	struct ident	*r;

	HASH_FIND(hh, ti->hash, &key, sizeof key, r);
	return (r);
}

static struct ident *
ident_get(struct track *tr, uint64_t key)
{
	struct track_ident	*ti = tr->ident;
	struct ident		*r;

	if ((r = ident_find(ti, key)) != NULL) {
		TAILQ_REMOVE(&ti->lru, r, lru);
		TAILQ_INSERT_TAIL(&ti->lru, r, lru);
		return (r);
	}
	if (ti->n >= tr->o.max_peers && (r = TAILQ_FIRST(&ti->lru)) != NULL) {
		TAILQ_REMOVE(&ti->lru, r, lru);
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, ti->hash, r);
		free(r);
		ti->n--;
	}
	r = xcalloc(1, sizeof *r);
	r->key = key;
	HASH_ADD(hh, ti->hash, key, sizeof r->key, r);
	TAILQ_INSERT_TAIL(&ti->lru, r, lru);
	ti->n++;
	return (r);
}

/*
 * What A (record R, NULL if none; KEY its track_hash_addr(A, 0)) counts
 * as, into OUT: A, or its IP alone (port 0) for a client seen from
 * several ports, and for a source the attack rules flagged
 * (track_attacker(): a scanner is one peer whatever its ports).
 */
static void
ident_peer(struct track *tr, const struct sw_addr *a, uint64_t key,
    const struct ident *r, struct sw_addr *out)
{
	*out = *a;
	if (a->family == 0)
		return;
	if ((r != NULL && !r->responds && r->nports >= IDENT_BY_IP) ||
	    track_attacker_hashed(tr, a, key))
		out->port = 0;
}

void
ident_message(struct track *tr, const struct sip_msg *m,
    const struct sw_addr *src, const struct sw_addr *dst,
    struct sw_addr *src_peer, struct sw_addr *dst_peer)
{
	struct ident	*r = NULL;
	uint64_t	 ks = 0, kd = 0;
	unsigned	 i;

	if (tr->ident == NULL) {
		tr->ident = xcalloc(1, sizeof *tr->ident);
		TAILQ_INIT(&tr->ident->lru);
	}
	/* Each address hashed once, for its record and the attack flag. */
	if (src->family != 0) {
		ks = track_hash_addr(src, 0);
		r = ident_get(tr, ks);
		if (!m->is_request)
			r->responds = 1;
		else if (r->nports < IDENT_PORTS) {
			for (i = 0; i < r->nports; i++) {
				if (r->ports[i] == src->port)
					break;
			}
			if (i == r->nports)
				r->ports[r->nports++] = src->port;
		}
	}
	ident_peer(tr, src, ks, r, src_peer);
	if (dst->family != 0) {
		kd = track_hash_addr(dst, 0);
		r = ident_find(tr->ident, kd);
	} else
		r = NULL;
	ident_peer(tr, dst, kd, r, dst_peer);
}

void
ident_destroy(struct track *tr)
{
	struct track_ident	*ti = tr->ident;
	struct ident		*r;

	if (ti == NULL)
		return;
	while ((r = TAILQ_FIRST(&ti->lru)) != NULL) {
		TAILQ_REMOVE(&ti->lru, r, lru);
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, ti->hash, r);
		free(r);
	}
	free(ti);
	tr->ident = NULL;
}
