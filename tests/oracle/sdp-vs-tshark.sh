#!/bin/sh
# SDP bodies against Wireshark's: for every capture of pcaps/ and of the
# shared corpus, each SDP body (Content-Type application/sdp) tshark
# dissects must be read by sipwatch (src/sip/sip-sdp.c, osip2's SDP
# parser) with the same media lines, ports, protocols and c= addresses
# (tests/oracle/sdpbodies.py, tests/oracle/sdpdump).  The differences
# that cannot be removed are listed with their reason in
# sdp-known-gaps.txt and must still occur.
. "$(dirname "$0")/../lib.sh"

command -v tshark >/dev/null 2>&1 || skip "tshark not installed"
dump="$top_builddir/tests/oracle/sdpdump"
[ -x "$dump" ] || hard_error "$dump not built"
gaps="$top_srcdir/tests/oracle/sdp-known-gaps.txt"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
corpus=$(corpus_dir) || corpus=""

n=0 failed=0
# compare NAME CAPTURE [TSHARK_ARGS...]
compare() {
	name=$1 file=$2
	shift 2
	n=$((n + 1))
	# shellcheck disable=SC2068
	python3 "$top_srcdir/tests/oracle/sdpbodies.py" "$file" "$name" \
	    "$dump" "$gaps" $@ >"$tmp/out"
	st=$?
	if ! grep -q "^  0 SDP bodies" "$tmp/out"; then
		echo "$name:"
		cat "$tmp/out"
	fi
	[ "$st" = 0 ] || failed=$((failed + 1))
}

for f in "$top_srcdir"/pcaps/*.pcap "$top_srcdir"/pcaps/*.pcapng; do
	[ -f "$f" ] || continue
	args=""
	[ -f "$f.tshark-args" ] && args=$(cat "$f.tshark-args")
	# shellcheck disable=SC2086
	compare "$(basename "$f")" "$f" $args
done
if [ -n "$corpus" ]; then
	tr -d '\r' <"$corpus/MANIFEST.tsv" >"$tmp/manifest.tsv"
	head -n 1 "$tmp/manifest.tsv" | tr '\t' '\n' >"$tmp/cols"
	rcol=$(grep -n '^libpcap_read$' "$tmp/cols" | cut -d: -f1)
	acol=$(grep -n '^tshark_extra_args$' "$tmp/cols" | cut -d: -f1)
	[ -n "$rcol" ] && [ -n "$acol" ] ||
	    hard_error "MANIFEST.tsv lacks libpcap_read or tshark_extra_args"
	# (empty fields as "-": read would merge consecutive tabs)
	tail -n +2 "$tmp/manifest.tsv" | awk -F'\t' -v a="$acol" -v r="$rcol" \
	    '{ print $1 "\t" ($a == "" ? "-" : $a) "\t" ($r == "" ? "-" : $r) }' \
	    >"$tmp/manifest"
	while IFS='	' read -r b args readable; do
		case "$readable" in OK*) ;; *) continue ;; esac
		[ "$args" = "-" ] && args=""
		# shellcheck disable=SC2086
		compare "$b" "$corpus/pcaps/$b" $args
	done <"$tmp/manifest"
fi
echo "sdp: $n captures compared, $failed failures"
[ "$failed" -eq 0 ] && [ "$n" -gt 0 ] || exit 1
