/*
 * alert-file.c: the two sinks that write lines to a file or to standard
 * output: JSON lines (alert_sink_json) and readable text (alert_sink_text).
 *
 * Files are opened for appending, so several runs can collect into one
 * file.  Each alert is written as it fires, with one write(2) of the
 * whole line: a reader tailing the file (or a pipe) sees it at once, not
 * at exit.
 *
 * A line is in the file whole or not at all.  When a write fails (a full
 * filesystem), what part of the line reached a regular file is cut off
 * again, the line is kept in a backlog (ALERT_FILE_BACKLOG lines or
 * ALERT_FILE_BACKLOG_BYTES at most), and writing is retried after 1 s,
 * doubling up to 8 s of wall clock (which only paces retries), and at
 * exit.  The backlog goes out first, in order.  When the backlog is full
 * its oldest line is dropped; the gap is then marked in the file by one
 * line of event "lost" (rule "alerts-lost") saying how many alerts are
 * missing there (count, and the times of the first and last of them),
 * so the file stays valid JSON lines and says what it lacks.  The
 * failure is reported once on stderr, and again when writing works after
 * it.
 *
 * Standard output whose reader went away (EPIPE: sipwatch ... | head) is
 * the end of that output, not a failure to retry: nothing more is
 * written or said, and every line held back or emitted later counts as
 * failed; the engine then ends the run (log_stdout_closed()).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "alert/alert.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/sink.h"
#include "core/xmalloc.h"

#define ALERT_FILE_BACKLOG		4096		/* lines kept */
#define ALERT_FILE_BACKLOG_BYTES	(4u << 20)	/* bytes kept */
#define ALERT_FILE_RETRY_MIN_MS		1000
#define ALERT_FILE_RETRY_MAX_MS		8000

struct alert_line {
	char	*buf;		/* the line and its newline */
	size_t	 len;
	int64_t	 ts_us;		/* the alert's time */
};

struct alert_file {
	int			 fd;
	char			*name;
	int			 is_stdout;
	int			 json;		/* format of the gap line */

	struct alert_line	*q;		/* backlog: ring of
						   ALERT_FILE_BACKLOG */
	unsigned		 qhead, qn;
	size_t			 qbytes;
	int			 failing;	/* an error was reported */
	int			 closed;	/* standard output's reader went
						   away (EPIPE): nothing more */
	int			 err;		/* the last error */
	int64_t			 retry_ms;	/* next attempt (monotonic) */
	int64_t			 backoff_ms;

	uint64_t		 gap;		/* dropped, not yet marked */
	int64_t			 gap_first_us;
	int64_t			 gap_last_us;

	uint64_t		 sent;
	uint64_t		 failed;
	uint64_t		 dropped;
	uint64_t		 dropped_reported;
};

static int
alert_file_fd(const char *name)
{
	return (open(name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666));
}

static void *
alert_file_open(const char *target, int json, char **cause)
{
	struct alert_file	*f;
	int			 fd;

	if (target == NULL || strcmp(target, "-") == 0)
		fd = STDOUT_FILENO;
	else if ((fd = alert_file_fd(target)) == -1) {
		*cause = xasprintf("%s: %s", target, strerror(errno));
		return (NULL);
	}
	f = xcalloc(1, sizeof *f);
	f->fd = fd;
	f->is_stdout = fd == STDOUT_FILENO;
	f->name = xstrdup(f->is_stdout ? "-" : target);
	f->json = json;
	f->q = xcalloc(ALERT_FILE_BACKLOG, sizeof *f->q);
	return (f);
}

static void *
alert_json_open(const char *target, char **cause)
{
	return (alert_file_open(target, 1, cause));
}

static void *
alert_text_open(const char *target, char **cause)
{
	return (alert_file_open(target, 0, cause));
}

/*
 * Write LEN bytes at BUF whole.  Returns 0, or -1 with errno set; then
 * nothing of it is left in a regular file (what was written is cut off
 * again, unless another writer appended meanwhile).
 */
static int
alert_file_put(struct alert_file *f, const char *buf, size_t len)
{
	struct stat	sb;
	off_t		start = -1;
	size_t		off = 0;
	ssize_t		w;
	int		err;

	if (fstat(f->fd, &sb) == 0 && S_ISREG(sb.st_mode))
		start = sb.st_size;
	while (off < len) {
		w = write(f->fd, buf + off, len - off);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		err = w == 0 ? ENOSPC : errno;
		if (off > 0 && start != -1 && fstat(f->fd, &sb) == 0 &&
		    sb.st_size == start + (off_t)off &&
		    ftruncate(f->fd, start) == -1)
			log_debug("alerts: %s: ftruncate: %s", f->name,
			    strerror(errno));
		errno = err;
		return (-1);
	}
	return (0);
}

static void alert_file_pop(struct alert_file *);

/*
 * A write failed with ERR: say so once, and pause.  Standard output
 * whose reader went away (sipwatch ... | head) is not an error to say:
 * the run ends quietly (log_stdout_epipe()), what is held back and what
 * comes next count as failed.
 */
static void
alert_file_failed(struct alert_file *f, int err)
{
	if (f->is_stdout && log_stdout_epipe(err)) {
		f->closed = 1;
		f->failed += f->qn;
		while (f->qn > 0)
			alert_file_pop(f);
		f->gap = 0;
		return;
	}
	if (!f->failing)
		log_warnx("alerts: %s: %s; alerts are kept (up to %d) and "
		    "written when it works again", f->name, strerror(err),
		    ALERT_FILE_BACKLOG);
	f->failing = 1;
	f->err = err;
	f->retry_ms = sw_clock_ms(CLOCK_MONOTONIC) + sw_backoff_ms(
	    &f->backoff_ms, ALERT_FILE_RETRY_MIN_MS, ALERT_FILE_RETRY_MAX_MS);
}

/* The line that marks GAP alerts missing here, in the file's format. */
static char *
alert_file_gap_line(struct alert_file *f, size_t *len)
{
	struct alert	 a;
	json_t		*o;
	char		*s, *line;

	alert_init(&a, f->gap_first_us, "alerts-lost", ALERT_WARNING, NULL,
	    0, NULL, NULL, NULL, 0);
	a.event = ALERT_EVENT_LOST;
	a.count = f->gap;
	a.first_us = f->gap_first_us;
	a.last_us = f->gap_last_us;
	free(a.summary);
	a.summary = xasprintf("%llu alert(s) could not be written to this "
	    "file here (%s); the report counts them all",
	    (unsigned long long)f->gap, strerror(f->err));
	if (f->json) {
		o = alert_to_json(&a);
		s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(16));
		json_decref(o);
		if (s == NULL)
			fatalx("alerts: cannot format JSON");
	} else
		s = alert_format_text(&a);
	alert_clear(&a);
	line = xasprintf("%s\n", s);
	free(s);
	*len = strlen(line);
	return (line);
}

static void
alert_file_pop(struct alert_file *f)
{
	struct alert_line	*l = &f->q[f->qhead];

	f->qbytes -= l->len;
	free(l->buf);
	l->buf = NULL;
	f->qhead = (f->qhead + 1) % ALERT_FILE_BACKLOG;
	f->qn--;
}

/*
 * Write the gap line and the backlog, in order, until a write fails.
 * Returns 0 when all of it is written.
 */
static int
alert_file_drain(struct alert_file *f)
{
	struct alert_line	*l;
	char			*line;
	size_t			 len;
	uint64_t		 was = f->sent;

	if (f->gap > 0) {
		line = alert_file_gap_line(f, &len);
		if (alert_file_put(f, line, len) == -1) {
			free(line);
			alert_file_failed(f, errno);
			return (-1);
		}
		free(line);
		f->gap = 0;
	}
	while (f->qn > 0) {
		l = &f->q[f->qhead];
		if (alert_file_put(f, l->buf, l->len) == -1) {
			alert_file_failed(f, errno);
			return (-1);
		}
		alert_file_pop(f);
		f->sent++;
	}
	if (f->failing) {
		log_warnx("alerts: %s: writing again (%llu alert(s) held back "
		    "written, %llu lost)", f->name,
		    (unsigned long long)(f->sent - was),
		    (unsigned long long)(f->dropped - f->dropped_reported));
		f->dropped_reported = f->dropped;
		f->failing = 0;
		f->backoff_ms = 0;
	}
	return (0);
}

/* Keep LINE (taken over) for later; the oldest goes when full. */
static void
alert_file_keep(struct alert_file *f, char *line, size_t len, int64_t ts)
{
	struct alert_line	*l;

	while (f->qn > 0 && (f->qn == ALERT_FILE_BACKLOG ||
	    f->qbytes + len > ALERT_FILE_BACKLOG_BYTES)) {
		l = &f->q[f->qhead];
		if (f->gap == 0)
			f->gap_first_us = l->ts_us;
		f->gap_last_us = l->ts_us;
		f->gap++;
		f->dropped++;
		alert_file_pop(f);
	}
	l = &f->q[(f->qhead + f->qn) % ALERT_FILE_BACKLOG];
	l->buf = line;
	l->len = len;
	l->ts_us = ts;
	f->qn++;
	f->qbytes += len;
}

/* One alert line (without its newline) at TS. */
static void
alert_file_line(struct alert_file *f, const char *s, int64_t ts)
{
	char	*line;
	size_t	 len;

	if (f->closed) {
		f->failed++;
		return;
	}
	line = xasprintf("%s\n", s);
	len = strlen(line);
	if (f->qn == 0 && f->gap == 0) {
		if (alert_file_put(f, line, len) == 0) {
			f->sent++;
			free(line);
			return;
		}
		alert_file_failed(f, errno);
		if (f->closed) {
			f->failed++;
			free(line);
			return;
		}
	}
	alert_file_keep(f, line, len, ts);
	if (sw_clock_ms(CLOCK_MONOTONIC) >= f->retry_ms)
		(void)alert_file_drain(f);
}

static void
alert_file_flush(void *state)
{
	struct alert_file	*f = state;

	if ((f->qn > 0 || f->gap > 0) &&
	    sw_clock_ms(CLOCK_MONOTONIC) >= f->retry_ms)
		(void)alert_file_drain(f);
}

/*
 * SIGHUP: reopen the file by name (logrotate moved it away).  The new
 * file is opened before the old one is closed, so when it cannot be (no
 * permission after -Z) alerts keep going to the old one.  What is held
 * back goes to the new file.
 */
static void
alert_file_reopen(void *state)
{
	struct alert_file	*f = state;
	int			 fd;

	if (f->is_stdout)
		return;
	if ((fd = alert_file_fd(f->name)) == -1) {
		log_warn("alerts: cannot reopen %s", f->name);
		return;
	}
	if (close(f->fd) == -1)
		log_warn("alerts: %s", f->name);
	f->fd = fd;
	f->retry_ms = 0;
	alert_file_flush(f);
}

static void
alert_file_counts(void *state, struct sw_sink *s)
{
	struct alert_file	*f = state;

	s->target = f->name;
	s->sent = f->sent;
	s->failed = f->failed;
	s->dropped = f->dropped;
	s->queued = f->qn;
}

/* The end of the run: one last try; what is still held back failed. */
static void
alert_file_end(void *state)
{
	struct alert_file	*f = state;

	if (f->qn > 0 || f->gap > 0)
		(void)alert_file_drain(f);
	if (f->qn > 0 || f->dropped > f->dropped_reported)
		log_warnx("alerts: %s: %u alert(s) could not be written, %llu "
		    "dropped when the backlog was full", f->name, f->qn,
		    (unsigned long long)(f->dropped - f->dropped_reported));
	f->dropped_reported = f->dropped;
	f->failed += f->qn;
	while (f->qn > 0)
		alert_file_pop(f);
	f->gap = 0;
}

static void
alert_file_close(void *state)
{
	struct alert_file	*f = state;

	if (f == NULL)
		return;
	alert_file_end(f);
	if (!f->is_stdout && close(f->fd) == -1)
		log_warn("alerts: %s", f->name);
	free(f->q);
	free(f->name);
	free(f);
}

static void
alert_json_emit(void *state, const struct alert *a)
{
	json_t	*o = alert_to_json(a);
	char	*s;

	s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(16));
	json_decref(o);
	if (s == NULL)
		fatalx("alerts: cannot format JSON");
	alert_file_line(state, s, a->ts_us);
	free(s);
}

static void
alert_text_emit(void *state, const struct alert *a)
{
	char	*s = alert_format_text(a);

	alert_file_line(state, s, a->ts_us);
	free(s);
}

const struct alert_sink_ops alert_sink_json = {
	.name = "alerts-json",
	.open = alert_json_open,
	.emit = alert_json_emit,
	.close = alert_file_close,
	.reopen = alert_file_reopen,
	.flush = alert_file_flush,
	.drain = alert_file_end,
	.counts = alert_file_counts,
};

const struct alert_sink_ops alert_sink_text = {
	.name = "alerts-text",
	.open = alert_text_open,
	.emit = alert_text_emit,
	.close = alert_file_close,
	.reopen = alert_file_reopen,
	.flush = alert_file_flush,
	.drain = alert_file_end,
	.counts = alert_file_counts,
};
