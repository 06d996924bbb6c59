# SPDX-License-Identifier: Apache-2.0
# ea90b collect / ea90b verify (issue 5): usage and data errors, an end-to-end
# collection small enough for CI, verify catching a modified file, --resume
# after an interrupted run, import with hand-computed extraction.
# Sourced by tests/cli/run.sh ($E, $T, $JT, expect, check).

C="$T/col"
# ea90b collect with the engine's crash-test hooks (tests/tools/collect_hooks.c);
# the shipped ea90b has no kill switches
H="$(dirname "$JT")/collect_hooks"

# --- usage errors: exit 2
expect 2 "missing output directory" "$E" collect
expect 2 "unknown option: '--frobnicate'" "$E" collect --frobnicate -o "$C"
check "collect: an unknown option is one line and the hint, not getopt's own message" \
    sh -c "[ \$(wc -l <'$T/err') -eq 2 ] && ! grep -q 'unrecognized' '$T/err'"
expect 2 "option needs a value: '--samples'" "$E" collect -o "$C" --samples
expect 2 "--samples needs a positive count" "$E" collect --samples 0 -o "$C"
expect 2 "--samples needs a positive count" "$E" collect --samples 12x -o "$C"
expect 2 "--samples needs a positive count" "$E" collect --samples -5 -o "$C"
expect 2 "--restarts needs RxC" "$E" collect --restarts 1000 -o "$C"
expect 2 "--restarts needs RxC" "$E" collect --restarts 0x1000 -o "$C"
expect 2 "--restarts needs RxC" "$E" collect --restarts 10xten -o "$C"
expect 2 "--mask needs a mask with 1 to 8 bits" "$E" collect --mask 0 -o "$C"
expect 2 "--mask needs a mask with 1 to 8 bits" "$E" collect --mask 0x1FF -o "$C"
expect 2 "--mask needs a mask with 1 to 8 bits" "$E" collect --mask zz -o "$C"
expect 2 "in hexadecimal" "$E" collect --mask 0x -o "$C"
expect 2 "in hexadecimal" "$E" collect --mask -1 -o "$C"
expect 2 "0x1ff has 9" "$E" collect --mask 1FF -o "$C"
expect 2 "wider than 64 bits" "$E" collect --mask 0x10000000000000001 -o "$C"
expect 2 "--source needs" "$E" collect --source rdrand -o "$C"
expect 2 "--restart-mode needs" "$E" collect --restart-mode thread -o "$C"
expect 2 "--memory-bits needs" "$E" collect --memory-bits 99 -o "$C"
expect 2 "--hash-loops needs" "$E" collect --hash-loops 0 -o "$C"
expect 2 "needs --input" "$E" collect --source import -o "$C"
expect 2 "apply to --source jent only" "$E" collect --source memtouch --hash-loops 2 -o "$C"
expect 2 "unexpected operand" "$E" collect -o "$C" extra
expect 2 "contradict" "$E" collect --resume --force -o "$C"
for o in --stop-after-restarts --kill-after-restarts --kill-in-finish --restart-child; do
    expect 2 "unknown option" "$E" collect "$o" 4 -o "$C"
done
expect 2 "unknown option" "$E" collect --kill-in-finish before-manifest -o "$C"
expect 2 "missing collection directory" "$E" verify
expect 2 "unknown option" "$E" verify --frobnicate "$C"
check "no directory created by usage errors" test ! -e "$C"
expect 0 "" "$E" collect --help
for o in -o --samples --restarts --no-restart --restart-mode --source --timer --memory-bits \
         --hash-loops --input --mask --divide-gcd --text --cpu --force --resume; do
    check "collect --help lists $o" grep -q -- "$o" "$T/out"
done

# --- data errors: exit 1
mkdir "$T/full" && echo x >"$T/full/keep"
expect 1 "is not empty" "$E" collect --samples 100 --no-restart -o "$T/full"
check "a refused directory is left alone" test "$(ls "$T/full")" = keep
: >"$T/plainfile"
expect 1 "cannot create output directory" "$E" collect --samples 100 --no-restart -o "$T/plainfile/sub"
expect 1 "not a directory" "$E" collect --samples 100 --no-restart -o "$T/plainfile"
printf '12\n34\nfive\n78\n' >"$T/bad.txt"
expect 1 "line 3" "$E" collect --source import --input "$T/bad.txt" -o "$T/imp_bad"
check "a failed import leaves no directory" test ! -e "$T/imp_bad"
expect 1 "No such file" "$E" collect --source import --input "$T/missing.txt" -o "$T/imp_bad"
expect 1 "no manifest.json" "$E" verify "$T/full"
expect 1 "--resume: no interrupted collection" "$E" collect --resume -o "$T/full"

# --- end to end: 10,000 samples and 10x100 restarts (exec), verify, assess
expect 0 "" "$E" collect --samples 10000 --restarts 10x100 -o "$C"
for f in raw.u64 samples.bin restart.u64 restart.bin manifest.json; do
    check "collection has $f" test -s "$C/$f"
done
check "raw.u64 holds 10000 u64" test "$(wc -c <"$C/raw.u64")" -eq 80000
check "samples.bin holds 10000 bytes" test "$(wc -c <"$C/samples.bin")" -eq 10000
check "restart.u64 holds 10x100 u64" test "$(wc -c <"$C/restart.u64")" -eq 8000
check "restart.bin holds 10x100 bytes" test "$(wc -c <"$C/restart.bin")" -eq 1000
check "no state or partial files left" sh -c "! ls '$C' | grep -q -e part -e state -e '\.tmp\.'"
for k in format format_version complete tool.version command_line start_time end_time \
         host.cpu.vendor host.kernel.release host.affinity.count source.name source.timer \
         source.gcd source.memory_bits extraction.mask extraction.bits samples restarts.rows \
         restarts.cols restarts.mode files; do
    check "manifest has $k" "$JT" get "$C/manifest.json" "$k"
done
check "manifest samples = 10000" sh -c "'$JT' get '$C/manifest.json' samples | grep -qx 10000"
check "manifest mode exec" sh -c "'$JT' get '$C/manifest.json' restarts.mode | grep -qx exec"
check "manifest bits = 8" sh -c "'$JT' get '$C/manifest.json' extraction.bits | grep -qx 8"
for f in raw.u64 samples.bin restart.u64 restart.bin; do
    check "manifest records the SHA-256 of $f" sh -c \
        "'$JT' get '$C/manifest.json' files | grep -q \"\$(sha256sum '$C/$f' | cut -c1-64)\""
done
same "samples.bin is the low byte of raw.u64" \
    "$(od -An -v -tu8 -w8 "$C/raw.u64" | head -50 | awk '{print $1 % 256}' | tr '\n' ' ')" \
    "$(od -An -v -tu1 -w1 "$C/samples.bin" | head -50 | awk '{print $1}' | tr '\n' ' ')"
expect 0 "" "$E" verify "$C"
check "verify says OK" grep -q "OK" "$T/out"
expect 0 "" "$E" noniid "$C/samples.bin"
check "noniid assessed the collected samples" grep -q "^assessed" "$T/out"

# --- verify catches a modified file, a truncated one, a missing one
cp -r "$C" "$T/mod"
printf 'X' | dd of="$T/mod/samples.bin" bs=1 seek=5000 conv=notrunc 2>/dev/null
cmp -s "$C/samples.bin" "$T/mod/samples.bin" && \
    printf 'Y' | dd of="$T/mod/samples.bin" bs=1 seek=5000 conv=notrunc 2>/dev/null
check "one byte of the copy was changed" sh -c "! cmp -s '$C/samples.bin' '$T/mod/samples.bin'"
expect 1 "samples.bin: SHA-256" "$E" verify "$T/mod"
cp "$C/samples.bin" "$T/mod/samples.bin" && head -c 4000 "$C/restart.u64" >"$T/mod/restart.u64"
expect 1 "restart.u64: 4000 bytes" "$E" verify "$T/mod"
cp "$C/restart.u64" "$T/mod/" && rm "$T/mod/raw.u64"
expect 1 "raw.u64: missing" "$E" verify "$T/mod"

# --- --force overwrites a collection; a plain run refuses it
expect 1 "is not empty" "$E" collect --samples 1000 --no-restart -o "$C"
expect 0 "" "$E" collect -q --force --samples 2000 --no-restart --restart-mode inproc -o "$C"
check "--force replaced the collection" sh -c "'$JT' get '$C/manifest.json' samples | grep -qx 2000"
check "--no-restart: restarts null, no restart files" sh -c \
    "'$JT' get '$C/manifest.json' restarts | grep -qx null && test ! -e '$C/restart.u64'"
expect 0 "" "$E" verify "$C"

# --- interrupted during the restarts (as a SIGTERM after 4 rows), then --resume
R="$T/resume"
expect 1 "interrupted" "$H" --stop-after-restarts 4 collect -q --samples 3000 --restarts 10x100 -o "$R"
check "interrupted: --resume suggested" grep -q -- "--resume -o" "$T/err"
check "interrupted: no manifest" test ! -e "$R/manifest.json"
check "interrupted: no file that looks complete" sh -c \
    "test ! -e '$R/raw.u64' && test ! -e '$R/samples.bin' && test ! -e '$R/restart.u64' && test ! -e '$R/restart.bin'"
check "interrupted: 4 whole rows kept" test "$(wc -c <"$R/restart.u64.part")" -eq 3200
expect 1 "interrupted collection" "$E" verify "$R"
printf 'torn' >>"$R/restart.u64.part"   # as if killed while writing row 5
expect 2 "differs from the interrupted run" "$E" collect --resume --samples 5 -o "$R"
expect 0 "" "$E" collect -q --resume --samples 3000 -o "$R"
expect 0 "" "$E" verify "$R"
check "resumed: 10 rows" test "$(wc -c <"$R/restart.u64")" -eq 8000
check "resumed: the resume is recorded" sh -c "'$JT' get '$R/manifest.json' restarts.resumes.0.rows_done | grep -qx 4"
check "resumed: no state left" test ! -e "$R/collect.state.json"

# --- real signal: SIGTERM while restarts run leaves a resumable directory
K="$T/killed"
"$E" collect -q --samples 1000 --restarts 1000x1000 -o "$K" 2>/dev/null &
kpid=$!
i=0
while [ ! -s "$K/restart.u64.part" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $kpid 2>/dev/null
wait $kpid
check "SIGTERM: exit status 1" test $? -eq 1
check "SIGTERM: no manifest" test ! -e "$K/manifest.json"
check "SIGTERM: state kept for --resume" test -s "$K/collect.state.json"
check "SIGTERM: whole rows only" sh -c "test \$(( \$(wc -c <'$K/restart.u64.part') % 8000 )) -eq 0"

# --- import: recorder text and u64 binary, hand-computed extraction
printf '1\n2\n300\n4096\n4095\n' >"$T/imp.txt"
expect 0 "" "$E" collect -q --source import --input "$T/imp.txt" --text -o "$T/imp1"
check "import 0xFF: 01 02 2c 00 ff" test "$(od -An -tx1 "$T/imp1/samples.bin" | tr -d ' \n')" = 01022c00ff
check "import: raw.txt reproduces the input" cmp "$T/imp.txt" "$T/imp1/raw.txt"
check "import: no restarts without --restart-input" sh -c "'$JT' get '$T/imp1/manifest.json' restarts | grep -qx null"
expect 0 "" "$E" collect -q --source import --input "$T/imp.txt" --mask 0x78 -o "$T/imp2"
check "import 0x78: 00 00 05 00 0f" test "$(od -An -tx1 "$T/imp2/samples.bin" | tr -d ' \n')" = 000005000f
cp "$T/imp1/raw.u64" "$T/imp.u64"
expect 0 "" "$E" collect -q --source import --input "$T/imp.u64" --import-format u64 --mask 0x0F -o "$T/imp3"
check "import u64 0x0F: 01 02 0c 00 0f" test "$(od -An -tx1 "$T/imp3/samples.bin" | tr -d ' \n')" = 01020c000f
printf '8\n16\n24\n40\n' >"$T/imp4.txt"
expect 0 "" "$E" collect -q --source import --input "$T/imp4.txt" --divide-gcd -o "$T/imp4"
check "--divide-gcd: divisor 8 recorded" sh -c "'$JT' get '$T/imp4/manifest.json' extraction.divisor | grep -qx 8"
check "--divide-gcd: 01 02 03 05" test "$(od -An -tx1 "$T/imp4/samples.bin" | tr -d ' \n')" = 01020305
seq 1 6 >"$T/imp_r.txt"
expect 0 "" "$E" collect -q --source import --input "$T/imp.txt" --restart-input "$T/imp_r.txt" --restarts 2x3 -o "$T/imp5"
check "import restarts: restart.bin 01..06" test "$(od -An -tx1 "$T/imp5/restart.bin" | tr -d ' \n')" = 010203040506
check "import restarts: mode import" sh -c "'$JT' get '$T/imp5/manifest.json' restarts.mode | grep -qx import"
expect 1 "needs exactly 6" "$E" collect -q --source import --input "$T/imp.txt" --restart-input "$T/imp.txt" --restarts 2x3 -o "$T/imp6"
expect 1 "fewer than --samples" "$E" collect -q --source import --input "$T/imp.txt" --samples 6 -o "$T/imp7"

# --- the other source and restart mode
expect 0 "" "$E" collect -q --source memtouch --samples 2000 --restarts 3x50 --restart-mode inproc -o "$T/mt"
check "memtouch recorded" sh -c "'$JT' get '$T/mt/manifest.json' source.name | grep -qx memtouch"
expect 0 "" "$E" verify "$T/mt"

# --- the mask is always hexadecimal, as extractlsb reads it (0x optional); bit 63 works
expect 0 "" "$E" collect -q --source import --input "$T/imp.txt" --mask 78 -o "$T/mk1"
check "--mask 78 is 0x78" test "$(od -An -tx1 "$T/mk1/samples.bin" | tr -d ' \n')" = 000005000f
check "--mask 78 recorded as 0x78" sh -c "'$JT' get '$T/mk1/manifest.json' extraction.mask | grep -qx 0x78"
expect 0 "" "$E" collect -q --source import --input "$T/imp.txt" --mask 0F -o "$T/mk2"
check "--mask 0F is 0x0F" test "$(od -An -tx1 "$T/mk2/samples.bin" | tr -d ' \n')" = 01020c000f
expect 0 "" "$E" collect -q --source import --input "$T/imp.txt" --mask 010 -o "$T/mk3"
check "--mask 010 is 0x10, not octal 8" test "$(od -An -tx1 "$T/mk3/samples.bin" | tr -d ' \n')" = 0000000001
printf '9223372036854775808\n1\n18446744073709551615\n9223372036854775807\n' >"$T/big.txt"
expect 0 "" "$E" collect -q --source import --input "$T/big.txt" --mask 0x8000000000000000 -o "$T/mk4"
check "bit 63 extracted" test "$(od -An -tx1 "$T/mk4/samples.bin" | tr -d ' \n')" = 01000100
check "bit 63 mask recorded as a string" sh -c "'$JT' get '$T/mk4/manifest.json' extraction.mask | grep -qx 0x8000000000000000"
check "bit 63 mask: 1 bit" sh -c "'$JT' get '$T/mk4/manifest.json' extraction.bits | grep -qx 1"
expect 0 "" "$E" verify "$T/mk4"

# --- imported restarts: the summary names mode import; host affinity after --cpu
expect 0 "" "$E" collect --source import --input "$T/imp.txt" --restart-input "$T/imp_r.txt" --restarts 2x3 --cpu 0 -o "$T/imp8"
check "summary says import restarts" grep -qF "2x3 restarts (import)" "$T/out"
# (an import's host is the recording machine's, unknown here: this machine is imported_on)
check "--cpu 0: imported_on.affinity is CPU 0" sh -c "'$JT' get '$T/imp8/manifest.json' imported_on.affinity.cpus | grep -qx 0"
check "--cpu 0: the inherited affinity is kept" "$JT" get "$T/imp8/manifest.json" imported_on.affinity_inherited.count
expect 0 "" "$E" collect -q --samples 2000 --restarts 2x100 --restart-mode inproc --cpu 0 -o "$T/cpu0"
check "--cpu 0: host.affinity is CPU 0" sh -c "'$JT' get '$T/cpu0/manifest.json' host.affinity.cpus | grep -qx 0"
check "--cpu 0: host.affinity_inherited kept" "$JT" get "$T/cpu0/manifest.json" host.affinity_inherited.count

# --- a failed start leaves nothing behind
expect 1 "cannot pin to CPU 1023" "$E" collect -q --samples 100 --no-restart --cpu 1023 -o "$T/p1"
check "failed pinning: no directory" test ! -e "$T/p1"
mkdir "$T/p2"
expect 1 "cannot pin to CPU 1023" "$E" collect -q --samples 100 --no-restart --cpu 1023 -o "$T/p2"
check "failed pinning: an existing directory stays empty" test -z "$(ls -A "$T/p2")"

# --- verify insists on the files a collection must have, and on their counts
V="$T/vfy"
expect 0 "" "$E" collect -q --samples 3000 --restarts 4x100 --restart-mode inproc -o "$V.base"
vcase() {   # vcase NAME SED-SCRIPT [FILE-TO-REMOVE]: a changed copy of the collection
    rm -rf "$V.$1" && cp -r "$V.base" "$V.$1" && sed -i "$2" "$V.$1/manifest.json"
    if [ -n "${3:-}" ]; then rm "$V.$1/$3"; fi
}
vcase raw '/"raw.u64": {/,/}/d' raw.u64
expect 1 "raw.u64 is not listed" "$E" verify "$V.raw"
vcase smp '/"samples.bin": {/,/}/d' samples.bin
expect 1 "samples.bin is not listed" "$E" verify "$V.smp"
vcase rst '/"restart.u64": {/,/}/d' restart.u64
expect 1 "restart.u64 is not listed" "$E" verify "$V.rst"
vcase cnt 's/^  "samples": 3000,/  "samples": 2999,/'
expect 1 "samples.bin holds 3000 samples, but the collection has 2999" "$E" verify "$V.cnt"
vcase rows 's/"rows": 4,/"rows": 2,/'
expect 1 "holds 400 samples, but the collection has 200" "$E" verify "$V.rows"
vcase null 's/"restarts": {/"restarts": null, "was": {/'
expect 1 "restart files are listed but" "$E" verify "$V.null"
vcase other 's/"restart.bin": {/"notes.txt": {/'
expect 1 "'notes.txt' is not a file of an ea90b collection" "$E" verify "$V.other"
rm -rf "$V.arr" && mkdir "$V.arr" && echo '[]' >"$V.arr/manifest.json"
expect 1 "not a JSON object" "$E" verify "$V.arr"
check "no 'line -1' for a JSON array" sh -c "! grep -q 'line -1' '$T/err'"

# --- interrupted while finishing: no final name before manifest.json; --resume keeps the rows
F="$T/fin"
expect 1 "while finishing" "$H" --stop-after-restarts 10 collect -q --samples 5000 --restarts 10x100 -o "$F"
check "finish interrupted: no file carries a final name" sh -c \
    "cd '$F' && test ! -e raw.u64 && test ! -e samples.bin && test ! -e restart.u64 && test ! -e restart.bin && test ! -e manifest.json"
check "finish interrupted: the 10 rows are kept" test "$(wc -c <"$F/restart.u64.part")" -eq 8000
part_sha=$(sha256sum "$F/restart.u64.part" | cut -c1-64)
expect 0 "" "$E" collect -q --resume -o "$F"
same "finish resumed: restart.u64 is the rows collected before" "$(sha256sum "$F/restart.u64" | cut -c1-64)" "$part_sha"
check "finish resumed: rows_done 10" sh -c "'$JT' get '$F/manifest.json' restarts.resumes.0.rows_done | grep -qx 10"
check "finish resumed: phase finish" sh -c "'$JT' get '$F/manifest.json' restarts.resumes.0.phase | grep -qx finish"
expect 0 "" "$E" verify "$F"
for w in before-manifest after-manifest; do
    F="$T/fin-$w"
    "$H" --kill-in-finish $w collect -q --samples 2000 --restarts 5x100 --restart-mode inproc -o "$F" 2>/dev/null
    check "SIGKILL $w: killed" test $? -eq 137
    check "SIGKILL $w: state kept" test -s "$F/collect.state.json"
    check "SIGKILL $w: no data file under a final name" sh -c \
        "cd '$F' && test ! -e raw.u64 && test ! -e samples.bin && test ! -e restart.u64 && test ! -e restart.bin"
    expect 1 "collect --resume -o" "$E" verify "$F"
    part_sha=$(sha256sum "$F/restart.u64.part" | cut -c1-64)
    expect 0 "" "$E" collect -q --resume -o "$F"
    expect 0 "" "$E" verify "$F"
    same "SIGKILL $w: restart rows unchanged" "$(sha256sum "$F/restart.u64" | cut -c1-64)" "$part_sha"
    check "SIGKILL $w: nothing partial left" sh -c "! ls -A '$F' | grep -q -e part -e state -e lock -e '\.tmp\.'"
done
check "killed before the manifest: the resume is recorded" sh -c \
    "'$JT' get '$T/fin-before-manifest/manifest.json' restarts.resumes.0.previous_run_killed | grep -qx true"
mkdir "$T/fin-old" && : >"$T/fin-old/restart.u64" && cp "$T/fin-before-manifest/raw.u64" "$T/fin-old/raw.u64.part"
printf '{"format": "ea90b-collect-state", "phase": "restarts", "config": {"rows": 5, "cols": 100, "mask": "0xff"}, "resumes": []}\n' \
    >"$T/fin-old/collect.state.json"
expect 1 "restart.u64 exists but the collection is not finished" "$E" collect -q --resume -o "$T/fin-old"

# --- SIGKILL during the restarts (no handler runs, no state saved), then --resume
KK="$T/kill9"
"$H" --kill-after-restarts 4 collect -q --samples 2000 --restarts 10x100 -o "$KK" 2>/dev/null
check "SIGKILL: killed" test $? -eq 137
check "SIGKILL: 4 rows on disk" test "$(wc -c <"$KK/restart.u64.part")" -eq 3200
expect 0 "" "$E" collect -q --resume -o "$KK"
expect 0 "" "$E" verify "$KK"
check "SIGKILL resumed: rows_done 4 from the part file" sh -c "'$JT' get '$KK/manifest.json' restarts.resumes.0.rows_done | grep -qx 4"
check "SIGKILL resumed: previous run killed" sh -c "'$JT' get '$KK/manifest.json' restarts.resumes.0.previous_run_killed | grep -qx true"
check "SIGKILL resumed: restart time recorded" "$JT" get "$KK/manifest.json" restarts.seconds
check "SIGKILL resumed: 10 rows" test "$(wc -c <"$KK/restart.u64")" -eq 8000

# --- one run per directory; an external SIGKILL, then --resume counts the rows on disk
L="$T/locked"
"$E" collect -q --samples 1000 --restarts 1000x1000 -o "$L" 2>/dev/null &
lpid=$!
i=0
while [ ! -s "$L/restart.u64.part" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
expect 1 "in use by another" "$E" collect -q --resume -o "$L"
expect 1 "in use by another" "$E" collect -q --force --samples 100 --no-restart -o "$L"
check "the running collection was left alone" test -s "$L/collect.state.json"
kill -KILL $lpid 2>/dev/null
wait $lpid 2>/dev/null
check "external SIGKILL: killed" test $? -eq 137
rows=$(( $(wc -c <"$L/restart.u64.part") / 8000 ))
expect 1 "interrupted" "$H" --stop-after-restarts $((rows + 1)) collect -q --resume -o "$L"
check "external SIGKILL: resume recorded with rows_done $rows" sh -c \
    "'$JT' get '$L/collect.state.json' resumes.0.rows_done | grep -qx $rows"
expect 1 "is not empty" "$E" collect -q --samples 100 --no-restart -o "$L"
check "a fresh run refused on an interrupted collection keeps its state" test -s "$L/collect.state.json" -a -s "$L/raw.u64.part"
check "external SIGKILL: previous run killed" sh -c "'$JT' get '$L/collect.state.json' resumes.0.previous_run_killed | grep -qx true"
check "no lock file left by a run that ended" test ! -e "$L/collect.lock"

# --- fix2: a wrong-sized import restart input is refused before anything is written
seq 1 600 >"$T/imp600.txt"
seq 1 600 >"$T/rimp600.txt"
expect 1 "needs exactly 620" "$E" collect -q --source import --input "$T/imp600.txt" --restart-input "$T/rimp600.txt" --restarts 20x31 -o "$T/i2"
check "wrong-sized restart input: one-line error" test "$(wc -l <"$T/err")" -eq 1
check "wrong-sized restart input: no directory left" test ! -e "$T/i2"
mkdir "$T/i2e"
expect 1 "needs exactly 620" "$E" collect -q --source import --input "$T/imp600.txt" --restart-input "$T/rimp600.txt" --restarts 20x31 -o "$T/i2e"
check "wrong-sized restart input: an existing empty directory stays empty" test -z "$(ls -A "$T/i2e")"
# a mask that selects constant bits: warned, not silent
printf '16\n48\n80\n112\n' >"$T/const_lo.txt"
expect 0 "samples.bin holds a single symbol value: the mask selects constant bits" "$E" collect -q --source import --input "$T/const_lo.txt" --mask 0x0F -o "$T/mkc"
expect 0 "" "$E" collect -q --source import --input "$T/const_lo.txt" --mask 0xF0 -o "$T/mkv"
check "a mask selecting varying bits: no single-symbol warning" sh -c "! grep -q 'single symbol' '$T/err'"
