#!/usr/bin/env python3
"""Crafted attack captures for sipwatch (Python standard library only).

usage: attackcraft.py NAME OUT.pcap

Writes one pcap directly (no packet is sent anywhere).  Each scenario is
what an attack tool cannot produce on loopback: many public hosts, hours
of time, a PBX on the internet answering a fraud call.  Addresses come
from the documentation ranges (RFC 5737): attackers in 203.0.113.0/24,
the victim's public hosts in 198.51.100.0/24, its LAN in 10.0.0.0/24.
The output is deterministic (fixed seed, first frame at 2025-03-01
02:00:00 UTC).

  horizontal-scan   203.0.113.66 (User-Agent "Cisco-SIPGateway/IOS-12.x",
                    no SIPVicious formats) sends OPTIONS sip:100@HOST to 40
                    hosts 198.51.100.1-40, 0.2 s apart: three answer 200,
                    two 404, the rest are silent; a LAN phone keeps
                    qualifying its PBX every 10 s for a minute.
  slow-bruteforce   203.0.113.77 guesses passwords for accounts 201-205 at
                    registrar 198.51.100.10: REGISTER, 401, REGISTER with
                    Authorization, 403; one account every 40 s, a round
                    every 15 minutes, for 3 hours; in round 5 the registrar
                    answers 503 (Retry-After: 600) to every REGISTER; in
                    the last round the guess for 203 is accepted (200 with
                    the attacker's Contact).  A LAN phone (10.0.0.5)
                    registers 202 correctly every 10 minutes (401, 200).
  fraud-answered    203.0.113.99, which never registers, calls through the
                    PBX 198.51.100.20: 00972... refused 603, 9011... refused
                    403, then 011442079460000 answered 200 by the PBX
                    (Server: Asterisk PBX 16.2), ACK, BYE after 62 s; a LAN
                    call 10.0.0.1 -> 10.0.0.2 to 0044... is answered too.
  renamed-scanner   203.0.113.44 runs a SIPVicious svwar enumeration with
                    its User-Agent renamed "Cisco-SIPGateway/IOS-12.x": 4
                    REGISTERs (too few users for the behaviour rules) with
                    svwar's From/To, From-tag, branch and Call-ID formats
                    to the SBC 198.51.100.30, answered 404, 404, 401 and
                    482 Loop Detected.
"""
import binascii
import random
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from sipcraft import build, ether, ipv4_udp, write_pcap  # noqa: E402

T0 = 1740794400.0  # 2025-03-01 02:00:00 UTC
MAC_A, MAC_B = "02:00:00:00:00:01", "02:00:00:00:00:02"


class Cap:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.frames = []
        self.ident = 0x2000

    def hexs(self, n):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def send(self, t, src, dst, payload):
        (sh, sp), (dh, dp) = src, dst
        self.ident += 1
        ip = ipv4_udp(sh, dh, sp, dp, payload, self.ident & 0xFFFF)
        self.frames.append((T0 + t, ether(MAC_B, MAC_A, [], 0x0800, ip)))

    def write(self, out):
        self.frames.sort(key=lambda f: f[0])
        write_pcap(out, self.frames)


def req(method, ruri, src, frm, to, call_id, cseq, branch, ua, extra=(),
        body="", ctype=None):
    hdrs = [("Via", "SIP/2.0/UDP %s:%d;branch=%s;rport" % (src[0], src[1],
                                                          branch)),
            ("Max-Forwards", "70"), ("From", frm), ("To", to),
            ("Call-ID", call_id), ("CSeq", "%d %s" % (cseq, method))]
    hdrs += list(extra)
    if ua:
        hdrs.append(("User-Agent", ua))
    if ctype:
        hdrs.append(("Content-Type", ctype))
    return build("%s %s SIP/2.0" % (method, ruri), hdrs, body)


def resp(code, reason, request, to_tag=None, extra=(), server=None):
    """A response to the request bytes REQUEST."""
    text = request.decode()
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")
    hv = {}
    for line in head[1:]:
        k, v = line.split(":", 1)
        hv.setdefault(k.strip(), v.strip())
    via = hv["Via"]
    port = via.split(" ", 1)[1].split(";")[0].rsplit(":", 1)[1]
    via = via.replace(";rport", ";rport=%s" % port)
    to = hv["To"]
    if to_tag and ";tag=" not in to:
        to += ";tag=" + to_tag
    hdrs = [("Via", via), ("From", hv["From"]), ("To", to),
            ("Call-ID", hv["Call-ID"]), ("CSeq", hv["CSeq"])]
    hdrs += list(extra)
    if server:
        hdrs.append(("Server", server))
    return build("SIP/2.0 %d %s" % (code, reason), hdrs)


def sdp(ip, port):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0 8\r\na=sendrecv\r\n" % (ip, ip, port))


def qualify(c, t_end, every=10.0):
    """A LAN phone qualifying its PBX: OPTIONS answered 200."""
    phone, pbx = ("10.0.0.5", 5060), ("10.0.0.1", 5060)
    t, n = 1.9, 0
    while t < t_end:
        n += 1
        r = req("OPTIONS", "sip:10.0.0.1", phone,
                "<sip:202@10.0.0.1>;tag=q%d" % n, "<sip:10.0.0.1>",
                "q%d-%s@10.0.0.5" % (n, c.hexs(8)), 1,
                "z9hG4bK" + c.hexs(12), "Yealink SIP-T46S 66.86.0.15")
        c.send(t, phone, pbx, r)
        c.send(t + 0.002, pbx, phone, resp(200, "OK", r, c.hexs(8),
                                            server="Asterisk PBX 16.2"))
        t += every


def horizontal_scan(out):
    c = Cap(11)
    atk = ("203.0.113.66", 5071)
    ua = "Cisco-SIPGateway/IOS-12.x"
    answer = {5: (200, "OK"), 12: (200, "OK"), 20: (200, "OK"),
              8: (404, "Not Found"), 30: (404, "Not Found")}
    for i in range(1, 41):
        host = "198.51.100.%d" % i
        t = 2.0 + 0.2 * i
        r = req("OPTIONS", "sip:100@%s" % host, atk,
                "<sip:100@203.0.113.66>;tag=%s" % c.hexs(10),
                "<sip:100@%s>" % host, "%s@203.0.113.66" % c.hexs(20), 1,
                "z9hG4bK" + c.hexs(16), ua,
                extra=[("Contact", "<sip:100@203.0.113.66:5071>"),
                       ("Accept", "application/sdp")])
        c.send(t, atk, (host, 5060), r)
        if i in answer:
            code, reason = answer[i]
            c.send(t + 0.03, (host, 5060), atk,
                   resp(code, reason, r, c.hexs(8),
                        server="FPBX-%d.0" % (10 + i % 3)))
    # Until 61.9 s: no record expires within seconds after the last
    # packet, so a live replay that idles a little ends in the same state.
    qualify(c, 62.0)
    c.write(out)


def slow_bruteforce(out):
    c = Cap(22)
    atk = ("203.0.113.77", 5060)
    reg = ("198.51.100.10", 5060)
    ua = "Zoiper rv2.10.11"
    realm = "pbx.example.com"
    t = 5.0
    for rnd in range(12):
        for acc in (201, 202, 203, 204, 205):
            tt = t + (acc - 201) * 40.0
            cid = "%s@203.0.113.77" % c.hexs(16)
            tag = c.hexs(10)
            frm = '"%d" <sip:%d@%s>;tag=%s' % (acc, acc, realm, tag)
            to = '"%d" <sip:%d@%s>' % (acc, acc, realm)
            contact = [("Contact", "<sip:%d@203.0.113.77:5060>" % acc),
                       ("Expires", "3600")]
            r1 = req("REGISTER", "sip:%s" % realm, atk, frm, to, cid, 1,
                     "z9hG4bK" + c.hexs(16), ua, extra=contact)
            c.send(tt, atk, reg, r1)
            if rnd == 4:
                c.send(tt + 0.01, reg, atk,
                       resp(503, "Service Unavailable", r1, c.hexs(8),
                            extra=[("Retry-After", "600")],
                            server="Asterisk PBX 16.2"))
                continue
            nonce = c.hexs(16)
            c.send(tt + 0.01, reg, atk, resp(
                401, "Unauthorized", r1, c.hexs(8),
                extra=[("WWW-Authenticate", 'Digest realm="%s", nonce="%s", '
                        'algorithm=MD5' % (realm, nonce))],
                server="Asterisk PBX 16.2"))
            auth = ('Digest username="%d", realm="%s", nonce="%s", '
                    'uri="sip:%s", response="%s", algorithm=MD5'
                    % (acc, realm, nonce, realm, c.hexs(32)))
            r2 = req("REGISTER", "sip:%s" % realm, atk, frm, to, cid, 2,
                     "z9hG4bK" + c.hexs(16), ua,
                     extra=contact + [("Authorization", auth)])
            c.send(tt + 0.05, atk, reg, r2)
            if rnd == 11 and acc == 203:
                c.send(tt + 0.06, reg, atk, resp(
                    200, "OK", r2, c.hexs(8),
                    extra=[("Contact", "<sip:203@203.0.113.77:5060>;"
                            "expires=3600")],
                    server="Asterisk PBX 16.2"))
            else:
                c.send(tt + 0.06, reg, atk, resp(
                    403, "Forbidden", r2, c.hexs(8),
                    server="Asterisk PBX 16.2"))
        t += 900.0
    # The LAN phone's own registrations: challenged once, then accepted.
    phone, pbx = ("10.0.0.5", 5060), ("10.0.0.1", 5060)
    tt = 30.0
    n = 0
    while tt < t:
        n += 1
        cid = "%s@10.0.0.5" % c.hexs(12)
        frm = "<sip:202@10.0.0.1>;tag=%s" % c.hexs(8)
        r1 = req("REGISTER", "sip:10.0.0.1", phone, frm, "<sip:202@10.0.0.1>",
                 cid, 1, "z9hG4bK" + c.hexs(12), "Yealink SIP-T46S",
                 extra=[("Contact", "<sip:202@10.0.0.5:5060>")])
        c.send(tt, phone, pbx, r1)
        nonce = c.hexs(16)
        c.send(tt + 0.01, pbx, phone, resp(
            401, "Unauthorized", r1, c.hexs(8),
            extra=[("WWW-Authenticate", 'Digest realm="10.0.0.1", '
                    'nonce="%s"' % nonce)]))
        r2 = req("REGISTER", "sip:10.0.0.1", phone, frm, "<sip:202@10.0.0.1>",
                 cid, 2, "z9hG4bK" + c.hexs(12), "Yealink SIP-T46S",
                 extra=[("Contact", "<sip:202@10.0.0.5:5060>"),
                        ("Authorization", 'Digest username="202", '
                         'realm="10.0.0.1", nonce="%s", uri="sip:10.0.0.1", '
                         'response="%s"' % (nonce, c.hexs(32)))])
        c.send(tt + 0.02, phone, pbx, r2)
        c.send(tt + 0.03, pbx, phone, resp(
            200, "OK", r2, c.hexs(8),
            extra=[("Contact", "<sip:202@10.0.0.5:5060>;expires=600")]))
        tt += 600.0
    c.write(out)


def call(c, t, src, dst, number, answer, ua, server, talk=None,
         from_user="100"):
    """An INVITE from SRC to DST for NUMBER; ANSWER (code, reason)."""
    cid = "%s@%s" % (c.hexs(16), src[0])
    ftag, ttag = c.hexs(8), c.hexs(8)
    frm = "<sip:%s@%s>;tag=%s" % (from_user, src[0], ftag)
    to = "<sip:%s@%s>" % (number, dst[0])
    br = "z9hG4bK" + c.hexs(16)
    inv = req("INVITE", "sip:%s@%s" % (number, dst[0]), src, frm, to, cid, 1,
              br, ua, extra=[("Contact", "<sip:%s@%s:%d>" % (
                  from_user, src[0], src[1]))],
              body=sdp(src[0], 16000), ctype="application/sdp")
    c.send(t, src, dst, inv)
    c.send(t + 0.01, dst, src, resp(100, "Trying", inv, server=server))
    code, reason = answer
    if code >= 300:
        c.send(t + 0.5, dst, src, resp(code, reason, inv, ttag,
                                        server=server))
        ack = build("ACK sip:%s@%s SIP/2.0" % (number, dst[0]), [
            ("Via", "SIP/2.0/UDP %s:%d;branch=%s;rport" % (src[0], src[1], br)),
            ("Max-Forwards", "70"), ("From", frm), ("To", to + ";tag=" + ttag),
            ("Call-ID", cid), ("CSeq", "1 ACK")])
        c.send(t + 0.52, src, dst, ack)
        return
    c.send(t + 0.3, dst, src, resp(180, "Ringing", inv, ttag, server=server))
    ok = resp(200, "OK", inv, ttag, server=server,
              extra=[("Contact", "<sip:%s@%s:%d>" % (number, dst[0], dst[1]))])
    c.send(t + 2.0, dst, src, ok)
    to2 = to + ";tag=" + ttag
    c.send(t + 2.05, src, dst, req(
        "ACK", "sip:%s@%s:%d" % (number, dst[0], dst[1]), src, frm, to2, cid,
        1, "z9hG4bK" + c.hexs(16), ua))
    bye = req("BYE", "sip:%s@%s:%d" % (number, dst[0], dst[1]), src, frm, to2,
              cid, 2, "z9hG4bK" + c.hexs(16), ua)
    c.send(t + 2.0 + talk, src, dst, bye)
    c.send(t + 2.01 + talk, dst, src, resp(200, "OK", bye, server=server))


def fraud_answered(out):
    c = Cap(33)
    atk = ("203.0.113.99", 5060)
    pbx = ("198.51.100.20", 5060)
    ua = "eyeBeam release 1004p stamp 31962"
    srv = "Asterisk PBX 16.2"
    call(c, 3.0, atk, pbx, "00972599123456", (603, "Decline"), ua, srv)
    call(c, 8.0, atk, pbx, "9011442079460000", (403, "Forbidden"), ua, srv)
    call(c, 14.0, atk, pbx, "011442079460000", (200, "OK"), ua, srv, talk=62.0)
    call(c, 20.0, ("10.0.0.1", 5060), ("10.0.0.2", 5060), "00441632960000",
         (200, "OK"), "Yealink SIP-T46S", "Grandstream GXW4104", talk=30.0)
    qualify(c, 100.0)
    c.write(out)


def sv_tag(rng, text):
    """SIPVicious' createTag(): hex of TEXT, 0x01 and a random number."""
    return binascii.hexlify(text.encode() + b"\x01" +
                            str(rng.getrandbits(32)).encode()).decode()


def renamed_scanner(out):
    c = Cap(44)
    atk = ("203.0.113.44", 5060)
    sbc = ("198.51.100.30", 5060)
    ua = "Cisco-SIPGateway/IOS-12.x"
    answers = [(404, "Not Found"), (404, "Not Found"), (401, "Unauthorized"),
               (482, "Loop Detected")]
    for i, ext in enumerate((100, 101, 102, 103)):
        t = 4.0 + i * 0.25
        frm = '"%d" <sip:%d@198.51.100.30>;tag=%s' % (
            ext, ext, sv_tag(c.rng, "%d:%d" % (ext, ext)))
        to = '"%d" <sip:%d@198.51.100.30>' % (ext, ext)
        r = req("REGISTER", "sip:198.51.100.30", atk, frm, to,
                "%d" % c.rng.getrandbits(32), 1,
                "z9hG4bK-%d" % c.rng.getrandbits(32), ua,
                extra=[("Contact", "<sip:123@1.1.1.1>"),
                       ("Accept", "application/sdp")])
        c.send(t, atk, sbc, r)
        code, reason = answers[i]
        extra = []
        if code == 401:
            extra = [("WWW-Authenticate",
                      'Digest realm="sbc", nonce="%s"' % c.hexs(16))]
        c.send(t + 0.02, sbc, atk, resp(code, reason, r, c.hexs(8),
                                         extra=extra, server="SBC"))
    qualify(c, 60.0)
    c.write(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fn = {"horizontal-scan": horizontal_scan,
          "slow-bruteforce": slow_bruteforce,
          "fraud-answered": fraud_answered,
          "renamed-scanner": renamed_scanner}.get(sys.argv[1])
    if fn is None:
        sys.exit("unknown scenario %s\n%s" % (sys.argv[1], __doc__))
    fn(sys.argv[2])


if __name__ == "__main__":
    main()
