#!/bin/sh
# Real RTP with known impairments (issue 16): two baresip user agents call
# each other through Kamailio, all inside a network namespace this test
# creates (unshare -n: a loopback and a veth pair of its own, nothing
# leaves it), each sending G.711 from an audio file.  Kamailio hands the
# caller the address of a UDP relay run by the test (tests/e2e/rtp-relay.py,
# this kernel has no tc netem) instead of the callee's, so the caller's RTP
# crosses the relay, which drops, delays and reorders it on a seeded
# schedule and says what it did.  sipwatch captures live on the
# namespace's loopback.  Three calls:
#
#   impair  8 % dropped, 0-40 ms of delay (reordering): the stream the
#           callee receives has exactly the loss the relay caused (RFC 3550
#           A.3), its mean interarrival jitter is within 35 % of the 13.3
#           ms a uniform 0-40 ms delay gives (E|X-Y| = 40/3) plus the
#           sender's own, and media-quality names it;
#   oneway  every packet dropped: one-way-media names the caller as the
#           silent side and the relay as where its RTP goes;
#   natport the relay forwards from the caller's address but another port
#           (a NAT rewriting the source): media-nat-mismatch.
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SW_MEDIA_NETNS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || skip "needs root for a network namespace"
	for c in baresip kamailio python3 unshare ip; do
		command -v $c >/dev/null 2>&1 || skip "$c not installed"
	done
	unshare -n true 2>/dev/null ||
	    skip "network namespaces are not allowed here (unshare -n)"
	SW_MEDIA_NETNS=1 exec unshare -n sh "$0" "$@"
fi

# In the namespace.
KMODS=$(dirname "$(find /usr/lib -name tm.so -path '*kamailio*' | head -n 1)")
[ -d "$KMODS" ] || skip "kamailio modules not found"
[ -d /usr/lib/baresip/modules ] || skip "baresip modules not found"
ip link set lo up || hard_error "lo"
ip link add v0 type veth peer name v1 2>/dev/null ||
    skip "no veth in this namespace (baresip needs an interface other than lo)"
ip addr add 10.99.0.1/24 dev v0
ip addr add 10.99.0.3/32 dev v0		# Kamailio
ip addr add 10.99.0.9/32 dev v0		# the relay
ip addr add 10.99.0.2/24 dev v1
ip link set v0 up && ip link set v1 up || hard_error "veth"

tmp=$(mktemp -d) || hard_error "mktemp"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# 30 s of a tone with a slow swell, 8 kHz mono: the audio both sides send.
python3 - "$tmp/talk.wav" <<'PY' || hard_error "wav"
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(
    2 * math.pi * 440 * i / 8000) * (0.6 + 0.4 * math.sin(2 * math.pi * 3 *
    i / 8000)))) for i in range(8000 * 30)))
PY

cat >"$tmp/kamailio.cfg" <<CFG
#!KAMAILIO
debug=1
log_stderror=yes
children=1
listen=udp:10.99.0.3:5060
mpath="$KMODS/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "maxfwd.so"
loadmodule "pv.so"
loadmodule "textops.so"
loadmodule "siputils.so"
request_route {
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (has_totag()) {
		if (loose_route() || is_method("ACK")) { t_relay(); exit; }
		sl_send_reply("404", "Not here"); exit;
	}
	if (is_method("CANCEL")) { t_relay(); exit; }
	record_route();
	rewritehostport("10.99.0.2:5062");
	t_on_reply("MEDIA");
	t_relay();
}
onreply_route[MEDIA] {
	# The callee's media to the relay (an SBC's media anchoring).
	if (has_body("application/sdp")) {
		subst_body('/IN IP4 10\.99\.0\.2/IN IP4 10.99.0.9/g');
		subst_body('/m=audio 30000 /m=audio 40000 /');
	}
}
CFG
kamailio -f "$tmp/kamailio.cfg" -DD -E -Y "$tmp" >"$tmp/k.log" 2>&1 &
kpid=$!
pids="$pids $kpid"
daemon_wait kamailio "$kpid" "$tmp/k.log" "listening on udp 10.99.0.3:5060" \
    listening udp 10.99.0.3 5060 || hard_error "$daemon_why"

ua_config() {	# DIR SIP-ADDR RTP-PORTS
	mkdir -p "$1"
	cat >"$1/config" <<CFG
poll_method		epoll
sip_listen		$2
call_local_timeout	120
audio_player		aufile,$1/heard.wav
audio_source		aufile,$tmp/talk.wav
audio_alert		aufile,$1/alert.wav
rtp_ports		$3
rtcp_mux		no
jitter_buffer_delay	5-10
module_path		/usr/lib/baresip/modules
module			g711.so
module			aufile.so
module_tmp		account.so
module_app		menu.so
CFG
}
ua_config "$tmp/A" 10.99.0.1:5061 20000-20001
ua_config "$tmp/B" 10.99.0.2:5062 30000-30001
echo "<sip:a@10.99.0.1:5061>;regint=0;audio_codecs=PCMU" >"$tmp/A/accounts"
echo "<sip:b@10.99.0.2:5062>;regint=0;answermode=auto;audio_codecs=PCMU" \
    >"$tmp/B/accounts"

# call NAME RELAY-ARGS...: one 12 s call captured by sipwatch; the alerts
# in $tmp/NAME.alerts, the report in $tmp/NAME.json, the relay's account
# in $tmp/NAME.relay.
call() {
	name=$1
	shift
	"$SIPWATCH" -i lo -N --report=json --alerts="$tmp/$name.alerts" udp \
	    >"$tmp/$name.json" 2>"$tmp/$name.err" &
	spid=$!
	pids="$pids $spid"
	daemon_wait "sipwatch -i lo" "$spid" "$tmp/$name.err" \
	    'saying "listening on lo"' grep -q "listening on lo" \
	    "$tmp/$name.err" || fail "$daemon_why"
	python3 "$here/rtp-relay.py" --listen 10.99.0.9:40000 \
	    --to 10.99.0.2:30000 --stats "$tmp/$name.relay" --duration 20 \
	    "$@" >"$tmp/$name.relay.log" 2>&1 &
	rpid=$!
	pids="$pids $rpid"
	daemon_wait relay "$rpid" "$tmp/$name.relay.log" "ready" \
	    grep -q "relay ready" "$tmp/$name.relay.log" || hard_error "$daemon_why"
	baresip -4 -n v1 -f "$tmp/B" -t 16 >"$tmp/$name.B.log" 2>&1 &
	bpid=$!
	pids="$pids $bpid"
	daemon_wait "baresip B" "$bpid" "$tmp/$name.B.log" \
	    "listening on udp 10.99.0.2:5062" listening udp 10.99.0.2 5062 ||
	    hard_error "$daemon_why"
	# The caller hangs up after 12 s (BYE), then quits.
	baresip -4 -n v0 -f "$tmp/A" -t 12 -e "/dial sip:b@10.99.0.3:5060" \
	    >"$tmp/$name.A.log" 2>&1
	wait "$bpid"
	kill "$rpid" 2>/dev/null
	wait "$rpid"
	sleep 0.5
	kill -INT "$spid"
	wait "$spid" || fail "$name: sipwatch exited $?: $(tail -n 3 "$tmp/$name.err")"
	[ -s "$tmp/$name.relay" ] || hard_error "$name: the relay wrote no account"
	grep -q "Call established" "$tmp/$name.A.log" ||
	    { cat "$tmp/$name.A.log" "$tmp/k.log"; hard_error "$name: no call"; }
	echo "$name: relay $(cat "$tmp/$name.relay")"
}

call impair --seed 7 --drop 0.08 --delay-max 40
call oneway --seed 7 --drop-all
call natport --seed 7 --from 10.99.0.1:20050

python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
bad = []

def load(name):
    alerts = [json.loads(l) for l in open("%s/%s.alerts" % (tmp, name))
              if l.strip()]
    raised = [a for a in alerts if a.get("event") == "raise"]
    report = json.load(open("%s/%s.json" % (tmp, name)))
    relay = json.load(open("%s/%s.relay" % (tmp, name)))
    return raised, report, relay

def stream(report, src_ip, dst):
    for s in report["media"]["streams"]:
        if s["src"].startswith(src_ip + ":") and s["dst"] == dst:
            return s
    return None

def rules(raised):
    return sorted(a["rule"] for a in raised)

# impair: the callee's stream carries what the relay did.
raised, rep, relay = load("impair")
s = stream(rep, "10.99.0.9", "10.99.0.2:30000")
src = stream(rep, "10.99.0.9", "10.99.0.9:40000")
if s is None or src is None:
    bad.append("impair: the streams through the relay were not found: %s" %
               [(x["src"], x["dst"]) for x in rep["media"]["streams"]])
else:
    print("impair: sender's stream %d packets, jitter %.2f ms; relayed "
          "stream %d packets, lost %d, duplicates %d, out of order %d, mean "
          "jitter %.2f ms, call %s" % (src["packets"], src["mean_jitter_ms"],
          s["packets"], s["lost"], s["duplicates"], s["out_of_order"],
          s["mean_jitter_ms"], s["call_id"]))
    if s["lost"] != relay["lost_at_receiver"]:
        bad.append("impair: lost %d, the relay dropped %d before its last "
                   "packet" % (s["lost"], relay["lost_at_receiver"]))
    if s["packets"] != relay["forwarded"]:
        bad.append("impair: %d packets, the relay forwarded %d" %
                   (s["packets"], relay["forwarded"]))
    want = 40.0 / 3
    if abs(s["mean_jitter_ms"] - want) > 0.35 * want + src["mean_jitter_ms"]:
        bad.append("impair: mean jitter %.2f ms, %.2f +- %.2f expected" %
                   (s["mean_jitter_ms"], want,
                    0.35 * want + src["mean_jitter_ms"]))
    if relay["reordered"] == 0 or s["out_of_order"] == 0:
        bad.append("impair: no reordering (relay %d, sipwatch %d)" %
                   (relay["reordered"], s["out_of_order"]))
    if not s["call_id"]:
        bad.append("impair: the relayed stream is not tied to the call")
if "media-quality" not in rules(raised):
    bad.append("impair: no media-quality: %s" % rules(raised))
for a in raised:
    if a["rule"] == "media-quality" and "10.99.0.2:30000" not in a["summary"]:
        bad.append("impair: media-quality names another stream: %s" %
                   a["summary"])
    if a["rule"] in ("one-way-media", "no-media", "media-timeout"):
        bad.append("impair: %s raised: %s" % (a["rule"], a["summary"]))

# oneway: nothing reaches the callee from the caller.
raised, rep, relay = load("oneway")
ow = [a for a in raised if a["rule"] == "one-way-media"]
if len(ow) != 1:
    bad.append("oneway: %d one-way-media incidents: %s" % (len(ow),
               rules(raised)))
else:
    a = ow[0]
    print("oneway: " + a["summary"])
    if "the caller (10.99.0.1:20000)" not in a["summary"]:
        bad.append("oneway: the silent side is not the caller: " +
                   a["summary"])
    if "reaches 10.99.0.9:40000" not in a["advice"]:
        bad.append("oneway: the advice does not name the relay: " +
                   a["advice"])
if relay["forwarded"] != 0 or relay["received"] < 400:
    bad.append("oneway: the relay forwarded %d of %d" % (relay["forwarded"],
               relay["received"]))

# natport: the relayed RTP comes from the caller's address, another port.
raised, rep, relay = load("natport")
nat = [a for a in raised if a["rule"] == "media-nat-mismatch"]
if len(nat) != 1 or "10.99.0.1:20050" not in nat[0]["summary"]:
    bad.append("natport: media-nat-mismatch %s" % [a["summary"] for a in
               raised])
else:
    print("natport: " + nat[0]["summary"])
for a in raised:
    if a["rule"] in ("one-way-media", "media-quality", "no-media"):
        bad.append("natport: %s raised: %s" % (a["rule"], a["summary"]))

for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
