#!/bin/sh
# tests/ui/health.sh: health figures that do not mislead (issue 18,
# finding 9).  A capture generated at test time (Python, into the test's
# own directory) of a PBX at 10.0.0.1:5060 and three phones that
# register and call through digest challenges (401 to REGISTER, 407 to
# INVITE, each retried with credentials and answered), one phone that
# registers with a wrong password (a 401 to a REGISTER that carried
# credentials), and a scanner at 192.0.2.66 that sends REGISTERs from 24
# source ports and never a response.  The dashboard must show:
# - the PBX's 4xx share made of the refused credentials only (1 of its
#   10 final responses that count: 10%), not of the challenges (31 of
#   its 41 final responses are 401 or 407);
# - the scanner as one peer, 192.0.2.66:*, not a row per port, and Enter
#   on it filters the Call-IDs of all its ports;
# - the calls: 3 answered, 0 failed, ASR 100%.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

pcap="$work/health.pcap"
python3 - "$pcap" <<'PY' || hard_error "could not write $pcap"
import socket, struct, sys

out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
t = [1700000000.0]

def pkt(src, sport, dst, dport, text, dt=0.01):
    t[0] += dt
    data = text.replace("\n", "\r\n").encode()
    body = data.split(b"\r\n\r\n", 1)
    if len(body) == 2 and b"Content-Length" not in body[0]:
        data = body[0] + b"\r\nContent-Length: %d\r\n\r\n" % len(body[1]) + \
            body[1]
    udp = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
        0, socket.inet_aton(src), socket.inet_aton(dst)) + udp
    sec = int(t[0])
    out.write(struct.pack("<IIII", sec, int((t[0] - sec) * 1e6), len(ip),
        len(ip)) + ip)

PBX = "10.0.0.1"

def req(method, ruri, ip, port, cid, cseq, ftag, ttag, branch, extra=""):
    to = ";tag=" + ttag if ttag else ""
    return ("%s %s SIP/2.0\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bK%s\n"
        "From: <sip:%s@pbx>;tag=%s\nTo: <%s>%s\nCall-ID: %s\n"
        "CSeq: %d %s\nMax-Forwards: 70\nContact: <sip:u@%s:%d>\n%s\n" %
        (method, ruri, ip, port, branch, ip.split(".")[-1], ftag,
        ruri, to, cid, cseq, method, ip, port, extra))

def resp(code, reason, r, ttag=None, extra=""):
    head, _ = r.split("\n\n", 1)
    lines = [l for l in head.split("\n")[1:] if l.split(":")[0] in
        ("Via", "From", "To", "Call-ID", "CSeq")]
    if ttag:
        lines = [l + ";tag=" + ttag if l.startswith("To:") and
            ";tag=" not in l else l for l in lines]
    return "SIP/2.0 %d %s\n%s\n%s\n" % (code, reason, "\n".join(lines),
        extra)

chal = 'WWW-Authenticate: Digest realm="pbx", nonce="abc"\n'
pchal = 'Proxy-Authenticate: Digest realm="pbx", nonce="abc"\n'
cred = ('Authorization: Digest username="u", realm="pbx", nonce="abc", '
    'uri="sip:pbx", response="0123456789abcdef0123456789abcdef"\n')
pcred = 'Proxy-' + cred
for n in range(3):
    ip = "10.0.1.%d" % (n + 2)
    cid = "reg-%d" % n
    r = req("REGISTER", "sip:pbx", ip, 5060, cid, 1, "r%d" % n, None,
        "r1%d" % n)
    pkt(ip, 5060, PBX, 5060, r)
    pkt(PBX, 5060, ip, 5060, resp(401, "Unauthorized", r, "x", chal))
    r = req("REGISTER", "sip:pbx", ip, 5060, cid, 2, "r%d" % n, None,
        "r2%d" % n, cred)
    pkt(ip, 5060, PBX, 5060, r)
    pkt(PBX, 5060, ip, 5060, resp(200, "OK", r, "y"))
    cid = "call-%d" % n
    r = req("INVITE", "sip:200%d@pbx" % n, ip, 5060, cid, 1, "c%d" % n,
        None, "i1%d" % n)
    pkt(ip, 5060, PBX, 5060, r)
    pkt(PBX, 5060, ip, 5060, resp(407, "Proxy Authentication Required", r,
        "p", pchal))
    a = req("ACK", "sip:200%d@pbx" % n, ip, 5060, cid, 1, "c%d" % n, "p",
        "i1%d" % n)
    pkt(ip, 5060, PBX, 5060, a)
    r = req("INVITE", "sip:200%d@pbx" % n, ip, 5060, cid, 2, "c%d" % n,
        None, "i2%d" % n, pcred)
    pkt(ip, 5060, PBX, 5060, r)
    pkt(PBX, 5060, ip, 5060, resp(100, "Trying", r))
    pkt(PBX, 5060, ip, 5060, resp(180, "Ringing", r, "t"), 0.5)
    pkt(PBX, 5060, ip, 5060, resp(200, "OK", r, "t"), 2)
    pkt(ip, 5060, PBX, 5060, req("ACK", "sip:200%d@pbx" % n, ip, 5060, cid,
        2, "c%d" % n, "t", "a2%d" % n))
    b = req("BYE", "sip:200%d@pbx" % n, ip, 5060, cid, 3, "c%d" % n, "t",
        "b%d" % n)
    pkt(ip, 5060, PBX, 5060, b, 5)
    pkt(PBX, 5060, ip, 5060, resp(200, "OK", b))
# A wrong password: credentials refused.
ip = "10.0.1.9"
r = req("REGISTER", "sip:pbx", ip, 5060, "reg-bad", 1, "rb", None, "rb1")
pkt(ip, 5060, PBX, 5060, r)
pkt(PBX, 5060, ip, 5060, resp(401, "Unauthorized", r, "x", chal))
r = req("REGISTER", "sip:pbx", ip, 5060, "reg-bad", 2, "rb", None, "rb2",
    cred)
pkt(ip, 5060, PBX, 5060, r)
pkt(PBX, 5060, ip, 5060, resp(401, "Unauthorized", r, "x", chal))
# The scanner: a new source port for every probe, answered by challenges.
for n in range(24):
    r = req("REGISTER", "sip:%d@pbx" % (100 + n), "192.0.2.66", 40000 + n * 7,
        "scan-%d" % n, 1, "s%d" % n, None, "s%d" % n,
        "User-Agent: pplsip\n")
    pkt("192.0.2.66", 40000 + n * 7, PBX, 5060, r)
    pkt(PBX, 5060, "192.0.2.66", 40000 + n * 7, resp(401, "Unauthorized", r,
        "x", chal))
out.close()
PY

start 100 40 - -r "$pcap"
wait_for "end of file  100%"
wait_for "answered 3  failed 0"
has "ASR 100%"
# The scanner: one row, by its IP.
line_with "192.0.2.66:*" "48"
n=$(screen | grep -c "^ 192\.0\.2\.66:[0-9]")
[ "$n" -eq 0 ] || fail "$what: the scanner has $n rows of its ports:
$(screen)"
# The PBX: the refused credentials are its only failure.
screen | grep -E "^ 10\.0\.0\.1:5060 " | grep -Eq " 10% +0% +0%" ||
    fail "$what: the PBX's 4xx share is not 10%:
$(screen)"
# Enter on the scanner's row: the Call-IDs of all its ports.
keys Tab Down Enter
wait_for "filter: ip:192.0.2.66"
wait_for "a lists the 24 other Call-IDs that do"
quit
echo "PASS: health (challenges not failures, a scanner one peer)"
