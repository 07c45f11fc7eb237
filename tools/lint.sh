#!/bin/sh
# tools/lint.sh: static analysis of src/ with cppcheck and clang-tidy.
#
#   tools/lint.sh [COMPILER-FLAGS ...] -- SRCDIR
#
# `make lint` runs it with the -D and -I flags of the configured build, so
# both tools see the configuration that is compiled.  Exits non-zero if
# either tool reports anything.
#
# cppcheck 2.10: warning, style, performance and portability checks.  Not
# enabled: variableScope (sipwatch declares locals at the top of a function,
# as style(9) and tmux do).  cppcheck does not read system headers, so the
# headers whose macros the code is made of (sys/queue.h, uthash.h,
# jansson.h) are given to it, after tools/lint/cppcheck-prelude.h, which
# explains the two definitions it needs.  The few findings that are wrong
# are suppressed in the source, each with its reason, in the form
# "cppcheck-suppress ID ; reason"; the most common is HASH_ITER, where
# cppcheck 2.10 does not see the macro set TMP.
#
# clang-tidy: the checks in .clang-tidy (the clang static analyzer).  Its
# reports that are wrong are marked NOLINTNEXTLINE in the source, each with
# its reason.  All of them are use-after-free reports on the lists' own
# invariants, which the analyzer does not know: that the head of a uthash
# table has no previous element (it assumes one, so HASH_DELETE of the head
# leaves the head pointing at the freed element), and that TAILQ_REMOVE
# of the first element updates the head through the element's tqe_prev
# (so TAILQ_FIRST looks as if it returned the freed element again).  ASan
# runs the same paths in the tests and the fuzzers.
set -eu

flags=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	flags="$flags $1"
	shift
done
[ $# -eq 2 ] || { echo "usage: $0 [FLAGS ...] -- SRCDIR" >&2; exit 2; }
src=$2
cd "$src"
files=$(find src -name '*.c' | LC_ALL=C sort)
jobs=$(nproc 2>/dev/null || echo 1)
status=0

# Only the -D and -I flags mean anything to cppcheck.
cppflags=
for f in $flags; do
	case $f in
	-D*|-I*) cppflags="$cppflags $f" ;;
	esac
done

if ! command -v cppcheck >/dev/null; then
	echo "lint: cppcheck not found (Debian package cppcheck)" >&2
	exit 2
fi
if ! command -v clang-tidy >/dev/null; then
	echo "lint: clang-tidy not found (Debian package clang-tidy)" >&2
	exit 2
fi

qh=/usr/include/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/sys/queue.h
[ -f "$qh" ] || qh=/usr/include/sys/queue.h
echo "lint: cppcheck $(cppcheck --version | sed 's/^Cppcheck //') on $(echo "$files" | wc -l) files"
# shellcheck disable=SC2086
if ! cppcheck -q -j "$jobs" --error-exitcode=1 --inline-suppr \
    --enable=warning,style,performance,portability \
    --suppress=variableScope --suppress=missingIncludeSystem \
    --include=tools/lint/cppcheck-prelude.h --include="$qh" \
    --include=/usr/include/uthash.h --include=/usr/include/jansson.h \
    --template='{file}:{line}: {severity} {id}: {message}' \
    $cppflags $files; then
	echo "lint: cppcheck reported findings" >&2
	status=1
fi

echo "lint: $(clang-tidy --version | sed -n 's/.*LLVM version /clang-tidy /p') on $(echo "$files" | wc -l) files"
# A compilation database with the build's flags (written by python3, which
# keeps the quotes of -DLOCALEDIR="..." intact), one clang-tidy per file,
# JOBS at a time.
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
# shellcheck disable=SC2086
python3 - "$db/compile_commands.json" "$(pwd)" $flags -- $files <<'EOF'
import json, sys
out, cwd, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
i = rest.index("--")
flags, files = rest[:i], rest[i + 1:]
json.dump([{"directory": cwd, "file": f,
            "arguments": ["cc"] + flags + ["-c", f]} for f in files],
          open(out, "w"), indent=1)
EOF
if ! echo "$files" | xargs -P "$jobs" -n 1 clang-tidy --quiet -p "$db" \
    2>/dev/null; then
	echo "lint: clang-tidy reported findings" >&2
	status=1
fi
[ $status -eq 0 ] && echo "lint: no findings"
exit $status
