#!/usr/bin/env python3
"""Print `tshark -n -r F -q -z sip,stat` totals of captures, one line each,
and (with --sipwatch BIN) compare them with `BIN -r F -N --report=json`.

  stats.py [--sipwatch ./sipwatch [--expect pcaps/expected-rules.tsv]] pcaps/*.pcap
Exit status 1 if any sipwatch count differs from tshark's, or (with --expect)
if the set of rules sipwatch raises differs from the expected one.
"""
import argparse
import json
import re
import subprocess
import sys


def tshark_stat(path):
    out = subprocess.run(["tshark", "-n", "-r", path, "-q", "-z", "sip,stat"],
                         capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"Number of SIP messages: (\d+)", out).group(1))
    resent = int(re.search(r"Number of resent SIP messages: (\d+)", out).group(1))
    codes = {}
    methods = {}
    section = None
    for line in out.splitlines():
        if "Status Codes" in line:
            section = "codes"
            continue
        if "Request methods" in line:
            section = "methods"
            continue
        m = re.match(r"\s+SIP (\d{3}) .*:\s+(\d+) Packets", line)
        if m and section == "codes":
            codes[m.group(1)] = int(m.group(2))
            continue
        m = re.match(r"\s+([A-Z]+)\s+:\s+(\d+) Packets", line)
        if m and section == "methods":
            methods[m.group(1)] = int(m.group(2))
    return total, resent, codes, methods


def fmt(d):
    return " ".join("%s=%d" % (k, d[k]) for k in sorted(d))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sipwatch")
    p.add_argument("--expect", help="expected-rules.tsv")
    p.add_argument("pcaps", nargs="+")
    a = p.parse_args()
    bad = 0
    expect = {}
    if a.expect:
        for line in open(a.expect):
            if line.startswith("#") or not line.strip():
                continue
            name, rules = line.split("\t")[:2]
            rules = rules.strip()
            expect[name] = set() if rules == "none" else set(rules.split(","))
    for f in a.pcaps:
        total, resent, codes, methods = tshark_stat(f)
        name = f.rsplit("/", 1)[-1]
        print("%s: messages=%d resent=%d | requests: %s | responses: %s"
              % (name, total, resent, fmt(methods), fmt(codes)))
        if a.sipwatch:
            out = subprocess.run([a.sipwatch, "-r", f, "-N", "--report=json"],
                                 capture_output=True, text=True).stdout
            try:
                rep = json.loads([l for l in out.splitlines() if l.startswith("{")][-1])
                sip = rep["sip"]
            except (ValueError, KeyError, IndexError):
                print("   sipwatch: no JSON report")
                bad = 1
                continue
            sw_req = {k: v for k, v in sip.get("requests", {}).items() if v}
            sw_rsp = {k: v for k, v in sip.get("responses", {}).items() if v}
            rules = {k: v for k, v in rep.get("incidents", rep.get("alerts", {})).get("by_rule", {}).items() if v}
            print("   sipwatch alerts: %s" % (fmt(rules) or "none"))
            if name in expect and set(rules) != expect[name]:
                bad = 1
                print("   UNEXPECTED rules: want %s" % (",".join(sorted(expect[name])) or "none"))
            same = (sip.get("messages") == total and sw_req == methods and sw_rsp == codes)
            if not same:
                bad = 1
                print("   sipwatch DIFFERS: messages=%s | requests: %s | responses: %s"
                      % (sip.get("messages"), fmt(sw_req), fmt(sw_rsp)))
    return bad


if __name__ == "__main__":
    sys.exit(main())
