#!/bin/bash
# loop-detected.pcap: sipsak sends OPTIONS sip:hop@example.com with
# Max-Forwards: 5. Kamailio's route for "hop" forwards the request back to
# itself (a routing loop); each pass decrements Max-Forwards until it hits 0
# and Kamailio answers 483 Too Many Hops, which travels back down the chain.
# Real software: sipsak + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start loop-detected.pcap
sipsak -vv -l 5078 -m 5 -s sip:hop@example.com >"$LAB_TMP/sipsak.log" 2>&1
sleep 1
cap_stop
