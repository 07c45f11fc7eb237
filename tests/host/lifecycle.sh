#!/bin/sh
# Incidents on generated captures (tests/host/sipgen.py):
# - a 5xx storm (900 503s in 180 s from one server): one incident, raised
#   once, one "update" line per 60 s window with the count so far, a
#   "clear" line 120 s after the last 5xx;
# - a flood of 100 distinct alerts in one second: the rate limit lets the
#   bucket through, holds back the rest, and one "suppressed" line and the
#   report count exactly what was held back.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
gen="$top_srcdir/tests/host/sipgen.py"
python3 "$gen" pcap "$tmp/storm.pcap" storm || hard_error "sipgen storm"
python3 "$gen" pcap "$tmp/flood.pcap" flood || hard_error "sipgen flood"

lines() {	# JSON alert lines -> "time rule event count first last | summary"
	python3 - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    print("%.6f %s %s %s %.6f %.6f | %s" % (a["time"], a["rule"],
          a["event"], a["count"], a["first"], a["last"], a["summary"]))
PY
}

# One incident: raised at the 10th 5xx, an update per 60 s window with
# the count so far, cleared 120 s after the last 5xx; one incident id.
"$SIPWATCH" -r "$tmp/storm.pcap" -N --report=json --alerts="$tmp/inc" \
    >"$tmp/report" 2>"$tmp/err" || { cat "$tmp/err"; fail "sipwatch failed"; }
lines "$tmp/inc" >"$tmp/got"
cat >"$tmp/want" <<'EOF'
1795000001.801000 server-error-burst raise 1 1795000001.801000 1795000001.801000 | 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
1795000061.801000 server-error-burst update 301 1795000001.801000 1795000061.801000 | server-error-burst server 192.0.2.10:5060: 301 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:07:41Z; at 2026-11-18T11:07:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
1795000121.801000 server-error-burst update 601 1795000001.801000 1795000121.801000 | server-error-burst server 192.0.2.10:5060: 601 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:08:41Z; at 2026-11-18T11:08:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
1795000181.801000 server-error-burst update 891 1795000001.801000 1795000179.801000 | server-error-burst server 192.0.2.10:5060: 891 occurrence(s) between 2026-11-18T11:06:41Z and 2026-11-18T11:09:39Z; at 2026-11-18T11:08:41Z: 192.0.2.10:5060 sent 10 5xx responses within 2 s (500: 0, 502: 0, 503: 10, 504: 0, other: 0)
1795000299.801000 server-error-burst clear 891 1795000001.801000 1795000179.801000 | server-error-burst server 192.0.2.10:5060 cleared: not seen for 120 s (891 occurrence(s) since 2026-11-18T11:06:41Z)
EOF
diff -u "$tmp/want" "$tmp/got" || fail "the storm's incident lines differ"
python3 - "$tmp/inc" "$tmp/report" <<'PY' || fail "incident id or report"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len({a["incident"] for a in rows}) == 1, rows
assert all(a["subject"] == "server 192.0.2.10:5060" for a in rows)
r = json.loads(open(sys.argv[2]).read().splitlines()[-1])
i = r["incidents"]
want = {"count": 1, "updates": 3, "clears": 1, "ended": 1, "open_at_end": 0}
bad = {k: (v, i.get(k)) for k, v in want.items() if i.get(k) != v}
assert not bad, bad
assert i["occurrences_by_rule"]["server-error-burst"] == 891
assert i["list"][0]["count"] == 891 and not i["list"][0]["open_at_end"]
assert r["alert_rate"]["lines"] == 5 and r["alert_rate"]["suppressed"] == 0
PY
echo "ok:   storm: one incident, 3 updates (891 occurrences), cleared"

# A shorter window and hold: more updates, the same total.
"$SIPWATCH" -r "$tmp/storm.pcap" -N --report=none \
    --alert-window=30 --alert-hold=10 --alerts="$tmp/short" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch --alert-window=30 failed"; }
python3 - "$tmp/short" <<'PY' || fail "--alert-window=30 totals"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ev = [a["event"] for a in rows]
clear = [a for a in rows if a["event"] == "clear"]
assert ev.count("raise") == 1 and ev.count("update") == 6, ev
assert len(clear) == 1 and clear[0]["count"] == 891, clear
assert abs(clear[0]["time"] - 1795000189.801) < 1e-6, clear[0]["time"]
PY
echo "ok:   --alert-window=30 --alert-hold=10: 6 updates, clear at 189.8 s"

# The flood: 100 global-failure alerts (one per Call-ID) within 1 s.
"$SIPWATCH" -r "$tmp/flood.pcap" -N --report=json \
    --alerts="$tmp/flood" >"$tmp/report" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch flood failed"; }
python3 - "$tmp/flood" "$tmp/report" <<'PY' || fail "rate limit"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
r = json.loads(open(sys.argv[2]).read().splitlines()[-1])
l = r["alert_rate"]
raised = [a for a in rows if a["rule"] == "global-failure"]
notes = [a for a in rows if a.get("event") == "suppressed"]
assert r["incidents"]["by_rule"]["global-failure"] == 100
# 50 at once (the bucket), then 10 per second while the flood lasts.
assert len(raised) + l["suppressed"] == 100, (len(raised), l)
assert 50 <= len(raised) < 100, len(raised)
assert len(notes) == 1, notes
assert notes[0]["rule"] == "alert-rate-limit"
assert notes[0]["count"] == l["suppressed"], (notes, l)
assert l["suppressed_by_rule"] == {"global-failure": l["suppressed"]}
assert "global-failure %d" % l["suppressed"] in notes[0]["summary"]
# In time order, the notice after the last line it accounts for.
times = [a["time"] for a in rows]
assert times == sorted(times), times
print("ok:   flood: %d raised, %d suppressed and reported once"
      % (len(raised), l["suppressed"]))
PY

# No rate limit: all 100.
"$SIPWATCH" -r "$tmp/flood.pcap" -N --report=none \
    --alert-rate=0 --alerts="$tmp/nolimit" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch --alert-rate=0 failed"; }
[ "$(grep -c '"global-failure"' "$tmp/nolimit")" -eq 100 ] ||
    fail "--alert-rate=0 did not let all 100 through"
echo "ok:   --alert-rate=0: all 100"

# A scanner that goes on probing after its incident was cleared (the hold
# time passed): once a use-after-free in the lifecycle (a garbage line,
# then SIGSEGV); now a second incident for the same source.
python3 "$gen" pcap "$tmp/scanlong.pcap" scanlong || hard_error "sipgen scanlong"
"$SIPWATCH" -r "$tmp/scanlong.pcap" -N --report=none \
    --alerts="$tmp/scanlong" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch on a scanner past its clear failed"; }
python3 - "$tmp/scanlong" <<'PY' || fail "scanner past its clear"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for a in rows:
    assert a["rule"] == "scanner", a
    assert a["subject"] == "source 198.51.100.7", a
    assert a["summary"].isprintable(), a["summary"]
ev = [(a["event"], a["count"]) for a in rows]
assert ev == [("raise", 1), ("update", 30), ("clear", 30),
              ("raise", 1), ("update", 30), ("clear", 30)], ev
assert rows[0]["incident"] != rows[3]["incident"]
PY
echo "ok:   a scanner probing past its clear: a second incident, no crash"
echo "lifecycle: all checks passed"
