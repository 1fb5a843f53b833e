#!/bin/sh
# tests/check-abi.sh - the shared library's ABI and exports:
#
#   - the SONAME follows the policy (Makefile): librdsiam.so.0.MINOR while
#     the version is 0.x, librdsiam.so.MAJOR from 1.0;
#   - it exports exactly the functions include/rdsiam.h declares RDSIAM_API,
#     each under the version node lib/rdsiam.map names last;
#   - the map lists names, not patterns: linked with it, an object built
#     with default visibility exports the listed rdsiam_* names only,
#     never an internal rdsiam__* one;
#   - tests/abi/check-map.sh, which the build runs before linking, stops
#     on a header and a map that differ, naming the line to add or remove
#     (its exact messages);
#   - abidiff against the last release's ABI (tests/abi/librdsiam-*.abi):
#     the report, and a failure for an incompatible change that keeps the
#     SONAME; the verdict rules of tests/abi/abi.sh are tested on small
#     libraries built here, whose changes are known.
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
CC=${CC:-cc}
SO=$B/lib/librdsiam.so
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-abi.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # check NAME GOT EXPECTED
    if [ "$2" = "$3" ]; then ok "$1"; else
        notok "$1"; echo "#   got:      $2" | head -n 20; echo "#   expected: $3" | head -n 20; fi
}

[ -f "$SO" ] || { notok "$SO is missing (make builds it)"; exit 1; }

# --- SONAME and exports ---------------------------------------------------------
major=$(sed -n 's/^#define RDSIAM_VERSION_MAJOR \([0-9]*\).*/\1/p' include/rdsiam.h)
minor=$(sed -n 's/^#define RDSIAM_VERSION_MINOR \([0-9]*\).*/\1/p' include/rdsiam.h)
if [ "$major" = 0 ]; then want=librdsiam.so.0.$minor; else want=librdsiam.so.$major; fi
soname=$(readelf -d "$SO" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
check "SONAME follows the version in rdsiam.h ($major.$minor: $want)" "$soname" "$want"

node=$(sed 's,/\*.*,,' lib/rdsiam.map | sed -n 's/^\([A-Za-z_][A-Za-z0-9_.]*\)[[:space:]]*{.*/\1/p' | tail -n 1)
sh tests/abi/check-map.sh --declared include/rdsiam.h >"$tmp/declared"
nm -D --defined-only "$SO" | awk '$2 != "A" { print $NF }' | LC_ALL=C sort >"$tmp/exported"
sed "s/\$/@@$node/" "$tmp/declared" >"$tmp/want"
if cmp -s "$tmp/want" "$tmp/exported"; then
    ok "exports the $(wc -l <"$tmp/declared") RDSIAM_API functions of rdsiam.h, each as NAME@@$node, and nothing else"
else
    notok "exports exactly the RDSIAM_API functions, each as NAME@@$node"
    diff "$tmp/want" "$tmp/exported" | sed 's/^/#   /' | head -n 20
fi
check "the version node is defined once ($node)" \
    "$(nm -D --defined-only "$SO" | awk '$2 == "A" { print $NF }')" "$node"

# An object built with default visibility: the map alone decides.
cat >"$tmp/vis.c" <<'EOF'
int rdsiam__internal_helper(int x);
int rdsiam__internal_helper(int x) { return x + 1; }
const char *rdsiam_version(void);
const char *rdsiam_version(void) { return "x"; }
const char *rdsiam_strerror(int code);
const char *rdsiam_strerror(int code) { return code ? "e" : "ok"; }
int rdsiam_not_in_the_header(void);
int rdsiam_not_in_the_header(void) { return rdsiam__internal_helper(1); }
EOF
if $CC -fPIC -shared -o "$tmp/vis.so" "$tmp/vis.c" -Wl,--version-script=lib/rdsiam.map \
    >"$tmp/vis.log" 2>&1; then
    check "linked with lib/rdsiam.map, default visibility exports the listed names only" \
        "$(nm -D --defined-only "$tmp/vis.so" | awk '$2 != "A" { sub(/@.*/, "", $NF); print $NF }' |
            LC_ALL=C sort | tr '\n' ' ')" "rdsiam_strerror rdsiam_version "
else
    notok "link a test object with lib/rdsiam.map"; sed 's/^/#   /' "$tmp/vis.log"
fi

# --- the build's map check ---------------------------------------------------------
# A header with one function more and a map with one name more, a pattern
# and a duplicate: every difference named, exit status 1.
cat >"$tmp/h.h" <<'EOF'
#define RDSIAM_API __attribute__((visibility("default")))
RDSIAM_API int rdsiam_kept(int x);
RDSIAM_API const char *
rdsiam_new_call(const char *name,
                int flags);
int rdsiam__internal(void);
EOF
cat >"$tmp/m.map" <<'EOF'
/* a comment naming rdsiam_commented; */
RDSIAM_9.9 {
    global:
        rdsiam_kept;
        rdsiam_kept;
        rdsiam_gone; /* removed */
        rdsiam_*;
    local:
        *;
};
EOF
sh tests/abi/check-map.sh "$tmp/h.h" "$tmp/m.map" >"$tmp/out" 2>&1
rc=$?
check "check-map: a header and a map that differ stop the build (exit status)" "$rc" 1
check "check-map: each difference named with the line to add or remove" "$(cat "$tmp/out")" \
"$tmp/m.map: node RDSIAM_9.9: the pattern \"rdsiam_*\" in a global: list exports every name it matches; list the functions by name
$tmp/m.map: rdsiam_kept is listed more than once
$tmp/m.map: rdsiam_new_call is declared RDSIAM_API in $tmp/h.h but not exported: add a line \"rdsiam_new_call;\" to the global: list of node RDSIAM_9.9 in $tmp/m.map
$tmp/m.map: rdsiam_gone is listed but $tmp/h.h declares no RDSIAM_API function of that name: remove the line \"rdsiam_gone;\" from $tmp/m.map, or declare it in $tmp/h.h"
# Two nodes: a name goes into the newest.
printf 'RDSIAM_9.9 { global: rdsiam_kept; local: *; };\nRDSIAM_9.9.1 { global: rdsiam_new_call; } RDSIAM_9.9;\n' >"$tmp/m2.map"
sh tests/abi/check-map.sh "$tmp/h.h" "$tmp/m2.map" >"$tmp/out" 2>&1
check "check-map: a map of two nodes that lists every function passes" "$?:$(cat "$tmp/out")" "0:"
printf 'RDSIAM_9.9 { global: rdsiam_kept; local: *; };\nRDSIAM_9.9.1 { global: rdsiam_other; } RDSIAM_9.9;\n' >"$tmp/m3.map"
sh tests/abi/check-map.sh "$tmp/h.h" "$tmp/m3.map" 2>&1 | grep -F 'rdsiam_new_call' >"$tmp/out"
check "check-map: a missing name goes into the newest node" "$(cat "$tmp/out")" \
    "$tmp/m3.map: rdsiam_new_call is declared RDSIAM_API in $tmp/h.h but not exported: add a line \"rdsiam_new_call;\" to the global: list of node RDSIAM_9.9.1 in $tmp/m3.map"
sh tests/abi/check-map.sh include/rdsiam.h lib/rdsiam.map >"$tmp/out" 2>&1
check "check-map: include/rdsiam.h and lib/rdsiam.map agree" "$?:$(cat "$tmp/out")" "0:"

# --- abidiff ----------------------------------------------------------------------
if ! command -v abidiff >/dev/null 2>&1 || ! command -v abidw >/dev/null 2>&1; then
    notok "abidiff and abidw are not installed (Debian: abigail-tools; make deps)"
    exit 1
fi

# The verdict rules on small libraries: a struct the caller allocates, a
# function taking it; then the struct grown, a function added, a function
# removed, each with the SONAME kept or changed.
mklib() { # mklib NAME SONAME CFLAGS...: $tmp/NAME.so and its header dir
    name=$1 so=$2; shift 2
    mkdir -p "$tmp/$name"
    cat >"$tmp/$name/t.h" <<EOF
struct t_err {
    int code;
    char message[T_SIZE];
};
int t_fill(struct t_err *e);
#ifdef T_EXTRA
int t_extra(void);
#endif
#ifndef T_NO_COUNT
int t_count(void);
#endif
EOF
    cat >"$tmp/$name/t.c" <<'EOF'
#include <string.h>
#include "t.h"
int t_fill(struct t_err *e) { memset(e, 0, sizeof *e); return 0; }
#ifdef T_EXTRA
int t_extra(void) { return 1; }
#endif
#ifndef T_NO_COUNT
int t_count(void) { return 2; }
#endif
EOF
    $CC -g -O0 -fPIC -shared "$@" -I"$tmp/$name" -Wl,-soname,"$so" \
        -o "$tmp/$name.so" "$tmp/$name/t.c" >"$tmp/$name.log" 2>&1
}
verdict() { # verdict LIB: "STATUS LAST-LINE" of abi.sh compare against v1
    sh tests/abi/abi.sh compare "$tmp/v1.abi" "$tmp/$1.so" "$tmp/$1" >"$tmp/$1.out" 2>&1
    echo "$? $(tail -n 1 "$tmp/$1.out")"
}
if mklib v1 libt.so.1 -DT_SIZE=256 &&
    mklib grown libt.so.1 -DT_SIZE=1024 &&
    mklib grown2 libt.so.2 -DT_SIZE=1024 &&
    mklib added libt.so.1 -DT_SIZE=256 -DT_EXTRA &&
    mklib removed libt.so.1 -DT_SIZE=256 -DT_NO_COUNT &&
    mklib same libt.so.1 -DT_SIZE=256 &&
    sh tests/abi/abi.sh dump "$tmp/v1.so" "$tmp/v1" "$tmp/v1.abi"; then
    # Expected verdicts: abi.sh's rules (its header comment); the sizes
    # in the report are abidiff's, in bits: 4 + 256 bytes = 2080 bits.
    check "abi.sh: nothing changed: ok" "$(verdict same)" \
        "0 ok - ABI unchanged since v1.abi (libt.so.1)"
    check "abi.sh: a struct grown, SONAME kept: not ok" "$(verdict grown)" \
        "1 not ok - ABI since v1.abi: an incompatible change (report above) without a SONAME change (libt.so.1): change the version in include/rdsiam.h so the SONAME changes, or undo the change"
    check "abi.sh: the report says what changed" \
        "$(grep -c 'type size changed from 2080 to 8224 (in bits)' "$tmp/grown.out")" 1
    check "abi.sh: a struct grown with a new SONAME: ok, reported" "$(verdict grown2)" \
        "0 ok - ABI changed since v1.abi, and the SONAME with it (libt.so.1 -> libt.so.2)"
    check "abi.sh: a function added, SONAME kept: ok" "$(verdict added)" \
        "0 ok - ABI since v1.abi: functions added only, SONAME libt.so.1 kept"
    check "abi.sh: a function removed, SONAME kept: not ok" "$(verdict removed)" \
        "1 not ok - ABI since v1.abi: an incompatible change (report above) without a SONAME change (libt.so.1): change the version in include/rdsiam.h so the SONAME changes, or undo the change"
    check "abi.sh: the report names the removed function" \
        "$(grep -c "'function int t_count()'" "$tmp/removed.out")" 1
else
    notok "build the small test libraries"; cat "$tmp"/*.log | sed 's/^/#   /' | head -n 20
fi

# The library against the last release's ABI (the newest baseline).
base=$(ls tests/abi/librdsiam-*.abi 2>/dev/null | sort -V | tail -n 1)
if [ -z "$base" ]; then
    notok "no ABI baseline in tests/abi/"
    exit 1
fi
sh tests/abi/abi.sh compare "$base" "$SO" include
exit 0
