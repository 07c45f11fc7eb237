#!/usr/bin/env python3
"""SIP traffic for the host-integration tests (tests/host/*.sh).

  sipgen.py pcap FILE storm
      Write a pcap (Ethernet/IPv4/UDP, microsecond timestamps) of a 5xx
      storm: client 192.0.2.20 sends OPTIONS to server 192.0.2.10 every
      0.2 s for 180 s and every one is answered 503; then silence, and at
      400 s one OPTIONS/200 between two other hosts moves the clock on.
      Addresses are documentation ones (RFC 5737): nothing is sent.

  sipgen.py pcap FILE flood
      100 calls from 192.0.2.40 to 192.0.2.41 within one second, each
      refused with 604 (100 global-failure alerts, one per Call-ID: no
      dedup applies), then at 10 s one OPTIONS/200 elsewhere.

  sipgen.py pcap FILE scanlong
      A scanner (198.51.100.7, User-Agent friendly-scanner, a new source
      port for every request) sends REGISTER probes for extensions 100..129
      once a second, each answered 401 by 192.0.2.10; then it is silent for
      3700 s (longer than the hold time of attack incidents, an hour) and
      probes 130..159 the same way; at 8000 s one OPTIONS/200 elsewhere
      moves the clock on.

  sipgen.py live PART BASEPORT
      Send part 1 or 2 of the "service" scenario over real UDP sockets on
      loopback only (127.0.0.x, ports BASEPORT..BASEPORT+9):
        part 1: 12 OPTIONS answered 503 by 127.0.0.10 (server-error-burst),
                2 OPTIONS answered 502 by 127.0.0.11 (bad-gateway),
                3 REGISTERs with credentials from 127.0.0.21 answered 403
                by 127.0.0.12 (auth-failure-burst), 1 OPTIONS from 127.0.0.66 with a
                scanner User-Agent (scanner);
        part 2: 5 more 503, 2 more 502, 1 more 403.
      Every request is answered, so no timer rule can fire.
"""
import socket
import struct
import sys
import time


def request(method, ruri, cli, srv, n, extra=""):
    return ("%s %s SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s;branch=z9hG4bK-sw%d\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:mon@%s>;tag=f%d\r\n"
            "To: <%s>\r\n"
            "Call-ID: sw%d-%s@test\r\n"
            "CSeq: 1 %s\r\n"
            "%s"
            "Content-Length: 0\r\n\r\n" % (
                method, ruri, cli, n, cli.split(":")[0], n, ruri, n,
                method.lower(), method, extra))


def response(req, code, reason, n, extra=""):
    head, _ = req.split("\r\n\r\n", 1)
    lines = head.split("\r\n")[1:]
    out = ["SIP/2.0 %d %s" % (code, reason)]
    for line in lines:
        if line.startswith("To:"):
            line += ";tag=t%d" % n
        if line.startswith(("Max-Forwards:", "Authorization:",
                            "User-Agent:", "Content-Length:")):
            continue
        out.append(line)
    out.append("Server: sipgen")
    return "\r\n".join(out) + "\r\n" + extra + "Content-Length: 0\r\n\r\n"


def exchange(method, cli, srv, n, code, reason, extra="", ruri=None):
    """(request, response) payloads and their endpoints."""
    if ruri is None:
        ruri = "sip:100@%s" % srv
    req = request(method, ruri, cli, srv, n, extra)
    return [(cli, srv, req), (srv, cli, response(req, code, reason, n))]


AUTH = ('Authorization: Digest username="100", realm="example.com", '
        'nonce="abc%d", uri="sip:example.com", response='
        '"0123456789abcdef0123456789abcdef"\r\n')


def service(part, base):
    a_srv = "127.0.0.10:%d" % base
    b_srv = "127.0.0.11:%d" % (base + 1)
    reg = "127.0.0.12:%d" % (base + 2)
    cli = "127.0.0.20:%d" % (base + 3)
    scan = "127.0.0.66:%d" % (base + 4)
    # The REGISTERs come from another client: a source whose credentials
    # are refused is flagged, and the servers' answers to it would no
    # longer count as their failures.
    guess = "127.0.0.21:%d" % (base + 5)
    msgs = []
    n = part * 1000
    n503, n502, n403 = (12, 2, 3) if part == 1 else (5, 2, 1)
    for _ in range(n503):
        n += 1
        msgs += exchange("OPTIONS", cli, a_srv, n, 503,
                         "Service Unavailable")
    for _ in range(n502):
        n += 1
        msgs += exchange("OPTIONS", cli, b_srv, n, 502, "Bad Gateway")
    for _ in range(n403):
        n += 1
        msgs += exchange("REGISTER", guess, reg, n, 403, "Forbidden",
                         extra=AUTH % n, ruri="sip:example.com")
    if part == 1:
        n += 1
        msgs += exchange("OPTIONS", scan, a_srv, n, 404, "Not Found",
                         extra="User-Agent: friendly-scanner\r\n",
                         ruri="sip:999@%s" % a_srv)
    return msgs


def send_live(msgs):
    socks = {}

    def sock(addr):
        if addr not in socks:
            host, port = addr.rsplit(":", 1)
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, int(port)))
            socks[addr] = s
        return socks[addr]

    for src, dst, payload in msgs:
        host, port = dst.rsplit(":", 1)
        sock(dst)
        sock(src).sendto(payload.encode(), (host, int(port)))
        time.sleep(0.005)
    for s in socks.values():
        s.close()


def ip_checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src, dst, payload, ident):
    sh, sp = src.rsplit(":", 1)
    dh, dp = dst.rsplit(":", 1)
    data = payload.encode()
    udp = struct.pack("!HHHH", int(sp), int(dp), 8 + len(data), 0) + data
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident & 0xffff,
                     0x4000, 64, 17, 0, socket.inet_aton(sh),
                     socket.inet_aton(dh))
    ip = ip[:10] + struct.pack("!H", ip_checksum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + udp


def write_pcap(path, timed):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        for i, (ts_us, src, dst, payload) in enumerate(timed):
            fr = frame(src, dst, payload, i)
            f.write(struct.pack("<IIII", ts_us // 1000000, ts_us % 1000000,
                                len(fr), len(fr)))
            f.write(fr)


def storm():
    t0 = 1795000000 * 1000000
    cli, srv = "192.0.2.20:5060", "192.0.2.10:5060"
    timed = []
    for i in range(900):
        t = t0 + i * 200000
        req, resp = exchange("OPTIONS", cli, srv, i, 503,
                             "Service Unavailable")
        timed.append((t, req[0], req[1], req[2]))
        timed.append((t + 1000, resp[0], resp[1], resp[2]))
    t = t0 + 400 * 1000000
    req, resp = exchange("OPTIONS", "192.0.2.30:5060", "192.0.2.31:5060",
                         5000, 200, "OK")
    timed.append((t, req[0], req[1], req[2]))
    timed.append((t + 1000, resp[0], resp[1], resp[2]))
    return timed


def flood():
    t0 = 1795000000 * 1000000
    cli, srv = "192.0.2.40:5060", "192.0.2.41:5060"
    timed = []
    for i in range(100):
        t = t0 + i * 10000
        req, resp = exchange("INVITE", cli, srv, i, 604,
                             "Does Not Exist Anywhere")
        ack = req[2].split("\r\n")
        ack[0] = ack[0].replace("INVITE", "ACK", 1)
        ack = "\r\n".join(ack).replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
        ack = ack.replace("To: <sip:100@%s>" % srv,
                          "To: <sip:100@%s>;tag=t%d" % (srv, i))
        timed.append((t, req[0], req[1], req[2]))
        timed.append((t + 1000, resp[0], resp[1], resp[2]))
        timed.append((t + 2000, cli, srv, ack))
    t = t0 + 10 * 1000000
    req, resp = exchange("OPTIONS", "192.0.2.30:5060", "192.0.2.31:5060",
                         5000, 200, "OK")
    timed.append((t, req[0], req[1], req[2]))
    timed.append((t + 1000, resp[0], resp[1], resp[2]))
    return timed


def scanlong():
    t0 = 1795000000 * 1000000
    srv = "192.0.2.10:5060"
    timed = []
    for i in range(60):
        t = t0 + (i if i < 30 else i + 3700) * 1000000
        cli = "198.51.100.7:%d" % (40000 + i)
        req, resp = exchange("REGISTER", cli, srv, i, 401, "Unauthorized",
                             extra="User-Agent: friendly-scanner\r\n",
                             ruri="sip:%d@192.0.2.10" % (100 + i))
        timed.append((t, req[0], req[1], req[2]))
        timed.append((t + 1000, resp[0], resp[1], resp[2]))
    t = t0 + 8000 * 1000000
    req, resp = exchange("OPTIONS", "192.0.2.30:5060", "192.0.2.31:5060",
                         5000, 200, "OK")
    timed.append((t, req[0], req[1], req[2]))
    timed.append((t + 1000, resp[0], resp[1], resp[2]))
    return timed


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "pcap" and sys.argv[3] == "storm":
        write_pcap(sys.argv[2], storm())
    elif len(sys.argv) == 4 and sys.argv[1] == "pcap" and \
            sys.argv[3] == "flood":
        write_pcap(sys.argv[2], flood())
    elif len(sys.argv) == 4 and sys.argv[1] == "pcap" and \
            sys.argv[3] == "scanlong":
        write_pcap(sys.argv[2], scanlong())
    elif len(sys.argv) == 4 and sys.argv[1] == "live":
        send_live(service(int(sys.argv[2]), int(sys.argv[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
