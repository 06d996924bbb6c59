#!/bin/sh
# bench.sh - speed and memory figures for `make bench`. Prints; asserts nothing.
#
# Set EA90B_REFERENCE_BIN to a directory holding NIST's ea_non_iid (built
# outside this repository) to time the reference in the same run.
set -u
BIN=$(cd "${1:?bin dir}" && pwd)
B="$BIN/ea90b_bench"
D=$(cd "$(dirname "$0")/.." && pwd)/data
REPEAT=${EA90B_BENCH_REPEAT:-3}
CPUS=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

echo "ea90b bench on $(uname -m), $CPUS online CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
echo "targets (issue 2): 1e6 8-bit samples <= 1.3 s wall single-threaded, peak RSS <= 120 MB; 1e6 1-bit <= 0.1 s"
echo

for f in truerand_8bit normal truerand_1bit; do
    echo "== ea90b noniid $f.bin"
    printf '  1 thread:     '; "$B" run "$REPEAT" -- "$BIN/ea90b" noniid -q --threads 1 "$D/nist/bin/$f.bin"
    printf '  %s threads:    ' "$CPUS"; "$B" run "$REPEAT" -- "$BIN/ea90b" noniid -q --threads "$CPUS" "$D/nist/bin/$f.bin"
    if [ -n "${EA90B_REFERENCE_BIN:-}" ] && [ -x "$EA90B_REFERENCE_BIN/ea_non_iid" ]; then
        printf '  reference:    '; "$B" run 1 -- "$EA90B_REFERENCE_BIN/ea_non_iid" -q "$D/nist/bin/$f.bin"
    fi
    "$B" estimators "$D/nist/bin/$f.bin" "$REPEAT"
    echo
done
if [ -z "${EA90B_REFERENCE_BIN:-}" ]; then
    echo "reference not timed here (set EA90B_REFERENCE_BIN); its figures on this machine kind, from"
    echo "shared/reference/README.md: ea_non_iid 1e6 x 8-bit 11.7-14.5 s and 297 MB; 1e6 x 1-bit 0.56 s."
fi
