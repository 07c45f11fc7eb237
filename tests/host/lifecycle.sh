#!/bin/sh
# Alert lifecycle on generated captures (tests/host/sipgen.py):
# - a 5xx storm (900 503s in 180 s from one server): raised once, one
#   "repeats" line per 60 s window counting every further 5xx, a "clear"
#   line 120 s after the last one; the raw --alerts stay what the tracker
#   raised;
# - a flood of 100 distinct alerts in one second: the rate limit lets the
#   bucket through, holds back the rest, and one "suppressed" line and the
#   report count exactly what was held back.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
gen="$top_srcdir/tests/host/sipgen.py"
python3 "$gen" pcap "$tmp/storm.pcap" storm || hard_error "sipgen storm"
python3 "$gen" pcap "$tmp/flood.pcap" flood || hard_error "sipgen flood"

lines() {	# JSON alert lines -> "time rule event repeats window summary"
	python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    print("%.6f %s %s %s %s | %s" % (a["time"], a["rule"],
          a.get("event", "raise"), a.get("repeats", "-"),
          a.get("window", "-"), a["summary"]))
PY
}

# The raw alerts: what the tracker raised (one per 60 s of storm).
"$SIPWATCH" -r "$tmp/storm.pcap" -N --report=none --alerts="$tmp/raw" \
    2>"$tmp/err" || { cat "$tmp/err"; fail "sipwatch failed"; }
lines "$tmp/raw" | cut -d' ' -f1-3 >"$tmp/got"
cat >"$tmp/want" <<'EOF'
1795000001.801000 server-error-burst raise
1795000061.801000 server-error-burst raise
1795000121.801000 server-error-burst raise
EOF
diff -u "$tmp/want" "$tmp/got" || fail "raw alerts of the storm differ"
echo "ok:   raw --alerts unchanged (3 server-error-burst)"

# Deduplicated: raised once, repeats per window, cleared after the hold.
"$SIPWATCH" -r "$tmp/storm.pcap" -N --report=json --alerts-dedup \
    --alerts="$tmp/dedup" >"$tmp/report" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch --alerts-dedup failed"; }
lines "$tmp/dedup" >"$tmp/got"
cat >"$tmp/want" <<'EOF'
1795000001.801000 server-error-burst raise - - | 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
1795000061.801000 server-error-burst repeats 299 60.0 | server-error-burst from 192.0.2.10:5060: 299 more in 60 s
1795000121.801000 server-error-burst repeats 300 60.0 | server-error-burst from 192.0.2.10:5060: 300 more in 60 s
1795000181.801000 server-error-burst repeats 291 60.0 | server-error-burst from 192.0.2.10:5060: 291 more in 60 s
1795000299.801000 server-error-burst clear 890 120.0 | server-error-burst from 192.0.2.10:5060 cleared: not seen for 120 s (890 repeat(s) after it was raised)
EOF
diff -u "$tmp/want" "$tmp/got" || fail "deduplicated storm differs"
echo "ok:   storm: raised once, 3 summaries (890 repeats = 900 - 10), cleared"

python3 - "$tmp/report" <<'PY' || fail "report alert_lifecycle"
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
l = r["alert_lifecycle"]
want = {"alerts_in": 3, "raised": 1, "repeats": 890, "summaries": 3,
        "clears": 1, "suppressed": 0, "active_bursts": 0, "lines": 5}
bad = {k: (v, l.get(k)) for k, v in want.items() if l.get(k) != v}
if bad:
    sys.exit("alert_lifecycle: %s" % bad)
PY
echo "ok:   report alert_lifecycle counts"

# A shorter window and hold: more summaries, the same total.
"$SIPWATCH" -r "$tmp/storm.pcap" -N --report=none --alerts-dedup \
    --alert-window=30 --alert-hold=10 --alerts="$tmp/short" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch --alert-window=30 failed"; }
python3 - "$tmp/short" <<'PY' || fail "--alert-window=30 totals"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ev = [a.get("event", "raise") for a in rows]
rep = sum(a["repeats"] for a in rows if a.get("event") == "repeats")
clear = [a for a in rows if a.get("event") == "clear"]
assert ev.count("raise") == 1 and ev.count("repeats") == 6, ev
assert rep == 890 and len(clear) == 1, (rep, clear)
assert abs(clear[0]["time"] - 1795000189.801) < 1e-6, clear[0]["time"]
PY
echo "ok:   --alert-window=30 --alert-hold=10: 6 summaries, clear at 189.8 s"

# The flood: 100 global-failure alerts (one per Call-ID) within 1 s.
"$SIPWATCH" -r "$tmp/flood.pcap" -N --report=json --alerts-dedup \
    --alerts="$tmp/flood" >"$tmp/report" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch flood failed"; }
python3 - "$tmp/flood" "$tmp/report" <<'PY' || fail "rate limit"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
r = json.loads(open(sys.argv[2]).read().splitlines()[-1])
l = r["alert_lifecycle"]
raised = [a for a in rows if a["rule"] == "global-failure"]
notes = [a for a in rows if a.get("event") == "suppressed"]
assert r["alerts"]["by_rule"]["global-failure"] == 100
# 50 at once (the bucket), then 10 per second while the flood lasts.
assert len(raised) + l["suppressed"] == 100, (len(raised), l)
assert 50 <= len(raised) < 100, len(raised)
assert len(notes) == 1, notes
assert notes[0]["rule"] == "alert-rate-limit"
assert notes[0]["repeats"] == l["suppressed"], (notes, l)
assert l["suppressed_by_rule"] == {"global-failure": l["suppressed"]}
assert "global-failure %d" % l["suppressed"] in notes[0]["summary"]
# In time order, the notice after the last line it accounts for.
times = [a["time"] for a in rows]
assert times == sorted(times), times
print("ok:   flood: %d raised, %d suppressed and reported once"
      % (len(raised), l["suppressed"]))
PY

# No rate limit: all 100.
"$SIPWATCH" -r "$tmp/flood.pcap" -N --report=none --alerts-dedup \
    --alert-rate=0 --alerts="$tmp/nolimit" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch --alert-rate=0 failed"; }
[ "$(grep -c '"global-failure"' "$tmp/nolimit")" -eq 100 ] ||
    fail "--alert-rate=0 did not let all 100 through"
echo "ok:   --alert-rate=0: all 100"

# A scanner that goes on probing after its burst was cleared (the hold
# time passed): the lifecycle once freed the entry while the tracker's
# note still used it (a use-after-free, a garbage line, then SIGSEGV).
python3 "$gen" pcap "$tmp/scanlong.pcap" scanlong || hard_error "sipgen scanlong"
"$SIPWATCH" -r "$tmp/scanlong.pcap" -N --report=none --alerts-dedup \
    --alerts="$tmp/scanlong" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch on a scanner past its clear failed"; }
python3 - "$tmp/scanlong" <<'PY' || fail "scanner past its clear"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for a in rows:
    assert a["rule"] == "scanner", a
    assert a["summary"].isprintable(), a["summary"]
ev = [a.get("event", "raise") for a in rows]
assert ev[:3] == ["raise", "repeats", "clear"], ev
PY
echo "ok:   a scanner probing past the clear: no stray line, no crash"
echo "lifecycle: all checks passed"
