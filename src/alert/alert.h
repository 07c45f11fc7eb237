/*
 * alert.h: alerts and the sinks they are written to.
 *
 * An alert line is about an incident: the verdict of one rule (src/rules)
 * about one subject (a call, a server, a source IP, an AOR), decided by
 * the tracker (src/track).  The first occurrence raises the incident;
 * later ones update it (how many, first and last time, the latest
 * example), a burst-type incident is cleared when its condition has been
 * absent for the hold time, and the rate limit (alert-rate.h) may hold
 * lines back and say so.  struct alert is self-contained: every
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
#define ALERT_AGENT_LEN		72	/* "4294967295@" + an address */
#define ALERT_INCIDENT_LEN	17	/* 16 hex digits, NUL included */

/*
 * What an alert line reports (doc/ALERTS.md, "Incidents").  The tracker
 * raises, updates and clears incidents; the rate limit (alert-rate.h)
 * adds SUPPRESSED lines.  All go to the same sinks in the same formats.
 */
enum alert_event {
	ALERT_EVENT_RAISE = 0,	/* a new incident */
	ALERT_EVENT_UPDATE,	/* more occurrences of an open incident */
	ALERT_EVENT_CLEAR,	/* its condition absent for the hold time */
	ALERT_EVENT_SUPPRESSED,	/* the rate limit held back COUNT lines */
	ALERT_EVENT_LOST	/* an alert file could not take COUNT alerts
				   (alert-file.c: the gap line) */
};

/* "raise", "update", "clear", "suppressed", "lost"; "?" out of range. */
const char	*alert_event_name(enum alert_event);

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
	int			 gap;		/* the stream behind the verdict had
					   a capture gap: data may be missing */
	int			 partial_parse;	/* a message behind the verdict was
					   salvaged after a parse error (only
					   its tracking fields were read) */
	int			 drops_nearby;	/* the capture dropped packets
					   (pcap_stats) near the verdict */
	char			*target;	/* owned: AOR or user the rule is
						   about (auth-failure-burst,
						   premature-retry), else "" */
	enum alert_event	 event;
	char			 incident[ALERT_INCIDENT_LEN];	/* stable id
						   of the incident, "" for
						   SUPPRESSED */
	char			*subject;	/* owned: what the incident is
						   about, "server 192.0.2.1:5060",
						   "call abc@host" ...; or "" */
	uint64_t		 count;		/* occurrences so far (SUPPRESSED:
						   lines held back) */
	int64_t			 first_us;	/* first occurrence (µs) */
	int64_t			 last_us;	/* latest occurrence (µs) */
	char			 agent[ALERT_AGENT_LEN];	/* HEP capture
						   agent that reported the
						   message ("ID@IP"), or "" */
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
 * when 0), summary, advice, event; incident, subject, count, first and
 * last (seconds) for an incident's lines, count, first and last for
 * SUPPRESSED; "target", "gap", "partial_parse", "drops_nearby" and
 * "agent" when set.  Returns a new
 * reference, never NULL.
 * Declared as void * so this header does not need jansson.h; it is a
 * json_t *.
 */
void	*alert_to_json(const struct alert *a);

/*
 * Which of A's evidence flags are set, as a comma-separated list of their
 * JSON names ("gap,partial_parse,drops_nearby"), into BUF (LEN bytes, at
 * least ALERT_INCOMPLETE_LEN); "" when none.  Returns BUF.
 */
#define ALERT_INCOMPLETE_LEN	32
const char	*alert_incomplete(const struct alert *a, char *buf, size_t len);

/*
 * One readable line for A, without the newline: "2024-01-02T03:04:05.
 * 123456Z warning refer-no-notify call-id src -> dst METHOD code:
 * summary -- advice", with " via AGENT" after dst when the agent is
 * set, and the event word ("update", "clear") before the rule for lines
 * other than RAISE.  Time in UTC.  Control characters and bytes that are
 * not UTF-8 (from header values) are escaped as \xHH (sw_utf8_escape()).
 * Caller frees.
 */
char	*alert_format_text(const struct alert *a);

/*
 * A sink.  open() gets the target named on the command line (a file
 * name, "-" for standard output) and returns the sink's state, or NULL
 * with *CAUSE set (caller frees).  emit() writes one alert (it must not
 * keep pointers into it after returning: copy what it keeps).  close()
 * flushes and frees the state; a sink with queued output (a syslog
 * socket, a full disk) tries to deliver it first, waiting a bounded
 * time.  Write errors are reported once on stderr, counted, and do not
 * stop the run.
 *
 * Optional (NULL when the sink has none): reopen() closes and reopens
 * the target (SIGHUP, after logrotate moved the file away); flush() is
 * called regularly (every poll of a live capture, every batch of a file)
 * to send queued output and retry lost connections, without blocking.
 *
 * drain() ends the run: what is queued is delivered, waiting a bounded
 * time (ASOCK_CLOSE_WAIT_MS), and what is left is counted as lost; no
 * alert is emitted after it, and close() then only frees.  The report is
 * built between the two, so that its figures are final.
 *
 * counts() fills the sent / failed / dropped / queued figures of what
 * the sink was given (core/sink.h; the kind is the ops' name) and the
 * target it writes to (borrowed from the state).
 */
struct sw_sink;

struct alert_sink_ops {
	const char	*name;		/* the kind in core/sink.h */
	void		*(*open)(const char *target, char **cause);
	void		 (*emit)(void *state, const struct alert *);
	void		 (*close)(void *state);
	void		 (*reopen)(void *state);
	void		 (*flush)(void *state);
	void		 (*drain)(void *state);
	void		 (*counts)(void *state, struct sw_sink *);
};

/* JSON lines: one compact object (alert_to_json()) and "\n" per alert. */
extern const struct alert_sink_ops alert_sink_json;
/* One alert_format_text() line per alert. */
extern const struct alert_sink_ops alert_sink_text;
/*
 * Local syslog (alert-syslog.c): one message per alert in the
 * alert_format_kv() format, priority from the severity, ident
 * "sipwatch[PID]", sent as an RFC 3164 datagram to a local socket.
 * TARGET is "FACILITY" or "FACILITY:SOCKET" (FACILITY a name such as
 * "local0" or "daemon"; SOCKET default /dev/log).
 */
extern const struct alert_sink_ops alert_sink_syslog;
/*
 * Remote syslog (alert-remote.c): RFC 5424 messages, the alert fields as
 * STRUCTURED-DATA, over UDP (RFC 5426) or TCP with octet counting (RFC
 * 6587 3.4.1).  TARGET is "FACILITY:udp://HOST:PORT" or
 * "FACILITY:tcp://HOST:PORT" (HOST a name, an IPv4 address or an IPv6
 * address in brackets).
 */
extern const struct alert_sink_ops alert_sink_remote;

/*
 * The syslog facility code (RFC 5424 6.2.1: 0..23) for NAME ("kern",
 * "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp",
 * "cron", "authpriv", "ftp", "local0".."local7"; case-insensitive), or
 * -1.
 */
int	alert_syslog_facility(const char *name);

/* The syslog severity (RFC 5424 6.2.1: 2 crit .. 6 info) of A. */
int	alert_syslog_severity(const struct alert *a);

/*
 * A as one grep-friendly line of key=value pairs, without newline:
 * rule= severity= call_id= src= dst= code= [method= kb=] [target=]
 * [agent=] [incomplete=gap,partial_parse,drops_nearby] event=
 * [incident= subject= count= first= last=] time= summary="..."
 * advice="...".  Values without
 * space, '"' or '=' are bare ("-" when empty); summary and advice are
 * always quoted, with '"' and '\' escaped by '\'; control characters
 * become spaces and bytes that are not UTF-8 become '?'.  Caller frees.
 */
char	*alert_format_kv(const struct alert *a);

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

/* Call every sink's reopen() (SIGHUP). */
void	alert_out_reopen(struct alert_out *out);

/* Call every sink's flush(): send queued output, never block. */
void	alert_out_flush(struct alert_out *out);

/*
 * Call every sink's drain() (the end of the run): queued output is
 * delivered or counted as lost, waiting a bounded time per sink.  NULL
 * is accepted.
 */
void	alert_out_drain(struct alert_out *out);

/* Number of sinks in OUT. */
unsigned alert_out_count(const struct alert_out *out);

/*
 * The figures of each sink of OUT (in the order they were added), into
 * V[0 .. MAX): returns how many were filled.  The strings in V are
 * borrowed from OUT.  NULL is accepted (0).
 */
unsigned alert_out_sinks(const struct alert_out *out, struct sw_sink *v,
	    unsigned max);

/* Close every sink and free OUT.  NULL is accepted. */
void	alert_out_close(struct alert_out *out);

#endif
