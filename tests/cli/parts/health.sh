# ea90b health: SP 800-90B 4.4 health-test cutoffs and replay (sourced by tests/cli/run.sh)
head -c 5000 /dev/zero >"$T/h_stuck.bin"

expect 2 "Usage" "$E" health
expect 2 "expected 'cutoffs' or 'replay'" "$E" health frob
expect 2 "--entropy H) or --osr N" "$E" health cutoffs
expect 2 "--entropy H) or --osr N" "$E" health cutoffs --entropy 1 --osr 2
expect 2 "--entropy needs a number" "$E" health cutoffs --entropy lots
expect 2 "--alpha needs a number" "$E" health cutoffs --entropy 1 --alpha often
expect 2 "--osr needs an integer" "$E" health cutoffs --osr 0
expect 2 "replay needs a sample FILE" "$E" health replay
expect 2 "unknown option" "$E" health cutoffs --entropy 1 --bogus
expect 1 "H must be greater than 0 and at most 8" "$E" health cutoffs --entropy 0
expect 1 "at most 1 for binary data" "$E" health cutoffs --entropy 2 --binary
expect 1 "alpha must be greater than 0 and less than 1" "$E" health cutoffs --entropy 1 --alpha 1.5
expect 1 "cannot open" "$E" health replay "$T/does-not-exist.bin" --entropy 1
expect 1 "is empty" "$E" health replay "$T/empty.bin" --entropy 1

expect 0 "" "$E" health cutoffs --entropy 0.5 --binary
check "RCT 41 and APT 410 at 2^-20" grep -Eq "2\^-20 +41 +410 " "$T/out"
check "table runs to 2^-60" grep -q "2^-60" "$T/out"
expect 0 "" "$E" health cutoffs 0.5 --alpha-log2 20 --binary --json
check "positional H and --alpha-log2 (as ea90b assess writes them)" sh -c "grep -q '\"apt_cutoff\": 410' '$T/out'"
expect 0 "" "$E" health cutoffs --osr 3
check "jitterentropy OSR 3: 459 intermittent" grep -Eq "jent intermittent +2\^-30 +91 +459" "$T/out"
check "jitterentropy OSR 3: 479 permanent" grep -Eq "jent permanent +2\^-60 +181 +479" "$T/out"
expect 0 "" "$E" health replay "$T/h_stuck.bin" --entropy 0.5 -o "$T/h_replay.json"
check "stuck data fails the RCT" sh -c "'$JT' get '$T/h_replay.json' rows.0.rct_failures | grep -qx 1"
check "stuck data fails every APT window" sh -c "'$JT' get '$T/h_replay.json' rows.0.apt_failures | grep -qx 9"
check "binary window inferred" sh -c "'$JT' get '$T/h_replay.json' rows.0.apt_window | grep -qx 512"
expect 0 "" "$E" health replay "$D/vectors/iid_bytes_4bit.bin" --entropy 3
check "clean data: no failures" grep -q "no failures" "$T/out"
expect 0 "" "$E" health replay "$D/vectors/iid_bytes_4bit.bin" --osr 1
check "replay with the jitterentropy profile" grep -q "jent permanent" "$T/out"
