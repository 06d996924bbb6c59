# SPDX-License-Identifier: Apache-2.0
# ea90b transpose and ea_transpose: the restart matrix transpose (sourced by tests/cli/run.sh)
X="$BIN/ea_transpose"
RP="$D/vectors/restart_pass_4bit.bin"
head -c 999999 "$RP" >"$T/tr_short.bin"
cat "$RP" "$RP" >"$T/tr_two.bin"

expect 2 "needs FILE and OUTFILE" "$E" transpose "$RP"
expect 2 "too many operands" "$E" transpose "$RP" "$T/a" "$T/b"
expect 2 "-l needs a block index" "$X" -l x "$RP" "$T/a"
expect 2 "unknown option" "$X" -q "$RP" "$T/a"
expect 1 "must hold exactly 1000000 samples" "$E" transpose "$T/tr_short.bin" "$T/tr_out.bin"
check "no output left behind after an error" sh -c "[ ! -e '$T/tr_out.bin' ] && ! ls '$T' | grep -q 'tr_out.bin.'"
expect 1 "must hold exactly 1000000 samples" "$E" transpose "$T/tr_two.bin" "$T/tr_out.bin"
expect 1 "cannot open" "$E" transpose "$T/does-not-exist.bin" "$T/tr_out.bin"
expect 1 "starts past the end" "$X" -l 2 "$T/tr_two.bin" "$T/tr_out.bin"

expect 0 "" "$E" transpose "$RP" "$T/tr_col.bin"
check "output has 1000000 bytes" sh -c "[ \$(wc -c <'$T/tr_col.bin') -eq 1000000 ]"
expect 0 "" "$X" "$T/tr_col.bin" "$T/tr_back.bin"
check "transposing twice gives the input back" cmp "$RP" "$T/tr_back.bin"
same "element (row 1, col 0) moves to offset 1" "$(od -An -tu1 -j1000 -N1 "$RP")" "$(od -An -tu1 -j1 -N1 "$T/tr_col.bin")"
expect 0 "" "$X" -v -l 1 "$T/tr_two.bin" "$T/tr_blk.bin"
check "-l 1 reads the second block" cmp "$T/tr_col.bin" "$T/tr_blk.bin"
check "-v names the block" grep -q "reading block 1 of size 1000000" "$T/out"
expect 0 "" "$X" --version
check "ea_transpose --version names transpose 1.1.7" grep -q "^transpose 1.1.7" "$T/out"
# a short -l block: the error names the block
head -c 1500000 "$T/tr_two.bin" >"$T/tr_onehalf.bin"
expect 1 "block 1 of '$T/tr_onehalf.bin' (samples from 1000000 on) must hold exactly 1000000 samples" "$X" -l 1 "$T/tr_onehalf.bin" "$T/tr_out.bin"

# '--' ends the options: a file whose name starts with '-'
cp "$RP" "$T/-tr_dash.bin"
expect 0 "" sh -c "cd '$T' && '$E' transpose -- -tr_dash.bin tr_dash_out.bin"
same "transpose -- FILE: same output as without --" "$(od -An -tx1 -N64 "$T/tr_dash_out.bin")" "$(od -An -tx1 -N64 "$T/tr_col.bin")"
expect 2 "unknown option" sh -c "cd '$T' && '$E' transpose -tr_dash.bin tr_dash_out2.bin"
