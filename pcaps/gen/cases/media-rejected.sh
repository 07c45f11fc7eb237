#!/bin/bash
# media-rejected.pcap: MIXED.
# 1. alice (baresip) calls sip:nocodec@example.com: Kamailio answers 488 Not
#    Acceptable Here with Warning: 305 ("G.729 only") and Accept; alice ACKs.
# 2. dave (sipcraft.py uac --mode t38, 127.0.0.21) calls bob (baresip) through
#    Kamailio; bob answers with PCMU. dave re-INVITEs to T.38 fax (m=image
#    udptl t38 only); bob, which has no T.38, refuses it with 488; the call
#    goes on as audio and dave hangs up.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
ua_start bob ";answermode=auto"
sleep 1
cap_start media-rejected.pcap
dial_fail alice sip:nocodec@example.com
sleep 1
craft uac --mode t38 --target sip:bob@example.com --talk 2 2>"$LAB_TMP/uac.log" ||
	die "t38 call failed"
cap_stop
