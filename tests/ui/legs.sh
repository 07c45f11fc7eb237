#!/bin/sh
# tests/ui/legs.sh: the legs of a call across a B2BUA (issue 18, finding
# 7) on a real Asterisk capture of the shared corpus,
# sip-2phones-B2BUA-Asterisk.pcapng (MANIFEST.tsv: Asterisk 11 bridging
# telephone1's call to 2302 towards telephone2, a Call-ID per leg and no
# header linking them): the calls list shows the second leg under the
# first, and the call view merges both dialogs in one ladder, one column
# per element (the caller, the Asterisk, the callee), and says what
# linked them.  Skipped without the corpus.
. "$(dirname "$0")/lib.sh"

corpus=$(corpus_dir) || skip "no shared corpus beside the checkout"
cap="$corpus/pcaps/goffinet__sip_captures__sip-2phones-B2BUA-Asterisk.pcapng"
[ -f "$cap" ] || skip "no $cap"

for size in "100 30" "160 48"; do
	# shellcheck disable=SC2086
	start $size - -r "$cap"
	wait_for "end of file  100%"
	wait_for "Calls 2 "
	# The first leg, then the second under it, marked by its alert (the
	# one-way audio of that leg: 355 RTP packets one way, 1 the other).
	screen | grep -A1 -E "^ [0-9:]+ +telephone1 +2302 " | tail -1 |
	    grep -qE "^ [0-9:]+ +└ telephone1 +telephone2 +!ended by caller" ||
	    fail "$what: the second leg is not under the first:
$(screen)"
	# The call view: both legs in one ladder.
	keys Tab Tab Enter
	wait_for "2 legs, by B2BUA timing"
	line_with "172.16.98.1:44285" "172.16.98.145:40216"
	has "172.16.98.101:5060"
	# The INVITE of each leg: caller > Asterisk, then Asterisk > callee.
	screen | grep -E "^ \+0\.00[0-9] " | grep -q "INVITE (SDP)─*>│ *│$" ||
	    fail "$what: no INVITE from the caller to the Asterisk:
$(screen)"
	screen | grep -E "^ \+0\.003 " | grep -qE "│ +│─+INVITE \(SDP\)─+>│" ||
	    fail "$what: no INVITE from the Asterisk to the callee:
$(screen)"
	# The message pane names the leg of the message under the cursor.
	has "leg A"
	keys End
	wait_for "leg B"
	keys Escape
	wait_for "Response codes"
	quit
done
echo "PASS: legs (a real Asterisk B2BUA call, two legs in one ladder)"
