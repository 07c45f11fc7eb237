/*
 * alert-file.c: the two sinks that write lines to a file or to standard
 * output: JSON lines (alert_sink_json) and readable text (alert_sink_text).
 *
 * Files are opened for appending, so several runs can collect into one
 * file.  Each alert is flushed as it is written: a reader tailing the
 * file (or a pipe) sees it when it fires, not at exit.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alert/alert.h"
#include "core/log.h"
#include "core/xmalloc.h"

struct alert_file {
	FILE	*fp;
	char	*name;
	int	 is_stdout;
	int	 failed;	/* a write error was reported */
};

static void *
alert_file_open(const char *target, char **cause)
{
	struct alert_file	*f;
	FILE			*fp;

	if (target == NULL || strcmp(target, "-") == 0) {
		f = xcalloc(1, sizeof *f);
		f->fp = stdout;
		f->name = xstrdup("standard output");
		f->is_stdout = 1;
		return (f);
	}
	if ((fp = fopen(target, "a")) == NULL) {
		*cause = xasprintf("%s: %s", target, strerror(errno));
		return (NULL);
	}
	f = xcalloc(1, sizeof *f);
	f->fp = fp;
	f->name = xstrdup(target);
	return (f);
}

static void
alert_file_write(struct alert_file *f, const char *line)
{
	if (fputs(line, f->fp) == EOF || fputc('\n', f->fp) == EOF ||
	    fflush(f->fp) == EOF) {
		/* | head went away: the run ends, quietly. */
		if (f->is_stdout && log_stdout_epipe(errno)) {
			f->failed = 1;
			return;
		}
		if (!f->failed)
			log_warn("alerts: %s", f->name);
		f->failed = 1;
	}
}

/*
 * SIGHUP: reopen the file by name (logrotate moved it away).  The new
 * file is opened before the old one is closed, so when it cannot be (no
 * permission after -Z) alerts keep going to the old one.
 */
static void
alert_file_reopen(void *state)
{
	struct alert_file	*f = state;
	FILE			*fp;

	if (f->is_stdout)
		return;
	if ((fp = fopen(f->name, "a")) == NULL) {
		log_warn("alerts: cannot reopen %s", f->name);
		return;
	}
	if (fclose(f->fp) == EOF && !f->failed)
		log_warn("alerts: %s", f->name);
	f->fp = fp;
	f->failed = 0;
}

static void
alert_file_close(void *state)
{
	struct alert_file	*f = state;

	if (f == NULL)
		return;
	if (f->is_stdout)
		(void)fflush(f->fp);
	else if (fclose(f->fp) == EOF && !f->failed)
		log_warn("alerts: %s", f->name);
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
	alert_file_write(state, s);
	free(s);
}

static void
alert_text_emit(void *state, const struct alert *a)
{
	char	*s = alert_format_text(a);

	alert_file_write(state, s);
	free(s);
}

const struct alert_sink_ops alert_sink_json = {
	.name = "json",
	.open = alert_file_open,
	.emit = alert_json_emit,
	.close = alert_file_close,
	.reopen = alert_file_reopen,
};

const struct alert_sink_ops alert_sink_text = {
	.name = "text",
	.open = alert_file_open,
	.emit = alert_text_emit,
	.close = alert_file_close,
	.reopen = alert_file_reopen,
};
