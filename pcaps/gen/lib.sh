# shellcheck shell=bash
# Helpers shared by the capture scripts in pcaps/gen/cases/.
#
# Every case runs inside a private network namespace (unshare -n) that has
# nothing but a loopback interface, so no packet can leave the machine and no
# stray DNS query can go anywhere. A private mount namespace (unshare -m)
# lets the lab bind-mount its own /etc/hosts (example.com -> 127.0.0.1) and
# /etc/resolv.conf (127.0.0.1) without touching the host's files. Source this file, then call lab_enter "$@"
# first thing in a case script.

GEN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PCAPS=$(dirname "$GEN")
KAMCFG="$GEN/kamailio/lab.cfg"
OUT=${OUT:-$PCAPS}
# Default capture filter: SIP only, no RTP, no ctrl_tcp.
SIPFILTER=${SIPFILTER:-"udp portrange 5060-5090"}

declare -a LAB_PIDS=()
LAB_CAP_PID=""

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() {
	log "FAILED: $*"
	exit 1
}

# Re-exec the calling script inside a fresh network namespace.
lab_enter() {
	if [ -z "${SIPW_IN_NETNS:-}" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "must run as root (network namespace + tcpdump)" >&2
			exit 1
		fi
		export SIPW_IN_NETNS=1
		SIPW_HOST_NETNS=$(readlink /proc/self/ns/net)
		SIPW_HOST_MNTNS=$(readlink /proc/self/ns/mnt)
		export SIPW_HOST_NETNS SIPW_HOST_MNTNS
		exec unshare -n -m -- bash "$0" "$@"
	fi
	# refuse to touch the host's files if the namespaces are missing
	[ -n "${SIPW_HOST_NETNS:-}" ] &&
		[ "$(readlink /proc/self/ns/net)" != "$SIPW_HOST_NETNS" ] &&
		[ "$(readlink /proc/self/ns/mnt)" != "$SIPW_HOST_MNTNS" ] || {
		echo "not in a private network namespace" >&2
		exit 1
	}
	ip link set lo up
	LAB_TMP=$(mktemp -d /tmp/sipwatch-lab.XXXXXX)
	export LAB_TMP
	printf '%s\n' '127.0.0.1	localhost' \
		'127.0.0.1	example.com pbx.example.com' \
		'127.0.0.2	gw.example.com' \
		'127.0.0.11	alice.example.com' \
		'127.0.0.12	bob.example.com' \
		'127.0.0.13	carol.example.com' \
		"127.0.0.1	$(hostname)" \
		'::1	localhost ip6-localhost' >"$LAB_TMP/hosts"
	echo "nameserver 127.0.0.1" >"$LAB_TMP/resolv.conf"
	mount --bind "$LAB_TMP/hosts" /etc/hosts
	mount --bind "$LAB_TMP/resolv.conf" /etc/resolv.conf
	trap lab_cleanup EXIT
	trap 'exit 130' INT TERM
}

lab_cleanup() {
	local p
	if [ -n "$LAB_CAP_PID" ]; then
		kill "$LAB_CAP_PID" 2>/dev/null
		wait "$LAB_CAP_PID" 2>/dev/null
	fi
	for p in "${LAB_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	# baresip lingers until its last SIP transaction ends (up to 32 s):
	# give everyone 3 s, then force
	local i alive
	for i in $(seq 30); do
		alive=0
		for p in "${LAB_PIDS[@]}"; do
			kill -0 "$p" 2>/dev/null && alive=1
		done
		[ $alive = 0 ] && break
		sleep 0.1
	done
	for p in "${LAB_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$LAB_TMP"
}

# cap_start NAME [tcpdump options...]  - capture on lo (default) with SIPFILTER.
# Extra options go before the filter, e.g. cap_start x.pcap -i any -y LINUX_SLL2
cap_start() {
	local name=$1
	shift
	local iface=(-i lo)
	for a in "$@"; do [ "$a" = "-i" ] && iface=(); done
	LAB_CAP_FILE="$LAB_TMP/$name"
	LAB_CAP_NAME=$name
	tcpdump --immediate-mode -U -n -s 0 "${iface[@]}" "$@" -w "$LAB_CAP_FILE" "$SIPFILTER" \
		2>"$LAB_TMP/tcpdump.log" &
	LAB_CAP_PID=$!
	# wait until tcpdump is listening
	local i
	for i in $(seq 50); do
		grep -q listening "$LAB_TMP/tcpdump.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3
}

# cap_stop  - stop tcpdump and move the capture into place
cap_stop() {
	# packets reach the capture socket with some delay here: give it time
	sleep 1.5
	kill "$LAB_CAP_PID"
	wait "$LAB_CAP_PID" 2>/dev/null
	LAB_CAP_PID=""
	cp "$LAB_CAP_FILE" "$OUT/$LAB_CAP_NAME"
	log "wrote $OUT/$LAB_CAP_NAME ($(stat -c %s "$OUT/$LAB_CAP_NAME") bytes)"
}

# kam_start TAG [kamailio -A defines...]
# (WITH_TCP needs TCP worker processes: -DD, foreground but forking.)
kam_start() {
	local tag=$1
	shift
	local defs=() d fork=-D
	for d in "$@"; do
		defs+=(-A "$d")
		[ "$d" = WITH_TCP ] && fork=-DD
	done
	mkdir -p "$LAB_TMP/kam-$tag"
	kamailio -f "$KAMCFG" $fork -E -Y "$LAB_TMP/kam-$tag" -w "$LAB_TMP/kam-$tag" \
		-m 32 -M 4 "${defs[@]}" >"$LAB_TMP/kam-$tag.log" 2>&1 &
	LAB_PIDS+=($!)
	local i
	for i in $(seq 50); do
		grep -q 'init_tcp\|main process\|udp_rcv_loop\|INFO: <core> \[core/udp_server' "$LAB_TMP/kam-$tag.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.5
}

# bs_start NAME IP PORT CTRLPORT ACCOUNT-LINE [extra config lines...]
# Starts a headless baresip (no sound card: ausine source, aubridge sink)
# listening for SIP on IP:PORT, controlled over ctrl_tcp on 127.0.0.1:CTRLPORT.
bs_start() {
	local name=$1 ip=$2 port=$3 ctrl=$4 acct=$5
	shift 5
	local af=-4 listen="$ip:$port"
	case $ip in *:*) af=-6; listen="[$ip]:$port" ;; esac
	local dir="$LAB_TMP/bs-$name"
	mkdir -p "$dir"
	cat >"$dir/config" <<EOF
poll_method		epoll
sip_listen		$listen
call_local_timeout	120
call_max_calls		4
audio_player		aubridge,sink-$name
audio_source		ausine,440
audio_alert		aubridge,sink-$name
ausrc_srate		48000
ausrc_channels		2
audio_level		no
rtp_ports		20000-20999
rtp_timeout		0
dns_server		127.0.0.1:53
net_interface		$ip
module_path		/usr/lib/baresip/modules
module			g711.so
module			ausine.so
module			aubridge.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$ctrl
EOF
	local l
	for l in "$@"; do echo "$l" >>"$dir/config"; done
	echo "$acct" >"$dir/accounts"
	: >"$dir/contacts"
	printf "00000000-0000-4000-8000-00000000%04d" "$ctrl" >"$dir/uuid"
	baresip $af -f "$dir" </dev/null >"$LAB_TMP/bs-$name.log" 2>&1 &
	LAB_PIDS+=($!)
	local i
	for i in $(seq 50); do
		grep -q 'baresip is ready' "$LAB_TMP/bs-$name.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3
}

# bs CTRLPORT COMMAND [PARAMS]
bs() { python3 "$GEN/bsctl.py" "$@"; }
# bs_wait CTRLPORT EVENT [TIMEOUT]
bs_wait() { python3 "$GEN/bsctl.py" "$1" --wait "$2" "${3:-30}"; }

# craft ARGS...  - run the crafted-traffic generator
craft() { python3 "$GEN/sipcraft.py" "$@"; }

# The lab's cast. Each baresip UA has its own loopback address, SIP on :5060,
# and a ctrl_tcp port on 127.0.0.1. All register to Kamailio (127.0.0.1:5060)
# with digest auth (password "secret").
# With LAB_IPV6=1 everything uses ::1 instead (one address: distinct ports).
ua_addr() {
	local n
	case $1 in
	alice) n=1 ;;
	bob) n=2 ;;
	carol) n=3 ;;
	dave) n=4 ;;
	*) echo "unknown UA $1" >&2; return 1 ;;
	esac
	local disp=${1^}
	if [ -n "${LAB_IPV6:-}" ]; then
		echo "::1 $((5060 + 2 * n)) 441$n $disp"
	else
		echo "127.0.0.1$n 5060 441$n $disp"
	fi
}
lab_proxy() { if [ -n "${LAB_IPV6:-}" ]; then echo "[::1]:5060"; else echo "127.0.0.1:5060"; fi; }

# ua_start NAME [extra account params, e.g. ";answermode=auto"] [config lines...]
ua_start() {
	local name=$1 extra=${2:-}
	shift
	[ $# -gt 0 ] && shift
	local ip port ctrl disp
	read -r ip port ctrl disp <<<"$(ua_addr "$name")"
	case $extra in *answermode=*) ;; *) extra=";answermode=manual$extra" ;; esac
	bs_start "$name" "$ip" "$port" "$ctrl" \
		"\"$disp\" <sip:$name@example.com>;auth_pass=secret;outbound=\"sip:$(lab_proxy)\";regint=600$extra" "$@"
}

# ua NAME COMMAND [PARAMS] [--wait EVENT [TIMEOUT]]  - drive a UA over ctrl_tcp
ua() {
	local name=$1
	shift
	local ip port ctrl disp
	read -r ip port ctrl disp <<<"$(ua_addr "$name")"
	bs "$ctrl" "$@"
}

# ua_wait NAME EVENT [TIMEOUT]
ua_wait() {
	local ip port ctrl disp
	read -r ip port ctrl disp <<<"$(ua_addr "$1")"
	bs_wait "$ctrl" "$2" "${3:-30}"
}

# call_setup CALLER CALLEE [ring seconds] - CALLER dials CALLEE, CALLEE answers
# after ringing; returns when the call is established at the callee.
call_setup() {
	local from=$1 to=$2 ring=${3:-1}
	ua_wait "$to" CALL_INCOMING 10 >/dev/null &
	local w=$!
	sleep 0.5 # let the waiter connect
	ua "$from" dial "sip:$to@example.com" >/dev/null
	wait $w || die "call $from -> $to: no CALL_INCOMING"
	sleep "$ring"
	ua "$to" accept --wait CALL_ESTABLISHED 10 >/dev/null ||
		die "call $from -> $to: not established"
}

# dial_fail CALLER TARGET-URI  - CALLER dials TARGET and waits until the call
# is closed (for targets that reject the call).
dial_fail() {
	ua "$1" dial "$2" --wait CALL_CLOSED 40 >/dev/null || die "$1 dial $2: call not closed"
}

# pinger_start COUNT [INTERVAL]  - a monitoring probe (sipsak from
# 127.0.0.1:5079) sends OPTIONS sip:127.0.0.1 to Kamailio every INTERVAL
# (default 5) seconds, COUNT times, in the background: harmless traffic that
# keeps a capture's clock running past a timer.
pinger_start() {
	local n=$1 gap=${2:-5}
	(
		for _ in $(seq "$n"); do
			sleep "$gap"
			sipsak -l 5079 -s sip:127.0.0.1 >>"$LAB_TMP/pinger.log" 2>&1
		done
	) &
	LAB_PINGER=$!
}
pinger_wait() { wait "$LAB_PINGER"; }
