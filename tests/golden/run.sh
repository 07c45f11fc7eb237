#!/bin/sh
# tests/golden/run.sh: the alerts sipwatch raises on real captures.
#
# Each line of TESTLIST is "NAME CAPTURE [OPTIONS...]".  CAPTURE is a file
# in pcaps/, or "corpus:FILE" for a capture of the shared corpus (those
# lines are skipped when the corpus is not beside the checkout).  The run
#   sipwatch -r CAPTURE -N --report=json --alerts=FILE OPTIONS
# must raise exactly the incidents in expected/NAME.alerts: one line
# "rule call_id | subject" per incident raised (the Call-ID of the message
# that raised it), sorted (no incident: an empty file); every line of the
# alert file must carry its incident's id, subject, count, first and last.  When
# expected/NAME.report exists, each of its lines "dotted.path value" must
# match the JSON report (for example "transfers.succeeded 1").
. "$(dirname "$0")/../lib.sh"

dir="$top_srcdir/tests/golden"
tmp=$(mktemp -d) || hard_error "mktemp"
trap 'rm -rf "$tmp"' EXIT
corpus=$(corpus_dir) || corpus=""

n=0 failed=0 skipped=0
while read -r name cap opts; do
	case "$name" in ''|'#'*) continue ;; esac
	case "$cap" in
	corpus:*)
		if [ -z "$corpus" ]; then
			skipped=$((skipped + 1))
			continue
		fi
		file="$corpus/pcaps/${cap#corpus:}" ;;
	*)	file="$top_srcdir/pcaps/$cap" ;;
	esac
	exp="$dir/expected/$name.alerts"
	if [ ! -f "$file" ]; then
		echo "FAIL $name: capture $cap missing"
		failed=$((failed + 1)); continue
	fi
	[ -f "$exp" ] || hard_error "$name: $exp missing"
	rm -f "$tmp/alerts"
	# shellcheck disable=SC2086
	if ! "$SIPWATCH" -r "$file" -N --report=json --alerts="$tmp/alerts" \
	    $opts >"$tmp/report" 2>"$tmp/err"; then
		echo "FAIL $name: sipwatch failed"; cat "$tmp/err"
		failed=$((failed + 1)); continue
	fi
	touch "$tmp/alerts"
	python3 - "$tmp/alerts" >"$tmp/got" <<'PY' || hard_error "bad alert JSON"
import json, sys
keys = ("time", "rule", "severity", "call_id", "src", "dst", "method",
        "code", "summary", "advice", "event", "count", "first", "last")
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    for k in keys:
        if k not in a:
            sys.exit("alert without %s: %s" % (k, line))
    if a["event"] == "suppressed":
        continue
    if "incident" not in a or "subject" not in a:
        sys.exit("incident line without its id or subject: %s" % line)
    if a["event"] == "raise":
        rows.append("%s %s | %s" % (a["rule"], a["call_id"], a["subject"]))
for r in sorted(rows):
    print(r)
PY
	if ! diff -u "$exp" "$tmp/got" >"$tmp/diff"; then
		echo "FAIL $name: alerts differ (- expected, + got)"
		cat "$tmp/diff"
		failed=$((failed + 1)); continue
	fi
	if [ -f "$dir/expected/$name.report" ] &&
	    ! python3 - "$tmp/report" "$dir/expected/$name.report" \
	    >"$tmp/rdiff" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1], encoding="utf-8"))
bad = 0
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    path, want = line.split(None, 1)
    v = rep
    for k in path.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    if json.dumps(v, sort_keys=True) != json.dumps(json.loads(want),
                                                 sort_keys=True):
        print("  %s: expected %s, got %s" % (path, want, json.dumps(v)))
        bad += 1
sys.exit(1 if bad else 0)
PY
	then
		echo "FAIL $name: report differs"; cat "$tmp/rdiff"
		failed=$((failed + 1)); continue
	fi
	echo "ok   $name: $(wc -l <"$tmp/got") alert(s)"
	n=$((n + 1))
done <"$dir/TESTLIST"

echo "golden: $n passed, $failed failed, $skipped skipped (no corpus)"
[ "$failed" -eq 0 ] || exit 1
[ "$n" -gt 0 ] || skip "no golden test could run"
exit 0
