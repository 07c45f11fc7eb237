#!/bin/bash
# 603-decline.pcap: alice (baresip) calls sip:decline@example.com; Kamailio rejects the
# INVITE with 603 Decline; alice ACKs.
# Real software: baresip + Kamailio (sl_send_reply, see kamailio/lab.cfg).
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
sleep 1
cap_start 603-decline.pcap
dial_fail alice sip:decline@example.com
cap_stop
