/*
 * xmalloc.h: allocation that never returns NULL.
 *
 * Used for small, fixed allocations whose size does not depend on traffic.
 * Growth driven by traffic goes through the budget checks of the table that
 * grows (track, decode), never through these unchecked.
 */
#ifndef SW_XMALLOC_H
#define SW_XMALLOC_H

#include <stddef.h>

/*
 * Allocate SIZE bytes (or NMEMB * SIZE, zeroed, for xcalloc).  On failure
 * or on a zero size the process is aborted with a message: these never
 * return NULL.  The caller owns the memory and frees it with free(3).
 */
void	*xmalloc(size_t size);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *ptr, size_t size);
void	*xreallocarray(void *ptr, size_t nmemb, size_t size);

/* Duplicate a NUL-terminated string / LEN bytes plus a NUL.  Caller frees. */
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t len);

/* printf into a new string; aborts on failure.  Caller frees. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
