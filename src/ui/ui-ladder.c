/*
 * ui-ladder.c: the ladder diagram of one call: the elements it went
 * through as columns (in the order they appeared), one row per message
 * with an arrow from sender to receiver labelled with the method or the
 * status code, the time since the first message on the left and an R
 * for a retransmission.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decode/decode.h"
#include "ui/ui-int.h"

#define UI_LADDER_TIME_W	10	/* "+12.345 R>" */
#define UI_LADDER_MIN_COL	12	/* narrowest column per host */

#define UI_CH_VLINE	0x2502	/* │ */
#define UI_CH_HLINE	0x2500	/* ─ */

void
ui_ladder_layout(const struct ui_call *call, int w, struct ui_ladder *out)
{
	unsigned	n, fit, i;
	int		span;

	memset(out, 0, sizeof *out);
	out->time_w = UI_LADDER_TIME_W;
	n = call->row.nhosts;
	if (n == 0)
		return;
	fit = (unsigned)((w - out->time_w) / UI_LADDER_MIN_COL);
	if (fit < 2)
		fit = 2;
	if (n > fit)
		n = fit;
	span = (w - out->time_w) / (int)n;
	for (i = 0; i < n; i++) {
		out->hosts[i] = call->row.hosts[i];
		out->col[i] = out->time_w + span * (int)i + span / 2;
	}
	out->nhosts = n;
}

/* The column of address A (the last one for hosts that did not fit). */
static unsigned
ui_ladder_column(const struct ui_ladder *l, const struct ui_call *call,
    const struct sw_addr *a)
{
	unsigned	i;

	for (i = 0; i < call->row.nhosts; i++) {
		if (sw_addr_cmp(&call->row.hosts[i], a) == 0)
			break;
	}
	if (i >= l->nhosts)
		i = l->nhosts - 1;
	return (i);
}

/*
 * Rows the element names take: one when every name fits between its
 * neighbours' lifelines, else two (names alternate between the rows,
 * so each gets two spans).
 */
static int
ui_ladder_header_h(const struct ui_ladder *l, int w)
{
	char		 name[SW_ADDRSTRLEN];
	unsigned	 i;
	int		 span;

	if (l->nhosts < 2)
		return (1);
	span = l->col[1] - l->col[0];
	for (i = 0; i < l->nhosts; i++) {
		sw_addr_format(&l->hosts[i], name, sizeof name);
		if (ui_text_width(name) > span - 1)
			return (w > 0 ? 2 : 1);
	}
	return (1);
}

int
ui_ladder_rows(const struct ui_call *call, const struct ui_rect *r)
{
	struct ui_ladder	l;
	int			rows;

	rows = r->h - 1;
	if (call != NULL && call->nmsgs > 0) {
		ui_ladder_layout(call, r->w, &l);
		if (r->h > 3)
			rows = r->h - ui_ladder_header_h(&l, r->w);
	}
	return (rows > 1 ? rows : 1);
}

/* The element names over their lifelines, whole unless even two spans
 * are too narrow (then cut with an ellipsis). */
static void
ui_ladder_header(struct ui_canvas *c, const struct ui_rect *r,
    const struct ui_ladder *l, int hrows)
{
	char		 name[SW_ADDRSTRLEN];
	unsigned	 i;
	int		 span, room, w, x, y;

	span = l->nhosts > 1 ? l->col[1] - l->col[0] : r->w - l->time_w;
	room = hrows == 2 ? 2 * span - 1 : span - 1;
	for (i = 0; i < l->nhosts; i++) {
		sw_addr_format(&l->hosts[i], name, sizeof name);
		w = ui_text_width(name);
		if (w > room)
			w = room;
		x = r->x + l->col[i] - w / 2;
		if (x < r->x + l->time_w - 1)
			x = r->x + l->time_w - 1;
		y = r->y + (hrows == 2 ? (int)(i % 2) : 0);
		ui_canvas_fit(c, x, y, w, UI_COL_HEADER, name, UI_FIT_END);
		if (hrows == 2 && i % 2 == 0)
			ui_canvas_fill(c, r->x + l->col[i], r->y + 1, 1,
			    UI_COL_DIM, c->utf8 ? UI_CH_VLINE : '|');
	}
}

static void
ui_ladder_row(struct ui_canvas *c, const struct ui_rect *r,
    const struct ui_ladder *l, const struct ui_call *call,
    const struct ui_msg *m, int y, int selected)
{
	char		 label[UI_METHOD_MAX + UI_REASON_MAX + 16];
	enum ui_colour	 col;
	unsigned	 i, s, d;
	int64_t		 rel;
	int		 x0, x1, lw, lx, left;

	rel = m->ts_us - call->msgs[0].ts_us;
	if (rel < 1000 * 1000000LL)
		snprintf(label, sizeof label, "+%lld.%03lld",
		    (long long)(rel / 1000000),
		    (long long)(rel / 1000 % 1000));
	else
		snprintf(label, sizeof label, "+%llds",
		    (long long)(rel / 1000000));
	ui_canvas_printf(c, r->x, y, 7, UI_COL_DIM, "%7s", label);
	if (m->retrans)
		ui_canvas_text(c, r->x + 8, y, 1, UI_COL_RETRANS, "R");

	for (i = 0; i < l->nhosts; i++)
		ui_canvas_fill(c, r->x + l->col[i], y, 1, UI_COL_DIM,
		    c->utf8 ? UI_CH_VLINE : '|');

	if (m->retrans)
		col = UI_COL_RETRANS;
	else if (m->is_request)
		col = UI_COL_REQUEST;
	else
		col = ui_colour_class(m->status / 100);
	ui_fmt_msg_label(label, sizeof label, m);
	s = ui_ladder_column(l, call, &m->src);
	d = ui_ladder_column(l, call, &m->dst);
	if (s == d) {
		/* To itself, or both beyond the columns shown. */
		char	self[sizeof label + 8];

		snprintf(self, sizeof self, "<-> %s", label);
		ui_canvas_fit(c, r->x + l->col[s] + 1, y,
		    r->w - l->col[s] - 1, col, self, UI_FIT_END);
	} else {
		left = s > d;
		x0 = r->x + l->col[left ? d : s] + 1;
		x1 = r->x + l->col[left ? s : d] - 1;
		ui_canvas_fill(c, x0, y, x1 - x0 + 1, col,
		    c->utf8 ? UI_CH_HLINE : '-');
		if (left)
			ui_canvas_fill(c, x0, y, 1, col, '<');
		else
			ui_canvas_fill(c, x1, y, 1, col, '>');
		/* The label in the middle of the arrow, inside its heads. */
		lw = ui_text_width(label);
		if (lw > x1 - x0 - 3)
			lw = x1 - x0 - 3;
		if (lw > 0) {
			lx = x0 + (x1 - x0 + 1 - lw) / 2;
			ui_canvas_fit(c, lx, y, lw, col, label, UI_FIT_END);
		}
	}
	if (selected) {
		/* Marked in the text too, for monochrome and captures. */
		ui_canvas_text(c, r->x + 9, y, 1, UI_COL_SELECT,
		    c->utf8 ? "\u25b6" : ">");
		ui_canvas_paint(c, r->x, y, r->w, UI_COL_SELECT);
	}
}

int
ui_ladder_draw(struct ui_canvas *c, const struct ui_rect *r,
    const struct ui_call *call, int top, int sel)
{
	struct ui_ladder	l;
	int			rows, i, y, hrows;

	if (r->h < 2 || call == NULL || call->nmsgs == 0)
		return (0);
	ui_ladder_layout(call, r->w, &l);
	if (l.nhosts == 0)
		return (0);
	rows = ui_ladder_rows(call, r);
	hrows = r->h - rows;
	ui_ladder_header(c, r, &l, hrows);
	for (i = 0; i < rows && top + i < (int)call->nmsgs; i++) {
		y = r->y + hrows + i;
		ui_ladder_row(c, r, &l, call, &call->msgs[top + i], y,
		    top + i == sel);
	}
	return (rows);
}
