#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# demo.sh - `make demo`: the project's main job on this machine: record raw
# noise with `ea90b collect` (defaults: jitterentropy-style source, 1,000,000
# samples and 1000 x 1000 restarts), assess it with `ea90b assess` (claim
# from jitterentropy's default oversampling rate, H = 1/3 bit per sample),
# draft the Entropy Assessment Report from it with `ea90b ear` (ear.pdf with
# Debian's chromium, ear.docx with pandoc, when they are installed), and print
# where the report and the draft are. Everything goes next to the bin directory
# given (BUILD/bin -> BUILD/demo), so `make demo BUILD=dir` stays in dir.
set -eu
BIN=$(cd "${1:?bin dir}" && pwd)
OUT=$(cd "$BIN/.." && pwd)/demo
COL="$OUT/collection"
OSR=${EA90B_DEMO_OSR:-3}
mkdir -p "$OUT"
rm -rf "$COL"
echo "ea90b demo: collect raw noise on this machine, then assess it (SP 800-90B)"
echo
start=$(date +%s)
"$BIN/ea90b" collect -o "$COL"
echo
"$BIN/ea90b" assess --osr "$OSR" "$COL"
echo
ear_rc=0
"$BIN/ea90b" ear -q "$COL" || ear_rc=$?
end=$(date +%s)
echo
echo "report:      $COL/report/report.html"
echo "             $COL/report/report.md"
echo "             $COL/report/report.json"
for f in ear.pdf ear.docx ear.html; do
    if [ -f "$COL/ear/$f" ]; then echo "EAR draft:   $COL/ear/$f"; fi
done
[ "$ear_rc" -eq 0 ] || echo "EAR draft:   ea90b ear exited with status $ear_rc (see above)"
echo "gate in CI:  $BIN/ea90b check $COL --min-entropy $(awk "BEGIN { print 1 / $OSR }")"
echo "demo took $((end - start)) s"
