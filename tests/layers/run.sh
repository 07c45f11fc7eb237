#!/bin/sh
# tests/layers/run.sh: the include rule of doc/ARCHITECTURE.md, checked.
#
# The modules of src/ form layers; a file may include the headers of its
# own module and of the layers below it, never of a layer above.  A module
# missing from LAYERS, or an include that goes upwards, fails the test.
. "$(dirname "$0")/../lib.sh"

# Lowest first (doc/ARCHITECTURE.md, "Layers").
LAYERS="core sip kb alert rules capture decode pipeline stats media track
report hep metrics ui engine"

cd "$top_srcdir/src" || hard_error "no src/"
python3 - $LAYERS <<'PY' || fail "an include goes up the layers"
import glob, os, re, sys
layers = sys.argv[1:]
rank = {m: i for i, m in enumerate(layers)}
bad = 0
mods = sorted(d for d in os.listdir(".") if os.path.isdir(d) and not d.startswith("."))
for m in mods:
    if m not in rank:
        print("module src/%s is not in the layer list" % m)
        bad += 1
for f in sorted(glob.glob("*/*.[ch]")):
    mod = f.split("/")[0]
    for n, line in enumerate(open(f, encoding="utf-8"), 1):
        mm = re.match(r'\s*#\s*include\s+"([a-z]+)/', line)
        if not mm or mm.group(1) == mod:
            continue
        inc = mm.group(1)
        if inc not in rank:
            print("%s:%d: includes unknown module %s" % (f, n, inc))
            bad += 1
        elif mod in rank and rank[inc] > rank[mod]:
            print("%s:%d: %s (layer %s) includes %s from layer %s above it"
                  % (f, n, mod, rank[mod], line.strip(), inc))
            bad += 1
sys.exit(1 if bad else 0)
PY
echo "ok:   every include stays within its layer or goes down"
