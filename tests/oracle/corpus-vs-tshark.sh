#!/bin/sh
# Every capture of the shared corpus (real captures from public projects):
# sipwatch's SIP counts must equal Wireshark's (`tshark -z sip,stat`, stored
# beside each capture).  Captures whose SIP travels in ways not decoded yet
# are listed in corpus-known-gaps.txt with the reason; they must still
# differ (a gap that closes must be removed from the list).
. "$(dirname "$0")/../lib.sh"

corpus=$(corpus_dir) || skip "shared corpus not found (set SIPWATCH_CORPUS)"
gaps="$top_srcdir/tests/oracle/corpus-known-gaps.txt"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT

pass=0 failed=0 gapcount=0
for f in "$corpus"/pcaps/*; do
	b=$(basename "$f")
	oracle="$corpus/oracle/$b.sipstat.txt"
	[ -f "$oracle" ] || continue
	if ! "$SIPWATCH" -r "$f" -N --report=json >"$tmp/r.json" 2>"$tmp/err"; then
		echo "FAIL $b: sipwatch exited $?"; cat "$tmp/err"
		failed=$((failed + 1)); continue
	fi
	if python3 "$top_srcdir/tests/oracle/sipstat.py" "$oracle" \
	    "$tmp/r.json" >"$tmp/diff"; then
		result=same
	else
		result=differ
	fi
	if grep -q "^$b	" "$gaps"; then
		gapcount=$((gapcount + 1))
		if [ "$result" = same ]; then
			echo "FAIL $b: listed as a known gap but now matches tshark; remove it from $gaps"
			failed=$((failed + 1))
		else
			echo "gap  $b: $(grep "^$b	" "$gaps" | cut -f2)"
		fi
		continue
	fi
	if [ "$result" = same ]; then
		pass=$((pass + 1))
		grep -q "(info)" "$tmp/diff" && echo "ok   $b$(sed 's/^ */ /' "$tmp/diff")"
	else
		echo "FAIL $b:"; cat "$tmp/diff"
		failed=$((failed + 1))
	fi
done
echo "corpus: $pass captures equal to tshark, $gapcount known gaps, $failed failures"
[ "$failed" -eq 0 ] && [ "$pass" -gt 0 ] || exit 1
