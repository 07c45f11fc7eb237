#!/usr/bin/env python3
"""Crafted SIP traffic for the sipwatch capture lab (Python standard library only).

Sub-commands (see --help of each):
  vlan OUT.pcap         write a pcap directly: a short SIP call in Ethernet
                        frames carrying 802.1Q and QinQ (802.1ad) tags
  uac ...               a scripted UAC on a real UDP socket (127.0.0.0/8 or
                        ::1 only): follows 3xx redirects, or never ACKs a 2xx
  uas ...               a scripted UAS that answers INVITEs and REFERs
                        (202) but never sends the NOTIFY a REFER requires
  scan ...              a SIPVicious-style scanner: OPTIONS sweep over ports
                        and users with User-Agent friendly-scanner, then
                        REGISTER probes of many extensions
  burst ...             one request each from many clients (5xx burst,
                        or INVITEs for a failure rate)
  sub ...               a subscriber: SUBSCRIBEs from scratch again and
                        again, and a subscription refreshed in its dialog
  tcpuac ...            a UAC that sends several INVITEs on one TCP
                        connection (some carrying an extra header)

Network safety: every socket here refuses to send anywhere but loopback
(127.0.0.0/8 or ::1).
"""
import argparse
import ipaddress
import random
import socket
import struct
import sys
import time

# --------------------------------------------------------------------------
# safety


def assert_loopback(host):
    ip = ipaddress.ip_address(host)
    if not ip.is_loopback:
        raise SystemExit("refusing to send to non-loopback address %s" % host)


# --------------------------------------------------------------------------
# SIP message helpers


def rand_hex(n=8, rng=random):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def build(first_line, headers, body=""):
    """headers: list of (name, value). Content-Length is appended."""
    lines = [first_line]
    for k, v in headers:
        lines.append("%s: %s" % (k, v))
    lines.append("Content-Length: %d" % len(body.encode()))
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def sdp(ip, port, sess_id, version=None, t38=False):
    """An SDP body: G.711 audio, or (T38) a re-offer that switches the
    stream to T.38 fax (ITU-T T.38 Annex D) with session VERSION."""
    af = "IP6" if ":" in ip else "IP4"
    head = (
        "v=0\r\n"
        "o=- %d %d IN %s %s\r\n"
        "s=-\r\n"
        "c=IN %s %s\r\n"
        "t=0 0\r\n" % (sess_id, sess_id if version is None else version,
                          af, ip, af, ip)
    )
    if t38:
        return head + (
            "m=image %d udptl t38\r\n"
            "a=T38FaxVersion:0\r\n"
            "a=T38MaxBitRate:14400\r\n"
            "a=T38FaxRateManagement:transferredTCF\r\n"
            "a=T38FaxUdpEC:t38UDPRedundancy\r\n" % port
        )
    return head + (
        "m=audio %d RTP/AVP 0 8 101\r\n"
        "a=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\n"
        "a=sendrecv\r\n" % port
    )


class Msg:
    """A parsed SIP message (just enough for the scripted agents)."""

    def __init__(self, data):
        text = data.decode("utf-8", "replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                self.headers.append((k.strip(), v.strip()))
        parts = self.first.split(" ", 2)
        self.is_request = not self.first.startswith("SIP/2.0")
        if self.is_request:
            self.method, self.uri = parts[0], parts[1]
            self.code = None
        else:
            self.code = int(parts[1])
            self.method = None
        self.cseq_num, self.cseq_method = self.get("CSeq").split()

    def get(self, name, default=""):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return default

    def get_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]


def uri_of(header_value):
    v = header_value
    if "<" in v:
        return v[v.index("<") + 1:v.index(">")]
    return v.split(";")[0].strip()


def tag_of(header_value):
    for p in header_value.split(";")[1:]:
        if p.strip().startswith("tag="):
            return p.strip()[4:]
    return None


class Endpoint:
    """A UDP socket bound to a loopback address; logs what it does."""

    def __init__(self, host, port):
        assert_loopback(host)
        self.host, self.port = host, port
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))

    @property
    def hostport(self):
        return ("[%s]:%d" if ":" in self.host else "%s:%d") % (self.host, self.port)

    def send(self, data, dest):
        assert_loopback(dest[0])
        self.sock.sendto(data, dest)
        log("%s -> %s:%d  %s" % (self.hostport, dest[0], dest[1],
                                 data.split(b"\r\n", 1)[0].decode()))

    def recv(self, timeout):
        """Return (Msg, addr) or (None, None) on timeout."""
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                return None, None
            self.sock.settimeout(left)
            try:
                data, addr = self.sock.recvfrom(65535)
            except socket.timeout:
                return None, None
            except ConnectionRefusedError:
                continue
            try:
                m = Msg(data)
            except (ValueError, IndexError):
                continue
            log("%s <- %s:%d  %s" % (self.hostport, addr[0], addr[1], m.first))
            return m, addr


def log(s):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), s), file=sys.stderr, flush=True)


def hostport(host, port):
    return ("[%s]:%d" if ":" in host else "%s:%d") % (host, port)


# --------------------------------------------------------------------------
# UAC


class Uac:
    def __init__(self, ep, user, domain, proxy, ua_name):
        self.ep = ep
        self.user = user
        self.domain = domain
        self.proxy = proxy  # (host, port)
        self.ua_name = ua_name
        self.call_id = "%s@%s" % (rand_hex(16), ep.host)
        self.from_tag = rand_hex(10)
        self.cseq = random.randint(100, 9000)

    def _from(self):
        return '"%s" <sip:%s@%s>;tag=%s' % (self.user.capitalize(), self.user,
                                            self.domain, self.from_tag)

    def invite(self, ruri, branch, max_forwards=70):
        body = sdp(self.ep.host, 40000, 3900000000 + self.cseq)
        return build("INVITE %s SIP/2.0" % ruri, [
            ("Via", "SIP/2.0/UDP %s;branch=%s;rport" % (self.ep.hostport, branch)),
            ("Max-Forwards", "%d" % max_forwards),
            ("From", self._from()),
            ("To", "<%s>" % ruri),
            ("Call-ID", self.call_id),
            ("CSeq", "%d INVITE" % self.cseq),
            ("Contact", "<sip:%s@%s>" % (self.user, self.ep.hostport)),
            ("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS"),
            ("User-Agent", self.ua_name),
            ("Content-Type", "application/sdp"),
        ], body)

    def ack_non2xx(self, ruri, branch, resp):
        # RFC 3261 17.1.1.3: same branch, To from the response
        return build("ACK %s SIP/2.0" % ruri, [
            ("Via", "SIP/2.0/UDP %s;branch=%s;rport" % (self.ep.hostport, branch)),
            ("Max-Forwards", "70"),
            ("From", self._from()),
            ("To", resp.get("To")),
            ("Call-ID", self.call_id),
            ("CSeq", "%d ACK" % self.cseq),
            ("User-Agent", self.ua_name),
        ])

    def in_dialog(self, method, resp, cseq, extra=(), body="", branch=None):
        """ACK for 2xx / BYE / re-INVITE, through the route set of the 2xx."""
        target = uri_of(resp.get("Contact"))
        routes = list(reversed(resp.get_all("Record-Route")))
        branch = branch or "z9hG4bK" + rand_hex(12)
        hdrs = [("Via", "SIP/2.0/UDP %s;branch=%s;rport" % (self.ep.hostport, branch)),
                ("Max-Forwards", "70")]
        if routes:
            hdrs.append(("Route", ", ".join(routes)))
        hdrs += [("From", self._from()), ("To", resp.get("To")),
                 ("Call-ID", self.call_id), ("CSeq", "%d %s" % (cseq, method)),
                 ("User-Agent", self.ua_name)]
        hdrs += list(extra)
        return build("%s %s SIP/2.0" % (method, target), hdrs, body)

    def transact(self, data, dest, final_timeout=40.0, t1=0.5):
        """Send a request with Timer A retransmissions until a response
        arrives; then wait for a final response. Returns (final Msg or None,
        list of messages received)."""
        self.ep.send(data, dest)
        got = []
        interval = t1
        next_tx = time.time() + interval
        end = time.time() + final_timeout
        provisional = False
        while time.time() < end:
            wait = min(end, next_tx if not provisional else end) - time.time()
            m, _ = self.ep.recv(max(wait, 0.001))
            if m is None:
                if not provisional and time.time() >= next_tx:
                    self.ep.send(data, dest)
                    interval *= 2
                    next_tx = time.time() + interval
                continue
            if m.is_request:
                got.append(m)
                continue
            got.append(m)
            if m.code < 200:
                provisional = True
                continue
            return m, got
        return None, got


def cmd_uac(a):
    ep = Endpoint(a.bind, a.port)
    proxy = (a.proxy_host, a.proxy_port)
    uac = Uac(ep, a.user, a.domain, proxy, a.user_agent)
    target = a.target
    tried = []
    while True:
        tried.append(target)
        branch = "z9hG4bK" + rand_hex(12)
        resp, _ = uac.transact(uac.invite(target, branch, a.max_forwards), proxy)
        if resp is None:
            log("no final response")
            return 1
        if 300 <= resp.code < 400:
            ep.send(uac.ack_non2xx(target, branch, resp), proxy)
            contact = uri_of(resp.get("Contact"))
            if a.mode != "follow":
                return 0
            if contact in tried and tried.count(contact) >= a.max_revisits:
                log("redirect loop: %s already tried %d time(s), giving up" % (contact, tried.count(contact)))
                return 0
            log("following redirect to %s" % contact)
            uac.cseq += 1  # new transaction, same Call-ID (RFC 3261 8.1.3.4)
            target = contact
            time.sleep(a.gap)
            continue
        if resp.code >= 300:
            ep.send(uac.ack_non2xx(target, branch, resp), proxy)
            return 0
        # 2xx
        if a.mode == "no-ack":
            # never ACK: keep answering nothing, just listen for the UAS's
            # 2xx retransmissions and its BYE; answer the BYE with 200.
            end = time.time() + a.listen
            while time.time() < end:
                m, addr = ep.recv(end - time.time())
                if m is not None and m.is_request and m.method == "BYE":
                    ep.send(reply(m, 200, "OK", uac.ua_name), addr)
                    end = min(end, time.time() + 2)
            return 0
        ep.send(uac.in_dialog("ACK", resp, uac.cseq), proxy)
        time.sleep(a.talk)
        if a.mode == "t38":
            # Switch the call to T.38 fax (a re-INVITE with m=image only);
            # the callee may refuse it (488), and the call goes on as audio.
            uac.cseq += 1
            rbranch = "z9hG4bK" + rand_hex(12)
            body = sdp(ep.host, 40002, 3900000000, 2, t38=True)
            reinv = uac.in_dialog("INVITE", resp, uac.cseq,
                                  [("Contact", "<sip:%s@%s>" % (uac.user, ep.hostport)),
                                   ("Content-Type", "application/sdp")], body, rbranch)
            r2, _ = uac.transact(reinv, proxy, final_timeout=32)
            if r2 is not None and r2.code >= 300:
                ack = uac.in_dialog("ACK", resp, uac.cseq, branch=rbranch)
                ep.send(ack, proxy)
            elif r2 is not None:
                ep.send(uac.in_dialog("ACK", resp, uac.cseq), proxy)
            time.sleep(a.talk)
        uac.cseq += 1
        bye = uac.in_dialog("BYE", resp, uac.cseq)
        r2, _ = uac.transact(bye, proxy, final_timeout=32)
        return 0 if r2 is not None and r2.code == 200 else 1


def reply(req, code, reason, server, to_tag=None, extra=(), body="", ctype=None):
    hdrs = [("Via", v) for v in req.get_all("Via")]
    to = req.get("To")
    if to_tag and tag_of(to) is None:
        to += ";tag=" + to_tag
    hdrs += [("From", req.get("From")), ("To", to), ("Call-ID", req.get("Call-ID")),
             ("CSeq", req.get("CSeq"))]
    for rr in req.get_all("Record-Route"):
        hdrs.append(("Record-Route", rr))
    hdrs += list(extra)
    hdrs.append(("Server", server))
    if ctype:
        hdrs.append(("Content-Type", ctype))
    return build("SIP/2.0 %d %s" % (code, reason), hdrs, body)


# --------------------------------------------------------------------------
# UAS that accepts REFER but never NOTIFYs


def notify_for(sub, addr_host, ep, to_tag, cseq, server, state="active;expires=600"):
    """A NOTIFY inside the dialog a SUBSCRIBE created (RFC 6665 4.2.1)."""
    target = uri_of(sub.get("Contact"))
    hdrs = [("Via", "SIP/2.0/UDP %s;branch=z9hG4bK%s;rport" % (ep.hostport, rand_hex(12))),
            ("Max-Forwards", "70")]
    rr = sub.get_all("Record-Route")
    if rr:
        hdrs.append(("Route", ", ".join(rr)))
    hdrs += [("From", sub.get("To") + ";tag=" + to_tag), ("To", sub.get("From")),
             ("Call-ID", sub.get("Call-ID")), ("CSeq", "%d NOTIFY" % cseq),
             ("Contact", "<sip:%s@%s>" % (addr_host, ep.hostport)),
             ("Event", sub.get("Event")), ("Subscription-State", state),
             ("User-Agent", server), ("Content-Type", "application/simple-message-summary")]
    return build("NOTIFY %s SIP/2.0" % target, hdrs, "Messages-Waiting: no\r\n")


def cmd_uas(a):
    ep = Endpoint(a.bind, a.port)
    to_tag = rand_hex(10)
    server = a.user_agent
    end = time.time() + a.duration
    contact = "<sip:%s@%s>" % (a.user, ep.hostport)
    answered = False
    subs = {}
    ncseq = 1
    while time.time() < end:
        m, addr = ep.recv(end - time.time())
        if m is None or not m.is_request:
            continue
        if m.method == "INVITE" and tag_of(m.get("To")) is None:
            ep.send(reply(m, 100, "Trying", server), addr)
            time.sleep(0.05)
            ep.send(reply(m, 180, "Ringing", server, to_tag, [("Contact", contact)]), addr)
            if a.no_answer:
                continue
            time.sleep(a.ring)
            body = sdp(ep.host, 41000, 3910000000)
            ep.send(reply(m, 200, "OK", server, to_tag,
                          [("Contact", contact), ("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER")],
                          body, "application/sdp"), addr)
            answered = True
        elif m.method == "ACK":
            pass
        elif m.method == "CANCEL":
            if a.ignore_cancel:
                continue    # an implementation that drops CANCEL
            ep.send(reply(m, 200, "OK", server, to_tag), addr)
        elif m.method == "REFER":
            if a.refer_code != 202:
                # Refuse the transfer itself (e.g. 488: the target or its
                # Replaces cannot be used here).
                ep.send(reply(m, a.refer_code, a.refer_reason, server, to_tag), addr)
                continue
            # Accept the REFER, which creates an implicit subscription
            # (RFC 3515 2.4.4) ... and then never send a single NOTIFY.
            ep.send(reply(m, 202, "Accepted", server, to_tag, [("Contact", contact)]), addr)
        elif m.method == "SUBSCRIBE":
            key = m.get("Call-ID")
            if tag_of(m.get("To")) is None:
                # A new subscription: accept it and notify at once.
                subs[key] = True
                ep.send(reply(m, 200, "OK", server, to_tag,
                              [("Contact", contact), ("Expires", "600")]), addr)
                time.sleep(0.05)
                ep.send(notify_for(m, a.user, ep, to_tag, ncseq, server), addr)
                ncseq += 1
            elif a.sub_forget:
                # Restarted since: the subscription is gone (RFC 6665 4.1.2.2).
                ep.send(reply(m, 481, "Subscription does not exist", server), addr)
            else:
                ep.send(reply(m, 200, "OK", server, None,
                              [("Contact", contact), ("Expires", "600")]), addr)
        elif m.method == "BYE" and answered and a.ignore_bye:
            continue        # has dropped the dialog and ignores the BYE
        elif m.method in ("BYE", "OPTIONS"):
            ep.send(reply(m, 200, "OK", server, to_tag), addr)
            if m.method == "BYE":
                end = min(end, time.time() + 1)
        else:
            ep.send(reply(m, 501, "Not Implemented", server, to_tag), addr)
    return 0


# --------------------------------------------------------------------------
# subscriber


def cmd_sub(a):
    ep = Endpoint(a.bind, a.port)
    proxy = (a.proxy_host, a.proxy_port)
    ua = a.user_agent
    frm_uri = "sip:%s@%s" % (a.user, a.domain)
    contact = "<sip:%s@%s>" % (a.user, ep.hostport)

    def subscribe(ruri, event, call_id, ftag, cseq, to=None, route=None, target=None):
        hdrs = [("Via", "SIP/2.0/UDP %s;branch=z9hG4bK%s;rport" % (ep.hostport, rand_hex(12))),
                ("Max-Forwards", "70")]
        if route:
            hdrs.append(("Route", route))
        hdrs += [("From", "<%s>;tag=%s" % (frm_uri, ftag)), ("To", to or "<%s>" % ruri),
                 ("Call-ID", call_id), ("CSeq", "%d SUBSCRIBE" % cseq),
                 ("Contact", contact), ("Event", event), ("Expires", "600"),
                 ("Accept", "application/simple-message-summary, application/watcherinfo+xml"),
                 ("User-Agent", ua)]
        return build("SUBSCRIBE %s SIP/2.0" % (target or ruri), hdrs)

    def transact(data):
        uac = Uac(ep, a.user, a.domain, proxy, ua)
        final, got = uac.transact(data, proxy, final_timeout=10)
        for m in got:
            if m.is_request and m.method == "NOTIFY":
                ep.send(reply(m, 200, "OK", ua), proxy)
        return final

    # 1. An event package the server does not offer, asked for from scratch
    #    again and again (a new Call-ID each time).
    for i in range(a.rounds):
        cid = "%s@%s" % (rand_hex(16), ep.host)
        transact(subscribe(a.winfo_target, "presence.winfo", cid, rand_hex(8), 1))
        time.sleep(a.gap)
    # 2. A subscription accepted and notified, then refreshed in its dialog
    #    after the notifier lost it.
    cid = "%s@%s" % (rand_hex(16), ep.host)
    ftag = rand_hex(8)
    ok = transact(subscribe(a.mwi_target, "message-summary", cid, ftag, 1))
    if ok is None or ok.code >= 300:
        log("subscription not accepted")
        return 1
    end = time.time() + 1.0
    while time.time() < end:        # the first NOTIFY
        m, addr = ep.recv(end - time.time())
        if m is not None and m.is_request and m.method == "NOTIFY":
            ep.send(reply(m, 200, "OK", ua), addr)
    time.sleep(a.refresh)
    route = ", ".join(reversed(ok.get_all("Record-Route"))) or None
    transact(subscribe(a.mwi_target, "message-summary", cid, ftag, 2,
                       to=ok.get("To"), route=route, target=uri_of(ok.get("Contact"))))
    return 0


# --------------------------------------------------------------------------
# scanner (SIPVicious svmap / svwar look-alike)


def sv_request(method, ext, src, dst_host, dst_port, rng, register_target=None):
    """Mimics sipvicious.libs.svhelper.makeRequest defaults."""
    branch = "z9hG4bK-%d;rport" % rng.randint(1, 4294967295)
    from_tag = ("%s%s" % (rand_hex(8, rng), "01") + "%08x" % rng.randint(0, 2**32 - 1))
    call_id = "%d" % rng.getrandbits(80)
    if method == "REGISTER":
        ruri = "sip:%s" % dst_host
        to = '"%s" <sip:%s@%s>' % (ext, ext, dst_host)
        frm = '"%s" <sip:%s@%s>;tag=%s' % (ext, ext, dst_host, from_tag)
    else:
        ruri = "sip:%s@%s" % (ext, hostport(dst_host, dst_port))
        to = '"sipvicious" <sip:%s@%s>' % (ext, dst_host)
        frm = '"sipvicious" <sip:%s@%s>;tag=%s' % (ext, dst_host, from_tag)
    hdrs = [("Via", "SIP/2.0/UDP %s;branch=%s" % (src, branch)),
            ("Max-Forwards", "70"), ("To", to), ("From", frm),
            ("User-Agent", "friendly-scanner"), ("Call-ID", call_id),
            ("CSeq", "1 %s" % method)]
    if method != "REGISTER":
        hdrs.append(("Contact", "<sip:%s@%s>" % (ext, src)))
    hdrs.append(("Accept", "application/sdp"))
    return build("%s %s SIP/2.0" % (method, ruri), hdrs)


def cmd_scan(a):
    rng = random.Random(a.seed)
    ep = Endpoint(a.bind, a.port)
    src = ep.hostport
    # 1. svmap-style OPTIONS sweep of a port range on the target host
    for port in range(a.sweep_from, a.sweep_to + 1):
        ep.send(sv_request("OPTIONS", "100", src, a.target, port, rng), (a.target, port))
        ep.recv(a.gap)
    # 2. svwar-style extension enumeration with REGISTER against the registrar
    for ext in a.exts.split(","):
        ep.send(sv_request("REGISTER", ext, src, a.target, 5060, rng), (a.target, 5060))
        ep.recv(a.gap)
    # drain late answers
    end = time.time() + 1
    while time.time() < end:
        ep.recv(end - time.time())
    return 0


# --------------------------------------------------------------------------
# 5xx burst: one OPTIONS from each of several clients


def cmd_burst(a):
    rng = random.Random(a.seed)
    users = a.users.split(",")
    for i in range(a.count):
        host = "127.0.0.%d" % (a.first_client + i)
        ep = Endpoint(host, 5060)
        user = users[i % len(users)]
        uac = Uac(ep, "client%d" % (i + 1), a.domain, (a.target, 5060), "pbx-trunk/2.4")
        uac.call_id = "%s@%s" % (rand_hex(16, rng), host)
        branch = "z9hG4bK" + rand_hex(12, rng)
        ruri = "sip:%s@%s" % (user, a.domain)
        if a.method == "INVITE":
            uac.user = "trunk%d" % (i + 1)
            resp, _ = uac.transact(uac.invite(ruri, branch), (a.target, 5060), final_timeout=5)
            if resp is not None and resp.code >= 300:
                ep.send(uac.ack_non2xx(ruri, branch, resp), (a.target, 5060))
            elif resp is not None:
                ep.send(uac.in_dialog("ACK", resp, uac.cseq), (a.target, 5060))
                uac.cseq += 1
                uac.transact(uac.in_dialog("BYE", resp, uac.cseq), (a.target, 5060), final_timeout=5)
            ep.sock.close()
            time.sleep(a.gap)
            continue
        data = build("OPTIONS %s SIP/2.0" % ruri, [
            ("Via", "SIP/2.0/UDP %s;branch=%s;rport" % (ep.hostport, branch)),
            ("Max-Forwards", "70"),
            ("From", "<sip:trunk%d@%s>;tag=%s" % (i + 1, a.domain, rand_hex(10, rng))),
            ("To", "<%s>" % ruri),
            ("Call-ID", uac.call_id),
            ("CSeq", "1 OPTIONS"),
            ("Contact", "<sip:trunk%d@%s>" % (i + 1, ep.hostport)),
            ("Accept", "application/sdp"),
            ("User-Agent", "pbx-trunk/2.4"),
        ])
        resp, _ = uac.transact(data, (a.target, 5060), final_timeout=5)
        ep.sock.close()
        time.sleep(a.gap)
    return 0


# --------------------------------------------------------------------------
# several INVITEs on one TCP connection


def cmd_tcpuac(a):
    assert_loopback(a.bind)
    assert_loopback(a.proxy_host)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((a.bind, 0))
    sock.connect((a.proxy_host, a.proxy_port))
    host, port = sock.getsockname()
    hp = "%s:%d" % (host, port)
    buf = b""

    def send(data):
        sock.sendall(data)
        log("%s -> tcp %s:%d  %s" % (hp, a.proxy_host, a.proxy_port,
                                     data.split(b"\r\n", 1)[0].decode()))

    def recv_final(timeout):
        nonlocal buf
        end = time.time() + timeout
        while time.time() < end:
            while b"\r\n\r\n" in buf:
                head, rest = buf.split(b"\r\n\r\n", 1)
                m = Msg(head + b"\r\n\r\n")
                n = int(m.get("Content-Length", "0") or 0)
                if len(rest) < n:
                    break
                buf = rest[n:]
                log("%s <- tcp  %s" % (hp, m.first))
                if not m.is_request and m.code >= 200:
                    return m
            sock.settimeout(max(end - time.time(), 0.01))
            try:
                data = sock.recv(65535)
            except socket.timeout:
                continue
            if not data:
                return None
            buf += data
        return None

    cseq = 100
    for i, spec in enumerate(a.invites.split(",")):
        user, _, header = spec.partition("+")
        ruri = "sip:%s@%s" % (user, a.domain)
        call_id = "%s@%s" % (rand_hex(16), host)
        ftag = rand_hex(10)
        branch = "z9hG4bK" + rand_hex(12)
        frm = "<sip:%s@%s>;tag=%s" % (a.user, a.domain, ftag)
        hdrs = [("Via", "SIP/2.0/TCP %s;branch=%s;rport" % (hp, branch)),
                ("Max-Forwards", "70"), ("From", frm), ("To", "<%s>" % ruri),
                ("Call-ID", call_id), ("CSeq", "%d INVITE" % cseq),
                ("Contact", "<sip:%s@%s;transport=tcp>" % (a.user, hp)),
                ("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS"),
                ("User-Agent", a.user_agent), ("Content-Type", "application/sdp")]
        if header:
            hdrs.insert(6, (header, "trunk-b;legacy=1"))
        send(build("INVITE %s SIP/2.0" % ruri, hdrs, sdp(host, 40000 + 2 * i, 3930000000 + i)))
        resp = recv_final(a.wait)
        if resp is not None and resp.code >= 300:
            send(build("ACK %s SIP/2.0" % ruri, [
                ("Via", "SIP/2.0/TCP %s;branch=%s;rport" % (hp, branch)),
                ("Max-Forwards", "70"), ("From", frm), ("To", resp.get("To")),
                ("Call-ID", call_id), ("CSeq", "%d ACK" % cseq),
                ("User-Agent", a.user_agent)]))
        time.sleep(a.gap)
    # Keep the connection (and the capture) going past Timer B.
    time.sleep(a.linger)
    branch = "z9hG4bK" + rand_hex(12)
    send(build("OPTIONS sip:%s SIP/2.0" % a.proxy_host, [
        ("Via", "SIP/2.0/TCP %s;branch=%s;rport" % (hp, branch)),
        ("Max-Forwards", "70"), ("From", "<sip:%s@%s>;tag=%s" % (a.user, a.domain, rand_hex(10))),
        ("To", "<sip:%s>" % a.proxy_host), ("Call-ID", "%s@%s" % (rand_hex(16), host)),
        ("CSeq", "1 OPTIONS"), ("User-Agent", a.user_agent)]))
    recv_final(2)
    sock.close()
    return 0


# --------------------------------------------------------------------------
# pcap writer (for captures that can only be crafted at the link layer)


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4_udp(src, dst, sport, dport, payload, ident):
    udp_len = 8 + len(payload)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    c = csum16(pseudo + udp) or 0xFFFF
    udp = struct.pack("!HHHH", sport, dport, udp_len, c) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, ident, 0x4000, 64, 17, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum16(hdr)) + hdr[12:]
    return hdr + udp


def ether(dst_mac, src_mac, tags, ethertype, payload):
    """tags: list of (tpid, vid, pcp), outermost first."""
    out = bytes.fromhex(dst_mac.replace(":", "")) + bytes.fromhex(src_mac.replace(":", ""))
    for tpid, vid, pcp in tags:
        out += struct.pack("!HH", tpid, (pcp << 13) | vid)
    return out + struct.pack("!H", ethertype) + payload


def write_pcap(path, frames, linktype=1):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for ts, frame in frames:
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
            f.write(frame)


def cmd_vlan(a):
    """A complete direct call alice (127.0.0.11) <-> bob (127.0.0.12), where
    the frames carry: 802.1Q (TPID 0x8100, VID 100); 802.1ad QinQ (outer
    TPID 0x88a8 VID 200 + inner 0x8100 VID 100); and legacy double 802.1Q
    (0x8100 VID 200 + 0x8100 VID 100)."""
    rng = random.Random(7)
    A, B = ("127.0.0.11", 5060), ("127.0.0.12", 5060)
    mac_a, mac_b = "02:00:00:00:00:11", "02:00:00:00:00:12"
    q = [(0x8100, 100, 0)]
    qinq = [(0x88A8, 200, 0), (0x8100, 100, 0)]
    qq = [(0x8100, 200, 0), (0x8100, 100, 0)]
    call_id = "%s@127.0.0.11" % rand_hex(16, rng)
    ftag, ttag = rand_hex(10, rng), rand_hex(10, rng)
    frm = '"Alice" <sip:alice@example.com>;tag=%s' % ftag
    to0 = "<sip:bob@example.com>"
    to = to0 + ";tag=" + ttag
    br_inv = "z9hG4bK" + rand_hex(12, rng)
    br_ack = "z9hG4bK" + rand_hex(12, rng)
    br_bye = "z9hG4bK" + rand_hex(12, rng)
    via = lambda br: ("Via", "SIP/2.0/UDP 127.0.0.11:5060;branch=%s;rport" % br)
    ua = ("User-Agent", "sipwatch-vlan-fixture/1.0")
    sv = ("Server", "sipwatch-vlan-fixture/1.0")
    c_a = ("Contact", "<sip:alice@127.0.0.11:5060>")
    c_b = ("Contact", "<sip:bob@127.0.0.12:5060>")
    inv_body = sdp("127.0.0.11", 40000, 3920000001)
    ok_body = sdp("127.0.0.12", 41000, 3920000002)
    invite = build("INVITE sip:bob@127.0.0.12:5060 SIP/2.0",
                   [via(br_inv), ("Max-Forwards", "70"), ("From", frm), ("To", to0),
                    ("Call-ID", call_id), ("CSeq", "101 INVITE"), c_a, ua,
                    ("Content-Type", "application/sdp")], inv_body)
    rv = [("Via", "SIP/2.0/UDP 127.0.0.11:5060;branch=%s;rport=5060" % br_inv),
          ("From", frm)]
    r100 = build("SIP/2.0 100 Trying", rv + [("To", to0), ("Call-ID", call_id), ("CSeq", "101 INVITE"), sv])
    r180 = build("SIP/2.0 180 Ringing", rv + [("To", to), ("Call-ID", call_id), ("CSeq", "101 INVITE"), c_b, sv])
    r200 = build("SIP/2.0 200 OK", rv + [("To", to), ("Call-ID", call_id), ("CSeq", "101 INVITE"), c_b, sv,
                                         ("Content-Type", "application/sdp")], ok_body)
    ack = build("ACK sip:bob@127.0.0.12:5060 SIP/2.0",
                [via(br_ack), ("Max-Forwards", "70"), ("From", frm), ("To", to),
                 ("Call-ID", call_id), ("CSeq", "101 ACK"), ua])
    bye = build("BYE sip:bob@127.0.0.12:5060 SIP/2.0",
                [via(br_bye), ("Max-Forwards", "70"), ("From", frm), ("To", to),
                 ("Call-ID", call_id), ("CSeq", "102 BYE"), ua])
    bye200 = build("SIP/2.0 200 OK",
                   [("Via", "SIP/2.0/UDP 127.0.0.11:5060;branch=%s;rport=5060" % br_bye),
                    ("From", frm), ("To", to), ("Call-ID", call_id), ("CSeq", "102 BYE"), sv])
    t0 = a.start
    seq = [  # (time offset, direction A->B?, tags, payload)
        (0.000, True, q, invite),
        (0.004, False, qinq, r100),
        (0.012, False, qinq, r180),
        (1.530, False, qq, r200),
        (1.533, True, q, ack),
        (5.210, True, qinq, bye),
        (5.213, False, q, bye200),
    ]
    frames = []
    for i, (off, a2b, tags, payload) in enumerate(seq):
        s, d = (A, B) if a2b else (B, A)
        ip = ipv4_udp(s[0], d[0], s[1], d[1], payload, 0x1000 + i)
        smac, dmac = (mac_a, mac_b) if a2b else (mac_b, mac_a)
        frames.append((t0 + off, ether(dmac, smac, tags, 0x0800, ip)))
    write_pcap(a.out, frames)
    log("wrote %s (%d frames)" % (a.out, len(frames)))
    return 0


# --------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    v = sub.add_parser("vlan", help="write the VLAN/QinQ pcap")
    v.add_argument("out")
    v.add_argument("--start", type=float, default=1735732800.0,
                   help="timestamp of the first frame (default 2025-01-01 12:00 UTC)")

    u = sub.add_parser("uac", help="scripted UAC")
    u.add_argument("--mode", choices=["follow", "no-ack", "t38"], default="follow",
                   help="follow: follow 3xx Contacts (RFC 3261 8.1.3.4) then talk "
                        "and BYE; no-ack: never ACK the 2xx; t38: once answered, "
                        "re-INVITE to T.38 fax, then talk and BYE")
    u.add_argument("--max-forwards", type=int, default=70)
    u.add_argument("--bind", default="127.0.0.21")
    u.add_argument("--port", type=int, default=5060)
    u.add_argument("--user", default="dave")
    u.add_argument("--domain", default="example.com")
    u.add_argument("--proxy-host", default="127.0.0.1")
    u.add_argument("--proxy-port", type=int, default=5060)
    u.add_argument("--user-agent", default="sipwatch-lab-uac/1.0")
    u.add_argument("--target", required=True, help="Request-URI of the first INVITE")
    u.add_argument("--max-revisits", type=int, default=1,
                   help="follow a redirect back to an already-tried URI this many times")
    u.add_argument("--gap", type=float, default=0.2)
    u.add_argument("--talk", type=float, default=2.0)
    u.add_argument("--listen", type=float, default=40.0)

    s = sub.add_parser("uas", help="UAS that answers REFER 202 and never NOTIFYs")
    s.add_argument("--bind", default="127.0.0.22")
    s.add_argument("--port", type=int, default=5060)
    s.add_argument("--user", default="erin")
    s.add_argument("--user-agent", default="sipwatch-lab-uas/1.0")
    s.add_argument("--ring", type=float, default=1.0)
    s.add_argument("--duration", type=float, default=120.0)
    s.add_argument("--no-answer", action="store_true", help="ring, never answer")
    s.add_argument("--ignore-cancel", action="store_true", help="never answer CANCEL")
    s.add_argument("--ignore-bye", action="store_true",
                   help="once answered, never answer BYE (dialog forgotten)")
    s.add_argument("--refer-code", type=int, default=202,
                   help="answer REFER with this code (202: accept, never NOTIFY)")
    s.add_argument("--refer-reason", default="Not Acceptable Here")
    s.add_argument("--sub-forget", action="store_true",
                   help="accept a SUBSCRIBE, then answer its refresh 481")

    c = sub.add_parser("scan", help="SIPVicious-style scanner")
    c.add_argument("--bind", default="127.0.0.66")
    c.add_argument("--port", type=int, default=5060)
    c.add_argument("--target", default="127.0.0.1")
    c.add_argument("--sweep-from", type=int, default=5060)
    c.add_argument("--sweep-to", type=int, default=5069)
    c.add_argument("--exts", default="100,101,102,103,104,105,106,107,108,109,200,201,1000,1001")
    c.add_argument("--gap", type=float, default=0.15)
    c.add_argument("--seed", type=int, default=1)

    b = sub.add_parser("burst", help="one OPTIONS from each of N clients")
    b.add_argument("--target", default="127.0.0.1")
    b.add_argument("--domain", default="example.com")
    b.add_argument("--count", type=int, default=12)
    b.add_argument("--first-client", type=int, default=31)
    b.add_argument("--users", default="err500,gw502,busy503,timeout504")
    b.add_argument("--gap", type=float, default=1.0)
    b.add_argument("--seed", type=int, default=2)
    b.add_argument("--method", choices=["OPTIONS", "INVITE"], default="OPTIONS")

    q = sub.add_parser("sub", help="subscriber")
    q.add_argument("--bind", default="127.0.0.21")
    q.add_argument("--port", type=int, default=5060)
    q.add_argument("--user", default="dave")
    q.add_argument("--domain", default="example.com")
    q.add_argument("--proxy-host", default="127.0.0.1")
    q.add_argument("--proxy-port", type=int, default=5060)
    q.add_argument("--user-agent", default="sipwatch-lab-subscriber/1.0")
    q.add_argument("--winfo-target", default="sip:dave@example.com")
    q.add_argument("--mwi-target", default="sip:erin@127.0.0.22")
    q.add_argument("--rounds", type=int, default=4)
    q.add_argument("--gap", type=float, default=3.0)
    q.add_argument("--refresh", type=float, default=3.0)

    t = sub.add_parser("tcpuac", help="INVITEs on one TCP connection")
    t.add_argument("--bind", default="127.0.0.21")
    t.add_argument("--proxy-host", default="127.0.0.1")
    t.add_argument("--proxy-port", type=int, default=5060)
    t.add_argument("--user", default="dave")
    t.add_argument("--domain", default="example.com")
    t.add_argument("--user-agent", default="sipwatch-lab-tcp/1.0")
    t.add_argument("--invites", default="busy486,decline+X-Legacy-Routing,busy600",
                   help="comma list of USER[+HEADER]: each INVITE's target and an "
                        "extra header it carries")
    t.add_argument("--wait", type=float, default=2.0)
    t.add_argument("--gap", type=float, default=1.0)
    t.add_argument("--linger", type=float, default=34.0)

    a = p.parse_args()
    return {"vlan": cmd_vlan, "uac": cmd_uac, "uas": cmd_uas, "scan": cmd_scan,
            "burst": cmd_burst, "sub": cmd_sub, "tcpuac": cmd_tcpuac}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
