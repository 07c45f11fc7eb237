#!/bin/sh
# tests/ui/filter.sh: the filter language in the dashboard (issue 18,
# finding 6), at 80x24 and 160x48:
#
# - /503 means the response code: refer-no-notify.pcap has a Call-ID
#   with 503 in it and no 503 response, so no call matches, while the
#   quoted "503" finds that Call-ID;
# - state:failed, and/or/not, a header (ua:) and free text over the raw
#   messages (baresip's User-Agent, transfer-blind.pcap);
# - Enter on a code in Top codes and on a peer filters the calls by it;
# - a filter that does not parse is not applied and says why;
# - the filter indicator never covers the key hints ("? help", "q quit");
# - with the corpus: /cisco finds the REGISTER whose responses came from
#   a Cisco gateway (Server header).
. "$(dirname "$0")/lib.sh"

filter_case() {
	# A bare 503 is the code; quoted, it is text.
	start "$1" "$2" - -r "$PCAPS/refer-no-notify.pcap"
	wait_for "end of file  100%"
	wait_for "refer-no-notify 1"
	keys a
	wait_for "Call-IDs 9"
	filter 503
	wait_for "filter: 503"
	wait_for "no call matches the filter"
	has "? help"
	has "q quit"
	filter '"503"'
	wait_for 'filter: "503"'
	wait_for "1185035332@127.0.0.1"
	has "OPTIONS 200"
	has "? help"
	has "q quit"
	# A filter that does not parse: not applied, and why.
	filter "stat:failed"
	wait_for 'Filter not applied: unknown field "stat"'
	keys j
	wait_for 'filter: "503"'
	quit

	# State, logic, a header and text in the raw messages.
	start "$1" "$2" - -r "$PCAPS/transfer-blind.pcap"
	wait_for "end of file  100%"
	line_with "alice" "transferred to carol"
	filter "state:failed"
	wait_for "no call matches the filter"
	filter "ua:baresip and not state:failed"
	wait_for "filter: ua:baresip and not state:failed"
	line_with "alice" "transferred to carol"
	filter "ua:nosuchagent or code:4xx"
	wait_for "no call matches the filter"
	filter "hdr:Refer-To=dave"
	wait_for "no call matches the filter"
	filter "hdr:Refer-To=carol"
	line_with "alice" "transferred to carol"
	filter '"Refer-To: sip:carol"'
	line_with "alice" "transferred to carol"
	filter "Refer-To: sip:carol"
	wait_for 'Filter not applied: unknown field "Refer-To"'
	line_with "alice" "transferred to carol"
	quit

	# Enter on a code of Top codes: the calls that got it.
	start "$1" "$2" - -r "$PCAPS/503-retry-after.pcap"
	wait_for "end of file  100%"
	line_with "busy503" "failed 503"
	keys BTab
	keys Enter
	wait_for "filter: code:503"
	line_with "busy503" "failed 503"
	has "q quit"
	# Esc clears the filter before it asks to quit.
	keys Escape
	wait_gone "filter: code:503"
	still_running
	# Enter on a peer (the panel before the calls): the calls through it.
	keys BTab
	keys Enter
	wait_for "filter: ip:127.0.0.1:5060"
	line_with "busy503" "failed 503"
	quit
}

filter_case 80 24
filter_case 160 48

# A code only non-INVITE Call-IDs got (OPTIONS 500): the empty list says
# how many there are; a lists them.
start 80 24 - -r "$PCAPS/server-error-burst.pcap"
wait_for "end of file  100%"
keys BTab Enter
wait_for "filter: code:500"
wait_for "a lists the 3 other Call-IDs that do"
keys a
wait_for "Call-IDs 3"
line_with "err500" "OPTIONS 500"
quit

# A real capture: the Cisco gateway's answers to a Zoiper REGISTER.
if corpus=$(corpus_dir); then
	cme="$corpus/pcaps/goffinet__sip_captures__sip-cme-zoiper-register.pcapng"
	[ -f "$cme" ] || hard_error "no $cme"
	start 80 24 - -r "$cme"
	wait_for "end of file  100%"
	keys a
	wait_for "REGISTER 200"
	filter cisco
	wait_for "filter: cisco"
	line_with "REGISTER" "200"
	filter "ua:cisco and method:REGISTER"
	line_with "REGISTER" "200"
	filter "ua:polycom"
	wait_for "no call matches the filter"
	quit
else
	echo "no corpus: the Cisco case is skipped"
fi

echo "PASS: filter"
exit 0
