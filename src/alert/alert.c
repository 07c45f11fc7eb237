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
#include "core/log.h"
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
		"raise", "repeats", "clear", "suppressed"
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
}

void
alert_clear(struct alert *a)
{
	free(a->call_id);
	free(a->summary);
	free(a->advice);
	free(a->target);
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
}

static void
alert_jset(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		fatalx("alert: cannot build JSON (%s)", key);
}

/* A JSON string from possibly invalid UTF-8 (bytes from the wire). */
static json_t *
alert_jstr(const char *s)
{
	json_t	*v;
	char	*fixed, *p;

	if (s == NULL)
		s = "";
	if ((v = json_string(s)) != NULL)
		return (v);
	/* Not UTF-8: keep ASCII, replace the rest with '?'. */
	fixed = xstrdup(s);
	for (p = fixed; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	}
	v = json_string(fixed);
	free(fixed);
	return (v);
}

void *
alert_to_json(const struct alert *a)
{
	json_t	*o;

	o = json_object();
	if (o == NULL)
		fatalx("alert: cannot build JSON");
	alert_jset(o, "time", json_real((double)a->ts_us / 1e6));
	alert_jset(o, "rule", alert_jstr(a->rule));
	alert_jset(o, "severity",
	    json_string(alert_severity_name(a->severity)));
	alert_jset(o, "kb", a->kb_code != 0 ? json_integer(a->kb_code) :
	    json_null());
	alert_jset(o, "call_id", alert_jstr(a->call_id));
	alert_jset(o, "src", alert_jstr(a->src));
	alert_jset(o, "dst", alert_jstr(a->dst));
	alert_jset(o, "method", alert_jstr(a->method));
	alert_jset(o, "code", a->code != 0 ? json_integer(a->code) :
	    json_null());
	alert_jset(o, "summary", alert_jstr(a->summary));
	alert_jset(o, "advice", alert_jstr(a->advice));
	if (a->gap)
		alert_jset(o, "gap", json_true());
	if (a->agent[0] != '\0')
		alert_jset(o, "agent", alert_jstr(a->agent));
	if (a->event != ALERT_EVENT_RAISE) {
		alert_jset(o, "event", json_string(alert_event_name(a->event)));
		alert_jset(o, "repeats", json_integer((json_int_t)a->repeats));
		alert_jset(o, "window", json_real((double)a->window_us / 1e6));
	}
	return (o);
}

char *
alert_format_text(const struct alert *a)
{
	struct tm	tm;
	time_t		secs;
	long		usec;
	char		when[40], code[16];

	secs = (time_t)(a->ts_us / 1000000);
	usec = (long)(a->ts_us % 1000000);
	if (usec < 0) {
		usec += 1000000;
		secs--;
	}
	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(when, sizeof when, "%lld", (long long)secs);
	if (a->code != 0)
		snprintf(code, sizeof code, " %d", a->code);
	else
		code[0] = '\0';
	return (xasprintf("%s.%06ldZ %s %s %s %s -> %s%s%s %s%s: %s%s%s", when,
	    usec, alert_severity_name(a->severity), a->rule,
	    a->call_id[0] != '\0' ? a->call_id : "-",
	    a->src[0] != '\0' ? a->src : "-",
	    a->dst[0] != '\0' ? a->dst : "-",
	    a->agent[0] != '\0' ? " via " : "", a->agent,
	    a->method[0] != '\0' ? a->method : "-", code, a->summary,
	    a->advice[0] != '\0' ? " -- " : "", a->advice));
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

unsigned
alert_out_count(const struct alert_out *out)
{
	return (out->n);
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
