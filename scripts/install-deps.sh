#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# install-deps.sh - make sure what ea90b builds and tests with is there.
#
# First a compile probe: when the C compiler builds and links a program
# against every library ea90b needs (libbz2, libdivsufsort, OpenSSL 3's
# libcrypto, jansson, Criterion) and make and pkg-config are there, nothing
# more is needed, on Debian or any other Linux distribution: no dpkg-query,
# no apt-get. Otherwise, on Debian: as root, installs the missing packages
# (apt-get); as another user, prints the exact command and exits 1. Without
# Debian's tools it names what to install and exits 1.
#
#   scripts/install-deps.sh            check, install as root
#   scripts/install-deps.sh --check    check only; never install
#   scripts/install-deps.sh --browser  also chromium, pandoc and poppler-utils
#                                      (make check-browser: the report and ea90b ear's PDF)
#   EA90B_EXTRA_PKGS="chromium"        extra Debian packages to require
set -u
if [ "${1:-}" = "--browser" ]; then
    EA90B_EXTRA_PKGS="${EA90B_EXTRA_PKGS:-} chromium pandoc poppler-utils"
    shift
fi

PKGS="make gcc libc6-dev libbz2-dev libdivsufsort-dev libssl-dev libcriterion-dev libjansson-dev pkgconf ${EA90B_EXTRA_PKGS:-}"

# The libraries, headers and tools a build and `make check` use, by trying them.
probe() {
    dir=$(mktemp -d 2>/dev/null) || return 1
    cat >"$dir/probe.c" <<'EOF'
#include <bzlib.h>
#include <divsufsort.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <criterion/criterion.h>
#if OPENSSL_VERSION_MAJOR < 3
#error OpenSSL 3 is needed
#endif
int main(void)
{
    return BZ2_bzlibVersion() != 0 && divsufsort_version() != 0 && jansson_version_str() != 0 &&
           EVP_sha3_256() != 0 ? 0 : 1;
}
EOF
    ${CC:-cc} "$dir/probe.c" -o "$dir/probe" -ldivsufsort -lbz2 -lcrypto -ljansson -lcriterion \
        -lm -lpthread >"$dir/log" 2>&1 && "$dir/probe"
    rc=$?
    [ $rc -ne 0 ] && PROBE_ERR=$(grep -m1 -E 'error|cannot find|No such' "$dir/log" || true)
    rm -rf "$dir"
    [ $rc -eq 0 ] && command -v make >/dev/null 2>&1 && command -v pkg-config >/dev/null 2>&1
}

# The command that shows an extra package is there (most are named after theirs).
cmd_of() {
    case $1 in
        poppler-utils) echo pdftoppm ;;
        librsvg2-bin) echo rsvg-convert ;;
        *) echo "$1" ;;
    esac
}

extra_missing() {
    for p in ${EA90B_EXTRA_PKGS:-}; do
        command -v "$(cmd_of "$p")" >/dev/null 2>&1 || return 0
    done
    return 1
}

PROBE_ERR=""
if probe && ! extra_missing; then
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "ea90b: cannot build here: it needs a C compiler, make, pkg-config and the development" >&2
    echo "ea90b: files of libbz2, libdivsufsort, OpenSSL 3 (libcrypto), jansson and Criterion${EA90B_EXTRA_PKGS:+ (and:$EA90B_EXTRA_PKGS)}" >&2
    [ -n "$PROBE_ERR" ] && echo "ea90b: the compile probe said: $PROBE_ERR" >&2
    exit 1
fi

missing=""
for p in $PKGS; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

if [ "${1:-}" = "--check" ] || [ "$(id -u)" != 0 ]; then
    echo "ea90b: missing Debian packages:$missing" >&2
    echo "ea90b: install them with (as root; sudo if you have it):" >&2
    echo "    sudo apt-get install -y$missing" >&2
    exit 1
fi

echo "ea90b: installing missing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! apt-get install -y -q $missing >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    apt-get install -y -q $missing || {
        echo "ea90b: apt-get install failed for:$missing" >&2
        exit 1
    }
fi
exit 0
