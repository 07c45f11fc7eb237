/*
 * alert-life.h: the alert lifecycle between the tracker and the sinks:
 * deduplication, raise and clear of burst-type rules, and a global rate
 * limit.  It decides what a syslog daemon (and, with --alerts-dedup, the
 * alert file) sees; the tracker's raw alerts are unchanged.
 *
 * - Deduplication: the first alert of a rule for a key (the rule's
 *   subject, struct rule_entry: the peer for burst and peer rules, the
 *   Call-ID for dialog rules, source IP and AOR for auth-failure-burst) goes out at
 *   once; further alerts for the same (rule, key) within the window are
 *   counted, and when the window closes one line with event "repeats"
 *   says how many ("server-error-burst from 192.0.2.10:5060: 340 more in
 *   60 s").  A window is never reopened by its own summary.
 * - Burst-type rules (server-error-burst, scanner, auth-failure-burst,
 *   retry-after-violation) raise once and stay active while their
 *   condition keeps occurring (further alerts, and alert_life_note()
 *   from the tracker for each occurrence it no longer alerts on: both
 *   are repeats); when it has been absent for the hold time, a line with
 *   event "clear" ends them.
 * - A token bucket (RATE lines per second, BURST deep) limits every
 *   line; what it holds back is counted per rule, reported by one line
 *   with event "suppressed" as soon as the bucket has room again, and in
 *   the report.
 *
 * Time is the packet time only (the alerts' times and
 * alert_life_advance()), so a replay gives the same lines as live
 * monitoring.  Every line is an alert (struct alert) written to the
 * alert_out given at creation, in time order.  The table holds at most
 * max_keys entries; when full, the entry with the oldest open window is
 * closed early (its summary says over how long it counted).
 * Single-threaded, like the tracker.
 */
#ifndef SW_ALERT_LIFE_H
#define SW_ALERT_LIFE_H

#include <stdint.h>

#include <jansson.h>

#include "alert/alert.h"
#include "rules/rules.h"

struct alert_life_opts {
	int64_t		window_us;	/* dedup window; 0: every alert goes
					   out (rate limit only), no clear */
	int64_t		hold_us;	/* burst cleared after this long */
	unsigned	rate;		/* lines per second; 0: no limit */
	unsigned	burst;		/* bucket depth (lines) */
	unsigned	max_keys;	/* table cap */
};

#define ALERT_LIFE_WINDOW_US	(60 * 1000000LL)
#define ALERT_LIFE_HOLD_US	(120 * 1000000LL)
#define ALERT_LIFE_RATE		10
#define ALERT_LIFE_BURST	50
#define ALERT_LIFE_MAX_KEYS	4096

/* Fill O with the defaults above. */
void	alert_life_opts_default(struct alert_life_opts *o);

struct alert_life;

/*
 * A lifecycle writing its lines to OUT (borrowed: it must outlive the
 * lifecycle).  O is copied.  Never NULL (aborts on allocation failure).
 */
struct alert_life *alert_life_create(const struct alert_life_opts *o,
		    struct alert_out *out);

/*
 * One raw alert from the tracker (borrowed; copied as needed).  Moves
 * the clock to its time first (alert_life_advance()).
 */
void	alert_life_emit(struct alert_life *, const struct alert *a);

/*
 * The condition of burst rule RULE (RULE_SERVER_ERROR_BURST ...) occurred
 * again at TS_US (µs, packet time) for the key made of SRC ("ip:port",
 * borrowed) and TARGET (AOR, or NULL): one more repeat (another 5xx in
 * the burst, another request from the scanner ...), counted in the
 * window's summary, and the burst stays active.  Ignored when no such
 * burst is active.  Cannot fail.
 */
void	alert_life_note(struct alert_life *, enum rule_id rule, int64_t ts_us,
	    const char *src, const char *target);

/* Number of burst entries currently active (0: notes can be skipped). */
unsigned alert_life_active(const struct alert_life *);

/*
 * Move the clock to NOW_US (µs, packet time): close windows, clear
 * bursts and report suppressed lines whose time has come, in time
 * order.  An earlier NOW_US is ignored.
 */
void	alert_life_advance(struct alert_life *, int64_t now_us);

/*
 * End of the run at NOW_US (the last packet time): every open window
 * writes its summary now (over the time it was open), and suppressed
 * lines not yet reported are; these lines bypass the rate limit, so
 * nothing counted is left unsaid.  Active bursts are not cleared (their
 * condition was not seen to end): they are counted in the report.
 */
void	alert_life_finish(struct alert_life *, int64_t now_us);

/*
 * Add the "alert_lifecycle" section to the report object ROOT (the
 * signature of report_src.extend; ARG is the struct alert_life):
 * settings, alerts in, lines raised, repeats, summaries, clears,
 * suppressed (with by_rule), active bursts, evictions.
 */
void	alert_life_report(json_t *root, void *arg);

/* Free everything.  NULL is accepted. */
void	alert_life_destroy(struct alert_life *);

#endif
