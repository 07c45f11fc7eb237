#!/bin/sh
# bench/live-lo.sh: live capture on the loopback interface at a fixed rate.
#
#   bench/live-lo.sh [-p packets_per_s] [-t seconds]
#
# bench/sipgen -L writes realistic SIP traffic whose addresses are all in
# 127.0.0.0/8; tcpreplay sends it onto lo at the given rate (default 50,000
# SIP messages/s for 60 s) while sipwatch captures lo.  Prints what was
# sent, what sipwatch counted, and the kernel's and sipwatch's drops.
# Needs root, tcpreplay and python3.  Nothing leaves the loopback interface.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SIPWATCH=${SIPWATCH:-$top/sipwatch}
pps=50000 secs=60
while getopts "p:t:" opt; do
	case $opt in
	p) pps=$OPTARG ;;
	t) secs=$OPTARG ;;
	*) echo "usage: $0 [-p packets_per_s] [-t seconds]"; exit 1 ;;
	esac
done
n=$((pps * secs))
tmp=$(mktemp -d)
trap 'kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$top/bench/sipgen" -L -s 7 -n "$n" -o "$tmp/lo.pcap"

"$SIPWATCH" -i lo -N --report=json -B 64 'udp port 5060' \
    >"$tmp/report.json" 2>"$tmp/err" &
spid=$!
until grep -q "listening on lo" "$tmp/err"; do sleep 0.1; done
tcpreplay -q -i lo --pps="$pps" "$tmp/lo.pcap" >"$tmp/tcpreplay.out" 2>&1
sleep 2
kill -INT "$spid"
wait "$spid"
spid=
grep -E "Actual|Rated|Failed" "$tmp/tcpreplay.out" || cat "$tmp/tcpreplay.out"
python3 - "$tmp/report.json" "$n" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
sent = int(sys.argv[2])
c, s = r["capture"], r["sip"]
print("sent %d SIP messages; sipwatch counted %d messages in %d packets"
      % (sent, s["messages"], c["packets"]))
print("kernel drops %d, interface drops %d, parse errors %d, decode errors %d"
      % (c["kernel_drops"], c["if_drops"], c["parse_errors"], c["decode_errors"]))
print("capture thread CPU %.2f s, parse CPU %.2f s, wall %.1f s"
      % (r["performance"]["capture_thread_cpu_s"],
         r["performance"]["parse_cpu_s"], r["performance"]["wall_s"]))
print("RESULT: %s" % ("no loss" if s["messages"] == sent and c["kernel_drops"] == 0
                       else "LOSS: %d missing" % (sent - s["messages"])))
PY
