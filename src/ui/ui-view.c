/*
 * ui-view.c: what the dashboard shows, computed from a snapshot and
 * nothing else: labels, filters, rates, the most frequent codes, the
 * layout of the main screen.  No drawing here (see ui-render.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/i18n.h"
#include "decode/decode.h"
#include "sip/sip.h"
#include "track/track.h"
#include "ui/ui-int.h"

void
ui_fmt_duration(char *buf, size_t len, int64_t us)
{
	int64_t	s;

	if (us < 0)
		us = 0;
	s = us / 1000000;
	if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)((s / 60) % 60));
}

void
ui_fmt_clock(char *buf, size_t len, int64_t ts_us)
{
	struct tm	tm;
	time_t		t = (time_t)(ts_us / 1000000);

	/* UTC, as -N, the alert lines and the exports: one convention. */
	if (ts_us <= 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "--:--:--");
		return;
	}
	strftime(buf, len, "%H:%M:%S", &tm);
}

void
ui_fmt_msg_label(char *buf, size_t len, const struct ui_msg *m)
{
	const char	*sdp = m->has_sdp ? " (SDP)" : "";

	if (m->is_request)
		snprintf(buf, len, "%s%s", m->method, sdp);
	else if (m->reason[0] != '\0')
		snprintf(buf, len, "%d %s%s", m->status, m->reason, sdp);
	else
		snprintf(buf, len, "%d%s", m->status, sdp);
}

void
ui_call_media_text(char *buf, size_t len, const struct ui_call_row *r,
    const char **mark)
{
	*mark = NULL;
	if (r->mflags & TRACK_MEDIA_NO_MEDIA)
		*mark = _("no RTP");
	else if (r->mflags & TRACK_MEDIA_ONE_WAY)
		*mark = _("one-way");
	if (r->codec[0] == '\0' && !r->mos_known && *mark == NULL) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	if (r->mos_known)
		snprintf(buf, len, "%s %.2f", r->codec[0] != '\0' ? r->codec :
		    "-", r->mos);
	else
		snprintf(buf, len, "%s -", r->codec[0] != '\0' ? r->codec :
		    "-");
}

int
ui_call_has_media(const struct ui_call *call)
{
	return (call != NULL && (call->nstreams > 0 ||
	    call->streams_total > 0 || call->row.codec[0] != '\0' ||
	    call->row.mflags != 0));
}

int
ui_rule_is_media(const char *rule)
{
	static const char *const	 media[] = { "one-way-media",
	    "no-media", "media-quality", "media-timeout", "late-media",
	    "media-nat-mismatch" };
	size_t				 i;

	for (i = 0; rule != NULL && i < sizeof media / sizeof media[0]; i++) {
		if (strcmp(rule, media[i]) == 0)
			return (1);
	}
	return (0);
}

void
ui_call_state_text(char *buf, size_t len, const struct ui_call_row *r)
{
	char	code[UI_REASON_MAX + 16];

	switch (r->xfer) {
	case UI_XFER_REQUESTED:
		snprintf(buf, len, _("transfer to %s"), r->refer_to);
		return;
	case UI_XFER_ACCEPTED:
		snprintf(buf, len, _("transfer to %s accepted"),
		    r->refer_to);
		return;
	case UI_XFER_DONE:
		snprintf(buf, len, _("transferred to %s"), r->refer_to);
		return;
	case UI_XFER_FAILED:
		snprintf(buf, len, _("transfer failed %d"), r->xfer_code);
		return;
	case UI_XFER_NONE:
		break;
	}
	switch (r->state) {
	case UI_CALL_OTHER:
		if (r->code != 0)
			snprintf(buf, len, "%s %d", r->method, r->code);
		else
			snprintf(buf, len, "%s", r->method);
		break;
	case UI_CALL_TRYING:
		snprintf(buf, len, "%s", _("trying"));
		break;
	case UI_CALL_RINGING:
		snprintf(buf, len, "%s", _("ringing"));
		break;
	case UI_CALL_ANSWERED:
		snprintf(buf, len, "%s", _("answered"));
		break;
	case UI_CALL_FAILED:
		/* The cause: the code and its reason, as the server sent it. */
		if (r->reason[0] != '\0')
			snprintf(code, sizeof code, "%d %s", r->code, r->reason);
		else
			snprintf(code, sizeof code, "%d", r->code);
		switch (track_final_class(r->code, SIP_METHOD_INVITE)) {
		case TRACK_FINAL_REDIRECT:
			snprintf(buf, len, _("redirected %s"), code);
			break;
		case TRACK_FINAL_USER:
			snprintf(buf, len, _("rejected %s"), code);
			break;
		default:
			snprintf(buf, len, _("failed %s"), code);
			break;
		}
		break;
	case UI_CALL_CANCELLED:
		snprintf(buf, len, "%s", _("cancelled by caller"));
		break;
	case UI_CALL_ENDED:
		if (r->ended_by == TRACK_END_CALLER)
			snprintf(buf, len, "%s", _("ended by caller"));
		else if (r->ended_by == TRACK_END_CALLEE)
			snprintf(buf, len, "%s", _("ended by callee"));
		else
			snprintf(buf, len, "%s", _("ended"));
		break;
	case UI_CALL_TIMEOUT:
		snprintf(buf, len, "%s", _("timed out (Timer B)"));
		break;
	}
}

int
ui_call_has_code(const struct ui_call_row *r, int code)
{
	if (code < 100 || code > 699)
		return (0);
	code -= 100;
	return ((r->codes[code / 8] >> (code % 8)) & 1);
}

void
ui_rates_update(struct ui_rates *r, const struct ui_snap *s, int64_t wall_us)
{
	const struct stats	*st = &s->st;
	int64_t			 t, dt;
	double			 span;

	if (!s->have_stats)
		return;
	if (!s->live && s->finished) {
		/* A replay that ended: the whole capture's average. */
		span = (double)(st->last_ts_us - st->first_ts_us) / 1e6;
		r->average = 1;
		r->pps = span > 0 ? (double)st->packets / span : 0;
		r->mps = span > 0 ? (double)st->messages / span : 0;
		return;
	}
	r->average = 0;
	t = s->live ? wall_us : st->last_ts_us;
	dt = t - r->t_us;
	if (r->t_us == 0 || dt < 0) {
		r->t_us = t;
		r->packets = st->packets;
		r->messages = st->messages;
		return;
	}
	/* Live: over at least half a second; replay: when time moved. */
	if ((s->live && dt < 500000) || (!s->live && dt == 0))
		return;
	r->pps = (double)(st->packets - r->packets) * 1e6 / (double)dt;
	r->mps = (double)(st->messages - r->messages) * 1e6 / (double)dt;
	r->t_us = t;
	r->packets = st->packets;
	r->messages = st->messages;
}

unsigned
ui_top_codes(const uint64_t *codes, struct ui_top_code *out, unsigned max)
{
	unsigned	n = 0, i, j;
	int		c;

	for (c = 100; c < 700; c++) {
		if (codes[c] == 0)
			continue;
		/* Insert, keeping the order: count down, then code up. */
		for (i = 0; i < n; i++) {
			if (codes[c] > out[i].n)
				break;
		}
		if (i >= max)
			continue;
		if (n < max)
			n++;
		for (j = n - 1; j > i; j--)
			out[j] = out[j - 1];
		out[i].code = c;
		out[i].n = codes[c];
	}
	return (n);
}

uint64_t
ui_hist_sum(const struct ui_snap *s, int c, unsigned n)
{
	uint64_t	sum = 0;
	unsigned	k;

	if (c < 1 || c > 6)
		return (0);
	if (n > UI_HIST_SECS)
		n = UI_HIST_SECS;
	for (k = UI_HIST_SECS - n; k < UI_HIST_SECS; k++)
		sum += s->hist[k][c - 1];
	return (sum);
}

int64_t
ui_median(const int64_t *v, unsigned n)
{
	int64_t		tmp[UI_PDD_SAMPLES], x;
	unsigned	i, j;

	if (n == 0)
		return (-1);
	if (n > UI_PDD_SAMPLES)
		n = UI_PDD_SAMPLES;
	for (i = 0; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && tmp[j - 1] > x; j--)
			tmp[j] = tmp[j - 1];
		tmp[j] = x;
	}
	if (n % 2 == 1)
		return (tmp[n / 2]);
	return ((tmp[n / 2 - 1] + tmp[n / 2]) / 2);
}

void
ui_layout_main(int w, int h, struct ui_layout *l)
{
	int	avail, band, rest, a, p;

	memset(l, 0, sizeof *l);
	l->status = (struct ui_rect){ 0, 0, w, h >= 2 ? 2 : h };
	l->keys = (struct ui_rect){ 0, h - 1, w, h >= 3 ? 1 : 0 };
	avail = h - 3;
	if (avail < 4)
		return;
	if (w >= 140) {
		/* Wide: codes beside peers, then alerts, then calls. */
		band = avail / 3;
		if (band < 7)
			band = 7;
		if (band > 12)
			band = 12;
		if (band > avail - 4)
			band = avail - 4;
		rest = avail - band;
		a = rest * 2 / 5;
		if (a < 2)
			a = 2;
		l->codes = (struct ui_rect){ 0, 2, w / 2, band };
		l->peers = (struct ui_rect){ w / 2 + 1, 2, w - w / 2 - 1,
		    band };
		l->alerts = (struct ui_rect){ 0, 2 + band, w, a };
		l->calls = (struct ui_rect){ 0, 2 + band + a, w, rest - a };
		return;
	}
	band = avail >= 13 ? 7 : avail / 3;
	if (band < 1)
		band = 1;
	rest = avail - band;
	a = (rest * 35 + 50) / 100;
	p = (rest * 28 + 50) / 100;
	if (a < 1)
		a = 1;
	if (p < 1)
		p = 1;
	l->codes = (struct ui_rect){ 0, 2, w, band };
	l->alerts = (struct ui_rect){ 0, 2 + band, w, a };
	l->peers = (struct ui_rect){ 0, 2 + band + a, w, p };
	l->calls = (struct ui_rect){ 0, 2 + band + a + p, w, rest - a - p };
}

void
ui_layout_detail(int w, int h, int with_alert, struct ui_detail_layout *l)
{
	int	y, body, lh;

	memset(l, 0, sizeof *l);
	l->title = (struct ui_rect){ 0, 0, w, 1 };
	l->keys = (struct ui_rect){ 0, h - 1, w, 1 };
	y = 1;
	if (with_alert) {
		l->alert = (struct ui_rect){ 0, y, w, h >= 40 ? 3 : 1 };
		y += l->alert.h;
	}
	body = h - 1 - y;
	if (body < 2)
		return;
	lh = body * 45 / 100;
	if (lh < 3)
		lh = body < 3 ? body : 3;
	l->ladder = (struct ui_rect){ 0, y, w, lh };
	y += lh;
	body -= lh;
	if (w >= 140) {
		l->split = 1;
		l->message = (struct ui_rect){ 0, y, w / 2, body };
		l->explain = (struct ui_rect){ w / 2 + 1, y, w - w / 2 - 1,
		    body };
	} else {
		l->message = (struct ui_rect){ 0, y, w, body };
		l->explain = l->message;
	}
}

void
ui_scroll_fix(int *top, int sel, int n, int rows)
{
	if (rows < 1)
		rows = 1;
	if (sel < *top)
		*top = sel;
	if (sel >= *top + rows)
		*top = sel - rows + 1;
	if (*top > n - rows)
		*top = n - rows;
	if (*top < 0)
		*top = 0;
}

uint64_t
ui_calls_not_shown(const struct ui_ctx *ctx)
{
	const struct ui_snap	*s = &ctx->snap;

	return (ctx->show_all ? s->calls_evicted + s->others_evicted :
	    s->calls_evicted);
}

int
ui_calls_rows(const struct ui_ctx *ctx, int h)
{
	int	rows = h - 1;

	if (ui_calls_not_shown(ctx) > 0 && h > 2)
		rows--;
	return (rows);
}

void
ui_fmt_peer(char *buf, size_t len, const struct sw_addr *a)
{
	char	ip[SW_ADDRSTRLEN];

	if (a->port != 0) {
		sw_addr_format(a, buf, len);
		return;
	}
	sw_addr_format_ip(a, ip, sizeof ip);
	snprintf(buf, len, a->family == 6 ? "[%s]:*" : "%s:*", ip);
}
