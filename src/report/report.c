/*
 * report.c: build the end-of-run report with jansson and print it as JSON
 * or as text.  The text form is rendered from the same JSON object, so the
 * two can never disagree.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "core/sink.h"
#include "core/timefmt.h"
#include "core/utf8.h"
#include "decode/decode.h"
#include "report/report.h"
#include "stats/stats.h"

json_t *
report_time(int64_t ts_us)
{
	return (json_real((double)ts_us / 1e6));
}

static json_t *
report_capture(const struct report_src *src)
{
	const struct stats		*st = src->stats;
	const struct decode_stats	*ds = src->decode;
	json_t				*o, *ev, *pe;
	int				 i;

	o = json_object();
	sw_json_set(o, "packets", json_integer((json_int_t)st->packets));
	sw_json_set(o, "bytes", json_integer((json_int_t)st->bytes));
	sw_json_set(o, "first_ts", st->first_ts_us != 0 ?
	    report_time(st->first_ts_us) : json_null());
	sw_json_set(o, "last_ts", st->last_ts_us != 0 ?
	    report_time(st->last_ts_us) : json_null());
	sw_json_set(o, "kernel_drops", json_integer((json_int_t)st->kernel_drops));
	if (src->kernel_drops_note != NULL)
		sw_json_set(o, "kernel_drops_note",
		    json_string(src->kernel_drops_note));
	sw_json_set(o, "if_drops", json_integer((json_int_t)st->if_drops));
	sw_json_set(o, "sip_packets", json_integer((json_int_t)st->sip_packets));
	sw_json_set(o, "non_sip", json_integer((json_int_t)st->non_sip));
	sw_json_set(o, "decode_errors", json_integer((json_int_t)st->decode_errors));
	sw_json_set(o, "parse_errors", json_integer((json_int_t)st->parse_errors));
	sw_json_set(o, "parse_salvaged", sw_json_uint(st->parse_salvaged));

	ev = json_object();
	for (i = 0; ds != NULL && i < DECODE_EV_COUNT; i++) {
		if (ds->events[i] != 0)
			sw_json_set(ev, decode_event_name(i),
			    json_integer((json_int_t)ds->events[i]));
	}
	sw_json_set(o, "events", ev);
	pe = json_object();
	for (i = 1; i < SIP_ERR_COUNT; i++) {
		if (st->parse_error_by[i] != 0)
			sw_json_set(pe, sip_error_name(i),
			    json_integer((json_int_t)st->parse_error_by[i]));
	}
	sw_json_set(o, "parse_error_reasons", pe);
	return (o);
}

/*
 * What the stream, fragment and SCTP reassemblers held, gave up on and
 * could not see: caps hit, gaps, timeouts, and TLS connections (encrypted,
 * not decoded) per server endpoint.
 */
static json_t *
report_reassembly(const struct report_src *src)
{
	const struct decode_stats	*ds = src->decode;
	const uint64_t			*ev = ds->events;
	json_t				*o, *tls, *srv;
	char				 a[SW_ADDRSTRLEN];
	unsigned			 i;

	o = json_object();
	sw_json_set(o, "tcp_streams", json_integer((json_int_t)ds->tcp_streams));
	sw_json_set(o, "tcp_sip_streams",
	    json_integer((json_int_t)ds->tcp_sip_streams));
	sw_json_set(o, "ws_streams", json_integer((json_int_t)ds->ws_streams));
	sw_json_set(o, "tls_streams", json_integer((json_int_t)ds->tls_streams));
	sw_json_set(o, "tcp_messages", json_integer((json_int_t)ds->tcp_messages));
	sw_json_set(o, "tcp_reassembled",
	    json_integer((json_int_t)ds->tcp_reassembled));
	sw_json_set(o, "tcp_out_of_order",
	    json_integer((json_int_t)ev[DECODE_EV_TCP_OUT_OF_ORDER]));
	sw_json_set(o, "tcp_retransmissions",
	    json_integer((json_int_t)ev[DECODE_EV_TCP_RETRANSMISSION]));
	sw_json_set(o, "tcp_overlaps",
	    json_integer((json_int_t)ev[DECODE_EV_TCP_OVERLAP]));
	sw_json_set(o, "tcp_overlap_conflicts",
	    json_integer((json_int_t)ev[DECODE_EV_TCP_OVERLAP_CONFLICT]));
	sw_json_set(o, "tcp_gaps", json_integer((json_int_t)ev[DECODE_EV_TCP_GAP]));
	sw_json_set(o, "tcp_gap_bytes", json_integer((json_int_t)ds->tcp_gap_bytes));
	sw_json_set(o, "tcp_timeouts",
	    json_integer((json_int_t)ev[DECODE_EV_TCP_TIMEOUT]));
	sw_json_set(o, "tcp_evicted",
	    json_integer((json_int_t)ev[DECODE_EV_TCP_EVICTED]));
	sw_json_set(o, "tcp_buffer_full",
	    json_integer((json_int_t)ev[DECODE_EV_TCP_BUFFER_FULL]));
	sw_json_set(o, "tcp_closed_partial",
	    json_integer((json_int_t)ev[DECODE_EV_TCP_CLOSED_PARTIAL]));
	sw_json_set(o, "tcp_dropped_bytes",
	    json_integer((json_int_t)ds->tcp_dropped_bytes));
	sw_json_set(o, "tcp_peak_streams",
	    json_integer((json_int_t)ds->tcp_peak_streams));
	sw_json_set(o, "tcp_peak_bytes", json_integer((json_int_t)ds->tcp_peak_bytes));
	sw_json_set(o, "frag_reassembled",
	    json_integer((json_int_t)ev[DECODE_EV_FRAG_REASSEMBLED]));
	sw_json_set(o, "frag_timeouts",
	    json_integer((json_int_t)ev[DECODE_EV_FRAG_TIMEOUT]));
	sw_json_set(o, "frag_evicted",
	    json_integer((json_int_t)ev[DECODE_EV_FRAG_EVICTED]));
	sw_json_set(o, "frag_overlaps",
	    json_integer((json_int_t)ev[DECODE_EV_FRAG_OVERLAP]));
	sw_json_set(o, "evicted", json_integer((json_int_t)(ev[DECODE_EV_TCP_EVICTED] +
	    ev[DECODE_EV_FRAG_EVICTED] + ev[DECODE_EV_SCTP_EVICTED])));
	sw_json_set(o, "sctp_messages", json_integer((json_int_t)ds->sctp_messages));
	sw_json_set(o, "sctp_reassembled",
	    sw_json_uint(ev[DECODE_EV_SCTP_REASSEMBLED]));
	sw_json_set(o, "sctp_duplicates",
	    sw_json_uint(ev[DECODE_EV_SCTP_DUPLICATE]));
	sw_json_set(o, "sctp_conflicts", sw_json_uint(ev[DECODE_EV_SCTP_CONFLICT]));
	sw_json_set(o, "sctp_timeouts", sw_json_uint(ev[DECODE_EV_SCTP_TIMEOUT]));
	sw_json_set(o, "sctp_evicted", sw_json_uint(ev[DECODE_EV_SCTP_EVICTED]));
	sw_json_set(o, "sctp_too_large", sw_json_uint(ev[DECODE_EV_SCTP_TOO_LARGE]));
	sw_json_set(o, "sctp_incomplete",
	    sw_json_uint(ev[DECODE_EV_SCTP_INCOMPLETE]));
	sw_json_set(o, "sctp_peak_bytes", sw_json_uint(ds->sctp_peak_bytes));
	tls = json_array();
	for (i = 0; i < ds->ntls; i++) {
		srv = json_object();
		sw_json_set(srv, "server", json_string(sw_addr_format(
		    &ds->tls[i].server, a, sizeof a)));
		sw_json_set(srv, "connections",
		    json_integer((json_int_t)ds->tls[i].connections));
		sw_json_set(srv, "bytes", json_integer((json_int_t)ds->tls[i].bytes));
		if (json_array_append_new(tls, srv) == -1)
			fatalx("report: cannot build JSON (tls)");
	}
	sw_json_set(o, "tls", tls);
	sw_json_set(o, "tls_unlisted", json_integer((json_int_t)ds->tls_unlisted));
	return (o);
}

/*
 * How much of the capture sipwatch could not see or read: frames the
 * capture dropped (pcap_stats, live only), frames that did not decode,
 * SIP messages that could not be read at all or only in part, TCP bytes
 * never captured; the share of frames lost or unreadable, and every
 * decode event that means lost or malformed input, by reason.  What the
 * incidents drew from such evidence is the tracker's ("incidents",
 * "incomplete_evidence").
 */
static json_t *
report_integrity(const struct report_src *src)
{
	const struct stats		*st = src->stats;
	const struct decode_stats	*ds = src->decode;
	json_t				*o, *why;
	uint64_t			 dropped, unread, lost, gaps = 0;
	int				 i;

	dropped = st->kernel_drops + st->if_drops;
	unread = st->parse_errors > st->parse_salvaged ?
	    st->parse_errors - st->parse_salvaged : 0;
	lost = dropped + st->decode_errors + unread;
	why = json_object();
	for (i = 0; ds != NULL && i < DECODE_EV_COUNT; i++) {
		if (ds->events[i] != 0 && decode_event_is_error(i))
			sw_json_set(why, decode_event_name(i),
			    sw_json_uint(ds->events[i]));
	}
	if (ds != NULL)
		gaps = ds->events[DECODE_EV_TCP_GAP];
	o = json_object();
	sw_json_set(o, "complete", json_boolean(lost == 0 &&
	    st->parse_salvaged == 0 && json_object_size(why) == 0));
	sw_json_set(o, "frames", sw_json_uint(st->packets + dropped));
	sw_json_set(o, "frames_dropped", sw_json_uint(dropped));
	sw_json_set(o, "frames_undecodable", sw_json_uint(st->decode_errors));
	sw_json_set(o, "messages_unreadable", sw_json_uint(unread));
	sw_json_set(o, "messages_salvaged", sw_json_uint(st->parse_salvaged));
	sw_json_set(o, "tcp_gaps", sw_json_uint(gaps));
	sw_json_set(o, "tcp_gap_bytes",
	    sw_json_uint(ds != NULL ? ds->tcp_gap_bytes : 0));
	sw_json_set(o, "frames_lost_pct", json_real(st->packets + dropped > 0 ?
	    100.0 * (double)lost / (double)(st->packets + dropped) : 0));
	sw_json_set(o, "by_reason", why);
	return (o);
}

static json_t *
report_sip(const struct report_src *src)
{
	const struct stats	*st = src->stats;
	json_t			*o, *req, *resp;
	char			 code[8];
	unsigned		 i;

	o = json_object();
	sw_json_set(o, "messages", json_integer((json_int_t)st->messages));
	req = json_object();
	for (i = 0; i < st->nmethods; i++)
		sw_json_set(req, st->methods[i].name,
		    json_integer((json_int_t)st->methods[i].count));
	if (st->method_other != 0)
		sw_json_set(req, "OTHER", json_integer((json_int_t)st->method_other));
	sw_json_set(o, "requests", req);
	resp = json_object();
	for (i = 100; i < 700; i++) {
		if (st->codes[i] == 0)
			continue;
		snprintf(code, sizeof code, "%u", i);
		sw_json_set(resp, code, json_integer((json_int_t)st->codes[i]));
	}
	sw_json_set(o, "responses", resp);
	sw_json_set(o, "retransmissions", json_integer((json_int_t)st->retransmissions));
	sw_json_set(o, "keepalives", json_integer((json_int_t)st->keepalives));
	return (o);
}

void
report_sinks(json_t *root, const struct sw_sink *v, unsigned n)
{
	json_t		*arr, *o;
	unsigned	 i;

	arr = json_array();
	for (i = 0; i < n; i++) {
		o = json_object();
		sw_json_set(o, "sink", json_string(v[i].kind));
		sw_json_set(o, "target", sw_json_wire(v[i].target != NULL ?
		    v[i].target : ""));
		sw_json_set(o, "sent", sw_json_uint(v[i].sent));
		sw_json_set(o, "failed", sw_json_uint(v[i].failed));
		sw_json_set(o, "dropped", sw_json_uint(v[i].dropped));
		sw_json_set(o, "queued", sw_json_uint(v[i].queued));
		if (json_array_append_new(arr, o) == -1)
			fatalx("report: cannot build JSON (sinks)");
	}
	sw_json_set(root, "sinks", arr);
}

json_t *
report_build(const struct report_src *src)
{
	json_t	*root, *source, *perf;

	root = json_object();
	sw_json_set(root, "version", json_string(PACKAGE_VERSION));
	source = json_object();
	sw_json_set(source, "type", json_string(src->source_type));
	sw_json_set(source, "name", json_string(src->source_name));
	sw_json_set(source, "parse_workers", json_integer(src->workers));
	sw_json_set(root, "source", source);
	sw_json_set(root, "capture", report_capture(src));
	sw_json_set(root, "integrity", report_integrity(src));
	if (src->decode != NULL)
		sw_json_set(root, "reassembly", report_reassembly(src));
	perf = json_object();
	sw_json_set(perf, "wall_s", json_real(src->wall_s));
	sw_json_set(perf, "capture_thread_cpu_s", json_real(src->capture_cpu_s));
	sw_json_set(perf, "parse_cpu_s", json_real(src->parse_cpu_s));
	sw_json_set(perf, "messages_per_s", json_real(src->wall_s > 0 ?
	    (double)src->stats->messages / src->wall_s : 0));
	sw_json_set(root, "performance", perf);
	sw_json_set(root, "sip", report_sip(src));
	if (src->extend != NULL)
		src->extend(root, src->extend_arg);
	return (root);
}

/*
 * Was everything written to FP?  Flushed, and no error on the stream
 * (a failed write of a buffer, ENOSPC at /dev/full or a full disk, sets
 * the error flag even when the last flush has nothing left to write).
 * errno is kept for the caller's message (EIO when unknown).
 */
static int
report_written(FILE *fp)
{
	errno = 0;
	if (fflush(fp) == EOF || ferror(fp)) {
		if (errno == 0)
			errno = EIO;
		return (-1);
	}
	return (0);
}

int
report_print_json(const struct report_src *src, FILE *fp)
{
	json_t	*root = report_build(src);
	int	 r;

	r = json_dumpf(root, fp, JSON_COMPACT | JSON_REAL_PRECISION(16));
	json_decref(root);
	if (r == -1 || fputc('\n', fp) == EOF) {
		if (errno == 0)
			errno = EIO;
		return (-1);
	}
	return (report_written(fp));
}

/*
 * PREFIX, S and SUFFIX: S (a key or a value, possibly from the wire)
 * with control characters and bytes that are not UTF-8 escaped as \xHH,
 * so that a text report shown on a terminal cannot drive it.
 */
static void
report_text_puts(FILE *fp, const char *prefix, const char *s,
    const char *suffix)
{
	char	*e = sw_utf8_escape_str(s, 0);

	fprintf(fp, "%s%s%s", prefix, e, suffix);
	free(e);
}

/* qsort(3) order of two object keys. */
static int
report_key_cmp(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* Print the members of OBJ as "  key: value" lines, sorted by key. */
static void
report_text_object(FILE *fp, const char *title, json_t *obj)
{
	const char	*key;
	json_t		*val;
	size_t		 n, i;
	const char	**keys;
	char		*e;

	n = json_object_size(obj);
	fprintf(fp, "%s:%s\n", title, n == 0 ? " none" : "");
	if (n == 0)
		return;
	keys = calloc(n, sizeof *keys);
	if (keys == NULL)
		return;
	i = 0;
	json_object_foreach(obj, key, val) {
		if (i < n)
			keys[i++] = key;
	}
	n = i;
	qsort(keys, n, sizeof *keys, report_key_cmp);
	for (i = 0; i < n; i++) {
		e = sw_utf8_escape_str(keys[i], 0);
		fprintf(fp, "  %-28s %lld\n", e, (long long)
		    json_integer_value(json_object_get(obj, keys[i])));
		free(e);
	}
	free(keys);
}

/* One JSON value on a line of its own (scalars) or as an indented block. */
static void
report_text_value(FILE *fp, const char *key, json_t *v, int depth)
{
	const char	*k;
	json_t		*sub;
	size_t		 i;

	fprintf(fp, "%*s", 2 * depth, "");
	report_text_puts(fp, "", key, ":");
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (json_object_size(v) == 0) {
			fprintf(fp, " none\n");
			return;
		}
		fprintf(fp, "\n");
		json_object_foreach(v, k, sub)
			report_text_value(fp, k, sub, depth + 1);
		return;
	case JSON_ARRAY:
		fprintf(fp, "%s\n", json_array_size(v) == 0 ? " none" : "");
		json_array_foreach(v, i, sub) {
			char idx[24];

			snprintf(idx, sizeof idx, "%zu", i + 1);
			report_text_value(fp, idx, sub, depth + 1);
		}
		return;
	case JSON_STRING:
		report_text_puts(fp, " ", json_string_value(v), "\n");
		return;
	case JSON_INTEGER:
		fprintf(fp, " %lld\n", (long long)json_integer_value(v));
		return;
	case JSON_REAL:
		fprintf(fp, " %.6g\n", json_real_value(v));
		return;
	case JSON_TRUE:
	case JSON_FALSE:
		fprintf(fp, " %s\n", json_is_true(v) ? "yes" : "no");
		return;
	case JSON_NULL:
		fprintf(fp, " -\n");
		return;
	}
}

/*
 * Every section other modules added to the report (transactions, dialogs,
 * calls, alerts ...), in the order they were added, as indented text.
 */
static void
report_text_sections(FILE *fp, json_t *root)
{
	static const char	*own[] = { "version", "source", "capture", "sip",
	    "performance", "reassembly", "media", "integrity", "sinks", NULL };
	const char		*key;
	json_t			*v;
	int			 i, skip;

	json_object_foreach(root, key, v) {
		for (skip = 0, i = 0; own[i] != NULL; i++)
			skip |= strcmp(key, own[i]) == 0;
		if (!skip)
			report_text_value(fp, key, v, 0);
	}
}

/* The reassembly counters that are not zero, and the TLS servers. */
static void
report_text_reassembly(FILE *fp, json_t *ra)
{
	const char	*key;
	json_t		*val, *nz, *srv;
	size_t		 i;

	if (ra == NULL)
		return;
	nz = json_object();
	json_object_foreach(ra, key, val) {
		if (json_is_integer(val) && json_integer_value(val) != 0)
			json_object_set(nz, key, val);
	}
	report_text_object(fp, "Reassembly", nz);
	json_decref(nz);
	json_array_foreach(json_object_get(ra, "tls"), i, srv) {
		report_text_puts(fp, "  TLS (encrypted, not decoded) to ",
		    json_string_value(json_object_get(srv, "server")), ":");
		fprintf(fp, " %lld connections, %lld bytes\n",
		    (long long)json_integer_value(json_object_get(srv,
		    "connections")),
		    (long long)json_integer_value(json_object_get(srv,
		    "bytes")));
	}
}

/* A number of O with DIGITS decimals and UNIT: "-" when null or absent. */
static void
report_text_real(FILE *fp, json_t *o, const char *key, int digits,
    const char *unit)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		fputs("-", fp);
	else
		fprintf(fp, "%.*f%s", digits, json_number_value(v), unit);
}

static long long
report_int(json_t *o, const char *key)
{
	return ((long long)json_integer_value(json_object_get(o, key)));
}

/*
 * The calls' media (the tracker's summaries in the media section): one
 * line per call with what each direction carried, the worst MOS and the
 * media verdicts.
 */
static void
report_text_media_calls(FILE *fp, json_t *md)
{
	static const char *const flags[] = { "no_media", "one_way",
	    "nat_mismatch", "quality", "timeout", "late", "hold", "t38" };
	json_t		*c, *v;
	const char	*codec, *sep;
	size_t		 i, k;

	if (json_object_get(md, "calls_total") == NULL)
		return;
	fprintf(fp, "Calls with media: %lld", report_int(md, "calls_total"));
	if (report_int(md, "calls_listed") < report_int(md, "calls_total"))
		fprintf(fp, " (%lld listed)", report_int(md, "calls_listed"));
	fputs("\n", fp);
	json_array_foreach(json_object_get(md, "calls"), i, c) {
		codec = json_string_value(json_object_get(c, "codec"));
		fprintf(fp, "  call %s %s: %lld streams, caller->callee %lld, "
		    "callee->caller %lld packets, worst MOS ",
		    json_string_value(json_object_get(c, "call_id")),
		    codec != NULL ? codec : "?", report_int(c, "streams"),
		    report_int(json_object_get(c, "caller_to_callee"),
		    "packets"),
		    report_int(json_object_get(c, "callee_to_caller"),
		    "packets"));
		report_text_real(fp, c, "worst_mos", 2, "");
		sep = ": ";
		for (k = 0; k < sizeof flags / sizeof flags[0]; k++) {
			v = json_object_get(c, flags[k]);
			if (!json_is_true(v))
				continue;
			fprintf(fp, "%s%s", sep, flags[k]);
			sep = ", ";
		}
		fputs("\n", fp);
	}
}

/*
 * The media section (src/media): its counters, then one line per stream
 * (and one for what RTCP reported about it, if anything), then the calls.
 */
static void
report_text_media(FILE *fp, json_t *md)
{
	json_t		*s, *r;
	const char	*call, *party;
	size_t		 i;

	if (md == NULL)
		return;
	fprintf(fp, "Media: %lld RTP streams (%lld tied to calls, %lld "
	    "unannounced), %lld RTP and %lld RTCP packets; %lld flows never "
	    "validated as RTP, %lld streams evicted\n",
	    report_int(md, "streams_total"), report_int(md, "announced"),
	    report_int(md, "unannounced"), report_int(md, "rtp_packets"),
	    report_int(md, "rtcp_packets"), report_int(md, "candidates"),
	    report_int(md, "evicted"));
	if (report_int(md, "streams_listed") < report_int(md, "streams_total"))
		fprintf(fp, "  (%lld streams listed of %lld)\n",
		    report_int(md, "streams_listed"),
		    report_int(md, "streams_total"));
	json_array_foreach(json_object_get(md, "streams"), i, s) {
		fprintf(fp, "  %s -> %s ssrc %s %s: %lld packets, lost %lld "
		    "(", json_string_value(json_object_get(s, "src")),
		    json_string_value(json_object_get(s, "dst")),
		    json_string_value(json_object_get(s, "ssrc")),
		    *json_string_value(json_object_get(s, "payload")) != '\0' ?
		    json_string_value(json_object_get(s, "payload")) : "PT?",
		    report_int(s, "packets"), report_int(s, "lost"));
		report_text_real(fp, s, "lost_pct", 1, "%");
		fputs("), jitter max ", fp);
		report_text_real(fp, s, "max_jitter_ms", 1, " ms");
		fputs(", MOS ", fp);
		report_text_real(fp, s, "mos", 2, "");
		call = json_string_value(json_object_get(s, "call_id"));
		party = json_string_value(json_object_get(s, "party"));
		if (call != NULL && *call != '\0')
			fprintf(fp, ", call %s (%s %s)", call,
			    json_string_value(json_object_get(s, "direction")),
			    party);
		fputs("\n", fp);
		r = json_object_get(s, "rtcp");
		if (r == NULL || json_is_null(r))
			continue;
		fprintf(fp, "    RTCP: %lld SR, %lld RR", report_int(r, "sr"),
		    report_int(r, "rr"));
		if (report_int(r, "rr") > 0) {
			fputs(" (fraction lost max ", fp);
			report_text_real(fp, r, "fraction_lost_max_pct", 1, "%");
			fprintf(fp, ", cumulative %lld, jitter ",
			    report_int(r, "cumulative_lost"));
			report_text_real(fp, r, "jitter_ms", 1, " ms");
			fputs(")", fp);
		}
		fputs(", round trip ", fp);
		report_text_real(fp, r, "rtt_ms", 1, " ms");
		fprintf(fp, ", %lld XR\n", report_int(r, "xr"));
	}
	report_text_media_calls(fp, md);
}

/* ", N WHAT" (or ": N WHAT" first) when N is not 0; "s" when N > 1. */
static void
report_text_part(FILE *fp, int *first, long long n, const char *what,
    const char *tail)
{
	if (n == 0)
		return;
	fprintf(fp, "%s%lld %s%s%s", *first ? ": " : ", ", n, what,
	    n > 1 ? "s" : "", tail);
	*first = 0;
}

/*
 * One line (two with incidents drawn from incomplete evidence) saying how
 * complete the capture was: what "integrity" holds, and the tracker's
 * "incidents"."incomplete_evidence" when present.
 */
static void
report_text_integrity(FILE *fp, json_t *root)
{
	json_t		*in = json_object_get(root, "integrity");
	json_t		*inc = json_object_get(root, "incidents");
	json_t		*ev = json_object_get(inc, "incomplete_evidence");
	json_t		*why, *val;
	const char	*key;
	long long	 frames, dropped, undec, unread;
	char		 tail[64], *e;
	int		 first = 1;

	if (in == NULL)
		return;
	frames = report_int(in, "frames");
	dropped = report_int(in, "frames_dropped");
	undec = report_int(in, "frames_undecodable");
	unread = report_int(in, "messages_unreadable");
	if (json_is_true(json_object_get(in, "complete"))) {
		fputs("Integrity: complete (no capture drops, undecodable "
		    "frames, parse errors or reassembly losses)\n", fp);
		return;
	}
	fprintf(fp, "Integrity: %lld of %lld frames (%.2f %%) lost or "
	    "unreadable", dropped + undec + unread, frames,
	    json_real_value(json_object_get(in, "frames_lost_pct")));
	report_text_part(fp, &first, dropped, "frame", " dropped by the "
	    "capture");
	report_text_part(fp, &first, undec, "undecodable frame", "");
	report_text_part(fp, &first, unread, "unreadable SIP message", "");
	report_text_part(fp, &first, report_int(in, "messages_salvaged"),
	    "SIP message", " read in part after a parse error");
	(void)snprintf(tail, sizeof tail, " (%lld bytes missing)",
	    report_int(in, "tcp_gap_bytes"));
	report_text_part(fp, &first, report_int(in, "tcp_gaps"), "TCP gap",
	    tail);
	why = json_object_get(in, "by_reason");
	first = 1;
	json_object_foreach(why, key, val) {
		e = sw_utf8_escape_str(key, 0);
		fprintf(fp, "%s%s %lld", first ? "; by reason: " : ", ", e,
		    (long long)json_integer_value(val));
		free(e);
		first = 0;
	}
	fputs("\n", fp);
	if (ev != NULL && report_int(ev, "incidents") > 0)
		fprintf(fp, "  %lld of %lld incidents rest on incomplete "
		    "evidence (gap %lld, partial_parse %lld, drops_nearby "
		    "%lld)\n", report_int(ev, "incidents"),
		    report_int(inc, "count"), report_int(ev, "gap"),
		    report_int(ev, "partial_parse"),
		    report_int(ev, "drops_nearby"));
}

/* Each output on one line: what became of what it was given. */
static void
report_text_sinks(FILE *fp, json_t *sinks)
{
	json_t	*o;
	size_t	 i;

	if (json_array_size(sinks) == 0)
		return;
	fprintf(fp, "Outputs:\n");
	json_array_foreach(sinks, i, o) {
		fprintf(fp, "  %s %s: %lld sent, %lld failed, %lld dropped, "
		    "%lld queued\n",
		    json_string_value(json_object_get(o, "sink")),
		    json_string_value(json_object_get(o, "target")),
		    report_int(o, "sent"), report_int(o, "failed"),
		    report_int(o, "dropped"), report_int(o, "queued"));
	}
}

int
report_print_text(const struct report_src *src, FILE *fp)
{
	const struct stats	*st = src->stats;
	json_t			*root = report_build(src);
	json_t			*cap, *sip;
	char			 t0[SW_TIME_LEN], t1[SW_TIME_LEN];

	cap = json_object_get(root, "capture");
	sip = json_object_get(root, "sip");
	fprintf(fp, "sipwatch %s report: %s %s\n", PACKAGE_VERSION,
	    src->source_type, src->source_name);
	fprintf(fp, "Capture: %llu packets, %llu bytes",
	    (unsigned long long)st->packets, (unsigned long long)st->bytes);
	if (st->first_ts_us != 0)
		fprintf(fp, ", %s .. %s UTC (%.3f s)",
		    sw_time_rfc3339(st->first_ts_us, 6, t0, sizeof t0),
		    sw_time_rfc3339(st->last_ts_us, 6, t1, sizeof t1),
		    (double)(st->last_ts_us - st->first_ts_us) / 1e6);
	fprintf(fp, "\n");
	fprintf(fp, "  SIP packets %llu, non-SIP %llu, decode errors %llu, "
	    "parse errors %llu (%llu salvaged), kernel drops %llu\n",
	    (unsigned long long)st->sip_packets,
	    (unsigned long long)st->non_sip,
	    (unsigned long long)st->decode_errors,
	    (unsigned long long)st->parse_errors,
	    (unsigned long long)st->parse_salvaged,
	    (unsigned long long)st->kernel_drops);
	report_text_integrity(fp, root);
	if (src->kernel_drops_note != NULL)
		fprintf(fp, "  kernel drops: %s\n", src->kernel_drops_note);
	report_text_object(fp, "Decode events", json_object_get(cap, "events"));
	report_text_reassembly(fp, json_object_get(root, "reassembly"));
	report_text_object(fp, "Parse errors",
	    json_object_get(cap, "parse_error_reasons"));
	fprintf(fp, "SIP: %llu messages (%llu requests, %llu responses), "
	    "%llu retransmissions, %llu keep-alives\n",
	    (unsigned long long)st->messages, (unsigned long long)st->requests,
	    (unsigned long long)st->responses,
	    (unsigned long long)st->retransmissions,
	    (unsigned long long)st->keepalives);
	report_text_object(fp, "Requests", json_object_get(sip, "requests"));
	report_text_object(fp, "Responses", json_object_get(sip, "responses"));
	report_text_media(fp, json_object_get(root, "media"));
	report_text_sections(fp, root);
	report_text_sinks(fp, json_object_get(root, "sinks"));
	json_decref(root);
	return (report_written(fp));
}
