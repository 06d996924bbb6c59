#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check.sh [CONTAINERFILE] - the collector image's recipe, checked without buildah or
# podman (make check; building it is `make image`, running it `make check-image`):
#   FROM scratch, once; only instructions that need no shell in the image (no RUN, no
#   ADD, no SHELL/ONBUILD/HEALTHCHECK); USER numeric and not root; ENTRYPOINT
#   ["/ea90b"] and CMD in exec form; bin/${TARGETARCH}/ea90b copied to /ea90b with
#   ARG TARGETARCH; every COPY source one that scripts/container-image.sh stages;
#   /data the WORKDIR, a VOLUME and owned by the USER; the OCI labels (licence
#   Apache-2.0, version from ARG VERSION, source, revision, title); every ${VAR}
#   declared by an ARG. Then the staging script agrees: its passwd names the USER's
#   uid, it passes VERSION. Without an argument it also breaks copies of the file
#   and expects each to be refused, so the check cannot pass vacuously.
set -u
given=$#
CF=${1:-deploy/container/Containerfile}
SCRIPT=scripts/container-image.sh

# check FILE: one line per problem; on success one line "ok USER"
check() {
    awk '
    function fail(m) { print "container: " FILENAME ": " m; bad++ }
    function handle(line,   instr, rest, n, a, i, src, dst, chown, kv, k, v) {
        sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line)
        instr = toupper(line); sub(/[ \t].*/, "", instr)
        rest = line; sub(/^[^ \t]+[ \t]*/, "", rest)
        ninstr++
        if (instr != "FROM" && instr != "ARG" && nfrom == 0) fail(instr " before FROM")
        if (instr == "FROM") {
            nfrom++
            if (rest != "scratch") fail("FROM " rest ": the image is FROM scratch (no registry, no base image)")
        } else if (instr == "ARG") {
            k = rest; sub(/=.*/, "", k); args[k] = 1
        } else if (instr == "LABEL") {
            while (match(rest, /[A-Za-z0-9._-]+="[^"]*"/)) {
                kv = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
                k = kv; sub(/=.*/, "", k); v = kv; sub(/^[^=]*="/, "", v); sub(/"$/, "", v)
                labels[k] = v; nlabels++; vars(v)
            }
            if (rest ~ /[^ \t]/) fail("LABEL: not key=\"value\" pairs: " rest)
        } else if (instr == "COPY") {
            n = split(rest, a, /[ \t]+/); chown = ""; src = ""
            for (i = 1; i < n; i++) {
                if (a[i] ~ /^--chown=/) { chown = substr(a[i], 9); continue }
                if (a[i] ~ /^--/) { fail("COPY " a[i] ": only --chown (one stage, files from the context)"); continue }
                src = src " " a[i]; vars(a[i])
                if (a[i] != "bin/${TARGETARCH}/ea90b" && a[i] != "rootfs/etc/passwd" &&
                    a[i] != "rootfs/etc/group" && a[i] != "rootfs/data")
                    fail("COPY " a[i] ": not a file " script " stages")
            }
            dst = a[n]
            if (src == " bin/${TARGETARCH}/ea90b" && dst == "/ea90b") binary = 1
            if (dst == "/data") datachown = chown
        } else if (instr == "USER") {
            user = rest
        } else if (instr == "WORKDIR") {
            workdir = rest
        } else if (instr == "VOLUME") {
            if (rest ~ /"\/data"/ || rest == "/data") volume = 1
        } else if (instr == "ENTRYPOINT") {
            entry = rest
        } else if (instr == "CMD") {
            cmd = rest
        } else if (instr == "ENV" || instr == "STOPSIGNAL" || instr == "EXPOSE") {
        } else {
            fail(instr ": not allowed (FROM scratch has no shell; ADD can fetch from the network)")
        }
    }
    function vars(s,   k) {  # every ${VAR} in s has an ARG
        while (match(s, /\$\{[A-Za-z_][A-Za-z_0-9]*\}/)) {
            k = substr(s, RSTART + 2, RLENGTH - 3); s = substr(s, RSTART + RLENGTH)
            if (!(k in args)) fail("${" k "} without an ARG " k " before it")
        }
    }
    NR == 1 && $0 != "# SPDX-License-Identifier: Apache-2.0" { fail("line 1 is not the SPDX line") }
    /^[ \t]*#/ || /^[ \t]*$/ { next }
    {
        line = cont $0
        if (line ~ /\\[ \t]*$/) { sub(/\\[ \t]*$/, " ", line); cont = line; next }
        cont = ""; handle(line)
    }
    END {
        if (cont != "") fail("ends inside a continued line")
        if (nfrom != 1) fail(nfrom " FROM lines, not one")
        if (user !~ /^[0-9]+:[0-9]+$/) fail("USER " user ": not a numeric uid:gid")
        else if (user ~ /^0+:/ || user ~ /:0+$/) fail("USER " user ": root")
        if (entry !~ /^\[[ \t]*"\/ea90b"[ \t]*(,[ \t]*"[^"]*"[ \t]*)*\]$/)
            fail("ENTRYPOINT " entry ": not the exec form [\"/ea90b\", ...]")
        if (cmd != "" && cmd !~ /^\[[ \t]*"[^"]*"[ \t]*(,[ \t]*"[^"]*"[ \t]*)*\]$/)
            fail("CMD " cmd ": not the exec form (no /bin/sh in the image)")
        if (!binary) fail("no COPY bin/${TARGETARCH}/ea90b /ea90b")
        if (workdir != "/data") fail("WORKDIR " workdir ", not /data")
        if (!volume) fail("no VOLUME /data")
        if (datachown != user) fail("/data owned by \"" datachown "\", not the USER " user)
        if (labels["org.opencontainers.image.licenses"] != "Apache-2.0") fail("no licences label Apache-2.0")
        if (labels["org.opencontainers.image.version"] != "${VERSION}") fail("version label not ${VERSION}")
        if (labels["org.opencontainers.image.source"] == "") fail("no source label")
        if (labels["org.opencontainers.image.revision"] == "") fail("no revision label")
        if (labels["org.opencontainers.image.title"] != "ea90b") fail("no title label ea90b")
        if (bad == 0) print "ok " user " " ninstr " " nlabels
        exit bad > 0
    }' script="$SCRIPT" "$1"
}

out=$(check "$CF")
case $out in
    ok\ *) ;;
    *) echo "$out"; exit 1 ;;
esac
# shellcheck disable=SC2086
set -- $out
user=$2 ninstr=$3 nlabels=$4

# the staging script agrees with the recipe
bad=0
sh -n "$SCRIPT" || { echo "container: $SCRIPT: shell syntax"; bad=1; }
grep -q "ea90b:x:${user}:" "$SCRIPT" || { echo "container: $SCRIPT: its /etc/passwd has no ea90b:x:$user"; bad=1; }
grep -q -- '--build-arg VERSION=' "$SCRIPT" || { echo "container: $SCRIPT: passes no VERSION"; bad=1; }
# shellcheck disable=SC2016
for f in rootfs/etc/passwd rootfs/etc/group rootfs/data 'bin/$1/ea90b'; do
    grep -qF "$f" "$SCRIPT" || { echo "container: $SCRIPT does not stage $f"; bad=1; }
done
[ $bad -eq 0 ] || exit 1

# broken copies must be refused
if [ "$given" -eq 0 ]; then
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/ea90b-cf.XXXXXX") || exit 1
    trap 'rm -rf "$tmp"' EXIT
    n=0
    for edit in 's/^ENTRYPOINT .*/&\nRUN ["\/ea90b", "probe"]/' \
                's/^USER .*/USER 0:0/' 's/^USER .*/USER ea90b/' 's/^USER .*/USER 65532/' \
                's/^ENTRYPOINT .*/ENTRYPOINT \/ea90b/' 's/^CMD .*/CMD probe/' \
                's/^FROM scratch/FROM debian:12/' 's/^FROM scratch/&\nFROM scratch/' \
                '/image.licenses=/d' 's/Apache-2.0"/MIT"/' '/image.source=/d' \
                's/^COPY bin/ADD bin/' 's/^ARG TARGETARCH//' 's/^WORKDIR .*/WORKDIR \//' \
                's/--chown=65532:65532 //' 's/^COPY rootfs\/etc\/passwd/COPY --from=base rootfs\/etc\/passwd/' \
                's/^VOLUME .*//' 's/^# SPDX.*/#/' 's/^CMD .*/SHELL ["\/bin\/sh", "-c"]/'; do
        n=$((n + 1))
        sed "$edit" "$CF" >"$tmp/Containerfile"
        if cmp -s "$CF" "$tmp/Containerfile"; then echo "container: mutation $n ($edit) changed nothing"; exit 1; fi
        if check "$tmp/Containerfile" | grep -q '^ok '; then
            echo "container: a Containerfile broken by '$edit' passes the check"; exit 1
        fi
    done
    refused=", $n broken copies refused"
fi
if command -v buildah >/dev/null 2>&1 || command -v podman >/dev/null 2>&1; then
    how="make image builds it, make check-image runs it"
else
    how="no buildah/podman here: the image itself is not built"
fi
echo "container: $CF: FROM scratch, USER $user, ENTRYPOINT /ea90b, no RUN, $nlabels labels, $ninstr instructions${refused:-} ($how)"
