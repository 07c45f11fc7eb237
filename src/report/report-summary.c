/*
 * report-summary.c: the report for a person (--report=text, the default
 * of -N), rendered from the same JSON object as --report=json, 80
 * columns wide:
 *
 *   a summary: the capture, its time span (ISO 8601, UTC, said so), the
 *   messages, the calls answered and failed with their causes and the
 *   RFC 6076 ratios, the incidents by rule, then a place for the
 *   capture-integrity line (the "integrity" section);
 *   the failed calls (the latest REPORT_SUM_CALLS of them);
 *   the incidents, each with its subject, count, times and summary.
 *
 * Every text from the wire is escaped (\xHH) as in the other text forms.
 * The full counters are in --report=full and --report=json.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/i18n.h"
#include "core/timefmt.h"
#include "core/utf8.h"
#include "report/report.h"
#include "stats/stats.h"

#define REPORT_SUM_WIDTH	80	/* columns of every line */
#define REPORT_SUM_CALLS	30	/* failed calls listed */
#define REPORT_SUM_INCIDENTS	40	/* incidents listed */
#define REPORT_SUM_CAUSES	8	/* causes of failure listed */

/* Columns of the UTF-8 character at P (wide East Asian ones take two). */
static int
sum_cwidth(const char *p)
{
	gunichar	c = g_utf8_get_char_validated(p, -1);

	if (c == (gunichar)-1 || c == (gunichar)-2)
		return (1);
	return (g_unichar_iswide(c) ? 2 : 1);
}

/* Display columns of UTF-8 S (escaped text is ASCII). */
static int
sum_width(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s = g_utf8_next_char(s))
		n += sum_cwidth(s);
	return (n);
}

/* S escaped for a terminal, cut to W columns with an ellipsis.  Frees. */
static char *
sum_fit(const char *s, int w)
{
	char	*e = sw_utf8_escape_str(s != NULL ? s : "", 0), *p;
	int	 n = 0;

	if (sum_width(e) <= w || w < 2)
		return (e);
	/* W - 1 columns, then the ellipsis. */
	for (p = e; *p != '\0' && n + sum_cwidth(p) <= w - 1;
	    p = g_utf8_next_char(p))
		n += sum_cwidth(p);
	*p = '\0';
	p = g_strconcat(e, "\u2026", NULL);
	free(e);
	e = strdup(p);
	g_free(p);
	return (e);
}

/*
 * LABEL in a column of LW, then TEXT wrapped between words to the width,
 * its later lines indented under its first.
 */
static void
sum_field(FILE *fp, int lw, const char *label, const char *text)
{
	const char	*p = text, *sp, *cut, *end;
	int		 room = REPORT_SUM_WIDTH - lw - 1, w;

	fprintf(fp, "%s%*s ", label, lw - sum_width(label), "");
	while (sum_width(p) > room) {
		/* At the last space that fits, else (CJK) the last character. */
		cut = NULL;
		end = p;
		w = 0;
		for (sp = p; *sp != '\0' && w + sum_cwidth(sp) <= room;
		    sp = g_utf8_next_char(sp)) {
			if (*sp == ' ')
				cut = sp;
			w += sum_cwidth(sp);
			end = g_utf8_next_char(sp);
		}
		if (cut == NULL || cut == p) {
			if (end == p)
				break;
			fprintf(fp, "%.*s\n%*s ", (int)(end - p), p, lw, "");
			p = end;
			continue;
		}
		fprintf(fp, "%.*s\n%*s ", (int)(cut - p), p, lw, "");
		p = cut + 1;
	}
	fprintf(fp, "%s\n", p);
}

static uint64_t
sum_uint(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return (json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0);
}

/*
 * Transfers: the REFERs (RFC 3515) as the tracker counted them, when the
 * capture has any.  S is scratch.
 */
static void
sum_transfers(FILE *fp, int lw, json_t *t, GString *s)
{
	if (sum_uint(t, "refers") == 0)
		return;
	g_string_printf(s, _("%llu REFER: %llu accepted, %llu rejected; "
	    "%llu succeeded, %llu failed, %llu without NOTIFY (RFC 3515)"),
	    (unsigned long long)sum_uint(t, "refers"),
	    (unsigned long long)sum_uint(t, "accepted"),
	    (unsigned long long)sum_uint(t, "rejected"),
	    (unsigned long long)sum_uint(t, "succeeded"),
	    (unsigned long long)sum_uint(t, "failed"),
	    (unsigned long long)sum_uint(t, "no_notify"));
	sum_field(fp, lw, _("Transfers"), s->str);
}

/*
 * Media: the RTP streams and the calls' worst MOS (ITU-T G.107, as the
 * media module graded them), when the capture has RTP.  The worst MOS is
 * taken over the calls the report lists; when it lists fewer than all,
 * the line says so.  The calls with one-way audio or without RTP (as the
 * tracker flagged them) are counted among those listed.  S is scratch.
 */
static void
sum_media(FILE *fp, int lw, json_t *m, GString *s)
{
	json_t		*c, *v;
	size_t		 i;
	double		 worst = 0;
	int		 known = 0;
	uint64_t	 listed, total, n, one_way = 0, no_media = 0;

	if (sum_uint(m, "streams_total") == 0)
		return;
	n = sum_uint(m, "streams_total");
	g_string_printf(s, ngettext("%llu RTP stream", "%llu RTP streams",
	    (unsigned long)n), (unsigned long long)n);
	n = sum_uint(m, "rtp_packets");
	g_string_append_printf(s, ngettext(", %llu RTP packet",
	    ", %llu RTP packets", (unsigned long)n), (unsigned long long)n);
	json_array_foreach(json_object_get(m, "calls"), i, c) {
		if (json_is_true(json_object_get(c, "one_way")))
			one_way++;
		if (json_is_true(json_object_get(c, "no_media")))
			no_media++;
		v = json_object_get(c, "worst_mos");
		if (json_is_number(v) && (!known ||
		    json_number_value(v) < worst)) {
			worst = json_number_value(v);
			known = 1;
		}
	}
	listed = sum_uint(m, "calls_listed");
	total = sum_uint(m, "calls_total");
	if (known && listed == total)
		g_string_append_printf(s, _("; worst call MOS %.2f (G.107)"),
		    worst);
	else if (known)
		g_string_append_printf(s, _("; worst call MOS %.2f (G.107) "
		    "among the %llu of %llu calls listed"), worst,
		    (unsigned long long)listed, (unsigned long long)total);
	if (one_way > 0)
		g_string_append_printf(s, ngettext("; %llu call with one-way "
		    "audio", "; %llu calls with one-way audio",
		    (unsigned long)one_way), (unsigned long long)one_way);
	if (no_media > 0)
		g_string_append_printf(s, ngettext("; %llu answered call "
		    "without RTP", "; %llu answered calls without RTP",
		    (unsigned long)no_media), (unsigned long long)no_media);
	sum_field(fp, lw, _("Media"), s->str);
}

static const char *
sum_str(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return (json_is_string(v) ? json_string_value(v) : NULL);
}

/* "HH:MM:SS" of an RFC 3339 time, or all of it when SPAN crosses days. */
static void
sum_clock(char *buf, size_t len, const char *rfc3339, int days)
{
	if (rfc3339 == NULL || strlen(rfc3339) < 19)
		snprintf(buf, len, "-");
	else if (days)
		snprintf(buf, len, "%.10s %.8s", rfc3339, rfc3339 + 11);
	else
		snprintf(buf, len, "%.8s", rfc3339 + 11);
}

/* The reason phrase the failed calls of CODE were given, if listed. */
static const char *
sum_reason(json_t *failures, int code)
{
	json_t	*f;
	size_t	 i;

	json_array_foreach(failures, i, f) {
		if (json_integer_value(json_object_get(f, "code")) == code &&
		    sum_str(f, "reason") != NULL)
			return (sum_str(f, "reason"));
	}
	return (NULL);
}

struct sum_count {
	const char	*name;
	uint64_t	 n;
};

static int
sum_count_cmp(const void *a, const void *b)
{
	const struct sum_count	*x = a, *y = b;

	if (x->n != y->n)
		return (x->n > y->n ? -1 : 1);
	return (strcmp(x->name, y->name));
}

/*
 * The capture-integrity line, from the report's "integrity" section
 * (doc/REPORT.md): complete, or how many frames were lost or unreadable
 * and how many incidents rest on incomplete evidence (a TCP gap, a
 * message read in part, capture drops nearby).  Nothing when the section
 * is absent.
 */
static void
sum_integrity(FILE *fp, int lw, json_t *root)
{
	json_t		*in = json_object_get(root, "integrity");
	json_t		*inc = json_object_get(root, "incidents");
	json_t		*ev = json_object_get(inc, "incomplete_evidence");
	GString		*s;
	uint64_t	 lost, n;

	if (!json_is_object(in))
		return;
	if (json_is_true(json_object_get(in, "complete"))) {
		sum_field(fp, lw, _("Integrity"), _("complete: no capture "
		    "drops, undecodable frames, parse errors or reassembly "
		    "losses"));
		return;
	}
	s = g_string_new(NULL);
	lost = sum_uint(in, "frames_dropped") +
	    sum_uint(in, "frames_undecodable") +
	    sum_uint(in, "messages_unreadable");
	g_string_printf(s, _("%llu of %llu frames (%.2f %%) lost or "
	    "unreadable, %llu SIP messages read in part, %llu TCP gaps"),
	    (unsigned long long)lost,
	    (unsigned long long)sum_uint(in, "frames"),
	    json_real_value(json_object_get(in, "frames_lost_pct")),
	    (unsigned long long)sum_uint(in, "messages_salvaged"),
	    (unsigned long long)sum_uint(in, "tcp_gaps"));
	if ((n = sum_uint(ev, "incidents")) > 0)
		g_string_append_printf(s, _("; %llu of %llu incidents rest "
		    "on incomplete evidence"), (unsigned long long)n,
		    (unsigned long long)sum_uint(inc, "count"));
	sum_field(fp, lw, _("Integrity"), s->str);
	g_string_free(s, TRUE);
}

/* The summary: a few lines that say what the capture shows. */
static void
sum_head(FILE *fp, const struct report_src *src, json_t *root, int *days)
{
	json_t		*cap = json_object_get(root, "capture");
	json_t		*sip = json_object_get(root, "sip");
	json_t		*calls = json_object_get(root, "calls");
	json_t		*inc = json_object_get(root, "incidents");
	json_t		*fc, *v;
	const struct stats *st = src->stats;
	struct sum_count c[REPORT_SUM_CAUSES + 64] = { { NULL, 0 } };
	GString		*s;
	const char	*key, *reason;
	char		 t0[SW_TIME_LEN], t1[SW_TIME_LEN];
	int		 lw = 10, nc = 0, i, code;
	uint64_t	 nreq, nresp, n;

	fprintf(fp, "sipwatch %s report: %s %s\n", PACKAGE_VERSION,
	    src->source_type, src->source_name);
	lw = sum_width(_("Incidents"));
	if (sum_width(_("Capture")) > lw)
		lw = sum_width(_("Capture"));
	if (sum_width(_("Messages")) > lw)
		lw = sum_width(_("Messages"));
	if (sum_width(_("Calls")) > lw)
		lw = sum_width(_("Calls"));
	if (sum_width(_("Causes")) > lw)
		lw = sum_width(_("Causes"));
	if (sum_width(_("Integrity")) > lw)
		lw = sum_width(_("Integrity"));
	if (sum_width(_("Transfers")) > lw)
		lw = sum_width(_("Transfers"));
	if (sum_width(_("Media")) > lw)
		lw = sum_width(_("Media"));

	s = g_string_new(NULL);
	if (st->first_ts_us != 0) {
		sw_time_rfc3339(st->first_ts_us, 0, t0, sizeof t0);
		sw_time_rfc3339(st->last_ts_us, 0, t1, sizeof t1);
		*days = strncmp(t0, t1, 10) != 0;
		g_string_append_printf(s, _("%s to %s, UTC (%.1f s); "), t0, t1,
		    (double)(st->last_ts_us - st->first_ts_us) / 1e6);
	}
	g_string_append_printf(s, _("%llu packets, %llu kernel drops"),
	    (unsigned long long)sum_uint(cap, "packets"),
	    (unsigned long long)(sum_uint(cap, "kernel_drops") +
	    sum_uint(cap, "if_drops")));
	sum_field(fp, lw, _("Capture"), s->str);
	sum_integrity(fp, lw, root);

	nreq = nresp = 0;
	json_object_foreach(json_object_get(sip, "requests"), key, v)
		nreq += (uint64_t)json_integer_value(v);
	json_object_foreach(json_object_get(sip, "responses"), key, v)
		nresp += (uint64_t)json_integer_value(v);
	g_string_printf(s, _("%llu SIP (%llu requests, %llu responses), %llu "
	    "retransmissions, %llu parse errors"),
	    (unsigned long long)sum_uint(sip, "messages"),
	    (unsigned long long)nreq, (unsigned long long)nresp,
	    (unsigned long long)sum_uint(sip, "retransmissions"),
	    (unsigned long long)sum_uint(cap, "parse_errors"));
	sum_field(fp, lw, _("Messages"), s->str);

	v = json_object_get(calls, "outcomes");
	g_string_printf(s, _("%llu: %llu answered, %llu failed, %llu rejected "
	    "(busy, declined), %llu cancelled, %llu timed out"),
	    (unsigned long long)sum_uint(calls, "count"),
	    (unsigned long long)sum_uint(v, "answered"),
	    (unsigned long long)sum_uint(v, "failed"),
	    (unsigned long long)sum_uint(v, "rejected"),
	    (unsigned long long)sum_uint(v, "cancelled"),
	    (unsigned long long)sum_uint(v, "timed_out"));
	if (json_is_number(json_object_get(calls, "ser_pct")))
		g_string_append_printf(s, _("; ASR %.0f%%, NER %.0f%% (RFC "
		    "6076)"), json_number_value(json_object_get(calls,
		    "ser_pct")), json_number_value(json_object_get(calls,
		    "seer_pct")));
	sum_field(fp, lw, _("Calls"), s->str);

	/* Causes: the final codes of the calls that were not answered. */
	fc = json_object_get(calls, "final_codes");
	json_object_foreach(fc, key, v) {
		code = atoi(key);
		if (code < 300 || code == 487 || nc == (int)(sizeof c /
		    sizeof c[0]))
			continue;
		c[nc].name = key;
		c[nc++].n = (uint64_t)json_integer_value(v);
	}
	qsort(c, (size_t)nc, sizeof c[0], sum_count_cmp);
	g_string_truncate(s, 0);
	for (i = 0; i < nc && i < REPORT_SUM_CAUSES; i++) {
		reason = sum_reason(json_object_get(calls, "failures"),
		    atoi(c[i].name));
		if (reason != NULL) {
			char *e = sw_utf8_escape_str(reason, 0);

			g_string_append_printf(s, "%s%s %s \u00d7%llu",
			    i > 0 ? ", " : "", c[i].name, e,
			    (unsigned long long)c[i].n);
			free(e);
		} else
			g_string_append_printf(s, "%s%s \u00d7%llu", i > 0 ?
			    ", " : "", c[i].name, (unsigned long long)c[i].n);
	}
	if ((n = sum_uint(json_object_get(calls, "outcomes"),
	    "timed_out")) > 0)
		g_string_append_printf(s, _("%sno response (Timer B) \u00d7%llu"),
		    s->len > 0 ? ", " : "", (unsigned long long)n);
	if (s->len > 0)
		sum_field(fp, lw, _("Causes"), s->str);
	sum_transfers(fp, lw, json_object_get(root, "transfers"), s);
	sum_media(fp, lw, json_object_get(root, "media"), s);

	/* Incidents by rule, the most first. */
	nc = 0;
	json_object_foreach(json_object_get(inc, "by_rule"), key, v) {
		if (json_integer_value(v) <= 0 || nc == (int)(sizeof c /
		    sizeof c[0]))
			continue;
		c[nc].name = key;
		c[nc++].n = (uint64_t)json_integer_value(v);
	}
	qsort(c, (size_t)nc, sizeof c[0], sum_count_cmp);
	g_string_printf(s, "%llu", (unsigned long long)sum_uint(inc, "count"));
	for (i = 0; i < nc; i++)
		g_string_append_printf(s, "%s%s %llu", i == 0 ? ": " : ", ",
		    c[i].name, (unsigned long long)c[i].n);
	sum_field(fp, lw, _("Incidents"), s->str);
	g_string_free(s, TRUE);
}

/* The failed calls, the latest last, one line each. */
static void
sum_calls(FILE *fp, json_t *root, int days)
{
	json_t		*calls = json_object_get(root, "calls");
	json_t		*fl = json_object_get(calls, "failures"), *f;
	size_t		 n = json_array_size(fl), i, from;
	uint64_t	 all = sum_uint(calls, "failures_count");
	char		 clock[32], cause[96], who[160], *a, *b, *c, *d;
	int		 tw;

	if (n == 0)
		return;
	fprintf(fp, "\n");
	fprintf(fp, _("Failed calls (%llu), times in UTC:\n"),
	    (unsigned long long)all);
	from = n > REPORT_SUM_CALLS ? n - REPORT_SUM_CALLS : 0;
	tw = days ? 19 : 8;
	for (i = from; i < n; i++) {
		f = json_array_get(fl, i);
		sum_clock(clock, sizeof clock, sum_str(f, "time"), days);
		a = sum_fit(sum_str(f, "from"), 16);
		b = sum_fit(sum_str(f, "to"), 16);
		snprintf(who, sizeof who, "%s > %s", a, b);
		if (json_is_integer(json_object_get(f, "code")))
			snprintf(cause, sizeof cause, "%lld %s",
			    (long long)json_integer_value(json_object_get(f,
			    "code")), sum_str(f, "reason") != NULL ?
			    sum_str(f, "reason") : "");
		else
			snprintf(cause, sizeof cause, "%s",
			    _("no response (Timer B)"));
		c = sum_fit(cause, 24);
		d = sum_fit(sum_str(f, "call_id"), REPORT_SUM_WIDTH - tw -
		    2 - 24 - 1 - 24 - 2);
		fprintf(fp, "  %-*s %-24s %-*s %s\n", tw, clock, who,
		    24 + (int)strlen(c) - sum_width(c), c, d);
		free(a);
		free(b);
		free(c);
		free(d);
	}
	if (all > n - from)
		fprintf(fp, _("  ... %llu more; --report=json lists the last "
		    "%zu with their servers\n"),
		    (unsigned long long)(all - (n - from)), n);
}

/* The incidents, each with what it is about and its summary. */
static void
sum_incidents(FILE *fp, json_t *root, int days)
{
	json_t		*inc = json_object_get(root, "incidents");
	json_t		*list = json_object_get(inc, "list"), *x;
	size_t		 n = json_array_size(list), i;
	char		 first[32], last[32], *subj, *sumry;
	char		 head[256];
	uint64_t	 count;

	if (n == 0)
		return;
	fprintf(fp, "\n");
	fprintf(fp, _("Incidents (%llu), times in UTC:\n"),
	    (unsigned long long)sum_uint(inc, "count"));
	for (i = 0; i < n && i < REPORT_SUM_INCIDENTS; i++) {
		x = json_array_get(list, i);
		count = sum_uint(x, "count");
		sum_clock(first, sizeof first, sum_str(x, "first"), days);
		sum_clock(last, sizeof last, sum_str(x, "last"), days);
		subj = sw_utf8_escape_str(sum_str(x, "subject"), 0);
		if (count == 1)
			snprintf(head, sizeof head, _("%s, once at %s"), subj,
			    first);
		else
			snprintf(head, sizeof head, _("%s, %llu times from %s "
			    "to %s"), subj, (unsigned long long)count, first,
			    last);
		fprintf(fp, "  %-7s %s\n", sum_str(x, "severity") != NULL ?
		    sum_str(x, "severity") : "", sum_str(x, "rule") != NULL ?
		    sum_str(x, "rule") : "");
		sum_field(fp, 9, "", head);
		sumry = sw_utf8_escape_str(sum_str(x, "summary"), 0);
		sum_field(fp, 9, "", sumry);
		free(subj);
		free(sumry);
	}
	if (n < sum_uint(inc, "count") || n > REPORT_SUM_INCIDENTS)
		fprintf(fp, _("  ... the others in --report=json and --alerts\n"));
}

int
report_print_summary(const struct report_src *src, FILE *fp)
{
	json_t	*root = report_build(src);
	int	 days = 0;

	sum_head(fp, src, root, &days);
	sum_calls(fp, root, days);
	sum_incidents(fp, root, days);
	fprintf(fp, "\n%s\n", _("Every counter: --report=full, or --report=json."));
	json_decref(root);
	return (fflush(fp) == EOF ? -1 : 0);
}
