# SPDX-License-Identifier: Apache-2.0
# ea90b probe: timer checks and host facts (sourced by tests/cli/run.sh)

# --- usage errors: exit 2
expect 2 "--samples needs" "$E" probe --samples 0
expect 2 "--samples needs" "$E" probe --samples many
expect 2 "--samples needs" "$E" probe --samples 10
expect 2 "--timer needs" "$E" probe --timer rdtsc
expect 2 "unknown option" "$E" probe --bogus
expect 2 "unexpected operand" "$E" probe extra
expect 0 "" "$E" probe --help
check "probe --help names --timer" grep -q -- "--timer" "$T/out"

# --- a run: one verdict per check, host facts, a usable timer here
expect 0 "" "$E" probe --samples 2000
for c in present monotonic read_cost resolution gcd variation stuck; do
    check "probe prints the $c check" grep -Eq "^  $c +(pass|warn|FAIL)" "$T/out"
done
check "probe prints host facts" grep -q "cpu.vendor" "$T/out"
check "probe prints a verdict" grep -q "^verdict: " "$T/out"

expect 0 "" "$E" probe --json --timer monotonic --samples 1000
cp "$T/out" "$T/probe.json"
check "probe --json timer name" sh -c "'$JT' get '$T/probe.json' timer.name | grep -qx '\"*clock_monotonic\"*'"
check "probe --json samples" sh -c "'$JT' get '$T/probe.json' timer.samples | grep -qx 1000"
for k in timer.gcd timer.stuck_share timer.resolution checks.stuck.verdict host.cpu usable emulated \
         host.emulated host.kernel.arch; do
    check "probe --json has $k" "$JT" get "$T/probe.json" "$k"
done
check "probe --json: clock_monotonic states 1e9 Hz" sh -c "'$JT' get '$T/probe.json' timer.frequency_hz | grep -qx 1000000000"
# emulated exactly when the running kernel is not the architecture the binary was built for
# (make check-arm64 runs this part under qemu-aarch64)
if [ -r /proc/sys/kernel/arch ]; then
    karch=$(cat /proc/sys/kernel/arch)
    barch=$(od -An -tu2 -j18 -N2 "$E" | tr -d ' ')   # ELF e_machine: 62 x86-64, 183 AArch64
    case "$karch:$barch" in
        x86_64:62|aarch64:183) want=false ;;
        x86_64:183|aarch64:62) want=true ;;
        *) want="" ;;
    esac
    if [ -n "$want" ]; then
        same "probe --json: emulated is $want ($karch kernel)" "$("$JT" get "$T/probe.json" emulated)" "$want"
        if [ "$want" = true ]; then
            expect 0 "" "$E" probe --samples 1000
            check "probe says it runs emulated" grep -q "^note: emulated: " "$T/out"
        fi
    fi
fi
