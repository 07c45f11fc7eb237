/*
 * log.h: diagnostics on stderr.
 *
 * fatal/fatalx are for bugs and unrecoverable setup failures only; bad
 * traffic never reaches them (it is counted as an event instead).
 */
#ifndef SW_LOG_H
#define SW_LOG_H

/* Verbosity: 0 quiet (errors only), 1 normal, 2+ debug.  Default 1. */
void	log_set_verbosity(int level);
int	log_get_verbosity(void);

/* Print "sipwatch: <message>" on stderr (warnings, setup errors). */
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As log_warnx, with ": strerror(errno)" appended. */
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Debug output, only at verbosity >= 2. */
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A write to standard output failed with ERR (an errno value).  EPIPE
 * means its reader went away (sipwatch ... | head): that is remembered
 * and 1 is returned, and the writer says nothing; the run then ends
 * quietly, as tcpdump does when SIGPIPE ends it.  Any other error: 0,
 * for the writer to report.  Async-signal-safe flag; no RFC.
 */
int	log_stdout_epipe(int err);
/* Did a write to standard output meet EPIPE (log_stdout_epipe())? */
int	log_stdout_closed(void);

/* Print and exit(1); fatal appends strerror(errno).  Never return. */
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
