#!/bin/sh
# tests/abi/abi.sh - the shared library's ABI, as libabigail (Debian's
# abigail-tools) sees it through the DWARF of a -g build.
#
#   abi.sh dump LIB HEADERS_DIR OUT.abi
#       write LIB's ABI: the public headers' types only, no build paths,
#       so the file depends on the source and the compiler, not on where
#       it was built (`make abi-dump` makes the next release's baseline)
#   abi.sh compare BASELINE.abi LIB HEADERS_DIR
#       print the report of every change since the baseline (as "# " lines)
#       and one verdict line, "ok - ..." or "not ok - ...":
#         no change                               ok
#         SONAME changed (a release that may break: every 0.x minor)
#                                                 ok, with the report
#         same SONAME, only functions added       ok (old programs still run)
#         same SONAME, anything else changed or removed: not ok
#       Exit status 0 for ok, 1 for not ok, 2 when a tool fails.
#
# The rule is the Makefile's SONAME policy read backwards: a program built
# against the baseline and loading this library by the same SONAME must
# find every function it calls, with the same types and sizes.
#
# SPDX-License-Identifier: MIT
set -u

dump() { # dump LIB HEADERS_DIR OUT
    abidw --headers-dir "$2" --drop-private-types --drop-undefined-syms \
        --no-corpus-path --no-comp-dir-path --short-locs --out-file "$3" "$1"
}

# attr FILE NAME: an attribute of the abi-corpus element (its first line).
attr() {
    sed -n "1,3s/.*<abi-corpus [^>]*$2='\\([^']*\\)'.*/\\1/p" "$1" | head -n 1
}

compare() { # compare BASELINE LIB HEADERS_DIR
    base=$1
    lib=$2
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-abi.XXXXXX") || return 2
    trap 'rm -rf "$tmp"' EXIT
    if ! dump "$lib" "$3" "$tmp/new.abi" 2>"$tmp/err"; then
        echo "not ok - abidw $lib failed"
        sed 's/^/#   /' "$tmp/err"
        return 2
    fi
    from=$(attr "$base" soname)
    to=$(attr "$tmp/new.abi" soname)
    arch_from=$(attr "$base" architecture)
    arch_to=$(attr "$tmp/new.abi" architecture)
    if [ "$arch_from" != "$arch_to" ]; then
        # A baseline describes one architecture's sizes and layouts.
        echo "ok - ABI against ${base##*/} # SKIP the baseline is for $arch_from, this build for $arch_to"
        return 0
    fi
    abidiff "$base" "$tmp/new.abi" >"$tmp/report" 2>&1
    rc=$?
    if [ $((rc & 3)) -ne 0 ]; then
        echo "not ok - abidiff ${base##*/} $lib failed (exit status $rc)"
        sed 's/^/#   /' "$tmp/report"
        return 2
    fi
    sed 's/^/#   /' "$tmp/report"
    if [ "$rc" -eq 0 ]; then
        echo "ok - ABI unchanged since ${base##*/} ($to)"
        return 0
    fi
    if [ "$from" != "$to" ]; then
        echo "ok - ABI changed since ${base##*/}, and the SONAME with it ($from -> $to)"
        return 0
    fi
    # The same SONAME: additions are compatible, anything else is not.
    abidiff --no-added-syms "$base" "$tmp/new.abi" >/dev/null 2>&1
    rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "ok - ABI since ${base##*/}: functions added only, SONAME $to kept"
        return 0
    fi
    echo "not ok - ABI since ${base##*/}: an incompatible change (report above) without a SONAME change ($to): change the version in include/rdsiam.h so the SONAME changes, or undo the change"
    return 1
}

usage() {
    echo "usage: abi.sh dump LIB HEADERS_DIR OUT.abi | compare BASELINE.abi LIB HEADERS_DIR" >&2
    exit 2
}
[ $# -eq 4 ] || usage
case $1 in
dump) dump "$2" "$3" "$4" || exit 2 ;;
compare) compare "$2" "$3" "$4" ;;
*) usage ;;
esac
