/*
 * track-sdp.c: the calls' SDP offer and answer (RFC 3264), announced to
 * the media analyser so that RTP streams are tied to calls, and the
 * call's media facts published for the views.
 *
 * Every SDP body of a call (Content-Type application/sdp, RFC 3261 13.2.1,
 * 13.3.1: offer in the INVITE and answer in a 1xx or the 2xx, or offer in
 * the 2xx and answer in the ACK; re-INVITE and UPDATE, RFC 3311, for hold,
 * resume, a codec change or a switch to T.38) is read once with osip2's
 * parser (track_sdp(): sip_sdp_parse_buf(); track-media.c's summaries use
 * the same result) and each of its m= lines announced with media_expect():
 * where the party that sent it receives RTP, from the SIP message's
 * source address (NAT: symmetric RTP).  The party is the caller when the
 * message travels the way the initial INVITE did (a request whose From-tag
 * is the caller's, a response to the callee's request), else the callee.
 *
 * A call is seen on several signalling hops when the capture point sees
 * both sides of a proxy ("legs", by the pair of SIP addresses): a proxy
 * that relays media rewrites the SDP at each hop, so each leg's SDP is
 * announced apart.  An offer that a non-2xx final response rejects
 * changes nothing (RFC 3264 8, RFC 3261 14.1): the offerer's lines are
 * restored.  The call's expectations (which direction should carry RTP:
 * sendrecv, sendonly, recvonly, inactive, c=0.0.0.0, port 0, RFC 3264 6.1
 * and 8.4) come from the leg of the latest answer.
 *
 * The rules that judge the streams live in track-rtp.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/xmalloc.h"
#include "media/media.h"
#include "sip/sip-sdp.h"
#include "track/track-int.h"

void
track_media_opts_default(struct track_media_opts *o)
{
	memset(o, 0, sizeof *o);
	o->no_media_us = TRACK_MEDIA_NO_MEDIA_US;
	o->one_way_us = TRACK_MEDIA_ONE_WAY_US;
	o->timeout_us = TRACK_MEDIA_TIMEOUT_US;
	o->late_us = TRACK_MEDIA_LATE_US;
	o->loss_pct = TRACK_MEDIA_LOSS_PCT;
	o->jitter_ms = TRACK_MEDIA_JITTER_MS;
	o->mos = TRACK_MEDIA_MOS;
}

void
track_media_init(struct track *tr, struct media *m,
    const struct track_media_opts *o)
{
	struct track_media_opts	d;

	track_media_opts_default(&d);
	if (tr->md == NULL) {
		tr->md = xcalloc(1, sizeof *tr->md);
		tr->md->recs = xcalloc(CM_CALLS_KEEP, sizeof *tr->md->recs);
	}
	tr->md->m = m;
	tr->md->o = d;
	if (o == NULL)
		return;
	if (o->no_media_us > 0)
		tr->md->o.no_media_us = o->no_media_us;
	if (o->one_way_us > 0)
		tr->md->o.one_way_us = o->one_way_us;
	if (o->timeout_us > 0)
		tr->md->o.timeout_us = o->timeout_us;
	if (o->late_us > 0)
		tr->md->o.late_us = o->late_us;
	if (o->loss_pct > 0)
		tr->md->o.loss_pct = o->loss_pct;
	if (o->jitter_ms > 0)
		tr->md->o.jitter_ms = o->jitter_ms;
	if (o->mos > 0)
		tr->md->o.mos = o->mos;
}

int64_t
track_next_deadline(const struct track *tr)
{
	const struct ttimer	*tm = theap_top(&tr->heap);

	return (tm != NULL ? tm->deadline : 0);
}

void
cm_destroy(struct track *tr)
{
	unsigned	i;

	if (tr->md == NULL)
		return;
	for (i = 0; i < tr->md->nrecs; i++)
		free(tr->md->recs[i].call_id);
	free(tr->md->recs);
	free(tr->md);
	tr->md = NULL;
}

int64_t
cm_deadline(const struct cidrec *cr)
{
	return (cr->media != NULL && !cr->media->ended ?
	    cr->media->deadline : 0);
}

/* ------------------------------------------------------------------ */
/* Offer and answer. */

/* A parse block larger than this is freed once its message is done. */
#define TRACK_SDP_KEEP	(16 * 1024)

int
track_sdp(struct track *tr, const struct sip_msg *m,
    const struct sip_sdp **sdpp)
{
	enum sdp_error	 err;
	size_t		 need;

	*sdpp = NULL;
	if (m->body == NULL || m->body_len == 0 ||
	    m->content_type.s == NULL ||
	    !sip_str_eq(&m->content_type, "application/sdp"))
		return (0);
	if (tr->sdp_msg != m) {
		tr->sdp_msg = m;
		tr->sdp = NULL;
		need = sip_sdp_space(m->body_len);
		if (m->body_len <= SDP_BODY_MAX && tr->sdp_cap < need) {
			free(tr->sdp_buf);
			tr->sdp_buf = xmalloc(need);
			tr->sdp_cap = need;
		}
		if (sip_sdp_parse_buf(m->body, m->body_len, tr->sdp_buf,
		    tr->sdp_cap, &tr->sdp, &err) != 0)
			tr->sdp = NULL;
	}
	*sdpp = tr->sdp;
	return (1);
}

void
track_sdp_done(struct track *tr)
{
	tr->sdp_msg = NULL;
	tr->sdp = NULL;
	if (tr->sdp_cap > TRACK_SDP_KEEP) {
		free(tr->sdp_buf);
		tr->sdp_buf = NULL;
		tr->sdp_cap = 0;
	}
}

/* Which party sent M (enum media_party), from the call's caller tag. */
static enum media_party
cm_party(const struct cidrec *cr, const struct sip_msg *m)
{
	int	from_caller;

	from_caller = track_hash_str(&m->from.tag) == cr->call.caller_tag;
	return (from_caller == m->is_request ? MEDIA_PARTY_CALLER :
	    MEDIA_PARTY_CALLEE);
}

/* The leg M travels on (SRC sent by party P), created when new. */
static struct cm_leg *
cm_leg(struct track *tr, struct cmedia *cm, int p,
    const struct sw_addr *src, const struct sw_addr *dst, unsigned *idx)
{
	struct cm_leg	*l, *old = NULL;
	unsigned	 i;

	for (i = 0; i < CM_LEGS; i++) {
		l = &cm->leg[i];
		if (l->used && sw_addr_cmp(&l->sig[p - 1], src) == 0 &&
		    sw_addr_cmp(&l->sig[2 - p], dst) == 0) {
			*idx = i;
			return (l);
		}
	}
	for (i = 0; i < CM_LEGS; i++) {
		l = &cm->leg[i];
		if (!l->used)
			break;
		if (old == NULL || l->last_us < old->last_us)
			old = l;
	}
	if (i == CM_LEGS) {
		/* More hops than kept: the least recently used one goes. */
		cm->legs_dropped++;
		tr->md->legs_dropped++;
		l = old;
		i = (unsigned)(old - cm->leg);
	}
	memset(l, 0, sizeof *l);
	l->used = 1;
	l->sig[p - 1] = *src;
	l->sig[2 - p] = *dst;
	*idx = i;
	return (l);
}

static uint64_t
cm_origin(const struct sip_sdp *sdp)
{
	struct thash	h;

	th_init(&h, 0x0516);
	th_str(&h, &sdp->sess_id);
	th_u64(&h, sdp->sess_version);
	th_str(&h, &sdp->origin_user);
	return (th_final64(&h));
}

static int
cm_null_addr(const struct sw_addr *a)
{
	static const uint8_t	zero[16];

	return (a->family != 0 && memcmp(a->ip, zero, sizeof zero) == 0);
}

/* Copy NAME (LEN bytes) into DST of SIZE bytes, cut. */
static void
cm_strcpy(char *dst, size_t size, const char *name, size_t len)
{
	if (name == NULL)
		len = 0;
	if (len >= size)
		len = size - 1;
	if (len > 0)
		memcpy(dst, name, len);
	dst[len] = '\0';
}

/*
 * Announcement ID of party P (1 caller, 2 callee) was replaced: what its
 * streams carried joins the call's history (the report's totals).
 */
static void
cm_fold(struct track *tr, struct cmedia *cm, uint64_t id, int p)
{
	struct media_expect_status	 st;
	struct cm_tally			*h = &cm->hist;
	int				 d = p == MEDIA_PARTY_CALLER ? 1 : 0;

	if (id == 0 || media_expect_status(tr->md->m, id, &st) != 0)
		return;
	h->pkts[d] += st.rx_packets;
	h->stray[1 - d] += st.tx_packets;
	h->streams += st.rx_streams + st.tx_streams;
	if (st.first_rx_us != 0 && (h->first[d] == 0 ||
	    st.first_rx_us < h->first[d]))
		h->first[d] = st.first_rx_us;
	if (st.last_rx_us > h->last[d])
		h->last[d] = st.last_rx_us;
}

/* What line MD of an SDP says, announced for party P on leg LEG_IDX. */
static void
cm_announce(struct track *tr, struct cidrec *cr, unsigned leg_idx, int p,
    unsigned mline, const struct sip_sdp_media *md, const struct sw_addr *src,
    int64_t ts, struct cm_line *out)
{
	struct media_payload	 pl[MEDIA_PT_KEEP];
	struct media_expect	 x;
	char			 names[MEDIA_PT_KEEP][32];
	uint64_t		 old = out->id, old2 = out->id2;
	unsigned		 i, n;

	memset(out, 0, sizeof *out);
	out->rtp = md->addr;
	out->rtp.port = md->port;
	out->dir = (uint8_t)md->dir;
	if (md->flags & SDP_M_RTP)
		out->flags |= CM_L_RTP;
	if (md->flags & (SDP_M_T38 | SDP_M_UDPTL))
		out->flags |= CM_L_T38;
	if (md->media.s != NULL && sip_str_eq(&md->media, "audio"))
		out->flags |= CM_L_AUDIO;
	if (cm_null_addr(&md->addr))
		out->flags |= CM_L_NULL;
	if (md->nfmt > 0)
		cm_strcpy(out->codec, sizeof out->codec, md->fmt[0].name.s,
		    md->fmt[0].name.len);
	if (md->port == 0 || md->addr.family == 0 ||
	    (out->flags & CM_L_NULL)) {
		cm_fold(tr, cr->media, old, p);
		cm_fold(tr, cr->media, old2, p);
		return;
	}

	n = md->nfmt < MEDIA_PT_KEEP ? md->nfmt : MEDIA_PT_KEEP;
	/* cppcheck-suppress knownConditionTrueFalse ; min() misread */
	for (i = 0; i < n; i++) {
		pl[i].pt = md->fmt[i].pt;
		cm_strcpy(names[i], sizeof names[i], md->fmt[i].name.s,
		    md->fmt[i].name.len);
		pl[i].name = names[i][0] != '\0' ? names[i] : NULL;
		pl[i].clock = md->fmt[i].clock;
		pl[i].channels = md->fmt[i].channels;
	}
	memset(&x, 0, sizeof x);
	x.call_id = cr->call_id;
	x.call_id_len = cr->call_id_len;
	x.mline = mline;
	x.leg = leg_idx;
	x.party = (enum media_party)p;
	x.rtp = out->rtp;
	x.rtcp_port = md->rtcp_port;
	x.rtcp_mux = (md->flags & SDP_M_RTCP_MUX) != 0;
	x.signal = *src;
	x.dir = md->dir;
	x.ptime_ms = md->ptime;
	x.payloads = pl;
	x.npayloads = n;
	x.ts_us = ts;
	if ((out->id = media_expect(tr->md->m, &x)) != 0)
		tr->md->announced++;
	else
		tr->md->refused++;
	/* What the replaced announcements carried, that did not move to
	 * this one (another port: a codec change, direct media). */
	if (old != out->id)
		cm_fold(tr, cr->media, old, p);
	cm_fold(tr, cr->media, old2, p);
}

/* Direction attribute DIR lets its party send / receive (RFC 3264 6.1). */
static int
cm_sends(int dir)
{
	return (dir == SDP_DIR_SENDRECV || dir == SDP_DIR_SENDONLY ||
	    dir == SDP_DIR_UNSET);
}

static int
cm_receives(int dir)
{
	return (dir == SDP_DIR_SENDRECV || dir == SDP_DIR_RECVONLY ||
	    dir == SDP_DIR_UNSET);
}

/* May party FROM's line A send RTP to party TO's line B? */
static int
cm_flows(const struct cm_line *a, const struct cm_line *b)
{
	return ((a->flags & CM_L_RTP) && (b->flags & CM_L_RTP) &&
	    a->rtp.port != 0 && b->rtp.port != 0 && !(b->flags & CM_L_NULL) &&
	    cm_sends(a->dir) && cm_receives(b->dir));
}

/*
 * The call's expectations from the leg of the latest answer: which
 * direction should carry RTP, whether a line is held or switched to T.38.
 * Returns 1 when they changed.
 */
static int
cm_expect(struct cmedia *cm)
{
	const struct cm_leg	*l = &cm->leg[cm->cur];
	const struct cm_line	*a, *b;
	uint8_t			 e[2] = { 0, 0 }, hold = 0, t38 = 0;
	unsigned		 i, n;
	int			 changed;

	n = l->nlines[0] < l->nlines[1] ? l->nlines[0] : l->nlines[1];
	for (i = 0; i < n; i++) {
		a = &l->line[0][i];
		b = &l->line[1][i];
		if ((a->flags & CM_L_T38) && (b->flags & CM_L_T38) &&
		    a->rtp.port != 0 && b->rtp.port != 0)
			t38 = 1;
		if (!(a->flags & CM_L_RTP) || !(b->flags & CM_L_RTP) ||
		    a->rtp.port == 0 || b->rtp.port == 0)
			continue;
		if (cm_flows(a, b))
			e[0] = 1;
		if (cm_flows(b, a))
			e[1] = 1;
		if (!cm_flows(a, b) || !cm_flows(b, a))
			hold = 1;
	}
	if (e[0] && e[1])
		hold = 0;	/* another line still runs both ways */
	changed = e[0] != cm->expect[0] || e[1] != cm->expect[1] ||
	    hold != cm->hold;
	cm->expect[0] = e[0];
	cm->expect[1] = e[1];
	cm->t38 = t38;
	if (hold != cm->hold)
		cm->hold = hold;
	return (changed);
}

/* The endpoints and directions of the current leg, as one digest. */
static uint64_t
cm_shape(const struct cmedia *cm)
{
	const struct cm_leg	*l = &cm->leg[cm->cur];
	struct thash		 h;
	unsigned		 p, i;

	th_init(&h, 0x5ba9);
	for (p = 0; p < 2; p++) {
		for (i = 0; i < l->nlines[p]; i++) {
			th_u64(&h, track_hash_addr(&l->line[p][i].rtp, 1));
			th_u64(&h, l->line[p][i].dir);
		}
	}
	return (th_final64(&h));
}

/* The call's expectation changed at TS: judge from there. */
static void
cm_rebase(struct track *tr, struct cidrec *cr, int64_t ts)
{
	struct cmedia		*cm = cr->media;
	struct cm_legstate	*ls;
	int			 was_hold = cm->hold;
	unsigned		 i;

	(void)cm_expect(cm);
	if (cm->hold && !was_hold) {
		cm->hold_us = ts;
		cm->resume_us = 0;
	} else if (!cm->hold && was_hold)
		cm->resume_us = ts;
	if (cm->answer_us == 0)
		return;
	cm->ref_us = ts;
	cm_check(tr, cr, ts, -1);	/* a tally, no verdict */
	for (i = 0; i < CM_LEGS; i++) {
		ls = &cm->ls[i];
		ls->at_ref[0] = ls->t.pkts[0];
		ls->at_ref[1] = ls->t.pkts[1];
		ls->rev_mark[0] = ls->t.pkts[1];
		ls->rev_mark[1] = ls->t.pkts[0];
		ls->grow_us[0] = ls->grow_us[1] = ts;
	}
}

/* SDP body SDP (NULL: unreadable) in M, from party P over leg L (index
 * LI). */
static void
cm_sdp(struct track *tr, struct cidrec *cr, struct cm_leg *l, unsigned li,
    int p, const struct sip_msg *m, const struct sip_sdp *sdp, int64_t ts,
    const struct sw_addr *src)
{
	struct cmedia	*cm = cr->media;
	uint64_t	 origin, shape;
	unsigned	 i, n;
	int		 offer, answer;

	if (sdp == NULL) {
		tr->md->sdp_errors++;
		return;
	}
	tr->md->sdp++;
	if (sdp->problems != 0)
		tr->md->sdp_problems++;
	origin = cm_origin(sdp);
	offer = m->is_request && m->method != SIP_METHOD_ACK &&
	    m->method != SIP_METHOD_PRACK;
	answer = !offer && l->offer_party != 0 && l->offer_party != p;
	l->last_us = ts;
	if (offer && !(l->offer_party == p && l->offer_cseq == m->cseq &&
	    l->offer_method == (uint8_t)m->method)) {
		/* A new offer: what to restore if it is rejected. */
		memcpy(l->prev, l->line[p - 1], sizeof l->prev);
		l->prev_nlines = l->nlines[p - 1];
		l->prev_origin = l->origin[p - 1];
		l->offer_party = (uint8_t)p;
		l->offer_cseq = m->cseq;
		l->offer_method = (uint8_t)m->method;
	} else if (answer && (!m->is_request ? m->status >= 200 : 1))
		l->offer_party = 0;
	if (origin == l->origin[p - 1] && l->nlines[p - 1] > 0) {
		/* The same session version again (a retransmission, the
		 * 2xx repeating the 183's answer, another hop's copy). */
		if (answer)
			cm->cur = (uint8_t)li;
		return;
	}
	shape = cm_shape(cm);
	l->origin[p - 1] = origin;
	n = sdp->nmedia < CM_LINES ? sdp->nmedia : CM_LINES;
	/* cppcheck-suppress knownConditionTrueFalse ; min() misread */
	for (i = 0; i < n; i++)
		cm_announce(tr, cr, li, p, i, &sdp->media[i], src, ts,
		    &l->line[p - 1][i]);
	for (; i < l->nlines[p - 1]; i++)
		memset(&l->line[p - 1][i], 0, sizeof l->line[p - 1][i]);
	l->nlines[p - 1] = (uint8_t)n;
	if (l->sig[p - 1].family == 0)
		l->sig[p - 1] = *src;
	/* The codec: the answer's first (RFC 3264 6.1: the answerer lists
	 * what it will use first), else the offer's. */
	/* cppcheck-suppress knownConditionTrueFalse ; min() misread */
	if (n > 0 && (l->line[p - 1][0].flags & CM_L_AUDIO) &&
	    l->line[p - 1][0].codec[0] != '\0' &&
	    (cm->codec[0] == '\0' || !offer))
		memcpy(cm->codec, l->line[p - 1][0].codec, sizeof cm->codec);
	/*
	 * Expectations follow the exchange: an answer (or an offer in a
	 * 2xx answered in the ACK) makes this leg the call's current one.
	 */
	if (answer || (l->nlines[0] > 0 && l->nlines[1] > 0 && cm->cur == li)) {
		cm->cur = (uint8_t)li;
		if (cm_shape(cm) != shape || cm_expect(cm))
			cm_rebase(tr, cr, ts);
	} else if (l->nlines[0] > 0 && l->nlines[1] > 0 &&
	    cm->leg[cm->cur].nlines[0] + cm->leg[cm->cur].nlines[1] == 0) {
		cm->cur = (uint8_t)li;
		cm_rebase(tr, cr, ts);
	}
	cm_publish(tr, cr, ts);
}

/* A final response >= 300 to leg L's pending offer: undo it. */
static void
cm_reject(struct track *tr, struct cidrec *cr, struct cm_leg *l,
    const struct sip_msg *m, int64_t ts)
{
	struct cmedia	*cm = cr->media;
	int		 p = l->offer_party;
	unsigned	 i;

	if (p == 0 || l->offer_cseq != m->cseq ||
	    l->offer_method != (uint8_t)m->method)
		return;
	/*
	 * The rejected offer's announcements stay in the media analyser
	 * (the flows on their endpoints are the call's); the tracker
	 * judges by the lines in force before it.
	 */
	for (i = 0; i < CM_LINES; i++) {
		if (l->line[p - 1][i].id != l->prev[i].id)
			l->prev[i].id2 = l->line[p - 1][i].id;
	}
	memcpy(l->line[p - 1], l->prev, sizeof l->prev);
	l->nlines[p - 1] = l->prev_nlines;
	l->origin[p - 1] = 0;	/* the next copy of that SDP counts again */
	l->offer_party = 0;
	tr->md->rollbacks++;
	if (cm_expect(cm))
		cm_rebase(tr, cr, ts);
	cm_publish(tr, cr, ts);
}

/* Forget CR's media: withdrawn from the analyser, legs cleared. */
static void
cm_reset(struct track *tr, struct cidrec *cr)
{
	struct cmedia	*cm = cr->media;

	media_expect_end(tr->md->m, cr->call_id, cr->call_id_len);
	memset(cm, 0, sizeof *cm);
}

/* Keep CR's media summary for the report. */
static void
cm_record(struct track *tr, struct cidrec *cr)
{
	struct cmedia	*cm = cr->media;
	struct cm_rec	*r;

	if (cm->answer_us == 0 && cm->pub.streams == 0)
		return;
	tr->md->calls_summarised++;
	if (tr->md->nrecs >= CM_CALLS_KEEP)
		return;
	r = &tr->md->recs[tr->md->nrecs++];
	r->call_id = xstrndup(cr->call_id, cr->call_id_len);
	r->m = cm->pub;
	memcpy(r->codec, cm->codec, sizeof r->codec);
	r->m.codec = NULL;
}

/* The call of CR is over at TS: last judgement, announcements withdrawn. */
static void
cm_end(struct track *tr, struct cidrec *cr, int64_t ts, int finish)
{
	struct cmedia	*cm = cr->media;

	if (cm == NULL || cm->ended)
		return;
	if (cm->answer_us != 0)
		cm_check(tr, cr, ts, 1);
	cm->ended = 1;
	cm->deadline = 0;
	cm_publish(tr, cr, ts);
	cm_record(tr, cr);
	if (!finish)
		media_expect_end(tr->md->m, cr->call_id, cr->call_id_len);
}

void
cm_message(struct track *tr, struct cidrec *cr, const struct sip_msg *m,
    int64_t ts, const struct sw_addr *src, const struct sw_addr *dst)
{
	struct call		*c = &cr->call;
	struct cmedia		*cm;
	struct cm_leg		*l;
	const struct sip_sdp	*sdp;
	unsigned		 li;
	int			 p;

	if (tr->md == NULL || c->state == CALL_NONE)
		return;
	if ((cm = cr->media) != NULL && cm->invite_us != c->invite_us) {
		/* Another call on this Call-ID (a new caller tag). */
		cm_end(tr, cr, ts, 0);
		cm_reset(tr, cr);
		cm->invite_us = c->invite_us;
	}
	if (track_sdp(tr, m, &sdp)) {
		if (cm == NULL) {
			cm = cr->media = xcalloc(1, sizeof *cm);
			cm->invite_us = c->invite_us;
			tr->md->calls++;
		}
		if (cm->ended) {
			/* SDP after the call ended or failed: a new attempt
			 * (credentials after a challenge, a redirect). */
			cm_reset(tr, cr);
			cm->invite_us = c->invite_us;
		}
		p = cm_party(cr, m);
		l = cm_leg(tr, cm, p, src, dst, &li);
		cm_sdp(tr, cr, l, li, p, m, sdp, ts, src);
	} else if (cm != NULL && !m->is_request && m->status >= 300) {
		p = cm_party(cr, m);
		for (li = 0; li < CM_LEGS; li++) {
			l = &cm->leg[li];
			if (l->used && l->offer_party == 3 - p)
				cm_reject(tr, cr, l, m, ts);
		}
	}
	if (cm == NULL)
		return;
	switch (c->state) {
	case TRACK_CALL_ANSWERED:
		if (cm->answer_us == 0 && !cm->ended) {
			cm->answer_us = c->answer_us;
			cm_rebase(tr, cr, c->answer_us);
			cm->deadline = c->answer_us + 1000000;
			cm_publish(tr, cr, ts);
		}
		break;
	case TRACK_CALL_ENDED:
		cm_end(tr, cr, ts, 0);
		break;
	case TRACK_CALL_FAILED:
	case TRACK_CALL_CANCELLED:
	case TRACK_CALL_TIMEOUT:
		if (!cm->ended && cm->answer_us == 0) {
			/* Not answered: nothing to judge; the next attempt
			 * announces again. */
			cm_record(tr, cr);
			cm_reset(tr, cr);
			cm->invite_us = c->invite_us;
		}
		break;
	default:
		break;
	}
	cidrec_rearm(tr, cr);
}

void
cm_close(struct track *tr, struct cidrec *cr, int finish)
{
	if (tr->md == NULL || cr->media == NULL)
		return;
	/* Ended before: the streams as they are now (RTP after the BYE). */
	if (cr->media->ended)
		cm_publish(tr, cr, tr->now);
	cm_end(tr, cr, tr->now, finish);
	if (!finish) {
		free(cr->media);
		cr->media = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Publication. */

#define CM_SEEN_MAX	256	/* distinct streams told apart per call */

/* The streams of a call, gathered for TRACK_OBS_MEDIA (cm_streams()). */
struct cm_streams {
	const struct cidrec		*cr;
	struct track_media_stream	 s[TRACK_MEDIA_STREAMS_KEEP];
	uint64_t			 seen[CM_SEEN_MAX];	/* their keys */
	unsigned			 nseen;
	unsigned			 n;	/* in S */
	unsigned			 total;	/* distinct streams found */
	int				 party;	/* of the announcement walked:
						   0 caller, 1 callee */
};

static void
cm_streams_one(const struct media_stream_info *in, int from_party, void *arg)
{
	struct cm_streams		*g = arg;
	struct track_media_stream	*d;
	struct thash			 h;
	uint64_t			 key;
	unsigned			 i, low;

	/*
	 * Every stream the call's announcements match, as cm_grade() grades
	 * them: a stream two calls announce (the legs of a B2BUA that set up
	 * direct media) is each call's, whichever Call-ID the analyser tied
	 * it to, so the streams shown are those the call's counts and worst
	 * figures come from.
	 */
	th_init(&h, 0x57e4);
	th_u64(&h, track_hash_addr(&in->src, 1));
	th_u64(&h, track_hash_addr(&in->dst, 1));
	th_u64(&h, in->ssrc);
	key = th_final64(&h);
	for (i = 0; i < g->nseen; i++) {
		if (g->seen[i] == key)
			return;		/* through another announcement */
	}
	if (g->nseen < CM_SEEN_MAX)
		g->seen[g->nseen++] = key;
	g->total++;
	if (g->n < TRACK_MEDIA_STREAMS_KEEP)
		d = &g->s[g->n++];
	else {
		/* Full: the stream with the fewest packets gives way. */
		for (low = 0, i = 1; i < g->n; i++) {
			if (g->s[i].packets < g->s[low].packets)
				low = i;
		}
		if (g->s[low].packets >= in->packets)
			return;
		d = &g->s[low];
	}
	memset(d, 0, sizeof *d);
	d->first_us = in->first_us;
	d->last_us = in->last_us;
	d->packets = in->packets;
	d->lost = in->lost;
	d->lost_pct = in->lost_pct;
	d->jitter_known = in->jitter_known != 0;
	if (in->jitter_known) {
		d->mean_jitter_ms = in->mean_jitter_ms;
		d->max_jitter_ms = in->max_jitter_ms;
	}
	d->mos_known = in->quality.known != 0;
	if (in->quality.known)
		d->mos = in->quality.mos;
	d->src = in->src;
	d->dst = in->dst;
	d->ssrc = in->ssrc;
	/* From the announcing party, or to it. */
	d->dir_known = 1;
	d->to_caller = from_party ? g->party == 1 : g->party == 0;
	if (in->payload != NULL)
		cm_strcpy(d->payload, sizeof d->payload, in->payload,
		    strlen(in->payload));
}

/*
 * The streams tied to CR's current announcements (every leg, party and
 * line, a rejected offer's too) into G, in order of first packet.
 */
static void
cm_streams(struct track *tr, const struct cidrec *cr, struct cm_streams *g)
{
	const struct cmedia		*cm = cr->media;
	const struct cm_leg		*l;
	struct track_media_stream	 t;
	unsigned			 li, p, i, k;

	g->cr = cr;
	g->n = g->total = g->nseen = 0;
	for (li = 0; li < CM_LEGS; li++) {
		l = &cm->leg[li];
		if (!l->used)
			continue;
		for (p = 0; p < 2; p++) {
			g->party = (int)p;
			for (i = 0; i < l->nlines[p]; i++) {
				if (l->line[p][i].id != 0)
					(void)media_expect_streams(tr->md->m,
					    l->line[p][i].id, cm_streams_one,
					    g);
				if (l->line[p][i].id2 != 0)
					(void)media_expect_streams(tr->md->m,
					    l->line[p][i].id2, cm_streams_one,
					    g);
			}
		}
	}
	for (i = 1; i < g->n; i++) {
		t = g->s[i];
		for (k = i; k > 0 && g->s[k - 1].first_us > t.first_us; k--)
			g->s[k] = g->s[k - 1];
		g->s[k] = t;
	}
}

void
cm_publish(struct track *tr, struct cidrec *cr, int64_t ts)
{
	struct cmedia		*cm = cr->media;
	const struct cm_leg	*l = &cm->leg[cm->cur];
	struct track_obs	 o;
	struct track_media	*pm = &cm->pub;
	struct cm_streams	 g;
	struct thash		 h;
	uint64_t		 digest;
	unsigned		 i;

	pm->mlines = l->nlines[0] > l->nlines[1] ? l->nlines[0] : l->nlines[1];
	pm->codec = cm->codec[0] != '\0' ? cm->codec : NULL;
	pm->caller_rtp = l->nlines[0] > 0 ? l->line[0][0].rtp :
	    (struct sw_addr){ 0 };
	pm->callee_rtp = l->nlines[1] > 0 ? l->line[1][0].rtp :
	    (struct sw_addr){ 0 };
	pm->flags &= ~(unsigned)(TRACK_MEDIA_HOLD | TRACK_MEDIA_T38);
	if (cm->hold)
		pm->flags |= TRACK_MEDIA_HOLD;
	if (cm->t38)
		pm->flags |= TRACK_MEDIA_T38;
	pm->flags |= cm->fired;
	if (tr->nsubs == 0)
		return;
	/* What changes the facts, not every packet: publish on change. */
	th_init(&h, 0x3ed1);
	th_u64(&h, pm->flags);
	th_u64(&h, pm->mlines);
	th_u64(&h, pm->streams);
	th_u64(&h, (pm->packets[0] != 0) | (pm->packets[1] != 0) << 1);
	th_u64(&h, (uint64_t)pm->first_us[0]);
	th_u64(&h, (uint64_t)pm->first_us[1]);
	th_u64(&h, pm->mos_known ? (uint64_t)(pm->worst_mos * 100) : 0);
	th_u64(&h, track_hash_addr(&pm->caller_rtp, 1));
	th_u64(&h, track_hash_addr(&pm->callee_rtp, 1));
	th_u64(&h, (uint64_t)cm->ended);
	/* The streams' figures too: at most once a check (a second). */
	cm_streams(tr, cr, &g);
	th_u64(&h, g.total);
	for (i = 0; i < g.n; i++) {
		th_u64(&h, g.s[i].packets);
		th_u64(&h, (uint64_t)g.s[i].lost);
		th_u64(&h, (uint64_t)g.s[i].last_us);
		th_u64(&h, g.s[i].mos_known ? (uint64_t)(g.s[i].mos * 100) :
		    0);
		th_u64(&h, (uint64_t)(g.s[i].max_jitter_ms * 1000));
	}
	if ((digest = th_final64(&h)) == cm->pub_digest)
		return;
	cm->pub_digest = digest;
	track_obs_init(&o, TRACK_OBS_MEDIA, ts, cr);
	o.u.media.media = pm;
	o.u.media.streams = g.s;
	o.u.media.nstreams = g.n;
	o.u.media.streams_total = g.total;
	track_publish(tr, &o);
}

/* ------------------------------------------------------------------ */
/* The report. */

static const struct {
	const char	*name;
	unsigned	 flag;
} cm_flag_names[] = {
	{ "no_media", TRACK_MEDIA_NO_MEDIA },
	{ "one_way", TRACK_MEDIA_ONE_WAY },
	{ "nat_mismatch", TRACK_MEDIA_NAT },
	{ "quality", TRACK_MEDIA_QUALITY },
	{ "timeout", TRACK_MEDIA_TIMEOUT },
	{ "late", TRACK_MEDIA_LATE },
	{ "hold", TRACK_MEDIA_HOLD },
	{ "t38", TRACK_MEDIA_T38 },
};

static json_t *
cm_json_time(int64_t us)
{
	return (us != 0 ? json_real((double)us / 1e6) : json_null());
}

static json_t *
cm_json_addr(const struct sw_addr *a)
{
	char	buf[SW_ADDRSTRLEN];

	if (a->family == 0)
		return (json_null());
	return (json_string(sw_addr_format(a, buf, sizeof buf)));
}

/*
 * The calls' media summaries into the report's "media" section (created
 * when the media module did not add it): "calls_total", "calls_listed",
 * "calls" (one entry per call with SDP that was answered or carried
 * streams, the first CM_CALLS_KEEP in order of their end), and "sdp" (the
 * offer/answer counters).
 */
void
cm_report(json_t *root, struct track *tr)
{
	struct tmedia		*md = tr->md;
	const struct cm_rec	*r;
	json_t			*o, *a, *c, *d;
	unsigned		 i, k;

	if (md == NULL)
		return;
	if ((o = json_object_get(root, "media")) == NULL) {
		o = json_object();
		sw_json_set(root, "media", o);
	}
	d = json_object();
	sw_json_set(d, "bodies", sw_json_uint(md->sdp));
	sw_json_set(d, "unreadable", sw_json_uint(md->sdp_errors));
	sw_json_set(d, "with_problems", sw_json_uint(md->sdp_problems));
	sw_json_set(d, "announced", sw_json_uint(md->announced));
	sw_json_set(d, "refused", sw_json_uint(md->refused));
	sw_json_set(d, "offers_rejected", sw_json_uint(md->rollbacks));
	sw_json_set(d, "legs_dropped", sw_json_uint(md->legs_dropped));
	sw_json_set(o, "sdp", d);
	sw_json_set(o, "calls_total", sw_json_uint(md->calls_summarised));
	sw_json_set(o, "calls_listed", sw_json_uint(md->nrecs));
	a = json_array();
	for (i = 0; i < md->nrecs; i++) {
		r = &md->recs[i];
		c = json_object();
		sw_json_set(c, "call_id", json_string(r->call_id));
		sw_json_set(c, "codec", r->codec[0] != '\0' ?
		    json_string(r->codec) : json_null());
		sw_json_set(c, "caller_rtp", cm_json_addr(&r->m.caller_rtp));
		sw_json_set(c, "callee_rtp", cm_json_addr(&r->m.callee_rtp));
		sw_json_set(c, "streams", sw_json_uint(r->m.streams));
		for (k = 0; k < 2; k++) {
			d = json_object();
			sw_json_set(d, "packets", sw_json_uint(r->m.packets[k]));
			sw_json_set(d, "first", cm_json_time(r->m.first_us[k]));
			sw_json_set(d, "last", cm_json_time(r->m.last_us[k]));
			sw_json_set(c, k == 0 ? "caller_to_callee" :
			    "callee_to_caller", d);
		}
		sw_json_set(c, "worst_mos", r->m.mos_known ?
		    json_real(r->m.worst_mos) : json_null());
		sw_json_set(c, "worst_loss_pct", json_real(r->m.worst_loss_pct));
		sw_json_set(c, "worst_jitter_ms",
		    json_real(r->m.worst_jitter_ms));
		for (k = 0; k < sizeof cm_flag_names / sizeof cm_flag_names[0];
		    k++)
			sw_json_set(c, cm_flag_names[k].name, json_boolean(
			    r->m.flags & cm_flag_names[k].flag));
		json_array_append_new(a, c);
	}
	sw_json_set(o, "calls", a);
}
