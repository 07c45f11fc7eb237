#!/bin/sh
# Hostile traffic: huge and empty header values, a thousand Vias, bad
# Content-Length, NULs, non-UTF-8, garbage on 5060, zero-length UDP,
# truncated and snaplen-cut frames, lying IP and UDP lengths, overlapping
# fragments (tests/hostile/gen.py), then a million distinct Call-IDs
# against small tracking caps, then the CPU and memory amplification of
# issue 20 (bench/sipgen -H: thousands of tiny headers or parameters, 64 KB
# messages).  sipwatch must not crash, must count every bad message with
# its reason, track what it can still read, and stay within its caps and
# its memory bound.  Run under ASan/UBSan (configure --enable-sanitizers)
# it also proves no overflow and no leak.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT

python3 "$top_srcdir/tests/hostile/gen.py" "$tmp/hostile.pcap" >/dev/null ||
    hard_error "gen.py failed"
"$SIPWATCH" -r "$tmp/hostile.pcap" -N --report=json >"$tmp/out" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch exited $? on the hostile capture"; }
tail -n 1 "$tmp/out" >"$tmp/report.json"

python3 - "$tmp/report.json" <<'PY' || fail "hostile capture read wrongly"
import json, sys
r = json.load(open(sys.argv[1]))
c, s = r["capture"], r["sip"]
want = {
    # 23 frames: 16 carry a SIP start line (14 crafted messages that reach
    # the parser whole, one cut by the snap length, one without Call-ID).
    ("packets",): 23, ("sip_packets",): 16, ("messages",): 16,
    # Not SIP: garbage on 5060, zero-length UDP, a fragment held back.
    ("non_sip",): 3,
    # Malformed: cut IP header, IP length lie, UDP length lie, overlap.
    ("decode_errors",): 4,
}
got = {("packets",): c["packets"], ("sip_packets",): c["sip_packets"],
       ("messages",): s["messages"], ("non_sip",): c["non_sip"],
       ("decode_errors",): c["decode_errors"]}
events = {
    "decode.ipv4.truncated": 1, "decode.ipv4.bad_total_len": 1,
    "decode.udp.bad_len": 1, "decode.udp.empty": 1,
    "decode.ipv4.fragment": 1, "decode.ipfrag.overlap": 1,
    "decode.snaplen_cut": 1,
}
reasons = {
    "sip.parse.truncated": 1,          # the snaplen-cut message
    "sip.parse.no_call_id": 1,
    "sip.parse.body_short": 1,         # Content-Length 500, 5 bytes of body
    "sip.parse.bad_content_length": 2, # "-5" and "abc"
    "sip.parse.header": 1,             # NUL bytes inside To
    "sip.parse.too_many_headers": 1,   # a thousand Vias
    "sip.parse.headers_too_large": 3,  # 60 KB Call-ID, Via branch, display name
}
# Still tracked: the NUL bytes (cut there) and the thousand Vias (after
# the mandatory headers); the 60 KB values lie past what the lenient
# reader reads (SIP_SALVAGE_BYTES).
salvaged = 2
ok = True
for k, v in want.items():
    if got[k] != v:
        print("FAIL %s: %s, expected %s" % (k[0], got[k], v)); ok = False
if c["events"] != events:
    print("FAIL events: %s, expected %s" % (c["events"], events)); ok = False
if c["parse_error_reasons"] != reasons:
    print("FAIL parse errors: %s, expected %s" % (c["parse_error_reasons"], reasons)); ok = False
if c["parse_errors"] != sum(reasons.values()):
    print("FAIL parse_errors total %d" % c["parse_errors"]); ok = False
if c["parse_salvaged"] != salvaged:
    print("FAIL parse_salvaged %d, expected %d" % (c["parse_salvaged"], salvaged)); ok = False
if s["requests"] != {"OPTIONS": 16}:
    print("FAIL requests %s" % s["requests"]); ok = False
print("hostile capture: %s" % ("counted as expected" if ok else "MISREAD"))
sys.exit(0 if ok else 1)
PY

# A million distinct Call-IDs (about 3.2 million messages) against small
# caps: the tables stay at their caps and evictions are counted.
SIPGEN=$top_builddir/bench/sipgen
[ -x "$SIPGEN" ] || hard_error "bench/sipgen not built"
"$SIPGEN" -s 3 -r 2000 -n 3200000 -o - 2>"$tmp/gen" |
    "$SIPWATCH" -r - -N --report=json --alerts=/dev/null \
    --max-call-ids=5000 --max-transactions=10000 --max-peers=2000 \
    >"$tmp/big" 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "sipwatch failed on a million calls"; }
sed "s/^sipgen: /generated: /" "$tmp/gen"
python3 - "$tmp/big" <<'PY' || fail "state not bounded by the caps"
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
t, d = r["transactions"], r["call_ids"]
ok = (r["sip"]["messages"] == 3200000 and
      t["active"] <= t["cap"] == 10000 and d["active"] <= d["cap"] == 5000 and
      t["evicted"] > 0 and d["evicted"] + d["expired"] > 0)
print("a million Call-IDs: %d messages, transactions %d active of %d (evicted %d), "
      "Call-IDs %d active of %d (evicted %d, expired %d)"
      % (r["sip"]["messages"], t["active"], t["cap"], t["evicted"],
         d["active"], d["cap"], d["evicted"], d["expired"]))
sys.exit(0 if ok else 1)
PY

# CPU amplification (issue 20 item 1): one message in ten from an
# attacker, built to cost osip2 the most (bench/sipgen -H).  Each must be
# counted with the bound that kept it from osip2 and, where the lenient
# reader finds its fields, still tracked: its User-Agent is a scanner's,
# so one scanner incident counts every hostile message tracked (its lines
# marked partial_parse when the messages were salvaged).  The
# normal traffic beside it must be read in full.  The time it costs is
# measured by bench/hostile.sh, not asserted here.
for kind in headers params bounds large; do
	"$SIPGEN" -s 5 -H "$kind" -x 10 -n 20000 -o - 2>/dev/null |
	    "$SIPWATCH" -r - -N --report=json --alerts="$tmp/alerts-$kind" \
	    >"$tmp/amp-$kind" 2>"$tmp/err" ||
	    { cat "$tmp/err"; fail "sipwatch failed on -H $kind"; }
done
python3 - "$tmp" <<'PY' || fail "hostile mixes misread"
import json, sys
tmp = sys.argv[1]
# kind: (reason the bound gives, tracked by the lenient reader)
want = {"headers": ("sip.parse.too_many_headers", True),
        "params": ("sip.parse.headers_too_large", False),
        "bounds": (None, True), "large": (None, True)}
ok = True
for kind, (reason, tracked) in want.items():
    r = json.loads(open("%s/amp-%s" % (tmp, kind)).read().splitlines()[-1])
    c = r["capture"]
    scan = [json.loads(l) for l in open("%s/alerts-%s" % (tmp, kind))]
    scan = [a for a in scan if a["rule"] == "scanner"]
    incidents = len(set(a["incident"] for a in scan))
    count = max([a["count"] for a in scan] or [0])
    got = (r["sip"]["messages"], c["parse_errors"], c["parse_error_reasons"],
           c["parse_salvaged"], incidents, count)
    exp = (20000, 2000 if reason else 0, {reason: 2000} if reason else {},
           2000 if reason and tracked else 0, 1 if tracked else 0,
           2000 if tracked else 0)
    print("-H %-7s messages %d, parse errors %d %s, salvaged %d, scanner "
          "incidents %d counting %d" % ((kind,) + got))
    if got != exp:
        print("FAIL -H %s: expected %s" % (kind, exp)); ok = False
    # The scanner's lines are drawn from salvaged messages exactly when
    # the bound sent them to the lenient reader: "partial_parse" says so.
    partial = sorted(set(bool(a.get("partial_parse")) for a in scan))
    if partial != ([bool(reason)] if tracked else []):
        print("FAIL -H %s: partial_parse on the scanner's lines %s"
              % (kind, partial)); ok = False
sys.exit(0 if ok else 1)
PY

# Memory amplification (issue 20 item 2): 5,000 messages of 64 KB through
# 8 parse workers.  Buffers above 2 KiB are given back once consumed and
# 16 MiB of them are held at most, so the peak RSS stays that of normal
# traffic (about 35 MB here); it was 564 MB.  Under ASan the RSS is the
# sanitizer's (shadow memory, quarantine), so the bound is not checked.
if ldd "$SIPWATCH" 2>/dev/null | grep -q 'libasan\|libtsan'; then
	echo "memory bound: not checked under a sanitizer"
else
	python3 - "$SIPGEN" "$SIPWATCH" <<'PY' || fail "peak RSS above the bound"
import json, os, subprocess, sys, tempfile
gen = subprocess.Popen([sys.argv[1], "-H", "large", "-x", "1", "-n", "5000",
                        "-o", "-"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
out = tempfile.TemporaryFile()
sw = subprocess.Popen([sys.argv[2], "-r", "-", "-N", "--report=json",
                       "--threads=8"], stdin=gen.stdout, stdout=out)
gen.stdout.close()
_, status, ru = os.wait4(sw.pid, 0)	# sipwatch's own peak, not sipgen's
gen.wait()
rss = ru.ru_maxrss / 1024.0
out.seek(0)
msgs = json.loads(out.read().splitlines()[-1])["sip"]["messages"]
print("5,000 messages of 64 KB, 8 workers: peak RSS %.1f MB (bound 96 MB), "
      "%d messages read" % (rss, msgs))
sys.exit(0 if status == 0 and msgs == 5000 and rss < 96 else 1)
PY
fi
