#!/bin/sh
# tests/ui/tmux.sh: the dashboard in a real terminal.  sipwatch replays
# shipped captures inside tmux (80x24 and 160x48, with colours and with
# NO_COLOR); keys go in with send-keys and the screen comes back with
# capture-pane (tests/ui/lib.sh).
#
# - refer-no-notify.pcap: the refer-no-notify alert, Enter on it shows the
#   ladder with REFER and 202 and the 202 raw message, c 503 shows the
#   comparison of 202 and 503, l switches to Russian headings, q q quits
#   with status 0;
# - transfer-blind.pcap: the transferred call and its ladder (REFER,
#   202, NOTIFY);
# - 503-retry-after.pcap: the peer's 503 back-off (Retry-After: 30), and
#   filters by code;
# - resizing 80x24 -> 160x48 -> 80x24; --speed (a replay at 100x ends as
#   at full speed; q stops a replay at 1x); --report=text printed after
#   the dashboard ends; s saves a call that sipwatch replays.
. "$(dirname "$0")/lib.sh"

# The REFER without NOTIFY, at size W x H with environment ENV.
refer_case() {
	start "$1" "$2" "$3" -r "$PCAPS/refer-no-notify.pcap"
	wait_for "end of file  100%"
	wait_for "refer-no-notify 1"
	has "Alerts 1"
	line_with "WARN" "refer-no-notify"
	has "Response codes"
	has "202 Accepted"
	has "Peers"
	line_with "alice" "transfer to carol accepted"

	# Enter on the alert: the ladder of its call, REFER then 202.
	keys Enter
	wait_for "WARN refer-no-notify: REFER from"
	line_with "REFER" "─>"
	line_with "202 Accepted" "<─"
	has "127.0.0.11:5060"
	has "127.0.0.22:5060"
	# The raw message under the cursor: the 202 to the REFER.
	has "SIP/2.0 202 Accepted"
	has "CSeq:"
	# Its explanation.
	if [ "$1" -ge 140 ]; then
		has "Explanation"
		has "When you see it"
	else
		# Tab: the rule's advice first, then the explanation.
		keys Tab
		wait_for "Accepting a REFER creates an implicit subscription"
		page_until "When you see it"
	fi

	# c, then another code: the comparison, as "explain 202 503".
	keys c 5 0 3 Enter
	wait_for "Knowledge base: 202 / 503"
	has "SIP 202 Accepted (Deprecated) vs 503 Service Unavailable"
	has "503 Service Unavailable (5xx server failure, RFC3261)"
	keys PageDown
	keys PageDown
	wait_for "Key differences"

	# Back to the main screen; l: Russian headings.
	keys Escape
	wait_for "WARN refer-no-notify: REFER from"
	keys Escape
	wait_for "Response codes"
	keys l
	wait_for "Язык: Русский"
	wait_for "Коды ответов"
	has "Оповещения 1"
	has "Узлы"
	has "Вызовы"
	has "конец файла"
	hasnt "Response codes"
	# l three more times: back to English (ja, tr, en).
	keys l
	wait_for "応答コード"
	keys l
	wait_for "Yanıt kodları"
	keys l
	wait_for "Response codes"
	quit
}

refer_case 80 24 -
refer_case 160 48 -
refer_case 80 24 NO_COLOR=1

# Resizing: 120 columns and more show the alert's addresses.
start 80 24 - -r "$PCAPS/refer-no-notify.pcap"
wait_for "refer-no-notify 1"
hasnt "127.0.0.11:5060 > 127.0.0.1:5060"
$T resize-window -t "$S" -x 160 -y 48
wait_for "127.0.0.11:5060 > 127.0.0.1:5060"
line_with "alice" "6b9294adee2dfed5"
$T resize-window -t "$S" -x 80 -y 24
wait_gone "127.0.0.11:5060 > 127.0.0.1:5060"
has "Tab panel"
quit

# Colours: attributes only with NO_COLOR, colour pairs without it.
start 80 24 - -r "$PCAPS/refer-no-notify.pcap"
wait_for "refer-no-notify 1"
$T capture-pane -e -p -t "$S" | grep -q "$(printf '\033')\[3[0-7]m" ||
    fail "no colours with TERM=xterm-256color"
quit
start 80 24 NO_COLOR=1 -r "$PCAPS/refer-no-notify.pcap"
wait_for "refer-no-notify 1"
$T capture-pane -e -p -t "$S" | grep -q "$(printf '\033')\[3[0-7]m" &&
    fail "colours despite NO_COLOR"
quit

# A blind transfer: the call's state and its ladder.
start 80 24 - -r "$PCAPS/transfer-blind.pcap"
wait_for "end of file  100%"
line_with "alice" "transferred to carol"
keys Tab Tab
keys j
wait_for "Calls"
keys Enter
wait_for "Call alice > bob"
line_with "REFER" "─>"
line_with "202 Accepted" "<─"
has "NOTIFY"
keys Escape
wait_for "Response codes"
quit

# --speed: the 9 s transfer at 100 times its pace ends as it does at full
# speed; the 43 s REFER capture at its own pace is still being replayed
# when q stops it.
start 80 24 - --speed=100 -r "$PCAPS/transfer-blind.pcap"
wait_for "end of file  100%"
line_with "alice" "transferred to carol"
quit
start 80 24 - --speed=1 -r "$PCAPS/refer-no-notify.pcap"
wait_for "replaying"
line_with "refer-no-notify.pcap" "x1"
quit

# The per-peer 503 back-off asked with Retry-After: 30.
start 160 48 - -r "$PCAPS/503-retry-after.pcap"
wait_for "end of file  100%"
line_with "127.0.0.1:5060" "503 30s"
line_with "busy503" "failed 503"
# A filter by code keeps the call and the peer.
keys / 5 0 3 Enter
wait_for "filter: 503"
line_with "busy503" "failed 503"
keys / BSpace BSpace BSpace 4 8 6 Enter
wait_for "no call matches the filter"
quit

# --report=text: the report comes after the dashboard, on the terminal.
start 80 24 - --report=text -r "$PCAPS/503-retry-after.pcap"
wait_for "end of file  100%"
hasnt "sipwatch 0.1.0 report"
quit
$T capture-pane -p -J -S - -t "$S" | grep -q " report: file .*503-retry-after" ||
    fail "no report after the dashboard: $($T capture-pane -p -S - -t "$S")"

# s saves the selected call (the alert's): its frames as captured, in a
# pcap that sipwatch reads.
start 80 24 - -r "$PCAPS/refer-no-notify.pcap"
wait_for "refer-no-notify 1"
keys s
wait_for "Export the call to: ./sipwatch-6b9294adee2dfed5-"
keys C-u
keys -l "saved.pcap"
keys Enter
wait_for "Exported 1 call (22 frames as captured) to saved.pcap"
quit
"$SIPWATCH" -N --report=json -r "$work/saved.pcap" | tail -1 |
    grep -q '"messages": *22' || fail "the saved pcap does not replay"

echo "PASS: dashboard in tmux"
exit 0
