/*
 * retrans.h: recognise retransmitted SIP messages.
 *
 * A retransmission is the same message passed to the transport again
 * (RFC 3261 17.1.1.2, 17.2.1): byte for byte the same, between the same
 * two endpoints.  The table remembers a 64-bit digest of (source,
 * destination, bytes) for each recent message: at most MAX entries (the
 * oldest is evicted first) and only for WINDOW_US microseconds of packet
 * time (64*T1 by default: no element retransmits for longer).
 */
#ifndef SW_RETRANS_H
#define SW_RETRANS_H

#include <stddef.h>
#include <stdint.h>

struct sw_addr;
struct retrans;

#define RETRANS_DEFAULT_MAX		(1u << 18)
#define RETRANS_DEFAULT_WINDOW_US	(32 * 1000000LL)	/* 64*T1, T1 = 500 ms */

/* Create a table of at most MAX entries; never NULL.  Caller destroys it. */
struct retrans	*retrans_create(unsigned max, int64_t window_us);
void		 retrans_destroy(struct retrans *);

/*
 * Record a message of LEN bytes seen at TS_US (µs) from SRC to DST.
 * Returns 1 if the same bytes went the same way within the window (a
 * retransmission), else 0.
 */
int		 retrans_check(struct retrans *, int64_t ts_us,
		    const struct sw_addr *src, const struct sw_addr *dst,
		    const uint8_t *data, size_t len);

/*
 * The digest retrans_check() uses, for computing it elsewhere (the parse
 * workers do, so the capture thread only looks it up).  Pure function.
 */
uint64_t	 retrans_digest(const struct sw_addr *src, const struct sw_addr *dst,
		    const uint8_t *data, size_t len);

/* As retrans_check(), with the digest already computed. */
int		 retrans_check_digest(struct retrans *, int64_t ts_us,
		    uint64_t digest);

/* Entries evicted because the table was full (not by age). */
uint64_t	 retrans_evictions(const struct retrans *);

/*
 * 64-bit hash of LEN bytes, continuing from SEED (use RETRANS_HASH_SEED);
 * eight bytes per step.  Not cryptographic: a crafted collision can only
 * make one message count as a retransmission of another.
 */
#define RETRANS_HASH_SEED	0xcbf29ce484222325ULL
uint64_t	 retrans_hash(uint64_t seed, const void *data, size_t len);

#endif
