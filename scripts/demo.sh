#!/bin/sh
# demo.sh - `make demo`: assess a bundled NIST sample and print the result.
set -eu
BIN=$(cd "${1:?bin dir}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAMPLE="$ROOT/data/nist/bin/truerand_8bit.bin"
OUT="$ROOT/build/demo"
mkdir -p "$OUT"
echo "ea90b demo: SP 800-90B non-IID assessment of NIST's truerand_8bit.bin"
echo
"$BIN/ea90b" noniid "$SAMPLE"
"$BIN/ea90b" noniid -q --json -o "$OUT/truerand_8bit.noniid.json" "$SAMPLE"
echo
echo "JSON report (every intermediate value): $OUT/truerand_8bit.noniid.json"
