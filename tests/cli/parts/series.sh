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
