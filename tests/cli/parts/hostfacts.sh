# SPDX-License-Identifier: Apache-2.0
# Where imported data was recorded (issue 12, item 2): an import names the
# recording machine only through --host-facts (a file `ea90b probe --json`
# wrote there); without it "host" is null with a note, the importing machine
# goes under "imported_on", and reports say "recorded on: unknown (imported)"
# rather than the importer's CPU. Sourced by tests/cli/run.sh.
HF="$T/hostfacts"
mkdir -p "$HF"
awk 'BEGIN { srand(7); for (i = 0; i < 20000; i++) printf "%d\n", 1000 + int(rand() * 4000) }' >"$HF/deltas.txt"
ran "probe --json writes host facts" sh -c "'$E' probe --json >'$HF/facts.json'; test -s '$HF/facts.json'"

expect 0 "" "$E" collect -q --source import --input "$HF/deltas.txt" -o "$HF/a"
same "import without --host-facts: host is null" "$("$JT" get "$HF/a/manifest.json" host)" null
same "... with a note" "$("$JT" get "$HF/a/manifest.json" host_source.kind)" unknown
check "... the importing machine under imported_on" "$JT" get "$HF/a/manifest.json" imported_on.cpu.model_name
expect 0 "" "$E" verify "$HF/a"

expect 0 "" "$E" collect -q --source import --input "$HF/deltas.txt" --host-facts "$HF/facts.json" -o "$HF/b"
same "--host-facts: host from the file" "$("$JT" get "$HF/b/manifest.json" host.arch)" \
    "$("$JT" get "$HF/facts.json" host.arch)"
same "--host-facts: the file's SHA-256 recorded" "$("$JT" get "$HF/b/manifest.json" host_source.sha256)" \
    "$(sha256sum "$HF/facts.json" | cut -c1-64)"
check "--host-facts: imported_on still this machine" "$JT" get "$HF/b/manifest.json" imported_on.hostname

expect 2 "--host-facts applies to data recorded elsewhere" "$E" collect -q --samples 100 --no-restart \
    --host-facts "$HF/facts.json" -o "$HF/c"
printf '{"hello": 1}\n' >"$HF/notfacts.json"
expect 1 "not host facts" "$E" collect -q --source import --input "$HF/deltas.txt" --host-facts "$HF/notfacts.json" -o "$HF/d"
check "bad host facts leave no directory" test ! -e "$HF/d"
expect 1 "No such file" "$E" collect -q --source import --input "$HF/deltas.txt" --host-facts "$HF/none.json" -o "$HF/e"

expect 0 "" "$E" assess --claim 1 --seed 1 --index-dir "$HF" "$HF/a" "$HF/b"
check "report: recorded on unknown (imported)" grep -qF "| recorded on | unknown (imported;" "$HF/a/report/report.md"
check "report: the importer is not named as the recording host" grep -q "^### Imported on" "$HF/a/report/report.md"
check "report: host facts file named" grep -qF "from the host facts file $HF/facts.json" "$HF/b/report/report.md"
check "index: unknown (imported) for the import without host facts" grep -qF "| unknown (imported) |" "$HF/index.md"
