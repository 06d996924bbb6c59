# SPDX-License-Identifier: Apache-2.0
# ea90b iid --libbz2: the compression statistic computed by libbz2 itself gives the
# same counts and verdict as the default exact length model (sourced by run.sh).
for f in rand8_short rand1_short; do
    rm -f "$T/iid_model.json" "$T/iid_bz2.json"
    ran "$f: length-model run" "$E" iid --json --full --seed 9 -o "$T/iid_model.json" "$D/nist/bin/$f.bin"
    ran "$f: --libbz2 run" "$E" iid --json --full --seed 9 --libbz2 -o "$T/iid_bz2.json" "$D/nist/bin/$f.bin"
    check "$f: --libbz2 recorded" sh -c "'$JT' get '$T/iid_bz2.json' options.compression | grep -qx libbz2"
    for k in permutation iid; do
        same "$f: --libbz2 and the length model agree on $k" "$("$JT" get "$T/iid_model.json" $k)" "$("$JT" get "$T/iid_bz2.json" $k)"
    done
done
expect 2 "--libbz2 applies to the IID track only" "$E" noniid --libbz2 "$D/nist/bin/rand8_short.bin"

# --- a statistic without a finite value: 256 distinct bytes have no collision, so the
# average collision length (5.1.7) is undefined. Never printed as nan; JSON null + note;
# counts as the reference computes them (every comparison with NaN false: C2).
i=0; while [ $i -lt 256 ]; do printf "\\$(printf %03o $i)"; i=$((i + 1)); done >"$T/distinct.bin"
check "distinct.bin has 256 bytes" test "$(wc -c <"$T/distinct.bin")" -eq 256
expect 0 "" "$E" iid --seed 1 "$T/distinct.bin"
check "no collision: summary says n/a, not nan" sh -c "grep avgCollision '$T/out' | grep -q 'n/a.*no collision' && ! grep -qi nan '$T/out'"
check "no collision: decisive wording" grep -q "compression not needed, a cheap statistic already failed" "$T/out"
for v in "" -v -vv -vvv; do
    expect 0 "" "$BIN/ea_iid" --seed 1 $v "$T/distinct.bin"
    check "ea_iid $v: no nan printed" sh -c "! grep -qi nan '$T/out'"
done
check "ea_iid -vv: n/a (no collision)" grep -q "avgCollision = n/a (no collision)" "$T/out"
expect 0 "" "$E" iid --seed 1 --json -o "$T/distinct.json" "$T/distinct.bin"
check "no collision: JSON original is null" sh -c "'$JT' get '$T/distinct.json' permutation.statistics.6 | grep -q '\"original\": null'"
check "no collision: JSON says why" sh -c "'$JT' get '$T/distinct.json' permutation.statistics.6.original_note | grep -qx 'no collision: undefined'"
check "no collision: counts as the reference (C2 = 10000)" test "$("$JT" get "$T/distinct.json" permutation.statistics.6.C2)" = 10000

# --- --decisive exists for both dialects and is documented in --help
expect 0 "" "$BIN/ea_iid" --help
check "ea_iid --help lists --decisive" grep -q -- "--decisive" "$T/out"
expect 0 "" "$E" iid --help
check "ea90b iid --help lists --decisive and --version" sh -c "grep -q -- --decisive '$T/out' && grep -q -- --version '$T/out'"
expect 0 "" "$BIN/ea_iid" --decisive --seed 1 -v "$T/distinct.bin"
check "ea_iid --decisive skips compression when a cheap statistic failed" grep -Eq "compression\*? +0 +0 +0$" "$T/out"
expect 0 "" "$E" iid --full --decisive --json --seed 1 -o "$T/dec.json" "$T/distinct.bin"
check "--decisive after --full: scheduling decisive" sh -c "'$JT' get '$T/dec.json' options.scheduling | grep -qx decisive"
expect 2 "--decisive applies to the IID track only" "$E" noniid --decisive "$D/nist/bin/rand8_short.bin"

# --- -o is opened before the assessment: a bad path fails at once, nothing assessed
for cmd in "$E iid --seed 1" "$BIN/ea_iid --seed 1" "$E noniid" "$BIN/ea_non_iid"; do
    expect 1 "cannot create '$T/no/such/x.json'" $cmd -o "$T/no/such/x.json" "$D/nist/bin/rand1_short.bin"
    check "$cmd: unwritable -o: nothing printed on stdout" test ! -s "$T/out"
    check "$cmd: unwritable -o: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
    expect 2 "is a directory: give the name of the JSON file" $cmd -o "$T/" "$D/nist/bin/rand1_short.bin"
    expect 2 "is a directory" $cmd -o "$T" "$D/nist/bin/rand1_short.bin"
    check "$cmd: -o directory: nothing printed on stdout" test ! -s "$T/out"
done
check "no temporary files left by refused -o" sh -c "! ls '$T' | grep -q '\.tmp\.'"
expect 2 "-o needs a file name" "$E" iid --seed 1 -o "" "$D/nist/bin/rand1_short.bin"
# a failed run after -o was opened leaves nothing behind; the NIST dialect writes its error JSON
head -c 1000 /dev/zero >"$T/zero.bin"
expect 1 "single symbol" "$E" iid --seed 1 --json -o "$T/zero.json" "$T/zero.bin"
check "failed ea90b iid run wrote no JSON" test ! -e "$T/zero.json"
expect 1 "single symbol" "$BIN/ea_iid" --seed 1 -o "$T/zero_nist.json" "$T/zero.bin"
check "ea_iid error JSON written to the early-opened -o" "$JT" get "$T/zero_nist.json" errorLevel
check "no temporary files left by failed runs" sh -c "! ls '$T' | grep -q '\.tmp\.'"

# --- all-zero file without a width: says so, no "0 of the declared 1 bits"
expect 1 "(all samples are 0)" "$E" iid --seed 1 "$T/zero.bin"
check "all-zero: no '0 of the declared' warning" sh -c "! grep -q 'only 0 of the declared' '$T/err'"

# --- unknown options: one line naming the option, then the Try line
for prog in "$E iid" "$BIN/ea_iid" "$E noniid" "$BIN/ea_non_iid"; do
    name=${prog##*/}
    expect 2 "$name: invalid option: '--bogus'" $prog --bogus "$D/nist/bin/rand1_short.bin"
    check "$name --bogus: two lines (message, Try)" sh -c "test \$(wc -l <'$T/err') -eq 2 && grep -q \"^Try '$name --help'\" '$T/err'"
    expect 2 "$name: invalid option: '-z'" $prog -qz "$D/nist/bin/rand1_short.bin"
    expect 2 "$name: option needs a value: '--output'" $prog "$D/nist/bin/rand1_short.bin" --output
    expect 2 "$name: option takes no value: '--quiet'" $prog --quiet=1 "$D/nist/bin/rand1_short.bin"
done

# --- ea_iid prints as the reference does while it runs: its lines up to the unpermuted results
#     when the permutations start, at -v one progress line per permutation round (flushed),
#     then the count table; a run stopped early has already said where it was
VV="$D/vectors"
expect 0 "" sh -c "cd '$VV' && '$BIN/ea_iid' -v --seed 5 --threads 2 iid_bytes_4bit.bin"
cp "$T/out" "$T/iid_v.txt"
check "ea_iid -v: progress lines, as the reference prints them" \
    grep -Eq "^ *[0-9]+\.[0-9]{2}% of Permutation test rounds, +[0-9]+\.[0-9]{2}% of Permutation tests$" "$T/iid_v.txt"
check "ea_iid -v: progress between 'Beginning permutation tests' and the count table" sh -c \
    "awk '/^Beginning permutation tests/ { b = NR } /of Permutation test rounds/ { if (!b) exit 1; n++ } /statistic  C\\[i\\]\\[0\\]/ { t = NR } END { exit !(n > 0 && t > b) }' '$T/iid_v.txt'"
check "ea_iid -v: the last progress line has every statistic settled (IID data)" sh -c \
    "grep 'of Permutation test rounds' '$T/iid_v.txt' | tail -1 | grep -q '100.00% of Permutation tests'"
# textcmp ignores exactly those lines (the reference outputs had them removed); the random counts
# are dropped on both sides first; every other line must match the reference's
grep -Ev '^ +[A-Za-z(]' "$T/iid_v.txt" >"$T/iid_v_cmp.txt"
grep -Ev '^ +[A-Za-z(]' "$VV/expected/iid_bytes_4bit.iid.txt" >"$T/iid_ref_cmp.txt"
check "ea_iid -v: the reference's text once the progress lines are ignored (textcmp)" \
    "$JT" textcmp "$T/iid_v_cmp.txt" "$T/iid_ref_cmp.txt"
for v in "" -vv -q; do
    expect 0 "" "$BIN/ea_iid" $v --seed 5 --threads 2 "$VV/iid_bytes_4bit.bin"
    check "ea_iid ${v:-(default)}: no progress lines (the reference prints them at -v only)" sh -c "! grep -q 'of Permutation' '$T/out'"
done
check "ea_iid -v on non-IID data (all 10,000 rounds): a progress line is on stdout while it runs" \
    stop_when "of Permutation test rounds" "$T/iid_kill.txt" "$BIN/ea_iid" -v --seed 5 --threads 1 "$VV/noniid_ar_8bit.bin"
check "ea_iid -v killed at its first progress line: the lines before it are out" sh -c \
    "grep -q '^Calculating baseline statistics' '$T/iid_kill.txt' && grep -q '^\*\* Failed chi square tests' '$T/iid_kill.txt' && grep -q '^Beginning permutation tests' '$T/iid_kill.txt'"
expect 0 "" "$BIN/ea_iid" -v --decisive --seed 5 --threads 2 "$VV/iid_bytes_4bit.bin"
check "ea_iid -v --decisive: the compression statistic's unpermuted value is printed before the permutations" sh -c \
    "awk '/^ +compression: [0-9]/ { c = NR } /^Beginning permutation tests/ { b = NR } END { exit !(c && b && c < b) }' '$T/out'"
