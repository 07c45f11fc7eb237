/*
 * alert.h: alerts and the sinks they are written to.
 *
 * An alert is the verdict of one rule (src/rules) about one message, made
 * certain at one packet time.  struct alert is self-contained: every
 * string is copied into it, so a sink may keep it, queue it or hand it to
 * another thread without looking back at the tracker.
 *
 * A sink is a const struct alert_sink_ops (open / emit / close) plus the
 * state its open() returned.  Two sinks are built in: JSON lines
 * (alert_sink_json, one object per line, doc/ALERTS.md) and one readable
 * line per alert (alert_sink_text).  struct alert_out fans an alert out
 * to every sink opened on it, in the order they were added.  Alerts are
 * emitted on the main thread, in packet-time order.
 */
#ifndef SW_ALERT_H
#define SW_ALERT_H

#include <stdint.h>
#include <stdio.h>

/* Severity, most severe first (syslog order). */
enum alert_severity {
	ALERT_CRITICAL = 0,
	ALERT_ERROR,
	ALERT_WARNING,
	ALERT_NOTICE,
	ALERT_INFO,
	ALERT_SEVERITY_COUNT
};

/*
 * "critical", "error", "warning", "notice", "info" (the syslog names,
 * RFC 5424 6.2.1); "?" out of range.  A static string.
 */
const char	*alert_severity_name(enum alert_severity);

#define ALERT_RULE_LEN		32	/* longest rule id, NUL included */
#define ALERT_METHOD_LEN	32	/* longest method name kept */
#define ALERT_ADDR_LEN		56	/* SW_ADDRSTRLEN */

struct alert {
	int64_t			 ts_us;		/* packet time the verdict became
						   certain, µs since the epoch */
	char			 rule[ALERT_RULE_LEN];	/* "refer-no-notify" */
	enum alert_severity	 severity;
	int			 kb_code;	/* knowledge-base code, 0 none */
	char			*call_id;	/* owned; "" when unknown */
	char			 src[ALERT_ADDR_LEN];	/* "ip:port" or "" */
	char			 dst[ALERT_ADDR_LEN];
	char			 method[ALERT_METHOD_LEN];	/* "" if none */
	int			 code;		/* status code, 0 when none */
	char			*summary;	/* owned: what happened */
	char			*advice;	/* owned: what to do */
};

/*
 * Fill A from the arguments, copying every string (NULL is stored as "").
 * CALL_ID is CALL_ID_LEN bytes (need not be NUL-terminated).  TS_US is µs
 * since the epoch.  summary and advice start as empty malloc'd strings
 * the caller may free and replace.  Release with alert_clear().  Never
 * fails (aborts on allocation failure).  The alert helpers implement no
 * RFC; the rules that fill them cite theirs.
 */
void	alert_init(struct alert *a, int64_t ts_us, const char *rule,
	    enum alert_severity, const char *call_id, size_t call_id_len,
	    const char *src, const char *dst, const char *method, int code);

/* Free the strings A owns and zero it.  A zeroed alert is accepted. */
void	alert_clear(struct alert *a);

/*
 * Deep copy of SRC into DST: DST is overwritten, not cleared first, and
 * owns its own strings afterwards.  Aborts on allocation failure.
 */
void	alert_copy(struct alert *dst, const struct alert *src);

/*
 * The JSON object for A (jansson): time (seconds since the epoch, µs
 * precision), rule, severity, kb, call_id, src, dst, method, code (null
 * when 0), summary, advice.  Returns a new reference, never NULL.
 * Declared as void * so this header does not need jansson.h; it is a
 * json_t *.
 */
void	*alert_to_json(const struct alert *a);

/*
 * One readable line for A, without the newline: "2024-01-02T03:04:05.
 * 123456Z warning refer-no-notify call-id src -> dst METHOD code:
 * summary -- advice".  Time in UTC.  Caller frees.
 */
char	*alert_format_text(const struct alert *a);

/*
 * A sink.  open() gets the target named on the command line (a file
 * name, "-" for standard output) and returns the sink's state, or NULL
 * with *CAUSE set (caller frees).  emit() writes one alert (it must not
 * keep pointers into it after returning: copy what it keeps).  close()
 * flushes and frees the state.  Write errors are reported once on
 * stderr and do not stop the run.
 */
struct alert_sink_ops {
	const char	*name;
	void		*(*open)(const char *target, char **cause);
	void		 (*emit)(void *state, const struct alert *);
	void		 (*close)(void *state);
};

/* JSON lines: one compact object (alert_to_json()) and "\n" per alert. */
extern const struct alert_sink_ops alert_sink_json;
/* One alert_format_text() line per alert. */
extern const struct alert_sink_ops alert_sink_text;

/* The set of open sinks alerts are written to. */
struct alert_out;

/*
 * An empty set, owned by the caller.  Never NULL (aborts on allocation
 * failure).  Free with alert_out_close().
 */
struct alert_out	*alert_out_create(void);

/*
 * Open OPS on TARGET and add it to OUT.  Returns 0, or -1 with *CAUSE set
 * (caller frees) when the sink cannot be opened.
 */
int	alert_out_add(struct alert_out *out, const struct alert_sink_ops *ops,
	    const char *target, char **cause);

/*
 * Write A (borrowed) to every sink of OUT, in the order they were added.
 * Write errors are reported by the sinks, not returned.
 */
void	alert_out_emit(struct alert_out *out, const struct alert *a);

/* Number of sinks in OUT. */
unsigned alert_out_count(const struct alert_out *out);

/* Close every sink and free OUT.  NULL is accepted. */
void	alert_out_close(struct alert_out *out);

#endif
