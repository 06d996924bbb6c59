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
