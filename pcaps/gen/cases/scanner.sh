#!/bin/bash
# scanner.pcap: MIXED. A SIPVicious look-alike (sipcraft.py scan from
# 127.0.0.66:5060, User-Agent: friendly-scanner) sweeps 127.0.0.1 ports
# 5060-5069 with OPTIONS (only Kamailio on 5060 answers: 404), then probes
# 14 extensions with REGISTER; Kamailio (real) answers 401 for 100-109 and
# 404 for 200, 201, 1000, 1001.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main
cap_start scanner.pcap
craft scan --bind 127.0.0.66 --target 127.0.0.1 2>"$LAB_TMP/scan.log"
cap_stop
