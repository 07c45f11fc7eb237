#!/bin/bash
# retransmission.pcap: alice calls sip:slow@example.com. Kamailio creates the
# transaction but stays silent for 2.2 s (a congested proxy: no 100 Trying), so
# baresip retransmits the INVITE twice (t=0.5 s, 1.5 s: 3 sends in total).
# Kamailio then routes the call to bob, who answers; alice hangs up.
# Real software: baresip x2 + Kamailio (t_newtran + usleep in lab.cfg).
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
ua_start bob
sleep 1
cap_start retransmission.pcap
ua_wait bob CALL_INCOMING 10 >/dev/null &
W=$!
sleep 0.5
ua alice dial sip:slow@example.com >/dev/null
wait $W || die "bob not called"
sleep 1
ua bob accept --wait CALL_ESTABLISHED 10 >/dev/null || die "no call"
sleep 2
ua alice hangup
cap_stop
