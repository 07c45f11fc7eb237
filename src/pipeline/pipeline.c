/*
 * pipeline.c: ring of batches between capture, parse workers and the
 * in-order consumer (see pipeline.h).
 *
 * A batch moves FREE -> FILLING -> QUEUED -> PARSING -> DONE -> FREE.  The
 * capture thread owns FILLING and DONE->FREE; a worker owns PARSING.  All
 * state changes happen under one mutex, held only to change a state, never
 * while parsing or consuming.
 */
#include "config.h"

#include <pthread.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xmalloc.h"
#include "pipeline/pipeline.h"
#include "pipeline/retrans.h"

#define PIPE_BATCH	256	/* items per batch */
#define PIPE_RING	16	/* most batches in flight */
#define PIPE_SYNC_INLINE 16	/* pipeline_sync() parses this many inline */

enum pipe_state {
	PIPE_FREE = 0,
	PIPE_FILLING,
	PIPE_QUEUED,
	PIPE_PARSING,
	PIPE_DONE
};

struct pipe_batch {
	enum pipe_state		state;
	size_t			n;
	struct pipe_item	items[PIPE_BATCH];
};

struct pipeline {
	struct pipe_batch	*ring;		/* nring batches */
	unsigned		 nring;		/* 2 per worker + 2, <= PIPE_RING */
	unsigned		 fill;		/* batch being filled */
	unsigned		 head;		/* oldest batch not yet consumed */
	unsigned		 inflight;	/* batches QUEUED..DONE */
	unsigned		 next_parse;	/* next QUEUED batch, in order */

	pthread_mutex_t		 lock;
	pthread_cond_t		 work;		/* a batch was queued, or stop */
	pthread_cond_t		 done;		/* a batch was parsed */
	pthread_t		*threads;
	unsigned		 nworkers;
	int			 stop;
	int			 stopped;
	double			 parse_cpu;	/* seconds, summed at exit */

	pipe_consume_fn		*consume;
	void			*arg;

	/*
	 * Bytes of item buffers beyond what an item keeps between messages
	 * (pipe_keep_bytes()): allocated and released on the capture thread
	 * only, so no lock.  Held under PIPELINE_LARGE_MAX.
	 */
	size_t			 large;
	size_t			 large_peak;
};

/* Bytes an item needs for a payload of LEN bytes: the copy and the message. */
static size_t
pipe_item_bytes(size_t len)
{
	return (len + sip_parse_space(len));
}

static void
pipe_parse_batch(struct pipe_batch *b)
{
	struct pipe_item	*it;
	size_t			 i;

	for (i = 0; i < b->n; i++) {
		it = &b->items[i];
		it->msg = NULL;
		it->err = SIP_ERR_NONE;
		it->digest = retrans_digest(&it->src, &it->dst, it->data,
		    it->len);
		if (it->flags & DECODE_F_TRUNC) {
			it->err = SIP_ERR_TRUNCATED;
			continue;
		}
		/* MSGBUF was sized by pipeline_push(). */
		(void)sip_parse_buf(it->data, it->len, it->msgbuf, it->msgcap,
		    &it->msg, &it->err);
	}
}

static void *
pipe_worker(void *arg)
{
	struct pipeline		*pl = arg;
	struct pipe_batch	*b;
	struct rusage		 ru;

	pthread_mutex_lock(&pl->lock);
	for (;;) {
		while (!pl->stop &&
		    pl->ring[pl->next_parse].state != PIPE_QUEUED)
			pthread_cond_wait(&pl->work, &pl->lock);
		if (pl->ring[pl->next_parse].state != PIPE_QUEUED && pl->stop)
			break;
		b = &pl->ring[pl->next_parse];
		b->state = PIPE_PARSING;
		pl->next_parse = (pl->next_parse + 1) % pl->nring;
		pthread_mutex_unlock(&pl->lock);

		pipe_parse_batch(b);

		pthread_mutex_lock(&pl->lock);
		b->state = PIPE_DONE;
		pthread_cond_broadcast(&pl->done);
	}
	sip_thread_done();
	if (getrusage(RUSAGE_THREAD, &ru) == 0)
		pl->parse_cpu += (double)ru.ru_utime.tv_sec +
		    (double)ru.ru_utime.tv_usec / 1e6 +
		    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	pthread_mutex_unlock(&pl->lock);
	return (NULL);
}

unsigned
pipeline_default_workers(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > 16)
		n = 16;
	return ((unsigned)n);
}

struct pipeline *
pipeline_create(unsigned workers, pipe_consume_fn *consume, void *arg)
{
	struct pipeline	*pl;
	unsigned	 i;

	pl = xcalloc(1, sizeof *pl);
	pl->consume = consume;
	pl->arg = arg;
	pl->nworkers = workers;
	/*
	 * Enough batches for every worker to hold one while the next waits,
	 * plus the one being filled and the one being consumed; more only
	 * costs memory (each item keeps its buffers for reuse).
	 */
	pl->nring = 2 * workers + 2;
	if (pl->nring > PIPE_RING)
		pl->nring = PIPE_RING;
	pl->ring = xcalloc(pl->nring, sizeof *pl->ring);
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->work, NULL);
	pthread_cond_init(&pl->done, NULL);
	pl->ring[0].state = PIPE_FILLING;
	if (workers > 0) {
		pl->threads = xcalloc(workers, sizeof *pl->threads);
		for (i = 0; i < workers; i++) {
			if (pthread_create(&pl->threads[i], NULL, pipe_worker,
			    pl) != 0)
				fatalx("cannot start parse worker %u", i);
		}
	}
	return (pl);
}

/*
 * Give back the buffers of IT if they grew past what an item keeps, so
 * that one burst of large messages does not hold memory for good.
 */
static void
pipe_item_shrink(struct pipeline *pl, struct pipe_item *it)
{
	if (it->cap + it->msgcap <= pipe_item_bytes(PIPELINE_KEEP))
		return;
	pl->large -= it->cap + it->msgcap;
	free(it->data);
	free(it->msgbuf);
	it->data = it->msgbuf = NULL;
	it->cap = it->msgcap = 0;
}

/* Consume batch B (DONE) in order and free its messages. */
static void
pipe_consume_batch(struct pipeline *pl, struct pipe_batch *b)
{
	struct pipe_item	*it;
	size_t			 i;

	for (i = 0; i < b->n; i++) {
		it = &b->items[i];
		pl->consume(it, pl->arg);
		it->msg = NULL;
		pipe_item_shrink(pl, it);
	}
	b->n = 0;
}

/*
 * Consume the oldest batch if it is DONE (or, with WAIT, once it is).
 * Returns 1 if a batch was consumed.
 */
static int
pipe_consume_head(struct pipeline *pl, int wait)
{
	struct pipe_batch	*b = &pl->ring[pl->head];

	if (pl->inflight == 0)
		return (0);
	pthread_mutex_lock(&pl->lock);
	while (wait && b->state != PIPE_DONE)
		pthread_cond_wait(&pl->done, &pl->lock);
	if (b->state != PIPE_DONE) {
		pthread_mutex_unlock(&pl->lock);
		return (0);
	}
	pthread_mutex_unlock(&pl->lock);

	pipe_consume_batch(pl, b);

	pthread_mutex_lock(&pl->lock);
	b->state = PIPE_FREE;
	pthread_mutex_unlock(&pl->lock);
	pl->head = (pl->head + 1) % pl->nring;
	pl->inflight--;
	return (1);
}

/* Queue the FILLING batch and start filling the next free one. */
static void
pipe_submit(struct pipeline *pl)
{
	struct pipe_batch	*b = &pl->ring[pl->fill];
	unsigned		 next;

	if (b->n == 0)
		return;
	if (pl->nworkers == 0) {
		pipe_parse_batch(b);
		pipe_consume_batch(pl, b);
		return;
	}
	pthread_mutex_lock(&pl->lock);
	b->state = PIPE_QUEUED;
	pthread_cond_signal(&pl->work);
	pthread_mutex_unlock(&pl->lock);
	pl->inflight++;

	/*
	 * Batches head .. head+inflight-1 are in flight and the next one to
	 * fill follows them, so it is free while inflight < nring.
	 */
	while (pl->inflight >= pl->nring)
		(void)pipe_consume_head(pl, 1);
	next = (pl->fill + 1) % pl->nring;
	pl->fill = next;
	pl->ring[next].state = PIPE_FILLING;
	pl->ring[next].n = 0;
}

/*
 * Make room for an item of NEED bytes beyond the keep size: while the
 * large buffers held would pass PIPELINE_LARGE_MAX, hand the batch being
 * filled to the workers and consume in order (which releases them).
 */
static void
pipe_make_room(struct pipeline *pl, size_t need)
{
	if (pl->large + need <= PIPELINE_LARGE_MAX)
		return;
	pipe_submit(pl);
	while (pl->large + need > PIPELINE_LARGE_MAX &&
	    pipe_consume_head(pl, 1))
		;
}

/* Size IT's buffers for a payload of LEN bytes (the capture thread). */
static void
pipe_item_size(struct pipeline *pl, struct pipe_item *it, size_t len)
{
	size_t	space = sip_parse_space(len), keep;

	keep = pipe_item_bytes(PIPELINE_KEEP);
	if (pipe_item_bytes(len) > keep) {
		/* Exactly what it needs, released once consumed. */
		pl->large += len + space;
		if (pl->large > pl->large_peak)
			pl->large_peak = pl->large;
		free(it->data);
		free(it->msgbuf);
		it->data = xmalloc(len);
		it->msgbuf = xmalloc(space);
		it->cap = len;
		it->msgcap = space;
		return;
	}
	/* Small: grown to the largest small payload seen, then reused. */
	if (it->cap < len) {
		it->data = xrealloc(it->data, len);
		it->cap = len;
	}
	if (it->msgcap < space) {
		it->msgbuf = xrealloc(it->msgbuf, space);
		it->msgcap = space;
	}
}

void
pipeline_push(struct pipeline *pl, const struct decode_pkt *pkt,
    enum sip_detect kind, int status, uint64_t frame)
{
	struct pipe_batch	*b;
	struct pipe_item	*it;
	size_t			 len = pkt->len;

	if (len > SIP_MSG_MAX + 1)
		len = SIP_MSG_MAX + 1;	/* enough to be told "too large" */
	if (pipe_item_bytes(len) > pipe_item_bytes(PIPELINE_KEEP))
		pipe_make_room(pl, pipe_item_bytes(len));
	b = &pl->ring[pl->fill];
	it = &b->items[b->n];
	pipe_item_size(pl, it, len);
	memcpy(it->data, pkt->payload, len);
	it->len = len;
	it->ts_us = pkt->ts_us;
	it->src = pkt->src;
	it->dst = pkt->dst;
	it->transport = pkt->transport;
	it->flags = pkt->flags;
	it->kind = kind;
	it->status = status;
	it->frame = frame;
	it->msg = NULL;
	it->err = SIP_ERR_NONE;
	if (++b->n == PIPE_BATCH)
		pipe_submit(pl);
}

void
pipeline_kick(struct pipeline *pl)
{
	pipe_submit(pl);
}

void
pipeline_poll(struct pipeline *pl)
{
	while (pipe_consume_head(pl, 0))
		;
}

void
pipeline_flush(struct pipeline *pl)
{
	pipe_submit(pl);
	while (pipe_consume_head(pl, 1))
		;
}

int
pipeline_busy(const struct pipeline *pl)
{
	return (pl->inflight > 0 || pl->ring[pl->fill].n > 0);
}

void
pipeline_sync(struct pipeline *pl)
{
	struct pipe_batch	*b = &pl->ring[pl->fill];

	if (pl->inflight == 0 && b->n > 0 && b->n <= PIPE_SYNC_INLINE) {
		pipe_parse_batch(b);
		pipe_consume_batch(pl, b);
		return;
	}
	pipeline_flush(pl);
}

void
pipeline_stop(struct pipeline *pl)
{
	unsigned	i;

	if (pl->stopped)
		return;
	pipeline_flush(pl);
	pthread_mutex_lock(&pl->lock);
	pl->stop = 1;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->lock);
	for (i = 0; i < pl->nworkers; i++)
		pthread_join(pl->threads[i], NULL);
	pl->stopped = 1;
}

double
pipeline_parse_cpu(const struct pipeline *pl)
{
	return (pl->parse_cpu);
}

size_t
pipeline_large_peak(const struct pipeline *pl)
{
	return (pl->large_peak);
}

void
pipeline_destroy(struct pipeline *pl)
{
	unsigned	i;
	size_t		j;

	pipeline_stop(pl);
	/*
	 * Parsing ran on this thread without workers; with them, the
	 * tracker's SDP reads (track_sdp()) did.
	 */
	sip_thread_done();
	free(pl->threads);
	for (i = 0; i < pl->nring; i++)
		for (j = 0; j < PIPE_BATCH; j++) {
			free(pl->ring[i].items[j].data);
			free(pl->ring[i].items[j].msgbuf);
		}
	free(pl->ring);
	pthread_mutex_destroy(&pl->lock);
	pthread_cond_destroy(&pl->work);
	pthread_cond_destroy(&pl->done);
	free(pl);
}
