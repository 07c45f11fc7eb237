/*
 * sip-salvage.c: the header scan that bounds osip2's work, and the
 * lenient reader for messages osip2 rejects or the bounds stop.
 *
 * sip_scan() runs on every message before osip2: one pass over the
 * header section (RFC 3261 7.3) counting fields, bytes and the list
 * separators (',' ';' '&': every one becomes an element of an osip2
 * list, and osip2 appends to a list by walking it).  Past SIP_HDR_MAX
 * fields, SIP_HDR_SIZE_MAX bytes or SIP_HDR_SEP_MAX separators, osip2 is
 * not called.
 *
 * sip_salvage() then reads what tracking needs directly from the bytes:
 * the start line, every Via (up to SIP_VIA_KEEP kept, all counted), CSeq,
 * Call-ID, From, To, the first Contact, Refer-To, and the scalar headers
 * struct sip_msg carries.  It is lenient (first occurrence of a header
 * wins, a display name need not be well quoted, a URI need not be valid)
 * and bounded: one pass over at most SIP_SALVAGE_FIELDS header fields
 * within the first SIP_SALVAGE_BYTES, every parameter list read once,
 * every read within the message, every copy into the message's own block
 * (sb_put() truncates).  The message is flagged partial; the caller
 * still counts the parse error with its reason.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sip/sip-int.h"

/* A span of the message: [s, e). */
struct sv {
	const char	*s;
	const char	*e;
};

static int
sv_blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

static struct sv
sv_trim(struct sv v)
{
	while (v.s < v.e && sv_blank(*v.s))
		v.s++;
	while (v.e > v.s && sv_blank(v.e[-1]))
		v.e--;
	return (v);
}

static size_t
sv_len(struct sv v)
{
	return ((size_t)(v.e - v.s));
}

/* First C in V, or V.e. */
static const char *
sv_chr(struct sv v, char c)
{
	const char	*p;

	p = memchr(v.s, c, sv_len(v));
	return (p != NULL ? p : v.e);
}

static int
sv_is(struct sv v, const char *word)
{
	size_t	n = strlen(word);

	return (sv_len(v) == n && strncasecmp(v.s, word, n) == 0);
}

/*
 * The end of the list element that starts V: the next ',' outside a
 * quoted string and outside <...>, or V.e (RFC 3261 7.3.1).
 */
static const char *
sv_list_next(struct sv v)
{
	const char	*p;
	int		 quoted = 0, angle = 0;

	for (p = v.s; p < v.e; p++) {
		if (quoted) {
			if (*p == '\\' && p + 1 < v.e)
				p++;
			else if (*p == '"')
				quoted = 0;
			continue;
		}
		if (*p == '"')
			quoted = 1;
		else if (*p == '<')
			angle = 1;
		else if (*p == '>')
			angle = 0;
		else if (*p == ',' && !angle)
			return (p);
	}
	return (v.e);
}

/* A parameter sv_params() looks for, and what it found. */
struct sv_want {
	const char	*name;
	int		 found;
	struct sv	 val;	/* trimmed, without quotes; empty without '=' */
};

/*
 * One pass over the parameters in V, separated by SEP (';' for URI and
 * header parameters, RFC 3261 25.1; ',' for digest parameters, RFC 2617
 * 3.2.1): the first value of each of the NW names in W (case-insensitive).
 * Each byte is looked at once, whatever the number of parameters.
 */
static void
sv_params(struct sv v, char sep, struct sv_want *w, size_t nw)
{
	const char	*p = v.s;
	struct sv	 n, val;
	size_t		 i, len, wlen[4];
	int		 quoted;

	if (nw > 4)
		nw = 4;
	for (i = 0; i < nw; i++) {
		w[i].found = 0;
		wlen[i] = strlen(w[i].name);
	}
	while (p < v.e) {
		while (p < v.e && sv_blank(*p))
			p++;
		for (n.s = p; p < v.e && *p != sep && *p != '='; p++)
			;
		for (n.e = p; n.e > n.s && sv_blank(n.e[-1]); n.e--)
			;
		val.s = val.e = p;
		if (p < v.e && *p == '=') {
			for (val.s = ++p, quoted = 0; p < v.e; p++) {
				if (*p == '"')
					quoted = !quoted;
				else if (*p == sep && !quoted)
					break;
			}
			val = sv_trim((struct sv){ val.s, p });
			if (sv_len(val) >= 2 && val.s[0] == '"' &&
			    val.e[-1] == '"') {
				val.s++;
				val.e--;
			}
		}
		if (p < v.e)
			p++;			/* the separator */
		len = sv_len(n);
		for (i = 0; i < nw; i++) {
			if (!w[i].found && wlen[i] == len &&
			    strncasecmp(w[i].name, n.s, len) == 0) {
				w[i].found = 1;
				w[i].val = val;
			}
		}
	}
}

static void
sv_put(struct sip_build *b, struct sip_str *dst, struct sv v)
{
	sb_put_text(b, dst, v.s, sv_len(v));
}

void
sip_split_param(struct sip_build *b, const char *v, size_t len,
    struct sip_str *token, const char *param, struct sip_str *pval)
{
	struct sv	 all, t;
	struct sv_want	 w = { param, 0, { NULL, NULL } };

	if (v == NULL)
		return;
	all = (struct sv){ v, v + len };
	t = sv_trim((struct sv){ v, sv_chr(all, ';') });
	sv_put(b, token, t);
	if (sv_chr(all, ';') < all.e) {
		sv_params((struct sv){ sv_chr(all, ';') + 1, all.e }, ';', &w, 1);
		if (w.found)
			sv_put(b, pval, w.val);
	}
}

/* --- the scan ------------------------------------------------------------ */

/* Bytes of W equal to C, eight at a time (no byte's carry reaches another). */
static unsigned
sip_scan_eq(uint64_t w, uint8_t c)
{
	const uint64_t	low7 = 0x7f7f7f7f7f7f7f7fULL, ones = 0x0101010101010101ULL;
	uint64_t	x = w ^ (ones * c), z;

	/* High bit set in exactly the bytes of X that are zero ... */
	z = ~(((x & low7) + low7) | x | low7);
	/* ... each moved to its byte's low bit, and the bytes summed. */
	return ((unsigned)(((z >> 7) * ones) >> 56));
}

static unsigned
sip_scan_seps(const uint8_t *p, const uint8_t *e)
{
	uint64_t	w;
	unsigned	n = 0;

	for (; e - p >= 8; p += 8) {
		memcpy(&w, p, sizeof w);
		n += sip_scan_eq(w, ',') + sip_scan_eq(w, ';') +
		    sip_scan_eq(w, '&');
	}
	for (; p < e; p++)
		n += *p == ',' || *p == ';' || *p == '&';
	return (n);
}

/* Remember the value of a Content-Length field that starts at P. */
static void
sip_scan_clen(const uint8_t *data, const uint8_t *p, const uint8_t *le,
    struct sip_scan *sc)
{
	const uint8_t	*colon, *n;
	size_t		 nlen;
	struct sv	 v;

	if (((p[0] | 0x20) != 'c' && (p[0] | 0x20) != 'l') ||
	    (colon = memchr(p, ':', (size_t)(le - p))) == NULL)
		return;
	for (n = colon; n > p && (n[-1] == ' ' || n[-1] == '\t'); n--)
		;
	nlen = (size_t)(n - p);
	if (!(nlen == 1 && (p[0] | 0x20) == 'l') && !(nlen == 14 &&
	    strncasecmp((const char *)p, "content-length", 14) == 0))
		return;
	v = sv_trim((struct sv){ (const char *)colon + 1, (const char *)le });
	if (sc->nclen < SIP_SCAN_CLEN) {
		sc->clen[sc->nclen][0] = (size_t)((const uint8_t *)v.s - data);
		sc->clen[sc->nclen][1] = (size_t)((const uint8_t *)v.e - data);
	}
	sc->nclen++;
}

void
sip_scan(const uint8_t *data, size_t len, struct sip_scan *sc)
{
	const uint8_t	*end = data + len, *p, *nl, *le;
	size_t		 llen, size = len;	/* start line and headers */

	memset(sc, 0, sizeof *sc);
	sc->hdr_end = len;
	sc->limit = SIP_ERR_NONE;
	p = memchr(data, '\n', len);
	/* The start line: its Request-URI parameters are a list too. */
	sc->seps = sip_scan_seps(data, p != NULL ? p : end);
	for (p = p != NULL ? p + 1 : end; p < end; p = nl + 1) {
		if ((size_t)(p - data) > SIP_HDR_SIZE_MAX)
			sc->limit = SIP_ERR_HEADERS_TOO_LARGE;
		else if (sc->fields > SIP_HDR_MAX)
			sc->limit = SIP_ERR_TOO_MANY_HEADERS;
		else if (sc->seps > SIP_HDR_SEP_MAX)
			sc->limit = SIP_ERR_TOO_MANY_PARAMS;
		if (sc->limit != SIP_ERR_NONE)
			return;		/* the end is not looked for */
		nl = memchr(p, '\n', (size_t)(end - p));
		le = nl != NULL ? nl : end;
		if ((size_t)(le - data) > SIP_HDR_SIZE_MAX + 2) {
			/* Past the bound whatever this line is: not read. */
			sc->limit = SIP_ERR_HEADERS_TOO_LARGE;
			return;
		}
		llen = (size_t)(le - p);
		if (llen > 0 && le[-1] == '\r')
			llen--;
		if (llen == 0) {
			size = (size_t)(p - data);
			sc->hdr_end = nl != NULL ? (size_t)(nl + 1 - data) : len;
			sc->has_end = 1;
			break;
		}
		if ((*p != ' ' && *p != '\t') || sc->fields == 0) {
			sc->fields++;	/* not a folded line (7.3.1) */
			sip_scan_clen(data, p, p + llen, sc);
		}
		sc->seps += sip_scan_seps(p, le);
		if (nl == NULL)
			break;
	}
	if (size > SIP_HDR_SIZE_MAX)
		sc->limit = SIP_ERR_HEADERS_TOO_LARGE;
	else if (sc->fields > SIP_HDR_MAX)
		sc->limit = SIP_ERR_TOO_MANY_HEADERS;
	else if (sc->seps > SIP_HDR_SEP_MAX)
		sc->limit = SIP_ERR_TOO_MANY_PARAMS;
}

/* --- the lenient reader ---------------------------------------------------- */

/* User and host of a sip: or sips: URI, as osip2 gives them (no brackets). */
static void
salvage_uri_parts(struct sip_build *b, struct sv uri, struct sip_str *user,
    struct sip_str *host)
{
	struct sv	 rest, u, h;
	const char	*colon, *at, *p;

	colon = sv_chr(uri, ':');
	if (colon >= uri.e)
		return;
	if (!sv_is((struct sv){ uri.s, colon }, "sip") &&
	    !sv_is((struct sv){ uri.s, colon }, "sips"))
		return;
	rest.s = colon + 1;
	for (p = rest.s; p < uri.e && *p != ';' && *p != '?' && *p != '>';
	    p++)
		;
	rest.e = p;
	at = sv_chr(rest, '@');
	if (at < rest.e) {
		u.s = rest.s;
		u.e = sv_chr((struct sv){ rest.s, at }, ':');	/* no password */
		if (user != NULL && u.e > u.s)
			sv_put(b, user, u);
		h.s = at + 1;
	} else
		h.s = rest.s;
	h.e = rest.e;
	if (h.s < h.e && *h.s == '[') {
		h.s++;
		h.e = sv_chr(h, ']');
	} else if ((p = sv_chr(h, ':')) < h.e &&
	    sv_chr((struct sv){ p + 1, h.e }, ':') < h.e) {
		/* An IPv6 address without brackets: the port is after the
		 * last colon, as osip2 reads it. */
		while (h.e > h.s && h.e[-1] != ':')
			h.e--;
		h.e--;
	} else
		h.e = p;
	if (host != NULL && h.e > h.s)
		sv_put(b, host, h);
}

/*
 * A name-addr or addr-spec (RFC 3261 20.10, 25.1): display name, URI, its
 * user and host, and the tag parameter.
 */
static void
salvage_nameaddr(struct sip_build *b, struct sv v, struct sip_nameaddr *na)
{
	const char	*lt = NULL, *gt, *p;
	struct sv	 uri, params;
	struct sv_want	 tag = { "tag", 0, { NULL, NULL } };
	int		 quoted = 0;

	v = sv_trim(v);
	for (p = v.s; p < v.e && lt == NULL; p++) {
		if (quoted) {
			if (*p == '\\' && p + 1 < v.e)
				p++;
			else if (*p == '"')
				quoted = 0;
		} else if (*p == '"')
			quoted = 1;
		else if (*p == '<')
			lt = p;
	}
	if (lt == NULL && (p = sv_chr(v, '<')) < v.e)
		lt = p;		/* a display name with a stray quote */
	if (lt != NULL) {
		uri = sv_trim((struct sv){ v.s, lt });	/* the display name */
		if (sv_len(uri) >= 2 && uri.s[0] == '"' && uri.e[-1] == '"') {
			uri.s++;	/* one pair of quotes, as osip2 */
			uri.e--;
			sv_put(b, &na->display, uri);	/* "" gives "" */
		} else if (sv_len(uri) > 0)
			sv_put(b, &na->display, uri);
		gt = sv_chr((struct sv){ lt + 1, v.e }, '>');
		uri = sv_trim((struct sv){ lt + 1, gt });
		params.s = gt < v.e ? gt + 1 : v.e;
	} else {
		uri = sv_trim((struct sv){ v.s, sv_chr(v, ';') });
		params.s = uri.e;
	}
	params.e = v.e;
	if (sv_len(uri) == 0)
		return;
	sv_put(b, &na->uri, uri);
	salvage_uri_parts(b, uri, &na->user, &na->host);
	sv_params(params, ';', &tag, 1);
	if (tag.found && sv_len(tag.val) > 0)
		sv_put(b, &na->tag, tag.val);
}

/* One via-parm (RFC 3261 20.42): "SIP/2.0/UDP host:port;params". */
static void
salvage_via(struct sip_build *b, struct sv v, struct sip_via *via)
{
	const char	*slash, *p;
	struct sv	 t, sentby, h, params;
	struct sv_want	 w[3] = { { "branch", 0, { NULL, NULL } },
			    { "received", 0, { NULL, NULL } },
			    { "rport", 0, { NULL, NULL } } };
	long		 port;

	via->rport = -1;
	v = sv_trim(v);
	slash = sv_chr(v, '/');
	if (slash < v.e)
		slash = sv_chr((struct sv){ slash + 1, v.e }, '/');
	if (slash < v.e) {
		t.s = slash + 1;
		while (t.s < v.e && sv_blank(*t.s))
			t.s++;
		for (t.e = t.s; t.e < v.e && !sv_blank(*t.e) && *t.e != ';';
		    t.e++)
			;
		sv_put(b, &via->transport, t);
		sentby.s = t.e;
	} else
		sentby.s = v.s;
	while (sentby.s < v.e && sv_blank(*sentby.s))
		sentby.s++;
	params.s = sv_chr((struct sv){ sentby.s, v.e }, ';');
	params.e = v.e;
	sentby = sv_trim((struct sv){ sentby.s, params.s });
	h = sentby;
	if (h.s < h.e && *h.s == '[') {
		h.s++;
		h.e = sv_chr(h, ']');
		p = h.e < sentby.e ? h.e + 1 : sentby.e;
	} else {
		h.e = sv_chr(h, ':');
		p = h.e;
	}
	h = sv_trim(h);
	if (sv_len(h) > 0)
		sv_put(b, &via->host, h);
	if (p < sentby.e && *p == ':') {
		port = sip_span_number(p + 1, (size_t)(sentby.e - p - 1));
		via->port = port > 0 && port <= 65535 ? (uint16_t)port : 0;
	}
	sv_params(params, ';', w, 3);
	if (w[0].found && sv_len(w[0].val) > 0)
		sv_put(b, &via->branch, w[0].val);
	if (w[1].found && sv_len(w[1].val) > 0)
		sv_put(b, &via->received, w[1].val);
	if (w[2].found) {
		port = sip_span_number(w[2].val.s, sv_len(w[2].val));
		via->rport = port > 0 && port <= 65535 ? (int)port : 0;
	}
}

/* Every via-parm of one Via field; the first SIP_VIA_KEEP are kept. */
static void
salvage_vias(struct sip_build *b, struct sv v, struct sip_msg *msg)
{
	struct sv	 one;

	for (one.s = v.s; one.s < v.e; one.s = one.e + 1) {
		one.e = sv_list_next((struct sv){ one.s, v.e });
		if (sv_len(sv_trim(one)) > 0) {
			msg->via_total++;
			if (msg->nvia < SIP_VIA_KEEP)
				salvage_via(b, one, &msg->via[msg->nvia++]);
		}
		if (one.e >= v.e)
			break;
	}
}

/* "Digest k=v, k=v" (RFC 2617 3.2.1, 3.2.2): the parameters in W. */
static void
salvage_auth_params(struct sv v, struct sv_want *w, size_t nw)
{
	v = sv_trim(v);
	while (v.s < v.e && !sv_blank(*v.s))	/* the scheme */
		v.s++;
	sv_params(v, ',', w, nw);
}

/* The start line (RFC 3261 7.1, 7.2), as sip_detect() recognised it. */
static int
salvage_start_line(struct sip_build *b, const uint8_t *data, size_t len,
    struct sip_msg *msg)
{
	struct sip_startline	 sl;
	struct sv		 line, uri;
	const char		*nl;

	line.s = (const char *)data;
	nl = memchr(data, '\n', len);
	line.e = nl != NULL ? nl : line.s + len;
	if (line.e > line.s && line.e[-1] == '\r')
		line.e--;
	switch (sip_detect(data, len, &sl)) {
	case SIP_DETECT_REQUEST:
		msg->is_request = 1;
		sb_put(b, &msg->method_name, sl.method, sl.method_len);
		msg->method = sip_method_from(sl.method, sl.method_len);
		/* sip_detect() checked " SIP/2.0" ends the line. */
		uri = sv_trim((struct sv){ line.s + sl.method_len,
		    line.e - 8 });
		if (sv_len(uri) > 0) {
			sv_put(b, &msg->ruri, uri);
			salvage_uri_parts(b, uri, &msg->ruri_user, NULL);
		}
		return (0);
	case SIP_DETECT_RESPONSE:
		msg->status = sl.status;
		if (sv_len(line) > 12)
			sv_put(b, &msg->reason, sv_trim((struct sv){
			    line.s + 12, line.e }));
		return (0);
	default:
		return (-1);
	}
}

/* The value of each header of interest (first occurrence), read below. */
static void
salvage_fields(struct sip_build *b, struct sip_msg *msg, struct sv *hv)
{
	struct sv_want	 w[2] = { { "nonce", 0, { NULL, NULL } },
			    { "stale", 0, { NULL, NULL } } };
	struct sv	 v, cm, t;
	const char	*p;
	long		 n;
	size_t		 i;

	if ((v = hv[SIP_H_CALL_ID]).s != NULL && sv_len(v) > 0)
		sv_put(b, &msg->call_id, v);
	if ((v = hv[SIP_H_CSEQ]).s != NULL) {
		n = sip_span_number(v.s, sv_len(v));
		msg->cseq = n >= 0 && n <= 0xffffffffL ? (uint32_t)n : 0;
		for (p = v.s; p < v.e && (sv_blank(*p) || isdigit(
		    (unsigned char)*p)); p++)
			;
		for (cm.s = p, cm.e = p; cm.e < v.e && !sv_blank(*cm.e);
		    cm.e++)
			;
		if (sv_len(cm) > 0) {
			sv_put(b, &msg->cseq_method_name, cm);
			msg->cseq_method = sip_method_from(cm.s, sv_len(cm));
			if (!msg->is_request)
				msg->method = msg->cseq_method;
		}
	}
	if (hv[SIP_H_FROM].s != NULL)
		salvage_nameaddr(b, hv[SIP_H_FROM], &msg->from);
	if (hv[SIP_H_TO].s != NULL)
		salvage_nameaddr(b, hv[SIP_H_TO], &msg->to);
	if ((v = hv[SIP_H_CONTACT]).s != NULL)
		salvage_nameaddr(b, (struct sv){ v.s, sv_list_next(v) },
		    &msg->contact);
	if (hv[SIP_H_REFER_TO].s != NULL)
		salvage_nameaddr(b, hv[SIP_H_REFER_TO], &msg->refer_to);
	if ((v = hv[SIP_H_MAX_FORWARDS]).s != NULL) {
		n = sip_span_number(v.s, sv_len(v));
		msg->max_forwards = n > 255 ? 255 : (int)n;
	}
	if ((v = hv[SIP_H_EXPIRES]).s != NULL)
		msg->expires = sip_span_number(v.s, sv_len(v));
	if ((v = hv[SIP_H_RETRY_AFTER]).s != NULL)
		msg->retry_after = sip_span_number(v.s, sv_len(v));
	if ((v = hv[SIP_H_EVENT]).s != NULL)
		sip_split_param(b, v.s, sv_len(v), &msg->event, "id",
		    &msg->event_id);
	if ((v = hv[SIP_H_SUB_STATE]).s != NULL)
		sip_split_param(b, v.s, sv_len(v), &msg->sub_state,
		    "reason", &msg->sub_reason);
	if ((v = hv[SIP_H_CONTENT_TYPE]).s != NULL) {
		t = sv_trim((struct sv){ v.s, sv_chr(v, ';') });
		if (sv_len(t) > 0) {
			sv_put(b, &msg->content_type, t);
			for (i = 0; i < msg->content_type.len; i++)
				((char *)msg->content_type.s)[i] = (char)tolower(
				    (unsigned char)msg->content_type.s[i]);
		}
	}
	if ((v = hv[SIP_H_CONTENT_LENGTH]).s != NULL)
		sip_set_content_length(msg, v.s, sv_len(v));
	if (hv[SIP_H_USER_AGENT].s != NULL)
		sv_put(b, &msg->user_agent, hv[SIP_H_USER_AGENT]);
	if (hv[SIP_H_SERVER].s != NULL)
		sv_put(b, &msg->server, hv[SIP_H_SERVER]);
	if (hv[SIP_H_WARNING].s != NULL)
		sv_put(b, &msg->warning, hv[SIP_H_WARNING]);
	if (hv[SIP_H_REASON].s != NULL)
		sv_put(b, &msg->reason_hdr, hv[SIP_H_REASON]);

	if ((v = hv[SIP_H_AUTHORIZATION]).s != NULL ||
	    (v = hv[SIP_H_PROXY_AUTHORIZATION]).s != NULL) {
		msg->has_auth = 1;
		salvage_auth_params(v, w, 1);
		if (w[0].found)
			sv_put(b, &msg->auth_nonce, w[0].val);
	}
	if ((v = hv[SIP_H_WWW_AUTHENTICATE]).s != NULL ||
	    (v = hv[SIP_H_PROXY_AUTHENTICATE]).s != NULL) {
		salvage_auth_params(v, w, 2);
		if (w[0].found)
			sv_put(b, &msg->challenge_nonce, w[0].val);
		if (w[1].found && sv_is(w[1].val, "true"))
			msg->challenge_stale = 1;
	}
}

struct sip_msg *
sip_salvage(const uint8_t *data, size_t len, void *buf, size_t size)
{
	struct sip_msg		*msg;
	struct sip_build	 b;
	struct sip_field	 f;
	struct sv		 hv[SIP_H_COUNT], v;
	const char		*raw, *end, *p;
	enum sip_hdr		 h;
	size_t			 body = len;
	unsigned		 nfields = 0;

	if (len == 0 || size < sip_parse_space(len))
		return (NULL);
	msg = sip_msg_layout(data, len, buf, size, &b);
	if (salvage_start_line(&b, data, len, msg) == -1)
		return (NULL);
	memset(hv, 0, sizeof hv);

	/*
	 * Read from the copy (NUL-terminated; DATA need not be), at most
	 * SIP_SALVAGE_FIELDS fields within SIP_SALVAGE_BYTES.
	 */
	raw = (const char *)msg->raw;
	end = raw + (len < SIP_SALVAGE_BYTES ? len : SIP_SALVAGE_BYTES);
	if ((p = memchr(raw, '\n', (size_t)(end - raw))) == NULL)
		return (NULL);
	p++;
	while (nfields < SIP_SALVAGE_FIELDS && p < end) {
		if (!sip_field_next(&p, end, &f)) {
			body = (size_t)(p - raw);	/* after the empty line */
			break;
		}
		if (f.cut && end < raw + len)
			break;			/* cut by the bound: not read */
		nfields++;
		if (f.name == NULL)
			continue;		/* not a header: skipped */
		v = (struct sv){ f.value, f.value + f.vlen };
		h = sip_hdr_lookup(f.name, f.nlen);
		if (h == SIP_H_VIA)
			salvage_vias(&b, v, msg);
		else if (h != SIP_H_NONE && hv[h].s == NULL)
			hv[h] = v;
	}
	salvage_fields(&b, msg, hv);
	if (sip_check_mandatory(msg) != SIP_ERR_NONE)
		return (NULL);
	sip_set_body(msg, body);
	msg->partial = 1;
	return (msg);
}
