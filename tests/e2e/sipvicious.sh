#!/bin/sh
# The real attack tools of Debian's sipvicious package against a Kamailio
# registrar with digest authentication, in a network namespace of the
# test's own (unshare -n: only its loopback exists, nothing leaves it):
#   svmap  from 127.0.0.2   OPTIONS scan of 127.0.0.1:5060
#   svwar  from 127.0.0.1   REGISTER enumeration of extensions 100-130
#                           (Kamailio: 401 for 100-104, 404 for the rest)
#   svcrack from 127.0.0.1  password guessing for 101 with a dictionary
#                           whose 8th word is the password set here
# (svwar and svcrack of sipvicious 0.3.3 ignore -b and send from
# 127.0.0.1.)  sipwatch captures live on lo with --blocklist and must
# raise exactly: one scanner incident per source, the brute force and
# the compromise (svcrack finds the password), critical, naming the
# account and the binding; no other rule.  The blocklist it keeps is then
# loaded into nftables with dist/nftables/sipwatch-blocklist, in the
# namespace, and the set must hold both sources.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespace, live capture)"
for c in kamailio svmap svwar svcrack unshare ip; do
	command -v "$c" >/dev/null || skip "$c not installed"
done

if [ "${1:-}" != "--inside" ]; then
	unshare -n true 2>/dev/null || skip "cannot create a network namespace"
	exec unshare -n -- sh "$0" --inside
fi

KMODS=$(dirname "$(find /usr/lib -name sl.so -path '*kamailio*' | head -n 1)")
[ -d "$KMODS" ] || skip "kamailio modules not found"
ip link set lo up || hard_error "lo up"

tmp=$(mktemp -d) || hard_error "mktemp"
cleanup() {
	[ -n "${spid:-}" ] && kill "$spid" 2>/dev/null
	[ -n "${kpid:-}" ] && kill "$kpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
password=swordfish42

# www_challenge with qop=auth: svcrack 0.3.3 always sends qop=auth in its
# credentials, which a challenge without qop would refuse.
cat >"$tmp/kamailio.cfg" <<CFG
#!KAMAILIO
debug=0
log_stderror=yes
children=1
listen=udp:127.0.0.1:5060
mpath="$KMODS/"
loadmodule "kex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
modparam("usrloc", "db_mode", 0)
modparam("auth", "secret", "sipwatch-test-nonce-secret")
request_route {
	if (is_method("ACK")) exit;
	if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
	if (is_method("REGISTER")) {
		if (!(\$tU =~ "^10[0-4]\$")) {
			sl_send_reply("404", "Not Found");
			exit;
		}
		if (!pv_www_authenticate("\$td", "$password", "0")) {
			www_challenge("\$td", "1");
			exit;
		}
		consume_credentials();
		save("location");
		exit;
	}
	sl_send_reply("404", "Not Found");
}
CFG
kamailio -f "$tmp/kamailio.cfg" -DD -E -P "$tmp/k.pid" -Y "$tmp" \
    >"$tmp/k.log" 2>&1 &
kpid=$!
i=0
until python3 - <<'PY' 2>/dev/null
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.2)
s.bind(("127.0.0.9", 0))
s.sendto(b"OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.9:%d;"
         b"branch=z9hG4bKprobe\r\nFrom: <sip:p@127.0.0.9>;tag=1\r\n"
         b"To: <sip:127.0.0.1>\r\nCall-ID: probe\r\nCSeq: 1 OPTIONS\r\n"
         b"Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
         % s.getsockname()[1], ("127.0.0.1", 5060))
s.recvfrom(4096)
PY
do
	i=$((i + 1))
	[ $i -lt 50 ] || { cat "$tmp/k.log"; hard_error "kamailio did not start"; }
	sleep 0.2
done

"$SIPWATCH" -i lo -N --report=json --alerts="$tmp/alerts.json" \
    --blocklist="$tmp/blocklist" "udp port 5060" \
    >"$tmp/report.json" 2>"$tmp/err" &
spid=$!
i=0
until grep -q "listening on lo" "$tmp/err" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$tmp/err"; fail "sipwatch did not start"; }
	sleep 0.1
done

svmap -b 127.0.0.2 -P 5070 127.0.0.1 -p 5060 >"$tmp/svmap.out" 2>&1 ||
    { cat "$tmp/svmap.out"; fail "svmap failed"; }
svwar -P 5071 -e100-130 127.0.0.1 -p 5060 >"$tmp/svwar.out" 2>&1 ||
    { cat "$tmp/svwar.out"; fail "svwar failed"; }
printf '%s\n' password 123456 secret letmein admin 101 qwerty "$password" \
    never >"$tmp/dict"
svcrack -P 5072 -u 101 -d "$tmp/dict" 127.0.0.1 -p 5060 \
    >"$tmp/svcrack.out" 2>&1 || { cat "$tmp/svcrack.out"; fail "svcrack failed"; }
grep -q "$password" "$tmp/svcrack.out" ||
    { cat "$tmp/svcrack.out"; fail "svcrack did not find the password"; }
echo "ok:   svmap, svwar and svcrack ran; svcrack found the password"
sleep 1.5	# --blocklist is rewritten at most once a second
cp "$tmp/blocklist" "$tmp/blocklist.live"
kill -INT "$spid"
wait "$spid" || { cat "$tmp/err"; fail "sipwatch failed"; }
spid=

python3 - "$tmp/alerts.json" "$tmp/report.json" <<'PY' || fail "incidents"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
raised = sorted((a["rule"], a["subject"]) for a in rows
                if a["event"] == "raise")
want = [("account-compromised", "source 127.0.0.1"),
        ("auth-failure-burst", "source 127.0.0.1"),
        ("scanner", "source 127.0.0.1"),
        ("scanner", "source 127.0.0.2")]
assert raised == want, raised
comp = [a for a in rows if a["rule"] == "account-compromised"][0]
assert comp["severity"] == "critical", comp
assert "sip:101@127.0.0.1" in comp["summary"], comp["summary"]
assert "sip:123@1.1.1.1" in comp["summary"], comp["summary"]  # svcrack's Contact
assert "Change its password" in comp["advice"], comp["advice"]
for a in rows:
    assert ":" not in a["subject"].split(" ", 1)[1], a  # IP, never a port
rep = json.loads(open(sys.argv[2]).read())
att = rep["attacks"]
assert att["sources"] == 2 and att["compromised"] == 1, att
by = {s["source"]: s for s in att["list"]}
assert by["127.0.0.2"]["tool"] == "SIPVicious", by
assert by["127.0.0.1"]["outcome"] == "compromised", by
assert by["127.0.0.1"]["users"] >= 31, by   # svwar's 100-130
print("ok:   incidents: %s" % ", ".join("%s %s" % r for r in raised))
PY

# The blocklist sipwatch kept while it ran, into nftables.
python3 - "$tmp/blocklist.live" <<'PY' || fail "blocklist"
import sys, time
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])
        if not l.startswith("#")]
ips = sorted(r[0] for r in rows)
assert ips == ["127.0.0.1", "127.0.0.2"], rows
for r in rows:
    assert len(r) == 4 and int(r[2]) > time.time() + 3000, r
    assert r[3].startswith(("scanner", "password guessing",
                            "account compromised")), r
print("ok:   blocklist: %s" % ", ".join(ips))
PY
if command -v nft >/dev/null; then
	sh "$top_srcdir/dist/nftables/sipwatch-blocklist" "$tmp/blocklist.live" \
	    >"$tmp/nft.rules" || fail "sipwatch-blocklist failed"
	nft -c -f "$tmp/nft.rules" 2>"$tmp/nft.err" ||
	    { cat "$tmp/nft.rules" "$tmp/nft.err"; fail "nft -c refused the rules"; }
	nft -f "$tmp/nft.rules" || fail "nft -f failed"
	nft list set inet sipwatch block4 >"$tmp/set" ||
	    fail "nft list set failed"
	grep -q "127.0.0.1" "$tmp/set" && grep -q "127.0.0.2" "$tmp/set" ||
	    { cat "$tmp/set"; fail "the nftables set lacks a source"; }
	echo "ok:   nftables set loaded from the blocklist (in the namespace)"
else
	echo "skip: nft not installed, the nftables example not checked"
fi
echo "sipvicious: all checks passed"
