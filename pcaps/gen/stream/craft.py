#!/usr/bin/env python3
"""craft.py: captures of stream and tunnel cases that real software cannot
be made to produce on demand (segments out of order, overlapping, lost,
a capture joined mid-stream, WebSocket masking and fragmentation, GRE,
ERSPAN, VXLAN, MPLS, SCTP, pcapng with mixed link types, and a capture made
to exhaust the reassembly caps).  Python standard library only; writes
classic pcap (or pcapng) files.

usage: craft.py OUTDIR [CASE...]        (no CASE: every shipped case)
       craft.py --exhaust FILE          (the cap-exhausting capture, not shipped)
"""
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


def sip(method, n, tp="TCP", body="", to="bob", host="192.0.2.20"):
    """A request (or, with METHOD a number, a response) with Content-Length."""
    ctype = "Content-Type: application/sdp\r\n" if body else ""
    if isinstance(method, int):
        start = "SIP/2.0 %d %s" % (method, {100: "Trying", 180: "Ringing",
                                            200: "OK", 404: "Not Found",
                                            486: "Busy Here"}[method])
        meth = "INVITE"
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
