/*
 * alert-rate.h: the global rate limit in front of the alert sinks.
 *
 * A token bucket (RATE lines per second, BURST deep, in packet time)
 * limits every line that goes to the sinks: incidents raised, updated and
 * cleared alike.  What it holds back is counted per rule, reported by one
 * line with event "suppressed" as soon as the bucket has room again (or a
 * minute after the first line held back, during a long flood), and in the
 * report.  Time is the packet time only (the lines' times and
 * alert_rate_advance()), so a replay gives the same lines as live
 * monitoring.  Single-threaded, like the tracker.
 */
#ifndef SW_ALERT_RATE_H
#define SW_ALERT_RATE_H

#include <stdint.h>

#include <jansson.h>

#include "alert/alert.h"

#define ALERT_RATE_RATE		10	/* lines per second */
#define ALERT_RATE_BURST	50	/* bucket depth */

struct alert_rate;

/*
 * A rate limit of RATE lines per second (0: none) and BURST deep (0: 1),
 * writing to OUT (borrowed: it must outlive the limiter).  Never NULL
 * (aborts on allocation failure).
 */
struct alert_rate	*alert_rate_create(unsigned rate, unsigned burst,
			    struct alert_out *out);

/*
 * One line (borrowed): to OUT if the bucket has a token at its time,
 * else counted as suppressed.  Moves the clock to its time first.
 */
void	alert_rate_emit(struct alert_rate *, const struct alert *a);

/*
 * Move the clock to NOW_US (µs, packet time): write the "suppressed"
 * line when it is due.  An earlier NOW_US is ignored.
 */
void	alert_rate_advance(struct alert_rate *, int64_t now_us);

/* End of the run at NOW_US: report what is still held back. */
void	alert_rate_finish(struct alert_rate *, int64_t now_us);

/*
 * The "alert_rate" report section in ROOT (report_src.extend signature;
 * ARG is the struct alert_rate): rate, burst, lines written, suppressed
 * (with by_rule), suppressed notices.
 */
void	alert_rate_report(json_t *root, void *arg);

/* Free everything.  NULL is accepted. */
void	alert_rate_destroy(struct alert_rate *);

#endif
