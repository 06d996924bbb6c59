#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# spdx-check.sh ROOT - every source file of the project (code, scripts,
# build files, docs) names its licence in an SPDX line within its first two
# lines. Reference data (data/nist, data/vectors), generated example
# reports and binary or JSON files cannot carry one and are not checked.
set -u
ROOT=${1:-.}
cd "$ROOT" || exit 1
bad=0
n=0
for f in $(find . -path ./build -prune -o -path ./.git -prune -o -path ./data/nist -prune \
               -o -path ./data/vectors -prune -o -path './docs/examples/*/*' -prune -o -type f \
               \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.md' -o -name Makefile \
                  -o -name '*.supp' -o -name '*.in' -o -name '*.pc.in' -o -path ./.ci/run \
                  -o -path './scripts/*' -o -name '*.yaml' -o -name '*.yml' \
                  -o -name Containerfile -o -name Dockerfile -o -path ./tests/fleet/kubectl-stub \
                  -o -path './man/*' -o -path './completion/*' -o -path ./debian/control \
                  -o -path ./debian/rules -o -path './debian/tests/*' -o -name '*.install' \
                  -o -name '*.lintian-overrides' \) -print | sort); do
    n=$((n + 1))
    if ! head -2 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0'; then
        echo "spdx: $f has no 'SPDX-License-Identifier: Apache-2.0' line at the top"
        bad=$((bad + 1))
    fi
done
# debian/copyright states the licence in its own format (DEP-5)
if [ -f debian/copyright ] && ! grep -q '^License: Apache-2.0' debian/copyright; then
    echo "spdx: debian/copyright does not name Apache-2.0"
    bad=$((bad + 1))
fi
if [ ! -f LICENSE ] || ! grep -q 'Apache License' LICENSE; then
    echo "spdx: LICENSE (Apache-2.0) is missing"
    bad=$((bad + 1))
fi
echo "spdx: $n files checked, $bad without a licence line"
[ "$bad" -eq 0 ]
