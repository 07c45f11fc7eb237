/*
 * json.c: jansson helpers (json.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/json.h"
#include "core/log.h"
#include "core/xmalloc.h"

void
sw_json_set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		fatalx("cannot build JSON (%s)", key);
}

json_t *
sw_json_uint(uint64_t v)
{
	return (json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v));
}

json_t *
sw_json_wire(const char *s)
{
	json_t	*v;
	char	*fixed, *p;

	if (s == NULL)
		s = "";
	if ((v = json_string(s)) != NULL)
		return (v);
	fixed = xstrdup(s);
	for (p = fixed; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	}
	v = json_string(fixed);
	free(fixed);
	if (v == NULL)
		fatalx("cannot build a JSON string");
	return (v);
}
