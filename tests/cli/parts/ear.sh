# SPDX-License-Identifier: Apache-2.0
# ea90b ear: the Entropy Assessment Report draft from the collections assess.sh assessed
# ($ASD/c1: 1,000,000 1-bit samples with restart data; $ASD/c2: 4-bit, no restart data).
# The converters run once (pandoc, headless Chromium: a few seconds); each check that
# needs pandoc, chromium or pdftotext says so and is skipped where the tool is missing.
EAR="$T/ear"
mkdir -p "$EAR"
cp -r "$ASD/c1" "$EAR/c1"
# every section title, in order (reports/ear.c)
EAR_TITLES="1. Introduction
2. Noise source description
3. Entropy justification
4. Data collection
5. Operational environments
6. Raw data characterisation
7. Entropy estimates (IID and non-IID)
8. Restart tests
9. Conditioning
10. Health tests
11. Conclusion
12. SP 800-90B requirements
13. Reproducing the numbers"
# the assessed value and the claim as the draft shows them (6 significant digits)
EAR_H=$(printf '%.6g' "$("$JT" get "$ASD/c1/report/report.json" verdict.h_assessed)")
EAR_CLAIM=$(printf '%.6g' "$("$JT" get "$ASD/c1/report/report.json" claim.h)")

# ear_has 'description' FILE: FILE's text (newlines as spaces) holds every title, the
# assessed value and the claim as "H_submitter = CLAIM bits"
ear_has() {
    tr '\n' ' ' <"$2" | tr -s ' ' >"$T/ear.flat"
    ear_ifs=$IFS
    IFS='
'
    for t in $EAR_TITLES; do
        check "$1 has section '$t'" grep -qF -- "$t" "$T/ear.flat"
    done
    IFS=$ear_ifs
    check "$1 has the assessed value $EAR_H" grep -qF -- "$EAR_H" "$T/ear.flat"
    check "$1 has the claim $EAR_CLAIM" grep -qF -- "H_submitter = $EAR_CLAIM bits" "$T/ear.flat"
}

# --- usage errors: exit 2, nothing written
expect 2 "missing collection directory" "$E" ear
expect 2 "several collections (one per OE) need -o EAR_DIR" "$E" ear "$ASD/c1" "$ASD/c2"
expect 2 "invalid option" "$E" ear --pdf "$ASD/c1"
expect 2 "an option needs a value" "$E" ear "$ASD/c1" -o
expect 2 "the same collection is given twice" "$E" ear -o "$EAR/x" "$ASD/c1" "$ASD/c1"
expect 2 "-o needs a directory name" "$E" ear -o "" "$ASD/c1"
check "a usage error writes nothing" test ! -e "$EAR/x"
expect 0 "" "$E" ear --help
check "ear --help names the formats" grep -qF "ear.docx" "$T/out"

# --- refusals: exit 1, nothing written
mkcol "$EAR/raw" "$D/vectors/iid_bytes_4bit.bin" 20000
expect 1 "run \`ea90b assess\` on $EAR/raw first" "$E" ear "$EAR/raw"
check "an unassessed collection: nothing written" sh -c "! ls -a '$EAR/raw' | grep -q '^ear'"
cp -r "$ASD/c2" "$EAR/stale"
echo " " >>"$EAR/stale/manifest.json"
expect 1 "the report is stale" "$E" ear -o "$EAR/st" "$EAR/stale"
cp -r "$ASD/c2" "$EAR/changed"
printf '\001' | dd of="$EAR/changed/samples.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
expect 1 "samples.bin changed since the report was written" "$E" ear -o "$EAR/st" "$EAR/changed"
check "a stale or changed collection: nothing written" sh -c "test ! -e '$EAR/st' && ! ls -a '$EAR' | grep -q '^st\\.'"
mkdir "$EAR/mine"
echo "the vendor's notes" >"$EAR/mine/notes.txt"
expect 1 "was not written by ea90b ear" "$E" ear -o "$EAR/mine" "$ASD/c1"
check "a target not ours is untouched" sh -c "test \"\$(ls '$EAR/mine')\" = notes.txt && grep -qx \"the vendor's notes\" '$EAR/mine/notes.txt'"
check "a refused target: no temporary directory left" sh -c "! ls -a '$EAR' | grep -q '\\.tmp-'"

# --- Markdown and HTML (no converters): DIR/ear by default
expect 0 "" "$E" ear --no-pdf --no-docx "$EAR/c1"
EO="$EAR/c1/ear"
check "ear says DRAFT" grep -q "DRAFT" "$T/out"
check "ear counts the sections the vendor writes" grep -qE "^DRAFT: [1-9][0-9]* of 13 sections hold [1-9][0-9]* parts marked \"VENDOR TO WRITE\"" "$T/out"
check "--no-pdf --no-docx: said so" grep -qF "not written: ear.pdf, pud.pdf (--no-pdf)" "$T/out"
for f in ear.md ear.html pud.md pud.html SHA256SUMS; do
    check "ear wrote $f" test -s "$EO/$f"
done
check "no PDF or DOCX with --no-pdf --no-docx" sh -c "! ls '$EO' | grep -qE '\\.(pdf|docx)$'"
check "ear.md starts with the mark" sh -c "head -1 '$EO/ear.md' | grep -q '^<!-- ea90b ear: '"
check "pud.md starts with the mark" sh -c "head -1 '$EO/pud.md' | grep -q '^<!-- ea90b ear: '"
ear_has "ear.md" "$EO/ear.md"
sed 's/<[^>]*>//g' "$EO/ear.html" >"$EAR/ear.html.txt"
ear_has "ear.html" "$EAR/ear.html.txt"
check "ear.md marks the vendor's parts" grep -qF "VENDOR TO WRITE" "$EO/ear.md"
check "ear.html is one page: no file it links is missing" sh -c "! grep -q 'src=\"plots/' '$EO/ear.html'"
check "every plot ear.md links is there" sh -c "cd '$EO' && grep -o 'plots/oe[0-9]*-[a-z0-9-]*\\.svg' ear.md | sort -u | while read -r p; do test -s \"\$p\" || exit 1; done"
check "the plots are SVG documents" sh -c "for p in '$EO'/plots/*.svg; do grep -q '<svg' \"\$p\" || exit 1; done"
check "SHA256SUMS lists every file it wrote" sh -c "cd '$EO' && sha256sum -c --quiet SHA256SUMS && test \$(wc -l <SHA256SUMS) -eq \$(find . -type f ! -name SHA256SUMS | wc -l)"
check "no temporary or old directory left" sh -c "! ls -a '$EAR/c1' | grep -qE '^ear\\.(tmp|old)-'"
# ours and unchanged: replaced; edited: refused and kept
expect 0 "" "$E" ear -q --no-pdf --no-docx "$EAR/c1"
check "a rerun replaced its own output" sh -c "cd '$EO' && sha256sum -c --quiet SHA256SUMS"
echo "the vendor's paragraph" >>"$EO/ear.md"
expect 1 "holds 'ear.md', changed since ea90b ear wrote it" "$E" ear --no-pdf --no-docx "$EAR/c1"
check "an edited draft is kept" grep -qx "the vendor's paragraph" "$EO/ear.md"
echo "x" >"$EO/plots/extra.svg"
sed -i '$d' "$EO/ear.md"
expect 1 "holds 'plots/extra.svg', which ea90b ear did not write" "$E" ear --no-pdf --no-docx "$EAR/c1"
check "a file added to the draft is kept" test -s "$EO/plots/extra.svg"

# --- two operational environments (different widths: said, still written)
expect 0 "different bits per sample" "$E" ear -q --no-pdf --no-docx -o "$EAR/two" "$ASD/c1" "$ASD/c2"
check "two OEs: OE 2 in the draft" grep -qF "OE 2: fixture-c2" "$EAR/two/ear.md"
check "two OEs: the count" grep -qF "2 operational environments" "$T/out"
check "two OEs: plots of both" sh -c "ls '$EAR/two/plots' | grep -q '^oe1-' && ls '$EAR/two/plots' | grep -q '^oe2-'"

# --- a converter missing: exit 0, one line naming the package, the rest written
expect 0 "ear.docx, pud.docx not written: EA90B_PANDOC=/nonexistent is not an executable file; install Debian's pandoc (apt-get install pandoc)" \
    env EA90B_PANDOC=/nonexistent EA90B_CHROMIUM=/nonexistent "$E" ear -q -o "$EAR/miss" "$ASD/c1"
check "chromium missing: the install line" grep -qF "ear.pdf, pud.pdf not written: EA90B_CHROMIUM=/nonexistent is not an executable file; install Debian's chromium (apt-get install chromium)" "$T/err"
check "converters missing: the Markdown and HTML are written" test -s "$EAR/miss/ear.md" -a -s "$EAR/miss/ear.html" -a -s "$EAR/miss/pud.md"
check "converters missing: no DOCX or PDF" sh -c "! ls '$EAR/miss' | grep -qE '\\.(pdf|docx)$'"
check "converters missing: stdout says what was not written" grep -qF "not written: ear.pdf, pud.pdf (no chromium)" "$T/out"
# a converter named by a relative path still runs (pandoc works inside the output directory)
cat >"$EAR/fakepandoc" <<'EOS'
#!/bin/sh
for a; do case $a in --output=*) printf 'PK\003\004' >"${a#--output=}" ;; esac; done
EOS
chmod +x "$EAR/fakepandoc"
expect 0 "" sh -c "cd '$EAR' && EA90B_PANDOC=./fakepandoc '$E' ear -q --no-pdf -o rel c1"
check "a relative EA90B_PANDOC: ear.docx written" test -s "$EAR/rel/ear.docx"
# more operational environments than files fit a fixed list (105 OEs, 530 files): written, not a silent exit 1
mkdir "$EAR/many"
for i in $(seq 1 105); do cp -al "$EAR/c1" "$EAR/many/c$i" 2>/dev/null || cp -r "$EAR/c1" "$EAR/many/c$i"; rm -rf "$EAR/many/c$i/ear"; done
expect 0 "" "$E" ear -q --no-pdf --no-docx -o "$EAR/many/out" "$EAR"/many/c*
check "105 OEs: every file listed in SHA256SUMS" sh -c "cd '$EAR/many/out' && sha256sum -c --quiet SHA256SUMS && test -s plots/oe105-histogram.svg"
rm -rf "$EAR/many"
# a converter that fails: exit 1 after the rest is in place, nothing half-made kept
expect 1 "ear.pdf not written: false exited with status 1" env EA90B_CHROMIUM=/bin/false "$E" ear -q --no-docx -o "$EAR/fail" "$ASD/c1"
check "a failed converter: the rest is in place" sh -c "test -s '$EAR/fail/ear.md' && test ! -e '$EAR/fail/ear.pdf' && cd '$EAR/fail' && sha256sum -c --quiet SHA256SUMS"

# --- the converters, once: DOCX (pandoc) and PDF (headless Chromium)
expect 0 "" env EA90B_PANDOC= EA90B_CHROMIUM= "$E" ear -q -o "$EAR/full" "$ASD/c1"
if command -v pandoc >/dev/null 2>&1; then
    check "pandoc: ear.docx written" test -s "$EAR/full/ear.docx"
    check "pandoc: pud.docx written" test -s "$EAR/full/pud.docx"
    pandoc --wrap=none -t plain "$EAR/full/ear.docx" >"$EAR/docx.txt" 2>/dev/null
    ear_has "ear.docx" "$EAR/docx.txt"
    check "ear.docx keeps '--claim' (no smart dashes)" grep -qF -- "(--claim)" "$EAR/docx.txt"
    check "ear.docx embeds the plots" sh -c "unzip -l '$EAR/full/ear.docx' 2>/dev/null | grep -q 'word/media/' || ! command -v unzip >/dev/null"
else
    echo "note: no pandoc: the DOCX checks are skipped (apt-get install pandoc)"
    check "no pandoc: the install line" grep -qF "apt-get install pandoc" "$T/err"
fi
EAR_CHROME=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && EAR_CHROME=$c && break
done
if [ -n "$EAR_CHROME" ] && command -v pdftotext >/dev/null 2>&1; then
    check "chromium: ear.pdf written" sh -c "head -c 5 '$EAR/full/ear.pdf' | grep -q '^%PDF-'"
    check "chromium: pud.pdf written" sh -c "head -c 5 '$EAR/full/pud.pdf' | grep -q '^%PDF-'"
    pdftotext "$EAR/full/ear.pdf" "$EAR/pdf.txt" 2>/dev/null
    ear_has "ear.pdf" "$EAR/pdf.txt"
    check "ear.pdf numbers its pages (Page N of M)" grep -qE "Page 1 of [0-9]+" "$EAR/pdf.txt"
    check "ear.pdf has no browser header or footer (file URL)" sh -c "! grep -q 'file://' '$EAR/pdf.txt'"
    if command -v pdfimages >/dev/null 2>&1; then
        check "ear.pdf holds its plots as vectors (no raster image)" sh -c "test \$(pdfimages -list '$EAR/full/ear.pdf' | wc -l) -eq 2"
    fi
elif [ -n "$EAR_CHROME" ]; then
    echo "note: no pdftotext: the PDF text checks are skipped (apt-get install poppler-utils)"
else
    echo "note: no chromium: the PDF checks are skipped (apt-get install chromium)"
    check "no chromium: the install line" grep -qF "apt-get install chromium" "$T/err"
fi
