#!/usr/bin/env python3
"""Render pcaps/README from pcaps/gen/README.in after the captures change.

Placeholders in the template:
  @STATS:F@      tshark -z sip,stat totals of pcaps/F (one line)
  @CALLID:F:N@   the N-th distinct Call-ID of pcaps/F, by first appearance
  @CALLIDS:F@    all distinct Call-IDs of pcaps/F, comma-separated
  @SPAN:F@       seconds between the first and the last frame of pcaps/F

  python3 pcaps/gen/readme.py            # writes pcaps/README

Everything in the current pcaps/README from the line KEEP_MARKER on (the
stream/tunnel/capture-format section, which is edited in README directly) is
kept as it is, after the rendered template.
"""
import os
import re
import subprocess
import sys
import textwrap

GEN = os.path.dirname(os.path.abspath(__file__))
PCAPS = os.path.dirname(GEN)
sys.path.insert(0, GEN)
import stats  # noqa: E402

_cache = {}
KEEP_MARKER = "Captures: stream, tunnel and capture-format set"


def call_ids(f):
    if f not in _cache:
        out = subprocess.run(["tshark", "-n", "-r", os.path.join(PCAPS, f), "-Y", "sip",
                              "-T", "fields", "-e", "sip.Call-ID"],
                             capture_output=True, text=True, check=True).stdout
        seen = []
        for line in out.splitlines():
            line = line.strip()
            if line and line not in seen:
                seen.append(line)
        _cache[f] = seen
    return _cache[f]


def span(f):
    out = subprocess.run(["tshark", "-n", "-r", os.path.join(PCAPS, f), "-T", "fields",
                          "-e", "frame.time_relative"],
                         capture_output=True, text=True, check=True).stdout.split()
    return "%.1f" % float(out[-1])


def stat_line(f):
    total, resent, codes, methods = stats.tshark_stat(os.path.join(PCAPS, f))
    return "messages=%d resent=%d | %s | %s" % (total, resent, stats.fmt(methods) or "-",
                                                stats.fmt(codes) or "-")


def render(text):
    def sub(m):
        kind, arg = m.group(1), m.group(2)
        if kind == "STATS":
            return stat_line(arg)
        if kind == "CALLIDS":
            return ", ".join(call_ids(arg))
        if kind == "SPAN":
            return span(arg)
        if kind == "CALLID":
            f, n = arg.rsplit(":", 1)
            return call_ids(f)[int(n) - 1]
        raise SystemExit("unknown placeholder " + m.group(0))
    text = re.sub(r"@(STATS|CALLIDS|CALLID|SPAN):([^@]+)@", sub, text)
    out = []
    for line in text.split("\n"):
        # wrap long lines made by long Call-ID lists (not the stats lines)
        if len(line) > 79 and "tshark:" not in line:
            indent = len(line) - len(line.lstrip())
            out.extend(textwrap.wrap(line, 79, subsequent_indent=" " * (indent + 2),
                                     break_on_hyphens=False, break_long_words=False))
        else:
            out.append(line)
    return "\n".join(out)


def main():
    with open(os.path.join(GEN, "README.in")) as fh:
        text = fh.read()
    kept = ""
    readme = os.path.join(PCAPS, "README")
    if os.path.exists(readme):
        with open(readme) as fh:
            old = fh.read()
        i = old.find("\n" + KEEP_MARKER + "\n")
        if i >= 0:
            kept = old[i + 1:]
    out = render(text).rstrip("\n") + "\n"
    if kept:
        out += "\n" + kept
    with open(readme, "w") as fh:
        fh.write(out)


if __name__ == "__main__":
    main()
