/*
 * sip-text.c: reading SIP text that the parser does not turn into fields:
 * a message/sipfrag status line (RFC 3420) and the value of a header by
 * name from a message's raw bytes.  Both are bounded by the lengths they
 * are given and never write past the caller's buffer.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sip/sip.h"

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

int
sip_header_value(const struct sip_msg *m, const char *name, char *buf,
    size_t len)
{
	const char	*p, *end, *line, *v, *ve;
	size_t		 nlen = strlen(name), n;

	if (m->raw == NULL || len == 0)
		return (0);
	p = (const char *)m->raw;
	end = m->body != NULL && m->body >= m->raw &&
	    m->body <= m->raw + m->raw_len ? (const char *)m->body :
	    p + m->raw_len;
	/* Skip the start line. */
	while (p < end && *p != '\n')
		p++;
	while (p < end) {
		line = ++p;
		if (line >= end || *line == '\r' || *line == '\n')
			break;
		while (p < end && *p != '\n')
			p++;
		if ((size_t)(p - line) <= nlen ||
		    strncasecmp(line, name, nlen) != 0)
			continue;
		v = line + nlen;
		while (v < p && (*v == ' ' || *v == '\t'))
			v++;
		if (v >= p || *v != ':')
			continue;
		v++;
		while (v < p && (*v == ' ' || *v == '\t'))
			v++;
		ve = p;
		while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' ||
		    ve[-1] == '\t'))
			ve--;
		n = (size_t)(ve - v);
		if (n >= len)
			n = len - 1;
		memcpy(buf, v, n);
		buf[n] = '\0';
		return (1);
	}
	return (0);
}
