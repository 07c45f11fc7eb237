#!/bin/sh
# tests/ui/cli.sh: first-run friction on the command line (issue 18,
# finding 10):
#
# - a positional argument that names a file: "did you mean -r FILE?",
#   not libpcap's "can't parse filter expression"; a real capture
#   filter still works;
# - a wrong option: one line with a --help hint, not the whole help;
# - standard output closed early (sipwatch ... | head): the run ends
#   quietly, as tcpdump's does (SIGPIPE status, nothing on stderr).
. "$(dirname "$0")/../lib.sh"

PCAPS="$top_srcdir/pcaps"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A capture named where a filter is expected.
(cd "$PCAPS" && "$SIPWATCH" -N refer-no-notify.pcap) >"$work/out" \
    2>"$work/err"
rc=$?
[ $rc -eq 1 ] || fail "a file as the filter: exit $rc, want 1"
grep -qF "did you mean -r refer-no-notify.pcap?" "$work/err" ||
    fail "no -r hint: $(cat "$work/err")"
grep -q "can't parse filter" "$work/err" && fail "libpcap's message shown"
"$SIPWATCH" -N -r "$PCAPS/refer-no-notify.pcap" "$PCAPS/call-normal.pcap" \
    >"$work/out" 2>"$work/err" && fail "a second file accepted as filter"
grep -qF "did you mean -r $PCAPS/call-normal.pcap?" "$work/err" ||
    fail "no -r hint for the second file: $(cat "$work/err")"
# A real filter, even with a file of that name around: still a filter.
(cd "$work" && : >port && "$SIPWATCH" -N --report=json \
    -r "$PCAPS/refer-no-notify.pcap" port 5060) >"$work/out" 2>"$work/err" ||
    fail "a capture filter refused: $(cat "$work/err")"
grep -q '"messages": *[1-9]' "$work/out" || fail "nothing read with a filter"

# Wrong options: one line, with the hint.
for bad in --nosuch -x "--report" "-r" --export-dirr=x; do
	"$SIPWATCH" $bad >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc -eq 1 ] || fail "$bad: exit $rc, want 1"
	[ "$(wc -l <"$work/err")" -eq 1 ] ||
	    fail "$bad: $(wc -l <"$work/err") lines: $(cat "$work/err")"
	grep -qF "sipwatch --help" "$work/err" || fail "$bad: $(cat "$work/err")"
	[ -s "$work/out" ] && fail "$bad: printed on stdout"
done
grep -qF "option -r needs an argument" "$work/err" 2>/dev/null ||
    { "$SIPWATCH" -r 2>"$work/err"; grep -qF "option -r needs an argument" \
    "$work/err" || fail "-r: $(cat "$work/err")"; }
"$SIPWATCH" --nosuch 2>"$work/err"
grep -qF "unknown option --nosuch" "$work/err" || fail "$(cat "$work/err")"

# Standard output closed by its reader: quiet, SIGPIPE's status.  The
# writer starts only once the reader has closed its end, so its first
# write meets EPIPE however short the output is.
for args in "-N" "-N --report=json" "-N --alerts=-"; do
	rm -f "$work/closed"
	( while [ ! -e "$work/closed" ]; do sleep 0.05; done
	  "$SIPWATCH" $args -r "$PCAPS/server-error-burst.pcap" \
	    2>"$work/err"; echo $? >"$work/rc" ) |
	    (exec <&-; : >"$work/closed"; sleep 2)
	[ -s "$work/err" ] && fail "$args | (closed): $(cat "$work/err")"
	rc=$(cat "$work/rc")
	[ "$rc" -eq 141 ] || fail "$args | (closed): exit $rc, want 141"
done
# sipwatch explain into head: nothing on stderr either.
"$SIPWATCH" explain 503 2>"$work/err" | head -1 >/dev/null
[ -s "$work/err" ] && fail "explain | head: $(cat "$work/err")"

echo "PASS: cli"
exit 0
