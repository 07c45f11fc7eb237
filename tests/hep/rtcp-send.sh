#!/bin/sh
# --hep sends RTCP as HOMER's agents do (heplify, captagent): HEP3 with
# protocol type 5, a JSON payload, and the call's Call-ID as correlation id
# (chunk 0x0011).  A HEP listener of the test (python3, 127.0.0.1) receives
# what `sipwatch -r pcaps/media-quality.pcap --hep=udp://...` sends; tshark
# (RTCP heuristic) is the oracle: one type-5 packet per RTCP compound that
# carries a sender or receiver report, in order, with its SSRC, sender
# packet count and first report block's loss, and the SIP Call-ID.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "python3 not installed"
command -v tshark >/dev/null || skip "tshark not installed"

tmp=$(mktemp -d) || hard_error "mktemp"
listener_pid=
cleanup() {
	[ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

cap="$top_srcdir/pcaps/media-quality.pcap"
port=$(hep_port 7)

# The listener: every HEP3 packet as one JSON line (chunks by type); it
# stops 2 s after the last packet, or after 30 s.
python3 - "$port" "$tmp/ready" >"$tmp/hep.jsonl" <<'PY' &
import json, socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
open(sys.argv[2], "w").close()
s.settimeout(30)
while True:
    try:
        d = s.recv(70000)
    except socket.timeout:
        break
    s.settimeout(2)
    if d[:4] != b"HEP3" or struct.unpack(">H", d[4:6])[0] != len(d):
        print(json.dumps({"bad": d.hex()}))
        continue
    off, ch = 6, {}
    while off + 6 <= len(d):
        vendor, t, l = struct.unpack(">HHH", d[off:off + 6])
        ch[t] = d[off + 6:off + l].decode("latin-1")
        off += l
    print(json.dumps(ch), flush=True)
PY
listener_pid=$!
i=0
while [ ! -e "$tmp/ready" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the HEP listener did not start"
	sleep 0.1
done

"$SIPWATCH" -r "$cap" -N --report=json --hep="udp://127.0.0.1:$port" \
    >"$tmp/report.json" 2>"$tmp/err" || { cat "$tmp/err"; fail "sipwatch"; }
wait "$listener_pid"
listener_pid=

tshark -r "$cap" -o rtcp.heuristic_rtcp:TRUE \
    -Y 'rtcp.pt == 200 || rtcp.pt == 201' -T fields -E separator=/t \
    -e rtcp.senderssrc -e rtcp.sender.packetcount -e rtcp.ssrc.fraction \
    -e rtcp.ssrc.cum_nr >"$tmp/rtcp.tsv" 2>/dev/null ||
    fail "tshark (rtcp)"
tshark -r "$cap" -Y sip -T fields -e sip.Call-ID 2>/dev/null | sort -u \
    >"$tmp/callid" || fail "tshark (sip)"

python3 - "$tmp/hep.jsonl" "$tmp/rtcp.tsv" "$tmp/callid" \
    "$tmp/report.json" <<'PY' || fail "RTCP over HEP"
import json, sys
pkts = [json.loads(l) for l in open(sys.argv[1])]
assert not any("bad" in p for p in pkts), "malformed HEP3 packets"
want = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
callids = [l.strip() for l in open(sys.argv[3]) if l.strip()]
report = json.loads(open(sys.argv[4]).read().splitlines()[-1])
assert len(callids) == 1, callids
sip = [p for p in pkts if p.get("11") == "\x01"]
rtcp = [p for p in pkts if p.get("11") == "\x05"]
# Every SIP message still goes, with its Call-ID.
assert len(sip) == report["sip"]["messages"], (len(sip),
    report["sip"]["messages"])
assert len(want) > 0, "tshark found no sender or receiver report"
assert len(rtcp) == len(want), "%d RTCP packets sent, tshark has %d" % (
    len(rtcp), len(want))
for p, w in zip(rtcp, want):
    assert p.get("17") == callids[0], ("correlation id", p.get("17"))
    assert p["2"] == "\x11", "IP protocol is not UDP"
    body = json.loads(p["15"])
    assert body["ssrc"] == int(w[0], 16), (body["ssrc"], w[0])
    assert body["type"] in (200, 201)
    if body["type"] == 200:
        assert body["sender_information"]["packets"] == int(w[1])
    b = body["report_blocks"][0]
    assert b["fraction_lost"] == int(w[2].split(",")[0]), (b, w)
    assert b["packets_lost"] == int(w[3].split(",")[0]), (b, w)
print("ok   %d RTCP reports as HEP type 5 with Call-ID %s, %d SIP messages"
      % (len(rtcp), callids[0], len(sip)))
PY
echo "rtcp-send: 1 passed, 0 failed"
exit 0
