/*
 * metrics-int.h: the observer's tables, shared by the metrics module's
 * files only (metrics-observe.c fills them, metrics-render.c reads them).
 */
#ifndef SW_METRICS_INT_H
#define SW_METRICS_INT_H

#include "decode/decode.h"
#include "metrics/metrics.h"

#define METRICS_PEER_SLOTS	(2 * METRICS_PEERS_MAX)	/* open addressing */
#define METRICS_CALL_WAYS	4

/* Responses sent by one peer, by class: [1] 1xx ... [6] 6xx. */
struct metrics_peer {
	uint8_t		 used;
	struct sw_addr	 addr;		/* port 0 */
	uint64_t	 classes[7];
};

/* A call being set up (initial INVITE seen, no final 2xx yet). */
struct metrics_call {
	uint64_t	digest;		/* of the Call-ID; 0 = free slot */
	int64_t		invite_us;
	uint8_t		pdd_done;
};

struct metrics_obs {
	struct metrics_peer	 peers[METRICS_PEER_SLOTS];
	unsigned		 npeers;
	uint64_t		 other_classes[7];	/* peers beyond the cap */
	struct metrics_call	*calls;			/* METRICS_CALLS_MAX */
	uint64_t		 calls_evicted;
	struct metrics_hist	 pdd;
	struct metrics_hist	 setup;
};

#endif
