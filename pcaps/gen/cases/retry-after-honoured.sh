#!/bin/bash
# retry-after-honoured.pcap: alice calls busy503, gets 503 + Retry-After: 30,
# waits 32 s and only then sends her next request to that server (a call to
# bob, which succeeds). Real software: baresip x2 + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
ua_start bob
sleep 1
cap_start retry-after-honoured.pcap
dial_fail alice sip:busy503@example.com
sleep 32
call_setup alice bob 1
sleep 2
ua alice hangup
cap_stop
