/*
 * kb-explain.c: "sipwatch explain CODE [CODE2]", the knowledge base on
 * the command line (see kb.h).
 *
 * One code prints its entry: header line, Summary, Meaning, When you see
 * it, What to do, At a glance (derived), Headers to check, Typical
 * methods, Deprecated, Related codes.  Two codes print each code's class
 * and meaning, when you see each, what to do for each, the derived Key
 * differences and When each applies.  Headings and derived sentences come
 * from the gettext catalog, the rest from the language file.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <glib.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "kb/kb.h"

#define KB_INDENT	4

struct kb_out {
	FILE			*fp;
	const struct kb		*kb;
	int			 width;		/* 0: no wrapping */
	int			 untranslated;	/* a shown field fell back */
};

static const char *const kb_closing = "。、，．・）」』】〕！？：；ー々";

/* May a line not start with C (CJK closing punctuation and the like)? */
static int
kb_no_break_before(gunichar c)
{
	const char	*p;

	if (c < 0x80)
		return (strchr(".,;:!?)]}", (int)c) != NULL);
	for (p = kb_closing; *p != '\0'; p = g_utf8_next_char(p)) {
		if (g_utf8_get_char(p) == c)
			return (1);
	}
	return (0);
}

static int
kb_char_width(gunichar c)
{
	if (g_unichar_iszerowidth(c))
		return (0);
	return (g_unichar_iswide(c) ? 2 : 1);
}

/* Append one wrapped paragraph (no newlines) of P to OUT. */
static void
kb_wrap_paragraph(GString *out, const char *p, int width, int indent)
{
	const char	*line, *brk, *s;
	int		 avail, w, brk_space;
	gunichar	 c;

	avail = width - indent;
	if (width <= 0 || avail < 10)
		avail = 0;
	while (*p == ' ')
		p++;
	line = p;
	for (;;) {
		brk = NULL;
		brk_space = 0;
		w = 0;
		for (s = line; *s != '\0'; s = g_utf8_next_char(s)) {
			c = g_utf8_get_char(s);
			if (c == ' ') {
				brk = s;
				brk_space = 1;
			} else if (s != line && (g_unichar_iswide(c) ||
			    g_unichar_iswide(g_utf8_get_char(
			    g_utf8_prev_char(s)))) && !kb_no_break_before(c) &&
			    *g_utf8_prev_char(s) != ' ') {
				brk = s;
				brk_space = 0;
			}
			w += kb_char_width(c);
			if (avail > 0 && w > avail && brk != NULL)
				break;
		}
		g_string_append_printf(out, "%*s", indent, "");
		if (*s == '\0' || brk == NULL) {
			g_string_append(out, line);
			g_string_append_c(out, '\n');
			return;
		}
		/* Emit up to the break, without trailing spaces. */
		s = brk;
		while (s > line && s[-1] == ' ')
			s--;
		g_string_append_len(out, line, s - line);
		g_string_append_c(out, '\n');
		line = brk;
		if (brk_space) {
			while (*line == ' ')
				line++;
		}
		if (*line == '\0')
			return;
	}
}

char *
kb_wrap(const char *text, int width, int indent)
{
	GString		 *out;
	gchar		**paras;
	char		 *s;
	size_t		  i;

	out = g_string_new(NULL);
	if (indent < 0)
		indent = 0;
	paras = g_strsplit(text, "\n", -1);
	for (i = 0; paras[i] != NULL; i++)
		kb_wrap_paragraph(out, paras[i], width, indent);
	g_strfreev(paras);
	if (out->len == 0)
		g_string_append_c(out, '\n');
	s = xstrdup(out->str);
	g_string_free(out, TRUE);
	return (s);
}

/* Print TEXT wrapped at the output width with INDENT. */
static void
kb_print(struct kb_out *o, const char *text, int indent)
{
	char	*s;

	s = kb_wrap(text, o->width, indent);
	fputs(s, o->fp);
	free(s);
}

/* Note whether a text field of E fell back to English. */
static void
kb_check_translated(struct kb_out *o, const struct kb_entry *e)
{
	const char *const	*missing;
	char			 prefix[16];
	size_t			 n, i, len;

	if (e->code != 0)
		snprintf(prefix, sizeof prefix, "%d.", e->code);
	else
		snprintf(prefix, sizeof prefix, "%dxx.", e->class);
	len = strlen(prefix);
	missing = kb_missing_translations(o->kb, &n);
	for (i = 0; i < n; i++) {
		if (strncmp(missing[i], prefix, len) == 0)
			o->untranslated = 1;
	}
}

/*
 * The "(5xx server failure, RFC3261)" part of a header line.  For an
 * unregistered code: "(4xx client failure, not registered)".
 */
static char *
kb_class_tag(const struct kb_entry *e)
{
	if (!e->registered)
		return (xasprintf("(%dxx %s, %s)", e->class,
		    kb_class_label(e->class), _("not registered")));
	return (xasprintf("(%dxx %s, %s)", e->class, kb_class_label(e->class),
	    e->rfc));
}

/* "503 Service Unavailable" or, unregistered, "477". */
static char *
kb_code_name(int code, const struct kb_entry *e)
{
	if (!e->registered)
		return (xasprintf("%d", code));
	return (xasprintf("%d %s", code, e->reason));
}

/* The localized title, when it says more than the registry phrase. */
static const char *
kb_local_title(const struct kb_entry *e)
{
	if (*e->title == '\0' || strcasecmp(e->title, e->reason) == 0)
		return (NULL);
	return (e->title);
}

/* TEXT as a bullet: "    - text", continuation lines aligned. */
static void
kb_print_bullet(struct kb_out *o, const char *text)
{
	char	*s;

	s = kb_wrap(text, o->width, KB_INDENT + 2);
	s[KB_INDENT] = '-';
	fputs(s, o->fp);
	free(s);
}

static void
kb_heading(struct kb_out *o, const char *title)
{
	fprintf(o->fp, "\n%s\n", title);
}

static void
kb_section(struct kb_out *o, const char *title, const char *text)
{
	kb_heading(o, title);
	kb_print(o, text, KB_INDENT);
}

static void
kb_print_headers(struct kb_out *o, const struct kb_entry *e)
{
	const char	*hint;
	char		*s;
	size_t		 i;

	kb_heading(o, _("Headers to check"));
	if (e->nheaders == 0) {
		kb_print(o, _("none in particular"), KB_INDENT);
		return;
	}
	for (i = 0; i < e->nheaders; i++) {
		if ((hint = kb_header_hint(e->headers[i])) != NULL)
			s = xasprintf("%s: %s", e->headers[i], hint);
		else
			s = xstrdup(e->headers[i]);
		kb_print_bullet(o, s);
		free(s);
	}
}

static void
kb_print_methods(struct kb_out *o, const struct kb_entry *e)
{
	char	*s, *t;
	size_t	 i;

	kb_heading(o, _("Typical methods"));
	if (e->nmethods == 0) {
		kb_print(o, _("any method"), KB_INDENT);
		return;
	}
	s = xstrdup(e->methods[0]);
	for (i = 1; i < e->nmethods; i++) {
		t = xasprintf("%s, %s", s, e->methods[i]);
		free(s);
		s = t;
	}
	kb_print(o, s, KB_INDENT);
	free(s);
}

static void
kb_print_related(struct kb_out *o, const struct kb_entry *e)
{
	const struct kb_entry	*r;
	size_t			 i;
	char			*s;

	if (e->nrelated == 0)
		return;
	kb_heading(o, _("Related codes"));
	for (i = 0; i < e->nrelated; i++) {
		r = kb_lookup(o->kb, e->related[i]);
		if (r != NULL && r->registered)
			s = xasprintf("%d %s: %s", e->related[i], r->reason,
			    r->summary);
		else
			s = xasprintf("%d", e->related[i]);
		kb_print_bullet(o, s);
		free(s);
	}
}

static void
kb_explain_one(struct kb_out *o, int code)
{
	const struct kb_entry	*e;
	struct kb_description	*d;
	char			*name, *tag, *s;
	size_t			 i;

	e = kb_lookup(o->kb, code);
	d = kb_describe(o->kb, code);
	kb_check_translated(o, e);

	name = kb_code_name(code, e);
	tag = kb_class_tag(e);
	fprintf(o->fp, "SIP %s %s\n", name, tag);
	free(name);
	free(tag);

	if (!e->registered) {
		s = xasprintf(_("Note: %d is not a registered response code. "
		    "RFC 3261 §8.1.3.2 says to handle an unrecognised code "
		    "as %d; what follows is the %dxx class entry."), code,
		    e->treated_as, e->class);
		kb_print(o, s, 0);
		free(s);
		fprintf(o->fp, "\n%s\n", e->title);
	} else if (kb_local_title(e) != NULL)
		kb_print(o, e->title, 0);

	kb_section(o, _("Summary"), e->summary);
	kb_section(o, _("Meaning"), e->meaning);
	kb_section(o, _("When you see it"), e->when);
	kb_section(o, _("What to do"), e->fix);

	kb_heading(o, _("At a glance"));
	for (i = 0; i < d->nlines; i++) {
		switch (d->lines[i].aspect) {
		case KB_ASPECT_CLASS:
		case KB_ASPECT_OUTCOME:
		case KB_ASPECT_RETRY:
		case KB_ASPECT_FAULT:
		case KB_ASPECT_DIALOG:
			kb_print_bullet(o, d->lines[i].text);
			break;
		default:
			break;
		}
	}
	kb_print_headers(o, e);
	kb_print_methods(o, e);

	if (e->registered && e->treated_as != 0) {
		kb_heading(o, _("Deprecated"));
		for (i = 0; i < d->nlines; i++) {
			if (d->lines[i].aspect == KB_ASPECT_DEPRECATION)
				kb_print(o, d->lines[i].text, KB_INDENT);
		}
		if (e->deprecated != NULL)
			kb_print(o, e->deprecated, KB_INDENT);
	} else if (e->registered && e->deprecated != NULL)
		kb_section(o, _("Note"), e->deprecated);
	kb_print_related(o, e);
	kb_description_free(d);
}

/* "202:" then TEXT indented below it. */
static void
kb_print_labelled(struct kb_out *o, int code, const char *text)
{
	fprintf(o->fp, "%*s%d:\n", KB_INDENT, "", code);
	kb_print(o, text, KB_INDENT * 2);
}

static void
kb_explain_two(struct kb_out *o, int a, int b)
{
	struct kb_comparison	*c;
	const struct kb_entry	*e;
	char			*name, *tag, *s;
	size_t			 i;
	int			 k;

	c = kb_compare(o->kb, a, b);

	/* Title line. */
	fputs("SIP ", o->fp);
	for (k = 0; k < 2; k++) {
		name = kb_code_name(c->code[k], c->entry[k]);
		fprintf(o->fp, "%s%s", k == 1 ? _(" vs ") : "", name);
		free(name);
	}
	fputc('\n', o->fp);

	/* Each code's class and meaning. */
	for (k = 0; k < 2; k++) {
		e = c->entry[k];
		kb_check_translated(o, e);
		name = kb_code_name(c->code[k], e);
		tag = kb_class_tag(e);
		fprintf(o->fp, "\n%s %s\n", name, tag);
		free(name);
		free(tag);
		if (!e->registered) {
			s = xasprintf(_("Not registered: handled as %d "
			    "(RFC 3261 §8.1.3.2); the %dxx class entry "
			    "follows."), e->treated_as, e->class);
			kb_print(o, s, KB_INDENT);
			free(s);
		}
		if (!e->registered || kb_local_title(e) != NULL)
			kb_print(o, e->title, KB_INDENT);
		kb_print(o, e->meaning, KB_INDENT);
	}

	kb_heading(o, _("When you see it"));
	for (k = 0; k < 2; k++)
		kb_print_labelled(o, c->code[k], c->entry[k]->when);

	kb_heading(o, _("What to do"));
	for (k = 0; k < 2; k++)
		kb_print_labelled(o, c->code[k], c->entry[k]->fix);

	kb_heading(o, _("Key differences"));
	for (i = 0; i < c->ndiffs; i++)
		kb_print_bullet(o, c->diffs[i].text);

	kb_heading(o, _("When each applies"));
	for (k = 0; k < 2; k++)
		kb_print_labelled(o, c->code[k], c->applies[k]);

	kb_comparison_free(c);
}

/*
 * A class (5xx): what the class means (RFC 3261 §21.1 to §21.6), the
 * registered codes in it with their summaries, then how an unregistered
 * code of the class is handled (§8.1.3.2) and what to do about one.
 */
static void
kb_explain_class(struct kb_out *o, int class)
{
	const struct kb_entry	*e = kb_class(o->kb, class), *r;
	const char		*m, *dot;
	char			*s, up[8];
	gunichar		 first;
	int			 code, len;

	kb_check_translated(o, e);
	fprintf(o->fp, "SIP %dxx (%s, RFC 3261 §21.%d)\n", class,
	    kb_class_label(class), class);
	/* The meaning as a sentence: its first letter upper case. */
	m = kb_class_meaning(class);
	dot = *m != '\0' && !g_unichar_ispunct(g_utf8_get_char(
	    g_utf8_prev_char(m + strlen(m)))) ? (strcmp(kb_language(o->kb),
	    "ja") == 0 ? "\u3002" : ".") : "";
	first = g_utf8_get_char_validated(m, -1);
	if (first == (gunichar)-1 || first == (gunichar)-2 || *m == '\0')
		s = xasprintf("%s%s", m, dot);
	else {
		len = g_unichar_to_utf8(g_unichar_toupper(first), up);
		up[len] = '\0';
		s = xasprintf("%s%s%s", up, g_utf8_next_char(m), dot);
	}
	kb_print(o, s, 0);
	free(s);
	kb_section(o, _("Meaning"), e->meaning);

	kb_heading(o, _("Codes in this class"));
	for (code = kb_next_code(o->kb, class * 100 - 1);
	    code != -1 && code < class * 100 + 100;
	    code = kb_next_code(o->kb, code)) {
		r = kb_lookup(o->kb, code);
		s = xasprintf("%d %s: %s", code, r->reason, r->summary);
		kb_print_bullet(o, s);
		free(s);
	}

	kb_heading(o, e->title);
	kb_print(o, e->summary, KB_INDENT);
	kb_section(o, _("When you see it"), e->when);
	kb_section(o, _("What to do"), e->fix);
}

int
kb_explain_write(const struct kb *kb, int a, int b, int width, FILE *out)
{
	struct kb_out	o;

	if (a < 100 || a > 699 || (b != 0 && (b < 100 || b > 699)))
		return (-1);
	memset(&o, 0, sizeof o);
	o.fp = out;
	o.kb = kb;
	o.width = width;
	if (b == 0 || b == a)
		kb_explain_one(&o, a);
	else
		kb_explain_two(&o, a, b);
	return (o.untranslated);
}

/*
 * Parse a response code (100..699), or a class ("5xx": *CODE is then
 * -5): 0, or -1 if S is neither.
 */
static int
kb_parse_code(const char *s, int *code)
{
	char	*end;
	long	 v;

	if (s[0] >= '1' && s[0] <= '6' && (s[1] == 'x' || s[1] == 'X') &&
	    (s[2] == 'x' || s[2] == 'X') && s[3] == '\0') {
		*code = -(s[0] - '0');
		return (0);
	}
	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 100 || v > 699)
		return (-1);
	*code = (int)v;
	return (0);
}

static void
kb_explain_usage(FILE *fp)
{
	fprintf(fp, "%s\n", _("usage: sipwatch explain CODE [CODE2] | "
	    "CLASS (5xx) [--lang=en|ru|ja|tr] [--datadir=DIR] [--width=N]"));
}

static int
kb_terminal_width(FILE *fp)
{
	struct winsize	ws;

	if (!isatty(fileno(fp)))
		return (0);
	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0)
		return (80);
	return (ws.ws_col > 100 ? 100 : ws.ws_col);
}

int
kb_explain_main(int argc, char **argv, FILE *out)
{
	static const struct option longopts[] = {
		{ "lang",	required_argument,	NULL, 'l' },
		{ "datadir",	required_argument,	NULL, 'd' },
		{ "width",	required_argument,	NULL, 'w' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct kb_out	 o;
	struct kb	*kb;
	const char	*lang = NULL, *datadir = NULL;
	char		*cause = NULL, *end, *text = NULL, *esc;
	size_t		 textlen = 0;
	int		 ch, codes[2], ncodes, i, width = -1;
	long		 v;

	optind = 1;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "d:hl:w:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'l':
			lang = optarg;
			break;
		case 'd':
			datadir = optarg;
			break;
		case 'w':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    v < 0 || v > 1000) {
				fprintf(stderr, "sipwatch: --width: %s\n",
				    optarg);
				return (2);
			}
			width = (int)v;
			break;
		case 'h':
			(void)i18n_init(lang, &cause);
			free(cause);
			kb_explain_usage(out);
			return (0);
		default:
			kb_explain_usage(stderr);
			return (2);
		}
	}
	argc -= optind;
	argv += optind;

	if (i18n_init(lang, &cause) != 0) {
		fprintf(stderr, "sipwatch: %s\n", cause);
		free(cause);
		return (2);
	}
	if (argc < 1 || argc > 2) {
		kb_explain_usage(stderr);
		return (2);
	}
	ncodes = argc;
	for (i = 0; i < ncodes; i++) {
		if (kb_parse_code(argv[i], &codes[i]) != 0) {
			esc = sw_utf8_escape_str(argv[i], 0);
			fprintf(stderr, "sipwatch: ");
			fprintf(stderr, _("\"%s\" is not a SIP response code "
			    "(a number from 100 to 699)"), esc);
			fputc('\n', stderr);
			free(esc);
			return (2);
		}
	}
	if (ncodes == 2 && (codes[0] < 0 || codes[1] < 0)) {
		fprintf(stderr, "sipwatch: %s\n", _("a class (5xx) is "
		    "explained alone, not compared"));
		return (2);
	}

	memset(&o, 0, sizeof o);
	o.width = width >= 0 ? width : kb_terminal_width(out);
	if ((kb = kb_load(datadir, i18n_language(), &cause)) == NULL) {
		fprintf(stderr, "sipwatch: %s\n", cause);
		free(cause);
		return (1);
	}
	o.kb = kb;

	/*
	 * The text goes to a buffer first and reaches OUT escaped
	 * (sw_utf8_escape(), newlines kept): a knowledge base from
	 * --datadir cannot put control sequences on the terminal.
	 */
	if ((o.fp = open_memstream(&text, &textlen)) == NULL)
		fatal("open_memstream");
	if (codes[0] < 0)
		kb_explain_class(&o, -codes[0]);
	else if (ncodes == 1 || codes[0] == codes[1])
		kb_explain_one(&o, codes[0]);
	else
		kb_explain_two(&o, codes[0], codes[1]);
	if (fclose(o.fp) != 0)
		fatal("explain: cannot build the text");
	esc = sw_utf8_escape(text, textlen, SW_ESC_NL);
	fputs(esc, out);
	free(esc);
	free(text);

	if (o.untranslated) {
		fprintf(stderr, "sipwatch: %s\n", _("part of this text is not "
		    "translated yet; it is shown in English"));
	}
	kb_free(kb);
	return (fflush(out) == 0 ? 0 : 1);
}
