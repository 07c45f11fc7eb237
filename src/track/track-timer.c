/*
 * track-timer.c: the tracker's deadlines, in one indexed binary min-heap.
 *
 * Each timed object (a transaction, a Call-ID record) embeds one struct
 * ttimer holding its earliest deadline and its slot in the heap, so a
 * deadline can be moved or removed in O(log n) when a response arrives
 * or the object is evicted.  The heap array is sized once, for every
 * object the tables can hold, and never grows.
 */
#include "config.h"

#include <stdlib.h>

#include "core/log.h"
#include "core/xmalloc.h"
#include "track/track-int.h"

void
theap_init(struct theap *h, unsigned cap)
{
	h->v = xcalloc((size_t)cap + 1, sizeof *h->v);
	h->n = 0;
	h->cap = cap;
}

void
theap_free(struct theap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

static void
theap_place(struct theap *h, unsigned i, struct ttimer *t)
{
	h->v[i] = t;
	t->idx = i;
}

static void
theap_up(struct theap *h, unsigned i)
{
	struct ttimer	*t = h->v[i];

	while (i > 1 && h->v[i / 2]->deadline > t->deadline) {
		theap_place(h, i, h->v[i / 2]);
		i /= 2;
	}
	theap_place(h, i, t);
}

static void
theap_down(struct theap *h, unsigned i)
{
	struct ttimer	*t = h->v[i];
	unsigned	 c;

	for (;;) {
		c = 2 * i;
		if (c > h->n)
			break;
		if (c + 1 <= h->n && h->v[c + 1]->deadline < h->v[c]->deadline)
			c++;
		if (h->v[c]->deadline >= t->deadline)
			break;
		theap_place(h, i, h->v[c]);
		i = c;
	}
	theap_place(h, i, t);
}

void
theap_set(struct theap *h, struct ttimer *t, int64_t deadline)
{
	int64_t	old;

	if (t->idx != 0) {
		old = t->deadline;
		t->deadline = deadline;
		if (deadline < old)
			theap_up(h, t->idx);
		else
			theap_down(h, t->idx);
		return;
	}
	if (h->n == h->cap)
		fatalx("timer heap full (%u): tracker caps inconsistent",
		    h->cap);
	t->deadline = deadline;
	h->n++;
	theap_place(h, h->n, t);
	theap_up(h, h->n);
}

void
theap_remove(struct theap *h, struct ttimer *t)
{
	unsigned	 i = t->idx;
	struct ttimer	*last;

	if (i == 0)
		return;
	last = h->v[h->n];
	h->v[h->n] = NULL;
	h->n--;
	t->idx = 0;
	if (last == t)
		return;
	theap_place(h, i, last);
	theap_up(h, i);
	theap_down(h, last->idx);
}

struct ttimer *
theap_top(const struct theap *h)
{
	return (h->n > 0 ? h->v[1] : NULL);
}
