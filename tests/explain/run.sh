#!/bin/sh
# tests/explain/run.sh: "sipwatch explain" in every language, for single
# codes, pairs and unregistered codes: translated headings, the codes and
# their registry phrases, derived comparison sentences, exit statuses.
. "$(dirname "$0")/../lib.sh"

SIPWATCH_DATADIR="$top_srcdir/data/kb"
SIPWATCH_LOCALEDIR="$top_builddir/locale"
export SIPWATCH_DATADIR SIPWATCH_LOCALEDIR
unset LANGUAGE LC_MESSAGES LANG

out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# run ARGS...: run sipwatch explain; stdout in $out, stderr in $err.
run() {
	"$SIPWATCH" explain "$@" >"$out" 2>"$err"
}
# has TEXT: $out contains the fixed string TEXT.
has() {
	grep -qF -- "$1" "$out" || fail "explain $args: no \"$1\" in output:
$(cat "$out")"
}
# reason CODE: the registry phrase of CODE from codes.ini.
reason() {
	awk -v g="[$1]" '$0 == g { f = 1; next } /^\[/ { f = 0 }
	    f && /^reason=/ { sub(/^reason=/, ""); print; exit }' \
	    "$SIPWATCH_DATADIR/codes.ini"
}

[ -f "$SIPWATCH_DATADIR/codes.ini" ] || hard_error "no $SIPWATCH_DATADIR"
[ -d "$SIPWATCH_LOCALEDIR/ru" ] || hard_error "no catalogs in $SIPWATCH_LOCALEDIR"

# Headings of the comparison, per language.
heading_keydiff() {
	case $1 in
	en) echo "Key differences" ;;
	ru) echo "Основные различия" ;;
	ja) echo "主な違い" ;;
	tr) echo "Temel farklar" ;;
	esac
}
heading_applies() {
	case $1 in
	en) echo "When each applies" ;;
	ru) echo "Когда какой код уместен" ;;
	ja) echo "それぞれが当てはまる場面" ;;
	tr) echo "Hangisi ne zaman geçerli" ;;
	esac
}
heading_todo() {
	case $1 in
	en) echo "What to do" ;;
	ru) echo "Что делать" ;;
	ja) echo "対処方法" ;;
	tr) echo "Ne yapmalı" ;;
	esac
}
heading_meaning() {
	case $1 in
	en) echo "Meaning" ;;
	ru) echo "Значение" ;;
	ja) echo "意味" ;;
	tr) echo "Anlamı" ;;
	esac
}

for lang in en ru ja tr; do
	for pair in "202 503" "486 600" "401 407" "502 504" "180 200" \
	    "302 305" "403 608" "100 699"; do
		set -- $pair
		args="$1 $2 --lang=$lang"
		run "$1" "$2" --lang="$lang" || fail "explain $args: exit $?"
		head -n 1 "$out" | grep -q "^SIP $1 .*$2" ||
		    fail "explain $args: title line: $(head -n 1 "$out")"
		has "$(heading_keydiff $lang)"
		has "$(heading_applies $lang)"
		has "$(heading_todo $lang)"
		for c in "$1" "$2"; do
			r=$(reason "$c")
			if [ -n "$r" ]; then
				has "$c $r"
			fi
			has "    $c:"
		done
	done
	args="503 --lang=$lang"
	run 503 --lang="$lang" || fail "explain $args: exit $?"
	has "SIP 503 Service Unavailable (5xx "
	has "$(heading_meaning $lang)"
	has "$(heading_todo $lang)"
	has "Retry-After"
done

# The pair of the issue, sentence by sentence, in each language.
args="202 503"
run 202 503
has "    - 202 is deprecated (RFC6665): never send it, and handle a received 202 exactly like 200."
has "    - Succeeded: 202 — yes, final success; 503 — no, final failure."
has "    - Retry: 202 — nothing to retry; 503 — retry the same server only after Retry-After has passed; meanwhile try an alternate server."
has "    - At fault: 202 — nobody, it is not an error; 503 — the server that sent the response."
args="202 503 --lang=ru"
run 202 503 --lang=ru
has "SIP 202 Accepted (Deprecated) и 503 Service Unavailable"
has "    - Запрос выполнен: 202 — да, окончательный успех; 503 — нет, окончательная неудача."
has "    - Повтор: 202 — повторять нечего; 503 — повторяйте на тот же сервер только по истечении Retry-After; тем временем используйте резервный сервер."
has "    - Виновник: 202 — никто, это не ошибка; 503 — сервер, отправивший ответ."
has "    - 202 устарел (RFC6665): никогда не отправляйте его, а полученный 202 обрабатывайте точно так же, как 200."
args="202 503 --lang=ja"
run 202 503 --lang=ja
has "    - 成功したか: 202 — はい、最終的な成功。503 — いいえ、最終的な失敗。"
has "    - 原因: 202 — 誰でもない（エラーではない）。503 — 応答を送ったサーバー。"
args="202 503 --lang=tr"
run 202 503 --lang=tr
has "    - Başarılı mı: 202 — evet, nihai başarı; 503 — hayır, nihai başarısızlık."
has "    - Yeniden deneme: 202 — yeniden denenecek bir şey yok; 503 — aynı sunucuyu ancak Retry-After süresi geçtikten sonra yeniden deneyin; bu arada başka bir sunucu deneyin."

# Busy here against busy everywhere; 503 against 502.
args="486 600"
run 486 600
has "600 is 6xx (global failure): the answer is definitive for the user everywhere"
has "    - Retry: 486 — "
has "another location may answer now; 600 — "
args="503 502 --lang=ru"
run 503 502 --lang=ru
has "503 — повторяйте на тот же сервер только по истечении Retry-After; тем временем используйте резервный сервер; 502 — сразу попробуйте другой маршрут или сервер."
has "    - Класс один, виновники разные: 503 — сервер, отправивший ответ; 502 — элемент за сервером"

# Unregistered codes are their class, handled as x00 (RFC 3261 8.1.3.2).
args="477"
run 477 || fail "explain 477: exit $?"
has "SIP 477 (4xx client failure, not registered)"
has "Note: 477 is not a registered response code. RFC 3261 §8.1.3.2 says to handle an unrecognised code as 400; what follows is the 4xx class entry."
args="499 --lang=tr"
run 499 --lang=tr || fail "explain $args: exit $?"
has "SIP 499 (4xx istemci hatası, kayıtlı değil)"
has "Not: 499 kayıtlı bir yanıt kodu değil."
args="477 400"
run 477 400
has "    - 477 is not a registered code: handle it as 400 (RFC 3261 §8.1.3.2)."

# The language from the environment, with no such locale generated.
args="503 (LANGUAGE=ja)"
LANGUAGE=ja "$SIPWATCH" explain 503 >"$out" 2>"$err" || fail "$args"
has "意味"
args="503 (LC_ALL= LANG=tr_TR.UTF-8)"
LC_ALL= LANG=tr_TR.UTF-8 "$SIPWATCH" explain 503 >"$out" 2>"$err" ||
    fail "$args"
has "Anlamı"
args="503 (LANG=de_DE.UTF-8)"
LC_ALL= LANG=de_DE.UTF-8 "$SIPWATCH" explain 503 >"$out" 2>"$err" ||
    fail "$args"
has "Meaning"

# Wrapping: no line wider than asked (English is one column a letter).
args="503 --width=50"
run 503 --width=50
# (The header line is never wrapped.)
w=$(tail -n +2 "$out" | wc -L)
[ "$w" -le 50 ] || fail "explain 503 --width=50: a line is $w columns wide"
[ "$(wc -l <"$out")" -gt 20 ] || fail "explain 503 --width=50: too short"

# A class: what it means, its registered codes, the unregistered ones
# (RFC 3261 8.1.3.2), in every language.
for lang in en ru ja tr; do
	for cls in 1 2 3 4 5 6; do
		run "${cls}xx" --lang="$lang" || fail "explain ${cls}xx: exit $?"
		args="${cls}xx --lang=$lang"
		has "SIP ${cls}xx ("
		has "RFC 3261 §21.$cls)"
		has "$(heading_meaning "$lang")"
		has "$(heading_todo "$lang")"
	done
	run 5XX --lang="$lang" || fail "explain 5XX: exit $?"
	args="5XX --lang=$lang"
	for code in 500 502 503 504 580; do
		has "$code $(reason "$code"): "
	done
	grep -q "^    - 48[0-9] " "$out" && fail "explain 5xx lists 4xx codes"
done
"$SIPWATCH" explain 5xx 503 >"$out" 2>"$err"
[ $? -eq 2 ] || fail "explain 5xx 503: want exit 2"
grep -qF "explained alone" "$err" || fail "explain 5xx 503: $(cat "$err")"

# Usage errors: exit 2 with a message.
for bad in 99 700 abc 5O3 "" -1 1000 7xx 5x 5xxx; do
	"$SIPWATCH" explain "$bad" >"$out" 2>"$err"
	rc=$?
	[ $rc -eq 2 ] || fail "explain \"$bad\": exit $rc, want 2"
	grep -q "is not a SIP response code\|usage" "$err" ||
	    fail "explain \"$bad\": no message: $(cat "$err")"
done
"$SIPWATCH" explain 99 --lang=ru >"$out" 2>"$err"
[ $? -eq 2 ] || fail "explain 99 --lang=ru: want exit 2"
grep -qF "«99» — не код ответа SIP" "$err" ||
    fail "explain 99 --lang=ru: message not in Russian: $(cat "$err")"
"$SIPWATCH" explain 503 --lang=xx >"$out" 2>"$err"
[ $? -eq 2 ] || fail "explain 503 --lang=xx: want exit 2"
grep -qF 'unsupported language "xx"' "$err" || fail "--lang=xx: $(cat "$err")"
"$SIPWATCH" explain >"$out" 2>"$err"
[ $? -eq 2 ] || fail "explain without a code: want exit 2"
"$SIPWATCH" explain 200 300 400 >"$out" 2>"$err"
[ $? -eq 2 ] || fail "explain with three codes: want exit 2"
SIPWATCH_DATADIR=/nonexistent "$SIPWATCH" explain 503 >"$out" 2>"$err"
[ $? -eq 1 ] || fail "explain with no data: want exit 1"
grep -qF "no knowledge base in /nonexistent: neither /nonexistent/kb/codes.ini nor /nonexistent/codes.ini" \
    "$err" || fail "no data: $(cat "$err")"

# --datadir and SIPWATCH_DATADIR: the data directory (DIR/kb, as
# installed in /usr/share/sipwatch) or, for compatibility, the kb folder,
# for explain and for the advice of alerts.  A copy whose 502 advice is
# marked shows which files were read.
data=$(mktemp -d)
trap 'rm -f "$out" "$err"; rm -rf "$data"' EXIT
mkdir "$data/kb"
cp "$SIPWATCH_DATADIR"/*.ini "$data/kb/"
sed -i '/^\[502\]/,/^\[/ s/^fix=.*/fix=MARK-DATADIR read from the copy./' \
    "$data/kb/en.ini"
grep -q "MARK-DATADIR" "$data/kb/en.ini" || hard_error "marking the copy"
for d in "$data" "$data/kb"; do
	args="502 --datadir=$d"
	run 502 --datadir="$d" || fail "explain $args: exit $?"
	has "MARK-DATADIR read from the copy."
	args="502 (SIPWATCH_DATADIR=$d)"
	SIPWATCH_DATADIR=$d "$SIPWATCH" explain 502 >"$out" 2>"$err" ||
	    fail "explain $args: exit $?"
	has "MARK-DATADIR read from the copy."
	args="-r server-error-burst.pcap --datadir=$d"
	"$SIPWATCH" -r "$top_srcdir/pcaps/server-error-burst.pcap" -N \
	    --report=none --datadir="$d" >"$out" 2>"$err" ||
	    fail "sipwatch $args: exit $?: $(cat "$err")"
	has "KB 502: MARK-DATADIR read from the copy."
done
args="-r server-error-burst.pcap (default data)"
"$SIPWATCH" -r "$top_srcdir/pcaps/server-error-burst.pcap" -N \
    --report=none >"$out" 2>"$err" || fail "sipwatch $args: exit $?"
has "KB 502: Identify the element behind the responder"
"$SIPWATCH" -r "$top_srcdir/pcaps/server-error-burst.pcap" -N \
    --datadir=/nonexistent >"$out" 2>"$err"
[ $? -eq 1 ] || fail "sipwatch --datadir=/nonexistent: want exit 1"
grep -qF -- "--datadir: no knowledge base in /nonexistent" "$err" ||
    fail "--datadir=/nonexistent: $(cat "$err")"

echo "PASS: explain"
exit 0
