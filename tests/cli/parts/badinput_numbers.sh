# SPDX-License-Identifier: Apache-2.0
# Numbers a lab would question (issue 12): too few samples for the non-IID estimators, and no
# "-0" anywhere (expect in run.sh fails on a negative zero on stdout). Sourced by run.sh.
BN="$T/badnum"
mkdir -p "$BN"
printf 'ab' >"$BN/two.bin"
printf 'abc' >"$BN/abc.bin"
printf '\000\001%.0s' $(seq 9) >"$BN/bin18.bin"                      # two symbols, 18 samples
cat "$BN/bin18.bin" >"$BN/bin19.bin"; printf '\000' >>"$BN/bin19.bin"
printf '\000\001\002\000\001\002\000\001\002' >"$BN/k3_9.bin"          # 2 bits x 9 = 18 bits
printf '\000\001\002\000\001\002\000\001\002\000' >"$BN/k3_10.bin"    # 2 bits x 10 = 20 bits
check "test files have the intended sizes" sh -c \
    "test \$(wc -c <'$BN/bin18.bin') -eq 18 && test \$(wc -c <'$BN/bin19.bin') -eq 19 && test \$(wc -c <'$BN/k3_9.bin') -eq 9"

# --- below the minimum NIST's tool aborts on (docs/estimators.md): refused, exit 1, one line,
#     nothing assessed (no H_original, no -0.000000)
for cmd in "$E noniid" "$N" "$N -v" "$N -c"; do
    expect 1 "'$BN/two.bin' holds 2 samples: too few for the non-IID estimators" $cmd "$BN/two.bin"
    check "$cmd two.bin: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
    check "$cmd two.bin: no result printed" sh -c "! grep -Eq 'H_original|H_bitstring|h.:|assessed|Estimate' '$T/out'"
done
expect 1 "which need at least 19 here (two symbols: LZ78Y's binary predictor needs 19" "$E" noniid "$BN/two.bin"
expect 1 "holds 2 samples: too few" "$N" -l 0,2 "$D/nist/bin/rand8_short.bin"
check "-l 0,2: nothing printed" sh -c "! grep -q H_original '$T/out'"
expect 1 "holds 2 samples: too few" "$E" noniid --json -l 0,2 "$D/nist/bin/rand8_short.bin"
check "--json -l 0,2: no JSON printed" test ! -s "$T/out"
expect 1 "too few" "$N" -o "$BN/two.json" "$BN/two.bin"
check "ea_non_iid -o: the reference's error JSON (errorLevel -1)" sh -c "'$JT' get '$BN/two.json' errorLevel | grep -qx -- -1"
check "ea_non_iid -o: the error JSON says why" sh -c "'$JT' get '$BN/two.json' errorMessage | grep -q 'Too few samples'"

# --- the boundaries: binary data needs 19 samples (LZ78Y asserts L > 18 in the reference);
#     more than two symbols 3 (Lag asserts L > 2), and a bitstring of 19 bits
expect 1 "holds 18 samples: too few for the non-IID estimators, which need at least 19" "$E" noniid "$BN/bin18.bin"
expect 0 "" "$E" noniid -q "$BN/bin19.bin"
expect 0 "" "$N" "$BN/abc.bin" 8
check "3 samples of 3 symbols, 8 bits: assessed" grep -q "^H_original: " "$T/out"
expect 1 "holds 9 samples: too few for the non-IID estimators, which need at least 10 here (a bitstring of at least 19 bits at 2 bits per sample" "$E" noniid "$BN/k3_9.bin"
expect 0 "" "$E" noniid -q "$BN/k3_10.bin"
expect 1 "which need at least 19 here (a bitstring of at least 19 bits at 1 bits per sample" "$N" -c "$BN/bin18.bin"
expect 0 "" "$N" -c "$BN/bin19.bin"

# --- no -0: an MCV estimate clamped at p_u = 1 is 0, printed as 0 (the reference prints -0)
{ head -c 999 /dev/zero; printf '\001'; } >"$BN/one_odd.bin"
expect 0 "" "$N" -v "$BN/one_odd.bin"
check "clamped MCV: H_original 0.000000" grep -qx "H_original: 0.000000" "$T/out"
expect 0 "" "$N" -vv "$BN/one_odd.bin"
expect 0 "" "$N" -o "$BN/one_odd.json" "$BN/one_odd.bin"
check "clamped MCV: no -0 in the -o JSON" sh -c "! grep -Eq \"\$1\" '$BN/one_odd.json'" sh "$NEGZERO"
expect 0 "" "$E" noniid "$BN/one_odd.bin"
expect 0 "" "$E" noniid --json "$BN/one_odd.bin"
expect 0 "" "$E" iid --seed 1 "$BN/one_odd.bin"
expect 0 "" "$E" iid --seed 1 --json "$BN/one_odd.bin"
expect 0 "" "$BIN/ea_iid" --seed 1 -vv "$BN/one_odd.bin"

# --- integers are decimal: a leading zero is not octal, 0x is refused
head -c 2000 "$D/vectors/iid_bytes_4bit.bin" >"$BN/s2000.bin"
expect 0 "permutation seed 10" "$E" iid --seed 010 "$BN/s2000.bin"
expect 0 "permutation seed 8" "$E" iid --seed 08 "$BN/s2000.bin"
expect 2 "--threads" "$E" noniid --threads 0x2 "$BN/s2000.bin"
expect 2 "" "$E" collect -o "$BN/c_hex" --samples 0x100
check "collect --samples 0x100 left nothing" test ! -e "$BN/c_hex"
