# SPDX-License-Identifier: Apache-2.0
# The IID track only on the submitter's IID claim (issue 12, item 1; SP 800-90B
# §3.1.1-3.1.2): without --iid-claim the non-IID track decides even when every
# IID test passes (they are reported for information); with it the IID track
# decides when they pass, and a failed IID test falls back to non-IID and says
# so. Sourced by tests/cli/run.sh after assess.sh (mkcol, $ASD/c1, $ASD/c2).

# --- no claim: c1 (IID data, assessed by assess.sh without --iid-claim)
same "no claim: the non-IID track decides" "$("$JT" get "$ASD/c1/report/report.json" verdict.track)" non-iid
same "no claim: the IID tests still passed" "$("$JT" get "$ASD/c1/report/report.json" verdict.iid_passed)" true
same "no claim: recorded" "$("$JT" get "$ASD/c1/report/report.json" claim.iid)" false
same "no claim: the assessed value is the non-IID one" \
    "$("$JT" get "$ASD/c1/report/report.json" verdict.h_assessed)" \
    "$("$JT" get "$ASD/c1/report/report.json" noniid.report.results.h_assessed)"
check "no claim: the summary says the IID tests are for information" \
    grep -qF "passed, for information only: no IID claim (--iid-claim)" "$ASD/c1/report/report.md"

# --- the claim, supported: the IID track decides
IC="$T/iidclaim"
mkdir -p "$IC"
cp -r "$ASD/c1" "$IC/yes"
expect 0 "" "$E" assess -q --claim 0.5 --seed 7 --iid-claim "$IC/yes"
same "claim supported: the IID track decides" "$("$JT" get "$IC/yes/report/report.json" verdict.track)" iid
same "claim supported: the assessed value is the IID MCV estimate" \
    "$("$JT" get "$IC/yes/report/report.json" verdict.h_assessed)" \
    "$("$JT" get "$IC/yes/report/report.json" iid.report.min_entropy.h_assessed)"
check "claim supported: the summary says so" grep -qF "passed: IID claimed, IID track" "$IC/yes/report/report.md"
check "claim supported: reproduce repeats --iid-claim" sh -c "'$JT' get '$IC/yes/report/report.json' reproduce | grep -q -- --iid-claim"
expect 0 "" "$E" esv "$IC/yes"
same "ESV iidClaim true with a supported claim" "$("$JT" get "$IC/yes/esv/registration.draft.json" registration.1.iidClaim)" true
for f in registration.draft:registration certify.draft:certify supporting-documents:supporting-documents; do
    check "ESV ${f%%:*}.json with a supported claim matches its schema" "$(dirname "$JT")/schemacheck" \
        "$ROOT/tests/esv/${f#*:}.schema.json" "$IC/yes/esv/${f%%:*}.json"
done

# --- the claim, not supported: non-IID data falls back to non-IID and says so
mkcol "$IC/no" "$D/vectors/noniid_ar_8bit.bin" 100000
expect 0 "" "$E" assess -q --claim 1 --seed 7 --iid-claim "$IC/no"
same "claim refuted: the IID tests failed" "$("$JT" get "$IC/no/report/report.json" verdict.iid_passed)" false
same "claim refuted: the non-IID track decides" "$("$JT" get "$IC/no/report/report.json" verdict.track)" non-iid
check "claim refuted: the summary says the claim is not supported" \
    grep -qF "FAILED: the IID claim is not supported; the non-IID track decides" "$IC/no/report/report.md"
check "claim refuted: the IID section gives the reason" \
    grep -qF "IID claimed (--iid-claim) but not supported" "$IC/no/report/report.md"

# --- no report prints a negative zero (issue 12: "-0.0000" autocorrelations)
for r in "$ASD"/*/report/report.md "$IC"/*/report/report.md; do
    [ -f "$r" ] || continue
    check "no negative zero in $(basename "$(dirname "$(dirname "$r")")")/report.md" \
        sh -c "! grep -qE '(^|[^0-9A-Za-z.-])-0(\.0+)?([^0-9A-Za-z.]|\$)' '$r'"
done
