#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# scripts/fleet against a stub kubectl (tests/fleet/kubectl-stub), and every manifest
# it produces checked against the Kubernetes API schema offline (docs/fleet.md).
#
#   tests/fleet/run.sh BINDIR FAKE_RECORDER JSONTOOL SCHEMACHECK
#
# Three instance types, one failing: the two complete collections are gathered,
# verified, assessed into one index that also lists the failed one, and drafted for
# ESV as two OEs; then a partial collection, a Job that cannot be created and the
# usage errors. The schema check needs kubectl (Debian: kubernetes-client) to turn
# the YAML into JSON, offline; without it that part is skipped with a line saying so.
set -u
BIN=$(cd "${1:?bin dir}" && pwd)
FAKEREC=$(cd "$(dirname "${2:?fake recorder}")" && pwd)/$(basename "$2")
JT=$(cd "$(dirname "${3:?jsontool}")" && pwd)/$(basename "$3")
SC=$(cd "$(dirname "${4:?schemacheck}")" && pwd)/$(basename "$4")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FLEET=$ROOT/scripts/fleet
STUB_SRC=$ROOT/tests/fleet/kubectl-stub
SCHEMA=$ROOT/tests/fleet/k8s-api.schema.json
E=$BIN/ea90b
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
# the stub as a program, whatever mode the checkout gave the file
STUB=$T/kubectl
printf '#!/bin/sh\nexec sh "%s" "$@"\n' "$STUB_SRC" >"$STUB"
chmod +x "$STUB"
pass=0
fail=0

ok() {
    desc=$1
    shift
    if "$@" >"$T/chk" 2>&1; then
        pass=$((pass + 1))
    else
        echo "FAIL: $desc"
        sed 's/^/  /' "$T/chk" | head -10
        fail=$((fail + 1))
    fi
}
same() {
    if [ -n "$2" ] && [ "$2" = "$3" ]; then
        pass=$((pass + 1))
    else
        echo "FAIL: $1: '${2:-(empty)}' is not '$3'"
        fail=$((fail + 1))
    fi
}
# the stub's call log holds a line matching the extended regular expression
called() { grep -Eq -- "$1" "$STUB_LOG"; }
not_called() { ! grep -Eq -- "$1" "$STUB_LOG"; }

# stub_env NAME: a fresh stub state for one scenario
stub_env() {
    STUB_LOG=$T/$1.calls STUB_DIR=$T/$1.stub STUB_VOLUMES=$T/volumes
    export STUB_LOG STUB_DIR STUB_VOLUMES
    : >"$STUB_LOG"
    mkdir -p "$STUB_DIR"
}

# --- canned volumes: what two Jobs would have left in theirs (1,000,000 one-bit
#     samples and 1000 x 1000 restarts from the fake recorder, two seeds)
mkdir -p "$T/volumes/ea90b-m5-large" "$T/volumes/ea90b-m7g-large" "$T/volumes/ea90b-r5-large"
FAKE_REC_SEED=1 "$E" collect -q -o "$T/volumes/ea90b-m5-large/m5.large" --mask 0x1 --source exec -- "$FAKEREC" --random 1
ok "canned collection m5.large" test -s "$T/volumes/ea90b-m5-large/m5.large/manifest.json"
FAKE_REC_SEED=2 "$E" collect -q -o "$T/volumes/ea90b-m7g-large/m7g.large" --mask 0x1 --source exec -- "$FAKEREC" --random 1
ok "canned collection m7g.large" test -s "$T/volumes/ea90b-m7g-large/m7g.large/manifest.json"
# r5.large: a collection damaged on the way (one byte of samples.bin changed)
cp -r "$T/volumes/ea90b-m5-large/m5.large" "$T/volumes/ea90b-r5-large/r5.large"
printf '\001' | dd of="$T/volumes/ea90b-r5-large/r5.large/samples.bin" bs=1 seek=1000 conv=notrunc 2>/dev/null
printf '\000' | dd of="$T/volumes/ea90b-r5-large/r5.large/samples.bin" bs=1 seek=1001 conv=notrunc 2>/dev/null

# === three instance types, c6i.large failing
stub_env three
O=$T/three
STUB_FAIL="c6i.large" KUBECTL=$STUB sh "$FLEET" run -t m5.large,m7g.large:arm64 -t c6i.large \
    -n fleet-test -o "$O" --claim 0.5 --seed 1 --ea90b "$E" --image registry.example/ea90b:0.1.0 \
    --poll 1 --runs 1 >"$T/three.out" 2>"$T/three.err"
same "one failed type: exit 1" "$?" 1
ok "summary printed" grep -q "^2 assessed, 1 failed or partial" "$T/three.out"
st() { awk -F '\t' -v t="$2" '$1 == t { print $3 }' "$1/summary.tsv"; }
same "m5.large assessed" "$(st "$O" m5.large)" assessed
same "m7g.large assessed" "$(st "$O" m7g.large)" assessed
same "c6i.large FAILED" "$(st "$O" c6i.large)" FAILED
same "m7g.large's architecture" "$(awk -F '\t' '$1 == "m7g.large" { print $2 }' "$O/summary.tsv")" arm64
ok "the failure's reason: the Job's condition" grep -q "c6i.large.*FAILED.*BackoffLimitExceeded" "$O/summary.tsv"
ok "the failure's reason: its last log line" grep -q "c6i.large.*the timer does not advance" "$O/summary.tsv"
ok "an assessed type's detail has its verdict" sh -c "awk -F '\t' '\$1 == \"m5.large\" { print \$4 }' '$O/summary.tsv' | grep -Eq '^(PASS|INCOMPLETE|FAIL) +claim 0.5 +assessed'"
# the calls: namespace, create, wait (complete, then failed), logs, gather, delete
ok "namespace checked" called '^-n fleet-test get namespace fleet-test -o name$'
ok "namespace checked first" sh -c "head -1 '$STUB_LOG' | grep -q 'get namespace fleet-test'"
for n in m5-large m7g-large c6i-large; do
    ok "$n: volume created" called "^-n fleet-test create -f $O/manifests/ea90b-$n.pvc.yaml\$"
    ok "$n: Job created" called "^-n fleet-test create -f $O/manifests/ea90b-$n.job.yaml\$"
    ok "$n: waited for" called "^-n fleet-test wait --for=condition=complete --timeout=1s job/ea90b-$n\$"
    ok "$n: logs kept" called "^-n fleet-test logs job/ea90b-$n --tail=200\$"
    ok "$n: Job deleted" called "^-n fleet-test delete job/ea90b-$n --ignore-not-found\$"
    ok "$n: volume deleted" called "^-n fleet-test delete pvc/ea90b-$n --ignore-not-found --wait=false\$"
done
ok "c6i-large: failure detected" called '^-n fleet-test wait --for=condition=failed --timeout=0s job/ea90b-c6i-large$'
ok "c6i-large: described" called '^-n fleet-test describe job/ea90b-c6i-large$'
ok "c6i-large: no gather pod" not_called 'gather-c6i-large'
for n in m5-large:m5.large m7g-large:m7g.large; do
    ok "${n%%:*}: gather pod created" called "^-n fleet-test create -f $O/manifests/ea90b-${n%%:*}.gather.yaml\$"
    ok "${n%%:*}: gather pod ready" called "^-n fleet-test wait --for=condition=Ready --timeout=300s pod/ea90b-gather-${n%%:*}\$"
    ok "${n%%:*}: copied with tar" called "^-n fleet-test exec ea90b-gather-${n%%:*} -- tar cf - -C /data ${n#*:}\$"
    ok "${n%%:*}: gather pod deleted" called "^-n fleet-test delete pod ea90b-gather-${n%%:*} --ignore-not-found --wait=false\$"
done
ok "every call names the namespace" sh -c "! grep -v '^-n fleet-test ' '$STUB_LOG'"
ok "creates before waits" sh -c "test \$(grep -n ' create -f .*job.yaml' '$STUB_LOG' | tail -1 | cut -d: -f1) -lt \$(grep -n ' wait ' '$STUB_LOG' | head -1 | cut -d: -f1)"
ok "nothing left in the cluster" sh -c "test -z \"\$(find '$STUB_DIR/objects' -type f)\""
# what was created: nodeSelector, Guaranteed QoS, the volume, the image, security
J=$O/manifests/ea90b-m7g-large.job.yaml
ok "Job: nodeSelector instance type" grep -qx '        node.kubernetes.io/instance-type: "m7g.large"' "$J"
ok "Job: nodeSelector arch" grep -qx '        kubernetes.io/arch: "arm64"' "$J"
ok "Job: amd64 by default" grep -qx '        kubernetes.io/arch: "amd64"' "$O/manifests/ea90b-m5-large.job.yaml"
ok "Job: the image" grep -qx '          image: "registry.example/ea90b:0.1.0"' "$J"
ok "Job: the collection to /data/TYPE" grep -qF 'args: ["collect", "-o", "/data/m7g.large", "--force", "--runs", "1"]' "$J"
ok "Job: restartPolicy Never" grep -qx '      restartPolicy: Never' "$J"
ok "Job: backoffLimit" grep -qx '  backoffLimit: 1' "$J"
ok "Job: activeDeadlineSeconds" grep -qx '  activeDeadlineSeconds: 3600' "$J"
ok "Job: Guaranteed QoS (requests = limits, whole CPUs)" sh -c "test \"\$(sed -n '/requests:/,/limits:/p' '$J' | grep -E 'cpu|memory')\" = \"\$(sed -n '/limits:/,/securityContext:/p' '$J' | grep -E 'cpu|memory')\" && grep -qx '              cpu: \"1\"' '$J'"
ok "Job: non-root, read-only root" sh -c "grep -qx '        runAsNonRoot: true' '$J' && grep -qx '        runAsUser: 65532' '$J' && grep -qx '            readOnlyRootFilesystem: true' '$J'"
ok "Job: its own volume" grep -qx '            claimName: ea90b-m7g-large' "$J"
ok "gather pod: read-only mount" grep -qx '          readOnly: true' "$O/manifests/ea90b-m7g-large.gather.yaml"
ok "no storage class line without --storage-class" sh -c "! grep -q storageClassName '$O/manifests/ea90b-m5-large.pvc.yaml'"
# gathered, verified, assessed
for ty in m5.large m7g.large; do
    ok "$ty: gathered" test -s "$O/$ty/manifest.json"
    ok "$ty: verifies" "$E" verify -q "$O/$ty"
    ok "$ty: assessed" test -s "$O/$ty/report/report.json"
done
ok "c6i.large: nothing gathered, nothing assessed" test ! -e "$O/c6i.large"
ok "logs kept" sh -c "test -s '$O/logs/c6i.large.log' && test -s '$O/logs/c6i.large.describe.txt' && test -s '$O/logs/m5.large.log'"
# the index: two assessed collections and the failed one with its reason
I=$O/index.md
ok "index written" test -s "$I"
ok "index: two collections assessed" grep -q "^2 collections assessed with ea90b" "$I"
ok "index: one not assessed" grep -qF "**1 collection not assessed** (failed or partial)" "$I"
same "index: one row per assessed collection" "$(grep -cE '^\| (m5|m7g)\.large \| ' "$I")" 2
ok "index: m5.large and m7g.large linked" sh -c "grep -qF -- '- m5.large: m5.large/report/report.md' '$I' && grep -qF -- '- m7g.large: m7g.large/report/report.md' '$I'"
ok "index: the failed collection listed" grep -qE '^\| c6i\.large \| FAILED: the Job failed \(BackoffLimitExceeded' "$I"
ok "index: the failed collection not linked or plotted" sh -c "! grep -q 'c6i.large/report' '$I' '$O/index.html'"
ok "index.html lists it too" grep -qF "c6i.large" "$O/index.html"
# the ESV drafts: one OE per assessed collection
ok "esv drafts written" test -s "$O/esv/registration.draft.json"
same "esv: numberOfOEs 2" "$("$JT" get "$O/esv/registration.draft.json" registration.1.numberOfOEs)" 2
ok "esv: the registration draft matches its schema" "$SC" "$ROOT/tests/esv/registration.schema.json" "$O/esv/registration.draft.json"

# === a partial collection, a Job that cannot be created and a failed one: nothing to assess
stub_env partial
mkdir -p "$STUB_DIR/objects/pvc"
echo "an earlier run's volume" >"$STUB_DIR/objects/pvc/ea90b-m6i-large"
O2=$T/partial
STUB_FAIL="c6i.large" KUBECTL=$STUB sh "$FLEET" run -t "r5.large m6i.large c6i.large" -n fleet-test \
    -o "$O2" --osr 3 --ea90b "$E" --poll 1 --no-esv >"$T/partial.out" 2>"$T/partial.err"
same "partial: exit 1" "$?" 1
same "r5.large PARTIAL" "$(st "$O2" r5.large)" PARTIAL
ok "r5.large: verify's reason" grep -q "r5.large.*PARTIAL.*ea90b verify refused the collection.*samples.bin" "$O2/summary.tsv"
same "m6i.large FAILED" "$(st "$O2" m6i.large)" FAILED
ok "m6i.large: cannot be created, and why" grep -q "m6i.large.*could not be created.*AlreadyExists" "$O2/summary.tsv"
ok "m6i.large: the earlier run's volume is left alone" grep -q "earlier run" "$STUB_DIR/objects/pvc/ea90b-m6i-large"
ok "m6i.large: no Job created, so none waited for" not_called 'job/ea90b-m6i-large'
ok "partial: nothing assessed, no index, no drafts" sh -c "test ! -e '$O2/index.md' && test ! -e '$O2/esv' && test ! -e '$O2/r5.large/report'"
ok "partial: the damaged copy kept to look at" test -s "$O2/r5.large/manifest.json"
ok "the image defaults to the local ea90b's version" grep -q "image: \"localhost/ea90b:$("$E" --version | cut -d' ' -f2)\"" "$O2/manifests/ea90b-r5-large.job.yaml"

# === usage: exit 2 before any kubectl call
stub_env usage
u() {
    KUBECTL=$STUB sh "$FLEET" "$@" --ea90b "$E" >/dev/null 2>"$T/usage.err"
    echo $?
}
same "no claim" "$(u run -t m5.large -o "$T/u1")" 2
same "not an instance type" "$(u run -t 'm5 large;' --osr 3 -o "$T/u2")" 2
same "fractional CPUs" "$(u run -t m5.large --osr 3 --cpus 1.5 -o "$T/u3")" 2
same "a type twice" "$(u run -t m5.large,m5.large --osr 3 -o "$T/u4")" 2
same "unknown option" "$(u run -t m5.large --osr 3 --frobnicate -o "$T/u5")" 2
same "no command" "$(u -t m5.large)" 2
same "a non-empty output folder" "$(u run -t m5.large --osr 3 -o "$O")" 1
ok "usage errors call no kubectl" test ! -s "$STUB_LOG"

# === render, and every manifest against the Kubernetes API schema (offline)
R=$T/render
sh "$FLEET" render -t "Standard_D4s_v5,m7g.large:arm64" -o "$R" --image ea90b:test --storage-class gp3 \
    --collect-arg '--source-label' --collect-arg 'say "hi" \ there' --cpus 2 --memory 1Gi >/dev/null 2>&1
ok "render: three manifests per type" test "$(ls "$R" | wc -l)" -eq 6
ok "render: names made DNS labels" test -f "$R/ea90b-standard-d4s-v5.job.yaml"
ok "render: the storage class" grep -qx '  storageClassName: "gp3"' "$R/ea90b-standard-d4s-v5.pvc.yaml"
ok "render: arguments quoted" grep -qF '"--source-label", "say \"hi\" \\ there"]' "$R/ea90b-m7g-large.job.yaml"
if ! command -v kubectl >/dev/null 2>&1; then
    echo "fleet: kubectl not found: the manifests' check against the Kubernetes API schema is skipped (Debian: apt-get install kubernetes-client)"
else
    # kubectl's own YAML reader, no server: label --local rewrites one label to its value
    tojson() {
        kubectl label --local -f "$1" --overwrite app.kubernetes.io/part-of=ea90b-fleet -o json 2>"$T/kubectl.err"
    }
    # valid FILE...: each manifest against the schema of its kind
    valid() {
        for f in "$@"; do
            tojson "$f" >"$f.json" || { echo "kubectl cannot read $f: $(cat "$T/kubectl.err")"; return 1; }
            k=$(sed -n 's/^kind: *//p' "$f" | head -1)
            case $k in
                Job) d=io.k8s.api.batch.v1.Job ;;
                Pod) d=io.k8s.api.core.v1.Pod ;;
                PersistentVolumeClaim) d=io.k8s.api.core.v1.PersistentVolumeClaim ;;
                *) echo "$f: kind '$k'"; return 1 ;;
            esac
            sed "s|\"#/\$defs/manifest\"|\"#/\$defs/$d.root\"|" "$SCHEMA" >"$T/$k.schema.json"
            "$SC" "$T/$k.schema.json" "$f.json" || return 1
        done
    }
    ok "the schema names its root" grep -qF '"$ref": "#/$defs/manifest"' "$SCHEMA"
    ok "every manifest created in the stub run is valid (Kubernetes API, strict)" valid "$T/three.stub/created"/*.yaml
    ok "every rendered manifest is valid" valid "$R"/*.yaml
    ok "the whole schema accepts them too" "$SC" "$SCHEMA" "$R/ea90b-m7g-large.job.yaml.json"
    # and it refuses what the API server would: a misspelt field, a wrong type, a bad name
    sed 's/^      nodeSelector:/      nodeSelecter:/' "$J" >"$T/bad1.yaml"
    sed 's/^  backoffLimit: 1/  backoffLimit: "one"/' "$J" >"$T/bad2.yaml"
    sed 's/^  name: ea90b-m7g-large/  name: ea90b-m7g.large/' "$J" >"$T/bad3.yaml"
    for b in bad1 bad2 bad3; do
        ok "refused: $b" sh -c "! { $(command -v kubectl) label --local -f '$T/$b.yaml' --overwrite a=b -o json >'$T/$b.json' 2>/dev/null && '$SC' '$T/Job.schema.json' '$T/$b.json'; }"
    done
    ok "refused: the misspelt field is named" sh -c "'$SC' '$T/Job.schema.json' '$T/bad1.json' 2>&1 | grep -q nodeSelecter"
fi

echo "fleet: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
