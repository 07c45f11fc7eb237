#!/bin/sh
# bench/track-bound.sh: show that the tracker's memory stays bounded.
#
#   bench/track-bound.sh [-n calls]
#
# Runs bench/track-bound twice: with the default caps (what sipwatch uses
# out of the box) and with small caps, each for N synthetic calls (default
# 2 million, about 10 million messages) at 20000 calls/s of packet time,
# so that every table fills and keeps evicting.  Each run prints the table
# sizes and the resident memory as it goes, and fails if a table exceeds
# its cap or memory keeps growing once the caps are reached.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BOUND=${BOUND:-$here/track-bound}
n=2000000
while getopts "n:" opt; do
	case $opt in
	n) n=$OPTARG ;;
	*) echo "usage: $0 [-n calls]"; exit 1 ;;
	esac
done
[ -x "$BOUND" ] || { echo "build it first: make bench/track-bound"; exit 1; }
echo "== default caps (65536 transactions, 32768 Call-IDs, 8192 per peer table)"
"$BOUND" -n "$n"
echo
echo "== small caps (4096 transactions, 2048 Call-IDs, 512 per peer table)"
"$BOUND" -n "$n" -t 4096 -d 2048 -p 512
