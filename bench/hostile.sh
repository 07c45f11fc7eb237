#!/bin/sh
# bench/hostile.sh: what a remote, unauthenticated sender can make a SIP
# message cost sipwatch (issue 20 items 1 and 2; doc/SECURITY.md).
#
#   bench/hostile.sh [-n messages] [-x N] [-r rounds]
#
# 1. Per message: bench/parse-cost parses normal traffic (bench/sipgen)
#    and 200 messages of each hostile kind of bench/sipgen -H (thousands
#    of tiny headers, a Via of thousands of parameters, a 64 KB body, a
#    message just within the work bounds), as the parse workers do, and
#    prints the CPU time per message and per byte, and the ratio to
#    normal traffic.
# 2. Beside normal traffic: sipwatch reads -n messages of normal traffic,
#    then the same with one message in -x (default 100) replaced by each
#    hostile kind, and prints messages/s, the CPU time of the capture
#    thread and of the parse workers (which, unlike the rate, hold on a
#    machine doing other work) and the peak RSS of each run (best of 3).
# No assertion: the figures are for doc/SECURITY.md and doc/PERFORMANCE.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SIPWATCH=${SIPWATCH:-$top/sipwatch}
SIPGEN=${SIPGEN:-$top/bench/sipgen}
COST=${COST:-$top/bench/parse-cost}
n=200000 every=100 rounds=20
while getopts "n:r:x:" opt; do
	case $opt in
	n) n=$OPTARG ;;
	r) rounds=$OPTARG ;;
	x) every=$OPTARG ;;
	*) echo "usage: $0 [-n messages] [-x N] [-r rounds]"; exit 1 ;;
	esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kinds="headers params large bounds"

echo "Per message (bench/parse-cost, $rounds rounds, one core):"
"$SIPGEN" -s 1 -n 20000 -o "$tmp/normal.pcap" 2>/dev/null
"$COST" -r "$rounds" "$tmp/normal.pcap" | sed 's/^/  normal   /' |
    tee "$tmp/cost-normal"
for k in $kinds; do
	"$SIPGEN" -s 1 -H "$k" -x 1 -n 200 -o "$tmp/$k.pcap" 2>/dev/null
	"$COST" -r "$rounds" "$tmp/$k.pcap" | sed "s/^/  $(printf %-8s "$k") /" |
	    tee "$tmp/cost-$k"
done
awk '
FNR == 1 {
	k = $1
	for (i = 1; i <= NF; i++) {
		if ($i == "us/message") us[k] = $(i - 1)
		if ($i == "ns/byte;") nb[k] = $(i - 1)
	}
	order[++n] = k
}
END {
	for (i = 2; i <= n; i++)
		printf("  %-8s %6.1fx a normal message, %5.2fx per byte\n",
		    order[i], us[order[i]] / us["normal"],
		    nb[order[i]] / nb["normal"])
}' "$tmp/cost-normal" $(for k in $kinds; do echo "$tmp/cost-$k"; done)

# measure NAME FILE: best of 3 runs: msg/s, parse CPU, peak RSS.
measure() {
	best=
	for i in 1 2 3; do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f "%M" -o "$tmp/rss" "$SIPWATCH" -r "$2" -N \
			    --report=json --alerts=/dev/null >"$tmp/r.json"
		else
			"$SIPWATCH" -r "$2" -N --report=json --alerts=/dev/null \
			    >"$tmp/r.json"
			echo 0 >"$tmp/rss"
		fi
		set -- "$1" "$2" $(python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
p = r["performance"]
print("%.0f %.3f %.3f %d" % (p["messages_per_s"], p["capture_thread_cpu_s"],
      p["parse_cpu_s"], r["sip"]["messages"]))' "$tmp/r.json")
		if [ -z "$best" ] || [ "$3" -gt "$best" ]; then
			best=$3 ccpu=$4 cpu=$5 msgs=$6 rss=$(cat "$tmp/rss")
		fi
		set -- "$1" "$2"
	done
	printf "  %-20s %7d msg/s  CPU: capture %6.3f s, parse %6.3f s  peak RSS %5.1f MB  (%d messages)\n" \
	    "$1" "$best" "$ccpu" "$cpu" "$(awk "BEGIN{print $rss / 1024}")" "$msgs"
}

echo
echo "Beside normal traffic ($n messages, one in $every hostile; $(nproc) CPUs):"
"$SIPGEN" -s 2 -n "$n" -o "$tmp/mix-normal.pcap" 2>/dev/null
measure "normal" "$tmp/mix-normal.pcap"
for k in $kinds; do
	"$SIPGEN" -s 2 -H "$k" -x "$every" -n "$n" -o "$tmp/mix.pcap" 2>/dev/null
	measure "1/$every -H $k" "$tmp/mix.pcap"
	rm -f "$tmp/mix.pcap"
done
