# ea90b assess: reports from collection directories (sourced by tests/cli/run.sh).
# Fixture collections are built here from data/ files with a manifest that
# follows collector/manifest.h; the full 1000x1000 restart stage runs once.

# mkcol DIR SAMPLES_FILE N_SAMPLES [RESTART_FILE] : a minimal ea90b collection
mkcol() {
    _d=$1 _src=$2 _n=$3 _rs=${4:-}
    mkdir -p "$_d"
    head -c "$_n" "$_src" >"$_d/samples.bin"
    head -c 4000 "$_src" | od -An -v -tu1 | tr -s " " "\n" | sed "/^$/d" |
        LC_ALL=C awk '{ v = 5000 + $1 * 7 + NR % 3; for (i = 0; i < 8; i++) { printf "%c", v % 256; v = int(v / 256) } }' \
        >"$_d/raw.u64"
    _files=""
    for _f in samples.bin raw.u64 ${_rs:+restart.bin}; do
        [ "$_f" = restart.bin ] && cp "$_rs" "$_d/restart.bin"
        _b=$(wc -c <"$_d/$_f" | tr -d ' ')
        _s=$_b
        [ "$_f" = raw.u64 ] && _s=$((_b / 8))
        _h=$(sha256sum "$_d/$_f" | cut -d' ' -f1)
        _files="$_files${_files:+,}\"$_f\": {\"bytes\": $_b, \"samples\": $_s, \"sha256\": \"$_h\"}"
    done
    _rst=null
    [ -n "$_rs" ] && _rst='{"rows": 1000, "cols": 1000, "mode": "fixture"}'
    cat >"$_d/manifest.json" <<EOM
{"format": "ea90b-collection", "format_version": 1, "complete": true,
 "tool": {"name": "ea90b-test-fixture", "version": "0"},
 "command_line": "tests/cli/parts/assess.sh mkcol", "start_time": "2024-01-01T00:00:00Z",
 "end_time": "2024-01-01T00:00:01Z",
 "host": {"hostname": "fixture-$(basename "$_d")", "cpu_model": "test CPU", "kernel": "test"},
 "source": {"name": "fixture", "timer": "none"},
 "extraction": {"mask": "0xff", "bits": 0, "divide_gcd": false, "divisor": 1},
 "samples": $_n, "restarts": $_rst,
 "files": {$_files}}
EOM
}

ASD="$T/assess"
mkdir -p "$ASD"
# c1: 1,000,000 IID 1-bit samples with the 1000x1000 restart dataset (the one full run)
mkcol "$ASD/c1" "$D/vectors/restart_iid_1bit.bin" 1000000 "$D/vectors/restart_iid_1bit.bin"
# c2, c3: short collections without restart data (fast): 4-bit IID bytes and biased bits
mkcol "$ASD/c2" "$D/vectors/iid_bytes_4bit.bin" 100000
mkcol "$ASD/c3" "$D/nist/bin/biased-random-bits.bin" 100000

# --- usage errors: exit 2
expect 2 "missing collection directory" "$E" assess --claim 0.5
expect 2 "exactly one of --claim H or --osr N" "$E" assess "$ASD/c2"
expect 2 "exactly one of --claim H or --osr N" "$E" assess --claim 0.5 --osr 3 "$ASD/c2"
expect 2 "--claim needs" "$E" assess --claim 0 "$ASD/c2"
expect 2 "--claim needs" "$E" assess --claim -1 "$ASD/c2"
expect 2 "--claim needs" "$E" assess --claim abc "$ASD/c2"
expect 2 "--osr needs" "$E" assess --osr 0 "$ASD/c2"
expect 2 "--conditioning needs" "$E" assess --claim 1 --conditioning vetted,1 "$ASD/c2"
expect 2 "outside (0, 4]" "$E" assess -q --claim 4.5 --seed 1 "$ASD/c2"
check "a rejected claim writes no report" test ! -e "$ASD/c2/report"

# --- the full run: report.json, report.md, report.html
expect 0 "seed 7" "$E" assess --claim 0.5 --seed 7 "$ASD/c1"
check "assess prints the verdict line" grep -q "c1: PASS" "$T/out"
ASR="$ASD/c1/report/report.json"
check "report.json is complete" sh -c "'$JT' get '$ASR' complete | grep -qx true"
check "report.json names its schema" sh -c "'$JT' get '$ASR' schema | grep -qx ea90b-report"
check "report.json schema_version 1" sh -c "'$JT' get '$ASR' schema_version | grep -qx 1"
# the members docs/report-format.md promises (the schema's required list)
for k in tool.name tool.version tool.nist_compat generated commandline collection.directory \
         collection.manifest_sha256 collection.manifest.host collection.files claim.h claim.source \
         claim.bits_per_sample data.samples data.bits_per_symbol data.alphabet_size data.histogram \
         data.autocorrelation data.raw.stretch iid.seed iid.report.permutation.statistics \
         iid.report.chi_square iid.report.lrs_test noniid.report.estimators.literal.mcv.h \
         noniid.report.results.h_assessed restart.status restart.h_i restart.x_cutoff restart.x_max \
         restart.row_max restart.col_max restart.sanity_passed restart.validation_passed \
         restart.passed health.status health.rct_cutoff health.apt_cutoff health.passed \
         conditioning.status verdict.status verdict.track verdict.h_assessed verdict.h_i \
         verdict.h_final verdict.claim_supported verdict.restart_passed reproduce seconds; do
    check "report.json has $k" "$JT" get "$ASR" "$k"
done
check "seed recorded" sh -c "'$JT' get '$ASR' iid.seed | grep -qx 7"
check "H_I = min(claim, assessed)" sh -c "'$JT' get '$ASR' restart.h_i | grep -qx 0.5"
check "manifest hash recorded" sh -c "test \"\$('$JT' get '$ASR' collection.manifest_sha256)\" = \"\$(sha256sum '$ASD/c1/manifest.json' | cut -d' ' -f1)\""
check "samples.bin hash recorded" sh -c "'$JT' get '$ASR' collection.files | grep -q \"\$(sha256sum '$ASD/c1/samples.bin' | cut -d' ' -f1)\""
check "restart ran on 1000 rows" sh -c "'$JT' get '$ASR' restart.row_max | tr ',' '\n' | wc -l | grep -qx 1000"
check "no temporary report directory left" sh -c "! ls '$ASD/c1' | grep -q 'report\\.'"
ASMD="$ASD/c1/report/report.md"
ASHT="$ASD/c1/report/report.html"
for s in "## 1. Summary" "## 2. Data collection" "## 3. Raw data characterisation" \
         "## 4. IID testing" "## 5. Non-IID estimators" "## 6. Restart tests" "## 7. Health tests" \
         "## 8. Conditioning" "## 9. Reproducing" "Permutation test counts" "| C0 (greater)" \
         "LZ78Y prediction" "sanity check" "ea90b iid --seed 7" "Verdict: PASS"; do
    check "report.md has '$s'" grep -qF "$s" "$ASMD"
done
for s in 'id="summary"' 'id="collection"' 'id="data"' 'id="iid"' 'id="noniid"' 'id="restart"' \
         'id="health"' 'id="conditioning"' 'id="reproduce"' \
         "<title>Symbol histogram" "<title>Raw deltas over time" "<title>Autocorrelation" \
         "<title>Each estimator against the claim" "<title>Restart matrix"; do
    check "report.html has '$s'" grep -qF "$s" "$ASHT"
done
check "report.html is self-contained (no external assets, no script)" sh -c "! grep -qiE '<script|<link|src=\"http|href=\"http' '$ASHT'"
check "reports print no NaN or infinity" sh -c "! grep -qiwE 'nan|inf|-nan' '$ASMD'"

# --- two directories at once: the index
expect 0 "" "$E" assess -q --claim 0.4 --seed 3 --jobs 2 --index-dir "$ASD" "$ASD/c2" "$ASD/c3"
check "index.md written" grep -qF "c3" "$ASD/index.md"
check "index.md has one row per collection" sh -c "grep -c 'fixture-c[23]' '$ASD/index.md' | grep -qx 2"
check "index.html has the entropy plot" grep -qF "<title>Assessed min-entropy per collection" "$ASD/index.html"
check "both collections have a report" test -s "$ASD/c2/report/report.json" -a -s "$ASD/c3/report/report.json"
check "no report without restart data claims PASS" sh -c "'$JT' get '$ASD/c2/report/report.json' verdict.status | grep -qx INCOMPLETE"

# --- bad collections: refused with the file named, no report written
mkcol "$ASD/bad1" "$D/vectors/iid_bytes_4bit.bin" 20000
rm "$ASD/bad1/raw.u64"
expect 1 "raw.u64" "$E" assess -q --claim 1 "$ASD/bad1"
check "missing file: no report" test ! -e "$ASD/bad1/report"
mkcol "$ASD/bad2" "$D/vectors/iid_bytes_4bit.bin" 20000
head -c 10000 "$D/vectors/iid_bytes_4bit.bin" >"$ASD/bad2/samples.bin"
expect 1 "samples.bin" "$E" assess -q --claim 1 "$ASD/bad2"
check "truncated file: no report" test ! -e "$ASD/bad2/report"
mkcol "$ASD/bad3" "$D/vectors/iid_bytes_4bit.bin" 20000
printf '\017' | dd of="$ASD/bad3/samples.bin" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect 1 "samples.bin" "$E" assess -q --claim 1 "$ASD/bad3"
check "hash mismatch named as such" grep -qF "SHA-256" "$T/err"
check "hash mismatch: no report" test ! -e "$ASD/bad3/report"
expect 1 "manifest.json" "$E" assess -q --claim 1 "$T/dir"

# --- IID stage: permutations skipped once chi-square/LRS fail, unless --all-iid-tests
mkcol "$ASD/c4" "$D/vectors/noniid_ar_8bit.bin" 100000
expect 0 "permutation tests skipped" "$E" assess --claim 1 --seed 3 "$ASD/c4"
check "c4: permutation_skipped recorded" sh -c "'$JT' get '$ASD/c4/report/report.json' iid.permutation_skipped | grep -qx true"
expect 0 "" "$E" assess -q --claim 1 --seed 3 --all-iid-tests "$ASD/c4"
check "c4 --all-iid-tests: permutations run" sh -c "'$JT' get '$ASD/c4/report/report.json' iid.permutation_skipped | grep -qx false"
check "c4 --all-iid-tests: not IID either way" sh -c "'$JT' get '$ASD/c4/report/report.json' iid.report.iid | grep -qx false"
