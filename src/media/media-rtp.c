/*
 * media-rtp.c: RTP packets (RFC 3550 5.1) and the measurements of a
 * stream: sequence tracking and loss (A.1, A.3), interarrival jitter
 * (A.8), duplicates and reordering, lateness for a nominal jitter buffer,
 * payload types, comfort noise (RFC 3389) and DTMF events (RFC 4733).
 *
 * Per packet: one hash lookup of the stream and a constant amount of
 * arithmetic; the flow's announcement is looked at again only when
 * announcements changed.  Nothing is allocated unless a new stream
 * appears (and then from a free list once the table has grown).
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "core/cursor.h"
#include "decode/decode.h"
#include "media/media-int.h"

/* The RTP fixed header, as read from the wire. */
struct media_rtp_hdr {
	uint8_t		 marker;
	uint8_t		 pt;
	uint16_t	 seq;
	uint32_t	 ts;
	uint32_t	 ssrc;
	size_t		 payload_off;	/* after CSRCs and the extension */
	size_t		 payload_len;	/* without padding */
};

/*
 * RFC 3550 5.1 and 5.3.1: version 2 (checked by the caller), CC CSRCs,
 * an extension header when X is set, padding whose count fits the
 * payload.  0, or -1 when the header does not fit.
 */
static int
media_rtp_parse(const uint8_t *p, size_t len, struct media_rtp_hdr *h)
{
	struct cursor	c;
	uint8_t		b0, b1;
	uint16_t	extlen, prof;
	size_t		pad = 0;

	cur_init(&c, p, len);
	if (cur_get_u8(&c, &b0) == -1 || cur_get_u8(&c, &b1) == -1 ||
	    cur_get_be16(&c, &h->seq) == -1 || cur_get_be32(&c, &h->ts) == -1 ||
	    cur_get_be32(&c, &h->ssrc) == -1)
		return (-1);
	h->marker = b1 >> 7;
	h->pt = b1 & 0x7f;
	if (cur_skip(&c, 4 * (size_t)(b0 & 0x0f)) == -1)
		return (-1);
	if (b0 & 0x10) {
		if (cur_get_be16(&c, &prof) == -1 ||
		    cur_get_be16(&c, &extlen) == -1 ||
		    cur_skip(&c, 4 * (size_t)extlen) == -1)
			return (-1);
	}
	if (b0 & 0x20) {
		/* The last octet counts the padding, itself included. */
		pad = p[len - 1];
		if (pad == 0 || pad > cur_left(&c))
			return (-1);
	}
	h->payload_off = len - cur_left(&c);
	h->payload_len = cur_left(&c) - pad;
	return (0);
}

/* Payload type PT of S's flow, from its announcement or RFC 3551. */
static const struct media_pmap *
media_pmap_find(const struct media_stream *s, int pt)
{
	const struct media_exp	*e;
	unsigned		 i;

	if (s->flow == NULL || (e = s->flow->assoc.exp) == NULL)
		return (NULL);
	for (i = 0; i < e->npmap; i++) {
		if (e->pmap[i].pt == pt)
			return (&e->pmap[i]);
	}
	return (NULL);
}

/*
 * What payload type PT means for S (its clock rate, and whether it is
 * audio, comfort noise or telephone-event): the announcement's map first,
 * then the static assignments.  Taken again when PT changes or the
 * flow's announcement does.
 */
void
media_rtp_ptkind(struct media *m, struct media_stream *s, int pt)
{
	const struct media_pmap	*pm;
	const char		*name = NULL;
	uint32_t		 clock = 0;

	s->last_pt = (int16_t)pt;
	s->gen = m->exp_gen;
	if ((pm = media_pmap_find(s, pt)) != NULL) {
		name = pm->name;
		clock = pm->clock;
	} else
		(void)sdp_static_payload(pt, &name, &clock, NULL);
	s->clock = clock;
	if (name != NULL && strcasecmp(name, "telephone-event") == 0)
		s->last_kind = MEDIA_PT_DTMF;
	else if (name != NULL && strcasecmp(name, "CN") == 0)
		s->last_kind = MEDIA_PT_CN;
	else
		s->last_kind = MEDIA_PT_AUDIO;
}

static void
media_seq_init(struct media_stream *s, uint16_t seq)
{
	s->base_seq = seq;
	s->max_seq = seq;
	s->bad_seq = MEDIA_SEQ_MOD + 1;
	s->cycles = 0;
	s->received = 0;
	s->window = 1;
}

/* Expected in the current epoch (A.3). */
static uint64_t
media_seq_expected(const struct media_stream *s)
{
	return ((uint64_t)s->cycles + s->max_seq - s->base_seq + 1);
}

/*
 * End of probation (RFC 3550 A.1): the stream is valid.  The loss count
 * starts at the stream's first packet when every packet so far lies
 * within MAX_DROPOUT ahead of it (as a receiver that buffers its
 * probation counts them: Wireshark does the same), else at the run of
 * sequential packets that validated it.  INCLUDED: the current packet is
 * already counted in the run.
 */
static void
media_seq_validate(struct media *m, struct media_stream *s, int included)
{
	uint16_t	d = (uint16_t)(s->max_seq - s->first_seq);
	unsigned	k;

	s->probation = 0;
	if (!s->pre_bad && d < MEDIA_MAX_DROPOUT && s->pre_off_max <= d) {
		s->base_seq = s->first_seq;
		s->received = s->packets + (included ? 1 : 0);
	} else {
		s->base_seq = s->run_base;
		s->received = s->run;
	}
	s->cycles = s->max_seq < s->base_seq ? MEDIA_SEQ_MOD : 0;
	s->bad_seq = MEDIA_SEQ_MOD + 1;
	/* The run is known to be there; earlier packets are not placed. */
	k = (uint16_t)(s->max_seq - s->run_base);
	s->window = k >= 63 ? ~0ULL : (1ULL << (k + 1)) - 1;
	media_stream_validate(m, s);
}

/*
 * RFC 3550 A.1 update_seq(), with two departures kept exact for loss:
 * the packets before validation count (media_seq_validate()), and a
 * restart after a big jump closes the epoch (its expected and received
 * are kept, A.3 goes on from the new base).  Also counts duplicates and
 * reordering within the last 64 sequence numbers (a bitmap).  Returns 1
 * when the packet is part of the sequence (A.1 returns 1), else 0.
 */
static int
media_seq_update(struct media *m, struct media_stream *s, uint16_t seq)
{
	uint16_t	udelta = (uint16_t)(seq - s->max_seq);
	uint16_t	off;
	unsigned	k;

	if (s->probation) {
		off = (uint16_t)(seq - s->first_seq);
		if (off >= MEDIA_MAX_DROPOUT)
			s->pre_bad = 1;
		else if (off > s->pre_off_max)
			s->pre_off_max = off;
		if (s->flow->assoc.exp != NULL)
			media_seq_validate(m, s, 0);	/* announced now */
		else if (seq == (uint16_t)(s->max_seq + 1)) {
			s->max_seq = seq;
			s->run++;
			if (--s->probation > 0)
				return (0);
			media_seq_validate(m, s, 1);
			return (1);
		} else {
			/* Not in sequence: the run starts again. */
			s->probation = MEDIA_MIN_SEQUENTIAL - 1;
			s->max_seq = seq;
			s->run_base = seq;
			s->run = 1;
			return (0);
		}
		udelta = (uint16_t)(seq - s->max_seq);
	}
	if (udelta == 0) {
		/* The highest again: a duplicate (A.1 counts it received). */
		s->duplicates++;
		s->seq_errors++;
	} else if (udelta < MEDIA_MAX_DROPOUT) {
		/* In order, with a permissible gap. */
		if (seq < s->max_seq)
			s->cycles += MEDIA_SEQ_MOD;
		if (udelta > 1) {
			s->seq_errors++;
			s->bursts++;
		}
		s->window = udelta >= 64 ? 1 : (s->window << udelta) | 1;
		s->max_seq = seq;
	} else if (udelta <= MEDIA_SEQ_MOD - MEDIA_MAX_MISORDER) {
		/* A very large jump. */
		s->seq_errors++;
		if (seq != s->bad_seq) {
			s->bad_seq = (seq + 1) & (MEDIA_SEQ_MOD - 1);
			return (0);
		}
		/* Two in sequence after the jump: the source restarted. */
		s->prev_expected += media_seq_expected(s);
		s->prev_received += s->received;
		s->restarts++;
		media_seq_init(s, seq);
	} else {
		/* Behind the highest by at most MAX_MISORDER. */
		k = (uint16_t)(s->max_seq - seq);
		s->seq_errors++;
		if (k < 64 && (s->window & (1ULL << k)))
			s->duplicates++;
		else {
			if (k < 64)
				s->window |= 1ULL << k;
			s->out_of_order++;
		}
	}
	s->received++;
	return (1);
}

/* RFC 4733 2.3: an event is identified by its timestamp; its digit. */
static void
media_dtmf(struct media_stream *s, const uint8_t *p, size_t len, uint32_t ts)
{
	static const char	 digits[] = "0123456789*#ABCDF?";
	uint8_t			 ev;

	if (len < 4)
		return;
	if (s->dtmf_have && ts == s->dtmf_ts)
		return;		/* the same event, updated or ended */
	s->dtmf_have = 1;
	s->dtmf_ts = ts;
	s->dtmf_events++;
	ev = p[0];
	if (s->ndtmf < MEDIA_DTMF_KEEP) {
		/* events 0-15: digits, 16: flash, the rest unnamed */
		s->dtmf[s->ndtmf++] = digits[ev < 17 ? ev : 17];
		s->dtmf[s->ndtmf] = '\0';
	}
}

/*
 * Jitter (A.8) and the nominal jitter buffer, for a packet of known clock
 * rate that is not telephone-event (whose timestamp is the event's
 * start).  ARR is the arrival time in ms since the stream's first packet.
 */
static void
media_jitter(struct media *m, struct media_stream *s,
    const struct media_rtp_hdr *h, double arr, int regular, int forward)
{
	double	d, transit;
	int32_t	dts;

	/*
	 * The timestamp went back by more than a second while the sequence
	 * went on: the sender reset its clock (A.8 would take the jump for
	 * seconds of jitter; Wireshark stops measuring).  The measurement
	 * starts again from here.  A smaller step back is the sender's
	 * jitter, measured as A.8 says.
	 */
	if (s->have_last && forward &&
	    (int32_t)(h->ts - s->last_ts) < -(int32_t)s->clock) {
		s->ts_resets++;
		s->have_last = 0;
	}
	if (!s->have_last) {
		s->have_last = 1;
		s->ts_ext = 0;
		s->jb_cur_min = s->jb_prev_min = arr;
		s->jb_win_ms = arr;
		s->last_arr_ms = arr;
		s->last_ts = h->ts;
		return;
	}
	dts = (int32_t)(h->ts - s->last_ts);
	if (dts > 0 && (s->ts_step == 0 || (uint32_t)dts < s->ts_step))
		s->ts_step = (uint32_t)dts;
	/* D(i,j) = (Rj - Ri) - (Sj - Si), in ms; J += (|D| - J) / 16 */
	d = (arr - s->last_arr_ms) - (double)dts * 1000.0 / s->clock;
	s->jitter_ms += (fabs(d) - s->jitter_ms) / 16.0;
	if (regular) {
		if (s->jitter_ms > s->max_jitter_ms)
			s->max_jitter_ms = s->jitter_ms;
		s->jitter_sum += s->jitter_ms;
		s->jitter_n++;
	}
	s->last_arr_ms = arr;
	s->last_ts = h->ts;

	/*
	 * Transit relative to the earliest seen in this window or the last:
	 * beyond the nominal depth the packet would miss its playout.
	 */
	s->ts_ext += dts;
	transit = arr - (double)s->ts_ext * 1000.0 / s->clock;
	if (h->marker || s->prev_cn) {
		/*
		 * A talk spurt starts (RFC 3550 5.1, RFC 3389): a receiver
		 * sets its playout delay again here, so lateness is measured
		 * from this packet on.
		 */
		s->jb_cur_min = s->jb_prev_min = transit;
		s->jb_win_ms = arr;
	} else if (arr - s->jb_win_ms > MEDIA_JB_WINDOW_MS) {
		s->jb_prev_min = s->jb_cur_min;
		s->jb_cur_min = transit;
		s->jb_win_ms = arr;
	}
	if (transit < s->jb_cur_min)
		s->jb_cur_min = transit;
	if (transit - fmin(s->jb_cur_min, s->jb_prev_min) > m->o.jb_ms) {
		/* Late packets in a row are one loss run (G.107 BurstR). */
		s->late++;
		if (!s->late_run)
			s->bursts++;
		s->late_run = 1;
	} else
		s->late_run = 0;
}

enum media_kind
media_rtp_packet(struct media *m, const struct decode_pkt *pkt)
{
	struct media_rtp_hdr	 h;
	struct media_skey	 k;
	struct media_stream	*s;
	struct media_flow	*f;
	double			 arr, delta;
	uint32_t		 hash;
	uint16_t		 prev_max;
	int			 regular, forward = 0;

	if (pkt->len < 12 || media_rtp_parse(pkt->payload, pkt->len, &h) == -1) {
		m->st.not_media++;
		return (MEDIA_NONE);
	}
	m->st.rtp_packets++;
	media_fkey_make(&k.f, &pkt->src, &pkt->dst);
	k.ssrc = h.ssrc;
	hash = media_hash(&k, sizeof k);
	HASH_FIND_BYHASHVALUE(hh, m->streams, &k, sizeof k, hash, s);
	/* Announcements changed since this stream last looked: its flow
	 * may belong to a call now, or another one, and PTs mean more. */
	if (s != NULL && s->gen != m->exp_gen) {
		if (s->flow->assoc_gen != m->exp_gen &&
		    media_assoc_check(m, s->flow))
			s = NULL;	/* the flow changed call: new streams */
		else
			media_rtp_ptkind(m, s, s->last_pt);
	}
	if (s == NULL) {
		if (m->nstreams >= m->o.max_streams)
			media_stream_evict(m);
		f = media_flow_get(m, &k.f);
		if (f->assoc_gen != m->exp_gen)
			(void)media_assoc_check(m, f);	/* may end streams */
		s = media_stream_new(m, &k, hash, f, pkt->ts_us);
		media_seq_init(s, h.seq);
		s->first_seq = h.seq;
		s->run_base = h.seq;
		s->run = 1;
		s->probation = MEDIA_MIN_SEQUENTIAL - 1;
		if (f->assoc.exp != NULL) {
			/* Announced: no probation (validated at once). */
			s->probation = 0;
			s->received = 1;
			media_stream_validate(m, s);
		}
	} else {
		prev_max = s->max_seq;
		(void)media_seq_update(m, s, h.seq);
		forward = (uint16_t)(h.seq - prev_max) != 0 &&
		    (uint16_t)(h.seq - prev_max) < MEDIA_MAX_DROPOUT;
	}

	m->pkt_exp = s->flow->assoc.exp;	/* media_packet_call_id() */
	s->packets++;
	s->bytes += h.payload_len;
	s->drops_last = m->drops;
	media_stream_touch(m, s, pkt->ts_us);
	if (h.marker)
		s->markers++;
	s->pt_seen[h.pt >> 3] |= (uint8_t)(1u << (h.pt & 7));
	if (h.pt != s->last_pt)
		media_rtp_ptkind(m, s, h.pt);

	arr = (double)(pkt->ts_us - s->first_us) / 1000.0;
	/* "Regular": what Wireshark also leaves out of max delta and jitter
	 * (the first, marker, comfort noise and the packet after it). */
	regular = s->packets > 1 && !h.marker &&
	    s->last_kind == MEDIA_PT_AUDIO && !s->prev_cn;
	if (s->packets > 1 && regular) {
		delta = arr - s->last_any_ms;
		if (delta > s->max_delta_ms)
			s->max_delta_ms = delta;
	}
	s->last_any_ms = arr;
	s->last_us = pkt->ts_us;

	switch (s->last_kind) {
	case MEDIA_PT_DTMF:
		media_dtmf(s, pkt->payload + h.payload_off, h.payload_len, h.ts);
		break;
	case MEDIA_PT_CN:
		s->cn++;
		/* FALLTHROUGH */
	case MEDIA_PT_AUDIO:
		if (s->pt_main == -1 && s->last_kind == MEDIA_PT_AUDIO) {
			s->pt_main = h.pt;
			s->main_clock = s->clock;
		}
		if (s->clock != 0)
			media_jitter(m, s, &h, arr, regular, forward);
		break;
	}
	s->prev_cn = s->last_kind == MEDIA_PT_CN;
	return (MEDIA_RTP);
}

/* ------------------------------------------------------------------ */

void
media_stream_info_fill(const struct media *m, const struct media_stream *s,
    struct media_stream_info *in)
{
	const struct media_assoc	*a;
	const struct media_pmap		*pm;
	uint64_t			 expected, received;
	unsigned			 ssrc_changes;

	memset(in, 0, sizeof *in);
	a = s->ended ? &s->fin_assoc : &s->flow->assoc;
	ssrc_changes = s->ssrc_changes;
	in->src.family = in->dst.family = s->key.f.family;
	memcpy(in->src.ip, s->key.f.src, sizeof in->src.ip);
	memcpy(in->dst.ip, s->key.f.dst, sizeof in->dst.ip);
	in->src.port = s->key.f.sport;
	in->dst.port = s->key.f.dport;
	in->ssrc = s->key.ssrc;
	in->call_id = a->exp != NULL ? a->exp->call_id : "";
	in->party = a->exp != NULL ? a->exp->party : MEDIA_PARTY_NONE;
	in->from_party = a->from_party;
	in->match = a->match;
	in->validated = s->validated;
	in->active = !s->ended;
	in->evicted = s->evicted;
	in->packets = s->packets;
	in->bytes = s->bytes;
	expected = s->prev_expected + (s->probation ? 0 :
	    media_seq_expected(s));
	received = s->prev_received + s->received;
	in->expected = expected;
	in->lost = (int64_t)expected - (int64_t)received;
	in->lost_pct = expected > 0 ? 100.0 * (double)in->lost /
	    (double)expected : 0;
	in->duplicates = s->duplicates;
	in->out_of_order = s->out_of_order;
	in->seq_errors = s->seq_errors;
	in->restarts = s->restarts;
	in->ts_resets = s->ts_resets;
	in->ssrc_changes = ssrc_changes;
	in->markers = s->markers;
	in->comfort_noise = s->cn;
	in->dtmf_events = s->dtmf_events;
	memcpy(in->dtmf, s->dtmf, sizeof in->dtmf);
	memcpy(in->pt_seen, s->pt_seen, sizeof in->pt_seen);
	in->pt = s->pt_main;
	in->clock = s->main_clock;
	if (s->pt_main >= 0) {
		pm = NULL;
		if (a->exp != NULL) {
			unsigned i;

			for (i = 0; i < a->exp->npmap; i++) {
				if (a->exp->pmap[i].pt == s->pt_main)
					pm = &a->exp->pmap[i];
			}
		}
		if (pm != NULL)
			in->payload = pm->name;
		else
			(void)sdp_static_payload(s->pt_main, &in->payload,
			    NULL, NULL);
	}
	in->jitter_known = s->main_clock != 0;
	in->jitter_ms = s->jitter_ms;
	in->max_jitter_ms = s->max_jitter_ms;
	in->mean_jitter_ms = s->jitter_n > 0 ? s->jitter_sum /
	    (double)s->jitter_n : 0;
	in->max_delta_ms = s->max_delta_ms;
	in->late = s->late;
	in->loss_bursts = s->bursts;
	if (s->ts_step != 0 && s->main_clock != 0)
		in->frame_ms = (double)s->ts_step * 1000.0 / s->main_clock;
	in->first_us = s->first_us;
	in->last_us = s->last_us;
	in->capture_drops = s->drops_last - s->drops_first;
	in->rtcp = s->rtcp;
	media_emodel_stream(m, in, &in->quality);
	(void)received;
}
