#!/bin/bash
# call-failure-rate.pcap: MIXED. Twelve trunk clients (127.0.0.31 ..
# 127.0.0.42, sipcraft.py burst --method INVITE) each place one call through
# Kamailio, 1 s apart, to busy503, err500, busy486 and decline in turn:
# 503 (Retry-After: 30) and 500 are service failures (6 of 12), 486 and 603
# the callees' choice. Each client ACKs its final response and sends nothing
# more, so no Retry-After is violated and no client retries.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start call-failure-rate.pcap
craft burst --method INVITE --count 12 --first-client 31 --gap 1 \
	--users busy503,err500,busy486,decline 2>"$LAB_TMP/burst.log"
cap_stop
