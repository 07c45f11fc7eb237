#!/bin/sh
# bench/live-lo.sh: live capture on the loopback interface, loss against
# rate.
#
#   bench/live-lo.sh [-p rate[,rate...]] [-t seconds] [-a "sipwatch options"]
#                    [-n niceness] [-R]
#
# bench/sipgen -L writes realistic SIP traffic whose addresses are all in
# 127.0.0.0/8 (one message per packet, 490 bytes on average); for each
# rate (default 50,000 SIP messages/s) tcpreplay sends it onto lo for the
# given time (default 60 s) while sipwatch captures lo with its defaults,
# or with the options given by -a (e.g. -a "-B 2" for a 2 MiB ring).
# With -n, sipwatch and tcpreplay run at that niceness (e.g. -n -10: ahead
# of other work on a shared machine, to measure sipwatch rather than the
# machine's other load).  On a machine whose CPUs are shared between
# cgroups niceness is not enough: -R runs sipwatch with SCHED_FIFO
# priority 10 (chrt), so that the figures are sipwatch's own.
# Prints one line per rate: what tcpreplay sent, what sipwatch counted,
# the messages lost, the kernel's drop counter (the capture ring was
# full), the packets lo itself dropped before any capture saw them (its
# backlog, on a busy machine; they reached no socket either), the CPU
# seconds of
# sipwatch's capture thread and parse workers, then a verdict; and the
# load average before and after (other work on the machine shows there).
# Needs root, tcpreplay and python3.  Nothing leaves the loopback
# interface.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SIPWATCH=${SIPWATCH:-$top/sipwatch}
rates=50000 secs=60 args= prio=0 rt=
while getopts "a:n:p:Rt:" opt; do
	case $opt in
	a) args=$OPTARG ;;
	n) prio=$OPTARG ;;
	R) rt="chrt -f 10" ;;
	p) rates=$OPTARG ;;
	t) secs=$OPTARG ;;
	*) echo "usage: $0 [-p rate[,rate...]] [-t seconds] [-a options]" \
	       "[-n niceness] [-R]"
	   exit 1 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "$0: live capture needs root"; exit 1; }
command -v tcpreplay >/dev/null || { echo "$0: tcpreplay needed"; exit 1; }
tmp=$(mktemp -d)
spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT

echo "sipwatch -i lo ${args:-(defaults)}, ${secs} s per rate, nice $prio${rt:+, $rt};" \
    "$(uptime | sed 's/.*\(load.*\)/\1/')"
# Packets the kernel dropped before any capture could see them (the
# per-CPU backlog of lo, netdev_max_backlog, full on a busy machine):
# /proc/net/softnet_stat, second column, summed over the CPUs.
backlog_drops() {
	n=0
	while read -r _ d _; do n=$((n + 0x$d)); done </proc/net/softnet_stat
	echo "$n"
}

printf "%8s %9s %9s %9s %8s %8s %8s %7s %7s  %s\n" rate/s sent captured \
    counted lost k_drops lo_drops cap_cpu par_cpu result
for pps in $(echo "$rates" | tr ',' ' '); do
	n=$((pps * secs))
	"$top/bench/sipgen" -L -s 7 -n "$n" -o "$tmp/lo.pcap" 2>/dev/null
	# shellcheck disable=SC2086 # ARGS are words for sipwatch
	# shellcheck disable=SC2086 # RT is a command prefix or nothing
	nice -n "$prio" $rt "$SIPWATCH" -i lo -N --report=json $args \
	    'udp port 5060' \
	    >"$tmp/report.json" 2>"$tmp/err" &
	spid=$!
	until grep -q "listening on lo" "$tmp/err" 2>/dev/null; do sleep 0.1; done
	bd0=$(backlog_drops)
	nice -n "$prio" tcpreplay -q -i lo --pps="$pps" "$tmp/lo.pcap" \
	    >"$tmp/tcpreplay.out" 2>&1
	sleep 2
	bd=$(($(backlog_drops) - bd0))
	kill -INT "$spid"
	wait "$spid"
	spid=
	# What reached lo: tcpreplay's attempts less its failed sends.
	sent=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$tmp/tcpreplay.out")
	failed=$(sed -n 's/^[[:space:]]*Failed packets:[[:space:]]*\([0-9]*\).*/\1/p' \
	    "$tmp/tcpreplay.out")
	sent=$((${sent:-0} - ${failed:-0}))
	python3 - "$tmp/report.json" "$pps" "$sent" "$bd" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
pps, sent, bd = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
c, s = r["capture"], r["sip"]
lost = sent - s["messages"]
p = r["performance"]
print("%8d %9d %9d %9d %8d %8d %8d %6.1fs %6.1fs  %s" % (pps, sent,
      c["packets"], s["messages"], lost, c["kernel_drops"], bd,
      p["capture_thread_cpu_s"],
      p["parse_cpu_s"],
      "no loss" if lost == 0 and c["kernel_drops"] == 0
      else "LOSS %.2f %%" % (100.0 * lost / max(sent, 1))))
if "kernel_drops_note" in c:
    print("%8s note: %s" % ("", c["kernel_drops_note"]))
PY
	rm -f "$tmp/lo.pcap"
done
echo "after: $(uptime | sed 's/.*\(load.*\)/\1/')"
