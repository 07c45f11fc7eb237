/*
 * ui-model.c: the dashboard's model (see ui.h).
 *
 * Written by the capture thread, copied by the UI thread; one mutex
 * guards it and is held only while updating or copying.  The model is a
 * view of what the tracker publishes (track.h, struct track_obs): it
 * keeps each Call-ID's messages for the ladder, and stores the call's
 * state, post-dial delays, transfers, back-offs and how final responses
 * count exactly as the tracker decided them; it derives no SIP semantics
 * of its own.  Every table is bounded; the least recently updated call or
 * peer goes first.
 *
 * Calls and peers are found through chained hash tables sized once for
 * their cap (twice as many buckets as entries, FNV-1a), so a lookup on
 * the capture path costs a hash and about one comparison.
 *
 * Calls (Call-IDs with an INVITE) and the other Call-IDs (REGISTER,
 * OPTIONS ...) have caps of their own, so that a flood of probes never
 * pushes a call out.  When the calls are at their cap, a new one takes
 * the place of the oldest call that has ended (ended, failed, cancelled,
 * timed out, as the tracker decided), and only when none has, of the
 * least recently updated open call; every call that goes is counted and
 * said on screen and in the report.  Over the byte
 * budget, the raw bytes of the calls least recently given bytes are
 * released; their rows and ladders stay.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert/alert.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/xmalloc.h"
#include "decode/decode.h"
#include "sip/sip.h"
#include "stats/stats.h"
#include "track/track.h"
#include "ui/ui-int.h"
#include "ui/ui.h"

/*
 * Where a Call-ID waits for eviction: the other Call-IDs and the open
 * calls on lists, least recently updated last; the ended calls in a heap
 * by age (the oldest call first), so that what goes is always older than
 * what stays, whenever each call ended.
 */
enum ui_clist {
	UI_CL_OTHER = 0,	/* no INVITE: REGISTER, OPTIONS ... */
	UI_CL_OPEN,		/* a call not ended yet */
	UI_CL_ENDED,		/* a call in a final state: goes first */
	UI_CL_N
};

struct ui_mcall {
	struct ui_call_row	 row;
	struct alert		*alert;		/* the most severe raised about
						   it, the latest of those */
	struct ui_msg		*msgs;
	unsigned		 nkept;
	unsigned		 cap;
	size_t			 bytes;		/* raw bytes kept */
	uint32_t		 hv;		/* hash of row.call_id */
	size_t			 keylen;
	enum ui_clist		 list;		/* the list it is on */
	struct ui_mcall		*hnext;		/* hash chain */
	struct ui_mcall		*prev, *next;	/* its list, newest at head */
	struct ui_mcall		*older, *newer;	/* by creation */
	unsigned		 hidx;		/* UI_CL_ENDED: its place in
						   the heap */
	struct ui_mcall		*bprev, *bnext;	/* holding raw bytes, the
						   last given bytes at head */
	int			 bheld;		/* on that list */
	int			 reason_code;	/* of row.reason */
	struct track_media_stream *streams;	/* NSTREAMS, owned */
	unsigned		 nstreams;
	unsigned		 streams_total;	/* the tracker found */
};

struct ui_mlist {
	struct ui_mcall		*head, *tail;
	unsigned		 n;
};

struct ui_mpeer {
	struct ui_peer_row	 row;
	int64_t			 pdd[UI_PDD_SAMPLES];
	unsigned		 npdd;
	unsigned		 pdd_pos;
	uint32_t		 hv;		/* hash of row.addr */
	struct ui_mpeer		*hnext;		/* hash chain */
	struct ui_mpeer		*prev, *next;	/* LRU, newest at head */
};

struct ui_model {
	pthread_mutex_t		 mtx;
	struct ui_model_limits	 lim;

	char			 kind[16];
	char			 source[UI_SOURCE_MAX];
	int			 live;
	double			 speed;
	int			 finished;
	int			 status;

	int			 have_stats;
	struct stats		 st;
	struct track_call_tally	 tally;
	int			 have_tally;
	unsigned		 transactions;
	unsigned		 call_ids;	/* Call-ID records held */
	unsigned		 ncalls;	/* every Call-ID held */
	uint64_t		 done, total;
	int64_t			 last_ts_us;

	uint64_t		 codes[700];
	uint64_t		 cls_total[6];
	int64_t			 hist_sec[UI_HIST_SECS];
	uint32_t		 hist[UI_HIST_SECS][6];

	struct ui_alert_item	*alerts;	/* ring of lim.max_alerts */
	uint64_t		 alert_seq;
	struct ui_rule_count	 rules[UI_RULES_MAX];
	unsigned		 nrules;
	unsigned		 nattacks;	/* rows in attacks[] */

	struct ui_mcall		**calls;	/* hash buckets */
	uint32_t		 calls_mask;
	unsigned		 ended_cap;	/* of ended[] */
	struct ui_mlist		 lists[UI_CL_N];	/* ENDED: the count */
	struct ui_mcall		**ended;	/* min-heap by row.id */
	struct ui_mcall		*call_newest;	/* creation order */
	struct ui_mcall		*bhead, *btail;	/* holding raw bytes */
	size_t			 bytes;
	uint64_t		 next_id;
	uint64_t		 calls_seen;	/* calls (INVITE) */
	uint64_t		 calls_evicted;	/* calls that went */
	uint64_t		 others_evicted; /* other Call-IDs that went */
	uint64_t		 bytes_released; /* calls whose raw bytes went */

	struct ui_attack_row	 attacks[UI_ATTACKS_MAX];	/* by last
						   occurrence, newest first */

	struct ui_mpeer		**peers;	/* hash buckets */
	uint32_t		 peers_mask;
	struct ui_mpeer		*peer_head, *peer_tail;	/* LRU */
	unsigned		 npeers;

	uint64_t		 gen;
};

/* FNV-1a over LEN bytes. */
static uint32_t
ui_hash(const void *p, size_t len)
{
	const uint8_t	*b = p;
	uint32_t	 h = 2166136261U;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 16777619U;
	}
	return (h);
}

/* Buckets for N entries: a power of two, at least 2 N. */
static uint32_t
ui_buckets(unsigned n)
{
	uint32_t	b = 16;

	while (b < 2 * (uint64_t)n && b < (1U << 30))
		b <<= 1;
	return (b);
}

static void
ui_model_lock(struct ui_model *m)
{
	pthread_mutex_lock(&m->mtx);
}

static void
ui_model_unlock(struct ui_model *m)
{
	pthread_mutex_unlock(&m->mtx);
}

struct ui_model *
ui_model_create(const struct ui_model_limits *l)
{
	struct ui_model	*m;

	m = xcalloc(1, sizeof *m);
	if (l != NULL)
		m->lim = *l;
	if (m->lim.max_calls == 0)
		m->lim.max_calls = UI_DEFAULT_MAX_CALLS;
	if (m->lim.max_others == 0)
		m->lim.max_others = UI_DEFAULT_MAX_OTHERS;
	if (m->lim.max_msgs == 0)
		m->lim.max_msgs = UI_DEFAULT_MAX_MSGS;
	if (m->lim.max_call_bytes == 0)
		m->lim.max_call_bytes = UI_DEFAULT_MAX_CALL_BYTES;
	if (m->lim.max_bytes == 0)
		m->lim.max_bytes = UI_DEFAULT_MAX_BYTES;
	if (m->lim.max_peers == 0)
		m->lim.max_peers = UI_DEFAULT_MAX_PEERS;
	if (m->lim.max_alerts == 0)
		m->lim.max_alerts = UI_DEFAULT_MAX_ALERTS;
	m->alerts = xcalloc(m->lim.max_alerts, sizeof *m->alerts);
	m->calls_mask = ui_buckets(m->lim.max_calls + m->lim.max_others) - 1;
	m->calls = xcalloc((size_t)m->calls_mask + 1, sizeof *m->calls);
	m->peers_mask = ui_buckets(m->lim.max_peers) - 1;
	m->peers = xcalloc((size_t)m->peers_mask + 1, sizeof *m->peers);
	m->next_id = 1;
	pthread_mutex_init(&m->mtx, NULL);
	return (m);
}

static void
ui_mcall_free(struct ui_mcall *c)
{
	unsigned	i;

	for (i = 0; i < c->nkept; i++)
		free(c->msgs[i].raw);
	free(c->msgs);
	free(c->streams);
	if (c->alert != NULL) {
		alert_clear(c->alert);
		free(c->alert);
	}
	free(c);
}

void
ui_model_destroy(struct ui_model *m)
{
	struct ui_mcall	*c, *cnext;
	struct ui_mpeer	*p, *pnext;
	uint64_t	 i, n;

	if (m == NULL)
		return;
	for (c = m->call_newest; c != NULL; c = cnext) {
		cnext = c->older;
		ui_mcall_free(c);
	}
	for (p = m->peer_head; p != NULL; p = pnext) {
		pnext = p->next;
		free(p);
	}
	free(m->calls);
	free(m->ended);
	free(m->peers);
	n = m->alert_seq < m->lim.max_alerts ? m->alert_seq :
	    m->lim.max_alerts;
	for (i = 0; i < n; i++)
		alert_clear(&m->alerts[i].a);
	free(m->alerts);
	pthread_mutex_destroy(&m->mtx);
	free(m);
}

void
ui_model_usage(struct ui_model *m, struct ui_model_usage *out)
{
	memset(out, 0, sizeof *out);
	ui_model_lock(m);
	out->max_calls = m->lim.max_calls;
	out->calls = m->lists[UI_CL_OPEN].n + m->lists[UI_CL_ENDED].n;
	out->others = m->lists[UI_CL_OTHER].n;
	out->calls_seen = m->calls_seen;
	out->calls_evicted = m->calls_evicted;
	out->others_evicted = m->others_evicted;
	out->bytes_released = m->bytes_released;
	out->bytes = m->bytes;
	ui_model_unlock(m);
}

json_t *
ui_model_usage_json(const struct ui_model_usage *u)
{
	json_t	*o;

	o = json_object();
	sw_json_set(o, "max_calls", sw_json_uint(u->max_calls));
	sw_json_set(o, "calls_seen", sw_json_uint(u->calls_seen));
	sw_json_set(o, "calls_held", sw_json_uint(u->calls));
	sw_json_set(o, "calls_not_shown", sw_json_uint(u->calls_evicted));
	sw_json_set(o, "other_call_ids_held", sw_json_uint(u->others));
	sw_json_set(o, "other_call_ids_not_shown",
	    sw_json_uint(u->others_evicted));
	sw_json_set(o, "calls_bytes_released", sw_json_uint(u->bytes_released));
	return (o);
}

void
ui_model_get_limits(struct ui_model *m, struct ui_model_limits *out)
{
	*out = m->lim;
}

void
ui_model_source(struct ui_model *m, const char *kind, const char *name,
    int live, double speed)
{
	ui_model_lock(m);
	snprintf(m->kind, sizeof m->kind, "%s", kind != NULL ? kind : "");
	snprintf(m->source, sizeof m->source, "%s", name != NULL ? name : "");
	m->live = live;
	m->speed = speed;
	m->gen++;
	ui_model_unlock(m);
}

/* A copy of A with the padding zeroed, usable as a hash key. */
static void
ui_addr_norm(struct sw_addr *out, const struct sw_addr *a)
{
	memset(out, 0, sizeof *out);
	out->family = a->family;
	memcpy(out->ip, a->ip, a->family == 6 ? 16 : 4);
	out->port = a->port;
}

/* Copy sip_str S into BUF (LEN bytes), cut if needed; "" when absent. */
static void
ui_strcpy(char *buf, size_t len, const struct sip_str *s)
{
	size_t	n;

	if (s->s == NULL) {
		buf[0] = '\0';
		return;
	}
	n = s->len < len - 1 ? s->len : len - 1;
	memcpy(buf, s->s, n);
	buf[n] = '\0';
}

/* Who a name-addr is: its user, else its display name, else its host. */
static void
ui_nameaddr(char *buf, size_t len, const struct sip_nameaddr *na)
{
	if (na->user.s != NULL && na->user.len > 0)
		ui_strcpy(buf, len, &na->user);
	else if (na->display.s != NULL && na->display.len > 0)
		ui_strcpy(buf, len, &na->display);
	else
		ui_strcpy(buf, len, &na->host);
}

/* --- peers ------------------------------------------------------------ */

static void
ui_peer_unlink(struct ui_model *m, struct ui_mpeer *p)
{
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		m->peer_head = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	else
		m->peer_tail = p->prev;
	p->prev = p->next = NULL;
}

static void
ui_peer_push(struct ui_model *m, struct ui_mpeer *p)
{
	p->prev = NULL;
	p->next = m->peer_head;
	if (m->peer_head != NULL)
		m->peer_head->prev = p;
	m->peer_head = p;
	if (m->peer_tail == NULL)
		m->peer_tail = p;
}

static void
ui_peer_unhash(struct ui_model *m, struct ui_mpeer *p)
{
	struct ui_mpeer	**pp;

	for (pp = &m->peers[p->hv & m->peers_mask]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == p) {
			*pp = p->hnext;
			return;
		}
	}
}

/*
 * The tracker now counts the source of IP as its IP alone (a client seen
 * from several ports): the rows of its ports that never answered go into
 * IP's row P.
 */
static void
ui_peer_fold(struct ui_model *m, struct ui_mpeer *p)
{
	struct ui_mpeer	*q, *next;
	size_t		 n = p->row.addr.family == 6 ? 16 : 4;

	for (q = m->peer_head; q != NULL; q = next) {
		next = q->next;
		if (q == p || q->row.addr.family != p->row.addr.family ||
		    memcmp(q->row.addr.ip, p->row.addr.ip, n) != 0 ||
		    q->row.finals > 0)
			continue;
		p->row.sent += q->row.sent;
		p->row.received += q->row.received;
		ui_peer_unlink(m, q);
		ui_peer_unhash(m, q);
		free(q);
		m->npeers--;
	}
}

static struct ui_mpeer *
ui_peer_get(struct ui_model *m, const struct sw_addr *addr, int64_t ts_us)
{
	struct ui_mpeer	*p, *old;
	struct sw_addr	 key;
	uint32_t	 hv;

	ui_addr_norm(&key, addr);
	hv = ui_hash(&key, sizeof key);
	for (p = m->peers[hv & m->peers_mask]; p != NULL; p = p->hnext) {
		if (p->hv == hv && memcmp(&p->row.addr, &key, sizeof key) == 0)
			break;
	}
	if (p != NULL) {
		if (p != m->peer_head) {
			ui_peer_unlink(m, p);
			ui_peer_push(m, p);
		}
		p->row.last_us = ts_us;
		return (p);
	}
	if (m->npeers >= m->lim.max_peers && (old = m->peer_tail) != NULL) {
		ui_peer_unlink(m, old);
		ui_peer_unhash(m, old);
		free(old);
		m->npeers--;
	}
	p = xcalloc(1, sizeof *p);
	p->row.addr = key;
	p->row.pdd_median_us = -1;
	p->row.last_us = ts_us;
	p->hv = hv;
	p->hnext = m->peers[hv & m->peers_mask];
	m->peers[hv & m->peers_mask] = p;
	ui_peer_push(m, p);
	m->npeers++;
	if (key.port == 0)
		ui_peer_fold(m, p);
	return (p);
}

static void
ui_peer_pdd(struct ui_model *m, const struct sw_addr *addr, int64_t pdd_us,
    int64_t ts_us)
{
	struct ui_mpeer	*p;

	p = ui_peer_get(m, addr, ts_us);
	p->pdd[p->pdd_pos] = pdd_us;
	p->pdd_pos = (p->pdd_pos + 1) % UI_PDD_SAMPLES;
	if (p->npdd < UI_PDD_SAMPLES)
		p->npdd++;
	p->row.npdd = p->npdd;
	p->row.pdd_median_us = ui_median(p->pdd, p->npdd);
}

/* --- calls ------------------------------------------------------------ */

/* --- the heap of ended calls, oldest (lowest id) at the top ----------- */

static void
ui_heap_set(struct ui_model *m, unsigned i, struct ui_mcall *c)
{
	m->ended[i] = c;
	c->hidx = i;
}

static void
ui_heap_up(struct ui_model *m, unsigned i)
{
	struct ui_mcall	*c = m->ended[i];

	while (i > 0 && m->ended[(i - 1) / 2]->row.id > c->row.id) {
		ui_heap_set(m, i, m->ended[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	ui_heap_set(m, i, c);
}

static void
ui_heap_down(struct ui_model *m, unsigned i)
{
	struct ui_mcall	*c = m->ended[i];
	unsigned	 n = m->lists[UI_CL_ENDED].n, k;

	for (;;) {
		k = 2 * i + 1;
		if (k >= n)
			break;
		if (k + 1 < n && m->ended[k + 1]->row.id < m->ended[k]->row.id)
			k++;
		if (m->ended[k]->row.id >= c->row.id)
			break;
		ui_heap_set(m, i, m->ended[k]);
		i = k;
	}
	ui_heap_set(m, i, c);
}

static void
ui_heap_add(struct ui_model *m, struct ui_mcall *c)
{
	unsigned	n = m->lists[UI_CL_ENDED].n;

	if (n == m->ended_cap) {
		m->ended_cap = m->ended_cap == 0 ? 64 : m->ended_cap * 2;
		m->ended = xreallocarray(m->ended, m->ended_cap,
		    sizeof *m->ended);
	}
	m->lists[UI_CL_ENDED].n++;
	ui_heap_set(m, n, c);
	ui_heap_up(m, n);
}

static void
ui_heap_remove(struct ui_model *m, struct ui_mcall *c)
{
	unsigned	 i = c->hidx, last = --m->lists[UI_CL_ENDED].n;
	struct ui_mcall	*moved;

	if (i == last)
		return;
	moved = m->ended[last];
	ui_heap_set(m, i, moved);
	ui_heap_down(m, i);
	ui_heap_up(m, moved->hidx);
}

/* --- the lists -------------------------------------------------------- */

static void
ui_call_unlink(struct ui_model *m, struct ui_mcall *c)
{
	struct ui_mlist	*l = &m->lists[c->list];

	if (c->list == UI_CL_ENDED) {
		ui_heap_remove(m, c);
		return;
	}
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
	l->n--;
}

/* Put C at the head of the list WHICH. */
static void
ui_call_push(struct ui_model *m, struct ui_mcall *c, enum ui_clist which)
{
	struct ui_mlist	*l = &m->lists[which];

	c->list = which;
	if (which == UI_CL_ENDED) {
		ui_heap_add(m, c);
		return;
	}
	c->prev = NULL;
	c->next = l->head;
	if (l->head != NULL)
		l->head->prev = c;
	l->head = c;
	if (l->tail == NULL)
		l->tail = c;
	l->n++;
}

/* C was updated: the head of its list. */
static void
ui_call_touch(struct ui_model *m, struct ui_mcall *c)
{
	if (c->list != UI_CL_ENDED && m->lists[c->list].head != c) {
		ui_call_unlink(m, c);
		ui_call_push(m, c, c->list);
	}
}

static void
ui_bytes_unlink(struct ui_model *m, struct ui_mcall *c)
{
	if (!c->bheld)
		return;
	if (c->bprev != NULL)
		c->bprev->bnext = c->bnext;
	else
		m->bhead = c->bnext;
	if (c->bnext != NULL)
		c->bnext->bprev = c->bprev;
	else
		m->btail = c->bprev;
	c->bprev = c->bnext = NULL;
	c->bheld = 0;
}

/* C was given raw bytes: the head of the byte holders. */
static void
ui_bytes_touch(struct ui_model *m, struct ui_mcall *c)
{
	if (m->bhead == c)
		return;
	ui_bytes_unlink(m, c);
	c->bnext = m->bhead;
	if (m->bhead != NULL)
		m->bhead->bprev = c;
	m->bhead = c;
	if (m->btail == NULL)
		m->btail = c;
	c->bheld = 1;
}

/* Release the raw bytes C keeps; its messages stay, without them. */
static void
ui_bytes_release(struct ui_model *m, struct ui_mcall *c)
{
	unsigned	i;

	ui_bytes_unlink(m, c);
	for (i = 0; i < c->nkept; i++) {
		free(c->msgs[i].raw);
		c->msgs[i].raw = NULL;
		c->msgs[i].raw_len = 0;
	}
	m->bytes -= c->bytes;
	c->bytes = 0;
	m->bytes_released++;
}

static void
ui_call_evict(struct ui_model *m, struct ui_mcall *c)
{
	struct ui_mcall	**pp;

	if (c->list == UI_CL_OTHER)
		m->others_evicted++;
	else
		m->calls_evicted++;
	ui_call_unlink(m, c);
	ui_bytes_unlink(m, c);
	for (pp = &m->calls[c->hv & m->calls_mask]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == c) {
			*pp = c->hnext;
			break;
		}
	}
	if (c->newer != NULL)
		c->newer->older = c->older;
	else
		m->call_newest = c->older;
	if (c->older != NULL)
		c->older->newer = c->newer;
	m->bytes -= c->bytes;
	m->ncalls--;
	ui_mcall_free(c);
}

/*
 * Make room for one more entry of the list WHICH (a call, or another
 * Call-ID) when its kind is at its cap: the oldest call that has ended
 * goes first; then the least recently updated open call.  KEEP is never
 * evicted.
 */
static void
ui_call_room(struct ui_model *m, enum ui_clist which,
    const struct ui_mcall *keep)
{
	struct ui_mcall	*v;

	if (which == UI_CL_OTHER) {
		if (m->lists[UI_CL_OTHER].n < m->lim.max_others)
			return;
		v = m->lists[UI_CL_OTHER].tail;
	} else {
		if (m->lists[UI_CL_OPEN].n + m->lists[UI_CL_ENDED].n <
		    m->lim.max_calls)
			return;
		v = m->lists[UI_CL_ENDED].n > 0 ? m->ended[0] : NULL;
		if (v == NULL || v == keep)
			v = m->lists[UI_CL_OPEN].tail;
	}
	if (v != NULL && v != keep)
		ui_call_evict(m, v);
}

/* The call whose Call-ID is the LEN bytes at CALL_ID (kept cut). */
static struct ui_mcall *
ui_call_find(struct ui_model *m, const char *call_id, size_t len)
{
	struct ui_mcall	*c;

	uint32_t	 hv;

	if (len > UI_CALLID_MAX - 1)
		len = UI_CALLID_MAX - 1;
	hv = ui_hash(call_id, len);
	for (c = m->calls[hv & m->calls_mask]; c != NULL; c = c->hnext) {
		if (c->hv == hv && c->keylen == len &&
		    memcmp(c->row.call_id, call_id, len) == 0)
			return (c);
	}
	return (NULL);
}

static struct ui_mcall *
ui_call_get(struct ui_model *m, const char *call_id, size_t len,
    int64_t ts_us)
{
	struct ui_mcall		*c;
	struct sip_str		 id;

	if ((c = ui_call_find(m, call_id, len)) != NULL) {
		ui_call_touch(m, c);
		return (c);
	}
	/* A Call-ID begins as another; its INVITE makes it a call. */
	ui_call_room(m, UI_CL_OTHER, NULL);
	c = xcalloc(1, sizeof *c);
	id.s = call_id;
	id.len = len;
	ui_strcpy(c->row.call_id, sizeof c->row.call_id, &id);
	c->keylen = strlen(c->row.call_id);
	c->hv = ui_hash(c->row.call_id, c->keylen);
	c->row.id = m->next_id++;
	c->row.start_us = ts_us;
	c->hnext = m->calls[c->hv & m->calls_mask];
	m->calls[c->hv & m->calls_mask] = c;
	c->older = m->call_newest;
	if (c->older != NULL)
		c->older->newer = c;
	m->call_newest = c;
	ui_call_push(m, c, UI_CL_OTHER);
	m->ncalls++;
	return (c);
}

static void
ui_call_host(struct ui_call_row *r, const struct sw_addr *a)
{
	unsigned	i;

	for (i = 0; i < r->nhosts; i++) {
		if (sw_addr_cmp(&r->hosts[i], a) == 0)
			return;
	}
	if (r->nhosts < UI_CALL_HOSTS)
		ui_addr_norm(&r->hosts[r->nhosts++], a);
}

/* Keep MSG in C, within the per-call and global limits. */
static void
ui_call_keep(struct ui_model *m, struct ui_mcall *c, const struct sip_msg *msg,
    int64_t ts_us, const struct sw_addr *src, const struct sw_addr *dst,
    int transport, int retrans)
{
	struct ui_msg	*um;

	if (c->nkept >= m->lim.max_msgs) {
		c->row.dropped++;
		return;
	}
	if (c->nkept == c->cap) {
		c->cap = c->cap == 0 ? 8 : c->cap * 2;
		if (c->cap > m->lim.max_msgs)
			c->cap = m->lim.max_msgs;
		c->msgs = xreallocarray(c->msgs, c->cap, sizeof *c->msgs);
	}
	um = &c->msgs[c->nkept++];
	memset(um, 0, sizeof *um);
	um->ts_us = ts_us;
	ui_addr_norm(&um->src, src);
	ui_addr_norm(&um->dst, dst);
	um->transport = (uint8_t)transport;
	um->retrans = retrans != 0;
	um->is_request = msg->is_request != 0;
	um->status = msg->status;
	um->cseq = msg->cseq;
	if (msg->is_request)
		ui_strcpy(um->method, sizeof um->method, &msg->method_name);
	else
		ui_strcpy(um->method, sizeof um->method,
		    &msg->cseq_method_name);
	ui_strcpy(um->reason, sizeof um->reason, &msg->reason);
	um->has_sdp = msg->body_len > 0 &&
	    sip_str_eq(&msg->content_type, "application/sdp");
	if (msg->raw != NULL && c->bytes + msg->raw_len <=
	    m->lim.max_call_bytes && msg->raw_len <= m->lim.max_bytes) {
		um->raw = xmalloc(msg->raw_len > 0 ? msg->raw_len : 1);
		memcpy(um->raw, msg->raw, msg->raw_len);
		um->raw_len = msg->raw_len;
		c->bytes += msg->raw_len;
		m->bytes += msg->raw_len;
		ui_bytes_touch(m, c);
	}
	/*
	 * Over the global budget: the raw bytes of the calls least recently
	 * given bytes go; their rows and ladders stay.
	 */
	while (m->bytes > m->lim.max_bytes && m->btail != NULL &&
	    m->btail != c)
		ui_bytes_release(m, m->btail);
}

/* --- updates ---------------------------------------------------------- */

static void
ui_hist_add(struct ui_model *m, int64_t ts_us, int cls)
{
	int64_t		sec = ts_us / 1000000;
	unsigned	i;

	/* A time before 1970 (a hostile capture) stays in the table. */
	i = (unsigned)(((sec % UI_HIST_SECS) + UI_HIST_SECS) % UI_HIST_SECS);
	if (m->hist_sec[i] != sec) {
		m->hist_sec[i] = sec;
		memset(m->hist[i], 0, sizeof m->hist[i]);
	}
	m->hist[i][cls - 1]++;
}

/* A message: the peers' counts, the response codes, the call's ladder. */
static void
ui_obs_message(struct ui_model *m, const struct track_obs *o)
{
	const struct sip_msg	*msg = o->u.msg.msg;
	struct ui_mcall		*c;
	struct ui_mpeer		*ps, *pd;
	struct ui_call_row	*r;
	enum sip_method		 meth;
	int			 st = msg->status;

	/* The peers as the tracker counts them: a scanner by its IP. */
	ps = ui_peer_get(m, o->u.msg.src_peer != NULL ? o->u.msg.src_peer :
	    o->u.msg.src, o->ts_us);
	ps->row.sent++;
	pd = ui_peer_get(m, o->u.msg.dst_peer != NULL ? o->u.msg.dst_peer :
	    o->u.msg.dst, o->ts_us);
	pd->row.received++;
	/* Every response message, as the report and tshark count them. */
	if (!msg->is_request && st >= 100 && st < 700) {
		m->codes[st]++;
		m->cls_total[st / 100 - 1]++;
		ui_hist_add(m, o->ts_us, st / 100);
	}
	if (o->call_id_len == 0)
		return;
	c = ui_call_get(m, o->call_id, o->call_id_len, o->ts_us);
	r = &c->row;
	r->gen = m->gen;
	r->nmsgs++;
	r->last_us = o->ts_us;
	meth = msg->is_request ? msg->method : msg->cseq_method;
	if ((unsigned)meth < 32)
		r->methods |= 1U << meth;
	if (st >= 100 && st < 700)
		r->codes[(st - 100) / 8] |= 1U << ((st - 100) % 8);
	/* The reason phrase of a final response, as its server sent it. */
	if (st >= 200 && st < 700 && meth == SIP_METHOD_INVITE) {
		ui_strcpy(r->reason, sizeof r->reason, &msg->reason);
		c->reason_code = st;
	}
	ui_call_host(r, o->u.msg.src);
	ui_call_host(r, o->u.msg.dst);
	ui_call_keep(m, c, msg, o->ts_us, o->u.msg.src, o->u.msg.dst,
	    o->u.msg.transport, o->u.msg.retrans);
	/* A Call-ID without a call is shown by its first request. */
	if (r->method[0] == '\0' && msg->is_request) {
		ui_strcpy(r->method, sizeof r->method, &msg->method_name);
		ui_nameaddr(r->caller, sizeof r->caller, &msg->from);
		ui_nameaddr(r->callee, sizeof r->callee, &msg->to);
	}
}

static enum ui_call_state
ui_call_state_of(enum track_call_state s)
{
	switch (s) {
	case TRACK_CALL_TRYING:
		return (UI_CALL_TRYING);
	case TRACK_CALL_EARLY:
		return (UI_CALL_RINGING);
	case TRACK_CALL_ANSWERED:
		return (UI_CALL_ANSWERED);
	case TRACK_CALL_ENDED:
		return (UI_CALL_ENDED);
	case TRACK_CALL_FAILED:
		return (UI_CALL_FAILED);
	case TRACK_CALL_CANCELLED:
		return (UI_CALL_CANCELLED);
	case TRACK_CALL_TIMEOUT:
		return (UI_CALL_TIMEOUT);
	}
	return (UI_CALL_OTHER);
}

/* A call began or changed state, as the tracker decided. */
static void
ui_obs_call(struct ui_model *m, const struct track_obs *o)
{
	const struct sip_msg	*inv = o->u.call.invite;
	struct ui_mcall		*c;
	struct ui_call_row	*r;
	enum ui_clist		 which;

	c = ui_call_get(m, o->call_id, o->call_id_len, o->ts_us);
	switch (o->u.call.state) {
	case TRACK_CALL_ENDED:
	case TRACK_CALL_FAILED:
	case TRACK_CALL_CANCELLED:
	case TRACK_CALL_TIMEOUT:
		which = UI_CL_ENDED;
		break;
	default:
		which = UI_CL_OPEN;
		break;
	}
	if (c->list == UI_CL_OTHER) {
		/* A call now: it takes a call's place. */
		ui_call_room(m, UI_CL_OPEN, c);
		m->calls_seen++;
	}
	if (c->list != which) {
		ui_call_unlink(m, c);
		ui_call_push(m, c, which);
	}
	r = &c->row;
	r->gen = m->gen;
	r->invite = 1;
	r->state = ui_call_state_of(o->u.call.state);
	r->code = o->u.call.state == TRACK_CALL_FAILED ||
	    o->u.call.state == TRACK_CALL_CANCELLED ? o->u.call.final_code : 0;
	if (r->code == 0 || c->reason_code != r->code)
		r->reason[0] = '\0';
	r->ended_by = o->u.call.ended_by;
	r->leg_group = o->u.call.leg_group;
	r->legs_by = o->u.call.legs_by;
	if (r->ended_by == TRACK_END_NONE && which == UI_CL_ENDED)
		r->ended_by = o->u.call.state == TRACK_CALL_CANCELLED ?
		    TRACK_END_CANCEL : o->u.call.state == TRACK_CALL_TIMEOUT ?
		    TRACK_END_TIMEOUT : TRACK_END_REJECTED;
	r->answer_us = o->u.call.answer_us;
	r->end_us = o->u.call.end_us;
	/* A call that failed ends with the observation that says so. */
	if (r->end_us == 0 && which == UI_CL_ENDED)
		r->end_us = o->ts_us;
	if (inv != NULL) {
		ui_strcpy(r->method, sizeof r->method, &inv->method_name);
		ui_nameaddr(r->caller, sizeof r->caller, &inv->from);
		if (inv->ruri_user.s != NULL)
			ui_strcpy(r->callee, sizeof r->callee,
			    &inv->ruri_user);
		else
			ui_nameaddr(r->callee, sizeof r->callee, &inv->to);
	}
}

static void
ui_obs_transfer(struct ui_model *m, const struct track_obs *o)
{
	struct ui_call_row	*r;
	struct sip_str		 to;

	r = &ui_call_get(m, o->call_id, o->call_id_len, o->ts_us)->row;
	r->gen = m->gen;
	r->xfer_code = 0;
	switch (o->u.xfer.state) {
	case TRACK_XFER_REQUESTED:
		r->xfer = UI_XFER_REQUESTED;
		if (o->u.xfer.refer != NULL)
			ui_nameaddr(r->refer_to, sizeof r->refer_to,
			    &o->u.xfer.refer->refer_to);
		else {
			to.s = o->u.xfer.refer_to;
			to.len = to.s != NULL ? strlen(to.s) : 0;
			ui_strcpy(r->refer_to, sizeof r->refer_to, &to);
		}
		break;
	case TRACK_XFER_ACCEPTED:
		r->xfer = UI_XFER_ACCEPTED;
		break;
	case TRACK_XFER_SUCCEEDED:
		r->xfer = UI_XFER_DONE;
		break;
	case TRACK_XFER_REJECTED:
	case TRACK_XFER_FAILED:
		r->xfer = UI_XFER_FAILED;
		r->xfer_code = o->u.xfer.code;
		break;
	case TRACK_XFER_NO_NOTIFY:
		break;
	}
}

/*
 * The first final response of a transaction: the server's shares (a
 * digest challenge is not counted at all; the called user's busy or
 * decline is not the server's failure, RFC 6076 4.7), and the last answer
 * of a Call-ID that is not a call.
 */
static void
ui_obs_final(struct ui_model *m, const struct track_obs *o)
{
	struct ui_mpeer		*p;
	struct ui_mcall		*c;
	int			 code = o->u.final.code;

	if (o->call_id_len > 0 &&
	    (c = ui_call_find(m, o->call_id, o->call_id_len)) != NULL &&
	    !c->row.invite)
		c->row.code = code;
	if (o->u.final.cls == TRACK_FINAL_CHALLENGE)
		return;
	p = ui_peer_get(m, o->u.final.server, o->ts_us);
	p->row.finals++;
	if (o->u.final.cls != TRACK_FINAL_FAILURE)
		return;
	if (code >= 400 && code < 500)
		p->row.c4++;
	else if (code >= 500 && code < 600)
		p->row.c5++;
	else if (code >= 600)
		p->row.c6++;
}

/* An attack rule spoke about a source: its row moves to the front. */
static void
ui_obs_attack(struct ui_model *m, const struct track_obs *o)
{
	const struct rule_attack	*f = o->u.attack.facts;
	const struct rule_entry		*e = rules_entry(o->u.attack.rule);
	struct ui_attack_row		 r;
	unsigned			 i;

	memset(&r, 0, sizeof r);
	for (i = 0; i < m->nattacks; i++) {
		if (sw_addr_ip_cmp(&m->attacks[i].source,
		    o->u.attack.source) == 0) {
			r = m->attacks[i];
			memmove(&m->attacks[i], &m->attacks[i + 1],
			    (m->nattacks - i - 1) * sizeof m->attacks[0]);
			m->nattacks--;
			break;
		}
	}
	if (i == m->nattacks)
		r.first_us = o->ts_us;
	r.source = *o->u.attack.source;
	snprintf(r.kind, sizeof r.kind, "%s", e != NULL ? e->id : "?");
	if (o->u.attack.outcome > r.outcome)
		r.outcome = o->u.attack.outcome;
	if (f != NULL) {
		r.requests = f->requests;
		r.hosts = f->hosts;
		r.users = f->users;
		r.accounts = f->accounts;
		r.fraud_calls = f->fraud_attempts;
		r.kinds = f->kinds;
	}
	r.last_us = o->ts_us;
	if (m->nattacks == UI_ATTACKS_MAX)
		m->nattacks--;
	memmove(&m->attacks[1], &m->attacks[0],
	    m->nattacks * sizeof m->attacks[0]);
	m->attacks[0] = r;
	m->nattacks++;
}

/*
 * A call's media facts and streams, as the tracker published them: the
 * codec, the worst MOS and the flags for its row, the streams (a bounded
 * copy, the count exact) for its view.  A call the model does not hold
 * (never seen, or evicted) is not made for them.
 */
static void
ui_obs_media(struct ui_model *m, const struct track_obs *o)
{
	const struct track_media	*md = o->u.media.media;
	struct ui_mcall			*c;
	struct ui_call_row		*r;
	unsigned			 n = o->u.media.nstreams;

	if (o->call_id_len == 0 || md == NULL ||
	    (c = ui_call_find(m, o->call_id, o->call_id_len)) == NULL)
		return;
	r = &c->row;
	r->gen = m->gen;
	snprintf(r->codec, sizeof r->codec, "%s",
	    md->codec != NULL ? md->codec : "");
	r->mos_known = md->mos_known != 0;
	r->mos = md->mos_known ? md->worst_mos : 0;
	r->mflags = md->flags;
	r->nstreams = o->u.media.streams_total;
	if (n > TRACK_MEDIA_STREAMS_KEEP)
		n = TRACK_MEDIA_STREAMS_KEEP;
	if (o->u.media.streams == NULL)
		n = 0;
	if (n != c->nstreams) {
		free(c->streams);
		c->streams = n > 0 ? xcalloc(n, sizeof *c->streams) : NULL;
		c->nstreams = n;
	}
	if (n > 0)
		memcpy(c->streams, o->u.media.streams, n * sizeof *c->streams);
	c->streams_total = o->u.media.streams_total;
}

void
ui_model_observe(const struct track_obs *o, void *arg)
{
	struct ui_model	*m = arg;
	struct ui_mpeer	*p;

	ui_model_lock(m);
	m->gen++;
	if (o->ts_us > m->last_ts_us)
		m->last_ts_us = o->ts_us;
	switch (o->type) {
	case TRACK_OBS_MESSAGE:
		ui_obs_message(m, o);
		break;
	case TRACK_OBS_CALL:
		ui_obs_call(m, o);
		break;
	case TRACK_OBS_TRANSFER:
		ui_obs_transfer(m, o);
		break;
	case TRACK_OBS_FINAL:
		ui_obs_final(m, o);
		break;
	case TRACK_OBS_SRD:
		if (!o->u.srd.failed)
			ui_peer_pdd(m, o->u.srd.server, o->u.srd.srd_us,
			    o->ts_us);
		break;
	case TRACK_OBS_BACKOFF:
		p = ui_peer_get(m, o->u.backoff.server, o->ts_us);
		p->row.backoff_until_us = o->u.backoff.until_us;
		p->row.retry_after = o->u.backoff.retry_after;
		p->row.backoff_code = o->u.backoff.code;
		break;
	case TRACK_OBS_MEDIA:
		ui_obs_media(m, o);
		break;
	case TRACK_OBS_RELEASE:
		break;
	case TRACK_OBS_ATTACK:
		ui_obs_attack(m, o);
		break;
	}
	ui_model_unlock(m);
}

/* Add RULE to the rules raised about the call R, once. */
static void
ui_row_rule(struct ui_call_row *r, const char *rule)
{
	size_t	len = strlen(r->rules), n = strlen(rule);
	char	*p;

	for (p = r->rules; (p = strstr(p, rule)) != NULL; p += n) {
		if ((p == r->rules || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return;
	}
	if (len + (len > 0) + n + 1 > sizeof r->rules)
		return;		/* full: the first ones stay */
	if (len > 0)
		r->rules[len++] = ' ';
	memcpy(r->rules + len, rule, n + 1);
}

void
ui_model_alert(struct ui_model *m, const struct alert *a)
{
	struct ui_alert_item	*it;
	struct ui_mcall		*c;
	unsigned		 i;

	ui_model_lock(m);
	m->gen++;
	it = &m->alerts[m->alert_seq % m->lim.max_alerts];
	if (m->alert_seq >= m->lim.max_alerts)
		alert_clear(&it->a);
	alert_copy(&it->a, a);
	it->seq = ++m->alert_seq;

	/* Badges and call marks count incidents, not their later lines. */
	if (a->event != ALERT_EVENT_RAISE)
		goto done;
	for (i = 0; i < m->nrules; i++) {
		if (strcmp(m->rules[i].rule, a->rule) == 0)
			break;
	}
	if (i == m->nrules && m->nrules < UI_RULES_MAX) {
		snprintf(m->rules[i].rule, sizeof m->rules[i].rule, "%s",
		    a->rule);
		m->rules[i].severity = a->severity;
		m->nrules++;
	}
	if (i < m->nrules)
		m->rules[i].n++;

	if (a->call_id != NULL && *a->call_id != '\0' &&
	    (c = ui_call_find(m, a->call_id, strlen(a->call_id))) != NULL) {
		c->row.nalerts++;
		c->row.gen = m->gen;
		ui_row_rule(&c->row, a->rule);
		/* Its alert line, for as long as the call is held. */
		if (c->alert == NULL)
			c->alert = xcalloc(1, sizeof *c->alert);
		else if (a->severity <= c->alert->severity)
			alert_clear(c->alert);
		else
			goto done;
		alert_copy(c->alert, a);
	}
done:
	if (a->ts_us > m->last_ts_us)
		m->last_ts_us = a->ts_us;
	ui_model_unlock(m);
}

void
ui_model_stats(struct ui_model *m, const struct stats *st,
    unsigned transactions, unsigned call_ids, uint64_t done, uint64_t total)
{
	ui_model_lock(m);
	m->gen++;
	m->st = *st;
	m->have_stats = 1;
	m->transactions = transactions;
	m->call_ids = call_ids;
	m->done = done;
	m->total = total;
	if (st->last_ts_us > m->last_ts_us)
		m->last_ts_us = st->last_ts_us;
	ui_model_unlock(m);
}

void
ui_model_calls(struct ui_model *m, const struct track_call_tally *t)
{
	ui_model_lock(m);
	m->gen++;
	m->tally = *t;
	m->have_tally = 1;
	ui_model_unlock(m);
}

void
ui_model_finish(struct ui_model *m, int status)
{
	ui_model_lock(m);
	m->gen++;
	m->finished = 1;
	m->status = status;
	ui_model_unlock(m);
}

/* --- copies for the UI thread ----------------------------------------- */

static void
ui_snap_alerts(struct ui_model *m, struct ui_snap *s)
{
	uint64_t	 nnew, seq, i;
	unsigned	 cap = m->lim.max_alerts, keep, k;

	if (s->alerts == NULL) {
		s->alerts = xcalloc(cap, sizeof *s->alerts);
		s->alerts_cap = cap;
	}
	nnew = m->alert_seq - s->alert_seq;
	if (nnew == 0)
		return;
	if (nnew > cap)
		nnew = cap;
	/* The oldest that no longer fit go. */
	keep = s->nalerts;
	if (keep + nnew > cap)
		keep = cap - (unsigned)nnew;
	for (k = keep; k < s->nalerts; k++)
		alert_clear(&s->alerts[k].a);
	memmove(&s->alerts[nnew], &s->alerts[0], keep * sizeof *s->alerts);
	/* Newest first. */
	for (i = 0; i < nnew; i++) {
		seq = m->alert_seq - i;
		alert_copy(&s->alerts[i].a,
		    &m->alerts[(seq - 1) % cap].a);
		s->alerts[i].seq = seq;
	}
	s->nalerts = keep + (unsigned)nnew;
	s->alert_seq = m->alert_seq;
}

static void
ui_snap_hist(struct ui_model *m, struct ui_snap *s)
{
	int64_t		now_sec = s->now_us / 1000000, sec;
	unsigned	k, i;

	for (k = 0; k < UI_HIST_SECS; k++) {
		sec = now_sec - (UI_HIST_SECS - 1) + k;
		i = (unsigned)(((sec % UI_HIST_SECS) + UI_HIST_SECS) %
		    UI_HIST_SECS);
		if (sec >= 0 && m->hist_sec[i] == sec)
			memcpy(s->hist[k], m->hist[i], sizeof s->hist[k]);
		else
			memset(s->hist[k], 0, sizeof s->hist[k]);
	}
}

void
ui_model_snapshot(struct ui_model *m, struct ui_snap *s)
{
	struct ui_mcall	*c;
	struct ui_mpeer	*p;
	unsigned	 k;

	ui_model_lock(m);
	snprintf(s->kind, sizeof s->kind, "%s", m->kind);
	snprintf(s->source, sizeof s->source, "%s", m->source);
	s->live = m->live;
	s->speed = m->speed;
	s->finished = m->finished;
	s->status = m->status;
	s->have_stats = m->have_stats;
	s->st = m->st;
	s->tally = m->tally;
	s->have_tally = m->have_tally;
	s->transactions = m->transactions;
	s->call_ids = m->call_ids;
	s->done = m->done;
	s->total = m->total;
	s->now_us = m->last_ts_us;
	if (m->live && !m->finished)
		s->now_us = sw_clock_us(CLOCK_REALTIME);
	memcpy(s->codes, m->codes, sizeof s->codes);
	memcpy(s->cls_total, m->cls_total, sizeof s->cls_total);
	ui_snap_hist(m, s);

	ui_snap_alerts(m, s);
	memcpy(s->rules, m->rules, sizeof s->rules);
	s->nrules = m->nrules;
	memcpy(s->attacks, m->attacks, sizeof s->attacks);
	s->nattacks = m->nattacks;
	s->alerts_total = m->alert_seq;

	if (s->peers_cap < m->npeers) {
		s->peers_cap = m->lim.max_peers;
		s->peers = xreallocarray(s->peers, s->peers_cap,
		    sizeof *s->peers);
	}
	k = 0;
	for (p = m->peer_head; p != NULL; p = p->next)
		s->peers[k++] = p->row;
	s->npeers = k;

	if (s->calls_cap < m->ncalls) {
		s->calls_cap = m->lim.max_calls + m->lim.max_others;
		s->calls = xreallocarray(s->calls, s->calls_cap,
		    sizeof *s->calls);
	}
	k = 0;
	for (c = m->call_newest; c != NULL; c = c->older)
		s->calls[k++] = c->row;
	s->ncalls = k;
	s->calls_total = m->next_id - 1;
	s->calls_seen = m->calls_seen;
	s->calls_evicted = m->calls_evicted;
	s->others_evicted = m->others_evicted;
	s->max_calls = m->lim.max_calls;
	s->gen = m->gen;
	ui_model_unlock(m);
}

void
ui_snap_free(struct ui_snap *s)
{
	unsigned	i;

	for (i = 0; i < s->nalerts; i++)
		alert_clear(&s->alerts[i].a);
	free(s->alerts);
	free(s->peers);
	free(s->calls);
	memset(s, 0, sizeof *s);
}

/* Append C's streams to OUT's. */
static void
ui_call_copy_streams(struct ui_call *out, const struct ui_mcall *c)
{
	out->streams_total += c->streams_total;
	if (c->nstreams == 0)
		return;
	out->streams = xreallocarray(out->streams, out->nstreams +
	    c->nstreams, sizeof *out->streams);
	memcpy(out->streams + out->nstreams, c->streams,
	    c->nstreams * sizeof *out->streams);
	out->nstreams += c->nstreams;
}

/* Append C's messages, with their raw bytes, to OUT as leg LEG. */
static void
ui_call_copy_msgs(struct ui_call *out, const struct ui_mcall *c, uint8_t leg)
{
	struct ui_msg	*d;
	unsigned	 i;

	if (c->nkept == 0)
		return;
	out->msgs = xreallocarray(out->msgs, out->nmsgs + c->nkept,
	    sizeof *out->msgs);
	for (i = 0; i < c->nkept; i++) {
		d = &out->msgs[out->nmsgs++];
		*d = c->msgs[i];
		d->leg = leg;
		if (c->msgs[i].raw != NULL) {
			d->raw = xmalloc(c->msgs[i].raw_len + 1);
			memcpy(d->raw, c->msgs[i].raw, c->msgs[i].raw_len);
		}
	}
}

struct ui_call *
ui_model_call(struct ui_model *m, const char *call_id, uint64_t *gen)
{
	struct ui_mcall	*c;
	struct ui_call	*out;

	ui_model_lock(m);
	c = ui_call_find(m, call_id, strlen(call_id));
	if (c == NULL || (gen != NULL && *gen == c->row.gen)) {
		ui_model_unlock(m);
		return (NULL);
	}
	out = xcalloc(1, sizeof *out);
	out->row = c->row;
	if (c->alert != NULL) {
		alert_copy(&out->alert, c->alert);
		out->has_alert = 1;
	}
	ui_call_copy_msgs(out, c, 0);
	ui_call_copy_streams(out, c);
	if (gen != NULL)
		*gen = c->row.gen;
	ui_model_unlock(m);
	return (out);
}

/*
 * The N messages of MSGS, each leg's in capture order one after the
 * other, merged in time order (a leg's own order kept; on a tie, the
 * older leg first).
 */
static void
ui_msgs_merge(struct ui_msg *msgs, unsigned n, unsigned nlegs)
{
	struct ui_msg	*out;
	unsigned	 pos[UI_LEGS_MAX], end[UI_LEGS_MAX], i, k, best;

	memset(pos, 0, sizeof pos);
	for (i = 0, k = 0; k < nlegs; k++) {
		pos[k] = i;
		while (i < n && msgs[i].leg == k)
			i++;
		end[k] = i;
	}
	out = xcalloc(n, sizeof *out);
	for (i = 0; i < n; i++) {
		best = nlegs;
		for (k = 0; k < nlegs; k++) {
			if (pos[k] < end[k] && (best == nlegs ||
			    msgs[pos[k]].ts_us < msgs[pos[best]].ts_us))
				best = k;
		}
		out[i] = msgs[pos[best]++];
	}
	memcpy(msgs, out, n * sizeof *msgs);
	free(out);
}

struct ui_call *
ui_model_call_legs(struct ui_model *m, const char *call_id, uint64_t *gen)
{
	struct ui_mcall	*c, *legs[UI_LEGS_MAX], *l;
	struct ui_call	*out;
	uint64_t	 g;
	unsigned	 n = 0, i, k;

	ui_model_lock(m);
	c = ui_call_find(m, call_id, strlen(call_id));
	if (c == NULL || c->row.leg_group == 0) {
		ui_model_unlock(m);
		return (ui_model_call(m, call_id, gen));
	}
	/* The legs, oldest first (the creation list runs newest first). */
	for (l = m->call_newest; l != NULL; l = l->older) {
		if (l->row.leg_group != c->row.leg_group || !l->row.invite)
			continue;
		if (n == UI_LEGS_MAX) {
			if (l == c)	/* the one asked for stays */
				legs[UI_LEGS_MAX - 1] = c;
			continue;
		}
		legs[n++] = l;
	}
	if (n < 2) {
		ui_model_unlock(m);
		return (ui_model_call(m, call_id, gen));
	}
	for (i = 0; i < n / 2; i++) {
		l = legs[i];
		legs[i] = legs[n - 1 - i];
		legs[n - 1 - i] = l;
	}
	for (g = 0, i = 0; i < n; i++)
		g = legs[i]->row.gen > g ? legs[i]->row.gen : g;
	g += n;		/* a leg that went changes it too */
	if (gen != NULL && *gen == g) {
		ui_model_unlock(m);
		return (NULL);
	}
	out = xcalloc(1, sizeof *out);
	out->row = legs[0]->row;
	out->row.nhosts = 0;
	out->legs = xcalloc(n, sizeof *out->legs);
	out->nlegs = n;
	for (i = 0; i < n; i++) {
		out->legs[i] = legs[i]->row;
		ui_call_copy_msgs(out, legs[i], (uint8_t)i);
		ui_call_copy_streams(out, legs[i]);
		if (out->has_alert)
			continue;
		if (legs[i]->alert != NULL && (legs[i] == c ||
		    c->alert == NULL)) {
			alert_copy(&out->alert, legs[i]->alert);
			out->has_alert = 1;
		}
	}
	if (c->alert != NULL && !out->has_alert) {
		alert_copy(&out->alert, c->alert);
		out->has_alert = 1;
	}
	ui_model_unlock(m);
	/* Every leg's streams, in order of first packet. */
	for (i = 1; i < out->nstreams; i++) {
		struct track_media_stream	t = out->streams[i];

		for (k = i; k > 0 && out->streams[k - 1].first_us >
		    t.first_us; k--)
			out->streams[k] = out->streams[k - 1];
		out->streams[k] = t;
	}
	/* One ladder: in time order, the elements as they appear. */
	if (out->nmsgs > 1)
		ui_msgs_merge(out->msgs, out->nmsgs, n);
	for (k = 0; k < out->nmsgs; k++) {
		ui_call_host(&out->row, &out->msgs[k].src);
		ui_call_host(&out->row, &out->msgs[k].dst);
	}
	if (gen != NULL)
		*gen = g;
	return (out);
}

void
ui_call_free(struct ui_call *c)
{
	unsigned	i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nmsgs; i++)
		free(c->msgs[i].raw);
	free(c->msgs);
	free(c->legs);
	free(c->streams);
	if (c->has_alert)
		alert_clear(&c->alert);
	free(c);
}
