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
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sip/sip-int.h"
#include "sip/sip-sdp.h"

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

/*
 * The header fields of M's raw bytes: [*P, *END) from after the start
 * line to the body (or the end).  0, or -1 when there is no start line.
 */
static int
sip_header_section(const struct sip_msg *m, const char **p, const char **end)
{
	const char	*s = (const char *)m->raw;

	*end = m->body != NULL && m->body >= m->raw &&
	    m->body <= m->raw + m->raw_len ? (const char *)m->body :
	    s + m->raw_len;
	if ((s = memchr(s, '\n', (size_t)(*end - s))) == NULL)
		return (-1);
	*p = s + 1;
	return (0);
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
	if (sip_header_section(m, &p, &end) == -1)
		return (0);
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
	if (sip_header_section(m, &p, &end) == -1)
		return (0);
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

static void
sdp_str(struct sdp_out *o, const struct sip_str *s)
{
	if (s->s != NULL)
		sdp_put(o, s->s, s->len);
}

/* 1 when A is the unspecified address (0.0.0.0 or ::, RFC 3264 8.4). */
static int
sdp_addr_unspecified(const struct sw_addr *a)
{
	static const uint8_t	zero[16];

	return ((a->family == 4 && memcmp(a->ip, zero, 4) == 0) ||
	    (a->family == 6 && memcmp(a->ip, zero, 16) == 0));
}

size_t
sip_sdp_format(const struct sip_sdp *sdp, char *buf, size_t buflen)
{
	const struct sip_sdp_media	*md;
	const struct sip_sdp_fmt	*f;
	struct sdp_out			 o;
	char				 num[32];
	unsigned			 i, j;

	memset(&o, 0, sizeof o);
	o.buf = buf;
	o.len = buflen;
	if (buflen > 0)
		buf[0] = '\0';
	if (sdp == NULL || buflen < 8)
		return (0);
	for (i = 0; i < sdp->nmedia; i++) {
		md = &sdp->media[i];
		if (i > 0)
			sdp_puts(&o, "; ");
		/* m=<media> <port>[/<n>] <proto> <fmt> ... (RFC 4566 5.14) */
		sdp_str(&o, &md->media);
		if (md->nports > 1)
			(void)snprintf(num, sizeof num, " %u/%u ", md->port,
			    md->nports);
		else
			(void)snprintf(num, sizeof num, " %u ", md->port);
		sdp_puts(&o, num);
		sdp_str(&o, &md->proto);
		for (j = 0; j < md->nfmt; j++) {
			f = &md->fmt[j];
			sdp_puts(&o, j == 0 ? " " : ",");
			if (f->name.s != NULL)
				sdp_str(&o, &f->name);
			else {
				(void)snprintf(num, sizeof num, "%d", f->pt);
				sdp_puts(&o, num);
			}
		}
		if (md->fmt_total > md->nfmt)
			sdp_puts(&o, ",...");
		if (md->dir != SDP_DIR_SENDRECV) {
			sdp_puts(&o, " ");
			sdp_puts(&o, sdp_dir_name(md->dir));
		}
		if (sdp_addr_unspecified(&md->addr)) {
			sdp_puts(&o, " c=");
			sdp_str(&o, &md->conn);
		}
		if (md->port == 0)
			sdp_puts(&o, " (disabled)");
	}
	if (sdp->media_total > sdp->nmedia)
		sdp_puts(&o, "; ...");
	return (sdp->media_total);
}

/*
 * The body is read by main's SDP parser (sip_sdp_parse(), osip2's
 * sdp_message_parse()) and written by sip_sdp_format().
 */
size_t
sip_sdp_summary(const uint8_t *body, size_t len, char *buf, size_t buflen)
{
	struct sip_sdp	*sdp;
	enum sdp_error	 err;
	size_t		 nmedia;

	if (buflen > 0)
		buf[0] = '\0';
	if (body == NULL || buflen < 8 ||
	    sip_sdp_parse(body, len, &sdp, &err) == -1)
		return (0);
	nmedia = sip_sdp_format(sdp, buf, buflen);
	sip_sdp_free(sdp);
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
