#!/bin/sh
# tests/ui/summary.sh: -N for a person (issue 18, finding 10), and one
# time convention for -N and the dashboard, UTC and said so.
#
# - retry-after-violation.pcap -N: the summary first (the capture, its
#   span in ISO 8601 UTC, the messages, the calls with their cause, the
#   incidents by rule), then the failed calls (both Call-IDs) and the
#   incident with its summary; no line over 80 columns; no epoch time;
#   run with TZ=Asia/Tokyo, the times are UTC all the same;
# - transfer-blind.pcap and media-one-way.pcap -N: the Transfers and Media
#   lines (REFERs, RTP streams, worst MOS, one-way calls), only when the
#   capture has them;
# - --report=full keeps every counter (transactions, call_ids ...), its
#   times ISO 8601 too; --report=json lists the failed calls;
# - a generated 25,000-call capture (bench/sipgen -c): the failed calls
#   counted (4376), the last 30 listed and the rest said, 80 columns;
# - the dashboard under TZ=Asia/Tokyo: the status line's time is the
#   same UTC time, labelled UTC.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

# check80 FILE: no line wider than 80 columns, no epoch time. The first
# line names the capture as it was given (-r PATH), so only its own part
# is measured: a release tree unpacked deep (make distcheck) has a long path.
check80() {
	python3 - "$1" <<'PY' || fail "$(cat "$1")"
import re, sys
bad = []
for n, l in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    l = l.rstrip("\n")
    if n == 1:
        l = l.split(" report: ")[0] + " report: "
    if len(l) > 80:
        bad.append("line %d: %d columns" % (n, len(l)))
    if re.search(r"\b1[0-9]{9}\.[0-9]", l):
        bad.append("line %d: an epoch time" % n)
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
}

out="$work/summary.txt"
TZ=Asia/Tokyo "$SIPWATCH" -r "$PCAPS/retry-after-violation.pcap" -N \
    --alerts=/dev/null >"$out" 2>"$work/err" ||
    fail "sipwatch -N failed: $(cat "$work/err")"
check80 "$out"
want() {
	grep -qF -- "$1" "$out" || fail "-N: no \"$1\" in:
$(cat "$out")"
}
head -1 "$out" | grep -q "^sipwatch [0-9.]* report: file .*retry-after-violation.pcap$" ||
    fail "-N: the first line is not the capture: $(head -1 "$out")"
want "Capture   2026-11-21T05:38:03Z to 2026-11-21T05:38:08Z, UTC (5.1 s)"
want "Messages  6 SIP (4 requests, 2 responses)"
want "Calls     2: 0 answered, 2 failed"
want "Causes    503 Service Unavailable ×2"
want "Incidents 1: retry-after-violation 1"
want "Failed calls (2), times in UTC:"
want "  05:38:03 alice > busy503          503 Service Unavailable  21199b31d1bcc793"
want "  05:38:08 alice > busy503          503 Service Unavailable  006072a17edff8ae"
want "Incidents (1), times in UTC:"
want "client 127.0.0.11:5060, once at 05:38:08"
want "Every counter: --report=full, or --report=json."
# The summary comes before the lists.
[ "$(grep -n '^Calls ' "$out" | cut -d: -f1)" -lt \
    "$(grep -n '^Failed calls' "$out" | cut -d: -f1)" ] ||
    fail "-N: the summary is not first"

# A transfer and media, when the capture has them: the tracker's figures.
"$SIPWATCH" -r "$PCAPS/transfer-blind.pcap" -N --alerts=/dev/null \
    >"$out" 2>/dev/null || fail "sipwatch -N transfer-blind.pcap"
check80 "$out"
want "Transfers 1 REFER: 1 accepted, 0 rejected; 1 succeeded, 0 failed, 0 without"
grep -q "^Media" "$out" && fail "-N: a Media line without RTP: $(cat "$out")"
"$SIPWATCH" -r "$PCAPS/media-one-way.pcap" -N --alerts=/dev/null \
    >"$out" 2>/dev/null || fail "sipwatch -N media-one-way.pcap"
check80 "$out"
want "Media     1 RTP stream, 408 RTP packets; worst call MOS 4.36 (G.107); 1 call"
want "          with one-way audio"
grep -q "^Transfers" "$out" && fail "-N: a Transfers line without REFER: $(cat "$out")"

"$SIPWATCH" -r "$PCAPS/retry-after-violation.pcap" -N --report=full \
    --alerts=/dev/null >"$work/full.txt" 2>/dev/null || fail "--report=full"
grep -q "^transactions:" "$work/full.txt" && grep -q "^call_ids:" "$work/full.txt" ||
    fail "--report=full: no counters: $(head -20 "$work/full.txt")"
grep -q "2026-11-21T05:38:03.518779Z .. 2026-11-21T05:38:08.631746Z UTC" \
    "$work/full.txt" || fail "--report=full: times: $(head -3 "$work/full.txt")"
"$SIPWATCH" -r "$PCAPS/retry-after-violation.pcap" -N --report=json \
    2>/dev/null | python3 -c '
import json, sys
c = json.load(sys.stdin)["calls"]
assert c["failures_count"] == 2, c
f = c["failures"]
assert [x["call_id"] for x in f] == ["21199b31d1bcc793", "006072a17edff8ae"], f
assert f[0]["code"] == 503 and f[0]["reason"] == "Service Unavailable", f
assert f[0]["server"] == "127.0.0.1:5060" and f[0]["outcome"] == "failed", f
' || fail "--report=json: calls.failures"

# Many failed calls: counted, the last ones listed, the rest said.
if gen_calls 25000 "$work/25000.pcap"; then
	"$SIPWATCH" -r "$work/25000.pcap" -N --alerts=/dev/null \
	    >"$out" 2>/dev/null || fail "sipwatch -N on 25000 calls"
	check80 "$out"
	want "Failed calls (4376), times in UTC:"
	want "  ... 4346 more; --report=json lists the last 1000"
	n=$(sed -n '/^Failed calls/,/^  \.\.\./p' "$out" | grep -c '^  [0-9]')
	[ "$n" -eq 30 ] || fail "-N: $n failed calls listed, not 30"
fi

# The dashboard: the same convention, labelled.
start 80 24 "TZ=Asia/Tokyo" -r "$PCAPS/retry-after-violation.pcap"
wait_for "end of file  100%  05:38:08 UTC"
quit
echo "PASS: -N for a person, times in UTC everywhere"
