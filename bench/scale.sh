#!/bin/sh
# bench/scale.sh: how sipwatch scales with parse threads.
#
#   bench/scale.sh [-n messages] [-f capture] [-m max_cores]
#
# Measures, on this machine, wall time and per-message CPU of the two
# stages (the capture thread: read, decode, track, rules; the parse
# workers: osip2) for --threads=0..N where N is the CPU count.  It then
# projects the throughput on a host with more cores from those per-stage
# costs: with W workers on W+1 cores the rate is bounded by the serial
# capture thread (1 / capture cost) and by the workers (W / parse cost).
# The projection is labelled as such; only the measured rows were run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SIPWATCH=${SIPWATCH:-$top/sipwatch}
n=400000 file= max=16
while getopts "f:m:n:" opt; do
	case $opt in
	f) file=$OPTARG ;;
	m) max=$OPTARG ;;
	n) n=$OPTARG ;;
	*) echo "usage: $0 [-n messages] [-f capture] [-m max_cores]"; exit 1 ;;
	esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$file" ]; then
	file=$tmp/scale.pcap
	"$top/bench/sipgen" -s 1 -n "$n" -o "$file" 2>/dev/null
fi
cores=$(nproc)
echo "capture $file; $cores CPUs here"
printf "%-10s %8s %12s %14s %14s\n" threads wall "msg/s" "capture us/msg" "parse us/msg"
best_cap=
for t in $(seq 0 "$cores"); do
	"$SIPWATCH" -r "$file" -N --report=json --alerts=/dev/null \
	    --threads="$t" | tail -n 1 >"$tmp/r$t.json"
	python3 - "$tmp/r$t.json" "$t" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p, m = r["performance"], r["sip"]["messages"]
print("%-10s %7.2fs %12.0f %14.2f %14.2f" % (sys.argv[2], p["wall_s"], m / p["wall_s"],
      1e6 * p["capture_thread_cpu_s"] / m,
      1e6 * (p["parse_cpu_s"] if p["parse_cpu_s"] > 0 else 0) / m))
PY
done
# Costs from the run with the most workers (no inline parsing).
python3 - "$tmp/r$cores.json" "$max" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p, m = r["performance"], r["sip"]["messages"]
cap = p["capture_thread_cpu_s"] / m
par = p["parse_cpu_s"] / m
print()
print("projection from these per-message costs (not measured here):")
print("%-8s %-8s %12s  %s" % ("cores", "workers", "msg/s", "bound by"))
for cores in (2, 4, 8, 16, 32):
    if cores > int(sys.argv[2]) * 2:
        break
    w = cores - 1
    rate_cap, rate_par = 1 / cap, w / par
    print("%-8d %-8d %12.0f  %s" % (cores, w, min(rate_cap, rate_par),
          "capture thread" if rate_cap < rate_par else "parse workers"))
PY
