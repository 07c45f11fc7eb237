/*
 * timefmt.h: packet times as text, always in UTC.
 */
#ifndef SW_TIMEFMT_H
#define SW_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Room for the longest sw_time_rfc3339() text, NUL included. */
#define SW_TIME_LEN	40

/*
 * TS_US (µs since the epoch) as RFC 3339 in UTC into BUF of LEN bytes:
 * "2024-01-02T03:04:05Z", or with DIGITS (1..6) fractional digits
 * "2024-01-02T03:04:05.123456Z".  A time gmtime_r() cannot represent is
 * written as the decimal seconds.  Returns BUF.
 */
char	*sw_time_rfc3339(int64_t ts_us, int digits, char *buf, size_t len);

#endif
