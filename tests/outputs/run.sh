#!/bin/sh
# tests/outputs/run.sh: every capture of pcaps/ and of the shared corpus
# through every output at once, as a PBX host runs sipwatch: the JSON alert
# file, syslog to a local socket, RFC 5424 to a UDP collector on 127.0.0.1
# (both the test's own), --save-alerted, the metrics file and the JSON
# report.  For each capture: exit status 0 (1 for a file libpcap cannot
# read), nothing from a sanitizer on stderr (in the ASan+UBSan build of CI
# this is the memory check of every output path), every alert line valid
# JSON, and the local and the remote syslog got exactly one message per
# alert line (all three sit behind the same rate limit).
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
# A collector reads while sipwatch runs, as a syslog daemon does (a local
# datagram socket queues only a few messages).
got = {local: 0, remote: 0}
lock = threading.Lock()
stop = False

def reader():
    while not stop:
        r, _, _ = select.select([local, remote], [], [], 0.05)
        for s in r:
            try:
                while True:
                    s.recv(65536)
                    with lock:
                        got[s] += 1
            except BlockingIOError:
                pass

threading.Thread(target=reader, daemon=True).start()

def drain():
    # Once sipwatch has exited everything it sent is queued: read it.
    select.select([], [], [], 0.05)
    with lock:
        n = (got[local], got[remote])
        got[local] = got[remote] = 0
    return n

bad = 0
total = 0
for f in files:
    ev = os.path.join(tmp, "ev")
    os.makedirs(ev, exist_ok=True)
    alerts = os.path.join(tmp, "alerts.json")
    if os.path.exists(alerts):
        os.unlink(alerts)
    r = subprocess.run([sipwatch, "-r", f, "-N", "--report=json",
                        "--alerts=" + alerts, "--alerts-dedup",
                        "--syslog=local0",
                        "--syslog-socket=" + os.path.join(tmp, "log.sock"),
                        "--syslog-remote=udp://127.0.0.1:%d" % port,
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
    nl, nr = drain()
    if not unreadable and (nl != lines or nr != lines):
        problems.append("%d alert lines, %d local syslog, %d remote"
                        % (lines, nl, nr))
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
