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

/* TEXT right-aligned in the W columns from X. */
static void
ui_text_right(struct ui_canvas *c, int x, int y, int w, enum ui_colour col,
    const char *text)
{
	int	tw = ui_text_width(text);

	if (tw > w)
		tw = w;
	ui_canvas_text(c, x + w - tw, y, tw, col, text);
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

/* "label value  " on the second status line; returns the columns. */
static int
ui_status_field(struct ui_canvas *c, const struct ui_rect *r, int x,
    const char *label, double v, int bad)
{
	char	buf[32];
	int	n;

	n = ui_canvas_text(c, r->x + x, r->y + 1, r->w - x, UI_COL_NORMAL,
	    label);
	snprintf(buf, sizeof buf, "%.0f", v);
	n += ui_canvas_text(c, r->x + x + n + 1, r->y + 1, r->w - x - n - 1,
	    bad ? UI_COL_ERROR : UI_COL_LABEL, buf) + 1;
	return (n + 2);
}

static const char *
ui_state_text(const struct ui_snap *s)
{
	if (s->finished && s->status != 0)
		return (_("capture error"));
	if (s->live)
		return (s->finished ? _("stopped") : _("capturing"));
	return (s->finished ? _("end of file") : _("replaying"));
}

static void
ui_render_status(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap	*s = &ctx->snap;
	char			 clock[16], line[512], state[256];
	const char		*kind, *source;
	uint64_t		 drops;
	int			 x;

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
		ui_fmt_clock(clock, sizeof clock, s->st.last_ts_us);
		if (s->total > 0)
			snprintf(line, sizeof line, "  %3d%%  %s",
			    (int)(s->done * 100 / s->total), clock);
		else
			snprintf(line, sizeof line, "  %s", clock);
		g_strlcat(state, line, sizeof state);
		if (s->speed > 0 && !s->finished) {
			snprintf(line, sizeof line, "  x%g", s->speed);
			g_strlcat(state, line, sizeof state);
		}
	}
	/* A path too long for the line gives way to its last part. */
	source = s->source;
	if (ui_text_width(kind) + ui_text_width(source) + ui_text_width(state) +
	    5 > r->w && strrchr(source, '/') != NULL &&
	    strrchr(source, '/')[1] != '\0')
		source = strrchr(source, '/') + 1;
	x = ui_canvas_printf(c, r->x, r->y, r->w, UI_COL_STATUS,
	    " %s %s  ", kind, source);
	ui_canvas_text(c, r->x + x, r->y, r->w - x, UI_COL_STATUS, state);
	if (ctx->paused) {
		snprintf(line, sizeof line, " %s ", _("PAUSED"));
		ui_text_right(c, r->x, r->y, r->w, UI_COL_PAUSED, line);
	}
	if (r->h < 2)
		return;
	ui_bar(c, r->x, r->y + 1, r->w, UI_COL_NORMAL);
	drops = s->st.kernel_drops + s->st.if_drops;
	x = 1;
	x += ui_status_field(c, r, x, _("pkt/s"), ctx->rates.pps, 0);
	x += ui_status_field(c, r, x, _("SIP/s"), ctx->rates.mps, 0);
	x += ui_status_field(c, r, x, _("drops"), (double)drops, drops > 0);
	x += ui_status_field(c, r, x, _("parse errors"),
	    (double)s->st.parse_errors, s->st.parse_errors > 0);
	x += ui_status_field(c, r, x, _("transactions"),
	    (double)s->transactions, 0);
	(void)ui_status_field(c, r, x, _("Call-IDs"), (double)s->call_ids, 0);
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
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)
		    ui_hist_sum(s, cls, UI_RECENT_SECS));
		ui_text_right(c, r->x + 4, y, x1 - r->x - 4, UI_COL_NORMAL,
		    buf);
		snprintf(buf, sizeof buf, "%llu",
		    (unsigned long long)s->cls_total[cls - 1]);
		ui_text_right(c, x1, y, x2 - x1, UI_COL_DIM, buf);
		ui_render_spark(ctx, c, xs, y, r->x + lw - xs, cls);
	}

	for (i = 0; i < (int)ctx->ntop_codes && i + 1 < r->h; i++) {
		int	code = ctx->top_codes[i].code;

		y = r->y + 1 + i;
		e = kb != NULL ? kb_lookup(kb, code) : NULL;
		snprintf(buf, sizeof buf, "%d %s", code,
		    e != NULL && e->registered ? e->reason : "");
		ui_canvas_text(c, rx, y, rw - 8, ui_colour_class(code / 100),
		    buf);
		snprintf(buf, sizeof buf, "%llu",
		    (unsigned long long)ctx->top_codes[i].n);
		ui_text_right(c, rx + rw - 8, y, 8, UI_COL_NORMAL, buf);
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

static void
ui_render_alerts(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap	*s = &ctx->snap;
	const struct alert	*a;
	enum ui_colour		 sc;
	char			 buf[160], clock[16];
	int			 focused = ctx->focus == UI_PANEL_ALERTS;
	int			 i, x, y, row, wide = r->w >= 120;
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
		x += ui_canvas_text(c, x, r->y, r->x + r->w - x,
		    ui_colour_severity(s->rules[k].severity), buf) + 1;
	}

	for (row = 0; row + 1 < r->h; row++) {
		i = ctx->top[UI_PANEL_ALERTS] + row;
		if (i >= (int)ctx->nvalerts)
			break;
		a = &s->alerts[ctx->valerts[i]].a;
		y = r->y + 1 + row;
		sc = ui_colour_severity(a->severity);
		ui_fmt_clock(clock, sizeof clock, a->ts_us);
		x = r->x + 1;
		x += ui_canvas_text(c, x, y, 9, UI_COL_DIM, clock) + 1;
		ui_canvas_text(c, x, y, 4, sc, ui_severity_tag(a->severity));
		x += 5;
		ui_canvas_text(c, x, y, wide ? 24 : 22, sc, a->rule);
		x += wide ? 25 : 23;
		if (wide) {
			snprintf(buf, sizeof buf, "%s > %s", a->src, a->dst);
			ui_canvas_text(c, x, y, 40, UI_COL_NORMAL, buf);
			x += 41;
			ui_canvas_text(c, x, y, 16, UI_COL_DIM, a->call_id);
			x += 17;
		} else {
			ui_canvas_text(c, x, y, 8, UI_COL_DIM, a->call_id);
			x += 9;
		}
		ui_canvas_text(c, x, y, r->x + r->w - x, UI_COL_NORMAL,
		    a->summary);
		if (focused && i == ctx->sel[UI_PANEL_ALERTS])
			ui_canvas_paint(c, r->x, y, r->w, UI_COL_SELECT);
	}
	if (ctx->nvalerts == 0 && r->h > 1)
		ui_canvas_text(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_DIM,
		    ctx->filter[0] != '\0' ? _("no alert matches the filter") :
		    _("no alerts"));
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

static void
ui_render_peers(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap		*s = &ctx->snap;
	const struct ui_peer_row	*p;
	enum ui_colour			 tc;
	char				 buf[64];
	int				 focused = ctx->focus == UI_PANEL_PEERS;
	int				 aw, x, y, row, i;

	if (r->h < 1)
		return;
	tc = focused ? UI_COL_TITLE_FOCUS : UI_COL_TITLE;
	aw = r->w - 50;
	if (aw < 16)
		aw = 16;
	ui_title(c, r, _("Peers"), focused);
	x = r->x + 1 + aw;
	ui_text_right(c, x, r->y, 8, tc, _("msgs"));
	ui_text_right(c, x + 8, r->y, 6, tc, "4xx");
	ui_text_right(c, x + 14, r->y, 6, tc, "5xx");
	ui_text_right(c, x + 20, r->y, 6, tc, "6xx");
	ui_canvas_text(c, x + 28, r->y, 12, tc, _("back-off"));
	ui_text_right(c, x + 40, r->y, 8, tc, _("PDD"));

	for (row = 0; row + 1 < r->h; row++) {
		i = ctx->top[UI_PANEL_PEERS] + row;
		if (i >= (int)ctx->nvpeers)
			break;
		p = &s->peers[ctx->vpeers[i]];
		y = r->y + 1 + row;
		sw_addr_format(&p->addr, buf, sizeof buf);
		ui_canvas_text(c, r->x + 1, y, aw - 1, UI_COL_NORMAL, buf);
		snprintf(buf, sizeof buf, "%llu",
		    (unsigned long long)(p->sent + p->received));
		ui_text_right(c, x, y, 8, UI_COL_NORMAL, buf);
		ui_pct(buf, sizeof buf, p->c4, p->finals);
		ui_text_right(c, x + 8, y, 6, p->c4 ? UI_COL_4XX : UI_COL_DIM,
		    buf);
		ui_pct(buf, sizeof buf, p->c5, p->finals);
		ui_text_right(c, x + 14, y, 6, p->c5 ? UI_COL_5XX : UI_COL_DIM,
		    buf);
		ui_pct(buf, sizeof buf, p->c6, p->finals);
		ui_text_right(c, x + 20, y, 6, p->c6 ? UI_COL_6XX : UI_COL_DIM,
		    buf);
		if (p->backoff_until_us > s->now_us) {
			/* Retry-After still running: time left. */
			snprintf(buf, sizeof buf, "%d %llds", p->backoff_code,
			    (long long)((p->backoff_until_us - s->now_us +
			    999999) / 1000000));
			ui_canvas_text(c, x + 28, y, 12, UI_COL_5XX, buf);
		} else if (p->backoff_code != 0) {
			/* Over: what was asked, in brackets. */
			snprintf(buf, sizeof buf, "(%d %lds)", p->backoff_code,
			    p->retry_after);
			ui_canvas_text(c, x + 28, y, 12, UI_COL_DIM, buf);
		}
		if (p->pdd_median_us >= 0) {
			snprintf(buf, sizeof buf, "%.2fs",
			    (double)p->pdd_median_us / 1e6);
			ui_text_right(c, x + 40, y, 8, UI_COL_NORMAL, buf);
		} else
			ui_text_right(c, x + 40, y, 8, UI_COL_DIM, "-");
		if (focused && i == ctx->sel[UI_PANEL_PEERS])
			ui_canvas_paint(c, r->x, y, r->w, UI_COL_SELECT);
	}
	if (ctx->nvpeers == 0 && r->h > 1)
		ui_canvas_text(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_DIM,
		    ctx->filter[0] != '\0' ? _("no peer matches the filter") :
		    _("no SIP seen yet"));
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
		return (UI_COL_BAD);
	case UI_CALL_OTHER:
		return (r->code >= 300 ? UI_COL_BAD : UI_COL_NORMAL);
	default:
		return (UI_COL_NORMAL);
	}
}

static void
ui_render_calls(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const struct ui_snap		*s = &ctx->snap;
	const struct ui_call_row	*cr;
	enum ui_colour			 tc;
	char				 buf[160], clock[16];
	int				 focused = ctx->focus == UI_PANEL_CALLS;
	int				 nw, sw, x, y, row, i, wide = r->w >= 120;
	int64_t				 from, to;

	if (r->h < 1)
		return;
	tc = focused ? UI_COL_TITLE_FOCUS : UI_COL_TITLE;
	snprintf(buf, sizeof buf, "%s %u", ctx->show_all ? _("Call-IDs") :
	    _("Calls"), ctx->nvcalls);
	ui_title(c, r, buf, focused);
	/*
	 * Columns: start, caller, callee, a "!" when the call has alerts,
	 * state, duration [, Call-ID]: x, nw + 1, nw + 1, 1, sw, 1 + 7.
	 */
	x = r->x + 1 + ui_text_width(buf) + 2;
	if (x < r->x + 10)
		x = r->x + 10;
	nw = wide ? 20 : (r->w - x - 40) / 2;
	if (nw < 8)
		nw = 8;
	sw = wide ? 32 : r->x + r->w - 1 - x - 2 * (nw + 1) - 9;
	if (sw < 10)
		sw = 10;
	ui_canvas_text(c, x, r->y, nw, tc, _("caller"));
	ui_canvas_text(c, x + nw + 1, r->y, nw, tc, _("callee"));
	ui_canvas_text(c, x + 2 * nw + 3, r->y, sw, tc, _("state"));
	ui_text_right(c, x + 2 * nw + 4 + sw, r->y, 7, tc, _("time"));
	if (wide)
		ui_canvas_text(c, x + 2 * nw + sw + 13, r->y,
		    r->x + r->w - (x + 2 * nw + sw + 13), tc, "Call-ID");

	for (row = 0; row + 1 < r->h; row++) {
		i = ctx->top[UI_PANEL_CALLS] + row;
		if (i >= (int)ctx->nvcalls)
			break;
		cr = &s->calls[ctx->vcalls[i]];
		y = r->y + 1 + row;
		ui_fmt_clock(clock, sizeof clock, cr->start_us);
		ui_canvas_text(c, r->x + 1, y, 8, UI_COL_DIM, clock);
		ui_canvas_text(c, x, y, nw, UI_COL_NORMAL, cr->caller);
		ui_canvas_text(c, x + nw + 1, y, nw, UI_COL_NORMAL,
		    cr->callee);
		ui_call_state_text(buf, sizeof buf, cr);
		if (cr->nalerts > 0)
			ui_canvas_text(c, x + 2 * nw + 2, y, 1, UI_COL_WARNING,
			    "!");
		ui_canvas_text(c, x + 2 * nw + 3, y, sw, ui_call_colour(cr),
		    buf);
		/* Talk time once answered, else time since the start. */
		from = cr->answer_us != 0 ? cr->answer_us : cr->start_us;
		to = cr->end_us != 0 ? cr->end_us : s->now_us;
		if (cr->state == UI_CALL_OTHER)
			to = cr->last_us;
		ui_fmt_duration(buf, sizeof buf, to - from);
		ui_text_right(c, x + 2 * nw + 4 + sw, y, 7, UI_COL_NORMAL,
		    buf);
		if (wide)
			ui_canvas_text(c, x + 2 * nw + sw + 13, y,
			    r->x + r->w - (x + 2 * nw + sw + 13), UI_COL_DIM,
			    cr->call_id);
		if (focused && i == ctx->sel[UI_PANEL_CALLS])
			ui_canvas_paint(c, r->x, y, r->w, UI_COL_SELECT);
	}
	if (ctx->nvcalls == 0 && r->h > 1) {
		if (ctx->filter[0] != '\0')
			snprintf(buf, sizeof buf, "%s",
			    _("no call matches the filter"));
		else if (!ctx->show_all && s->ncalls > 0)
			snprintf(buf, sizeof buf, _("no calls; a lists the %u "
			    "other Call-IDs"), s->ncalls);
		else
			snprintf(buf, sizeof buf, "%s", _("no calls yet"));
		ui_canvas_text(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_DIM,
		    buf);
	}
}

/* --- key hints, prompts ----------------------------------------------- */

/* Key hints: pairs of key and what it does. */
static void
ui_render_hints(struct ui_canvas *c, const struct ui_rect *r,
    const char *const *pairs)
{
	int	x = r->x + 1, i;

	for (i = 0; pairs[i] != NULL && x < r->x + r->w; i += 2) {
		x += ui_canvas_text(c, x, r->y, r->x + r->w - x, UI_COL_KEY,
		    pairs[i]);
		x += ui_canvas_text(c, x + 1, r->y, r->x + r->w - x - 1,
		    UI_COL_KEYS, pairs[i + 1]) + 3;
	}
}

static void
ui_render_keys(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r)
{
	const char	*label = NULL;
	char		 buf[UI_INPUT_MAX + 128];
	int		 x;
	const char	*main_keys[] = {
		"Tab", _("panel"), "Enter", _("open"), "/", _("filter"),
		"p", _("pause"), "l", _("language"), "s", _("save"),
		"?", _("help"), "q", _("quit"), NULL
	};

	if (r->h < 1)
		return;
	ui_bar(c, r->x, r->y, r->w, UI_COL_KEYS);
	switch (ctx->prompt) {
	case UI_PROMPT_FILTER:
		label = _("Filter (Call-ID, user, IP, method, code):");
		break;
	case UI_PROMPT_COMPARE:
		label = _("Compare with code:");
		break;
	case UI_PROMPT_SAVE:
		label = _("Save the call's packets to:");
		break;
	case UI_PROMPT_NONE:
		break;
	}
	if (label != NULL) {
		snprintf(buf, sizeof buf, "%s %s", label, ctx->input);
		x = ui_canvas_text(c, r->x + 1, r->y, r->w - 2, UI_COL_PROMPT,
		    buf);
		ui_canvas_fill(c, r->x + 1 + x, r->y, 1, UI_COL_SELECT, ' ');
		return;
	}
	if (ctx->message[0] != '\0') {
		ui_canvas_text(c, r->x + 1, r->y, r->w - 2, UI_COL_MESSAGE,
		    ctx->message);
		return;
	}
	if (ctx->view == UI_VIEW_MAIN) {
		ui_render_hints(c, r, main_keys);
		if (ctx->filter[0] != '\0') {
			snprintf(buf, sizeof buf, " %s: %s ", _("filter"),
			    ctx->filter);
			ui_text_right(c, r->x, r->y, r->w, UI_COL_PROMPT, buf);
		}
	} else if (ctx->view == UI_VIEW_DETAIL) {
		const char	*k[] = {
			"\u2191\u2193", _("message"), "Tab", _("pane"),
			"PgDn", _("scroll"), "Enter", _("explain"),
			"s", _("save"), "Esc", _("back"), NULL
		};

		if (!c->utf8)
			k[0] = "j/k";
		ui_render_hints(c, r, k);
	} else if (ctx->view == UI_VIEW_KB) {
		const char	*k[] = {
			"\u2191\u2193", _("scroll"), "c", _("compare"),
			"l", _("language"), "Esc", _("back"), NULL
		};

		if (!c->utf8)
			k[0] = "j/k";
		ui_render_hints(c, r, k);
	} else {
		const char	*k[] = { "Esc", _("back"), NULL };

		ui_render_hints(c, r, k);
	}
}

/* --- main screen ------------------------------------------------------ */

static void
ui_render_main(struct ui_ctx *ctx, struct ui_canvas *c)
{
	struct ui_layout	l;

	ui_layout_main(c->w, c->h, &l);
	ui_render_status(ctx, c, &l.status);
	ui_render_codes(ctx, c, &l.codes);
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
	char			 clock[16];
	int			 x;

	ui_title(c, r, title, 0);
	if (m == NULL || r->h < 2)
		return;
	sw_addr_format(&m->src, src, sizeof src);
	sw_addr_format(&m->dst, dst, sizeof dst);
	ui_fmt_clock(clock, sizeof clock, m->ts_us);
	x = ui_canvas_printf(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_LABEL,
	    "%s.%06lld %s > %s %s", clock, (long long)(m->ts_us % 1000000),
	    src, dst, decode_transport_name(m->transport));
	if (m->retrans)
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

static void
ui_render_explain(struct ui_ctx *ctx, struct ui_canvas *c,
    const struct ui_rect *r, const char *title)
{
	const struct kb		*kb = ui_ctx_kb(ctx);
	const struct kb_entry	*e;
	GPtrArray		*lines;
	char			*s;
	int			 code = ui_detail_code(ctx), w = r->w - 2, y;
	unsigned		 i;

	ui_title(c, r, title, 0);
	if (r->h < 2)
		return;
	if (code == 0 || kb == NULL || (e = kb_lookup(kb, code)) == NULL) {
		ui_canvas_text(c, r->x + 1, r->y + 1, r->w - 1, UI_COL_DIM,
		    kb == NULL ? _("(the knowledge base could not be loaded)") :
		    _("(no response code here)"));
		return;
	}
	lines = g_ptr_array_new_with_free_func(g_free);
	if (e->registered)
		s = xasprintf("%d %s", code, e->reason);
	else
		s = xasprintf("%d (%dxx)", code, e->class);
	g_ptr_array_add(lines, g_strdup(s));
	free(s);
	if (!e->registered || strcmp(e->title, e->reason) != 0)
		ui_add_wrapped(lines, e->title, w, 0);
	g_ptr_array_add(lines, g_strdup(_("Meaning")));
	ui_add_wrapped(lines, e->meaning, w, 2);
	g_ptr_array_add(lines, g_strdup(_("When you see it")));
	ui_add_wrapped(lines, e->when, w, 2);
	g_ptr_array_add(lines, g_strdup(_("What to do")));
	ui_add_wrapped(lines, e->fix, w, 2);
	if (ctx->lscroll > (int)lines->len - 1)
		ctx->lscroll = (int)lines->len - 1;
	y = r->y + 1;
	for (i = (unsigned)ctx->lscroll; i < lines->len && y < r->y + r->h;
	    i++, y++) {
		const char	*t = g_ptr_array_index(lines, i);
		enum ui_colour	 col = UI_COL_NORMAL;

		if (i == 0)
			col = ui_colour_class(code / 100);
		else if (t[0] != ' ' && i > 1)
			col = UI_COL_LABEL;
		ui_canvas_text(c, r->x + 1, y, r->w - 1, col, t);
	}
	g_ptr_array_free(lines, TRUE);
}

/*
 * The alert the detail view was opened from: one line, or on a tall
 * screen the summary on two lines and the advice on a third.
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
		ui_canvas_text(c, r->x, r->y, r->w, sc, text);
		free(text);
		return;
	}
	wrapped = kb_wrap(text, r->w - 1, 0);
	for (line = wrapped, y = r->y; y < r->y + 2 && *line != '\0';
	    y++, line = nl + 1) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		ui_canvas_text(c, r->x, y, r->w, y == r->y ? sc :
		    UI_COL_NORMAL, line);
		if (nl == NULL)
			break;
	}
	ui_canvas_text(c, r->x, r->y + 2, r->w, UI_COL_DIM, a->advice);
	free(wrapped);
	free(text);
}

static void
ui_render_detail(struct ui_ctx *ctx, struct ui_canvas *c)
{
	struct ui_detail_layout	 l;
	const struct ui_call_row *row;
	const char		*t_msg = _("SIP message");
	const char		*t_kb = _("Explanation");
	char			 buf[512], state[160];
	int			 x;

	ui_layout_detail(c->w, c->h, ctx->detail_has_alert, &l);
	ui_bar(c, 0, 0, c->w, UI_COL_STATUS);
	if (ctx->detail != NULL) {
		row = &ctx->detail->row;
		ui_call_state_text(state, sizeof state, row);
		snprintf(buf, sizeof buf, " %s %s > %s  %s  Call-ID %s",
		    row->invite ? _("Call") : row->method, row->caller,
		    row->callee, state, row->call_id);
	} else
		snprintf(buf, sizeof buf, " Call-ID %s", ctx->detail_callid);
	ui_canvas_text(c, 0, 0, c->w, UI_COL_STATUS, buf);
	if (ctx->paused)
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

	if (l.split) {
		ui_render_message(ctx, c, &l.message, t_msg);
		ui_render_explain(ctx, c, &l.explain, t_kb);
	} else {
		/* One of the two, its name highlighted among both. */
		if (ctx->lower == UI_LOWER_MESSAGE)
			ui_render_message(ctx, c, &l.message, "");
		else
			ui_render_explain(ctx, c, &l.explain, "");
		x = 1 + ui_canvas_printf(c, 1, l.message.y, c->w - 1,
		    ctx->lower == UI_LOWER_MESSAGE ? UI_COL_TITLE_FOCUS :
		    UI_COL_TITLE, " %s ", t_msg) + 1;
		ui_canvas_printf(c, x, l.message.y, c->w - x,
		    ctx->lower == UI_LOWER_KB ? UI_COL_TITLE_FOCUS :
		    UI_COL_TITLE, " %s ", t_kb);
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

static void
ui_render_help(struct ui_ctx *ctx, struct ui_canvas *c)
{
	struct ui_rect	 keys = { 0, c->h - 1, c->w, 1 };
	const char	*help[] = {
		"\u2191 \u2193  j k", _("move the cursor"),
		"Tab", _("next panel (Shift-Tab: previous)"),
		"Enter", _("open: an alert or a call shows its ladder, the "
		    "message and the explanation; a code its explanation"),
		"c", _("on a code: compare it with another code"),
		"/", _("filter by Call-ID, user, IP, method or code (5xx "
		    "for a class); empty to clear"),
		"a", _("calls: also show Call-IDs without INVITE"),
		"p", _("pause the display (capture and tracking go on)"),
		"l", _("next language (en, ru, ja, tr)"),
		"s", _("save the selected call's packets to a pcap file"),
		"PgUp PgDn", _("scroll a page"),
		"Esc q", _("back; on the main screen, quit"),
		"?", _("this help"),
		NULL
	};
	int		 i, y = 2;

	ui_bar(c, 0, 0, c->w, UI_COL_STATUS);
	ui_canvas_printf(c, 0, 0, c->w, UI_COL_STATUS, " %s", _("Keys"));
	if (!c->utf8)
		help[0] = "j k";
	for (i = 0; help[i] != NULL && y < c->h - 1; i += 2) {
		char	*t, *p, *nl;

		ui_canvas_text(c, 2, y, 12, UI_COL_KEY, help[i]);
		t = kb_wrap(help[i + 1], c->w - 16, 0);
		for (p = t; *p != '\0' && y < c->h - 1; p = nl + 1, y++) {
			if ((nl = strchr(p, '\n')) != NULL)
				*nl = '\0';
			ui_canvas_text(c, 15, y, c->w - 16, UI_COL_NORMAL, p);
			if (nl == NULL) {
				y++;
				break;
			}
		}
		free(t);
	}
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
