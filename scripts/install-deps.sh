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
#   scripts/install-deps.sh --deb      also dpkg-dev, debhelper, lintian and autopkgtest
#                                      (make deb, make check-deb)
#   scripts/install-deps.sh --k8s      also kubernetes-client (kubectl: make check then checks
#                                      scripts/fleet's manifests against the Kubernetes API schema)
#   EA90B_EXTRA_PKGS="chromium"        extra Debian packages to require
#   scripts/install-deps.sh --arm64    what make check-arm64 needs instead (below); with
#                                      --check: check only; --missing: print what is missing
set -u

# --arm64 (make check-arm64, make static ARCH=aarch64): Debian's aarch64 cross compiler,
# qemu-user with its binfmt_misc entry (qemu-user-binfmt) and the arm64 development
# libraries (multiarch: dpkg --add-architecture arm64). The probe cross-builds a program
# against every library and runs it as the kernel runs any aarch64 program: through
# binfmt_misc, which the tests need (the collector's exec restarts and Criterion
# re-execute their own program, so `qemu-aarch64 PROGRAM` alone is not enough).
# Debian 12 cannot install libcriterion-dev:arm64 beside the host's libcriterion-dev:
# Multi-Arch: same needs one version of libnanomsg5 on both, and amd64 has a binNMU
# (1.1.5+dfsg-1.1+b1, arm64 1.1.5+dfsg-1.1), so apt would remove the host's Criterion.
# Where apt would remove anything, Debian's libcriterion3:arm64 and libnanomsg5:arm64
# are unpacked (apt-get download, dpkg-deb -x) into EA90B_ARM64_LIBDIR instead, and the
# arm64 unit tests are linked with it as their rpath (Makefile: ARM64_LIBDIR). As root
# it installs what is missing and, where no systemd registered qemu-aarch64 with
# binfmt_misc at boot (a container, a sandbox), registers it (again after a reboot).
ARM64_PKGS="gcc-aarch64-linux-gnu qemu-user qemu-user-binfmt libbz2-dev:arm64 libdivsufsort-dev:arm64 libssl-dev:arm64 libjansson-dev:arm64"
ARM64_CRIT_RUNTIME="libgit2-1.5:arm64 libffi8:arm64"   # libcriterion3's other dependencies
ARM64_LIBDIR=${EA90B_ARM64_LIBDIR:-/usr/local/lib/ea90b-arm64}
ARM64_BINFMT=/usr/lib/binfmt.d/qemu-aarch64.conf

# What make check-arm64 lacks, comma-separated on one line ("" when nothing).
arm64_missing() {
    m=""
    command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || m="$m, aarch64-linux-gnu-gcc"
    command -v qemu-aarch64 >/dev/null 2>&1 || m="$m, qemu-aarch64"
    if [ -z "$m" ] && dir=$(mktemp -d 2>/dev/null); then
        printf '%s\n' '#include <bzlib.h>' '#include <divsufsort.h>' '#include <jansson.h>' \
            '#include <openssl/evp.h>' '#include <criterion/criterion.h>' \
            'int main(void) { return BZ2_bzlibVersion() && divsufsort_version() &&' \
            '    jansson_version_str() && EVP_sha3_256() ? 0 : 1; }' >"$dir/p.c"
        L=""
        [ -e "$ARM64_LIBDIR/libcriterion.so" ] && L="-L$ARM64_LIBDIR -Wl,-rpath,$ARM64_LIBDIR -Wl,-rpath-link,$ARM64_LIBDIR -Wl,--disable-new-dtags"
        # shellcheck disable=SC2086
        if ! aarch64-linux-gnu-gcc "$dir/p.c" -o "$dir/p" $L -ldivsufsort -lbz2 -lcrypto -ljansson \
            -lcriterion -lm -lpthread >/dev/null 2>&1; then
            m="$m, arm64 libraries"
        elif ! "$dir/p" >/dev/null 2>&1; then
            m="$m, qemu-aarch64 in binfmt_misc"
        fi
        rm -rf "$dir"
    fi
    echo "${m#, }"
}

# Succeeds when apt-get can install the packages without removing any.
arm64_apt_clean() {
    out=$(apt-get -s install -y "$@" 2>&1) && ! printf '%s\n' "$out" | grep -q '^Remv'
}

arm64_unpack_criterion() {
    d=$(mktemp -d) || return 1
    chmod 755 "$d"
    if (cd "$d" && apt-get download -q libcriterion3:arm64 libnanomsg5:arm64 >/dev/null 2>&1 &&
        for f in ./*.deb; do dpkg-deb -x "$f" root || exit 1; done) &&
        mkdir -p "$ARM64_LIBDIR" && cp -P "$d"/root/usr/lib/aarch64-linux-gnu/lib*.so* "$ARM64_LIBDIR"/ &&
        ln -sf libcriterion.so.3 "$ARM64_LIBDIR/libcriterion.so"; then
        printf '%s\n' "Debian's libcriterion3:arm64 and libnanomsg5:arm64, unpacked by ea90b's" \
            "scripts/install-deps.sh --arm64 (they cannot be installed beside the host's" \
            "libcriterion-dev on Debian 12); used only by make check-arm64's unit tests." \
            >"$ARM64_LIBDIR/README"
        rm -rf "$d"
        return 0
    fi
    rm -rf "$d"
    return 1
}

arm64_register_binfmt() {
    b=/proc/sys/fs/binfmt_misc
    [ -r "$ARM64_BINFMT" ] || return 1
    [ -e "$b/register" ] || mount -t binfmt_misc binfmt_misc "$b" 2>/dev/null || return 1
    if [ -e "$b/qemu-aarch64" ]; then
        echo 1 >"$b/qemu-aarch64"
    else
        grep -v '^#' "$ARM64_BINFMT" | grep -m1 . >"$b/register"
    fi
}

if [ "${1:-}" = "--arm64" ]; then
    miss=$(arm64_missing)
    [ "${2:-}" = "--missing" ] && { echo "$miss"; exit 0; }
    [ -z "$miss" ] && exit 0
    if [ "${2:-}" = "--check" ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "ea90b: make check-arm64 needs: $miss" >&2
        echo "ea90b: install them with (as root, on Debian; sudo if you have it):" >&2
        echo "    sudo scripts/install-deps.sh --arm64" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        echo "ea90b: dpkg --add-architecture arm64" >&2
        dpkg --add-architecture arm64 && apt-get update -q >/dev/null 2>&1
    fi
    pk=""
    for p in $ARM64_PKGS; do
        case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) in
            *"install ok installed"*) ;;
            *) pk="$pk $p" ;;
        esac
    done
    # Criterion for arm64: decided by what is installed, not by the probe, which on a
    # fresh machine fails earlier (no cross compiler yet) and would not name it.
    crit=""
    case $(dpkg-query -W -f='${Status}' libcriterion-dev:arm64 2>/dev/null) in
        *"install ok installed"*) ;;
        *)
            if [ ! -e "$ARM64_LIBDIR/libcriterion.so" ]; then
                # shellcheck disable=SC2086
                if arm64_apt_clean $pk libcriterion-dev:arm64; then
                    pk="$pk libcriterion-dev:arm64"
                else
                    pk="$pk $ARM64_CRIT_RUNTIME"
                    crit=unpack
                fi
            fi ;;
    esac
    if [ -n "$pk" ]; then
        # shellcheck disable=SC2086
        if ! arm64_apt_clean $pk; then
            apt-get update -q >/dev/null 2>&1
            # shellcheck disable=SC2086
            arm64_apt_clean $pk || {
                echo "ea90b: apt-get would remove packages to install$pk; nothing done:" >&2
                # shellcheck disable=SC2086
                apt-get -s install -y $pk 2>&1 | grep -E '^Remv|^E:' >&2
                exit 1
            }
        fi
        echo "ea90b: installing for make check-arm64:$pk" >&2
        # shellcheck disable=SC2086
        apt-get install -y -q $pk >/dev/null || { echo "ea90b: apt-get install failed for:$pk" >&2; exit 1; }
    fi
    if [ -n "$crit" ]; then
        echo "ea90b: unpacking libcriterion3:arm64 and libnanomsg5:arm64 into $ARM64_LIBDIR" >&2
        arm64_unpack_criterion || { echo "ea90b: cannot unpack them into $ARM64_LIBDIR" >&2; exit 1; }
    fi
    case $(arm64_missing) in
        *binfmt_misc*)
            echo "ea90b: registering qemu-aarch64 with binfmt_misc ($ARM64_BINFMT)" >&2
            arm64_register_binfmt ;;
    esac
    miss=$(arm64_missing)
    [ -z "$miss" ] && exit 0
    echo "ea90b: make check-arm64 still needs: $miss" >&2
    exit 1
fi
if [ "${1:-}" = "--browser" ]; then
    EA90B_EXTRA_PKGS="${EA90B_EXTRA_PKGS:-} chromium pandoc poppler-utils"
    shift
fi
if [ "${1:-}" = "--deb" ]; then
    EA90B_EXTRA_PKGS="${EA90B_EXTRA_PKGS:-} dpkg-dev debhelper lintian autopkgtest"
    shift
fi
if [ "${1:-}" = "--k8s" ]; then
    EA90B_EXTRA_PKGS="${EA90B_EXTRA_PKGS:-} kubernetes-client"
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
        kubernetes-client) echo kubectl ;;
        dpkg-dev) echo dpkg-buildpackage ;;
        debhelper) echo dh ;;
        groff-base) echo groff ;;
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
    # an extra whose command is already there (kubectl from another source) is not missing
    case " ${EA90B_EXTRA_PKGS:-} " in
        *" $p "*) command -v "$(cmd_of "$p")" >/dev/null 2>&1 && continue ;;
    esac
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
