/*
 * ui-render.c: the dashboard's screens, drawn into a canvas from the
 * UI context (snapshot, lists, cursor).  Rendering only: the numbers
 * come from ui-view.c, scroll positions from ui-keys.c.
 *
 * Main screen: status lines, response codes (per class: last 10 s,
 * total, a per-second history; the top codes), alerts (newest first,
 * a badge per rule), peers, calls, key hints.  Detail view: the call's
 * ladder, the raw message under the cursor and the knowledge-base text
 * for its code.  Knowledge-base view: "sipwatch explain" text, one code
 * or two compared.  Help.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/i18n.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "kb/kb.h"
#include "sip/sip.h"
#include "track/track.h"
#include "ui/ui-int.h"

#define UI_RECENT_SECS	10	/* "last interval" of the codes panel */

static const char *const ui_spark_utf8[] = {
	" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
	"\u2587", "\u2588"
};
static const char ui_spark_ascii[] = " .:-=+*#@";

/* A bar across W columns at X, Y: spaces in COLOUR. */
static void
ui_bar(struct ui_canvas *c, int x, int y, int w, enum ui_colour col)
{
	ui_canvas_fill(c, x, y, w, col, ' ');
}

/* TEXT right-aligned in the W columns from X (an ellipsis if cut). */
static void
ui_text_right(struct ui_canvas *c, int x, int y, int w, enum ui_colour col,
    const char *text)
{
	(void)ui_canvas_right(c, x, y, w, col, text);
}

/* A panel's title bar: TITLE then, aligned on the same row, headings. */
static void
ui_title(struct ui_canvas *c, const struct ui_rect *r, const char *title,
    int focused)
{
	enum ui_colour	col = focused ? UI_COL_TITLE_FOCUS : UI_COL_TITLE;

	ui_bar(c, r->x, r->y, r->w, col);
	ui_canvas_text(c, r->x + 1, r->y, r->w - 1, col, title);
}

/* --- status lines ----------------------------------------------------- */

static void	ui_render_counters(struct ui_ctx *, struct ui_canvas *, int, int,
		    int);

static const char *
ui_state_text(const struct ui_snap *s)
{
	if (s->finished && s->status != 0)
		return (_("capture error"));
	if (s->live)
		return (s->finished ? _("stopped") : _("capturing"));
	return (s->finished ? _("end of file") : _("replaying"));
}

/*
 * The status lines.  The first: what is read, its state and progress;
 * a long source name gives way (its end is kept, "…/name.pcap"), never
 * the state.  The second: counters, each whole or not at all, the least
 * important left out first on a narrow screen.
 */
static void
ui_render_status(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap	*s = &ctx->snap;
	char			 clock[16], line[512], state[256];
	const char		*kind;
	int			 x, right = 0, room;

	if (r->h < 1)
		return;
	ui_bar(c, r->x, r->y, r->w, UI_COL_STATUS);
	if (strcmp(s->kind, "interface") == 0)
		kind = _("interface");
	else if (strcmp(s->kind, "file") == 0)
		kind = _("file");
	else if (strcmp(s->kind, "hep") == 0)
		kind = "HEP";		/* a protocol's name */
	else
		kind = s->kind;
	/* State, progress, capture time and speed after the source. */
	snprintf(state, sizeof state, "%s", ui_state_text(s));
	if (!s->live) {
		/* Every time on screen is UTC: said once, here. */
		ui_fmt_clock(clock, sizeof clock, s->st.last_ts_us);
		if (s->total > 0)
			snprintf(line, sizeof line, "  %3d%%  %s UTC",
			    (int)(s->done * 100 / s->total), clock);
		else
			snprintf(line, sizeof line, "  %s UTC", clock);
		g_strlcat(state, line, sizeof state);
		if (s->speed > 0 && !s->finished) {
			snprintf(line, sizeof line, "  x%g", s->speed);
			g_strlcat(state, line, sizeof state);
		}
	} else {
		ui_fmt_clock(clock, sizeof clock, s->now_us);
		snprintf(line, sizeof line, "  %s UTC", clock);
		g_strlcat(state, line, sizeof state);
	}
	if (ctx->paused) {
		snprintf(line, sizeof line, " %s ", _("PAUSED"));
		right = ui_text_width(line);
		if (right > r->w / 3)
			right = 0;
		else
			ui_canvas_right(c, r->x, r->y, r->w, UI_COL_PAUSED,
			    line);
	}
	x = r->x + ui_canvas_printf(c, r->x, r->y, r->w - right,
	    UI_COL_STATUS, " %s ", kind);
	room = r->x + r->w - right - x - 2 - ui_text_width(state) - 1;
	if (room >= 6) {
		x += ui_canvas_fit(c, x, r->y, room, UI_COL_STATUS, s->source,
		    UI_FIT_START);
		x += 2;
	}
	ui_canvas_fit(c, x, r->y, r->x + r->w - right - x, UI_COL_STATUS,
	    state, UI_FIT_END);
	if (r->h < 2)
		return;

	ui_bar(c, r->x, r->y + 1, r->w, UI_COL_NORMAL);
	ui_render_counters(ctx, c, r->x, r->y + 1, r->w);
}

/*
 * One counter of the second status line: its label, its value, how
 * important it is (0 is kept longest) and the colour of the value.
 */
struct ui_counter {
	const char	*label;
	char		 value[32];
	int		 prio;
	enum ui_colour	 colour;
};

static void
ui_counter_add(struct ui_counter *v, int *n, const char *label,
    uint64_t value, int prio, enum ui_colour colour)
{
	v[*n].label = label;
	snprintf(v[*n].value, sizeof v[*n].value, "%llu",
	    (unsigned long long)value);
	v[*n].prio = prio;
	v[*n].colour = colour;
	(*n)++;
}

/* A ratio of the tracker's (per cent, -1 none) as "82%" or "-". */
static void
ui_counter_pct(struct ui_counter *v, int *n, const char *label, double pct,
    int prio)
{
	v[*n].label = label;
	if (pct < 0)
		snprintf(v[*n].value, sizeof v[*n].value, "-");
	else
		snprintf(v[*n].value, sizeof v[*n].value, "%.0f%%", pct);
	v[*n].prio = prio;
	v[*n].colour = UI_COL_LABEL;
	(*n)++;
}

/*
 * The second status line: the calls by outcome and the RFC 6076 ratios
 * as the tracker counts them (struct track_call_tally: a call challenged
 * and retried with credentials is one call, judged by the retry), then
 * the capture's counters.  Each is whole or not shown; the least
 * important go first on a narrow screen, but drops and parse errors,
 * once there are any, stay before everything else.
 */
static void
ui_render_counters(struct ui_ctx *ctx, struct ui_canvas *c, int x0, int y,
    int w)
{
	const struct ui_snap		*s = &ctx->snap;
	const struct track_call_tally	*t = &s->tally;
	struct ui_counter		 v[16];
	struct ui_col			 cols[16];
	uint64_t			 drops;
	int				 n = 0, i, x;

	if (s->have_tally) {
		ui_counter_add(v, &n, _("answered"), t->answered, 4,
		    t->answered > 0 ? UI_COL_GOOD : UI_COL_LABEL);
		ui_counter_add(v, &n, _("failed"), t->failed, 5,
		    t->failed > 0 ? UI_COL_BAD : UI_COL_LABEL);
		ui_counter_add(v, &n, _("rejected"), t->rejected, 9,
		    UI_COL_LABEL);
		ui_counter_add(v, &n, _("cancelled"), t->cancelled, 10,
		    UI_COL_LABEL);
		ui_counter_add(v, &n, _("timed out"), t->timed_out, 6,
		    t->timed_out > 0 ? UI_COL_BAD : UI_COL_LABEL);
		/* RFC 6076 4.6 SER and 4.7 SEER, by their trade names. */
		ui_counter_pct(v, &n, "ASR", t->ser, 2);
		ui_counter_pct(v, &n, "NER", t->seer, 3);
	}
	ui_counter_add(v, &n, _("pkt/s"), (uint64_t)(ctx->rates.pps + 0.5), 7,
	    UI_COL_LABEL);
	ui_counter_add(v, &n, _("SIP/s"), (uint64_t)(ctx->rates.mps + 0.5), 8,
	    UI_COL_LABEL);
	drops = s->st.kernel_drops + s->st.if_drops;
	ui_counter_add(v, &n, _("drops"), drops, drops > 0 ? 0 : 11,
	    drops > 0 ? UI_COL_ERROR : UI_COL_LABEL);
	ui_counter_add(v, &n, _("parse errors"), s->st.parse_errors,
	    s->st.parse_errors > 0 ? 1 : 12, s->st.parse_errors > 0 ?
	    UI_COL_ERROR : UI_COL_LABEL);
	ui_counter_add(v, &n, _("transactions"), s->transactions, 13,
	    UI_COL_LABEL);
	ui_counter_add(v, &n, _("Call-IDs"), s->call_ids, 14, UI_COL_LABEL);
	for (i = 0; i < n; i++) {
		memset(&cols[i], 0, sizeof cols[i]);
		cols[i].want = ui_text_width(v[i].label) + 1 +
		    ui_text_width(v[i].value);
		cols[i].prio = v[i].prio;
	}
	ui_cols_layout(cols, n, x0 + 1, w - 1, 2);
	for (i = 0; i < n; i++) {
		if (cols[i].w == 0)
			continue;
		x = cols[i].x + ui_canvas_text(c, cols[i].x, y, cols[i].w,
		    UI_COL_NORMAL, v[i].label) + 1;
		ui_canvas_text(c, x, y, cols[i].x + cols[i].w - x, v[i].colour,
		    v[i].value);
	}
}

/* --- response codes --------------------------------------------------- */

static void
ui_render_spark(struct ui_ctx *ctx, struct ui_canvas *c, int x, int y,
    int w, int cls)
{
	const struct ui_snap	*s = &ctx->snap;
	uint32_t		 max = 0, v;
	int			 k, lvl, first;

	if (w <= 0)
		return;
	if (w > UI_HIST_SECS)
		w = UI_HIST_SECS;
	first = UI_HIST_SECS - w;
	for (k = first; k < UI_HIST_SECS; k++) {
		if (s->hist[k][cls - 1] > max)
			max = s->hist[k][cls - 1];
	}
	for (k = first; k < UI_HIST_SECS; k++) {
		v = s->hist[k][cls - 1];
		lvl = v == 0 || max == 0 ? 0 :
		    1 + (int)((uint64_t)(v - 1) * 8 / max);
		if (lvl > 8)
			lvl = 8;
		if (c->utf8)
			ui_canvas_text(c, x + k - first, y, 1,
			    ui_colour_class(cls), ui_spark_utf8[lvl]);
		else
			ui_canvas_fill(c, x + k - first, y, 1,
			    ui_colour_class(cls), (uint32_t)ui_spark_ascii[lvl]);
	}
}

static void
ui_render_codes(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap	*s = &ctx->snap;
	const struct kb		*kb = ui_ctx_kb(ctx);
	const struct kb_entry	*e;
	const char		*h_recent = _("10 s"), *h_total = _("total");
	enum ui_colour		 tc;
	char			 buf[128];
	int			 focused = ctx->focus == UI_PANEL_CODES;
	int			 lw, rx, rw, i, y, cls, x1, x2, xs;

	if (r->h < 1)
		return;
	tc = focused ? UI_COL_TITLE_FOCUS : UI_COL_TITLE;
	lw = r->w * 55 / 100;
	rx = r->x + lw + 1;
	rw = r->w - lw - 1;
	/*
	 * Columns: class, count in the last 10 s, total, history; the
	 * headings share the title row, after the title, so the columns
	 * follow the title's length in each language.
	 */
	ui_title(c, r, _("Response codes"), focused);
	x1 = r->x + 2 + ui_text_width(_("Response codes")) +
	    ui_text_width(h_recent);
	if (x1 < r->x + 12)
		x1 = r->x + 12;
	x2 = x1 + 2 + (ui_text_width(h_total) > 7 ? ui_text_width(h_total) :
	    7);
	xs = x2 + 2;
	ui_text_right(c, r->x, r->y, x1 - r->x, tc, h_recent);
	ui_text_right(c, x1, r->y, x2 - x1, tc, h_total);
	ui_canvas_text(c, xs, r->y, r->x + lw - xs, tc, _("per second"));
	ui_canvas_text(c, rx, r->y, rw, tc, _("Top codes"));

	for (cls = 1; cls <= 6 && cls < r->h; cls++) {
		y = r->y + cls;
		ui_canvas_printf(c, r->x + 1, y, 3, ui_colour_class(cls),
		    "%dxx", cls);
		ui_canvas_count(c, r->x + 4, y, x1 - r->x - 4, UI_COL_NORMAL,
		    ui_hist_sum(s, cls, UI_RECENT_SECS));
		ui_canvas_count(c, x1, y, x2 - x1, UI_COL_DIM,
		    s->cls_total[cls - 1]);
		ui_render_spark(ctx, c, xs, y, r->x + lw - xs, cls);
	}

	for (i = 0; i < (int)ctx->ntop_codes && i + 1 < r->h; i++) {
		int	code = ctx->top_codes[i].code;

		y = r->y + 1 + i;
		e = kb != NULL ? kb_lookup(kb, code) : NULL;
		snprintf(buf, sizeof buf, "%d %s", code,
		    e != NULL && e->registered ? e->reason : "");
		ui_canvas_fit(c, rx, y, rw - 9, ui_colour_class(code / 100),
		    buf, UI_FIT_END);
		ui_canvas_count(c, rx + rw - 8, y, 8, UI_COL_NORMAL,
		    ctx->top_codes[i].n);
		if (focused && i == ctx->sel[UI_PANEL_CODES])
			ui_canvas_paint(c, rx, y, rw, UI_COL_SELECT);
	}
	if (ctx->ntop_codes == 0 && r->h > 1)
		ui_canvas_text(c, rx, r->y + 1, rw, UI_COL_DIM,
		    _("no responses yet"));
}

/* --- alerts ----------------------------------------------------------- */

/* A short severity tag ("WARN"), translated. */
static const char *
ui_severity_tag(enum alert_severity s)
{
	switch (s) {
	case ALERT_CRITICAL:
		/* TRANSLATORS: 4-column tag for the critical severity. */
		return (_("CRIT"));
	case ALERT_ERROR:
		/* TRANSLATORS: 4-column tag for the error severity. */
		return (_("ERR"));
	case ALERT_WARNING:
		/* TRANSLATORS: 4-column tag for the warning severity. */
		return (_("WARN"));
	case ALERT_NOTICE:
		/* TRANSLATORS: 4-column tag for the notice severity. */
		return (_("NOTE"));
	default:
		/* TRANSLATORS: 4-column tag for the info severity. */
		return (_("INFO"));
	}
}

/*
 * Widest cell of the rows shown from the list IDX (N items from TOP,
 * ROWS of them) for a text made by F; at most CAP.
 */
#define UI_MAXW(var, first, count, expr, cap) do {			\
	int	 ui_i_, ui_w_;						\
	(var) = 0;							\
	for (ui_i_ = (first); ui_i_ < (first) + (count); ui_i_++) {	\
		ui_w_ = ui_text_width(expr);				\
		if (ui_w_ > (var))					\
			(var) = ui_w_;					\
	}								\
	if ((var) > (cap))						\
		(var) = (cap);						\
} while (0)

enum {
	UI_ACOL_CLOCK = 0,
	UI_ACOL_SEV,
	UI_ACOL_RULE,
	UI_ACOL_ADDRS,
	UI_ACOL_CALLID,
	UI_ACOL_SUMMARY,
	UI_ACOL_N
};

static void
ui_render_alerts(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap	*s = &ctx->snap;
	const struct alert	*a;
	struct ui_col		 cols[UI_ACOL_N];
	enum ui_colour		 sc;
	char			 buf[160], clock[16];
	int			 focused = ctx->focus == UI_PANEL_ALERTS;
	int			 i, x, y, row, top, nrows, w;
	unsigned		 k;

	if (r->h < 1)
		return;
	snprintf(buf, sizeof buf, "%s %llu", _("Alerts"),
	    (unsigned long long)s->alerts_total);
	ui_title(c, r, buf, focused);
	/* A count badge per rule, coloured by severity. */
	x = r->x + 2 + ui_text_width(buf) + 2;
	for (k = 0; k < s->nrules && x < r->x + r->w; k++) {
		snprintf(buf, sizeof buf, " %s %llu ", s->rules[k].rule,
		    (unsigned long long)s->rules[k].n);
		if (x + ui_text_width(buf) > r->x + r->w)
			break;		/* a badge is whole or not shown */
		x += ui_canvas_text(c, x, r->y, r->x + r->w - x,
		    ui_colour_severity(s->rules[k].severity), buf) + 1;
	}

	/*
	 * Columns: time, severity, rule, "src > dst", Call-ID, summary.
	 * The addresses are whole or not shown; the Call-ID shrinks (with
	 * an ellipsis) first, then the addresses go, so the summary keeps
	 * at least 30 % of the width.
	 */
	top = ctx->top[UI_PANEL_ALERTS];
	nrows = (int)ctx->nvalerts - top;
	if (nrows > r->h - 1)
		nrows = r->h - 1;
	if (nrows < 0)
		nrows = 0;
	memset(cols, 0, sizeof cols);
	cols[UI_ACOL_CLOCK] = (struct ui_col){ .want = 8, .prio = 4 };
	cols[UI_ACOL_SEV] = (struct ui_col){ .want = 4, .prio = 0 };
	UI_MAXW(w, top, nrows, s->alerts[ctx->valerts[ui_i_]].a.rule, 31);
	cols[UI_ACOL_RULE] = (struct ui_col){ .want = w, .min = 10,
	    .prio = 1 };
	UI_MAXW(w, top, nrows, s->alerts[ctx->valerts[ui_i_]].a.src, 60);
	cols[UI_ACOL_ADDRS].want = w;
	UI_MAXW(w, top, nrows, s->alerts[ctx->valerts[ui_i_]].a.dst, 60);
	cols[UI_ACOL_ADDRS].want += w > 0 ? 3 + w : 0;
	cols[UI_ACOL_ADDRS].prio = 5;
	UI_MAXW(w, top, nrows, s->alerts[ctx->valerts[ui_i_]].a.call_id, 16);
	cols[UI_ACOL_CALLID] = (struct ui_col){ .want = w, .min = 9,
	    .prio = 6 };
	cols[UI_ACOL_SUMMARY] = (struct ui_col){ .want = r->w,
	    .min = r->w * 3 / 10, .prio = 2, .flex = 1 };
	ui_cols_layout(cols, UI_ACOL_N, r->x + 1, r->w - 1, 1);

	for (row = 0; row < nrows; row++) {
		i = top + row;
		a = &s->alerts[ctx->valerts[i]].a;
		y = r->y + 1 + row;
		sc = ui_colour_severity(a->severity);
		ui_fmt_clock(clock, sizeof clock, a->ts_us);
		ui_canvas_text(c, cols[UI_ACOL_CLOCK].x, y,
		    cols[UI_ACOL_CLOCK].w, UI_COL_DIM, clock);
		ui_canvas_fit(c, cols[UI_ACOL_SEV].x, y, cols[UI_ACOL_SEV].w,
		    sc, ui_severity_tag(a->severity), UI_FIT_END);
		ui_canvas_fit(c, cols[UI_ACOL_RULE].x, y,
		    cols[UI_ACOL_RULE].w, sc, a->rule, UI_FIT_END);
		if (cols[UI_ACOL_ADDRS].w > 0 && a->src[0] != '\0') {
			snprintf(buf, sizeof buf, "%s > %s", a->src, a->dst);
			ui_canvas_fit(c, cols[UI_ACOL_ADDRS].x, y,
			    cols[UI_ACOL_ADDRS].w, UI_COL_NORMAL, buf,
			    UI_FIT_END);
		}
		ui_canvas_fit(c, cols[UI_ACOL_CALLID].x, y,
		    cols[UI_ACOL_CALLID].w, UI_COL_DIM, a->call_id,
		    UI_FIT_END);
		ui_canvas_fit(c, cols[UI_ACOL_SUMMARY].x, y,
		    cols[UI_ACOL_SUMMARY].w, UI_COL_NORMAL, a->summary,
		    UI_FIT_WORD);
		if (focused && i == ctx->sel[UI_PANEL_ALERTS])
			ui_canvas_paint(c, r->x, y, r->w, UI_COL_SELECT);
	}
	if (ctx->nvalerts == 0 && r->h > 1)
		ui_canvas_fit(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_DIM,
		    ctx->filter[0] != '\0' ? _("no alert matches the filter") :
		    _("no alerts"), UI_FIT_END);
}

/* --- peers ------------------------------------------------------------ */

/* "12%" of N in TOTAL, or "-" when TOTAL is 0. */
static void
ui_pct(char *buf, size_t len, uint64_t n, uint64_t total)
{
	if (total == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llu%%",
		    (unsigned long long)((n * 100 + total / 2) / total));
}

enum {
	UI_PCOL_ADDR = 0,
	UI_PCOL_MSGS,
	UI_PCOL_4XX,
	UI_PCOL_5XX,
	UI_PCOL_6XX,
	UI_PCOL_BACKOFF,
	UI_PCOL_PDD,
	UI_PCOL_N
};

static void
ui_render_peers(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap		*s = &ctx->snap;
	const struct ui_peer_row	*p;
	struct ui_col			 cols[UI_PCOL_N];
	enum ui_colour			 tc;
	char				 buf[SW_ADDRSTRLEN], addr[SW_ADDRSTRLEN];
	int				 focused = ctx->focus == UI_PANEL_PEERS;
	int				 y, row, i, top, nrows, w, k;
	static const char *const	 cls[3] = { "4xx", "5xx", "6xx" };

	if (r->h < 1)
		return;
	tc = focused ? UI_COL_TITLE_FOCUS : UI_COL_TITLE;
	ui_title(c, r, _("Peers"), focused);
	/*
	 * The address is never cut: the numbers go instead, the least read
	 * first (PDD, back-off, 6xx, 4xx, 5xx, messages).
	 */
	top = ctx->top[UI_PANEL_PEERS];
	nrows = (int)ctx->nvpeers - top;
	if (nrows > r->h - 1)
		nrows = r->h - 1;
	if (nrows < 0)
		nrows = 0;
	w = 16;
	for (row = 0; row < nrows; row++) {
		ui_fmt_peer(addr, sizeof addr,
		    &s->peers[ctx->vpeers[top + row]].addr);
		if (ui_text_width(addr) > w)
			w = ui_text_width(addr);
	}
	if (w < ui_text_width(_("Peers")))
		w = ui_text_width(_("Peers"));
	memset(cols, 0, sizeof cols);
	cols[UI_PCOL_ADDR] = (struct ui_col){ .want = r->w, .min = w,
	    .prio = 0, .flex = 1 };
	cols[UI_PCOL_MSGS] = (struct ui_col){ .want = 7, .prio = 1 };
	cols[UI_PCOL_4XX] = (struct ui_col){ .want = 5, .prio = 3 };
	cols[UI_PCOL_5XX] = (struct ui_col){ .want = 5, .prio = 2 };
	cols[UI_PCOL_6XX] = (struct ui_col){ .want = 5, .prio = 4 };
	cols[UI_PCOL_BACKOFF] = (struct ui_col){ .want = 11, .prio = 5 };
	cols[UI_PCOL_PDD] = (struct ui_col){ .want = 7, .prio = 6 };
	ui_cols_layout(cols, UI_PCOL_N, r->x + 1, r->w - 1, 1);
	if (cols[UI_PCOL_MSGS].w > 0)
		ui_text_right(c, cols[UI_PCOL_MSGS].x, r->y,
		    cols[UI_PCOL_MSGS].w, tc, _("msgs"));
	for (k = 0; k < 3; k++) {
		if (cols[UI_PCOL_4XX + k].w > 0)
			ui_text_right(c, cols[UI_PCOL_4XX + k].x, r->y,
			    cols[UI_PCOL_4XX + k].w, tc, cls[k]);
	}
	if (cols[UI_PCOL_BACKOFF].w > 0)
		ui_canvas_fit(c, cols[UI_PCOL_BACKOFF].x + 1, r->y,
		    cols[UI_PCOL_BACKOFF].w - 1, tc, _("back-off"),
		    UI_FIT_END);
	if (cols[UI_PCOL_PDD].w > 0)
		ui_text_right(c, cols[UI_PCOL_PDD].x, r->y,
		    cols[UI_PCOL_PDD].w, tc, _("PDD"));

	for (row = 0; row < nrows; row++) {
		const uint64_t	*share[3];

		i = top + row;
		p = &s->peers[ctx->vpeers[i]];
		y = r->y + 1 + row;
		ui_fmt_peer(addr, sizeof addr, &p->addr);
		ui_canvas_fit(c, cols[UI_PCOL_ADDR].x, y, cols[UI_PCOL_ADDR].w,
		    UI_COL_NORMAL, addr, UI_FIT_END);
		if (cols[UI_PCOL_MSGS].w > 0)
			ui_canvas_count(c, cols[UI_PCOL_MSGS].x, y,
			    cols[UI_PCOL_MSGS].w, UI_COL_NORMAL,
			    p->sent + p->received);
		share[0] = &p->c4;
		share[1] = &p->c5;
		share[2] = &p->c6;
		for (k = 0; k < 3; k++) {
			if (cols[UI_PCOL_4XX + k].w == 0)
				continue;
			ui_pct(buf, sizeof buf, *share[k], p->finals);
			ui_text_right(c, cols[UI_PCOL_4XX + k].x, y,
			    cols[UI_PCOL_4XX + k].w, *share[k] ?
			    (enum ui_colour)(UI_COL_4XX + k) : UI_COL_DIM, buf);
		}
		if (cols[UI_PCOL_BACKOFF].w > 0 &&
		    p->backoff_until_us > s->now_us) {
			/* Retry-After still running: time left. */
			snprintf(buf, sizeof buf, "%d %llds", p->backoff_code,
			    (long long)((p->backoff_until_us - s->now_us +
			    999999) / 1000000));
			ui_canvas_fit(c, cols[UI_PCOL_BACKOFF].x + 1, y,
			    cols[UI_PCOL_BACKOFF].w - 1, UI_COL_5XX, buf,
			    UI_FIT_END);
		} else if (cols[UI_PCOL_BACKOFF].w > 0 &&
		    p->backoff_code != 0) {
			/* Over: what was asked, in brackets. */
			snprintf(buf, sizeof buf, "(%d %lds)", p->backoff_code,
			    p->retry_after);
			ui_canvas_fit(c, cols[UI_PCOL_BACKOFF].x + 1, y,
			    cols[UI_PCOL_BACKOFF].w - 1, UI_COL_DIM, buf,
			    UI_FIT_END);
		}
		if (cols[UI_PCOL_PDD].w > 0 && p->pdd_median_us >= 0) {
			snprintf(buf, sizeof buf, "%.2fs",
			    (double)p->pdd_median_us / 1e6);
			ui_text_right(c, cols[UI_PCOL_PDD].x, y,
			    cols[UI_PCOL_PDD].w, UI_COL_NORMAL, buf);
		} else if (cols[UI_PCOL_PDD].w > 0)
			ui_text_right(c, cols[UI_PCOL_PDD].x, y,
			    cols[UI_PCOL_PDD].w, UI_COL_DIM, "-");
		if (focused && i == ctx->sel[UI_PANEL_PEERS])
			ui_canvas_paint(c, r->x, y, r->w, UI_COL_SELECT);
	}
	if (ctx->nvpeers == 0 && r->h > 1)
		ui_canvas_fit(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_DIM,
		    ctx->filter[0] != '\0' ? _("no peer matches the filter") :
		    _("no SIP seen yet"), UI_FIT_END);
}

/* --- calls ------------------------------------------------------------ */

static enum ui_colour
ui_call_colour(const struct ui_call_row *r)
{
	if (r->xfer == UI_XFER_FAILED)
		return (UI_COL_BAD);
	if (r->xfer == UI_XFER_DONE)
		return (UI_COL_GOOD);
	if (r->xfer != UI_XFER_NONE)
		return (UI_COL_3XX);
	switch (r->state) {
	case UI_CALL_TRYING:
		return (UI_COL_DIM);
	case UI_CALL_RINGING:
		return (UI_COL_1XX);
	case UI_CALL_ANSWERED:
		return (UI_COL_GOOD);
	case UI_CALL_FAILED:
		if (track_final_class(r->code, SIP_METHOD_INVITE) ==
		    TRACK_FINAL_USER)
			return (UI_COL_WARNING);	/* the called user's */
		return (UI_COL_BAD);
	case UI_CALL_TIMEOUT:
		return (UI_COL_BAD);
	case UI_CALL_CANCELLED:
		return (UI_COL_DIM);
	case UI_CALL_OTHER:
		return (r->code >= 300 ? UI_COL_BAD : UI_COL_NORMAL);
	default:
		return (UI_COL_NORMAL);
	}
}

enum {
	UI_CCOL_START = 0,
	UI_CCOL_CALLER,
	UI_CCOL_CALLEE,
	UI_CCOL_MARK,
	UI_CCOL_STATE,
	UI_CCOL_TIME,
	UI_CCOL_MEDIA,
	UI_CCOL_CALLID,
	UI_CCOL_N
};

/* The colour of a MOS: good, fair, or below media-quality's default. */
static enum ui_colour
ui_mos_colour(double mos)
{
	if (mos >= 4.0)
		return (UI_COL_GOOD);
	if (mos >= TRACK_MEDIA_MOS)
		return (UI_COL_WARNING);
	return (UI_COL_BAD);
}

/* The media cell of R: "PCMU 4.36" and its mark; the width it takes. */
static int
ui_calls_media_width(const struct ui_call_row *r)
{
	char		 buf[64];
	const char	*mark;
	int		 w;

	ui_call_media_text(buf, sizeof buf, r, &mark);
	w = ui_text_width(buf);
	if (mark != NULL)
		w += 1 + ui_text_width(mark);
	return (w);
}

/*
 * A column of users (caller, callee): as wide as the widest shown (at
 * most 32); a number is never cut (the column is dropped instead),
 * a name may be, down to 8 columns.
 */
static void
ui_calls_user_col(struct ui_col *col, const struct ui_snap *s,
    const unsigned *idx, int top, int nrows, int callee, int prio)
{
	const char	*u;
	int		 i, w, number = 0;

	col->want = 0;
	for (i = top; i < top + nrows; i++) {
		u = callee ? s->calls[idx[i]].callee : s->calls[idx[i]].caller;
		w = ui_text_width(u);
		if (w > col->want)
			col->want = w;
		if (ui_text_is_number(u))
			number = 1;
	}
	if (col->want > 32)
		col->want = 32;
	if (col->want < 6)
		col->want = 6;
	col->min = number ? col->want : 8;
	col->prio = prio;
}

static void
ui_render_calls(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap		*s = &ctx->snap;
	const struct ui_call_row	*cr;
	struct ui_col			 cols[UI_CCOL_N];
	enum ui_colour			 tc;
	char				 buf[160], clock[16];
	int				 focused = ctx->focus == UI_PANEL_CALLS;
	int				 y, row, i, top, nrows, w;
	int64_t				 from, to;
	uint64_t			 gone;

	if (r->h < 1)
		return;
	tc = focused ? UI_COL_TITLE_FOCUS : UI_COL_TITLE;
	snprintf(buf, sizeof buf, "%s %u", ctx->show_all ? _("Call-IDs") :
	    _("Calls"), ctx->nvcalls);
	ui_title(c, r, buf, focused);
	/*
	 * Columns: start (the title above it), caller, callee, "!" when the
	 * call has alerts, state, time, Call-ID.  Numbers and states are
	 * whole: on a narrow screen the Call-ID shrinks, then the start
	 * time, the duration and the caller go.
	 */
	top = ctx->top[UI_PANEL_CALLS];
	nrows = (int)ctx->nvcalls - top;
	if (nrows > ui_calls_rows(ctx, r->h))
		nrows = ui_calls_rows(ctx, r->h);
	if (nrows < 0)
		nrows = 0;
	memset(cols, 0, sizeof cols);
	w = ui_text_width(buf) + 1;
	cols[UI_CCOL_START] = (struct ui_col){ .want = w > 8 ? w : 8,
	    .prio = 6 };
	ui_calls_user_col(&cols[UI_CCOL_CALLER], s, ctx->vcalls, top, nrows,
	    0, 3);
	/* The later legs of a call are drawn under its first, "└ caller". */
	for (i = top; i < top + nrows; i++) {
		if (ctx->vlegs != NULL && ctx->vlegs[i] >= UI_VLEG_MID) {
			cols[UI_CCOL_CALLER].want += 2;
			cols[UI_CCOL_CALLER].min += 2;
			break;
		}
	}
	ui_calls_user_col(&cols[UI_CCOL_CALLEE], s, ctx->vcalls, top, nrows,
	    1, 2);
	cols[UI_CCOL_MARK] = (struct ui_col){ .want = 1, .prio = 0 };
	w = ui_text_width(_("state"));
	for (i = top; i < top + nrows; i++) {
		ui_call_state_text(buf, sizeof buf, &s->calls[ctx->vcalls[i]]);
		if (ui_text_width(buf) > w)
			w = ui_text_width(buf);
	}
	cols[UI_CCOL_STATE] = (struct ui_col){ .want = w, .min = w > 24 ?
	    16 : w, .prio = 1 };
	cols[UI_CCOL_TIME] = (struct ui_col){ .want = 7, .prio = 4 };
	/* Media: shown when a call listed has some, whole or not at all. */
	for (w = 0, i = top; i < top + nrows; i++) {
		if (ui_calls_media_width(&s->calls[ctx->vcalls[i]]) > w)
			w = ui_calls_media_width(&s->calls[ctx->vcalls[i]]);
	}
	if (w > 0 && w < ui_text_width(_("media")))
		w = ui_text_width(_("media"));
	cols[UI_CCOL_MEDIA] = (struct ui_col){ .want = w, .prio = 5 };
	UI_MAXW(w, top, nrows, s->calls[ctx->vcalls[ui_i_]].call_id, 64);
	cols[UI_CCOL_CALLID] = (struct ui_col){ .want = w > 7 ? w : 7,
	    .min = 9, .prio = 7, .flex = 1 };
	ui_cols_layout(cols, UI_CCOL_N, r->x + 1, r->w - 1, 1);
	/* The mark sits in the gap before the state: no gap after it. */
	if (cols[UI_CCOL_MARK].w > 0 && cols[UI_CCOL_STATE].w > 0)
		cols[UI_CCOL_MARK].x = cols[UI_CCOL_STATE].x - 1;

	if (cols[UI_CCOL_CALLER].w > 0)
		ui_canvas_fit(c, cols[UI_CCOL_CALLER].x, r->y,
		    cols[UI_CCOL_CALLER].w, tc, _("caller"), UI_FIT_END);
	if (cols[UI_CCOL_CALLEE].w > 0)
		ui_canvas_fit(c, cols[UI_CCOL_CALLEE].x, r->y,
		    cols[UI_CCOL_CALLEE].w, tc, _("callee"), UI_FIT_END);
	ui_canvas_fit(c, cols[UI_CCOL_STATE].x, r->y, cols[UI_CCOL_STATE].w,
	    tc, _("state"), UI_FIT_END);
	if (cols[UI_CCOL_TIME].w > 0)
		ui_text_right(c, cols[UI_CCOL_TIME].x, r->y,
		    cols[UI_CCOL_TIME].w, tc, _("time"));
	if (cols[UI_CCOL_MEDIA].w > 0)
		ui_canvas_fit(c, cols[UI_CCOL_MEDIA].x, r->y,
		    cols[UI_CCOL_MEDIA].w, tc, _("media"), UI_FIT_END);
	if (cols[UI_CCOL_CALLID].w > 0)
		ui_canvas_fit(c, cols[UI_CCOL_CALLID].x + 1, r->y,
		    cols[UI_CCOL_CALLID].w - 1, tc, "Call-ID", UI_FIT_END);

	for (row = 0; row < nrows; row++) {
		i = top + row;
		cr = &s->calls[ctx->vcalls[i]];
		y = r->y + 1 + row;
		if (cols[UI_CCOL_START].w > 0) {
			ui_fmt_clock(clock, sizeof clock, cr->start_us);
			ui_canvas_text(c, cols[UI_CCOL_START].x, y, 8,
			    UI_COL_DIM, clock);
		}
		if (cols[UI_CCOL_CALLER].w > 0 && ctx->vlegs != NULL &&
		    ctx->vlegs[i] >= UI_VLEG_MID) {
			ui_canvas_text(c, cols[UI_CCOL_CALLER].x, y, 2,
			    UI_COL_DIM, ctx->vlegs[i] == UI_VLEG_MID ?
			    (c->utf8 ? "\u251c " : "|-") :
			    (c->utf8 ? "\u2514 " : "`-"));
			ui_canvas_fit(c, cols[UI_CCOL_CALLER].x + 2, y,
			    cols[UI_CCOL_CALLER].w - 2, UI_COL_NORMAL,
			    cr->caller, UI_FIT_END);
		} else if (cols[UI_CCOL_CALLER].w > 0)
			ui_canvas_fit(c, cols[UI_CCOL_CALLER].x, y,
			    cols[UI_CCOL_CALLER].w, UI_COL_NORMAL, cr->caller,
			    UI_FIT_END);
		if (cols[UI_CCOL_CALLEE].w > 0)
			ui_canvas_fit(c, cols[UI_CCOL_CALLEE].x, y,
			    cols[UI_CCOL_CALLEE].w, UI_COL_NORMAL, cr->callee,
			    UI_FIT_END);
		if (cr->nalerts > 0 && cols[UI_CCOL_MARK].w > 0)
			ui_canvas_text(c, cols[UI_CCOL_MARK].x, y, 1,
			    UI_COL_WARNING, "!");
		ui_call_state_text(buf, sizeof buf, cr);
		ui_canvas_fit(c, cols[UI_CCOL_STATE].x, y,
		    cols[UI_CCOL_STATE].w, ui_call_colour(cr), buf,
		    UI_FIT_END);
		/* Talk time once answered, else time since the start. */
		from = cr->answer_us != 0 ? cr->answer_us : cr->start_us;
		to = cr->end_us != 0 ? cr->end_us : s->now_us;
		if (cr->state == UI_CALL_OTHER)
			to = cr->last_us;
		ui_fmt_duration(buf, sizeof buf, to - from);
		if (cols[UI_CCOL_TIME].w > 0)
			ui_text_right(c, cols[UI_CCOL_TIME].x, y,
			    cols[UI_CCOL_TIME].w, UI_COL_NORMAL, buf);
		if (cols[UI_CCOL_MEDIA].w > 0) {
			const char	*mark;
			int		 mx = cols[UI_CCOL_MEDIA].x;
			int		 end = mx + cols[UI_CCOL_MEDIA].w;

			ui_call_media_text(buf, sizeof buf, cr, &mark);
			mx += ui_canvas_text(c, mx, y, end - mx,
			    cr->mos_known ? ui_mos_colour(cr->mos) :
			    UI_COL_NORMAL, buf);
			if (buf[0] != '\0')
				mx++;
			if (mark != NULL && mx < end)
				ui_canvas_text(c, mx, y, end - mx, UI_COL_BAD,
				    mark);
		}
		if (cols[UI_CCOL_CALLID].w > 0)
			ui_canvas_fit(c, cols[UI_CCOL_CALLID].x + 1, y,
			    cols[UI_CCOL_CALLID].w - 1, UI_COL_DIM,
			    cr->call_id, UI_FIT_END);
		if (focused && i == ctx->sel[UI_PANEL_CALLS])
			ui_canvas_paint(c, r->x, y, r->w, UI_COL_SELECT);
	}
	if (ctx->nvcalls == 0 && r->h > 1) {
		if (ctx->filter[0] != '\0' && ctx->nvhidden > 0)
			snprintf(buf, sizeof buf, ngettext("no call matches the "
			    "filter; a lists the %u other Call-ID that does",
			    "no call matches the filter; a lists the %u other "
			    "Call-IDs that do", ctx->nvhidden), ctx->nvhidden);
		else if (ctx->filter[0] != '\0')
			snprintf(buf, sizeof buf, "%s",
			    _("no call matches the filter"));
		else if (!ctx->show_all && s->ncalls > 0)
			snprintf(buf, sizeof buf, _("no calls; a lists the %u "
			    "other Call-IDs"), s->ncalls);
		else
			snprintf(buf, sizeof buf, "%s", _("no calls yet"));
		ui_canvas_fit(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_DIM,
		    buf, UI_FIT_END);
	}
	/* The calls the cap let go, on the last row, where they would be. */
	if ((gone = ui_calls_not_shown(ctx)) > 0 && r->h > 2) {
		snprintf(buf, sizeof buf, ngettext("%llu older call not shown "
		    "(--max-calls=%u)", "%llu older calls not shown "
		    "(--max-calls=%u)", gone), (unsigned long long)gone,
		    s->max_calls);
		if (ctx->show_all)
			snprintf(buf, sizeof buf, ngettext("%llu older Call-ID "
			    "not shown (--max-calls=%u)", "%llu older Call-IDs "
			    "not shown (--max-calls=%u)", gone),
			    (unsigned long long)gone, s->max_calls);
		ui_canvas_fit(c, r->x + 1, r->y + r->h - 1, r->w - 1,
		    UI_COL_WARNING, buf, UI_FIT_END);
	}
}

/* --- key hints, prompts ----------------------------------------------- */

/*
 * Key hints: pairs of key and what it does, with their priorities (0
 * is kept longest).  Each hint is whole or not shown; TAIL (the active
 * filter), when not NULL, takes the right end after the hints it
 * outranks and is cut with an ellipsis rather than cover one.
 */
struct ui_hint {
	const char	*key;
	const char	*what;
	int		 prio;
};

static void
ui_render_hints(struct ui_canvas *c, const struct ui_rect *r,
    const struct ui_hint *h, int n, const char *tail, int tail_prio)
{
	struct ui_col	cols[16];
	int		i, x;

	if (n > 15)
		n = 15;
	memset(cols, 0, sizeof cols);
	for (i = 0; i < n; i++) {
		cols[i].want = ui_text_width(h[i].key) + 1 +
		    ui_text_width(h[i].what);
		cols[i].prio = h[i].prio;
	}
	if (tail != NULL) {
		cols[n].want = ui_text_width(tail);
		cols[n].min = cols[n].want < 16 ? cols[n].want : 16;
		cols[n].prio = tail_prio;
	}
	ui_cols_layout(cols, n + (tail != NULL), r->x + 1, r->w - 1, 2);
	for (i = 0; i < n; i++) {
		if (cols[i].w == 0)
			continue;
		x = cols[i].x + ui_canvas_text(c, cols[i].x, r->y, cols[i].w,
		    UI_COL_KEY, h[i].key);
		ui_canvas_text(c, x + 1, r->y, cols[i].x + cols[i].w - x - 1,
		    UI_COL_KEYS, h[i].what);
	}
	if (tail != NULL && cols[n].w > 0) {
		/* At the right end, after the hints. */
		x = r->x + r->w - cols[n].w;
		if (x < cols[n].x)
			x = cols[n].x;
		ui_canvas_fit(c, x, r->y, cols[n].w, UI_COL_PROMPT, tail,
		    UI_FIT_END);
	}
}

/* A prompt: LABEL, then the input (its end when it is too long). */
static void
ui_render_prompt(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r, const char *label, const char *placeholder)
{
	int	x, room;

	x = r->x + 1 + ui_canvas_fit(c, r->x + 1, r->y, r->w - 2,
	    UI_COL_PROMPT, label, UI_FIT_END) + 1;
	room = r->x + r->w - 1 - x;
	if (room < 1)
		return;
	if (ctx->input[0] == '\0' && placeholder != NULL) {
		ui_canvas_fill(c, x, r->y, 1, UI_COL_SELECT, ' ');
		ui_canvas_fit(c, x + 2, r->y, room - 2, UI_COL_DIM,
		    placeholder, UI_FIT_END);
		return;
	}
	x += ui_canvas_fit(c, x, r->y, room - 1, UI_COL_PROMPT, ctx->input,
	    UI_FIT_START);
	ui_canvas_fill(c, x, r->y, 1, UI_COL_SELECT, ' ');
}

static void
ui_render_keys(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const char		*updown = c->utf8 ? "\u2191\u2193" : "j/k";
	enum ui_lower		 next = ui_lower_next(ctx->lower, c->w >= 140,
	    ui_call_has_media(ctx->detail), 0);
	char			 buf[UI_INPUT_MAX + 128];
	const struct ui_hint	 main_keys[] = {
		{ "Tab", _("panel"), 4 }, { "Enter", _("open"), 2 },
		{ "/", _("filter"), 3 }, { "e", _("export"), 5 },
		{ "s", _("save"), 8 }, { "p", _("pause"), 6 },
		{ "l", _("language"), 7 }, { "?", _("help"), 0 },
		{ "q", _("quit"), 1 }
	};
	const struct ui_hint	 detail_keys[] = {
		{ updown, _("message"), 3 },
		{ "Tab", next == UI_LOWER_STREAMS ? _("streams") :
		    next == UI_LOWER_MESSAGE ? _("message") :
		    ctx->detail_has_alert ? _("advice") : _("explain"), 2 },
		{ "PgDn", _("scroll"), 5 }, { "Enter", _("explain"), 4 },
		{ "e", _("export"), 6 }, { "s", _("save"), 7 },
		{ "?", _("help"), 1 }, { "Esc", _("back"), 0 }
	};
	const struct ui_hint	 kb_keys[] = {
		{ updown, _("scroll"), 2 }, { "c", _("compare"), 3 },
		{ "l", _("language"), 4 }, { "?", _("help"), 1 },
		{ "Esc", _("back"), 0 }
	};
	const struct ui_hint	 help_keys[] = {
		{ updown, _("scroll"), 1 }, { "Esc", _("back"), 0 }
	};
	const struct ui_hint	 export_keys[] = {
		{ "p", "pcap", 0 }, { "c", "CSV", 1 }, { "t", _("text"), 2 },
		{ "h", "HTML", 3 }, { "P C T H", _("the selected call"), 4 },
		{ "Esc", _("cancel"), 5 }
	};
	const struct ui_hint	 quit_keys[] = {
		{ "q", _("quit"), 0 }, { _("any other key"), _("stay"), 1 }
	};
	struct ui_rect		 rr;
	int			 x;

	if (r->h < 1)
		return;
	ui_bar(c, r->x, r->y, r->w, UI_COL_KEYS);
	switch (ctx->prompt) {
	case UI_PROMPT_FILTER:
		ui_render_prompt(ctx, c, r, _("Filter:"), _("code:503 "
		    "state:failed from: to: ip: ua: hdr:NAME=VALUE rule: "
		    "text, and or not ( )   ? for help"));
		return;
	case UI_PROMPT_COMPARE:
		ui_render_prompt(ctx, c, r, _("Compare with code:"), NULL);
		return;
	case UI_PROMPT_SAVE:
		ui_render_prompt(ctx, c, r, ctx->nexport_ids == 1 ?
		    _("Export the call to:") : _("Export the calls to:"),
		    NULL);
		return;
	case UI_PROMPT_EXPORT:
		if (ctx->view == UI_VIEW_DETAIL)
			snprintf(buf, sizeof buf, "%s", _("Export this call "
			    "as:"));
		else
			snprintf(buf, sizeof buf, ngettext("Export the %u call "
			    "listed as:", "Export the %u calls listed as:",
			    ctx->nvcalls), ctx->nvcalls);
		x = ui_canvas_fit(c, r->x + 1, r->y, r->w - 2, UI_COL_PROMPT,
		    buf, UI_FIT_END) + 2;
		rr = (struct ui_rect){ r->x + x, r->y, r->w - x, 1 };
		if (rr.w > 0)
			ui_render_hints(c, &rr, export_keys, ctx->view ==
			    UI_VIEW_DETAIL ? 4 : 6, NULL, 0);
		return;
	case UI_PROMPT_QUIT:
		snprintf(buf, sizeof buf, "%s", ctx->snap.live &&
		    !ctx->snap.finished ? _("Quit sipwatch? The capture "
		    "stops.") : _("Quit sipwatch?"));
		x = ui_canvas_fit(c, r->x + 1, r->y, r->w - 2, UI_COL_PROMPT,
		    buf, UI_FIT_END) + 2;
		rr = (struct ui_rect){ r->x + x, r->y, r->w - x, 1 };
		if (rr.w > 0)
			ui_render_hints(c, &rr, quit_keys, 2, NULL, 0);
		return;
	case UI_PROMPT_NONE:
		break;
	}
	if (ctx->message[0] != '\0') {
		ui_canvas_fit(c, r->x + 1, r->y, r->w - 2, UI_COL_MESSAGE,
		    ctx->message, UI_FIT_WORD);
		return;
	}
	if (ctx->view == UI_VIEW_MAIN) {
		if (ctx->filter[0] != '\0')
			snprintf(buf, sizeof buf, " %s: %s ", _("filter"),
			    ctx->filter);
		ui_render_hints(c, r, main_keys, 9, ctx->filter[0] != '\0' ?
		    buf : NULL, 2);
	} else if (ctx->view == UI_VIEW_DETAIL)
		ui_render_hints(c, r, detail_keys, 8, NULL, 0);
	else if (ctx->view == UI_VIEW_KB)
		ui_render_hints(c, r, kb_keys, 5, NULL, 0);
	else
		ui_render_hints(c, r, help_keys, 2, NULL, 0);
}

/* --- attacks --------------------------------------------------------- */

/* What an attack achieved, for its row. */
static const char *
ui_attack_outcome(enum track_attack_outcome o)
{
	switch (o) {
	case TRACK_ATTACK_COMPROMISED:
		return (_("ACCOUNT COMPROMISED"));
	case TRACK_ATTACK_FRAUD_ANSWERED:
		return (_("FRAUD CALL ANSWERED"));
	default:
		return (_("nothing yet"));
	}
}

/*
 * The attack sources the tracker flagged, newest first: source IP, the
 * latest attack rule, outcome, targets, users, accounts, fraud calls.
 */
static void
ui_render_attacks(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap		*s = &ctx->snap;
	const struct ui_attack_row	*a;
	char				 buf[200], ip[SW_ADDRSTRLEN];
	unsigned			 k;
	int				 y, x;

	snprintf(buf, sizeof buf, "%s %u", _("Attacks"), s->nattacks);
	ui_title(c, r, buf, 0);
	for (k = 0; k < s->nattacks && (int)k + 1 < r->h; k++) {
		a = &s->attacks[k];
		y = r->y + 1 + (int)k;
		x = r->x + 1;
		sw_addr_format_ip(&a->source, ip, sizeof ip);
		x += ui_canvas_text(c, x, y, 40, UI_COL_NORMAL, ip) + 1;
		x += ui_canvas_text(c, x, y, 20, a->outcome !=
		    TRACK_ATTACK_NOTHING ? UI_COL_CRITICAL : UI_COL_WARNING,
		    a->kind) + 1;
		x += ui_canvas_text(c, x, y, 20, a->outcome !=
		    TRACK_ATTACK_NOTHING ? UI_COL_CRITICAL : UI_COL_DIM,
		    ui_attack_outcome(a->outcome)) + 1;
		snprintf(buf, sizeof buf, _("%llu requests, %u targets, %u users, "
		    "%u accounts, %llu fraud calls"),
		    (unsigned long long)a->requests, a->hosts, a->users,
		    a->accounts, (unsigned long long)a->fraud_calls);
		ui_canvas_text(c, x, y, r->x + r->w - x, UI_COL_NORMAL, buf);
	}
}

/* --- main screen ------------------------------------------------------ */

static void
ui_render_main(struct ui_ctx *ctx, struct ui_canvas *c)
{
	struct ui_layout	l;
	struct ui_rect		atk;
	int			n;

	ui_layout_main(c->w, c->h, &l);
	ui_render_status(ctx, c, &l.status);
	ui_render_codes(ctx, c, &l.codes);
	/* Attack sources take the bottom of the alerts panel when any. */
	if (ctx->snap.nattacks > 0 && l.alerts.h >= 8) {
		atk = l.alerts;
		n = (int)ctx->snap.nattacks + 1;
		atk.h = n < l.alerts.h / 2 ? n : l.alerts.h / 2;
		l.alerts.h -= atk.h;
		atk.y = l.alerts.y + l.alerts.h;
		ui_render_attacks(ctx, c, &atk);
	}
	ui_render_alerts(ctx, c, &l.alerts);
	ui_render_peers(ctx, c, &l.peers);
	ui_render_calls(ctx, c, &l.calls);
	ui_render_keys(ctx, c, &l.keys);
}

/* --- detail view ------------------------------------------------------ */

/* Split TEXT into display lines of at most W columns. */
static GPtrArray *
ui_wrap_lines(const char *text, size_t len, int w)
{
	GPtrArray	*lines;
	GString		*cur;
	const char	*p, *end = text + len, *eol, *q;
	int		 cw;

	lines = g_ptr_array_new_with_free_func(g_free);
	if (w < 1)
		w = 1;
	for (p = text; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		cur = g_string_new(NULL);
		cw = 0;
		for (q = p; q < eol; q++) {
			if (*q == '\r')
				continue;
			if (cw == w) {
				g_ptr_array_add(lines, g_string_free(cur,
				    FALSE));
				cur = g_string_new("  ");
				cw = 2;
			}
			/* Bytes, not characters: SIP headers are ASCII and
			 * anything else shows as '?'. */
			g_string_append_c(cur, (*q & 0x80) ? '?' : *q);
			cw++;
		}
		g_ptr_array_add(lines, g_string_free(cur, FALSE));
		if (eol == end)
			break;
	}
	return (lines);
}

static const struct ui_msg *
ui_detail_msg(const struct ui_ctx *ctx)
{
	if (ctx->detail == NULL || ctx->detail->nmsgs == 0)
		return (NULL);
	if (ctx->dsel < 0 || ctx->dsel >= (int)ctx->detail->nmsgs)
		return (&ctx->detail->msgs[0]);
	return (&ctx->detail->msgs[ctx->dsel]);
}

/*
 * The code the explanation is about: the response under the cursor,
 * else the alert's, else the final response to the request under the
 * cursor, else the call's.
 */
static int
ui_detail_code(const struct ui_ctx *ctx)
{
	const struct ui_msg	*m = ui_detail_msg(ctx), *r;
	unsigned		 i;
	int			 code = 0;

	if (m != NULL && !m->is_request && m->status >= 100)
		return (m->status);
	if (ctx->detail_has_alert) {
		if (ctx->detail_alert.kb_code != 0)
			return (ctx->detail_alert.kb_code);
		if (ctx->detail_alert.code != 0)
			return (ctx->detail_alert.code);
	}
	for (i = (unsigned)ctx->dsel + 1; m != NULL &&
	    i < ctx->detail->nmsgs; i++) {
		r = &ctx->detail->msgs[i];
		if (r->is_request || r->cseq != m->cseq ||
		    strcmp(r->method, m->method) != 0)
			continue;
		code = r->status;
		if (code >= 200)
			break;
	}
	if (code != 0)
		return (code);
	if (ctx->detail != NULL) {
		if (ctx->detail->row.xfer_code != 0)
			return (ctx->detail->row.xfer_code);
		if (ctx->detail->row.code != 0)
			return (ctx->detail->row.code);
	}
	return (0);
}

/* Lines of the pane: from LINES[SCROLL], in R below its title. */
static void
ui_render_lines(struct ui_canvas *c, const struct ui_rect *r, int y0,
    GPtrArray *lines, int scroll, enum ui_colour col)
{
	unsigned	i;
	int		y;

	for (i = (unsigned)scroll, y = y0; i < lines->len &&
	    y < r->y + r->h; i++, y++)
		ui_canvas_text(c, r->x + 1, y, r->w - 1, col,
		    g_ptr_array_index(lines, i));
}

static void
ui_render_message(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r, const char *title)
{
	const struct ui_msg	*m = ui_detail_msg(ctx);
	GPtrArray		*lines;
	char			 src[SW_ADDRSTRLEN], dst[SW_ADDRSTRLEN];
	char			 clock[16], head[2 * SW_ADDRSTRLEN + 64];
	char			 leg[32];
	int			 x;

	ui_title(c, r, title, 0);
	if (m == NULL || r->h < 2)
		return;
	sw_addr_format(&m->src, src, sizeof src);
	sw_addr_format(&m->dst, dst, sizeof dst);
	ui_fmt_clock(clock, sizeof clock, m->ts_us);
	/* The addresses whole: the time goes first on a narrow pane. */
	snprintf(head, sizeof head, "%s.%06lld %s > %s %s", clock,
	    (long long)(m->ts_us % 1000000), src, dst,
	    decode_transport_name(m->transport));
	if (ui_text_width(head) > r->w - 1)
		snprintf(head, sizeof head, "%s > %s %s", src, dst,
		    decode_transport_name(m->transport));
	/* Of a merged call: which leg, by its letter in the title. */
	if (ctx->detail->nlegs > 1 && m->leg < ctx->detail->nlegs &&
	    ui_text_width(head) + 8 <= r->w - 1) {
		snprintf(leg, sizeof leg, "  %s %c", _("leg"), 'A' + m->leg);
		g_strlcat(head, leg, sizeof head);
	}
	x = ui_canvas_fit(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_LABEL,
	    head, UI_FIT_END);
	if (m->retrans && x + 2 < r->w)
		ui_canvas_printf(c, r->x + 2 + x, r->y + 1, r->w - x - 2,
		    UI_COL_RETRANS, "(%s)", _("retransmission"));
	if (m->raw == NULL) {
		ui_canvas_text(c, r->x + 1, r->y + 2, r->w - 1, UI_COL_DIM,
		    _("(the bytes of this message were not kept)"));
		return;
	}
	lines = ui_wrap_lines((const char *)m->raw, m->raw_len, r->w - 2);
	if (ctx->lscroll > (int)lines->len - 1)
		ctx->lscroll = lines->len > 0 ? (int)lines->len - 1 : 0;
	ui_render_lines(c, r, r->y + 2, lines, ctx->lscroll, UI_COL_NORMAL);
	g_ptr_array_free(lines, TRUE);
}

/* Append TEXT wrapped to W with INDENT to LINES. */
static void
ui_add_wrapped(GPtrArray *lines, const char *text, int w, int indent)
{
	char	*s, *p, *nl;

	s = kb_wrap(text, w, indent);
	for (p = s; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL) {
			g_ptr_array_add(lines, g_strdup(p));
			break;
		}
		g_ptr_array_add(lines, g_strndup(p, (gsize)(nl - p)));
	}
	free(s);
}

/*
 * The explanation pane: the alert's own summary and advice first,
 * whole (wrapped, scrolled with PgUp and PgDn), then the knowledge
 * base's entry for the code.
 */
static void
ui_render_explain(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r, const char *title)
{
	const struct kb		*kb = ui_ctx_kb(ctx);
	const struct kb_entry	*e = NULL;
	const struct alert	*a = &ctx->detail_alert;
	GPtrArray		*lines;
	GArray			*cols;
	enum ui_colour		 col;
	char			*s;
	int			 code = ui_detail_code(ctx), w = r->w - 2, y;
	unsigned		 i;

	ui_title(c, r, title, 0);
	if (r->h < 2)
		return;
	lines = g_ptr_array_new_with_free_func(g_free);
	cols = g_array_new(FALSE, FALSE, sizeof (enum ui_colour));
#define UI_ADD(text, colour) do {					\
	g_ptr_array_add(lines, g_strdup(text));				\
	col = (colour);							\
	g_array_append_val(cols, col);					\
} while (0)
#define UI_ADD_WRAPPED(text, indent, colour) do {			\
	unsigned ui_n_ = lines->len;					\
	ui_add_wrapped(lines, (text), w, (indent));			\
	col = (colour);							\
	while (ui_n_++ < lines->len)					\
		g_array_append_val(cols, col);				\
} while (0)
	if (ctx->detail_has_alert) {
		s = xasprintf("%s %s", ui_severity_tag(a->severity), a->rule);
		UI_ADD(s, ui_colour_severity(a->severity));
		free(s);
		UI_ADD_WRAPPED(a->summary, 2, UI_COL_NORMAL);
		if (a->advice != NULL && *a->advice != '\0') {
			UI_ADD(_("What to do"), UI_COL_LABEL);
			UI_ADD_WRAPPED(a->advice, 2, UI_COL_NORMAL);
		}
		UI_ADD("", UI_COL_NORMAL);
	}
	if (code != 0 && kb != NULL)
		e = kb_lookup(kb, code);
	if (e != NULL) {
		if (e->registered)
			s = xasprintf("%d %s", code, e->reason);
		else
			s = xasprintf("%d (%dxx)", code, e->class);
		UI_ADD(s, ui_colour_class(code / 100));
		free(s);
		if (!e->registered || strcmp(e->title, e->reason) != 0)
			UI_ADD_WRAPPED(e->title, 0, UI_COL_NORMAL);
		UI_ADD(_("Meaning"), UI_COL_LABEL);
		UI_ADD_WRAPPED(e->meaning, 2, UI_COL_NORMAL);
		UI_ADD(_("When you see it"), UI_COL_LABEL);
		UI_ADD_WRAPPED(e->when, 2, UI_COL_NORMAL);
		UI_ADD(_("What to do"), UI_COL_LABEL);
		UI_ADD_WRAPPED(e->fix, 2, UI_COL_NORMAL);
	} else
		UI_ADD(kb == NULL ? _("(the knowledge base could not be "
		    "loaded)") : _("(no response code here)"), UI_COL_DIM);
#undef UI_ADD
#undef UI_ADD_WRAPPED
	if (ctx->lscroll > (int)lines->len - 1)
		ctx->lscroll = (int)lines->len - 1;
	if (ctx->lscroll < 0)
		ctx->lscroll = 0;
	y = r->y + 1;
	for (i = (unsigned)ctx->lscroll; i < lines->len && y < r->y + r->h;
	    i++, y++)
		ui_canvas_fit(c, r->x + 1, y, r->w - 1,
		    g_array_index(cols, enum ui_colour, i),
		    g_ptr_array_index(lines, i), UI_FIT_END);
	/* More below: say so on the pane's title row. */
	if (i < lines->len)
		ui_canvas_right(c, r->x, r->y, r->w, UI_COL_KEY,
		    c->utf8 ? " PgDn \u2193 " : " PgDn ");
	g_ptr_array_free(lines, TRUE);
	g_array_free(cols, TRUE);
}

enum {
	UI_SCOL_FLOW = 0,	/* src > dst */
	UI_SCOL_SSRC,
	UI_SCOL_CODEC,
	UI_SCOL_PACKETS,
	UI_SCOL_LOST,
	UI_SCOL_LOSTPCT,
	UI_SCOL_JITTER,
	UI_SCOL_MOS,
	UI_SCOL_FIRST,
	UI_SCOL_LAST,
	UI_SCOL_N
};

/* "HH:MM:SS.mmm" of TS_US, UTC. */
static void
ui_fmt_clock_ms(char *buf, size_t len, int64_t ts_us)
{
	char	clock[16];

	ui_fmt_clock(clock, sizeof clock, ts_us);
	snprintf(buf, len, "%s.%03lld", clock,
	    (long long)((ts_us > 0 ? ts_us : 0) % 1000000 / 1000));
}

/* The cells of stream T, as the table shows them. */
static void
ui_stream_cells(const struct track_media_stream *t, int utf8,
    char cells[UI_SCOL_N][2 * SW_ADDRSTRLEN + 8])
{
	char	a[SW_ADDRSTRLEN], b[SW_ADDRSTRLEN];
	size_t	n = sizeof cells[0];

	sw_addr_format(&t->src, a, sizeof a);
	sw_addr_format(&t->dst, b, sizeof b);
	snprintf(cells[UI_SCOL_FLOW], n, "%s %s %s", a,
	    utf8 ? "\u2192" : ">", b);
	snprintf(cells[UI_SCOL_SSRC], n, "0x%08X", (unsigned)t->ssrc);
	snprintf(cells[UI_SCOL_CODEC], n, "%s", t->payload[0] != '\0' ?
	    t->payload : "-");
	snprintf(cells[UI_SCOL_PACKETS], n, "%llu",
	    (unsigned long long)t->packets);
	snprintf(cells[UI_SCOL_LOST], n, "%lld", (long long)t->lost);
	snprintf(cells[UI_SCOL_LOSTPCT], n, "%.1f%%", t->lost_pct);
	if (t->jitter_known)
		snprintf(cells[UI_SCOL_JITTER], n, "%.2f/%.2f",
		    t->mean_jitter_ms, t->max_jitter_ms);
	else
		snprintf(cells[UI_SCOL_JITTER], n, "-");
	if (t->mos_known)
		snprintf(cells[UI_SCOL_MOS], n, "%.2f", t->mos);
	else
		snprintf(cells[UI_SCOL_MOS], n, "-");
	ui_fmt_clock_ms(cells[UI_SCOL_FIRST], n, t->first_us);
	ui_fmt_clock_ms(cells[UI_SCOL_LAST], n, t->last_us);
}

/*
 * The streams pane: one row per RTP stream of the call as the tracker
 * published it (src > dst, SSRC, codec, packets, lost and %, mean/max
 * interarrival jitter in ms, MOS, first and last packet in UTC).  The
 * columns that do not fit beside the others go to a second, dim row.
 */
static void
ui_render_streams(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_call		*call = ctx->detail;
	const struct track_media_stream	*t;
	struct ui_col			 cols[UI_SCOL_N];
	char				 cells[UI_SCOL_N][2 * SW_ADDRSTRLEN + 8];
	char				 line[1024], more[160];
	const char			*heads[UI_SCOL_N], *mark;
	static const int		 prio[UI_SCOL_N] = { 0, 6, 2, 1, 1, 2,
	    3, 1, 5, 5 };
	static const int		 right[UI_SCOL_N] = { 0, 0, 0, 1, 1, 1,
	    1, 1, 0, 0 };
	unsigned			 i, k;
	int				 y, w, x, second;

	if (r->h < 2 || call == NULL)
		return;
	heads[UI_SCOL_FLOW] = _("RTP stream");
	heads[UI_SCOL_SSRC] = "SSRC";
	heads[UI_SCOL_CODEC] = _("codec");
	heads[UI_SCOL_PACKETS] = _("packets");
	heads[UI_SCOL_LOST] = _("lost");
	heads[UI_SCOL_LOSTPCT] = "%";
	heads[UI_SCOL_JITTER] = _("jitter ms");
	heads[UI_SCOL_MOS] = "MOS";
	heads[UI_SCOL_FIRST] = _("first");
	heads[UI_SCOL_LAST] = _("last");
	y = r->y + 1;
	/* The call's verdict first: codec, worst MOS, its mark. */
	ui_call_media_text(line, sizeof line, &call->row, &mark);
	snprintf(more, sizeof more, ngettext("%u RTP stream",
	    "%u RTP streams", call->streams_total), call->streams_total);
	x = r->x + 1 + ui_canvas_fit(c, r->x + 1, y, r->w - 1, UI_COL_LABEL,
	    more, UI_FIT_END) + 2;
	if (line[0] != '\0' && x < r->x + r->w)
		x += ui_canvas_fit(c, x, y, r->x + r->w - x,
		    call->row.mos_known ? ui_mos_colour(call->row.mos) :
		    UI_COL_NORMAL, line, UI_FIT_END) + 1;
	if (mark != NULL && x < r->x + r->w)
		ui_canvas_fit(c, x, y, r->x + r->w - x, UI_COL_BAD, mark,
		    UI_FIT_END);
	y++;
	if (call->nstreams == 0) {
		if (y < r->y + r->h)
			ui_canvas_fit(c, r->x + 1, y, r->w - 1, UI_COL_DIM,
			    _("No RTP stream of this call was seen."),
			    UI_FIT_WORD);
		return;
	}
	memset(cols, 0, sizeof cols);
	for (k = 0; k < UI_SCOL_N; k++) {
		cols[k].want = ui_text_width(heads[k]);
		cols[k].prio = prio[k];
	}
	for (i = 0; i < call->nstreams; i++) {
		ui_stream_cells(&call->streams[i], c->utf8, cells);
		for (k = 0; k < UI_SCOL_N; k++) {
			if ((w = ui_text_width(cells[k])) > cols[k].want)
				cols[k].want = w;
		}
	}
	ui_cols_layout(cols, UI_SCOL_N, r->x + 1, r->w - 2, 1);
	for (second = 0, k = 0; k < UI_SCOL_N; k++) {
		if (cols[k].w == 0)
			second = 1;
	}
	if (y < r->y + r->h) {
		for (k = 0; k < UI_SCOL_N; k++) {
			if (cols[k].w == 0)
				continue;
			if (right[k])
				ui_text_right(c, cols[k].x, y, cols[k].w,
				    UI_COL_HEADER, heads[k]);
			else
				ui_canvas_fit(c, cols[k].x, y, cols[k].w,
				    UI_COL_HEADER, heads[k], UI_FIT_END);
		}
		y++;
	}
	for (i = 0; i < call->nstreams && y < r->y + r->h; i++) {
		t = &call->streams[i];
		ui_stream_cells(t, c->utf8, cells);
		for (k = 0; k < UI_SCOL_N; k++) {
			enum ui_colour	col = UI_COL_NORMAL;

			if (cols[k].w == 0)
				continue;
			if (k == UI_SCOL_MOS && t->mos_known)
				col = ui_mos_colour(t->mos);
			else if ((k == UI_SCOL_LOST || k == UI_SCOL_LOSTPCT) &&
			    t->lost_pct > TRACK_MEDIA_LOSS_PCT)
				col = UI_COL_BAD;
			if (right[k])
				ui_text_right(c, cols[k].x, y, cols[k].w, col,
				    cells[k]);
			else
				ui_canvas_fit(c, cols[k].x, y, cols[k].w, col,
				    cells[k], UI_FIT_END);
		}
		y++;
		/* What did not fit beside: under the stream, labelled. */
		if (second && y < r->y + r->h) {
			line[0] = '\0';
			for (k = 0; k < UI_SCOL_N; k++) {
				if (cols[k].w != 0)
					continue;
				g_strlcat(line, "  ", sizeof line);
				g_strlcat(line, heads[k], sizeof line);
				g_strlcat(line, " ", sizeof line);
				g_strlcat(line, cells[k], sizeof line);
			}
			ui_canvas_fit(c, r->x + 1, y, r->w - 1, UI_COL_DIM,
			    line, UI_FIT_WORD);
			y++;
		}
	}
	if (call->streams_total > call->nstreams && y < r->y + r->h) {
		snprintf(more, sizeof more, ngettext("%u more stream not "
		    "listed (the %u with the most packets are)", "%u more "
		    "streams not listed (the %u with the most packets are)",
		    call->streams_total - call->nstreams),
		    call->streams_total - call->nstreams, call->nstreams);
		ui_canvas_fit(c, r->x + 1, y, r->w - 1, UI_COL_DIM, more,
		    UI_FIT_WORD);
	}
}

/*
 * The alert about the call, under the title: its summary on one line,
 * or on a tall screen on two lines with the advice on a third; what
 * does not fit ends with an ellipsis (the whole text is on Tab).
 */
static void
ui_render_detail_alert(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct alert	*a = &ctx->detail_alert;
	enum ui_colour		 sc = ui_colour_severity(a->severity);
	char			*text, *wrapped, *line, *nl;
	int			 y;

	text = xasprintf("%s %s: %s", ui_severity_tag(a->severity), a->rule,
	    a->summary);
	if (r->h < 3 || a->advice[0] == '\0') {
		ui_canvas_fit(c, r->x, r->y, r->w, sc, text, UI_FIT_WORD);
		free(text);
		return;
	}
	wrapped = kb_wrap(text, r->w - 1, 0);
	for (line = wrapped, y = r->y; y < r->y + 2 && *line != '\0';
	    y++, line = nl + 1) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		/* The second line ends the summary: marked if it goes on. */
		if (y == r->y + 1 && nl != NULL && nl[1] != '\0') {
			char	*more = xasprintf("%s %s", line, nl + 1);

			ui_canvas_fit(c, r->x, y, r->w, UI_COL_NORMAL, more,
			    UI_FIT_WORD);
			free(more);
			break;
		}
		ui_canvas_fit(c, r->x, y, r->w, y == r->y ? sc :
		    UI_COL_NORMAL, line, UI_FIT_END);
		if (nl == NULL)
			break;
	}
	ui_canvas_fit(c, r->x, r->y + 2, r->w, UI_COL_DIM, a->advice,
	    UI_FIT_WORD);
	free(wrapped);
	free(text);
}

/* How the tracker linked a leg to the call's first (enum track_legs_by). */
static const char *
ui_legs_by_text(int by)
{
	switch (by) {
	case TRACK_LEGS_HEADER:
		return ("X-Call-ID/X-CID");
	case TRACK_LEGS_CORRELATE:
		return ("--correlate");
	case TRACK_LEGS_CALLID:
		return (_("Call-ID"));
	case TRACK_LEGS_B2BUA:
		return (_("B2BUA timing"));
	default:
		return ("?");
	}
}

static void
ui_render_detail(struct ui_ctx *ctx, struct ui_canvas *c)
{
	struct ui_detail_layout	 l;
	const struct ui_call_row *row;
	const char		*t_msg = _("SIP message");
	const char		*t_kb = _("Explanation");
	struct ui_rect		 full;
	char			 buf[512], state[160], legs[96];
	int			 x, right, media;

	ui_layout_detail(c->w, c->h, ctx->detail_has_alert, &l);
	ui_bar(c, 0, 0, c->w, UI_COL_STATUS);
	right = ctx->paused ? ui_text_width(_("PAUSED")) + 1 : 0;
	if (right > c->w / 3)
		right = 0;
	if (ctx->detail != NULL) {
		/* Who and the state whole; the Call-ID gives way. */
		row = &ctx->detail->row;
		ui_call_state_text(state, sizeof state, row);
		snprintf(buf, sizeof buf, " %s %s > %s  %s  ",
		    row->invite ? _("Call") : row->method, row->caller,
		    row->callee, state);
		/* Its legs, merged in the ladder, and what linked them. */
		if (ctx->detail->nlegs > 1) {
			snprintf(legs, sizeof legs, ngettext("%u leg, by %s  ",
			    "%u legs, by %s  ", ctx->detail->nlegs),
			    ctx->detail->nlegs,
			    ui_legs_by_text(ctx->detail->legs[1].legs_by));
			g_strlcat(buf, legs, sizeof buf);
		}
		x = ui_canvas_fit(c, 0, 0, c->w - right, UI_COL_STATUS, buf,
		    UI_FIT_END);
		snprintf(buf, sizeof buf, "Call-ID %s", row->call_id);
		ui_canvas_fit(c, x, 0, c->w - right - x, UI_COL_STATUS, buf,
		    UI_FIT_END);
	} else {
		snprintf(buf, sizeof buf, " Call-ID %s", ctx->detail_callid);
		ui_canvas_fit(c, 0, 0, c->w - right, UI_COL_STATUS, buf,
		    UI_FIT_END);
	}
	if (right > 0)
		ui_text_right(c, 0, 0, c->w, UI_COL_PAUSED, _("PAUSED"));
	if (ctx->detail_has_alert && l.alert.h > 0)
		ui_render_detail_alert(ctx, c, &l.alert);

	if (ctx->detail == NULL)
		ui_canvas_text(c, 1, l.ladder.y, c->w - 1, UI_COL_DIM,
		    _("The messages of this call are not held (never seen, or "
		    "evicted to stay within the memory limits)."));
	else
		ui_ladder_draw(c, &l.ladder, ctx->detail, ctx->dtop,
		    ctx->dsel);

	media = ui_call_has_media(ctx->detail);
	if (ctx->lower == UI_LOWER_STREAMS && media) {
		/* The streams, across the whole lower part. */
		full = l.message;
		if (l.split)
			full.w = l.explain.x + l.explain.w - l.message.x;
		ui_render_streams(ctx, c, &full);
		ui_title(c, &full, "", 0);
	} else if (l.split) {
		ui_render_message(ctx, c, &l.message, t_msg);
		ui_render_explain(ctx, c, &l.explain, t_kb);
	} else {
		/* One of the two, its name highlighted among all. */
		if (ctx->lower == UI_LOWER_MESSAGE)
			ui_render_message(ctx, c, &l.message, "");
		else
			ui_render_explain(ctx, c, &l.explain, "");
	}
	if (!l.split || (ctx->lower == UI_LOWER_STREAMS && media)) {
		x = 1 + ui_canvas_printf(c, 1, l.message.y, c->w - 1,
		    ctx->lower == UI_LOWER_MESSAGE ? UI_COL_TITLE_FOCUS :
		    UI_COL_TITLE, " %s ", t_msg) + 1;
		x += ui_canvas_printf(c, x, l.message.y, c->w - x,
		    ctx->lower == UI_LOWER_KB ? UI_COL_TITLE_FOCUS :
		    UI_COL_TITLE, " %s ", t_kb) + 1;
		if (media && x < c->w)
			ui_canvas_printf(c, x, l.message.y, c->w - x,
			    ctx->lower == UI_LOWER_STREAMS ?
			    UI_COL_TITLE_FOCUS : UI_COL_TITLE, " %s ",
			    _("RTP streams"));
	} else if (media) {
		/* Side by side: the streams are one Tab away. */
		x = l.explain.x + 1 + ui_text_width(t_kb) + 3;
		if (x < c->w)
			ui_canvas_printf(c, x, l.explain.y, c->w - x,
			    UI_COL_TITLE, " %s ", _("RTP streams"));
	}
	ui_render_keys(ctx, c, &l.keys);
}

/* --- knowledge-base view ---------------------------------------------- */

void
ui_kb_lines(struct ui_ctx *ctx, int width)
{
	const struct kb	*kb = ui_ctx_kb(ctx);
	char		*buf = NULL, *p, *nl;
	size_t		 len = 0, i;
	FILE		*fp;

	for (i = 0; i < ctx->kb_nlines; i++)
		free(ctx->kb_lines[i]);
	free(ctx->kb_lines);
	ctx->kb_lines = NULL;
	ctx->kb_nlines = 0;
	ctx->kb_width = width;
	snprintf(ctx->kb_lang, sizeof ctx->kb_lang, "%s", i18n_language());
	if (kb == NULL || (fp = open_memstream(&buf, &len)) == NULL)
		return;
	(void)kb_explain_write(kb, ctx->kb_code[0], ctx->kb_code[1],
	    width > 100 ? 100 : width, fp);
	fclose(fp);
	for (p = buf; p != NULL && *p != '\0'; p = nl + 1) {
		ctx->kb_lines = xreallocarray(ctx->kb_lines,
		    ctx->kb_nlines + 1, sizeof *ctx->kb_lines);
		if ((nl = strchr(p, '\n')) == NULL) {
			ctx->kb_lines[ctx->kb_nlines++] = xstrdup(p);
			break;
		}
		ctx->kb_lines[ctx->kb_nlines++] = xstrndup(p,
		    (size_t)(nl - p));
	}
	free(buf);
}

static void
ui_render_kb(struct ui_ctx *ctx, struct ui_canvas *c)
{
	struct ui_rect	 keys = { 0, c->h - 1, c->w, 1 };
	char		 buf[128];
	size_t		 i;
	int		 y;

	if (ctx->kb_width != c->w - 2 ||
	    strcmp(ctx->kb_lang, i18n_language()) != 0)
		ui_kb_lines(ctx, c->w - 2);
	ui_bar(c, 0, 0, c->w, UI_COL_STATUS);
	if (ctx->kb_code[1] != 0 && ctx->kb_code[1] != ctx->kb_code[0])
		snprintf(buf, sizeof buf, " %s: %d / %d", _("Knowledge base"),
		    ctx->kb_code[0], ctx->kb_code[1]);
	else
		snprintf(buf, sizeof buf, " %s: %d", _("Knowledge base"),
		    ctx->kb_code[0]);
	ui_canvas_text(c, 0, 0, c->w, UI_COL_STATUS, buf);
	if (ctx->kb_nlines == 0)
		ui_canvas_text(c, 1, 2, c->w - 1, UI_COL_DIM,
		    _("(the knowledge base could not be loaded)"));
	for (i = (size_t)ctx->kb_scroll, y = 1; i < ctx->kb_nlines &&
	    y < c->h - 1; i++, y++) {
		const char	*t = ctx->kb_lines[i];

		ui_canvas_text(c, 1, y, c->w - 1, t[0] != ' ' && t[0] != '\0' ?
		    UI_COL_LABEL : UI_COL_NORMAL, t);
	}
	ui_render_keys(ctx, c, &keys);
}

/* --- help ------------------------------------------------------------- */

/* A help entry: KEY and what it does; KEY NULL: a heading. */
struct ui_help {
	const char	*key;
	const char	*text;
};

static void
ui_help_add(GPtrArray *keys, GPtrArray *texts, const struct ui_help *h,
    int w)
{
	char	*t, *p, *nl;
	int	 first = 1;

	if (h->key == NULL) {
		if (texts->len > 0) {
			g_ptr_array_add(keys, NULL);
			g_ptr_array_add(texts, g_strdup(""));
		}
		g_ptr_array_add(keys, NULL);
		g_ptr_array_add(texts, g_strdup(h->text));
		return;
	}
	t = kb_wrap(h->text, w, 0);
	for (p = t; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		/* "": a wrapped line of the entry. */
		g_ptr_array_add(keys, g_strdup(first ? h->key : ""));
		g_ptr_array_add(texts, g_strdup(p));
		first = 0;
		if (nl == NULL)
			break;
	}
	free(t);
}

/*
 * Help about the view it was asked from (its keys, and for the main
 * screen the filter language), then the keys that work everywhere;
 * scrolled with the arrows and PgUp, PgDn.
 */
static void
ui_render_help(struct ui_ctx *ctx, struct ui_canvas *c)
{
	struct ui_rect		 keys = { 0, c->h - 1, c->w, 1 };
	const char		*mv = c->utf8 ? "\u2191 \u2193  j k" : "j k";
	const struct ui_help	 main_help[] = {
		{ NULL, _("Main screen") },
		{ mv, _("move the cursor (PgUp PgDn Home End too)") },
		{ "Tab", _("next panel: codes, alerts, peers, calls "
		    "(Shift-Tab: previous)") },
		{ "Enter", _("on an alert or a call: its ladder, messages, "
		    "advice and explanation; on a code: the calls that got "
		    "it; on a peer: the calls through it") },
		{ "x", _("on a code: what it means (knowledge base)") },
		{ "c", _("on a code: compare it with another code") },
		{ "/", _("filter the calls, their alerts and peers (below); "
		    "empty to clear") },
		{ "Esc", _("clear the filter") },
		{ "a", _("calls: also Call-IDs without INVITE (REGISTER, "
		    "OPTIONS ...)") },
		{ "e", _("export the calls listed: p pcap (the frames as "
		    "captured), c CSV, t text ladder, h HTML page; a capital "
		    "letter: the selected call only") },
		{ "s", _("save the selected call's frames as pcap") },
		{ "q", _("quit: asks first (q again quits, any other key "
		    "stays)") },
		{ NULL, _("Calls list") },
		{ "!", _("an alert was raised about the call") },
		{ _("media"), _("the codec the SDP negotiated and the worst "
		    "MOS of the call's RTP streams (ITU-T G.107 E-model, 1 to "
		    "4.5; - not scored)") },
		{ _("one-way"), _("RTP flowed in one direction only though "
		    "both sides negotiated sending (one-way-media)") },
		{ _("no RTP"), _("answered, and no RTP in either direction "
		    "(no-media)") },
		{ NULL, _("Filters") },
		{ "code:503", _("a response with that code in the call; also "
		    "5xx and 480-489. A bare 503 or 5xx means the code "
		    "too") },
		{ "state:failed", _("trying, ringing, answered, failed, "
		    "cancelled, ended, timeout, other; active; transfer") },
		{ "from: to:", _("the caller, the callee (the user, or "
		    "anything in the From, To header)") },
		{ "ip:", _("an element of the call: 10.0.0.1, "
		    "10.0.0.1:5060, 10.0.0.0/8, [2001:db8::1]:5060") },
		{ "ua:", _("in the User-Agent or Server header") },
		{ "hdr:N=V", _("header N (compact forms too) with V in it; "
		    "hdr:N: the header is there") },
		{ "rule:", _("an alert about the call, by rule") },
		{ "method:", _("a method in the call; callid: the "
		    "Call-ID") },
		{ _("text"), _("any other word: in the raw messages, the "
		    "Call-ID, users and addresses; \"quoted\" for spaces, "
		    "or \"503\" for the number") },
		{ "and or not", _("combine, with ( ); words side by side: and. "
		    "code:5xx and not ua:asterisk") },
	};
	const struct ui_help	 detail_help[] = {
		{ NULL, _("Call view") },
		{ mv, _("move in the ladder (Home End too); the message "
		    "below follows") },
		{ "Tab", _("the lower pane: the message, or the alert's "
		    "summary and advice then the explanation of the code "
		    "(side by side from 140 columns)") },
		{ _("RTP streams"), _("Tab to the call's streams: source > "
		    "destination, SSRC, codec, packets, lost and %, mean/max "
		    "interarrival jitter (ms), MOS, first and last packet "
		    "(UTC); a media alert opens the call on them") },
		{ "PgUp PgDn", _("scroll the lower pane") },
		{ "Enter x", _("the code's full knowledge-base entry") },
		{ "c", _("compare the code with another") },
		{ "e", _("export this call: p pcap, c CSV, t text, h HTML") },
		{ "s", _("save this call's frames as pcap") },
		{ "Esc q", _("back") },
	};
	const struct ui_help	 kb_help[] = {
		{ NULL, _("Knowledge base") },
		{ mv, _("scroll (PgUp PgDn Space Home too)") },
		{ "c", _("compare with another code") },
		{ "Esc q", _("back") },
	};
	const struct ui_help	 any_help[] = {
		{ NULL, _("Everywhere") },
		{ "p", _("pause the display (capture and tracking go on)") },
		{ "l", _("next language (en, ru, ja, tr)") },
		{ "?", _("this help; Esc: back") },
		{ "Q", _("quit at once") },
	};
	const struct ui_help	*h;
	GPtrArray		*hk, *ht;
	size_t			 n, i;
	int			 y, kw = 14, w;

	switch (ctx->help_for) {
	case UI_VIEW_DETAIL:
		h = detail_help;
		n = sizeof detail_help / sizeof detail_help[0];
		break;
	case UI_VIEW_KB:
		h = kb_help;
		n = sizeof kb_help / sizeof kb_help[0];
		break;
	default:
		h = main_help;
		n = sizeof main_help / sizeof main_help[0];
		break;
	}
	if (c->w < 40)
		kw = 10;
	w = c->w - kw - 3;
	hk = g_ptr_array_new_with_free_func(g_free);
	ht = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; i < n; i++)
		ui_help_add(hk, ht, &h[i], w);
	for (i = 0; i < sizeof any_help / sizeof any_help[0]; i++)
		ui_help_add(hk, ht, &any_help[i], w);

	ui_bar(c, 0, 0, c->w, UI_COL_STATUS);
	ui_canvas_fit(c, 1, 0, c->w - 1, UI_COL_STATUS, _("Keys"),
	    UI_FIT_END);
	if (ctx->help_scroll > (int)ht->len - (c->h - 2))
		ctx->help_scroll = (int)ht->len - (c->h - 2);
	if (ctx->help_scroll < 0)
		ctx->help_scroll = 0;
	for (i = (size_t)ctx->help_scroll, y = 1; i < ht->len && y < c->h - 1;
	    i++, y++) {
		const char	*k = g_ptr_array_index(hk, i);
		const char	*t = g_ptr_array_index(ht, i);

		if (k != NULL) {
			if (*k != '\0')
				ui_canvas_fit(c, 2, y, kw, UI_COL_KEY, k,
				    UI_FIT_END);
			ui_canvas_fit(c, kw + 3, y, w, UI_COL_NORMAL, t,
			    UI_FIT_END);
		} else
			ui_canvas_fit(c, 1, y, c->w - 1, UI_COL_LABEL, t,
			    UI_FIT_END);
	}
	if (i < ht->len)
		ui_canvas_right(c, 0, c->h - 2, c->w, UI_COL_KEY,
		    c->utf8 ? " \u2193 " : " j ");
	g_ptr_array_free(hk, TRUE);
	g_ptr_array_free(ht, TRUE);
	ui_render_keys(ctx, c, &keys);
}

void
ui_render(struct ui_ctx *ctx, struct ui_canvas *c)
{
	ui_canvas_clear(c);
	switch (ctx->view) {
	case UI_VIEW_MAIN:
		ui_render_main(ctx, c);
		break;
	case UI_VIEW_DETAIL:
		ui_render_detail(ctx, c);
		break;
	case UI_VIEW_KB:
		ui_render_kb(ctx, c);
		break;
	case UI_VIEW_HELP:
		ui_render_help(ctx, c);
		break;
	}
}
