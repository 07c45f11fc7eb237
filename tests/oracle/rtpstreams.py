#!/usr/bin/env python3
"""Compare sipwatch's RTP streams with tshark's (`-q -z rtp,streams`).

usage: rtpstreams.py TSHARK_STREAMS.txt REPORT.json CAPTURE_NAME GAPS.txt

For every stream (source, destination, SSRC) either tool reports: both must
report it, with the same packets and lost, and max jitter within 0.5 ms or
5 %.  A stream whose payload clock rate sipwatch does not know (dynamic
payload type, no SDP) has no jitter (null): that is a difference unless
tshark's is 0 too.

GAPS.txt lists the differences that cannot be removed, one per line:
    CAPTURE <tab> STREAM <tab> KIND <tab> reason
STREAM is "src:port>dst:port/0xSSRC" or "*" (every stream of the capture);
KIND is missing (tshark only), extra (sipwatch only), packets, lost or
jitter.  A listed gap must still occur (otherwise it closed: remove it).

Prints one line per difference ("gap" when listed, "FAIL" otherwise) and
exits 1 when any difference is not listed or a listed gap did not occur.
"""
import json
import re
import sys

LINE = re.compile(
    r"^\s*(?P<start>-?[\d.]+)\s+(?P<end>-?[\d.]+)\s+(?P<src>\S+)\s+(?P<sport>\d+)"
    r"\s+(?P<dst>\S+)\s+(?P<dport>\d+)\s+(?P<ssrc>0x[0-9A-Fa-f]+)\s+(?P<payload>.*?)"
    r"\s+(?P<pkts>\d+)\s+(?P<lost>-?\d+)\s+\((?P<pct>-?[\d.]+)%\)"
    r"\s+(?P<mind>-?[\d.]+)\s+(?P<meand>-?[\d.]+)\s+(?P<maxd>-?[\d.]+)"
    r"\s+(?P<minj>-?[\d.]+)\s+(?P<meanj>-?[\d.]+)\s+(?P<maxj>-?[\d.]+)\s*X?\s*$")


def addr(ip, port):
    return ("[%s]:%s" % (ip, port)) if ":" in ip else ("%s:%s" % (ip, port))


def tshark_streams(path):
    out = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        m = LINE.match(line)
        if not m:
            continue
        key = "%s>%s/0x%08X" % (addr(m["src"], m["sport"]),
                                addr(m["dst"], m["dport"]), int(m["ssrc"], 16))
        out[key] = {"packets": int(m["pkts"]), "lost": int(m["lost"]),
                    "max_jitter": float(m["maxj"]), "payload": m["payload"]}
    return out


def sipwatch_streams(path):
    rep = json.load(open(path, encoding="utf-8"))
    out = {}
    for s in rep.get("media", {}).get("streams", []):
        key = "%s>%s/0x%08X" % (s["src"], s["dst"], int(s["ssrc"], 16))
        out[key] = {"packets": s["packets"], "lost": s["lost"],
                    "max_jitter": s["max_jitter_ms"]}
    return out


def close(a, b):
    return abs(a - b) <= 0.5 or abs(a - b) <= 0.05 * max(abs(a), abs(b))


def main():
    tpath, rpath, name, gpath = sys.argv[1:5]
    ts = tshark_streams(tpath)
    sw = sipwatch_streams(rpath)
    gaps = {}
    for line in open(gpath, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) >= 4 and f[0] == name:
            gaps[(f[1], f[2])] = f[3]
    diffs = []
    for k in sorted(set(ts) | set(sw)):
        if k not in sw:
            diffs.append((k, "missing", "tshark %d packets, sipwatch none"
                          % ts[k]["packets"]))
            continue
        if k not in ts:
            diffs.append((k, "extra", "sipwatch %d packets, tshark none"
                          % sw[k]["packets"]))
            continue
        t, s = ts[k], sw[k]
        if t["packets"] != s["packets"]:
            diffs.append((k, "packets", "tshark %d, sipwatch %d"
                          % (t["packets"], s["packets"])))
        if t["lost"] != s["lost"]:
            diffs.append((k, "lost", "tshark %d, sipwatch %d"
                          % (t["lost"], s["lost"])))
        sj = s["max_jitter"]
        if sj is None:
            if t["max_jitter"] != 0:
                diffs.append((k, "jitter", "tshark %.3f ms (%s), sipwatch "
                              "unknown clock rate" % (t["max_jitter"],
                                                      t["payload"])))
        elif not close(t["max_jitter"], sj):
            diffs.append((k, "jitter", "tshark %.3f ms, sipwatch %.3f ms"
                          % (t["max_jitter"], sj)))
    used = set()
    bad = 0
    for k, kind, what in diffs:
        g = gaps.get((k, kind))
        if g is None:
            g = gaps.get(("*", kind))
            if g is not None:
                used.add(("*", kind))
        else:
            used.add((k, kind))
        if g is not None:
            print("  gap  %s %s: %s (%s)" % (kind, k, what, g))
        else:
            print("  FAIL %s %s: %s" % (kind, k, what))
            bad += 1
    for g in sorted(set(gaps) - used):
        print("  FAIL listed gap no longer occurs: %s %s (remove it)" % g)
        bad += 1
    same = sum(1 for k in ts if k in sw and
               not any(d[0] == k for d in diffs))
    print("  %d streams by tshark, %d by sipwatch, %d equal, %d differences"
          % (len(ts), len(sw), same, len(diffs)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
