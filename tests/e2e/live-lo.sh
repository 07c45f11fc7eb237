#!/bin/sh
# Live capture on the loopback interface while real SIP traffic flows:
# sipsak sends OPTIONS and REGISTER to a Kamailio started here on
# 127.0.0.1 (a port of its own, nothing leaves loopback).  sipwatch must
# count exactly what was sent, stop cleanly on SIGINT and on SIGTERM, and
# print its report either way.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || skip "live capture needs root"
command -v kamailio >/dev/null || skip "kamailio not installed"
command -v sipsak >/dev/null || skip "sipsak not installed"
KMODS=$(dirname "$(find /usr/lib -name sl.so -path '*kamailio*' | head -n 1)")
[ -d "$KMODS" ] || skip "kamailio modules not found"

tmp=$(mktemp -d) || hard_error "mktemp"
port=$((20000 + $$ % 20000))
cleanup() {
	[ -n "${kpid:-}" ] && kill "$kpid" 2>/dev/null
	[ -n "${spid:-}" ] && kill "$spid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

cat >"$tmp/kamailio.cfg" <<CFG
#!KAMAILIO
debug=0
log_stderror=yes
children=1
listen=udp:127.0.0.1:$port
mpath="$KMODS/"
loadmodule "sl.so"
loadmodule "textops.so"
request_route {
	if (is_method("ACK")) exit;
	if (is_method("REGISTER")) { sl_send_reply("403", "Forbidden"); exit; }
	sl_send_reply("200", "OK");
}
CFG
kamailio -f "$tmp/kamailio.cfg" -DD -E -P "$tmp/k.pid" \
    -Y "$tmp" >"$tmp/k.log" 2>&1 &
kpid=$!
daemon_wait kamailio "$kpid" "$tmp/k.log" "listening on udp 127.0.0.1:$port" \
    listening udp 127.0.0.1 "$port" || hard_error "$daemon_why"

# sipsak talks to it (with 127.0.0.1 as its host name: sipsak_run); its
# output is in $tmp/sipsak.log.
sipsak_run "$tmp/sipsak.log" -s "sip:probe@127.0.0.1:$port" \
    -l $((port + 1)) || { cat "$tmp/sipsak.log" "$tmp/k.log";
    hard_error "kamailio on 127.0.0.1:$port did not answer sipsak's OPTIONS"; }

run_live() {	# $1: signal to stop with; $2: OPTIONS to send; $3: REGISTERs
	# A fresh file: the background start truncates it only later.
	rm -f "$tmp/err" "$tmp/report.json"
	"$SIPWATCH" -i lo -N --report=json "udp port $port" \
	    >"$tmp/report.json" 2>"$tmp/err" &
	spid=$!
	daemon_wait "sipwatch -i lo" "$spid" "$tmp/err" 'saying "listening on lo"' \
	    grep -q "listening on lo" "$tmp/err" || fail "$daemon_why"
	: >"$tmp/sipsak.log"
	n=0
	while [ $n -lt "$2" ]; do
		sipsak_run "$tmp/sipsak.log" -s "sip:bob$n@127.0.0.1:$port" \
		    -l $((port + 2)) ||
		    { cat "$tmp/sipsak.log"; fail "OPTIONS $n got no answer"; }
		n=$((n + 1))
	done
	n=0
	while [ $n -lt "$3" ]; do
		# sipsak -U registers; Kamailio refuses with 403 (so sipsak
		# exits non-zero: its output is in the log).
		sipsak_run "$tmp/sipsak.log" -U \
		    -C "sip:alice@127.0.0.1:$((port + 3))" \
		    -s "sip:alice@127.0.0.1:$port" -l $((port + 3))
		n=$((n + 1))
	done
	sleep 0.5
	kill "-$1" "$spid"
	wait "$spid"
	status=$?
	spid=
	[ "$status" -eq 0 ] || { cat "$tmp/err"; fail "sipwatch exited $status after SIG$1"; }
}

check() {	# $1: python expression over r (the report) that must hold
	python3 - "$tmp/report.json" "$1" <<'PY' || { cat "$tmp/report.json"; fail "$1"; }
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
s = r["sip"]
ok = eval(sys.argv[2])
print(("ok:   " if ok else "FAIL: ") + sys.argv[2])
sys.exit(0 if ok else 1)
PY
}

# sipsak retransmits a request that is not answered within T1, which a
# loaded machine can cause: transactions count each request once, and
# every retransmission must be recognised as one.
txn='r["transactions"]["by_method"]'
run_live INT 20 0
check "$txn.get(\"OPTIONS\") == 20"
check 's["requests"]["OPTIONS"] - 20 + s["responses"]["200"] - 20 == s["retransmissions"]'
check 's["messages"] == s["requests"]["OPTIONS"] + s["responses"]["200"]'
check 'r["capture"]["parse_errors"] == 0 and r["capture"]["kernel_drops"] == 0'
check 'r["source"]["type"] == "interface"'

run_live TERM 5 3
check "$txn.get(\"OPTIONS\") == 5 and $txn.get(\"REGISTER\") == 3"
check 's["responses"].get("403", 0) >= 3 and s["responses"]["200"] >= 5'
check 's["requests"]["OPTIONS"] + s["requests"]["REGISTER"] - 8 + s["responses"]["200"] - 5 + s["responses"]["403"] - 3 == s["retransmissions"]'
echo "live capture on lo: counts match the traffic sent"
