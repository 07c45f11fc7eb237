#!/usr/bin/env python3
"""Write a pcap of hostile SIP traffic, one case per frame (or a few).

usage: gen.py OUT.pcap

Every case is crafted: real software does not send these on purpose.  The
expected reading of each is asserted by tests/hostile/run.sh.
"""
import struct
import sys

frames = []          # (bytes, wire length or None)
T0 = 1700000000


def ip4(src, dst, proto, payload, total=None, ident=1, frag=0):
    tl = total if total is not None else 20 + len(payload)
    h = struct.pack(">BBHHHBBH4s4s", 0x45, 0, tl & 0xffff, ident, frag, 64,
                    proto, 0, bytes(src), bytes(dst))
    return h + payload


def udp(sport, dport, payload, length=None):
    ln = length if length is not None else 8 + len(payload)
    return struct.pack(">HHHH", sport, dport, ln & 0xffff, 0) + payload


def eth(payload, ethertype=0x0800):
    return b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + \
        struct.pack(">H", ethertype) + payload


A = (192, 0, 2, 10)
B = (192, 0, 2, 20)


def sip_udp(payload, **kw):
    frames.append((eth(ip4(A, B, 17, udp(5060, 5060, payload))), None))


def msg(callid, extra="", body="", via=None, from_=None, clen=None):
    via = via if via is not None else "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-" + callid[:16]
    from_ = from_ if from_ is not None else "<sip:alice@example.com>;tag=a1"
    cl = str(len(body)) if clen is None else clen
    return ("OPTIONS sip:bob@example.com SIP/2.0\r\n"
            "Via: " + via + "\r\n"
            "From: " + from_ + "\r\n"
            "To: <sip:bob@example.com>\r\n"
            "Call-ID: " + callid + "\r\n"
            "CSeq: 1 OPTIONS\r\n" + extra +
            "Content-Length: " + cl + "\r\n\r\n" + body).encode("latin-1")


# 1-2: 4 KB and 60 KB Call-ID; 3-4: 4 KB Via branch and From tag;
# 5: 60 KB Via branch, 6: 60 KB From display name.
sip_udp(msg("c4k-" + "x" * 4096))
sip_udp(msg("c60k-" + "y" * 60000))
sip_udp(msg("via4k", via="SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK" + "v" * 4096))
sip_udp(msg("from4k", from_="<sip:alice@example.com>;tag=" + "f" * 4096))
sip_udp(msg("via60k", via="SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK" + "v" * 60000))
sip_udp(msg("from60k", from_='"' + "D" * 60000 + '" <sip:alice@example.com>;tag=f1'))
# 7: a thousand Via headers.
vias = "".join("Via: SIP/2.0/UDP 198.51.100.%d:5060;branch=z9hG4bK%d\r\n" % (i % 250, i)
               for i in range(1, 1000))
sip_udp(msg("thousand-vias", extra=vias))
# 8: an empty Warning header.
sip_udp(msg("empty-warning", extra="Warning:\r\n"))
# 9: negative and 10: bogus Content-Length.
sip_udp(msg("neg-clen", clen="-5"))
sip_udp(msg("bogus-clen", clen="abc"))
# 11: body shorter than declared; 12: body longer than declared.
sip_udp(msg("body-short", body="hello", clen="500"))
sip_udp(msg("body-long", body="hello world, and more", clen="5"))
# 13: NUL bytes inside a header value; 14: bytes that are not UTF-8.
sip_udp(msg("nul-bytes").replace(b"To: <sip:bob", b"To: <sip:\x00\x00b"))
sip_udp(msg("not-utf8", from_="\"\xff\xfe\xc3\x28\" <sip:alice@example.com>;tag=u1"))
# 15: binary garbage on port 5060.
sip_udp(bytes((i * 131 + 7) & 0xff for i in range(600)))
# 16: zero-length UDP payload on 5060.
frames.append((eth(ip4(A, B, 17, udp(5060, 5060, b""))), None))
# 17: a frame cut inside the IP header (not by the snap length).
frames.append((eth(ip4(A, B, 17, udp(5060, 5060, msg("cut-ip"))))[:14 + 12], None))
# 18: a SIP message cut by the snap length (wire length is the full frame).
full = eth(ip4(A, B, 17, udp(5060, 5060, msg("snaplen-cut"))))
frames.append((full[:200], len(full)))
# 19: IP total length larger than the frame (not cut by the snap length).
frames.append((eth(ip4(A, B, 17, udp(5060, 5060, msg("ip-len-lie")), total=4000)), None))
# 20: UDP length larger than the IP payload.
frames.append((eth(ip4(A, B, 17, udp(5060, 5060, msg("udp-len-lie"), length=3000))), None))
# 21-22: IPv4 fragments that overlap with different data.
p = udp(5060, 5060, msg("frag-overlap", body="z" * 200))
frames.append((eth(ip4(A, B, 17, p[:96], ident=77, frag=0x2000)), None))
frames.append((eth(ip4(A, B, 17, b"Q" * 96, ident=77, frag=0x2000 | 8)), None))
# 23: a message with no Call-ID.
sip_udp(b"OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\n"
        b"From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCSeq: 1 OPTIONS\r\n\r\n")

out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
for i, (f, wire) in enumerate(frames):
    out.write(struct.pack("<IIII", T0 + i, 0, len(f), wire or len(f)))
    out.write(f)
out.close()
print("%d frames" % len(frames))
