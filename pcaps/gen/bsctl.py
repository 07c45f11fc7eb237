#!/usr/bin/env python3
"""Tiny client for baresip's ctrl_tcp module (netstring-framed JSON).

  bsctl.py PORT COMMAND [PARAMS...] [--wait EVENT [TIMEOUT]]
        run one command, print its answer; with --wait, then wait on the
        same connection for an event type (e.g. CALL_ESTABLISHED)
  bsctl.py PORT --wait EVENT [TIMEOUT]   only wait for an event type
Exit status 1 on error or timeout.

Only talks to 127.0.0.1. Python standard library only.
"""
import json
import socket
import sys
import time


def netstring(data: bytes) -> bytes:
    return str(len(data)).encode() + b":" + data + b","


class Reader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def next(self, deadline):
        while True:
            colon = self.buf.find(b":")
            if colon > 0:
                n = int(self.buf[:colon])
                if len(self.buf) >= colon + 1 + n + 1:
                    payload = self.buf[colon + 1:colon + 1 + n]
                    self.buf = self.buf[colon + 1 + n + 1:]
                    return json.loads(payload.decode("utf-8", "replace"))
            left = deadline - time.time()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buf += chunk


def main():
    port = int(sys.argv[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    rd = Reader(sock)
    args = sys.argv[2:]
    want = None
    if "--wait" in args:
        i = args.index("--wait")
        want = args[i + 1]
        timeout = float(args[i + 2]) if len(args) > i + 2 else 30.0
        args = args[:i]
    pending = []
    if args:
        run_command(sock, rd, args[0], " ".join(args[1:]), pending)
    if want:
        for msg in pending:
            if msg.get("type") == want:
                print(json.dumps(msg))
                return
        deadline = time.time() + timeout
        while True:
            msg = rd.next(deadline)
            if msg is None:
                print("timeout waiting for", want, file=sys.stderr)
                sys.exit(1)
            if msg.get("event") and msg.get("type") == want:
                print(json.dumps(msg))
                return


def run_command(sock, rd, cmd, params, pending):
    req = {"command": cmd, "params": params, "token": "t%d" % int(time.time())}
    sock.sendall(netstring(json.dumps(req).encode()))
    deadline = time.time() + 5
    while True:
        msg = rd.next(deadline)
        if msg is None:
            print("no response to", cmd, file=sys.stderr)
            sys.exit(1)
        if msg.get("response"):
            data = msg.get("data", "")
            if data:
                print(data)
            if not msg.get("ok"):
                sys.exit(1)
            return
        if msg.get("event"):
            pending.append(msg)


if __name__ == "__main__":
    main()
