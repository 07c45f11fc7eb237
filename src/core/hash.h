/*
 * hash.h: uthash, as every table of sipwatch uses it.
 *
 * Include this instead of <uthash.h>.  uthash's bucket arrays grow with the
 * table, so their allocation goes through xmalloc() like every other fixed
 * allocation: an allocation failure ends the process with a message (see
 * core/xmalloc.h) rather than through uthash's default exit(-1) without
 * one.  The tables' sizes are bounded by their owners' caps, never by
 * uthash.
 */
#ifndef SW_HASH_H
#define SW_HASH_H

#include <stdlib.h>

#include "core/log.h"
#include "core/xmalloc.h"

#define uthash_malloc(sz)	xmalloc(sz)
#define uthash_free(ptr, sz)	free(ptr)
#ifndef uthash_fatal		/* tools/lint/cppcheck-prelude.h */
#define uthash_fatal(msg)	fatalx("%s", (msg))
#endif

#include <uthash.h>

#endif
