/*
 * alert.c: the alert value (copying, JSON and text forms) and the set of
 * sinks alerts fan out to.  The sinks themselves are in alert-file.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "alert/alert.h"
#include "core/json.h"
#include "core/sink.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

#define ALERT_OUT_MAX	8	/* sinks per set */

struct alert_out_sink {
	const struct alert_sink_ops	*ops;
	void				*state;
};

struct alert_out {
	struct alert_out_sink	 sinks[ALERT_OUT_MAX];
	unsigned		 n;
};

static const char *const alert_severity_names[ALERT_SEVERITY_COUNT] = {
	"critical", "error", "warning", "notice", "info"
};

const char *
alert_severity_name(enum alert_severity s)
{
	if ((unsigned)s >= ALERT_SEVERITY_COUNT)
		return ("?");
	return (alert_severity_names[s]);
}

const char *
alert_event_name(enum alert_event e)
{
	static const char *const names[] = {
		"raise", "update", "clear", "suppressed", "lost"
	};

	if ((unsigned)e >= sizeof names / sizeof names[0])
		return ("?");
	return (names[e]);
}

/* Copy S (may be NULL) into the fixed buffer BUF of LEN bytes. */
static void
alert_copy_fixed(char *buf, size_t len, const char *s)
{
	if (s == NULL)
		s = "";
	strncpy(buf, s, len - 1);
	buf[len - 1] = '\0';
}

void
alert_init(struct alert *a, int64_t ts_us, const char *rule,
    enum alert_severity sev, const char *call_id, size_t call_id_len,
    const char *src, const char *dst, const char *method, int code)
{
	memset(a, 0, sizeof *a);
	a->ts_us = ts_us;
	alert_copy_fixed(a->rule, sizeof a->rule, rule);
	a->severity = sev;
	a->call_id = call_id != NULL ? xstrndup(call_id, call_id_len) :
	    xstrdup("");
	alert_copy_fixed(a->src, sizeof a->src, src);
	alert_copy_fixed(a->dst, sizeof a->dst, dst);
	alert_copy_fixed(a->method, sizeof a->method, method);
	a->code = code;
	a->summary = xstrdup("");
	a->advice = xstrdup("");
	a->target = xstrdup("");
	a->subject = xstrdup("");
	a->count = 1;
	a->first_us = a->last_us = ts_us;
}

void
alert_clear(struct alert *a)
{
	free(a->call_id);
	free(a->summary);
	free(a->advice);
	free(a->target);
	free(a->subject);
	memset(a, 0, sizeof *a);
}

void
alert_copy(struct alert *dst, const struct alert *src)
{
	*dst = *src;
	dst->call_id = xstrdup(src->call_id != NULL ? src->call_id : "");
	dst->summary = xstrdup(src->summary != NULL ? src->summary : "");
	dst->advice = xstrdup(src->advice != NULL ? src->advice : "");
	dst->target = xstrdup(src->target != NULL ? src->target : "");
	dst->subject = xstrdup(src->subject != NULL ? src->subject : "");
}

void *
alert_to_json(const struct alert *a)
{
	json_t	*o;

	o = json_object();
	if (o == NULL)
		fatalx("alert: cannot build JSON");
	sw_json_set(o, "time", json_real((double)a->ts_us / 1e6));
	sw_json_set(o, "rule", sw_json_wire(a->rule));
	sw_json_set(o, "severity",
	    json_string(alert_severity_name(a->severity)));
	sw_json_set(o, "kb", a->kb_code != 0 ? json_integer(a->kb_code) :
	    json_null());
	sw_json_set(o, "call_id", sw_json_wire(a->call_id));
	sw_json_set(o, "src", sw_json_wire(a->src));
	sw_json_set(o, "dst", sw_json_wire(a->dst));
	sw_json_set(o, "method", sw_json_wire(a->method));
	sw_json_set(o, "code", a->code != 0 ? json_integer(a->code) :
	    json_null());
	sw_json_set(o, "summary", sw_json_wire(a->summary));
	sw_json_set(o, "advice", sw_json_wire(a->advice));
	sw_json_set(o, "event", json_string(alert_event_name(a->event)));
	if (a->incident[0] != '\0') {
		sw_json_set(o, "incident", json_string(a->incident));
		sw_json_set(o, "subject", sw_json_wire(a->subject));
	}
	sw_json_set(o, "count", sw_json_uint(a->count));
	sw_json_set(o, "first", json_real((double)a->first_us / 1e6));
	sw_json_set(o, "last", json_real((double)a->last_us / 1e6));
	if (a->target != NULL && a->target[0] != '\0')
		sw_json_set(o, "target", sw_json_wire(a->target));
	if (a->gap)
		sw_json_set(o, "gap", json_true());
	if (a->partial_parse)
		sw_json_set(o, "partial_parse", json_true());
	if (a->drops_nearby)
		sw_json_set(o, "drops_nearby", json_true());
	if (a->agent[0] != '\0')
		sw_json_set(o, "agent", sw_json_wire(a->agent));
	return (o);
}

const char *
alert_incomplete(const struct alert *a, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s%s%s%s%s", a->gap ? "gap" : "",
	    a->gap && (a->partial_parse || a->drops_nearby) ? "," : "",
	    a->partial_parse ? "partial_parse" : "",
	    a->partial_parse && a->drops_nearby ? "," : "",
	    a->drops_nearby ? "drops_nearby" : "");
	return (buf);
}

char *
alert_format_text(const struct alert *a)
{
	char		when[SW_TIME_LEN], code[16], *raw, *line;

	sw_time_rfc3339(a->ts_us, 6, when, sizeof when);
	if (a->code != 0)
		snprintf(code, sizeof code, " %d", a->code);
	else
		code[0] = '\0';
	raw = xasprintf("%s %s %s%s%s %s %s -> %s%s%s %s%s: %s%s%s", when,
	    alert_severity_name(a->severity),
	    a->event != ALERT_EVENT_RAISE ? alert_event_name(a->event) : "",
	    a->event != ALERT_EVENT_RAISE ? " " : "", a->rule,
	    a->call_id[0] != '\0' ? a->call_id : "-",
	    a->src[0] != '\0' ? a->src : "-",
	    a->dst[0] != '\0' ? a->dst : "-",
	    a->agent[0] != '\0' ? " via " : "", a->agent,
	    a->method[0] != '\0' ? a->method : "-", code, a->summary,
	    a->advice[0] != '\0' ? " -- " : "", a->advice);
	/* Header text from the wire: never raw to a terminal. */
	line = sw_utf8_escape_str(raw, 0);
	free(raw);
	return (line);
}

struct alert_out *
alert_out_create(void)
{
	return (xcalloc(1, sizeof (struct alert_out)));
}

int
alert_out_add(struct alert_out *out, const struct alert_sink_ops *ops,
    const char *target, char **cause)
{
	void	*state;

	if (out->n == ALERT_OUT_MAX) {
		*cause = xasprintf("too many alert sinks (at most %d)",
		    ALERT_OUT_MAX);
		return (-1);
	}
	if ((state = ops->open(target, cause)) == NULL)
		return (-1);
	out->sinks[out->n].ops = ops;
	out->sinks[out->n].state = state;
	out->n++;
	return (0);
}

void
alert_out_emit(struct alert_out *out, const struct alert *a)
{
	unsigned	i;

	for (i = 0; i < out->n; i++)
		out->sinks[i].ops->emit(out->sinks[i].state, a);
}

void
alert_out_reopen(struct alert_out *out)
{
	unsigned	i;

	for (i = 0; i < out->n; i++) {
		if (out->sinks[i].ops->reopen != NULL)
			out->sinks[i].ops->reopen(out->sinks[i].state);
	}
}

void
alert_out_flush(struct alert_out *out)
{
	unsigned	i;

	for (i = 0; i < out->n; i++) {
		if (out->sinks[i].ops->flush != NULL)
			out->sinks[i].ops->flush(out->sinks[i].state);
	}
}

void
alert_out_drain(struct alert_out *out)
{
	unsigned	i;

	for (i = 0; out != NULL && i < out->n; i++) {
		if (out->sinks[i].ops->drain != NULL)
			out->sinks[i].ops->drain(out->sinks[i].state);
	}
}

unsigned
alert_out_count(const struct alert_out *out)
{
	return (out->n);
}

unsigned
alert_out_sinks(const struct alert_out *out, struct sw_sink *v, unsigned max)
{
	unsigned	i, n = 0;

	for (i = 0; out != NULL && i < out->n && n < max; i++) {
		memset(&v[n], 0, sizeof v[n]);
		v[n].kind = out->sinks[i].ops->name;
		v[n].target = "";
		if (out->sinks[i].ops->counts != NULL)
			out->sinks[i].ops->counts(out->sinks[i].state, &v[n]);
		n++;
	}
	return (n);
}

void
alert_out_close(struct alert_out *out)
{
	unsigned	i;

	if (out == NULL)
		return;
	for (i = 0; i < out->n; i++)
		out->sinks[i].ops->close(out->sinks[i].state);
	free(out);
}
