# SPDX-License-Identifier: Apache-2.0
# ea90b check: the regression gate (sourced by tests/cli/run.sh after assess.sh,
# whose reports in $ASD/c1 (1-bit, H ~ 0.73), $ASD/c2 and $ASD/c3 (biased bits) it reads).
ASC1="$ASD/c1"
expect 2 "nothing to check" "$E" check "$ASC1"
expect 2 "missing report" "$E" check --min-entropy 0.5
expect 2 "--min-entropy needs" "$E" check --min-entropy x "$ASC1"
expect 2 "--max-drop needs a percentage" "$E" check --baseline "$ASC1" --max-drop 200% "$ASC1"
expect 2 "--max-drop needs --baseline" "$E" check --min-entropy 0.1 --max-drop 5% "$ASC1"
expect 2 "cannot open" "$E" check --min-entropy 0.5 "$T/no-such-dir/report.json"
expect 2 "cannot open" "$E" check --min-entropy 0.5 "$ASD/bad1"
printf '{"schema": "ea90b-report"}' >"$T/partial.json"
expect 2 "not a complete ea90b report" "$E" check --min-entropy 0.5 "$T/partial.json"

# pass, floor breached, baseline drop
expect 0 "" "$E" check --min-entropy 0.5 --junit "$T/pass.xml" "$ASC1"
check "pass prints OK" grep -q "^OK: " "$T/out"
expect 1 "" "$E" check --min-entropy 0.9 --junit "$T/floor.xml" "$ASC1"
check "floor breach prints REGRESSION" grep -q "^REGRESSION" "$T/out"
check "the table names the failed check" grep -q "min-entropy.*FAIL" "$T/out"
expect 0 "" "$E" check --baseline "$ASC1" --max-drop 0% "$ASC1/report/report.json"
cp -r "$ASD/c3/report" "$T/c3report"
expect 1 "" "$E" check --baseline "$ASD/c2" --max-drop 5% --junit "$T/drop.xml" "$T/c3report/report.json"
check "baseline drop: the assessed value moved" grep -q "^assessed min-entropy .*FAIL" "$T/out"

# JUnit XML: well-formed, one testcase per check, failures counted
for x in pass floor drop; do
    if command -v xmllint >/dev/null 2>&1; then
        check "JUnit $x.xml parses as XML" xmllint --noout "$T/$x.xml"
    elif command -v python3 >/dev/null 2>&1; then
        check "JUnit $x.xml parses as XML" python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$T/$x.xml"
    else
        echo "note: neither xmllint nor python3: JUnit XML only checked by grep"
    fi
    check "JUnit $x.xml has testcases" grep -q "<testcase classname=\"ea90b.check\"" "$T/$x.xml"
done
check "JUnit pass has no failure" sh -c "! grep -q '<failure' '$T/pass.xml'"
check "JUnit floor has a failure" grep -q '<failure' "$T/floor.xml"

# a stale report: the collection changed after the assessment
cp -r "$ASD/c2" "$T/c2stale"
echo " " >>"$T/c2stale/manifest.json"
expect 2 "stale" "$E" check --min-entropy 0.1 "$T/c2stale"
# a listed file changed (manifest untouched): re-hashed, named, exit 2, also via the report.json path
cp -r "$ASD/c2" "$T/c2mod"
printf '\001' | dd of="$T/c2mod/samples.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
expect 2 "samples.bin changed since the report was written" "$E" check --min-entropy 0.1 --allow-incomplete "$T/c2mod"
expect 2 "samples.bin changed since the report was written" "$E" check --min-entropy 0.1 --allow-incomplete "$T/c2mod/report/report.json"
cp -r "$ASD/c2" "$T/c2del"
rm "$T/c2del/raw.u64"
expect 2 "raw.u64, listed in the report, cannot be read" "$E" check --min-entropy 0.1 --allow-incomplete --junit "$T/in-err.xml" "$T/c2del/report/report.json"
check "input error: JUnit file with an error testcase" grep -q '<error message=.*raw.u64' "$T/in-err.xml"
expect 2 "cannot open" "$E" check --min-entropy 0.1 --junit "$T/in-err2.xml" "$T/no-such-dir"
check "missing report: JUnit error testcase" grep -q 'errors="1"' "$T/in-err2.xml"

# INCOMPLETE (no restart data, < 1e6 samples) fails unless --allow-incomplete
expect 1 "" "$E" check --min-entropy 0.1 "$ASD/c2"
check "INCOMPLETE: the verdict row fails with its reasons" grep -q "^report verdict .*FAIL.*INCOMPLETE: .*restart" "$T/out"
expect 0 "" "$E" check --min-entropy 0.1 --allow-incomplete "$ASD/c2"
check "--allow-incomplete: accepted" grep -q "accepted: --allow-incomplete" "$T/out"

# the baseline gate: estimators are information by default, gated with --per-estimator
sed 's/"h": [0-9.e-]*/"h": 0.99/' "$ASC1/report/report.json" >"$T/base-hi.json"
expect 0 "" "$E" check --baseline "$T/base-hi.json" --max-drop 5% "$ASC1"
check "per-estimator drops shown as info" grep -q "^mcv literal .* info " "$T/out"
check "final estimate gated" grep -q "^final entropy estimate .* ok " "$T/out"
expect 1 "" "$E" check --baseline "$T/base-hi.json" --max-drop 5% --per-estimator "$ASC1"
check "--per-estimator gates them" grep -q "^mcv literal .* FAIL " "$T/out"
expect 2 "--per-estimator needs --baseline" "$E" check --min-entropy 0.1 --per-estimator "$ASC1"

# JUnit: control characters made XML-safe; an unwritable path does not hide a regression
mkdir "$T/ctl$(printf '\001')dir"
cp "$ASC1/report/report.json" "$T/ctl$(printf '\001')dir/report.json"
expect 0 "" "$E" check --min-entropy 0.5 --junit "$T/ctl.xml" "$T/ctl$(printf '\001')dir/report.json"
check "no raw control character in the JUnit file" sh -c "! LC_ALL=C grep -q \"\$(printf '\001')\" '$T/ctl.xml'"
if command -v xmllint >/dev/null 2>&1; then
    check "JUnit with a control character parses" xmllint --noout "$T/ctl.xml"
    check "JUnit input error parses" xmllint --noout "$T/in-err.xml"
elif command -v python3 >/dev/null 2>&1; then
    check "JUnit with a control character parses" python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$T/ctl.xml"
    check "JUnit input error parses" python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$T/in-err.xml"
fi
expect 1 "no-such-dir" "$E" check --min-entropy 0.9 --junit "$T/no-such-dir/x.xml" "$ASC1"

# --- fix2: retired reports refused; a report folder of any name re-hashed; n/a and 0.00%
expect 2 "retired report" "$E" check --min-entropy 0.3 --allow-incomplete "$(ls -d "$ASD/re1"/report.stale-* | head -1)/report.json"
expect 2 "retired report" "$E" check --min-entropy 0.3 --allow-incomplete "$(ls -d "$ASD/re1"/report.stale-* | head -1)"
expect 2 "retired report" "$E" check --min-entropy 0.3 --baseline "$(ls -d "$ASD/re1"/report.stale-* | head -1)/report.json" "$ASD/c2"
cp -r "$ASD/c2" "$T/c2ren"
mv "$T/c2ren/report" "$T/c2ren/report-2024"
printf '\001' | dd of="$T/c2ren/samples.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
expect 2 "samples.bin changed since the report was written" "$E" check --min-entropy 0.1 --allow-incomplete "$T/c2ren/report-2024/report.json"
expect 2 "samples.bin changed since the report was written" sh -c "cd '$T/c2ren/report-2024' && '$E' check --min-entropy 0.1 --allow-incomplete report.json"
expect 0 "" "$E" check --min-entropy 0.1 --allow-incomplete "$ASD/c2"
check "INCOMPLETE: the verdict row shows n/a as current" grep -q "^report verdict  *- *n/a  ok" "$T/out"
expect 0 "" "$E" check --baseline "$ASD/c2" --allow-incomplete "$ASD/c2"
check "no drop prints 0.00%, never -0.00%" sh -c "grep -q ' 0.00% (allowed drop' '$T/out' && ! grep -q -- '-0.00%' '$T/out'"
