#!/bin/sh
# Every capture of the shared corpus (real captures from public projects):
# sipwatch's SIP counts must equal Wireshark's (`tshark -z sip,stat`, stored
# beside each capture).  Captures sipwatch cannot count like tshark are
# listed in corpus-known-gaps.txt with the reason: a file sipwatch refuses
# must still be refused (exit status 1, the expected error), a capture
# whose counts differ must still differ (a gap that closes must be removed
# from the list).
. "$(dirname "$0")/../lib.sh"

corpus=$(corpus_dir) || skip "shared corpus not found (set SIPWATCH_CORPUS)"
gaps="$top_srcdir/tests/oracle/corpus-known-gaps.txt"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT

pass=0 failed=0 gapcount=0
# Every gap listed names a capture of the corpus.
for b in $(grep -v '^#' "$gaps" | cut -f1); do
	if [ ! -f "$corpus/pcaps/$b" ]; then
		echo "FAIL $b: listed in $gaps but not in the corpus"
		failed=$((failed + 1))
	fi
done
for f in "$corpus"/pcaps/*; do
	b=$(basename "$f")
	oracle="$corpus/oracle/$b.sipstat.txt"
	gap=$(grep "^$b	" "$gaps" || true)
	kind=$(printf '%s\n' "$gap" | cut -f2)
	if [ "$kind" = refused ]; then
		text=$(printf '%s\n' "$gap" | cut -f3)
		reason=$(printf '%s\n' "$gap" | cut -f4)
		"$SIPWATCH" -r "$f" -N --report=json >"$tmp/r.json" 2>"$tmp/err"
		st=$?
		if [ "$st" -eq 1 ] && grep -qF -- "$text" "$tmp/err" &&
		    [ ! -s "$tmp/r.json" ]; then
			gapcount=$((gapcount + 1))
			echo "gap  $b: refused with exit status 1 ($reason)"
		else
			echo "FAIL $b: listed as refused (exit status 1, \"$text\") but sipwatch exited $st:"
			cat "$tmp/err"
			failed=$((failed + 1))
		fi
		continue
	fi
	[ -f "$oracle" ] || continue
	"$SIPWATCH" -r "$f" -N --report=json >"$tmp/r.json" 2>"$tmp/err"
	st=$?
	if [ "$st" -ne 0 ]; then
		echo "FAIL $b: sipwatch exited $st"; cat "$tmp/err"
		failed=$((failed + 1)); continue
	fi
	if python3 "$top_srcdir/tests/oracle/sipstat.py" "$oracle" \
	    "$tmp/r.json" >"$tmp/diff"; then
		result=same
	else
		result=differ
	fi
	if [ "$kind" = differs ]; then
		gapcount=$((gapcount + 1))
		if [ "$result" = same ]; then
			echo "FAIL $b: listed as a known gap but now matches tshark; remove it from $gaps"
			failed=$((failed + 1))
		else
			echo "gap  $b: $(printf '%s\n' "$gap" | cut -f3)"
		fi
		continue
	fi
	if [ -n "$gap" ]; then
		echo "FAIL $b: unknown kind \"$kind\" in $gaps"
		failed=$((failed + 1)); continue
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
