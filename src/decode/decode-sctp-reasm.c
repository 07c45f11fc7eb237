/*
 * decode-sctp-reasm.c: SCTP user messages split over several DATA chunks
 * (RFC 9260 6.9) or I-DATA chunks (RFC 8260 2.1), put back together,
 * bounded.
 *
 * The pieces of one user message share the association (addresses,
 * ports, verification tag), the stream and, for an ordered DATA message,
 * the stream sequence number; they carry consecutive TSNs, the first with
 * B set and the last with E set.  An I-DATA message is named by its
 * message identifier (MID) and its pieces by fragment sequence numbers
 * (FSN, 0 for the first).  So pieces are kept per key (association,
 * direction, stream, chunk kind, U flag, SSN or MID) in the order of
 * their position (TSN, or FSN), and a message is complete when a run of
 * consecutive positions goes from a B piece to an E piece.  Unordered
 * DATA messages of one stream share a key (their SSN means nothing) and
 * are told apart by their TSNs.
 *
 * A piece seen again with the same bytes (an SCTP retransmission, or a
 * duplicate on a mirror port) is ignored, also after its message was
 * handed on: each key remembers the last SCTP_DONE_KEEP position ranges
 * it delivered, until its timeout.  A piece seen again with other bytes
 * is counted and the first copy kept, so a retransmission cannot make
 * sipwatch see another message than the first one it was shown.
 *
 * Limits: SCTP_MAX_MSGS keys, SCTP_MAX_BYTES of chunk data held in all,
 * SCTP_MAX_MSG_SIZE bytes and SCTP_MAX_PIECES pieces per message, and
 * SCTP_TIMEOUT_US of packet time from a key's first piece.  Hitting a
 * limit drops the oldest key (or the message that grew too large) and
 * counts an event; pieces still held at the end of the input are counted
 * as decode.sctp.incomplete.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

#include "core/xmalloc.h"
#include "decode/decode-int.h"

#define SCTP_MAX_MSGS		1024
#define SCTP_MAX_BYTES		(8 * 1024 * 1024)
#define SCTP_MAX_MSG_SIZE	(256 * 1024)
#define SCTP_MAX_PIECES		256
#define SCTP_TIMEOUT_US		(30 * 1000000LL)
#define SCTP_DONE_KEEP		4

struct sctp_key {
	uint8_t		family;
	uint8_t		idata;
	uint8_t		unordered;
	/* cppcheck-suppress unusedStructMember ; zeroed padding, hashed */
	uint8_t		pad;
	uint16_t	sport;
	uint16_t	dport;
	uint16_t	stream;
	/* cppcheck-suppress unusedStructMember ; zeroed padding, hashed */
	uint16_t	pad2;
	uint32_t	vtag;
	uint32_t	id;		/* SSN (ordered DATA) or MID (I-DATA) */
	uint8_t		src[16];
	uint8_t		dst[16];
};

struct sctp_piece {
	struct sctp_piece	*next;		/* by position */
	uint32_t		 pos;
	uint32_t		 len;
	uint8_t			 flags;		/* SCTP_CHUNK_B, SCTP_CHUNK_E */
	uint8_t			 data[];
};

struct sctp_msg {
	struct sctp_key		 key;
	int64_t			 since_us;	/* first piece held, or last delivery */
	size_t			 bytes;		/* data bytes held */
	unsigned		 npieces;
	struct sctp_piece	*pieces;
	uint32_t		 done_first[SCTP_DONE_KEEP];
	uint32_t		 done_last[SCTP_DONE_KEEP];
	unsigned		 ndone;		/* ranges delivered (ring) */
	UT_hash_handle		 hh;		/* table order = age */
};

struct decode_sctp {
	struct sctp_msg		*table;
	size_t			 bytes;
	unsigned		 count;
};

/* True when position A comes before B (RFC 1982 serial numbers, mod 2^32). */
static int
pos_before(uint32_t a, uint32_t b)
{
	return ((int32_t)(a - b) < 0);
}

/* Free M's pieces (their bytes leave the table's total); M stays. */
static void
sctp_pieces_free(struct decode_ctx *ctx, struct sctp_msg *m)
{
	struct sctp_piece	*p, *next;

	for (p = m->pieces; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
	ctx->sctp->bytes -= m->bytes;
	m->pieces = NULL;
	m->npieces = 0;
	m->bytes = 0;
}

/* Take M out of the table and free it with its pieces. */
static void
sctp_msg_free(struct decode_ctx *ctx, struct sctp_msg *m)
{
	struct decode_sctp	*s = ctx->sctp;

	sctp_pieces_free(ctx, m);
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
	HASH_DELETE(hh, s->table, m);
	s->count--;
	free(m);
}

/* Move M to the young end of the table, from NOW_US. */
static void
sctp_msg_renew(struct decode_ctx *ctx, struct sctp_msg *m, int64_t now_us)
{
	struct decode_sctp	*s = ctx->sctp;

	m->since_us = now_us;
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
	HASH_DELETE(hh, s->table, m);
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
	HASH_ADD(hh, s->table, key, sizeof m->key, m);
}

/* Free the table and every piece held, uncounted. */
void
decode_sctp_reasm_destroy(struct decode_ctx *ctx)
{
	struct sctp_msg	*m, *tmp;

	if (ctx->sctp == NULL)
		return;
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, ctx->sctp->table, m, tmp)
		sctp_msg_free(ctx, m);
	free(ctx->sctp);
	ctx->sctp = NULL;
}

/* End of input: what is still incomplete is dropped and counted. */
void
decode_sctp_reasm_flush(struct decode_ctx *ctx)
{
	struct sctp_msg	*m, *tmp;

	if (ctx->sctp == NULL)
		return;
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, ctx->sctp->table, m, tmp) {
		if (m->npieces > 0)
			ctx->stats.events[DECODE_EV_SCTP_INCOMPLETE]++;
		sctp_msg_free(ctx, m);
	}
}

/*
 * Drop keys whose first piece (or last delivery) is more than
 * SCTP_TIMEOUT_US of packet time before NOW_US; those still holding
 * pieces are counted as decode.sctp.timeout.
 */
static void
sctp_expire(struct decode_ctx *ctx, int64_t now_us)
{
	struct sctp_msg	*m, *tmp;

	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, ctx->sctp->table, m, tmp) {
		if (now_us - m->since_us <= SCTP_TIMEOUT_US)
			break;
		if (m->npieces > 0)
			ctx->stats.events[DECODE_EV_SCTP_TIMEOUT]++;
		sctp_msg_free(ctx, m);
	}
}

/*
 * Make room for LEN more bytes and, if NEW_KEY, one more key by dropping
 * the oldest keys; those holding pieces are counted as decode.sctp.evicted.
 */
static void
sctp_make_room(struct decode_ctx *ctx, size_t len, int new_key)
{
	struct decode_sctp	*s = ctx->sctp;

	while (s->table != NULL && (s->bytes + len > SCTP_MAX_BYTES ||
	    (new_key && s->count >= SCTP_MAX_MSGS))) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		if (s->table->npieces > 0)
			ctx->stats.events[DECODE_EV_SCTP_EVICTED]++;
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		sctp_msg_free(ctx, s->table);
	}
}

/*
 * Look for a complete message in M: a run of consecutive positions from a
 * B piece to an E piece.  Returns its first piece and sets *LASTP, or
 * NULL.
 */
static struct sctp_piece *
sctp_find_run(struct sctp_msg *m, struct sctp_piece **lastp)
{
	struct sctp_piece	*p, *first = NULL;

	for (p = m->pieces; p != NULL; p = p->next) {
		if (p->flags & SCTP_CHUNK_B)
			first = p;	/* a run starts (one before is broken) */
		if (first == NULL)
			continue;
		if (p->flags & SCTP_CHUNK_E) {
			*lastp = p;
			return (first);
		}
		if (p->next == NULL || p->next->pos != p->pos + 1)
			first = NULL;	/* a piece is missing: wait for it */
	}
	return (NULL);
}

/*
 * Hand on the message made of the pieces FIRST to LAST of M (copied into
 * one buffer, freed on return), remember their range and free them.
 * PKT's flags are restored after the callback.
 */
static void
sctp_deliver(struct decode_ctx *ctx, struct decode_pkt *pkt,
    struct sctp_msg *m, struct sctp_piece *first, struct sctp_piece *last)
{
	struct sctp_piece	**pp, *p, *next, *stop = last->next;
	uint8_t			 *buf, flags = pkt->flags;
	size_t			  len = 0, off = 0;
	unsigned		  n = 0, i;

	for (p = first; p != stop; p = p->next)
		len += p->len;
	buf = xmalloc(len);
	for (p = first; p != stop; p = p->next) {
		memcpy(buf + off, p->data, p->len);
		off += p->len;
		n++;
	}
	i = m->ndone++ % SCTP_DONE_KEEP;
	m->done_first[i] = first->pos;
	m->done_last[i] = last->pos;
	for (pp = &m->pieces; *pp != first; pp = &(*pp)->next)
		;
	*pp = stop;
	for (p = first; p != stop; p = next) {
		next = p->next;
		free(p);
	}
	m->npieces -= n;
	m->bytes -= len;
	ctx->sctp->bytes -= len;
	if (m->npieces == 0)
		sctp_msg_renew(ctx, m, pkt->ts_us);

	ctx->stats.events[DECODE_EV_SCTP_REASSEMBLED]++;
	ctx->stats.payloads++;
	ctx->stats.sctp_messages++;
	pkt->flags |= DECODE_F_SCTPREASM;
	pkt->payload = buf;
	pkt->len = len;
	ctx->deliver(pkt, ctx->arg);
	pkt->flags = flags;
	free(buf);
}

/*
 * One piece of a split user message: IN says where it belongs, C covers
 * its user data (copied when held; packet time from PKT).  Returns
 * DECODE_DELIVERED when it completed a message (handed on through
 * ctx->deliver, flagged DECODE_F_SCTPREASM), else the event counted for
 * it: decode.sctp.fragmented when it is held, or why it was not
 * (duplicate, conflict, too large, evicted, bad chunk).
 */
int
decode_sctp_reasm_add(struct decode_ctx *ctx, struct decode_pkt *pkt,
    const struct sctp_chunk_in *in, struct cursor *c)
{
	struct decode_sctp	*s;
	struct sctp_key		 key;
	struct sctp_msg		*m;
	struct sctp_piece	**pp, *p, *first, *last;
	size_t			 len = cur_left(c);
	unsigned		 i;

	if (len == 0)	/* RFC 9260 6.2: a DATA chunk carries data */
		return (decode_event(ctx, DECODE_EV_SCTP_BAD_CHUNK));
	if (ctx->sctp == NULL)
		ctx->sctp = xcalloc(1, sizeof *ctx->sctp);
	s = ctx->sctp;
	sctp_expire(ctx, pkt->ts_us);

	memset(&key, 0, sizeof key);
	key.family = pkt->src.family;
	key.idata = in->idata;
	key.unordered = (in->flags & SCTP_CHUNK_U) != 0;
	key.sport = pkt->src.port;
	key.dport = pkt->dst.port;
	key.stream = in->stream;
	key.vtag = in->vtag;
	key.id = in->id;
	memcpy(key.src, pkt->src.ip, sizeof key.src);
	memcpy(key.dst, pkt->dst.ip, sizeof key.dst);
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
	HASH_FIND(hh, s->table, &key, sizeof key, m);

	if (m != NULL) {
		/* Seen before: in a message already handed on, or held. */
		for (i = 0; i < SCTP_DONE_KEEP && i < m->ndone; i++) {
			if (!pos_before(in->pos, m->done_first[i]) &&
			    !pos_before(m->done_last[i], in->pos))
				return (decode_event(ctx,
				    DECODE_EV_SCTP_DUPLICATE));
		}
		for (p = m->pieces; p != NULL; p = p->next) {
			if (p->pos != in->pos)
				continue;
			if (p->len == len && memcmp(p->data, c->p, len) == 0)
				return (decode_event(ctx,
				    DECODE_EV_SCTP_DUPLICATE));
			return (decode_event(ctx, DECODE_EV_SCTP_CONFLICT));
		}
		if (m->npieces >= SCTP_MAX_PIECES ||
		    m->bytes + len > SCTP_MAX_MSG_SIZE) {
			sctp_msg_free(ctx, m);
			return (decode_event(ctx, DECODE_EV_SCTP_TOO_LARGE));
		}
		if (m->npieces == 0)
			sctp_msg_renew(ctx, m, pkt->ts_us);
		sctp_make_room(ctx, len, 0);
		/* Eviction may have taken this very key. */
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_FIND(hh, s->table, &key, sizeof key, m);
		if (m == NULL)
			return (decode_event(ctx, DECODE_EV_SCTP_EVICTED));
	} else {
		if (len > SCTP_MAX_MSG_SIZE)
			return (decode_event(ctx, DECODE_EV_SCTP_TOO_LARGE));
		sctp_make_room(ctx, len, 1);
		m = xcalloc(1, sizeof *m);
		m->key = key;
		m->since_us = pkt->ts_us;
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_ADD(hh, s->table, key, sizeof m->key, m);
		s->count++;
	}

	p = xmalloc(sizeof *p + len);
	p->pos = in->pos;
	p->len = (uint32_t)len;
	p->flags = in->flags & (SCTP_CHUNK_B | SCTP_CHUNK_E);
	memcpy(p->data, c->p, len);
	for (pp = &m->pieces; *pp != NULL && pos_before((*pp)->pos, p->pos);
	    pp = &(*pp)->next)
		;
	p->next = *pp;
	*pp = p;
	m->npieces++;
	m->bytes += len;
	s->bytes += len;
	if (s->bytes > ctx->stats.sctp_peak_bytes)
		ctx->stats.sctp_peak_bytes = s->bytes;

	if ((first = sctp_find_run(m, &last)) == NULL)
		return (decode_event(ctx, DECODE_EV_SCTP_FRAGMENTED));
	sctp_deliver(ctx, pkt, m, first, last);
	return (DECODE_DELIVERED);
}
