# SPDX-License-Identifier: Apache-2.0
# ea90b conditioning and ea_conditioning: SP 800-90B 3.1.5 (sourced by tests/cli/run.sh)
C="$BIN/ea_conditioning"

# --- usage errors: exit 2
expect 2 "vetted needs n_in n_out nw h_in" "$E" conditioning 512 256 256
expect 2 "non-vetted needs h' or -i FILE" "$E" conditioning -n 512 256 256 100
expect 2 "not both" "$E" conditioning -n -i "$D/vectors/iid_bytes_4bit.bin" 512 256 256 100 0.5
expect 2 "too many operands" "$E" conditioning -n 512 256 256 100 0.5 7
expect 2 "h_in must be a number" "$E" conditioning 512 256 256 abc
expect 2 "n_in must be an integer" "$E" conditioning 5x12 256 256 100
expect 2 "-c needs 'iid' or 'non-iid'" "$C" -n -c maybe -i "$D/vectors/iid_bytes_4bit.bin" 512 256 256 100
expect 2 "unknown option" "$C" -x 512 256 256 100
expect 2 "option needs a value" "$C" -v 512 256 256 100 -o

# --- parameters out of range: a usage error (exit 2), one line saying what is expected,
#     nothing on stdout; in both dialects
for cmd in "$E conditioning" "$C"; do
    name=${cmd##*/}
    expect 2 "n_in must be an integer from 1 to" $cmd 0 256 256 100
    expect 2 "n_out must be an integer from 1 to" $cmd 512 -256 256 100
    expect 2 "nw must be an integer from 1 to" $cmd 512 256 0 100
    expect 2 "n_in must be an integer from 1 to" $cmd 4294967296 256 256 100
    expect 2 "h_in must be greater than 0 and at most n_in (512)" $cmd 512 256 256 0
    expect 2 "h_in must be greater than 0 and at most n_in (512)" $cmd 512 256 256 -1
    expect 2 "h_in must be greater than 0 and at most n_in (512)" $cmd 512 256 256 512.5
    expect 2 "not finite" $cmd 512 256 256 inf
    expect 2 "h' must be greater than 0 and at most 1" $cmd -n 512 256 256 100 0
    expect 2 "h' must be greater than 0 and at most 1" $cmd -n 512 256 256 100 1.01
    check "$name: out of range: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
    check "$name: out of range: nothing on stdout" test ! -s "$T/out"
done
expect 1 "cannot open" "$C" -n -i "$T/does-not-exist.bin" 512 256 256 100
expect 1 "is empty" "$C" -n -i "$T/empty.bin" 512 256 256 100
# the reference writes its error JSON for h_in out of range
expect 2 "h_in must be" "$C" -v 512 256 256 0 -o "$T/cond_err.json"
check "ea_conditioning error JSON has errorLevel -1" sh -c "'$JT' get '$T/cond_err.json' errorLevel | grep -qx -- -1"

# --- results
expect 0 "" "$C" -v 1024 256 512 400
check "vetted full-entropy line" grep -q "^epsilon = 2^(-151.47123362705510" "$T/out"
check "precision line as the reference" grep -qx "Attempting to compute entropy with 2048 bits of precision." "$T/out"
expect 0 "" "$C" -q -n 1024 256 512 300 0.5 -o "$T/cond.json"
check "quiet prints only the precision line" sh -c "[ \$(wc -l <'$T/out') -eq 1 ]"
check "NIST JSON h_out" sh -c "'$JT' get '$T/cond.json' testCases.0.h_out | grep -qx '128\(\.0*\)\{0,1\}'"
check "NIST JSON type" sh -c "'$JT' get '$T/cond.json' type | grep -qx Conditioning"
expect 0 "" "$E" conditioning --json -n 2048 1024 1024 1030 0.7
check "ea90b JSON limited_by" sh -c "grep -q '\"limited_by\": \"h. \\* n_out\"' '$T/out'"
expect 0 "" "$E" conditioning 512 256 256 170.666667
check "ea90b summary names the limit" grep -q "limited by h_in" "$T/out"
# h' from conditioned output data (IID track: bitstring MCV)
expect 0 "" "$C" -n -c iid -i "$D/vectors/iid_bytes_4bit.bin" 512 256 256 300 -o "$T/cond_i.json"
check "-i records the file's sha256" sh -c "'$JT' get '$T/cond_i.json' sha256 | grep -q '^[0-9a-f]\{64\}\$'"
check "-i gives h' in (0, 1]" sh -c "grep -q \"^h' = 0\\.9\" '$T/out'"
expect 0 "" "$C" --version
check "ea_conditioning --version names conditioning 1.1.7" grep -q "^conditioning 1.1.7" "$T/out"

# --- h' from data is refused where ea_non_iid refuses the file: one symbol (NIST's tool would
#     estimate the bits of a stuck output), or too few samples; same message, exit 1, no result
head -c 2000 /dev/zero | tr '\0' 'A' >"$T/cond_one.bin"
head -c 2000 /dev/zero >"$T/cond_zero.bin"
printf 'ab' >"$T/cond_two.bin"
for f in cond_one cond_zero cond_two; do
    expect 1 "'$T/$f.bin' holds " "$N" -c "$T/$f.bin"
    cwant=$(sed -n "s/^ea_non_iid: //p" "$T/err")
    for c in iid non-iid; do
        for cmd in "$C" "$E conditioning"; do
            expect 1 "'$T/$f.bin' holds " $cmd -n -c $c -i "$T/$f.bin" 8 8 8 4
            same "$f, ${cmd##*/} -c $c: refused as ea_non_iid -c refuses it" "$cwant" "$(sed 's/^[^:]*: //' "$T/err")"
            check "$f, ${cmd##*/} -c $c: one line, no h' printed" \
                sh -c "test \$(wc -l <'$T/err') -eq 1 && ! grep -q \"h'\" '$T/out'"
        done
    done
done
expect 1 "too few for the non-IID estimators, which need at least 3 here" "$C" -n -i "$T/cond_two.bin" 8 8 8 4 -o "$T/cond_two.json"
check "ea_conditioning: too short: error JSON" sh -c "'$JT' get '$T/cond_two.json' errorLevel | grep -qx -- -1"
expect 1 "single symbol" "$C" -n -i "$T/cond_one.bin" 8 8 8 4 -o "$T/cond_one.json"
check "ea_conditioning: one symbol: error JSON" sh -c "'$JT' get '$T/cond_one.json' errorMessage | grep -q '1 symbol'"
printf 'abc' >"$T/cond_three.bin"
expect 0 "" "$C" -n -c iid -i "$T/cond_three.bin" 8 8 8 4
check "three 8-bit samples (24 bits) are enough for h'" grep -q "^h' = " "$T/out"
# --- an unwritable -o fails before h' is estimated
expect 1 "cannot create '$T/nodir/c.json'" "$C" -n -c non-iid -i "$D/vectors/iid_bytes_4bit.bin" -o "$T/nodir/c.json" 512 256 256 300
check "unwritable -o: nothing on stdout (no work done)" test ! -s "$T/out"
expect 1 "cannot create" "$E" conditioning -o "$T/nodir/c.json" 512 256 256 300
# --- the limit named is the right one
expect 0 "" "$E" conditioning 1 1 1 1
check "1 1 1 1 is limited by the psi cap, not n_out" grep -q "limited by the psi cap (psi = 1, Output_Entropy 0)" "$T/out"
expect 0 "" "$E" conditioning 8 8 8 4
check "8 8 8 4 is limited by h_in" grep -q "limited by h_in" "$T/out"
# --- n_in = 1: psi = P_low + P_high = 1, Output_Entropy 0; the reference prints it as -0
#     (it negates log2(1)), we print 0 in every dialect and in the JSON (expect rejects a -0 on stdout)
expect 0 "" "$C" -v 1 1 1 1 -o "$T/cond_1111.json"
check "ea_conditioning 1 1 1 1: Output_Entropy 0" grep -qx "Output_Entropy(\*) = 0" "$T/out"
check "ea_conditioning 1 1 1 1: h_out 0" grep -qx "(Vetted) h_out = 0" "$T/out"
check "ea_conditioning 1 1 1 1: -o JSON h_out is 0" sh -c "'$JT' get '$T/cond_1111.json' testCases.0.h_out | grep -qx 0"
check "ea_conditioning 1 1 1 1: no -0 in the -o JSON" sh -c "! grep -Eq \"\$1\" '$T/cond_1111.json'" sh "$NEGZERO"
expect 0 "" "$C" -n 1 1 1 1 0.5
check "ea_conditioning -n 1 1 1 1 0.5: h_out 0" grep -qx "(Non-vetted) h_out = 0" "$T/out"
expect 0 "" "$E" conditioning --json 1 1 1 1
check "ea90b conditioning --json 1 1 1 1: h_out 0" sh -c "grep -q '\"h_out\": 0.0' '$T/out'"
expect 0 "" "$E" conditioning 1 8 8 1
check "ea90b conditioning 1 8 8 1: n_out 2^0 short of n_out, not 2^-0" grep -q "n_out 2^0)" "$T/out"

# --threads=N as the getopt commands take it
expect 0 "" "$E" conditioning --threads=2 512 256 256 170.666667
cp "$T/out" "$T/cond_eq.out"
expect 0 "" "$E" conditioning --threads 2 512 256 256 170.666667
check "conditioning: --threads=2 is --threads 2" cmp -s "$T/cond_eq.out" "$T/out"
expect 2 "--threads needs a number from 1 to 64" "$E" conditioning --threads= 512 256 256 170.666667
