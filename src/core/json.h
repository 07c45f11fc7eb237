/*
 * json.h: the two jansson helpers every report section uses.
 *
 * Building a report object can only fail when memory runs out; these
 * abort then (as xmalloc does) instead of every caller checking.
 */
#ifndef SW_JSON_H
#define SW_JSON_H

#include <stdint.h>

#include <jansson.h>

/*
 * Set KEY of object O to V, taking V's reference (json_object_set_new).
 * V NULL (a failed json_*() constructor) or a failed set aborts with a
 * message naming KEY.
 */
void	 sw_json_set(json_t *o, const char *key, json_t *v);

/* A JSON integer for a counter (uint64_t; values above INT64_MAX clamp). */
json_t	*sw_json_uint(uint64_t v);

/*
 * A JSON string for S, bytes from the wire (NULL: ""): when S is not
 * valid UTF-8, ASCII is kept and every other byte becomes '?'.  Control
 * characters are escaped by jansson as JSON requires.  Never NULL.
 */
json_t	*sw_json_wire(const char *s);

#endif
