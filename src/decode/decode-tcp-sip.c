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

/* Case-insensitive search for NEEDLE (lower case) in P[0..N). */
static const uint8_t *
tcp_memcasemem(const uint8_t *p, size_t n, const char *needle)
{
	size_t	m = strlen(needle), i, j;

	if (m == 0 || n < m)
		return (NULL);
	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++) {
			uint8_t ch = p[i + j];

			if (ch >= 'A' && ch <= 'Z')
				ch = (uint8_t)(ch - 'A' + 'a');
			if (ch != (uint8_t)needle[j])
				break;
		}
		if (j == m)
			return (p + i);
	}
	return (NULL);
}

/*
 * End of the header block in P[0..N): the offset just past the empty line
 * (CRLFCRLF, or bare LFLF), searching from FROM.  0 when not there yet.
 */
static size_t
tcp_hdr_end(const uint8_t *p, size_t n, size_t from)
{
	const uint8_t	*q;
	size_t		 i = from;

	while (i < n && (q = memchr(p + i, '\n', n - i)) != NULL) {
		i = (size_t)(q - p) + 1;
		if (i < n && p[i] == '\n')
			return (i + 1);
		if (i + 1 < n && p[i] == '\r' && p[i + 1] == '\n')
			return (i + 2);
	}
	return (0);
}

/*
 * The value of header NAME (lower case) within header block P[0..N) in
 * *V, *VLEN (first occurrence; the start line is skipped).  Returns 0 or
 * -1 when absent.  COMPACT, if not NULL, is an alternative name.
 */
static int
tcp_hdr_value(const uint8_t *p, size_t n, const char *name,
    const char *compact, const uint8_t **v, size_t *vlen)
{
	const uint8_t	*line, *eol, *q;
	size_t		 i = 0, llen, k, nl;
	const char	*names[2] = { name, compact };
	int		 w;

	while (i < n) {
		if ((eol = memchr(p + i, '\n', n - i)) == NULL)
			return (-1);
		i = (size_t)(eol - p) + 1;
		line = p + i;
		if ((eol = memchr(line, '\n', n - i)) == NULL)
			return (-1);
		llen = (size_t)(eol - line);
		for (w = 0; w < 2; w++) {
			if (names[w] == NULL)
				continue;
			nl = strlen(names[w]);
			if (llen <= nl || strncasecmp((const char *)line,
			    names[w], nl) != 0)
				continue;
			for (k = nl; k < llen && (line[k] == ' ' ||
			    line[k] == '\t'); k++)
				;
			if (k >= llen || line[k] != ':')
				continue;
			for (k++; k < llen && (line[k] == ' ' ||
			    line[k] == '\t'); k++)
				;
			q = line + llen;
			while (q > line + k && (q[-1] == '\r' || q[-1] == ' ' ||
			    q[-1] == '\t'))
				q--;
			*v = line + k;
			*vlen = (size_t)(q - (line + k));
			return (0);
		}
	}
	return (-1);
}

/*
 * Content-Length (RFC 3261 20.14, compact "l") of header block P[0..N).
 * Returns the value, or -1 when absent or not a number.
 */
static long
tcp_content_length(const uint8_t *p, size_t n)
{
	const uint8_t	*v;
	size_t		 vlen, i;
	long		 cl = 0;

	if (tcp_hdr_value(p, n, "content-length", "l", &v, &vlen) == -1 ||
	    vlen == 0 || vlen > 9)
		return (-1);
	for (i = 0; i < vlen; i++) {
		if (v[i] < '0' || v[i] > '9')
			return (-1);
		cl = cl * 10 + (v[i] - '0');
	}
	return (cl);
}

/* A whole SIP start line at P[0..N)?  1 yes, 0 no, -1 line not complete. */
static int
tcp_is_start(const uint8_t *p, size_t n)
{
	enum sip_detect	k;

	if (n == 0)
		return (-1);
	if (memchr(p, '\n', n < TCP_LINE_MAX ? n : TCP_LINE_MAX) == NULL)
		return (n < TCP_LINE_MAX ? -1 : 0);
	k = sip_detect(p, n, NULL);
	return (k == SIP_DETECT_REQUEST || k == SIP_DETECT_RESPONSE);
}

/*
 * Offset of the first line of P[0..N), starting at FROM and at a line
 * start, that is a SIP start line; *PARTIAL gets the offset of a last
 * line not complete yet (N if none).  Returns N when none is found.
 */
static size_t
tcp_find_start(const uint8_t *p, size_t n, size_t from, size_t *partial)
{
	const uint8_t	*eol;
	size_t		 i = from;
	int		 r;

	*partial = n;
	while (i < n) {
		if (p[i] != '\r' && p[i] != '\n') {
			if ((r = tcp_is_start(p + i, n - i)) == 1)
				return (i);
			if (r == -1) {
				*partial = i;
				return (n);
			}
		}
		if ((eol = memchr(p + i, '\n', n - i)) == NULL) {
			*partial = i;
			return (n);
		}
		i = (size_t)(eol - p) + 1;
	}
	return (n);
}

/* Count a TLS connection under its server endpoint. */
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
	else if (h->buf != NULL && h->len > 5 && h->buf[0] == 0x16 &&
	    h->buf[5] == 2)
		srv = &c->ep[dir];		/* it sent ServerHello */
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
	const uint8_t	*v;
	size_t		 k, hend, vlen;
	int		 r;

	for (k = 0; k < n && (p[k] == '\r' || p[k] == '\n'); k++)
		;
	if (k == n) {
		/* Keep-alives only: SIP if the other side speaks SIP. */
		if (c->half[!dir].mode == TCP_MODE_SIP) {
			h->mode = TCP_MODE_SIP;
			return (1);
		}
		goto more;
	}
	p += k;
	n -= k;

	/* TLS record: type 20..23, version 3.x (RFC 8446 5.1). */
	if (p[0] >= 0x14 && p[0] <= 0x17) {
		if (n < 3)
			goto more;
		if (p[1] == 3 && p[2] <= 4) {
			tcp_tls_note(ctx, c, dir);
			return (1);
		}
	}
	/* WebSocket frame holding SIP: joined after the handshake. */
	if ((r = tcp_ws_sniff(p, n)) == 1) {
		h->mode = TCP_MODE_WS;
		tcp_count_sip(ctx, c, 1);
		return (1);
	}
	if (r == -1)
		goto more;

	if ((r = tcp_is_start(p, n)) == 1) {
		h->mode = TCP_MODE_SIP;
		h->seen_sip = 1;
		tcp_count_sip(ctx, c, 0);
		return (1);
	}
	if (r == -1) {
		/* Text so far: wait for the end of the line. */
		for (k = 0; k < n; k++) {
			if (p[k] < 0x20 && p[k] != '\r' && p[k] != '\t')
				break;
			if (p[k] > 0x7e)
				break;
		}
		if (k == n)
			goto more;
	}

	/* HTTP upgrade to WebSocket, subprotocol sip (RFC 7118 4). */
	if ((n >= 4 && memcmp(p, "GET ", 4) == 0) ||
	    (n >= 9 && memcmp(p, "HTTP/1.1 ", 9) == 0)) {
		if ((hend = tcp_hdr_end(p, n, 0)) == 0)
			goto more;
		if (tcp_hdr_value(p, hend, "sec-websocket-protocol", NULL,
		    &v, &vlen) == 0 && tcp_memcasemem(v, vlen, "sip") != NULL &&
		    tcp_hdr_value(p, hend, "upgrade", NULL, &v, &vlen) == 0 &&
		    tcp_memcasemem(v, vlen, "websocket") != NULL) {
			if (p[0] == 'G')
				h->http_req = 1;
			h->mode = TCP_MODE_WS_HTTP;
			tcp_count_sip(ctx, c, 1);
			return (1);
		}
		if (p[0] == 'H' && n >= 12 && memcmp(p + 9, "101", 3) == 0 &&
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
	size_t		 at, partial, used;

	at = tcp_find_start(p, n, 0, &partial);
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
 * segment's.  Returns the bytes consumed; the rest is an unfinished
 * message (or line) to be completed by later bytes.
 */
static size_t
tcp_sip_consume(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t n, size_t fresh)
{
	struct tcp_half	*h = &c->half[dir];
	size_t		 pos = 0, k, m, hend, total, partial, used;
	long		 cl;
	uint8_t		 flags;
	int		 r;

	while (pos < n && h->mode == TCP_MODE_SIP) {
		m = n - pos;
		if (h->skip > 0) {
			k = h->skip < m ? (size_t)h->skip : m;
			h->skip -= k;
			pos += k;
			continue;
		}
		if (p[pos] == '\r' || p[pos] == '\n') {
			/* Keep-alive between messages (RFC 5626 4.4.1). */
			for (k = pos; k < n && (p[k] == '\r' || p[k] == '\n');
			    k++)
				;
			tcp_deliver(ctx, c, dir, p + pos, k - pos,
			    DECODE_TP_TCP, 0);
			pos = k;
			continue;
		}
		if (h->resync) {
			used = tcp_sip_resync(ctx, c, dir, p + pos, m);
			pos += used;
			if (h->resync)
				break;
			continue;
		}
		if ((r = tcp_is_start(p + pos, m)) == -1)
			break;
		if (r == 0) {
			ctx->stats.events[DECODE_EV_TCP_SIP_RESYNC]++;
			h->resync = 1;
			continue;
		}
		if ((hend = tcp_hdr_end(p + pos, m, h->hdr_scan)) == 0) {
			if (m >= TCP_HDR_MAX) {
				ctx->stats.events[DECODE_EV_TCP_SIP_TOO_LARGE]++;
				h->resync = 1;
				h->hdr_scan = 0;
				pos += 1;
				continue;
			}
			h->hdr_scan = m > 3 ? m - 3 : 0;
			break;
		}
		h->hdr_scan = 0;
		flags = pos < fresh ? DECODE_F_TCPREASM : 0;
		if ((cl = tcp_content_length(p + pos, hend)) < 0) {
			/* RFC 3261 18.3: mandatory over a stream. */
			ctx->stats.events[DECODE_EV_TCP_SIP_NO_CLEN]++;
			total = hend + tcp_find_start(p + pos + hend, m - hend,
			    0, &partial);
			tcp_deliver(ctx, c, dir, p + pos, total, DECODE_TP_TCP,
			    flags);
			pos += total;
			continue;
		}
		total = hend + (size_t)cl;
		if (total > TCP_MSG_MAX) {
			if (m < TCP_MSG_MAX) {
				h->hdr_scan = hend > 4 ? hend - 4 : 0;
				break;
			}
			ctx->stats.events[DECODE_EV_TCP_SIP_TOO_LARGE]++;
			tcp_deliver(ctx, c, dir, p + pos, TCP_MSG_MAX,
			    DECODE_TP_TCP, flags | DECODE_F_TRUNC);
			h->skip = total - TCP_MSG_MAX;
			pos += TCP_MSG_MAX;
			continue;
		}
		if (m < total) {
			h->hdr_scan = hend > 4 ? hend - 4 : 0;
			break;
		}
		if (pos + total > fresh && pos < fresh)
			flags = DECODE_F_TCPREASM;
		tcp_deliver(ctx, c, dir, p + pos, total, DECODE_TP_TCP, flags);
		pos += total;
	}
	if (h->mode == TCP_MODE_OTHER)
		return (n);
	return (pos);
}

/*
 * Skip the HTTP header of a WebSocket upgrade (request or 101 answer);
 * the frames follow.  Returns bytes consumed (0: header not complete).
 */
static size_t
tcp_ws_http(struct tcp_half *h, const uint8_t *p, size_t n)
{
	size_t	k, hend;

	for (k = 0; k < n && (p[k] == '\r' || p[k] == '\n'); k++)
		;
	if ((hend = tcp_hdr_end(p + k, n - k, 0)) == 0) {
		if (n >= TCP_CLASSIFY_MAX) {
			h->mode = TCP_MODE_OTHER;
			return (n);
		}
		return (0);
	}
	h->mode = TCP_MODE_WS;
	return (k + hend);
}

size_t
tcp_app_consume(struct decode_ctx *ctx, struct tcp_conn *c, int dir,
    const uint8_t *p, size_t n, size_t fresh)
{
	struct tcp_half	*h = &c->half[dir];
	size_t		 pos = 0, used, k;

	while (pos < n) {
		if (h->skip > 0 && h->mode != TCP_MODE_SIP) {
			k = h->skip < n - pos ? (size_t)h->skip : n - pos;
			h->skip -= k;
			pos += k;
			continue;
		}
		switch (h->mode) {
		case TCP_MODE_UNKNOWN:
			if (!tcp_classify(ctx, c, dir, p + pos, n - pos))
				return (pos);
			continue;
		case TCP_MODE_SIP:
			used = tcp_sip_consume(ctx, c, dir, p + pos, n - pos,
			    fresh > pos ? fresh - pos : 0);
			pos += used;
			if (h->mode == TCP_MODE_SIP)
				return (pos);
			continue;
		case TCP_MODE_WS_HTTP:
			if ((used = tcp_ws_http(h, p + pos, n - pos)) == 0)
				return (pos);
			pos += used;
			continue;
		case TCP_MODE_WS:
			used = tcp_ws_consume(ctx, c, dir, p + pos, n - pos,
			    fresh > pos ? fresh - pos : 0);
			pos += used;
			if (h->mode == TCP_MODE_WS && h->skip == 0)
				return (pos);
			continue;
		default:
			return (n);
		}
	}
	return (pos);
}
