# SPDX-License-Identifier: Apache-2.0
# ea90b assess --collect (issue 10): the collection engine runs in the assess
# process itself (no re-exec of the binary), with collect's defaults, and the
# result is assessed. Sourced by tests/cli/run.sh.
AC="$T/assess-collect"
expect 0 "" "$E" assess --collect --osr 3 --seed 1 -q "$AC"
check "assess --collect: the collection verifies" "$E" verify -q "$AC"
check "assess --collect: a report was written" test -s "$AC/report/report.json"
check "assess --collect: SP 800-90B amounts (1e6 samples)" sh -c "'$JT' get '$AC/manifest.json' samples | grep -qx 1000000"
check "assess --collect: 1000x1000 exec restarts" sh -c \
    "'$JT' get '$AC/manifest.json' restarts.rows | grep -qx 1000 && '$JT' get '$AC/manifest.json' restarts.mode | grep -qx exec"
check "assess --collect: the manifest names the assess command line" sh -c \
    "'$JT' get '$AC/manifest.json' command_line | grep -q 'assess --collect'"
mkdir -p "$T/ac-full" && echo keep >"$T/ac-full/keep"
expect 1 "nothing assessed" "$E" assess --collect --osr 3 --seed 1 -q "$T/ac-full"
check "assess --collect: a refused directory is left alone" test "$(ls "$T/ac-full")" = keep
expect 2 "--collect records exactly one directory" "$E" assess --collect --osr 3 "$T/a" "$T/b"
