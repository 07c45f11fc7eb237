#!/bin/sh
# Hostile traffic: huge and empty header values, a thousand Vias, bad
# Content-Length, NULs, non-UTF-8, garbage on 5060, zero-length UDP,
# truncated and snaplen-cut frames, lying IP and UDP lengths, overlapping
# fragments (tests/hostile/gen.py), then a million distinct Call-IDs
# against small tracking caps.  sipwatch must not crash, must count every
# bad message with its reason, and must stay within its caps.  Run under
# ASan/UBSan (configure --enable-sanitizers) it also proves no overflow
# and no leak.
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
}
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
