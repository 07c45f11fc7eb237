/*
 * media-report.c: the "media" section of the report (doc/REPORT.md): the
 * analyser's counters and one entry per stream, in order of first packet,
 * at most report_max of them (the counts stay exact).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "media/media-int.h"

static json_t *
media_json_time(int64_t us)
{
	return (json_real((double)us / 1e6));
}

/* A measurement in ms, rounded to the µs. */
static json_t *
media_json_ms(double ms)
{
	return (json_real(round(ms * 1000.0) / 1000.0));
}

static json_t *
media_json_rtcp(const struct media_rtcp_info *r)
{
	json_t	*o;

	if (r->sr == 0 && r->rr == 0 && r->xr == 0)
		return (json_null());
	o = json_object();
	sw_json_set(o, "sr", sw_json_uint(r->sr));
	if (r->sr > 0) {
		sw_json_set(o, "sender_packets", sw_json_uint(r->sr_packets));
		sw_json_set(o, "sender_octets", sw_json_uint(r->sr_octets));
	}
	sw_json_set(o, "rr", sw_json_uint(r->rr));
	if (r->rr > 0) {
		sw_json_set(o, "fraction_lost_pct",
		    media_json_ms(r->rr_fraction_lost_pct));
		sw_json_set(o, "fraction_lost_max_pct",
		    media_json_ms(r->rr_fraction_lost_max_pct));
		sw_json_set(o, "cumulative_lost", json_integer(r->rr_cum_lost));
		sw_json_set(o, "interval_lost_max_pct",
		    media_json_ms(r->rr_interval_lost_max_pct));
		sw_json_set(o, "jitter_ms", r->rr_jitter_known ?
		    media_json_ms(r->rr_jitter_ms) : json_null());
		sw_json_set(o, "jitter_max_ms", r->rr_jitter_known ?
		    media_json_ms(r->rr_jitter_max_ms) : json_null());
	}
	sw_json_set(o, "rtt_ms", r->rtt > 0 ? media_json_ms(r->rtt_ms) :
	    json_null());
	sw_json_set(o, "rtt_max_ms", r->rtt > 0 ?
	    media_json_ms(r->rtt_max_ms) : json_null());
	sw_json_set(o, "xr", sw_json_uint(r->xr));
	if (r->xr > 0) {
		json_t *x = json_object();

		sw_json_set(x, "loss_pct", media_json_ms(r->xr_loss_pct));
		sw_json_set(x, "discard_pct", media_json_ms(r->xr_discard_pct));
		sw_json_set(x, "r_factor", r->xr_r_factor == 127 ?
		    json_null() : json_integer(r->xr_r_factor));
		sw_json_set(x, "mos_lq", r->xr_mos_lq > 0 ?
		    json_real(r->xr_mos_lq) : json_null());
		sw_json_set(x, "mos_cq", r->xr_mos_cq > 0 ?
		    json_real(r->xr_mos_cq) : json_null());
		sw_json_set(x, "round_trip_ms", json_integer(r->xr_rtt_ms));
		sw_json_set(x, "end_system_delay_ms",
		    json_integer(r->xr_esd_ms));
		sw_json_set(x, "jb_nominal_ms",
		    json_integer(r->xr_jb_nominal_ms));
		sw_json_set(x, "jb_max_ms", json_integer(r->xr_jb_max_ms));
		sw_json_set(o, "voip_metrics", x);
	}
	return (o);
}

/* One stream as the report lists it. */
static json_t *
media_json_stream(const struct media_stream_info *in)
{
	const struct media_quality	*q = &in->quality;
	json_t				*o, *pts, *qo;
	char				 a[SW_ADDRSTRLEN], ssrc[16];
	int				 pt;

	o = json_object();
	sw_json_set(o, "call_id", sw_json_wire(in->call_id));
	sw_json_set(o, "party", json_string(media_party_name(in->party)));
	sw_json_set(o, "direction", json_string(in->party == MEDIA_PARTY_NONE ?
	    "" : in->from_party ? "from" : "to"));
	sw_json_set(o, "match", json_string(media_match_name(in->match)));
	sw_json_set(o, "src", json_string(sw_addr_format(&in->src, a,
	    sizeof a)));
	sw_json_set(o, "dst", json_string(sw_addr_format(&in->dst, a,
	    sizeof a)));
	snprintf(ssrc, sizeof ssrc, "0x%08X", (unsigned)in->ssrc);
	sw_json_set(o, "ssrc", json_string(ssrc));
	sw_json_set(o, "payload", sw_json_wire(in->payload != NULL ?
	    in->payload : ""));
	pts = json_array();
	for (pt = 0; pt < 128; pt++) {
		if ((in->pt_seen[pt >> 3] & (1u << (pt & 7))) &&
		    json_array_append_new(pts, json_integer(pt)) == -1)
			fatalx("report: cannot build JSON (media)");
	}
	sw_json_set(o, "payload_types", pts);
	sw_json_set(o, "clock_hz", in->clock != 0 ? json_integer(in->clock) :
	    json_null());
	sw_json_set(o, "packets", sw_json_uint(in->packets));
	sw_json_set(o, "bytes", sw_json_uint(in->bytes));
	sw_json_set(o, "expected", sw_json_uint(in->expected));
	sw_json_set(o, "lost", json_integer(in->lost));
	sw_json_set(o, "lost_pct", media_json_ms(in->lost_pct));
	sw_json_set(o, "duplicates", sw_json_uint(in->duplicates));
	sw_json_set(o, "out_of_order", sw_json_uint(in->out_of_order));
	sw_json_set(o, "seq_errors", sw_json_uint(in->seq_errors));
	sw_json_set(o, "restarts", sw_json_uint(in->restarts));
	sw_json_set(o, "timestamp_resets", sw_json_uint(in->ts_resets));
	sw_json_set(o, "ssrc_changes", json_integer(in->ssrc_changes));
	sw_json_set(o, "markers", sw_json_uint(in->markers));
	sw_json_set(o, "comfort_noise", sw_json_uint(in->comfort_noise));
	sw_json_set(o, "dtmf_events", sw_json_uint(in->dtmf_events));
	sw_json_set(o, "dtmf_digits", json_string(in->dtmf));
	sw_json_set(o, "max_delta_ms", media_json_ms(in->max_delta_ms));
	sw_json_set(o, "jitter_ms", in->jitter_known ?
	    media_json_ms(in->jitter_ms) : json_null());
	sw_json_set(o, "mean_jitter_ms", in->jitter_known ?
	    media_json_ms(in->mean_jitter_ms) : json_null());
	sw_json_set(o, "max_jitter_ms", in->jitter_known ?
	    media_json_ms(in->max_jitter_ms) : json_null());
	sw_json_set(o, "late", in->jitter_known ? sw_json_uint(in->late) :
	    json_null());
	sw_json_set(o, "capture_drops", sw_json_uint(in->capture_drops));
	sw_json_set(o, "mos", q->known ? json_real(round(q->mos * 100) /
	    100) : json_null());
	sw_json_set(o, "r_factor", q->known ? json_real(round(q->r * 10) /
	    10) : json_null());
	qo = json_object();
	if (q->known) {
		sw_json_set(qo, "codec", json_string(q->codec));
		sw_json_set(qo, "ppl_pct", media_json_ms(q->ppl));
		sw_json_set(qo, "burst_r", json_real(round(q->burst_r * 100) /
		    100));
		sw_json_set(qo, "delay_ms", media_json_ms(q->delay_ms));
		sw_json_set(qo, "delay_from_rtcp", json_boolean(q->delay_rtcp));
	} else
		sw_json_set(qo, "not_scored", json_string(q->why));
	sw_json_set(o, "quality", qo);
	sw_json_set(o, "rtcp", media_json_rtcp(&in->rtcp));
	sw_json_set(o, "evicted", json_boolean(in->evicted));
	sw_json_set(o, "first", media_json_time(in->first_us));
	sw_json_set(o, "last", media_json_time(in->last_us));
	return (o);
}

/* Order of the list: first packet, then the key. */
static int
media_report_cmp(const void *a, const void *b)
{
	const struct media_stream *x = *(const struct media_stream *const *)a;
	const struct media_stream *y = *(const struct media_stream *const *)b;

	if (x->first_us != y->first_us)
		return (x->first_us < y->first_us ? -1 : 1);
	return (memcmp(&x->key, &y->key, sizeof x->key));
}

void
media_report(json_t *root, const struct media *m)
{
	struct media_stream_info	  info;
	const struct media_stream	**v, *s;
	json_t				 *o, *list, *ann;
	size_t				  n = 0, cap, i;

	/* The finished streams, then those still active (not finished). */
	cap = (size_t)m->nfin + m->st.streams_active;
	v = xreallocarray(NULL, cap > 0 ? cap : 1, sizeof *v);
	for (i = 0; i < m->nfin; i++)
		v[n++] = &m->fin[i];
	TAILQ_FOREACH(s, &m->active, lru) {
		if (n < cap)
			v[n++] = s;
	}
	qsort(v, n, sizeof *v, media_report_cmp);
	list = json_array();
	for (i = 0; i < n && i < m->o.report_max; i++) {
		media_stream_info_fill(m, v[i], &info);
		if (json_array_append_new(list, media_json_stream(&info)) == -1)
			fatalx("report: cannot build JSON (media)");
	}
	free(v);

	o = json_object();
	sw_json_set(o, "streams_total", sw_json_uint(m->st.streams));
	sw_json_set(o, "streams_listed", json_integer((json_int_t)
	    json_array_size(list)));
	sw_json_set(o, "announced", sw_json_uint(m->st.streams_announced));
	sw_json_set(o, "unannounced", sw_json_uint(m->st.streams_unannounced));
	sw_json_set(o, "active", sw_json_uint(m->st.streams_active));
	sw_json_set(o, "candidates", sw_json_uint(m->st.candidates));
	sw_json_set(o, "candidate_packets",
	    sw_json_uint(m->st.candidate_packets));
	sw_json_set(o, "rtp_packets", sw_json_uint(m->st.rtp_packets));
	sw_json_set(o, "rtcp_packets", sw_json_uint(m->st.rtcp_packets));
	sw_json_set(o, "rtcp_bad", sw_json_uint(m->st.rtcp_bad));
	sw_json_set(o, "rtcp_unmatched", sw_json_uint(m->st.rtcp_unmatched));
	sw_json_set(o, "not_media", sw_json_uint(m->st.not_media));
	sw_json_set(o, "evicted", sw_json_uint(m->st.evicted));
	sw_json_set(o, "peak_streams", sw_json_uint(m->st.peak_streams));
	sw_json_set(o, "capture_drops", sw_json_uint(m->st.capture_drops));
	sw_json_set(o, "jitter_buffer_ms", json_real(m->o.jb_ms));
	ann = json_object();
	sw_json_set(ann, "made", sw_json_uint(m->st.expect));
	sw_json_set(ann, "live", json_integer(m->nexp));
	sw_json_set(ann, "evicted", sw_json_uint(m->st.expect_evicted));
	sw_json_set(ann, "refused", sw_json_uint(m->st.expect_refused));
	sw_json_set(o, "announcements", ann);
	sw_json_set(o, "streams", list);
	sw_json_set(root, "media", o);
}
