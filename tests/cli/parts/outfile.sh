# SPDX-License-Identifier: Apache-2.0
# Output files (issue 10): every -o, the report, check --junit go through one
# helper. A character device or a FIFO is written in place and never
# replaced, a write error is reported with exit 1, a directory is refused,
# and a failed write leaves no temporary. Sourced by tests/cli/run.sh after
# assess.sh and check.sh ($ASD/c1 holds an assessed collection).
#
# As root the tests use device nodes of their own (mknod in $T), so a
# regression cannot replace the machine's /dev/null; as another user
# /dev/null cannot be replaced anyway.
if [ "$(id -u)" = 0 ] && mknod "$T/devnull" c 1 3 2>/dev/null && mknod "$T/devfull" c 1 7 2>/dev/null; then
    NUL="$T/devnull" FULL="$T/devfull"
else
    NUL=/dev/null FULL=/dev/full
fi
S8="$D/nist/bin/rand8_short.bin"
RPO="$D/vectors/restart_pass_4bit.bin"

# --- a device given as -o: written in place, still a device afterwards
expect 0 "" "$N" -q -o "$NUL" "$S8"
check "ea_non_iid -o DEVICE: still a character device" test -c "$NUL"
expect 0 "" "$E" noniid --json -o "$NUL" "$S8"
expect 0 "" "$E" iid --seed 1 --json -o "$NUL" "$D/nist/bin/rand1_short.bin"
expect 0 "" "$E" transpose "$RPO" "$NUL"
expect 0 "" "$BIN/ea_transpose" "$RPO" "$NUL"
expect 0 "" "$BIN/ea_conditioning" -q -n 1024 256 512 300 0.5 -o "$NUL"
expect 0 "" "$E" health replay "$D/vectors/iid_bytes_4bit.bin" --entropy 4 -o "$NUL"
expect 0 "" "$E" check --min-entropy 0.5 --junit "$NUL" "$ASD/c1"
check "every -o DEVICE left it a character device" test -c "$NUL"

# --- a full device: the write error is reported, the command fails
expect 1 "No space left on device" "$N" -q -o "$FULL" "$S8"
expect 1 "No space left on device" "$E" noniid --json -o "$FULL" "$S8"
expect 1 "No space left on device" "$E" transpose "$RPO" "$FULL"
expect 1 "No space left on device" "$BIN/ea_transpose" "$RPO" "$FULL"
expect 1 "No space left on device" "$BIN/ea_conditioning" -q -n 1024 256 512 300 0.5 -o "$FULL"
check "a full device stays a character device" test -c "$FULL"

# --- a FIFO: written in place for its reader, still a FIFO afterwards
mkfifo "$T/fifo"
timeout 20 cat "$T/fifo" >"$T/fifo.out" &   # a reader that cannot hang the suite
fpid=$!
expect 0 "" "$E" noniid --json -o "$T/fifo" "$S8"
wait $fpid
check "the FIFO's reader got the JSON" grep -q '"h_assessed"' "$T/fifo.out"
check "the FIFO is still a FIFO" test -p "$T/fifo"
check "no temporary beside the FIFO" sh -c "! ls '$T' | grep -q '^fifo\.tmp\.'"

# --- a directory is refused, and a failed write leaves no temporary
mkdir -p "$T/outdir"
expect 2 "is a directory" "$E" noniid --json -o "$T/outdir" "$S8"
expect 1 "is a directory" "$E" transpose "$RPO" "$T/outdir"
check "the directory is untouched" test -d "$T/outdir"
check "no temporary after a refused -o" sh -c "! ls -A '$T/outdir' '$T' | grep -q '\.tmp\.'"

# --- a symbolic link to a regular file: the file is replaced, the link stays
printf 'old\n' >"$T/target.json"
ln -s "$T/target.json" "$T/link.json"
expect 0 "" "$E" noniid --json -o "$T/link.json" "$S8"
check "-o LINK: the link stays a link" test -L "$T/link.json"
check "-o LINK: its target holds the result" grep -q '"h_assessed"' "$T/target.json"
