#!/bin/bash
# call-normal.pcap: alice calls bob through Kamailio; bob rings for 1 s, answers;
# alice hangs up after 3 s. Real software: baresip x2 + Kamailio.
# Usage: call-normal.sh [NAME [tcpdump options...]]  (used for the SLL variants)
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
NAME=${1:-call-normal.pcap}
shift || true
kam_start main
ua_start alice
ua_start bob
sleep 1 # registrations done before the capture starts
cap_start "$NAME" "$@"
call_setup alice bob 1
sleep 3
ua alice hangup
cap_stop
