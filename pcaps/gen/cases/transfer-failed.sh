#!/bin/bash
# transfer-failed.pcap: alice calls bob and blind-transfers him to
# sip:busy486@example.com. bob accepts the REFER (202), NOTIFYs "SIP/2.0 100
# Trying", INVITEs busy486, gets 486 Busy Here from Kamailio and reports it:
# NOTIFY sipfrag "SIP/2.0 486 Busy Here" (Subscription-State: terminated).
# alice and bob stay connected; alice hangs up after 2 s.
# Real software: baresip x2 + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
ua_start bob
sleep 1
cap_start transfer-failed.pcap
call_setup alice bob 1
sleep 2
ua alice transfer sip:busy486@example.com >/dev/null
sleep 3
ua alice hangup
cap_stop
