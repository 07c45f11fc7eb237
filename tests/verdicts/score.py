#!/usr/bin/env python3
"""Score sipwatch's incidents against the labelled real-traffic verdicts.

Each tests/verdicts/CAPTURE.verdict describes one capture of the shared
corpus (../shared/corpus/pcaps/CAPTURE) as an engineer read it, before
sipwatch was run on it: leading "#" lines say what the capture shows, then
one directive per line, each with its reason after " -- ":

    require RULE SUBJECT-REGEX -- an incident the engineer must be told
    allow RULE [SUBJECT-REGEX] -- correct and useful, not essential
    forbid RULE [SUBJECT-REGEX] -- false or misleading
    max-incidents N            -- the most incidents a good tool raises

SUBJECT-REGEX is a Python regular expression matched with re.fullmatch
against the incident's subject ("call <Call-ID>", "server <ip:port>",
"source <ip>", "aor <AOR>", ...); without one the line covers every
subject.  An incident is one line with "event":"raise" in sipwatch's
--alerts file.

usage:
  score.py [--sipwatch BIN] [--corpus DIR] [VERDICT...]
      run `sipwatch -r CAPTURE -N --report=none --alerts=FILE` on every
      capture that has a verdict (all of tests/verdicts by default) and
      print, per capture and in total: incidents raised, useful ones
      (matched by a require or allow line and by no forbid line),
      precision = useful/raised, required findings, found, recall =
      found/required; then every miss and every incident that is not
      useful.
  score.py --alerts-dir DIR [--check --xfail FILE] [VERDICT...]
      the same from alert files already written (DIR/CAPTURE.alerts, with
      sipwatch's exit status in DIR/CAPTURE.rc); with --check, also judge
      each capture (every require found, no forbidden incident, at most
      max-incidents, sipwatch exited 0) against the expected failures
      listed in FILE, and exit 1 if a capture fails that is not listed
      or a listed one passes.  tests/verdicts/run.sh uses this mode.

Exit status: 0 success, 1 failures (--check) or no capture scored, 2 a
malformed verdict or XFAIL file.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

# The rule ids fixed by doc/ALERTS.md and issues 14, 15 and 16 (rules
# being built included).  A verdict naming any other id is a typo that
# would never match, so it is refused.
RULES = frozenset("""
invite-timeout non-invite-timeout ack-missing retransmission refer-no-notify
refer-rejected transfer-failed retry-after-violation premature-retry
server-error-burst bad-gateway redirect-loop global-failure scanner
auth-failure-burst loop-detected
registration-failed subscription-failed media-rejected call-failure-rate
account-compromised toll-fraud
no-media one-way-media media-nat-mismatch media-quality media-timeout
late-media
""".split())


class VerdictError(Exception):
    pass


class Line:
    """One require/allow/forbid directive."""

    def __init__(self, kind, rule, regex, reason, lineno):
        self.kind, self.rule, self.reason, self.lineno = kind, rule, reason, lineno
        self.pattern = regex
        self.regex = re.compile(regex) if regex else None

    def matches(self, incident):
        if incident["rule"] != self.rule:
            return False
        return self.regex is None or \
            self.regex.fullmatch(incident.get("subject") or "") is not None

    def __str__(self):
        return "%s %s%s" % (self.kind, self.rule,
                            " " + self.pattern if self.pattern else "")


class Verdict:
    def __init__(self, path):
        self.path = path
        self.capture = os.path.basename(path)[:-len(".verdict")]
        self.lines, self.max_incidents = [], None
        with open(path, encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                self._parse(raw.rstrip("\n"), n)
        if not self.lines and self.max_incidents is None:
            raise VerdictError("%s: no directive" % path)

    def _parse(self, text, n):
        if not text.strip() or text.lstrip().startswith("#"):
            return
        where = "%s:%d" % (self.path, n)
        body, sep, reason = text.partition(" -- ")
        if not sep or not reason.strip():
            raise VerdictError("%s: no reason after ' -- '" % where)
        words = body.split(None, 2)
        kind = words[0]
        if kind == "max-incidents":
            if len(words) != 2 or not words[1].isdigit():
                raise VerdictError("%s: max-incidents takes a number" % where)
            if self.max_incidents is not None:
                raise VerdictError("%s: max-incidents given twice" % where)
            self.max_incidents = int(words[1])
            return
        if kind not in ("require", "allow", "forbid"):
            raise VerdictError("%s: unknown directive %r" % (where, kind))
        if len(words) < 2:
            raise VerdictError("%s: %s needs a rule id" % (where, kind))
        rule = words[1]
        if rule not in RULES:
            raise VerdictError("%s: unknown rule id %r" % (where, rule))
        regex = words[2].strip() if len(words) > 2 else None
        if kind == "require" and not regex:
            raise VerdictError("%s: require needs a subject regex" % where)
        try:
            self.lines.append(Line(kind, rule, regex, reason.strip(), n))
        except re.error as e:
            raise VerdictError("%s: bad regex: %s" % (where, e)) from None

    def of(self, kind):
        return [l for l in self.lines if l.kind == kind]


def read_incidents(path):
    """The incidents raised: the "event":"raise" lines of an alert file."""
    out = []
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for text in f:
            text = text.strip()
            if not text:
                continue
            try:
                a = json.loads(text)
            except ValueError:
                continue
            if a.get("event") == "raise":
                out.append(a)
    return out


def judge(verdict, incidents, rc):
    """Score one capture; returns a dict of figures and findings."""
    r = {"capture": verdict.capture, "raised": len(incidents), "useful": 0,
         "required": len(verdict.of("require")), "found": 0,
         "misses": [], "not_useful": [], "forbidden": [], "rc": rc}
    for inc in incidents:
        bad = [l for l in verdict.of("forbid") if l.matches(inc)]
        good = [l for l in verdict.of("require") + verdict.of("allow")
                if l.matches(inc)]
        if bad:
            r["forbidden"].append((inc, bad[0]))
            r["not_useful"].append((inc, "forbidden: " + bad[0].reason))
        elif good:
            r["useful"] += 1
        else:
            r["not_useful"].append((inc, "not in the verdict"))
    for l in verdict.of("require"):
        if any(l.matches(inc) for inc in incidents):
            r["found"] += 1
        else:
            r["misses"].append(l)
    problems = []
    if rc != 0:
        problems.append("sipwatch exited %d" % rc)
    for l in r["misses"]:
        problems.append("missing %s %s" % (l.rule, l.pattern))
    for inc, l in r["forbidden"]:
        problems.append("forbidden %s %s (%s)"
                        % (inc["rule"], inc.get("subject"), l))
    if verdict.max_incidents is not None and \
            len(incidents) > verdict.max_incidents:
        problems.append("%d incidents, at most %d expected"
                        % (len(incidents), verdict.max_incidents))
    r["problems"] = problems
    return r


def ratio(a, b):
    return "%.2f" % (a / b) if b else "-"


def read_xfail(path):
    xfail = {}
    if not path or not os.path.exists(path):
        return xfail
    with open(path, encoding="utf-8") as f:
        for n, text in enumerate(f, 1):
            text = text.strip()
            if not text or text.startswith("#"):
                continue
            name, sep, reason = text.partition(" -- ")
            if not sep or not reason.strip() or " " in name.strip():
                raise VerdictError("%s:%d: want 'CAPTURE -- reason'"
                                   % (path, n))
            xfail[name.strip()] = reason.strip()
    return xfail


def run_sipwatch(sipwatch, capture, alerts):
    if os.path.exists(alerts):
        os.unlink(alerts)
    p = subprocess.run([sipwatch, "-r", capture, "-N", "--report=none",
                        "--alerts=" + alerts],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       check=False)
    return p.returncode


def short(s, n=160):
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[:n - 3] + "..."


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sipwatch", default=os.environ.get(
        "SIPWATCH", os.path.join(top, "sipwatch")))
    ap.add_argument("--corpus", default=os.environ.get(
        "SIPWATCH_CORPUS", os.path.join(top, "..", "shared", "corpus")))
    ap.add_argument("--alerts-dir")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--xfail", default=os.path.join(here, "XFAIL"))
    ap.add_argument("verdicts", nargs="*")
    args = ap.parse_args()

    paths = args.verdicts or sorted(glob.glob(os.path.join(here, "*.verdict")))
    try:
        verdicts = [Verdict(p) for p in paths]
        xfail = read_xfail(args.xfail) if args.check else {}
    except VerdictError as e:
        print("ERROR: %s" % e)
        return 2
    known = {v.capture for v in verdicts}
    tmp = None
    if args.alerts_dir is None:
        tmp = tempfile.TemporaryDirectory()
        args.alerts_dir = tmp.name

    rows = []
    for v in verdicts:
        alerts = os.path.join(args.alerts_dir, v.capture + ".alerts")
        rcfile = os.path.join(args.alerts_dir, v.capture + ".rc")
        if tmp is not None:
            cap = os.path.join(args.corpus, "pcaps", v.capture)
            if not os.path.exists(cap):
                continue
            rc = run_sipwatch(args.sipwatch, cap, alerts)
        elif os.path.exists(rcfile):
            with open(rcfile, encoding="utf-8") as f:
                rc = int(f.read().strip() or 0)
        else:
            continue            # capture not in the corpus: not run
        rows.append(judge(v, read_incidents(alerts), rc))
    if not rows:
        print("no capture with a verdict was found in the corpus")
        return 1

    w = max(len(r["capture"]) for r in rows)
    print("%-*s %6s %6s %5s %8s %5s %6s" % (w, "capture", "raised", "useful",
                                            "prec", "required", "found",
                                            "recall"))
    tot = dict.fromkeys(("raised", "useful", "required", "found"), 0)
    for r in rows:
        for k in tot:
            tot[k] += r[k]
        print("%-*s %6d %6d %5s %8d %5d %6s" % (
            w, r["capture"], r["raised"], r["useful"],
            ratio(r["useful"], r["raised"]), r["required"], r["found"],
            ratio(r["found"], r["required"])))
    print("%-*s %6d %6d %5s %8d %5d %6s" % (
        w, "TOTAL (%d captures)" % len(rows), tot["raised"], tot["useful"],
        ratio(tot["useful"], tot["raised"]), tot["required"], tot["found"],
        ratio(tot["found"], tot["required"])))
    print("precision %s (%d useful of %d incidents), recall %s (%d of %d "
          "required findings)" % (ratio(tot["useful"], tot["raised"]),
                                   tot["useful"], tot["raised"],
                                   ratio(tot["found"], tot["required"]),
                                   tot["found"], tot["required"]))
    misses = [(r["capture"], l) for r in rows for l in r["misses"]]
    print("\nmisses (%d):" % len(misses))
    for cap, l in misses:
        print("  %s: %s %s -- %s" % (cap, l.rule, l.pattern, short(l.reason)))
    waste = [(r["capture"], i, why) for r in rows for i, why in r["not_useful"]]
    print("\nincidents that are not useful (%d):" % len(waste))
    for cap, inc, why in waste:
        print("  %s: %s %s [%s]: %s" % (cap, inc["rule"], inc.get("subject"),
                                        why, short(inc.get("summary", ""))))
    for r in rows:
        if r["rc"] != 0:
            print("\n%s: sipwatch exited %d" % (r["capture"], r["rc"]))

    if not args.check:
        return 0
    print()
    failed = 0
    for r in rows:
        name, listed = r["capture"], r["capture"] in xfail
        if r["problems"] and listed:
            print("XFAIL %s: %s (listed: %s)" % (name, "; ".join(r["problems"]),
                                                 xfail[name]))
        elif r["problems"]:
            print("FAIL  %s: %s" % (name, "; ".join(r["problems"])))
            failed += 1
        elif listed:
            print("XPASS %s: meets its verdict now; remove it from XFAIL"
                  % name)
            failed += 1
        else:
            print("ok    %s" % name)
    for name in sorted(set(xfail) - known):
        print("FAIL  XFAIL names %s, which has no verdict file" % name)
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
