#!/bin/bash
# premature-retry.pcap: alice calls sip:busy486@example.com and gets 486 Busy
# Here with Retry-After: 60; she calls the same target again 10 s later.
# Real software: baresip + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
sleep 1
cap_start premature-retry.pcap
dial_fail alice sip:busy486@example.com
sleep 10
dial_fail alice sip:busy486@example.com
cap_stop
