#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# render.sh - open an `ea90b assess` HTML report in headless Chromium: render
# it to PNG, fail on a blank page or on a script/console error.
#
#   tests/browser/render.sh BINDIR [OUT.png]
# Exits 0 on success, 1 on failure, 77 (skip) when no Chromium is installed.
set -u
BIN=$(cd "${1:?bin dir}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUTPNG=${2:-}
CHROME=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROME=$c; break; fi
done
if [ -z "$CHROME" ]; then
    echo "browser test skipped: no chromium (make check-browser installs it)"
    exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
D="$ROOT/data"
# the fixture builder of the CLI tests (only the mkcol function)
eval "$(sed -n '/^mkcol() {/,/^}$/p' "$ROOT/tests/cli/parts/assess.sh")"
mkcol "$T/col" "$D/vectors/iid_bytes_4bit.bin" 100000
"$BIN/ea90b" assess -q --claim 2 --seed 1 "$T/col" >/dev/null || { echo "FAIL: assess"; exit 1; }

shot() { # shot URL PNG LOG
    "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,2200 \
        --enable-logging=stderr --v=0 --user-data-dir="$T/profile" \
        --screenshot="$2" "$1" >"$3" 2>&1
}
fail=0
shot "file://$T/col/report/report.html" "$T/page.png" "$T/page.log"
shot "about:blank" "$T/blank.png" "$T/blank.log"
if [ ! -s "$T/page.png" ]; then
    echo "FAIL: chromium wrote no screenshot"; sed 's/^/  /' "$T/page.log" | tail -5; exit 1
fi
page=$(wc -c <"$T/page.png")
blank=$(wc -c <"$T/blank.png" 2>/dev/null || echo 0)
# a rendered report (text, tables, plots) compresses far worse than a blank page
if [ "$page" -lt 20000 ] || [ "$page" -lt $((blank * 4)) ]; then
    echo "FAIL: the report renders blank ($page bytes of PNG, blank page $blank)"; fail=1
fi
if grep -E "Uncaught|CONSOLE\(.*(rror|arning)|SyntaxError|ReferenceError" "$T/page.log"; then
    echo "FAIL: script or console error while rendering"; fail=1
fi
if ! "$CHROME" --headless --no-sandbox --disable-gpu --user-data-dir="$T/profile" --dump-dom \
        "file://$T/col/report/report.html" 2>/dev/null | grep -q "<svg"; then
    echo "FAIL: the rendered DOM has no SVG plot"; fail=1
fi
[ -n "$OUTPNG" ] && [ "$fail" -eq 0 ] && cp "$T/page.png" "$OUTPNG"
[ "$fail" -eq 0 ] && echo "browser: report rendered ($page bytes of PNG), no console errors"
exit "$fail"
