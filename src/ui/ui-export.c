/*
 * ui-export.c: calls handed to someone else, from the dashboard (e, s)
 * and from the command line (--export):
 *
 *   pcap	the calls' original frames, as captured (SIP over TCP stays
 *		TCP), through the engine's frame store; rebuilt from the
 *		messages (IP/UDP, ui-pcap.c) only when no frame was kept
 *		(HEP input)
 *   text	per call: its alerts with their advice, the ladder (ASCII)
 *		and every raw message
 *   html	one self-contained page (inline CSS and SVG, no script, no
 *		external asset): per call its alerts, an SVG ladder whose
 *		arrows link to the raw messages below it
 *   csv	the calls list, one row per call (RFC 4180)
 *
 * Files are named sipwatch-LABEL-YYYYmmddTHHMMSSZ.EXT in a directory the
 * user sets (--export-dir), LABEL being the filter or the first
 * Call-ID, and never overwrite a file.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "kb/kb.h"
#include "ui/ui-int.h"

#define UI_EXPORT_LABEL_MAX	48	/* bytes of the label in a name */
#define UI_EXPORT_LADDER_MAX	1000	/* calls in a text or HTML file */

static const char *const ui_export_names[UI_EXPORT_NFMT] = {
	[UI_EXPORT_PCAP] = "pcap",
	[UI_EXPORT_CSV] = "csv",
	[UI_EXPORT_TEXT] = "text",
	[UI_EXPORT_HTML] = "html",
};
static const char *const ui_export_exts[UI_EXPORT_NFMT] = {
	[UI_EXPORT_PCAP] = "pcap",
	[UI_EXPORT_CSV] = "csv",
	[UI_EXPORT_TEXT] = "txt",
	[UI_EXPORT_HTML] = "html",
};

int
ui_export_fmt_parse(const char *s)
{
	int	i;

	for (i = 0; i < UI_EXPORT_NFMT; i++) {
		if (g_ascii_strcasecmp(s, ui_export_names[i]) == 0 ||
		    g_ascii_strcasecmp(s, ui_export_exts[i]) == 0)
			return (i);
	}
	return (-1);
}

const char *
ui_export_fmt_name(enum ui_export_fmt f)
{
	return ((unsigned)f < UI_EXPORT_NFMT ? ui_export_names[f] : "?");
}

/* --- names ------------------------------------------------------------ */

char *
ui_export_path(const char *dir, const char *label, int64_t now_us,
    enum ui_export_fmt fmt)
{
	struct stat	 sb;
	struct tm	 tm;
	time_t		 t = (time_t)(now_us / 1000000);
	char		 when[32], lab[UI_EXPORT_LABEL_MAX + 1] = "", *path;
	size_t		 i, n = 0;
	int		 k;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(when, sizeof when, "%lld", (long long)t);
	for (i = 0; label != NULL && label[i] != '\0' &&
	    n < UI_EXPORT_LABEL_MAX; i++) {
		char	ch = label[i];

		if (!g_ascii_isalnum(ch) && ch != '.' && ch != '_' &&
		    ch != '@' && ch != '+' && ch != '-')
			ch = '_';
		/* No run of '_' and no leading dot. */
		if ((ch == '_' && n > 0 && lab[n - 1] == '_') ||
		    (ch == '.' && n == 0))
			continue;
		lab[n++] = ch;
	}
	while (n > 0 && lab[n - 1] == '_')
		n--;
	lab[n] = '\0';
	if (dir == NULL || *dir == '\0')
		dir = ".";
	for (k = 1; ; k++) {
		if (k == 1)
			path = xasprintf("%s/sipwatch-%s%s%s.%s", dir, lab,
			    n > 0 ? "-" : "", when, ui_export_exts[fmt]);
		else
			path = xasprintf("%s/sipwatch-%s%s%s-%d.%s", dir, lab,
			    n > 0 ? "-" : "", when, k, ui_export_exts[fmt]);
		if (k >= 1000 || stat(path, &sb) == -1)
			return (path);
		free(path);
	}
}

/* A new file at PATH (never an existing one), or NULL with *CAUSE. */
static FILE *
ui_export_create(const char *path, char **cause)
{
	FILE	*fp;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return (NULL);
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return (NULL);
	}
	return (fp);
}

/* Close FP; on a write error remove PATH and set *CAUSE. */
static int
ui_export_close(FILE *fp, const char *path, char **cause)
{
	int	err = ferror(fp) ? EIO : 0;

	if (fclose(fp) != 0 && err == 0)
		err = errno != 0 ? errno : EIO;
	if (err != 0) {
		*cause = xasprintf("%s: %s", path, strerror(err));
		unlink(path);
		return (-1);
	}
	return (0);
}

/* --- escaping ----------------------------------------------------------- */

void
ui_export_escape(GString *s, const uint8_t *p, size_t len, int html)
{
	const char	*q = (const char *)p, *end = q + len, *next;
	gunichar	 ch;

	while (q < end) {
		ch = g_utf8_get_char_validated(q, end - q);
		if (ch == (gunichar)-1 || ch == (gunichar)-2) {
			g_string_append_printf(s, "\\x%02x", (uint8_t)*q);
			q++;
			continue;
		}
		next = g_utf8_next_char(q);
		if (ch == '\r') {
			q = next;
			continue;
		}
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f ||
		    (ch >= 0x80 && ch < 0xa0)) {
			g_string_append_printf(s, "\\x%02x", (unsigned)ch);
			q = next;
			continue;
		}
		if (html && ch == '&')
			g_string_append(s, "&amp;");
		else if (html && ch == '<')
			g_string_append(s, "&lt;");
		else if (html && ch == '>')
			g_string_append(s, "&gt;");
		else if (html && ch == '"')
			g_string_append(s, "&quot;");
		else
			g_string_append_len(s, q, next - q);
		q = next;
	}
}

static void
ui_export_esc_str(GString *s, const char *t, int html)
{
	if (t != NULL)
		ui_export_escape(s, (const uint8_t *)t, strlen(t), html);
}

/* --- the calls to export ---------------------------------------------- */

struct ui_export_call {
	const char		*call_id;
	const struct ui_call_row *row;		/* in the snapshot, or NULL */
	struct ui_call		*call;		/* messages, or NULL */
	const struct alert *const *alerts;
	unsigned		 nalerts;
};

struct ui_export_rowidx {
	UT_hash_handle		 hh;
	const struct ui_call_row *row;
};

/* Rows and alerts for each Call-ID of E; messages when WANT_MSGS. */
static struct ui_export_call *
ui_export_gather(const struct ui_export *e, struct ui_alert_index *ai,
    int want_msgs, struct ui_export_result *res)
{
	struct ui_export_call	*v;
	struct ui_export_rowidx	*idx = NULL, *ri, *tmp, *cells;
	const struct ui_snap	*s = e->snap;
	unsigned		 i;

	cells = xcalloc(s->ncalls > 0 ? s->ncalls : 1, sizeof *cells);
	for (i = 0; i < s->ncalls; i++) {
		cells[i].row = &s->calls[i];
		HASH_FIND_STR(idx, s->calls[i].call_id, ri);
		if (ri == NULL)
			HASH_ADD_KEYPTR(hh, idx, cells[i].row->call_id,
			    strlen(cells[i].row->call_id), &cells[i]);
	}
	v = xcalloc(e->ncalls > 0 ? e->ncalls : 1, sizeof *v);
	for (i = 0; i < e->ncalls; i++) {
		v[i].call_id = e->call_ids[i];
		HASH_FIND_STR(idx, e->call_ids[i], ri);
		v[i].row = ri != NULL ? ri->row : NULL;
		v[i].alerts = ui_alert_index_get(ai, e->call_ids[i],
		    &v[i].nalerts);
		if (want_msgs && e->model != NULL)
			v[i].call = ui_model_call(e->model, e->call_ids[i],
			    NULL);
		if ((want_msgs && v[i].call == NULL) ||
		    (!want_msgs && v[i].row == NULL))
			res->not_held++;
	}
	HASH_ITER(hh, idx, ri, tmp)
		HASH_DELETE(hh, idx, ri);
	free(cells);
	return (v);
}

static void
ui_export_release(struct ui_export_call *v, unsigned n)
{
	unsigned	i;

	for (i = 0; i < n; i++)
		ui_call_free(v[i].call);
	free(v);
}

/* The row of V: the snapshot's, else the one held with the messages. */
static const struct ui_call_row *
ui_export_row(const struct ui_export_call *v)
{
	if (v->call != NULL)
		return (&v->call->row);
	return (v->row);
}

/* --- CSV -------------------------------------------------------------- */

/*
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a
 * line break; a text that a spreadsheet would run as a formula (=, @,
 * or + and - not followed by a digit) gets a leading quote mark.
 */
static void
ui_csv_field(GString *s, const char *t, int last)
{
	const char	*p;
	int		 quote = 0;

	if (t == NULL)
		t = "";
	for (p = t; *p != '\0'; p++) {
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = 1;
	}
	if (quote)
		g_string_append_c(s, '"');
	if (*t == '=' || *t == '@' || *t == '\t' ||
	    ((*t == '+' || *t == '-') && !g_ascii_isdigit(t[1])))
		g_string_append_c(s, '\'');
	for (p = t; *p != '\0'; p++) {
		if (*p == '"')
			g_string_append_c(s, '"');
		g_string_append_c(s, *p);
	}
	if (quote)
		g_string_append_c(s, '"');
	g_string_append(s, last ? "\r\n" : ",");
}

static int
ui_export_csv(const struct ui_export *e, struct ui_export_call *v,
    FILE *fp, struct ui_export_result *res)
{
	const struct ui_call_row	*r;
	GString				*s, *rules;
	char				 t[SW_TIME_LEN], buf[64], st[160];
	char				 a0[SW_ADDRSTRLEN], a1[SW_ADDRSTRLEN];
	unsigned			 i, k;
	int64_t				 from, to;

	(void)e;
	s = g_string_new(NULL);
	g_string_append(s, "start_utc,caller,callee,state,code,duration_s,"
	    "messages,alerts,rules,first_element,second_element,call_id\r\n");
	for (i = 0; i < e->ncalls; i++) {
		if ((r = ui_export_row(&v[i])) == NULL)
			continue;
		sw_time_rfc3339(r->start_us, 3, t, sizeof t);
		ui_csv_field(s, t, 0);
		ui_csv_field(s, r->caller, 0);
		ui_csv_field(s, r->callee, 0);
		ui_call_state_text(st, sizeof st, r);
		ui_csv_field(s, st, 0);
		snprintf(buf, sizeof buf, "%d", r->xfer_code != 0 ?
		    r->xfer_code : r->code);
		ui_csv_field(s, r->code != 0 || r->xfer_code != 0 ? buf : "",
		    0);
		from = r->answer_us != 0 ? r->answer_us : r->start_us;
		to = r->end_us != 0 ? r->end_us : r->last_us;
		snprintf(buf, sizeof buf, "%.3f", to > from ?
		    (double)(to - from) / 1e6 : 0.0);
		ui_csv_field(s, buf, 0);
		snprintf(buf, sizeof buf, "%u", r->nmsgs);
		ui_csv_field(s, buf, 0);
		snprintf(buf, sizeof buf, "%u", r->nalerts);
		ui_csv_field(s, buf, 0);
		rules = g_string_new(NULL);
		for (k = 0; k < v[i].nalerts; k++) {
			if (strstr(rules->str, v[i].alerts[k]->rule) != NULL)
				continue;
			if (rules->len > 0)
				g_string_append_c(rules, ' ');
			g_string_append(rules, v[i].alerts[k]->rule);
		}
		ui_csv_field(s, rules->str, 0);
		g_string_free(rules, TRUE);
		ui_csv_field(s, r->nhosts > 0 ? sw_addr_format(&r->hosts[0],
		    a0, sizeof a0) : "", 0);
		ui_csv_field(s, r->nhosts > 1 ? sw_addr_format(&r->hosts[1],
		    a1, sizeof a1) : "", 0);
		ui_csv_field(s, r->call_id, 1);
		res->calls++;
		res->items++;
	}
	fwrite(s->str, 1, s->len, fp);
	g_string_free(s, TRUE);
	return (0);
}

/* --- text ------------------------------------------------------------- */

/* "+1.053" since the call's first message. */
static void
ui_export_rel(char *buf, size_t len, const struct ui_call *c,
    const struct ui_msg *m)
{
	int64_t	rel = m->ts_us - c->msgs[0].ts_us;

	snprintf(buf, len, "+%lld.%03lld", (long long)(rel / 1000000),
	    (long long)(rel / 1000 % 1000));
}

static void
ui_export_text_call(GString *s, const struct ui_export_call *v,
    unsigned num)
{
	const struct ui_call_row	*r = ui_export_row(v);
	const struct ui_call		*c = v->call;
	const struct ui_msg		*m;
	struct ui_canvas		 cv;
	struct ui_rect			 rect;
	char				 t[SW_TIME_LEN], st[160], rel[32];
	char				 src[SW_ADDRSTRLEN], dst[SW_ADDRSTRLEN];
	char				*dump, *w;
	unsigned			 i;
	int				 width, span;

	g_string_append_printf(s, "=== %u. Call-ID ", num);
	ui_export_esc_str(s, v->call_id, 0);
	g_string_append(s, "\n");
	if (r != NULL) {
		ui_call_state_text(st, sizeof st, r);
		g_string_append(s, r->invite ? _("Call") : r->method);
		g_string_append_c(s, ' ');
		ui_export_esc_str(s, r->caller, 0);
		g_string_append(s, " > ");
		ui_export_esc_str(s, r->callee, 0);
		g_string_append(s, ": ");
		ui_export_esc_str(s, st, 0);
		g_string_append_printf(s, "\n%s %s\n", _("Start"),
		    sw_time_rfc3339(r->start_us, 6, t, sizeof t));
	}
	for (i = 0; i < v->nalerts; i++) {
		const struct alert	*a = v->alerts[i];

		g_string_append_printf(s, "\n%s %s %s\n",
		    alert_severity_name(a->severity), a->rule,
		    sw_time_rfc3339(a->ts_us, 3, t, sizeof t));
		w = kb_wrap(a->summary, 76, 2);
		ui_export_esc_str(s, w, 0);
		free(w);
		if (a->advice != NULL && *a->advice != '\0') {
			g_string_append_printf(s, "  %s\n", _("What to do"));
			w = kb_wrap(a->advice, 76, 4);
			ui_export_esc_str(s, w, 0);
			free(w);
		}
	}
	if (c == NULL || c->nmsgs == 0) {
		g_string_append_printf(s, "\n%s\n\n", _("(the messages of "
		    "this call are not held)"));
		return;
	}
	/*
	 * The ladder as on the screen, in ASCII, with room for every label
	 * between two neighbouring lifelines.
	 */
	span = 24;
	for (i = 0; i < c->nmsgs; i++) {
		char	label[UI_METHOD_MAX + UI_REASON_MAX + 16];

		ui_fmt_msg_label(label, sizeof label, &c->msgs[i]);
		if (ui_text_width(label) + 6 > span)
			span = ui_text_width(label) + 6;
	}
	width = 10 + span * (int)(c->row.nhosts > 2 ? c->row.nhosts : 2);
	memset(&cv, 0, sizeof cv);
	ui_canvas_resize(&cv, width, (int)c->nmsgs + 2);
	cv.utf8 = 0;
	rect = (struct ui_rect){ 0, 0, width, (int)c->nmsgs + 2 };
	ui_ladder_draw(&cv, &rect, c, 0, -1);
	dump = ui_canvas_text_dump(&cv);
	g_string_append_c(s, '\n');
	ui_export_esc_str(s, dump, 0);
	free(dump);
	ui_canvas_free(&cv);

	for (i = 0; i < c->nmsgs; i++) {
		m = &c->msgs[i];
		ui_export_rel(rel, sizeof rel, c, m);
		g_string_append_printf(s, "\n--- [%u] %s %s %s > %s %s%s\n",
		    i + 1, rel, sw_time_rfc3339(m->ts_us, 6, t, sizeof t),
		    sw_addr_format(&m->src, src, sizeof src),
		    sw_addr_format(&m->dst, dst, sizeof dst),
		    decode_transport_name(m->transport),
		    m->retrans ? " (retransmission)" : "");
		if (m->raw == NULL)
			g_string_append_printf(s, "%s\n", _("(the bytes of "
			    "this message were not kept)"));
		else
			ui_export_escape(s, m->raw, m->raw_len, 0);
		if (s->len > 0 && s->str[s->len - 1] != '\n')
			g_string_append_c(s, '\n');
	}
	g_string_append_c(s, '\n');
}

/* One call of a text or HTML file, numbered NUM (from 1), into S. */
typedef void ui_export_call_fn(GString *s, const struct ui_export_call *v,
    unsigned num);

/*
 * Every call of V that is held, through ONE, written to FP as it goes;
 * past UI_EXPORT_LADDER_MAX calls, the rest is counted and said (as a
 * paragraph when HTML).
 */
static void
ui_export_each(const struct ui_export *e, struct ui_export_call *v,
    FILE *fp, GString *s, struct ui_export_result *res,
    ui_export_call_fn *one, int html)
{
	unsigned	i, n = 0;

	for (i = 0; i < e->ncalls; i++) {
		if (v[i].call == NULL && v[i].row == NULL)
			continue;
		if (n++ == UI_EXPORT_LADDER_MAX) {
			res->left_out = e->ncalls - i;
			g_string_append_printf(s, "%s(%u more calls not "
			    "written: at most %d in one file)%s\n",
			    html ? "<p>" : "", res->left_out,
			    UI_EXPORT_LADDER_MAX, html ? "</p>" : "");
			break;
		}
		one(s, &v[i], i + 1);
		res->calls++;
		if (v[i].call != NULL)
			res->items += v[i].call->nmsgs;
		fwrite(s->str, 1, s->len, fp);
		g_string_truncate(s, 0);
	}
}

static int
ui_export_text(const struct ui_export *e, struct ui_export_call *v,
    FILE *fp, struct ui_export_result *res)
{
	GString		*s;
	char		 t[SW_TIME_LEN];

	s = g_string_new(NULL);
	g_string_append_printf(s, "sipwatch %s, %s %s\n", PACKAGE_VERSION,
	    _("exported"), sw_time_rfc3339(e->now_us, 0, t, sizeof t));
	if (e->title != NULL && *e->title != '\0') {
		g_string_append(s, "filter: ");
		ui_export_esc_str(s, e->title, 0);
		g_string_append_c(s, '\n');
	}
	g_string_append_c(s, '\n');
	ui_export_each(e, v, fp, s, res, ui_export_text_call, 0);
	fwrite(s->str, 1, s->len, fp);
	g_string_free(s, TRUE);
	return (0);
}

/* --- HTML ------------------------------------------------------------- */

static const char ui_html_style[] =
"body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
"h1{font-size:1.4em}h2{font-size:1.2em;border-bottom:1px solid #ccc}"
"table.calls{border-collapse:collapse}"
"table.calls td,table.calls th{border:1px solid #ccc;padding:2px 6px;"
"text-align:left;font-size:.9em}"
".alert{border-left:4px solid #c60;background:#fff6ec;padding:4px 10px;"
"margin:6px 0}.alert.sev-error,.alert.sev-critical{border-color:#c00;"
"background:#fff0f0}.alert .advice{margin:4px 0 0 0}"
".ladder{display:block;margin:8px 0;font-family:monospace;font-size:12px}"
".ladder .life{stroke:#999;stroke-dasharray:4 3}"
".ladder .host{font-weight:bold;text-anchor:middle}"
".ladder .lbl{text-anchor:middle}.ladder .time{fill:#666}"
".ladder .req line{stroke:#222}.ladder .c1 line{stroke:#08a}"
".ladder .c2 line{stroke:#080}.ladder .c3 line{stroke:#05c}"
".ladder .c4 line{stroke:#b70}.ladder .c5 line{stroke:#c00}"
".ladder .c6 line{stroke:#909}.ladder .rt line{stroke-dasharray:5 3}"
".ladder .c5 text,.ladder .c6 text{fill:#c00}"
".msg{margin:10px 0}.msg .mh{font-family:monospace;font-weight:bold;"
"background:#eee;padding:2px 6px}"
"pre{margin:0;padding:6px;background:#f8f8f8;white-space:pre-wrap;"
"word-break:break-all;font-size:12px}"
".meta{color:#555}";

#define UI_SVG_LEFT	90	/* the time column */
#define UI_SVG_COL	190	/* per element */
#define UI_SVG_TOP	36	/* the element names */
#define UI_SVG_ROW	24	/* per message */

/* The CSS class of a request (0) and of each response class. */
static const char *const ui_html_classes[7] = {
	"req", "c1", "c2", "c3", "c4", "c5", "c6"
};

static int
ui_html_host(const struct ui_call *c, const struct sw_addr *a)
{
	unsigned	i;

	for (i = 0; i < c->row.nhosts; i++) {
		if (sw_addr_cmp(&c->row.hosts[i], a) == 0)
			return ((int)i);
	}
	return (c->row.nhosts > 0 ? (int)c->row.nhosts - 1 : 0);
}

static void
ui_html_ladder(GString *s, const struct ui_call *c, unsigned num)
{
	const struct ui_msg	*m;
	char			 buf[SW_ADDRSTRLEN], label[160], rel[32];
	unsigned		 i, nh = c->row.nhosts > 0 ? c->row.nhosts : 1;
	int			 w, h, x, x0, x1, y, sh, dh, cls;

	w = UI_SVG_LEFT + UI_SVG_COL * (int)nh + 20;
	h = UI_SVG_TOP + UI_SVG_ROW * (int)c->nmsgs + 12;
	g_string_append_printf(s, "<svg class=\"ladder\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\">\n", w, h, w, h);
	g_string_append_printf(s, "<defs><marker id=\"ah%u\" "
	    "viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
	    "markerHeight=\"7\" orient=\"auto-start-reverse\">"
	    "<path d=\"M0,0L10,5L0,10z\" fill=\"#444\"/></marker>"
	    "</defs>\n", num);
	for (i = 0; i < c->row.nhosts; i++) {
		x = UI_SVG_LEFT + UI_SVG_COL * (int)i + UI_SVG_COL / 2;
		g_string_append_printf(s, "<text class=\"host\" x=\"%d\" "
		    "y=\"16\">", x);
		ui_export_esc_str(s, sw_addr_format(&c->row.hosts[i], buf,
		    sizeof buf), 1);
		g_string_append_printf(s, "</text><line class=\"life\" "
		    "x1=\"%d\" y1=\"24\" x2=\"%d\" y2=\"%d\"/>\n", x, x, h - 4);
	}
	for (i = 0; i < c->nmsgs; i++) {
		m = &c->msgs[i];
		y = UI_SVG_TOP + UI_SVG_ROW * (int)i + 14;
		sh = ui_html_host(c, &m->src);
		dh = ui_html_host(c, &m->dst);
		x0 = UI_SVG_LEFT + UI_SVG_COL * sh + UI_SVG_COL / 2;
		x1 = UI_SVG_LEFT + UI_SVG_COL * dh + UI_SVG_COL / 2;
		cls = m->is_request ? 0 : m->status / 100;
		ui_fmt_msg_label(label, sizeof label, m);
		ui_export_rel(rel, sizeof rel, c, m);
		g_string_append_printf(s, "<a href=\"#c%um%u\"><g class=\"%s%s"
		    "\"><title>", num, i + 1,
		    ui_html_classes[cls >= 0 && cls < 7 ? cls : 0],
		    m->retrans ? " rt" : "");
		ui_export_esc_str(s, label, 1);
		g_string_append_printf(s, "</title><text class=\"time\" x=\"4\""
		    " y=\"%d\">%s</text>", y + 4, rel);
		if (x0 == x1) {
			/* To itself: a small loop. */
			g_string_append_printf(s, "<line x1=\"%d\" y1=\"%d\" "
			    "x2=\"%d\" y2=\"%d\"/><line x1=\"%d\" y1=\"%d\" "
			    "x2=\"%d\" y2=\"%d\" marker-end=\"url(#ah%u)\"/>",
			    x0, y - 4, x0 + 30, y - 4, x0 + 30, y - 4, x0,
			    y + 4, num);
			x = x0 + 60;
		} else {
			g_string_append_printf(s, "<line x1=\"%d\" y1=\"%d\" "
			    "x2=\"%d\" y2=\"%d\" marker-end=\"url(#ah%u)\"/>",
			    x0, y, x1 + (x1 > x0 ? -1 : 1), y, num);
			x = (x0 + x1) / 2;
		}
		g_string_append_printf(s, "<text class=\"lbl\" x=\"%d\" "
		    "y=\"%d\">", x, y - 4);
		ui_export_esc_str(s, label, 1);
		g_string_append(s, "</text></g></a>\n");
	}
	g_string_append(s, "</svg>\n");
}

static void
ui_html_call(GString *s, const struct ui_export_call *v, unsigned num)
{
	const struct ui_call_row	*r = ui_export_row(v);
	const struct ui_call		*c = v->call;
	const struct ui_msg		*m;
	char				 t[SW_TIME_LEN], st[160], rel[32];
	char				 src[SW_ADDRSTRLEN], dst[SW_ADDRSTRLEN];
	unsigned			 i;

	g_string_append_printf(s, "<section class=\"call\" id=\"call%u\">"
	    "\n<h2>", num);
	if (r != NULL) {
		ui_call_state_text(st, sizeof st, r);
		ui_export_esc_str(s, r->invite ? _("Call") : r->method, 1);
		g_string_append_c(s, ' ');
		ui_export_esc_str(s, r->caller, 1);
		g_string_append(s, " &gt; ");
		ui_export_esc_str(s, r->callee, 1);
		g_string_append(s, ": ");
		ui_export_esc_str(s, st, 1);
	} else
		ui_export_esc_str(s, v->call_id, 1);
	g_string_append(s, "</h2>\n<p class=\"meta\">Call-ID <code>");
	ui_export_esc_str(s, v->call_id, 1);
	g_string_append(s, "</code>");
	if (r != NULL)
		g_string_append_printf(s, ", %s %s", _("start"),
		    sw_time_rfc3339(r->start_us, 3, t, sizeof t));
	g_string_append(s, "</p>\n");
	for (i = 0; i < v->nalerts; i++) {
		const struct alert	*a = v->alerts[i];

		g_string_append_printf(s, "<div class=\"alert sev-%s\"><b>%s "
		    "%s</b> <span class=\"meta\">%s</span><p>",
		    alert_severity_name(a->severity),
		    alert_severity_name(a->severity), a->rule,
		    sw_time_rfc3339(a->ts_us, 3, t, sizeof t));
		ui_export_esc_str(s, a->summary, 1);
		g_string_append(s, "</p>");
		if (a->advice != NULL && *a->advice != '\0') {
			g_string_append_printf(s, "<p class=\"advice\"><b>%s"
			    "</b> ", _("What to do"));
			ui_export_esc_str(s, a->advice, 1);
			g_string_append(s, "</p>");
		}
		g_string_append(s, "</div>\n");
	}
	if (c == NULL || c->nmsgs == 0) {
		g_string_append_printf(s, "<p>%s</p>\n</section>\n",
		    _("(the messages of this call are not held)"));
		return;
	}
	ui_html_ladder(s, c, num);
	g_string_append_printf(s, "<h3>%s</h3>\n", _("Messages"));
	for (i = 0; i < c->nmsgs; i++) {
		m = &c->msgs[i];
		ui_export_rel(rel, sizeof rel, c, m);
		g_string_append_printf(s, "<div class=\"msg\" id=\"c%um%u\">"
		    "<div class=\"mh\">[%u] %s %s ", num, i + 1, i + 1, rel,
		    sw_time_rfc3339(m->ts_us, 6, t, sizeof t));
		ui_export_esc_str(s, sw_addr_format(&m->src, src, sizeof src),
		    1);
		g_string_append(s, " &gt; ");
		ui_export_esc_str(s, sw_addr_format(&m->dst, dst, sizeof dst),
		    1);
		g_string_append_printf(s, " %s%s</div><pre>",
		    decode_transport_name(m->transport),
		    m->retrans ? " (retransmission)" : "");
		if (m->raw != NULL)
			ui_export_escape(s, m->raw, m->raw_len, 1);
		else
			g_string_append(s, _("(the bytes of this message were "
			    "not kept)"));
		g_string_append(s, "</pre></div>\n");
	}
	g_string_append(s, "</section>\n");
}

static int
ui_export_html(const struct ui_export *e, struct ui_export_call *v,
    FILE *fp, struct ui_export_result *res)
{
	const struct ui_call_row	*r;
	GString				*s;
	char				 t[SW_TIME_LEN], st[160];
	unsigned			 i;

	s = g_string_new(NULL);
	g_string_append(s, "<!DOCTYPE html>\n<html lang=\"");
	g_string_append(s, i18n_language());
	g_string_append(s, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
	    "sipwatch: ");
	ui_export_esc_str(s, e->title != NULL && *e->title != '\0' ?
	    e->title : e->ncalls > 0 ? e->call_ids[0] : "", 1);
	g_string_append_printf(s, "</title>\n<style>%s</style>\n</head>\n"
	    "<body>\n<h1>sipwatch</h1>\n<p class=\"meta\">%s %s",
	    ui_html_style, _("exported"),
	    sw_time_rfc3339(e->now_us, 0, t, sizeof t));
	if (e->title != NULL && *e->title != '\0') {
		g_string_append(s, ", filter <code>");
		ui_export_esc_str(s, e->title, 1);
		g_string_append(s, "</code>");
	}
	g_string_append_printf(s, "</p>\n<table class=\"calls\">\n<tr><th>%s"
	    "</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", _("start"),
	    _("caller"), _("callee"), _("state"));
	for (i = 0; i < e->ncalls && i < UI_EXPORT_LADDER_MAX; i++) {
		if ((r = ui_export_row(&v[i])) == NULL)
			continue;
		ui_call_state_text(st, sizeof st, r);
		g_string_append_printf(s, "<tr><td><a href=\"#call%u\">%s</a>"
		    "</td><td>", i + 1, sw_time_rfc3339(r->start_us, 0, t,
		    sizeof t));
		ui_export_esc_str(s, r->caller, 1);
		g_string_append(s, "</td><td>");
		ui_export_esc_str(s, r->callee, 1);
		g_string_append(s, "</td><td>");
		ui_export_esc_str(s, st, 1);
		g_string_append(s, "</td></tr>\n");
	}
	g_string_append(s, "</table>\n");
	fwrite(s->str, 1, s->len, fp);
	g_string_truncate(s, 0);
	ui_export_each(e, v, fp, s, res, ui_html_call, 1);
	g_string_append(s, "</body>\n</html>\n");
	fwrite(s->str, 1, s->len, fp);
	g_string_free(s, TRUE);
	return (0);
}

/* --- pcap ------------------------------------------------------------- */

static int
ui_export_pcap(const struct ui_export *e, struct ui_export_result *res,
    char **cause)
{
	struct ui_export_call	*v;
	struct ui_call		**calls;
	uint64_t		 frames = 0;
	unsigned		 i, n = 0;
	int			 r;

	if (e->frames != NULL) {
		/* The file is created only when a frame is held. */
		r = e->frames(e->frames_arg, e->call_ids, e->ncalls, e->path,
		    &frames, &n, cause);
		if (r != 0)
			return (-1);
		if (frames > 0) {
			res->calls = n;
			res->not_held = e->ncalls - n;
			res->items = frames;
			return (0);
		}
		/* No frame kept (HEP input): rebuilt from the messages. */
	}
	v = ui_export_gather(e, NULL, 1, res);
	calls = xcalloc(e->ncalls > 0 ? e->ncalls : 1, sizeof *calls);
	for (i = 0; i < e->ncalls; i++) {
		if (v[i].call != NULL)
			calls[n++] = v[i].call;
	}
	r = ui_pcap_write_calls(calls, n, e->path, cause);
	free(calls);
	ui_export_release(v, e->ncalls);
	if (r < 0)
		return (-1);
	res->calls = n;
	res->items = (uint64_t)r;
	res->rebuilt = 1;
	return (0);
}

/* --- entry points ----------------------------------------------------- */

int
ui_export_write(const struct ui_export *e, struct ui_export_result *res,
    char **cause)
{
	struct ui_alert_index	*ai;
	struct ui_export_call	*v;
	FILE			*fp;
	int			 r;

	memset(res, 0, sizeof *res);
	if (e->ncalls == 0) {
		*cause = xstrdup(_("no call to export"));
		return (-1);
	}
	if (e->fmt == UI_EXPORT_PCAP)
		return (ui_export_pcap(e, res, cause));
	if ((fp = ui_export_create(e->path, cause)) == NULL)
		return (-1);
	ai = ui_alert_index_build(e->snap);
	v = ui_export_gather(e, ai, e->fmt != UI_EXPORT_CSV, res);
	switch (e->fmt) {
	case UI_EXPORT_CSV:
		r = ui_export_csv(e, v, fp, res);
		break;
	case UI_EXPORT_TEXT:
		r = ui_export_text(e, v, fp, res);
		break;
	case UI_EXPORT_HTML:
	default:
		r = ui_export_html(e, v, fp, res);
		break;
	}
	ui_export_release(v, e->ncalls);
	ui_alert_index_free(ai);
	if (ui_export_close(fp, e->path, cause) != 0)
		return (-1);
	return (r);
}

void
ui_export_describe(char *buf, size_t len, const struct ui_export *e,
    const struct ui_export_result *res)
{
	char		 extra[160], calls[64], items[96];
	unsigned long	 n = (unsigned long)res->items;

	switch (e->fmt) {
	case UI_EXPORT_PCAP:
		if (res->rebuilt)
			snprintf(items, sizeof items, ngettext("%lu packet "
			    "rebuilt from the messages", "%lu packets rebuilt "
			    "from the messages", n), n);
		else
			snprintf(items, sizeof items, ngettext("%lu frame as "
			    "captured", "%lu frames as captured", n), n);
		break;
	case UI_EXPORT_CSV:
		snprintf(items, sizeof items, ngettext("%lu row", "%lu rows",
		    n), n);
		break;
	default:
		snprintf(items, sizeof items, ngettext("%lu message",
		    "%lu messages", n), n);
		break;
	}
	extra[0] = '\0';
	if (res->not_held > 0)
		snprintf(extra, sizeof extra, ngettext("; %u call no longer "
		    "held", "; %u calls no longer held", res->not_held),
		    res->not_held);
	if (res->left_out > 0) {
		size_t	l = strlen(extra);

		snprintf(extra + l, sizeof extra - l, _("; %u left out"),
		    res->left_out);
	}
	snprintf(calls, sizeof calls, ngettext("%u call", "%u calls",
	    res->calls), res->calls);
	snprintf(buf, len, _("Exported %s (%s) to %s%s"), calls, items,
	    e->path, extra);
}

unsigned
ui_export_parse_formats(const char *list, char **cause)
{
	char		**v;
	unsigned	  mask = 0, i;
	int		  f;

	v = g_strsplit(list, ",", -1);
	for (i = 0; v[i] != NULL; i++) {
		g_strstrip(v[i]);
		if ((f = ui_export_fmt_parse(v[i])) == -1) {
			*cause = xasprintf("\"%s\" is not an export format "
			    "(pcap, csv, text, html)", v[i]);
			g_strfreev(v);
			return (0);
		}
		mask |= 1U << f;
	}
	g_strfreev(v);
	if (mask == 0)
		*cause = xstrdup("no export format (pcap, csv, text, html)");
	return (mask);
}

int
ui_export_run(struct ui_model *m, const struct ui_export_opts *o)
{
	struct ui_snap			 snap;
	struct ui_filter		*filter = NULL;
	struct ui_alert_index		*ai;
	struct ui_export		 e;
	struct ui_export_result		 res;
	const char			**ids;
	char				*cause = NULL, *path, msg[1024];
	unsigned			 i, n = 0;
	int				 fmt, status = 0;

	if (o->filter != NULL && *o->filter != '\0' &&
	    (filter = ui_filter_parse(o->filter, &cause)) == NULL) {
		log_warnx("--export-filter: %s", cause);
		free(cause);
		return (-1);
	}
	memset(&snap, 0, sizeof snap);
	ui_model_snapshot(m, &snap);
	ai = ui_alert_index_build(&snap);
	ids = xcalloc(snap.ncalls > 0 ? snap.ncalls : 1, sizeof *ids);
	/* Oldest first. */
	for (i = snap.ncalls; i-- > 0; ) {
		if (ui_filter_model_call(filter, m, &snap.calls[i], ai))
			ids[n++] = snap.calls[i].call_id;
	}
	if (n == 0)
		log_warnx("--export: %s", filter != NULL ? "no call matches "
		    "the filter" : "no call to export");
	for (fmt = 0; n > 0 && fmt < UI_EXPORT_NFMT; fmt++) {
		if ((o->fmts & (1U << fmt)) == 0)
			continue;
		path = ui_export_path(o->dir, filter != NULL ? o->filter :
		    ids[0], sw_clock_us(CLOCK_REALTIME), fmt);
		memset(&e, 0, sizeof e);
		e.model = m;
		e.snap = &snap;
		e.call_ids = ids;
		e.ncalls = n;
		e.fmt = (enum ui_export_fmt)fmt;
		e.path = path;
		e.title = filter != NULL ? o->filter : "";
		e.now_us = sw_clock_us(CLOCK_REALTIME);
		e.frames = o->frames;
		e.frames_arg = o->frames_arg;
		if (ui_export_write(&e, &res, &cause) != 0) {
			log_warnx("--export=%s: %s", ui_export_fmt_name(fmt),
			    cause);
			free(cause);
			cause = NULL;
			status = -1;
		} else if (log_get_verbosity() > 0) {
			ui_export_describe(msg, sizeof msg, &e, &res);
			log_warnx("%s", msg);
		}
		free(path);
	}
	free(ids);
	ui_alert_index_free(ai);
	ui_snap_free(&snap);
	ui_filter_free(filter);
	return (status);
}
