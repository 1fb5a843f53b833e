#!/bin/sh
# tests/abi/check-map.sh - the linker version script lists exactly the
# functions the public header declares RDSIAM_API, by name. Run by the
# build before it links the shared library (Makefile), so a function added
# to one and not the other stops the build with the line to add or remove.
#
# Usage: check-map.sh HEADER MAP      (exit 0: they agree; 1: they differ)
#        check-map.sh --declared HEADER   the header's functions, sorted
#        check-map.sh --listed MAP        the map's global names, sorted
#
# SPDX-License-Identifier: MIT
set -u

# The RDSIAM_API declarations, one per function, whatever their line
# breaks: preprocessor lines (the macro's own definition) dropped, text
# joined, and the name just before each "(" taken.
declared() {
    grep -v '^[[:space:]]*#' "$1" | tr -s ' \t\n' '   ' |
        grep -o 'RDSIAM_API [^(;]*(' |
        sed 's/[[:space:]]*($//; s/.*[[:space:]*]\([A-Za-z_][A-Za-z0-9_]*\)$/\1/' |
        LC_ALL=C sort -u
}

# The map's entries as "NODE<TAB>SECTION<TAB>NAME" lines: comments
# dropped, the text cut into tokens ({ } ; : and words), and the names
# followed by ";" inside a node's braces kept with their node and section.
map_entries() {
    tr '\n' ' ' <"$1" | sed 's|/\*[^*]*\*\{1,\}\([^/*][^*]*\*\{1,\}\)*/| |g' |
        sed 's/\([{};:]\)/ \1 /g' | tr -s ' \t' '\n\n' | grep -v '^$' | awk '
        { t[n++] = $0 }
        END {
            for (i = 0; i < n; i++) {
                if (t[i] == "{") { depth = 1; node = t[i - 1]; section = ""; continue }
                if (t[i] == "}") { depth = 0; continue }
                if (!depth) continue
                if (t[i + 1] == ":") { section = t[i]; i++; continue }
                if (t[i + 1] == ";") { printf "%s\t%s\t%s\n", node, section, t[i]; i++ }
            }
        }'
}

listed() {
    map_entries "$1" | awk -F '\t' '$2 == "global" { print $3 }' | LC_ALL=C sort
}

case ${1:-} in
--declared) declared "$2"; exit ;;
--listed) listed "$2"; exit ;;
esac
header=$1
map=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-map.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

declared "$header" >"$tmp/declared"
listed "$map" >"$tmp/listed"
node=$(map_entries "$map" | awk -F '\t' '{ n = $1 } END { print n }')
status=0

if [ ! -s "$tmp/declared" ]; then
    echo "$header: no RDSIAM_API function found" >&2
    exit 1
fi
if [ -z "$node" ]; then
    echo "$map: no version node (NAME { global: ...; local: *; };)" >&2
    exit 1
fi
# A pattern would export whatever it matches: rdsiam_* matched every
# internal rdsiam__* name of a build without -fvisibility=hidden.
for n in $(grep '[][*?]' "$tmp/listed"); do
    echo "$map: node $node: the pattern \"$n\" in a global: list exports every name it matches; list the functions by name" >&2
    status=1
done
dups=$(uniq -d "$tmp/listed")
for n in $dups; do
    echo "$map: $n is listed more than once" >&2
    status=1
done
uniq "$tmp/listed" >"$tmp/names"
for n in $(LC_ALL=C comm -23 "$tmp/declared" "$tmp/names"); do
    echo "$map: $n is declared RDSIAM_API in $header but not exported: add a line \"$n;\" to the global: list of node $node in $map" >&2
    status=1
done
for n in $(LC_ALL=C comm -13 "$tmp/declared" "$tmp/names" | grep -v '[][*?]'); do
    echo "$map: $n is listed but $header declares no RDSIAM_API function of that name: remove the line \"$n;\" from $map, or declare it in $header" >&2
    status=1
done
exit $status
