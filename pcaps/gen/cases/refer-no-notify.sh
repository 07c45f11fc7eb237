#!/bin/bash
# refer-no-notify.pcap: MIXED. alice (real baresip) calls erin, a scripted UAS
# (sipcraft.py uas at 127.0.0.22) through Kamailio; erin answers. alice
# transfers erin to carol: REFER -> 202 Accepted ... and erin never sends a
# NOTIFY. A monitor (sipsak) keeps pinging Kamailio with OPTIONS every 5 s;
# alice hangs up 40 s after the 202.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
craft uas --bind 127.0.0.22 --user erin --duration 70 2>"$LAB_TMP/uas.log" &
sleep 1
cap_start refer-no-notify.pcap
ua alice dial sip:erin@127.0.0.22 --wait CALL_ESTABLISHED 10 >/dev/null || die "no call"
sleep 2
ua alice transfer sip:carol@example.com >/dev/null
for i in $(seq 8); do
	sleep 5
	sipsak -l 5079 -s sip:127.0.0.1 >>"$LAB_TMP/sipsak.log" 2>&1
done
ua alice hangup
cap_stop
