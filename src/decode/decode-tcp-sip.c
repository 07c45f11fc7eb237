/*
 * decode-tcp-sip.c: what a TCP half-stream carries, and SIP message
 * framing over it (RFC 3261 18.3).
 *
 * A half is classified once, on its first bytes: a SIP start line (any
 * port), an HTTP upgrade to WebSocket with the "sip" subprotocol (RFC
 * 7118) or its 101 answer, a WebSocket frame holding SIP (a stream joined
 * after its handshake), a TLS record header (encrypted: counted per
 * server, never looked at again), or something else (ignored).  A half
 * joined mid-stream (no SYN seen) is scanned for a SIP start line at the
 * beginning of a line, up to TCP_MIDSTREAM_SCAN bytes.
 *
 * Framing: a message is its header block, up to the empty line, plus
 * Content-Length bytes of body (the compact form "l" too).  Without
 * Content-Length the message is malformed over a stream: it is counted,
 * and its body taken to run to the next start line in the bytes at hand.
 * CR/LF runs between messages are keep-alives (RFC 5626 4.4.1: CRLFCRLF
 * ping, CRLF pong) and are handed on as such.  Bytes that are not a start
 * line where one is expected are skipped to the next start line.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "decode/decode-tcp.h"
#include "sip/sip.h"

#define TCP_LINE_MAX	8192	/* longest start line waited for */

/*
 * Every byte of a half-stream is read through a cursor over the bytes at
 * hand (the segment, or the half's buffer); offsets below count from the
 * cursor's read position.
 */

/* Offset of the first byte of S in [FROM, TO) that is not SP or HTAB, or TO. */
static size_t
tcp_skip_wsp(const struct cursor *s, size_t from, size_t to)
{
	int	b;

	while (from < to && ((b = cur_peek(s, from)) == ' ' || b == '\t'))
		from++;
	return (from);
}

/* True when S starts with the LEN bytes of LIT at offset OFF. */
static int
tcp_has_at(const struct cursor *s, size_t off, const char *lit, size_t len)
{
	const uint8_t	*q;

	return (cur_peek_span(s, off, len, &q) == 0 &&
	    memcmp(q, lit, len) == 0);
}

/* True when the bytes under S contain NEEDLE (lower case), in any case. */
static int
tcp_has_nocase(const struct cursor *s, const char *needle)
{
	size_t	m = strlen(needle), n = cur_left(s), i, j;
	int	ch;

	if (m == 0 || n < m)
		return (0);
	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++) {
			ch = cur_peek(s, i + j);
			if (ch >= 'A' && ch <= 'Z')
				ch = ch - 'A' + 'a';
			if (ch != (uint8_t)needle[j])
				break;
		}
		if (j == m)
			return (1);
	}
	return (0);
}

/*
 * End of the header block under S: the offset just past the empty line
 * (CRLFCRLF, or bare LFLF), searching from FROM.  0 when not there yet.
 */
static size_t
tcp_hdr_end(const struct cursor *s, size_t from)
{
	size_t	i = from, at;

	while (cur_find(s, i, '\n', &at) == 0) {
		i = at + 1;
		if (cur_peek(s, i) == '\n')
			return (i + 1);
		if (cur_peek(s, i) == '\r' && cur_peek(s, i + 1) == '\n')
			return (i + 2);
	}
	return (0);
}

/*
 * The value of header NAME (lower case) within the header block under HB,
 * as the cursor *VAL over it, without the whitespace around it (first
 * occurrence; the start line is skipped; folded lines are not joined).
 * Returns 0, or -1 when absent.  COMPACT, if not NULL, is an alternative
 * name (RFC 3261 7.3.3).
 */
static int
tcp_hdr_value(const struct cursor *hb, const char *name,
    const char *compact, struct cursor *val)
{
	const char	*names[2] = { name, compact };
	const uint8_t	*q;
	size_t		 n = cur_left(hb), i = 0, at, eol, k, e, nl;
	int		 w, b;

	while (i < n) {
		if (cur_find(hb, i, '\n', &at) == -1)
			return (-1);
		i = at + 1;		/* the line [I, EOL) */
		if (cur_find(hb, i, '\n', &eol) == -1)
			return (-1);
		for (w = 0; w < 2; w++) {
			if (names[w] == NULL)
				continue;
			nl = strlen(names[w]);
			if (eol - i <= nl ||
			    cur_peek_span(hb, i, nl, &q) == -1 ||
			    strncasecmp((const char *)q, names[w], nl) != 0)
				continue;
			k = tcp_skip_wsp(hb, i + nl, eol);
			if (k >= eol || cur_peek(hb, k) != ':')
				continue;
			k = tcp_skip_wsp(hb, k + 1, eol);
			for (e = eol; e > k && ((b = cur_peek(hb, e - 1)) ==
			    '\r' || b == ' ' || b == '\t'); e--)
				;
			*val = *hb;
			(void)cur_skip(val, k);
			(void)cur_limit(val, e - k);
			return (0);
		}
	}
	return (-1);
}

/*
 * Content-Length (RFC 3261 20.14, compact "l") of the header block under
 * HB.  Returns the value (at most 9 digits), or -1 when absent or not a
 * number.
 */
static long
tcp_content_length(const struct cursor *hb)
{
	struct cursor	v;
	long		cl = 0;
	uint8_t		d;

	if (tcp_hdr_value(hb, "content-length", "l", &v) == -1 ||
	    cur_left(&v) == 0 || cur_left(&v) > 9)
		return (-1);
	while (cur_get_u8(&v, &d) == 0) {
		if (d < '0' || d > '9')
			return (-1);
		cl = cl * 10 + (d - '0');
	}
	return (cl);
}

/*
 * A whole SIP start line (RFC 3261 7.1, 7.2) at the read position of S?
 * 1 yes, 0 no, -1 line not complete (and shorter than TCP_LINE_MAX).
 */
static int
tcp_is_start(const struct cursor *s)
{
	struct cursor	line = *s;
	size_t		n = cur_left(s), at;
	enum sip_detect	k;

	if (n == 0)
		return (-1);
	(void)cur_limit(&line, n < TCP_LINE_MAX ? n : TCP_LINE_MAX);
	if (cur_find(&line, 0, '\n', &at) == -1)
		return (n < TCP_LINE_MAX ? -1 : 0);
	k = sip_detect(s->p, n, NULL);
	return (k == SIP_DETECT_REQUEST || k == SIP_DETECT_RESPONSE);
}

/*
 * Offset of the first line under S, starting at FROM and at a line start,
 * that is a SIP start line; *PARTIAL gets the offset of a last line not
 * complete yet (cur_left(S) if none).  Returns cur_left(S) when none is
 * found.
 */
static size_t
tcp_find_start(const struct cursor *s, size_t from, size_t *partial)
{
	struct cursor	at;
	size_t		n = cur_left(s), i = from, eol;
	int		b, r;

	*partial = n;
	while (i < n) {
		if ((b = cur_peek(s, i)) != '\r' && b != '\n') {
			at = *s;
			(void)cur_skip(&at, i);
			if ((r = tcp_is_start(&at)) == 1)
				return (i);
			if (r == -1) {
				*partial = i;
				return (n);
			}
		}
		if (cur_find(s, i, '\n', &eol) == -1) {
			*partial = i;
			return (n);
		}
		i = eol + 1;
	}
	return (n);
}

/* Advance S by N bytes, or to its end when fewer remain. */
static void
tcp_advance(struct cursor *s, size_t n)
{
	if (cur_skip(s, n) == -1)
		(void)cur_skip(s, cur_left(s));
}

/*
 * True when half H's buffer starts with a TLS handshake record (type 22)
 * whose first message is a ServerHello (type 2; RFC 8446 5.1, 4).
 */
static int
tcp_is_server_hello(const struct tcp_half *h)
{
	struct cursor	rec;

	if (h->buf == NULL)
		return (0);
	cur_init(&rec, h->buf, h->len);
	return (cur_peek(&rec, 0) == 0x16 && cur_peek(&rec, 5) == 2);
}

/*
 * Count connection C as TLS under its server endpoint (the side that got
 * the SYN, else the one that sent a ServerHello, else the lower port),
 * once; both halves are marked TLS.  DIR is the half that showed TLS.
 */
void
tcp_tls_note(struct decode_ctx *ctx, struct tcp_conn *c, int dir)
{
	struct decode_stats	*st = &ctx->stats;
	const struct tcp_half	*h = &c->half[dir];
	const struct sw_addr	*srv;
	unsigned		 i;

	c->half[0].mode = c->half[1].mode = TCP_MODE_TLS;
	if (c->counted)
		return;
	c->counted = 1;
	st->tls_streams++;
	if (c->client < 2)
		srv = &c->ep[!c->client];
	else if (tcp_is_server_hello(h))
		srv = &c->ep[dir];
	else if (c->ep[dir].port < c->ep[!dir].port)
		srv = &c->ep[dir];
	else
		srv = &c->ep[!dir];
	for (i = 0; i < st->ntls; i++) {
		if (sw_addr_cmp(&st->tls[i].server, srv) == 0)
			break;
	}
	if (i == st->ntls) {
		if (st->ntls >= DECODE_TLS_KEEP) {
			st->tls_unlisted++;
			return;
		}
		st->tls[st->ntls++].server = *srv;
	}
	st->tls[i].connections++;
	c->tls = (int)i;
}

/* Count the connection as SIP (or SIP over WebSocket) once. */
static void
tcp_count_sip(struct decode_ctx *ctx, struct tcp_conn *c, int ws)
{
	if (c->counted)
		return;
	c->counted = 1;
	if (ws)
		ctx->stats.ws_streams++;
	else
		ctx->stats.tcp_sip_streams++;
}

/*
 * Decide what half DIR carries from its first bytes P[0..N).  Returns 1
 * when decided (mode set), 0 when more bytes are needed.
 */
static int
tcp_classify(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t n)
{
	struct tcp_half	*h = &c->half[dir];
	struct cursor	 s, hb, v;
	size_t		 k, hend;
	int		 b, r;

	cur_init(&s, p, n);
	for (k = 0; (b = cur_peek(&s, k)) == '\r' || b == '\n'; k++)
		;
	if (k == n) {
		/* Keep-alives only: SIP if the other side speaks SIP. */
		if (c->half[!dir].mode == TCP_MODE_SIP) {
			h->mode = TCP_MODE_SIP;
			return (1);
		}
		goto more;
	}
	(void)cur_skip(&s, k);
	n = cur_left(&s);

	/* TLS record: type 20..23, version 3.x (RFC 8446 5.1). */
	if ((b = cur_peek(&s, 0)) >= 0x14 && b <= 0x17) {
		if (n < 3)
			goto more;
		if (cur_peek(&s, 1) == 3 && cur_peek(&s, 2) <= 4) {
			tcp_tls_note(ctx, c, dir);
			return (1);
		}
	}
	/* WebSocket frame holding SIP: joined after the handshake. */
	if ((r = tcp_ws_sniff(s.p, n)) == 1) {
		h->mode = TCP_MODE_WS;
		tcp_count_sip(ctx, c, 1);
		return (1);
	}
	if (r == -1)
		goto more;

	if ((r = tcp_is_start(&s)) == 1) {
		h->mode = TCP_MODE_SIP;
		h->seen_sip = 1;
		tcp_count_sip(ctx, c, 0);
		return (1);
	}
	if (r == -1) {
		/* Text so far: wait for the end of the line. */
		for (k = 0; k < n; k++) {
			b = cur_peek(&s, k);
			if (b < 0x20 && b != '\r' && b != '\t')
				break;
			if (b > 0x7e)
				break;
		}
		if (k == n)
			goto more;
	}

	/* HTTP upgrade to WebSocket, subprotocol sip (RFC 7118 4). */
	if (tcp_has_at(&s, 0, "GET ", 4) || tcp_has_at(&s, 0, "HTTP/1.1 ", 9)) {
		if ((hend = tcp_hdr_end(&s, 0)) == 0)
			goto more;
		hb = s;
		(void)cur_limit(&hb, hend);
		if (tcp_hdr_value(&hb, "sec-websocket-protocol", NULL,
		    &v) == 0 && tcp_has_nocase(&v, "sip") &&
		    tcp_hdr_value(&hb, "upgrade", NULL, &v) == 0 &&
		    tcp_has_nocase(&v, "websocket")) {
			if (cur_peek(&s, 0) == 'G')
				h->http_req = 1;
			h->mode = TCP_MODE_WS_HTTP;
			tcp_count_sip(ctx, c, 1);
			return (1);
		}
		if (cur_peek(&s, 0) == 'H' && tcp_has_at(&s, 9, "101", 3) &&
		    c->half[!dir].http_req) {
			h->mode = TCP_MODE_WS_HTTP;
			return (1);
		}
	}

	if (h->midstream) {
		/* Joined mid-stream: look for a start line further on. */
		h->mode = TCP_MODE_SIP;
		h->resync = 1;
		return (1);
	}
	h->mode = TCP_MODE_OTHER;
	return (1);

more:
	/*
	 * Held too long without a decision.  N counts the bytes after the
	 * first K of CR/LF, or all of them when there is nothing else: a
	 * run of CR/LF alone is decided at half of TCP_CLASSIFY_MAX.
	 */
	if (n + k >= TCP_CLASSIFY_MAX) {
		h->mode = h->midstream ? TCP_MODE_SIP : TCP_MODE_OTHER;
		h->resync = h->midstream;
		return (1);
	}
	return (0);
}

/*
 * Resynchronise: skip to the next SIP start line in P[0..N).  Returns the
 * bytes skipped.  A half that never showed SIP gives up after
 * TCP_MIDSTREAM_SCAN bytes.
 */
static size_t
tcp_sip_resync(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t n)
{
	struct tcp_half	*h = &c->half[dir];
	struct cursor	 s;
	size_t		 at, partial, used;

	cur_init(&s, p, n);
	at = tcp_find_start(&s, 0, &partial);
	if (at < n) {
		h->resync = 0;
		if (!h->seen_sip) {
			h->seen_sip = 1;
			tcp_count_sip(ctx, c, 0);
		}
		used = at;
	} else {
		used = partial;
		if (n - partial >= TCP_LINE_MAX)
			used = n;
	}
	h->scanned += (uint32_t)(used > TCP_MIDSTREAM_SCAN ?
	    TCP_MIDSTREAM_SCAN : used);
	if (h->resync && !h->seen_sip && h->scanned >= TCP_MIDSTREAM_SCAN) {
		h->mode = TCP_MODE_OTHER;
		return (n);
	}
	return (used);
}

/*
 * Cut SIP messages out of P[0..N), bytes from FRESH on being the newest
 * segment's, and deliver them (and the keep-alives between them).
 * Returns the bytes consumed; the rest is an unfinished message (or line)
 * to be completed by later bytes.
 */
static size_t
tcp_sip_consume(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t n, size_t fresh)
{
	struct tcp_half	*h = &c->half[dir];
	struct cursor	 s, hb, body;
	const uint8_t	*msg;
	size_t		 pos, k, m, hend, total, partial, used;
	long		 cl;
	uint8_t		 flags;
	int		 b, r;

	cur_init(&s, p, n);
	while ((m = cur_left(&s)) > 0 && h->mode == TCP_MODE_SIP) {
		pos = n - m;
		if (h->skip > 0) {
			k = h->skip < m ? (size_t)h->skip : m;
			h->skip -= k;
			(void)cur_skip(&s, k);
			continue;
		}
		if ((b = cur_peek(&s, 0)) == '\r' || b == '\n') {
			/* Keep-alive between messages (RFC 5626 4.4.1). */
			for (k = 1; (b = cur_peek(&s, k)) == '\r' || b == '\n';
			    k++)
				;
			if (cur_get_span(&s, k, &msg) == -1)
				break;
			tcp_deliver(ctx, c, dir, msg, k, DECODE_TP_TCP, 0);
			continue;
		}
		if (h->resync) {
			used = tcp_sip_resync(ctx, c, dir, s.p, m);
			tcp_advance(&s, used);
			if (h->resync)
				break;
			continue;
		}
		if ((r = tcp_is_start(&s)) == -1)
			break;
		if (r == 0) {
			ctx->stats.events[DECODE_EV_TCP_SIP_RESYNC]++;
			h->resync = 1;
			continue;
		}
		if ((hend = tcp_hdr_end(&s, h->hdr_scan)) == 0) {
			if (m >= TCP_HDR_MAX) {
				ctx->stats.events[DECODE_EV_TCP_SIP_TOO_LARGE]++;
				h->resync = 1;
				h->hdr_scan = 0;
				(void)cur_skip(&s, 1);
				continue;
			}
			h->hdr_scan = m > 3 ? m - 3 : 0;
			break;
		}
		h->hdr_scan = 0;
		flags = pos < fresh ? DECODE_F_TCPREASM : 0;
		hb = s;
		(void)cur_limit(&hb, hend);
		if ((cl = tcp_content_length(&hb)) < 0) {
			/* RFC 3261 18.3: mandatory over a stream. */
			ctx->stats.events[DECODE_EV_TCP_SIP_NO_CLEN]++;
			body = s;
			(void)cur_skip(&body, hend);
			total = hend + tcp_find_start(&body, 0, &partial);
			if (cur_get_span(&s, total, &msg) == -1)
				break;
			tcp_deliver(ctx, c, dir, msg, total, DECODE_TP_TCP,
			    flags);
			continue;
		}
		total = hend + (size_t)cl;
		if (total > TCP_MSG_MAX) {
			if (m < TCP_MSG_MAX) {
				h->hdr_scan = hend > 4 ? hend - 4 : 0;
				break;
			}
			if (cur_get_span(&s, TCP_MSG_MAX, &msg) == -1)
				break;
			ctx->stats.events[DECODE_EV_TCP_SIP_TOO_LARGE]++;
			tcp_deliver(ctx, c, dir, msg, TCP_MSG_MAX,
			    DECODE_TP_TCP, flags | DECODE_F_TRUNC);
			h->skip = total - TCP_MSG_MAX;
			continue;
		}
		if (cur_get_span(&s, total, &msg) == -1) {
			/* The body is not all here yet. */
			h->hdr_scan = hend > 4 ? hend - 4 : 0;
			break;
		}
		if (pos + total > fresh && pos < fresh)
			flags = DECODE_F_TCPREASM;
		tcp_deliver(ctx, c, dir, msg, total, DECODE_TP_TCP, flags);
	}
	if (h->mode == TCP_MODE_OTHER)
		return (n);
	return (n - cur_left(&s));
}

/*
 * Skip the HTTP header of a WebSocket upgrade (request or 101 answer,
 * RFC 6455 4) in P[0..N); the frames follow.  Returns bytes consumed (0:
 * header not complete).  A header not complete within TCP_CLASSIFY_MAX
 * bytes gives the half up.
 */
static size_t
tcp_ws_http(struct tcp_half *h, const uint8_t *p, size_t n)
{
	struct cursor	s;
	size_t		k, hend;
	int		b;

	cur_init(&s, p, n);
	for (k = 0; (b = cur_peek(&s, k)) == '\r' || b == '\n'; k++)
		;
	(void)cur_skip(&s, k);
	if ((hend = tcp_hdr_end(&s, 0)) == 0) {
		if (n >= TCP_CLASSIFY_MAX) {
			h->mode = TCP_MODE_OTHER;
			return (n);
		}
		return (0);
	}
	h->mode = TCP_MODE_WS;
	return (k + hend);
}

/*
 * The in-order bytes P[0..N) of half DIR of C, bytes from FRESH on being
 * the newest segment's: classify the half if not done, then frame what it
 * carries (SIP, WebSocket) and deliver the messages.  Returns the bytes
 * consumed; the caller keeps the rest for later bytes to complete.
 */
size_t
tcp_app_consume(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t n, size_t fresh)
{
	struct tcp_half	*h = &c->half[dir];
	struct cursor	 s;
	size_t		 pos, used, k;

	cur_init(&s, p, n);
	while (cur_left(&s) > 0) {
		pos = n - cur_left(&s);
		if (h->skip > 0 && h->mode != TCP_MODE_SIP) {
			k = h->skip < cur_left(&s) ? (size_t)h->skip :
			    cur_left(&s);
			h->skip -= k;
			(void)cur_skip(&s, k);
			continue;
		}
		switch (h->mode) {
		case TCP_MODE_UNKNOWN:
			if (!tcp_classify(ctx, c, dir, s.p, cur_left(&s)))
				return (pos);
			continue;
		case TCP_MODE_SIP:
			used = tcp_sip_consume(ctx, c, dir, s.p, cur_left(&s),
			    fresh > pos ? fresh - pos : 0);
			tcp_advance(&s, used);
			if (h->mode == TCP_MODE_SIP)
				return (n - cur_left(&s));
			continue;
		case TCP_MODE_WS_HTTP:
			if ((used = tcp_ws_http(h, s.p, cur_left(&s))) == 0)
				return (pos);
			tcp_advance(&s, used);
			continue;
		case TCP_MODE_WS:
			used = tcp_ws_consume(ctx, c, dir, s.p, cur_left(&s),
			    fresh > pos ? fresh - pos : 0);
			tcp_advance(&s, used);
			if (h->mode == TCP_MODE_WS && h->skip == 0)
				return (n - cur_left(&s));
			continue;
		default:
			return (n);
		}
	}
	return (n - cur_left(&s));
}
