#!/bin/sh
# tests/check-http-no.sh - the library built with `make HTTP=no`:
#   - builds and links without libcurl (separate build dir $B/http-no);
#   - nothing in librdsiam.a refers to a curl symbol;
#   - librdsiam.so does not NEED libcurl, and rdsiam.pc does not list it;
#   - a small program linked against it gets RDSIAM_ERR_NOT_BUILT_IN from
#     the container source (internal, static link) and from
#     rdsiam_provider_new_container (shared link);
#   - `make check HTTP=no` passes in that build dir: every unit test built
#     HTTP=no runs what needs no HTTP (JSON parsing, the profile files, the
#     sources that read no URL), asserts NOT_BUILT_IN where a source or a
#     URL check needs libcurl, and a program whose whole subject is HTTP
#     (test_http, test_http_residue, test_sts) reports itself skipped.
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
OUT=$B/http-no
CC=${CC:-cc}
# Sub-makes get nothing from an outer make's command line.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
JOBS=$(nproc 2>/dev/null || echo 2)
# Unoptimised: the checks below ask what the build links and how it
# behaves, not how fast it runs, and -O0 halves the compile of the library
# and of the ~40 test programs (tests/check-install.sh builds the HTTP=no
# library with the default flags). With -Werror, so that code left unused
# by an HTTP=no build (a test of an HTTP source, say) stops it.
FLAGS="CFLAGS=-O0 WERROR=1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() {
    name=$1; shift
    if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else notok "$name"; sed 's/^/#   /' "$tmp/check.out"; fi
}

if ! make -s -j"$JOBS" B="$OUT" HTTP=no $FLAGS all >"$tmp/out" 2>&1; then
    notok "make B=$OUT HTTP=no $FLAGS"
    sed 's/^/#   /' "$tmp/out" | tail -n 30
    exit 1
fi
ok "make B=$OUT HTTP=no $FLAGS builds the libraries, the tool and rdsiam.pc"

so=$OUT/lib/librdsiam.so
check "HTTP=no: librdsiam.so has no libcurl in NEEDED" \
    sh -c "readelf -d '$so' | grep NEEDED && ! readelf -d '$so' | grep -q 'NEEDED.*libcurl'"
check "HTTP=no: librdsiam.a references no curl_* symbol" \
    sh -c "! nm '$OUT/lib/librdsiam.a' 2>/dev/null | grep -q ' [UTt] curl_'"
check "HTTP=no: rdsiam.pc does not list libcurl" \
    sh -c "grep -q '^Requires.private:' '$OUT/rdsiam.pc' && ! grep -qi curl '$OUT/rdsiam.pc'"
check "HTTP=no: the tool links without libcurl" \
    sh -c "! readelf -d '$OUT/bin/rdsiam-token' | grep -q 'NEEDED.*libcurl'"

# Internal source, static link, and no -lcurl on the command line: an
# unresolved curl symbol would fail the link.
cat >"$tmp/internal.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "provider.h"
int main(void)
{
    rdsiam__source s;
    rdsiam_error e;
    int rc;

    memset(&e, 0, sizeof e);
    rc = rdsiam__source_container(&s, NULL, NULL, &e);
    printf("%d %s\n", rc, e.message);
    return rc == RDSIAM_ERR_NOT_BUILT_IN && strstr(e.message, "HTTP=no") ? 0 : 1;
}
EOF
if $CC -std=c11 -Iinclude -Ilib -DRDSIAM_HTTP=0 -o "$tmp/internal" "$tmp/internal.c" \
    "$OUT/lib/librdsiam.a" $(pkg-config --libs libcrypto) -pthread >"$tmp/out" 2>&1; then
    ok "HTTP=no: a program links the static library without -lcurl"
    check "HTTP=no: the container source reports RDSIAM_ERR_NOT_BUILT_IN (-7) naming HTTP=no" \
        "$tmp/internal"
else
    notok "HTTP=no: a program links the static library without -lcurl"
    sed 's/^/#   /' "$tmp/out"
fi

# The public constructor, through the shared library.
if nm -D --defined-only "$so" 2>/dev/null | grep -q ' T rdsiam_provider_new_container\(@.*\)\{0,1\}$'; then
    cat >"$tmp/public.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <rdsiam.h>
int main(void)
{
    rdsiam_provider *p = NULL;
    rdsiam_error e = {0};
    int rc = rdsiam_provider_new_container(&p, NULL, &e);
    rdsiam_credentials_ref *c = NULL;

    /* The error may come from the constructor or from the first fetch. */
    if (rc == RDSIAM_OK)
        rc = rdsiam_provider_get_credentials(p, &c, &e);
    rdsiam_credentials_ref_free(c);
    printf("%d %s\n", rc, e.message);
    rdsiam_provider_free(p);
    return rc == RDSIAM_ERR_NOT_BUILT_IN && strstr(e.message, "HTTP=no") ? 0 : 1;
}
EOF
    if $CC -std=c11 -Iinclude -o "$tmp/public" "$tmp/public.c" -L"$OUT/lib" -lrdsiam \
        -Wl,-rpath,"$(cd "$OUT/lib" && pwd)" >"$tmp/out" 2>&1; then
        check "HTTP=no: rdsiam_provider_new_container reports RDSIAM_ERR_NOT_BUILT_IN naming HTTP=no" \
            env AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:1/x "$tmp/public"
    else
        notok "HTTP=no: a program links the shared library"
        sed 's/^/#   /' "$tmp/out"
    fi
else
    notok "HTTP=no: librdsiam.so exports rdsiam_provider_new_container"
fi

# The unit tests in the HTTP=no build, as a user who built that way runs
# them (4 at a time, make check's default: they mostly wait). Their own
# runner prints the cmocka output; here one line says how it went, and a
# failure shows the failed programs' output.
if make -s -j"$JOBS" B="$OUT" HTTP=no $FLAGS check >"$tmp/out" 2>&1; then
    ok "HTTP=no: make check passes: $(tail -n 1 "$tmp/out")"
else
    notok "HTTP=no: make check"
    failed=$(sed -n 's/^failed: *//p' "$tmp/out")
    if [ -n "$failed" ]; then
        # Each program's output is the block from "== NAME" to "-- NAME:".
        awk -v names=" $failed " '/^== / { on = index(names, " " $2 " ") > 0 }
            on { print } /^-- / { on = 0 }' "$tmp/out" | sed 's/^/#   /'
    fi
    tail -n 5 "$tmp/out" | sed 's/^/#   /'
fi
