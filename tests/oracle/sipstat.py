#!/usr/bin/env python3
"""Compare sipwatch's JSON report with tshark's `-z sip,stat` reading.

usage: sipstat.py SIPSTAT_TXT REPORT_JSON
Prints the differences and exits 1 if there are any, 0 if the counts agree:
total messages, requests per method and responses per status code.

Retransmissions are printed for information only: sipwatch counts a
retransmission as RFC 3261 defines it (the same bytes sent again between
the same endpoints, 17.1.1.2), while tshark's "resent" flag is a heuristic
on Call-ID and CSeq that ignores repeated provisional responses and flags
new transactions (new branch) that reuse a CSeq (doc/REPORT.md).
"""
import json
import re
import sys


def parse_sipstat(text):
    total = resent = None
    methods, codes = {}, {}
    for line in text.splitlines():
        m = re.match(r"\s*Number of SIP messages:\s*(\d+)", line)
        if m:
            total = int(m.group(1))
            continue
        m = re.match(r"\s*Number of resent SIP messages:\s*(\d+)", line)
        if m:
            resent = int(m.group(1))
            continue
        m = re.match(r"\s*SIP (\d{3})\b.*:\s*(\d+) Packets", line)
        if m:
            codes[m.group(1)] = codes.get(m.group(1), 0) + int(m.group(2))
            continue
        m = re.match(r"\s*(\S+)\s*:\s*(\d+) Packets", line)
        if m:
            methods[m.group(1)] = methods.get(m.group(1), 0) + int(m.group(2))
    return {"messages": total or 0, "resent": resent or 0,
            "requests": methods, "responses": codes}


def main():
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        want = parse_sipstat(f.read())
    # The report is the last line of standard output (alert lines may
    # come before it).
    with open(sys.argv[2], encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    got = json.loads(lines[-1])["sip"]
    diffs = []
    if got["messages"] != want["messages"]:
        diffs.append("messages: sipwatch %d, tshark %d"
                     % (got["messages"], want["messages"]))
    for kind in ("requests", "responses"):
        keys = set(got[kind]) | set(want[kind])
        for k in sorted(keys):
            a, b = got[kind].get(k, 0), want[kind].get(k, 0)
            if a != b:
                diffs.append("%s %s: sipwatch %d, tshark %d" % (kind, k, a, b))
    for d in diffs:
        print("  " + d)
    if got["retransmissions"] != want["resent"]:
        print("  (info) retransmissions: sipwatch %d, tshark resent %d"
              % (got["retransmissions"], want["resent"]))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
