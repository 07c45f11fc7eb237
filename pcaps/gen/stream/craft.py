#!/usr/bin/env python3
"""craft.py: captures of stream and tunnel cases that real software cannot
be made to produce on demand (segments out of order, overlapping, lost,
a capture joined mid-stream, WebSocket masking and fragmentation, GRE,
ERSPAN, VXLAN, MPLS, SCTP, SCTP messages split over chunks, GTP-U, PPPoE,
PPP in enhanced GRE, pcapng with mixed link types, and a capture made to
exhaust the reassembly caps).  Python standard library only; writes
classic pcap (or pcapng) files.

usage: craft.py OUTDIR [CASE...]        (no CASE: every shipped case)
       craft.py --exhaust FILE          (the cap-exhausting capture, not shipped)
"""
import ipaddress
import os
import struct
import sys

T0 = 1700000000.0


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ipv4(src, dst, proto, payload, ident=1, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag,
                    64, proto, 0, ip4(src), ip4(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def eth(payload, etype=0x0800, src=b"\x02\0\0\0\0\x01", dst=b"\x02\0\0\0\0\x02"):
    return dst + src + struct.pack("!H", etype) + payload


def udp(src, dst, sport, dport, payload):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ph = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(u))
    c = csum(ph + u) or 0xFFFF
    return u[:6] + struct.pack("!H", c) + u[8:]


FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16


def tcp(src, dst, sport, dport, seq, ack, flags, payload):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                    ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0) + payload
    ph = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(t))
    return t[:16] + struct.pack("!H", csum(ph + t)) + t[18:]


class Pcap:
    """Frames kept in memory, written as classic pcap (microseconds)."""

    def __init__(self, linktype=1):
        self.linktype = linktype
        self.frames = []
        self.t = T0

    def add(self, frame, dt=0.001):
        self.t += dt
        self.frames.append((self.t, frame))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144,
                                self.linktype))
            for t, fr in self.frames:
                sec = int(t)
                usec = int(round((t - sec) * 1e6))
                f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)))
                f.write(fr)


class Conn:
    """One TCP connection between a client and a server, both directions."""

    def __init__(self, cap, cli, cport, srv, sport, isn=(1000, 50000)):
        self.cap = cap
        self.ep = [(cli, cport), (srv, sport)]
        self.nxt = [isn[0], isn[1]]

    def frame(self, d, seq, flags, data=b"", dt=0.001):
        (s, sp), (r, rp) = self.ep[d], self.ep[1 - d]
        seg = tcp(s, r, sp, rp, seq, self.nxt[1 - d], flags | ACK
                  if flags != SYN else flags, data)
        self.cap.add(eth(ipv4(s, r, 6, seg)), dt)

    def handshake(self):
        (c, cp), (s, sp) = self.ep
        self.cap.add(eth(ipv4(c, s, 6, tcp(c, s, cp, sp, self.nxt[0], 0,
                                             SYN, b""))))
        self.cap.add(eth(ipv4(s, c, 6, tcp(s, c, sp, cp, self.nxt[1],
                                             self.nxt[0] + 1, SYN | ACK,
                                             b""))))
        self.nxt = [self.nxt[0] + 1, self.nxt[1] + 1]
        self.frame(0, self.nxt[0], 0)

    def send(self, d, data, pieces=None, order=None, dt=0.001):
        """Send DATA from side D cut at PIECES offsets, in ORDER."""
        cuts = [0] + (pieces or []) + [len(data)]
        segs = [(self.nxt[d] + cuts[i], data[cuts[i]:cuts[i + 1]])
                for i in range(len(cuts) - 1)]
        for i in (order if order is not None else range(len(segs))):
            seq, chunk = segs[i]
            self.frame(d, seq, PSH, chunk, dt)
        self.nxt[d] += len(data)

    def raw(self, d, offset, data, flags=PSH):
        """A segment at nxt[d] + OFFSET (may be before: a retransmission)."""
        self.frame(d, self.nxt[d] + offset, flags, data)

    def skip(self, d, n):
        """N bytes that were sent but never captured."""
        self.nxt[d] += n

    def close(self):
        self.frame(0, self.nxt[0], FIN)
        self.nxt[0] += 1
        self.frame(1, self.nxt[1], FIN)
        self.nxt[1] += 1
        self.frame(0, self.nxt[0], 0)


def sip(method, n, tp="TCP", body="", to="bob", host="192.0.2.20",
        cseq="INVITE"):
    """A request (or, with METHOD a number, a response to a CSEQ request)
    with Content-Length."""
    ctype = "Content-Type: application/sdp\r\n" if body else ""
    if isinstance(method, int):
        start = "SIP/2.0 %d %s" % (method, {100: "Trying", 180: "Ringing",
                                            200: "OK", 404: "Not Found",
                                            486: "Busy Here"}[method])
        meth = cseq
    else:
        start = "%s sip:%s@%s SIP/2.0" % (method, to, host)
        meth = method
    return ("%s\r\nVia: SIP/2.0/%s 192.0.2.10:5060;branch=z9hG4bK-%s-%d\r\n"
            "From: <sip:alice@example.com>;tag=a%d\r\nTo: <sip:%s@example.com>\r\n"
            "Call-ID: call-%d@192.0.2.10\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\n"
            "%sContent-Length: %d\r\n\r\n%s"
            % (start, tp, meth, n, n, to, n, n, meth, ctype,
               len(body.encode()), body)).encode()


def sdp(lines=8):
    return "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n" \
        "t=0 0\r\nm=audio 40000 RTP/AVP 0 8\r\n" + \
        "".join("a=x-pad-%02d:%s\r\n" % (i, "p" * 50) for i in range(lines))


CLI, SRV = "192.0.2.10", "192.0.2.20"


def case_tcp_reorder(out):
    """Out of order, retransmitted and overlapping segments, several
    messages per segment, one message over many, keep-alives."""
    p = Pcap()
    c = Conn(p, CLI, 40001, SRV, 5060)
    c.handshake()
    inv = sip("INVITE", 1, body=sdp(12))
    # INVITE in four pieces, sent 2, 4, 1, 3.
    c.send(0, inv, pieces=[300, 600, 900], order=[1, 3, 0, 2])
    c.send(1, sip(100, 1) + sip(180, 1))          # two in one segment
    c.send(1, sip(200, 1, body=sdp(2)), pieces=[100])
    c.raw(1, -50, sip(200, 1, body=sdp(2))[-50:])  # retransmitted tail
    ack = sip("ACK", 1)
    # ACK: a segment overlapping the next one with the same bytes.
    c.raw(0, 40, ack[40:120])
    c.raw(0, 0, ack[:80])
    c.raw(0, 80, ack[80:])
    c.nxt[0] += len(ack)
    c.send(0, b"\r\n\r\n")                         # RFC 5626 ping
    c.send(1, b"\r\n")                             # pong
    bye = sip("BYE", 2)
    c.send(0, bye + sip("OPTIONS", 3)[:60])        # one and a bit
    c.send(0, sip("OPTIONS", 3)[60:])
    c.send(1, sip(200, 2) + sip(200, 3))
    c.close()
    p.write(os.path.join(out, "crafted-tcp-reorder.pcap"))


def case_tcp_midstream(out):
    """Capture started after the handshake, inside a message body; one
    segment lost later (a gap): the message after it is still seen."""
    p = Pcap()
    c = Conn(p, CLI, 40002, SRV, 5060, isn=(777000, 888000))
    first = sip("INVITE", 10, body=sdp(6))
    c.send(0, first[-120:])                       # the end of an INVITE
    c.send(1, sip(200, 10, body=sdp(2)))
    c.send(0, sip("ACK", 10))
    lost = sip("INFO", 11, body="x" * 200)
    c.send(0, lost[:150])
    c.skip(0, len(lost) - 150)                    # never captured
    c.send(0, sip("BYE", 12))
    c.send(1, sip(200, 12))
    c.close()
    p.write(os.path.join(out, "crafted-tcp-midstream.pcap"))


def wsframe(data, op=1, fin=True, key=None):
    b0 = (0x80 if fin else 0) | op
    n = len(data)
    if n < 126:
        h = struct.pack("!BB", b0, n | (0x80 if key else 0))
    elif n < 65536:
        h = struct.pack("!BBH", b0, 126 | (0x80 if key else 0), n)
    else:
        h = struct.pack("!BBQ", b0, 127 | (0x80 if key else 0), n)
    if key:
        h += key
        data = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return h + data


def case_ws(out):
    """SIP over WebSocket (RFC 7118) on 8080: upgrade, masked client
    frames, a fragmented message, a ping, frames across segments."""
    p = Pcap()
    c = Conn(p, CLI, 40003, SRV, 8080)
    c.handshake()
    c.send(0, b"GET /ws HTTP/1.1\r\nHost: 192.0.2.20:8080\r\n"
              b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              b"Origin: http://192.0.2.20\r\n"
              b"Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n")
    c.send(1, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
              b"Connection: Upgrade\r\n"
              b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
              b"Sec-WebSocket-Protocol: sip\r\n\r\n")
    k = b"\x37\xfa\x21\x3d"
    reg = sip("REGISTER", 20, tp="WSS", to="alice")
    c.send(0, wsframe(reg, key=k))
    c.send(1, wsframe(sip(200, 20, tp="WSS")))
    inv = sip("INVITE", 21, tp="WSS", body=sdp(20))
    # Masked INVITE in three fragments, split over segments.
    frames = wsframe(inv[:500], fin=False, key=k) + \
        wsframe(b"", op=9, key=k) + \
        wsframe(inv[500:1200], op=0, fin=False, key=k) + \
        wsframe(inv[1200:], op=0, key=k)
    c.send(0, frames, pieces=[200, 700, 1300])
    c.send(1, wsframe(sip(100, 21, tp="WSS")) + wsframe(b"", op=10))
    c.send(1, wsframe(sip(486, 21, tp="WSS")))
    c.send(0, wsframe(sip("ACK", 21, tp="WSS"), key=k))
    c.send(0, wsframe(b"\x03\xe8", op=8, key=k))
    c.send(1, wsframe(b"\x03\xe8", op=8))
    c.close()
    p.write(os.path.join(out, "crafted-ws.pcap"))


def inner(n, method="OPTIONS"):
    """An inner Ethernet frame with a UDP SIP request N."""
    m = sip(method, n, tp="UDP")
    return eth(ipv4("10.1.1.1", "10.1.1.2", 17,
                    udp("10.1.1.1", "10.1.1.2", 5060, 5060, m)))


def inner_resp(n):
    m = sip(200, n, tp="UDP")
    return eth(ipv4("10.1.1.2", "10.1.1.1", 17,
                    udp("10.1.1.2", "10.1.1.1", 5060, 5060, m)))


def case_tunnels(out):
    """Mirror-port encapsulations: GRE (IPv4 inside, Ethernet inside),
    ERSPAN type II and III, VXLAN, MPLS, IP-in-IP."""
    p = Pcap()
    a, b = "172.16.0.1", "172.16.0.2"
    # GRE carrying IPv4.
    ip_in = inner(30)[14:]
    p.add(eth(ipv4(a, b, 47, struct.pack("!HH", 0, 0x0800) + ip_in)))
    p.add(eth(ipv4(a, b, 47, struct.pack("!HH", 0, 0x0800) +
                   inner_resp(30)[14:])))
    # GRE transparent Ethernet bridging, with a key.
    p.add(eth(ipv4(a, b, 47, struct.pack("!HHI", 0x2000, 0x6558, 7) +
                   inner(31))))
    p.add(eth(ipv4(a, b, 47, struct.pack("!HHI", 0x2000, 0x6558, 7) +
                   inner_resp(31))))
    # ERSPAN type II: GRE with sequence number, 8-byte ERSPAN header.
    for i, fr in enumerate((inner(32), inner_resp(32))):
        gre = struct.pack("!HHI", 0x1000, 0x88BE, i)
        ers = struct.pack("!II", (1 << 28) | (10 << 16) | 5, 0)
        p.add(eth(ipv4(a, b, 47, gre + ers + fr)))
    # ERSPAN type III: 12-byte header (and a platform subheader).
    for i, fr in enumerate((inner(33), inner_resp(33))):
        gre = struct.pack("!HHI", 0x1000, 0x22EB, i)
        ers = struct.pack("!III", (2 << 28) | 5, 123456, 0x1 if i else 0)
        sub = struct.pack("!II", 0x3 << 26, 0) if i else b""
        p.add(eth(ipv4(a, b, 47, gre + ers + sub + fr)))
    # VXLAN.
    for fr in (inner(34), inner_resp(34)):
        vx = struct.pack("!II", 0x08000000, 42 << 8)
        p.add(eth(ipv4(a, b, 17, udp(a, b, 49152, 4789, vx + fr))))
    # MPLS: two labels, then IPv4.
    for fr in (inner(35), inner_resp(35)):
        lse = struct.pack("!II", (100 << 12) | 64, (200 << 12) | 0x100 | 64)
        p.add(eth(lse + fr[14:], etype=0x8847))
    # IP-in-IP.
    for fr in (inner(36), inner_resp(36)):
        p.add(eth(ipv4(a, b, 4, fr[14:])))
    p.write(os.path.join(out, "crafted-tunnels.pcap"))


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def sctp(src, dst, sport, dport, chunks, vtag=0x11223344):
    pkt = struct.pack("!HHII", sport, dport, vtag, 0) + b"".join(chunks)
    c = crc32c(pkt)
    return pkt[:8] + struct.pack("<I", c) + pkt[12:]


def data_chunk(tsn, payload, flags=3, sid=0, ssn=0):
    ch = struct.pack("!BBHIHHI", 0, flags, 16 + len(payload), tsn, sid, ssn,
                     0) + payload
    return ch + b"\0" * ((4 - len(ch) % 4) % 4)


def case_sctp(out):
    """SIP over SCTP (RFC 4168): one message per DATA chunk, two bundled
    in one packet, and a SACK."""
    p = Pcap()
    a, b = CLI, SRV
    p.add(eth(ipv4(a, b, 132, sctp(a, b, 5060, 5060,
                                   [data_chunk(1, sip("OPTIONS", 40, tp="SCTP"))]))))
    p.add(eth(ipv4(b, a, 132, sctp(b, a, 5060, 5060,
                                   [data_chunk(9, sip(200, 40, tp="SCTP"))]))))
    p.add(eth(ipv4(a, b, 132, sctp(a, b, 5060, 5060,
                                   [data_chunk(2, sip("INVITE", 41, tp="SCTP", body=sdp(2))),
                                    data_chunk(3, sip("MESSAGE", 42, tp="SCTP", body="hi"))]))))
    sack = struct.pack("!BBHIIHH", 3, 0, 16, 3, 65536, 0, 0)
    p.add(eth(ipv4(b, a, 132, sctp(b, a, 5060, 5060, [sack]))))
    p.add(eth(ipv4(b, a, 132, sctp(b, a, 5060, 5060,
                                   [data_chunk(10, sip(404, 41, tp="SCTP")),
                                    data_chunk(11, sip(200, 42, tp="SCTP"))]))))
    p.write(os.path.join(out, "crafted-sctp.pcap"))


def ip6(a):
    return ipaddress.IPv6Address(a).packed


def ipv6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64,
                       ip6(src), ip6(dst)) + payload


def udp6(src, dst, sport, dport, payload):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ph = ip6(src) + ip6(dst) + struct.pack("!IxxxB", len(u), 17)
    c = csum(ph + u) or 0xFFFF
    return u[:6] + struct.pack("!H", c) + u[8:]


def sip_udp(method, n, host, via, to="bob", body="", extra=""):
    """A UDP SIP request for the tunnel cases: VIA is the sender's
    host:port, HOST the Request-URI host, EXTRA more header lines."""
    ctype = "Content-Type: application/sdp\r\n" if body else ""
    return ("%s sip:%s@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s;branch=z9hG4bK-t%d\r\n"
            "From: <sip:alice@example.com>;tag=t%d\r\nTo: <sip:%s@example.com>\r\n"
            "Call-ID: tun-%d@example.com\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\n"
            "%s%sContent-Length: %d\r\n\r\n%s"
            % (method, to, host, via, n, n, to, n, n, method, extra, ctype,
               len(body.encode()), body)).encode()


def resp(code, n, meth, via, body=""):
    """A response CODE to request N (CSeq method METH)."""
    reasons = {100: "Trying", 180: "Ringing", 183: "Session Progress",
               200: "OK", 401: "Unauthorized"}
    ctype = "Content-Type: application/sdp\r\n" if body else ""
    return ("SIP/2.0 %d %s\r\nVia: SIP/2.0/UDP %s;branch=z9hG4bK-t%d\r\n"
            "From: <sip:alice@example.com>;tag=t%d\r\nTo: <sip:bob@example.com>;tag=r%d\r\n"
            "Call-ID: tun-%d@example.com\r\nCSeq: %d %s\r\n"
            "%sContent-Length: %d\r\n\r\n%s"
            % (code, reasons[code], via, n, n, n, n, n, meth, ctype,
               len(body.encode()), body)).encode()


def gtpu(payload, msgtype=0xFF, teid=0x1001, seq=None, exts=()):
    """A GTP-U message (TS 29.281 5.1): EXTS is a list of (type, content)
    extension headers, content padded so that each is 4n bytes long."""
    flags = 0x30
    opt = b""
    if seq is not None or exts:
        flags |= (0x02 if seq is not None else 0) | (0x04 if exts else 0)
        opt = struct.pack("!HBB", seq or 0, 0, exts[0][0] if exts else 0)
        for i, (_, content) in enumerate(exts):
            nxt = exts[i + 1][0] if i + 1 < len(exts) else 0
            assert (len(content) + 2) % 4 == 0
            opt += struct.pack("!B", (len(content) + 2) // 4) + content + \
                struct.pack("!B", nxt)
    return struct.pack("!BBHI", flags, msgtype, len(opt) + len(payload),
                       teid) + opt + payload


def case_gtpu(out):
    """VoLTE signalling inside GTP-U (S1-U/N3 capture): the UE's IPv6 SIP
    to its P-CSCF in G-PDUs with and without the optional fields and
    extension headers, an IPv4 UE, and path management messages."""
    p = Pcap()
    enb, sgw = "10.20.0.1", "10.20.0.2"
    ue, pcscf = "2001:db8:10::7", "2001:db8:1a::10"
    ue4, pcscf4 = "100.64.20.9", "100.64.0.10"

    def up(inner, **kw):
        p.add(eth(ipv4(enb, sgw, 17, udp(enb, sgw, 2152, 2152,
                                         gtpu(inner, teid=0x1001, **kw)))))

    def down(inner, **kw):
        p.add(eth(ipv4(sgw, enb, 17, udp(sgw, enb, 2152, 2152,
                                         gtpu(inner, teid=0x2002, **kw)))))

    def v6(src, dst, m):
        return ipv6(src, dst, 17, udp6(src, dst, 5060, 5060, m))

    def v4(src, dst, m):
        return ipv4(src, dst, 17, udp(src, dst, 5060, 5060, m))

    via = "[%s]:5060" % ue
    # Path management: echo request and response (no user packet).
    up(b"", msgtype=1, seq=1)
    down(b"\x0e\x00", msgtype=2, seq=1)
    # PDU session container (0x85): UL PDU session information, QFI 5.
    psc_ul = (0x85, b"\x10\x05")
    psc_dl = (0x85, b"\x00\x05")
    reg = sip_udp("REGISTER", 60, "ims.example.net", via, to="alice")
    up(v6(ue, pcscf, reg), exts=[psc_ul])
    down(v6(pcscf, ue, resp(401, 60, "REGISTER", via)), seq=7)
    reg2 = sip_udp("REGISTER", 61, "ims.example.net", via, to="alice",
                   extra='Authorization: Digest username="alice", '
                         'realm="ims.example.net", nonce="abc", '
                         'uri="sip:ims.example.net", response="0123"\r\n')
    # Two extension headers: PDCP PDU number (0xc0), then the container.
    up(v6(ue, pcscf, reg2), seq=8, exts=[(0xC0, b"\x01\x2c"), psc_ul])
    down(v6(pcscf, ue, resp(200, 61, "REGISTER", via)), seq=9,
         exts=[psc_dl])
    # An IPv4 UE: INVITE (with SDP), 100, 183, 200, ACK; no optional fields.
    via4 = "%s:5060" % ue4
    inv = sip_udp("INVITE", 62, "ims.example.net", via4, body=sdp(4))
    up(v4(ue4, pcscf4, inv))
    down(v4(pcscf4, ue4, resp(100, 62, "INVITE", via4)))
    down(v4(pcscf4, ue4, resp(183, 62, "INVITE", via4, body=sdp(2))))
    down(v4(pcscf4, ue4, resp(200, 62, "INVITE", via4, body=sdp(2))))
    up(v4(ue4, pcscf4, sip_udp("ACK", 62, "ims.example.net", via4)))
    # End marker after a handover: no user packet.
    down(b"", msgtype=254)
    p.write(os.path.join(out, "crafted-gtpu.pcap"))


def data_chunk_frag(tsn, payload, flags, sid=0, ssn=0, ppid=0):
    ch = struct.pack("!BBHIHHI", 0, flags, 16 + len(payload), tsn, sid, ssn,
                     ppid) + payload
    return ch + b"\0" * ((4 - len(ch) % 4) % 4)


def idata_chunk(tsn, payload, flags, sid=0, mid=0, fsn=0, ppid=0):
    """An I-DATA chunk: the first piece (B) carries the PPID, the others
    their fragment sequence number."""
    ch = struct.pack("!BBHIHHII", 64, flags, 20 + len(payload), tsn, sid, 0,
                     mid, ppid if flags & 2 else fsn) + payload
    return ch + b"\0" * ((4 - len(ch) % 4) % 4)


def case_sctp_chunks(out):
    """SIP messages split over several SCTP DATA chunks: in order over
    three packets, two pieces bundled in one packet, pieces out of order,
    a retransmitted piece, two streams interleaved, an unordered message;
    whole messages between them; and a message split over I-DATA chunks
    on a second association."""
    p = Pcap()
    a, b = CLI, SRV

    def pkt(src, dst, chunks, vtag):
        p.add(eth(ipv4(src, dst, 132, sctp(src, dst, 5060, 5060, chunks,
                                           vtag=vtag))))

    def ab(chunks):
        pkt(a, b, chunks, 0x11223344)

    def ba(chunks):
        pkt(b, a, chunks, 0x55667788)

    def cut(m, n):
        k = (len(m) + n - 1) // n
        return [m[i * k:(i + 1) * k] for i in range(n)]

    def frags(tsn, m, n, sid=0, ssn=0, u=0):
        parts = cut(m, n)
        out = []
        for i, part in enumerate(parts):
            fl = u | (2 if i == 0 else 0) | (1 if i == n - 1 else 0)
            out.append(data_chunk_frag(tsn + i, part, fl, sid, ssn))
        return out

    inv = sip("INVITE", 70, tp="SCTP", body=sdp(24))
    for ch in frags(1, inv, 3):                 # three packets, in order
        ab([ch])
    sack = struct.pack("!BBHIIHH", 3, 0, 16, 3, 65536, 0, 0)
    ba([sack])
    ba([data_chunk_frag(101, sip(100, 70, tp="SCTP"), 3)])
    ba(frags(102, sip(200, 70, tp="SCTP", body=sdp(16)), 2, ssn=1))  # bundled
    ab([data_chunk_frag(4, sip("ACK", 70, tp="SCTP"), 3, ssn=1)])
    info = frags(5, sip("INFO", 71, tp="SCTP", body="d" * 1500), 3, ssn=2)
    ab([info[2]])                               # out of order: E, B, middle
    ab([info[0]])
    ab([info[1]])
    ab([info[1]])                               # the middle piece again
    ba([data_chunk_frag(104, sip(200, 71, tp="SCTP", cseq="INFO"), 3, ssn=2)])
    m1 = frags(8, sip("MESSAGE", 72, tp="SCTP", body="m" * 900), 2, sid=1)
    m2 = frags(10, sip("MESSAGE", 73, tp="SCTP", body="n" * 900), 2, sid=2)
    ab([m1[0]])                                 # two streams interleaved
    ab([m2[0]])
    ab([m1[1]])
    ab([m2[1]])
    ba([data_chunk_frag(105, sip(200, 72, tp="SCTP", cseq="MESSAGE"), 3, sid=1),
        data_chunk_frag(106, sip(200, 73, tp="SCTP", cseq="MESSAGE"), 3,
                        sid=2)])
    for ch in frags(12, sip("OPTIONS", 74, tp="SCTP", body="o" * 1200), 2,
                    sid=3, u=4):                # unordered
        ab([ch])
    ba([data_chunk_frag(107, sip(200, 74, tp="SCTP", cseq="OPTIONS"), 7,
                        sid=3)])
    ab([data_chunk_frag(14, sip("BYE", 70, tp="SCTP"), 3, ssn=3)])
    ba([data_chunk_frag(108, sip(200, 70, tp="SCTP", cseq="BYE"), 3, ssn=3)])
    # A second association that negotiated I-DATA (RFC 8260): pieces
    # named by MID and FSN, arriving FSN 0, 2, 1.
    opt = cut(sip("OPTIONS", 75, tp="SCTP", body="i" * 1000), 3)
    for fsn in (0, 2, 1):
        fl = (2 if fsn == 0 else 0) | (1 if fsn == 2 else 0)
        p.add(eth(ipv4(a, b, 132, sctp(a, b, 5062, 5060, [idata_chunk(
            40 + fsn, opt[fsn], fl, mid=0, fsn=fsn)], vtag=0x99AABBCC))))
    p.add(eth(ipv4(b, a, 132, sctp(b, a, 5060, 5062, [idata_chunk(
        900, sip(200, 75, tp="SCTP", cseq="OPTIONS"), 3, mid=0, fsn=0)],
        vtag=0x01020304))))
    p.write(os.path.join(out, "crafted-sctp-chunks.pcap"))


PPP_IPV4, PPP_IPV6, PPP_LCP, PPP_IPCP, PPP_COMP = 0x0021, 0x0057, 0xC021, \
    0x8021, 0x00FD


def pppoe_session(proto, payload, sid=0x2A31):
    body = struct.pack("!H", proto) + payload
    return struct.pack("!BBHH", 0x11, 0, sid, len(body)) + body


def pppoe_disc(code, tags, sid=0):
    return struct.pack("!BBHH", 0x11, code, sid, len(tags)) + tags


def vlan_eth(payload, etype, vid=7):
    """Ethernet with one 802.1Q tag (VLAN 7, as many DSL providers use)."""
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + \
        struct.pack("!HHH", 0x8100, vid, etype) + payload


def case_pppoe(out):
    """A DSL uplink (VLAN 7, PPPoE): discovery, LCP and IPCP, then SIP over
    PPP IPv4 (REGISTER with a challenge, a call) and IPv6 (OPTIONS),
    LCP echoes, and the session's end."""
    p = Pcap()
    pbx, reg = "100.64.1.2", "203.0.113.5"
    pbx6, reg6 = "2001:db8:1::2", "2001:db8:5::5"
    tag_svc = struct.pack("!HH", 0x0101, 0)
    p.add(vlan_eth(pppoe_disc(0x09, tag_svc), 0x8863))            # PADI
    p.add(vlan_eth(pppoe_disc(0x07, tag_svc + struct.pack("!HH", 0x0102, 3)
                              + b"bng"), 0x8863))                 # PADO
    p.add(vlan_eth(pppoe_disc(0x19, tag_svc), 0x8863))            # PADR
    p.add(vlan_eth(pppoe_disc(0x65, tag_svc, sid=0x2A31), 0x8863))  # PADS
    lcp_req = struct.pack("!BBHBBH", 1, 1, 8, 1, 4, 1492)
    p.add(vlan_eth(pppoe_session(PPP_LCP, lcp_req), 0x8864))
    p.add(vlan_eth(pppoe_session(PPP_LCP, b"\x02" + lcp_req[1:]), 0x8864))
    ipcp = struct.pack("!BBHBB4s", 1, 1, 10, 3, 6, ip4(pbx))
    p.add(vlan_eth(pppoe_session(PPP_IPCP, ipcp), 0x8864))

    def up(m):
        p.add(vlan_eth(pppoe_session(PPP_IPV4, ipv4(pbx, reg, 17,
                       udp(pbx, reg, 5060, 5060, m))), 0x8864))

    def down(m):
        p.add(vlan_eth(pppoe_session(PPP_IPV4, ipv4(reg, pbx, 17,
                       udp(reg, pbx, 5060, 5060, m))), 0x8864))

    via = "%s:5060" % pbx
    up(sip_udp("REGISTER", 80, "sip.example.net", via, to="pbx"))
    down(resp(401, 80, "REGISTER", via))
    up(sip_udp("REGISTER", 81, "sip.example.net", via, to="pbx",
               extra='Authorization: Digest username="pbx", '
                     'realm="sip.example.net", nonce="n1", '
                     'uri="sip:sip.example.net", response="42"\r\n'))
    down(resp(200, 81, "REGISTER", via))
    up(sip_udp("INVITE", 82, "sip.example.net", via, body=sdp(4)))
    down(resp(100, 82, "INVITE", via))
    down(resp(180, 82, "INVITE", via))
    down(resp(200, 82, "INVITE", via, body=sdp(2)))
    up(sip_udp("ACK", 82, "sip.example.net", via))
    lcp_echo = struct.pack("!BBHI", 9, 7, 8, 0x1234)
    p.add(vlan_eth(pppoe_session(PPP_LCP, lcp_echo), 0x8864))
    p.add(vlan_eth(pppoe_session(PPP_LCP, b"\x0a" + lcp_echo[1:]), 0x8864))
    via6 = "[%s]:5060" % pbx6
    p.add(vlan_eth(pppoe_session(PPP_IPV6, ipv6(pbx6, reg6, 17, udp6(
        pbx6, reg6, 5060, 5060, sip_udp("OPTIONS", 83, "sip.example.net",
                                        via6)))), 0x8864))
    p.add(vlan_eth(pppoe_session(PPP_IPV6, ipv6(reg6, pbx6, 17, udp6(
        reg6, pbx6, 5060, 5060, resp(200, 83, "OPTIONS", via6)))), 0x8864))
    up(sip_udp("BYE", 82, "sip.example.net", via))
    down(resp(200, 82, "BYE", via))
    p.add(vlan_eth(pppoe_disc(0xA7, b"", sid=0x2A31), 0x8863))    # PADT
    p.write(os.path.join(out, "crafted-pppoe.pcap"))


def gre_v1(ppp, seq=None, ack=None, call=0x4D2):
    """Enhanced GRE (RFC 2637 4.1) carrying the PPP frame PPP."""
    fl = 0x2001 | (0x1000 if seq is not None else 0) | \
        (0x0080 if ack is not None else 0)
    h = struct.pack("!HHHH", fl, 0x880B, len(ppp), call)
    if seq is not None:
        h += struct.pack("!I", seq)
    if ack is not None:
        h += struct.pack("!I", ack)
    return h + ppp


def case_gre_ppp(out):
    """A PPTP tunnel: SIP between a phone on the VPN and its PBX, in PPP
    inside enhanced GRE, with and without the sequence and acknowledgment
    numbers, with and without PPP address/control and a compressed
    protocol field; an acknowledgment alone, LCP, and an MPPE-encrypted
    frame that cannot be decoded."""
    p = Pcap()
    cli, srv = "198.51.100.20", "203.0.113.1"     # outer: PPTP endpoints
    phone, pbx = "10.8.0.2", "10.8.0.10"          # inner: over the VPN
    hdlc = b"\xff\x03"
    st = {"up": 0, "down": 0}

    def up(ppp, ack=None, seq=True):
        if seq:
            st["up"] += 1
        p.add(eth(ipv4(cli, srv, 47, gre_v1(ppp, st["up"] if seq else None,
                                            ack))))

    def down(ppp, ack=None):
        st["down"] += 1
        p.add(eth(ipv4(srv, cli, 47, gre_v1(ppp, st["down"], ack))))

    def sipf(src, dst, m, pfc=False, acfc=False):
        proto = b"\x21" if pfc else struct.pack("!H", PPP_IPV4)
        return (b"" if acfc else hdlc) + proto + \
            ipv4(src, dst, 17, udp(src, dst, 5060, 5060, m))

    lcp = struct.pack("!BBHBBH", 1, 3, 8, 1, 4, 1400)
    up(hdlc + struct.pack("!H", PPP_LCP) + lcp)
    via = "%s:5060" % phone
    up(sipf(phone, pbx, sip_udp("INVITE", 90, pbx, via, body=sdp(4))),
       ack=None)
    down(sipf(pbx, phone, resp(100, 90, "INVITE", via)), ack=2)
    up(b"", ack=1, seq=False)                     # acknowledgment alone
    down(sipf(pbx, phone, resp(180, 90, "INVITE", via), pfc=True,
              acfc=True), ack=2)
    down(sipf(pbx, phone, resp(200, 90, "INVITE", via, body=sdp(2))), ack=2)
    up(sipf(phone, pbx, sip_udp("ACK", 90, pbx, via), pfc=True), ack=4)
    up(hdlc + struct.pack("!H", PPP_COMP) + b"\x90\x01" + bytes(range(64)),
       ack=4)                                     # MPPE: not decodable
    up(sipf(phone, pbx, sip_udp("BYE", 90, pbx, via)), ack=4)
    down(sipf(pbx, phone, resp(200, 90, "BYE", via)), ack=5)
    p.write(os.path.join(out, "crafted-gre-ppp.pcap"))


def pcapng_block(btype, body):
    body += b"\0" * ((4 - len(body) % 4) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def case_mixed_pcapng(out):
    """pcapng with two interfaces of different link types (Ethernet and
    Linux cooked SLL), as a capture on 'any' plus a mirror port writes."""
    shb = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb0 = pcapng_block(1, struct.pack("<HHI", 1, 0, 262144))
    idb1 = pcapng_block(1, struct.pack("<HHI", 113, 0, 262144))
    blocks = [shb, idb0, idb1]
    t = int(T0 * 1e6)
    for i, (ifc, n, resp) in enumerate([(0, 50, False), (1, 50, True),
                                        (1, 51, False), (0, 51, True)]):
        m = sip(200, n, tp="UDP") if resp else sip("OPTIONS", n, tp="UDP")
        src, dst = ("192.0.2.20", "192.0.2.10") if resp else (CLI, SRV)
        ip = ipv4(src, dst, 17, udp(src, dst, 5060, 5060, m))
        if ifc == 0:
            fr = eth(ip)
        else:
            fr = struct.pack("!HHH8sH", 0, 1, 6, b"\x02\0\0\0\0\x03\0\0",
                             0x0800) + ip
        t += 1000
        epb = struct.pack("<IIIII", ifc, t >> 32, t & 0xFFFFFFFF, len(fr),
                          len(fr)) + fr
        blocks.append(pcapng_block(6, epb))
    with open(os.path.join(out, "crafted-mixed-linktypes.pcapng"), "wb") as f:
        f.write(b"".join(blocks))


def exhaust(path):
    """Made to exhaust the caps: 20000 connections each left with an
    unfinished message (the first 8000 with 4.5 KB of it, beyond the 64 MiB
    memory cap; the rest 200 bytes, beyond the 16384-connection cap), a
    half-stream with 300 segments held behind a hole, 5000 IP datagrams
    missing their last fragment, then 10 SIP exchanges over fresh
    connections which must all still be seen."""
    p = Pcap()
    big = sip("REGISTER", 1, to="x", body="b" * 5000)[:4500]
    half = big[:200]
    for i in range(20000):
        cli = "10.%d.%d.1" % (i >> 8, i & 255)
        c = Conn(p, cli, 30000 + (i % 20000), SRV, 5060)
        c.send(0, big if i < 8000 else half, dt=0.00001)
    c = Conn(p, CLI, 40100, SRV, 5060)
    c.handshake()
    c.send(0, sip("OPTIONS", 2))
    c.skip(0, 100)
    for i in range(300):
        c.send(0, b"z" * 500, dt=0.00001)
    for i in range(5000):
        frag = ipv4("10.200.%d.%d" % (i >> 8, i & 255), SRV, 17,
                    b"\0" * 64, ident=i, frag=0x2000)
        p.add(eth(frag), dt=0.00001)
    for i in range(10):
        c = Conn(p, "192.0.2.%d" % (100 + i), 41000 + i, SRV, 5060)
        c.handshake()
        c.send(0, sip("OPTIONS", 100 + i))
        c.send(1, sip(200, 100 + i))
        c.close()
    p.write(path)


CASES = {
    "tcp-reorder": case_tcp_reorder,
    "tcp-midstream": case_tcp_midstream,
    "ws": case_ws,
    "tunnels": case_tunnels,
    "sctp": case_sctp,
    "sctp-chunks": case_sctp_chunks,
    "gtpu": case_gtpu,
    "pppoe": case_pppoe,
    "gre-ppp": case_gre_ppp,
    "mixed-pcapng": case_mixed_pcapng,
}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--exhaust":
        exhaust(sys.argv[2])
        return 0
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    for name in sys.argv[2:] or CASES:
        CASES[name](out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
