#!/bin/sh
# tests/ui/media.sh: the calls' media in the dashboard (issue 16) on the
# two real calls with RTP of pcaps/ (two baresips through Kamailio, G.711):
# media-one-way.pcap (the caller never sends RTP: one-way-media) and
# media-quality.pcap (11 % loss on one direction: media-quality).  What
# the dashboard shows is compared with the report of the same capture
# (`--report=json`, its media section), so that it cannot pass with a
# figure of its own:
# - the calls list shows the codec and the call's worst MOS (media.calls
#   codec and worst_mos), and the one-way call is marked "one-way";
# - Enter on the media alert opens the call on its RTP streams: each
#   stream of the report (src -> dst) with its packets, lost and lost %;
# - at 160 columns the SSRC and the first and last packet are on the
#   stream's row; below that they are on the row under it.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

# facts PCAP: the report's media facts of PCAP's one call, as shell
# assignments: cid, codec, mos (2 decimals), one_way (1 or 0), nstreams,
# then per stream I (0, 1 ...) flowI ("src → dst"), rowI (packets, lost
# and lost % as the table writes them) and ssrcI.
facts() {
	"$SIPWATCH" -r "$1" -N --report=json >"$work/report.json" \
	    2>"$work/stderr" || fail "sipwatch -N -r $1 failed: \
$(cat "$work/stderr")"
	python3 - "$work/report.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["media"]
calls = m["calls"]
assert len(calls) == 1, "one call with media expected"
c = calls[0]
print("cid='%s'" % c["call_id"])
print("codec='%s'" % c["codec"])
print("mos='%.2f'" % c["worst_mos"])
print("one_way=%d" % (1 if c["one_way"] else 0))
st = [s for s in m["streams"] if s["call_id"] == c["call_id"]]
print("nstreams=%d" % len(st))
for i, s in enumerate(st):
    print("flow%d='%s → %s'" % (i, s["src"], s["dst"]))
    print("row%d='%s +%d +%d +%.1f%%'" % (i, s["payload"], s["packets"],
          s["lost"], s["lost_pct"]))
    print("ssrc%d='%s'" % (i, s["ssrc"]))
PY
}

# check_streams: every stream of the report, on the screen, with its
# figures (after the flow: the codec, packets, lost and lost %).
check_streams() {
	i=0
	while [ $i -lt "$nstreams" ]; do
		eval "flow=\$flow$i row=\$row$i ssrc=\$ssrc$i"
		screen | grep -F -- "$flow" | grep -qE -- "$row" ||
		    fail "$what: no stream \"$flow\" with \"$row\" (the \
report's packets, lost and %):
$(screen)"
		has "$ssrc"
		i=$((i + 1))
	done
}

for cap in media-one-way media-quality; do
	eval "$(facts "$PCAPS/$cap.pcap")" ||
	    hard_error "no media facts in the report of $cap.pcap"
	[ "$codec" = PCMU ] || hard_error "$cap.pcap: codec $codec, not PCMU"
	[ "$nstreams" -ge 1 ] || hard_error "$cap.pcap: no stream reported"
	case $cap in
	media-one-way)
		[ "$one_way" = 1 ] || hard_error "$cap.pcap: not one-way"
		rule=one-way-media ;;
	*)
		[ "$one_way" = 0 ] || hard_error "$cap.pcap: one-way"
		rule=media-quality ;;
	esac
	for size in "80 24" "160 48"; do
		# shellcheck disable=SC2086
		start $size - -r "$PCAPS/$cap.pcap"
		wait_for "end of file  100%"
		wait_for "Calls 1 "
		# The calls list: codec, the report's worst MOS, the mark.
		line_with "${cid%"${cid#????????}"}" "PCMU $mos"
		if [ "$one_way" = 1 ]; then
			line_with "PCMU $mos" "PCMU $mos one-way"
		else
			screen | grep -F "PCMU $mos" | grep -qF "one-way" &&
			    fail "$what: a two-way call marked one-way:
$(screen)"
		fi
		# Enter on the media alert: the call, on its streams.
		wait_for "$rule"
		keys Enter
		wait_for "Call-ID $cid"
		wait_for "$flow0"
		check_streams
		# Tab leaves the streams for the message, and comes back.
		keys Tab
		wait_gone "$flow0"
		wait_for "INVITE sip:"
		if [ "${size%% *}" -lt 140 ]; then
			keys Tab Tab
		else
			keys Tab
		fi
		wait_for "$flow0"
		check_streams
		keys Escape
		wait_for "Response codes"
		quit
	done
done
echo "PASS: media (codec and MOS in the calls list, the RTP streams of the report in the call view, media alerts open them)"
