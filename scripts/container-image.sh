#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# container-image.sh build MAKE BUILD IMAGE VERSION TRIPLET   (make image)
# container-image.sh run   MAKE BUILD IMAGE VERSION TRIPLET   (make check-image)
#
# build: stages BUILD/image/context from the static binaries built on this host
# (BUILD/static/ea90b for this architecture; BUILD/static/aarch64/ea90b for arm64,
# built first with `make static ARCH=aarch64` when the aarch64 cross compiler is
# installed), builds deploy/container/Containerfile once per architecture with
# buildah (or podman) without network, as IMAGE-ARCH, and the manifest list IMAGE
# holding them; then checks each image's user, entrypoint and architecture.
# run: runs IMAGE-ARCH (this host's architecture) with podman, no network:
# `probe`, then a small collection into a volume, verified inside and outside.
#
# Anything missing or unable to run here ends it with one line saying why, exit 1.
# Environment: IMAGE_TOOL (buildah or podman; default: buildah if installed),
# IMAGE_SOURCE (the org.opencontainers.image.source label), ARM64_BIN,
# STORAGE_DRIVER (e.g. vfs where overlay cannot mount), PODMAN_RUN_FLAGS (run).
# docs/container.md.
# shellcheck disable=SC2086 # $sd, $glob, $flags: options, split on purpose
set -u
mode=$1 make=$2 build=$3 image=$4 version=$5 triplet=$6
CF=deploy/container/Containerfile
ctx=$build/image/context
if [ "$mode" = run ]; then me="make check-image"; else me="make image"; fi
err=$(mktemp "${TMPDIR:-/tmp}/ea90b-image.XXXXXX") || exit 1
trap 'rm -f "$err"' EXIT

die() { echo "$me: $*" >&2; exit 1; }
# the first line of the tool's error output that says something
why() { grep -v '^[[:space:]]*$' "$err" | grep -iv '^warn\|level=warn' | head -1 | cut -c1-240; }

archof() {  # the container architecture of a triplet
    case $1 in
        x86_64-*|amd64) echo amd64 ;;
        aarch64-*|arm64) echo arm64 ;;
        *) echo "" ;;
    esac
}
elfarch() {  # the ELF e_machine of a file: amd64, arm64 or "?"
    case $(od -An -tx1 -j18 -N2 "$1" 2>/dev/null | tr -d ' \n') in
        3e00) echo amd64 ;; b700) echo arm64 ;; *) echo "?" ;;
    esac
}

# STORAGE_DRIVER=vfs where overlay cannot mount (buildah 1.28 reads no such variable)
sd=${STORAGE_DRIVER:+--storage-driver $STORAGE_DRIVER}
host=$(archof "$triplet")
[ -n "$host" ] || die "no container architecture for $triplet (amd64 and arm64 only)"

# ------------------------------------------------------------------ run
if [ "$mode" = run ]; then
    command -v podman >/dev/null 2>&1 || \
        die "podman is not installed (as root: apt-get install -y podman); buildah builds images but this check runs one"
    tag=$image-$host
    podman $sd image exists "$tag" 2>/dev/null || die "no image $tag (make image first)"
    vol=$build/image/volume
    rm -rf "$vol" && mkdir -p "$vol" || exit 1
    case $vol in /*) absvol=$vol ;; *) absvol=$PWD/$vol ;; esac
    glob=""
    flags="--rm --network=none ${PODMAN_RUN_FLAGS:-}"
    # two things a sandbox can refuse, seen on a root shell without
    # CAP_SYS_RESOURCE and with hybrid cgroups: podman's default rlimits for
    # root (nofile 1048576, nproc 4194304) and crun's cgroup set-up
    tries=0
    while :; do
            if podman $sd $glob run $flags "$tag" probe >"$vol.probe" 2>"$err"; then break; fi
        tries=$((tries + 1))
        if [ $tries -lt 3 ] && grep -qi 'rlimit' "$err" && ! echo "$flags" | grep -q 'ulimit nproc'; then
            flags="$flags --ulimit nofile=4096:4096 --ulimit nproc=4096:4096"
            echo "$me: podman cannot raise the rlimits here ($(why)); retrying with --ulimit nofile=4096:4096 --ulimit nproc=4096:4096"
        elif [ $tries -lt 3 ] && grep -q 'hybrid mode' "$err" && [ -z "$glob" ] && command -v runc >/dev/null 2>&1; then
            glob="--runtime runc"
            echo "$me: crun refuses hybrid cgroups here ($(why)); retrying with podman --runtime runc"
        else
            die "podman cannot run $tag here: $(why)"
        fi
    done
    grep '^verdict' "$vol.probe" || die "$tag probe printed no verdict"
    podman $sd $glob run $flags -v "$absvol:/data:U" "$tag" \
        collect -q -o run1 --samples 10000 --restarts 10x100 2>"$err" || \
        die "collect in $tag failed: $(why)"
    podman $sd $glob run $flags -v "$absvol:/data:U" "$tag" verify run1 2>"$err" || \
        die "verify in $tag failed: $(why)"
    "$build/static/ea90b" verify "$vol/run1" >/dev/null 2>"$err" || \
        die "the collection written by $tag does not verify here: $(why)"
    owner=$(stat -c %u:%g "$vol/run1/manifest.json")
    [ "$owner" = 65532:65532 ] || die "the collection is owned by $owner, not 65532:65532"
    echo "$me: $tag ran: probe, collect -o /data/run1 as 65532:65532 into $vol, verified in and outside the container"
    [ "$host" = amd64 ] && podman $sd image exists "$image-arm64" 2>/dev/null && \
        echo "$me: $image-arm64 not run (no arm64 emulation assumed; run it on an arm64 node)"
    exit 0
fi

# ---------------------------------------------------------------- build
[ "$mode" = build ] || die "usage: container-image.sh build|run MAKE BUILD IMAGE VERSION TRIPLET"
# the binaries, one per architecture
rm -rf "$ctx" && mkdir -p "$ctx/rootfs/etc" "$ctx/rootfs/data" || exit 1
stage() {  # stage ARCH BINARY
    [ "$(elfarch "$2")" = "$1" ] || die "$2 is not an $1 executable ($(elfarch "$2"))"
    mkdir -p "$ctx/bin/$1" || exit 1
    if [ "$1" = "$host" ]; then s=${STRIP:-strip}
    elif [ "$1" = arm64 ]; then s=aarch64-linux-gnu-strip
    else s=x86_64-linux-gnu-strip; fi
    if command -v "$s" >/dev/null 2>&1; then "$s" -o "$ctx/bin/$1/ea90b" "$2" || exit 1
    else cp "$2" "$ctx/bin/$1/ea90b" || exit 1; fi
    chmod 0755 "$ctx/bin/$1/ea90b"
    arches="$arches $1"
}
arches=""
stage "$host" "$build/static/ea90b"
if [ "$host" = amd64 ]; then
    arm=${ARM64_BIN:-$build/static/aarch64/ea90b}
    if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && [ -z "${ARM64_BIN:-}" ]; then
        "$make" --no-print-directory static ARCH=aarch64 BUILD="$build" || exit 1
    fi
    if [ -f "$arm" ]; then
        stage arm64 "$arm"
    else
        echo "$me: no arm64 binary ($arm), so amd64 only: \`make static ARCH=aarch64\` builds it (needs Debian's aarch64 cross toolchain)"
    fi
fi
printf 'root:x:0:0:root:/:/sbin/nologin\nea90b:x:65532:65532:ea90b collector:/data:/sbin/nologin\n' \
    >"$ctx/rootfs/etc/passwd"
printf 'root:x:0:\nea90b:x:65532:\n' >"$ctx/rootfs/etc/group"

tool=${IMAGE_TOOL:-}
T() { "$tool" $sd "$@"; }  # the tool, with --storage-driver when set
if [ -z "$tool" ]; then
    if command -v buildah >/dev/null 2>&1; then tool=buildah
    elif command -v podman >/dev/null 2>&1; then tool=podman
    else die "neither buildah nor podman is installed (as root: apt-get install -y buildah); $ctx is staged for $CF (docs/container.md)"
    fi
fi
case $tool in buildah|podman) ;; *) die "IMAGE_TOOL=$tool: buildah or podman" ;; esac
command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (as root: apt-get install -y $tool)"
T info >/dev/null 2>"$err" || die "$tool cannot run here: $(why)"

# labels and a reproducible timestamp from the commit, when this is a git tree
rev=$(git rev-parse HEAD 2>/dev/null) || rev=unknown
src=${IMAGE_SOURCE:-$(git remote get-url origin 2>/dev/null)} || src=""
[ -n "$src" ] || src=unknown
ts=$(git log -1 --format=%ct 2>/dev/null) || ts=""

case $tool in
    buildah) buildcmd="T bud" ;;
    *) buildcmd="T build" ;;
esac
old=""  # the images these tags name now: removed below once nothing names them
for a in $arches; do
    old="$old $(T images -q --no-trunc "$image-$a" 2>/dev/null | head -1)"
done
for a in $arches; do
    $buildcmd --quiet --layers=false --pull=never --network=none --platform "linux/$a" ${ts:+--timestamp "$ts"} \
        --build-arg VERSION="$version" --build-arg REVISION="$rev" --build-arg SOURCE="$src" \
        -f "$CF" -t "$image-$a" "$ctx" >/dev/null 2>"$err" || die "$tool could not build $image-$a: $(why)"
done

# the manifest list: remove the previous one (it would keep the old images)
T manifest rm "$image" >/dev/null 2>&1 || T rmi "$image" >/dev/null 2>&1
T manifest create "$image" >/dev/null 2>"$err" || die "$tool manifest create $image: $(why)"
for a in $arches; do
    T manifest add "$image" "containers-storage:$image-$a" >/dev/null 2>"$err" || \
        die "$tool manifest add $image $image-$a: $(why)"
done

dangling=$(T images -q --no-trunc --filter dangling=true 2>/dev/null)
for o in $old; do
    echo "$dangling" | grep -qx "$o" && T rmi "$o" >/dev/null 2>&1
done

# what was built is what the Containerfile says
for a in $arches; do
    if [ "$tool" = buildah ]; then
        got=$(T inspect --type image --format \
            '{{.OCIv1.Config.User}} {{.OCIv1.Config.Entrypoint}} {{.OCIv1.Architecture}} {{.OCIv1.Config.WorkingDir}} {{index .OCIv1.Config.Labels "org.opencontainers.image.version"}}' \
            "$image-$a" 2>"$err") || die "buildah inspect $image-$a: $(why)"
    else
        got=$(T image inspect --format \
            '{{.Config.User}} {{.Config.Entrypoint}} {{.Architecture}} {{.Config.WorkingDir}} {{index .Config.Labels "org.opencontainers.image.version"}}' \
            "$image-$a" 2>"$err") || die "podman image inspect $image-$a: $(why)"
    fi
    want="65532:65532 [/ea90b] $a /data $version"
    [ "$got" = "$want" ] || die "$image-$a: user, entrypoint, architecture, workdir, version are '$got', not '$want'"
    size=$(T images --format '{{.Size}}' "$image-$a" 2>/dev/null | head -1)
    echo "$me: $image-$a  linux/$a  user 65532:65532  entrypoint /ea90b  $size"
done
n=$(T manifest inspect "$image" 2>/dev/null | grep -c '"architecture"')
[ "$n" -eq "$(echo "$arches" | wc -w)" ] || die "the manifest list $image holds $n images, not$arches"
echo "$me: $image: manifest list of$arches ($tool); push it with: $tool manifest push --all $image docker://REGISTRY/ea90b:$version"
