#!/usr/bin/env python3
"""rtp-relay.py: a UDP relay for one RTP stream that impairs it on a seeded
schedule, for tests/e2e/media-live.sh (the kernel here has no tc netem).

    rtp-relay.py --listen IP:PORT --to IP:PORT [--from IP:PORT]
        [--seed N] [--drop P] [--delay-max MS] [--drop-all]
        --stats FILE --duration S

Every datagram received on --listen is, by a random.Random(seed) draw per
packet: dropped with probability P (all with --drop-all), else sent to --to
from a socket bound to --from (default: an ephemeral port on the listen
address) after a delay drawn uniformly from [0, MS] ms, so packets overtake
each other when MS exceeds the packet interval.  After S seconds (or
SIGTERM) it writes what it did as JSON to FILE: packets received,
forwarded, dropped, the RTP sequence numbers of the dropped ones that lie
before the highest one forwarded (what RFC 3550 A.3 at the receiver counts
as lost), the packets sent after one with a higher sequence number
(reordered), and the mean and largest delay added.
"""
import argparse
import heapq
import json
import random
import select
import signal
import socket
import sys
import time


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--to", required=True)
    ap.add_argument("--from", dest="src")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--drop", type=float, default=0.0)
    ap.add_argument("--drop-all", action="store_true")
    ap.add_argument("--delay-max", type=float, default=0.0)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--duration", type=float, required=True)
    a = ap.parse_args()

    rnd = random.Random(a.seed)
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(addr(a.listen))
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tx.bind(addr(a.src) if a.src else (addr(a.listen)[0], 0))
    dst = addr(a.to)

    st = {"received": 0, "forwarded": 0, "dropped": 0, "reordered": 0,
          "delay_sum_ms": 0.0, "delay_max_ms": 0.0}
    dropped_seq = []
    fwd_seq = []
    queue = []          # (send time, order, seq, bytes)
    order = 0
    max_sent = None
    stop = [False]

    def term(signum, frame):
        stop[0] = True
    signal.signal(signal.SIGTERM, term)

    # Ready to receive: the test waits for this line.
    print("relay ready", flush=True)
    end = time.monotonic() + a.duration
    while not stop[0]:
        now = time.monotonic()
        if now >= end and not queue:
            break
        timeout = end - now
        if queue:
            timeout = min(timeout, queue[0][0] - now)
        r, _, _ = select.select([rx], [], [], max(timeout, 0))
        now = time.monotonic()
        if r:
            data, _ = rx.recvfrom(65535)
            st["received"] += 1
            seq = int.from_bytes(data[2:4], "big") if len(data) >= 12 else -1
            # One draw each, in arrival order: the same seed, the same
            # schedule.
            u, d = rnd.random(), rnd.random() * a.delay_max
            if a.drop_all or u < a.drop:
                st["dropped"] += 1
                dropped_seq.append(seq)
            else:
                heapq.heappush(queue, (now + d / 1000.0, order, seq, data))
                order += 1
                st["delay_sum_ms"] += d
                st["delay_max_ms"] = max(st["delay_max_ms"], d)
        while queue and queue[0][0] <= time.monotonic():
            _, _, seq, data = heapq.heappop(queue)
            tx.sendto(data, dst)
            st["forwarded"] += 1
            fwd_seq.append(seq)
            if max_sent is not None and ((seq - max_sent) & 0xffff) > 0x8000:
                st["reordered"] += 1
            elif max_sent is None or seq != max_sent:
                max_sent = seq
    # What the receiver counts lost (RFC 3550 A.3): dropped packets between
    # the first and the highest sequence number forwarded (no wrap in the
    # few hundred packets of a test call).
    if fwd_seq:
        lo, hi = min(fwd_seq), max(fwd_seq)
        st["lost_at_receiver"] = sum(1 for s in dropped_seq if lo < s < hi)
    else:
        st["lost_at_receiver"] = 0
    st["delay_mean_ms"] = (st["delay_sum_ms"] / st["forwarded"]
                           if st["forwarded"] else 0.0)
    del st["delay_sum_ms"]
    with open(a.stats, "w") as f:
        json.dump(st, f)
    print("relay: " + json.dumps(st), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
