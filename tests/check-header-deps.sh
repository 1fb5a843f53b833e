#!/bin/sh
# tests/check-header-deps.sh - `make` after a header changes rebuilds
# exactly the objects (the library's and the tool's) that include it,
# directly or through another header, and nothing else.
#
# The expected set comes from reading the #include lines of lib/ and
# include/ (an oracle independent of the compiler's .d files the Makefile
# uses). Works on a copy of the tree, so the checkout is never touched:
# file times are pinned (sources old, objects newer), one header at a time
# is made newer than the objects, the objects `make` compiles are compared
# with the expected set, and the times are pinned again.
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-hdeps.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
src=$tmp/src
mkdir "$src" &&
    tar -cf - --exclude=./build --exclude=./.git . | tar -C "$src" -xf - || {
    echo "not ok - copy the tree"; exit 1; }
cd "$src" || exit 1

# What make rebuilds depends on file times and on the .d files the
# compiler wrote, not on the code it makes. So the first build compiles
# for real (without optimisation: a third of the time), writing the .d
# files; after it the compiler is a stand-in that only touches the object
# it is asked for (a real compile would rewrite the same .d files: no
# source changes). Every make gets the same CC and flags (they are part
# of the build's stamp); which objects it rebuilds is read from the
# commands it prints.
real_cc=${CC:-cc}
cat >"$tmp/cc" <<EOF
#!/bin/sh
# A compile (-c) after the first build: touch the object (-o) only.
case " \$* " in
*" -c "*)
    if [ -f "$tmp/built" ]; then
        out=; prev=
        for a; do [ "\$prev" = -o ] && out=\$a; prev=\$a; done
        exec touch "\$out"
    fi ;;
esac
exec $real_cc "\$@"
EOF
chmod 755 "$tmp/cc"
FAST="CFLAGS=-O0"
CCSPY="CC=$tmp/cc"

# The library's objects and the tool's (lib/cli/), each named by its path
# below lib/.
srcs=$(ls lib/*.c lib/*/*.c)
objs=""
for c in $srcs; do
    n=${c#lib/}
    objs="$objs build/obj/lib/${n%.c}.o"
done

if ! make -s -j2 "$FAST" "$CCSPY" $objs >"$tmp/build.log" 2>&1; then
    echo "not ok - build the library objects"
    sed 's/^/#   /' "$tmp/build.log" | tail -n 20
    exit 1
fi
: >"$tmp/built"

# Sources and headers "old", objects and stamps newer. The times lie in
# the future (make warns, and still compares them), so that system headers
# the objects also depend on (OpenSSL's, installed at any time) are older
# than all of them.
stamp() { date -d "@$(($(date +%s) + $1))" +%Y%m%d%H%M.%S; }
old=$(stamp 1000)
mid=$(stamp 2000)
new=$(stamp 3000)
pin() {
    find lib include -type f -exec touch -t "$old" {} +
    find build -type f -exec touch -t "$mid" {} +
    touch -t "$old" build/*.stamp
}
pin

headers="include/rdsiam.h $(ls lib/*.h lib/*/*.h 2>/dev/null | tr '\n' ' ')"
# The expected objects of every header, "HEADER OBJECT..." a line, from
# one reading of the #include lines: a file includes NAME if it has
# #include "NAME" (after any directory, "../lib/NAME") or <NAME> (so
# <sys/file.h> is not file.h). The headers that reach h are h and every
# header including one of them, until nothing is added; the objects are
# those of the sources including a header that reaches h.
# shellcheck disable=SC2086 # word splitting of the file lists is wanted
awk -v headers="$headers" -v srcs="$(echo $srcs)" '
function base(p) { sub(/.*\//, "", p); return p }
FNR == 1 { file = FILENAME }
/^[[:space:]]*#[[:space:]]*include[[:space:]]*("[^">]*"|<[^>]*>)/ {
    s = $0; sub(/^[^"<]*/, "", s)
    q = substr(s, 1, 1); s = substr(s, 2); sub(/[">].*/, "", s)
    inc[file, q == "\"" ? base(s) : s] = 1
}
END {
    nh = split(headers, hs, " "); ns = split(srcs, ss, " ")
    for (i = 1; i <= nh; i++) {
        split("", reach); reach[base(hs[i])] = 1
        for (grew = 1; grew; ) {
            grew = 0
            for (j = 1; j <= nh; j++) {
                g = base(hs[j]); if (g in reach) continue
                for (r in reach) if ((hs[j], r) in inc) { reach[g] = 1; grew = 1; break }
            }
        }
        line = hs[i]
        for (k = 1; k <= ns; k++)
            for (r in reach)
                if ((ss[k], r) in inc) { line = line " " substr(ss[k], 5); break }
        print line
    }
}' $headers $srcs >"$tmp/expected" || { echo "not ok - read the #include lines"; exit 1; }

while read -r h want; do
    want=$(echo $want | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ')

    touch -t "$new" "$h"
    if make -j2 "$FAST" "$CCSPY" $objs </dev/null >"$tmp/make.log" 2>&1; then
        got=$(sed -n 's/.* -c lib\/\([^ ]*\.c\) .*/\1/p' "$tmp/make.log" | LC_ALL=C sort | tr '\n' ' ')
        # word lists compared with their spacing normalised
        got=$(echo $got)
        want=$(echo $want)
        if [ "$got" = "$want" ] && [ -n "$want" ]; then
            echo "ok - touching $h rebuilds exactly $(echo $want | wc -w) objects"
        else
            echo "not ok - touching $h rebuilt '$got', expected '$want'"
        fi
    else
        echo "not ok - make after touching $h"
        sed 's/^/#   /' "$tmp/make.log" | tail -n 20
    fi
    pin
done <"$tmp/expected"

# Nothing changed: nothing is compiled.
make -j2 "$FAST" "$CCSPY" $objs >"$tmp/make.log" 2>&1
n=$(grep -c ' -c lib/' "$tmp/make.log")
if [ "$n" -eq 0 ]; then
    echo "ok - with no change, make compiles nothing"
else
    echo "not ok - with no change, make compiled $n files"
fi
exit 0
