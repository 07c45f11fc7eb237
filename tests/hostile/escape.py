#!/usr/bin/env python3
"""Write a pcap whose header values carry terminal control sequences.

usage: escape.py OUT.pcap

A scanner whose User-Agent holds an OSC title sequence, BEL and a
clear-screen (issue 20: one UDP packet reaching the operator's terminal
through the -N alert lines), with a UTF-16 surrogate encoded in UTF-8
(ED A0 80, which RFC 3629 forbids) and a C1 control (U+009B, CSI); a
call answered 502 whose reason phrase and Call-ID carry the same; and an
INVITE never answered with such a Call-ID.
tests/hostile/escape.sh asserts that no output meant for a person shows
them raw.
"""
import struct
import sys

EVIL = b"\x1b]0;PWNED\x07\x1b[2J\xed\xa0\x80\xc2\x9b1m"
T0 = 1700000000
frames = []


def udp_frame(src, dst, payload):
    ip_len = 20 + 8 + len(payload)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, ip_len, 1, 0, 64, 17, 0,
                     bytes(src), bytes(dst))
    udp = struct.pack(">HHHH", 5060, 5060, 8 + len(payload), 0)
    eth = b"\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x01\x08\x00"
    return eth + ip + udp + payload


def msg(start, src, callid, cseq, extra=b"", tag_to=b""):
    return (start + b"\r\n"
            b"Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bK-" + cseq + b"\r\n"
            b"From: <sip:scan@192.0.2.30>;tag=s1\r\n"
            b"To: <sip:100@192.0.2.40>" + tag_to + b"\r\n"
            b"Call-ID: " + callid + b"\r\n"
            b"CSeq: " + cseq + b"\r\n" + extra +
            b"Content-Length: 0\r\n\r\n")


A, B = (192, 0, 2, 30), (192, 0, 2, 40)
# The scanner sends from an address of its own: the servers' answers to a
# flagged attack source (a 502 among them) raise no alert of their own.
S = (192, 0, 2, 31)
ua = b"User-Agent: friendly-scanner" + EVIL + b"\r\n"
cid = b"esc-" + EVIL + b"@192.0.2.30"
t = 0.0
# The scanner: OPTIONS with the User-Agent.
frames.append((t, udp_frame(S, B, msg(b"OPTIONS sip:100@192.0.2.40 SIP/2.0", S,
                                       b"scan-1@192.0.2.30", b"1 OPTIONS", ua))))
# A call answered 502 Bad Gateway with the sequences in the reason phrase.
t += 0.1
frames.append((t, udp_frame(A, B, msg(b"INVITE sip:200@192.0.2.40 SIP/2.0", A,
                                       cid, b"1 INVITE"))))
t += 0.05
frames.append((t, udp_frame(B, A, msg(b"SIP/2.0 502 Bad" + EVIL + b" Gateway", B,
                                       cid, b"1 INVITE", tag_to=b";tag=t1"))))
t += 0.01
frames.append((t, udp_frame(A, B, msg(b"ACK sip:200@192.0.2.40 SIP/2.0", A,
                                       cid, b"1 ACK", tag_to=b";tag=t1"))))
# An INVITE never answered: its Call-ID is listed in the report's
# pending_at_end (the text report prints it).
t += 0.01
frames.append((t, udp_frame(A, B, msg(b"INVITE sip:300@192.0.2.40 SIP/2.0", A,
                                       b"pending-" + EVIL, b"2 INVITE"))))

with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    for ts, fr in frames:
        sec = T0 + int(ts)
        usec = int(round((ts - int(ts)) * 1e6))
        f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)))
        f.write(fr)
