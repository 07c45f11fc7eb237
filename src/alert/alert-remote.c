/*
 * alert-remote.c: alerts to a central syslog collector as RFC 5424
 * messages, over UDP (RFC 5426: one message per datagram) or TCP (RFC
 * 6587 3.4.1 octet counting: "LEN SP MSG", as RFC 5425 frames TLS).
 *
 *   <PRI>1 TIMESTAMP HOSTNAME sipwatch PROCID RULE [sipwatch@32473
 *   rule="..." severity="..." call_id="..." src="..." dst="..."
 *   method="..." code="..." kb="..." target="..." agent="..." event="..."
 *   incident="..." subject="..." count="..." first="..." last="..."
 *   advice="..."] BOM SUMMARY
 *
 * TIMESTAMP is the alert's packet time (RFC 5424 6.2.3: the time the
 * originator created the message; for sipwatch the moment the verdict
 * became certain), in UTC with microseconds.  MSGID is the rule id.
 * PARAM-VALUEs are UTF-8 with '"', '\' and ']' escaped (6.3.3); empty
 * parameters are left out.  The SD-ID uses 32473, the enterprise number
 * RFC 5612 reserves for documentation: sipwatch has none of its own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "alert/alert-int.h"
#include "core/hostport.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

#define REMOTE_SDID		"sipwatch@32473"
#define REMOTE_UDP_MAX		60000	/* bytes per datagram (IPv4 < 65507) */

struct alert_remote {
	struct asock	*sock;
	int		 facility;
	int		 tcp;
	char		 hostname[256];
	char		*url;		/* the collector, for the report */
};

struct rbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

static void
rbuf_add(struct rbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap == 0 ? 1024 : b->cap * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
rbuf_str(struct rbuf *b, const char *s)
{
	rbuf_add(b, s, strlen(s));
}

/* S as UTF-8 (invalid bytes '?', controls ' '), escaping with SD rules. */
static void
remote_clean(struct rbuf *b, const char *s, int sd)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 n;

	while (*p != '\0') {
		/* RFC 3629: no overlong form, surrogate or beyond U+10FFFF. */
		n = sw_utf8_seq(p, strnlen((const char *)p, 4), &cp);
		if (n > 0 && sw_utf8_is_control(cp)) {
			rbuf_add(b, " ", 1);
			p += n;
			continue;
		}
		if (sd && (*p == '"' || *p == '\\' || *p == ']'))
			rbuf_add(b, "\\", 1);
		if (n == 0 || n > 4) {	/* (never above 4: RFC 3629) */
			rbuf_add(b, "?", 1);
			p++;
			continue;
		}
		rbuf_add(b, (const char *)p, n);
		p += n;
	}
}

static void
remote_param(struct rbuf *b, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	rbuf_str(b, " ");
	rbuf_str(b, name);
	rbuf_str(b, "=\"");
	remote_clean(b, value, 1);
	rbuf_str(b, "\"");
}

/* An RFC 5424 header field: printable US-ASCII, or "-" (6.2). */
static void
remote_header_field(struct rbuf *b, const char *s, size_t max)
{
	size_t	n = 0;

	for (; *s != '\0' && n < max; s++) {
		if (*s > 32 && *s < 127) {
			rbuf_add(b, s, 1);
			n++;
		}
	}
	if (n == 0)
		rbuf_str(b, "-");
}

static char *
remote_format(struct alert_remote *r, const struct alert *a, size_t *lenp)
{
	struct rbuf	 b = { NULL, 0, 0 }, m = { NULL, 0, 0 };
	char		 num[64], when[SW_TIME_LEN], inc[ALERT_INCOMPLETE_LEN];

	snprintf(num, sizeof num, "<%d>1 ", r->facility * 8 +
	    alert_syslog_severity(a));
	rbuf_str(&b, num);
	rbuf_str(&b, sw_time_rfc3339(a->ts_us, 6, when, sizeof when));
	rbuf_str(&b, " ");
	remote_header_field(&b, r->hostname, 255);
	snprintf(num, sizeof num, " sipwatch %ld ", (long)getpid());
	rbuf_str(&b, num);
	remote_header_field(&b, a->rule, 32);

	rbuf_str(&b, " [" REMOTE_SDID);
	remote_param(&b, "rule", a->rule);
	remote_param(&b, "severity", alert_severity_name(a->severity));
	remote_param(&b, "call_id", a->call_id);
	remote_param(&b, "src", a->src);
	remote_param(&b, "dst", a->dst);
	remote_param(&b, "method", a->method);
	if (a->code != 0) {
		snprintf(num, sizeof num, "%d", a->code);
		remote_param(&b, "code", num);
	}
	if (a->kb_code != 0) {
		snprintf(num, sizeof num, "%d", a->kb_code);
		remote_param(&b, "kb", num);
	}
	remote_param(&b, "target", a->target);
	remote_param(&b, "agent", a->agent);
	remote_param(&b, "incomplete", alert_incomplete(a, inc, sizeof inc));
	remote_param(&b, "event", alert_event_name(a->event));
	remote_param(&b, "incident", a->incident);
	remote_param(&b, "subject", a->subject);
	snprintf(num, sizeof num, "%llu", (unsigned long long)a->count);
	remote_param(&b, "count", num);
	remote_param(&b, "first", sw_time_rfc3339(a->first_us, 0, when,
	    sizeof when));
	remote_param(&b, "last", sw_time_rfc3339(a->last_us, 0, when,
	    sizeof when));
	remote_param(&b, "advice", a->advice);
	rbuf_str(&b, "] \xef\xbb\xbf");		/* BOM: MSG is UTF-8 (6.4) */
	remote_clean(&m, a->summary != NULL ? a->summary : "", 0);
	if (m.s != NULL)
		rbuf_add(&b, m.s, m.len);
	free(m.s);

	if (!r->tcp && b.len > REMOTE_UDP_MAX)
		b.len = REMOTE_UDP_MAX;
	*lenp = b.len;
	return (b.s);
}

/* "udp://HOST:PORT", "tcp://[v6]:PORT": split; 0 or -1 with *CAUSE. */
static int
remote_parse_url(const char *url, int *tcp, char **host, char **port,
    char **cause)
{
	char	*why;

	if (strncmp(url, "udp://", 6) == 0)
		*tcp = 0;
	else if (strncmp(url, "tcp://", 6) == 0)
		*tcp = 1;
	else
		goto bad;
	if (hostport_parse(url + 6, url, host, port, &why) == 0)
		return (0);
	free(why);
bad:
	*cause = xasprintf("%s: expected udp://HOST:PORT or tcp://HOST:PORT",
	    url);
	return (-1);
}

static void *
alert_remote_open(const char *target, char **cause)
{
	struct alert_remote	*r;
	const char		*url;
	char			*host, *port, *name;
	int			 facility, tcp;

	if (alert_target_split(target, &facility, &url, cause) == -1)
		return (NULL);
	if (url == NULL || remote_parse_url(url, &tcp, &host, &port,
	    cause) == -1) {
		if (url == NULL)
			*cause = xstrdup("no collector address");
		return (NULL);
	}
	r = xcalloc(1, sizeof *r);
	r->facility = facility;
	r->tcp = tcp;
	r->url = xstrdup(url);
	if (gethostname(r->hostname, sizeof r->hostname - 1) == -1)
		strcpy(r->hostname, "-");
	name = xasprintf("syslog %s", url);
	r->sock = asock_open(tcp ? ASOCK_TCP : ASOCK_UDP, host, port, name,
	    cause);
	free(name);
	free(host);
	free(port);
	if (r->sock == NULL) {
		free(r->url);
		free(r);
		return (NULL);
	}
	return (r);
}

static void
alert_remote_emit(void *state, const struct alert *a)
{
	struct alert_remote	*r = state;
	char			*msg, *framed;
	size_t			 len, n;

	msg = remote_format(r, a, &len);
	if (!r->tcp) {
		asock_send(r->sock, msg, len);
		free(msg);
		return;
	}
	/* RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG. */
	framed = xmalloc(len + 24);
	n = (size_t)snprintf(framed, 24, "%zu ", len);
	memcpy(framed + n, msg, len);
	asock_send(r->sock, framed, n + len);
	free(framed);
	free(msg);
}

static void
alert_remote_flush(void *state)
{
	struct alert_remote	*r = state;

	asock_flush(r->sock);
}

static void
alert_remote_close(void *state)
{
	struct alert_remote	*r = state;

	if (r == NULL)
		return;
	asock_close(r->sock);
	free(r->url);
	free(r);
}

static void
alert_remote_drain(void *state)
{
	struct alert_remote	*r = state;

	asock_drain(r->sock);
}

static void
alert_remote_counts(void *state, struct sw_sink *out)
{
	struct alert_remote	*r = state;

	out->target = r->url;
	asock_counts(r->sock, out);
}

const struct alert_sink_ops alert_sink_remote = {
	.name = "syslog-remote",
	.open = alert_remote_open,
	.emit = alert_remote_emit,
	.close = alert_remote_close,
	.flush = alert_remote_flush,
	.drain = alert_remote_drain,
	.counts = alert_remote_counts,
};
