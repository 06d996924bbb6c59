#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# deb.sh - ea90b's Debian packages (make deb, make check-deb).
#
#   scripts/deb.sh build DIR VERSION   copy the source tree to DIR/ea90b-VERSION and run
#                                      dpkg-buildpackage -us -uc -b there: DIR/*.deb
#   scripts/deb.sh check DIR VERSION   lintian on DIR/ea90b_VERSION_ARCH.changes (no error
#                                      or warning may remain), then the autopkgtests of
#                                      debian/tests on this machine (autopkgtest's null
#                                      runner: it installs the packages; root only)
#
# The copy holds git's files (tracked and untracked but not ignored) when the tree
# is a git checkout, else everything but build/: the package never sees a build
# directory, and dpkg-buildpackage writes its results into DIR, not next to the
# checkout. DEB_BUILD_OPTIONS passes through (nocheck skips the unit and golden
# tests, parallel=N).
set -u
me="make deb"
die() { echo "$me: $*" >&2; exit 1; }
mode=${1:?build or check}
DIR=${2:?output dir}
V=${3:?version}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$DIR/ea90b-$V
ARCH=$(dpkg --print-architecture 2>/dev/null) || die "dpkg is missing: this builds Debian packages (apt-get install -y dpkg-dev)"
CHANGES=$DIR/ea90b_${V}_$ARCH.changes

cv=$(sed -n '1s/^ea90b (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog")
[ "$cv" = "$V" ] || die "debian/changelog's top entry is $cv, include/ea90b.h says $V: add a changelog entry (dch -v $V) and a NEWS.md entry"

copy_tree() {
    rm -rf "$SRC" && mkdir -p "$SRC" || die "cannot create $SRC"
    if [ -d "$ROOT/.git" ] && command -v git >/dev/null 2>&1; then
        (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard) |
            (cd "$ROOT" && xargs -0 sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh) |
            (cd "$ROOT" && xargs -0 cp -P --parents -t "$SRC") || die "cannot copy the tree to $SRC"
    else
        (cd "$ROOT" && tar -cf - --exclude=./build --exclude=./.git .) | (cd "$SRC" && tar -xf -) ||
            die "cannot copy the tree to $SRC"
    fi
}

case $mode in
build)
    command -v dpkg-buildpackage >/dev/null 2>&1 || die "dpkg-buildpackage is missing (apt-get install -y dpkg-dev debhelper)"
    copy_tree
    rm -f "$DIR"/*.deb "$DIR"/*.buildinfo "$DIR"/*.changes
    n=$(nproc 2>/dev/null || echo 1)
    echo "$me: dpkg-buildpackage -us -uc -b in $SRC (log: $DIR/build.log)"
    if ! (cd "$SRC" && DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=$n}" \
            dpkg-buildpackage -us -uc -b) >"$DIR/build.log" 2>&1; then
        tail -30 "$DIR/build.log" >&2
        die "dpkg-buildpackage failed (the whole log: $DIR/build.log)"
    fi
    [ -f "$CHANGES" ] || die "dpkg-buildpackage wrote no $CHANGES"
    for d in "$DIR"/*.deb; do
        echo "$me: $d ($(du -k "$d" | cut -f1) KiB)"
    done
    echo "$me: install with: apt install $(cd "$DIR" && pwd)/ea90b_${V}_$ARCH.deb (and libea90b-dev, ea90b-doc)"
    ;;
check)
    me="make check-deb"
    [ -f "$CHANGES" ] || die "no $CHANGES (make deb first)"
    command -v lintian >/dev/null 2>&1 || die "lintian is missing (apt-get install -y lintian)"
    echo "$me: lintian $CHANGES"
    # --fail-on: any error or warning fails; informational tags are printed, not fatal
    lintian --fail-on error,warning --display-info "$CHANGES" || die "lintian reports errors or warnings (above)"
    echo "$me: lintian: no errors, no warnings"
    command -v autopkgtest >/dev/null 2>&1 || die "autopkgtest is missing (apt-get install -y autopkgtest)"
    [ "$(id -u)" = 0 ] || die "the autopkgtests install the packages on this machine: run as root, or: sudo autopkgtest $DIR/*.deb $SRC -- null"
    echo "$me: autopkgtest (null runner: the packages are installed on this machine)"
    before=""
    for p in ea90b libea90b-dev ea90b-doc; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && before="$before $p"
    done
    # shellcheck disable=SC2086
    autopkgtest "$DIR"/*.deb "$SRC" -- null >"$DIR/autopkgtest.log" 2>&1
    rc=$?
    # the summary: one line per test, PASS/FAIL/SKIP
    sed -n '/^autopkgtest \[[0-9:]*\]: @@@@@@@@@@@@@@@@@@@@ summary/,/^autopkgtest \[[0-9:]*\]: Binaries/p' \
        "$DIR/autopkgtest.log" | sed '/: Binaries/d'
    # leave the machine as it was: remove the packages the tests installed
    gone=""
    for p in ea90b libea90b-dev ea90b-doc ea90b-dbgsym; do
        case " $before " in *" $p "*) continue ;; esac
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && gone="$gone $p"
    done
    if [ -n "$gone" ]; then
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $gone >/dev/null 2>&1 &&
            echo "$me: removed again what the tests installed:$gone" ||
            echo "$me: could not remove$gone (apt-get purge$gone)" >&2
    fi
    # 0: all passed; 2: some skipped; 8: no tests
    [ "$rc" -eq 0 ] || die "autopkgtest exit status $rc (the log: $DIR/autopkgtest.log)"
    echo "$me: autopkgtests passed"
    ;;
*) die "unknown mode $mode" ;;
esac
