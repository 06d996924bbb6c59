#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# oc-bench.sh - the operating characteristic of `ea90b check` on series
# (docs/ci.md): how often a same-configuration series is flagged (false
# alarms) and how often a real regression is caught (detection), measured on
# this machine. Prints; asserts nothing. Part of `make bench`.
#
#   sh scripts/oc-bench.sh BIN [WORKDIR]
#
# Environment (defaults in brackets):
#   OC_TRIALS [20]      trials of each kind
#   OC_RUNS [8]         K, runs per series
#   OC_SAMPLES [1000000] samples per run
#   OC_DEGRADED ["--mem-loops 32 --hash-loops 2"]  the regression's collect options
#   OC_ALPHA [0.01], OC_MIN_EFFECT [10%]            the gate's options
#   OC_CPU [the last online CPU]   every series is pinned there (collect --cpu), as
#                                   docs/ci.md recommends; "none": not pinned
#
# Trial t collects a same-configuration series S_t and a degraded series D_t,
# interleaved in time, and checks both against S_(t-1) (S_0 is collected
# first): a rolling baseline, as a CI job compares each build with the last
# good one. A false alarm is `check S_t` exiting 1; a detection is
# `check D_t` exiting 1. Every series is kept under WORKDIR with its report.
set -u
BIN=${1:?usage: oc-bench.sh BIN [WORKDIR]}
W=${2:-build/oc-bench}
TRIALS=${OC_TRIALS:-20}
K=${OC_RUNS:-8}
N=${OC_SAMPLES:-1000000}
DEG=${OC_DEGRADED:---mem-loops 32 --hash-loops 2}
ALPHA=${OC_ALPHA:-0.01}
EFFECT=${OC_MIN_EFFECT:-10%}
CPU=${OC_CPU:-$(($(nproc) - 1))}
PIN=""
[ "$CPU" = none ] || PIN="--cpu $CPU"
E="$BIN/ea90b"
JT=${OC_JSONTOOL:-$(dirname "$BIN")/tests/jsontool}

rm -rf "$W" && mkdir -p "$W" || exit 1
now() { date +%s.%N; }

# series NAME [collect options...]: collect and assess; its median and seconds in files
series() {
    name=$1; shift
    t0=$(now)
    "$E" collect -q -o "$W/$name" --runs "$K" --samples "$N" --no-restart $PIN "$@" 2>/dev/null &&
        "$E" assess -q --osr 3 --seed 1 "$W/$name" >/dev/null 2>&1 || {
        echo "oc-bench: series $name failed" >&2; exit 1; }
    echo "$(now) $t0" | awk '{printf "%.1f\n", $1 - $2}' >"$W/seconds.$name"
    "$JT" get "$W/$name/report/report.json" series.median | awk '{printf "%.3f\n", $1}' >"$W/median.$name"
}
med() { cat "$W/median.$1"; }

gate() {   # gate CUR BASE: 1 when check flags a regression
    "$E" check "$W/$1" --baseline "$W/$2" --allow-incomplete --alpha "$ALPHA" \
        --min-effect "$EFFECT" >"$W/check.$1.txt" 2>&1
    [ $? -eq 1 ] && echo 1 || echo 0
}

echo "== operating characteristic of ea90b check on series (docs/ci.md)"
echo "   K = $K runs of $N samples, --alpha $ALPHA, --min-effect $EFFECT, $TRIALS trials;"
echo "   regression: collect $DEG; baseline: the previous same-configuration series;"
echo "   collect ${PIN:-(not pinned)}"
series S0
fa=0; det=0
t=1
while [ "$t" -le "$TRIALS" ]; do
    series "S$t"
    series "D$t" $DEG
    f=$(gate "S$t" "S$((t - 1))")
    d=$(gate "D$t" "S$((t - 1))")
    fa=$((fa + f)); det=$((det + d))
    printf '   trial %2d: baseline %s; same %s %-11s degraded %s %s\n' "$t" "$(med "S$((t - 1))")" \
        "$(med "S$t")" "$(test "$f" -eq 1 && echo FALSE-ALARM || echo ok)" "$(med "D$t")" \
        "$(test "$d" -eq 1 && echo caught || echo MISSED)"
    t=$((t + 1))
done
secs=$(cat "$W"/seconds.S* | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
secd=$(cat "$W"/seconds.D* | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
# exact (Clopper-Pearson) one-sided 95 % bounds: the false-alarm rate's upper, detection's lower
awk -v k="$fa" -v n="$TRIALS" -v d="$det" -v a="$ALPHA" 'function cdf(k, n, p,   s, t, i) {
        s = 0; t = (1 - p) ^ n; for (i = 0; i <= k; i++) { s += t; t = t * (n - i) / (i + 1) * p / (1 - p) } return s }
    function upper(k, n,   lo, hi, m, i) { lo = k / n; hi = 1; for (i = 0; i < 60; i++) { m = (lo + hi) / 2; if (cdf(k, n, m) > 0.05) lo = m; else hi = m } return hi }
    BEGIN {
        printf "   false alarms: %d of %d (alpha %s; 95 %% upper bound on the rate %.1f %%)\n", k, n, a, 100 * upper(k, n)
        printf "   detections:   %d of %d (95 %% lower bound on the rate %.1f %%)\n", d, n, 100 * (1 - upper(n - d, n))
    }'

echo "   seconds per series, collected and assessed (median): same $secs, degraded $secd"
