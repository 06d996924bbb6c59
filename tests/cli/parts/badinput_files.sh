# SPDX-License-Identifier: Apache-2.0
# Bad input files (issue 12, item 3): a FIFO given as any input is refused at
# once ("not a regular file"), a collection never accepts symbolic links or a
# manifest whose counts overflow, manifest.json as a directory says so, and a
# file-size limit is a reported error, not a silent SIGXFSZ. Every case: one
# line, exit status 1, no result. Every command runs under `timeout` so a
# regression fails instead of hanging the suite. Sourced by tests/cli/run.sh
# after assess.sh ($ASD/c1 holds an assessed collection).
BF="$T/badfiles"
mkdir -p "$BF"
mkfifo "$BF/fifo"
TO="timeout 20"

# --- a FIFO as every kind of input file
expect 1 "not a regular file" $TO "$E" noniid "$BF/fifo"
expect 1 "not a regular file" $TO "$N" "$BF/fifo"
expect 1 "not a regular file" $TO "$E" iid --seed 1 "$BF/fifo"
expect 1 "not a regular file" $TO "$BIN/ea_iid" --seed 1 "$BF/fifo"
expect 1 "not a regular file" $TO "$E" restart -n "$BF/fifo" 8 1
expect 1 "not a regular file" $TO "$BIN/ea_restart" -n "$BF/fifo" 8 1
expect 1 "not a regular file" $TO "$E" transpose "$BF/fifo" "$BF/out.bin"
expect 1 "not a regular file" $TO "$E" health replay "$BF/fifo" --entropy 1
expect 1 "not a regular file" $TO "$BIN/ea_conditioning" -n -i "$BF/fifo" 512 256 256 300
expect 1 "not a regular file" $TO "$E" collect -q --source import --input "$BF/fifo" -o "$BF/imp"
printf '1\n2\n3\n' >"$BF/three.txt"
expect 1 "not a regular file" $TO "$E" collect -q --source import --input "$BF/three.txt" \
    --restart-input "$BF/fifo" --restarts 1x3 -o "$BF/imp2"
check "a refused import leaves no directory" sh -c "test ! -e '$BF/imp' && test ! -e '$BF/imp2'"
expect 1 "is not an executable file" $TO "$E" collect -q --source exec --samples 10 --no-restart -o "$BF/ex" -- "$BF/fifo"
expect 0 "" "$E" collect -q --samples 10000 --restarts 3x100 --restart-mode inproc -o "$BF/src"
cp -r "$BF/src" "$BF/col"
rm -f "$BF/col/manifest.json" && mkfifo "$BF/col/manifest.json"
expect 1 "not a regular file" $TO "$E" verify "$BF/col"
expect 1 "not a regular file" $TO "$E" assess --osr 3 --seed 1 "$BF/col"
rm -f "$BF/col/manifest.json" && mkdir "$BF/col/manifest.json"
expect 1 "manifest.json' is a directory" $TO "$E" verify "$BF/col"
check "'is a directory', not 'not valid JSON'" sh -c "! grep -q 'not valid JSON' '$T/err'"
rm -rf "$BF/col/manifest.json" && cp "$BF/src/manifest.json" "$BF/col/"
expect 0 "" "$E" verify "$BF/col"
cp "$BF/col/samples.bin" "$BF/samples-elsewhere.bin" && rm "$BF/col/samples.bin"
mkfifo "$BF/col/samples.bin"
expect 1 "samples.bin: not a regular file" $TO "$E" verify "$BF/col"
rm "$BF/col/samples.bin"

# --- symbolic links, even to identical files, are refused in a collection
ln -s "$BF/samples-elsewhere.bin" "$BF/col/samples.bin"
expect 1 "samples.bin: a symbolic link" "$E" verify "$BF/col"
rm "$BF/col/samples.bin" && cp "$BF/samples-elsewhere.bin" "$BF/col/samples.bin"
cp "$BF/col/manifest.json" "$BF/manifest-elsewhere.json" && rm "$BF/col/manifest.json"
ln -s "$BF/manifest-elsewhere.json" "$BF/col/manifest.json"
expect 1 "manifest.json: a symbolic link" "$E" verify "$BF/col"
rm "$BF/col/manifest.json" && cp "$BF/manifest-elsewhere.json" "$BF/col/manifest.json"
expect 0 "" "$E" verify "$BF/col"

# --- a sample count whose size overflows 64 bits
sed 's/"samples": 10000,/"samples": 2305843009213703952,/' "$BF/manifest-elsewhere.json" >"$BF/col/manifest.json"
check "the overflowing count was written" grep -q 2305843009213703952 "$BF/col/manifest.json"
expect 1 "does not match its size" "$E" verify "$BF/col"
cp "$BF/manifest-elsewhere.json" "$BF/col/manifest.json"

# --- a check report or baseline that is a FIFO (check: exit 2, it cannot judge)
expect 2 "is not a regular file" $TO "$E" check --min-entropy 0.1 "$BF/fifo"
expect 2 "is not a regular file" $TO "$E" check --min-entropy 0.1 --baseline "$BF/fifo" "$ASD/c1"

# --- a file-size limit: EFBIG reported, no SIGXFSZ death, nothing complete-looking
expect 1 "File too large" sh -c "ulimit -f 64; exec '$E' collect -q --samples 100000 --no-restart -o '$BF/big'"
check "file-size limit: no manifest" test ! -e "$BF/big/manifest.json"
expect 1 "File too large" sh -c "ulimit -f 1; exec '$E' noniid --json -o '$BF/big.json' '$D/nist/bin/rand8_short.bin'"
check "file-size limit: no partial JSON" sh -c "test ! -e '$BF/big.json' && ! ls '$BF' | grep -q 'big.json.tmp'"
