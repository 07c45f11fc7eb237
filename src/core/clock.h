/*
 * clock.h: the clocks sipwatch reads, in microseconds.
 *
 * Verdicts use packet time only; these are for the live loop (idle
 * clock, pacing, HEP arrival times), progress and rates on screen.
 */
#ifndef SW_CLOCK_H
#define SW_CLOCK_H

#include <stdint.h>
#include <time.h>

/*
 * Clock ID (CLOCK_REALTIME: µs since the epoch; CLOCK_MONOTONIC: µs
 * since an arbitrary start).  Cannot fail for these two clocks.
 */
static inline int64_t
sw_clock_us(clockid_t id)
{
	struct timespec	ts;

	if (clock_gettime(id, &ts) == -1)
		return (0);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* The same in milliseconds. */
static inline int64_t
sw_clock_ms(clockid_t id)
{
	return (sw_clock_us(id) / 1000);
}

#endif
