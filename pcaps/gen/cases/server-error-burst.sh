#!/bin/bash
# server-error-burst.pcap: MIXED. Twelve clients (127.0.0.31 .. 127.0.0.42,
# sipcraft.py burst) each send one OPTIONS to Kamailio, 1 s apart, for users
# err500, gw502, busy503 and timeout504 in turn; Kamailio (real) answers 500,
# 502, 503 (+Retry-After: 30) and 504: twelve 5xx from one server in ~12 s.
# No client sends a second request, so no Retry-After is violated.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start server-error-burst.pcap
craft burst --count 12 --first-client 31 --gap 1 2>"$LAB_TMP/burst.log"
cap_stop
