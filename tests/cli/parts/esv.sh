# SPDX-License-Identifier: Apache-2.0
# ea90b esv (issue 14; docs/esv.md): the ESV server's data files and the registration,
# certify and supporting-documents drafts, from the assessed collection $ASD/c1 of
# assess.sh and a second operational environment made from it here. Every draft
# written is checked against its JSON Schema in tests/esv/ with schemacheck, and
# the schemas are shown to reject drafts that depart from the protocol.
SC="$(dirname "$JT")/schemacheck"
SD="$ROOT/tests/esv"
EV="$T/esv"
mkdir -p "$EV"

# esv_valid 'label' DIR: the three drafts in DIR validate against their schemas
esv_valid() {
    check "$1: registration.draft.json matches the schema" "$SC" "$SD/registration.schema.json" "$2/registration.draft.json"
    check "$1: certify.draft.json matches the schema" "$SC" "$SD/certify.schema.json" "$2/certify.draft.json"
    check "$1: supporting-documents.json matches the schema" "$SC" "$SD/supporting-documents.schema.json" "$2/supporting-documents.json"
}

# --- schemacheck itself: the keywords the schemas rely on, and an unknown one refused
cat >"$EV/mini.schema.json" <<'EOS'
{"$schema": "https://json-schema.org/draft/2020-12/schema",
 "type": "object", "required": ["id", "n"], "additionalProperties": false,
 "properties": {"id": {"type": "string", "pattern": "^E[0-9]+$"},
                "n": {"anyOf": [{"type": "integer", "minimum": 1}, {"$ref": "#/$defs/mark"}]},
                "v": {"oneOf": [{"const": true}, {"const": false}]},
                "tag": {"$ref": "#/$defs/mark"}},
 "$defs": {"mark": {"type": "string", "pattern": "^<.+>$"}}}
EOS
printf '{"id": "E12", "n": 3, "v": false}\n' >"$EV/mini-ok1.json"
printf '{"id": "E1", "n": "<later>", "tag": "<x>"}\n' >"$EV/mini-ok2.json"
printf '{"id": "X1", "n": 1}\n' >"$EV/mini-pattern.json"
printf '{"id": "E1", "n": 0}\n' >"$EV/mini-anyof.json"
printf '{"id": "E1", "n": 1, "extra": 1}\n' >"$EV/mini-extra.json"
printf '{"id": "E1"}\n' >"$EV/mini-required.json"
printf '{"id": "E1", "n": 1, "tag": "x"}\n' >"$EV/mini-ref.json"
printf '{"id": "E1", "n": 1, "v": "true"}\n' >"$EV/mini-oneof.json"
printf '{"id": "E1", "n": 1,\n' >"$EV/mini-notjson.json"
printf '{"type": "array", "uniqueItems": true}\n' >"$EV/unknown.schema.json"
expect 0 "" "$SC" "$EV/mini.schema.json" "$EV/mini-ok1.json" "$EV/mini-ok2.json"
expect 1 "does not match the pattern" "$SC" "$EV/mini.schema.json" "$EV/mini-pattern.json"
expect 1 "matches none of the anyOf alternatives" "$SC" "$EV/mini.schema.json" "$EV/mini-anyof.json"
expect 1 "does not allow (additionalProperties)" "$SC" "$EV/mini.schema.json" "$EV/mini-extra.json"
expect 1 "the required member 'n' is missing" "$SC" "$EV/mini.schema.json" "$EV/mini-required.json"
expect 1 "/tag: does not match the pattern" "$SC" "$EV/mini.schema.json" "$EV/mini-ref.json"
expect 1 "matches 0 of the oneOf alternatives" "$SC" "$EV/mini.schema.json" "$EV/mini-oneof.json"
expect 1 "not JSON" "$SC" "$EV/mini.schema.json" "$EV/mini-notjson.json"
expect 1 "INVALID" "$SC" "$EV/mini.schema.json" "$EV/mini-ok1.json" "$EV/mini-pattern.json"
expect 2 "keyword 'uniqueItems' is not implemented" "$SC" "$EV/unknown.schema.json" "$EV/mini-ok1.json"
expect 2 "usage" "$SC" "$EV/mini.schema.json"

# --- refusals: a clear message, a non-zero exit, nothing written
mkcol "$EV/unassessed" "$D/vectors/restart_iid_1bit.bin" 1000000 "$D/vectors/restart_iid_1bit.bin"
expect 2 "missing collection directory" "$E" esv
expect 2 "several collections (one per OE) need -o OUT" "$E" esv "$ASD/c1" "$EV/unassessed"
expect 2 "the same collection is given twice" "$E" esv -o "$EV/x" "$ASD/c1" "$ASD/c1/"
expect 2 "--conditioning needs" "$E" esv --conditioning vetted,64 "$ASD/c1"
expect 2 "--conditioning needs" "$E" esv --conditioning nonvetted,64,32,64,1.5 "$ASD/c1"
expect 2 "--conditioning needs" "$E" esv --conditioning hashed,64,32,64 "$ASD/c1"
expect 2 "an option needs a value" "$E" esv "$ASD/c1" -o
expect 2 "-o needs a directory name" "$E" esv -o "" "$ASD/c1"
expect 2 "must be valid UTF-8" "$E" esv "$EV/$(printf 'latin1\377')"
expect 1 "cannot read the collection" "$E" esv "$EV/nosuchdir"
expect 1 "run \`ea90b assess\`" "$E" esv "$EV/unassessed"
check "an unassessed collection gets no esv" test ! -e "$EV/unassessed/esv"
expect 1 "ESV server takes 1000000" "$E" esv "$ASD/c2"
check "a refused esv writes nothing" test ! -e "$ASD/c2/esv"
cp -r "$ASD/c1" "$EV/c1copy"
rm -rf "$EV/c1copy/esv"
expect 1 "hold the same raw noise" "$E" esv -o "$EV/same" "$ASD/c1" "$EV/c1copy"
check "same raw noise twice: nothing written" test ! -e "$EV/same"
mkdir -p "$EV/foreign"
echo "keep me" >"$EV/foreign/notes.txt"
expect 1 "not replacing it" "$E" esv -o "$EV/foreign" "$ASD/c1"
check "a foreign -o directory is left as it was" sh -c "test \"\$(ls '$EV/foreign')\" = notes.txt && grep -qx 'keep me' '$EV/foreign/notes.txt'"
mkdir -p "$EV/lookalike"
echo '{"draft": true}' >"$EV/lookalike/registration.draft.json"
expect 1 "holds no registration draft written by ea90b esv" "$E" esv -o "$EV/lookalike" "$ASD/c1"
echo "a file" >"$EV/plainfile"
expect 1 "is not a directory" "$E" esv -o "$EV/plainfile" "$ASD/c1"
check "a plain -o file is left as it was" grep -qx "a file" "$EV/plainfile"
check "refused runs leave no temporary directory" sh -c "! ls '$EV' | grep -q 'tmp-'"

# --- one OE (c1, assessed by assess.sh without --iid-claim), written to DIR/esv
rm -rf "$ASD/c1/esv"
expect 0 "" "$E" esv "$ASD/c1"
check "esv says DRAFT" grep -q "DRAFT" "$T/out"
O1="$ASD/c1/esv"
esv_valid "one OE" "$O1"
check "raw_noise.bin has 1,000,000 samples" sh -c "test \$(wc -c <'$O1/raw_noise.bin') -eq 1000000"
check "restart.bin has 1,000,000 samples" sh -c "test \$(wc -c <'$O1/restart.bin') -eq 1000000"
check "raw_noise.bin is the start of samples.bin" sh -c "head -c 1000000 '$ASD/c1/samples.bin' | cmp -s - '$O1/raw_noise.bin'"
R1="$O1/registration.draft.json"
for f in registration.draft.json certify.draft.json supporting-documents.json; do
    same "$f says draft: true" "$("$JT" get "$O1/$f" draft)" true
done
same "esvVersion 1.0" "$("$JT" get "$R1" registration.0.esvVersion)" 1.0
same "numberOfOEs 1" "$("$JT" get "$R1" registration.1.numberOfOEs)" 1
same "bitsPerSample from the assessment" "$("$JT" get "$R1" registration.1.bitsPerSample)" 1
same "iidClaim false: c1 was assessed without --iid-claim" "$("$JT" get "$R1" registration.1.iidClaim)" false
same "hminEstimate is the validated estimate" "$("$JT" get "$R1" registration.1.hminEstimate)" "$("$JT" get "$ASD/c1/report/report.json" restart.h_min)"
same "1000 restarts" "$("$JT" get "$R1" registration.1.numberOfRestarts)" 1000
same "1000 samples per restart" "$("$JT" get "$R1" registration.1.samplesPerRestart)" 1000
[ "$("$JT" get "$ASD/c1/report/report.json" conditioning.status)" = ran ] ||
    same "no conditioning: an empty conditioningComponent" "$("$JT" get "$R1" registration.1.conditioningComponent)" "[]"
check "no itar in the registration" sh -c "! '$JT' get '$R1' registration.1.itar"
check "itar in the certify draft" "$JT" get "$O1/certify.draft.json" certify.1.itar
for k in primaryNoiseSource physical additionalNoiseSources; do
    check "$k is marked for the vendor" sh -c "'$JT' get '$R1' registration.1.$k | grep -q '^<TO BE FILLED BY THE VENDOR: '"
done
same "the raw-noise hash is the file's" "$("$JT" get "$R1" operationalEnvironments.0.dataFiles.rawNoiseBits.sha256)" "$(sha256sum "$O1/raw_noise.bin" | cut -d' ' -f1)"
same "the restart hash is the file's" "$("$JT" get "$R1" operationalEnvironments.0.dataFiles.restartTestBits.sha256)" "$(sha256sum "$O1/restart.bin" | cut -d' ' -f1)"
same "one entropyAssessments entry in the certify draft" "$("$JT" get "$O1/certify.draft.json" certify.1.entropyAssessments.0.oeId | cut -c1-28)" "<TO BE FILLED BY THE VENDOR:"
check "no second entropyAssessments entry" sh -c "! '$JT' get '$O1/certify.draft.json' certify.1.entropyAssessments.1"
SUP="$O1/supporting-documents.json"
same "the EAR upload" "$("$JT" get "$SUP" supportingDocuments.0.sdType) $("$JT" get "$SUP" supportingDocuments.0.sdFile)" "EntropyAssessmentReport ear.pdf"
same "the PUD upload" "$("$JT" get "$SUP" supportingDocuments.1.sdType) $("$JT" get "$SUP" supportingDocuments.1.sdFile)" "PublicUseDocument pud.pdf"
same "a second run replaces its own output" "$("$E" esv "$ASD/c1" >/dev/null 2>&1; echo $?) $(ls "$O1" | LC_ALL=C sort | tr '\n' ' ')" \
    "0 SHA256SUMS certify.draft.json raw_noise.bin registration.draft.json restart.bin supporting-documents.json "
check "SHA256SUMS lists every file esv wrote" sh -c "cd '$O1' && sha256sum -c --quiet SHA256SUMS && test \$(wc -l <SHA256SUMS) -eq 5"
# a draft the vendor filled in is never replaced (nor is a data file that changed)
cp "$R1" "$EV/unfilled.json"
sed 's/"physical": "<TO BE FILLED[^"]*"/"physical": true/' "$R1" >"$EV/filled.json"
cp "$EV/filled.json" "$R1"
expect 1 "holds 'registration.draft.json', changed since ea90b esv wrote it" "$E" esv "$ASD/c1"
check "a filled-in draft is kept" grep -q '"physical": true' "$R1"
cp "$EV/unfilled.json" "$R1"
cp "$O1/restart.bin" "$O1/restart-oe7.bin"
expect 1 "holds 'restart-oe7.bin', changed since ea90b esv wrote it" "$E" esv "$ASD/c1"
rm -f "$O1/restart-oe7.bin"
expect 0 "" "$E" esv "$ASD/c1"
# the validated estimate is min(H_r, H_c, H_I) (restart.h_min): with H_r below H_I, hminEstimate is H_r,
# not verdict.h_final (H_I)
cp -r "$ASD/c1" "$EV/lowhr"
rm -rf "$EV/lowhr/esv"
sed -e 's/^    "h_r": .*,$/    "h_r": 0.375,/' -e 's/^    "h_rc_min": .*,$/    "h_rc_min": 0.375,/' \
    -e 's/^    "h_min": .*,$/    "h_min": 0.375,/' "$ASD/c1/report/report.json" >"$EV/lowhr/report/report.json"
expect 0 "" "$E" esv "$EV/lowhr"
same "hminEstimate is min(H_r, H_c, H_I), below verdict.h_final (H_I)" \
    "$("$JT" get "$EV/lowhr/esv/registration.draft.json" registration.1.hminEstimate) $("$JT" get "$EV/lowhr/report/report.json" verdict.h_final)" \
    "0.375 0.5"

# --- two OEs and one non-vetted conditioning component: c1 and c1b (c1's bits inverted, assessed here)
tr '\000\001' '\001\000' <"$D/vectors/restart_iid_1bit.bin" >"$EV/inverted.bin"
mkcol "$EV/c1b" "$EV/inverted.bin" 1000000 "$EV/inverted.bin"
expect 0 "" "$E" assess -q --claim 0.5 --seed 7 "$EV/c1b"
O2="$EV/two"
expect 0 "" "$E" esv -o "$O2" --conditioning nonvetted,64,32,64,0.9 "$ASD/c1" "$EV/c1b"
check "two OEs: stdout says DRAFT" grep -q "DRAFT: registration, numberOfOEs 2, 1 conditioning component" "$T/out"
esv_valid "two OEs" "$O2"
R2="$O2/registration.draft.json"
for f in raw_noise-oe1.bin restart-oe1.bin raw_noise-oe2.bin restart-oe2.bin; do
    check "two OEs: $f has 1,000,000 samples" sh -c "test \$(wc -c <'$O2/$f') -eq 1000000"
done
check "two OEs: OE 2's raw noise is c1b's" sh -c "head -c 1000000 '$EV/c1b/samples.bin' | cmp -s - '$O2/raw_noise-oe2.bin'"
same "two OEs: numberOfOEs 2" "$("$JT" get "$R2" registration.1.numberOfOEs)" 2
same "two OEs: one record per OE" "$("$JT" get "$R2" operationalEnvironments.1.oe)" 2
check "two OEs: no third record" sh -c "! '$JT' get '$R2' operationalEnvironments.2"
same "two OEs: OE 2's collection" "$("$JT" get "$R2" operationalEnvironments.1.collection)" "$EV/c1b"
same "two OEs: OE 2's data file" "$("$JT" get "$R2" operationalEnvironments.1.dataFiles.rawNoiseBits.file)" raw_noise-oe2.bin
same "two OEs: two entropyAssessments in the certify draft" "$("$JT" get "$O2/certify.draft.json" certify.1.entropyAssessments.1.eaId | grep -c 'OE 2')" 1
H2=$("$JT" get "$R2" registration.1.hminEstimate)
same "two OEs: hminEstimate is the lower of the two validated estimates" "$H2" \
    "$(printf '%s\n%s\n' "$("$JT" get "$ASD/c1/report/report.json" restart.h_min)" \
        "$("$JT" get "$EV/c1b/report/report.json" restart.h_min)" | sort -g | head -1)"
HIN=$(awk -v h="$H2" 'BEGIN { printf "%.17g", 64 * h }')
CC="registration.1.conditioningComponent"
same "component: sequencePosition 1" "$("$JT" get "$R2" "$CC.0.sequencePosition")" 1
same "component: non-vetted" "$("$JT" get "$R2" "$CC.0.vetted")" false
same "component: minNin" "$("$JT" get "$R2" "$CC.0.minNin")" 64
same "component: nw" "$("$JT" get "$R2" "$CC.0.nw")" 64
same "component: nOut" "$("$JT" get "$R2" "$CC.0.nOut")" 32
same "component: minHin = 64 bits x hminEstimate" "$("$JT" get "$R2" "$CC.0.minHin")" "$HIN"
"$E" conditioning -n 64 32 64 "$HIN" 0.9 --json >"$EV/cond.json" 2>/dev/null
same "component: hOut as ea90b conditioning computes it" "$("$JT" get "$R2" "$CC.0.hOut")" "$("$JT" get "$EV/cond.json" h_out)"
check "component: bijectiveClaim is the vendor's" sh -c "'$JT' get '$R2' $CC.0.bijectiveClaim | grep -q '^<TO BE FILLED BY THE VENDOR: '"
check "component: description is the vendor's" sh -c "'$JT' get '$R2' $CC.0.description | grep -q '^<TO BE FILLED BY THE VENDOR: '"
check "component: no validationNumber when non-vetted" sh -c "! '$JT' get '$R2' $CC.0.validationNumber"
check "component: no second component" sh -c "! '$JT' get '$R2' $CC.1"
same "non-vetted: conditionedBits listed for OE 2" "$("$JT" get "$R2" operationalEnvironments.1.dataFiles.conditionedBits.0.sequencePosition)" 1

# a refused run leaves the earlier output as it was
h2=$(sha256sum "$R2" | cut -d' ' -f1)
expect 1 "ESV server takes 1000000" "$E" esv -o "$O2" "$ASD/c1" "$ASD/c2"
same "a refused run keeps the earlier output" "$(sha256sum "$R2" | cut -d' ' -f1)" "$h2"

# a vetted component, then a chain of two (the second fed by the first's output)
expect 0 "" "$E" esv -o "$EV/vetted" --conditioning vetted,256,128,256 "$ASD/c1"
esv_valid "vetted" "$EV/vetted"
RV="$EV/vetted/registration.draft.json"
check "vetted: validationNumber is the vendor's" sh -c "'$JT' get '$RV' $CC.0.validationNumber | grep -q '^<TO BE FILLED BY THE VENDOR: '"
check "vetted: no bijectiveClaim" sh -c "! '$JT' get '$RV' $CC.0.bijectiveClaim"
same "vetted: no conditionedBits upload" "$("$JT" get "$RV" operationalEnvironments.0.dataFiles.conditionedBits)" "[]"
expect 0 "" "$E" esv -o "$EV/chain" --conditioning nonvetted,64,32,64,1 --conditioning vetted,256,128,256 "$ASD/c1"
esv_valid "chain" "$EV/chain"
same "chain: the second component's position" "$("$JT" get "$EV/chain/registration.draft.json" "$CC.1.sequencePosition")" 2
"$E" conditioning -n 64 32 64 "$(awk -v h="$("$JT" get "$R1" registration.1.hminEstimate)" 'BEGIN { printf "%.17g", 64 * h }')" 1 --json >"$EV/cond1.json" 2>/dev/null
same "chain: the second's input entropy is 256 x hOut/nOut of the first" \
    "$(awk -v h="$("$JT" get "$EV/chain/registration.draft.json" "$CC.1.minHin")" 'BEGIN { printf "%.10g", h }')" \
    "$(awk -v h="$("$JT" get "$EV/cond1.json" h_out)" 'BEGIN { printf "%.10g", 256 * h / 32 }')"

# --- the schemas bite: drafts that depart from the protocol are rejected (exit 1)
sed 's/"numberOfOEs": 2,/"numberOfOEs": 2, "itar": false,/' "$R2" >"$EV/bad-itar.json"
expect 1 "does not allow (additionalProperties)" "$SC" "$SD/registration.schema.json" "$EV/bad-itar.json"
sed '/"numberOfOEs":/d' "$R2" >"$EV/bad-nooes.json"
expect 1 "the required member 'numberOfOEs' is missing" "$SC" "$SD/registration.schema.json" "$EV/bad-nooes.json"
sed 's/"bitsPerSample": 1,/"bitsPerSample": "1",/' "$R2" >"$EV/bad-type.json"
expect 1 "not of type" "$SC" "$SD/registration.schema.json" "$EV/bad-type.json"
sed 's/"hminEstimate": \([0-9.e-]*\),/"hminEstimate": "\1",/' "$R2" >"$EV/bad-hmin.json"
expect 1 "hminEstimate" "$SC" "$SD/registration.schema.json" "$EV/bad-hmin.json"
sed 's/"minNin":/"minNIn":/' "$R2" >"$EV/bad-spelling.json"
expect 1 "conditioningComponent/0" "$SC" "$SD/registration.schema.json" "$EV/bad-spelling.json"
sed 's/"vetted": false,/"vetted": false, "validationNumber": "A1",/' "$R2" >"$EV/bad-validation.json"
expect 1 "conditioningComponent/0" "$SC" "$SD/registration.schema.json" "$EV/bad-validation.json"
sed 's/"draft": true,/"draft": false,/' "$R2" >"$EV/bad-draft.json"
expect 1 "not the constant true" "$SC" "$SD/registration.schema.json" "$EV/bad-draft.json"
sed 's/"esvVersion": "1.0"/"esvVersion": "2.0"/' "$R2" >"$EV/bad-version.json"
expect 1 "/registration/0/esvVersion" "$SC" "$SD/registration.schema.json" "$EV/bad-version.json"
sed '/"itar":/d' "$O2/certify.draft.json" >"$EV/bad-certify.json"
expect 1 "the required member 'itar' is missing" "$SC" "$SD/certify.schema.json" "$EV/bad-certify.json"
sed 's/"PublicUseDocument"/"PUD"/' "$O2/supporting-documents.json" >"$EV/bad-sdtype.json"
expect 1 "not one of the values the enum allows" "$SC" "$SD/supporting-documents.schema.json" "$EV/bad-sdtype.json"
sed 's/"pud.pdf"/"pud.txt"/' "$O2/supporting-documents.json" >"$EV/bad-sdfile.json"
expect 1 "sdFile" "$SC" "$SD/supporting-documents.schema.json" "$EV/bad-sdfile.json"
