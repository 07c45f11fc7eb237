#!/bin/sh
# bench/live-lo.sh: live capture on the loopback interface, loss against
# rate.
#
#   bench/live-lo.sh [-p rate[,rate...]] [-t seconds] [-a "sipwatch options"]
#
# bench/sipgen -L writes realistic SIP traffic whose addresses are all in
# 127.0.0.0/8 (one message per packet, 490 bytes on average); for each
# rate (default 50,000 SIP messages/s) tcpreplay sends it onto lo for the
# given time (default 60 s) while sipwatch captures lo with its defaults,
# or with the options given by -a (e.g. -a "-B 2" for a 2 MiB ring).
# Prints one line per rate: what tcpreplay sent, what sipwatch counted,
# the messages lost, the kernel's drop counter, the CPU seconds of
# sipwatch's capture thread and parse workers, then a verdict; and the
# load average before and after (other work on the machine shows there).
# Needs root, tcpreplay and python3.  Nothing leaves the loopback
# interface.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SIPWATCH=${SIPWATCH:-$top/sipwatch}
rates=50000 secs=60 args=
while getopts "a:p:t:" opt; do
	case $opt in
	a) args=$OPTARG ;;
	p) rates=$OPTARG ;;
	t) secs=$OPTARG ;;
	*) echo "usage: $0 [-p rate[,rate...]] [-t seconds] [-a options]"
	   exit 1 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "$0: live capture needs root"; exit 1; }
command -v tcpreplay >/dev/null || { echo "$0: tcpreplay needed"; exit 1; }
tmp=$(mktemp -d)
spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT

echo "sipwatch -i lo ${args:-(defaults)}, ${secs} s per rate; $(uptime | sed 's/.*\(load.*\)/\1/')"
printf "%8s %9s %9s %8s %8s %7s %7s  %s\n" rate/s sent counted lost \
    k_drops cap_cpu par_cpu result
for pps in $(echo "$rates" | tr ',' ' '); do
	n=$((pps * secs))
	"$top/bench/sipgen" -L -s 7 -n "$n" -o "$tmp/lo.pcap" 2>/dev/null
	# shellcheck disable=SC2086 # ARGS are words for sipwatch
	"$SIPWATCH" -i lo -N --report=json $args 'udp port 5060' \
	    >"$tmp/report.json" 2>"$tmp/err" &
	spid=$!
	until grep -q "listening on lo" "$tmp/err" 2>/dev/null; do sleep 0.1; done
	tcpreplay -q -i lo --pps="$pps" "$tmp/lo.pcap" \
	    >"$tmp/tcpreplay.out" 2>&1
	sleep 2
	kill -INT "$spid"
	wait "$spid"
	spid=
	sent=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$tmp/tcpreplay.out")
	python3 - "$tmp/report.json" "$pps" "${sent:-0}" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
pps, sent = int(sys.argv[2]), int(sys.argv[3])
c, s = r["capture"], r["sip"]
lost = sent - s["messages"]
p = r["performance"]
print("%8d %9d %9d %8d %8d %6.1fs %6.1fs  %s" % (pps, sent, s["messages"],
      lost, c["kernel_drops"], p["capture_thread_cpu_s"], p["parse_cpu_s"],
      "no loss" if lost == 0 and c["kernel_drops"] == 0
      else "LOSS %.2f %%" % (100.0 * lost / max(sent, 1))))
if "kernel_drops_note" in c:
    print("%8s note: %s" % ("", c["kernel_drops_note"]))
PY
	rm -f "$tmp/lo.pcap"
done
echo "after: $(uptime | sed 's/.*\(load.*\)/\1/')"
