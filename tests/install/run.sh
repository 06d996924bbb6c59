#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/install/run.sh MAKE BUILD [SANITIZE] - the installed tree (issue 10):
#   - `make install DESTDIR=$T PREFIX=/usr` installs the commands, the two
#     libraries, every public header and ea90b.pc;
#   - every global symbol the installed static libraries define is declared
#     in an installed header, and the internals are not exported;
#   - examples/record.c, as installed, compiles against $T with pkg-config
#     alone, records a small collection, prints nothing, and the installed
#     `ea90b verify` accepts it.
set -u
MAKE=${1:?make}
BUILD=${2:?build dir}
SANITIZE=${3:-}   # the sanitizer flags the libraries were built with (make asan/ubsan)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

if ! $MAKE --no-print-directory -C "$ROOT" BUILD="$BUILD" install DESTDIR="$T" PREFIX=/usr >"$T/log" 2>&1; then
    bad "make install DESTDIR=$T PREFIX=/usr"; sed 's/^/  /' "$T/log" | tail -20
    exit 1
fi
U="$T/usr"
for f in bin/ea90b bin/ea_non_iid bin/ea_iid bin/ea_restart bin/ea_conditioning bin/ea_transpose \
         lib/libea90b.a lib/libea90b_collect.a lib/pkgconfig/ea90b.pc include/ea90b.h \
         include/ea90b_collect.h share/doc/ea90b/examples/record.c share/doc/ea90b/library.md \
         share/doc/ea90b/NEWS.md share/doc/ea90b/reading-a-report.md share/doc/ea90b/images/report.png \
         share/man/man1/ea90b.1 share/man/man5/ea90b-collection.5 \
         share/bash-completion/completions/ea90b; do
    if [ -s "$U/$f" ]; then ok; else bad "installed tree lacks $f"; fi
done
for p in ea_non_iid ea_iid ea_restart ea_conditioning ea_transpose; do
    # section 1ea90b: no file name shared with the reference tool's ea_iid.1 and the rest
    if [ -s "$U/share/man/man1/$p.1ea90b" ] && [ ! -e "$U/share/man/man1/$p.1" ]; then ok
    else bad "installed tree lacks share/man/man1/$p.1ea90b (or has $p.1)"; fi
    if [ "$(readlink "$U/share/bash-completion/completions/$p")" = ea90b ]; then ok
    else bad "share/bash-completion/completions/$p is not a link to ea90b"; fi
done

# --- DROPINDIR (the Debian package's layout): the drop-ins away from bin/
if $MAKE --no-print-directory -C "$ROOT" BUILD="$BUILD" install DESTDIR="$T/d" PREFIX=/usr \
        DROPINDIR=/usr/libexec/ea90b >"$T/log2" 2>&1; then
    if [ "$(ls "$T/d/usr/bin")" = ea90b ] && [ -x "$T/d/usr/libexec/ea90b/ea_non_iid" ]; then ok
    else bad "DROPINDIR=/usr/libexec/ea90b: bin/ holds $(ls "$T/d/usr/bin" | tr '\n' ' ')"; fi
else
    bad "make install DROPINDIR=/usr/libexec/ea90b"; sed 's/^/  /' "$T/log2" | tail -10
fi

# --- exported symbols: each declared in an installed header; internals local
nm -g --defined-only "$U"/lib/*.a 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$T/syms"
if [ "$(wc -l <"$T/syms")" -lt 20 ]; then bad "too few exported symbols ($(wc -l <"$T/syms"))"; else ok; fi
while read -r s; do
    if grep -qE "(^|[^A-Za-z0-9_])$s *\(" "$U"/include/*.h; then ok; else bad "exported '$s' is declared in no installed header"; fi
done <"$T/syms"
for s in ea_ofile_begin ea_manifest_check ea_restart_exec ea_state_load ea_source_open ea_run_threads; do
    if grep -qx "$s" "$T/syms"; then bad "internal '$s' is exported"; else ok; fi
done

# --- examples/record.c against the installed tree, through pkg-config
if ! command -v pkg-config >/dev/null 2>&1; then
    echo "install: pkg-config is not installed (Debian package pkgconf): record.c build skipped"
else
    flags=$(PKG_CONFIG_PATH="$U/lib/pkgconfig" pkg-config --define-variable=prefix="$U" --cflags --libs ea90b)
    if [ -n "$flags" ] && ${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror $SANITIZE \
            "$U/share/doc/ea90b/examples/record.c" $flags -o "$T/record" 2>"$T/cc.err"; then ok
    else bad "record.c does not build with pkg-config: $flags"; sed 's/^/  /' "$T/cc.err" | head -10; fi
    if [ -x "$T/record" ]; then
        if "$T/record" "$T/col" 2000 3x50 >"$T/rec.out" 2>"$T/rec.err"; then ok; else bad "record failed"; sed 's/^/  /' "$T/rec.err" | head -5; fi
        if [ ! -s "$T/rec.out" ] && [ ! -s "$T/rec.err" ]; then ok; else bad "record printed something"; fi
        if "$U/bin/ea90b" verify -q "$T/col" 2>"$T/v.err"; then ok; else bad "the installed ea90b verify refuses record's collection"; sed 's/^/  /' "$T/v.err"; fi
        n=$(wc -c <"$T/col/raw.u64" 2>/dev/null || echo 0)
        if [ "$n" -eq 16000 ]; then ok; else bad "record wrote $n bytes of raw.u64, not 16000"; fi
        if "$T/record" "$T/bad" x 3x50 2>"$T/bad.err"; then bad "record accepted SAMPLES 'x'"; else ok; fi
    fi
fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
