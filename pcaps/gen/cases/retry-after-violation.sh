#!/bin/bash
# retry-after-violation.pcap: alice calls busy503, gets 503 + Retry-After: 30,
# and redials the same server 5 s later (a new INVITE transaction): the
# client ignores Retry-After. Real software: baresip + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
sleep 1
cap_start retry-after-violation.pcap
dial_fail alice sip:busy503@example.com
sleep 5
dial_fail alice sip:busy503@example.com
cap_stop
