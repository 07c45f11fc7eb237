/*
 * ui-canvas.c: a grid of cells the screens are drawn into (see
 * ui-int.h).  Each cell holds one Unicode character and a semantic
 * colour; a wide character (CJK) takes two cells, the second holding 0.
 * ui-term.c copies the grid to the terminal; tests read it as text.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ui/ui-int.h"

enum ui_colour
ui_colour_severity(enum alert_severity s)
{
	switch (s) {
	case ALERT_CRITICAL:
		return (UI_COL_CRITICAL);
	case ALERT_ERROR:
		return (UI_COL_ERROR);
	case ALERT_WARNING:
		return (UI_COL_WARNING);
	case ALERT_NOTICE:
		return (UI_COL_NOTICE);
	default:
		return (UI_COL_INFO);
	}
}

enum ui_colour
ui_colour_class(int c)
{
	if (c < 1 || c > 6)
		return (UI_COL_NORMAL);
	return ((enum ui_colour)(UI_COL_1XX + c - 1));
}

void
ui_canvas_resize(struct ui_canvas *c, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	free(c->cells);
	c->w = w;
	c->h = h;
	c->cells = xcalloc((size_t)w * (size_t)h, sizeof *c->cells);
	ui_canvas_clear(c);
}

void
ui_canvas_free(struct ui_canvas *c)
{
	free(c->cells);
	c->cells = NULL;
	c->w = c->h = 0;
}

void
ui_canvas_clear(struct ui_canvas *c)
{
	size_t	i, n = (size_t)c->w * (size_t)c->h;

	for (i = 0; i < n; i++) {
		c->cells[i].ch = ' ';
		c->cells[i].colour = UI_COL_NORMAL;
	}
}

static struct ui_cell *
ui_canvas_at(struct ui_canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return (NULL);
	return (&c->cells[(size_t)y * (size_t)c->w + (size_t)x]);
}

/* Columns a character takes: 0, 1 or 2. */
static int
ui_char_width(gunichar ch)
{
	if (g_unichar_iszerowidth(ch))
		return (0);
	return (g_unichar_iswide(ch) ? 2 : 1);
}

int
ui_text_width(const char *text)
{
	const char	*p, *next;
	int		 w = 0;

	if (text == NULL)
		return (0);
	for (p = text; *p != '\0'; p = next)
		w += ui_text_char_width(p, &next);
	return (w);
}

/* Overwriting half of a wide character blanks its other half. */
static void
ui_canvas_set(struct ui_canvas *c, int x, int y, uint32_t ch, int width,
    enum ui_colour colour)
{
	struct ui_cell	*cell, *n;

	if ((cell = ui_canvas_at(c, x, y)) == NULL)
		return;
	if (cell->ch == 0 && (n = ui_canvas_at(c, x - 1, y)) != NULL)
		n->ch = ' ';
	if ((n = ui_canvas_at(c, x + width, y)) != NULL && n->ch == 0)
		n->ch = ' ';
	cell->ch = ch;
	cell->colour = (uint8_t)colour;
	if (width == 2 && (n = ui_canvas_at(c, x + 1, y)) != NULL) {
		n->ch = 0;
		n->colour = (uint8_t)colour;
	}
}

int
ui_canvas_text(struct ui_canvas *c, int x, int y, int maxw,
    enum ui_colour colour, const char *text)
{
	const char	*p;
	char		*esc;
	gunichar	 ch;
	int		 used = 0, cw;

	if (text == NULL || y < 0 || y >= c->h)
		return (0);
	if (maxw < 0 || x + maxw > c->w)
		maxw = c->w - x;
	/* Header text from the wire: controls and non-UTF-8 as \xHH. */
	esc = sw_utf8_escape_str(text, 0);
	for (p = esc; *p != '\0' && used < maxw; ) {
		ch = g_utf8_get_char_validated(p, -1);
		if (ch == (gunichar)-1 || ch == (gunichar)-2) {
			ch = '?';
			p++;
		} else
			p = g_utf8_next_char(p);
		if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0))
			ch = '?';
		cw = ui_char_width(ch);
		if (cw == 0)
			continue;
		if (used + cw > maxw)
			break;
		if (!c->utf8 && ch >= 0x80)
			ch = '?';
		ui_canvas_set(c, x + used, y, ch, cw, colour);
		used += cw;
	}
	free(esc);
	return (used);
}

int
ui_canvas_printf(struct ui_canvas *c, int x, int y, int maxw,
    enum ui_colour colour, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		return (0);
	n = ui_canvas_text(c, x, y, maxw, colour, s);
	free(s);
	return (n);
}

void
ui_canvas_fill(struct ui_canvas *c, int x, int y, int w,
    enum ui_colour colour, uint32_t ch)
{
	int	i;

	if (!c->utf8 && ch >= 0x80)
		ch = ' ';
	for (i = 0; i < w; i++)
		ui_canvas_set(c, x + i, y, ch, 1, colour);
}

void
ui_canvas_paint(struct ui_canvas *c, int x, int y, int w,
    enum ui_colour colour)
{
	struct ui_cell	*cell;
	int		 i;

	for (i = 0; i < w; i++) {
		if ((cell = ui_canvas_at(c, x + i, y)) != NULL)
			cell->colour = (uint8_t)colour;
	}
}

char *
ui_canvas_row(const struct ui_canvas *c, int y)
{
	GString			*s;
	const struct ui_cell	*cell;
	char			*out;
	int			 x;

	s = g_string_new(NULL);
	if (y >= 0 && y < c->h) {
		for (x = 0; x < c->w; x++) {
			cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
			if (cell->ch != 0)
				g_string_append_unichar(s, cell->ch);
		}
	}
	while (s->len > 0 && s->str[s->len - 1] == ' ')
		g_string_truncate(s, s->len - 1);
	out = xstrdup(s->str);
	g_string_free(s, TRUE);
	return (out);
}

char *
ui_canvas_text_dump(const struct ui_canvas *c)
{
	GString	*s;
	char	*row, *out;
	int	 y;

	s = g_string_new(NULL);
	for (y = 0; y < c->h; y++) {
		row = ui_canvas_row(c, y);
		g_string_append(s, row);
		g_string_append_c(s, '\n');
		free(row);
	}
	out = xstrdup(s->str);
	g_string_free(s, TRUE);
	return (out);
}
