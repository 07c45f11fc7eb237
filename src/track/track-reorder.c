/*
 * track-reorder.c: responses captured before their request.
 *
 * With taps on two links, equal timestamps or clock skew of tens of
 * milliseconds between capture points, a response can reach the tracker
 * before the request it answers.  A response whose transaction is not
 * known is therefore held for TRACK_REORDER_US of packet time (a copy of
 * its bytes, parsed again when it is processed): when its request comes
 * within that time, the request is tracked first and the response right
 * after it, at the request's time; otherwise it is processed as a
 * response without request (transactions.without_request) once the
 * window has passed.  Responses held for the same transaction keep their
 * order.  The queue is bounded (TRACK_HELD_MAX responses, TRACK_HELD_BYTES
 * bytes); when it is full the oldest is processed at once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "track/track-int.h"

/* The held response at ring position I (0 = oldest). */
static struct held *
reorder_at(struct track *tr, unsigned i)
{
	return (&tr->held[(tr->held_head + i) % TRACK_HELD_MAX]);
}

/* Process H (parsed again) at TS, then forget it. */
static void
reorder_process(struct track *tr, struct held *h, int64_t ts)
{
	struct sip_msg	*m = NULL;
	enum sip_error	 err;
	struct sw_addr	 src = h->src, dst = h->dst;
	int		 transport = h->transport, flags = h->flags;
	uint8_t		*raw = h->raw;
	size_t		 len = h->len;

	h->raw = NULL;
	tr->held_bytes -= len;
	tr->reorder.released++;
	if (sip_parse(raw, len, &m, &err) == 0 && m != NULL)
		track_process(tr, m, ts, &src, &dst, transport,
		    flags | TRACK_F_HELD);
	else
		tr->reorder.lost++;	/* cannot happen: it parsed before */
	sip_msg_free(m);
	free(raw);
}

/* Drop the oldest entry from the ring (after processing it). */
static void
reorder_pop(struct track *tr)
{
	tr->held_head = (tr->held_head + 1) % TRACK_HELD_MAX;
	tr->nheld--;
}

int
reorder_pending(const struct track *tr, const struct tkey *k)
{
	unsigned	i;

	for (i = 0; i < tr->nheld; i++) {
		const struct held *h = &tr->held[(tr->held_head + i) %
		    TRACK_HELD_MAX];

		if (h->raw != NULL && memcmp(&h->key, k, sizeof *k) == 0)
			return (1);
	}
	return (0);
}

void
reorder_hold(struct track *tr, const struct sip_msg *m, const struct tkey *k,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst,
    int transport, int flags)
{
	struct held	*h;

	while (tr->nheld == TRACK_HELD_MAX || (tr->nheld > 0 &&
	    tr->held_bytes + m->raw_len > TRACK_HELD_BYTES)) {
		/* Full: the oldest cannot wait any longer. */
		h = reorder_at(tr, 0);
		reorder_pop(tr);
		if (h->raw != NULL) {
			reorder_process(tr, h, h->ts);
			tr->reorder.overflow++;
		}
	}
	h = reorder_at(tr, tr->nheld);
	memset(h, 0, sizeof *h);
	h->ts = ts;
	h->key = *k;
	h->src = *src;
	h->dst = *dst;
	h->transport = transport;
	h->flags = flags;
	h->raw = xmalloc(m->raw_len > 0 ? m->raw_len : 1);
	memcpy(h->raw, m->raw, m->raw_len);
	h->len = m->raw_len;
	tr->held_bytes += h->len;
	tr->nheld++;
	tr->reorder.held++;
}

void
reorder_release(struct track *tr, const struct tkey *k, int64_t ts)
{
	struct held	*h;
	unsigned	 i;

	for (i = 0; i < tr->nheld; i++) {
		h = reorder_at(tr, i);
		if (h->raw == NULL || memcmp(&h->key, k, sizeof *k) != 0)
			continue;
		tr->reorder.matched++;
		reorder_process(tr, h, ts > h->ts ? ts : h->ts);
	}
	/* Entries processed out of order leave holes; skip them. */
	while (tr->nheld > 0 && reorder_at(tr, 0)->raw == NULL)
		reorder_pop(tr);
}

void
reorder_advance(struct track *tr, int64_t now)
{
	struct held	*h;

	while (tr->nheld > 0) {
		h = reorder_at(tr, 0);
		if (h->raw != NULL && h->ts + TRACK_REORDER_US >= now)
			break;
		reorder_pop(tr);
		if (h->raw != NULL)
			reorder_process(tr, h, h->ts);
	}
}

void
reorder_flush(struct track *tr)
{
	struct held	*h;

	while (tr->nheld > 0) {
		h = reorder_at(tr, 0);
		reorder_pop(tr);
		if (h->raw != NULL)
			reorder_process(tr, h, h->ts);
	}
}

void
reorder_destroy(struct track *tr)
{
	unsigned	i;

	for (i = 0; i < TRACK_HELD_MAX; i++) {
		free(tr->held[i].raw);
		tr->held[i].raw = NULL;
	}
	free(tr->held);
	tr->held = NULL;
}
