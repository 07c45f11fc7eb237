#!/bin/sh
# RTP streams against Wireshark's: for every capture of pcaps/ and of the
# shared corpus, each stream (source, destination, SSRC) sipwatch reports
# must be one `tshark -q -z rtp,streams -o rtp.heuristic_rtp:TRUE` reports
# and the other way round, with the same packets and lost, and max jitter
# within 0.5 ms or 5 % (tests/oracle/rtpstreams.py).  The corpus keeps
# tshark's reading in oracle/*.rtpstreams.txt; for the other captures it is
# computed here.  Every difference that cannot be removed is listed, with
# its reason, in rtp-known-gaps.txt, and must still occur.
. "$(dirname "$0")/../lib.sh"

gaps="$top_srcdir/tests/oracle/rtp-known-gaps.txt"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
corpus=$(corpus_dir) || corpus=""
have_tshark=0
command -v tshark >/dev/null 2>&1 && have_tshark=1
[ -n "$corpus" ] || [ "$have_tshark" = 1 ] ||
    skip "neither the shared corpus nor tshark is available"

n=0 failed=0 withrtp=0 notcompared=0
# compare NAME CAPTURE [ORACLE]: one capture; ORACLE or tshark's now.
compare() {
	name=$1 file=$2 oracle=$3
	if [ -z "$oracle" ]; then
		if [ "$have_tshark" = 0 ]; then
			notcompared=$((notcompared + 1))
			return
		fi
		tshark -n -r "$file" -o rtp.heuristic_rtp:TRUE -q \
		    -z rtp,streams >"$tmp/ts" 2>/dev/null ||
		    { echo "FAIL $name: tshark failed"; failed=$((failed + 1)); return; }
		oracle=$tmp/ts
	fi
	if ! "$SIPWATCH" -r "$file" -N --report=json >"$tmp/r.json" \
	    2>"$tmp/err"; then
		echo "FAIL $name: sipwatch exited $?"; cat "$tmp/err"
		failed=$((failed + 1)); return
	fi
	n=$((n + 1))
	python3 "$top_srcdir/tests/oracle/rtpstreams.py" "$oracle" \
	    "$tmp/r.json" "$name" "$gaps" >"$tmp/out"
	st=$?
	if grep -q "streams by tshark" "$tmp/out" &&
	    ! grep -q "0 streams by tshark, 0 by sipwatch" "$tmp/out"; then
		withrtp=$((withrtp + 1))
		echo "$name:"
		cat "$tmp/out"
	fi
	[ "$st" = 0 ] || failed=$((failed + 1))
}

if [ "$have_tshark" = 1 ]; then
	for f in "$top_srcdir"/pcaps/*.pcap "$top_srcdir"/pcaps/*.pcapng; do
		[ -f "$f" ] || continue
		compare "$(basename "$f")" "$f" ""
	done
fi
if [ -n "$corpus" ]; then
	# Captures libpcap cannot read are left out (MANIFEST libpcap_read).
	tr -d '\r' <"$corpus/MANIFEST.tsv" >"$tmp/manifest.tsv"
	col=$(head -n 1 "$tmp/manifest.tsv" | tr '\t' '\n' |
	    grep -n '^libpcap_read$' | cut -d: -f1)
	[ -n "$col" ] || hard_error "MANIFEST.tsv has no libpcap_read column"
	tail -n +2 "$tmp/manifest.tsv" | cut -f1,"$col" >"$tmp/manifest"
	while IFS='	' read -r b readable; do
		case "$readable" in OK*) ;; *) continue ;; esac
		o="$corpus/oracle/$b.rtpstreams.txt"
		[ -f "$o" ] || o=""
		compare "$b" "$corpus/pcaps/$b" "$o"
	done <"$tmp/manifest"
fi
echo "rtp: $n captures compared ($withrtp with RTP streams), $notcompared" \
    "not compared (no tshark), $failed failures"
[ "$failed" -eq 0 ] && [ "$n" -gt 0 ] || exit 1
