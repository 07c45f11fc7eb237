#!/bin/bash
# ack-missing.pcap: MIXED. A scripted UAC (sipcraft.py uac --mode no-ack, dave
# at 127.0.0.21) INVITEs bob (real baresip at 127.0.0.12, auto-answer)
# directly and never ACKs the 200 OK. baresip retransmits the 200 (Timer G
# style, 0.5 s doubling to 4 s) for 64*T1 = 32 s and then ends the call with a
# BYE (RFC 3261 13.3.1.4); dave answers the BYE 200.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start bob ";answermode=auto"
sleep 1
cap_start ack-missing.pcap
craft uac --mode no-ack --bind 127.0.0.21 --user dave \
	--proxy-host 127.0.0.12 --target sip:bob@127.0.0.12:5060 --listen 40 \
	2>"$LAB_TMP/uac.log"
cap_stop
