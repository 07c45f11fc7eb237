#!/bin/bash
# refer-488.pcap: MIXED. alice (baresip) calls erin (sipcraft.py uas
# --refer-code 488, 127.0.0.22) through Kamailio; erin answers. alice
# transfers erin to sip:fax@example.com: the REFER crosses Kamailio and erin
# refuses it with 488 Not Acceptable Here, relayed back to alice. The same
# rejection on both sides of the proxy: one incident, about the transfer.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
craft uas --bind 127.0.0.22 --user erin --duration 20 --refer-code 488 2>"$LAB_TMP/uas.log" &
sleep 1
cap_start refer-488.pcap
ua alice dial sip:erin@127.0.0.22 --wait CALL_ESTABLISHED 10 >/dev/null || die "no call"
sleep 2
ua alice transfer sip:fax@example.com >/dev/null
sleep 2
ua alice hangup
sleep 1
cap_stop
