/*
 * report.h: the end-of-run report, as JSON (--report=json, the contract
 * other tools and tests rely on; doc/REPORT.md) or text (--report=text).
 */
#ifndef SW_REPORT_H
#define SW_REPORT_H

#include <stdio.h>

#include <jansson.h>

struct stats;
struct decode_stats;

struct report_src {
	const char			*source_type;	/* "file" or "interface" */
	const char			*source_name;
	const struct stats		*stats;
	const struct decode_stats	*decode;
	unsigned			 workers;	/* parse threads */
	const char			*kernel_drops_note;	/* what
					   kernel_drops counts, when it is not
					   the packets lost (capture_drops_note());
					   NULL: nothing to say */
	/* Cost of the run (not used for any verdict; wall clock allowed). */
	double				 wall_s;
	double				 capture_cpu_s;	/* capture thread: decode, count, track */
	double				 parse_cpu_s;	/* parse workers, summed */
	/* Optional: adds sections (transactions, alerts ...) to ROOT. */
	void				(*extend)(json_t *root, void *arg);
	void				*extend_arg;
};

/*
 * Build the report object.  Returns a new reference the caller releases
 * with json_decref().  Never NULL (aborts on allocation failure).
 */
json_t	*report_build(const struct report_src *);

/*
 * Write the report as one JSON object and a newline to FP, and flush it.
 * Returns 0, or -1 with errno set when any of it could not be written
 * (ENOSPC on a full disk or /dev/full, EPIPE ...): the caller must then
 * say so and fail (a missing report must not look like a run that
 * found nothing).
 */
int	 report_print_json(const struct report_src *, FILE *fp);

/*
 * Write every counter of the report as text to FP and flush it
 * (--report=full).  As above.
 */
int	 report_print_text(const struct report_src *, FILE *fp);
/*
 * Write the report for a person to FP (--report=text, the default of
 * -N; report-summary.c): a summary (the capture, its time span in UTC,
 * the messages, the calls and why they failed, the incidents by rule),
 * then the failed calls and the incidents, in 80 columns.  0 or -1.
 */
int	 report_print_summary(const struct report_src *, FILE *fp);

struct sw_sink;

/*
 * Add "sinks" to ROOT: one object per output of V[0 .. N) (core/sink.h):
 * sink, target, sent, failed, dropped, queued.  Always present (an
 * empty array when there is no output).
 */
void	 report_sinks(json_t *root, const struct sw_sink *v, unsigned n);

/* Seconds since the epoch, µs precision, as a JSON real. */
json_t	*report_time(int64_t ts_us);

#endif
