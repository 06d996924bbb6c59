#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# tests/man/check.sh BINDIR - the man pages in man/ render without a warning and
# document what the programs in BINDIR actually accept. Run from the repository root
# (make check does).
#
#   1. every page renders with groff -ww, and with man --warnings where man-db is
#      installed (what lintian runs), without a line on stderr;
#   2. every command that `BINDIR/ea90b --help` lists has a .SS in ea90b.1, and every
#      long option that `BINDIR/ea90b COMMAND --help` prints appears in that .SS
#      (--help anywhere in the page);
#   3. every long option of each drop-in's --help appears in its page, and every
#      drop-in in BINDIR has a page;
#   4. the version in each .TH is EA90B_VERSION of include/ea90b.h, and each page
#      starts with an SPDX line.
#
# One summary line; exit 1 on any failure (each printed), 0 otherwise. Without groff
# it prints one line and exits 0.
set -u

BINDIR=${1:-}
if [ -z "$BINDIR" ]; then
    echo "usage: tests/man/check.sh BINDIR" >&2
    exit 2
fi
if ! command -v groff >/dev/null 2>&1; then
    echo "man: skipped (no groff; apt-get install groff-base)"
    exit 0
fi

fails=0
pages=0
options=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ea90b-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

fail() {
    echo "man: FAIL: $*"
    fails=$((fails + 1))
}

# man-db's man, not a stub (minimised images ship one that only explains itself)
have_man=0
if command -v man >/dev/null 2>&1 && man --version 2>/dev/null | grep -q '^man '; then
    have_man=1
fi

version=$(sed -n 's/^#define EA90B_VERSION "\(.*\)"$/\1/p' include/ea90b.h)
[ -n "$version" ] || fail "no EA90B_VERSION in include/ea90b.h"

# The page's text with roff's escapes for hyphens and fonts removed, so that
# "\-\-seed" and "\fB\-\-seed\fR" both read "--seed".
plain() {
    sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f([A-Za-z][A-Za-z]//g' \
        -e 's/\\&//g' -e 's/\\c$//' "$1"
}

# has_option TEXTFILE OPTION: OPTION as a whole word (--alpha is not --alpha-log2).
has_option() {
    grep -Eq -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" "$1"
}

# The long options a --help text prints, one per line.
long_options() {
    grep -Eo -- '--[a-z0-9][a-z0-9-]*' | sort -u
}

# ---------------------------------------------------------------- rendering
for f in man/*; do
    [ -f "$f" ] || continue
    pages=$((pages + 1))
    head -n 1 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0' ||
        fail "$f: the first line is not the SPDX line"
    err=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$f" 2>&1 >/dev/null)
    [ -z "$err" ] || fail "$f: groff -ww: $err"
    if [ "$have_man" = 1 ]; then
        err=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
              man --warnings -E UTF-8 -l -Tutf8 -Z "$f" 2>&1 >/dev/null)
        [ -z "$err" ] || fail "$f: man --warnings: $err"
    fi
    th=$(sed -n 's/^\.TH .*"ea90b \([^"]*\)".*/\1/p' "$f")
    [ "$th" = "$version" ] ||
        fail "$f: .TH says version '${th:-none}', include/ea90b.h says '$version'"
done
[ "$pages" -gt 0 ] || fail "no pages in man/"

# ---------------------------------------------------------------- ea90b.1
page=man/ea90b.1
if [ ! -x "$BINDIR/ea90b" ]; then
    fail "$BINDIR/ea90b is not an executable"
elif [ ! -f "$page" ]; then
    fail "$page is missing"
else
    plain "$page" >"$tmp/ea90b.txt"
    "$BINDIR/ea90b" --help >"$tmp/help" 2>&1 || fail "ea90b --help exited non-zero"
    cmds=$(awk '/^Commands:/ { on = 1; next } on && /^[ \t]*$/ { exit } on { print $1 }' "$tmp/help")
    [ -n "$cmds" ] || fail "ea90b --help lists no commands"
    for c in $cmds; do
        # the .SS of command c, up to the next .SS or .SH
        awk -v c="$c" '
            /^\.S[SH] / { name = $2; gsub(/"/, "", name); on = ($1 == ".SS" && name == c); if (on) seen = 1; next }
            on { print }
            END { exit seen ? 0 : 1 }' "$tmp/ea90b.txt" >"$tmp/sec" ||
            { fail "$page: no .SS $c (ea90b --help lists it)"; continue; }
        "$BINDIR/ea90b" "$c" --help 2>&1 | long_options >"$tmp/opts"
        while read -r o; do
            if [ "$o" = --help ]; then
                has_option "$tmp/ea90b.txt" "$o" || fail "$page: $o is not documented"
            else
                has_option "$tmp/sec" "$o" ||
                    fail "$page: .SS $c does not document $o (ea90b $c --help prints it)"
            fi
            options=$((options + 1))
        done <"$tmp/opts"
    done
fi

# ---------------------------------------------------------------- the drop-ins
for b in "$BINDIR"/ea_*; do
    [ -x "$b" ] || continue
    p=man/$(basename "$b").1ea90b
    [ -f "$p" ] || fail "$(basename "$b") has no page $p"
done
for p in man/ea_*.1ea90b; do
    [ -f "$p" ] || continue
    prog=$(basename "$p" .1ea90b)
    if [ ! -x "$BINDIR/$prog" ]; then
        fail "$p: $BINDIR/$prog is not an executable"
        continue
    fi
    plain "$p" >"$tmp/page"
    "$BINDIR/$prog" --help 2>&1 | long_options >"$tmp/opts"
    [ -s "$tmp/opts" ] || fail "$prog --help prints no long option"
    while read -r o; do
        has_option "$tmp/page" "$o" || fail "$p does not document $o ($prog --help prints it)"
        options=$((options + 1))
    done <"$tmp/opts"
done

if [ "$fails" -gt 0 ]; then
    echo "man: $fails failure(s) in $pages pages"
    exit 1
fi
echo "man: $pages pages rendered without warnings, $options options documented"
exit 0
