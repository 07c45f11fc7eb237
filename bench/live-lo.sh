#!/bin/sh
# bench/live-lo.sh: live capture on the loopback interface, loss against
# rate.
#
#   bench/live-lo.sh [-p rate[,rate...]] [-t seconds] [-a "sipwatch options"]
#                    [-n niceness] [-R] [-M [-l loss]]
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
#
# With -M the traffic is media (issue 16): bench/rtpgen -L writes rate/100
# concurrent G.711 calls (SIP with SDP, then 50 RTP packets/s each way and
# an RTCP report every 5 s) of the given time, every address in
# 127.0.0.0/8, each RTP packet dropped with probability -l (default
# 0.01, so that the loss figure has something to count); the rate is
# packets per second (default 100,000).  sipwatch reads the file first
# (-r) for the file's own figures, then captures lo with the filter
# 'udp and net 127.1.0.0/16' (the phones' addresses: other UDP on lo is
# not counted) while tcpreplay sends the file.  The line gives the
# kernel drops and, live against file, the RTP streams, RTP packets and
# packets lost (summed over the streams both reports list, at most 1,000:
# compared stream by stream): "equal" when all match with no drop.
# Needs root, tcpreplay and python3.  Nothing leaves the loopback
# interface.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SIPWATCH=${SIPWATCH:-$top/sipwatch}
RTPGEN=${RTPGEN:-$top/bench/rtpgen}
rates='' secs=60 args='' prio=0 rt='' media='' loss=0.01
while getopts "a:l:Mn:p:Rt:" opt; do
	case $opt in
	a) args=$OPTARG ;;
	l) loss=$OPTARG ;;
	M) media=1 ;;
	n) prio=$OPTARG ;;
	R) rt="chrt -f 10" ;;
	p) rates=$OPTARG ;;
	t) secs=$OPTARG ;;
	*) echo "usage: $0 [-p rate[,rate...]] [-t seconds] [-a options]" \
	       "[-n niceness] [-R] [-M [-l loss]]"
	   exit 1 ;;
	esac
done
[ -n "$rates" ] || rates=${media:+100000}
[ -n "$rates" ] || rates=50000
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

# replay FILTER: sipwatch captures lo with FILTER (report in
# $tmp/report.json) while tcpreplay sends $tmp/lo.pcap at $pps packets/s;
# sets sent (what reached lo: tcpreplay's attempts less its failed sends)
# and bd (lo's own backlog drops meanwhile).
replay() {
	# shellcheck disable=SC2086 # ARGS are words for sipwatch
	# shellcheck disable=SC2086 # RT is a command prefix or nothing
	nice -n "$prio" $rt "$SIPWATCH" -i lo -N --report=json $args "$1" \
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
	sent=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$tmp/tcpreplay.out")
	failed=$(sed -n 's/^[[:space:]]*Failed packets:[[:space:]]*\([0-9]*\).*/\1/p' \
	    "$tmp/tcpreplay.out")
	sent=$((${sent:-0} - ${failed:-0}))
}

if [ -n "$media" ]; then
	printf "%8s %5s %8s %8s %7s %8s %13s %17s %13s %7s  %s\n" pkt/s calls \
	    sent captured k_drops lo_drops "streams l/f" "rtp_pkts live/file" \
	    "lost l/f" cap_cpu result
	for pps in $(echo "$rates" | tr ',' ' '); do
		calls=$((pps / 100))
		if [ "$calls" -lt 1 ] || [ "$calls" -gt 20000 ]; then
			echo "$0: -M needs 100 to 2,000,000 packets/s"
			exit 1
		fi
		"$RTPGEN" -L -s 7 -l "$loss" -c "$calls" -d "$secs" \
		    -o "$tmp/lo.pcap" 2>"$tmp/gen"
		"$SIPWATCH" -r "$tmp/lo.pcap" -N --report=json >"$tmp/file.json" \
		    2>/dev/null
		replay 'udp and net 127.1.0.0/16'
		python3 - "$tmp/report.json" "$tmp/file.json" "$pps" "$calls" \
		    "$sent" "$bd" <<'PY'
import json, sys
live, ref = (json.load(open(f)) for f in sys.argv[1:3])
pps, calls, sent, bd = (int(x) for x in sys.argv[3:7])
lm, fm = live["media"], ref["media"]
# The report lists at most 1,000 streams: loss is compared on the
# streams both list (by source, destination and SSRC), stream by stream.
key = lambda s: (s["src"], s["dst"], s["ssrc"])
ls = {key(s): s for s in lm["streams"]}
fs = {key(s): s for s in fm["streams"]}
both = [k for k in fs if k in ls]
ll = sum(max(ls[k]["lost"], 0) for k in both)
fl = sum(max(fs[k]["lost"], 0) for k in both)
differ = sum(1 for k in both if ls[k]["lost"] != fs[k]["lost"] or
             ls[k]["packets"] != fs[k]["packets"])
c = live["capture"]
equal = (lm["streams_total"] == fm["streams_total"] and
         lm["rtp_packets"] == fm["rtp_packets"] and differ == 0 and
         c["kernel_drops"] == 0)
print("%8d %5d %8d %8d %7d %8d %6d/%-6d %8d/%-8d %6d/%-6d %6.1fs  %s" % (
      pps, calls, sent, c["packets"], c["kernel_drops"], bd,
      lm["streams_total"], fm["streams_total"], lm["rtp_packets"],
      fm["rtp_packets"], ll, fl,
      live["performance"]["capture_thread_cpu_s"],
      "equal" if equal else "DIFFERENT"))
print("%8s lost: over the %d streams both reports list; %d of them differ"
      " (packets or lost)" % ("", len(both), differ))
PY
		rm -f "$tmp/lo.pcap"
	done
	echo "after: $(uptime | sed 's/.*\(load.*\)/\1/')"
	exit 0
fi

printf "%8s %9s %9s %9s %8s %8s %8s %7s %7s  %s\n" rate/s sent captured \
    counted lost k_drops lo_drops cap_cpu par_cpu result
for pps in $(echo "$rates" | tr ',' ' '); do
	n=$((pps * secs))
	"$top/bench/sipgen" -L -s 7 -n "$n" -o "$tmp/lo.pcap" 2>/dev/null
	replay 'udp port 5060'
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
