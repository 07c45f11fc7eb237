/*
 * log.c: diagnostics on stderr (see log.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

static int			log_verbosity = 1;
static volatile sig_atomic_t	log_epipe;

void
log_set_verbosity(int level)
{
	log_verbosity = level;
}

int
log_get_verbosity(void)
{
	return (log_verbosity);
}

int
log_stdout_epipe(int err)
{
	if (err != EPIPE)
		return (0);
	log_epipe = 1;
	return (1);
}

int
log_stdout_closed(void)
{
	return (log_epipe != 0);
}

static void log_vprint(const char *, va_list, int)
    __attribute__((format(printf, 1, 0)));

static void
log_vprint(const char *fmt, va_list ap, int with_errno)
{
	int	saved = errno;

	fputs("sipwatch: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap, 0);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap, 1);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbosity < 2)
		return;
	va_start(ap, fmt);
	log_vprint(fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap, 0);
	va_end(ap);
	exit(1);
}
