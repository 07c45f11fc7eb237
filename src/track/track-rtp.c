/*
 * track-rtp.c: the media rules, judged from the RTP streams the media
 * analyser tied to each call's announcements (track-sdp.c).
 *
 * From its answer on, an answered call's streams are looked at once a
 * second of packet time (the call's media deadline), at its end (BYE) and
 * at the end of the capture.  The streams of each announcement of the
 * current SDP (media_expect_status()) are added up per direction: caller
 * to callee is what the callee's announcements receive, callee to caller
 * what the caller's receive; RTP a party sends to an address the other
 * did not announce is counted apart ("stray").  Then:
 *
 * - no-media: no RTP at all RULE_NO_MEDIA_US after the answer while the
 *   SDP lets media flow, and the capture is on the media path
 *   (media_path_seen()): a capture point that never sees the hosts'
 *   RTP says nothing about it;
 * - late-media: the call's first RTP came more than late_us after the
 *   answer (and none before it: early media is not late);
 * - one-way-media: both directions negotiated (sendrecv, RFC 3264 6.1),
 *   one silent while the other flows (at least 10 packets a second): a
 *   side that never started (at most 10 packets) after one_way_us, one
 *   that stopped after three times that (voice activity detection pauses
 *   a stream for seconds, not for 15);
 * - media-timeout: every direction the SDP expects silent for timeout_us
 *   in a call still up and not on hold, after RTP had flowed;
 * - media-nat-mismatch: an SDP address that is private while the SIP
 *   that carried it came from a public one (RFC 3264 does not translate
 *   addresses: the far end sends to an address it cannot reach), or RTP
 *   from the announced host but another port;
 * - media-quality: a stream's loss, mean jitter (RFC 3550 A.8) or MOS
 *   (G.107) beyond the thresholds, every 5 s and at the end.
 *
 * Each rule speaks once per call.  Verdicts carry the evidence (struct
 * rule_media) that src/rules/rules-rtp.c turns into text.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "media/media.h"
#include "track/track-int.h"

#define CM_CHECK_US		1000000LL	/* look once a second */
#define CM_QUALITY_US		(5 * 1000000LL)	/* media-quality, nat */
#define CM_FLOW_PPS		10	/* a direction "flows" at this rate */
#define CM_NEVER_PKTS		10	/* "never started": at most these */
#define CM_FINAL_US		(2 * 1000000LL) /* ... judged at the call's
					   end after this much */
#define CM_QUALITY_MIN_PKTS	50	/* streams graded from this many */
#define CM_QUALITY_MIN_RX	10	/* ... and this % of their sequence
					   numbers present (below: the
					   capture is incomplete) */

static const char *const cm_party_names[2] = { "caller", "callee" };

/* Add the status of announcement ID of party P (0 caller, 1 callee). */
static void
cm_tally_id(struct track *tr, struct cm_tally *t, uint64_t id, int p)
{
	struct media_expect_status	 st;
	int				 d = p == 0 ? 1 : 0;

	if (id == 0 || media_expect_status(tr->md->m, id, &st) != 0)
		return;
	t->pkts[d] += st.rx_packets;
	if (st.first_rx_us != 0 && (t->first[d] == 0 ||
	    st.first_rx_us < t->first[d]))
		t->first[d] = st.first_rx_us;
	if (st.last_rx_us > t->last[d])
		t->last[d] = st.last_rx_us;
	t->stray[1 - d] += st.tx_packets;
	if (st.tx_packets > 0) {
		if (t->first[1 - d] == 0 || st.first_tx_us < t->first[1 - d])
			t->first[1 - d] = st.first_tx_us;
		if (st.last_tx_us > t->last[1 - d])
			t->last[1 - d] = st.last_tx_us;
	}
	t->streams += st.rx_streams + st.tx_streams;
	t->nat += st.nat_streams;
	t->shared += st.shared;
}

/*
 * What each leg's endpoints carried (the current announcements of the
 * leg, whoever holds their endpoints now), and the call's: per direction
 * the most any leg carried (a proxy that passes the SDP on shows the same
 * streams at both its hops; a media relay, its own at each).
 */
static void
cm_tally(struct track *tr, struct cmedia *cm, struct cm_tally *t)
{
	const struct cm_leg	*l;
	struct cm_tally		*lt;
	unsigned		 li, p, i, d;

	memset(t, 0, sizeof *t);
	for (li = 0; li < CM_LEGS; li++) {
		l = &cm->leg[li];
		lt = &cm->ls[li].t;
		memset(lt, 0, sizeof *lt);
		if (!l->used)
			continue;
		for (p = 0; p < 2; p++) {
			for (i = 0; i < l->nlines[p]; i++) {
				cm_tally_id(tr, lt, l->line[p][i].id, (int)p);
				cm_tally_id(tr, lt, l->line[p][i].id2, (int)p);
			}
		}
		for (d = 0; d < 2; d++) {
			if (lt->pkts[d] > t->pkts[d])
				t->pkts[d] = lt->pkts[d];
			if (lt->stray[d] > t->stray[d])
				t->stray[d] = lt->stray[d];
			if (lt->first[d] != 0 && (t->first[d] == 0 ||
			    lt->first[d] < t->first[d]))
				t->first[d] = lt->first[d];
			if (lt->last[d] > t->last[d])
				t->last[d] = lt->last[d];
		}
		if (lt->streams > t->streams)
			t->streams = lt->streams;
		if (lt->nat > t->nat)
			t->nat = lt->nat;
		if (lt->shared > t->shared)
			t->shared = lt->shared;
	}
}

/* ------------------------------------------------------------------ */
/* Verdicts. */

struct cm_text {
	char	party_rtp[SW_ADDRSTRLEN];
	char	party_sig[SW_ADDRSTRLEN];
	char	other_rtp[SW_ADDRSTRLEN];
	char	rtp_src[SW_ADDRSTRLEN];
	char	leg[2 * SW_ADDRSTRLEN + 8];
};

/* The evidence common to the call's verdicts, about party P (0, 1) at
 * leg LI. */
static void
cm_evidence_leg(const struct cmedia *cm, unsigned li, int p,
    struct rule_media *rm, struct cm_text *tx)
{
	const struct cm_leg	*l = &cm->leg[li];
	char			 a[SW_ADDRSTRLEN], b[SW_ADDRSTRLEN];

	memset(rm, 0, sizeof *rm);
	rm->party = cm_party_names[p];
	if (l->nlines[p] > 0 && l->line[p][0].rtp.family != 0)
		rm->party_rtp = sw_addr_format(&l->line[p][0].rtp,
		    tx->party_rtp, sizeof tx->party_rtp);
	if (l->sig[p].family != 0)
		rm->party_sig = sw_addr_format_ip(&l->sig[p], tx->party_sig,
		    sizeof tx->party_sig);
	if (l->nlines[1 - p] > 0 && l->line[1 - p][0].rtp.family != 0)
		rm->other_rtp = sw_addr_format(&l->line[1 - p][0].rtp,
		    tx->other_rtp, sizeof tx->other_rtp);
	if (l->sig[0].family != 0 && l->sig[1].family != 0) {
		snprintf(tx->leg, sizeof tx->leg, "%s <-> %s",
		    sw_addr_format(&l->sig[0], a, sizeof a),
		    sw_addr_format(&l->sig[1], b, sizeof b));
		rm->leg = tx->leg;
	}
	rm->codec = cm->codec[0] != '\0' ? cm->codec : NULL;
	rm->hold_us = cm->hold_us;
	rm->resume_us = cm->resume_us;
}

/* The same at the leg of the latest answer. */
static void
cm_evidence(const struct cmedia *cm, int p, struct rule_media *rm,
    struct cm_text *tx)
{
	cm_evidence_leg(cm, cm->cur, p, rm, tx);
}

static void
cm_raise(struct track *tr, struct cidrec *cr, enum rule_id rule,
    unsigned flag, int64_t ts, const struct sw_addr *src,
    const struct sw_addr *dst, const struct rule_media *rm)
{
	struct rule_ctx	c;

	cr->media->fired |= (uint16_t)flag;
	track_ctx_init(&c, rule, ts, cr);
	c.src = src != NULL && src->family != 0 ? src : NULL;
	c.dst = dst != NULL && dst->family != 0 ? dst : NULL;
	c.media = rm;
	track_raise(tr, &c);
}

/* The first line's RTP endpoint of party P at the current leg, or NULL. */
static const struct sw_addr *
cm_rtp(const struct cmedia *cm, int p)
{
	const struct cm_leg	*l = &cm->leg[cm->cur];

	return (l->nlines[p] > 0 ? &l->line[p][0].rtp : NULL);
}

static void
cm_no_media(struct track *tr, struct cidrec *cr, int64_t now)
{
	struct cmedia		*cm = cr->media;
	const struct sw_addr	*a = cm_rtp(cm, 0), *b = cm_rtp(cm, 1);
	struct rule_media	 rm;
	struct cm_text		 tx;

	if (a == NULL || b == NULL || !media_path_seen(tr->md->m, a, b))
		return;
	cm_evidence(cm, 0, &rm, &tx);
	rm.silence_us = now - cm->answer_us;
	cm_raise(tr, cr, RULE_NO_MEDIA, TRACK_MEDIA_NO_MEDIA, now, a, b, &rm);
}

/*
 * A recent verdict of the same rule about the same media (the silent
 * endpoint of one-way-media, the stream of media-quality: A and B) from
 * another call, such as the other leg of a B2BUA that set up the media
 * directly?  Remember this one otherwise.
 */
static int
cm_recent(struct track *tr, enum rule_id rule, const struct sw_addr *a,
    const struct sw_addr *b, int64_t now)
{
	struct tmedia	*md = tr->md;
	struct thash	 th;
	uint64_t	 h;
	unsigned	 i, n;

	th_init(&th, 0x7ece);
	th_u64(&th, (uint64_t)rule);
	th_u64(&th, track_hash_addr(a, 1));
	th_u64(&th, b != NULL ? track_hash_addr(b, 1) : 0);
	h = th_final64(&th);

	n = md->nrecent < CM_RECENT ? md->nrecent : CM_RECENT;
	/* cppcheck-suppress knownConditionTrueFalse ; min() misread */
	for (i = 0; i < n; i++) {
		if (md->recent[i].hash == h &&
		    now - md->recent[i].ts < 60 * 1000000LL)
			return (1);
	}
	md->recent[md->nrecent % CM_RECENT].hash = h;
	md->recent[md->nrecent % CM_RECENT].ts = now;
	md->nrecent++;
	return (0);
}

/* Direction D (its sender is party D) is silent at leg LI: say why. */
static void
cm_one_way(struct track *tr, struct cidrec *cr, unsigned li, int d,
    int64_t now, int64_t silent_since, uint64_t sent)
{
	struct cmedia		*cm = cr->media;
	const struct cm_leg	*l = &cm->leg[li], *o;
	const struct cm_tally	*t = &cm->ls[li].t;
	const struct sw_addr	*silent, *heard;
	struct rule_media	 rm;
	struct cm_text		 tx;
	unsigned		 i;

	silent = l->nlines[d] > 0 ? &l->line[d][0].rtp : NULL;
	heard = l->nlines[1 - d] > 0 ? &l->line[1 - d][0].rtp : NULL;
	cm->fired |= TRACK_MEDIA_ONE_WAY;
	if (silent != NULL && cm_recent(tr, RULE_ONE_WAY_MEDIA, silent, NULL,
	    now))
		return;
	cm_evidence_leg(cm, li, d, &rm, &tx);
	rm.sent = t->pkts[d] + t->stray[d];
	rm.heard = t->pkts[1 - d];
	rm.silence_us = now - silent_since;
	if (sent <= CM_NEVER_PKTS && rm.sent <= CM_NEVER_PKTS)
		rm.cause |= RULE_MC_NEVER_SENT;
	if (t->stray[d] > 0)
		rm.cause |= RULE_MC_OTHER_PORT;
	if (l->nlines[d] > 0 && sw_addr_is_private(&l->line[d][0].rtp) &&
	    l->sig[d].family != 0 && !sw_addr_is_private(&l->sig[d]))
		rm.cause |= RULE_MC_PRIVATE;
	if (l->nlines[1 - d] > 0 &&
	    sw_addr_is_private(&l->line[1 - d][0].rtp) &&
	    l->sig[1 - d].family != 0 && !sw_addr_is_private(&l->sig[1 - d]))
		rm.cause |= RULE_MC_PEER_PRIVATE;
	if (cm->hold_us != 0 && cm->resume_us != 0 &&
	    t->last[d] != 0 && t->last[d] <= cm->resume_us)
		rm.cause |= RULE_MC_HOLD;
	if (t->shared > 0)
		rm.cause |= RULE_MC_SHARED;
	/* At another hop the same direction flows: into a media relay. */
	for (i = 0; i < CM_LEGS; i++) {
		o = &cm->leg[i];
		if (i == li || !o->used || cm->ls[i].t.pkts[d] <= CM_NEVER_PKTS ||
		    o->nlines[1 - d] == 0)
			continue;
		rm.cause |= RULE_MC_RELAY;
		rm.cause &= ~(unsigned)RULE_MC_NEVER_SENT;
		rm.rtp_src = sw_addr_format(&o->line[1 - d][0].rtp, tx.rtp_src,
		    sizeof tx.rtp_src);
		break;
	}
	cm_raise(tr, cr, RULE_ONE_WAY_MEDIA, TRACK_MEDIA_ONE_WAY, now, silent,
	    heard, &rm);
}

/* media-nat-mismatch (a): a private SDP address carried by public SIP. */
static void
cm_nat_sdp(struct track *tr, struct cidrec *cr, int64_t now)
{
	struct cmedia		*cm = cr->media;
	const struct cm_leg	*l;
	const struct cm_line	*ln;
	struct rule_media	 rm;
	struct cm_text		 tx;
	unsigned		 li, p, i;

	for (li = 0; li < CM_LEGS; li++) {
		l = &cm->leg[li];
		if (!l->used)
			continue;
		for (p = 0; p < 2; p++) {
			if (l->sig[p].family == 0 ||
			    sw_addr_is_private(&l->sig[p]))
				continue;
			for (i = 0; i < l->nlines[p]; i++) {
				ln = &l->line[p][i];
				if (ln->rtp.family == 0 || ln->rtp.port == 0 ||
				    (ln->flags & CM_L_NULL) ||
				    !sw_addr_is_private(&ln->rtp))
					continue;
				cm_evidence(cm, (int)p, &rm, &tx);
				sw_addr_format(&ln->rtp, tx.party_rtp,
				    sizeof tx.party_rtp);
				rm.party_rtp = tx.party_rtp;
				sw_addr_format_ip(&l->sig[p], tx.party_sig,
				    sizeof tx.party_sig);
				rm.party_sig = tx.party_sig;
				rm.cause = RULE_MC_PRIVATE;
				cm_raise(tr, cr, RULE_MEDIA_NAT_MISMATCH,
				    TRACK_MEDIA_NAT, now, &ln->rtp, &l->sig[p],
				    &rm);
				return;
			}
		}
	}
}

/* Streams of the call, for media-quality and the NAT port check. */
struct cm_grade {
	struct track		*tr;
	struct cmedia		*cm;
	const struct cm_line	*sender;	/* the announced line of the
						   party that sends to the
						   current announcement */
	const struct sw_addr	*sender_sig;
	unsigned		 graded;	/* streams graded */
	int			 found;		/* a stream over a threshold */
	double			 score;		/* how far: the worst wins */
	struct media_stream_info best;
	int			 port_found;
	struct sw_addr		 port_src;	/* RTP from another port */
	struct sw_addr		 port_dst;
	char			 payload[16];	/* BEST's payload name */
};

static void
cm_grade_one(const struct media_stream_info *in, int from_party, void *arg)
{
	struct cm_grade			*g = arg;
	const struct track_media_opts	*o = &g->tr->md->o;
	struct track_media		*pm = &g->cm->pub;
	double				 score = 0;
	int				 over = 0, grade;

	/* A real stream: enough packets, most of its sequence present
	 * (not a few packets of something else that parsed as RTP). */
	if (in->pt < 0 || in->packets < CM_QUALITY_MIN_PKTS ||
	    in->expected == 0 ||
	    in->packets * 100 < in->expected * CM_QUALITY_MIN_RX)
		return;
	/*
	 * More packets than sequence numbers: the sender restarted its
	 * numbering under the same SSRC, or duplicates dominate; loss,
	 * lateness and MOS do not describe the path then.
	 */
	grade = in->lost >= 0;
	/* RTP to this party from the other's host, another port. */
	if (!from_party && g->sender != NULL && !g->port_found &&
	    (g->sender->flags & CM_L_RTP) && g->sender->rtp.port != 0 &&
	    (sw_addr_ip_cmp(&in->src, &g->sender->rtp) == 0 ||
	    (g->sender_sig != NULL &&
	    sw_addr_ip_cmp(&in->src, g->sender_sig) == 0)) &&
	    in->src.port != g->sender->rtp.port) {
		g->port_found = 1;
		g->port_src = in->src;
		g->port_dst = in->dst;
	}
	if (!grade)
		return;
	g->graded++;
	if (in->lost_pct > pm->worst_loss_pct)
		pm->worst_loss_pct = in->lost_pct;
	if (in->jitter_known && in->mean_jitter_ms > pm->worst_jitter_ms)
		pm->worst_jitter_ms = in->mean_jitter_ms;
	if (in->quality.known && (!pm->mos_known ||
	    in->quality.mos < pm->worst_mos)) {
		pm->mos_known = 1;
		pm->worst_mos = in->quality.mos;
	}
	if (in->lost_pct > o->loss_pct) {
		over = 1;
		score += in->lost_pct / o->loss_pct;
	}
	if (in->jitter_known && in->mean_jitter_ms > o->jitter_ms) {
		over = 1;
		score += in->mean_jitter_ms / o->jitter_ms;
	}
	if (in->quality.known && in->quality.mos < o->mos) {
		over = 1;
		score += o->mos / (in->quality.mos > 1 ? in->quality.mos : 1);
	}
	if (over && (!g->found || score > g->score)) {
		g->found = 1;
		g->score = score;
		g->best = *in;
		g->best.call_id = NULL;
		g->best.payload = NULL;
		snprintf(g->payload, sizeof g->payload, "%s",
		    in->payload != NULL ? in->payload : "");
	}
}

/*
 * media-quality and the NAT port check over every current stream.  The
 * call's worst figures are the streams' as they are now; at the end
 * (FINAL) they are taken afresh from the streams' final figures, unless
 * no stream is left to grade.
 */
static void
cm_grade(struct track *tr, struct cidrec *cr, int64_t now, int final)
{
	struct cmedia		*cm = cr->media;
	const struct cm_leg	*l;
	struct cm_grade		 g;
	struct rule_media	 rm;
	struct cm_text		 tx;
	struct track_media	 was = cm->pub;
	unsigned		 li, p, i;

	memset(&g, 0, sizeof g);
	g.tr = tr;
	g.cm = cm;
	if (final) {
		cm->pub.mos_known = 0;
		cm->pub.worst_mos = 0;
		cm->pub.worst_loss_pct = 0;
		cm->pub.worst_jitter_ms = 0;
	}
	for (li = 0; li < CM_LEGS; li++) {
		l = &cm->leg[li];
		if (!l->used)
			continue;
		for (p = 0; p < 2; p++) {
			for (i = 0; i < l->nlines[p]; i++) {
				if (l->line[p][i].id == 0)
					continue;
				g.sender = i < l->nlines[1 - p] ?
				    &l->line[1 - p][i] : NULL;
				g.sender_sig = l->sig[1 - p].family != 0 ?
				    &l->sig[1 - p] : NULL;
				(void)media_expect_streams(tr->md->m,
				    l->line[p][i].id, cm_grade_one, &g);
			}
		}
	}
	if (final && g.graded == 0) {
		cm->pub.mos_known = was.mos_known;
		cm->pub.worst_mos = was.worst_mos;
		cm->pub.worst_loss_pct = was.worst_loss_pct;
		cm->pub.worst_jitter_ms = was.worst_jitter_ms;
	}
	if (g.port_found && !(cm->fired & TRACK_MEDIA_NAT)) {
		cm_evidence(cm, 0, &rm, &tx);
		sw_addr_format(&g.port_src, tx.rtp_src, sizeof tx.rtp_src);
		rm.rtp_src = tx.rtp_src;
		rm.party = NULL;
		rm.party_rtp = NULL;
		rm.cause = RULE_MC_OTHER_PORT;
		sw_addr_format(&g.port_dst, tx.other_rtp, sizeof tx.other_rtp);
		rm.other_rtp = tx.other_rtp;
		cm_raise(tr, cr, RULE_MEDIA_NAT_MISMATCH, TRACK_MEDIA_NAT, now,
		    &g.port_src, &g.port_dst, &rm);
	}
	if (g.found && !(cm->fired & TRACK_MEDIA_QUALITY) &&
	    cm_recent(tr, RULE_MEDIA_QUALITY, &g.best.src, &g.best.dst, now))
		cm->fired |= TRACK_MEDIA_QUALITY;
	if (g.found && !(cm->fired & TRACK_MEDIA_QUALITY)) {
		cm_evidence(cm, 0, &rm, &tx);
		rm.party = NULL;
		rm.loss_pct = g.best.lost_pct;
		rm.lost = g.best.lost;
		rm.expected = (int64_t)g.best.expected;
		rm.jitter_ms = g.best.jitter_known ? g.best.mean_jitter_ms : -1;
		rm.mos = g.best.quality.known ? g.best.quality.mos : 0;
		rm.late = g.best.late;
		rm.max_loss_pct = tr->md->o.loss_pct;
		rm.max_jitter_ms = tr->md->o.jitter_ms;
		rm.min_mos = tr->md->o.mos;
		sw_addr_format(&g.best.src, tx.rtp_src, sizeof tx.rtp_src);
		rm.rtp_src = tx.rtp_src;
		sw_addr_format(&g.best.dst, tx.other_rtp, sizeof tx.other_rtp);
		rm.other_rtp = tx.other_rtp;
		rm.party_rtp = NULL;
		rm.silence_us = g.best.last_us - g.best.first_us;
		rm.codec = g.payload[0] != '\0' ? g.payload : NULL;
		cm_raise(tr, cr, RULE_MEDIA_QUALITY, TRACK_MEDIA_QUALITY, now,
		    &g.best.src, &g.best.dst, &rm);
	}
}

/* ------------------------------------------------------------------ */

void
cm_check(struct track *tr, struct cidrec *cr, int64_t now, int mode)
{
	struct cmedia		*cm = cr->media;
	struct cm_tally		*t = &cm->tally;
	const struct cm_tally	*h;
	const struct track_media_opts *o = &tr->md->o;
	struct rule_media	 rm;
	struct cm_text		 tx;
	int64_t			 since, silence, last, first;
	struct cm_legstate	*ls;
	uint64_t		 sent, rev, n;
	unsigned		 d, li;
	int			 flowing;

	cm_tally(tr, cm, t);
	for (d = 0; d < 2; d++) {
		if (t->first[d] != 0 && (cm->first_rtp_us == 0 ||
		    t->first[d] < cm->first_rtp_us))
			cm->first_rtp_us = t->first[d];
		if (t->last[d] > cm->last_rtp_us)
			cm->last_rtp_us = t->last[d];
		for (li = 0; li < CM_LEGS; li++) {
			ls = &cm->ls[li];
			if (ls->t.pkts[d] == ls->seen[d])
				continue;
			/* [d] grew: its silence starts again */
			ls->seen[d] = ls->t.pkts[d];
			ls->grow_us[d] = ls->t.last[d];
			ls->rev_mark[d] = ls->t.pkts[1 - d];
		}
	}
	/*
	 * The call's totals: the replaced announcements' and the current
	 * ones'; never less than before (the streams of an endpoint another
	 * call took over end with this one's knowledge of them).
	 */
	h = &cm->hist;
	if (t->streams + h->streams > cm->pub.streams)
		cm->pub.streams = t->streams + h->streams;
	for (d = 0; d < 2; d++) {
		n = t->pkts[d] + t->stray[d] + h->pkts[d] + h->stray[d];
		if (n > cm->pub.packets[d])
			cm->pub.packets[d] = n;
		first = t->first[d] != 0 && (h->first[d] == 0 ||
		    t->first[d] < h->first[d]) ? t->first[d] : h->first[d];
		if (first != 0 && (cm->pub.first_us[d] == 0 ||
		    first < cm->pub.first_us[d]))
			cm->pub.first_us[d] = first;
		if (t->last[d] > cm->pub.last_us[d])
			cm->pub.last_us[d] = t->last[d];
		if (h->last[d] > cm->pub.last_us[d])
			cm->pub.last_us[d] = h->last[d];
	}
	if (mode < 0 || cm->answer_us == 0)
		return;

	if (!(cm->fired & TRACK_MEDIA_NAT))
		cm_nat_sdp(tr, cr, now);
	if (mode > 0 || now >= cm->next_quality) {
		cm->next_quality = now + CM_QUALITY_US;
		cm_grade(tr, cr, now, mode > 0);
	}

	/* no-media */
	if (!(cm->fired & (TRACK_MEDIA_NO_MEDIA | TRACK_MEDIA_LATE)) &&
	    (cm->expect[0] || cm->expect[1]) && cm->first_rtp_us == 0 &&
	    now - cm->answer_us >= o->no_media_us)
		cm_no_media(tr, cr, now);

	/* late-media */
	first = cm->first_rtp_us;
	if (!(cm->fired & (TRACK_MEDIA_NO_MEDIA | TRACK_MEDIA_LATE)) &&
	    first != 0 && first - cm->answer_us > o->late_us) {
		cm_evidence(cm, 1, &rm, &tx);
		rm.party = NULL;
		rm.silence_us = first - cm->answer_us;
		cm_raise(tr, cr, RULE_LATE_MEDIA, TRACK_MEDIA_LATE, now,
		    cm_rtp(cm, 1), cm_rtp(cm, 0), &rm);
	}

	/* one-way-media, at each leg that has both parties' SDP */
	for (li = 0; li < CM_LEGS && !(cm->fired & TRACK_MEDIA_ONE_WAY) &&
	    cm->expect[0] && cm->expect[1] && !cm->hold; li++) {
		ls = &cm->ls[li];
		if (!cm->leg[li].used || cm->leg[li].nlines[0] == 0 ||
		    cm->leg[li].nlines[1] == 0)
			continue;
		for (d = 0; d < 2; d++) {
			sent = ls->t.pkts[d] > ls->at_ref[d] ?
			    ls->t.pkts[d] - ls->at_ref[d] : 0;
			since = ls->grow_us[d] > cm->ref_us ? ls->grow_us[d] :
			    cm->ref_us;
			silence = now - since;
			rev = ls->t.pkts[1 - d] > ls->rev_mark[d] ?
			    ls->t.pkts[1 - d] - ls->rev_mark[d] : 0;
			flowing = ls->t.last[1 - d] >= now - 2 * CM_CHECK_US &&
			    silence > 0 && (double)rev >= CM_FLOW_PPS *
			    (double)(silence - CM_CHECK_US) / 1e6;
			if (!flowing)
				continue;
			if ((sent <= CM_NEVER_PKTS && (silence >=
			    o->one_way_us || (mode > 0 &&
			    silence >= CM_FINAL_US))) ||
			    silence >= 3 * o->one_way_us) {
				cm_one_way(tr, cr, li, (int)d, now, since,
				    sent);
				break;
			}
		}
	}

	/* media-timeout */
	if (!(cm->fired & TRACK_MEDIA_TIMEOUT) && !cm->hold &&
	    (cm->expect[0] || cm->expect[1]) && cm->last_rtp_us != 0) {
		last = cm->last_rtp_us > cm->ref_us ? cm->last_rtp_us :
		    cm->ref_us;
		if (now - last >= o->timeout_us) {
			cm_evidence(cm, 0, &rm, &tx);
			rm.party = NULL;
			rm.silence_us = now - last;
			cm_raise(tr, cr, RULE_MEDIA_TIMEOUT,
			    TRACK_MEDIA_TIMEOUT, now, cm_rtp(cm, 0),
			    cm_rtp(cm, 1), &rm);
		}
	}
	cm_publish(tr, cr, now);
}

void
cm_timer(struct track *tr, struct cidrec *cr, int64_t now)
{
	struct cmedia	*cm = cr->media;

	if (cm == NULL || cm->ended || cm->deadline == 0 ||
	    cm->deadline > now)
		return;
	cm->deadline = 0;
	if (cr->call.state != TRACK_CALL_ANSWERED || cm->answer_us == 0)
		return;
	cm_check(tr, cr, now, 0);
	cm->deadline = now + CM_CHECK_US;
}
