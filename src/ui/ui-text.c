/*
 * ui-text.c: text that must fit a width: cut with an ellipsis that
 * shows the cut, numbers shortened rather than cut, and the columns of
 * a list laid out so that what must be read whole (an address, a
 * number) is never cut: columns are dropped by priority instead.
 *
 * Beside ui-canvas.c's ui_canvas_text(), which writes what fits and
 * stops without a sign; every screen goes through these.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ui/ui-int.h"

#define UI_ELLIPSIS_UTF8	"\u2026"	/* … */
#define UI_ELLIPSIS_ASCII	"~"

const char *
ui_ellipsis(int utf8)
{
	return (utf8 ? UI_ELLIPSIS_UTF8 : UI_ELLIPSIS_ASCII);
}

int
ui_text_char_width(const char *p, const char **next)
{
	uint32_t	cp;
	size_t		n;

	n = sw_utf8_seq(p, strnlen(p, 4), &cp);
	if (n == 0) {
		/* Not UTF-8: this byte is drawn as \xHH. */
		*next = p + 1;
		return (4);
	}
	*next = p + n;
	if (sw_utf8_is_control(cp))
		return (4 * (int)n);	/* \xHH for each of its bytes */
	if (g_unichar_iszerowidth(cp))
		return (0);
	return (g_unichar_iswide(cp) ? 2 : 1);
}

/* The bytes of TEXT's first W columns (no character split). */
static size_t
ui_text_head(const char *text, int w, int *used)
{
	const char	*p = text, *next;
	int		 cw, u = 0;

	while (*p != '\0') {
		cw = ui_text_char_width(p, &next);
		if (u + cw > w)
			break;
		u += cw;
		p = next;
	}
	*used = u;
	return ((size_t)(p - text));
}

/* Columns of the first LEN bytes of TEXT. */
static int
ui_text_width_n(const char *text, size_t len)
{
	const char	*p = text, *next;
	int		 w = 0;

	while ((size_t)(p - text) < len && *p != '\0') {
		w += ui_text_char_width(p, &next);
		p = next;
	}
	return (w);
}

/* Where TEXT's last W columns start (no character split). */
static const char *
ui_text_tail(const char *text, int w, int *used)
{
	const char	*p = text, *next;
	int		 total, cw, u;

	total = ui_text_width(text);
	u = total;
	while (*p != '\0' && u > w) {
		cw = ui_text_char_width(p, &next);
		u -= cw;
		p = next;
	}
	*used = u;
	return (p);
}

char *
ui_text_fit(const char *text, int w, enum ui_fit how, int utf8)
{
	const char	*ell = ui_ellipsis(utf8), *tail;
	GString		*s;
	size_t		 n;
	int		 used, room, left;

	if (text == NULL)
		text = "";
	if (w <= 0)
		return (xstrdup(""));
	if (ui_text_width(text) <= w)
		return (xstrdup(text));
	s = g_string_new(NULL);
	room = w - 1;		/* the ellipsis takes one column */
	switch (how) {
	case UI_FIT_START:
		tail = ui_text_tail(text, room, &used);
		g_string_append(s, ell);
		g_string_append(s, tail);
		break;
	case UI_FIT_MIDDLE:
		left = (room + 1) / 2;
		n = ui_text_head(text, left, &used);
		g_string_append_len(s, text, (gssize)n);
		g_string_append(s, ell);
		tail = ui_text_tail(text + n, room - used, &used);
		g_string_append(s, tail);
		break;
	case UI_FIT_WORD:
		/*
		 * Prose: cut after the last whole word when one ends in the
		 * last 40 % of the room, so that an address or a number in
		 * the text is never cut in the middle.
		 */
		n = ui_text_head(text, room > 1 ? room - 1 : room, &used);
		left = (int)n;
		while (left > 0 && text[left - 1] != ' ' &&
		    text[left] != ' ')
			left--;
		if (left > 0 && ui_text_width_n(text, (size_t)left) >=
		    room * 3 / 5) {
			while (left > 0 && text[left - 1] == ' ')
				left--;
			n = (size_t)left;
			g_string_append_len(s, text, (gssize)n);
			g_string_append_c(s, ' ');
		} else {
			n = ui_text_head(text, room, &used);
			g_string_append_len(s, text, (gssize)n);
		}
		g_string_append(s, ell);
		break;
	case UI_FIT_END:
	default:
		n = ui_text_head(text, room, &used);
		g_string_append_len(s, text, (gssize)n);
		g_string_append(s, ell);
		break;
	}
	return (g_string_free(s, FALSE));
}

int
ui_canvas_fit(struct ui_canvas *c, int x, int y, int w, enum ui_colour colour,
    const char *text, enum ui_fit how)
{
	char	*s;
	int	 n;

	if (text == NULL || w <= 0)
		return (0);
	if (x + w > c->w)
		w = c->w - x;
	if (w <= 0)
		return (0);
	if (ui_text_width(text) <= w)
		return (ui_canvas_text(c, x, y, w, colour, text));
	s = ui_text_fit(text, w, how, c->utf8);
	n = ui_canvas_text(c, x, y, w, colour, s);
	free(s);
	return (n);
}

int
ui_canvas_right(struct ui_canvas *c, int x, int y, int w,
    enum ui_colour colour, const char *text)
{
	int	tw = ui_text_width(text);

	if (w <= 0)
		return (0);
	if (tw >= w)
		return (ui_canvas_fit(c, x, y, w, colour, text, UI_FIT_END));
	return (ui_canvas_text(c, x + w - tw, y, tw, colour, text));
}

void
ui_fmt_count(char *buf, size_t len, uint64_t v, int w)
{
	static const char	 units[] = "kMGTPE";
	double			 d = (double)v;
	int			 u = -1;

	snprintf(buf, len, "%llu", (unsigned long long)v);
	if (w <= 0 || (int)strlen(buf) <= w)
		return;
	/* 12345678 in 6 columns: "12.3M"; never a cut number. */
	while (u < (int)sizeof units - 2) {
		d /= 1000.0;
		u++;
		if (d < 9.95)
			snprintf(buf, len, "%.1f%c", d, units[u]);
		else
			snprintf(buf, len, "%.0f%c", d, units[u]);
		if ((int)strlen(buf) <= w)
			return;
	}
}

int
ui_canvas_count(struct ui_canvas *c, int x, int y, int w,
    enum ui_colour colour, uint64_t v)
{
	char	buf[32];

	ui_fmt_count(buf, sizeof buf, v, w);
	return (ui_canvas_right(c, x, y, w, colour, buf));
}

int
ui_text_is_number(const char *s)
{
	int	digits = 0;

	if (s == NULL)
		return (0);
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s != '+' && *s != '*' && *s != '#' && *s != '-' &&
		    *s != '.' && *s != ' ')
			return (0);
	}
	return (digits > 0);
}

/* Columns and gaps COLS take now. */
static int
ui_cols_total(const struct ui_col *cols, int n, int gap, int *shown)
{
	int	i, total = 0;

	*shown = 0;
	for (i = 0; i < n; i++) {
		if (cols[i].w > 0) {
			total += cols[i].w;
			(*shown)++;
		}
	}
	if (*shown > 1)
		total += gap * (*shown - 1);
	return (total);
}

/*
 * Lay out N columns in WIDTH from X0 with GAP between neighbours.  The
 * columns are visited from the least important: a cuttable one shrinks
 * (down to its minimum), a whole one is dropped, until the rest fits;
 * if that is not enough, cut columns are dropped too, least important
 * first.  What is left over goes to the flexible columns.
 */
void
ui_cols_layout(struct ui_col *cols, int n, int x0, int width, int gap)
{
	int	order[32], i, j, k, t, total, shown, x, extra, nflex, give;
	int	pass;

	if (n > (int)(sizeof order / sizeof order[0]))
		n = (int)(sizeof order / sizeof order[0]);
	for (i = 0; i < n; i++) {
		if (cols[i].min <= 0 || cols[i].min > cols[i].want)
			cols[i].min = cols[i].want;
		cols[i].w = cols[i].flex ? cols[i].min : cols[i].want;
		order[i] = i;
	}
	/* Least important first (the later column among equals). */
	for (i = 1; i < n; i++) {
		for (j = i; j > 0; j--) {
			k = order[j];
			t = order[j - 1];
			/* Stop at a column more important than K. */
			if (k < t ? cols[k].prio <= cols[t].prio :
			    cols[k].prio < cols[t].prio)
				break;
			order[j] = t;
			order[j - 1] = k;
		}
	}
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			k = order[i];
			total = ui_cols_total(cols, n, gap, &shown);
			if (total <= width)
				break;
			if (cols[k].w <= 0 || shown <= 1)
				continue;
			if (pass == 0 && cols[k].min < cols[k].w &&
			    !cols[k].flex) {
				give = cols[k].w - cols[k].min;
				if (give > total - width)
					give = total - width;
				cols[k].w -= give;
			} else if (pass == 1 || cols[k].min == cols[k].want)
				cols[k].w = 0;
		}
	}
	total = ui_cols_total(cols, n, gap, &shown);
	if (total > width) {
		/* One column left, wider than everything: it is cut. */
		for (i = 0; i < n; i++) {
			if (cols[i].w > 0)
				cols[i].w = width;
		}
	}
	/* What is left: to the flexible columns, then positions. */
	extra = width - ui_cols_total(cols, n, gap, &shown);
	for (i = nflex = 0; i < n; i++) {
		if (cols[i].w > 0 && cols[i].flex)
			nflex++;
	}
	for (i = 0; i < n && extra > 0 && nflex > 0; i++) {
		if (cols[i].w <= 0 || !cols[i].flex)
			continue;
		give = extra / nflex;
		cols[i].w += give;
		extra -= give;
		nflex--;
	}
	x = x0;
	for (i = 0; i < n; i++) {
		if (cols[i].w < 0)
			cols[i].w = 0;
		cols[i].x = x;
		if (cols[i].w > 0)
			x += cols[i].w + gap;
	}
}
