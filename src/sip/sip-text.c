/*
 * sip-text.c: reading SIP text that the parser does not turn into fields:
 * a message/sipfrag status line (RFC 3420), the header fields of a
 * message's raw bytes one by one (also what the lenient reader of
 * sip-salvage.c walks), and the value of a header by name.  All are
 * bounded by the lengths they are given and never write past the
 * caller's buffer.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sip/sip-int.h"

int
sip_sipfrag_status(const uint8_t *body, size_t len, char *reason,
    size_t reasonlen)
{
	const char	*p = (const char *)body, *end, *r;
	int		 code, i;
	size_t		 n;

	if (reasonlen > 0)
		reason[0] = '\0';
	if (body == NULL || len < 12 || strncasecmp(p, "SIP/", 4) != 0)
		return (0);
	end = p + len;
	p += 4;
	while (p < end && (isdigit((unsigned char)*p) || *p == '.'))
		p++;
	if (p >= end || *p != ' ')
		return (0);
	while (p < end && *p == ' ')
		p++;
	/* cppcheck-suppress knownConditionTrueFalse ; P moved */
	if (end - p < 3)
		return (0);
	code = 0;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)p[i]))
			return (0);
		code = code * 10 + (p[i] - '0');
	}
	if (code < 100 || code > 699)
		return (0);
	if (p + 3 < end && isdigit((unsigned char)p[3]))
		return (0);
	r = p + 3;
	while (r < end && *r == ' ')
		r++;
	for (n = 0; r + n < end && r[n] != '\r' && r[n] != '\n'; n++)
		;
	if (reasonlen > 0) {
		if (n >= reasonlen)
			n = reasonlen - 1;
		memcpy(reason, r, n);
		reason[n] = '\0';
		for (i = 0; (size_t)i < n; i++) {
			if ((unsigned char)reason[i] < 0x20)
				reason[i] = ' ';
		}
	}
	return (code);
}

static int
sip_text_blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

int
sip_field_next(const char **pp, const char *end, struct sip_field *f)
{
	const char	*p = *pp, *le, *nl, *colon, *s, *e;

	memset(f, 0, sizeof *f);
	if (p >= end)
		return (0);
	/* The first line and any folded lines after it. */
	for (le = p; ; le = nl + 1) {
		nl = memchr(le, '\n', (size_t)(end - le));
		if (nl == NULL || nl + 1 >= end ||
		    (nl[1] != ' ' && nl[1] != '\t'))
			break;
	}
	le = nl != NULL ? nl : end;
	*pp = nl != NULL ? nl + 1 : end;
	for (s = p, e = le; s < e && sip_text_blank(*s); s++)
		;
	while (e > s && sip_text_blank(e[-1]))
		e--;
	if (s == e)
		return (0);		/* the empty line */
	f->cut = nl == NULL;
	if ((colon = memchr(s, ':', (size_t)(e - s))) == NULL)
		return (1);
	f->name = s;
	for (f->nlen = (size_t)(colon - s); f->nlen > 0 &&
	    sip_text_blank(s[f->nlen - 1]); f->nlen--)
		;
	for (f->value = colon + 1; f->value < e &&
	    sip_text_blank(*f->value); f->value++)
		;
	f->vlen = (size_t)(e - f->value);
	return (1);
}

int
sip_header_value(const struct sip_msg *m, const char *name, char *buf,
    size_t len)
{
	const char		*p, *end;
	struct sip_field	 f;
	size_t			 nlen = strlen(name), n, i;

	if (m->raw == NULL || len == 0)
		return (0);
	p = (const char *)m->raw;
	end = m->body != NULL && m->body >= m->raw &&
	    m->body <= m->raw + m->raw_len ? (const char *)m->body :
	    p + m->raw_len;
	/* Skip the start line. */
	if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL)
		return (0);
	p++;
	while (sip_field_next(&p, end, &f)) {
		if (f.name == NULL || f.nlen != nlen ||
		    strncasecmp(f.name, name, nlen) != 0)
			continue;
		n = f.vlen < len - 1 ? f.vlen : len - 1;
		memcpy(buf, f.value, n);
		buf[n] = '\0';
		for (i = 0; i < n; i++) {
			if (buf[i] == '\r' || buf[i] == '\n')
				buf[i] = ' ';	/* a folded line */
		}
		return (1);
	}
	return (0);
}

/* ------------------------------------------------------------------ */
/* Header names. */

/* RFC 3261 7.3.3 and the registry's compact forms. */
static const struct {
	char		 c;
	const char	*name;
} sip_compact[] = {
	{ 'a', "accept-contact" }, { 'b', "referred-by" },
	{ 'c', "content-type" }, { 'd', "request-disposition" },
	{ 'e', "content-encoding" }, { 'f', "from" }, { 'i', "call-id" },
	{ 'j', "reject-contact" }, { 'k', "supported" },
	{ 'l', "content-length" }, { 'm', "contact" }, { 'n', "identity-info" },
	{ 'o', "event" }, { 'r', "refer-to" }, { 's', "subject" },
	{ 't', "to" }, { 'u', "allow-events" }, { 'v', "via" },
	{ 'x', "session-expires" }, { 'y', "identity" }
};

/* Is NAME (N bytes) already in the comma-separated list LIST (LEN)? */
static int
sip_name_listed(const char *list, size_t len, const char *name, size_t n)
{
	const char	*p = list, *end = list + len, *comma;
	size_t		 k;

	while (p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		k = comma != NULL ? (size_t)(comma - p) : (size_t)(end - p);
		if (k == n && memcmp(p, name, n) == 0)
			return (1);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return (0);
}

size_t
sip_header_names(const struct sip_msg *m, char *buf, size_t len)
{
	const char		*p, *end;
	struct sip_field	 f;
	char			 name[64];
	size_t			 n, i, out = 0, count = 0;

	if (len == 0)
		return (0);
	buf[0] = '\0';
	if (m->raw == NULL)
		return (0);
	p = (const char *)m->raw;
	end = m->body != NULL && m->body >= m->raw &&
	    m->body <= m->raw + m->raw_len ? (const char *)m->body :
	    p + m->raw_len;
	/* Skip the start line. */
	if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL)
		return (0);
	p++;
	while (sip_field_next(&p, end, &f)) {
		if (f.name == NULL || (n = f.nlen) == 0 || n >= sizeof name)
			continue;
		for (i = 0; i < n; i++) {
			if ((unsigned char)f.name[i] < 0x21 ||
			    (unsigned char)f.name[i] > 0x7e)
				break;
			name[i] = (char)tolower((unsigned char)f.name[i]);
		}
		if (i != n)
			continue;
		name[n] = '\0';
		if (n == 1) {
			for (i = 0; i < sizeof sip_compact /
			    sizeof sip_compact[0]; i++) {
				if (sip_compact[i].c == name[0]) {
					n = strlen(sip_compact[i].name);
					memcpy(name, sip_compact[i].name, n + 1);
					break;
				}
			}
		}
		if (sip_name_listed(buf, out, name, n))
			continue;
		/* Room for the name, a comma and the NUL. */
		if (out + n + (out > 0 ? 1 : 0) + 1 > len)
			break;
		if (out > 0)
			buf[out++] = ',';
		memcpy(buf + out, name, n);
		out += n;
		buf[out] = '\0';
		count++;
	}
	return (count);
}

/* ------------------------------------------------------------------ */
/* SDP summary. */

/* RFC 3551 static payload types that carry a codec name. */
static const char *
sip_sdp_static(int pt)
{
	switch (pt) {
	case 0:
		return ("PCMU");
	case 3:
		return ("GSM");
	case 4:
		return ("G723");
	case 5:
	case 6:
		return ("DVI4");
	case 7:
		return ("LPC");
	case 8:
		return ("PCMA");
	case 9:
		return ("G722");
	case 10:
	case 11:
		return ("L16");
	case 12:
		return ("QCELP");
	case 13:
		return ("CN");
	case 14:
		return ("MPA");
	case 15:
		return ("G728");
	case 18:
		return ("G729");
	case 26:
		return ("JPEG");
	case 31:
		return ("H261");
	case 34:
		return ("H263");
	default:
		return (NULL);
	}
}

/* A bounded appender: never writes past LEN, marks a cut with "...". */
struct sdp_out {
	char	*buf;
	size_t	 len;
	size_t	 n;
	int	 cut;
};

static void
sdp_put(struct sdp_out *o, const char *s, size_t n)
{
	size_t	i;

	if (o->cut || o->len == 0)
		return;
	for (i = 0; i < n; i++) {
		if (o->n + 4 >= o->len) {
			memcpy(o->buf + o->n, "...", 3);
			o->n += 3;
			o->cut = 1;
			break;
		}
		/* Control bytes and non-ASCII become '?'. */
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			o->buf[o->n++] = '?';
		else
			o->buf[o->n++] = s[i];
	}
	o->buf[o->n] = '\0';
}

static void
sdp_puts(struct sdp_out *o, const char *s)
{
	sdp_put(o, s, strlen(s));
}

/* The next line of [*P, END) without its line end; NULL at the end. */
static const char *
sdp_line(const char **p, const char *end, size_t *n)
{
	const char	*line = *p, *e;

	if (line >= end)
		return (NULL);
	e = memchr(line, '\n', (size_t)(end - line));
	*p = e != NULL ? e + 1 : end;
	if (e == NULL)
		e = end;
	if (e > line && e[-1] == '\r')
		e--;
	*n = (size_t)(e - line);
	return (line);
}

/* The token of [S, S+N) starting at *I (blanks skipped); its length. */
static size_t
sdp_token(const char *s, size_t n, size_t *i, const char **tok)
{
	size_t	start;

	while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	start = *i;
	while (*i < n && s[*i] != ' ' && s[*i] != '\t')
		(*i)++;
	*tok = s + start;
	return (*i - start);
}

/*
 * The name of payload format FMT (FN bytes) of the media section
 * [SEC, END): its a=rtpmap encoding name and clock rate, else the RFC
 * 3551 static name, else the format itself.
 */
static void
sdp_fmt_name(struct sdp_out *o, const char *sec, const char *end,
    const char *fmt, size_t fn)
{
	const char	*p = sec, *l, *name;
	size_t		 n, i, k;
	int		 pt;

	while ((l = sdp_line(&p, end, &n)) != NULL) {
		if (n > 2 && l[0] == 'm' && l[1] == '=' && l != sec)
			break;
		if (n <= 9 + fn || strncmp(l, "a=rtpmap:", 9) != 0 ||
		    memcmp(l + 9, fmt, fn) != 0 || (l[9 + fn] != ' ' &&
		    l[9 + fn] != '\t'))
			continue;
		i = 9 + fn;
		k = sdp_token(l, n, &i, &name);
		if (k > 0) {
			sdp_put(o, name, k);
			return;
		}
	}
	pt = -1;
	if (fn > 0 && fn <= 3) {
		for (i = 0, pt = 0; i < fn; i++) {
			if (fmt[i] < '0' || fmt[i] > '9') {
				pt = -1;
				break;
			}
			pt = pt * 10 + (fmt[i] - '0');
		}
	}
	if (pt >= 0 && (name = sip_sdp_static(pt)) != NULL)
		sdp_puts(o, name);
	else
		sdp_put(o, fmt, fn);
}

/* Direction and unusable connection address of the media section. */
static void
sdp_attrs(struct sdp_out *o, const char *sec, const char *end,
    const char *sess_dir, const char *sess_conn)
{
	static const char *const dirs[] = { "sendrecv", "sendonly", "recvonly",
	    "inactive" };
	const char	*p = sec, *l, *dir = sess_dir, *conn = sess_conn;
	size_t		 n, i;

	while ((l = sdp_line(&p, end, &n)) != NULL) {
		if (n > 2 && l[0] == 'm' && l[1] == '=' && l != sec)
			break;
		for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
			if (n == 2 + strlen(dirs[i]) && l[0] == 'a' &&
			    l[1] == '=' && memcmp(l + 2, dirs[i], n - 2) == 0)
				dir = dirs[i];
		}
		if (n >= 7 && strncmp(l, "c=IN IP", 7) == 0) {
			if ((n == 16 && memcmp(l + 9, "0.0.0.0", 7) == 0) ||
			    (n == 11 && memcmp(l + 9, "::", 2) == 0))
				conn = l[7] == '4' ? "0.0.0.0" : "::";
			else
				conn = NULL;
		}
	}
	if (dir != NULL && strcmp(dir, "sendrecv") != 0) {
		sdp_puts(o, " ");
		sdp_puts(o, dir);
	}
	if (conn != NULL) {
		sdp_puts(o, " c=");
		sdp_puts(o, conn);
	}
}

size_t
sip_sdp_summary(const uint8_t *body, size_t len, char *buf, size_t buflen)
{
	struct sdp_out	 o;
	const char	*p, *end, *l, *tok, *sec;
	const char	*sess_dir = NULL, *sess_conn = NULL;
	size_t		 n, i, k, nmedia = 0;
	int		 in_media = 0, port0, first;

	memset(&o, 0, sizeof o);
	o.buf = buf;
	o.len = buflen;
	if (buflen > 0)
		buf[0] = '\0';
	if (body == NULL || buflen < 8)
		return (0);
	p = (const char *)body;
	end = p + len;
	/* Session-level direction and connection address first. */
	while (!in_media && (l = sdp_line(&p, end, &n)) != NULL) {
		if (n > 2 && l[0] == 'm' && l[1] == '=')
			in_media = 1;
		else if (n >= 16 && strncmp(l, "c=IN IP4 0.0.0.0", 16) == 0)
			sess_conn = "0.0.0.0";
		else if (n == 10 && strncmp(l, "a=inactive", 10) == 0)
			sess_dir = "inactive";
		else if (n == 10 && strncmp(l, "a=sendonly", 10) == 0)
			sess_dir = "sendonly";
		else if (n == 10 && strncmp(l, "a=recvonly", 10) == 0)
			sess_dir = "recvonly";
	}
	p = (const char *)body;
	while ((l = sdp_line(&p, end, &n)) != NULL) {
		if (n <= 2 || l[0] != 'm' || l[1] != '=')
			continue;
		sec = l;
		if (nmedia++ > 0)
			sdp_puts(&o, "; ");
		/* m=<media> <port>[/<n>] <proto> <fmt> ... (RFC 4566 5.14) */
		i = 2;
		k = sdp_token(l, n, &i, &tok);
		sdp_put(&o, tok, k);
		k = sdp_token(l, n, &i, &tok);
		port0 = k == 1 && tok[0] == '0';
		sdp_puts(&o, " ");
		sdp_put(&o, tok, k);
		k = sdp_token(l, n, &i, &tok);
		sdp_puts(&o, " ");
		sdp_put(&o, tok, k);
		first = 1;
		while ((k = sdp_token(l, n, &i, &tok)) > 0) {
			sdp_puts(&o, first ? " " : ",");
			first = 0;
			sdp_fmt_name(&o, sec, end, tok, k);
		}
		sdp_attrs(&o, sec, end, sess_dir, sess_conn);
		if (port0)
			sdp_puts(&o, " (disabled)");
	}
	return (nmedia);
}

/* ------------------------------------------------------------------ */
/* Address of record. */

size_t
sip_uri_aor(const char *uri, size_t len, char *buf, size_t buflen)
{
	size_t	 i, end, colon, at, out = 0;
	char	 ch;

	if (buflen == 0)
		return (0);
	buf[0] = '\0';
	if (uri == NULL)
		return (0);
	/* Parameters and headers are not part of the AOR (10.3 step 5). */
	for (end = 0; end < len && uri[end] != ';' && uri[end] != '?' &&
	    uri[end] != '>' && uri[end] != ' '; end++)
		;
	for (colon = 0; colon < end && uri[colon] != ':'; colon++)
		;
	if (colon == end || colon == 0 || colon > 8)
		return (0);
	for (at = end; at > colon && uri[at - 1] != '@'; at--)
		;
	if (at == colon)
		at = colon + 1;		/* no user part: all host */
	for (i = 0; i < end && out + 1 < buflen; i++) {
		ch = uri[i];
		if ((unsigned char)ch < 0x21 || (unsigned char)ch > 0x7e)
			ch = '?';
		/* Scheme and host are case-insensitive, the user is not
		 * (RFC 3261 19.1.4). */
		if (i < colon || i >= at)
			ch = (char)tolower((unsigned char)ch);
		buf[out++] = ch;
	}
	buf[out] = '\0';
	return (out);
}
