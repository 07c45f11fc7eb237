#!/bin/bash
# registration-failed.pcap: three baresip UAs start and register to
# Kamailio. alice has the right password (401, then 200). dave's phone has a
# wrong one: 401, REGISTER with credentials, 403 Forbidden. zoe is not an
# account on the registrar: 404 Not Found.
# Real software: baresip x3 + Kamailio (auth: pv_www_authenticate).
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start registration-failed.pcap
ua_start alice
bs_start dave 127.0.0.14 5060 4414 \
	"\"Dave\" <sip:dave@example.com>;auth_pass=wrong-password;outbound=\"sip:127.0.0.1:5060\";regint=600;answermode=manual"
bs_start zoe 127.0.0.13 5060 4413 \
	"\"Zoe\" <sip:zoe@example.com>;auth_pass=secret;outbound=\"sip:127.0.0.1:5060\";regint=600;answermode=manual"
sleep 4
cap_stop
