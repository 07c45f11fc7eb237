#!/bin/bash
# non-invite-timeout.pcap: sipsak sends OPTIONS sip:blackhole@example.com;
# Kamailio silently drops it, sipsak retransmits (Timer E) and gives up; no
# response ever comes. A monitor (another sipsak) pings Kamailio with OPTIONS
# every 5 s (answered 200), so the capture goes on to 40 s.
# Real software: sipsak + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start non-invite-timeout.pcap
pinger_start 8
sleep 0.2
sipsak -vv -l 5070 -s sip:blackhole@example.com >"$LAB_TMP/sipsak.log" 2>&1 &
S=$!
pinger_wait
kill $S 2>/dev/null
wait $S 2>/dev/null
cap_stop
