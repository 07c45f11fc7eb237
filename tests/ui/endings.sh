#!/bin/sh
# tests/ui/endings.sh: every ending of a call is a state of its own with
# its cause, the alert line stays with every call that raised one, and
# the calls' outcomes and RFC 6076 ratios are on screen (issue 18,
# findings 1 and 9).
#
# - invite-timeout.pcap at 80x24: the call whose INVITE got no answer is
#   "timed out (Timer B)" in the calls list and in the call view's
#   header, opened from the Calls panel with its invite-timeout line;
#   the status line counts it;
# - a generated 25,000-call capture (bench/sipgen -c, in the test's own
#   directory) at 160x80: the second status line gives the tracker's
#   outcomes and ASR/NER exactly as the report's calls section does; the
#   oldest calls held say who ended them or the code and reason that
#   failed them; a call whose every alert line is older than the last
#   1000 (the ring the dashboard keeps; --alerts says which), found with
#   callid: and opened from the Calls panel, shows its alert line.
. "$(dirname "$0")/lib.sh"

# Part 1: a timeout.
start 80 24 - -r "$PCAPS/invite-timeout.pcap"
wait_for "end of file  100%"
wait_for "Calls 1 "
line_with "blackhole" "timed out (Timer B)"
has "timed out 1"
keys Tab Tab Enter
wait_for "Call alice > blackhole  timed out (Timer B)"
has "invite-timeout: "
keys Escape
wait_for "Response codes"
quit

# Part 2: 25,000 calls.
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
pcap="$work/25000-calls.pcap"
gen_calls 25000 "$pcap" || skip "bench/sipgen is not built"

# What the report says, as the status line must say it.
"$SIPWATCH" -r "$pcap" -N --report=json --alerts="$work/alerts.json" \
    >"$work/report.json" 2>"$work/stderr" ||
    fail "sipwatch -N failed: $(cat "$work/stderr")"
want=$(python3 - "$work/report.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["calls"]
o = c["outcomes"]
print("answered %d  failed %d  rejected %d  cancelled %d  timed out %d  "
      "ASR %.0f%%  NER %.0f%%" % (o["answered"], o["failed"], o["rejected"],
      o["cancelled"], o["timed_out"], c["ser_pct"], c["seer_pct"]))
PY
) || hard_error "no calls section in the report"
case $want in
"answered 0 "*) hard_error "the report has no answered call: $want" ;;
esac

start 160 80 - -r "$pcap"
wait_for "end of file  100%" 600
wait_for "Calls 20000 "
wait_for "$want"
# The oldest calls held: their endings, with their causes.
keys Tab Tab End
wait_for "older calls not shown"
has "ended by caller"
has "rejected 603 Decline"
# A call whose every alert line is older than the last 1000 (the ring
# the dashboard keeps): the newest such INVITE of the alert lines.
cid=$(python3 - "$work/alerts.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
recent = set(a.get("call_id") for a in lines[-1000:])
old = [a["call_id"] for a in lines if a.get("event") == "raise" and
       a.get("method") == "INVITE" and a.get("call_id") and
       a["call_id"] not in recent]
print(old[-1] if old and len(lines) > 1000 else "")
PY
)
[ -n "$cid" ] || hard_error "no call whose alert lines the ring let go"
# Found in the calls list and opened from the Calls panel: its alert line.
filter "callid:$cid"
wait_for "Calls 1 "
keys Enter
wait_for "Call-ID $cid"
screen | sed -n 2p | grep -Eq '^(CRIT|ERR|WARN|NOTE|INFO) +[a-z-]+: ' ||
    fail "$what: the call $cid marked ! shows no alert line:
$(screen)"
keys Escape
wait_for "Response codes"
quit
echo "PASS: endings (states with their causes, alert lines kept, outcomes and ASR/NER)"
