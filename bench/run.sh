#!/bin/sh
# bench/run.sh: sipwatch against its peers on the same capture.
#
#   bench/run.sh [-n messages] [-r runs] [-s seed] [-f capture]
#
# Generates a capture of realistic SIP traffic with bench/sipgen (or uses
# -f), then runs, several times each: sipwatch (full analysis, one line per
# thread count), sngrep 1.6 (-N -q with a dialog limit above the capture's,
# -I), and tshark (-q -z sip,stat), when installed.  Prints wall time, SIP
# messages/s and peak RSS (/usr/bin/time), the best run of each, and the
# ratios.  No assertion: the figures are for doc/PERFORMANCE.md.
set -eu
n=400000
. "$(dirname "$0")/lib.sh"

# measure NAME CMD...: best wall time and its peak RSS over $runs runs.
measure() {
	name=$1; shift
	best=
	for i in $(seq "$runs"); do
		/usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" ||
		    { echo "$name: failed: $(tail -n 3 "$tmp/err")"; return 0; }
		read -r wall rss <"$tmp/t"
		if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then
			best=$wall bestrss=$rss
		fi
	done
	rate=$(awk "BEGIN{printf \"%.0f\", $msgs / ($best > 0 ? $best : 0.001)}")
	printf "%-28s %8.2f s %10s msg/s %8.1f MB\n" "$name" "$best" "$rate" \
	    "$(awk "BEGIN{print $bestrss / 1024}")"
	echo "$name $best" >>"$tmp/results"
}

printf "%-28s %10s %16s %11s\n" tool wall rate "peak RSS"
for t in $(printf "0\n1\n2\n%s\n" "$(nproc)" | sort -un); do
	measure "sipwatch --threads=$t" "$SIPWATCH" -r "$file" -N --report=json \
	    --threads="$t"
done
if command -v sngrep >/dev/null; then
	measure "sngrep -N -q" sngrep -N -q -l $((msgs + 1000)) -I "$file"
fi
if command -v tshark >/dev/null; then
	measure "tshark -q -z sip,stat" tshark -n -q -z sip,stat -r "$file"
fi
echo
best=$(grep '^sipwatch' "$tmp/results" | awk '{print $NF}' | sort -n | head -n 1)
for peer in sngrep tshark; do
	w=$(grep "^$peer" "$tmp/results" | awk '{print $NF}')
	[ -n "$w" ] && awk "BEGIN{printf \"sipwatch is %.1fx faster than $peer\n\", $w / $best}"
done
