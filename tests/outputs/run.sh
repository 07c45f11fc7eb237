#!/bin/sh
# tests/outputs/run.sh: every capture of pcaps/ and of the shared corpus
# through every output at once, as a PBX host runs sipwatch: the JSON alert
# file, syslog to a local socket, RFC 5424 to a UDP collector on 127.0.0.1,
# HEP over UDP to 127.0.0.1 (all three the test's own), -w,
# --save-alerted, the metrics file and the JSON report.  For each
# capture: exit status 0 (1 for a file libpcap cannot read), nothing from
# a sanitizer on stderr (in the ASan+UBSan build of CI this is the memory
# check of every output path), every alert line valid JSON, the local and
# the remote syslog got exactly one message per alert line (all three sit
# behind the same rate limit), and every output says what it did (issue
# 20): the report's "sinks" has one entry per output, whose "sent" is
# what really arrived (lines in the file, messages and HEP packets the
# test's sockets got, frames in the -w file as the report's capture
# counts them, evidence files), nothing failed or queued, nothing dropped
# but a SIP message too large for one HEP packet (the report's
# hep.sent.dropped.too_large), and the metrics file gives the same
# figures.
. "$(dirname "$0")/../lib.sh"

corpus=$(corpus_dir) || corpus=""
exec python3 - "$SIPWATCH" "$top_srcdir/pcaps" "$corpus" <<'PY'
import glob, json, os, select, socket, subprocess, sys, tempfile, threading

sipwatch, pcaps, corpus = sys.argv[1:4]
files = sorted(glob.glob(os.path.join(pcaps, "*.pcap*")))
if corpus:
    files += sorted(glob.glob(os.path.join(corpus, "pcaps", "*")))
tmp = tempfile.mkdtemp()
local = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
local.bind(os.path.join(tmp, "log.sock"))
local.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
remote = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
remote.bind(("127.0.0.1", 0))
remote.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
port = remote.getsockname()[1]
local.setblocking(False)
remote.setblocking(False)
hep = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
hep.bind(("127.0.0.1", 0))
hep.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
hep.setblocking(False)
hep_port = hep.getsockname()[1]
# A collector reads while sipwatch runs, as a syslog daemon does (a local
# datagram socket queues only a few messages).
got = {local: 0, remote: 0, hep: 0}
lock = threading.Lock()
stop = False

def read_queued(s):
    # Count what S holds now; called with the lock held.
    try:
        while True:
            s.recv(65536)
            got[s] += 1
    except BlockingIOError:
        pass

def reader():
    while not stop:
        r, _, _ = select.select([local, remote, hep], [], [], 0.05)
        with lock:
            for s in r:
                read_queued(s)

threading.Thread(target=reader, daemon=True).start()

def drain():
    # Once sipwatch has exited everything it sent is queued: read it
    # here, whether or not the reader thread had its turn since.
    select.select([], [], [], 0.05)
    with lock:
        for s in got:
            read_queued(s)
        n = (got[local], got[remote], got[hep])
        got[local] = got[remote] = got[hep] = 0
    return n

def metric_sinks(path):
    # {(sink, target): {result: value}} from sipwatch_sink_messages_total.
    out = {}
    pre = "sipwatch_sink_messages_total{"
    for line in open(path, encoding="utf-8"):
        if not line.startswith(pre):
            continue
        labels, value = line[len(pre):].rsplit("} ", 1)
        kv = dict(p.split("=", 1) for p in labels.split('",'))
        kv = {k: v.strip('"') for k, v in kv.items()}
        out.setdefault((kv["sink"], kv["target"]), {})[kv["result"]] = \
            int(value)
    return out

def check_sinks(r, mfile, want, problems):
    # want: {sink: (sent, dropped)}; none failed or queued.
    sinks = r.get("sinks", [])
    kinds = sorted(s["sink"] for s in sinks)
    if kinds != sorted(want):
        problems.append("sinks %s, wanted %s" % (kinds, sorted(want)))
        return
    m = metric_sinks(mfile)
    for s in sinks:
        k = s["sink"]
        figures = (s["sent"], s["failed"], s["dropped"], s["queued"])
        if figures != (want[k][0], 0, want[k][1], 0):
            problems.append("%s: sent/failed/dropped/queued %s, wanted "
                            "sent/dropped %s" % (k, figures, want[k]))
        mv = m.get((k, s["target"]), {})
        if (mv.get("sent"), mv.get("failed"), mv.get("dropped")) != \
                figures[:3]:
            problems.append("%s: metrics %s, report %s" % (k, mv, figures))

bad = 0
total = 0
for f in files:
    ev = os.path.join(tmp, "ev")
    os.makedirs(ev, exist_ok=True)
    alerts = os.path.join(tmp, "alerts.json")
    dump = os.path.join(tmp, "w.pcap")
    for old in (alerts, dump):
        if os.path.exists(old):
            os.unlink(old)
    r = subprocess.run([sipwatch, "-r", f, "-N", "--report=json",
                        "--alerts=" + alerts, "--alerts-dedup",
                        "--syslog=local0",
                        "--syslog-socket=" + os.path.join(tmp, "log.sock"),
                        "--syslog-remote=udp://127.0.0.1:%d" % port,
                        "--hep=udp://127.0.0.1:%d" % hep_port,
                        "-w", dump,
                        "--save-alerted=" + ev,
                        "--metrics-file=" + os.path.join(tmp, "m.prom")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    name = os.path.basename(f)
    err = r.stderr.decode("utf-8", "replace")
    problems = []
    unreadable = "unknown file format" in err
    if r.returncode != (1 if unreadable else 0):
        problems.append("exit status %d" % r.returncode)
    for mark in ("AddressSanitizer", "LeakSanitizer", "runtime error:",
                 "UndefinedBehaviorSanitizer"):
        if mark in err:
            problems.append("sanitizer: " + mark)
    lines = 0
    if os.path.exists(alerts):
        for line in open(alerts, encoding="utf-8"):
            try:
                json.loads(line)
            except ValueError:
                problems.append("alert line not JSON: %r" % line[:80])
            lines += 1
    nl, nr, nh = drain()
    if not unreadable and (nl != lines or nr != lines):
        problems.append("%d alert lines, %d local syslog, %d remote"
                        % (lines, nl, nr))
    if not unreadable:
        try:
            rep = json.loads(r.stdout)
        except ValueError:
            rep = None
            problems.append("the report is not JSON")
        if rep is not None:
            big = rep["hep"]["sent"]["dropped"]["too_large"]
            check_sinks(rep, os.path.join(tmp, "m.prom"), {
                "alerts-json": (lines, 0), "syslog": (nl, 0),
                "syslog-remote": (nr, 0), "hep": (nh, big),
                "pcap": (rep["capture"]["packets"], 0),
                "evidence": (len(os.listdir(ev)), 0)}, problems)
    for e in os.listdir(ev):
        os.unlink(os.path.join(ev, e))
    total += 1
    if problems:
        bad += 1
        print("FAIL %s: %s" % (name, "; ".join(problems)))
        print(err[-2000:])
    else:
        print("ok   %s: %d alert line(s)" % (name, lines))
stop = True
print("outputs: %d captures, %d failed" % (total, bad))
sys.exit(1 if bad else 0)
PY
