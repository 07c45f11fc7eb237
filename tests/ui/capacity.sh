#!/bin/sh
# tests/ui/capacity.sh: the calls list holds 20,000 calls by default and
# says how many older ones it let go (issue 18, finding 2).  A capture
# of exactly 25,000 calls (and the registrations and OPTIONS pings
# between them) is generated into the test's own directory with
# bench/sipgen -c, never shipped.  At the default --max-calls the list
# shows 20,000 calls and "5000 older calls not shown"; with
# --max-calls=30000, all 25,000 and no such line; the report's
# dashboard section gives the same counts.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
pcap="$work/25000-calls.pcap"
gen_calls 25000 "$pcap" || skip "bench/sipgen is not built"

# The default: 20,000 calls held, the newest; the rest said.
start 100 30 - -r "$pcap"
wait_for "end of file  100%" 600
wait_for "Calls 20000 "
wait_for "5000 older calls not shown (--max-calls=20000)"
# The newest call first (sipgen's last event is a call).
line_with "Calls 20000" "Call-ID"
screen | grep -A1 -F "Calls 20000" | tail -1 | grep -qF -- "-27830@10.1.0.2" ||
    fail "$what: the newest call is not first:
$(screen)"
# a: every Call-ID (the registrations and pings held apart).
keys a
wait_for "Call-IDs 22831 "
has "5000 older Call-IDs not shown"
keys a
wait_for "Calls 20000 "
quit

# A larger cap: all of them, nothing said.
start 100 30 - --max-calls=30000 -r "$pcap"
wait_for "end of file  100%" 600
wait_for "Calls 25000 "
hasnt "older calls not shown"
quit

# The report: the same counts (the model of --export is the dashboard's).
"$SIPWATCH" -r "$pcap" -N --report=json --export=csv \
    --export-dir="$work" >"$work/report.json" 2>"$work/stderr" ||
    fail "sipwatch -N --export failed: $(cat "$work/stderr")"
python3 - "$work/report.json" <<'PY' || fail "report: $(cat "$work/report.json" | head -c 2000)"
import json, sys
d = json.load(open(sys.argv[1]))["dashboard"]
want = {"max_calls": 20000, "calls_seen": 25000, "calls_held": 20000,
        "calls_not_shown": 5000}
bad = {k: (d.get(k), v) for k, v in want.items() if d.get(k) != v}
if bad:
    print("dashboard section differs (got, want):", bad)
    sys.exit(1)
PY
echo "PASS: capacity (20000 of 25000 calls held and the rest said)"
