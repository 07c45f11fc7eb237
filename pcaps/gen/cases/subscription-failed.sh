#!/bin/bash
# subscription-failed.pcap: MIXED. dave (sipcraft.py sub, 127.0.0.21) asks
# Kamailio for presence.winfo, which it does not offer: 489 Bad Event with
# Allow-Events; dave starts over from scratch (a new Call-ID) four times, 3 s
# apart. Then dave subscribes to message-summary at erin (sipcraft.py uas
# --sub-forget, 127.0.0.22) through Kamailio: 200 and a NOTIFY; 3 s later
# dave refreshes the subscription in its dialog and erin, which has lost it,
# answers 481.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
craft uas --bind 127.0.0.22 --user erin --duration 30 --sub-forget 2>"$LAB_TMP/uas.log" &
sleep 1
cap_start subscription-failed.pcap
craft sub --rounds 4 --gap 3 --refresh 3 2>"$LAB_TMP/sub.log" || die "subscriber failed"
cap_stop
