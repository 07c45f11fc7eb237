/*
 * timefmt.c: RFC 3339 timestamps (timefmt.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timefmt.h"

char *
sw_time_rfc3339(int64_t ts_us, int digits, char *buf, size_t len)
{
	struct tm	tm;
	time_t		secs;
	int64_t		frac;
	char		base[32];
	int		i, div = 1;

	if (len == 0)
		return (buf);
	secs = (time_t)(ts_us / 1000000);
	frac = ts_us % 1000000;
	if (frac < 0) {
		secs--;
		frac += 1000000;
	}
	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, len, "%lld", (long long)secs);
		return (buf);
	}
	if (digits <= 0) {
		snprintf(buf, len, "%sZ", base);
		return (buf);
	}
	if (digits > 6)
		digits = 6;
	for (i = digits; i < 6; i++)
		div *= 10;
	snprintf(buf, len, "%s.%0*lldZ", base, digits,
	    (long long)(frac / div));
	return (buf);
}
