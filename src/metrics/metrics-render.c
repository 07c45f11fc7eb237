/*
 * metrics-render.c: the Prometheus text exposition format (0.0.4) of
 * sipwatch's counters.  Names follow the Prometheus conventions:
 * sipwatch_ prefix, _total for counters, base units (seconds, bytes) in
 * the name, one HELP and TYPE per family.  Label values that come from
 * traffic (methods) are escaped.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sink.h"
#include "decode/decode.h"
#include "hep/hep.h"
#include "media/media.h"
#include "metrics/metrics-int.h"
#include "rules/rules.h"
#include "sip/sip.h"
#include "stats/stats.h"
#include "track/track.h"

static void
metrics_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value, escaped (backslash, double quote, newline). */
static void
metrics_label(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void
metrics_u64(FILE *f, const char *name, const char *type, const char *help,
    uint64_t v)
{
	metrics_head(f, name, type, help);
	fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

/* NAME{LABEL="VALUE"} V, the value escaped. */
static void
metrics_sample1(FILE *f, const char *name, const char *label,
    const char *value, uint64_t v)
{
	fprintf(f, "%s{%s=\"", name, label);
	metrics_label(f, value);
	fprintf(f, "\"} %llu\n", (unsigned long long)v);
}

static void
metrics_hist(FILE *f, const char *name, const char *help,
    const struct metrics_hist *h)
{
	uint64_t	cum = 0;
	unsigned	i;

	metrics_head(f, name, "histogram", help);
	for (i = 0; i < h->nbounds; i++) {
		cum += h->bucket[i];
		fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", name,
		    h->bounds[i], (unsigned long long)cum);
	}
	fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n", name,
	    (unsigned long long)h->count);
	fprintf(f, "%s_sum %.6f\n", name, h->sum);
	fprintf(f, "%s_count %llu\n", name, (unsigned long long)h->count);
}

static void
metrics_render_capture(FILE *f, const struct metrics_src *src)
{
	const struct stats	*st = src->stats;

	metrics_u64(f, "sipwatch_capture_packets_total", "counter",
	    "Packets read (frames captured, or HEP packets received).",
	    st->packets);
	metrics_u64(f, "sipwatch_capture_bytes_total", "counter",
	    "Bytes on the wire of the packets read.", st->bytes);
	metrics_u64(f, "sipwatch_capture_sip_packets_total", "counter",
	    "Packets that carried SIP.", st->sip_packets);
	metrics_u64(f, "sipwatch_capture_kernel_drops_total", "counter",
	    "Packets the kernel dropped for lack of buffer space "
	    "(pcap_stats ps_drop; 0 when not capturing live).",
	    src->live ? src->kernel_drops : 0);
	metrics_u64(f, "sipwatch_capture_interface_drops_total", "counter",
	    "Packets the interface dropped (pcap_stats ps_ifdrop).",
	    src->live ? src->if_drops : 0);
	metrics_u64(f, "sipwatch_decode_errors_total", "counter",
	    "Frames rejected as malformed or cut.", st->decode_errors);
	if (src->progress_total > 0) {
		metrics_u64(f, "sipwatch_input_read_bytes", "gauge",
		    "Bytes of the capture file read so far.",
		    (uint64_t)src->progress_done);
		metrics_u64(f, "sipwatch_input_size_bytes", "gauge",
		    "Size of the capture file being read.",
		    (uint64_t)src->progress_total);
	}
}

/* Reassembly: what was dropped, by reason, and the bytes it held. */
static void
metrics_render_reassembly(FILE *f, const struct decode_stats *ds)
{
	static const enum decode_event drops[] = {
		DECODE_EV_FRAG_OVERLAP, DECODE_EV_FRAG_INVALID,
		DECODE_EV_FRAG_TIMEOUT, DECODE_EV_FRAG_EVICTED,
		DECODE_EV_TCP_GAP, DECODE_EV_TCP_TIMEOUT,
		DECODE_EV_TCP_EVICTED, DECODE_EV_TCP_BUFFER_FULL,
		DECODE_EV_TCP_CLOSED_PARTIAL, DECODE_EV_TCP_SIP_TOO_LARGE,
		DECODE_EV_TCP_OVERLAP_CONFLICT, DECODE_EV_WS_TOO_LARGE,
	};
	const char	*n = "sipwatch_reassembly_drops_total";
	unsigned	 i;

	metrics_head(f, n, "counter", "IP fragment and TCP stream "
	    "reassembly events that lost data, by reason.");
	for (i = 0; i < sizeof drops / sizeof drops[0]; i++)
		metrics_sample1(f, n, "reason", decode_event_name(drops[i]),
		    ds->events[drops[i]]);
	metrics_u64(f, "sipwatch_reassembly_dropped_bytes_total", "counter",
	    "Held TCP stream bytes dropped (caps, timeouts, resets).",
	    ds->tcp_dropped_bytes);
	metrics_u64(f, "sipwatch_reassembly_gap_bytes_total", "counter",
	    "TCP stream bytes never captured, skipped.", ds->tcp_gap_bytes);
	metrics_u64(f, "sipwatch_reassembly_tcp_streams_total", "counter",
	    "TCP connections tracked.", ds->tcp_streams);
}

static void
metrics_render_sip(FILE *f, const struct metrics_src *src)
{
	const struct stats	*st = src->stats;
	const char		*n;
	char			 code[8];
	unsigned		 i;

	n = "sipwatch_sip_requests_total";
	metrics_head(f, n, "counter", "SIP requests by method, "
	    "retransmissions included.");
	for (i = 0; i < st->nmethods; i++)
		metrics_sample1(f, n, "method", st->methods[i].name,
		    st->methods[i].count);
	if (st->method_other > 0)
		metrics_sample1(f, n, "method", "other", st->method_other);
	n = "sipwatch_sip_responses_total";
	metrics_head(f, n, "counter", "SIP responses by status code, "
	    "retransmissions included.");
	for (i = 100; i < 700; i++) {
		if (st->codes[i] == 0)
			continue;
		snprintf(code, sizeof code, "%u", i);
		metrics_sample1(f, n, "code", code, st->codes[i]);
	}
	metrics_u64(f, "sipwatch_sip_messages_total", "counter",
	    "SIP messages, requests and responses.", st->messages);
	metrics_u64(f, "sipwatch_sip_retransmissions_total", "counter",
	    "SIP messages that were retransmissions (RFC 3261 17).",
	    st->retransmissions);
	metrics_u64(f, "sipwatch_sip_keepalives_total", "counter",
	    "CRLF keep-alives (RFC 5626 4.4.1).", st->keepalives);
	n = "sipwatch_sip_parse_errors_total";
	metrics_head(f, n, "counter", "SIP messages the parser rejected "
	    "or flagged, by reason.");
	for (i = 1; i < SIP_ERR_COUNT; i++)
		metrics_sample1(f, n, "reason", sip_error_name(i),
		    st->parse_error_by[i]);
}

static void
metrics_render_peers(FILE *f, const struct metrics_obs *o)
{
	const char	*n = "sipwatch_peer_responses_total";
	char		 ip[SW_ADDRSTRLEN], cls[4];
	unsigned	 i, c;

	metrics_head(f, n, "counter", "SIP responses by the peer (IP) "
	    "that sent them and class; peers beyond 256 are \"other\".");
	for (i = 0; i < METRICS_PEER_SLOTS; i++) {
		if (!o->peers[i].used)
			continue;
		sw_addr_format_ip(&o->peers[i].addr, ip, sizeof ip);
		for (c = 1; c <= 6; c++) {
			if (o->peers[i].classes[c] == 0)
				continue;
			fprintf(f, "%s{peer=\"%s\",class=\"%uxx\"} %llu\n", n,
			    ip, c, (unsigned long long)o->peers[i].classes[c]);
		}
	}
	for (c = 1; c <= 6; c++) {
		if (o->other_classes[c] == 0)
			continue;
		snprintf(cls, sizeof cls, "%uxx", c);
		fprintf(f, "%s{peer=\"other\",class=\"%s\"} %llu\n", n, cls,
		    (unsigned long long)o->other_classes[c]);
	}
	metrics_hist(f, "sipwatch_call_pdd_seconds", "Post-dial delay "
	    "(RFC 6076 session request delay): first INVITE of a call to its "
	    "first 101-199 or 2xx response.", &o->pdd);
	metrics_hist(f, "sipwatch_call_setup_seconds", "Setup time: first "
	    "INVITE of a call to its first 2xx response.", &o->setup);
}

/*
 * RTP and RTCP: the media module's counters, and the streams that ended
 * (metrics_obs_stream()): loss totals and the quality histograms.
 */
static void
metrics_render_media(FILE *f, const struct media *m,
    const struct metrics_obs *o)
{
	struct media_stats	st;

	media_stats(m, &st);
	metrics_u64(f, "sipwatch_rtp_streams_active", "gauge",
	    "RTP streams being measured (RFC 3550: a 5-tuple and SSRC).",
	    st.streams_active);
	metrics_u64(f, "sipwatch_rtp_streams_total", "counter",
	    "RTP streams seen (announced by SDP, or two packets in "
	    "sequence).", st.streams);
	metrics_u64(f, "sipwatch_rtp_streams_evicted_total", "counter",
	    "RTP streams ended early because the stream table was full.",
	    st.evicted);
	metrics_u64(f, "sipwatch_rtp_packets_total", "counter",
	    "UDP packets recognised as RTP.", st.rtp_packets);
	metrics_u64(f, "sipwatch_rtcp_packets_total", "counter",
	    "UDP packets recognised as RTCP compounds.", st.rtcp_packets);
	if (o == NULL)
		return;
	metrics_u64(f, "sipwatch_rtp_expected_packets_total", "counter",
	    "Packets the RTP streams that ended should have carried (RFC "
	    "3550 A.3: highest sequence number - first + 1).",
	    o->rtp_expected);
	metrics_u64(f, "sipwatch_rtp_lost_packets_total", "counter",
	    "Packets the RTP streams that ended lost on the network (RFC "
	    "3550 A.3: expected - received, 0 when negative).", o->rtp_lost);
	metrics_hist(f, "sipwatch_rtp_mos", "MOS-CQE of each RTP stream "
	    "that ended (ITU-T G.107 E-model; streams whose codec has G.113 "
	    "values).", &o->mos);
	metrics_hist(f, "sipwatch_rtp_jitter_seconds", "Mean interarrival "
	    "jitter of each RTP stream that ended (RFC 3550 A.8; streams "
	    "whose clock rate is known).", &o->jitter);
	metrics_hist(f, "sipwatch_rtp_loss_ratio", "Lost / expected "
	    "packets of each RTP stream that ended (RFC 3550 A.3).", &o->loss);
}

static void
metrics_render_track(FILE *f, const struct track *tr)
{
	const struct rule_entry		*r;
	struct track_usage		 u;
	struct track_incident_counts	 c;
	struct track_attack_counts	 a;
	const char			*n = "sipwatch_incidents_total";
	unsigned			 i;

	track_usage(tr, &u);
	metrics_u64(f, "sipwatch_transactions_active", "gauge",
	    "SIP transactions being tracked.", u.transactions);
	metrics_u64(f, "sipwatch_call_ids_active", "gauge",
	    "Call-ID records being tracked (each holds a call, its dialogs "
	    "and transactions).", u.call_ids);
	metrics_u64(f, "sipwatch_timers_pending", "gauge",
	    "Protocol timers waiting for their deadline.", u.timers);
	metrics_u64(f, "sipwatch_tracker_evictions_total", "counter",
	    "Tracker entries evicted because a table was full.", u.evicted);
	metrics_head(f, n, "counter", "Incidents raised, by rule and "
	    "severity.");
	for (i = 0; i < RULE_COUNT; i++) {
		if ((r = rules_entry(i)) == NULL)
			continue;
		track_incidents(tr, i, &c);
		fprintf(f, "%s{rule=\"%s\",severity=\"%s\"} %llu\n", n, r->id,
		    alert_severity_name(r->severity),
		    (unsigned long long)c.opened);
	}
	n = "sipwatch_incident_occurrences_total";
	metrics_head(f, n, "counter", "Verdicts counted by the incidents, "
	    "by rule (the raise included).");
	for (i = 0; i < RULE_COUNT; i++) {
		track_incidents(tr, i, &c);
		fprintf(f, "%s{rule=\"%s\"} %llu\n", n, rules_entry(i)->id,
		    (unsigned long long)c.occurrences);
	}
	track_incidents(tr, RULE_COUNT, &c);
	metrics_u64(f, "sipwatch_incidents_open", "gauge",
	    "Incidents open now.", c.open);
	track_attacks(tr, &a);
	metrics_u64(f, "sipwatch_attack_sources_flagged", "gauge",
	    "Source IPs flagged as attackers now (scanner, password "
	    "guessing, account compromise, toll fraud).", a.flagged);
	metrics_u64(f, "sipwatch_attack_sources_total", "counter",
	    "Source IPs flagged as attackers (again after an hour of quiet "
	    "counts again).", a.flagged_total);
	metrics_u64(f, "sipwatch_accounts_compromised_total", "counter",
	    "Credentialed requests of a flagged source accepted with a 2xx.",
	    a.compromised);
	metrics_u64(f, "sipwatch_fraud_calls_total", "counter",
	    "Calls to international or premium numbers by sources that should "
	    "not place them.", a.fraud_calls);
	metrics_u64(f, "sipwatch_fraud_calls_answered_total", "counter",
	    "Of those, calls answered.", a.fraud_answered);
	metrics_u64(f, "sipwatch_attack_verdicts_absorbed_total", "counter",
	    "Verdicts of the other rules about attack traffic (servers "
	    "refusing an attacker), counted into its incident instead.",
	    a.absorbed);
}

static void
metrics_render_hep(FILE *f, const struct metrics_src *src)
{
	struct hep_send_stats		 ss;
	const struct hep_listen_stats	*ls;
	const struct hep_agent		*a;
	const char			*n;
	char				 buf[SW_ADDRSTRLEN + 16];
	unsigned			 i, na;

	if (src->hep_send != NULL) {
		hep_sender_stats(src->hep_send, &ss);
		metrics_u64(f, "sipwatch_hep_sent_packets_total", "counter",
		    "HEP packets delivered to the collector (--hep): "
		    "acknowledged over TCP, not refused over UDP.", ss.sent);
		metrics_u64(f, "sipwatch_hep_sent_bytes_total", "counter",
		    "HEP bytes written to the socket.", ss.bytes);
		metrics_u64(f, "sipwatch_hep_send_failed_total", "counter",
		    "HEP packets lost to an error (refused by ICMP, send "
		    "error).", ss.failed);
		n = "sipwatch_hep_send_dropped_total";
		metrics_head(f, n, "counter", "SIP messages not sent as HEP, "
		    "by reason.");
		metrics_sample1(f, n, "reason", "queue_full", ss.dropped_full);
		metrics_sample1(f, n, "reason", "too_large",
		    ss.dropped_too_large);
		metrics_sample1(f, n, "reason", "shutdown",
		    ss.dropped_shutdown);
		metrics_u64(f, "sipwatch_hep_send_queue_length", "gauge",
		    "HEP packets waiting to be sent.", ss.queue_len);
		metrics_u64(f, "sipwatch_hep_send_connects_total", "counter",
		    "TCP connections made to the collector.", ss.connects);
	}
	if (src->hep_listen == NULL)
		return;
	ls = hep_listener_stats(src->hep_listen);
	metrics_u64(f, "sipwatch_hep_received_packets_total", "counter",
	    "HEP packets received (--hep-listen).", ls->packets);
	metrics_u64(f, "sipwatch_hep_received_bytes_total", "counter",
	    "HEP bytes received.", ls->bytes);
	metrics_u64(f, "sipwatch_hep_received_messages_total", "counter",
	    "SIP messages received over HEP and analysed.", ls->messages);
	metrics_u64(f, "sipwatch_hep_received_duplicates_total", "counter",
	    "SIP messages another agent had already reported (not "
	    "analysed twice).", ls->duplicates);
	n = "sipwatch_hep_received_dropped_total";
	metrics_head(f, n, "counter", "HEP packets received and not "
	    "analysed, by reason.");
	for (i = 1; i < HEP_ERR_COUNT; i++)
		metrics_sample1(f, n, "reason", hep_error_name(i),
		    ls->errors[i]);
	n = "sipwatch_hep_agent_messages_total";
	metrics_head(f, n, "counter", "SIP messages analysed, by the "
	    "capture agent (capture id@IP) that sent them.");
	a = hep_listener_agents(src->hep_listen, &na);
	for (i = 0; i < na; i++)
		metrics_sample1(f, n, "agent",
		    hep_agent_format(&a[i], buf, sizeof buf), a[i].messages);
	n = "sipwatch_hep_agent_duplicates_total";
	metrics_head(f, n, "counter", "SIP messages an agent reported "
	    "that another agent had already reported.");
	for (i = 0; i < na; i++)
		metrics_sample1(f, n, "agent",
		    hep_agent_format(&a[i], buf, sizeof buf), a[i].duplicates);
}

/*
 * Every output by what became of what it was given (core/sink.h): one
 * counter family with a result label, and the queue.
 */
static void
metrics_render_sinks(FILE *f, const struct metrics_src *src)
{
	static const char *const results[] = { "sent", "failed", "dropped" };
	const struct sw_sink	*k;
	const char		*n;
	uint64_t		 v[3];
	unsigned		 i, j;

	if (src->nsinks == 0)
		return;
	n = "sipwatch_sink_messages_total";
	metrics_head(f, n, "counter", "What each output did with what it "
	    "was given (alert lines, syslog messages, HEP packets, frames "
	    "for -w, evidence files): sent (delivered), failed (lost to an "
	    "error), dropped (queue full, or left at exit).");
	for (i = 0; i < src->nsinks; i++) {
		k = &src->sinks[i];
		v[0] = k->sent;
		v[1] = k->failed;
		v[2] = k->dropped;
		for (j = 0; j < 3; j++) {
			fprintf(f, "%s{sink=\"%s\",target=\"", n, k->kind);
			metrics_label(f, k->target != NULL ? k->target : "");
			fprintf(f, "\",result=\"%s\"} %llu\n", results[j],
			    (unsigned long long)v[j]);
		}
	}
	n = "sipwatch_sink_queue_length";
	metrics_head(f, n, "gauge", "Items each output holds, not yet "
	    "delivered (collector down, disk full, awaiting acknowledgement).");
	for (i = 0; i < src->nsinks; i++) {
		k = &src->sinks[i];
		fprintf(f, "%s{sink=\"%s\",target=\"", n, k->kind);
		metrics_label(f, k->target != NULL ? k->target : "");
		fprintf(f, "\"} %llu\n", (unsigned long long)k->queued);
	}
}

char *
metrics_render(const struct metrics_src *src, size_t *len)
{
	FILE	*f;
	char	*buf = NULL;

	if ((f = open_memstream(&buf, len)) == NULL)
		fatal("open_memstream");
	metrics_head(f, "sipwatch_build_info", "gauge",
	    "Always 1; the version of sipwatch as a label.");
	fprintf(f, "sipwatch_build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
	metrics_render_capture(f, src);
	if (src->decode != NULL)
		metrics_render_reassembly(f, src->decode);
	metrics_render_sip(f, src);
	if (src->obs != NULL)
		metrics_render_peers(f, src->obs);
	if (src->track != NULL)
		metrics_render_track(f, src->track);
	if (src->media != NULL)
		metrics_render_media(f, src->media, src->obs);
	metrics_render_hep(f, src);
	metrics_render_sinks(f, src);
	if (fclose(f) != 0 || buf == NULL)
		fatal("metrics text");
	return (buf);
}
