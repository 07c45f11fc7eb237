#!/bin/bash
# redirect-loop.pcap: MIXED. A scripted UAC (dave, sipcraft.py uac) INVITEs
# sip:loopa@example.com; Kamailio (real) redirects loopa -> loopb and
# loopb -> loopa (302). dave follows blindly: loopa, loopb, loopa again (a
# target already tried), loopb again, then gives up. Same Call-ID throughout.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start redirect-loop.pcap
craft uac --mode follow --bind 127.0.0.21 --user dave --target sip:loopa@example.com \
	--max-revisits 2 2>"$LAB_TMP/uac.log"
cap_stop
