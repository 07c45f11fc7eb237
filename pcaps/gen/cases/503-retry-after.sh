#!/bin/bash
# 503-retry-after.pcap: alice (baresip) calls sip:busy503@example.com; Kamailio rejects the
# INVITE with 503 Service Unavailable + Retry-After: 30; alice ACKs.
# Real software: baresip + Kamailio (sl_send_reply, see kamailio/lab.cfg).
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
sleep 1
cap_start 503-retry-after.pcap
dial_fail alice sip:busy503@example.com
cap_stop
