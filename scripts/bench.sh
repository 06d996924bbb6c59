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
echo "targets (issue 3): truerand_8bit.bin <= 1/5 of the reference; noniid_ar_8bit.bin decisive <= 1/20, --full <= 3/4"
for f in "$D/nist/bin/truerand_8bit.bin" "$D/vectors/noniid_ar_8bit.bin"; do
    echo "== ea90b iid $(basename "$f") ($CPUS threads, seed 1)"
    printf '  decisive:     '; "$B" run 1 -- "$BIN/ea90b" iid -q --seed 1 "$f"
    if [ "$(basename "$f")" = truerand_8bit.bin ] || [ -n "${EA90B_BENCH_FULL:-}" ]; then
        printf '  --full:       '; "$B" run 1 -- "$BIN/ea90b" iid -q --full --seed 1 "$f"
    else
        echo "  --full:       skipped: all 10,000 permutations with bzip2 take many minutes; set EA90B_BENCH_FULL=1"
    fi
    if [ -n "${EA90B_REFERENCE_BIN:-}" ] && [ -x "$EA90B_REFERENCE_BIN/ea_iid" ]; then
        printf '  reference:    '; "$B" run 1 -- "$EA90B_REFERENCE_BIN/ea_iid" -q "$f"
    fi
done
echo

if [ -z "${EA90B_REFERENCE_BIN:-}" ]; then
    echo "reference not timed here (set EA90B_REFERENCE_BIN); its figures on this machine kind, from"
    echo "shared/reference/README.md: ea_non_iid 1e6 x 8-bit 11.7-14.5 s and 297 MB; 1e6 x 1-bit 0.56 s;"
    echo "ea_iid truerand_8bit 11.5-15.6 s; ea_iid noniid_ar_8bit 1761 s wall (2757 s CPU) on 2 cores."
fi
