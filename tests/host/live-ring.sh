#!/bin/sh
# The live capture ring on lo (root only; nothing leaves loopback):
# - with the defaults, a burst of 5,000 SIP datagrams sent while sipwatch
#   is stopped (SIGSTOP) waits in the kernel ring and is all counted
#   after SIGCONT, none dropped (a ring of one 64 KiB slot per packet held
#   about 30);
# - with -B 1 the same burst times four overflows the ring, and the
#   kernel_drops of the report are exactly the packets missing: on lo each
#   looped packet is counted once, not twice (sent and received copy);
# - the packets still in the ring block not yet handed over when SIGINT
#   comes are read before the report (a single datagram, then SIGINT);
# - on -i any (captured, nothing sent but on lo) the report has a
#   kernel_drops_note saying what the counter counts there.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || skip "live capture needs root"
command -v python3 >/dev/null || skip "python3 not installed"

tmp=$(mktemp -d) || hard_error "mktemp"
spid=
trap '[ -n "$spid" ] && kill -CONT "$spid" 2>/dev/null && kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT
port=$((30000 + $$ % 20000))

# send N: N OPTIONS datagrams to 127.0.0.1:PORT, received by a socket
# that never reads (so no ICMP); prints how many were sent.
send() {
	python3 - "$port" "$1" <<'PY'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("127.0.0.1", port))
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sent = 0
for i in range(n):
    m = ("OPTIONS sip:ring@127.0.0.1 SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-%d\r\n"
         "From: <sip:t@127.0.0.1>;tag=%d\r\nTo: <sip:ring@127.0.0.1>\r\n"
         "Call-ID: ring-%d@127.0.0.1\r\nCSeq: 1 OPTIONS\r\n"
         "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
         % (port + 1, i, i, i)).encode()
    tx.sendto(m, ("127.0.0.1", port))
    sent += 1
print(sent)
PY
}

start() {	# sipwatch options... (on lo, or on $ifname)
	rm -f "$tmp/err" "$tmp/report.json"
	"$SIPWATCH" -i "${ifname:-lo}" -N --report=json "$@" \
	    "udp dst port $port" >"$tmp/report.json" 2>"$tmp/err" &
	spid=$!
	i=0
	until grep -q "listening on ${ifname:-lo}" "$tmp/err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$tmp/err"; hard_error "no start"; }
		sleep 0.1
	done
}

stop() {
	kill -INT "$spid"
	wait "$spid" || { cat "$tmp/err"; fail "sipwatch exited $?"; }
	spid=
}

field() {	# capture field of the report
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["capture"][sys.argv[2]])' \
	    "$tmp/report.json" "$1"
}

# 1. Defaults: a burst while stopped is held by the ring.
start
kill -STOP "$spid"
sent=$(send 5000)
kill -CONT "$spid"
sleep 1
stop
got=$(field packets) drops=$(field kernel_drops)
echo "defaults: sent $sent while stopped, captured $got, kernel drops $drops"
[ "$got" -eq "$sent" ] && [ "$drops" -eq 0 ] ||
    fail "defaults: the ring did not hold a burst of $sent packets"
echo "ok:   the default ring holds a burst of $sent datagrams"

# 2. -B 1 overflows: kernel_drops counts each lost packet once.
start -B 1
kill -STOP "$spid"
sent=$(send 20000)
kill -CONT "$spid"
sleep 1
stop
got=$(field packets) drops=$(field kernel_drops)
echo "-B 1: sent $sent while stopped, captured $got, kernel drops $drops"
[ "$drops" -gt 0 ] || fail "-B 1: the burst did not overflow the ring"
[ $((got + drops)) -eq "$sent" ] ||
    fail "-B 1: captured $got + kernel drops $drops != sent $sent"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["capture"]; sys.exit("kernel_drops_note" in c)' \
    "$tmp/report.json" || fail "-B 1: a kernel_drops_note on lo"
echo "ok:   -B 1: kernel_drops ($drops) = packets lost, counted once"

# 3. SIGINT right after one datagram: it is still read.
start
sent=$(send 1)
stop
got=$(field packets)
[ "$got" -eq 1 ] || fail "SIGINT: the last datagram was not read ($got)"
echo "ok:   SIGINT reads the ring block not yet handed over"

# 4. -i any: the report says what kernel_drops counts there (a lost
# packet between two local sockets takes ring space twice).
ifname=any start
sent=$(send 10)
sleep 0.2
stop
got=$(field packets)
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["capture"]; print(c["kernel_drops_note"])' \
    "$tmp/report.json" >"$tmp/note" || fail "-i any: no kernel_drops_note"
grep -q "twice" "$tmp/note" || fail "-i any: note \"$(cat "$tmp/note")\""
[ "$got" -eq "$sent" ] || fail "-i any: captured $got of $sent"
echo "ok:   -i any: $got of $sent captured; note: $(cat "$tmp/note")"
echo "live ring: all checks passed"
