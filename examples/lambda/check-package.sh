#!/bin/sh
# examples/lambda/check-package.sh - will the function start on the
# provided.al2023 runtime? Checks the package's files (the directory that
# becomes function.zip: bootstrap and lib/), each ELF object:
#
#   - every library it needs (DT_NEEDED) is shipped in lib/ or is one the
#     runtime has (RUNTIME_LIBS, examples/lambda/al2023-libs.txt);
#   - every symbol version it needs from a runtime library is at most the
#     one that list gives for it (GLIBC_2.34: Amazon Linux 2023 has glibc
#     2.34; a library built on a newer distribution may need more, as
#     Debian 12's libexpat needs arc4random_buf@GLIBC_2.36);
#   - it is built for the machine bootstrap is built for.
#
# Usage: check-package.sh DIR RUNTIME_LIBS
# Prints one line per problem, naming the object, the library and the
# symbol, and exits 1 if there is any. Needs readelf (binutils).
# SPDX-License-Identifier: MIT
set -u
dir=$1
list=$2

command -v readelf >/dev/null 2>&1 || { echo "check-package.sh: readelf not found (install binutils)" >&2; exit 1; }
[ -f "$dir/bootstrap" ] || { echo "$dir: no bootstrap" >&2; exit 1; }

# "SONAME [MAX_VERSION]" lines of the list, comments dropped.
runtime=$(sed 's/#.*//' "$list" | awk 'NF { print $1, (NF > 1 ? $2 : "-") }')
machine() { readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p'; }
is_elf() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

# newer VERSION MAX: VERSION has MAX's prefix (GLIBC_) and a higher
# number, or no number at all (GLIBC_PRIVATE).
newer() {
    p=${2%%[0-9]*}
    case $1 in "$p"*) ;; *) return 1 ;; esac
    v=${1#"$p"} m=${2#"$p"}
    case $v in '' | *[!0-9.]*) return 0 ;; esac
    [ "$v" != "$m" ] && [ "$(printf '%s\n%s\n' "$v" "$m" | sort -V | tail -n 1)" = "$v" ]
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-pkg.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
want_machine=$(machine "$dir/bootstrap")
problems=0
for f in "$dir/bootstrap" "$dir"/lib/*; do
    [ -f "$f" ] && is_elf "$f" || continue
    name=${f#"$dir"/}
    m=$(machine "$f")
    if [ "$m" != "$want_machine" ]; then
        echo "$name: built for $m, bootstrap for $want_machine"
        problems=$((problems + 1))
    fi
    for lib in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'); do
        [ -f "$dir/lib/$lib" ] && continue
        echo "$runtime" | awk -v l="$lib" '$1 == l { found = 1 } END { exit !found }' && continue
        echo "$name: needs $lib, which is neither in lib/ nor in ${list##*/} (the runtime's libraries)"
        problems=$((problems + 1))
    done
    # "FILE VERSION" for each version needed, from .gnu.version_r.
    readelf -V -W "$f" | awk '
        /^Version needs section/ { on = 1; next }
        /^Version (symbols|definition) section/ { on = 0 }
        on && / File: / { for (i = 1; i <= NF; i++) if ($i == "File:") file = $(i + 1) }
        on && / Name: / { for (i = 1; i <= NF; i++) if ($i == "Name:") print file, $(i + 1) }' >"$tmp/verneed"
    while read -r lib ver; do
        [ -f "$dir/lib/$lib" ] && continue # shipped: its own versions
        max=$(echo "$runtime" | awk -v l="$lib" '$1 == l { print $2 }')
        [ -n "$max" ] && [ "$max" != "-" ] || continue
        newer "$ver" "$max" || continue
        syms=$(readelf --dyn-syms -W "$f" | awk -v v="@$ver" '
            { for (i = 8; i <= NF; i++) { n = $i; if (index(n, v) && substr(n, length(n) - length(v) + 1) == v) print n } }' |
            sort -u | tr '\n' ' ')
        echo "$name: needs ${syms:-$ver }from $lib; provided.al2023 has $max at most"
        problems=$((problems + 1))
    done <"$tmp/verneed"
done
[ "$problems" -eq 0 ] || exit 1
