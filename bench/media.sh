#!/bin/sh
# bench/media.sh: sipwatch's media analysis against its peers on the same
# capture, and its memory with many concurrent streams.
#
#   bench/media.sh [-c calls] [-d seconds] [-r runs] [-m calls_for_memory]
#       [-t sngrep_timeout]
#
# 1. bench/rtpgen writes C concurrent G.711 calls (default 2,000) of D
#    seconds (default 20): 50 RTP packets/s each way, an RTCP SR every 5 s
#    each way, SIP set-up and tear-down with SDP.
# 2. bench/media-path times, in memory, the libpcap read loop alone and
#    the media path alone (media_packet() on every non-SIP UDP payload).
# 3. sipwatch (full analysis, report) and tshark -q -z rtp,streams (with
#    rtp.heuristic_rtp, as the oracle test runs it) each run R times on
#    the file: best wall time, its user+system CPU and peak RSS
#    (/usr/bin/time).  sngrep -N -q (which follows the calls' RTP from
#    their SDP) runs once, stopped after T seconds (default 900): it
#    handles a few hundred thousand packets a minute here.
# 4. sipwatch's peak RSS on M calls (default 10,000: 20,000 streams at
#    once) for 3 s.
# No assertion: the figures are for doc/PERFORMANCE.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SIPWATCH=${SIPWATCH:-$top/sipwatch}
RTPGEN=${RTPGEN:-$top/bench/rtpgen}
MEDIAPATH=${MEDIAPATH:-$top/bench/media-path}
calls=2000 secs=20 runs=3 mem=10000 limit=900
while getopts "c:d:m:r:t:" opt; do
	case $opt in
	c) calls=$OPTARG ;;
	d) secs=$OPTARG ;;
	m) mem=$OPTARG ;;
	r) runs=$OPTARG ;;
	t) limit=$OPTARG ;;
	*) echo "usage: $0 [-c calls] [-d seconds] [-r runs] [-m calls] [-t s]"; exit 1 ;;
	esac
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file=$tmp/media.pcap
"$RTPGEN" -c "$calls" -d "$secs" -o "$file" 2>"$tmp/gen"
rtp=$("$SIPWATCH" -r "$file" -N --report=json | python3 -c \
    'import json,sys; m=json.load(sys.stdin)["media"]; print(m["rtp_packets"], m["streams_total"])')
set -- $rtp
rtp=$1 streams=$2
echo "capture: $calls calls x $secs s, $(du -h "$file" | cut -f1), $(cat "$tmp/gen" | sed 's/^rtpgen: //')"
echo "sipwatch found $streams RTP streams, $rtp RTP packets; $(nproc) CPUs"
echo
"$MEDIAPATH" -r "$runs" "$file"
echo

# measure NAME CMD...: best wall time over $runs runs, with its CPU and RSS.
measure() {
	name=$1; shift
	best=
	for i in $(seq "$runs"); do
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" >"$tmp/out" \
		    2>"$tmp/err" || { echo "$name: failed: $(tail -n 3 "$tmp/err")"; return 0; }
		read -r wall user sys rss <"$tmp/t"
		if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then
			best=$wall bestcpu=$(awk "BEGIN{print $user + $sys}") bestrss=$rss
		fi
	done
	printf "%-34s %8.2f s %8.2f s %8.2f M RTP pkt/s %8.1f MB\n" "$name" \
	    "$best" "$bestcpu" "$(awk "BEGIN{print $rtp / ($best > 0 ? $best : 0.001) / 1e6}")" \
	    "$(awk "BEGIN{print $bestrss / 1024}")"
	echo "$name $best" >>"$tmp/results"
}

printf "%-34s %10s %10s %21s %11s\n" tool wall CPU rate "peak RSS"
measure "sipwatch (SIP + media)" "$SIPWATCH" -r "$file" -N --report=json
if command -v tshark >/dev/null; then
	measure "tshark -q -z rtp,streams" tshark -n -q -o rtp.heuristic_rtp:TRUE \
	    -z rtp,streams -r "$file"
	grep -c 0x "$tmp/out" | sed 's/^/  tshark streams: /'
fi
if command -v sngrep >/dev/null; then
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" timeout "$limit" sngrep -N -q \
	    -l $((calls + 1000)) -I "$file" >/dev/null 2>&1 && st=0 || st=$?
	read -r wall user sys rss <"$tmp/t" || true
	if [ "$st" = 124 ]; then
		printf "%-34s did not finish in %s s (%.1f s of CPU, %.1f MB)\n" \
		    "sngrep -N -q" "$limit" "$(awk "BEGIN{print $user + $sys}")" \
		    "$(awk "BEGIN{print $rss / 1024}")"
	else
		printf "%-34s %8.2f s %8.2f s %8.2f M RTP pkt/s %8.1f MB\n" \
		    "sngrep -N -q" "$wall" "$(awk "BEGIN{print $user + $sys}")" \
		    "$(awk "BEGIN{print $rtp / ($wall > 0 ? $wall : 0.001) / 1e6}")" \
		    "$(awk "BEGIN{print $rss / 1024}")"
		echo "sngrep $wall" >>"$tmp/results"
	fi
fi
echo
best=$(grep '^sipwatch' "$tmp/results" | awk '{print $NF}')
for peer in tshark sngrep; do
	w=$(grep "^$peer" "$tmp/results" | awk '{print $NF}' || true)
	[ -n "$w" ] && awk "BEGIN{printf \"sipwatch is %.1fx faster than $peer (wall)\n\", $w / $best}"
done

# Memory with many concurrent streams.
echo
"$RTPGEN" -c "$mem" -d 3 -o "$tmp/mem.pcap" 2>/dev/null
rm -f "$file"
/usr/bin/time -f "%e %M" -o "$tmp/t" "$SIPWATCH" -r "$tmp/mem.pcap" -N \
    --report=json >"$tmp/mem.json"
read -r wall rss <"$tmp/t"
python3 - "$tmp/mem.json" "$rss" "$mem" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["media"]
print("%s calls for 3 s: %d streams, peak %d at once, %d evicted: "
      "sipwatch peak RSS %.1f MB" % (sys.argv[3], m["streams_total"],
      m["peak_streams"], m["evicted"], int(sys.argv[2]) / 1024))
PY
