# SPDX-License-Identifier: Apache-2.0
# scripts/jent-recorder (issue 11) end to end, on tests/jent-stub (a stand-in
# source tree: CI cannot fetch jitterentropy): it builds the recorder with the
# tree's own Makefile.hashtime, writes the jent-raw adapter and its sidecar;
# collect runs the adapter through the exec protocol and folds the sidecar
# into the manifest; a changed recorder is refused. Sourced by tests/cli/run.sh.
JR="$ROOT/scripts/jent-recorder"
STUB="$ROOT/tests/jent-stub"
expect 2 "usage: scripts/jent-recorder" sh "$JR"
expect 1 "is not a jitterentropy source tree" sh "$JR" "$T" "$T/jr0"
mkdir -p "$T/jr-busy" && echo x >"$T/jr-busy/mine"
expect 1 "holds other files (mine)" sh "$JR" "$STUB" "$T/jr-busy"
expect 0 "" sh "$JR" "$STUB" "$T/jr"
check "jent-recorder says the version" grep -q "jitterentropy 3.6.3" "$T/out"
check "jent-recorder leaves the source tree as it was" test ! -e "$STUB/tests/raw-entropy/recording_userspace/jitterentropy-hashtime"
for f in jitterentropy-hashtime jent-raw jent-raw.ea90b.json; do
    check "jent-recorder wrote $f" test -s "$T/jr/$f"
done
same "sidecar: the library's version" "$("$JT" get "$T/jr/jent-raw.ea90b.json" version)" 3.6.3
same "sidecar: the recorder's SHA-256" "$("$JT" get "$T/jr/jent-raw.ea90b.json" recorder_sha256)" \
    "$(sha256sum "$T/jr/jitterentropy-hashtime" | cut -c1-64)"
check "sidecar: the build used the tree's own -O0" sh -c "'$JT' get '$T/jr/jent-raw.ea90b.json' build_commands | grep -q -- '-O0'"
expect 2 "EA90B_SAMPLES is not set" "$T/jr/jent-raw"
expect 0 "" sh "$JR" "$STUB" "$T/jr"   # again into its own directory: replaced
expect 0 "" "$E" collect -q --source exec --samples 3000 --restarts 3x100 --source-version 3.6.3 \
    -o "$T/jrcol" -- "$T/jr/jent-raw" --osr 3
check "jent-raw collection verifies" "$E" verify -q "$T/jrcol"
same "the manifest carries the sidecar" "$("$JT" get "$T/jrcol/manifest.json" source.sidecar.content.library)" jitterentropy
same "the manifest records the recorder options" "$("$JT" get "$T/jrcol/manifest.json" source.argv.1)" --osr
same "jent-raw delivered text deltas" "$("$JT" get "$T/jrcol/manifest.json" source.format)" text
expect 1 "jent-raw: the recorder failed: Unknown option --bogus" "$E" collect -q --source exec --samples 100 \
    --no-restart -o "$T/jrbad" -- "$T/jr/jent-raw" --bogus
printf 'x' >>"$T/jr/jitterentropy-hashtime"
expect 1 "is not the recorder scripts/jent-recorder built" "$E" collect -q --source exec --samples 100 \
    --no-restart -o "$T/jrtamper" -- "$T/jr/jent-raw"
