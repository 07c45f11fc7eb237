#!/bin/bash
# tcp-discarded.pcap: MIXED. dave (sipcraft.py tcpuac, 127.0.0.21) opens one
# TCP connection to Kamailio (real, TCP listener) and sends three INVITEs on
# it, 1 s apart: busy486 (answered 486), decline with an extra
# "X-Legacy-Routing" header (Kamailio's policy drops it without any
# response), busy600 (answered 600). 34 s later an OPTIONS on the same
# connection (200) keeps the capture going past Timer B of the dropped INVITE.
SIPFILTER="tcp port 5060"
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
kam_start main WITH_TCP
sleep 1.5	# the TCP listener comes up after the UDP one
cap_start tcp-discarded.pcap
craft tcpuac --invites busy486,decline+X-Legacy-Routing,busy600 --linger 34 \
	2>"$LAB_TMP/tcp.log" || die "tcp client failed"
cap_stop
