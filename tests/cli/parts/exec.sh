# SPDX-License-Identifier: Apache-2.0
# ea90b collect --source exec (issue 11): an external recorder run once for
# the samples and once per restart, through tests/tools/fake_recorder (CI
# cannot fetch jitterentropy). The good path in both formats, then every
# failure mode: a clear error naming the run, nothing complete-looking, and
# --resume going on from the failed row. Sourced by tests/cli/run.sh.
R="$(dirname "$JT")/fake_recorder"
X="$T/exec"
mkdir -p "$X"

# --- usage: exit 2, nothing created
expect 2 "--source exec needs the recorder: -- PROGRAM" "$E" collect --source exec -o "$X/u"
expect 2 "the recorder goes after '--'" "$E" collect --source exec -o "$X/u" "$R"
expect 2 "must be followed by the recorder" "$E" collect --source exec -o "$X/u" --
expect 2 "apply to --source exec only" "$E" collect --samples 100 -o "$X/u" -- "$R"
expect 2 "apply to --source exec only" "$E" collect --exec-timeout 3 -o "$X/u"
expect 2 "--restart-mode inproc does not apply" "$E" collect --source exec --restart-mode inproc -o "$X/u" -- "$R"
expect 2 "--exec-format needs auto, u64 or text" "$E" collect --source exec --exec-format xml -o "$X/u" -- "$R"
expect 2 "--exec-timeout needs a positive number" "$E" collect --source exec --exec-timeout 0 -o "$X/u" -- "$R"
expect 2 "apply to --source jent only" "$E" collect --source exec --hash-loops 2 -o "$X/u" -- "$R"
expect 1 "cannot find the program 'no-such-recorder-xyz'" "$E" collect --source exec -o "$X/u" -- no-such-recorder-xyz
check "usage and a missing program leave no directory" test ! -e "$X/u"
expect 0 "" "$E" collect --help
check "collect --help documents the exec source" grep -q -- "--source exec \[options\] -- PROGRAM" "$T/out"

# --- the good path: u64, {samples}, labels; every run recorded
G="$X/good"
expect 0 "" "$E" collect -q --source exec --samples 2000 --restarts 4x50 --source-label "fake recorder" \
    --source-version 1.2 -o "$G" -- "$R" --count '{samples}'
check "exec: the collection verifies" "$E" verify -q "$G"
for k in source.name source.kind source.format source.executable.sha256 source.executable.bytes \
         source.argv.0 source.runtime_run.exit source.restart_runs.exit.3 \
         source.restart_runs.seconds.3 source.label source.version; do
    check "exec manifest has $k" "$JT" get "$G/manifest.json" "$k"
done
same "exec: source.name" "$("$JT" get "$G/manifest.json" source.name)" exec
same "exec: labelled an external recorder" "$("$JT" get "$G/manifest.json" source.kind)" "external recorder"
same "exec: format detected u64" "$("$JT" get "$G/manifest.json" source.format)" u64
same "exec: the executable's SHA-256" "$("$JT" get "$G/manifest.json" source.executable.sha256)" \
    "$(sha256sum "$R" | cut -c1-64)"
same "exec: argv recorded as given ({samples} kept)" "$("$JT" get "$G/manifest.json" source.argv.2)" '{samples}'
same "exec: --source-label" "$("$JT" get "$G/manifest.json" source.label)" "fake recorder"
same "exec: --source-version" "$("$JT" get "$G/manifest.json" source.version)" 1.2
same "exec: restarts mode exec" "$("$JT" get "$G/manifest.json" restarts.mode)" exec
same "exec: restart 3's first delta (index 3 in its environment)" \
    "$(od -An -tu8 -j800 -N8 "$G/restart.u64" | tr -d ' ')" 10142
same "exec: the runtime run's first delta (index 0)" "$(od -An -tu8 -N8 "$G/raw.u64" | tr -d ' ')" 10000
check "exec: no run log left" test ! -e "$G/exec-runs.part"
T2="$X/text"
expect 0 "" "$E" collect -q --source exec --samples 2000 --restarts 4x50 -o "$T2" -- "$R" --format text
same "exec text: format detected text" "$("$JT" get "$T2/manifest.json" source.format)" text
check "exec: text and u64 give the same deltas" cmp "$G/raw.u64" "$T2/raw.u64"
check "exec: text and u64 give the same restarts" cmp "$G/restart.u64" "$T2/restart.u64"
expect 0 "" "$E" collect -q --source exec --exec-format text --samples 100 --no-restart -o "$X/tx" -- "$R" --format text

# --- failure modes: one line naming the run, no manifest, state kept; --resume goes on
fcase() {   # fcase NAME MODE AT 'stderr fragment' [collect options...]
    fn=$1 fm=$2 fa=$3 ff=$4
    shift 4
    expect 1 "$ff" env FAKE_REC_MODE="$fm" FAKE_REC_AT="$fa" "$E" collect -q --source exec \
        --samples 2000 --restarts 4x50 "$@" -o "$X/$fn" -- "$R"
    check "$fn: no manifest" test ! -e "$X/$fn/manifest.json"
    check "$fn: no file under a final name" sh -c "cd '$X/$fn' && test ! -e raw.u64 && test ! -e samples.bin && test ! -e restart.u64"
    check "$fn: state kept for --resume" test -s "$X/$fn/collect.state.json"
    expect 1 "interrupted collection" "$E" verify "$X/$fn"
    expect 0 "" "$E" collect -q --resume -o "$X/$fn"
    expect 0 "" "$E" verify "$X/$fn"
    same "$fn: the failed run is in the manifest" \
        "$("$JT" get "$X/$fn/manifest.json" source.failed_runs.0.index)" "$( [ "$fa" = runtime ] && echo 0 || echo "$fa")"
}
fcase short short 2 "restart 2 of 4: wrote 49 deltas, 50 asked for"
check "short: restart 1 was kept, restart 2 redone" test "$(wc -c <"$X/short/restart.u64")" -eq 1600
fcase long long 2 "restart 2 of 4: wrote more than the 50 deltas asked for"
fcase garbage garbage runtime "the runtime run line 3: expected one unsigned decimal integer"
fcase exit exit 3 "restart 3 of 4: exited with status 3: fake recorder: failing on purpose"
fcase signal signal 4 "restart 4 of 4: killed by signal 9"
fcase hang hang 1 "restart 1 of 4: ran longer than the --exec-timeout of 0.5 s and was killed" --exec-timeout 0.5
expect 1 "wrote 2001 deltas, 2000 asked for" env FAKE_REC_MODE=long FAKE_REC_AT=runtime "$E" collect -q \
    --source exec --samples 2000 --no-restart -o "$X/longtext" -- "$R" --format text
expect 1 "exited with status 2: fake recorder: --count 7" "$E" collect -q --source exec --samples 100 \
    --no-restart -o "$X/count" -- "$R" --count 7

# --- killed mid-restarts (SIGKILL, no handler), then --resume
H="$(dirname "$JT")/collect_hooks"
"$H" --kill-after-restarts 2 collect -q --source exec --samples 2000 --restarts 4x50 -o "$X/kill" -- "$R" 2>/dev/null
check "exec SIGKILL: killed" test $? -eq 137
check "exec SIGKILL: 2 rows on disk" test "$(wc -c <"$X/kill/restart.u64.part")" -eq 800
expect 2 "option 'exec_argv' differs from the interrupted run" "$E" collect -q --resume -o "$X/kill" -- "$R" --format text
expect 0 "" "$E" collect -q --resume -o "$X/kill" -- "$R"
expect 0 "" "$E" verify "$X/kill"
check "exec SIGKILL resumed: the same data as an uninterrupted run" cmp "$G/restart.u64" "$X/kill/restart.u64"
same "exec SIGKILL resumed: restart 2's run was logged" "$("$JT" get "$X/kill/manifest.json" source.restart_runs.exit.1)" 0

# --- a program that changes during a collection is refused on resume
cp "$R" "$X/rec_copy"
expect 1 "restart 2 of 4" env FAKE_REC_MODE=exit FAKE_REC_AT=2 "$E" collect -q --source exec --samples 2000 \
    --restarts 4x50 -o "$X/chg" -- "$X/rec_copy"
printf 'x' >>"$X/rec_copy"
expect 1 "changed since the collection started" "$E" collect -q --resume -o "$X/chg"
check "a refused resume keeps the state" test -s "$X/chg/collect.state.json"

# --- PROGRAM.ea90b.json beside the program is folded in, with its hash
cp "$R" "$X/rec_side"
printf '{"library": "fake", "version": "9.9.9"}\n' >"$X/rec_side.ea90b.json"
expect 0 "" "$E" collect -q --source exec --samples 1000 --no-restart -o "$X/side" -- "$X/rec_side"
same "sidecar content in the manifest" "$("$JT" get "$X/side/manifest.json" source.sidecar.content.version)" 9.9.9
same "sidecar hash in the manifest" "$("$JT" get "$X/side/manifest.json" source.sidecar.sha256)" \
    "$(sha256sum "$X/rec_side.ea90b.json" | cut -c1-64)"
printf 'not json' >"$X/rec_side.ea90b.json"
expect 1 "is not a JSON object" "$E" collect -q --source exec --samples 1000 --no-restart -o "$X/side2" -- "$X/rec_side"

# --- every report says where the samples came from (issue 11, item 3)
expect 0 "" "$E" assess --osr 3 --seed 1 "$G"
check "exec: assess's summary line names the kind of source" grep -qF "[external recorder]" "$T/out"
check "exec: report.md names the external recorder and its hash" grep -qF \
    "Noise source: external recorder fake_recorder (SHA-256 $(sha256sum "$R" | cut -c1-16)...); fake recorder 1.2." "$G/report/report.md"
same "exec: report.json source_kind" "$("$JT" get "$G/report/report.json" collection.source_kind)" "external recorder"
JC="$X/jent"
expect 0 "" "$E" collect -q --samples 3000 --restarts 2x100 --restart-mode inproc -o "$JC"
same "jent: the manifest labels it a model" "$("$JT" get "$JC/manifest.json" source.kind)" model
same "jent: the manifest says what it is not" "$("$JT" get "$JC/manifest.json" source.note)" \
    "built-in model of jitterentropy, not the certified library"
expect 0 "" "$E" assess --osr 3 --seed 1 "$JC"
check "jent: assess's summary line says model" grep -qF "[model]" "$T/out"
check "jent: the report's summary says it is a model" grep -qF \
    "Noise source: built-in model of jitterentropy, not the certified library." "$JC/report/report.md"
check "jent: so does the HTML report" grep -qF "built-in model of jitterentropy, not the certified library" "$JC/report/report.html"
same "jent: report.json source_kind" "$("$JT" get "$JC/report/report.json" collection.source_kind)" model
expect 0 "" "$E" assess --osr 3 --seed 1 --index-dir "$X" "$G" "$JC"
check "the index shows each collection's source" sh -c "grep -q 'external recorder: fake_recorder' '$X/index.md' && grep -q 'model: jent' '$X/index.md'"
