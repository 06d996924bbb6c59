# SPDX-License-Identifier: Apache-2.0
# Series (issue 13): ea90b collect --runs K records K runtime collections in
# one directory under one manifest; verify and --resume cover them.
# Sourced by tests/cli/run.sh ($E, $T, $JT, expect, check, same).

SR="$T/series"
H="$(dirname "$JT")/collect_hooks"
mkdir -p "$SR"

# --- usage
expect 2 "--runs needs a count from 1 to 999" "$E" collect --runs 0 -o "$SR/u"
expect 2 "--runs needs a count from 1 to 999" "$E" collect --runs 1000 -o "$SR/u"
expect 2 "--runs needs a count from 1 to 999" "$E" collect --runs 3x -o "$SR/u"
printf '1\n2\n3\n4\n' >"$SR/in.txt"
expect 2 "an import is one recording" "$E" collect --source import --input "$SR/in.txt" --runs 2 \
    -o "$SR/u"
check "no directory for usage errors" test ! -e "$SR/u"
expect 0 "" "$E" collect --help
check "collect --help lists --runs" grep -q -- "--runs K" "$T/out"

# --- a series of 3
expect 0 "" "$E" collect -q --runs 3 --samples 3000 --restarts 4x20 --text -o "$SR/a"
for f in raw-01.u64 raw-02.u64 raw-03.u64 samples-01.bin samples-02.bin samples-03.bin \
         raw-01.txt raw-03.txt restart.u64 restart.bin manifest.json; do
    check "series: $f" test -f "$SR/a/$f"
done
check "series: no plain samples.bin" test ! -e "$SR/a/samples.bin"
check "series: no raw.u64" test ! -e "$SR/a/raw.u64"
same "manifest runs" "$("$JT" get "$SR/a/manifest.json" runs)" 3
same "manifest samples per run" "$("$JT" get "$SR/a/manifest.json" samples)" 3000
same "manifest series[2].run" "$("$JT" get "$SR/a/manifest.json" series.2.run)" 3
check "manifest series[0] has the run's gcd" "$JT" get "$SR/a/manifest.json" series.0.gcd
check "each run's file hashed" grep -q '"samples-02.bin": {' "$SR/a/manifest.json"
check "runs differ" sh -c "! cmp -s '$SR/a/raw-01.u64' '$SR/a/raw-02.u64'"
same "samples-02.bin size" "$(wc -c <"$SR/a/samples-02.bin" | tr -d ' ')" 3000
expect 0 "" "$E" verify "$SR/a"
expect 0 "" "$E" collect --runs 2 --samples 500 --no-restart -o "$SR/say"
check "the summary names the series" grep -q "a series of 2 runs of 500 samples" "$T/out"
check "... and the next step is assess" grep -q "ea90b assess" "$T/out"

# --- verify catches a changed run, a missing run, a run beyond "runs"
cp -r "$SR/a" "$SR/b"
printf 'x' | dd of="$SR/b/samples-03.bin" bs=1 seek=10 conv=notrunc 2>/dev/null
expect 1 "samples-03.bin" "$E" verify "$SR/b"
rm -rf "$SR/b" && cp -r "$SR/a" "$SR/b"
sed 's/"runs": 3/"runs": 2/' "$SR/a/manifest.json" >"$SR/b/manifest.json"
expect 1 "" "$E" verify "$SR/b"
sed 's/"samples-02.bin"/"samples.bin"/' "$SR/a/manifest.json" >"$SR/b/manifest.json"
mv "$SR/b/samples-02.bin" "$SR/b/samples.bin"
expect 1 "not a file of an ea90b collection series" "$E" verify "$SR/b"
rm -rf "$SR/b" && cp -r "$SR/a" "$SR/b"
sed 's/"runs": 3/"runs": 1/' "$SR/a/manifest.json" >"$SR/b/manifest.json"
expect 1 "\"runs\" must be a count from 2" "$E" verify "$SR/b"

# --- --force removes a series' files, a single collection then has only plain names
cp -r "$SR/a" "$SR/c"
expect 0 "" "$E" collect -q --force --samples 400 --no-restart -o "$SR/c"
check "--force: series files removed" test ! -e "$SR/c/samples-01.bin"
check "--force: single collection" test -f "$SR/c/samples.bin"
expect 0 "" "$E" verify "$SR/c"

# --- interrupted between runs, resumed
# (the stop is seen between chunks: run 2 ends before it is)
expect 1 "after 2 of 3 runs" "$H" --stop-in-samples 1500 collect -q --runs 3 --samples 1000 \
    --restarts 3x10 -o "$SR/r"
check "interrupted: the first run kept" test -f "$SR/r/raw-01.u64.part"
check "interrupted: no manifest" test ! -e "$SR/r/manifest.json"
expect 1 "interrupted collection" "$E" verify "$SR/r"
cp "$SR/r/raw-01.u64.part" "$SR/run1.keep"
expect 0 "" "$E" collect -q --resume -o "$SR/r"
expect 0 "" "$E" verify "$SR/r"
check "resume kept run 1 as recorded" cmp "$SR/r/raw-01.u64" "$SR/run1.keep"
same "resume recorded with its runs" "$("$JT" get "$SR/r/manifest.json" restarts.resumes.0.runs_done)" 2
# killed mid-run: the run is taken again from its start
expect 137 "" "$H" --kill-in-samples 2500 collect -q --runs 3 --samples 1000 --no-restart -o "$SR/k"
expect 0 "" "$E" collect -q --resume -o "$SR/k"
expect 0 "" "$E" verify "$SR/k"
same "killed run retaken whole" "$(wc -c <"$SR/k/samples-03.bin" | tr -d ' ')" 1000
# a recorded run deleted behind the state's back
expect 1 "after 2 of 3 runs" "$H" --stop-in-samples 1500 collect -q --runs 3 --samples 1000 \
    --no-restart -o "$SR/d"
rm "$SR/d/raw-01.u64.part"
expect 1 "raw-01.u64.part is missing" "$E" collect -q --resume -o "$SR/d"

# --- an external recorder: each run of a series is told which it is
R="$(dirname "$JT")/fake_recorder"
expect 0 "" "$E" collect -q --source exec --runs 3 --samples 600 --restarts 2x10 -o "$SR/x" -- "$R"
expect 0 "" "$E" verify "$SR/x"
check "exec series: run 1 differs from run 2" sh -c "! cmp -s '$SR/x/raw-01.u64' '$SR/x/raw-02.u64'"
same "exec series: each run recorded" "$("$JT" get "$SR/x/manifest.json" source.runtime_runs.2.run)" 3

# The rest assesses and gates series (estimators and reports, not the collector):
# make check-arm64 stops here under qemu (tests/arm64/run.sh); the host runs it all.
[ "${EA90B_CLI_COLLECTOR_ONLY:-0}" = 1 ] && return 0

# --- assess a series: every run, the median and its interval, the lowest decides
# (--random BITS: reproducible noise of about BITS bits per sample, new in every run)
mkser() {   # mkser DIR BITS SEED
    FAKE_REC_SEED=$3 "$E" collect -q --source exec --runs 5 --samples 4000 --no-restart -o "$1" \
        -- "$R" --random "$2"
}
mkser "$SR/base" 6 1 && mkser "$SR/same" 6 2 && mkser "$SR/worse" 3 3
check "three small series collected" test -f "$SR/worse/manifest.json"
expect 0 "a series of 5 runs" "$E" assess --claim 0.5 --seed 5 --threads 2 "$SR/base"
check "assess: the summary line names the series" grep -q "lowest of 5 runs, median" "$T/out"
check "assess: a line per run" grep -q "run 5 of 5 (samples-05.bin)" "$T/err"
RJ="$SR/base/report/report.json"
same "report: series.runs" "$("$JT" get "$RJ" series.runs)" 5
same "report: five values" "$("$JT" get "$RJ" series.values.4.run)" 5
check "report: the median's interval and coverage" "$JT" get "$RJ" series.median_ci.coverage
same "report: coverage of [x(1), x(5)]" "$("$JT" get "$RJ" series.median_ci.coverage)" 0.9375
same "report: the rule" "$("$JT" get "$RJ" series.rule)" lowest
DEC=$("$JT" get "$RJ" series.decisive_run)
same "report: the verdict's value is the lowest run's" "$("$JT" get "$RJ" verdict.h_assessed)" \
    "$("$JT" get "$RJ" series.min)"
same "report: the decisive run's file assessed" "$("$JT" get "$RJ" data.file)" \
    "$("$JT" get "$RJ" series.decisive_file)"
same "report: the decisive run's value" "$("$JT" get "$RJ" series.values.$((DEC - 1)).h)" \
    "$("$JT" get "$RJ" series.min)"
check "report.md: the series section" grep -q "^### Series of 5 runs" "$SR/base/report/report.md"
check "report.md: the decisive run marked" grep -q "(decides)" "$SR/base/report/report.md"
check "report.html: the series plot" grep -q "each run, the median and its interval" \
    "$SR/base/report/report.html"
# the same numbers whatever the thread count
"$JT" get "$RJ" series.values.2.h >"$SR/h2.a"
expect 0 "" "$E" assess --claim 0.5 --seed 5 --threads 1 "$SR/base"
check "assess: a run's value does not depend on --threads" sh -c \
    "'$JT' get '$RJ' series.values.2.h | cmp -s - '$SR/h2.a'"
expect 0 "assessing each (3 at a time)" "$E" assess --claim 0.5 --seed 5 --threads 1 --jobs 3 "$SR/base"
check "assess: --jobs on one series, same values" sh -c \
    "'$JT' get '$RJ' series.values.2.h | cmp -s - '$SR/h2.a'"
# a run changed after collection: refused, nothing passed off as current
cp -r "$SR/same" "$SR/tamper"
printf 'x' | dd of="$SR/tamper/samples-04.bin" bs=1 seek=5 conv=notrunc 2>/dev/null
expect 1 "samples-04.bin" "$E" assess --claim 0.5 --seed 5 "$SR/tamper"
check "no report for a tampered series" test ! -e "$SR/tamper/report/report.json"
mkdir -p "$SR/idx"
expect 0 "" "$E" assess -q --claim 0.5 --seed 5 --index-dir "$SR/idx" "$SR/same" "$SR/worse"
check "index.html: the series side by side" grep -q "Each collection's runs" "$SR/idx/index.html"

# --- check: series against series
expect 2 "--alpha needs" "$E" check "$SR/same" --baseline "$SR/base" --alpha 0
expect 2 "--alpha needs" "$E" check "$SR/same" --baseline "$SR/base" --alpha 0.7
expect 2 "--min-effect needs" "$E" check "$SR/same" --baseline "$SR/base" --min-effect 120%
expect 2 "need --baseline" "$E" check "$SR/same" --alpha 0.05 --min-entropy 0.1 --allow-incomplete
expect 0 "" "$E" check "$SR/same" --baseline "$SR/base" --allow-incomplete \
    --junit "$SR/same.xml" --html "$SR/same.html"
check "check: says both are series" grep -q "current: a series of 5 runs; baseline: a series of 5 runs" "$T/out"
check "check: the rank test's row" grep -q "series, rank test" "$T/out"
check "check: the p-value shown" grep -q "Mann-Whitney p = " "$T/out"
check "check: both medians and intervals" grep -q "median [0-9.]* \[[0-9.]*, [0-9.]*\] -> " "$T/out"
check "JUnit: the rank test's testcase" grep -q 'name="assessed min-entropy (series, rank test)"' "$SR/same.xml"
check "JUnit: its p-value" grep -q "Mann-Whitney p = " "$SR/same.xml"
check "HTML: baseline against current plotted" grep -q "baseline against current" "$SR/same.html"
expect 1 "regression" "$E" check "$SR/worse" --baseline "$SR/base" --allow-incomplete --junit "$SR/worse.xml"
check "check: a regression named" grep -q "FAIL  median" "$T/out"
check "JUnit: a failure" grep -q "<failure" "$SR/worse.xml"
# a drop below --min-effect passes; a tiny --min-effect with the same data does not matter
expect 0 "" "$E" check "$SR/worse" --baseline "$SR/base" --allow-incomplete --min-effect 70%
check "check: lower, but by less than --min-effect" grep -q "by less than --min-effect" "$T/out"
# too few runs for alpha: refused, never a gate that cannot fail
expect 2 "could never fail" "$E" check "$SR/worse" --baseline "$SR/base" --allow-incomplete --alpha 0.001

# --- series and single collections mix: one against one says it cannot separate noise
expect 0 "" "$E" collect -q --source exec --samples 4000 --no-restart -o "$SR/one" -- "$R" --random 6
expect 0 "" "$E" assess -q --claim 0.5 --seed 5 "$SR/one"
expect 0 "" "$E" check "$SR/one" --baseline "$SR/one" --allow-incomplete
check "single vs single: says it cannot separate noise" grep -q "cannot tell a regression from run-to-run noise" "$T/out"
expect 0 "" "$E" check "$SR/one" --baseline "$SR/base" --allow-incomplete
check "single vs series: compared with the series' median" grep -q "series median vs one collection" "$T/out"
expect 1 "" "$E" check "$SR/worse" --baseline "$SR/one" --allow-incomplete
check "series vs single: no rank test, says why" grep -q "one value has no spread" "$T/out"

# --- assess --bootstrap: intervals from disjoint blocks, seeded, any thread count
expect 2 "--bootstrap needs" "$E" assess --claim 0.5 --bootstrap 0 "$SR/one"
expect 2 "--bootstrap-blocks needs a number" "$E" assess --claim 0.5 --bootstrap 10 --bootstrap-blocks 1 "$SR/one"
expect 2 "--bootstrap-blocks needs --bootstrap" "$E" assess --claim 0.5 --bootstrap-blocks 4 "$SR/one"
expect 0 "bootstrap: 4 blocks of 1000 samples" "$E" assess --claim 0.5 --seed 9 --threads 2 \
    --bootstrap 300 --bootstrap-blocks 4 "$SR/one"
BJ="$SR/one/report/report.json"
same "bootstrap: ran" "$("$JT" get "$BJ" bootstrap.status)" ran
same "bootstrap: its seed recorded" "$("$JT" get "$BJ" bootstrap.seed)" 9
same "bootstrap: block size" "$("$JT" get "$BJ" bootstrap.block_samples)" 1000
check "bootstrap: an interval for the assessed value" "$JT" get "$BJ" bootstrap.h_assessed.lower
check "bootstrap: the full-data value beside it" "$JT" get "$BJ" bootstrap.h_assessed.h_full
check "bootstrap: in report.md" grep -q "Bootstrap intervals (--bootstrap)" "$SR/one/report/report.md"
check "bootstrap: the reproduce line repeats it" grep -q -- "--bootstrap 300 --bootstrap-blocks 4" "$BJ"
"$JT" get "$BJ" bootstrap.h_assessed.lower >"$SR/boot.a"
expect 0 "" "$E" assess -q --claim 0.5 --seed 9 --threads 1 --bootstrap 300 --bootstrap-blocks 4 "$SR/one"
check "bootstrap: the same interval on one thread" sh -c "'$JT' get '$BJ' bootstrap.h_assessed.lower | cmp -s - '$SR/boot.a'"
expect 0 "warning: --bootstrap-blocks 1000 leaves blocks of 4 samples" "$E" assess -q --claim 0.5 \
    --seed 9 --bootstrap 10 --bootstrap-blocks 1000 "$SR/one"
expect 0 "" "$E" collect -q --source exec --samples 1500 --no-restart -o "$SR/tiny" -- "$R" --random 6
expect 1 "fewer blocks (--bootstrap-blocks)" "$E" assess -q --claim 0.5 --seed 9 --bootstrap 10 \
    --bootstrap-blocks 1000 "$SR/tiny"
check "bootstrap refused: no report passed off as complete" test ! -e "$SR/tiny/report/report.json"
