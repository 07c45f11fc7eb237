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
#include <time.h>

#include <glib.h>

#include "core/clock.h"
#include "core/hash.h"
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
	ctx->help_for = UI_VIEW_MAIN;
}

/* A filter's verdict on one call, kept while the call does not change. */
struct ui_fcache {
	UT_hash_handle	 hh;
	uint64_t	 id;		/* ui_call_row.id */
	uint64_t	 gen;		/* ui_call_row.gen when evaluated */
	unsigned	 epoch;		/* the last refresh that saw it */
	int		 match;
};

static void
ui_fcache_clear(struct ui_ctx *ctx)
{
	struct ui_fcache	*e, *tmp;

	HASH_ITER(hh, ctx->fcache, e, tmp) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
		HASH_DELETE(hh, ctx->fcache, e);
		free(e);
	}
}

static void
ui_export_ids_free(struct ui_ctx *ctx)
{
	unsigned	i;

	for (i = 0; i < ctx->nexport_ids; i++)
		free(ctx->export_ids[i]);
	free(ctx->export_ids);
	ctx->export_ids = NULL;
	ctx->nexport_ids = 0;
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
	ui_filter_free(ctx->fcompiled);
	ui_fcache_clear(ctx);
	ui_export_ids_free(ctx);
	free(ctx->valerts);
	free(ctx->vpeers);
	free(ctx->vcalls);
	free(ctx->vlegs);
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

/*
 * Does the call R match the filter?  A filter that reads the raw
 * messages is evaluated again only when the call changed (its gen).
 */
static int
ui_ctx_match_call(struct ui_ctx *ctx, const struct ui_call_row *r,
    const struct ui_alert_index *ai)
{
	struct ui_fcache		*e = NULL;
	int				 cached, match;

	cached = ui_filter_needs_msgs(ctx->fcompiled);
	if (cached) {
		HASH_FIND(hh, ctx->fcache, &r->id, sizeof r->id, e);
		if (e != NULL && e->gen == r->gen) {
			e->epoch = ctx->fepoch;
			return (e->match);
		}
	}
	match = ui_filter_model_call(ctx->fcompiled, ctx->model, r, ai);
	if (cached) {
		if (e == NULL) {
			e = xcalloc(1, sizeof *e);
			e->id = r->id;
			HASH_ADD(hh, ctx->fcache, id, sizeof e->id, e);
		}
		e->gen = r->gen;
		e->match = match;
		e->epoch = ctx->fepoch;
	}
	return (match);
}

/* The calls of the snapshot by Call-ID, with the filter's verdicts. */
struct ui_rowref {
	UT_hash_handle	 hh;
	unsigned	 idx;
};

static int
ui_addr_qcmp(const void *a, const void *b)
{
	return (sw_addr_cmp(a, b));
}

/* The lists through the filter: calls, their alerts, their peers. */
static void
ui_ctx_lists_filtered(struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;
	struct ui_alert_index	*ai;
	struct ui_rowref	*rows, *byid = NULL, *ref, *tmp;
	struct ui_fcache	*e, *etmp;
	struct sw_addr		*hosts;
	const struct alert	*a;
	struct ui_filter_subject subj;
	uint8_t			*match;
	unsigned		 i, n, k, nhosts = 0;

	ai = ui_alert_index_build(s);
	ctx->fepoch++;
	ctx->nvhidden = 0;
	match = xcalloc(s->ncalls > 0 ? s->ncalls : 1, 1);
	rows = xcalloc(s->ncalls > 0 ? s->ncalls : 1, sizeof *rows);
	hosts = xcalloc(s->ncalls > 0 ? s->ncalls : 1, UI_CALL_HOSTS *
	    sizeof *hosts);
	for (i = n = 0; i < s->ncalls; i++) {
		const struct ui_call_row	*r = &s->calls[i];

		rows[i].idx = i;
		HASH_FIND_STR(byid, r->call_id, ref);
		if (ref == NULL)
			HASH_ADD_KEYPTR(hh, byid, r->call_id,
			    strlen(r->call_id), &rows[i]);
		match[i] = (uint8_t)ui_ctx_match_call(ctx, r, ai);
		if (!match[i])
			continue;
		for (k = 0; k < r->nhosts; k++)
			hosts[nhosts++] = r->hosts[k];
		if (ctx->show_all || r->invite)
			ctx->vcalls[n++] = i;
		else
			ctx->nvhidden++;
	}
	ctx->nvcalls = n;
	/* Verdicts of calls that went away are forgotten. */
	HASH_ITER(hh, ctx->fcache, e, etmp) {
		if (e->epoch != ctx->fepoch) {
			/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): uthash */
			HASH_DELETE(hh, ctx->fcache, e);
			free(e);
		}
	}
	/* An alert follows its call; alone, it is matched on its own. */
	for (i = n = 0; i < s->nalerts; i++) {
		a = &s->alerts[i].a;
		ref = NULL;
		if (a->call_id != NULL && *a->call_id != '\0')
			HASH_FIND_STR(byid, a->call_id, ref);
		if (ref != NULL) {
			if (match[ref->idx])
				ctx->valerts[n++] = i;
			continue;
		}
		memset(&subj, 0, sizeof subj);
		subj.alert = a;
		if (ui_filter_eval(ctx->fcompiled, &subj))
			ctx->valerts[n++] = i;
	}
	ctx->nvalerts = n;
	/* A peer: in a call that matches, or matching on its own. */
	qsort(hosts, nhosts, sizeof *hosts, ui_addr_qcmp);
	for (i = n = 0; i < s->npeers; i++) {
		if (bsearch(&s->peers[i].addr, hosts, nhosts, sizeof *hosts,
		    ui_addr_qcmp) != NULL ||
		    ui_filter_peer(ctx->fcompiled, &s->peers[i]))
			ctx->vpeers[n++] = i;
	}
	ctx->nvpeers = n;
	HASH_ITER(hh, byid, ref, tmp)
		HASH_DELETE(hh, byid, ref);
	free(rows);
	free(hosts);
	free(match);
	ui_alert_index_free(ai);
}

/* A row of the calls list with the leg group of its call. */
struct ui_legref {
	uint64_t	group;
	uint64_t	id;		/* creation order */
	unsigned	pos;		/* in vcalls[] */
};

static int
ui_legref_cmp(const void *a, const void *b)
{
	const struct ui_legref	*x = a, *y = b;

	if (x->group != y->group)
		return (x->group < y->group ? -1 : 1);
	if (x->id != y->id)
		return (x->id < y->id ? -1 : 1);
	return (0);
}

/*
 * The legs of one call together: where the newest of them is in the
 * list, all of them, the first leg first, each marked (vlegs[]).
 */
static void
ui_ctx_group_legs(struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;
	struct ui_legref	*refs;
	unsigned		*out, *anchor, n = ctx->nvcalls, nr = 0, i, j;
	unsigned		 k, o = 0, first;
	const unsigned		 none = (unsigned)-1;

	ctx->vlegs = xreallocarray(ctx->vlegs, n > 0 ? n : 1, 1);
	memset(ctx->vlegs, 0, n > 0 ? n : 1);
	if (n < 2)
		return;
	refs = xcalloc(n, sizeof *refs);
	for (i = 0; i < n; i++) {
		if (s->calls[ctx->vcalls[i]].leg_group == 0)
			continue;
		refs[nr].group = s->calls[ctx->vcalls[i]].leg_group;
		refs[nr].id = s->calls[ctx->vcalls[i]].id;
		refs[nr++].pos = i;
	}
	qsort(refs, nr, sizeof *refs, ui_legref_cmp);
	/* anchor[pos]: none (alone), or the first ref of its group. */
	anchor = xcalloc(n, sizeof *anchor);
	for (i = 0; i < n; i++)
		anchor[i] = none;
	for (i = 0; i < nr; i = j) {
		for (j = i + 1; j < nr && refs[j].group == refs[i].group; j++)
			;
		if (j - i < 2)
			continue;
		first = refs[i].pos;
		for (k = i; k < j; k++)
			first = refs[k].pos < first ? refs[k].pos : first;
		for (k = i; k < j; k++)
			anchor[refs[k].pos] = refs[k].pos == first ? i : nr;
	}
	out = xcalloc(n, sizeof *out);
	for (i = 0; i < n; i++) {
		if (anchor[i] == none) {
			ctx->vlegs[o] = UI_VLEG_NONE;
			out[o++] = ctx->vcalls[i];
			continue;
		}
		if (anchor[i] == nr)
			continue;	/* placed with its group */
		for (k = anchor[i]; k < nr && refs[k].group ==
		    refs[anchor[i]].group; k++) {
			ctx->vlegs[o] = k == anchor[i] ? UI_VLEG_FIRST :
			    (k + 1 < nr && refs[k + 1].group == refs[k].group) ?
			    UI_VLEG_MID : UI_VLEG_LAST;
			out[o++] = ctx->vcalls[refs[k].pos];
		}
	}
	memcpy(ctx->vcalls, out, n * sizeof *out);
	free(out);
	free(anchor);
	free(refs);
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
	ctx->nvhidden = 0;
	if (ctx->fcompiled != NULL)
		ui_ctx_lists_filtered(ctx);
	else {
		for (i = 0; i < s->nalerts; i++)
			ctx->valerts[i] = i;
		ctx->nvalerts = s->nalerts;
		for (i = 0; i < s->npeers; i++)
			ctx->vpeers[i] = i;
		ctx->nvpeers = s->npeers;
		for (i = n = 0; i < s->ncalls; i++) {
			if (ctx->show_all || s->calls[i].invite)
				ctx->vcalls[n++] = i;
		}
		ctx->nvcalls = n;
	}
	ui_ctx_group_legs(ctx);
	qsort_r(ctx->vpeers, ctx->nvpeers, sizeof *ctx->vpeers, ui_peer_cmp,
	    (void *)s);
	ctx->ntop_codes = ui_top_codes(s->codes, ctx->top_codes,
	    UI_TOP_CODES);
	ui_ctx_reselect(ctx);
	ui_ctx_scroll(ctx);
	ui_ctx_remember(ctx);
}

int
ui_ctx_set_filter(struct ui_ctx *ctx, const char *text)
{
	struct ui_filter	*f = NULL;
	char			 buf[UI_INPUT_MAX], *cause = NULL;

	snprintf(buf, sizeof buf, "%s", text != NULL ? text : "");
	g_strstrip(buf);
	if (*buf != '\0' && (f = ui_filter_parse(buf, &cause)) == NULL) {
		snprintf(ctx->message, sizeof ctx->message, _("Filter not "
		    "applied: %s"), cause);
		free(cause);
		snprintf(ctx->fdraft, sizeof ctx->fdraft, "%s", buf);
		return (-1);
	}
	ui_filter_free(ctx->fcompiled);
	ctx->fcompiled = f;
	ui_fcache_clear(ctx);
	snprintf(ctx->filter, sizeof ctx->filter, "%s", buf);
	ctx->fdraft[0] = '\0';
	memset(ctx->sel, 0, sizeof ctx->sel);
	memset(ctx->top, 0, sizeof ctx->top);
	ui_ctx_lists(ctx);
	return (0);
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
		h = ui_calls_rows(ctx, l.calls.h) + 1;
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
		ui_scroll_fix(&ctx->dtop, ctx->dsel, n,
		    ui_ladder_rows(ctx->detail, &dl.ladder));
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
		c = ui_model_call_legs(ctx->model, ctx->detail_callid,
		    &ctx->detail_gen);
		if (c != NULL) {
			ui_call_free(ctx->detail);
			ctx->detail = c;
			/* An alert raised about it since it was opened. */
			if (!ctx->detail_has_alert && c->has_alert) {
				alert_copy(&ctx->detail_alert, &c->alert);
				ctx->detail_has_alert = 1;
			}
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

/*
 * The alert to show with the call CALL_ID opened from the calls list:
 * the most severe the snapshot holds about it, the newest of those.
 */
static const struct alert *
ui_call_alert(const struct ui_ctx *ctx, const char *call_id)
{
	const struct alert	*a, *best = NULL;
	unsigned		 i;

	/* The snapshot's alerts are newest first. */
	for (i = 0; call_id != NULL && i < ctx->snap.nalerts; i++) {
		a = &ctx->snap.alerts[i].a;
		if (a->call_id == NULL || strcmp(a->call_id, call_id) != 0)
			continue;
		if (best == NULL || a->severity < best->severity)
			best = a;
	}
	return (best);
}

void
ui_open_detail(struct ui_ctx *ctx, const char *call_id, const struct alert *a)
{
	int	from_alert = a != NULL;

	ui_ctx_close_detail(ctx);
	snprintf(ctx->detail_callid, sizeof ctx->detail_callid, "%s",
	    call_id != NULL ? call_id : "");
	ctx->dsel = ctx->dtop = ctx->lscroll = 0;
	ctx->lower = UI_LOWER_MESSAGE;
	if (ctx->detail_callid[0] != '\0')
		ctx->detail = ui_model_call_legs(ctx->model, ctx->detail_callid,
		    &ctx->detail_gen);
	/*
	 * From the calls list: the alert the model keeps with the call
	 * (however many alerts came since), else one still in the ring.
	 */
	if (a == NULL && ctx->detail != NULL && ctx->detail->has_alert)
		a = &ctx->detail->alert;
	if (a == NULL)
		a = ui_call_alert(ctx, ctx->detail_callid);
	if (a != NULL) {
		alert_copy(&ctx->detail_alert, a);
		ctx->detail_has_alert = 1;
	}
	/* A media alert chosen in the alerts opens on the streams. */
	if (from_alert && ui_rule_is_media(a->rule) &&
	    ui_call_has_media(ctx->detail))
		ctx->lower = UI_LOWER_STREAMS;
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
		ctx->dtop = ctx->dsel - ui_ladder_rows(ctx->detail,
		    &l.ladder) / 2;
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

/*
 * e (FMT chosen), s (pcap of the selected call): what to export, then
 * the file, asked with a default name in the export directory.  ONE:
 * the call under the cursor (always in the detail view); else the
 * calls listed (through the filter), oldest first.
 */
static void
ui_export_begin(struct ui_ctx *ctx, enum ui_export_fmt fmt, int one)
{
	const struct ui_snap	*s = &ctx->snap;
	const char		*cid, *label;
	char			*path;
	unsigned		 i;

	ui_export_ids_free(ctx);
	ctx->export_title[0] = '\0';
	if (one || ctx->view == UI_VIEW_DETAIL) {
		cid = ui_current_callid(ctx);
		if (cid == NULL || *cid == '\0') {
			snprintf(ctx->message, sizeof ctx->message, "%s",
			    _("Select an alert about a call, or a call, to "
			    "export it"));
			return;
		}
		ctx->export_ids = xcalloc(1, sizeof *ctx->export_ids);
		ctx->export_ids[0] = xstrdup(cid);
		ctx->nexport_ids = 1;
		label = cid;
	} else {
		if (ctx->nvcalls == 0) {
			snprintf(ctx->message, sizeof ctx->message, "%s",
			    _("No call is listed: nothing to export"));
			return;
		}
		ctx->export_ids = xcalloc(ctx->nvcalls,
		    sizeof *ctx->export_ids);
		for (i = 0; i < ctx->nvcalls; i++)
			ctx->export_ids[i] = xstrdup(s->calls[ctx->vcalls[
			    ctx->nvcalls - 1 - i]].call_id);
		ctx->nexport_ids = ctx->nvcalls;
		snprintf(ctx->export_title, sizeof ctx->export_title, "%s",
		    ctx->filter);
		label = ctx->filter[0] != '\0' ? ctx->filter :
		    ctx->export_ids[0];
	}
	ctx->export_fmt = fmt;
	path = ui_export_path(ctx->export_dir, label,
	    sw_clock_us(CLOCK_REALTIME), fmt);
	snprintf(ctx->input, sizeof ctx->input, "%s", path);
	free(path);
	ctx->prompt = UI_PROMPT_SAVE;
}

static void
ui_export_do(struct ui_ctx *ctx, const char *path)
{
	struct ui_export	 e;
	struct ui_export_result	 res;
	char			*cause = NULL;

	if (*path == '\0' || ctx->nexport_ids == 0)
		return;
	memset(&e, 0, sizeof e);
	e.model = ctx->model;
	e.snap = &ctx->snap;
	e.call_ids = (const char *const *)ctx->export_ids;
	e.ncalls = ctx->nexport_ids;
	e.fmt = (enum ui_export_fmt)ctx->export_fmt;
	e.path = path;
	e.title = ctx->export_title;
	e.now_us = sw_clock_us(CLOCK_REALTIME);
	e.frames = ctx->frames;
	e.frames_arg = ctx->frames_arg;
	if (ui_export_write(&e, &res, &cause) != 0) {
		snprintf(ctx->message, sizeof ctx->message, "%s", cause);
		free(cause);
	} else
		ui_export_describe(ctx->message, sizeof ctx->message, &e,
		    &res);
	ui_export_ids_free(ctx);
}

/* The format key at the export prompt: p c t h (capital: one call). */
static void
ui_export_key(struct ui_ctx *ctx, uint32_t key)
{
	int	one = key >= 'A' && key <= 'Z';

	ctx->prompt = UI_PROMPT_NONE;
	switch (key < 0x80 ? g_ascii_tolower((char)key) : 0) {
	case 'p':
		ui_export_begin(ctx, UI_EXPORT_PCAP, one);
		break;
	case 'c':
		ui_export_begin(ctx, UI_EXPORT_CSV, one);
		break;
	case 't':
		ui_export_begin(ctx, UI_EXPORT_TEXT, one);
		break;
	case 'h':
		ui_export_begin(ctx, UI_EXPORT_HTML, one);
		break;
	default:
		break;
	}
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

	/* The prompts that take one key. */
	if (p == UI_PROMPT_QUIT) {
		ctx->prompt = UI_PROMPT_NONE;
		if (key == 'q' || key == 'Q' || key == 'y' || key == 'Y')
			ctx->quit = 1;
		return;
	}
	if (p == UI_PROMPT_EXPORT) {
		ui_export_key(ctx, key);
		return;
	}
	switch (key) {
	case UI_KEY_ESC:
		ctx->prompt = UI_PROMPT_NONE;
		if (p == UI_PROMPT_SAVE)
			ui_export_ids_free(ctx);
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
		(void)ui_ctx_set_filter(ctx, ctx->input);
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
		ui_export_do(ctx, ctx->input);
		break;
	case UI_PROMPT_NONE:
	case UI_PROMPT_EXPORT:
	case UI_PROMPT_QUIT:
		break;
	}
}

/* Enter on the main screen. */
static void
ui_main_open(struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;
	const struct alert	*a;
	char			 buf[SW_ADDRSTRLEN + 16], *f;
	int			 i;

	switch (ctx->focus) {
	case UI_PANEL_CODES:
		/* A code: the calls that got it. */
		if ((i = ctx->sel[UI_PANEL_CODES]) < (int)ctx->ntop_codes) {
			snprintf(buf, sizeof buf, "code:%d",
			    ctx->top_codes[i].code);
			if (ui_ctx_set_filter(ctx, buf) == 0)
				ctx->focus = UI_PANEL_CALLS;
		}
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
		/* A peer: the calls through it. */
		if ((i = ctx->sel[UI_PANEL_PEERS]) < (int)ctx->nvpeers) {
			/* A client counted by its IP: every port of it. */
			if (s->peers[ctx->vpeers[i]].addr.port == 0)
				sw_addr_format_ip(&s->peers[ctx->vpeers[i]].addr,
				    buf, sizeof buf);
			else
				sw_addr_format(&s->peers[ctx->vpeers[i]].addr,
				    buf, sizeof buf);
			f = ui_filter_quote("ip:", buf);
			if (ui_ctx_set_filter(ctx, f) == 0)
				ctx->focus = UI_PANEL_CALLS;
			free(f);
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
	case 'x':
		if (ui_current_code(ctx) == 0) {
			snprintf(ctx->message, sizeof ctx->message, "%s",
			    _("Select a response code first (Tab to the "
			    "codes)"));
			break;
		}
		ui_open_kb(ctx, ui_current_code(ctx), 0);
		break;
	case 'a':
		ctx->show_all = !ctx->show_all;
		ui_ctx_lists(ctx);
		break;
	case UI_KEY_ESC:
		if (ctx->filter[0] != '\0') {
			(void)ui_ctx_set_filter(ctx, "");
			break;
		}
		ctx->prompt = UI_PROMPT_QUIT;
		break;
	case 'q':
		/* The live state goes with it: ask first (q again: yes). */
		ctx->prompt = UI_PROMPT_QUIT;
		break;
	default:
		break;
	}
}

enum ui_lower
ui_lower_next(enum ui_lower cur, int split, int media, int back)
{
	static const enum ui_lower	 ring[] = { UI_LOWER_MESSAGE,
	    UI_LOWER_KB, UI_LOWER_STREAMS };
	unsigned			 i, n = media ? 3 : 2;

	if (split)
		return (media && cur != UI_LOWER_STREAMS ? UI_LOWER_STREAMS :
		    UI_LOWER_MESSAGE);
	for (i = 0; i < n && ring[i] != cur; i++)
		;
	if (i == n)
		return (UI_LOWER_MESSAGE);
	return (ring[back ? (i + n - 1) % n : (i + 1) % n]);
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
		ctx->lower = ui_lower_next(ctx->lower, l.split,
		    ui_call_has_media(ctx->detail), key == UI_KEY_BTAB);
		ctx->lscroll = 0;
		break;
	case UI_KEY_ENTER:
	case 'x':
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
		if (ui_move(&ctx->dsel, n, ui_ladder_rows(ctx->detail,
		    &l.ladder), key))
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

static void
ui_key_help(struct ui_ctx *ctx, uint32_t key)
{
	int	page = ctx->h - 3;

	switch (key) {
	case UI_KEY_UP:
	case 'k':
		ctx->help_scroll--;
		break;
	case UI_KEY_DOWN:
	case 'j':
		ctx->help_scroll++;
		break;
	case UI_KEY_PGUP:
		ctx->help_scroll -= page;
		break;
	case UI_KEY_PGDN:
	case ' ':
		ctx->help_scroll += page;
		break;
	case UI_KEY_HOME:
	case 'g':
		ctx->help_scroll = 0;
		break;
	case UI_KEY_ESC:
	case 'q':
	case '?':
		ui_pop(ctx);
		break;
	default:
		break;
	}
	if (ctx->help_scroll < 0)
		ctx->help_scroll = 0;
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
	case 'Q':
		/* At once, from anywhere. */
		ctx->quit = 1;
		return;
	case '?':
		if (ctx->view != UI_VIEW_HELP) {
			/* Help about the view it is asked from. */
			ctx->help_for = ctx->view;
			ctx->help_scroll = 0;
			ui_push(ctx, UI_VIEW_HELP);
			return;
		}
		break;
	case '/':
		if (ctx->view == UI_VIEW_MAIN) {
			snprintf(ctx->input, sizeof ctx->input, "%s",
			    ctx->fdraft[0] != '\0' ? ctx->fdraft :
			    ctx->filter);
			ctx->prompt = UI_PROMPT_FILTER;
		}
		return;
	case 's':
		if (ctx->view == UI_VIEW_MAIN || ctx->view == UI_VIEW_DETAIL) {
			ui_export_begin(ctx, UI_EXPORT_PCAP, 1);
			return;
		}
		break;
	case 'e':
		if (ctx->view == UI_VIEW_MAIN || ctx->view == UI_VIEW_DETAIL) {
			ctx->prompt = UI_PROMPT_EXPORT;
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
		ui_key_help(ctx, key);
		break;
	}
}

/*
 * A key from the bytes that followed an ESC within the escape delay
 * (SEQ, N of them, ESC excluded), for sequences the terminal's terminfo
 * entry does not name (xterm keys inside tmux or screen, modifiers):
 * CSI "[" and SS3 "O" sequences of cursor and editing keys (ECMA-48,
 * xterm's ctlseqs); anything else, an Alt-combination or an unknown
 * function key, is 0 and is ignored, never taken for Esc.
 */
uint32_t
ui_esc_decode(const uint32_t *seq, size_t n)
{
	uint32_t	final;
	unsigned	num = 0;
	size_t		i;

	if (n < 2 || (seq[0] != '[' && seq[0] != 'O'))
		return (0);
	final = seq[n - 1];
	if (seq[0] == 'O') {
		if (n != 2)
			return (0);
	} else {
		/* Parameters: digits and ';' (modifiers are ignored). */
		for (i = 1; i < n - 1; i++) {
			if (seq[i] == ';')
				break;
			if (seq[i] < '0' || seq[i] > '9')
				return (0);
			num = num * 10 + (seq[i] - '0');
			if (num > 1000)
				return (0);
		}
	}
	switch (final) {
	case 'A':
		return (UI_KEY_UP);
	case 'B':
		return (UI_KEY_DOWN);
	case 'C':
		return (UI_KEY_RIGHT);
	case 'D':
		return (UI_KEY_LEFT);
	case 'H':
		return (UI_KEY_HOME);
	case 'F':
		return (UI_KEY_END);
	case 'Z':
		return (seq[0] == '[' ? UI_KEY_BTAB : 0);
	case 'M':
		return (seq[0] == 'O' ? UI_KEY_ENTER : 0);
	case '~':
		switch (num) {
		case 1:
		case 7:
			return (UI_KEY_HOME);
		case 4:
		case 8:
			return (UI_KEY_END);
		case 5:
			return (UI_KEY_PGUP);
		case 6:
			return (UI_KEY_PGDN);
		default:
			return (0);
		}
	default:
		return (0);
	}
}
