/*
 * stats.c: counting helpers (see stats.h).
 */
#include "config.h"

#include <string.h>

#include "stats/stats.h"

void
stats_count_request(struct stats *st, const char *name, size_t len)
{
	unsigned	i;

	st->messages++;
	st->requests++;
	if (len > STATS_METHOD_LEN) {
		st->method_other++;
		return;
	}
	for (i = 0; i < st->nmethods; i++) {
		if (strlen(st->methods[i].name) == len &&
		    memcmp(st->methods[i].name, name, len) == 0) {
			st->methods[i].count++;
			return;
		}
	}
	if (st->nmethods == STATS_METHODS_MAX) {
		st->method_other++;
		return;
	}
	memcpy(st->methods[i].name, name, len);
	st->methods[i].name[len] = '\0';
	st->methods[i].count = 1;
	st->nmethods++;
}

void
stats_count_response(struct stats *st, int code)
{
	st->messages++;
	st->responses++;
	if (code >= 100 && code < 700)
		st->codes[code]++;
}
