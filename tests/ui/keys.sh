#!/bin/sh
# tests/ui/keys.sh: keys never end the dashboard by accident (issue 18,
# finding 3).  With TERM=xterm-256color inside tmux, tmux sends Home and
# End as ESC [ 1 ~ and ESC [ 4 ~, which that terminfo entry does not
# list: they, Alt-combinations and unknown function keys must neither
# quit nor leave the ladder.  q and Esc ask before quitting (a second q
# quits, any other key stays), Q quits at once, ? shows the help of the
# view it is asked from.  At 80x24 and 160x48.
. "$(dirname "$0")/lib.sh"

keys_case() {
	start "$1" "$2" - -r "$PCAPS/refer-no-notify.pcap"
	wait_for "end of file  100%"
	wait_for "refer-no-notify 1"

	# Keys the terminfo entry does not name, Alt and function keys.
	for k in Home End M-x M-q M-Escape F5 F12 PageUp PageDown IC DC \
	    C-Left S-Up; do
		keys "$k"
	done
	settle
	still_running
	has "Response codes"

	# q asks; another key stays, and does nothing else.
	keys q
	wait_for "Quit sipwatch?"
	has "q quit"
	keys x
	wait_gone "Quit sipwatch?"
	still_running
	# Esc (no filter to clear) asks too; Esc again stays.
	keys Escape
	wait_for "Quit sipwatch?"
	keys Escape
	wait_gone "Quit sipwatch?"
	still_running

	# In the ladder, End goes to the last message and Home to the first;
	# neither leaves it.
	keys Enter
	wait_for "WARN refer-no-notify: REFER from"
	keys End
	wait_for "+43.416  ▶"
	line_with "▶" "501 Not Implement"
	keys Home
	wait_for "+0.000  ▶"
	line_with "▶" "INVITE"
	keys M-x M-Escape F5
	settle
	has "WARN refer-no-notify: REFER from"
	still_running

	# ? in the ladder: the call view's keys; back to the ladder.
	keys '?'
	wait_for "Call view"
	has "move in the ladder"
	page_until "Everywhere"
	keys Escape
	wait_for "WARN refer-no-notify: REFER from"
	# Back to the main screen; ? there: its keys and the filters.
	keys Escape
	wait_for "Response codes"
	keys '?'
	wait_for "Main screen"
	has "next panel"
	page_until "Filters"
	keys Escape
	wait_for "Response codes"
	# q q quits with status 0.
	quit

	# Q quits at once, from the ladder.
	start "$1" "$2" - -r "$PCAPS/refer-no-notify.pcap"
	wait_for "refer-no-notify 1"
	keys Enter
	wait_for "WARN refer-no-notify: REFER from"
	keys Q
	wait_for "[sipwatch exited: 0]"
}

keys_case 80 24
keys_case 160 48

echo "PASS: keys"
exit 0
