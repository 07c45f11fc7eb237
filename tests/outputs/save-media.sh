#!/bin/sh
# --save-alerted and the dashboard's export (--export=pcap, the same frame
# store) keep a call's RTP and RTCP frames with its SIP frames, the
# original frames: on pcaps/media-one-way.pcap, the file of the call that
# raised one-way-media, read by tshark, holds every RTP stream of the call
# with the packet count the report gives for it (tshark's RTP analysis,
# -z rtp,streams), every RTCP compound of the call that the original
# capture holds, its SIP messages, and nothing else; its frames are
# byte for byte those of the capture.  And sipwatch reading the saved file
# raises one-way-media again with the same stream.
. "$(dirname "$0")/../lib.sh"

command -v tshark >/dev/null || skip "tshark not installed"
command -v python3 >/dev/null || skip "python3 not installed"

tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
cap="$top_srcdir/pcaps/media-one-way.pcap"
mkdir "$tmp/save" "$tmp/export" || hard_error "mkdir"

"$SIPWATCH" -r "$cap" -N --report=json --save-alerted="$tmp/save" \
    --export=pcap --export-dir="$tmp/export" >"$tmp/report.json" \
    2>"$tmp/err" || { cat "$tmp/err"; fail "sipwatch"; }
set -- "$tmp/save"/*-one-way-media-*.pcap
[ $# -eq 1 ] && [ -f "$1" ] || fail "no one file for the one-way call"
saved=$1
set -- "$tmp/export"/*.pcap
[ $# -eq 1 ] && [ -f "$1" ] || fail "no one exported file"
exported=$1

# tshark's view of a file: RTP streams, RTCP frames, SIP frames.
view() {
	tshark -r "$1" -o rtp.heuristic_rtp:TRUE -q -z rtp,streams \
	    >"$2.streams" 2>/dev/null || fail "tshark -z rtp,streams $1"
	tshark -r "$1" -o rtcp.heuristic_rtcp:TRUE -Y rtcp -T fields \
	    -e frame.number >"$2.rtcp" 2>/dev/null || fail "tshark rtcp $1"
	tshark -r "$1" -Y sip -T fields -e sip.Call-ID >"$2.sip" \
	    2>/dev/null || fail "tshark sip $1"
}
view "$cap" "$tmp/orig"
view "$saved" "$tmp/saved"
view "$exported" "$tmp/exported"
"$SIPWATCH" -r "$saved" -N --report=json >"$tmp/again.json" 2>/dev/null ||
    fail "sipwatch on the saved file"

python3 - "$tmp" "$cap" "$saved" "$exported" <<'PY' || fail "the saved call"
import json, os, struct, sys
tmp = sys.argv[1]
def frames(p):
    # A classic pcap file: (time, bytes) of every record.
    d = open(p, "rb").read()
    e = "<" if d[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out, off = [], 24
    while off + 16 <= len(d):
        sec, frac, incl, _ = struct.unpack(e + "IIII", d[off:off + 16])
        out.append((sec, frac, d[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out
files = {"saved": sys.argv[3], "exported": sys.argv[4]}
orig_frames = frames(sys.argv[2])
def lines(p):
    return [l.rstrip("\n") for l in open(p) if l.strip()]
def streams(p):
    # tshark's table: start end src sport dst dport ssrc payload... pkts
    out = {}
    for l in lines(p):
        f = l.split()
        if len(f) > 9 and f[6].startswith("0x"):
            out[(f[2] + ":" + f[3], f[4] + ":" + f[5], f[6].upper())] = \
                int(f[f.index(next(x for x in f[7:] if x.isdigit()))])
    return out
report = json.loads(open(os.path.join(tmp, "report.json")).read()
                    .splitlines()[-1])
again = json.loads(open(os.path.join(tmp, "again.json")).read()
                   .splitlines()[-1])
calls = {s["call_id"] for s in report["media"]["streams"]}
assert len(calls) == 1, calls
call = calls.pop()
want = {(s["src"], s["dst"], "0X" + s["ssrc"][2:].upper()): s["packets"]
        for s in report["media"]["streams"] if s["call_id"] == call}
assert want, "the report has no stream for the call"
sv = report["save_alerted"]
assert sv["written"] == 1 and sv["media_frames_cut"] == 0, sv
orig_rtcp = len(lines(os.path.join(tmp, "orig.rtcp")))
orig_sip = [c for c in lines(os.path.join(tmp, "orig.sip")) if c == call]
for name in ("saved", "exported"):
    got = streams(os.path.join(tmp, name + ".streams"))
    got = {(k[0], k[1], k[2].upper()): v for k, v in got.items()}
    assert got == want, (name, got, want)
    rtcp = len(lines(os.path.join(tmp, name + ".rtcp")))
    sip = lines(os.path.join(tmp, name + ".sip"))
    assert sip == orig_sip, (name, "SIP", len(sip), len(orig_sip))
    fr = frames(files[name])
    assert rtcp == orig_rtcp, (name, "RTCP", rtcp, orig_rtcp)
    assert len(fr) == sum(want.values()) + rtcp + len(sip), (name, len(fr))
    # Original frames, byte for byte and time, in the capture's order.
    it = iter(orig_frames)
    assert all(f in it for f in fr), (name, "frames not the capture's")
assert sv["frames_written"] == len(fr), sv
assert sv["media_frames"] == sum(want.values()) + orig_rtcp, sv
assert again["incidents"]["by_rule"]["one-way-media"] == 1, "again"
ag = {(s["src"], s["dst"], "0X" + s["ssrc"][2:].upper()): s["packets"]
      for s in again["media"]["streams"]}
assert ag == want, ("again", ag, want)
print("ok   saved and exported: %d RTP packets in %d stream(s), %d RTCP, "
      "%d SIP, as the report and the capture have them"
      % (sum(want.values()), len(want), orig_rtcp, len(orig_sip)))
PY
echo "save-media: 1 passed, 0 failed"
exit 0
