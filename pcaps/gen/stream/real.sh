#!/bin/bash
# real.sh: stream captures made with real software (Kamailio, sipsak,
# OpenSSL) on a private loopback (unshare -n) whose MTU is lowered to 620
# bytes, with segmentation offloads off so the capture shows the segments
# and fragments that would cross a real link.  Writes into pcaps/:
#
#   tcp-segments.pcap   SIP over TCP: OPTIONS, a 2.5 KB MESSAGE in five
#                       segments, REGISTER, a 3 KB INVITE (404)
#   tcp-pipelined.pcap  sipsak flood over one TCP connection: several
#                       OPTIONS per segment and OPTIONS across segments
#   udp-fragments.pcap  a 3 KB INVITE over UDP, IPv4-fragmented, and the
#                       404 Kamailio answers
#   tls-5061.pcap       OpenSSL client and server on 5061 (SIP inside TLS:
#                       counted as encrypted, not decoded)
#
# Usage (root): pcaps/gen/stream/real.sh [OUTDIR]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$(dirname "$(dirname "$HERE")")}
if [ -z "${SW_IN_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }
	export SW_IN_NS=1
	exec unshare -n -- bash "$0" "$OUT"
fi
TMP=$(mktemp -d /tmp/sipwatch-stream.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

# This namespace's own loopback: small MTU, no offloads.
ip link set lo up
ip link set lo mtu 620
ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true

mkdir -p "$TMP/kam"
kamailio -f "$HERE/kamailio-tcp.cfg" -DD -E -w "$TMP/kam" -Y "$TMP/kam" \
	-m 32 -M 4 >"$TMP/kam.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do
	grep -q "tcp: 127.0.0.1" "$TMP/kam.log" 2>/dev/null && break
	sleep 0.1
done
sleep 0.5

cap_start() {
	tcpdump --immediate-mode -U -n -s 0 -i lo -w "$TMP/$1" "$2" \
		2>"$TMP/tcpdump.log" &
	CAP=$!
	for _ in $(seq 50); do
		grep -q listening "$TMP/tcpdump.log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3
}
cap_stop() {
	sleep 1
	kill "$CAP"
	wait "$CAP" 2>/dev/null || true
	cp "$TMP/$1" "$OUT/$1"
	echo "wrote $OUT/$1 ($(stat -c %s "$OUT/$1") bytes)" >&2
}

# A message for sipsak -f: METHOD RURI TRANSPORT BODYLINES
msg() {
	python3 - "$@" <<'PY'
import sys
method, ruri, tp, lines = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
body = "".join("a=x-line-%04d:%s\r\n" % (i, "z" * 40) for i in range(lines))
ctype = "Content-Type: application/sdp\r\n" if method == "INVITE" else \
    "Content-Type: text/plain\r\n" if body else ""
print("%s %s SIP/2.0\r\n"
      "Via: SIP/2.0/%s 127.0.0.1:5099;branch=z9hG4bK-%s-1\r\n"
      "From: <sip:tester@example.com>;tag=t-%s\r\n"
      "To: <%s>\r\n"
      "Call-ID: %s-%s@127.0.0.1\r\n"
      "CSeq: 1 %s\r\n"
      "Contact: <sip:tester@127.0.0.1:5099;transport=%s>\r\n"
      "Max-Forwards: 70\r\n%s"
      "Content-Length: %d\r\n\r\n%s" % (method, ruri, tp, method, method,
      ruri, method.lower(), tp.lower(), method, tp.lower(), ctype,
      len(body), body), end="")
PY
}

# 1. TCP, messages across segments.
msg MESSAGE sip:echo@127.0.0.1 TCP 40 >"$TMP/message.txt"
msg REGISTER sip:127.0.0.1 TCP 0 >"$TMP/register.txt"
msg INVITE sip:nobody@127.0.0.1 TCP 50 >"$TMP/invite.txt"
cap_start tcp-segments.pcap "tcp port 5060"
sipsak --transport=tcp -s sip:127.0.0.1 >/dev/null 2>&1 || true
sipsak --transport=tcp -f "$TMP/message.txt" -s sip:echo@127.0.0.1 >/dev/null 2>&1 || true
sipsak --transport=tcp -f "$TMP/register.txt" -s sip:tester@127.0.0.1 >/dev/null 2>&1 || true
sipsak --transport=tcp -f "$TMP/invite.txt" -s sip:nobody@127.0.0.1 >/dev/null 2>&1 || true
cap_stop tcp-segments.pcap

# 2. TCP, pipelined: many requests on one connection, no waiting.
cap_start tcp-pipelined.pcap "tcp port 5060"
sipsak --transport=tcp -F -e 60 -s sip:127.0.0.1 >/dev/null 2>&1 || true
cap_stop tcp-pipelined.pcap

# 3. UDP, IP fragments.
msg INVITE sip:nobody@127.0.0.1 UDP 50 >"$TMP/invite-udp.txt"
cap_start udp-fragments.pcap "udp port 5060 or (ip[6:2] & 0x1fff != 0)"
sipsak -f "$TMP/invite-udp.txt" -s sip:nobody@127.0.0.1 >/dev/null 2>&1 || true
cap_stop udp-fragments.pcap

# 4. TLS on 5061: encrypted, not decoded.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=example.com -days 1 \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
openssl s_server -quiet -accept 127.0.0.1:5061 -cert "$TMP/cert.pem" \
	-key "$TMP/key.pem" >/dev/null 2>&1 &
PIDS+=($!)
sleep 0.5
cap_start tls-5061.pcap "tcp port 5061"
{ msg OPTIONS sip:127.0.0.1 TLS 0 2>/dev/null; sleep 0.5; } |
	timeout 5 openssl s_client -quiet -connect 127.0.0.1:5061 >/dev/null 2>&1 || true
cap_stop tls-5061.pcap
