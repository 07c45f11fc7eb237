#!/bin/sh
# The Prometheus endpoint and the textfile, checked with promtool (Debian
# package prometheus) and against the JSON report of the same run:
# requests by method, responses by code, alerts by rule, the number of
# calls in the PDD and setup-time histograms, and on the captures with
# RTP the media counters and every bucket of the MOS, jitter and loss
# histograms against the report's streams.  Then live: a collector
# with --metrics on 127.0.0.1, fed over HEP, scraped with curl until it
# has seen every message.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

command -v promtool >/dev/null || skip "promtool not installed (prometheus)"
command -v curl >/dev/null || skip "curl not installed"
command -v python3 >/dev/null || skip "python3 not installed"

tmp=$(mktemp -d) || hard_error "mktemp"
collector_pid=
cleanup() {
	[ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# Compare a metrics text with a report: $1 metrics, $2 report, $3 the
# capture's name (media-*: it must give measured streams).
agree() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
d = json.loads(open(sys.argv[2]).read().splitlines()[-1])
def val(name, **labels):
    lab = ",".join('%s="%s"' % kv for kv in labels.items())
    pat = re.escape(name + ("{%s}" % lab if lab else "")) + r" (\S+)$"
    m = re.search("^" + pat, text, re.M)
    return None if m is None else float(m.group(1))
bad = []
for meth, n in d["sip"]["requests"].items():
    if val("sipwatch_sip_requests_total", method=meth) != n:
        bad.append("requests " + meth)
for code, n in d["sip"]["responses"].items():
    if val("sipwatch_sip_responses_total", code=code) != n:
        bad.append("responses " + code)
if val("sipwatch_sip_retransmissions_total") != d["sip"]["retransmissions"]:
    bad.append("retransmissions")
if val("sipwatch_capture_packets_total") != d["capture"]["packets"]:
    bad.append("packets")
att = d["attacks"]
for name, key in (("sipwatch_attack_sources_total", "flagged_total"),
                  ("sipwatch_accounts_compromised_total", "compromised"),
                  ("sipwatch_fraud_calls_total", "fraud_calls"),
                  ("sipwatch_fraud_calls_answered_total", "fraud_answered"),
                  ("sipwatch_attack_verdicts_absorbed_total", "absorbed")):
    if val(name) != att[key]:
        bad.append(name)
for rule, n in d["incidents"]["by_rule"].items():
    got = [float(x) for x in re.findall(
        r'^sipwatch_incidents_total\{rule="%s",severity="[a-z]+"\} (\S+)$'
        % re.escape(rule), text, re.M)]
    if got != [n]:
        bad.append("incidents " + rule)
if val("sipwatch_call_setup_seconds_count") != d["calls"]["setup_ms"]["count"]:
    bad.append("setup count")
if val("sipwatch_call_pdd_seconds_count") != d["calls"]["pdd_ms"]["count"]:
    bad.append("pdd count")
# Media: the counters, and the streams' figures the histograms took.
med = d.get("media")
if med is not None:
    for name, key in (("sipwatch_rtp_packets_total", "rtp_packets"),
                      ("sipwatch_rtcp_packets_total", "rtcp_packets"),
                      ("sipwatch_rtp_streams_total", "streams_total"),
                      ("sipwatch_rtp_streams_active", "active"),
                      ("sipwatch_rtp_streams_evicted_total", "evicted")):
        if val(name) != med[key]:
            bad.append(name)
    st = med["streams"]
    if len(st) != med["streams_total"]:
        bad.append("media: the report lists %d of %d streams"
                   % (len(st), med["streams_total"]))
    if val("sipwatch_rtp_expected_packets_total") != sum(
            s["expected"] for s in st):
        bad.append("expected packets")
    if val("sipwatch_rtp_lost_packets_total") != sum(
            max(s["lost"], 0) for s in st):
        bad.append("lost packets")
    # Histograms: each bucket counts the streams whose value (as the
    # report gives it, rounded) is within the bound; the sum is within
    # the report's rounding.
    def hist(name, values, tol):
        for m in re.finditer(r'^%s_bucket\{le="([^"]+)"\} (\S+)$'
                             % re.escape(name), text, re.M):
            le = float(m.group(1))
            if float(m.group(2)) != sum(1 for v in values if v <= le):
                bad.append("%s le=%s" % (name, m.group(1)))
        if val(name + "_count") != len(values):
            bad.append(name + "_count")
        got = val(name + "_sum")
        if got is None or abs(got - sum(values)) > tol * max(len(values), 1):
            bad.append(name + "_sum")
    hist("sipwatch_rtp_mos", [s["mos"] for s in st if s["mos"] is not None],
         0.005)
    hist("sipwatch_rtp_jitter_seconds",
         [s["mean_jitter_ms"] / 1000.0 for s in st
          if s["mean_jitter_ms"] is not None], 0.000001)
    hist("sipwatch_rtp_loss_ratio",
         [max(s["lost_pct"], 0) / 100.0 for s in st if s["expected"] > 0],
         0.00001)
    # Something to compare: a capture with media gives scored streams.
    if sys.argv[3].startswith("media-") and (
            not st or not val("sipwatch_rtp_mos_count")):
        bad.append("media: no stream measured")
if bad:
    print("metrics and report differ: " + ", ".join(bad))
    sys.exit(1)
PY
}

# --metrics-file at the end of offline runs.
n=0
for name in transfer-failed server-error-burst retransmission call-normal \
    invite-timeout scanner tcp-segments udp-fragments attack-fraud-answered \
    attack-slow-bruteforce media-quality media-one-way; do
	"$SIPWATCH" -r "$top_srcdir/pcaps/$name.pcap" -N --report=json \
	    --metrics-file="$tmp/$name.prom" >"$tmp/$name.json" 2>"$tmp/err" ||
	    { cat "$tmp/err"; fail "$name: sipwatch"; }
	promtool check metrics <"$tmp/$name.prom" >"$tmp/lint" 2>&1 ||
	    { cat "$tmp/lint"; fail "$name: promtool check metrics"; }
	agree "$tmp/$name.prom" "$tmp/$name.json" "$name" || fail "$name"
	echo "ok   $name: --metrics-file passes promtool, agrees with the report"
	n=$((n + 1))
done
# Written atomically: no temporary file is left beside it.
[ "$(ls "$tmp" | grep -c '\.tmp$')" -eq 0 ] || fail "temporary file left"

# Live: --metrics while collecting HEP.
hport=$(hep_port 4)
mport=$((hport + 1))
start_collector "$tmp/live.json" "$tmp/cerr" "udp://127.0.0.1:$hport" \
    --metrics="127.0.0.1:$mport"
"$SIPWATCH" -r "$top_srcdir/pcaps/server-error-burst.pcap" -N \
    --report=json --hep="udp://127.0.0.1:$hport" >"$tmp/sent.json" \
    2>/dev/null || fail "sipwatch --hep"
want=$(report_of "$tmp/sent.json" | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["sip"]["messages"])')
i=0
while :; do
	curl -s -o "$tmp/scrape" -D "$tmp/headers" \
	    "http://127.0.0.1:$mport/metrics" || true
	# Received, and through the parse pipeline (counted as it leaves).
	got=$(sed -n 's/^sipwatch_hep_received_messages_total \([0-9]*\)$/\1/p' \
	    "$tmp/scrape" 2>/dev/null)
	done=$(sed -n 's/^sipwatch_sip_messages_total \([0-9]*\)$/\1/p' \
	    "$tmp/scrape" 2>/dev/null)
	[ "${got:-0}" -ge "$want" ] && [ "${done:-0}" -ge "$want" ] && break
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the endpoint never showed $want messages"
	sleep 0.2
done
grep -qi '^content-type: text/plain; version=0.0.4' "$tmp/headers" ||
    fail "content type"
promtool check metrics <"$tmp/scrape" >"$tmp/lint" 2>&1 ||
    { cat "$tmp/lint"; fail "live: promtool check metrics"; }
grep -q '^sipwatch_hep_agent_messages_total{agent="0@127.0.0.1"} '"$want"'$' \
    "$tmp/scrape" || fail "per-agent count"
code=$(curl -s -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$mport/nothing")
[ "$code" = 404 ] || fail "unknown path answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    "http://127.0.0.1:$mport/metrics")
[ "$code" = 405 ] || fail "POST answered $code"
stop_collector
# The last scrape, for the same totals as the collector's report (its
# alerts may still fire at the end, so only messages are compared).
python3 - "$tmp/scrape" "$tmp/live.json" <<'PY' || fail "live totals"
import json, re, sys
text = open(sys.argv[1]).read()
d = json.loads(open(sys.argv[2]).read().splitlines()[-1])
m = re.search(r"^sipwatch_sip_messages_total (\d+)$", text, re.M)
assert m and int(m.group(1)) == d["sip"]["messages"], (m, d["sip"])
PY
echo "ok   live endpoint: promtool passes, $want messages over HEP"
echo "metrics-promtool: $((n + 1)) passed, 0 failed"
exit 0
