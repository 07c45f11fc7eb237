#!/bin/sh
# tests/fuzz/run.sh: run every libFuzzer target for a while.
#
#   tests/fuzz/run.sh [-t seconds_per_target] [-r runs_per_target] [BUILDDIR
#       [TARGET ...]]
#
# BUILDDIR is a tree configured with `CC=clang ./configure --enable-fuzzing`
# (default: the current directory).  TARGETs are decode, sip, pcap, hep,
# ui, sdp, media (default: all seven).  Seed corpora come from the captures
# in pcaps/ (whole files for fuzz_pcap, their frames for fuzz_decode, their
# SIP payloads for fuzz_sip, those payloads in HEPv3 and HEPv2 for fuzz_hep,
# and after a line of dashboard filter for fuzz_ui, their SDP bodies for
# fuzz_sdp) and, for fuzz_media, RTP, RTCP (SR, RR, XR, compound) and
# announcement records written here.
# Prints, per target, the executions done and any finding; exits non-zero
# if a target found a crash, leak or UB.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
secs=60 runs=
while getopts "r:t:" opt; do
	case $opt in
	r) runs=$OPTARG ;;
	t) secs=$OPTARG ;;
	*) echo "usage: $0 [-t seconds] [-r runs] [BUILDDIR [TARGET ...]]"; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
build=$(cd "${1:-.}" && pwd)
[ $# -gt 0 ] && shift
targets=${*:-decode sip pcap hep ui sdp media}
for t in $targets; do
	case $t in
	decode|sip|pcap|hep|ui|sdp|media) ;;
	*) echo "fuzz: unknown target $t (decode, sip, pcap, hep, ui, sdp, media)"; exit 1 ;;
	esac
	[ -x "$build/tests/fuzz/fuzz_$t" ] ||
	    { echo "fuzz: $build/tests/fuzz/fuzz_$t missing (configure --enable-fuzzing)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seeds, from the shipped captures.
mkdir -p "$work/pcap" "$work/decode" "$work/sip" "$work/hep" "$work/ui" \
    "$work/sdp" "$work/media"
python3 - "$src/pcaps" "$work" <<'PY'
import glob, os, struct, sys
pcaps, work = sys.argv[1], sys.argv[2]
dlt_index = {1: 0, 113: 1, 276: 2, 0: 3, 108: 4, 12: 5, 101: 6, 228: 7, 229: 8,
             9: 9, 50: 10, 51: 11}
n = 0
for path in sorted(glob.glob(os.path.join(pcaps, "*.pcap*"))):
    data = open(path, "rb").read()
    if len(data) < 200000:
        open(os.path.join(work, "pcap", os.path.basename(path)), "wb").write(data)
    if data[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4"):
        continue            # frames are taken from classic pcap files only
    le = data[:4] == b"\xd4\xc3\xb2\xa1"
    e = "<" if le else ">"
    dlt = struct.unpack(e + "I", data[20:24])[0]
    off, frames = 24, []
    while off + 16 <= len(data):
        caplen = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        frames.append(frame)
        # The SIP payload of an Ethernet/IPv4/UDP frame, for fuzz_sip.
        if dlt == 1 and len(frame) > 42 and frame[12:14] == b"\x08\x00" and frame[23] == 17:
            ihl = (frame[14] & 15) * 4
            payload = frame[14 + ihl + 8:]
            if payload[:3] in (b"SIP",) or payload[:1].isalpha():
                open(os.path.join(work, "sip", "m%05d" % n), "wb").write(payload)
                n += 1
    blob = b""
    for fr in frames[:40]:
        blob += bytes([dlt_index.get(dlt, 0)]) + struct.pack(">H", len(fr) & 0xffff) + fr[:0xffff]
    open(os.path.join(work, "decode", os.path.basename(path)), "wb").write(blob)
    # PPPoE session frames (one VLAN tag) also seed the PPP link types:
    # the PPPoE header on for DLT_PPP_ETHER, the PPP frame for DLT_PPP.
    ppp = b""
    for fr in frames:
        if dlt == 1 and fr[12:14] == b"\x81\x00" and fr[16:18] == b"\x88\x64":
            ppp += bytes([11]) + struct.pack(">H", len(fr) - 18) + fr[18:]
            ppp += bytes([9]) + struct.pack(">H", len(fr) - 22) + b"\xff\x03" + fr[24:]
    if ppp:
        open(os.path.join(work, "decode", "ppp-" + os.path.basename(path)), "wb").write(ppp)

# HEPv3 and HEPv2 packets around some of the SIP payloads, for fuzz_hep.
def chunk(t, v):
    return struct.pack(">HHH", 0, t, 6 + len(v)) + v
sips = sorted(glob.glob(os.path.join(work, "sip", "m*")))[:200]
for i, p in enumerate(sips):
    sip = open(p, "rb").read()
    body = (chunk(1, b"\x02") + chunk(2, b"\x11") + chunk(3, bytes([192, 0, 2, 1])) +
            chunk(4, bytes([192, 0, 2, 2])) + chunk(7, struct.pack(">H", 5060)) +
            chunk(8, struct.pack(">H", 5060)) + chunk(9, struct.pack(">I", 1700000000)) +
            chunk(10, struct.pack(">I", i)) + chunk(11, b"\x01") +
            chunk(12, struct.pack(">I", 2001)) + chunk(17, b"call-%d" % i) + chunk(15, sip))
    open(os.path.join(work, "hep", "v3-%05d" % i), "wb").write(
        b"HEP3" + struct.pack(">H", 6 + len(body)) + body)
    if i % 4 == 0:
        v2 = (bytes([2, 16, 2, 17]) + struct.pack(">HH", 5060, 5060) +
              bytes([192, 0, 2, 1, 192, 0, 2, 2]) + struct.pack("<IIH", 1700000000, i, 7) + sip)
        open(os.path.join(work, "hep", "v2-%05d" % i), "wb").write(v2)

# A dashboard filter line, then a SIP payload, for fuzz_ui.
filters = [b"code:503 or ua:kamailio", b"hdr:Via=udp and not state:failed",
           b"(from:alice or to:\"bob x\") rule:bad ip:127.0.0.0/8",
           b"text:SIP/2.0 hdr:i=x", b"method:INVITE callid:a"]
for i, p in enumerate(sips[:100]):
    open(os.path.join(work, "ui", "u%05d" % i), "wb").write(
        filters[i % len(filters)] + b"\n" + open(p, "rb").read())

# The SDP bodies of those SIP payloads, for fuzz_sdp.
for i, p in enumerate(sorted(glob.glob(os.path.join(work, "sip", "m*")))):
    body = open(p, "rb").read().split(b"\r\n\r\n", 1)
    if len(body) == 2 and body[1].startswith(b"v=0"):
        open(os.path.join(work, "sdp", "s%05d" % i), "wb").write(body[1])

# Records for fuzz_media: [selector][length][bytes] (see fuzz_media.c).
def rec(sel, b):
    return bytes([sel]) + struct.pack(">H", len(b)) + b
def rtp(seq, ts, ssrc, pt=0, n=160):
    return struct.pack(">BBHII", 0x80, pt, seq & 0xffff, ts & 0xffffffff, ssrc) + b"\xff" * n
def rtcp(pt, count, body):
    return struct.pack(">BBH", 0x80 | count, pt, (len(body) + 4) // 4 - 1) + body
block = struct.pack(">IIIIII", 0x11, (5 << 24) | 3, 1049, 80, 0x33445566, 32768)
sr = rtcp(200, 1, struct.pack(">IIIIII", 0x22, 0x11223344, 0x55660000, 8000, 50, 8000) + block)
rr = rtcp(201, 1, struct.pack(">I", 0x22) + block)
xr = rtcp(207, 0, struct.pack(">I", 0x22) + struct.pack(">BBHI", 7, 0, 8, 0x11) + bytes(28))
ev = struct.pack(">BBH", 1, 0x8a, 480)
seeds = {
    "rtp": b"".join(rec(0x88, rtp(i, i * 160, 0x11)) for i in range(40)),
    "two-way": b"".join(rec(0x88, rtp(i, i * 160, 0x11)) + rec(0x82, rtp(900 + i, i * 160, 0x22))
                        for i in range(30)) + rec(0x87, sr) + rec(0x8d, rr + xr),
    "announced": rec(0x30 | 0x8, b"x") + b"".join(rec(0x88, rtp(i, i * 160, 0x11, 101 if i % 10 == 5 else 0,
                                                           4 if i % 10 == 5 else 160)) for i in range(30)),
    "dtmf": rec(0x38, b"x") + b"".join(rec(0x88, rtp(i, 8000, 0x11, 101, 4)[:-4] + ev) for i in range(6)),
    "churn": b"".join(rec(0x88 | (i & 3), rtp(i * 7919, i, 0x1000 + i)) for i in range(60)),
    "wrap": b"".join(rec(0x88, rtp(65500 + i, i * 160, 0x11)) for i in range(80)),
}
for name, data in seeds.items():
    open(os.path.join(work, "media", name), "wb").write(data)
PY

status=0
for t in $targets; do
	mkdir -p "$work/out-$t"
	if [ -n "$runs" ]; then limit="-runs=$runs"; else limit="-max_total_time=$secs"; fi
	if "$build/tests/fuzz/fuzz_$t" $limit -rss_limit_mb=2048 -max_len=70000 \
	    -close_fd_mask=2 -print_final_stats=1 \
	    -artifact_prefix="$work/out-$t/" "$work/$t" >"$work/log-$t" 2>&1; then
		result="no finding"
	else
		result="FINDING"
		status=1
		tail -n 40 "$work/log-$t"
		for a in "$work/out-$t"/*; do
			[ -f "$a" ] && cp "$a" "$build/fuzz-artifact-$t-$(basename "$a")" &&
			    echo "artifact kept: $build/fuzz-artifact-$t-$(basename "$a")"
		done
	fi
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log-$t" |
	    grep -o '[0-9]*$' || true)
	[ -n "$execs" ] || execs=$(grep -Eo '#[0-9]+' "$work/log-$t" | tail -n 1 | tr -d '#')
	echo "fuzz_$t: ${execs:-?} executions, $result"
done
exit $status
