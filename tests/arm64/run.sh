#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make check-arm64 (issue 15): the aarch64 build in BUILD (cross-compiled by the
# Makefile with Debian's gcc-aarch64-linux-gnu) run under qemu-aarch64 (Debian's
# qemu-user). The kernel must start aarch64 programs itself, through binfmt_misc
# (qemu-user-binfmt): `ea90b collect` re-executes itself for every exec restart
# (/proc/self/exe) and Criterion re-executes the unit-test binary for every test,
# so wrapping the first program in `qemu-aarch64 PROGRAM` is not enough.
#
#   tests/arm64/run.sh BUILD
#
# Runs: the unit tests but the slowest (UNIT_SKIP below: pure arithmetic on large
# inputs, 2 to 30 s each under qemu, whose code the other tests of the same
# estimators still run); the static ea90b's probe (the cntvct_el0 timer and its
# cntfrq_el0 frequency); the collector's CLI parts (tests/cli/run.sh BIN JT PART...).
# Every timing printed under emulation is the emulator's: meaningless for a CPU.
set -u
B=${1:?build dir}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# The collector's CLI parts: timer probe, collect/verify/resume, the exec
# source, series, host facts of imports.
PARTS="probe collect exec series hostfacts"
UNIT_SKIP="restart/simulation_agrees_with_exact|restart/tail_monotone|restart/simulation_thread_independent"
UNIT_SKIP="$UNIT_SKIP|bootstrap/iid_data_near_a_block_sized_assessment|permutation/events_full_mode"
UNIT_SKIP="$UNIT_SKIP|permutation/events_decisive_mode|compression/p_solves_text_equation"
UNIT_SKIP="$UNIT_SKIP|sa_estimates/very_deep_tuples|sa_estimates/long_periodic_strings"
UNIT_SKIP="$UNIT_SKIP|iid_compression/wrap_tokens_and_periodic_blocks|iid_compression/input_ending_where_a_block_fills"
# 1.5 to 4.6 s each: the bzip2 length model (integers only) and restart validation on an
# LFSR (the other restart tests run the same validation)
UNIT_SKIP="$UNIT_SKIP|iid_compression/last_block_without_a_space|iid_compression/matches_bzbufftobuff_on_varied_inputs"
UNIT_SKIP="$UNIT_SKIP|iid_compression/several_blocks|restart/validation_fails_on_lfsr"

fail() {
    echo "check-arm64: $*" >&2
    exit 1
}

# ELF e_machine 183 (0xb7) is AArch64: never test a host binary by mistake.
for f in bin/ea90b static/ea90b tests/unit_tests tests/jsontool tests/collect_hooks tests/fake_recorder; do
    [ -x "$B/$f" ] || fail "$B/$f is missing (make check-arm64 builds it)"
    [ "$(od -An -tu2 -j18 -N2 "$B/$f" | tr -d ' ')" = 183 ] || fail "$B/$f is not an aarch64 program"
done
"$B/bin/ea90b" --version >/dev/null 2>&1 ||
    fail "this kernel cannot start aarch64 programs (qemu-aarch64 is not registered with binfmt_misc: scripts/install-deps.sh --arm64 does it, as root)"

echo "== arm64: aarch64 programs under qemu-aarch64 ($(qemu-aarch64 --version | head -1))"
echo "   EMULATED: every timing printed below (probe, collect, test durations) is qemu's, meaningless for any CPU"

echo "== arm64: unit tests (all but the $(echo "$UNIT_SKIP" | tr '|' '\n' | wc -l) slowest: tests/arm64/run.sh)"
"$B/tests/unit_tests" --jobs 2 --filter "!($UNIT_SKIP)" || exit 1

echo "== arm64: static ea90b probe (cntvct_el0 and its frequency from cntfrq_el0)"
out=$("$B/static/ea90b" probe --samples 1000) || { printf '%s\n' "$out"; fail "the static ea90b's probe failed"; }
printf '%s\n' "$out" | sed -n '1,3p'
printf '%s\n' "$out" | grep -Eq '^timer: cntvct_el0, [1-9][0-9]* Hz \(cntfrq_el0\)$' ||
    fail "the static ea90b's probe did not print the cntvct_el0 timer with its cntfrq_el0 frequency"
if [ -r /proc/sys/kernel/arch ] && [ "$(cat /proc/sys/kernel/arch)" != aarch64 ]; then
    printf '%s\n' "$out" | grep -q '^note: emulated: ' || fail "the probe did not say that it ran emulated"
fi

echo "== arm64: collector CLI tests ($PARTS)"
# (EA90B_CLI_COLLECTOR_ONLY: the series part leaves out its assess/check cases, 25 s of
# estimator arithmetic under qemu that the host's CLI tests run)
# shellcheck disable=SC2086
EA90B_CLI_COLLECTOR_ONLY=1 sh "$ROOT/tests/cli/run.sh" "$B/bin" "$B/tests/jsontool" $PARTS
