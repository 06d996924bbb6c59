# SPDX-License-Identifier: Apache-2.0
# ea90b restart and ea_restart: SP 800-90B 3.1.4 restart tests (sourced by tests/cli/run.sh)
R="$BIN/ea_restart"
V="$D/vectors"
head -c 999999 "$V/restart_pass_4bit.bin" >"$T/short_restart.bin"
head -c 1000000 /dev/zero >"$T/const_restart.bin"

# --- usage errors: exit 2
expect 2 "missing sample file and H_I" "$E" restart
expect 2 "missing H_I" "$E" restart "$V/restart_pass_4bit.bin"
expect 2 "H_I must be a number" "$E" restart "$V/restart_pass_4bit.bin" 4 one
expect 2 "bits per symbol" "$E" restart "$V/restart_pass_4bit.bin" 9 1.0
expect 2 "too many operands" "$E" restart "$V/restart_pass_4bit.bin" 4 1.0 extra
expect 2 "--rounds needs" "$E" restart --rounds 10 "$V/restart_pass_4bit.bin" 4 1.0
expect 2 "--threads needs" "$E" restart --threads 0 "$V/restart_pass_4bit.bin" 4 1.0
expect 2 "unknown option" "$E" restart --bogus "$V/restart_pass_4bit.bin" 4 1.0
expect 2 "-s needs a simulation count" "$R" -s 1000 "$V/restart_pass_4bit.bin" 4 1.0
expect 0 "" "$R" --version
check "ea_restart --version names restart 1.1.7" grep -q "^restart 1.1.7" "$T/out"

# --- bad data: exit 1, one line saying what is expected
expect 1 "must hold exactly 1000000" "$E" restart "$T/short_restart.bin" 4 1.0
# --- H_I outside its range: a usage error (exit 2), one line
expect 2 "greater than 0 and at most the 4 bits" "$E" restart "$V/restart_pass_4bit.bin" 4 4.5
expect 2 "greater than 0 and at most" "$E" restart "$V/restart_pass_4bit.bin" 4 0
expect 2 "greater than 0 and at most" "$E" restart -- "$V/restart_pass_4bit.bin" 4 -1
expect 1 "single symbol" "$E" restart "$T/const_restart.bin" 1.0
expect 1 "cannot" "$E" restart "$T/missing.bin" 1.0
expect 1 "must hold exactly 1000000" "$R" -o "$T/short.json" "$T/short_restart.bin" 4 1.0
check "ea_restart error JSON says why" sh -c "'$JT' get '$T/short.json' errorMessage | grep -q 'does not contain 1000000 samples'"
check "ea_restart error JSON is type Restart" sh -c "'$JT' get '$T/short.json' type | grep -qx Restart"

# --- the drop-in: reference lines and JSON (exact cutoff 408 where the reference printed 407)
expect 0 "" sh -c "cd '$V' && '$R' -n -v --threads 2 -o '$T/p4.json' restart_pass_4bit.bin 4 1.562214"
check "ea_restart -v prints the reference's lines" sh -c "grep -v '^ALPHA' '$T/out' > '$T/p4.txt'; grep -v '^ALPHA' '$V/expected/restart_pass_4bit.restart.txt' | diff - '$T/p4.txt'"
check "ea_restart prints the exact cutoff" grep -qx "ALPHA: 5.0251553006530614e-06, X_cutoff: 408" "$T/out"
same "ea_restart -o Overall h_c" "$("$JT" get "$T/p4.json" testCases.7.h_c)" "$("$JT" get "$V/expected/restart_pass_4bit.restart.json" testCases.7.h_c)"
expect 0 "" "$R" -q --threads 2 "$V/restart_pass_4bit.bin" 4 1.562214
check "ea_restart -q prints only H_I" sh -c "test \"\$(cat '$T/out')\" = 'H_I: 1.562214'"
expect 1 "sanity check failed: X_max 840 > cutoff 766" sh -c "cd '$V' && '$R' -n -v -o '$T/f8.json' restart_fail_8bit.bin 8 0.506363"
check "ea_restart sanity failure text" diff "$V/expected/restart_fail_8bit.restart.txt" "$T/out"
check "ea_restart sanity failure JSON" sh -c "'$JT' get '$T/f8.json' errorMessage | grep -qx 'Restart Sanity Check Failed.'"

# --- ea90b restart: summary, --json, validation failure, --simulate
expect 0 "" "$E" restart -i --threads 2 "$V/restart_iid_1bit.bin" 1 0.733227
check "summary names the exact cutoff" grep -q "cutoff   669, exact" "$T/out"
check "summary gives the result" grep -q "min(H_r, H_c, H_I) = 0.733227" "$T/out"
expect 0 "" "$E" restart -i --json --threads 2 "$V/restart_iid_1bit.bin" 1 0.733227
cp "$T/out" "$T/i1.json"
for k in sanity.cutoff sanity.tail_prob sanity.x_max sanity.row_max.999 sanity.col_max.0 validation.h_r validation.h_c results.passed results.h_min input.sha256; do
    check "--json has $k" "$JT" get "$T/i1.json" "$k"
done
check "--json cutoff_method exact" sh -c "'$JT' get '$T/i1.json' sanity.cutoff_method | grep -qx exact"
# --simulate itself (1e9 draws) is exercised by the unit tests; here only its options
expect 2 "--seed needs" "$E" restart --simulate --seed x "$V/restart_iid_1bit.bin" 1 0.733227

# --- a negative H_I is an operand (range error, exit 2, one line), not an option
expect 2 "H_I must be greater than 0 and at most the 4 bits per symbol, got -1" "$E" restart "$V/restart_pass_4bit.bin" 4 -1
check "negative H_I: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
expect 2 "got -0.5" "$R" "$V/restart_pass_4bit.bin" 4 -.5
check "ea_restart negative H_I: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
expect 2 "ea90b restart: unknown option '-x' (try 'ea90b restart --help')" "$E" restart -x "$V/restart_pass_4bit.bin" 4 1
check "unknown option: one line" test "$(wc -l <"$T/err")" -eq 1
expect 2 "ea_restart: unknown option '-z'" "$R" -z "$V/restart_pass_4bit.bin" 4 1
check "ea_restart unknown option: one line" test "$(wc -l <"$T/err")" -eq 1
expect 2 "option '-o' needs a value" "$E" restart "$V/restart_pass_4bit.bin" 4 1 -o
expect 0 "" "$E" restart -q --threads 1 -i "$V/restart_iid_1bit.bin" 1 -- 0.5
# --- an unwritable -o fails before any work is done (and leaves nothing behind)
expect 1 "cannot create '$T/nodir/x.json'" "$E" restart -o "$T/nodir/x.json" "$V/restart_pass_4bit.bin" 4 1
check "unwritable -o: nothing on stdout (no work done)" test ! -s "$T/out"
expect 1 "cannot create" "$R" -o "$T/nodir/x.json" "$V/restart_pass_4bit.bin" 4 1
check "ea_restart unwritable -o: nothing on stdout" test ! -s "$T/out"

# --- ea90b restart -i also runs the chi-square and LRS tests (section 5.2) on rows and columns
expect 0 "" "$E" restart -i --threads 2 "$V/restart_iid_1bit.bin" 1 0.5
check "-i: IID verdicts in the summary" grep -q 'IID tests (section 5.2): rows chi-square passed, LRS passed; columns chi-square passed, LRS passed' "$T/out"
check "-i --json: IID tests recorded" sh -c "'$JT' get '$T/i1.json' validation.iid_tests.passed | grep -qx true"
printf 'abcdefghijklmnop' >"$T/per16.bin"
for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do cat "$T/per16.bin" "$T/per16.bin" >"$T/per16.tmp"; mv "$T/per16.tmp" "$T/per16.bin"; done
head -c 1000000 "$T/per16.bin" >"$T/periodic_restart.bin"
expect 0 "the IID assumption (-i) does not hold for the restart data" "$E" restart -i --threads 2 -o "$T/per.json" "$T/periodic_restart.bin" 1
check "periodic data: IID tests fail, warning in the summary" grep -q "^WARNING  the IID assumption (-i) does not hold" "$T/out"
check "periodic data: warning in JSON" sh -c "'$JT' get '$T/per.json' validation.iid_tests.warning | grep -q 'does not hold'"
check "periodic data: the result stays MCV-based" sh -c "'$JT' get '$T/per.json' results.passed | grep -qx true"

# --- H_I = 0: the message says what H_I must be (not only "at most bits_per_symbol"), in both
#     dialects, on stdout (drop-in), stderr and in the error JSON; exit 2, no result
expect 2 "ea_restart: H_I must be greater than 0 and at most the 4 bits per symbol, got 0" "$R" -o "$T/hi0.json" "$V/restart_pass_4bit.bin" 4 0
check "ea_restart H_I 0: the stdout line says greater than 0" grep -qx "H_I (0.000000) must be greater than 0 and at most 'bits_per_symbol' (4)." "$T/out"
check "ea_restart H_I 0: no 'H_I:' result line" sh -c "! grep -q '^H_I:' '$T/out'"
check "ea_restart H_I 0: error JSON says greater than 0" sh -c "'$JT' get '$T/hi0.json' errorMessage | grep -qF 'must be greater than 0 and at most'"
# --- an H_I the output cannot show (below 0.000001, printed as 0.000000 by %f): refused, exit 2
for h in 1e-300 4e-07 9e-07; do
    for cmd in "$E restart" "$R"; do
        expect 2 "H_I must be at least 1e-06: the output prints H_I with 6 decimals, where $h shows as 0.000000" $cmd "$V/restart_pass_4bit.bin" 4 $h
        check "${cmd##*/} H_I $h: one line, no H_I printed" sh -c "test \$(wc -l <'$T/err') -eq 1 && ! grep -q '^H_I: 0.000000' '$T/out'"
    done
done
expect 0 "" "$R" -q --threads 2 "$V/restart_iid_1bit.bin" 1 0.000001
check "the smallest H_I accepted prints as itself" sh -c "test \"\$(cat '$T/out')\" = 'H_I: 0.000001'"
expect 0 "" "$R" --help
check "ea_restart --help gives H_I's range and the exit statuses" sh -c "grep -q '0.000001 <= H_I <= bits_per_symbol' '$T/out' && grep -q '2 usage' '$T/out'"

# --- ea_restart -i -v prints as it goes, as the reference: everything up to the rows'
#     permutation test, one progress line per permutation round (flushed), then the rest
expect 0 "" sh -c "cd '$V' && '$R' -i -v --seed 3 --threads 2 restart_iid_1bit.bin 1 0.733227"
cp "$T/out" "$T/ri_v.txt"
check "ea_restart -i -v: progress lines" grep -Eq "^ *[0-9]+\.[0-9]{2}% of Permutation test rounds, +[0-9]+\.[0-9]{2}% of Permutation tests$" "$T/ri_v.txt"
check "ea_restart -i -v: progress lines for rows and columns, each after its unpermuted results" sh -c \
    "awk '/^Beginning permutation tests/ { b++ } /of Permutation test rounds/ { if (b == 0) exit 1; p[b]++ } END { exit !(b == 2 && p[1] > 0 && p[2] > 0) }' '$T/ri_v.txt'"
# textcmp ignores exactly the progress lines (the reference outputs had them removed); the
# random permutation counts and the unpermuted statistics (the reference's column test ran on the
# rows, its PR #250) are dropped on both sides first: every other line must match
grep -Ev '^ +[A-Za-z(]' "$T/ri_v.txt" >"$T/ri_v_cmp.txt"
grep -Ev '^ +[A-Za-z(]' "$V/expected/restart_iid_1bit.restart.txt" >"$T/ri_ref_cmp.txt"
check "ea_restart -i -v: the reference's text once the progress lines are ignored (textcmp)" \
    "$JT" textcmp "$T/ri_v_cmp.txt" "$T/ri_ref_cmp.txt"
check "ea_restart -i -v: progress lines are in what textcmp compared" grep -q "of Permutation test rounds" "$T/ri_v_cmp.txt"
sed '0,/of Permutation test rounds/s/of Permutation tests$/of Permutation tests, almost/' "$T/ri_v_cmp.txt" >"$T/ri_v_near.txt"
check "textcmp ignores only the exact progress lines: a near miss is an extra line" sh -c \
    "! '$JT' textcmp '$T/ri_v_near.txt' '$T/ri_ref_cmp.txt' >/dev/null 2>&1"
expect 0 "" sh -c "cd '$V' && '$R' -i --seed 3 --threads 2 restart_iid_1bit.bin 1 0.733227"
check "ea_restart -i (default verbosity): no progress lines, as the reference" sh -c "! grep -q 'of Permutation' '$T/out' && grep -q '^min(H_r, H_c, H_I): 0.733227' '$T/out'"
# a run stopped early has already said where it was (the lines were flushed as printed)
check "ea_restart -i -v: a progress line is on stdout while it runs" \
    stop_when "of Permutation test rounds" "$T/ri_kill.txt" "$R" -i -v --seed 3 --threads 1 "$V/restart_iid_1bit.bin" 1 0.733227
check "ea_restart -i -v killed at its first progress line: the lines before it are out" sh -c \
    "grep -q '^H_I: 0.733227' '$T/ri_kill.txt' && grep -q '^X_max: ' '$T/ri_kill.txt' && grep -q 'Initial test results' '$T/ri_kill.txt'"
# "H_I:" comes first, before the cutoff is computed, as the reference prints it (a long -s
# simulation stopped early has said which H_I it was testing)
check "ea_restart -s: 'H_I:' is on stdout while the simulation runs" \
    stop_when "^H_I: " "$T/rs_kill.txt" "$R" -n --seed 1 --threads 1 -s 1000000000000 "$V/restart_pass_4bit.bin" 4 1.562214
check "ea_restart -s killed during the simulation: only 'H_I:' so far" test "$(cat "$T/rs_kill.txt")" = "H_I: 1.562214"
