# bench/lib.sh: what the offline benchmarks share (sourced, after the
# default of n is set): options -n messages, -r runs, -s seed, -f capture;
# /usr/bin/time; a capture generated with bench/sipgen unless -f names
# one; its SIP message count ($msgs), printed with the CPU count.  Sets
# here, top, SIPWATCH, SIPGEN, runs, file, tmp (removed at exit), msgs.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
SIPWATCH=${SIPWATCH:-$top/sipwatch}
SIPGEN=${SIPGEN:-$top/bench/sipgen}
runs=3 seed=1 file=
while getopts "f:n:r:s:" opt; do
	case $opt in
	f) file=$OPTARG ;;
	n) n=$OPTARG ;;
	r) runs=$OPTARG ;;
	s) seed=$OPTARG ;;
	*) echo "usage: $0 [-n messages] [-r runs] [-s seed] [-f capture]"; exit 1 ;;
	esac
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$file" ]; then
	file=$tmp/bench.pcap
	"$SIPGEN" -s "$seed" -n "$n" -o "$file"
fi
msgs=$("$SIPWATCH" -r "$file" -N --report=json | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["sip"]["messages"])')
echo "capture: $file, $(du -h "$file" | cut -f1), $msgs SIP messages; $(nproc) CPUs"
echo
