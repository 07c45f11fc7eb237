#!/usr/bin/env python3
"""Compare the SDP bodies sipwatch reads (tests/oracle/sdpdump) with tshark's.

usage: sdpbodies.py CAPTURE NAME SDPDUMP GAPS.txt [TSHARK_ARGS...]

For every SIP message whose Content-Type is application/sdp, tshark's media
types, ports, protocols and c= addresses must be what sipwatch read
(sip-sdp.c through osip2's parser).  Frames where sipwatch decoded no SIP
message, or where osip2 refused the SIP message itself, are counted apart
(tests/oracle/corpus-vs-tshark.sh covers them).  A body sipwatch refuses or
reads differently, or one tshark does not see, is a difference; GAPS.txt
lists those that cannot be removed (CAPTURE <tab> FRAME <tab> KIND <tab>
reason; KIND: refused, differs, extra) and each must still occur.
"""
import collections
import subprocess
import sys


def tshark(path, extra):
    out = subprocess.run(
        ["tshark", "-n", "-r", path] + extra +
        ["-Y", "sdp && sip", "-T", "fields", "-e", "frame.number",
         "-e", "sip.Content-Type", "-e", "sdp.media.media",
         "-e", "sdp.media.port", "-e", "sdp.media.proto",
         "-e", "sdp.connection_info.address"],
        capture_output=True, text=True, errors="replace").stdout
    rows = collections.defaultdict(collections.Counter)
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) >= 6 and "application/sdp" in f[1].lower():
            rows[f[0]]["\t".join(f[2:6])] += 1
    return rows


def sipwatch(path, dump):
    out = subprocess.run([dump, path], capture_output=True, text=True,
                         errors="replace").stdout
    rows = collections.defaultdict(collections.Counter)
    for line in out.splitlines():
        f = line.split("\t", 1)
        rows[f[0]][f[1] if len(f) > 1 else ""] += 1
    return rows


def main():
    path, name, dump, gpath = sys.argv[1:5]
    ts, sw = tshark(path, sys.argv[5:]), sipwatch(path, dump)
    gaps = {}
    for line in open(gpath, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 4 and f[0] == name:
            gaps[(f[1], f[2])] = f[3]
    diffs, same, undecoded = [], 0, 0
    for frame in sorted(set(ts) | set(sw), key=int):
        t, s = ts.get(frame, collections.Counter()), sw.get(frame,
                                                           collections.Counter())
        bodies = collections.Counter({k: v for k, v in s.items()
                                      if k not in ("-", "sip-error")
                                      and not k.startswith("error\t")})
        refused = sum(v for k, v in s.items() if k.startswith("error\t"))
        if t and not s or (t and set(s) <= {"-", "sip-error"}):
            undecoded += sum(t.values())
            continue
        common = t & bodies
        same += sum(common.values())
        t, bodies = t - common, bodies - common
        if t and refused:
            diffs.append((frame, "refused", "tshark reads %s" %
                          " | ".join(t)))
        elif t:
            diffs.append((frame, "differs", "tshark %s, sipwatch %s" %
                          (" | ".join(t), " | ".join(bodies) or "none")))
        elif bodies:
            diffs.append((frame, "extra", "sipwatch %s" % " | ".join(bodies)))
    bad = 0
    used = set()
    for frame, kind, what in diffs:
        g = gaps.get((frame, kind))
        if g is not None:
            used.add((frame, kind))
            print("  gap  frame %s %s: %s (%s)" % (frame, kind, what, g))
        else:
            print("  FAIL frame %s %s: %s" % (frame, kind, what))
            bad += 1
    for g in sorted(set(gaps) - used):
        print("  FAIL listed gap no longer occurs: frame %s %s (remove it)" % g)
        bad += 1
    total = sum(sum(c.values()) for c in ts.values())
    print("  %d SDP bodies by tshark: %d read alike, %d in SIP messages "
          "sipwatch does not decode, %d differences" %
          (total, same, undecoded, len(diffs)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
