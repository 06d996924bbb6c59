#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# CLI tests: each case pairs a command with its expected exit status and a
# fragment its stderr must contain (zstd's cli-tests idea, in plain sh).
#
#   tests/cli/run.sh BINDIR JSONTOOL            every case
#   tests/cli/run.sh BINDIR JSONTOOL PART...    only tests/cli/parts/PART.sh, in that order
#                                               (make check-arm64 runs the collector's)
set -u
BIN=$(cd "${1:?bin dir}" && pwd)
JT=$(cd "$(dirname "${2:?jsontool}")" && pwd)/$(basename "$2")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

# A number that is zero with a minus sign (-0, -0.0, -0.000000, -0e+00, also in JSON as
# ": -0.0" or "[-0.0"); "-0.5", "e-05" and dates such as 2026-01-02 are not.
NEGZERO='(^|[^[:alnum:]_.-])-0(\.0*)?([eE][-+]?[0-9]+)?([^[:alnum:]_.]|$)'

# expect STATUS 'stderr fragment' command...  (stdout must hold no NaN, infinity or -0)
expect() {
    want=$1 frag=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $* -> exit $got, want $want"; sed 's/^/  stderr: /' "$T/err" | head -5
        fail=$((fail + 1)); return
    fi
    if [ -n "$frag" ] && ! grep -qF -- "$frag" "$T/err"; then
        echo "FAIL: $* -> stderr lacks '$frag'"; sed 's/^/  stderr: /' "$T/err" | head -5
        fail=$((fail + 1)); return
    fi
    if grep -q -i -E '(^| )(nan|-nan|inf)( |$|,)' "$T/out"; then
        echo "FAIL: $* printed a NaN or infinity"; fail=$((fail + 1)); return
    fi
    if grep -q -E "$NEGZERO" "$T/out"; then
        echo "FAIL: $* printed a negative zero"; grep -n -E "$NEGZERO" "$T/out" | head -3 | sed 's/^/  stdout: /'
        fail=$((fail + 1)); return
    fi
    if [ "$want" -ne 0 ] && [ "$(wc -l <"$T/err")" -lt 1 ]; then
        echo "FAIL: $* failed without a message"; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}

# check 'description' command...  (any command; exit 0 = pass)
check() {
    desc=$1
    shift
    if "$@" >"$T/chk" 2>&1; then
        pass=$((pass + 1))
    else
        echo "FAIL: $desc"; sed 's/^/  /' "$T/chk" | head -20
        fail=$((fail + 1))
    fi
}

# ran 'description' command...  (a run whose files later tests read: exit 0 = pass;
# stdout to $T/ran.out and stderr to $T/ran.err, unless the command redirects them)
ran() {
    rdesc=$1
    shift
    "$@" >"$T/ran.out" 2>"$T/ran.err"
    rgot=$?
    if [ "$rgot" -eq 0 ]; then
        pass=$((pass + 1))
    else
        echo "FAIL: $rdesc -> exit $rgot, want 0"; sed 's/^/  stderr: /' "$T/ran.err" | head -5
        fail=$((fail + 1))
    fi
}

# same 'description' A B  (A and B equal and not empty = pass: two empty values,
# from a missing key or a failed run, never agree)
same() {
    if [ -n "$2" ] && [ "$2" = "$3" ]; then
        pass=$((pass + 1))
    else
        echo "FAIL: $1"
        printf '%s\n' "${2:-(empty)}" | head -5 | cut -c1-300 | sed 's/^/  left:  /'
        printf '%s\n' "${3:-(empty)}" | head -5 | cut -c1-300 | sed 's/^/  right: /'
        fail=$((fail + 1))
    fi
}

# stop_when 'pattern' OUT command...  (a long run whose stdout goes to OUT, killed with SIGKILL
# as soon as OUT holds a line matching pattern, at most 120 s on; exit 0 when it did: what a
# run stopped part-way has printed, flushed as it went)
stop_when() {
    spat=$1 sout=$2
    shift 2
    "$@" >"$sout" 2>/dev/null &
    spid=$!
    sn=0
    while [ $sn -lt 600 ] && ! grep -q -- "$spat" "$sout" && kill -0 $spid 2>/dev/null; do
        sleep 0.2
        sn=$((sn + 1))
    done
    kill -9 $spid 2>/dev/null
    wait $spid 2>/dev/null
    grep -q -- "$spat" "$sout"
}

E="$BIN/ea90b"
N="$BIN/ea_non_iid"
D="$ROOT/data"
: >"$T/empty.bin"
head -c 2000 /dev/zero >"$T/constant.bin"
mkdir "$T/dir"

if [ $# -gt 2 ]; then
    shift 2
    parts="$*"
    for p in $parts; do
        [ -f "$ROOT/tests/cli/parts/$p.sh" ] || { echo "run.sh: no part tests/cli/parts/$p.sh" >&2; exit 2; }
    done
    for p in $parts; do
        . "$ROOT/tests/cli/parts/$p.sh"
    done
    echo "cli ($parts): $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
fi

# --- usage errors: exit 2
expect 2 "Usage" "$E"
expect 2 "unknown command" "$E" frobnicate
expect 2 "missing sample file" "$E" noniid
expect 2 "too many operands" "$E" noniid "$D/nist/bin/rand8_short.bin" 8 extra
expect 2 "bits per symbol" "$E" noniid "$D/nist/bin/rand8_short.bin" 9
expect 2 "bits per symbol" "$E" noniid "$D/nist/bin/rand8_short.bin" 0
expect 2 "bits per symbol" "$E" noniid "$D/nist/bin/rand8_short.bin" eight
expect 2 "invalid option" "$E" noniid "$D/nist/bin/rand8_short.bin" -1
expect 2 "-l needs" "$E" noniid -l 5 "$D/nist/bin/rand8_short.bin"
expect 2 "-l needs" "$E" noniid -l x,10 "$D/nist/bin/rand8_short.bin"
expect 2 "-l needs" "$E" noniid -l 0,0 "$D/nist/bin/rand8_short.bin"
expect 2 "--threads" "$E" noniid --threads 0 "$D/nist/bin/rand8_short.bin"
expect 2 "--threads" "$E" noniid --threads many "$D/nist/bin/rand8_short.bin"
expect 2 "" "$E" noniid -z "$D/nist/bin/rand8_short.bin"
expect 2 "bits per symbol" "$N" "$D/nist/bin/rand8_short.bin" 12
expect 2 "" "$N" -x "$D/nist/bin/rand8_short.bin"

# --- data errors: exit 1, one line naming the problem
expect 1 "cannot open" "$E" noniid "$T/does-not-exist.bin"
expect 1 "is a directory" "$E" noniid "$T/dir"
expect 1 "is empty" "$E" noniid "$T/empty.bin"
expect 1 "single symbol" "$E" noniid "$T/constant.bin"
expect 1 "does not fit within 4 bits" "$E" noniid "$D/nist/bin/rand8_short.bin" 4
expect 1 "past the end" "$E" noniid -l 1,10000 "$D/nist/bin/rand8_short.bin"
expect 1 "cannot open" "$N" "$T/does-not-exist.bin"
expect 1 "does not fit" "$N" "$D/nist/bin/truerand_8bit.bin" 1
expect 1 "cannot create" "$E" noniid -q -o "$T/no/such/dir/out.json" "$D/nist/bin/rand1_short.bin"
if [ "$(id -u)" != 0 ]; then
    cp "$D/nist/bin/rand8_short.bin" "$T/unreadable.bin" && chmod 000 "$T/unreadable.bin"
    expect 1 "cannot open" "$E" noniid "$T/unreadable.bin"
fi

# --- nothing lost: a failed run leaves no output file behind
expect 1 "single symbol" "$E" noniid --json -o "$T/fail.json" "$T/constant.bin"
check "failed run wrote no JSON" test ! -e "$T/fail.json"
check "no temporary files left" sh -c "! ls '$T' | grep -q '\.tmp\.'"

# --- fewer than 1,000,000 samples: warn, still assess
expect 0 "at least 1000000" "$E" noniid "$D/nist/bin/rand8_short.bin"
check "short-file summary has an assessed value" grep -q "^assessed" "$T/out"
expect 0 "" "$N" "$D/nist/bin/rand4_short.bin"
check "reference warning on stdout" grep -q "data contains less than 1000000 samples" "$T/out"

# --- narrower than declared: warning, still assessed
expect 0 "only 4 of the declared 8 bits" "$E" noniid -q "$D/nist/bin/rand4_short.bin" 8

# --- versions
expect 0 "" "$N" --version
check "ea_non_iid --version names 1.1.7" grep -q "^noniid 1.1.7" "$T/out"
expect 0 "" "$E" --version

# --- drop-in: the reference's -v text and -o JSON, byte-for-byte shapes and
#     values, run inside data/vectors as the reference was
for v in restart_pass_4bit restart_iid_1bit; do
    (cd "$D/vectors" && "$N" -v -o "$T/$v.json" "$v.bin" >"$T/$v.txt" 2>"$T/$v.err")
    check "ea_non_iid -v $v exit status" test $? -eq 0
    check "ea_non_iid -v $v text matches the reference" "$JT" textcmp "$T/$v.txt" "$D/vectors/expected/$v.non_iid.txt"
    check "ea_non_iid -o $v JSON matches the reference" "$JT" nistcmp "$T/$v.json" "$D/vectors/expected/$v.non_iid.json"
done
check "commandline recorded" sh -c "'$JT' get '$T/restart_pass_4bit.json' commandline | grep -q 'ea_non_iid -v -o'"

# --- drop-in error JSON: errorLevel -1 and a message, as the reference writes
expect 1 "single symbol" sh -c "cd '$T' && '$N' -o '$T/err.json' constant.bin"
check "error JSON errorLevel" sh -c "'$JT' get '$T/err.json' errorLevel | grep -qx -- -1"

# --- -l window and -t truncation
expect 0 "" "$N" -q -l 0,5000 -o "$T/win.json" "$D/nist/bin/rand8_short.bin"
check "-l window is assessed" "$JT" get "$T/win.json" testCases.10.hAssessed
expect 0 "" "$E" noniid --json -t -o "$T/trunc.json" "$D/nist/bin/truerand_4bit.bin"
check "-t truncates the bitstring to 1000000 bits" sh -c "'$JT' get '$T/trunc.json' input.bitstring_bits | grep -qx 1000000"

# --- ea90b noniid --json: schema fields and the reference's final value
expect 0 "" "$E" noniid --json --threads 2 -o "$T/ea.json" "$D/vectors/restart_pass_4bit.bin"
for k in schema input.sha256 input.samples input.bits_per_symbol options.mode \
         estimators.literal.mcv.p_u estimators.bitstring.lz78y.C estimators.literal.lrs.v \
         results.h_original results.h_bitstring results.h_assessed; do
    check "--json has $k" "$JT" get "$T/ea.json" "$k"
done
want=$("$JT" get "$D/vectors/expected/restart_pass_4bit.non_iid.json" testCases.10.hAssessed)
got=$("$JT" get "$T/ea.json" results.h_assessed)
same "--json h_assessed equals the reference ($want)" "$want" "$got"
same "--json sha256 equals the reference" "$("$JT" get "$T/ea.json" input.sha256)" \
    "$("$JT" get "$D/vectors/expected/restart_pass_4bit.non_iid.json" sha256)"

# --- same numbers with 1 and 2 threads
ran "noniid --threads 1 run" "$E" noniid --json --threads 1 -o "$T/t1.json" "$D/nist/bin/truerand_4bit.bin"
ran "noniid --threads 2 run" "$E" noniid --json --threads 2 -o "$T/t2.json" "$D/nist/bin/truerand_4bit.bin"
for k in results estimators.literal.multi_mmc estimators.bitstring.lz78y.C \
         estimators.bitstring.t_tuple.p_u estimators.literal.lag.p_global_prime; do
    a=$("$JT" get "$T/t1.json" "$k" | sed 's/"seconds":[^,}]*//')
    b=$("$JT" get "$T/t2.json" "$k" | sed 's/"seconds":[^,}]*//')
    same "1 and 2 threads agree on $k" "$a" "$b"
done


# --- IID track: usage and data errors
I="$BIN/ea_iid"
expect 2 "--seed needs" "$E" iid --seed abc "$D/nist/bin/rand8_short.bin"
expect 2 "--seed applies to the IID track only" "$E" noniid --seed 5 "$D/nist/bin/rand8_short.bin"
expect 2 "--full applies to the IID track only" "$E" noniid --full "$D/nist/bin/rand8_short.bin"
expect 2 "missing sample file" "$E" iid
expect 2 "bits per symbol" "$I" "$D/nist/bin/rand8_short.bin" 0
expect 1 "single symbol" "$E" iid --seed 1 "$T/constant.bin"
expect 1 "cannot open" "$I" --seed 1 "$T/does-not-exist.bin"
expect 1 "does not fit" "$E" iid --seed 1 "$D/nist/bin/rand8_short.bin" 2

# --- IID: a drawn seed is printed and recorded; a given seed reproduces the run
expect 0 "permutation seed" "$E" iid --json -o "$T/iid_drawn.json" "$D/nist/bin/rand4_short.bin"
seed=$("$JT" get "$T/iid_drawn.json" options.seed)
check "drawn seed recorded" test -n "$seed"
same "drawn seed printed is the one recorded" "$(sed -n 's/.*permutation seed \([0-9]*\) (drawn.*/\1/p' "$T/err")" "$seed"
check "drawn seed recorded as seed_source getrandom" sh -c "'$JT' get '$T/iid_drawn.json' options.seed_source | grep -qx getrandom"
expect 0 "" "$E" iid --json --seed "$seed" -o "$T/iid_again.json" "$D/nist/bin/rand4_short.bin"
same "same seed, same permutation counts" "$("$JT" get "$T/iid_drawn.json" permutation)" "$("$JT" get "$T/iid_again.json" permutation)"
for mode in "" --full; do
    rm -f "$T/iid_t1.json" "$T/iid_t2.json"
    ran "iid ${mode:-decisive} --threads 1 run" "$E" iid --json $mode --seed 7 --threads 1 -o "$T/iid_t1.json" "$D/nist/bin/rand8_short.bin"
    ran "iid ${mode:-decisive} --threads 2 run" "$E" iid --json $mode --seed 7 --threads 2 -o "$T/iid_t2.json" "$D/nist/bin/rand8_short.bin"
    for k in permutation chi_square lrs_test min_entropy iid; do
        same "iid ${mode:-decisive}: 1 and 2 threads agree on $k" "$("$JT" get "$T/iid_t1.json" $k)" "$("$JT" get "$T/iid_t2.json" $k)"
    done
done
expect 0 "" "$E" iid --json --seed 7 "$D/nist/bin/rand8_short.bin"
cp "$T/out" "$T/iid_dec.json"
same "decisive and --full agree on the verdict" "$("$JT" get "$T/iid_t2.json" iid)" "$("$JT" get "$T/iid_dec.json" iid)"

# --- IID drop-in: reference JSON fields, seed on stderr, stdout as the reference's
expect 0 "permutation seed 11" "$I" --seed 11 -v -o "$T/ea_iid.json" "$D/nist/bin/rand1_short.bin"
check "ea_iid -v prints the count table" grep -q "C\[i\]\[0\]" "$T/out"
for k in IID testCases.0.passedChiSquareTests testCases.0.passedIidPermutationTests \
         testCases.0.passedLongestRepeatedSubstringTest testCases.0.permutationTestResults.2.compression seed; do
    check "ea_iid JSON has $k" "$JT" get "$T/ea_iid.json" "$k"
done
expect 0 "" "$I" --version
check "ea_iid --version names 1.1.7" grep -q "^iid 1.1.7" "$T/out"

# --- further cases, one file per area (restart, health, collector, report ...)
for part in "$ROOT"/tests/cli/parts/*.sh; do
    [ -f "$part" ] || continue
    . "$part"
done

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
