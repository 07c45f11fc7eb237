/*
 * ui-keys.c: the UI thread's state and what each key does: moving the
 * cursor, switching panels and views, the prompts (filter, code to
 * compare, file name), pausing, the language, saving a call as pcap.
 * No terminal here: ui-term.c turns the terminal's keys into UI_KEY_*
 * and characters; the unit tests call ui_key() directly.
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

static const char *const ui_langs[UI_LANGS] = { "en", "ru", "ja", "tr" };
/* Each language's own name, shown when switching to it. */
static const char *const ui_lang_names[UI_LANGS] = {
	"English", "Русский", "日本語", "Türkçe"
};

void
ui_ctx_init(struct ui_ctx *ctx, struct ui_model *model, const char *datadir,
    int w, int h)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->model = model;
	ctx->datadir = datadir;
	ctx->w = w;
	ctx->h = h;
	ctx->utf8 = 1;
	ctx->colour = 1;
	ctx->view = UI_VIEW_MAIN;
	ctx->focus = UI_PANEL_ALERTS;
	ctx->sel_code = -1;
}

static void
ui_ctx_close_detail(struct ui_ctx *ctx)
{
	ui_call_free(ctx->detail);
	ctx->detail = NULL;
	ctx->detail_gen = 0;
	if (ctx->detail_has_alert)
		alert_clear(&ctx->detail_alert);
	ctx->detail_has_alert = 0;
}

void
ui_ctx_free(struct ui_ctx *ctx)
{
	size_t	i;

	ui_ctx_close_detail(ctx);
	ui_snap_free(&ctx->snap);
	free(ctx->valerts);
	free(ctx->vpeers);
	free(ctx->vcalls);
	for (i = 0; i < ctx->kb_nlines; i++)
		free(ctx->kb_lines[i]);
	free(ctx->kb_lines);
	for (i = 0; i < UI_LANGS; i++)
		kb_free(ctx->kbs[i]);
	memset(ctx, 0, sizeof *ctx);
}

const struct kb *
ui_ctx_kb(struct ui_ctx *ctx)
{
	const char	*lang = i18n_language();
	char		*cause = NULL;
	int		 i;

	for (i = 0; i < UI_LANGS; i++) {
		if (strcmp(ui_langs[i], lang) == 0)
			break;
	}
	if (i == UI_LANGS)
		i = 0;
	if (ctx->kbs[i] == NULL && !ctx->kb_failed[i]) {
		ctx->kbs[i] = kb_load(ctx->datadir, ui_langs[i], &cause);
		if (ctx->kbs[i] == NULL) {
			ctx->kb_failed[i] = 1;
			snprintf(ctx->message, sizeof ctx->message, "%s",
			    cause);
			free(cause);
		}
	}
	return (ctx->kbs[i]);
}

/* --- lists ------------------------------------------------------------ */

/*
 * Peers (indexes into the snapshot ARG): a running back-off first, then
 * the busiest, then by address.
 */
static int
ui_peer_cmp(const void *a, const void *b, void *arg)
{
	const struct ui_snap		*s = arg;
	const struct ui_peer_row	*p = &s->peers[*(const unsigned *)a];
	const struct ui_peer_row	*q = &s->peers[*(const unsigned *)b];
	int64_t				 now = s->now_us;
	int				 pb, qb;
	uint64_t			 pn, qn;

	pb = p->backoff_until_us > now;
	qb = q->backoff_until_us > now;
	if (pb != qb)
		return (qb - pb);
	pn = p->sent + p->received;
	qn = q->sent + q->received;
	if (pn != qn)
		return (pn > qn ? -1 : 1);
	return (sw_addr_cmp(&p->addr, &q->addr));
}

/* The index of the selected item in the new list, by identity. */
static void
ui_ctx_reselect(struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;
	unsigned		 i;

	if (ctx->sel[UI_PANEL_ALERTS] > 0) {
		for (i = 0; i < ctx->nvalerts; i++) {
			if (s->alerts[ctx->valerts[i]].seq == ctx->sel_alert) {
				ctx->sel[UI_PANEL_ALERTS] = (int)i;
				break;
			}
		}
	}
	if (ctx->sel[UI_PANEL_CALLS] > 0) {
		for (i = 0; i < ctx->nvcalls; i++) {
			if (s->calls[ctx->vcalls[i]].id == ctx->sel_call) {
				ctx->sel[UI_PANEL_CALLS] = (int)i;
				break;
			}
		}
	}
	if (ctx->sel[UI_PANEL_PEERS] > 0) {
		for (i = 0; i < ctx->nvpeers; i++) {
			if (sw_addr_cmp(&s->peers[ctx->vpeers[i]].addr,
			    &ctx->sel_peer) == 0) {
				ctx->sel[UI_PANEL_PEERS] = (int)i;
				break;
			}
		}
	}
	if (ctx->sel[UI_PANEL_CODES] > 0) {
		for (i = 0; i < ctx->ntop_codes; i++) {
			if (ctx->top_codes[i].code == ctx->sel_code) {
				ctx->sel[UI_PANEL_CODES] = (int)i;
				break;
			}
		}
	}
}

/* Remember what the cursors are on. */
static void
ui_ctx_remember(struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;
	int			 i;

	if ((i = ctx->sel[UI_PANEL_ALERTS]) < (int)ctx->nvalerts)
		ctx->sel_alert = s->alerts[ctx->valerts[i]].seq;
	if ((i = ctx->sel[UI_PANEL_CALLS]) < (int)ctx->nvcalls)
		ctx->sel_call = s->calls[ctx->vcalls[i]].id;
	if ((i = ctx->sel[UI_PANEL_PEERS]) < (int)ctx->nvpeers)
		ctx->sel_peer = s->peers[ctx->vpeers[i]].addr;
	if ((i = ctx->sel[UI_PANEL_CODES]) < (int)ctx->ntop_codes)
		ctx->sel_code = ctx->top_codes[i].code;
}

void
ui_ctx_lists(struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;
	unsigned		 need, i, n;

	need = s->alerts_cap;
	if (s->npeers > need)
		need = s->npeers;
	if (s->ncalls > need)
		need = s->ncalls;
	if (need > ctx->vcap) {
		ctx->vcap = need;
		ctx->valerts = xreallocarray(ctx->valerts, need, sizeof *ctx->valerts);
		ctx->vpeers = xreallocarray(ctx->vpeers, need, sizeof *ctx->vpeers);
		ctx->vcalls = xreallocarray(ctx->vcalls, need, sizeof *ctx->vcalls);
	}
	for (i = n = 0; i < s->nalerts; i++) {
		if (ui_filter_alert(ctx->filter, &s->alerts[i].a))
			ctx->valerts[n++] = i;
	}
	ctx->nvalerts = n;
	for (i = n = 0; i < s->npeers; i++) {
		if (ui_filter_peer(ctx->filter, &s->peers[i]))
			ctx->vpeers[n++] = i;
	}
	ctx->nvpeers = n;
	qsort_r(ctx->vpeers, ctx->nvpeers, sizeof *ctx->vpeers, ui_peer_cmp,
	    (void *)s);
	for (i = n = 0; i < s->ncalls; i++) {
		if ((ctx->show_all || s->calls[i].invite) &&
		    ui_filter_call(ctx->filter, &s->calls[i]))
			ctx->vcalls[n++] = i;
	}
	ctx->nvcalls = n;
	ctx->ntop_codes = ui_top_codes(s->codes, ctx->top_codes,
	    UI_TOP_CODES);
	ui_ctx_reselect(ctx);
	ui_ctx_scroll(ctx);
	ui_ctx_remember(ctx);
}

/* Rows of the list of panel P on the current screen. */
static int
ui_panel_rows(const struct ui_ctx *ctx, enum ui_panel p)
{
	struct ui_layout	l;
	int			h = 0;

	ui_layout_main(ctx->w, ctx->h, &l);
	switch (p) {
	case UI_PANEL_CODES:
		h = l.codes.h;
		break;
	case UI_PANEL_ALERTS:
		h = l.alerts.h;
		break;
	case UI_PANEL_PEERS:
		h = l.peers.h;
		break;
	case UI_PANEL_CALLS:
		h = l.calls.h;
		break;
	default:
		break;
	}
	return (h > 1 ? h - 1 : 1);
}

static int
ui_panel_count(const struct ui_ctx *ctx, enum ui_panel p)
{
	switch (p) {
	case UI_PANEL_CODES:
		return ((int)ctx->ntop_codes);
	case UI_PANEL_ALERTS:
		return ((int)ctx->nvalerts);
	case UI_PANEL_PEERS:
		return ((int)ctx->nvpeers);
	case UI_PANEL_CALLS:
		return ((int)ctx->nvcalls);
	default:
		return (0);
	}
}

void
ui_ctx_scroll(struct ui_ctx *ctx)
{
	struct ui_detail_layout	 dl;
	int			 p, n, rows;

	for (p = 0; p < UI_PANEL_COUNT; p++) {
		n = ui_panel_count(ctx, p);
		rows = ui_panel_rows(ctx, p);
		if (p == UI_PANEL_CODES && n > rows)
			n = rows;	/* the top codes do not scroll */
		if (ctx->sel[p] >= n)
			ctx->sel[p] = n - 1;
		if (ctx->sel[p] < 0)
			ctx->sel[p] = 0;
		ui_scroll_fix(&ctx->top[p], ctx->sel[p], n, rows);
	}
	if (ctx->detail != NULL) {
		n = (int)ctx->detail->nmsgs;
		if (ctx->dsel >= n)
			ctx->dsel = n - 1;
		if (ctx->dsel < 0)
			ctx->dsel = 0;
		ui_layout_detail(ctx->w, ctx->h, ctx->detail_has_alert, &dl);
		ui_scroll_fix(&ctx->dtop, ctx->dsel, n, dl.ladder.h - 1);
	}
	if (ctx->lscroll < 0)
		ctx->lscroll = 0;
	if (ctx->kb_scroll > (int)ctx->kb_nlines - (ctx->h - 2))
		ctx->kb_scroll = (int)ctx->kb_nlines - (ctx->h - 2);
	if (ctx->kb_scroll < 0)
		ctx->kb_scroll = 0;
}

void
ui_ctx_refresh(struct ui_ctx *ctx, int force, int64_t wall_us)
{
	struct ui_call	*c;

	if (ctx->paused && !force)
		return;
	ui_model_snapshot(ctx->model, &ctx->snap);
	ui_rates_update(&ctx->rates, &ctx->snap, wall_us);
	if (ctx->detail_callid[0] != '\0') {
		c = ui_model_call(ctx->model, ctx->detail_callid,
		    &ctx->detail_gen);
		if (c != NULL) {
			ui_call_free(ctx->detail);
			ctx->detail = c;
		}
	}
	ui_ctx_lists(ctx);
}

/* --- views ------------------------------------------------------------ */

static void
ui_push(struct ui_ctx *ctx, enum ui_view v)
{
	if (ctx->depth < UI_VIEW_STACK)
		ctx->stack[ctx->depth++] = ctx->view;
	ctx->view = v;
}

static void
ui_pop(struct ui_ctx *ctx)
{
	if (ctx->depth == 0) {
		ctx->view = UI_VIEW_MAIN;
		return;
	}
	ctx->view = ctx->stack[--ctx->depth];
	if (ctx->view != UI_VIEW_DETAIL) {
		/* Is a detail view still below?  Else let the call go. */
		unsigned	i;

		for (i = 0; i < ctx->depth; i++) {
			if (ctx->stack[i] == UI_VIEW_DETAIL)
				return;
		}
		ui_ctx_close_detail(ctx);
		ctx->detail_callid[0] = '\0';
	}
}

/*
 * The message of the call an alert is about: a response with its code
 * (to its method), else a request with its method; between the alert's
 * two addresses, in either direction, if there is one.
 */
static int
ui_alert_msg(const struct ui_call *call, const struct alert *a)
{
	char		 src[SW_ADDRSTRLEN], dst[SW_ADDRSTRLEN];
	const struct ui_msg *m;
	unsigned	 i;
	int		 first = -1;

	for (i = 0; i < call->nmsgs; i++) {
		m = &call->msgs[i];
		if (a->code != 0 ? (m->is_request || m->status != a->code) :
		    (!m->is_request || strcmp(m->method, a->method) != 0))
			continue;
		if (a->code != 0 && a->method[0] != '\0' &&
		    strcmp(m->method, a->method) != 0)
			continue;
		if (first == -1)
			first = (int)i;
		sw_addr_format(&m->src, src, sizeof src);
		sw_addr_format(&m->dst, dst, sizeof dst);
		if ((strcmp(src, a->src) == 0 && strcmp(dst, a->dst) == 0) ||
		    (strcmp(src, a->dst) == 0 && strcmp(dst, a->src) == 0))
			return ((int)i);
	}
	return (first == -1 ? 0 : first);
}

/* The first response carrying CODE, else 0. */
static int
ui_code_msg(const struct ui_call *call, int code)
{
	unsigned	i;

	for (i = 0; i < call->nmsgs; i++) {
		if (!call->msgs[i].is_request && call->msgs[i].status == code)
			return ((int)i);
	}
	return (0);
}

/* The first request with method METHOD, else 0. */
static int
ui_method_msg(const struct ui_call *call, const char *method)
{
	unsigned	i;

	for (i = 0; i < call->nmsgs; i++) {
		if (call->msgs[i].is_request &&
		    strcmp(call->msgs[i].method, method) == 0)
			return ((int)i);
	}
	return (0);
}

void
ui_open_detail(struct ui_ctx *ctx, const char *call_id, const struct alert *a)
{
	ui_ctx_close_detail(ctx);
	snprintf(ctx->detail_callid, sizeof ctx->detail_callid, "%s",
	    call_id != NULL ? call_id : "");
	if (a != NULL) {
		alert_copy(&ctx->detail_alert, a);
		ctx->detail_has_alert = 1;
	}
	ctx->dsel = ctx->dtop = ctx->lscroll = 0;
	ctx->lower = UI_LOWER_MESSAGE;
	if (ctx->detail_callid[0] != '\0')
		ctx->detail = ui_model_call(ctx->model, ctx->detail_callid,
		    &ctx->detail_gen);
	if (ctx->detail != NULL) {
		if (a != NULL)
			ctx->dsel = ui_alert_msg(ctx->detail, a);
		else if (ctx->detail->row.xfer != UI_XFER_NONE)
			ctx->dsel = ui_method_msg(ctx->detail, "REFER");
		else if (ctx->detail->row.state == UI_CALL_FAILED)
			ctx->dsel = ui_code_msg(ctx->detail,
			    ctx->detail->row.code);
	}
	if (ctx->view != UI_VIEW_DETAIL)
		ui_push(ctx, UI_VIEW_DETAIL);
	/* The message in the middle of the ladder, with its context. */
	{
		struct ui_detail_layout	l;

		ui_layout_detail(ctx->w, ctx->h, ctx->detail_has_alert, &l);
		ctx->dtop = ctx->dsel - (l.ladder.h - 1) / 2;
	}
	ui_ctx_scroll(ctx);
}

static void
ui_open_kb(struct ui_ctx *ctx, int a, int b)
{
	ctx->kb_code[0] = a;
	ctx->kb_code[1] = b;
	ctx->kb_scroll = 0;
	ui_kb_lines(ctx, ctx->w - 2);
	if (ctx->view != UI_VIEW_KB)
		ui_push(ctx, UI_VIEW_KB);
}

/* The code the cursor is on, in any view; 0 if none. */
static int
ui_current_code(struct ui_ctx *ctx)
{
	const struct ui_msg	*m;

	switch (ctx->view) {
	case UI_VIEW_MAIN:
		if (ctx->focus == UI_PANEL_CODES &&
		    ctx->sel[UI_PANEL_CODES] < (int)ctx->ntop_codes)
			return (ctx->top_codes[ctx->sel[UI_PANEL_CODES]].code);
		return (0);
	case UI_VIEW_KB:
		return (ctx->kb_code[0]);
	case UI_VIEW_DETAIL:
		if (ctx->detail != NULL && ctx->dsel < (int)ctx->detail->nmsgs) {
			m = &ctx->detail->msgs[ctx->dsel];
			if (!m->is_request)
				return (m->status);
		}
		if (ctx->detail_has_alert)
			return (ctx->detail_alert.kb_code != 0 ?
			    ctx->detail_alert.kb_code : ctx->detail_alert.code);
		return (0);
	default:
		return (0);
	}
}

/* The Call-ID the cursor is on (for saving), or NULL. */
static const char *
ui_current_callid(struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;
	int			 i;

	if (ctx->view == UI_VIEW_DETAIL)
		return (ctx->detail_callid[0] != '\0' ? ctx->detail_callid :
		    NULL);
	if (ctx->view != UI_VIEW_MAIN)
		return (NULL);
	if (ctx->focus == UI_PANEL_ALERTS &&
	    (i = ctx->sel[UI_PANEL_ALERTS]) < (int)ctx->nvalerts)
		return (s->alerts[ctx->valerts[i]].a.call_id);
	if (ctx->focus == UI_PANEL_CALLS &&
	    (i = ctx->sel[UI_PANEL_CALLS]) < (int)ctx->nvcalls)
		return (s->calls[ctx->vcalls[i]].call_id);
	return (NULL);
}

/* --- actions ---------------------------------------------------------- */

static void
ui_next_language(struct ui_ctx *ctx)
{
	const char	*cur = i18n_language();
	int		 i;

	for (i = 0; i < UI_LANGS; i++) {
		if (strcmp(ui_langs[i], cur) == 0)
			break;
	}
	i = (i + 1) % UI_LANGS;
	if (i18n_switch(ui_langs[i]) != 0)
		return;
	(void)ui_ctx_kb(ctx);
	if (ctx->view == UI_VIEW_KB)
		ui_kb_lines(ctx, ctx->w - 2);
	snprintf(ctx->message, sizeof ctx->message, "%s: %s", _("Language"),
	    ui_lang_names[i]);
}

static void
ui_start_save(struct ui_ctx *ctx)
{
	const char	*cid = ui_current_callid(ctx);
	char		 name[32];
	size_t		 i, n = 0;

	if (cid == NULL || *cid == '\0') {
		snprintf(ctx->message, sizeof ctx->message, "%s",
		    _("Select an alert about a call, or a call, to save it"));
		return;
	}
	snprintf(ctx->save_callid, sizeof ctx->save_callid, "%s", cid);
	for (i = 0; cid[i] != '\0' && n < sizeof name - 1 && n < 24; i++) {
		if (g_ascii_isalnum(cid[i]) || cid[i] == '-' || cid[i] == '_' ||
		    cid[i] == '.')
			name[n++] = cid[i];
	}
	name[n] = '\0';
	snprintf(ctx->input, sizeof ctx->input, "sipwatch-%s.pcap",
	    n > 0 ? name : "call");
	ctx->prompt = UI_PROMPT_SAVE;
}

static void
ui_do_save(struct ui_ctx *ctx, const char *path)
{
	struct ui_call	*c;
	char		*cause = NULL;
	int		 n;

	if (*path == '\0')
		return;
	c = ui_model_call(ctx->model, ctx->save_callid, NULL);
	if (c == NULL && ctx->detail != NULL &&
	    strcmp(ctx->detail->row.call_id, ctx->save_callid) == 0) {
		/* Evicted meanwhile: the copy the detail view holds. */
		n = ui_pcap_write(ctx->detail, path, &cause);
	} else if (c == NULL) {
		snprintf(ctx->message, sizeof ctx->message, "%s",
		    _("The messages of this call are not held"));
		return;
	} else {
		n = ui_pcap_write(c, path, &cause);
		ui_call_free(c);
	}
	if (n < 0) {
		snprintf(ctx->message, sizeof ctx->message, "%s", cause);
		free(cause);
		return;
	}
	snprintf(ctx->message, sizeof ctx->message,
	    _("Saved %d packets to %s"), n, path);
}

/* Remove the last UTF-8 character of S. */
static void
ui_input_backspace(char *s)
{
	size_t	n = strlen(s);

	while (n > 0) {
		n--;
		if (((unsigned char)s[n] & 0xc0) != 0x80)
			break;
	}
	s[n] = '\0';
}

static void
ui_input_key(struct ui_ctx *ctx, uint32_t key)
{
	char		 buf[8];
	int		 len, code;
	long		 lv;
	char		*end;
	size_t		 used;
	enum ui_prompt	 p = ctx->prompt;

	switch (key) {
	case UI_KEY_ESC:
		ctx->prompt = UI_PROMPT_NONE;
		return;
	case UI_KEY_BACKSPACE:
		ui_input_backspace(ctx->input);
		return;
	case 0x15:	/* ^U: clear the line */
		ctx->input[0] = '\0';
		return;
	case UI_KEY_ENTER:
		ctx->prompt = UI_PROMPT_NONE;
		break;
	default:
		if (key >= UI_KEY_BASE || key < 0x20 || key == 0x7f)
			return;
		len = g_unichar_to_utf8(key, buf);
		used = strlen(ctx->input);
		if (used + (size_t)len < sizeof ctx->input) {
			memcpy(ctx->input + used, buf, (size_t)len);
			ctx->input[used + (size_t)len] = '\0';
		}
		return;
	}
	switch (p) {
	case UI_PROMPT_FILTER:
		snprintf(ctx->filter, sizeof ctx->filter, "%s", ctx->input);
		g_strstrip(ctx->filter);
		memset(ctx->sel, 0, sizeof ctx->sel);
		memset(ctx->top, 0, sizeof ctx->top);
		ui_ctx_lists(ctx);
		break;
	case UI_PROMPT_COMPARE:
		lv = strtol(ctx->input, &end, 10);	/* saturates */
		code = end != ctx->input && lv >= 100 && lv <= 699 ? (int)lv : 0;
		if (code == 0) {
			snprintf(ctx->message, sizeof ctx->message,
			    _("\"%s\" is not a SIP response code (a number "
			    "from 100 to 699)"), ctx->input);
			break;
		}
		ui_open_kb(ctx, ctx->kb_code[0], code);
		break;
	case UI_PROMPT_SAVE:
		ui_do_save(ctx, ctx->input);
		break;
	case UI_PROMPT_NONE:
		break;
	}
}

/* Enter on the main screen. */
static void
ui_main_open(struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;
	const struct alert	*a;
	char			 buf[SW_ADDRSTRLEN];
	int			 i;

	switch (ctx->focus) {
	case UI_PANEL_CODES:
		if ((i = ctx->sel[UI_PANEL_CODES]) < (int)ctx->ntop_codes)
			ui_open_kb(ctx, ctx->top_codes[i].code, 0);
		break;
	case UI_PANEL_ALERTS:
		if ((i = ctx->sel[UI_PANEL_ALERTS]) < (int)ctx->nvalerts) {
			a = &s->alerts[ctx->valerts[i]].a;
			ui_open_detail(ctx, a->call_id, a);
		}
		break;
	case UI_PANEL_CALLS:
		if ((i = ctx->sel[UI_PANEL_CALLS]) < (int)ctx->nvcalls)
			ui_open_detail(ctx, s->calls[ctx->vcalls[i]].call_id,
			    NULL);
		break;
	case UI_PANEL_PEERS:
		/* A peer: show only what involves it. */
		if ((i = ctx->sel[UI_PANEL_PEERS]) < (int)ctx->nvpeers) {
			sw_addr_format(&s->peers[ctx->vpeers[i]].addr, buf,
			    sizeof buf);
			snprintf(ctx->filter, sizeof ctx->filter, "%s", buf);
			memset(ctx->sel, 0, sizeof ctx->sel);
			memset(ctx->top, 0, sizeof ctx->top);
			ui_ctx_lists(ctx);
		}
		break;
	default:
		break;
	}
}

/* Up, down, page, home, end on the cursor *SEL of N items. */
static int
ui_move(int *sel, int n, int page, uint32_t key)
{
	switch (key) {
	case UI_KEY_UP:
	case 'k':
		(*sel)--;
		break;
	case UI_KEY_DOWN:
	case 'j':
		(*sel)++;
		break;
	case UI_KEY_PGUP:
		*sel -= page;
		break;
	case UI_KEY_PGDN:
		*sel += page;
		break;
	case UI_KEY_HOME:
	case 'g':
		*sel = 0;
		break;
	case UI_KEY_END:
	case 'G':
		*sel = n - 1;
		break;
	default:
		return (0);
	}
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	return (1);
}

static void
ui_key_main(struct ui_ctx *ctx, uint32_t key)
{
	enum ui_panel	p = ctx->focus;
	int		n = ui_panel_count(ctx, p);

	if (p == UI_PANEL_CODES && n > ui_panel_rows(ctx, p))
		n = ui_panel_rows(ctx, p);
	if (ui_move(&ctx->sel[p], n, ui_panel_rows(ctx, p), key)) {
		ui_ctx_scroll(ctx);
		ui_ctx_remember(ctx);
		return;
	}
	switch (key) {
	case UI_KEY_TAB:
		ctx->focus = (ctx->focus + 1) % UI_PANEL_COUNT;
		break;
	case UI_KEY_BTAB:
		ctx->focus = (ctx->focus + UI_PANEL_COUNT - 1) % UI_PANEL_COUNT;
		break;
	case UI_KEY_ENTER:
		ui_main_open(ctx);
		break;
	case 'c':
		if (ui_current_code(ctx) == 0) {
			snprintf(ctx->message, sizeof ctx->message, "%s",
			    _("Select a response code first (Tab to the "
			    "codes)"));
			break;
		}
		ctx->kb_code[0] = ui_current_code(ctx);
		ctx->input[0] = '\0';
		ctx->prompt = UI_PROMPT_COMPARE;
		break;
	case 'a':
		ctx->show_all = !ctx->show_all;
		ui_ctx_lists(ctx);
		break;
	case UI_KEY_ESC:
		if (ctx->filter[0] != '\0') {
			ctx->filter[0] = '\0';
			ui_ctx_lists(ctx);
			break;
		}
		ctx->quit = 1;
		break;
	case 'q':
		ctx->quit = 1;
		break;
	default:
		break;
	}
}

static void
ui_key_detail(struct ui_ctx *ctx, uint32_t key)
{
	struct ui_detail_layout	 l;
	int			 n, code;

	n = ctx->detail != NULL ? (int)ctx->detail->nmsgs : 0;
	ui_layout_detail(ctx->w, ctx->h, ctx->detail_has_alert, &l);
	switch (key) {
	case UI_KEY_PGUP:
		ctx->lscroll -= l.message.h - 2;
		break;
	case UI_KEY_PGDN:
		ctx->lscroll += l.message.h - 2;
		break;
	case UI_KEY_TAB:
	case UI_KEY_BTAB:
		ctx->lower = ctx->lower == UI_LOWER_MESSAGE ? UI_LOWER_KB :
		    UI_LOWER_MESSAGE;
		ctx->lscroll = 0;
		break;
	case UI_KEY_ENTER:
		if ((code = ui_current_code(ctx)) != 0)
			ui_open_kb(ctx, code, 0);
		break;
	case 'c':
		if ((code = ui_current_code(ctx)) == 0)
			break;
		ctx->kb_code[0] = code;
		ctx->input[0] = '\0';
		ctx->prompt = UI_PROMPT_COMPARE;
		break;
	case UI_KEY_ESC:
	case 'q':
		ui_pop(ctx);
		break;
	default:
		if (ui_move(&ctx->dsel, n, l.ladder.h - 1, key))
			ctx->lscroll = 0;
		break;
	}
	ui_ctx_scroll(ctx);
}

static void
ui_key_kb(struct ui_ctx *ctx, uint32_t key)
{
	int	page = ctx->h - 2;

	switch (key) {
	case UI_KEY_UP:
	case 'k':
		ctx->kb_scroll--;
		break;
	case UI_KEY_DOWN:
	case 'j':
		ctx->kb_scroll++;
		break;
	case UI_KEY_PGUP:
		ctx->kb_scroll -= page;
		break;
	case UI_KEY_PGDN:
	case ' ':
		ctx->kb_scroll += page;
		break;
	case UI_KEY_HOME:
		ctx->kb_scroll = 0;
		break;
	case 'c':
		ctx->input[0] = '\0';
		ctx->prompt = UI_PROMPT_COMPARE;
		break;
	case UI_KEY_ESC:
	case 'q':
		ui_pop(ctx);
		break;
	default:
		break;
	}
	ui_ctx_scroll(ctx);
}

void
ui_key(struct ui_ctx *ctx, uint32_t key)
{
	if (key == UI_KEY_RESIZE) {
		ui_ctx_scroll(ctx);
		return;
	}
	if (ctx->prompt != UI_PROMPT_NONE) {
		ui_input_key(ctx, key);
		return;
	}
	ctx->message[0] = '\0';
	/* Keys that work everywhere. */
	switch (key) {
	case 'p':
		ctx->paused = !ctx->paused;
		return;
	case 'l':
		ui_next_language(ctx);
		return;
	case '?':
		if (ctx->view != UI_VIEW_HELP)
			ui_push(ctx, UI_VIEW_HELP);
		return;
	case '/':
		if (ctx->view == UI_VIEW_MAIN) {
			snprintf(ctx->input, sizeof ctx->input, "%s",
			    ctx->filter);
			ctx->prompt = UI_PROMPT_FILTER;
		}
		return;
	case 's':
		if (ctx->view == UI_VIEW_MAIN || ctx->view == UI_VIEW_DETAIL) {
			ui_start_save(ctx);
			return;
		}
		break;
	default:
		break;
	}
	switch (ctx->view) {
	case UI_VIEW_MAIN:
		ui_key_main(ctx, key);
		break;
	case UI_VIEW_DETAIL:
		ui_key_detail(ctx, key);
		break;
	case UI_VIEW_KB:
		ui_key_kb(ctx, key);
		break;
	case UI_VIEW_HELP:
		if (key == UI_KEY_ESC || key == 'q' || key == '?')
			ui_pop(ctx);
		break;
	}
}
