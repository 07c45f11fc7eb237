#!/bin/bash
# global-failure.pcap: alice calls sip:busy600@example.com -> 600 Busy
# Everywhere; 2 s later sip:decline@example.com -> 603 Decline; 2 s later
# sip:gone604@example.com -> 604 Does Not Exist Anywhere. The 600 and 603 are
# the callee's choice (no alert); the 604 is global-failure.
# Real software: baresip + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
sleep 1
cap_start global-failure.pcap
dial_fail alice sip:busy600@example.com
sleep 2
dial_fail alice sip:decline@example.com
sleep 2
dial_fail alice sip:gone604@example.com
cap_stop
