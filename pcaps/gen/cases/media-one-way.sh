#!/bin/bash
# media-one-way.pcap: REAL, with RTP. alice calls bob through Kamailio; both
# baresips send G.711 (a 440 Hz tone). An nftables rule in the lab's own
# namespace (output hook) drops every RTP packet alice sends (to bob's RTP port), as a firewall
# on her side would: only bob's audio reaches the capture. bob hangs up
# after 8 s. sipwatch: one-way-media, alice (the caller) the silent side.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
SIPFILTER="udp and not port 53"
kam_start main
ua_start alice
ua_start bob
sleep 1
nft add table inet lab &&
	nft add chain inet lab out '{ type filter hook output priority 0; }' &&
	nft add rule inet lab out ip daddr 127.0.0.12 udp dport 20000-20999 drop ||
	die "nft"
cap_start media-one-way.pcap
call_setup alice bob 1
sleep 8
ua bob hangup
cap_stop
