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
# the messages lost and the kernel's drop counter, then a verdict.
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

echo "sipwatch -i lo ${args:-(defaults)}, ${secs} s per rate"
printf "%10s %10s %10s %10s %12s  %s\n" rate/s sent counted lost \
    kernel_drops result
for pps in $(echo "$rates" | tr ',' ' '); do
	n=$((pps * secs))
	"$top/bench/sipgen" -L -s 7 -n "$n" -o "$tmp/lo.pcap" 2>/dev/null
	# shellcheck disable=SC2086 # ARGS are words for sipwatch
	"$SIPWATCH" -i lo -N --report=json $args 'udp port 5060' \
	    >"$tmp/report.json" 2>"$tmp/err" &
	spid=$!
	until grep -q "listening on lo" "$tmp/err"; do sleep 0.1; done
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
print("%10d %10d %10d %10d %12d  %s" % (pps, sent, s["messages"], lost,
      c["kernel_drops"], "no loss" if lost == 0 and c["kernel_drops"] == 0
      else "LOSS %.2f %%" % (100.0 * lost / max(sent, 1))))
if "kernel_drops_note" in c:
    print("%10s note: %s" % ("", c["kernel_drops_note"]))
PY
	rm -f "$tmp/lo.pcap"
done
