#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ear.sh - `ea90b ear` prints its draft with headless Chromium; the first page of
# ear.pdf, rendered to PNG by pdftoppm (poppler-utils), must not be blank and must
# carry its page number ("Page 1 of N", from the draft's CSS page-margin boxes).
#
#   tests/browser/ear.sh BINDIR [OUT.png]
# Exits 0 on success, 1 on failure, 77 (skip) without Chromium or poppler-utils.
set -u
BIN=$(cd "${1:?bin dir}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUTPNG=${2:-}
CHROME=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROME=$c; break; fi
done
if [ -z "$CHROME" ] || ! command -v pdftoppm >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    echo "EAR PDF test skipped: needs chromium and poppler-utils (make check-browser installs them)"
    exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
D="$ROOT/data"
# the fixture builder of the CLI tests (only the mkcol function)
eval "$(sed -n '/^mkcol() {/,/^}$/p' "$ROOT/tests/cli/parts/assess.sh")"
mkcol "$T/col" "$D/vectors/iid_bytes_4bit.bin" 100000
"$BIN/ea90b" assess -q --claim 2 --seed 1 "$T/col" >/dev/null 2>"$T/assess.log" || { echo "FAIL: assess"; cat "$T/assess.log"; exit 1; }
if ! "$BIN/ea90b" ear -q --no-docx -o "$T/ear" "$T/col" >"$T/ear.log" 2>&1; then
    echo "FAIL: ea90b ear"; sed 's/^/  /' "$T/ear.log" | tail -5; exit 1
fi
# a blank page of the same size, printed the same way, to compare with
printf '<!DOCTYPE html><html><head><style>@page{size:A4}</style></head><body></body></html>\n' >"$T/blank.html"
"$CHROME" --headless --no-sandbox --disable-gpu --no-pdf-header-footer --user-data-dir="$T/profile" \
    --print-to-pdf="$T/blank.pdf" "file://$T/blank.html" >/dev/null 2>&1
fail=0
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$T/ear/ear.pdf" "$T/page" 2>"$T/ppm.log"
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$T/blank.pdf" "$T/blank" 2>/dev/null
if [ ! -s "$T/page.png" ]; then
    echo "FAIL: pdftoppm rendered nothing from ear.pdf"; sed 's/^/  /' "$T/ppm.log" | tail -5; exit 1
fi
page=$(wc -c <"$T/page.png")
blank=$(wc -c <"$T/blank.png" 2>/dev/null || echo 0)
# a page of text and tables compresses far worse than a blank one
if [ "$page" -lt 10000 ] || [ "$page" -lt $((blank * 4)) ]; then
    echo "FAIL: the first page of ear.pdf renders blank ($page bytes of PNG, blank page $blank)"; fail=1
fi
if ! pdftotext -f 1 -l 1 "$T/ear/ear.pdf" - 2>/dev/null | grep -qE "Page 1 of [0-9]+"; then
    echo "FAIL: the first page of ear.pdf has no page number (Page 1 of N)"; fail=1
fi
[ -n "$OUTPNG" ] && [ "$fail" -eq 0 ] && cp "$T/page.png" "$OUTPNG"
[ "$fail" -eq 0 ] && echo "browser: ear.pdf page 1 rendered ($page bytes of PNG, blank page $blank), numbered"
exit "$fail"
