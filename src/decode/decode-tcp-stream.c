/*
 * decode-tcp-stream.c: TCP stream reassembly (RFC 9293), bounded.
 *
 * Each connection is keyed by family, addresses and ports, the same both
 * ways.  Each direction (half) puts its bytes in sequence order: a segment
 * at the expected sequence number is handed on at once (and, when it holds
 * whole messages, straight from the packet: no copy on the common path);
 * one ahead of it waits in a sorted list; bytes seen before (a
 * retransmission, an overlap) are trimmed so the first copy wins and no
 * byte is handed on twice.  Overlapping bytes that differ are counted.
 *
 * A hole that will not be filled is a gap: the half skips to the held
 * bytes after it, flags the next message DECODE_F_GAP and looks for the
 * next SIP start line.  A hole is declared a gap when the half holds too
 * much after it (TCP_HALF_MAX_OOO, TCP_HALF_MAX_SEGS), when it made no
 * progress for TCP_HOLE_US of packet time, on RST, idle timeout and end
 * of input, and at once when the capture cut the segment before it
 * (snap length).
 *
 * Limits: TCP_MAX_STREAMS connections and TCP_MAX_BYTES held in all (the
 * least recently used connection is evicted, those already known not to
 * be SIP first); TCP_IDLE_US of packet time without a segment frees a
 * connection.  FIN on both sides or RST frees it at once.  Every drop is
 * counted (decode.tcp.evicted, .timeout, .gap, .buffer_full).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "decode/decode-tcp.h"

static void	tcp_conn_free(struct decode_ctx *, struct tcp_conn *);
static void	tcp_half_drain(struct decode_ctx *, struct tcp_conn *, int);

/* Add DELTA bytes (negative: freed) to the table's total and its peak. */
void
tcp_account(struct decode_ctx *ctx, ssize_t delta)
{
	struct decode_tcp	*t = ctx->tcp;

	t->bytes = (size_t)((ssize_t)t->bytes + delta);
	if (t->bytes > ctx->stats.tcp_peak_bytes)
		ctx->stats.tcp_peak_bytes = t->bytes;
}

/* The LRU list C is on: the cheap one once neither side can be SIP. */
static struct tcp_lru *
tcp_list(struct decode_tcp *t, struct tcp_conn *c)
{
	return (c->ignored ? &t->cheap : &t->live);
}

/* Drop the held bytes of half H (partial message, segments, WebSocket). */
static void
tcp_half_clear(struct decode_ctx *ctx, struct tcp_half *h)
{
	struct tcp_seg	*s, *next;

	if (h->len > 0)
		ctx->stats.tcp_dropped_bytes += h->len;
	for (s = h->ooo; s != NULL; s = next) {
		next = s->next;
		ctx->stats.tcp_dropped_bytes += s->len;
		tcp_account(ctx, -(ssize_t)(sizeof *s + s->len));
		free(s);
	}
	h->ooo = NULL;
	h->nooo = 0;
	h->ooo_bytes = 0;
	tcp_account(ctx, -(ssize_t)h->cap);
	free(h->buf);
	h->buf = NULL;
	h->len = h->cap = h->fresh = h->hdr_scan = 0;
	tcp_ws_free(ctx, h);
}

/*
 * Free C and what it holds; held bytes are added to tcp_dropped_bytes, no
 * event is counted.
 */
static void
tcp_conn_free(struct decode_ctx *ctx, struct tcp_conn *c)
{
	struct decode_tcp	*t = ctx->tcp;

	tcp_half_clear(ctx, &c->half[0]);
	tcp_half_clear(ctx, &c->half[1]);
	HASH_DELETE(hh, t->table, c);
	TAILQ_REMOVE(tcp_list(t, c), c, lru);
	t->count--;
	tcp_account(ctx, -(ssize_t)sizeof *c);
	free(c);
}

/* True when either half of C holds bytes: an unfinished message or segments. */
static int
tcp_conn_holds(const struct tcp_conn *c)
{
	return (c->half[0].len > 0 || c->half[0].ooo != NULL ||
	    c->half[1].len > 0 || c->half[1].ooo != NULL);
}

/*
 * Give up on connection C: deliver what lies behind its holes, count EV
 * when it still held bytes, free it.
 */
static void
tcp_conn_drop(struct decode_ctx *ctx, struct tcp_conn *c, enum decode_event ev)
{
	struct tcp_conn	*cur = ctx->tcp->cur;
	int		 i;

	ctx->tcp->cur = c;
	for (i = 0; i < 2; i++) {
		while (c->half[i].ooo != NULL && !c->ignored)
			tcp_half_drain(ctx, c, i);
	}
	if (tcp_conn_holds(c))
		ctx->stats.events[ev]++;
	tcp_conn_free(ctx, c);
	ctx->tcp->cur = cur == c ? NULL : cur;
}

/* Free connections idle for TCP_IDLE_US (packet time), oldest first. */
static void
tcp_expire(struct decode_ctx *ctx, int64_t now_us)
{
	struct decode_tcp	*t = ctx->tcp;
	struct tcp_conn		*c;

	while ((c = TAILQ_FIRST(&t->cheap)) != NULL &&
	    now_us - c->last_us > TCP_IDLE_US)
		tcp_conn_free(ctx, c);
	while ((c = TAILQ_FIRST(&t->live)) != NULL &&
	    now_us - c->last_us > TCP_IDLE_US)
		tcp_conn_drop(ctx, c, DECODE_EV_TCP_TIMEOUT);
}

/*
 * Evict least recently used connections (ignored ones first, never KEEP)
 * until NEED more bytes fit and, with NEW_CONN, one more connection.
 * Returns 0, or -1 when only KEEP is left.
 */
static int
tcp_make_room(struct decode_ctx *ctx, size_t need, int new_conn,
    const struct tcp_conn *keep)
{
	struct decode_tcp	*t = ctx->tcp;
	struct tcp_conn		*c;

	while (t->bytes + need > TCP_MAX_BYTES ||
	    (new_conn && t->count >= TCP_MAX_STREAMS)) {
		if (t->no_evict)
			return (-1);
		c = TAILQ_FIRST(&t->cheap);
		if (c != NULL && c == keep)
			c = TAILQ_NEXT(c, lru);
		if (c == NULL) {
			c = TAILQ_FIRST(&t->live);
			if (c != NULL && c == keep)
				c = TAILQ_NEXT(c, lru);
		}
		if (c == NULL)
			return (-1);
		ctx->stats.events[DECODE_EV_TCP_EVICTED]++;
		tcp_conn_free(ctx, c);
	}
	return (0);
}

/*
 * Make room in H's buffer for LEN more bytes, within TCP_MSG_MAX plus a
 * header block and the memory cap.  Returns 0, or -1 (nothing changed).
 */
int
tcp_buf_reserve(struct decode_ctx *ctx, struct tcp_half *h, size_t len)
{
	size_t	 want, ncap;

	want = h->len + len;
	if (want <= h->cap)
		return (0);
	if (want > TCP_MSG_MAX + TCP_HDR_MAX)
		return (-1);
	ncap = h->cap < 2048 ? 2048 : h->cap * 2;
	while (ncap < want)
		ncap *= 2;
	if (ncap > TCP_MSG_MAX + TCP_HDR_MAX)
		ncap = TCP_MSG_MAX + TCP_HDR_MAX;
	if (tcp_make_room(ctx, ncap - h->cap, 0, ctx->tcp->cur) == -1)
		return (-1);
	h->buf = xrealloc(h->buf, ncap);
	tcp_account(ctx, (ssize_t)(ncap - h->cap));
	h->cap = ncap;
	return (0);
}

/*
 * Hand LEN bytes at P, sent by side DIR of C, to the caller's callback as
 * one payload.  The addresses are the connection's; time and frame are the
 * packet being decoded.
 */
void
tcp_deliver(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t len, uint8_t transport, uint8_t flags)
{
	struct decode_tcp	*t = ctx->tcp;
	struct tcp_half		*h = &c->half[dir];
	struct decode_pkt	 out;
	struct cursor		 m;
	int			 b = -1;

	if (len > 0) {
		cur_init(&m, p, len);
		b = cur_peek(&m, 0);
	}
	out = *t->pkt;
	out.src = c->ep[dir];
	out.dst = c->ep[!dir];
	out.transport = transport;
	out.flags = (uint8_t)((out.flags & ~(DECODE_F_TRUNC | DECODE_F_GAP)) |
	    flags);
	out.payload = p;
	out.len = len;
	if (b != -1 && b != '\r' && b != '\n') {
		/* A message, not a keep-alive: the gap flag goes on it. */
		if (h->gap)
			out.flags |= DECODE_F_GAP;
		h->gap = 0;
		ctx->stats.tcp_messages++;
		if (flags & DECODE_F_TCPREASM)
			ctx->stats.tcp_reassembled++;
	}
	ctx->stats.payloads++;
	ctx->deliver(&out, ctx->arg);
}

/*
 * LEN in-order bytes at P for half DIR (its next_seq already moved past
 * them).  Whole messages are handed on from P itself when nothing is
 * buffered; the unfinished rest is copied.
 */
static void
tcp_half_feed(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t len)
{
	struct tcp_half	*h = &c->half[dir];
	struct cursor	 rest;
	size_t		 used, old;

	if (len == 0)
		return;
	if (h->len == 0) {
		used = tcp_app_consume(ctx, c, dir, p, len, 0);
		cur_init(&rest, p, len);
		if (cur_skip(&rest, used) == -1 || cur_left(&rest) == 0)
			return;
		len = cur_left(&rest);
		if (tcp_buf_reserve(ctx, h, len) == -1)
			goto full;
		memcpy(h->buf, rest.p, len);
		h->len = len;
		h->fresh = 0;
		return;
	}
	old = h->len;
	if (tcp_buf_reserve(ctx, h, len) == -1)
		goto full;
	memcpy(h->buf + old, p, len);
	h->len += len;
	h->fresh = old;
	used = tcp_app_consume(ctx, c, dir, h->buf, h->len, old);
	cur_init(&rest, h->buf, h->len);
	if (cur_skip(&rest, used) == -1)
		(void)cur_skip(&rest, h->len);	/* all of it consumed */
	if (cur_left(&rest) < h->len) {
		/* hdr_scan counts from the message start: still valid. */
		memmove(h->buf, rest.p, cur_left(&rest));
		h->len = cur_left(&rest);
	}
	return;

full:
	/* More than a message may hold, or no memory left: start over. */
	ctx->stats.events[DECODE_EV_TCP_SIP_TOO_LARGE]++;
	ctx->stats.tcp_dropped_bytes += h->len + len;
	h->len = 0;
	h->hdr_scan = 0;
	h->resync = 1;
}

/* Mark DIR closed once every byte before its FIN has been consumed. */
static void
tcp_half_check_fin(struct tcp_half *h)
{
	if (h->fin && !h->closed && h->next_seq == h->fin_seq) {
		h->closed = 1;
		h->next_seq++;
	}
}

/* Hand on the held segments that are now in order. */
static void
tcp_half_pop(struct decode_ctx *ctx, struct tcp_conn *c, int dir)
{
	struct tcp_half	*h = &c->half[dir];
	struct tcp_seg	*s;
	struct cursor	 held;
	uint32_t	 skip;

	while ((s = h->ooo) != NULL && SEQ_LEQ(s->seq, h->next_seq)) {
		h->ooo = s->next;
		h->nooo--;
		h->ooo_bytes -= s->len;
		if (SEQ_GT(s->seq + s->len, h->next_seq)) {
			/* Its bytes from next_seq on are new (SKIP < len). */
			skip = h->next_seq - s->seq;
			h->next_seq = s->seq + s->len;
			cur_init(&held, s->data, s->len);
			if (!c->ignored && h->mode != TCP_MODE_OTHER &&
			    cur_skip(&held, skip) == 0)
				tcp_half_feed(ctx, c, dir, held.p,
				    cur_left(&held));
		}
		tcp_account(ctx, -(ssize_t)(sizeof *s + s->len));
		free(s);
		tcp_half_check_fin(h);
		/* The callback may not free C; feeding may switch modes. */
	}
	if (h->ooo == NULL)
		h->hole_us = 0;
	else
		h->hole_us = ctx->tcp->pkt->ts_us;
}

/*
 * The hole before the first held segment of DIR will not be filled: count
 * the gap, drop the partial message, resume at the held bytes.
 */
static void
tcp_half_drain(struct decode_ctx *ctx, struct tcp_conn *c, int dir)
{
	struct tcp_half	*h = &c->half[dir];

	if (h->ooo == NULL)
		return;
	ctx->stats.events[DECODE_EV_TCP_GAP]++;
	ctx->stats.tcp_gap_bytes += h->ooo->seq - h->next_seq;
	ctx->stats.tcp_dropped_bytes += h->len;
	h->len = 0;
	h->hdr_scan = 0;
	h->skip = 0;
	h->next_seq = h->ooo->seq;
	h->gap = 1;
	h->resync = 1;
	if (h->ws != NULL)
		h->ws->active = h->ws->skip = 0, h->ws->len = 0;
	tcp_half_pop(ctx, c, dir);
}

/*
 * Hold LEN bytes at P starting at SEQ (ahead of next_seq) in DIR's sorted
 * list, keeping only the bytes no held segment has (first copy wins).
 */
static void
tcp_half_hold(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    uint32_t seq, const uint8_t *p, size_t len)
{
	struct tcp_half	 *h = &c->half[dir];
	struct tcp_seg	**pp, *s, *n;
	struct cursor	  seg, held;
	const uint8_t	 *q, *hq;
	uint32_t	  cur = seq, end = seq + (uint32_t)len, a, b, lo, hi;
	int		  overlap = 0, conflict = 0;

	/* Byte X of sequence space is at offset X - SEQ of SEG. */
	cur_init(&seg, p, len);
	if (h->ooo == NULL)
		h->hole_us = ctx->tcp->pkt->ts_us;
	pp = &h->ooo;
	while (SEQ_LT(cur, end)) {
		s = *pp;
		if (s != NULL && SEQ_LEQ(s->seq + s->len, cur)) {
			pp = &s->next;
			continue;
		}
		if (s != NULL && SEQ_LEQ(s->seq, cur)) {
			/* [cur, ...) already held: compare, skip past it. */
			lo = cur;
			hi = SEQ_LT(s->seq + s->len, end) ? s->seq + s->len : end;
			cur_init(&held, s->data, s->len);
			if (cur_peek_span(&seg, lo - seq, hi - lo, &q) == -1 ||
			    cur_peek_span(&held, lo - s->seq, hi - lo,
			    &hq) == -1 || memcmp(hq, q, hi - lo) != 0)
				conflict = 1;
			overlap = 1;
			cur = hi;
			pp = &s->next;
			continue;
		}
		/* A piece [cur, b) before the next held segment (or the end). */
		a = cur;
		b = (s != NULL && SEQ_LT(s->seq, end)) ? s->seq : end;
		if (cur_peek_span(&seg, a - seq, b - a, &q) == -1)
			break;	/* not reached: [A, B) lies in [SEQ, END) */
		if (h->nooo >= TCP_HALF_MAX_SEGS ||
		    h->ooo_bytes + (b - a) > TCP_HALF_MAX_OOO ||
		    tcp_make_room(ctx, sizeof *n + (b - a), 0, c) == -1) {
			ctx->stats.events[DECODE_EV_TCP_BUFFER_FULL]++;
			ctx->stats.tcp_dropped_bytes += end - a;
			break;
		}
		n = xmalloc(sizeof *n + (b - a));
		n->seq = a;
		n->len = b - a;
		memcpy(n->data, q, b - a);
		n->next = s;
		*pp = n;
		pp = &n->next;
		h->nooo++;
		h->ooo_bytes += b - a;
		tcp_account(ctx, (ssize_t)(sizeof *n + (b - a)));
		cur = b;
	}
	if (conflict)
		ctx->stats.events[DECODE_EV_TCP_OVERLAP_CONFLICT]++;
	else if (overlap)
		ctx->stats.events[DECODE_EV_TCP_OVERLAP]++;
}

/* Key for the connection of PKT; *DIR gets the side that sent it. */
static void
tcp_key_make(const struct decode_pkt *pkt, struct tcp_key *k, int *dir)
{
	size_t	n = pkt->src.family == 6 ? 16 : 4;
	int	r;

	memset(k, 0, sizeof *k);
	k->family = pkt->src.family;
	r = memcmp(pkt->src.ip, pkt->dst.ip, n);
	if (r == 0)
		r = pkt->src.port < pkt->dst.port ? -1 :
		    pkt->src.port > pkt->dst.port;
	*dir = r > 0;
	memcpy(k->ip[*dir], pkt->src.ip, n);
	memcpy(k->ip[!*dir], pkt->dst.ip, n);
	k->port[*dir] = pkt->src.port;
	k->port[!*dir] = pkt->dst.port;
}

/*
 * A new connection for key K, PKT's sender being side DIR, evicting
 * others when the table is full.  NULL when nothing could be evicted.
 */
static struct tcp_conn *
tcp_conn_new(struct decode_ctx *ctx, const struct tcp_key *k, int dir,
    const struct decode_pkt *pkt)
{
	struct decode_tcp	*t = ctx->tcp;
	struct tcp_conn		*c;

	if (tcp_make_room(ctx, sizeof *c, 1, NULL) == -1)
		return (NULL);
	c = xcalloc(1, sizeof *c);
	c->key = *k;
	c->ep[dir] = pkt->src;
	c->ep[!dir] = pkt->dst;
	c->client = 2;
	c->tls = -1;
	HASH_ADD(hh, t->table, key, sizeof c->key, c);
	TAILQ_INSERT_TAIL(&t->live, c, lru);
	t->count++;
	tcp_account(ctx, (ssize_t)sizeof *c);
	ctx->stats.tcp_streams++;
	if (t->count > ctx->stats.tcp_peak_streams)
		ctx->stats.tcp_peak_streams = t->count;
	return (c);
}

/* Move C to the cheap list once neither side can carry SIP. */
static void
tcp_conn_settle(struct decode_tcp *t, struct tcp_conn *c)
{
	int	i, done = 1;

	if (c->ignored)
		return;
	for (i = 0; i < 2; i++) {
		if (c->half[i].mode != TCP_MODE_OTHER &&
		    c->half[i].mode != TCP_MODE_TLS)
			done = 0;
	}
	if (!done)
		return;
	TAILQ_REMOVE(&t->live, c, lru);
	c->ignored = 1;
	TAILQ_INSERT_TAIL(&t->cheap, c, lru);
}

/*
 * One TCP segment of PKT's connection: sequence number SEQ (host order),
 * header flags FLAGS (TCP_SYN ...), its data under SEG (borrowed; what is
 * held is copied).  Returns DECODE_DELIVERED when a payload was delivered
 * meanwhile (this segment's bytes, or held ones it released), else the
 * event describing the segment, counted: decode.l4.other for a segment
 * without data (or one no connection could be made for),
 * decode.tcp.partial, .out_of_order, .retransmission, .not_decoded, or
 * decode.tls.encrypted.
 */
int
tcp_stream_segment(struct decode_ctx *ctx, struct decode_pkt *pkt,
    uint32_t seq, uint8_t flags, struct cursor *seg)
{
	struct decode_tcp	*t;
	struct tcp_key		 key;
	struct tcp_conn		*c;
	struct tcp_half		*h;
	uint64_t		 before = ctx->stats.payloads;
	size_t			 len = cur_left(seg);
	uint32_t		 trim;
	int			 dir, i, ev = DECODE_EV_L4_OTHER;

	if (ctx->tcp == NULL) {
		ctx->tcp = xcalloc(1, sizeof *ctx->tcp);
		TAILQ_INIT(&ctx->tcp->live);
		TAILQ_INIT(&ctx->tcp->cheap);
	}
	t = ctx->tcp;
	t->pkt = pkt;
	tcp_expire(ctx, pkt->ts_us);

	tcp_key_make(pkt, &key, &dir);
	HASH_FIND(hh, t->table, &key, sizeof key, c);
	if (c != NULL && (flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	    c->half[dir].synced && (!c->half[dir].syn ||
	    c->half[dir].next_seq != seq + 1)) {
		/* A new connection on the same ports. */
		tcp_conn_drop(ctx, c, DECODE_EV_TCP_CLOSED_PARTIAL);
		c = NULL;
	}
	if (c == NULL) {
		/* Nothing to learn from a stray ACK, FIN or RST. */
		if (len == 0 && !(flags & TCP_SYN))
			goto out;
		if ((c = tcp_conn_new(ctx, &key, dir, pkt)) == NULL)
			goto out;
	}
	t->cur = c;
	/* cppcheck-suppress nullPointerRedundantCheck ; C set above */
	c->last_us = pkt->ts_us;
	/* cppcheck-suppress nullPointerRedundantCheck ; C set above */
	TAILQ_REMOVE(tcp_list(t, c), c, lru);
	TAILQ_INSERT_TAIL(tcp_list(t, c), c, lru);

	if (c->ignored) {
		/* Decided: not SIP, or TLS.  Count and go. */
		if (len > 0) {
			if (c->tls >= 0) {
				ctx->stats.tls[c->tls].bytes += len;
				ev = DECODE_EV_TLS_ENCRYPTED;
			} else if (c->half[dir].mode == TCP_MODE_TLS)
				ev = DECODE_EV_TLS_ENCRYPTED;
			else
				ev = DECODE_EV_TCP_NOT_DECODED;
		}
		if (flags & TCP_RST)
			tcp_conn_free(ctx, c);
		else if (flags & TCP_FIN) {
			c->half[dir].closed = 1;
			if (c->half[!dir].closed)
				tcp_conn_free(ctx, c);
		}
		goto out;
	}

	h = &c->half[dir];
	if (flags & TCP_SYN) {
		if (!h->synced || !h->syn) {
			h->next_seq = seq + 1;
			h->synced = h->syn = 1;
			if (!(flags & TCP_ACK))
				c->client = (uint8_t)dir;
			else if (c->client == 2)
				c->client = (uint8_t)!dir;
		}
		seq++;			/* data in a SYN follows it */
	}
	if (!h->synced && len > 0) {
		h->next_seq = seq;
		h->synced = 1;
		h->midstream = 1;
		ctx->stats.events[DECODE_EV_TCP_MIDSTREAM]++;
	}
	if (flags & TCP_FIN && !h->fin) {
		h->fin = 1;
		h->fin_seq = seq + (uint32_t)len;
	}

	if (len > 0) {
		if (SEQ_LEQ(seq + (uint32_t)len, h->next_seq)) {
			ev = DECODE_EV_TCP_RETRANSMISSION;
			len = 0;
		} else if (SEQ_LT(seq, h->next_seq)) {
			/* Its first TRIM (< LEN) bytes were seen: cut them. */
			trim = h->next_seq - seq;
			ctx->stats.events[DECODE_EV_TCP_OVERLAP]++;
			(void)cur_skip(seg, trim);
			len = cur_left(seg);
			seq += trim;
		}
	}
	if (len > 0 && seq == h->next_seq) {
		h->next_seq += (uint32_t)len;
		if (h->mode != TCP_MODE_OTHER)
			tcp_half_feed(ctx, c, dir, seg->p, len);
		tcp_half_check_fin(h);
		tcp_half_pop(ctx, c, dir);
		if (h->mode == TCP_MODE_OTHER)
			ev = DECODE_EV_TCP_NOT_DECODED;
		else if (h->mode == TCP_MODE_TLS) {
			ev = DECODE_EV_TLS_ENCRYPTED;
			if (c->tls >= 0)	/* just recognised */
				ctx->stats.tls[c->tls].bytes += len;
		}
		else
			ev = DECODE_EV_TCP_PARTIAL;
	} else if (len > 0) {
		ev = DECODE_EV_TCP_OUT_OF_ORDER;
		ctx->stats.events[ev]++;
		tcp_half_hold(ctx, c, dir, seq, seg->p, len);
		if (h->nooo >= TCP_HALF_MAX_SEGS ||
		    h->ooo_bytes >= TCP_HALF_MAX_OOO || h->cut)
			tcp_half_drain(ctx, c, dir);
	}
	h->cut = (pkt->flags & DECODE_F_TRUNC) != 0;
	tcp_half_check_fin(h);

	/* A hole open too long (packet time) will not be filled. */
	for (i = 0; i < 2; i++) {
		if (c->half[i].ooo != NULL && c->half[i].hole_us != 0 &&
		    pkt->ts_us - c->half[i].hole_us > TCP_HOLE_US)
			tcp_half_drain(ctx, c, i);
	}

	if (flags & TCP_RST)
		tcp_conn_drop(ctx, c, DECODE_EV_TCP_CLOSED_PARTIAL);
	else if (c->half[0].closed && c->half[1].closed)
		tcp_conn_drop(ctx, c, DECODE_EV_TCP_CLOSED_PARTIAL);
	else
		tcp_conn_settle(t, c);

out:
	t->cur = NULL;
	if (ctx->stats.payloads != before)
		return (DECODE_DELIVERED);
	if (ev == DECODE_EV_TCP_OUT_OF_ORDER)
		return (ev);
	return (decode_event(ctx, (enum decode_event)ev));
}

/*
 * End of input (decode_flush()): drain every hole of the connections that
 * may carry SIP, delivering what lies behind them, without evicting.
 */
void
decode_tcp_flush(struct decode_ctx *ctx, int64_t ts_us)
{
	struct decode_tcp	*t = ctx->tcp;
	struct decode_pkt	 pkt;
	struct tcp_conn		*c, *tmp;

	if (t == NULL)
		return;
	memset(&pkt, 0, sizeof pkt);
	pkt.ts_us = ts_us;
	t->pkt = &pkt;
	t->no_evict = 1;
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, t->table, c, tmp) {
		if (!c->ignored) {
			while (c->half[0].ooo != NULL)
				tcp_half_drain(ctx, c, 0);
			while (c->half[1].ooo != NULL)
				tcp_half_drain(ctx, c, 1);
		}
	}
	t->no_evict = 0;
	t->pkt = NULL;
}

/* Free the table and every connection (held bytes go to tcp_dropped_bytes). */
void
decode_tcp_destroy(struct decode_ctx *ctx)
{
	struct tcp_conn	*c, *tmp;

	if (ctx->tcp == NULL)
		return;
	/* cppcheck-suppress uninitvar ; HASH_ITER sets TMP (tools/lint.sh) */
	HASH_ITER(hh, ctx->tcp->table, c, tmp)
		tcp_conn_free(ctx, c);
	free(ctx->tcp);
	ctx->tcp = NULL;
}
