/*
 * track-report.c: the tracker's report sections (track_report(), the
 * fields doc/REPORT.md describes): transactions, Call-IDs, dialogs,
 * calls, transfers, peers, alerts and what was pending at the end.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "track/track-int.h"

static json_t *
track_report_hist(const struct hist *h)
{
	json_t	*o = json_object();

	sw_json_set(o, "count", sw_json_uint(h->n));
	sw_json_set(o, "p50", h->n > 0 ? json_integer(hist_pct(h, 50)) :
	    json_null());
	sw_json_set(o, "p95", h->n > 0 ? json_integer(hist_pct(h, 95)) :
	    json_null());
	return (o);
}

static const char *const track_end_names[TRACK_END_COUNT] = {
	"unknown", "caller", "callee", "cancel", "rejected", "timeout"
};

static const char *const track_peer_names[PEER_KIND_COUNT] = {
	"backoff", "callee_hint", "error_burst", "sources",
	"registration", "registrar", "subscription", "failure_rate",
	"connection"
};

void
track_report(json_t *root, void *arg)
{
	struct track	*tr = arg;
	struct track_call_tally tally;
	json_t		*o, *m, *p;
	char		 code[8];
	unsigned	 i;

	o = json_object();
	sw_json_set(o, "count", sw_json_uint(tr->tx.created));
	m = json_object();
	for (i = 1; i < SIP_METHOD_COUNT; i++) {
		if (tr->tx.by_method[i] != 0)
			sw_json_set(m, sip_method_name(i), sw_json_uint(tr->tx.by_method[i]));
	}
	sw_json_set(o, "by_method", m);
	sw_json_set(o, "completed", sw_json_uint(tr->tx.completed));
	sw_json_set(o, "timed_out", sw_json_uint(tr->tx.timed_out));
	sw_json_set(o, "non2xx_not_acked", sw_json_uint(tr->tx.timer_h));
	sw_json_set(o, "rfc2543", sw_json_uint(tr->tx.rfc2543));
	sw_json_set(o, "request_retransmissions", sw_json_uint(tr->tx.retransmissions));
	sw_json_set(o, "response_retransmissions", sw_json_uint(tr->tx.resp_retransmissions));
	sw_json_set(o, "acks_non2xx", sw_json_uint(tr->tx.acks_non2xx));
	sw_json_set(o, "acks_2xx", sw_json_uint(tr->tx.acks_2xx));
	sw_json_set(o, "acks_unmatched", sw_json_uint(tr->tx.acks_unmatched));
	sw_json_set(o, "without_request", sw_json_uint(tr->tx.orphan_responses));
	sw_json_set(o, "responses_before_request",
	    sw_json_uint(tr->reorder.matched));
	sw_json_set(o, "responses_held", sw_json_uint(tr->reorder.held));
	sw_json_set(o, "responses_not_captured", sw_json_uint(tr->tx.not_captured));
	sw_json_set(o, "path_duplicates", sw_json_uint(tr->tx.path_duplicates));
	sw_json_set(o, "capture_duplicates", sw_json_uint(tr->tx.capture_duplicates));
	sw_json_set(o, "untracked_messages", sw_json_uint(tr->tx.untracked));
	sw_json_set(o, "clock_jumps", sw_json_uint(tr->tx.clock_jumps));
	sw_json_set(o, "timers_unjudged", sw_json_uint(tr->tx.unjudged));
	sw_json_set(o, "active", sw_json_uint(tr->ntxn));
	sw_json_set(o, "cap", sw_json_uint(tr->o.max_transactions));
	sw_json_set(o, "evicted", sw_json_uint(tr->tx.evicted));
	sw_json_set(o, "evicted_pending", sw_json_uint(tr->tx.evicted_pending));
	sw_json_set(o, "expired", sw_json_uint(tr->tx.expired));
	sw_json_set(o, "t1_ms", json_integer(tr->o.t1_us / 1000));
	sw_json_set(root, "transactions", o);

	o = json_object();
	sw_json_set(o, "count", sw_json_uint(tr->dl.records));
	sw_json_set(o, "active", sw_json_uint(tr->ncidrec));
	sw_json_set(o, "cap", sw_json_uint(tr->o.max_call_ids));
	sw_json_set(o, "evicted", sw_json_uint(tr->dl.evicted));
	sw_json_set(o, "evicted_pending", sw_json_uint(tr->dl.evicted_pending));
	sw_json_set(o, "expired", sw_json_uint(tr->dl.expired));
	sw_json_set(root, "call_ids", o);

	o = json_object();
	sw_json_set(o, "count", sw_json_uint(tr->dl.dialogs));
	sw_json_set(o, "early", sw_json_uint(tr->dl.early));
	sw_json_set(o, "confirmed", sw_json_uint(tr->dl.confirmed));
	sw_json_set(o, "terminated", sw_json_uint(tr->dl.terminated));
	sw_json_set(o, "forks_dropped", sw_json_uint(tr->dl.forks_dropped));
	sw_json_set(root, "dialogs", o);

	o = json_object();
	sw_json_set(o, "count", sw_json_uint(tr->calls.attempts));
	sw_json_set(o, "answered", sw_json_uint(tr->calls.answered));
	sw_json_set(o, "failed", sw_json_uint(tr->calls.failed));
	sw_json_set(o, "cancelled", sw_json_uint(tr->calls.cancelled));
	sw_json_set(o, "active_at_end", sw_json_uint(tr->calls.active));
	m = json_object();
	for (i = 0; i < TRACK_END_COUNT; i++)
		sw_json_set(m, track_end_names[i], sw_json_uint(tr->calls.ended_by[i]));
	sw_json_set(o, "ended_by", m);
	m = json_object();
	for (i = 100; i < 700; i++) {
		if (tr->calls.final_codes[i] == 0)
			continue;
		snprintf(code, sizeof code, "%u", i);
		sw_json_set(m, code, sw_json_uint(tr->calls.final_codes[i]));
	}
	sw_json_set(o, "final_codes", m);
	sw_json_set(o, "setup_ms", track_report_hist(&tr->calls.setup));
	sw_json_set(o, "pdd_ms", track_report_hist(&tr->calls.pdd));
	sw_json_set(o, "pdd_failed_ms",
	    track_report_hist(&tr->calls.pdd_failed));
	sw_json_set(o, "duration_s", track_report_hist(&tr->calls.duration));
	sw_json_set(o, "ack_not_observed", sw_json_uint(tr->calls.ack_unobserved));
	sw_json_set(o, "answer_not_captured",
	    sw_json_uint(tr->calls.answer_inferred));
	track_call_tally(tr, &tally);
	m = json_object();
	sw_json_set(m, "in_progress", sw_json_uint(tally.in_progress));
	sw_json_set(m, "answered", sw_json_uint(tally.answered));
	sw_json_set(m, "failed", sw_json_uint(tally.failed));
	sw_json_set(m, "rejected", sw_json_uint(tally.rejected));
	sw_json_set(m, "redirected", sw_json_uint(tally.redirected));
	sw_json_set(m, "cancelled", sw_json_uint(tally.cancelled));
	sw_json_set(m, "timed_out", sw_json_uint(tally.timed_out));
	sw_json_set(o, "outcomes", m);
	sw_json_set(o, "ser_pct", tally.ser < 0 ? json_null() :
	    json_real(round(tally.ser * 10) / 10));
	sw_json_set(o, "seer_pct", tally.seer < 0 ? json_null() :
	    json_real(round(tally.seer * 10) / 10));
	call_failures_report(o, tr);
	sw_json_set(root, "calls", o);

	o = json_object();
	sw_json_set(o, "refers", sw_json_uint(tr->xfer.refers));
	sw_json_set(o, "accepted", sw_json_uint(tr->xfer.accepted));
	sw_json_set(o, "accepted_202", sw_json_uint(tr->xfer.accepted_202));
	sw_json_set(o, "rejected", sw_json_uint(tr->xfer.rejected));
	sw_json_set(o, "norefersub", sw_json_uint(tr->xfer.norefersub));
	sw_json_set(o, "notifies", sw_json_uint(tr->xfer.notifies));
	sw_json_set(o, "notifies_without_refer", sw_json_uint(tr->xfer.notifies_unmatched));
	sw_json_set(o, "notifies_tags_reversed", sw_json_uint(tr->xfer.notifies_reversed));
	sw_json_set(o, "succeeded", sw_json_uint(tr->xfer.succeeded));
	sw_json_set(o, "failed", sw_json_uint(tr->xfer.failed));
	sw_json_set(o, "no_notify", sw_json_uint(tr->xfer.no_notify));
	sw_json_set(root, "transfers", o);

	o = json_object();
	for (i = 0; i < PEER_KIND_COUNT; i++) {
		p = json_object();
		sw_json_set(p, "active", sw_json_uint(tr->peers[i].n));
		sw_json_set(p, "created", sw_json_uint(tr->peers[i].created));
		sw_json_set(p, "cap", sw_json_uint(tr->peers[i].cap));
		sw_json_set(p, "evicted", sw_json_uint(tr->peers[i].evicted));
		sw_json_set(p, "expired", sw_json_uint(tr->peers[i].expired));
		sw_json_set(o, track_peer_names[i], p);
	}
	sw_json_set(root, "peers", o);

	incident_report(root, tr);
	attack_report(root, tr);
	cm_report(root, tr);

	o = json_object();
	sw_json_set(o, "count", sw_json_uint(tr->pending_total));
	m = json_object();
	for (i = 0; i < RULE_COUNT; i++) {
		if (tr->pending_by_rule[i] != 0)
			sw_json_set(m, rules_entry(i)->id, sw_json_uint(tr->pending_by_rule[i]));
	}
	sw_json_set(o, "by_rule", m);
	m = json_array();
	for (i = 0; i < tr->npending; i++) {
		p = json_object();
		sw_json_set(p, "rule", json_string(rules_entry(tr->pending[i].rule)->id));
		sw_json_set(p, "call_id", sw_json_wire(tr->pending[i].call_id));
		sw_json_set(p, "deadline", json_real((double)tr->pending[i].deadline /
		    1e6));
		if (json_array_append_new(m, p) == -1)
			fatalx("report: cannot build JSON (pending_at_end)");
	}
	sw_json_set(o, "entries", m);
	sw_json_set(o, "truncated", json_boolean(tr->pending_total > tr->npending));
	sw_json_set(root, "pending_at_end", o);
}
