#!/bin/bash
# 502-bad-gateway.pcap: alice (baresip) calls sip:gw502@example.com; Kamailio rejects the
# INVITE with 502 Bad Gateway (with Warning and Server headers); alice ACKs.
# Real software: baresip + Kamailio (sl_send_reply, see kamailio/lab.cfg).
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
sleep 1
cap_start 502-bad-gateway.pcap
dial_fail alice sip:gw502@example.com
cap_stop
