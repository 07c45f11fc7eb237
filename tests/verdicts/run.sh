#!/bin/sh
# tests/verdicts/run.sh: sipwatch's incidents on the shared corpus against
# the labelled verdicts (tests/verdicts/*.verdict, format in score.py).
#
# For every verdict whose capture is in ../shared/corpus/pcaps, run
#   sipwatch -r CAPTURE -N --report=none --alerts=FILE
# and assert: sipwatch exits 0, every require line is matched by an
# incident raised, no incident matches a forbid line, and no more incidents
# are raised than max-incidents.  Captures whose verdicts the current build
# does not meet are listed in tests/verdicts/XFAIL with the reason: they are
# expected failures, and one that starts to pass fails the test until it is
# removed from the list.  score.py prints precision and recall over the set.
. "$(dirname "$0")/../lib.sh"

dir="$top_srcdir/tests/verdicts"

# Every verdict must be distributed (sw_verdicts in Makefile.am): checked
# here because without the corpus (make distcheck) a missing one is silent.
if [ -f "$top_srcdir/Makefile.am" ]; then
	for v in "$dir"/*.verdict; do
		grep -qF "tests/verdicts/${v##*/}" "$top_srcdir/Makefile.am" ||
		    fail "${v##*/} is not listed in sw_verdicts (Makefile.am)"
	done
fi

corpus=$(corpus_dir) || skip "shared corpus not found (set SIPWATCH_CORPUS)"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT

n=0
for v in "$dir"/*.verdict; do
	b=$(basename "$v" .verdict)
	cap="$corpus/pcaps/$b"
	[ -f "$cap" ] || continue
	"$SIPWATCH" -r "$cap" -N --report=none --alerts="$tmp/$b.alerts" \
	    >/dev/null 2>"$tmp/$b.err"
	rc=$?
	echo "$rc" >"$tmp/$b.rc"
	if [ "$rc" -ne 0 ]; then
		echo "sipwatch exited $rc on $b: $(head -c 300 "$tmp/$b.err")"
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || skip "no capture with a verdict in $corpus/pcaps"

python3 "$dir/score.py" --alerts-dir "$tmp" --check --xfail "$dir/XFAIL" \
    "$dir"/*.verdict
case $? in
0)	echo "verdicts: $n captures, every verdict met or listed in XFAIL" ;;
1)	fail "a verdict is not met (or an XFAIL capture passes): see above" ;;
*)	hard_error "malformed verdict or XFAIL file" ;;
esac
