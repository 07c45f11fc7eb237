#!/bin/sh
# Option values at their limits are refused with a message that says
# what is accepted, before anything is opened, or accepted whole:
# - -B: 1..2047 MiB (libpcap takes the buffer size in bytes as an int;
#   2048 overflowed it: UBSan aborted, a release build silently used
#   libpcap's default);
# - --metrics: a port in 1..65535 (99999 listened on 34463, 0 on a
#   random port), ":PORT" for every address, "[]:PORT" refused;
# - --speed: above 0, at most 1e6, and a message that says so.
. "$(dirname "$0")/../lib.sh"

pc="$top_srcdir/pcaps/call-normal.pcap"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT

refused() {	# refused "WORDS EXPECTED IN THE MESSAGE" ARGS...
	want=$1
	shift
	"$SIPWATCH" "$@" -r "$pc" -N --report=none >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq 1 ] || fail "$*: exit status $st, wanted 1 ($(cat "$tmp/err"))"
	grep -q -- "$want" "$tmp/err" ||
	    fail "$*: message \"$(cat "$tmp/err")\" does not say \"$want\""
	grep -q "runtime error" "$tmp/err" && fail "$*: $(cat "$tmp/err")"
	echo "ok:   $* refused: $(cat "$tmp/err")"
}

accepted() {
	"$SIPWATCH" "$@" -r "$pc" -N --report=json >"$tmp/out" 2>"$tmp/err" ||
	    fail "$*: refused: $(cat "$tmp/err")"
	echo "ok:   $* accepted"
}

refused "1..2047" -B 2048
refused "1..2047" -B 4096
refused "1..2047" -B 0
accepted -B 2047
accepted -B 1
refused "port in 1..65535" --metrics=127.0.0.1:99999
refused "port in 1..65535" --metrics=:0
refused "port in 1..65535" --metrics=127.0.0.1:0
refused "port in 1..65535" "--metrics=[]:9100"
port=$((20000 + $$ % 20000))
accepted --metrics=127.0.0.1:$port
accepted --metrics=:$((port + 1))
refused "at most 1000000" --speed=1e7
refused "above 0" --speed=0
refused "above 0" --speed=-1
refused "not a number" --speed=abc
refused "not a number" --speed=nan
accepted --speed=1e6
echo "options: all checks passed"
