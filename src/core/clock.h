/*
 * clock.h: the clocks sipwatch reads, in microseconds.
 *
 * Verdicts use packet time only; these are for the live loop (idle
 * clock, pacing, HEP arrival times), progress and rates on screen, and
 * the pacing of retries.
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

/*
 * Retrying something that failed (a write, a connection, a rotation):
 * the wait before the next attempt, in ms, from *BACKOFF_MS (0 after a
 * success: MIN_MS), which doubles up to MAX_MS for the attempt after.
 * Wall-clock pacing only, never a verdict.
 */
static inline int64_t
sw_backoff_ms(int64_t *backoff_ms, int64_t min_ms, int64_t max_ms)
{
	int64_t	b = *backoff_ms > 0 ? *backoff_ms : min_ms;

	*backoff_ms = b * 2 > max_ms ? max_ms : b * 2;
	return (b);
}

#endif
