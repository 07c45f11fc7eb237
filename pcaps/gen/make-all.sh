#!/bin/bash
# Regenerate every capture in pcaps/ (needs root: network namespaces, tcpdump).
# Usage: pcaps/gen/make-all.sh [CASE...]     (default: all cases, in order)
# Each case is pcaps/gen/cases/NAME.sh; it runs in its own private network
# namespace with only a loopback interface. Real software used: kamailio,
# baresip, sipsak, tcpdump (Debian 12 packages: kamailio baresip-core sipsak
# tcpdump). tshark is only used for checking.
set -u
GEN=$(cd "$(dirname "$0")" && pwd)
cd "$GEN/cases" || exit 1
for t in kamailio baresip sipsak tcpdump unshare python3; do
	command -v "$t" >/dev/null || { echo "missing: $t (apt-get install -y kamailio baresip-core sipsak tcpdump)" >&2; exit 1; }
done
CASES=(
	# core set
	call-normal transfer-blind 503-retry-after retry-after-violation
	retry-after-honoured 502-bad-gateway 500-server-error 603-decline
	register-401 call-ipv6 call-sll call-sll2 vlan-qinq
	# rule set
	refer-no-notify invite-timeout non-invite-timeout ack-missing
	retransmission refer-rejected transfer-failed premature-retry
	server-error-burst 302-redirect redirect-loop global-failure scanner
	auth-failure-burst loop-detected
	# issue 14: the failures engineers meet, and advice that fits
	registration-failed subscription-failed media-rejected call-failure-rate
	not-a-loop refer-488 tcp-discarded cancel-unanswered silent-far-end
	# issue 16: calls with RTP (needs nft)
	media-one-way media-quality
)
[ $# -gt 0 ] && CASES=("$@")
rc=0
for c in "${CASES[@]}"; do
	echo "=== $c" >&2
	case $c in
	call-sll2) bash call-sll.sh call-sll2.pcap -y LINUX_SLL2 ;;
	*) bash "$c.sh" ;;
	esac || { echo "=== $c FAILED" >&2; rc=1; }
done
exit $rc
