#!/bin/bash
# auth-failure-burst.pcap: sipsak registers user 100 ten times with a wrong
# password from one source (127.0.0.1:5077): each time REGISTER -> 401 ->
# REGISTER with Authorization -> 403 Forbidden.
# Real software: sipsak + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start auth-failure-burst.pcap
for i in $(seq 10); do
	sipsak -U -l 5077 -s sip:100@example.com -u 100 -a wrongpass -x 300 \
		>>"$LAB_TMP/sipsak.log" 2>&1
	sleep 0.7
done
cap_stop
