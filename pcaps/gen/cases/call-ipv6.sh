#!/bin/bash
# call-ipv6.pcap: call-normal over IPv6 loopback: Kamailio on [::1]:5060,
# alice on [::1]:5062, bob on [::1]:5064. Real software: baresip x2 + Kamailio.
. "$(dirname "$0")/../lib.sh"
lab_enter "$@"
export LAB_IPV6=1
kam_start main WITH_IPV6
ua_start alice
ua_start bob
sleep 1
cap_start call-ipv6.pcap
call_setup alice bob 1
sleep 3
ua alice hangup
cap_stop
