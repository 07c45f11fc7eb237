#!/bin/sh
# tests/ui/export.sh: exports (issue 18, finding 8), from the dashboard
# and from the command line:
#
# - e h in the dashboard: one self-contained HTML page in --export-dir,
#   named after the Call-ID, opened in a real headless browser
#   (chromium, Debian package "chromium"): the DOM it builds holds the
#   SVG ladder with its arrows, the raw messages and the alert with its
#   advice; the file names no external asset;
# - s on a SIP-over-TCP call: the original frames, which tshark reads
#   back as TCP, message for message (tcp-segments.pcap);
# - e t, e c: the ladder as text and the calls list as CSV;
# - --export=pcap,html,text,csv with --export-filter: the files of the
#   calls that match, named after the filter, the pcap re-read by tshark
#   with the original transport (UDP), never overwritten.
. "$(dirname "$0")/lib.sh"

command -v tshark >/dev/null 2>&1 || skip "tshark is not installed"
CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
    skip "chromium is not installed (Debian package chromium)"

out="$work/out"
mkdir -p "$out"

# dom FILE: the DOM a headless browser builds from FILE, on stdout.
dom() {
	profile=$(mktemp -d)
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --no-first-run \
	    --user-data-dir="$profile" --dump-dom "file://$1" 2>/dev/null
	rc=$?
	rm -rf "$profile"
	return $rc
}

# sip_count FILE [FILTER]: SIP messages tshark reads in FILE.
sip_count() {
	tshark -r "$1" -Y "sip${2:+ && $2}" -T fields -e sip.CSeq \
	    2>/dev/null | tr ',' '\n' | grep -c .
}

for size in "80 24" "160 48"; do
	set -- $size
	rm -f "$out"/*
	# e h: the HTML page of the alert's call.
	start "$1" "$2" - --export-dir="$out" -r "$PCAPS/refer-no-notify.pcap"
	wait_for "end of file  100%"
	wait_for "refer-no-notify 1"
	keys e
	wait_for "Export the 1 call listed"
	keys h
	wait_for "Export the call to: "
	line_with "Export the call to: " "sipwatch-6b9294adee2dfed5-"
	keys Enter
	wait_for "Exported 1 call ("
	html=$(ls "$out"/sipwatch-6b9294adee2dfed5-*.html) ||
	    fail "$what: no HTML file in $out: $(ls "$out")"
	# e t and e c: the text ladder and the CSV, from the same list.
	keys e t Enter
	wait_for "Exported 1 call ("
	keys e c Enter
	wait_for "(1 row) to"
	quit

	dom "$html" >"$work/dom.html" || fail "chromium failed on $html"
	for want in '<svg class="ladder"' '<line x1=' 'REFER</text>' \
	    '202 Accepted</text>' 'SIP/2.0 202 Accepted' 'CSeq: 10954 REFER' \
	    'refer-no-notify' 'Accepting a REFER creates an implicit' \
	    'href="#c1m1"' 'id="c1m1"'; do
		grep -qF -- "$want" "$work/dom.html" ||
		    fail "$what: the browser's DOM has no $want"
	done
	grep -q -- 'src=\|href="http\|@import\|url(http' "$html" &&
	    fail "$what: $html refers to an external asset"
	txt=$(ls "$out"/*.txt) || fail "$what: no text file"
	grep -q -- "|-*REFER-*>|" "$txt" || fail "$what: no ladder in $txt"
	grep -qF "SIP/2.0 202 Accepted" "$txt" || fail "$what: no message"
	csv=$(ls "$out"/*.csv) || fail "$what: no CSV file"
	grep -qF ",alice,erin,transfer to carol accepted," "$csv" ||
	    fail "$what: $(cat "$csv")"
done

# s on a SIP-over-TCP call: the frames as captured, still TCP.  (A
# message that spanned several segments keeps only the segment that
# completed it, as --save-alerted does: doc/DASHBOARD.md.)
rm -f "$out"/*
start 80 24 - --export-dir="$out" -r "$PCAPS/tcp-segments.pcap"
wait_for "end of file  100%"
keys a
wait_for "Call-IDs 5"
filter "method:REGISTER"
line_with "register-tcp@127.0.0.1" "REGISTER 200"
keys BTab BTab		# alerts -> codes -> calls
keys s
wait_for "Export the call to: "
line_with "Export the call to: " "sipwatch-register-tcp@127.0.0.1-"
keys Enter
wait_for "frames as captured) to"
quit
pcap=$(ls "$out"/*.pcap) || fail "no pcap exported from tcp-segments.pcap"
cid=$(tshark -r "$pcap" -Y sip -T fields -e sip.Call-ID 2>/dev/null |
    head -1)
[ -n "$cid" ] || fail "tshark reads no SIP in $pcap"
n=$(sip_count "$pcap")
[ "$(sip_count "$pcap" tcp)" -eq "$n" ] ||
    fail "the exported call is not all over TCP"
[ "$(sip_count "$pcap" udp)" -eq 0 ] || fail "UDP in the exported TCP call"
[ "$cid" = "register-tcp@127.0.0.1" ] || fail "exported $cid"
want=$(sip_count "$PCAPS/tcp-segments.pcap" "sip.Call-ID == \"$cid\"")
[ "$n" -eq "$want" ] || fail "the exported call has $n of $want messages"

# The command line: the calls a filter matches, every format.
rm -f "$out"/*
"$SIPWATCH" -N --report=none --export=pcap,html,text,csv \
    --export-filter='code:5xx or rule:bad-gateway' --export-dir="$out" \
    -r "$PCAPS/server-error-burst.pcap" >/dev/null 2>"$work/err" ||
    fail "--export failed: $(cat "$work/err")"
for ext in pcap html txt csv; do
	f=$(ls "$out"/sipwatch-code_5xx_or_rule_bad-gateway-*."$ext") ||
	    fail "no .$ext: $(ls "$out"; cat "$work/err")"
	grep -qF "to $f" "$work/err" || fail "--export did not say $f"
done
pcap=$(ls "$out"/*.pcap)
# Every 5xx response (3 each of 500, 502, 503, 504) over UDP.
want=$(tshark -r "$PCAPS/server-error-burst.pcap" -Y 'sip.Status-Code >= 500' \
    2>/dev/null | wc -l)
[ "$(sip_count "$pcap" 'sip.Status-Code >= 500 && udp')" -eq "$want" ] ||
    fail "the exported pcap lacks 5xx responses"
[ "$(sip_count "$pcap" tcp)" -eq 0 ] || fail "TCP in an all-UDP capture"
dom "$(ls "$out"/*.html)" >"$work/dom.html" || fail "chromium failed"
grep -qF "bad-gateway" "$work/dom.html" || fail "no alert in the page"
[ "$(grep -c '<svg class="ladder"' "$work/dom.html")" -eq \
    "$(($(wc -l <"$(ls "$out"/*.csv)") - 1))" ] ||
    fail "one ladder per exported call"
# Never over an existing file: the same export again takes new names.
"$SIPWATCH" -N --report=none --export=csv --export-filter='code:502' \
    --export-dir="$out" -r "$PCAPS/server-error-burst.pcap" >/dev/null \
    2>&1 || fail "second export failed"
"$SIPWATCH" -N --report=none --export=csv --export-filter='code:502' \
    --export-dir="$out" -r "$PCAPS/server-error-burst.pcap" >/dev/null \
    2>&1 || fail "third export failed"
[ "$(ls "$out"/sipwatch-code_502-*.csv | wc -l)" -eq 2 ] ||
    fail "an export overwrote another: $(ls "$out")"
# Bad formats and filters are refused before the run.
"$SIPWATCH" -N --export=pdf -r "$PCAPS/server-error-burst.pcap" \
    >/dev/null 2>"$work/err" && fail "--export=pdf accepted"
grep -qF '"pdf" is not an export format' "$work/err" || fail "$(cat "$work/err")"
"$SIPWATCH" -N --export=csv --export-filter='code:5o3' \
    -r "$PCAPS/server-error-burst.pcap" >/dev/null 2>"$work/err" &&
    fail "a bad --export-filter accepted"
grep -qF "is not a response code" "$work/err" || fail "$(cat "$work/err")"

# A real capture whose synthetic times go past 2038 (up to 2092; libpcap
# gives them negative, the capture layer takes them back as unsigned):
# the export (the dashboard's model, without a dashboard) still works.
if corpus=$(corpus_dir); then
	v6="$corpus/pcaps/sipcapture__heplify__sip_ipv6_udp.pcap"
	[ -f "$v6" ] || hard_error "no $v6"
	rm -f "$out"/*
	"$SIPWATCH" -N --report=none --export=csv --export-dir="$out" \
	    -r "$v6" >/dev/null 2>"$work/err" ||
	    fail "--export on $v6: exit $?: $(cat "$work/err")"
	grep -q "fec0::216:d3ff:fe0d:22c" "$out"/*.csv ||
	    fail "no call in the CSV of $v6: $(cat "$out"/*.csv)"
fi

echo "PASS: export"
exit 0
