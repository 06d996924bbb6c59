# ea90b health: SP 800-90B 4.4 health-test cutoffs and replay (sourced by tests/cli/run.sh)
head -c 5000 /dev/zero >"$T/h_stuck.bin"
printf 'ab%.0s' $(seq 2048) >"$T/h_two.bin"     # two distinct values: a binary source

expect 2 "Usage" "$E" health
expect 2 "expected 'cutoffs' or 'replay'" "$E" health frob
expect 2 "needs the entropy claim (--entropy H, or H as an operand) or --osr N" "$E" health cutoffs
expect 2 "give either the entropy claim (--entropy H) or --osr N, not both" "$E" health cutoffs --entropy 1 --osr 2
expect 2 "--entropy needs a number" "$E" health cutoffs --entropy lots
expect 2 "--alpha needs a number" "$E" health cutoffs --entropy 1 --alpha often
expect 2 "--osr needs an integer" "$E" health cutoffs --osr 0
expect 2 "replay needs a sample FILE" "$E" health replay
expect 2 "unknown option" "$E" health cutoffs --entropy 1 --bogus
expect 1 "H must be greater than 0 and at most 8" "$E" health cutoffs --entropy 0
expect 1 "at most 1 for binary data" "$E" health cutoffs --entropy 2 --binary
expect 1 "alpha must be at least 2^-1000 and less than 1, got 1.5" "$E" health cutoffs --entropy 1 --alpha 1.5
expect 1 "alpha must be at least 2^-1000 and less than 1, got 2^-2000" "$E" health cutoffs --entropy 1 --alpha 2^-2000
expect 1 "too small for alpha = 2^-60: the RCT cutoff 1 + ceil(-log2(alpha)/H) must stay below 2^31; give H >= 2.79e-08" \
    "$E" health cutoffs --entropy 1e-9
expect 1 "too small for alpha = 2^-20" "$E" health cutoffs --entropy 1e-9 --alpha 2^-20
expect 1 "cannot open" "$E" health replay "$T/does-not-exist.bin" --entropy 1
expect 1 "is empty" "$E" health replay "$T/empty.bin" --entropy 1

# SP 800-90B 4.4.2: W = 512 for a non-binary source, 1024 for a binary one
expect 0 "" "$E" health cutoffs --entropy 0.5
check "non-binary: window 512, RCT 41 and APT 410 at 2^-20" sh -c "grep -q 'APT window 512\$' '$T/out' && grep -Eq '2\^-20 +41 +410 ' '$T/out'"
check "table runs to 2^-60" grep -q "2^-60" "$T/out"
check "the rate column is the test as run" grep -Eq "2\^-20 +41 +410  1.02e-06" "$T/out"
expect 0 "" "$E" health cutoffs --entropy 1 --binary --alpha 2^-20
check "binary: window 1024, APT 589" sh -c "grep -q 'APT window 1024 (binary)' '$T/out' && grep -Eq '2\^-20 +21 +589 ' '$T/out'"
expect 0 "" "$E" health cutoffs 0.5 --alpha-log2 20 --json
check "positional H and --alpha-log2 (as ea90b assess writes them)" sh -c "grep -q '\"apt_cutoff\": 410' '$T/out'"
expect 0 "" "$E" health cutoffs --entropy 0.01 --alpha 2^-20
check "APT that cannot fail is marked" grep -q "513  0 (cannot fail)" "$T/out"
expect 0 "" "$E" health cutoffs --osr 3
check "jitterentropy OSR 3: 459 intermittent" grep -Eq "jent intermittent +2\^-30 +91 +459" "$T/out"
check "jitterentropy OSR 3: 479 permanent" grep -Eq "jent permanent +2\^-60 +181 +479" "$T/out"
check "jitterentropy window 512" grep -q "APT window 512" "$T/out"
expect 0 "" "$E" health replay "$T/h_stuck.bin" --entropy 0.5 -o "$T/h_replay.json"
check "stuck data fails the RCT" sh -c "'$JT' get '$T/h_replay.json' rows.0.rct_failures | grep -qx 1"
check "stuck data fails every APT window" sh -c "'$JT' get '$T/h_replay.json' rows.0.apt_failures | grep -qx 9"
check "one-valued data is not binary: window 512" sh -c "'$JT' get '$T/h_replay.json' rows.0.apt_window | grep -qx 512"
check "stuck data: excess failures" sh -c "'$JT' get '$T/h_replay.json' rows.0.excess_failures | grep -qx true"
expect 0 "" "$E" health replay "$T/h_stuck.bin" --entropy 0.5
check "stuck data: verdict in text" grep -q "EXCESS FAILURES: RCT 1 (chance explains up to 2), APT 9 (up to 1)" "$T/out"
expect 0 "" "$E" health replay "$T/h_two.bin" --entropy 0.5 -o "$T/h_two.json"
check "two-valued data is binary: window 1024" sh -c "'$JT' get '$T/h_two.json' rows.0.apt_window | grep -qx 1024"
expect 0 "" "$E" health replay "$D/vectors/iid_bytes_4bit.bin" --entropy 3
check "clean data: no failures" grep -q "no failures" "$T/out"
expect 0 "" "$E" health replay "$D/vectors/iid_bytes_4bit.bin" --entropy 4 --alpha 0.001 -o "$T/h_iid.json"
check "failures at a large alpha are within chance" sh -c "'$JT' get '$T/h_iid.json' rows.0.excess_failures | grep -qx false && '$JT' get '$T/h_iid.json' rows.0.rct_failures | grep -qx 256"
expect 0 "" "$E" health replay "$D/vectors/iid_bytes_4bit.bin" --entropy 0.01
check "replay says when the APT cannot fail" grep -q "the APT cannot fail at this claim: cutoff 513 exceeds the window 512" "$T/out"
expect 0 "" "$E" health replay "$D/vectors/iid_bytes_4bit.bin" --osr 1
check "replay with the jitterentropy profile" grep -q "jent permanent" "$T/out"
