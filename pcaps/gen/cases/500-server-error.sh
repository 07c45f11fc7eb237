#!/bin/bash
# 500-server-error.pcap: alice (baresip) calls sip:err500@example.com; Kamailio rejects the
# INVITE with 500 Server Internal Error; alice ACKs.
# Real software: baresip + Kamailio (sl_send_reply, see kamailio/lab.cfg).
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
sleep 1
cap_start 500-server-error.pcap
dial_fail alice sip:err500@example.com
cap_stop
