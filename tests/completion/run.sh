#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The bash completion file completion/ea90b: its syntax, then its function driven
# through COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT in a bare bash (--norc
# --noprofile, no bash-completion package), COMPREPLY read back: subcommands, options,
# option values (directories, files, fixed words), operands, the drop-ins. And a drift
# check: every long option that `BINDIR/ea90b SUB --help` (and each drop-in's --help)
# prints, and every short option that starts a help line, must be offered.
#
#   tests/completion/run.sh BINDIR
#
# Without bash, one line says the test was skipped.
set -u
if ! command -v bash >/dev/null 2>&1; then
    echo "completion: skipped (no bash)"
    exit 0
fi
BIN=$(cd "${1:?bin dir}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FILE=$ROOT/completion/ea90b
if ! bash -n "$FILE"; then
    echo "FAIL: bash -n $FILE"
    exit 1
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
mkdir "$T/work" "$T/work/adir" "$T/work/adir2"
: >"$T/work/afile"

cat >"$T/cases.bash" <<'EOF'
set -u
BIN=$1 FILE=$2
. "$FILE" || { echo "FAIL: sourcing $FILE"; exit 1; }
pass=0 fail=0

# comp LINE: complete LINE (words split at blanks; a trailing blank starts an empty
# word) with the function `complete -p` registers for its command; sets COMPREPLY.
comp() {
    local line=$1
    local -a w
    read -ra w <<<"$line"
    [[ $line == *' ' || ${#w[@]} -eq 0 ]] && w+=("")
    comp_words "${w[@]}"
}
# comp_words WORD...: the same with the words given (the last is the current one).
declare -A FN=()
comp_words() {
    local cmd=${1##*/} spec
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    if [[ -z ${FN[$cmd]-} ]]; then
        spec=$(complete -p "$cmd" 2>/dev/null)
        [[ $spec =~ \ -F\ ([^ ]+)\  ]] && FN[$cmd]=${BASH_REMATCH[1]}
    fi
    [[ -n ${FN[$cmd]-} ]] || { COMPREPLY=("<no completion registered for $cmd>"); return; }
    "${FN[$cmd]}" "$cmd" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]-}"
}
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $1"
    echo "  offered: ${COMPREPLY[*]-}"
}
offered() {
    local r
    for r in "${COMPREPLY[@]}"; do [[ $r == "$1" ]] && return 0; done
    return 1
}
# has LINE WORD...: every WORD is offered
has() {
    local line=$1 x miss=''
    shift
    comp "$line"
    for x; do offered "$x" || miss+=" $x"; done
    [[ -z $miss ]] && ok || bad "'$line' does not offer:$miss"
}
# lacks LINE WORD...: no WORD is offered
lacks() {
    local line=$1 x extra=''
    shift
    comp "$line"
    for x; do offered "$x" && extra+=" $x"; done
    [[ -z $extra ]] && ok || bad "'$line' offers:$extra"
}
# same WORD...: COMPREPLY holds exactly the WORDs, in any order (none: nothing)
same() {
    local x
    (($# == ${#COMPREPLY[@]})) || return 1
    for x; do offered "$x" || return 1; done
}
# is LINE WORD...: exactly the WORDs are offered
is() {
    local line=$1
    shift
    comp "$line"
    same "$@" && ok || bad "'$line' should offer exactly: ${*:-nothing}"
}
# words_is N WORD1..WORDN WORD...: as is, for the N words given one by one (bash splits
# --opt=value at "=" into --opt, =, value)
words_is() {
    local n=$1
    shift
    local -a ws=("${@:1:n}")
    shift "$n"
    comp_words "${ws[@]}"
    same "$@" && ok || bad "words (${ws[*]}) should offer exactly: ${*:-nothing}"
}

# ---- registration
for c in ea90b ea_iid ea_non_iid ea_restart ea_conditioning ea_transpose; do
    complete -p "$c" 2>/dev/null | grep -q -- ' -F ' && ok || bad "no complete -F for $c"
done

# ---- subcommands, against ea90b --help
cmds=$("$BIN/ea90b" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\).*/\1/p')
[[ -n $cmds ]] && ok || bad "no commands in ea90b --help"
# shellcheck disable=SC2086
is 'ea90b ' $cmds
is 'ea90b as' assess
is 'ea90b co' collect conditioning
is 'ea90b health ' cutoffs replay
is 'ea90b health r' replay
is 'ea90b version ' 
has 'ea90b --' --help --version

# ---- options and their values
has 'ea90b collect --' --source --timer --samples --restarts --force --resume --mask --help
has 'ea90b collect -' -o -q
is 'ea90b collect -o ' adir adir2
is 'ea90b collect -o adir2' adir2
is 'ea90b collect --source ' jent memtouch import exec
is 'ea90b collect --source m' memtouch
words_is 4 ea90b collect --source = jent memtouch import exec
words_is 5 ea90b collect --source = i import
is 'ea90b collect --source=e' --source=exec
is 'ea90b collect --timer ' auto monotonic
is 'ea90b collect --jent-mode ' openssl library
is 'ea90b collect --import-format ' auto text u64
is 'ea90b collect --exec-format ' auto u64 text
is 'ea90b collect --restart-mode ' exec inproc
is 'ea90b collect --samples '
is 'ea90b collect --mask '
is 'ea90b collect --input a' adir adir2 afile
is 'ea90b collect --host-facts af' afile
is 'ea90b collect -o x --source exec -- bin/rec a' adir adir2 afile
has 'ea90b collect -o x --source exec -- ' sh
is 'ea90b collect -o x '
is 'ea90b probe --timer ' auto monotonic
is 'ea90b probe --samples '
is 'ea90b verify ' adir adir2
is 'ea90b verify -q adir ' adir adir2
is 'ea90b assess ' adir adir2
is 'ea90b assess --osr 3 a' adir adir2
is 'ea90b assess --index-dir ' adir adir2
is 'ea90b assess --claim '
is 'ea90b assess --conditioning ' vetted, nonvetted,
is 'ea90b check ' adir adir2 afile
is 'ea90b check adir '
is 'ea90b check adir --baseline af' afile
is 'ea90b check adir --junit ' adir adir2 afile
is 'ea90b esv -o ' adir adir2
is 'ea90b esv adir ' adir adir2
is 'ea90b ear -o ' adir adir2
is 'ea90b ear --no-pdf ' adir adir2
is 'ea90b noniid ' adir adir2 afile
is 'ea90b noniid afile '
is 'ea90b noniid -o ' adir adir2 afile
is 'ea90b noniid -o out.json af' afile
is 'ea90b noniid -l 0,1000 --threads 4 af' afile
is 'ea90b noniid -l '
lacks 'ea90b noniid --' --seed --full --decisive --libbz2
has 'ea90b iid --' --seed --full --decisive --libbz2 --json --window --output
is 'ea90b restart af' afile
is 'ea90b restart afile '
is 'ea90b restart -s '
is 'ea90b conditioning -n '
is 'ea90b conditioning -n -c ' iid non-iid
is 'ea90b conditioning -n -i af' afile
is 'ea90b conditioning -nqi af' afile
is 'ea90b conditioning -v 512 256 256 170 -o af' afile
is 'ea90b transpose ' adir adir2 afile
is 'ea90b transpose afile af' afile
is 'ea90b transpose afile afile '
is 'ea90b transpose -l '
is 'ea90b health cutoffs '
is 'ea90b health cutoffs --osr '
is 'ea90b health replay ' adir adir2 afile
is 'ea90b health replay afile '
is 'ea90b health replay afile -o af' afile
has 'ea90b health cutoffs --' --entropy --alpha --alpha-log2 --binary --osr --json --help
has 'ea90b health --' --help

# ---- drop-ins
has 'ea_non_iid -' -i -c -a -t -v -q -l -o --threads --version --help
lacks 'ea_non_iid -' --seed --full --decisive --libbz2 --json
has 'ea_iid --' --seed --full --decisive --libbz2 --threads
is 'ea_iid ' adir adir2 afile
is 'ea_iid -v -o ' adir adir2 afile
is 'ea_iid afile '
is 'ea_non_iid -l '
is 'build/bin/ea_non_iid af' afile
has 'build/bin/ea_iid --s' --seed
is 'ea_restart ' adir adir2 afile
is 'ea_restart -i -s '
is 'ea_restart afile '
has 'ea_restart -' -i -n -v -q -s -o --simulate --seed --threads --version
is 'ea_conditioning -n -c ' iid non-iid
is 'ea_conditioning -n -o af' afile
lacks 'ea_conditioning --' --json
is 'ea_transpose ' adir adir2 afile
is 'ea_transpose afile afile '
is 'ea_transpose -l '
has 'ea_transpose -' -v -l --version --help

# ---- drift: every option a --help prints is offered
# help_opts NAME: the options in the help text on stdin, less those quoted in backticks
# and those named after another ea90b command ("collect --runs K" in assess's help).
help_opts() {
    local others
    others=$(printf '%s\n' $cmds | grep -vx "$1" | tr '\n' '|')
    others=${others%|}
    sed -E -e 's/`[^`]*`//g' -e "s/(^|[^a-z-])($others) --[a-z][a-z0-9-]*/\\1\\2/g" >"$TMPH"
    grep -oE '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' "$TMPH" | sed 's/^[^-]*//'
    sed -n -E 's/^[[:space:]]+(-[a-zA-Z])([ ,].*)?$/\1/p' "$TMPH"
}
# drift LABEL PREFIX HELPNAME HELP-COMMAND...: what PREFIX "--" / "-" completes holds
# every option of the help
drift() {
    local label=$1 prefix=$2 name=$3 o miss='' help
    shift 3
    if ! help=$("$@" 2>&1) || [[ -z $help ]]; then
        bad "drift $label: '$*' failed"
        return
    fi
    local -a opts
    mapfile -t opts < <(printf '%s\n' "$help" | help_opts "$name" | sort -u)
    ((${#opts[@]})) || { bad "drift $label: no options found in '$*'"; return; }
    comp "$prefix -"
    for o in "${opts[@]}"; do offered "$o" || miss+=" $o"; done
    if [[ -z $miss ]]; then
        ok
        checked=$((checked + ${#opts[@]}))
    else
        bad "drift $label: '$* ' prints options not completed:$miss"
    fi
}
TMPH=$(mktemp)
checked=0
for c in $cmds; do
    case $c in
    version | help) ;;
    health)
        drift "health cutoffs" "ea90b health cutoffs" health "$BIN/ea90b" health cutoffs --help
        drift "health replay" "ea90b health replay" health "$BIN/ea90b" health replay --help ;;
    *) drift "$c" "ea90b $c" "$c" "$BIN/ea90b" "$c" --help ;;
    esac
done
for d in ea_iid ea_non_iid ea_restart ea_conditioning ea_transpose; do
    drift "$d" "$d" "$d" "$BIN/$d" --help
done
rm -f "$TMPH"

if ((fail)); then
    echo "completion: $fail of $((pass + fail)) cases failed"
    exit 1
fi
echo "completion: $pass cases passed ($checked --help options checked)"
EOF

cd "$T/work" && bash --norc --noprofile "$T/cases.bash" "$BIN" "$FILE"
