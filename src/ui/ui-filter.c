/*
 * ui-filter.c: the dashboard's filter language, parsed once into a tree
 * and evaluated per row (calls, alerts, peers) and by --export-filter.
 *
 *   expr    = or
 *   or      = and { ("or" | "||") and }
 *   and     = unary { ["and" | "&&"] unary }	(side by side: and)
 *   unary   = ("not" | "!") unary | "(" expr ")" | term
 *   term    = FIELD ":" value | value
 *   value   = word | "quoted text"
 *
 * Fields, in the manner of sngrep's and tshark's display filters:
 *
 *   code:503  code:5xx  code:480-489	a response with that code in the call
 *   state:failed			the call's state (a prefix is enough)
 *   from:alice  to:2001		caller, callee (or the From, To header)
 *   ip:10.0.0.1  ip:10.0.0.0/8  ip:[::1]:5060	an element of the call
 *   ua:Cisco				User-Agent or Server
 *   hdr:X-Call-ID=abc  hdr:Reason	a header (compact forms too) with
 *					VALUE in it, or present
 *   rule:bad-gateway			an incident raised about the call
 *   method:REFER  callid:abc		a method seen, the Call-ID
 *
 * A bare word is text, looked for (case-insensitively) in the raw
 * messages and in the row (Call-ID, users, addresses, methods), except a
 * bare response code or class ("503", "5xx"), which means the code:
 * "/503" finds the calls that got a 503, not a number with 503 in it;
 * "\"503\"" (quoted) is text.  Nothing here reads the terminal; terms
 * that need the raw messages ask for them through the subject's fetch
 * function, once per evaluation.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>

#include "core/hash.h"
#include "core/xmalloc.h"
#include "sip/sip.h"
#include "ui/ui-int.h"

enum ui_fop {
	UI_FOP_TERM = 0,
	UI_FOP_AND,
	UI_FOP_OR,
	UI_FOP_NOT
};

enum ui_ffield {
	UI_FF_TEXT = 0,
	UI_FF_CODE,
	UI_FF_STATE,
	UI_FF_FROM,
	UI_FF_TO,
	UI_FF_IP,
	UI_FF_UA,
	UI_FF_HDR,
	UI_FF_RULE,
	UI_FF_METHOD,
	UI_FF_CALLID
};

struct ui_fnode {
	enum ui_fop	 op;
	struct ui_fnode	*a, *b;

	enum ui_ffield	 field;
	char		*value;		/* as typed (TEXT, FROM ...) */
	char		*hname;		/* HDR: canonical header name */
	int		 lo, hi;	/* CODE: range */
	unsigned	 states;	/* STATE: 1 << enum ui_call_state, and
					   UI_FSTATE_XFER */
	struct sw_addr	 addr;		/* IP: parsed, or family 0 */
	int		 prefix;	/* IP: CIDR bits, or -1 */
	int		 method;	/* METHOD: enum sip_method, or -1 */
};

#define UI_FSTATE_XFER	(1U << 16)

#define UI_NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* A call's methods are a 32-bit mask, one bit per known method. */
_Static_assert(SIP_METHOD_OTHER <= 32, "ui_call_row.methods is 32 bits");

struct ui_filter {
	struct ui_fnode	*root;
	int		 needs_msgs;
};

/* --- tokens ----------------------------------------------------------- */

enum ui_ftok {
	UI_FT_END = 0,
	UI_FT_LPAREN,
	UI_FT_RPAREN,
	UI_FT_AND,
	UI_FT_OR,
	UI_FT_NOT,
	UI_FT_WORD
};

struct ui_fparse {
	const char	*s;		/* the whole text */
	const char	*p;		/* next character */
	enum ui_ftok	 tok;
	char		*word;		/* UI_FT_WORD: unquoted text */
	int		 quoted;	/* the word had quotes */
	char		*field;		/* "code" of code:503 (before the
					   colon, when not quoted) */
	size_t		 at;		/* offset of the token */
	char		*error;
};

static void ui_fnode_free(struct ui_fnode *);

static void
ui_fparse_error(struct ui_fparse *fp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ui_fparse_error(struct ui_fparse *fp, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (fp->error != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	fp->error = msg != NULL ? msg : xstrdup("bad filter");
}

/* The next token of FP into fp->tok (and fp->word). */
static void
ui_fparse_next(struct ui_fparse *fp)
{
	GString		*w;
	const char	*p;
	int		 quoted = 0, colon = 0;

	free(fp->word);
	free(fp->field);
	fp->word = fp->field = NULL;
	fp->quoted = 0;
	while (*fp->p == ' ' || *fp->p == '\t')
		fp->p++;
	fp->at = (size_t)(fp->p - fp->s);
	p = fp->p;
	switch (*p) {
	case '\0':
		fp->tok = UI_FT_END;
		return;
	case '(':
		fp->p++;
		fp->tok = UI_FT_LPAREN;
		return;
	case ')':
		fp->p++;
		fp->tok = UI_FT_RPAREN;
		return;
	case '!':
		fp->p++;
		fp->tok = UI_FT_NOT;
		return;
	case '&':
		if (p[1] == '&') {
			fp->p += 2;
			fp->tok = UI_FT_AND;
			return;
		}
		break;
	case '|':
		if (p[1] == '|') {
			fp->p += 2;
			fp->tok = UI_FT_OR;
			return;
		}
		break;
	default:
		break;
	}
	/* A word: up to a space or a parenthesis outside quotes. */
	w = g_string_new(NULL);
	while (*p != '\0') {
		if (*p == '"') {
			quoted = 1;
			p++;
			while (*p != '\0' && *p != '"') {
				if (*p == '\\' && p[1] != '\0')
					p++;
				g_string_append_c(w, *p++);
			}
			if (*p != '"') {
				ui_fparse_error(fp, "a quote is not closed");
				break;
			}
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '(' || *p == ')')
			break;
		/* The field: what comes before the first colon, unquoted. */
		if (*p == ':' && !colon && !quoted) {
			colon = 1;
			fp->field = xstrndup(w->str, w->len);
			g_string_truncate(w, 0);
			p++;
			continue;
		}
		g_string_append_c(w, *p++);
	}
	fp->p = p;
	fp->quoted = quoted;
	fp->word = g_string_free(w, FALSE);
	fp->tok = UI_FT_WORD;
	if (fp->field == NULL && !quoted) {
		if (g_ascii_strcasecmp(fp->word, "and") == 0)
			fp->tok = UI_FT_AND;
		else if (g_ascii_strcasecmp(fp->word, "or") == 0)
			fp->tok = UI_FT_OR;
		else if (g_ascii_strcasecmp(fp->word, "not") == 0)
			fp->tok = UI_FT_NOT;
	}
}

/* --- terms ------------------------------------------------------------ */

static const struct {
	const char	*name;
	enum ui_ffield	 field;
} ui_ffields[] = {
	{ "code",	UI_FF_CODE },
	{ "state",	UI_FF_STATE },
	{ "from",	UI_FF_FROM },
	{ "to",		UI_FF_TO },
	{ "ip",		UI_FF_IP },
	{ "ua",		UI_FF_UA },
	{ "hdr",	UI_FF_HDR },
	{ "rule",	UI_FF_RULE },
	{ "method",	UI_FF_METHOD },
	{ "callid",	UI_FF_CALLID },
	{ "call-id",	UI_FF_CALLID },
	{ "text",	UI_FF_TEXT },
};

/* URI schemes: "sip:alice@x" is text, not an unknown field. */
static const char *const ui_fschemes[] = {
	"sip", "sips", "tel", "urn", "mailto", "http", "https", "ws", "wss",
	NULL
};

static const struct {
	const char	*name;
	unsigned	 states;
} ui_fstates[] = {
	{ "trying",	1U << UI_CALL_TRYING },
	{ "ringing",	1U << UI_CALL_RINGING },
	{ "answered",	1U << UI_CALL_ANSWERED },
	{ "failed",	1U << UI_CALL_FAILED },
	{ "cancelled",	1U << UI_CALL_CANCELLED },
	{ "canceled",	1U << UI_CALL_CANCELLED },
	{ "ended",	1U << UI_CALL_ENDED },
	{ "timeout",	1U << UI_CALL_TIMEOUT },
	{ "other",	1U << UI_CALL_OTHER },
	{ "active",	(1U << UI_CALL_TRYING) | (1U << UI_CALL_RINGING) |
			(1U << UI_CALL_ANSWERED) },
	{ "transfer",	UI_FSTATE_XFER },
};

/* Compact header forms (RFC 3261 7.3.3 and the registry). */
static const struct {
	char		 c;
	const char	*name;
} ui_fcompact[] = {
	{ 'a', "accept-contact" }, { 'b', "referred-by" },
	{ 'c', "content-type" }, { 'd', "request-disposition" },
	{ 'e', "content-encoding" }, { 'f', "from" }, { 'i', "call-id" },
	{ 'j', "reject-contact" }, { 'k', "supported" },
	{ 'l', "content-length" }, { 'm', "contact" }, { 'o', "event" },
	{ 'r', "refer-to" }, { 's', "subject" }, { 't', "to" },
	{ 'u', "allow-events" }, { 'v', "via" }, { 'x', "session-expires" },
	{ 'y', "identity" },
};

/* The full name of a compact header form C, or NULL. */
static const char *
ui_fhdr_compact(char c)
{
	size_t	i;

	for (i = 0; i < UI_NITEMS(ui_fcompact); i++) {
		if (g_ascii_tolower(c) == ui_fcompact[i].c)
			return (ui_fcompact[i].name);
	}
	return (NULL);
}

/* NAME (LEN bytes) as a lower-case full header name, compact expanded. */
static char *
ui_fhdr_canon(const char *name, size_t len)
{
	const char	*full;

	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	if (len == 1 && (full = ui_fhdr_compact(*name)) != NULL)
		return (xstrdup(full));
	return (g_ascii_strdown(name, (gssize)len));
}

/* Is the header name NAME (LEN bytes, as in a message) CANON? */
static int
ui_fhdr_is(const char *name, size_t len, const char *canon)
{
	const char	*full;

	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	if (len == 1 && (full = ui_fhdr_compact(*name)) != NULL)
		return (strcmp(full, canon) == 0);
	return (strlen(canon) == len &&
	    g_ascii_strncasecmp(name, canon, len) == 0);
}

/* "503", "5xx", "480-489": *LO and *HI; -1 if S is none of those. */
static int
ui_fcode_range(const char *s, int *lo, int *hi)
{
	size_t	n = strlen(s);
	int	a, b;

	if (n == 3 && s[0] >= '1' && s[0] <= '6' &&
	    g_ascii_tolower(s[1]) == 'x' && g_ascii_tolower(s[2]) == 'x') {
		*lo = (s[0] - '0') * 100;
		*hi = *lo + 99;
		return (0);
	}
	if (n == 3 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])) {
		a = atoi(s);
		if (a < 100 || a > 699)
			return (-1);
		*lo = *hi = a;
		return (0);
	}
	if (n == 7 && s[3] == '-' && ui_fcode_range(s + 4, &b, hi) == 0 &&
	    isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2])) {
		a = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
		if (a < 100 || a > 699 || a > *hi)
			return (-1);
		*lo = a;
		return (0);
	}
	return (-1);
}

/* "10.0.0.0/8": the address and the prefix length; -1 if not. */
static int
ui_fcidr(const char *s, struct sw_addr *a, int *bits)
{
	const char	*slash = strrchr(s, '/');
	char		*ip, *end;
	long		 v;
	int		 r;

	if (slash == NULL)
		return (-1);
	v = strtol(slash + 1, &end, 10);
	if (slash[1] == '\0' || *end != '\0' || v < 0 || v > 128)
		return (-1);
	ip = xstrndup(s, (size_t)(slash - s));
	r = sw_addr_parse(ip, a);
	free(ip);
	if (r != 0 || a->port != 0 || v > (a->family == 4 ? 32 : 128))
		return (-1);
	*bits = (int)v;
	return (0);
}

static struct ui_fnode *
ui_fnode_new(enum ui_fop op)
{
	struct ui_fnode	*n;

	n = xcalloc(1, sizeof *n);
	n->op = op;
	n->prefix = -1;
	n->method = -1;
	return (n);
}

/* The term of the current word (consumed); NULL with fp->error set. */
static struct ui_fnode *
ui_fparse_term(struct ui_fparse *fp)
{
	struct ui_fnode	*n;
	const char	*v = fp->word, *eq;
	size_t		 i, len;
	int		 known = 0;

	n = ui_fnode_new(UI_FOP_TERM);
	n->field = UI_FF_TEXT;
	if (fp->field != NULL) {
		for (i = 0; i < UI_NITEMS(ui_ffields); i++) {
			if (g_ascii_strcasecmp(fp->field,
			    ui_ffields[i].name) == 0) {
				n->field = ui_ffields[i].field;
				known = 1;
				break;
			}
		}
		if (!known) {
			for (i = 0; ui_fschemes[i] != NULL; i++) {
				if (g_ascii_strcasecmp(fp->field,
				    ui_fschemes[i]) == 0)
					break;
			}
			/* "sip:alice", "10.0.0.1:5060", "fe80::1": text. */
			if (ui_fschemes[i] == NULL && *fp->field != '\0' &&
			    strspn(fp->field, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-") ==
			    strlen(fp->field)) {
				ui_fparse_error(fp, "unknown field \"%s\" "
				    "(fields: code state from to ip ua hdr rule "
				    "method callid; quote text with a colon)",
				    fp->field);
				goto fail;
			}
			n->value = xasprintf("%s:%s", fp->field, v);
			goto done;
		}
		if (*v == '\0') {
			ui_fparse_error(fp, "%s: needs a value", fp->field);
			goto fail;
		}
	} else if (!fp->quoted && ui_fcode_range(v, &n->lo, &n->hi) == 0) {
		/* A bare code or class is the code, not text. */
		n->field = UI_FF_CODE;
	}
	n->value = xstrdup(v);

	switch (n->field) {
	case UI_FF_CODE:
		if (ui_fcode_range(v, &n->lo, &n->hi) != 0) {
			ui_fparse_error(fp, "code: \"%s\" is not a response "
			    "code, a class (5xx) or a range (480-489)", v);
			goto fail;
		}
		break;
	case UI_FF_STATE:
		len = strlen(v);
		for (i = 0; i < UI_NITEMS(ui_fstates); i++) {
			if (g_ascii_strncasecmp(v, ui_fstates[i].name,
			    len) == 0)
				n->states |= ui_fstates[i].states;
		}
		if (n->states == 0) {
			ui_fparse_error(fp, "state: \"%s\" is not a state "
			    "(trying ringing answered failed cancelled ended "
			    "timeout other active transfer)", v);
			goto fail;
		}
		break;
	case UI_FF_IP:
		if (ui_fcidr(v, &n->addr, &n->prefix) != 0 &&
		    sw_addr_parse(v, &n->addr) != 0)
			n->addr.family = 0;	/* a part: text */
		break;
	case UI_FF_HDR:
		eq = strchr(v, '=');
		len = eq != NULL ? (size_t)(eq - v) : strlen(v);
		if (len == 0) {
			ui_fparse_error(fp, "hdr: NAME=VALUE or NAME");
			goto fail;
		}
		n->hname = ui_fhdr_canon(v, len);
		free(n->value);
		n->value = xstrdup(eq != NULL ? eq + 1 : "");
		break;
	case UI_FF_METHOD:
		for (i = SIP_METHOD_INVITE; i < SIP_METHOD_OTHER; i++) {
			if (g_ascii_strcasecmp(v,
			    sip_method_name((enum sip_method)i)) == 0)
				n->method = (int)i;
		}
		break;
	default:
		break;
	}
done:
	ui_fparse_next(fp);
	return (n);
fail:
	ui_fnode_free(n);
	return (NULL);
}

static struct ui_fnode	*ui_fparse_or(struct ui_fparse *, int);

static struct ui_fnode *
ui_fparse_unary(struct ui_fparse *fp, int depth)
{
	struct ui_fnode	*n, *a;

	if (depth > 64) {
		ui_fparse_error(fp, "too deeply nested");
		return (NULL);
	}
	switch (fp->tok) {
	case UI_FT_NOT:
		ui_fparse_next(fp);
		if ((a = ui_fparse_unary(fp, depth + 1)) == NULL)
			return (NULL);
		n = ui_fnode_new(UI_FOP_NOT);
		n->a = a;
		return (n);
	case UI_FT_LPAREN:
		ui_fparse_next(fp);
		if ((n = ui_fparse_or(fp, depth + 1)) == NULL)
			return (NULL);
		if (fp->tok != UI_FT_RPAREN) {
			ui_fparse_error(fp, "\")\" missing at %zu",
			    fp->at + 1);
			ui_fnode_free(n);
			return (NULL);
		}
		ui_fparse_next(fp);
		return (n);
	case UI_FT_WORD:
		return (ui_fparse_term(fp));
	case UI_FT_END:
		ui_fparse_error(fp, "the filter ends where a term was "
		    "expected");
		return (NULL);
	default:
		ui_fparse_error(fp, "a term was expected at %zu", fp->at + 1);
		return (NULL);
	}
}

static struct ui_fnode *
ui_fparse_and(struct ui_fparse *fp, int depth)
{
	struct ui_fnode	*n, *b, *p;

	if ((n = ui_fparse_unary(fp, depth)) == NULL)
		return (NULL);
	for (;;) {
		if (fp->tok == UI_FT_AND)
			ui_fparse_next(fp);
		else if (fp->tok != UI_FT_WORD && fp->tok != UI_FT_NOT &&
		    fp->tok != UI_FT_LPAREN)
			return (n);
		if ((b = ui_fparse_unary(fp, depth)) == NULL) {
			ui_fnode_free(n);
			return (NULL);
		}
		p = ui_fnode_new(UI_FOP_AND);
		p->a = n;
		p->b = b;
		n = p;
	}
}

static struct ui_fnode *
ui_fparse_or(struct ui_fparse *fp, int depth)
{
	struct ui_fnode	*n, *b, *p;

	if ((n = ui_fparse_and(fp, depth)) == NULL)
		return (NULL);
	while (fp->tok == UI_FT_OR) {
		ui_fparse_next(fp);
		if ((b = ui_fparse_and(fp, depth)) == NULL) {
			ui_fnode_free(n);
			return (NULL);
		}
		p = ui_fnode_new(UI_FOP_OR);
		p->a = n;
		p->b = b;
		n = p;
	}
	return (n);
}

static void
ui_fnode_free(struct ui_fnode *n)
{
	if (n == NULL)
		return;
	ui_fnode_free(n->a);
	ui_fnode_free(n->b);
	free(n->value);
	free(n->hname);
	free(n);
}

/* Does any term under N need the raw messages? */
static int
ui_fnode_needs_msgs(const struct ui_fnode *n)
{
	if (n == NULL)
		return (0);
	if (n->op != UI_FOP_TERM)
		return (ui_fnode_needs_msgs(n->a) || ui_fnode_needs_msgs(n->b));
	switch (n->field) {
	case UI_FF_TEXT:
	case UI_FF_FROM:
	case UI_FF_TO:
	case UI_FF_UA:
	case UI_FF_HDR:
		return (1);
	default:
		return (0);
	}
}

struct ui_filter *
ui_filter_parse(const char *text, char **cause)
{
	struct ui_fparse	 fp;
	struct ui_filter	*f;
	struct ui_fnode		*root;

	memset(&fp, 0, sizeof fp);
	fp.s = fp.p = text != NULL ? text : "";
	ui_fparse_next(&fp);
	if (fp.tok == UI_FT_END && fp.error == NULL) {
		free(fp.word);
		free(fp.field);
		*cause = xstrdup("the filter is empty");
		return (NULL);
	}
	root = ui_fparse_or(&fp, 0);
	if (root != NULL && fp.error == NULL && fp.tok != UI_FT_END)
		ui_fparse_error(&fp, "unexpected \"%s\" at %zu",
		    fp.tok == UI_FT_RPAREN ? ")" : fp.word != NULL ?
		    fp.word : "?", fp.at + 1);
	free(fp.word);
	free(fp.field);
	if (fp.error != NULL || root == NULL) {
		ui_fnode_free(root);
		*cause = fp.error != NULL ? fp.error : xstrdup("bad filter");
		return (NULL);
	}
	f = xcalloc(1, sizeof *f);
	f->root = root;
	f->needs_msgs = ui_fnode_needs_msgs(root);
	return (f);
}

void
ui_filter_free(struct ui_filter *f)
{
	if (f == NULL)
		return;
	ui_fnode_free(f->root);
	free(f);
}

int
ui_filter_needs_msgs(const struct ui_filter *f)
{
	return (f != NULL && f->needs_msgs);
}

/* --- evaluation ------------------------------------------------------- */

/* NEEDLE (NUL-terminated) in the LEN bytes at HAY, ASCII case folded. */
static int
ui_fmem_has(const uint8_t *hay, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i, j;

	if (n == 0)
		return (1);
	if (hay == NULL || len < n)
		return (0);
	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n; j++) {
			if (g_ascii_tolower((gchar)hay[i + j]) !=
			    g_ascii_tolower(needle[j]))
				break;
		}
		if (j == n)
			return (1);
	}
	return (0);
}

static int
ui_fstr_has(const char *hay, const char *needle)
{
	return (hay != NULL && ui_fmem_has((const uint8_t *)hay, strlen(hay),
	    needle));
}

/*
 * Does a header of M named NAME (canonical) have VALUE in it ("" for
 * any)?  Header lines run from the second line to the empty line;
 * folded lines belong to the header above them.
 */
static int
ui_fmsg_header(const struct ui_msg *m, const char *name, const char *value)
{
	const uint8_t	*p, *end, *eol, *next, *colon;
	int		 in = 0;

	if (m->raw == NULL)
		return (0);
	end = m->raw + m->raw_len;
	/* Skip the start line. */
	if ((eol = memchr(m->raw, '\n', m->raw_len)) == NULL)
		return (0);
	for (p = eol + 1; p < end; p = next) {
		eol = memchr(p, '\n', (size_t)(end - p));
		next = eol != NULL ? eol + 1 : end;
		if (eol == NULL)
			eol = end;
		if (p == eol || (*p == '\r' && p + 1 == eol))
			break;		/* the body follows */
		if (*p == ' ' || *p == '\t') {
			/* A folded line: the header above goes on. */
			if (in && ui_fmem_has(p, (size_t)(eol - p), value))
				return (1);
			continue;
		}
		colon = memchr(p, ':', (size_t)(eol - p));
		in = colon != NULL && ui_fhdr_is((const char *)p,
		    (size_t)(colon - p), name);
		if (in && ui_fmem_has(colon + 1, (size_t)(eol - colon - 1),
		    value))
			return (1);
	}
	return (0);
}

/* The subject's messages (fetched once), or NULL. */
static const struct ui_call *
ui_fsubject_call(struct ui_filter_subject *s)
{
	if (s->call == NULL && !s->fetched && s->fetch != NULL) {
		s->fetched = 1;
		s->call = s->fetch(s->fetch_arg);
	}
	return (s->call);
}

/* Any message of the subject with header NAME holding VALUE? */
static int
ui_fsubject_header(struct ui_filter_subject *s, const char *name,
    const char *value)
{
	const struct ui_call	*c = ui_fsubject_call(s);
	unsigned		 i;

	for (i = 0; c != NULL && i < c->nmsgs; i++) {
		if (ui_fmsg_header(&c->msgs[i], name, value))
			return (1);
	}
	return (0);
}

/* Is A within N's address (IP, IP:port or CIDR)? */
static int
ui_faddr_match(const struct ui_fnode *n, const struct sw_addr *a)
{
	char	buf[SW_ADDRSTRLEN];
	int	bits, i;

	if (a->family == 0)
		return (0);
	if (n->addr.family == 0) {
		sw_addr_format(a, buf, sizeof buf);
		return (ui_fstr_has(buf, n->value));
	}
	if (n->addr.family != a->family)
		return (0);
	if (n->prefix >= 0) {
		bits = n->prefix;
		for (i = 0; bits >= 8; i++, bits -= 8) {
			if (a->ip[i] != n->addr.ip[i])
				return (0);
		}
		return (bits == 0 || ((a->ip[i] ^ n->addr.ip[i]) &
		    (0xff << (8 - bits)) & 0xff) == 0);
	}
	if (sw_addr_ip_cmp(a, &n->addr) != 0)
		return (0);
	/* A peer of port 0 is a client on any port (ui_fmt_peer()). */
	return (n->addr.port == 0 || a->port == 0 || n->addr.port == a->port);
}

/* The term N about an alert on its own (no call row). */
static int
ui_fterm_alert(const struct ui_fnode *n, const struct alert *a)
{
	struct sw_addr	addr;
	char		code[8];

	switch (n->field) {
	case UI_FF_CODE:
		return (a->code >= n->lo && a->code <= n->hi);
	case UI_FF_IP:
		return ((sw_addr_parse(a->src, &addr) == 0 &&
		    ui_faddr_match(n, &addr)) ||
		    (sw_addr_parse(a->dst, &addr) == 0 &&
		    ui_faddr_match(n, &addr)) ||
		    (n->addr.family == 0 && (ui_fstr_has(a->src, n->value) ||
		    ui_fstr_has(a->dst, n->value))));
	case UI_FF_RULE:
		return (ui_fstr_has(a->rule, n->value));
	case UI_FF_METHOD:
		return (g_ascii_strcasecmp(a->method, n->value) == 0);
	case UI_FF_CALLID:
		return (ui_fstr_has(a->call_id, n->value));
	case UI_FF_TEXT:
		snprintf(code, sizeof code, "%d", a->code);
		return (ui_fstr_has(a->summary, n->value) ||
		    ui_fstr_has(a->call_id, n->value) ||
		    ui_fstr_has(a->rule, n->value) ||
		    ui_fstr_has(a->src, n->value) ||
		    ui_fstr_has(a->dst, n->value) ||
		    g_ascii_strcasecmp(a->method, n->value) == 0);
	default:
		return (0);
	}
}

/* The text term N about the call of S: the row, then the messages. */
static int
ui_fterm_text(const struct ui_fnode *n, struct ui_filter_subject *s)
{
	const struct ui_call_row	*r = s->row;
	const struct ui_call		*c;
	unsigned			 i;

	if (ui_fstr_has(r->call_id, n->value) ||
	    ui_fstr_has(r->caller, n->value) ||
	    ui_fstr_has(r->callee, n->value) ||
	    ui_fstr_has(r->refer_to, n->value))
		return (1);
	for (i = SIP_METHOD_INVITE; i < SIP_METHOD_OTHER; i++) {
		if ((r->methods & (1U << i)) != 0 &&
		    g_ascii_strcasecmp(n->value,
		    sip_method_name((enum sip_method)i)) == 0)
			return (1);
	}
	for (i = 0; i < r->nhosts; i++) {
		char	buf[SW_ADDRSTRLEN];

		sw_addr_format(&r->hosts[i], buf, sizeof buf);
		if (ui_fstr_has(buf, n->value))
			return (1);
	}
	if ((c = ui_fsubject_call(s)) == NULL)
		return (0);
	for (i = 0; i < c->nmsgs; i++) {
		if (ui_fmem_has(c->msgs[i].raw, c->msgs[i].raw_len, n->value))
			return (1);
	}
	return (0);
}

static int
ui_fterm_call(const struct ui_fnode *n, struct ui_filter_subject *s)
{
	const struct ui_call_row	*r = s->row;
	unsigned			 i;
	int				 code;

	switch (n->field) {
	case UI_FF_CODE:
		for (code = n->lo; code <= n->hi; code++) {
			if (ui_call_has_code(r, code))
				return (1);
		}
		return (0);
	case UI_FF_STATE:
		if ((n->states & UI_FSTATE_XFER) && r->xfer != UI_XFER_NONE)
			return (1);
		return ((n->states & (1U << r->state)) != 0);
	case UI_FF_FROM:
		return (ui_fstr_has(r->caller, n->value) ||
		    ui_fsubject_header(s, "from", n->value));
	case UI_FF_TO:
		return (ui_fstr_has(r->callee, n->value) ||
		    ui_fsubject_header(s, "to", n->value));
	case UI_FF_IP:
		for (i = 0; i < r->nhosts; i++) {
			if (ui_faddr_match(n, &r->hosts[i]))
				return (1);
		}
		return (0);
	case UI_FF_UA:
		return (ui_fsubject_header(s, "user-agent", n->value) ||
		    ui_fsubject_header(s, "server", n->value));
	case UI_FF_HDR:
		return (ui_fsubject_header(s, n->hname, n->value));
	case UI_FF_RULE:
		/* The row keeps its rules when the ring lost the alerts. */
		if (ui_fstr_has(r->rules, n->value))
			return (1);
		for (i = 0; i < s->nalerts; i++) {
			if (ui_fstr_has(s->alerts[i]->rule, n->value))
				return (1);
		}
		return (0);
	case UI_FF_METHOD:
		if (n->method >= 0 && n->method < 32)
			return ((r->methods & (1U << n->method)) != 0 ||
			    g_ascii_strcasecmp(r->method, n->value) == 0);
		return (g_ascii_strcasecmp(r->method, n->value) == 0);
	case UI_FF_CALLID:
		return (ui_fstr_has(r->call_id, n->value));
	case UI_FF_TEXT:
		return (ui_fterm_text(n, s));
	}
	return (0);
}

static int
ui_fnode_eval(const struct ui_fnode *n, struct ui_filter_subject *s)
{
	switch (n->op) {
	case UI_FOP_AND:
		return (ui_fnode_eval(n->a, s) && ui_fnode_eval(n->b, s));
	case UI_FOP_OR:
		return (ui_fnode_eval(n->a, s) || ui_fnode_eval(n->b, s));
	case UI_FOP_NOT:
		return (!ui_fnode_eval(n->a, s));
	case UI_FOP_TERM:
		break;
	}
	if (s->row != NULL)
		return (ui_fterm_call(n, s));
	if (s->alert != NULL)
		return (ui_fterm_alert(n, s->alert));
	return (0);
}

int
ui_filter_eval(const struct ui_filter *f, struct ui_filter_subject *s)
{
	if (f == NULL)
		return (1);
	return (ui_fnode_eval(f->root, s));
}

/* The term N about a peer on its own: its address, its share. */
static int
ui_fterm_peer(const struct ui_fnode *n, const struct ui_peer_row *p)
{
	char	buf[SW_ADDRSTRLEN];

	switch (n->field) {
	case UI_FF_IP:
		return (ui_faddr_match(n, &p->addr));
	case UI_FF_TEXT:
		ui_fmt_peer(buf, sizeof buf, &p->addr);
		return (ui_fstr_has(buf, n->value));
	case UI_FF_CODE:
		if (n->lo == n->hi)
			return (p->backoff_code == n->lo);
		return ((n->lo == 400 && n->hi == 499 && p->c4 > 0) ||
		    (n->lo == 500 && n->hi == 599 && p->c5 > 0) ||
		    (n->lo == 600 && n->hi == 699 && p->c6 > 0));
	default:
		return (0);
	}
}

static int
ui_fnode_peer(const struct ui_fnode *n, const struct ui_peer_row *p)
{
	switch (n->op) {
	case UI_FOP_AND:
		return (ui_fnode_peer(n->a, p) && ui_fnode_peer(n->b, p));
	case UI_FOP_OR:
		return (ui_fnode_peer(n->a, p) || ui_fnode_peer(n->b, p));
	case UI_FOP_NOT:
		return (!ui_fnode_peer(n->a, p));
	case UI_FOP_TERM:
		break;
	}
	return (ui_fterm_peer(n, p));
}

int
ui_filter_peer(const struct ui_filter *f, const struct ui_peer_row *p)
{
	if (f == NULL)
		return (1);
	return (ui_fnode_peer(f->root, p));
}

char *
ui_filter_quote(const char *field, const char *value)
{
	GString		*s = g_string_new(field);
	const char	*p;
	int		 plain = *value != '\0';

	for (p = value; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '"' || *p == '(' ||
		    *p == ')' || *p == '\\')
			plain = 0;
	}
	if (plain) {
		g_string_append(s, value);
		return (g_string_free(s, FALSE));
	}
	g_string_append_c(s, '"');
	for (p = value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *p);
	}
	g_string_append_c(s, '"');
	return (g_string_free(s, FALSE));
}

/* --- alerts by call --------------------------------------------------- */

struct ui_alert_entry {
	UT_hash_handle		 hh;
	const char		*call_id;	/* borrowed from the alert */
	const struct alert	**v;
	unsigned		 n, cap;
};

struct ui_alert_index {
	struct ui_alert_entry	*table;
};

struct ui_alert_index *
ui_alert_index_build(const struct ui_snap *s)
{
	struct ui_alert_index	*ai;
	struct ui_alert_entry	*e;
	const struct alert	*a;
	unsigned		 i;

	ai = xcalloc(1, sizeof *ai);
	/* The snapshot is newest first: so is each call's list. */
	for (i = 0; s != NULL && i < s->nalerts; i++) {
		a = &s->alerts[i].a;
		if (a->call_id == NULL || *a->call_id == '\0')
			continue;
		HASH_FIND_STR(ai->table, a->call_id, e);
		if (e == NULL) {
			e = xcalloc(1, sizeof *e);
			e->call_id = a->call_id;
			HASH_ADD_KEYPTR(hh, ai->table, e->call_id,
			    strlen(e->call_id), e);
		}
		if (e->n == e->cap) {
			e->cap = e->cap == 0 ? 4 : e->cap * 2;
			e->v = xreallocarray(e->v, e->cap, sizeof *e->v);
		}
		e->v[e->n++] = a;
	}
	return (ai);
}

const struct alert *const *
ui_alert_index_get(const struct ui_alert_index *ai, const char *call_id,
    unsigned *n)
{
	struct ui_alert_entry	*e = NULL;

	*n = 0;
	if (ai == NULL || call_id == NULL)
		return (NULL);
	HASH_FIND_STR(ai->table, call_id, e);
	if (e == NULL)
		return (NULL);
	*n = e->n;
	return (e->v);
}

void
ui_alert_index_free(struct ui_alert_index *ai)
{
	struct ui_alert_entry	*e, *tmp;

	if (ai == NULL)
		return;
	HASH_ITER(hh, ai->table, e, tmp) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, ai->table, e);
		free(e->v);
		free(e);
	}
	free(ai);
}

int
ui_filter_check(const char *text, char **cause)
{
	struct ui_filter	*f;

	if ((f = ui_filter_parse(text, cause)) == NULL)
		return (-1);
	ui_filter_free(f);
	return (0);
}

/* --- calls of a model ------------------------------------------------- */

struct ui_filter_fetch {
	struct ui_model	*model;
	const char	*call_id;
	struct ui_call	*got;
};

static const struct ui_call *
ui_filter_fetch(void *arg)
{
	struct ui_filter_fetch	*f = arg;

	f->got = ui_model_call(f->model, f->call_id, NULL);
	return (f->got);
}

int
ui_filter_model_call(const struct ui_filter *f, struct ui_model *m,
    const struct ui_call_row *r, const struct ui_alert_index *ai)
{
	struct ui_filter_subject	subj;
	struct ui_filter_fetch		fetch;
	int				match;

	memset(&subj, 0, sizeof subj);
	subj.row = r;
	subj.alerts = ui_alert_index_get(ai, r->call_id, &subj.nalerts);
	fetch.model = m;
	fetch.call_id = r->call_id;
	fetch.got = NULL;
	subj.fetch = ui_filter_fetch;
	subj.fetch_arg = &fetch;
	match = ui_filter_eval(f, &subj);
	ui_call_free(fetch.got);
	return (match);
}
