#!/usr/bin/env bash
# The layer rules of lib/README.md as a check: every #include "su/..." of
# lib/, common/ and tools/ must name a part that the including file's part
# may include (the table under "layers" in lib/README.md), and no file
# includes a .cpp. Usage: check-layers.sh SOURCE_DIR
set -uo pipefail
src=${1:-.}
cd "$src" || exit 2
declare -A allowed
while IFS='|' read -r _ part may _; do
  part=$(tr -d ' `' <<<"$part")
  may=$(tr -d ' `' <<<"$may" | tr ',' ' ')
  [[ -n $part && $part != part && $part != ---* ]] && allowed[$part]="$part $may"
done < <(sed -n '/<!-- layers/,/^$/p' lib/README.md | grep '^|')
[ ${#allowed[@]} -ge 7 ] || { echo "check-layers: cannot read the layer table in lib/README.md"; exit 2; }

common_headers=$(cd common/su && ls *.hpp)
bad=0
while IFS= read -r file; do
  case $file in
    lib/su/*) part=${file#lib/su/}; part=${part%%/*} ;;
    common/*) part=common ;;
    tools/*) part=tools; tool=${file#tools/}; tool=${tool%%/*} ;;
  esac
  [ -n "${allowed[$part]:-}" ] || { echo "$file: part '$part' is not in lib/README.md's table"; bad=1; continue; }
  while IFS= read -r inc; do
    inc=${inc#*\"}; inc=${inc%\"*}
    case $inc in
      *.cpp) echo "$file: includes a .cpp ($inc)"; bad=1; continue ;;
      su/*/*) target=${inc#su/}; target=${target%%/*} ;;
      su/*) target=common
            grep -qx "${inc#su/}" <<<"$common_headers" || { echo "$file: no such header $inc"; bad=1; continue; } ;;
      ../*|*/../*) echo "$file: includes across folders ($inc)"; bad=1; continue ;;
      *) [ "$part" = tools ] && [ -e "tools/$tool/$inc" ] && continue
         [ -e "$(dirname "$file")/$inc" ] && continue
         echo "$file: includes $inc from outside its part"; bad=1; continue ;;
    esac
    [[ " ${allowed[$part]} " == *" $target "* ]] || { echo "$file: $part may not include $inc (lib/README.md)"; bad=1; }
  done < <(grep -E '^\s*#\s*include\s*"' "$file")
done < <(find lib common tools -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.inl' \) | sort)
while IFS= read -r f; do echo "$f: includes a .cpp"; bad=1; done < <(grep -lE '^\s*#\s*include\s*"[^"]*\.cpp"' -r tests fuzz 2>/dev/null)
[ $bad = 0 ] && echo "layers: every include keeps lib/README.md's rules"
exit $bad
