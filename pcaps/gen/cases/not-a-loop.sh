#!/bin/bash
# not-a-loop.pcap: 483 and 482 that are not routing loops (no alert).
# 1. A monitor probes Kamailio with OPTIONS and Max-Forwards 0 (sipsak
#    -m 0): Kamailio answers 483 Too Many Hops, the answer the
#    probe asks for (RFC 3261 16.3 step 3).
# 2. dave (sipcraft.py uac, 127.0.0.21) sends an INVITE with Max-Forwards 0:
#    483.
# 3. dave sends an INVITE with a single Via to sip:sbc482@example.com:
#    Kamailio, playing an SBC that turns the request away, answers 482 Loop
#    Detected. No proxy is on its path: a refusal, not a loop.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start not-a-loop.pcap
sipsak -l 5078 -m 0 -s sip:127.0.0.1 >"$LAB_TMP/sipsak.log" 2>&1
sleep 1
craft uac --target sip:bob@example.com --max-forwards 0 2>"$LAB_TMP/uac1.log"
sleep 1
craft uac --target sip:sbc482@example.com 2>"$LAB_TMP/uac2.log"
cap_stop
