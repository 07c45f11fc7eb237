#!/bin/bash
# transfer-blind.pcap: alice calls bob, then blind-transfers him to carol:
# REFER -> 202 -> NOTIFY(100 Trying) -> bob INVITEs carol -> NOTIFY(200 OK,
# terminated) -> alice BYEs bob; bob and carol talk, then bob hangs up.
# Real software: baresip x3 + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
ua_start bob
ua_start carol
sleep 1
cap_start transfer-blind.pcap
call_setup alice bob 1
sleep 2
ua_wait carol CALL_INCOMING 10 >/dev/null &
W=$!
sleep 0.5
ua alice transfer sip:carol@example.com
wait $W || die "carol not called"
sleep 1
ua carol accept --wait CALL_ESTABLISHED 10 >/dev/null || die "carol not connected"
sleep 3
ua bob hangup
cap_stop
