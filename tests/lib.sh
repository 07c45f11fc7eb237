# tests/lib.sh: shared helpers for the shell tests (sourced).
# Automake exit codes: 0 pass, 77 skip, 99 hard error, anything else fail.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SIPWATCH:=$top_builddir/sipwatch}"
export TZ=UTC LC_ALL=C.UTF-8

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
hard_error() { echo "ERROR: $*"; exit 99; }

# The shared corpus of real captures, when present beside the checkout.
corpus_dir() {
	for d in "${SIPWATCH_CORPUS:-}" "$top_srcdir/../shared/corpus" \
	    "$top_srcdir/../../shared/corpus"; do
		if [ -n "$d" ] && [ -f "$d/MANIFEST.tsv" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

[ -x "$SIPWATCH" ] || hard_error "sipwatch binary not found at $SIPWATCH"
