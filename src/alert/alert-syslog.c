/*
 * alert-syslog.c: alerts to the local syslog daemon, one message per
 * alert, in a stable key=value format that grep, rsyslog property
 * filters and log shippers can take apart (alert_format_kv()).
 *
 * The datagram is built here, as glibc's syslog(3) builds it (RFC 3164
 * layout: "<PRI>Mmm dd hh:mm:ss sipwatch[PID]: MSG"), and sent on a
 * socket of our own (alert-sock.c) rather than through openlog(3): the
 * socket can be another one than /dev/log (--syslog-socket, used by the
 * tests to talk to an rsyslogd of their own), the capture thread never
 * blocks on a busy daemon (messages are queued, bounded), and nothing is
 * lost when the daemon restarts (the socket is reconnected and the queue
 * sent).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "alert/alert-int.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

#define SYSLOG_DEFAULT_SOCKET	"/dev/log"
#define SYSLOG_DEFAULT_FACILITY	16	/* local0 */
#define SYSLOG_IDENT		"sipwatch"

static const struct {
	const char	*name;
	int		 code;
} syslog_facilities[] = {
	{ "kern", 0 }, { "user", 1 }, { "mail", 2 }, { "daemon", 3 },
	{ "auth", 4 }, { "syslog", 5 }, { "lpr", 6 }, { "news", 7 },
	{ "uucp", 8 }, { "cron", 9 }, { "authpriv", 10 }, { "ftp", 11 },
	{ "local0", 16 }, { "local1", 17 }, { "local2", 18 },
	{ "local3", 19 }, { "local4", 20 }, { "local5", 21 },
	{ "local6", 22 }, { "local7", 23 }, { NULL, 0 }
};

int
alert_syslog_facility(const char *name)
{
	int	i;

	for (i = 0; syslog_facilities[i].name != NULL; i++) {
		if (strcasecmp(name, syslog_facilities[i].name) == 0)
			return (syslog_facilities[i].code);
	}
	return (-1);
}

int
alert_syslog_severity(const struct alert *a)
{
	switch (a->event) {
	case ALERT_EVENT_CLEAR:
		return (5);		/* notice */
	case ALERT_EVENT_SUPPRESSED:
		return (4);		/* warning */
	default:
		break;
	}
	switch (a->severity) {
	case ALERT_CRITICAL:
		return (2);
	case ALERT_ERROR:
		return (3);
	case ALERT_WARNING:
		return (4);
	case ALERT_NOTICE:
		return (5);
	default:
		return (6);
	}
}

int
alert_target_split(const char *target, int *facility, const char **rest,
    char **cause)
{
	const char	*colon;
	char		*name;

	*facility = SYSLOG_DEFAULT_FACILITY;
	*rest = NULL;
	if (target == NULL || *target == '\0')
		return (0);
	if ((colon = strchr(target, ':')) != NULL)
		*rest = colon + 1;
	else
		colon = target + strlen(target);
	if (colon == target)
		return (0);
	name = xstrndup(target, (size_t)(colon - target));
	*facility = alert_syslog_facility(name);
	if (*facility == -1) {
		*cause = xasprintf("unknown syslog facility \"%s\"", name);
		free(name);
		return (-1);
	}
	free(name);
	return (0);
}

/* ------------------------------------------------------------------ */
/* The key=value line. */

struct kvbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

static void
kv_putc(struct kvbuf *b, char c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap == 0 ? 512 : b->cap * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static void
kv_puts(struct kvbuf *b, const char *s)
{
	while (*s != '\0')
		kv_putc(b, *s++);
}

/*
 * Append S: control characters become spaces, bytes that are not UTF-8
 * '?'; with QUOTE, '"' and '\' are escaped by '\'.
 */
static void
kv_put_clean(struct kvbuf *b, const char *s, int quote)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 n, i;

	while (*p != '\0') {
		/* RFC 3629: no overlong form, surrogate or beyond U+10FFFF. */
		n = sw_utf8_seq(p, strnlen((const char *)p, 4), &cp);
		if (n > 0 && sw_utf8_is_control(cp)) {
			kv_putc(b, ' ');
			p += n;
			continue;
		}
		if (quote && (*p == '"' || *p == '\\'))
			kv_putc(b, '\\');
		if (n == 0) {
			kv_putc(b, '?');
			p++;
			continue;
		}
		for (i = 0; i < n; i++)
			kv_putc(b, (char)p[i]);
		p += n;
	}
}

/* A bare value must not hold a space, '"', '=', '\\' or a control. */
static int
kv_needs_quote(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= 0x20 || *s == '"' || *s == '=' ||
		    *s == '\\' || *s == 0x7f)
			return (1);
	}
	return (0);
}

static void
kv_field(struct kvbuf *b, const char *key, const char *value, int quote)
{
	if (b->len > 0)
		kv_putc(b, ' ');
	kv_puts(b, key);
	kv_putc(b, '=');
	if (!quote && (value == NULL || *value == '\0')) {
		kv_putc(b, '-');
		return;
	}
	if (!quote && kv_needs_quote(value))
		quote = 1;
	if (quote)
		kv_putc(b, '"');
	kv_put_clean(b, value != NULL ? value : "", quote);
	if (quote)
		kv_putc(b, '"');
}

char *
alert_format_kv(const struct alert *a)
{
	struct kvbuf	b = { NULL, 0, 0 };
	char		num[32], when[48], inc[ALERT_INCOMPLETE_LEN];

	kv_field(&b, "rule", a->rule, 0);
	kv_field(&b, "severity", alert_severity_name(a->severity), 0);
	kv_field(&b, "call_id", a->call_id, 0);
	kv_field(&b, "src", a->src, 0);
	kv_field(&b, "dst", a->dst, 0);
	if (a->code != 0)
		snprintf(num, sizeof num, "%d", a->code);
	else
		num[0] = '\0';
	kv_field(&b, "code", num, 0);
	kv_field(&b, "method", a->method, 0);
	if (a->kb_code != 0)
		snprintf(num, sizeof num, "%d", a->kb_code);
	else
		num[0] = '\0';
	kv_field(&b, "kb", num, 0);
	if (a->target != NULL && *a->target != '\0')
		kv_field(&b, "target", a->target, 0);
	if (a->agent[0] != '\0')
		kv_field(&b, "agent", a->agent, 0);
	if (*alert_incomplete(a, inc, sizeof inc) != '\0')
		kv_field(&b, "incomplete", inc, 0);
	kv_field(&b, "event", alert_event_name(a->event), 0);
	if (a->incident[0] != '\0') {
		kv_field(&b, "incident", a->incident, 0);
		kv_field(&b, "subject", a->subject, 0);
	}
	snprintf(num, sizeof num, "%llu", (unsigned long long)a->count);
	kv_field(&b, "count", num, 0);
	kv_field(&b, "first", sw_time_rfc3339(a->first_us, 0, when,
	    sizeof when), 0);
	kv_field(&b, "last", sw_time_rfc3339(a->last_us, 0, when,
	    sizeof when), 0);
	sw_time_rfc3339(a->ts_us, 6, when, sizeof when);
	kv_field(&b, "time", when, 0);
	kv_field(&b, "summary", a->summary, 1);
	kv_field(&b, "advice", a->advice, 1);
	return (b.s);
}

/* ------------------------------------------------------------------ */
/* The local sink. */

struct alert_syslog {
	struct asock	*sock;
	int		 facility;
	char		*path;		/* the socket, for the report */
};

static void *
alert_syslog_open(const char *target, char **cause)
{
	struct alert_syslog	*sl;
	const char		*path;
	char			*name;
	int			 facility;

	if (alert_target_split(target, &facility, &path, cause) == -1)
		return (NULL);
	if (path == NULL || *path == '\0')
		path = SYSLOG_DEFAULT_SOCKET;
	sl = xcalloc(1, sizeof *sl);
	sl->facility = facility;
	sl->path = xstrdup(path);
	name = xasprintf("syslog %s", path);
	sl->sock = asock_open(ASOCK_UNIX_DGRAM, path, NULL, name, cause);
	free(name);
	if (sl->sock == NULL) {
		free(sl->path);
		free(sl);
		return (NULL);
	}
	return (sl);
}

static void
alert_syslog_emit(void *state, const struct alert *a)
{
	struct alert_syslog	*sl = state;
	struct tm		 tm;
	time_t			 now;
	char			*line, *msg, stamp[32];

	/* The header's time is when the message is logged, as syslog(3). */
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &tm) == 0)
		strcpy(stamp, "Jan  1 00:00:00");
	line = alert_format_kv(a);
	msg = xasprintf("<%d>%s %s[%ld]: %s", sl->facility * 8 +
	    alert_syslog_severity(a), stamp, SYSLOG_IDENT, (long)getpid(),
	    line);
	asock_send(sl->sock, msg, strlen(msg));
	free(msg);
	free(line);
}

static void
alert_syslog_flush(void *state)
{
	struct alert_syslog	*sl = state;

	asock_flush(sl->sock);
}

static void
alert_syslog_close(void *state)
{
	struct alert_syslog	*sl = state;

	if (sl == NULL)
		return;
	asock_close(sl->sock);
	free(sl->path);
	free(sl);
}

static void
alert_syslog_drain(void *state)
{
	struct alert_syslog	*sl = state;

	asock_drain(sl->sock);
}

static void
alert_syslog_counts(void *state, struct sw_sink *out)
{
	struct alert_syslog	*sl = state;

	out->target = sl->path;
	asock_counts(sl->sock, out);
}

const struct alert_sink_ops alert_sink_syslog = {
	.name = "syslog",
	.open = alert_syslog_open,
	.emit = alert_syslog_emit,
	.close = alert_syslog_close,
	.flush = alert_syslog_flush,
	.drain = alert_syslog_drain,
	.counts = alert_syslog_counts,
};
