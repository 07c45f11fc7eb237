#!/bin/bash
# 302-redirect.pcap: MIXED. A scripted UAC (dave, sipcraft.py uac) INVITEs
# sip:moved@example.com via Kamailio; Kamailio (real) answers 302 Moved
# Temporarily, Contact: <sip:bob@example.com>; dave ACKs and follows it: a new
# INVITE (same Call-ID, CSeq+1) to sip:bob@example.com, which Kamailio
# routes to bob (real baresip), who rings and answers; ACK; dave BYEs after 2 s.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start bob
sleep 1
cap_start 302-redirect.pcap
ua_wait bob CALL_INCOMING 10 >/dev/null &
W=$!
sleep 0.5
craft uac --mode follow --bind 127.0.0.21 --user dave --target sip:moved@example.com \
	--talk 2 2>"$LAB_TMP/uac.log" &
U=$!
wait $W || die "bob not called"
sleep 1
ua bob accept >/dev/null
wait $U || die "uac failed"
cap_stop
