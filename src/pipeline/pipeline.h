/*
 * pipeline.h: parse SIP payloads on several cores, hand them on in order.
 *
 * The capture thread pushes each SIP-looking payload (copied: the packet
 * buffer is only borrowed).  Batches of payloads are parsed by worker
 * threads with sip_parse(), which touches no shared state.  Parsed batches
 * are consumed on the capture thread, strictly in capture order, so the
 * tracker and rules see exactly the sequence a single-threaded run would:
 * replay with 1 worker or 16 gives the same alerts.
 *
 * With 0 workers, parsing runs inline on the calling thread.
 *
 * Memory: each item keeps its buffers (the payload copy and the block the
 * message is built in) for reuse while the payload fits PIPELINE_KEEP
 * bytes; a larger payload gets buffers of its exact size, given back
 * once it is consumed, and all such buffers together stay under
 * PIPELINE_LARGE_MAX: past it, pipeline_push() first waits for the
 * workers and consumes what is parsed.  So a burst of 64 KB messages
 * costs at most that much memory, once (doc/PERFORMANCE.md).
 */
#ifndef SW_PIPELINE_H
#define SW_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "sip/sip.h"

#define PIPELINE_KEEP		2048		/* payload bytes an item keeps room for */
#define PIPELINE_LARGE_MAX	(16u << 20)	/* bytes of larger buffers, in all */

/* One SIP payload and, after parsing, its message. */
struct pipe_item {
	int64_t		 ts_us;		/* packet time, µs since the epoch */
	struct sw_addr	 src;
	struct sw_addr	 dst;
	uint8_t		 transport;	/* enum decode_transport */
	uint8_t		 flags;		/* DECODE_F_* */
	enum sip_detect	 kind;		/* request or response */
	int		 status;	/* start-line status (responses) */
	uint64_t	 frame;		/* capture frame number, from 1 */
	uint8_t		*data;		/* owned copy of the payload */
	size_t		 len;
	size_t		 cap;		/* allocated size of DATA */
	/* Filled by the parse stage: */
	struct sip_msg	*msg;		/* NULL when the parse failed; lives
					   in MSGBUF, valid during consume */
	uint8_t		*msgbuf;	/* reused storage for MSG */
	size_t		 msgcap;
	enum sip_error	 err;
	uint64_t	 digest;	/* retrans_digest() of addresses + bytes */
};

/*
 * Called on the capture thread, in capture order, for every item.
 * ITEM->data and ITEM->msg are only valid during the call (the storage is
 * reused for a later message): copy what is kept.
 */
typedef void pipe_consume_fn(struct pipe_item *, void *arg);

struct pipeline;

/*
 * Start a pipeline with WORKERS parse threads (0: parse inline).  Never
 * NULL; aborts if threads cannot be created.
 */
struct pipeline	*pipeline_create(unsigned workers, pipe_consume_fn *consume,
		    void *arg);

/*
 * Queue one payload of LEN bytes (copied).  PKT gives time and addresses;
 * KIND and STATUS come from sip_detect().  May consume earlier items
 * (calling the consumer) to make room.
 */
void	pipeline_push(struct pipeline *, const struct decode_pkt *,
	    enum sip_detect kind, int status, uint64_t frame);

/* Hand the partly filled batch to the workers (live capture: low latency). */
void	pipeline_kick(struct pipeline *);

/* Consume every batch already parsed, without waiting. */
void	pipeline_poll(struct pipeline *);

/* Parse and consume everything queued; returns when nothing is in flight. */
void	pipeline_flush(struct pipeline *);

/* Is anything pushed and not yet consumed? */
int	pipeline_busy(const struct pipeline *);

/*
 * As pipeline_flush(), but when no batch is with the workers and the
 * partly filled one holds a few payloads, they are parsed on the calling
 * thread: no hand-off for the SIP messages that come between RTP
 * packets, which must be tracked before the next RTP packet is measured
 * (the calls' SDP ties the streams).  The calling thread must be the one
 * that calls pipeline_destroy(), which frees its osip2 arena.
 */
void	pipeline_sync(struct pipeline *);

/*
 * Flush and stop the workers (no more pushes after this).  Afterwards
 * pipeline_parse_cpu() is final.
 */
void	pipeline_stop(struct pipeline *);

/* CPU seconds the parse workers used (valid after pipeline_stop()). */
double	pipeline_parse_cpu(const struct pipeline *);

/*
 * The most bytes held at once in buffers of payloads above PIPELINE_KEEP
 * (at most PIPELINE_LARGE_MAX plus one payload's).
 */
size_t	pipeline_large_peak(const struct pipeline *);

/* Stop if still running and free everything. */
void	pipeline_destroy(struct pipeline *);

/* Number of parse workers to use by default: the online CPUs, at most 16. */
unsigned pipeline_default_workers(void);

#endif
