#!/bin/sh
# tests/ui/truncation.sh: text cut only with an ellipsis, and never an
# address, a number or the capture state (issue 18, findings 4 and 5):
#
# - a long capture path: the status line keeps "end of file  100%" and
#   shortens the name, marked with an ellipsis;
# - the alert row: a cut Call-ID ends with an ellipsis and the summary
#   is cut between words, not inside an address;
# - the rule's advice, whole, in the call view at 80x24 (Tab, PgDn),
#   word for word as the alert carries it (--alerts JSON);
# - real dialled numbers of 16 digits (a corpus capture) whole at 80x24
#   and 120x30.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

# A long path to a shipped capture.
long="$work/captures-from-the-customer-pbx-during-the-night-shift"
mkdir -p "$long"
ln -s "$PCAPS/refer-no-notify.pcap" \
    "$long/refer-no-notify-as-recorded-on-the-trunk-side-of-pbx-1.pcap"

for size in "80 24" "120 30"; do
	set -- $size
	start "$1" "$2" - -r \
	    "$long/refer-no-notify-as-recorded-on-the-trunk-side-of-pbx-1.pcap"
	wait_for "end of file  100%"
	wait_for "refer-no-notify 1"
	# The state and progress whole; the name cut, marked.
	line_with "end of file  100%" "…"
	line_with "end of file  100%" "pbx-1.pcap"
	# The Call-ID cut with an ellipsis, the summary between words.
	line_with "WARN refer-no-notify" "6b9294ad"
	screen | grep -F "WARN refer-no-notify" | grep -q "[0-9.]…" &&
	    fail "$what: an address cut in the alert row: $(screen)"
	screen | grep -F "WARN refer-no-notify" | grep -q "6b9294adee2dfed5" ||
	    line_with "WARN refer-no-notify" "6b9294ad…"
	quit
done

# The advice, whole, at 80x24: every page of the explanation pane after
# Tab, joined, holds the alert's summary and advice word for word.
"$SIPWATCH" -N --report=none --alerts="$work/alerts.json" \
    -r "$PCAPS/refer-no-notify.pcap" >/dev/null 2>&1 ||
    fail "sipwatch -N on refer-no-notify.pcap failed"
start 80 24 - -r "$PCAPS/refer-no-notify.pcap"
wait_for "refer-no-notify 1"
keys Enter
wait_for "WARN refer-no-notify: REFER from"
keys Tab
wait_for "What to do"
: >"$work/pages"
i=0
while [ $i -lt 8 ]; do
	screen >>"$work/pages"
	echo "=== page" >>"$work/pages"
	keys PageDown
	sleep 0.4
	i=$((i + 1))
done
python3 - "$work/alerts.json" "$work/pages" <<'EOF' || fail "the advice is not shown whole at 80x24"
import json, sys

alert = json.loads(open(sys.argv[1]).readline())
pages = open(sys.argv[2]).read().split("=== page\n")
# The explanation pane: the rows between its title and the key bar.
merged = []
for p in pages:
    rows = p.rstrip("\n").split("\n")
    start = next((i for i, r in enumerate(rows) if "SIP message" in r), None)
    if start is None:
        continue
    rows = [r.strip() for r in rows[start + 1:-1]]
    # Pages overlap: append what the previous page did not show.
    k = min(len(merged), len(rows))
    while k > 0 and merged[-k:] != rows[:k]:
        k -= 1
    merged += rows[k:]
text = " ".join(r for r in merged if r)
norm = lambda s: " ".join(s.split())
ok = True
for field in ("summary", "advice"):
    if norm(alert[field]) not in norm(text):
        print("missing %s:\n  %s\nshown:\n  %s" % (field, alert[field], text))
        ok = False
sys.exit(0 if ok else 1)
EOF
keys Escape
wait_for "Response codes"
quit

# Real dialled numbers (16 digits) whole, never cut to fit a column.
if corpus=$(corpus_dir); then
	fax="$corpus/pcaps/ajbanjara__Wireshark__filenameGRE199---fax-iz-InLife-G711---OK.cap"
	[ -f "$fax" ] || hard_error "no $fax"
	for size in "80 24" "120 30"; do
		set -- $size
		start "$1" "$2" - -r "$fax"
		wait_for "end of file  100%"
		line_with "9997355692638998" "ringing"
		line_with "9997355692074651" "answered"
		line_with "end of file  100%" "…"
		quit
	done
else
	echo "no corpus: the real-number case is skipped"
fi

echo "PASS: truncation"
exit 0
