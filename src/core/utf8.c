/*
 * utf8.c: strict UTF-8 (RFC 3629) and terminal-safe escaping (utf8.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/xmalloc.h"

size_t
sw_utf8_seq(const void *s, size_t len, uint32_t *cp)
{
	const uint8_t	*p = s;
	uint32_t	 c;
	uint8_t		 lo = 0x80, hi = 0xbf;
	size_t		 n, i;

	if (len == 0)
		return (0);
	if (p[0] < 0x80) {
		c = p[0];
		n = 1;
		goto done;
	}
	/*
	 * RFC 3629 4: the second byte's range excludes overlong forms (E0,
	 * F0), surrogates (ED) and code points above U+10FFFF (F4).
	 */
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return (0);
	if (len < n)
		return (0);
	if (p[1] < lo || p[1] > hi)
		return (0);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (p[i] & 0x3f);
	}
done:
	if (cp != NULL)
		*cp = c;
	return (n);
}

int
sw_utf8_valid(const void *s, size_t len)
{
	const uint8_t	*p = s;
	size_t		 n;

	while (len > 0) {
		if ((n = sw_utf8_seq(p, len, NULL)) == 0)
			return (0);
		p += n;
		len -= n;
	}
	return (1);
}

int
sw_utf8_is_control(uint32_t cp)
{
	return (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f));
}

char *
sw_utf8_escape(const char *s, size_t len, int flags)
{
	static const char	 hex[] = "0123456789abcdef";
	const uint8_t		*p = (const uint8_t *)s;
	uint32_t		 cp;
	size_t			 n, i, o = 0;
	char			*out;

	if (s == NULL)
		len = 0;
	/* At worst every byte becomes four. */
	if (len > (SIZE_MAX - 1) / 4)
		len = (SIZE_MAX - 1) / 4;
	out = xmalloc(4 * len + 1);
	while (len > 0) {
		n = sw_utf8_seq(p, len, &cp);
		if (n > 0 && (!sw_utf8_is_control(cp) ||
		    (cp == '\n' && (flags & SW_ESC_NL)))) {
			memcpy(out + o, p, n);
			o += n;
		} else {
			if (n == 0)
				n = 1;	/* not UTF-8: this byte alone */
			for (i = 0; i < n; i++) {
				out[o++] = '\\';
				out[o++] = 'x';
				out[o++] = hex[p[i] >> 4];
				out[o++] = hex[p[i] & 0xf];
			}
		}
		p += n;
		len -= n;
	}
	out[o] = '\0';
	return (out);
}

char *
sw_utf8_escape_str(const char *s, int flags)
{
	return (sw_utf8_escape(s, s != NULL ? strlen(s) : 0, flags));
}
