/*
 * utf8.h: UTF-8 validation (RFC 3629) and escaping for terminals.
 *
 * Text from the wire (a User-Agent, a reason phrase, a Call-ID) reaches
 * people through the alert lines of -N, the text report, `sipwatch
 * explain` and the dashboard.  Shown raw, one UDP packet could write
 * escape sequences to the operator's terminal (retitle it, clear it,
 * remap keys).  Every such output goes through sw_utf8_escape(); the
 * syslog sinks check their text with sw_utf8_seq().  JSON output is
 * escaped by jansson as JSON requires (control characters as \u00XX).
 */
#ifndef SW_UTF8_H
#define SW_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (1..4) of the well-formed UTF-8 sequence at S, of which LEN
 * bytes are readable, with its code point in *CP (CP may be NULL); 0 when
 * S does not start one: a stray continuation byte, an overlong form, a
 * surrogate (U+D800..U+DFFF), a code point above U+10FFFF, or a sequence
 * cut by LEN (RFC 3629 section 4, the table of well-formed byte
 * sequences).  LEN 0 gives 0.
 */
size_t	 sw_utf8_seq(const void *s, size_t len, uint32_t *cp);

/* 1 when LEN bytes of S are well-formed UTF-8 (RFC 3629), else 0. */
int	 sw_utf8_valid(const void *s, size_t len);

/* 1 for a control character: C0 (below U+0020), DEL, C1 (U+0080..U+009F). */
int	 sw_utf8_is_control(uint32_t cp);

/* sw_utf8_escape() flags. */
#define SW_ESC_NL	0x1	/* keep '\n' (multi-line text) */

/*
 * LEN bytes of S as text safe to show on a terminal: every control
 * character (C0, DEL, C1) and every byte that is not part of well-formed
 * UTF-8 written as \xHH (its bytes, lower-case hex), everything else
 * copied.  With SW_ESC_NL, '\n' is kept.  Returns a NUL-terminated string
 * the caller frees (never NULL: aborts when memory runs out, as
 * xmalloc()); S NULL gives "".  Backslashes are kept as they are: SIP
 * quoted strings use them, and doubling them would misquote what was
 * sent.
 */
char	*sw_utf8_escape(const char *s, size_t len, int flags);

/* sw_utf8_escape() of a C string (NULL: ""). */
char	*sw_utf8_escape_str(const char *s, int flags);

#endif
