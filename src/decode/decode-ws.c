/*
 * decode-ws.c: WebSocket framing (RFC 6455 5) for SIP over WebSocket
 * (RFC 7118).
 *
 * After the HTTP upgrade (decode-tcp-sip.c) each half is a sequence of
 * frames.  Client frames are masked (5.3) and are unmasked into an owned
 * buffer; an unmasked, unfragmented frame is handed on in place.  A
 * fragmented message (5.4) is assembled from its frames.  RFC 7118 5: one
 * SIP message per WebSocket message, so each message is one payload
 * (transport DECODE_TP_WS).  Control frames (ping, pong, close) are
 * counted and skipped; compressed messages (permessage-deflate, RFC 7692)
 * are counted, not decoded; a message above TCP_MSG_MAX is skipped.  A
 * frame that breaks the rules gives the half up.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "decode/decode-tcp.h"
#include "sip/sip.h"

#define WS_FIN		0x80
#define WS_RSV		0x70
#define WS_RSV1		0x40
#define WS_OP_CONT	0x0
#define WS_OP_TEXT	0x1
#define WS_OP_BINARY	0x2
#define WS_SNIFF	512	/* payload bytes unmasked to recognise SIP */

struct ws_frame {
	uint8_t		fin;
	uint8_t		rsv;
	uint8_t		op;
	uint8_t		masked;
	uint8_t		key[4];
	size_t		hlen;		/* header bytes */
	uint64_t	plen;		/* payload bytes */
};

/*
 * Read the frame header at the read position of S (which does not move).
 * Returns 1 with *F filled, 0 when the header is not complete, -1 when it
 * is malformed (RFC 6455 5.2: a 64-bit length with the top bit set, a
 * reserved opcode, a fragmented or longer than 125 bytes control frame).
 */
static int
ws_header(const struct cursor *s, struct ws_frame *f)
{
	struct cursor	c = *s;
	uint8_t		b0, b1;
	uint16_t	l16;
	uint32_t	hi, lo;

	if (cur_get_u8(&c, &b0) == -1 || cur_get_u8(&c, &b1) == -1)
		return (0);
	f->fin = b0 & WS_FIN;
	f->rsv = b0 & WS_RSV;
	f->op = b0 & 0x0f;
	f->masked = b1 & 0x80;
	f->plen = b1 & 0x7f;
	if (f->plen == 126) {
		if (cur_get_be16(&c, &l16) == -1)
			return (0);
		f->plen = l16;
	} else if (f->plen == 127) {
		if (cur_get_be32(&c, &hi) == -1 || cur_get_be32(&c, &lo) == -1)
			return (0);
		if (hi & 0x80000000u)
			return (-1);
		f->plen = ((uint64_t)hi << 32) | lo;
	}
	if (f->masked && cur_get_bytes(&c, f->key, 4) == -1)
		return (0);
	f->hlen = cur_left(s) - cur_left(&c);
	if ((f->op >= 3 && f->op <= 7) || f->op >= 0xb)
		return (-1);
	if (f->op >= 8 && (!f->fin || f->plen > 125))
		return (-1);
	return (1);
}

/*
 * Unmask (RFC 6455 5.3) the N payload bytes at SRC, which start OFF bytes
 * into the payload, into DST (which must hold N).
 */
static void
ws_unmask(uint8_t *dst, const uint8_t *src, size_t n, const uint8_t key[4],
    size_t off)
{
	struct cursor	s;
	size_t		i = 0;
	uint8_t		b;

	cur_init(&s, src, n);
	while (cur_get_u8(&s, &b) == 0) {
		dst[i] = b ^ key[(off + i) & 3];
		i++;
	}
}

/*
 * Does P[0..N) start with a WebSocket data frame (RFC 6455 5.2) whose
 * first WS_SNIFF payload bytes hold a SIP start line?  1 yes, 0 no, -1
 * cannot tell yet.
 */
int
tcp_ws_sniff(const uint8_t *p, size_t n)
{
	struct cursor	s;
	struct ws_frame	f;
	const uint8_t	*pl;
	uint8_t		buf[WS_SNIFF];
	size_t		m;
	int		b0, r;
	enum sip_detect	k;

	if (n == 0)
		return (-1);
	cur_init(&s, p, n);
	b0 = cur_peek(&s, 0);
	if ((b0 & 0x8f) != (WS_FIN | WS_OP_TEXT) &&
	    (b0 & 0x8f) != (WS_FIN | WS_OP_BINARY) &&
	    (b0 & 0x8f) != WS_OP_TEXT && (b0 & 0x8f) != WS_OP_BINARY)
		return (0);
	if ((b0 & WS_RSV) != 0)
		return (0);
	if ((r = ws_header(&s, &f)) != 1)
		return (r == 0 && n < 16 ? -1 : 0);
	if (f.plen < 12)
		return (0);
	m = f.plen < WS_SNIFF ? (size_t)f.plen : WS_SNIFF;
	if (cur_peek_span(&s, f.hlen, m, &pl) == -1)
		return (n < TCP_CLASSIFY_MAX ? -1 : 0);
	if (f.masked)
		ws_unmask(buf, pl, m, f.key, 0);
	else
		memcpy(buf, pl, m);
	if (memchr(buf, '\n', m) == NULL)
		return (0);
	k = sip_detect(buf, m, NULL);
	return (k == SIP_DETECT_REQUEST || k == SIP_DETECT_RESPONSE);
}

/* Free half H's WebSocket state (its bytes leave the table's total). */
void
tcp_ws_free(struct decode_ctx *ctx, struct tcp_half *h)
{
	if (h->ws == NULL)
		return;
	tcp_account(ctx, -(ssize_t)(h->ws->cap + sizeof *h->ws));
	free(h->ws->msg);
	free(h->ws);
	h->ws = NULL;
}

/* Room for LEN more bytes in the message buffer.  0, or -1 over the cap. */
static int
ws_reserve(struct decode_ctx *ctx, struct tcp_ws *ws, size_t len)
{
	size_t	want = ws->len + len, ncap;

	if (want <= ws->cap)
		return (0);
	if (want > TCP_MSG_MAX)
		return (-1);
	ncap = ws->cap < 2048 ? 2048 : ws->cap;
	while (ncap < want)
		ncap *= 2;
	if (ncap > TCP_MSG_MAX)
		ncap = TCP_MSG_MAX;
	if (ctx->tcp->bytes + (ncap - ws->cap) > TCP_MAX_BYTES)
		return (-1);
	ws->msg = xrealloc(ws->msg, ncap);
	tcp_account(ctx, (ssize_t)(ncap - ws->cap));
	ws->cap = ncap;
	return (0);
}

/*
 * The half gives up (decode.ws.bad_frame): what follows is not framed as
 * expected.  Returns N, all of the bytes at hand consumed.
 */
static size_t
ws_give_up(struct decode_ctx *ctx, struct tcp_half *h, size_t n)
{
	ctx->stats.events[DECODE_EV_WS_BAD_FRAME]++;
	h->mode = TCP_MODE_OTHER;
	tcp_ws_free(ctx, h);
	return (n);
}

/*
 * Cut WebSocket messages out of P[0..N), bytes from FRESH on being the
 * newest segment's.  Returns the bytes consumed; the rest is an
 * unfinished frame.
 */
size_t
tcp_ws_consume(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t n, size_t fresh)
{
	struct tcp_half	*h = &c->half[dir];
	struct tcp_ws	*ws;
	struct ws_frame	 f;
	struct cursor	 s;
	const uint8_t	*pl;
	size_t		 pos, plen;
	uint8_t		 flags;
	int		 r;

	if (h->ws == NULL) {
		h->ws = xcalloc(1, sizeof *h->ws);
		tcp_account(ctx, (ssize_t)sizeof *h->ws);
	}
	ws = h->ws;
	cur_init(&s, p, n);
	while (cur_left(&s) > 0) {
		if (h->resync) {
			/*
			 * After a gap: find a frame that holds SIP (the sniff
			 * says -1, cannot tell, when no byte is left).
			 */
			while ((r = tcp_ws_sniff(s.p, cur_left(&s))) == 0)
				(void)cur_skip(&s, 1);
			if (r == -1)
				return (n - cur_left(&s));
			h->resync = 0;
			ws->active = ws->skip = 0;
			ws->len = 0;
		}
		pos = n - cur_left(&s);
		if ((r = ws_header(&s, &f)) == 0)
			return (pos);
		if (r == -1)
			return (ws_give_up(ctx, h, n));
		if (f.op >= 8) {
			/* Control frame, at most 125 bytes (5.5). */
			if (cur_skip(&s, f.hlen + (size_t)f.plen) == -1)
				return (pos);
			ctx->stats.events[DECODE_EV_WS_CONTROL]++;
			continue;
		}
		if (f.op != WS_OP_CONT && (ws->active || ws->skip)) {
			/* A new message inside a fragmented one (5.4). */
			ctx->stats.events[DECODE_EV_WS_BAD_FRAME]++;
			ws->active = ws->skip = 0;
			ws->len = 0;
		}
		if (f.op == WS_OP_CONT && !ws->active && !ws->skip) {
			/* Continuation of a message not seen: skip it. */
			ctx->stats.events[DECODE_EV_WS_BAD_FRAME]++;
			ws->skip = !f.fin;
			h->skip = f.plen;
			return (pos + f.hlen);
		}
		if (f.op != WS_OP_CONT && (f.rsv & WS_RSV1)) {
			ctx->stats.events[DECODE_EV_WS_COMPRESSED]++;
			ws->skip = !f.fin;
			h->skip = f.plen;
			return (pos + f.hlen);
		}
		if (ws->skip || f.plen > TCP_MSG_MAX ||
		    ws->len + f.plen > TCP_MSG_MAX) {
			if (!ws->skip)
				ctx->stats.events[DECODE_EV_WS_TOO_LARGE]++;
			ws->skip = !f.fin;
			ws->active = 0;
			ws->len = 0;
			h->skip = f.plen;
			return (pos + f.hlen);
		}
		plen = (size_t)f.plen;
		if (cur_peek_span(&s, f.hlen, plen, &pl) == -1)
			return (pos);	/* wait for the whole frame */
		(void)cur_skip(&s, f.hlen + plen);
		flags = pos < fresh ? DECODE_F_TCPREASM : 0;
		if (f.fin && f.op != WS_OP_CONT && !f.masked) {
			tcp_deliver(ctx, c, dir, pl, plen, DECODE_TP_WS, flags);
		} else {
			if (ws_reserve(ctx, ws, plen) == -1) {
				ctx->stats.events[DECODE_EV_WS_TOO_LARGE]++;
				ws->skip = !f.fin;
				ws->active = 0;
				ws->len = 0;
				continue;
			}
			/* An empty frame adds nothing (and may find no buffer). */
			if (plen > 0 && f.masked)
				ws_unmask(ws->msg + ws->len, pl, plen, f.key, 0);
			else if (plen > 0)
				memcpy(ws->msg + ws->len, pl, plen);
			ws->len += plen;
			if (f.op != WS_OP_CONT)
				ws->multi = 0;
			ws->multi |= flags != 0 || f.op == WS_OP_CONT;
			ws->active = !f.fin;
			if (f.fin && ws->len > 0)
				tcp_deliver(ctx, c, dir, ws->msg, ws->len,
				    DECODE_TP_WS, ws->multi ?
				    DECODE_F_TCPREASM : 0);
			if (f.fin)
				ws->len = 0;
		}
	}
	return (n);
}
