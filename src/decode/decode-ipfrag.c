/*
 * decode-ipfrag.c: IPv4 (RFC 791) and IPv6 (RFC 8200 4.5) fragment
 * reassembly, bounded.
 *
 * A datagram is keyed by (family, source, destination, identification and,
 * for IPv4, protocol).  Limits: FRAG_MAX_DGRAMS datagrams in progress,
 * FRAG_MAX_BYTES of fragment data in all, FRAG_MAX_PIECES fragments per
 * datagram, 65535 bytes per datagram, and FRAG_TIMEOUT_US of packet time
 * from the first fragment.  Hitting a limit drops the oldest datagram (or
 * the new fragment) and counts an event; nothing grows without bound.
 *
 * Overlaps: a fragment that repeats an earlier one exactly (same range,
 * same bytes: a duplicate seen twice on a mirror port) is ignored and
 * counted.  Any other overlap drops the whole datagram (RFC 5722 for IPv6;
 * the same rule for IPv4), so overlapping fragments cannot be used to make
 * sipwatch see a message other than the one a host would reassemble.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

#include "core/xmalloc.h"
#include "decode/decode-int.h"

#define FRAG_MAX_DGRAMS		4096
#define FRAG_MAX_BYTES		(16 * 1024 * 1024)
#define FRAG_MAX_PIECES		64
#define FRAG_MAX_SIZE		65535
#define FRAG_TIMEOUT_US		(30 * 1000000LL)

struct frag_key {
	uint8_t		family;
	uint8_t		proto;		/* IPv4 only; 0 for IPv6 */
	/* cppcheck-suppress unusedStructMember ; zeroed padding, hashed */
	uint8_t		pad[2];
	uint32_t	id;
	uint8_t		src[16];
	uint8_t		dst[16];
};

struct frag_piece {
	struct frag_piece	*next;		/* sorted by offset */
	uint32_t		 off;
	uint32_t		 len;
	uint8_t			 data[];
};

struct frag_dgram {
	struct frag_key		 key;
	int64_t			 first_us;
	uint32_t		 total;		/* 0 until the last fragment */
	uint32_t		 have;		/* bytes held */
	unsigned		 npieces;
	int			 proto;		/* upper protocol, -1 until known */
	struct frag_piece	*pieces;
	UT_hash_handle		 hh;		/* insertion order = age */
};

struct decode_frag {
	struct frag_dgram	*table;
	size_t			 bytes;
	unsigned		 count;
};

/* Take D out of the table and free it with its pieces (uncounted). */
static void
frag_free(struct decode_ctx *ctx, struct frag_dgram *d)
{
	struct decode_frag	*f = ctx->frag;
	struct frag_piece	*p, *next;

	HASH_DELETE(hh, f->table, d);
	for (p = d->pieces; p != NULL; p = next) {
		next = p->next;
		f->bytes -= p->len;
		free(p);
	}
	f->count--;
	free(d);
}

/* Free the table and every datagram held, uncounted. */
void
decode_frag_destroy(struct decode_ctx *ctx)
{
	struct frag_dgram	*d, *tmp;

	if (ctx->frag == NULL)
		return;
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, ctx->frag->table, d, tmp)
		frag_free(ctx, d);
	free(ctx->frag);
	ctx->frag = NULL;
}

/* Datagrams held, waiting for fragments. */
unsigned
decode_frag_pending(const struct decode_ctx *ctx)
{
	return (ctx->frag != NULL ? ctx->frag->count : 0);
}

/*
 * Drop datagrams whose first fragment came more than FRAG_TIMEOUT_US of
 * packet time before NOW_US (counted as decode.ipfrag.timeout).
 */
static void
frag_expire(struct decode_ctx *ctx, int64_t now_us)
{
	struct frag_dgram	*d, *tmp;

	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, ctx->frag->table, d, tmp) {
		if (now_us - d->first_us <= FRAG_TIMEOUT_US)
			break;
		frag_free(ctx, d);
		ctx->stats.events[DECODE_EV_FRAG_TIMEOUT]++;
	}
}

/*
 * Make room for LEN more bytes and, if NEW_DGRAM, one more datagram by
 * dropping the oldest (counted as decode.ipfrag.evicted).
 */
static void
frag_make_room(struct decode_ctx *ctx, size_t len, int new_dgram)
{
	struct decode_frag	*f = ctx->frag;

	while (f->table != NULL && (f->bytes + len > FRAG_MAX_BYTES ||
	    (new_dgram && f->count >= FRAG_MAX_DGRAMS))) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		frag_free(ctx, f->table);
		ctx->stats.events[DECODE_EV_FRAG_EVICTED]++;
	}
}

/*
 * One fragment: OFF and LEN in bytes of the upper-layer data, MORE set
 * unless it is the last, PROTO the upper protocol when this fragment tells
 * it (-1 otherwise).  C covers the fragment's data.  Returns what decoding
 * the completed datagram returned, or the event that stopped here.
 */
int
decode_frag_add(struct decode_ctx *ctx, struct decode_pkt *pkt,
    const struct frag_key_in *in, struct cursor *c)
{
	struct decode_frag	*f;
	struct frag_key		 key;
	struct frag_dgram	*d;
	struct frag_piece	*p, **pp, *piece;
	struct cursor		 whole;
	uint8_t			*buf;
	size_t			 len = cur_left(c);
	uint32_t		 off = in->off;
	int			 r, proto;

	if (pkt->flags & DECODE_F_TRUNC)	/* cut by snaplen: unusable */
		return (decode_event(ctx, DECODE_EV_FRAG_INVALID));
	if ((in->more && (len == 0 || len % 8 != 0)) ||
	    (size_t)off + len > FRAG_MAX_SIZE)
		return (decode_event(ctx, DECODE_EV_FRAG_INVALID));
	if (ctx->frag == NULL)
		ctx->frag = xcalloc(1, sizeof *ctx->frag);
	f = ctx->frag;
	frag_expire(ctx, pkt->ts_us);

	memset(&key, 0, sizeof key);
	key.family = pkt->src.family;
	key.proto = pkt->src.family == 4 ? (uint8_t)in->proto : 0;
	key.id = in->id;
	memcpy(key.src, pkt->src.ip, 16);
	memcpy(key.dst, pkt->dst.ip, 16);
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
	HASH_FIND(hh, f->table, &key, sizeof key, d);
	if (d == NULL) {
		frag_make_room(ctx, len, 1);
		d = xcalloc(1, sizeof *d);
		d->key = key;
		d->first_us = pkt->ts_us;
		d->proto = -1;
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_ADD(hh, f->table, key, sizeof key, d);
		f->count++;
	}

	/* Where it goes, and whether it overlaps what is there. */
	for (pp = &d->pieces; (p = *pp) != NULL; pp = &p->next) {
		if (p->off + p->len <= off)
			continue;
		if (p->off >= off + len)
			break;
		if (p->off == off && p->len == len &&
		    memcmp(p->data, c->p, len) == 0)
			return (decode_event(ctx, DECODE_EV_FRAG_DUPLICATE));
		frag_free(ctx, d);
		return (decode_event(ctx, DECODE_EV_FRAG_OVERLAP));
	}
	if (!in->more) {
		/* Nothing held may lie beyond the end the last one gives. */
		for (p = d->pieces; p != NULL && p->next != NULL; p = p->next)
			;
		if ((d->total != 0 && d->total != off + len) ||
		    (p != NULL && p->off + p->len > off + len)) {
			frag_free(ctx, d);
			return (decode_event(ctx, DECODE_EV_FRAG_OVERLAP));
		}
		d->total = off + (uint32_t)len;
	} else if (d->total != 0 && off + len > d->total) {
		frag_free(ctx, d);
		return (decode_event(ctx, DECODE_EV_FRAG_OVERLAP));
	}
	if (d->npieces >= FRAG_MAX_PIECES) {
		frag_free(ctx, d);
		return (decode_event(ctx, DECODE_EV_FRAG_INVALID));
	}
	frag_make_room(ctx, len, 0);
	/* Eviction may have taken this very datagram. */
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
	HASH_FIND(hh, f->table, &key, sizeof key, d);
	if (d == NULL)
		return (decode_event(ctx, DECODE_EV_FRAG_EVICTED));
	for (pp = &d->pieces; (p = *pp) != NULL && p->off < off; pp = &p->next)
		;
	piece = xmalloc(sizeof *piece + (len > 0 ? len : 1));
	piece->off = off;
	piece->len = (uint32_t)len;
	memcpy(piece->data, c->p, len);
	piece->next = *pp;
	*pp = piece;
	d->npieces++;
	d->have += (uint32_t)len;
	f->bytes += len;
	if (in->proto >= 0 && off == 0)
		d->proto = in->proto;

	if (d->total == 0 || d->have != d->total || d->proto < 0)
		return (decode_event(ctx, pkt->src.family == 4 ?
		    DECODE_EV_IPV4_FRAGMENT : DECODE_EV_IPV6_FRAGMENT));

	/* No overlaps and every byte of [0, total) held: contiguous. */
	buf = xmalloc(d->total);
	for (p = d->pieces; p != NULL; p = p->next)
		memcpy(buf + p->off, p->data, p->len);
	proto = d->proto;
	len = d->total;
	frag_free(ctx, d);
	ctx->stats.events[DECODE_EV_FRAG_REASSEMBLED]++;
	pkt->flags |= DECODE_F_IPFRAG;
	cur_init(&whole, buf, len);
	if (pkt->src.family == 4)
		r = decode_ip_payload(ctx, pkt, (uint8_t)proto, &whole);
	else
		r = decode_ipv6_ext(ctx, pkt, (uint8_t)proto, &whole);
	free(buf);
	return (r);
}
