#!/bin/bash
# cancel-unanswered.pcap: MIXED. alice (baresip) calls erin (sipcraft.py uas
# --no-answer --ignore-cancel, 127.0.0.22) through Kamailio; erin rings
# (180) and never answers. alice hangs up after 2 s: Kamailio answers her
# CANCEL 200 and forwards a CANCEL to erin, which erin never answers, while
# it did answer the INVITE. A monitor pings Kamailio every 5 s (sipsak) so
# the capture runs past Timer F.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
craft uas --bind 127.0.0.22 --user erin --duration 50 --no-answer --ignore-cancel \
	2>"$LAB_TMP/uas.log" &
sleep 1
cap_start cancel-unanswered.pcap
ua alice dial sip:erin@127.0.0.22 >/dev/null
sleep 2
ua alice hangup >/dev/null
pinger_start 8 5
pinger_wait
cap_stop
