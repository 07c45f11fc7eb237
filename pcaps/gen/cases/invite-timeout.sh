#!/bin/bash
# invite-timeout.pcap: alice calls sip:blackhole@example.com; Kamailio silently
# drops every request to that user, so alice's INVITE is never answered. baresip
# retransmits it (Timer A: 0.5, 1, 2, 4, 8, 16 s = 7 sends) and gives up at
# Timer B (32 s). A monitor pings Kamailio with OPTIONS every 5 s (answered
# 200) so the capture goes on to 40 s. Real software: baresip + sipsak +
# Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
sleep 1
cap_start invite-timeout.pcap
pinger_start 8
sleep 0.2
ua alice dial sip:blackhole@example.com >/dev/null
pinger_wait
cap_stop
