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

# Compiled without optimisation: what is rebuilt does not depend on it,
# and it costs a third of the time. Every make below gets the same flags
# (they are part of the build's stamp).
FAST=CFLAGS=-O0

# The library's objects and the tool's (lib/cli/), each named by its path
# below lib/.
srcs=$(ls lib/*.c lib/*/*.c)
objs=""
for c in $srcs; do
    n=${c#lib/}
    objs="$objs build/obj/lib/${n%.c}.o"
done

if ! make -s -j2 "$FAST" $objs >"$tmp/build.log" 2>&1; then
    echo "not ok - build the library objects"
    sed 's/^/#   /' "$tmp/build.log" | tail -n 20
    exit 1
fi

# includes FILE NAME: FILE has an #include of NAME ("..." or <...>); a
# system header of the same name in a directory (<sys/file.h>) is not it.
includes() {
    grep -Eq "^[[:space:]]*#[[:space:]]*include[[:space:]]*(\"([^\">]*/)?$2\"|<$2>)" "$1"
}

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
for h in $headers; do
    # The headers that reach h: h and every header including one of them,
    # until nothing is added.
    reach=" ${h##*/} "
    grew=1
    while [ $grew = 1 ]; do
        grew=0
        for g in include/*.h lib/*.h lib/*/*.h; do
            [ -f "$g" ] || continue
            case $reach in *" ${g##*/} "*) continue ;; esac
            for r in $reach; do
                if includes "$g" "$r"; then reach="$reach${g##*/} "; grew=1; break; fi
            done
        done
    done
    want=""
    for c in $srcs; do
        for r in $reach; do
            if includes "$c" "$r"; then want="$want ${c#lib/}"; break; fi
        done
    done
    want=$(echo $want | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ')

    touch -t "$new" "$h"
    if make -j2 "$FAST" $objs >"$tmp/make.log" 2>&1; then
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
done

# Nothing changed: nothing is compiled.
make -j2 "$FAST" $objs >"$tmp/make.log" 2>&1
n=$(grep -c ' -c lib/' "$tmp/make.log")
if [ "$n" -eq 0 ]; then
    echo "ok - with no change, make compiles nothing"
else
    echo "not ok - with no change, make compiled $n files"
fi
exit 0
