# SPDX-License-Identifier: Apache-2.0
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
 "host": {"hostname": "fixture-$(basename "$_d")", "arch": "x86_64",
          "cpu": {"model_name": "Fixture CPU 9000", "logical_cores": 6},
          "kernel": {"sysname": "Linux", "release": "6.1.0-fixture", "version": "#1 | SMP"},
          "virtualization": {"detected": "kvm"}},
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
same "manifest hash recorded" "$("$JT" get "$ASR" collection.manifest_sha256)" "$(sha256sum "$ASD/c1/manifest.json" | cut -d' ' -f1)"
ash=$(sha256sum "$ASD/c1/samples.bin" | cut -d' ' -f1)
check "samples.bin hash recorded" sh -c "test -n '$ash' && '$JT' get '$ASR' collection.files | grep -qF '$ash'"
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
# restart validation: per-estimator rows/cols values, min(H_r, H_c) apart from min(H_r, H_c, H_I)
check "report.json has the restart estimators" "$JT" get "$ASR" restart.estimators.0.rows
check "report.json restart estimator has cols" "$JT" get "$ASR" restart.estimators.0.cols
check "report.json has min(H_r, H_c)" "$JT" get "$ASR" restart.h_rc_min
for s in "Validation estimates: row and column datasets" "| estimator | rows (H_r) | columns (H_c) |" \
         "min(H_r, H_c)" "validated estimate min(H_r, H_c, H_I)" "| kernel.version | #1 \\| SMP |"; do
    check "report.md has '$s'" grep -qF "$s" "$ASMD"
done
check "generated is UTC ISO 8601" sh -c "'$JT' get '$ASR' generated | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\$'"
check "restart plot legend below the title" sh -c "grep -o '<title>Restart matrix.*</svg>' '$ASHT' | grep -q '<rect x=\"4\" y=\"243\"'"
check "1e6 samples: no sample-count warning" sh -c "! grep -q 'WARNING: only' '$ASMD'"

# --- two directories at once: the index (in a sibling directory: links relative to it)
mkdir -p "$ASD/idx"
expect 0 "" "$E" assess -q --claim 0.4 --seed 3 --jobs 2 --index-dir "$ASD/idx" "$ASD/c2" "$ASD/c3"
check "index.md written" grep -qF "c3" "$ASD/idx/index.md"
check "index.md has one row per collection" sh -c "grep -c 'fixture-c[23]' '$ASD/idx/index.md' | grep -qx 2"
check "index.html has the entropy plot" grep -qF "<title>Assessed min-entropy per collection" "$ASD/idx/index.html"
check "index shows the CPU model (host.cpu.model_name)" grep -qF "| Fixture CPU 9000 | 6 | 6.1.0-fixture | kvm |" "$ASD/idx/index.md"
check "index links are relative to the index directory" grep -qF 'href="../c3/report/report.html"' "$ASD/idx/index.html"
check "index link target exists" test -f "$ASD/idx/../c3/report/report.html"
check "index.md links relative too" grep -qF "../c2/report/report.md" "$ASD/idx/index.md"
# --failed NAME:REASON: a collection that was not assessed, listed with its reason (scripts/fleet)
mkdir -p "$ASD/idx2"
expect 0 "" "$E" assess -q --claim 0.4 --seed 3 --index-dir "$ASD/idx2" --failed "node-x:FAILED: the Job failed | twice" "$ASD/c2"
check "--failed: an index for one assessed collection" grep -q "^1 collection assessed with ea90b" "$ASD/idx2/index.md"
check "--failed: listed with its reason" grep -qF '| node-x | FAILED: the Job failed \| twice |' "$ASD/idx2/index.md"
check "--failed: not linked" sh -c "! grep -q 'node-x/report' '$ASD/idx2/index.md' '$ASD/idx2/index.html'"
check "--failed: the summary says so" grep -qF "node-x: NOT ASSESSED (FAILED: the Job failed | twice)" "$T/out"
expect 2 "--failed needs NAME:REASON" "$E" assess --claim 0.4 --failed "no-reason:" "$ASD/c2"
check "both collections have a report" test -s "$ASD/c2/report/report.json" -a -s "$ASD/c3/report/report.json"
check "no report without restart data claims PASS" sh -c "'$JT' get '$ASD/c2/report/report.json' verdict.status | grep -qx INCOMPLETE"
check "fewer than 1e6 samples: reason listed" sh -c "'$JT' get '$ASD/c3/report/report.json' verdict.reasons | grep -qF 'section 3.1.1 requires at least 1,000,000'"
check "fewer than 1e6 samples: warning in the summary" grep -qF "WARNING: only 100000 samples were assessed" "$ASD/c3/report/report.md"

# --- a refused re-assessment must not leave the old complete report behind
cp -r "$ASD/c2" "$ASD/re1"
printf '\001' | dd of="$ASD/re1/samples.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
expect 1 "moved to" "$E" assess -q --claim 0.4 "$ASD/re1"
check "refused: the old report is gone" test ! -e "$ASD/re1/report"
check "refused: the old report moved aside" sh -c "ls -d '$ASD/re1'/report.stale-* >/dev/null"
expect 2 "cannot open" "$E" check --min-entropy 0.3 --allow-incomplete "$ASD/re1"
cp -r "$ASD/c2" "$ASD/re2"
rm "$ASD/re2/samples.bin"
expect 1 "samples.bin" "$E" assess -q --claim 0.4 "$ASD/re2"
check "samples.bin deleted: no report left" test ! -e "$ASD/re2/report"
expect 2 "" "$E" check --min-entropy 0.3 --allow-incomplete "$ASD/re2"

# --- --osr and --conditioning: the reproduce section holds real commands
mkcol "$ASD/c5" "$D/nist/bin/biased-random-bits.bin" 20000
expect 0 "" "$E" assess -q --osr 3 --seed 2 --conditioning vetted,64,32,64 "$ASD/c5"
for s in "ea90b health cutoffs --osr 3" "ea90b health replay samples.bin --osr 3" "ea90b conditioning -v 64 32 64 "; do
    check "reproduce has '$s'" grep -qF "$s" "$ASD/c5/report/report.md"
done
acond=$(grep -h '^ea90b conditioning ' "$ASD/c5/report/report.md" | sed "s|^ea90b|$E|")
check "the reproduce conditioning line runs" sh -c "test -n \"\$1\" && cd '$ASD/c5' && \$1 >/dev/null" sh "$acond"
# the replay flags these biased bits at 1/3 bit per sample, as the assessment did: exit 1 (issue 12)
same "c5: the assessment's health verdict" "$("$JT" get "$ASD/c5/report/report.json" health.passed)" false
expect 1 "is FLAGGED" sh -c "cd '$ASD/c5' && $E health replay samples.bin --osr 3"
check "the reproduce osr replay line runs to its report" grep -q "FLAGGED" "$T/out"
expect 2 "not a number" "$E" assess --claim 1 --conditioning vetted,512,256,512junk "$ASD/c5"
expect 2 "H_IN cannot exceed N_IN" "$E" assess --claim 1 --conditioning vetted,512,256,512,600 "$ASD/c5"
expect 2 "trailing comma" "$E" assess --claim 1 --conditioning vetted,512,256,512, "$ASD/c5"
# a tiny claim: printed as given; the health stage says why it has no cutoffs
expect 0 "" "$E" assess -q --claim 1e-300 --seed 2 "$ASD/c5"
check "tiny claim printed with %g" grep -qF "claim 1e-300" "$T/out"
check "tiny claim: health stage says the claim is too small" sh -c "'$JT' get '$ASD/c5/report/report.json' health.reason | grep -qF 'claim too small'"

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
check "c4: reproduce says how to run the skipped permutations" grep -qF "runs the 10,000 permutations" "$ASD/c4/report/report.md"
check "c4: IID section names the command" grep -qF "ea90b iid --seed 3 samples.bin 8" "$ASD/c4/report/report.md"
expect 0 "" "$E" assess -q --claim 1 --seed 3 --all-iid-tests "$ASD/c4"
check "c4 --all-iid-tests: permutations run" sh -c "'$JT' get '$ASD/c4/report/report.json' iid.permutation_skipped | grep -qx false"
check "c4 --all-iid-tests: not IID either way" sh -c "'$JT' get '$ASD/c4/report/report.json' iid.report.iid | grep -qx false"

# --- fix2: a usage error keeps a valid report; only a collection that fails verification retires it
cp -r "$ASD/c2" "$ASD/re3"
expect 2 "outside (0, 4]" "$E" assess -q --claim 4.5 --seed 1 "$ASD/re3"
check "claim error: the report is kept" test -s "$ASD/re3/report/report.json"
check "claim error: nothing moved aside" sh -c "! ls -d '$ASD/re3'/report.stale-* 2>/dev/null"
check "claim error: no 'no longer describes' message" sh -c "! grep -q 'no longer describes' '$T/err'"
expect 0 "" "$E" check --min-entropy 0.3 --allow-incomplete "$ASD/re3"
expect 2 "--claim needs" "$E" assess -q --claim 9 "$ASD/re3"
# the manifest's bit width checked before the files are hashed
cp -r "$ASD/c2" "$ASD/re4"
sed 's/"bits": 0/"bits": 4/' "$ASD/c2/manifest.json" >"$ASD/re4/manifest.json"
printf '\001' | dd of="$ASD/re4/samples.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
expect 2 "outside (0, 4]" "$E" assess -q --claim 5 "$ASD/re4"
check "claim checked before verify: no SHA-256 refusal" sh -c "! grep -q 'refused' '$T/err'"
check "claim checked before verify: the report is left alone" test -s "$ASD/re4/report/report.json"
# a directory named twice is assessed once
expect 0 "assessed once" "$E" assess -q --claim 0.4 --seed 3 "$ASD/re3" "$ASD/re3/"
check "duplicate directory: one summary line" test "$(grep -c 'report.html' "$T/out")" -eq 1
check "duplicate directory: no index for one collection" sh -c "! grep -q '^index:' '$T/out'"
# restart data that is not 1000 x 1000: INCOMPLETE with the reason, like short samples
head -c 1000 "$D/vectors/iid_bytes_4bit.bin" >"$T/rs1000.bin"
mkcol "$ASD/rs1" "$D/vectors/iid_bytes_4bit.bin" 20000 "$T/rs1000.bin"
sed 's/"rows": 1000, "cols": 1000/"rows": 10, "cols": 100/' "$ASD/rs1/manifest.json" >"$T/rs1.json"
mv "$T/rs1.json" "$ASD/rs1/manifest.json"
expect 0 "" "$E" assess -q --claim 1 --seed 2 "$ASD/rs1"
check "short restart data: stage skipped" sh -c "'$JT' get '$ASD/rs1/report/report.json' restart.status | grep -qx skipped"
check "short restart data: reason names the shape" sh -c "'$JT' get '$ASD/rs1/report/report.json' restart.reason | grep -qF 'needs exactly 1000 x 1000 samples, got 10 x 100'"
check "short restart data: INCOMPLETE" sh -c "'$JT' get '$ASD/rs1/report/report.json' verdict.status | grep -qx INCOMPLETE"
check "short restart data: no restart command to reproduce" sh -c "! grep -q '^ea90b restart' '$ASD/rs1/report/report.md'"

# --- fix2-health: assess judges the health stage as `ea90b health replay` does
# two distinct values (0 and 3, 2 bits per sample) are a binary source (SP 800-90B 4.4.2): window
# 1024, as the reproduce replay line decides, with the same cutoffs and allowances
head -c 20000 "$D/vectors/iid_bytes_4bit.bin" |
    tr '\000-\017' '\000\000\000\000\000\000\000\000\003\003\003\003\003\003\003\003' >"$T/two03.bin"
mkcol "$ASD/hb" "$T/two03.bin" 20000
expect 0 "" "$E" assess -q --claim 0.5 --seed 2 "$ASD/hb"
HBR="$ASD/hb/report/report.json"
check "two values, 2 bits: assess uses the binary window 1024" sh -c "'$JT' get '$HBR' data.bits_per_symbol | grep -qx 2 && '$JT' get '$HBR' health.apt_window | grep -qx 1024 && '$JT' get '$HBR' health.binary | grep -qx true"
ran "two values: the replay command runs" sh -c "cd '$ASD/hb' && '$E' health replay --alpha-log2 20 samples.bin 0.5 -o '$T/hb_replay.json'"
for k in apt_window apt_cutoff rct_cutoff rct_allowed apt_allowed; do
    same "two values: the replay command agrees on window, cutoff and allowances ($k)" \
        "$("$JT" get "$T/hb_replay.json" rows.0.$k)" "$("$JT" get "$HBR" health.details.$k)"
done
expect 0 "" "$E" assess -q --claim 1.5 --seed 2 "$ASD/hb"
check "two values, claim above 1 bit: the health stage says why it has no cutoffs" sh -c "'$JT' get '$HBR' health.reason | grep -qF 'two distinct values'"
# a source stuck for 1000 samples fails the RCT once, within chance, but a run of 1000 has
# probability 2^-485.3 under H = 0.5: the health stage fails and says why
{ head -c 10000 "$D/vectors/iid_bytes_4bit.bin"; head -c 1000 /dev/zero; tail -c 9000 "$D/vectors/iid_bytes_4bit.bin"; } >"$T/stuck20k.bin"
mkcol "$ASD/hs" "$T/stuck20k.bin" 20000
expect 0 "" "$E" assess -q --claim 0.5 --seed 2 "$ASD/hs"
HSR="$ASD/hs/report/report.json"
check "stuck source: one RCT failure" sh -c "'$JT' get '$HSR' health.rct_failures | grep -qx 1"
check "stuck source: health fails" sh -c "'$JT' get '$HSR' health.passed | grep -qx false && '$JT' get '$HSR' verdict.status | grep -qx FAIL"
check "stuck source: the reason names the run and its probability" sh -c "'$JT' get '$HSR' health.reason | grep -qF 'longest run 1000: probability 2^-485.3 under H = 0.5 over 20000 samples'"
check "stuck source: report.md shows the reason" grep -qF "longest run 1000: probability 2^-485.3" "$ASD/hs/report/report.md"
expect 1 "is FLAGGED" sh -c "cd '$ASD/hs' && '$E' health replay --alpha-log2 20 samples.bin 0.5"
check "stuck source: the replay command agrees" grep -qF 'FLAGGED: longest run 1000: probability 2^-485.3' "$T/out"
