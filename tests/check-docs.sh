#!/usr/bin/env bash
# Fails when the generated docs of TOOL (its man page's option list and
# value lists, its bash, zsh and fish completions) differ from what
# `TOOL --generate=...` prints now, when a long option printed by
# `TOOL --help` is missing from them, when a completion does not load or
# does not offer an option's values, or when the man page does not lint clean.
set -u
tool=$1 bindir=$2 root=$3
fail=0
man="$root/man/$tool.1"
bash_c="$root/completions/bash/$tool"
zsh_c="$root/completions/zsh/_$tool"
fish_c="$root/completions/fish/$tool.fish"
for f in "$man" "$bash_c" "$zsh_c" "$fish_c"; do
  [ -f "$f" ] || { echo "missing: $f"; fail=1; }
done
[ $fail = 0 ] || exit 1
# (The examples at the end of --help may show the options of other tools.)
opts=$("$bindir/$tool" --help | sed -E '/^(Examples|Exit status):/,$d' | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
[ -n "$opts" ] || { echo "no options found in --help"; exit 1; }
for o in $opts; do
  name=${o#--}
  sed 's/\\-/-/g' "$man" | grep -qE -- "--$name\b" || { echo "$man: no $o"; fail=1; }
  grep -qE -- "--$name\b" "$bash_c" || { echo "$bash_c: no $o"; fail=1; }
  grep -qE -- "--$name\b" "$zsh_c" || { echo "$zsh_c: no $o"; fail=1; }
  grep -qE -- "-l $name\b" "$fish_c" || { echo "$fish_c: no $o"; fail=1; }
done
# The completions must load, and bash's must offer every option for "--".
bash -n "$bash_c" || { echo "$bash_c: syntax error"; fail=1; }
command -v zsh >/dev/null && { zsh -n "$zsh_c" || { echo "$zsh_c: syntax error"; fail=1; }; }
command -v fish >/dev/null && { fish -n "$fish_c" || { echo "$fish_c: syntax error"; fail=1; }; }
offered=$(bash -c '
  source "$1"
  fn=$(complete -p "$2" | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
  COMP_WORDS=("$2" --); COMP_CWORD=1
  "$fn" "$2" -- "$2"
  printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_c" "$tool")
for o in $opts; do
  grep -qx -- "$o" <<<"$offered" || { echo "$bash_c: '--<TAB>' does not offer $o"; fail=1; }
done
# An option whose --help shows its values (`--control WHEN:{auto,always,never}`):
# `TOOL --control <TAB>` offers exactly those, and zsh and fish list them.
# complete_words CWORD CUR PREV WORD...: what the bash completion offers.
complete_words() {
  bash -c '
    source "$1"
    fn=$(complete -p "$2" | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
    COMP_CWORD=$3 cur=$4 prev=$5
    shift 5
    COMP_WORDS=("$@")
    "$fn" "$1" "$cur" "$prev"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_c" "$tool" "$@"
}
"$bindir/$tool" --help | sed -n 's/^ *\(-[a-z],\)\{0,1\}\(--[a-z-]*\) [A-Z]*:{\([^}]*\)}.*/\2 \3/p' |
while read -r o values; do
  want=$(tr , '\n' <<<"$values" | sort)
  got=$(complete_words 2 "" "$o" "$tool" "$o" "" | sort)
  [ "$got" = "$want" ] || { echo "$bash_c: '$o <TAB>' offers '$(echo $got)', not '$(echo $want)'"; exit 1; }
  # The --option=value form: bash splits the word at the '=' (COMP_WORDBREAKS
  # holds it by default), or gives it whole when COMP_WORDBREAKS lacks it.
  got=$(complete_words 2 "=" "$o" "$tool" "$o" "=" | sort)
  [ "$got" = "$want" ] || { echo "$bash_c: '$o=<TAB>' offers '$(echo $got)', not '$(echo $want)'"; exit 1; }
  got=$(complete_words 1 "$o=" "$tool" "$tool" "$o=" | sed -n "s/^$o=//p" | sort)
  [ "$got" = "$want" ] || {
    echo "$bash_c: '$o=<TAB>' (no '=' in COMP_WORDBREAKS) offers '$(echo $got)', not '$(echo $want)'"
    exit 1
  }
  for v in ${values//,/ }; do
    grep -q -- "$o\b.*:([^)]*\b$v\b[^)]*)'" "$zsh_c" || { echo "$zsh_c: $o does not offer $v"; exit 1; }
    grep -q -- "-l ${o#--} .*-a '[^']*\b$v\b" "$fish_c" || { echo "$fish_c: $o does not offer $v"; exit 1; }
  done
done || fail=1
# Lint: groff's warnings (and mandoc's, when installed).
warn=$(groff -man -ww -z "$man" 2>&1)
[ -z "$warn" ] || { echo "$man: groff warnings:"; echo "$warn"; fail=1; }
if command -v mandoc >/dev/null; then
  warn=$(mandoc -T lint -W warning "$man" 2>&1)
  [ -z "$warn" ] || { echo "$man: mandoc lint:"; echo "$warn"; fail=1; }
fi
for s in EXIT\ STATUS EXAMPLES; do
  grep -q "^\.SH \"\?$s" "$man" || { echo "$man: no $s section"; fail=1; }
done
# Drift: regenerate into a temporary folder and compare.
bash "$root/scripts/gen-docs" --bindir "$bindir" --check "$tool" || fail=1
exit $fail
