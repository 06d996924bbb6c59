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

# --- parameters out of range: exit 1, one line saying what is expected
expect 1 "n_in must be an integer from 1 to" "$E" conditioning 0 256 256 100
expect 1 "n_out must be an integer from 1 to" "$E" conditioning 512 -256 256 100
expect 1 "nw must be an integer from 1 to" "$E" conditioning 512 256 0 100
expect 1 "n_in must be an integer from 1 to" "$E" conditioning 4294967296 256 256 100
expect 1 "h_in must be greater than 0 and at most n_in (512)" "$E" conditioning 512 256 256 0
expect 1 "h_in must be greater than 0 and at most n_in (512)" "$E" conditioning 512 256 256 -1
expect 1 "h_in must be greater than 0 and at most n_in (512)" "$E" conditioning 512 256 256 512.5
expect 1 "not finite" "$E" conditioning 512 256 256 inf
expect 1 "h' must be greater than 0 and at most 1" "$E" conditioning -n 512 256 256 100 0
expect 1 "h' must be greater than 0 and at most 1" "$E" conditioning -n 512 256 256 100 1.01
expect 1 "cannot open" "$C" -n -i "$T/does-not-exist.bin" 512 256 256 100
expect 1 "is empty" "$C" -n -i "$T/empty.bin" 512 256 256 100
# the reference writes its error JSON for h_in out of range
expect 1 "h_in must be" "$C" -v 512 256 256 0 -o "$T/cond_err.json"
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

# --- a one-symbol file: h' from the bitstring in both modes, as the reference does
head -c 2000 /dev/zero | tr '\0' 'A' >"$T/cond_one.bin"
expect 0 "" "$C" -n -c iid -i "$T/cond_one.bin" 8 8 8 4
check "-c iid on one symbol: h' from the bitstring MCV" grep -q "^h' = 0\.4" "$T/out"
expect 0 "" "$C" -n -c non-iid -i "$T/cond_one.bin" 8 8 8 4
check "-c non-iid on one symbol: h' from the bitstring estimators, no error" grep -q "^h' = " "$T/out"
head -c 2000 /dev/zero >"$T/cond_zero.bin"
expect 0 "" "$E" conditioning -n -c non-iid -i "$T/cond_zero.bin" 8 8 8 4
check "a constant bitstring gives h' 0 (not -0)" grep -q "^  h' 0 (from" "$T/out"
# --- an unwritable -o fails before h' is estimated
expect 1 "cannot create '$T/nodir/c.json'" "$C" -n -c non-iid -i "$D/vectors/iid_bytes_4bit.bin" -o "$T/nodir/c.json" 512 256 256 300
check "unwritable -o: nothing on stdout (no work done)" test ! -s "$T/out"
expect 1 "cannot create" "$E" conditioning -o "$T/nodir/c.json" 512 256 256 300
# --- the limit named is the right one
expect 0 "" "$E" conditioning 1 1 1 1
check "1 1 1 1 is limited by the psi cap, not n_out" grep -q "limited by the psi cap (psi = 1, Output_Entropy 0)" "$T/out"
expect 0 "" "$E" conditioning 8 8 8 4
check "8 8 8 4 is limited by h_in" grep -q "limited by h_in" "$T/out"
