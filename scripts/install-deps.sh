#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# install-deps.sh - make sure the Debian packages ea90b builds and tests with
# are present. As root, installs what is missing (apt-get); otherwise prints
# the exact command to run and exits 1.
#
#   scripts/install-deps.sh            check, install as root
#   scripts/install-deps.sh --check    check only; never install
#   scripts/install-deps.sh --browser  also chromium (make check-browser)
#   EA90B_EXTRA_PKGS="chromium"        extra packages to require
set -u
if [ "${1:-}" = "--browser" ]; then
    EA90B_EXTRA_PKGS="${EA90B_EXTRA_PKGS:-} chromium"
    shift
fi

PKGS="make gcc libc6-dev libbz2-dev libdivsufsort-dev libssl-dev libcriterion-dev libjansson-dev ${EA90B_EXTRA_PKGS:-}"

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
