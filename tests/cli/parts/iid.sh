# ea90b iid --libbz2: the compression statistic computed by libbz2 itself gives the
# same counts and verdict as the default exact length model (sourced by run.sh).
for f in rand8_short rand1_short; do
    "$E" iid --json --full --seed 9 -o "$T/iid_model.json" "$D/nist/bin/$f.bin" 2>/dev/null
    "$E" iid --json --full --seed 9 --libbz2 -o "$T/iid_bz2.json" "$D/nist/bin/$f.bin" 2>/dev/null
    check "$f: --libbz2 recorded" sh -c "'$JT' get '$T/iid_bz2.json' options.compression | grep -qx libbz2"
    for k in permutation iid; do
        check "$f: --libbz2 and the length model agree on $k" test "$("$JT" get "$T/iid_model.json" $k)" = "$("$JT" get "$T/iid_bz2.json" $k)"
    done
done
expect 2 "--libbz2 applies to the IID track only" "$E" noniid --libbz2 "$D/nist/bin/rand8_short.bin"
