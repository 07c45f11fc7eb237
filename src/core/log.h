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

/* Print and exit(1); fatal appends strerror(errno).  Never return. */
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
