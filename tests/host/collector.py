#!/usr/bin/env python3
# A syslog collector for the tests, on 127.0.0.1 only:
#   collector.py udp|tcp PORT OUT
# appends one line per message received to OUT (UDP: one datagram; TCP:
# RFC 6587 octet counting, "LEN SP MSG") and flushes it at once.  On
# SIGTERM it reads what is already waiting, then exits, so that nothing
# it accepted is left unread (a test can then count exactly).
import os
import select
import signal
import socket
import sys

proto, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
stop = False


def on_term(signum, frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
f = open(out, "a")


def record(msg):
    f.write(msg.decode("utf-8", "replace").replace("\n", " ") + "\n")
    f.flush()


if proto == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(("127.0.0.1", port))
    s.setblocking(False)
    open(out + ".ready", "w").close()
    while True:
        r, _, _ = select.select([s], [], [], 0.05)
        if r or stop:
            while True:
                try:
                    record(s.recv(65536))
                except BlockingIOError:
                    break
        if stop:
            s.close()
            os._exit(0)

def frames(buf):
    """Record the whole frames of BUF; return what is left."""
    while True:
        sp = buf.find(b" ")
        if sp <= 0:
            return buf
        n = int(buf[:sp])
        if len(buf) < sp + 1 + n:
            return buf
        record(buf[sp + 1:sp + 1 + n])
        buf = buf[sp + 1 + n:]


ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(4)
ls.setblocking(False)
open(out + ".ready", "w").close()
conns = {}
while True:
    r, _, _ = select.select([ls] + list(conns), [], [], 0.05)
    for c in r:
        if c is ls:
            try:
                a, _ = ls.accept()
                a.setblocking(False)
                conns[a] = b""
            except BlockingIOError:
                pass
            continue
        try:
            data = c.recv(65536)
        except BlockingIOError:
            continue
        except ConnectionError:
            data = b""
        if not data:
            del conns[c]
            c.close()
            continue
        conns[c] = frames(conns[c] + data)
    if stop:
        # What the kernel accepted is read before the sockets close.
        for c in list(conns):
            buf = conns[c]
            try:
                while True:
                    data = c.recv(65536)
                    if not data:
                        break
                    buf += data
            except (BlockingIOError, ConnectionError):
                pass
            frames(buf)
            c.close()
        ls.close()
        os._exit(0)
