#!/bin/bash
# register-401.pcap: baresip (alice) starts and registers to Kamailio:
# REGISTER -> 401 (WWW-Authenticate) -> REGISTER with Authorization -> 200.
# Real software: baresip + Kamailio (auth module, pv_www_authenticate).
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start register-401.pcap
ua_start alice
sleep 2 # REGISTER -> 401 -> REGISTER -> 200 takes a few ms
cap_stop
