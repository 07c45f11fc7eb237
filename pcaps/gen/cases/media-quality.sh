#!/bin/bash
# media-quality.pcap: REAL, with RTP. alice calls bob through Kamailio; both
# baresips send G.711 (a 440 Hz tone). An nftables rule in the lab's own
# namespace drops one in ten of bob's RTP packets at random (numgen), as a
# lossy link would; alice hangs up after 10 s. sipwatch: media-quality on
# bob's stream (about 10 % lost, MOS below 3.1).
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
SIPFILTER="udp and not port 53"
kam_start main
ua_start alice
ua_start bob
sleep 1
nft add table inet lab &&
	nft add chain inet lab out '{ type filter hook output priority 0; }' &&
	nft add rule inet lab out ip daddr 127.0.0.11 udp dport 20000-20999 \
	    numgen random mod 10 0 drop ||
	die "nft"
cap_start media-quality.pcap
call_setup alice bob 1
sleep 10
ua alice hangup
cap_stop
