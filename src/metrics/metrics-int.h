/*
 * metrics-int.h: the observer's tables, shared by the metrics module's
 * files only (metrics-observe.c fills them, metrics-render.c reads them).
 */
#ifndef SW_METRICS_INT_H
#define SW_METRICS_INT_H

#include "decode/decode.h"
#include "metrics/metrics.h"

#define METRICS_PEER_SLOTS	(2 * METRICS_PEERS_MAX)	/* open addressing */

/* Responses sent by one peer, by class: [1] 1xx ... [6] 6xx. */
struct metrics_peer {
	uint8_t		 used;
	struct sw_addr	 addr;		/* port 0 */
	uint64_t	 classes[7];
};

struct metrics_obs {
	struct metrics_peer	 peers[METRICS_PEER_SLOTS];
	unsigned		 npeers;
	uint64_t		 other_classes[7];	/* peers beyond the cap */
	struct metrics_hist	 pdd;
	struct metrics_hist	 setup;
	/* RTP streams that ended (metrics_obs_stream()) */
	uint64_t		 rtp_expected;
	uint64_t		 rtp_lost;
	struct metrics_hist	 mos;
	struct metrics_hist	 jitter;	/* seconds */
	struct metrics_hist	 loss;		/* ratio */
};

#endif
