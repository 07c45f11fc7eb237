#!/bin/sh
# Every input a fuzzer found a bug with (tests/fuzz/regress/TARGET/*) is
# replayed through its target, built without libFuzzer.  The test passes
# when none of them crashes (under ASan/UBSan in CI, none misbehaves).
. "$(dirname "$0")/../lib.sh"

n=0
for dir in "$top_srcdir"/tests/fuzz/regress/*/; do
	t=$(basename "$dir")
	bin="$top_builddir/tests/fuzz/regress_$t"
	[ -x "$bin" ] || hard_error "$bin not built"
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		"$bin" "$f" >/dev/null || fail "regress_$t crashed on $(basename "$f")"
		n=$((n + 1))
	done
done
[ "$n" -gt 0 ] || fail "no regression input found"
echo "fuzz regressions: $n input(s) replayed without a crash"
