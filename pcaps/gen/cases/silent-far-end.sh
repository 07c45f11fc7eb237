#!/bin/bash
# silent-far-end.pcap: MIXED. alice (baresip) calls erin (sipcraft.py uas
# --ignore-bye, 127.0.0.22) through Kamailio; erin answers, then forgets the
# dialog. alice hangs up after 2 s: the BYE crosses Kamailio, which forwards
# it to erin and retransmits it there; alice retransmits hers too. erin never
# answers. The silent element is erin, not the proxy in between. A monitor
# pings Kamailio every 5 s so the capture runs past Timer F.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
craft uas --bind 127.0.0.22 --user erin --duration 50 --ignore-bye 2>"$LAB_TMP/uas.log" &
sleep 1
cap_start silent-far-end.pcap
ua alice dial sip:erin@127.0.0.22 --wait CALL_ESTABLISHED 10 >/dev/null || die "no call"
sleep 2
ua alice hangup >/dev/null
pinger_start 8 5
pinger_wait
cap_stop
