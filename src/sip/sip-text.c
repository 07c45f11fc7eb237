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
