#!/bin/sh
# Kamailio's siptrace module as a HEP capture agent, into
# `sipwatch --hep-listen`.  Two Kamailio instances on 127.0.0.1: a
# stateless proxy (HEPv3, capture id 101) in front of a registrar that
# answers OPTIONS with 200 and REGISTER with 403 (HEPv2, as older agents
# send it, capture id 202).  sipsak talks to the proxy.  Each instance
# mirrors what it receives and sends (trace_mode 1), so the proxy-to-
# registrar leg is reported by both agents: sipwatch must analyse every
# message once, count the second copy as a duplicate (not a
# retransmission), and list both agents.  Nothing leaves loopback.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

command -v kamailio >/dev/null || skip "kamailio not installed"
command -v sipsak >/dev/null || skip "sipsak not installed"
command -v python3 >/dev/null || skip "python3 not installed"
KMODS=$(dirname "$(find /usr/lib -name siptrace.so -path '*kamailio*' |
    head -n 1)")
[ -f "$KMODS/siptrace.so" ] || skip "kamailio siptrace module not found"

tmp=$(mktemp -d) || hard_error "mktemp"
proxy=$(hep_port 3)
registrar=$((proxy + 1))
hep=$((proxy + 2))
client=$((proxy + 3))
ppid= rpid= collector_pid=
cleanup() {
	[ -n "$collector_pid" ] && kill "$collector_pid" 2>/dev/null
	[ -n "$ppid" ] && kill "$ppid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

kcfg() {	# $1 port, $2 HEP version, $3 capture id, $4 routing block
	cat <<CFG
#!KAMAILIO
debug=0
log_stderror=yes
children=1
listen=udp:127.0.0.1:$1
mpath="$KMODS/"
loadmodule "sl.so"
loadmodule "textops.so"
loadmodule "siptrace.so"
modparam("siptrace", "duplicate_uri", "sip:127.0.0.1:$hep")
modparam("siptrace", "hep_mode_on", 1)
modparam("siptrace", "hep_version", $2)
modparam("siptrace", "hep_capture_id", $3)
modparam("siptrace", "trace_to_database", 0)
modparam("siptrace", "trace_on", 1)
modparam("siptrace", "trace_mode", 1)
request_route {
$4
}
CFG
}
kcfg "$proxy" 3 101 "	forward(\"127.0.0.1\", $registrar);" >"$tmp/proxy.cfg"
kcfg "$registrar" 2 202 '	if (is_method("ACK")) exit;
	if (is_method("REGISTER")) { sl_send_reply("403", "Forbidden"); exit; }
	sl_send_reply("200", "OK");' >"$tmp/registrar.cfg"

start_collector "$tmp/hep.json" "$tmp/err" "udp://127.0.0.1:$hep" \
    --alerts="$tmp/alerts.json"
# Own sessions: Kamailio signals its whole process group when it stops.
mkdir -p "$tmp/p" "$tmp/r"
setsid kamailio -f "$tmp/proxy.cfg" -DD -E -P "$tmp/p/pid" -Y "$tmp/p" \
    >"$tmp/proxy.log" 2>&1 &
ppid=$!
setsid kamailio -f "$tmp/registrar.cfg" -DD -E -P "$tmp/r/pid" -Y "$tmp/r" \
    >"$tmp/registrar.log" 2>&1 &
rpid=$!

# Wait until both listen, so no request goes out before the registrar
# can answer it: a probe sent too early would be retransmitted and
# counted.
daemon_wait "kamailio (proxy)" "$ppid" "$tmp/proxy.log" \
    "listening on udp 127.0.0.1:$proxy" listening udp 127.0.0.1 "$proxy" ||
    hard_error "$daemon_why"
daemon_wait "kamailio (registrar)" "$rpid" "$tmp/registrar.log" \
    "listening on udp 127.0.0.1:$registrar" \
    listening udp 127.0.0.1 "$registrar" || hard_error "$daemon_why"
# sipsak with T1 = 4 s: on a slow machine it must not retransmit while
# the two proxies answer (a real retransmission would be counted as one).
# 127.0.0.1 as its host name (sipsak_run); its output in $tmp/sipsak.log.
sipsak_() {
	sipsak_run "$tmp/sipsak.log" --timer-t1=4000 "$@"
}
sipsak_ -s "sip:probe@127.0.0.1:$proxy" -l "$client" ||
    { cat "$tmp/sipsak.log" "$tmp/proxy.log" "$tmp/registrar.log";
    fail "no answer from the proxy on 127.0.0.1:$proxy to sipsak's OPTIONS"; }
options=5 registers=3
n=0
while [ $n -lt $options ]; do
	sipsak_ -s "sip:bob$n@127.0.0.1:$proxy" -l "$client" ||
	    { cat "$tmp/sipsak.log"; fail "OPTIONS $n got no answer"; }
	n=$((n + 1))
done
n=0
while [ $n -lt $registers ]; do
	sipsak_ -U -C "sip:alice@127.0.0.1:$client" \
	    -s "sip:alice@127.0.0.1:$proxy" -l "$client"
	n=$((n + 1))
done
# Every transaction: 4 messages analysed, 2 duplicates (the proxy-to-
# registrar leg seen by both).  sipsak -U may retry a REGISTER once it
# is refused: count from what the registrar answered instead.
sleep 0.5
stop_collector
kill "$ppid" "$rpid"
wait "$ppid" "$rpid" 2>/dev/null
ppid= rpid=

python3 - "$tmp/hep.json" "$((options + 1))" "$registers" "$proxy" \
    "$registrar" <<'PY' || fail "report"
import json, sys
d = json.loads(open(sys.argv[1]).read().splitlines()[-1])
options, registers = int(sys.argv[2]), int(sys.argv[3])
sip, hep = d["sip"], d["hep"]["received"]
reg = sip["requests"].get("REGISTER", 0)
assert sip["requests"].get("OPTIONS") == 2 * options, sip
assert reg >= 2 * registers and reg % 2 == 0, sip
assert sip["responses"].get("200") == 2 * options, sip
assert sip["responses"].get("403") == reg, sip
assert sip["retransmissions"] == 0, sip
assert hep["messages"] == sip["messages"], hep
assert hep["duplicates"] == sip["messages"] // 2, hep
assert hep["versions"]["3"] + hep["versions"]["2"] == hep["packets"], hep
agents = sorted((a["capture_id"], a["address"]) for a in hep["agents"])
assert agents == [(101, "127.0.0.1"), (202, "127.0.0.1")], agents
# Per agent: the proxy reports all four messages of a transaction, the
# registrar two; whichever copy of a shared one comes first is analysed.
byid = {a["capture_id"]: a for a in hep["agents"]}
assert byid[101]["packets"] == 2 * byid[202]["packets"], byid
assert sum(a["messages"] for a in byid.values()) == hep["messages"], byid
assert sum(a["duplicates"] for a in byid.values()) == hep["duplicates"], byid
assert d["transactions"]["request_retransmissions"] == 0, d["transactions"]
# Each endpoint with the agent that last reported it: the proxy, the
# registrar, and sipsak's ports (only the proxy sees those).
peers = {p["peer"]: p["agent"] for p in hep["peers"]}
assert "127.0.0.1:%s" % sys.argv[4] in peers, peers
assert "127.0.0.1:%s" % sys.argv[5] in peers, peers
assert set(peers.values()) <= {"101@127.0.0.1", "202@127.0.0.1"}, peers
assert all(a == "101@127.0.0.1" for p, a in peers.items()
           if p.split(":")[1] not in sys.argv[4:6]), peers
print("ok   %d messages from 2 agents (v3 + v2), %d duplicates not counted"
      % (hep["messages"], hep["duplicates"]))
PY
# The registrar refuses every REGISTER: alice cannot register (one
# registration-failed incident for her AOR), and nothing else is raised.
python3 - "$tmp/alerts.json" <<'PY' || { cat "$tmp/alerts.json"; fail "unexpected alerts"; }
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows, "no registration-failed incident"
assert all(a["rule"] == "registration-failed" and
           a["subject"].startswith("aor sip:alice@127.0.0.1") for a in rows), rows
assert [a["event"] for a in rows].count("raise") == 1, rows
assert all(a["code"] == 403 for a in rows), rows
PY
echo "kamailio-siptrace: 1 passed, 0 failed"
exit 0
