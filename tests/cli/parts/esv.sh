# SPDX-License-Identifier: Apache-2.0
# ea90b esv: ESV server files from the assessed collection $ASD/c1 (assess.sh).
expect 2 "missing collection directory" "$E" esv
expect 2 "too many operands" "$E" esv "$ASD/c1" extra
expect 1 "run \`ea90b assess\`" "$E" esv "$ASD/bad1"
expect 1 "ESV server takes 1000000" "$E" esv "$ASD/c2"
check "a refused esv writes nothing" test ! -e "$ASD/c2/esv"
expect 0 "" "$E" esv "$ASD/c1"
check "esv says DRAFT" grep -q "DRAFT" "$T/out"
check "raw_noise.bin has 1,000,000 samples" sh -c "test \$(wc -c <'$ASD/c1/esv/raw_noise.bin') -eq 1000000"
check "restart.bin has 1,000,000 samples" sh -c "test \$(wc -c <'$ASD/c1/esv/restart.bin') -eq 1000000"
ASG="$ASD/c1/esv/registration.draft.json"
check "registration is marked draft" sh -c "'$JT' get '$ASG' draft | grep -qx true"
for k in registration.0.esvVersion registration.1.bitsPerSample registration.1.iidClaim \
         registration.1.hminEstimate registration.1.numberOfRestarts registration.1.samplesPerRestart \
         registration.1.conditioningComponent registration.1.rawNoiseSHA256 registration.1.restartBitsSHA256 \
         dataFiles.rawNoise.sha256; do
    check "registration has $k" "$JT" get "$ASG" "$k"
done
check "bitsPerSample from the assessment" sh -c "'$JT' get '$ASG' registration.1.bitsPerSample | grep -qx 1"
same "iidClaim false: c1 was assessed without --iid-claim" "$("$JT" get "$ASG" registration.1.iidClaim)" false
check "hminEstimate is the validated estimate" sh -c "'$JT' get '$ASG' registration.1.hminEstimate | grep -qx 0.5"
check "1000 restarts of 1000 samples" sh -c "'$JT' get '$ASG' registration.1.numberOfRestarts | grep -qx 1000"
check "vendor-only fields are marked" sh -c "'$JT' get '$ASG' registration.1.physical | grep -q 'TO BE FILLED BY THE VENDOR'"
same "raw-noise hash matches the file" "$("$JT" get "$ASG" registration.1.rawNoiseSHA256)" "$(sha256sum "$ASD/c1/esv/raw_noise.bin" | cut -d' ' -f1)"
