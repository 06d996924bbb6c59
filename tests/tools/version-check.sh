#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# version-check.sh BINDIR - one version string: EA90B_VERSION in include/ea90b.h
# is what `ea90b --version` and every drop-in print, the top entry of NEWS.md,
# the top entry of debian/changelog, ea90b.pc.in's source and every man page's
# .TH line. Run from the repository root by make check.
set -u
BIN=${1:?bin dir}
v=$(sed -n 's/^#define EA90B_VERSION "\(.*\)"$/\1/p' include/ea90b.h)
bad=0
n=0
want() { # WHAT GOT
    n=$((n + 1))
    if [ "$2" != "$v" ]; then
        echo "version: $1 says '$2', include/ea90b.h says '$v'"
        bad=$((bad + 1))
    fi
}
case $v in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *) echo "version: EA90B_VERSION '$v' in include/ea90b.h is not MAJOR.MINOR.PATCH"; exit 1 ;;
esac
want "ea90b --version" "$("$BIN/ea90b" --version | sed -n '1s/^ea90b \([^ ]*\) .*/\1/p')"
for p in ea_iid ea_non_iid ea_restart ea_conditioning ea_transpose; do
    want "$p --version" "$("$BIN/$p" --version 2>&1 | sed -n 's/^ea90b \([^ :]*\)[ :].*/\1/p' | head -1)"
done
want "NEWS.md's top entry" "$(sed -n 's/^## \([^ ]*\) .*/\1/p' NEWS.md | head -1)"
want "debian/changelog's top entry" "$(sed -n '1s/^ea90b (\([^)-]*\)\(-[^)]*\)\{0,1\}).*/\1/p' debian/changelog)"
for m in man/*; do
    [ -f "$m" ] || continue
    want "$m (.TH)" "$(sed -n 's/^\.TH .*"ea90b \([^"]*\)".*/\1/p' "$m" | head -1)"
done
echo "version: $v in $n places"
[ "$bad" -eq 0 ]
