#!/bin/sh
# Every capture shipped in pcaps/: sipwatch's SIP counts (messages,
# requests per method, responses per code) must equal what tshark counts
# with `-z sip,stat` on the same file, run here and now (with the options
# in CAPTURE.tshark-args when that file exists, e.g. to make tshark
# reassemble TCP segments that arrive out of order).
. "$(dirname "$0")/../lib.sh"

command -v tshark >/dev/null || skip "tshark not installed (apt-get install tshark)"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
for f in "$top_srcdir"/pcaps/*.pcap "$top_srcdir"/pcaps/*.pcapng; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	# CAPTURE.tshark-args: options tshark needs for it (one line).
	targs=""
	[ -f "$f.tshark-args" ] && targs=$(cat "$f.tshark-args")
	# shellcheck disable=SC2086
	tshark -n $targs -r "$f" -q -z sip,stat >"$tmp/sipstat" 2>"$tmp/terr" ||
	    hard_error "tshark failed on $b: $(cat "$tmp/terr")"
	if ! "$SIPWATCH" -r "$f" -N --report=json >"$tmp/r.json" 2>"$tmp/err"; then
		echo "FAIL $b: sipwatch failed"; cat "$tmp/err"
		failed=$((failed + 1)); continue
	fi
	if python3 "$top_srcdir/tests/oracle/sipstat.py" "$tmp/sipstat" \
	    "$tmp/r.json" >"$tmp/diff"; then
		echo "ok   $b: $(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["sip"]["messages"])' "$tmp/r.json") messages$(grep '(info)' "$tmp/diff" | sed 's/^ */; /')"
	else
		echo "FAIL $b:"; cat "$tmp/diff"
		failed=$((failed + 1))
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no capture found in $top_srcdir/pcaps"
echo "pcaps: $n captures, $failed differ from tshark"
[ "$failed" -eq 0 ]
