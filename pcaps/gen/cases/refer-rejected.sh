#!/bin/bash
# refer-rejected.pcap: alice calls bob, then tries to blind-transfer him to
# sip:intl@example.com; Kamailio's transfer policy rejects the in-dialog REFER
# with 403 Forbidden (it never reaches bob). alice then hangs up.
# Real software: baresip x2 + Kamailio.
# (A baresip account with call_transfer=no would answer 501 Not Implemented.)
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
ua_start alice
ua_start bob
sleep 1
cap_start refer-rejected.pcap
call_setup alice bob 1
sleep 2
ua alice transfer sip:intl@example.com >/dev/null
sleep 2
ua alice hangup
cap_stop
