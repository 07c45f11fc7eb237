/*
 * media-emodel.c: the ITU-T G.107 (06/2015) E-model, narrowband, and its
 * use on a measured stream.
 *
 * R = Ro - Is - Id - Ie,eff + A (G.107 7.1).  Every parameter but the
 * delays (T, Ta, Tr), the codec's Ie and Bpl, and the packet loss (Ppl,
 * BurstR) stays at its G.107 Table 3 default; with all defaults R is
 * 93.2, as G.107 states.  The codec values are G.113 (11/2007) Appendix
 * I's; codecs G.113 gives no narrowband Ie/Bpl pair for are not scored.
 * doc/MEDIA.md lists every formula, constant and source.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "media/media-int.h"

/* G.107 Table 3 defaults of the parameters held fixed. */
#define E_SLR	8.0	/* send loudness rating, dB */
#define E_RLR	2.0	/* receive loudness rating, dB */
#define E_STMR	15.0	/* sidetone masking rating, dB */
#define E_LSTR	18.0	/* listener sidetone rating, dB */
#define E_DS	3.0	/* D-value of the telephone, send side */
#define E_TELR	65.0	/* talker echo loudness rating, dB */
#define E_WEPL	110.0	/* weighted echo path loss, dB */
#define E_QDU	1.0	/* quantizing distortion units */
#define E_NC	(-70.0)	/* circuit noise, dBm0p */
#define E_NFOR	(-64.0)	/* noise floor at the receive side, dBmp */
#define E_PS	35.0	/* room noise at the send side, dB(A) */
#define E_PR	35.0	/* room noise at the receive side, dB(A) */
#define E_A	0.0	/* advantage factor */
#define E_MT	100.0	/* minimum perceivable delay mT, ms (7.4) */
#define E_ST	1.0	/* delay sensitivity sT (7.4) */

void
media_emodel_default(struct media_emodel_in *in)
{
	memset(in, 0, sizeof *in);
	in->ie = 0;
	in->bpl = 4.3;
	in->ppl = 0;
	in->burst_r = 1;
}

double
media_emodel_r(const struct media_emodel_in *in)
{
	double	olr, nos, pre, nor, nfo, no, ro;
	double	xolr, iolr, stmro, ist, q, g, y, z, iq, is;
	double	roe, terv, re, idte, rle, idle, idd, x, id;
	double	ieeff, burst_r, t = in->t_ms;

	/* 7.2 Basic signal-to-noise ratio */
	olr = E_SLR + E_RLR;
	nos = E_PS - E_SLR - E_DS - 100 + 0.004 * pow(E_PS - olr - E_DS - 14, 2);
	pre = E_PR + 10 * log10(1 + pow(10, (10 - E_LSTR) / 10));
	nor = E_RLR - 121 + pre + 0.008 * pow(pre - 35, 2);
	nfo = E_NFOR + E_RLR;
	no = 10 * log10(pow(10, E_NC / 10) + pow(10, nos / 10) +
	    pow(10, nor / 10) + pow(10, nfo / 10));
	ro = 15 - 1.5 * (E_SLR + no);

	/* 7.3 Simultaneous impairment factor */
	xolr = olr + 0.2 * (64 + no - E_RLR);
	iolr = 20 * (pow(1 + pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
	stmro = -10 * log10(pow(10, -E_STMR / 10) +
	    exp(-t / 4) * pow(10, -E_TELR / 10));
	ist = 12 * pow(1 + pow((stmro - 13) / 6, 8), 1.0 / 8) -
	    28 * pow(1 + pow((stmro + 1) / 19.4, 35), 1.0 / 35) -
	    13 * pow(1 + pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
	q = 37 - 15 * log10(E_QDU);
	g = 1.07 + 0.258 * q + 0.0602 * q * q;
	y = (ro - 100) / 15 + 46 / 8.4 - g / 9;
	z = 46.0 / 30 - g / 40;
	iq = 15 * log10(1 + pow(10, y) + pow(10, z));
	is = iolr + ist + iq;

	/* 7.4 Delay impairment factor: talker echo, listener echo, delay */
	roe = -1.5 * (no - E_RLR);
	terv = E_TELR - 40 * log10((1 + t / 10) / (1 + t / 150)) +
	    6 * exp(-0.3 * t * t);
	re = 80 + 2.5 * (terv - 14);
	idte = ((roe - re) / 2 + sqrt(pow(roe - re, 2) / 4 + 100) - 1) *
	    (1 - exp(-t));
	rle = 10.5 * (E_WEPL + 7) * pow(in->tr_ms + 1, -0.25);
	idle = (ro - rle) / 2 + sqrt(pow(ro - rle, 2) / 4 + 169);
	if (in->ta_ms <= E_MT)
		idd = 0;
	else {
		x = log10(in->ta_ms / E_MT) / log10(2);
		idd = 25 * (pow(1 + pow(x, 6 * E_ST), 1 / (6 * E_ST)) -
		    3 * pow(1 + pow(x / 3, 6 * E_ST), 1 / (6 * E_ST)) + 2);
	}
	id = idte + idle + idd;

	/* 7.5 Effective equipment impairment factor (packet loss) */
	burst_r = in->burst_r > 0 ? in->burst_r : 1;
	ieeff = in->ie;
	if (in->ppl > 0)
		ieeff += (95 - in->ie) * in->ppl / (in->ppl / burst_r +
		    in->bpl);

	return (ro - is - id - ieeff + E_A);
}

double
media_emodel_mos(double r)
{
	if (r < 0)
		return (1.0);
	if (r > 100)
		return (4.5);
	return (1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}

/*
 * G.113 (11/2007) Appendix I: Ie from Table I.1, Bpl from Table I.3 (the
 * rows measured with the codec's packet loss concealment); lookahead from
 * the codec's own Recommendation.
 */
static const struct {
	const char	*names[4];	/* RTP encoding names (RFC 3551) */
	const char	*label;
	double		 ie, bpl, lookahead_ms;
} media_codecs[] = {
	{ { "PCMU", "PCMA", NULL }, "G.711", 0, 25.1, 0 },
	{ { "G729", "G729A", NULL }, "G.729A", 11, 19.0, 5 },
	{ { "G723", NULL }, "G.723.1", 15, 16.1, 7.5 },
};

const char *
media_emodel_codec(const char *name, double *ie, double *bpl,
    double *lookahead_ms)
{
	size_t	i, j;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < sizeof media_codecs / sizeof media_codecs[0]; i++) {
		for (j = 0; media_codecs[i].names[j] != NULL; j++) {
			if (strcasecmp(name, media_codecs[i].names[j]) != 0)
				continue;
			*ie = media_codecs[i].ie;
			*bpl = media_codecs[i].bpl;
			*lookahead_ms = media_codecs[i].lookahead_ms;
			return (media_codecs[i].label);
		}
	}
	return (NULL);
}

/*
 * The quality of a measured stream: effective loss is the network's
 * (A.3, never below 0) plus the packets too late for the nominal jitter
 * buffer; burstiness from the number of loss runs (G.107 7.5: BurstR =
 * 1 / (p + q) of the two-state model); the one-way delay is the jitter
 * buffer, one packet of the codec and its lookahead, plus half the RTCP
 * round trip when one was measured.
 */
void
media_emodel_stream(const struct media *m, const struct media_stream_info *in,
    struct media_quality *qo)
{
	struct media_emodel_in	 e;
	double			 ie, bpl, la, lost, found, p, q, frame;
	const char		*label;

	memset(qo, 0, sizeof *qo);
	if (in->payload == NULL) {
		qo->why = "payload type unknown (no SDP)";
		return;
	}
	if ((label = media_emodel_codec(in->payload, &ie, &bpl, &la)) ==
	    NULL) {
		qo->why = "no G.113 narrowband Ie/Bpl for this codec";
		return;
	}
	if (in->expected == 0 || !in->jitter_known) {
		qo->why = "too few packets";
		return;
	}
	media_emodel_default(&e);
	e.ie = ie;
	e.bpl = bpl;
	lost = (in->lost > 0 ? (double)in->lost : 0) + (double)in->late;
	found = (double)in->packets - (double)in->late;
	e.ppl = 100.0 * lost / (double)in->expected;
	if (e.ppl > 100)
		e.ppl = 100;
	if (lost > 0 && found > 0 && in->loss_bursts > 0) {
		p = (double)in->loss_bursts / found;	/* found -> lost */
		q = (double)in->loss_bursts / lost;	/* lost -> found */
		e.burst_r = 1 / (p + q);
	}
	/* Unknown: RFC 3551 4.2's default packetization, 20 ms. */
	frame = in->frame_ms > 0 ? in->frame_ms : 20;
	e.t_ms = m->o.jb_ms + frame + la;
	if (in->rtcp.rtt > 0) {
		e.t_ms += in->rtcp.rtt_ms / 2;
		qo->delay_rtcp = 1;
	}
	e.ta_ms = e.t_ms;
	e.tr_ms = 2 * e.t_ms;
	qo->known = 1;
	qo->codec = label;
	qo->r = media_emodel_r(&e);
	qo->mos = media_emodel_mos(qo->r);
	qo->ppl = e.ppl;
	qo->burst_r = e.burst_r;
	qo->delay_ms = e.t_ms;
}
