#!/bin/sh
# tests/check-cmake.sh - the CMake package a user's project finds:
#
#   - a staged `make install DESTDIR=...` holds
#     lib/cmake/rdsiam/rdsiamConfig.cmake and rdsiamConfigVersion.cmake;
#   - a CMake project with find_package(rdsiam 0.1 REQUIRED) and
#     target_link_libraries(app PRIVATE rdsiam::rdsiam) configures, builds
#     and runs against it, linked with the SONAME (librdsiam.so.0.MINOR
#     while 0.x, librdsiam.so.MAJOR from 1.0); the same with
#     rdsiam::static, linked with librdsiam.a;
#   - find_package(rdsiam 1.0), (rdsiam 0.<minor+1>) and a later patch
#     are refused as incompatible (a 0.x library is compatible only within
#     its minor version, and never with a newer version).
#
# The program prints the token for the first vector of
# tests/vectors/rds-token/known-answers.json (botocore's
# generate_db_auth_token test; botocore_output is what botocore 1.43.11
# prints for those inputs with the clock frozen).
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

command -v cmake >/dev/null 2>&1 || {
    echo "not ok - cmake is not installed (tests/deps.sh test installs it)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-cmake.XXXXXX") || exit 1
. tests/helpers/stage.sh # stage_install NAME [MAKE-ARGUMENT...]
trap 'rm -rf "$tmp"; stage_cleanup' EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # check DESCRIPTION COMMAND...: ok if COMMAND succeeds
    d=$1; shift
    if "$@" >"$tmp/out" 2>&1; then ok "$d"; else notok "$d"; sed 's/^/#   /' "$tmp/out" | tail -n 30; fi
}

major=$(sed -n 's/^#define RDSIAM_VERSION_MAJOR \([0-9]*\).*/\1/p' include/rdsiam.h)
minor=$(sed -n 's/^#define RDSIAM_VERSION_MINOR \([0-9]*\).*/\1/p' include/rdsiam.h)
patch=$(sed -n 's/^#define RDSIAM_VERSION_PATCH \([0-9]*\).*/\1/p' include/rdsiam.h)
version=$major.$minor.$patch
if [ "$major" = 0 ]; then soname=librdsiam.so.0.$minor; else soname=librdsiam.so.$major; fi

# The run's staged install (tests/helpers/stage.sh), read only.
if stage_install werror WERROR=1; then
    ok "make install PREFIX=/usr DESTDIR=<stage>"
else
    notok "make install PREFIX=/usr DESTDIR=<stage>"
    sed 's/^/#   /' "$STAGE_LOG" | tail -n 30
    exit 1
fi
stage=$STAGE
cm=$stage/usr/lib/cmake/rdsiam
check "rdsiamConfig.cmake and rdsiamConfigVersion.cmake installed in lib/cmake/rdsiam" \
    test -f "$cm/rdsiamConfig.cmake" -a -f "$cm/rdsiamConfigVersion.cmake"
# rdsiam::static carries the libraries librdsiam.a needs: OpenSSL's
# libcrypto, and no JSON library (neither json-c nor, since the reader
# became the library's own, cJSON).
check "rdsiamConfig.cmake: rdsiam::static links -lcrypto" \
    grep -q 'INTERFACE_LINK_LIBRARIES ".*-lcrypto' "$cm/rdsiamConfig.cmake"
check "rdsiamConfig.cmake: no json-c" \
    sh -c "! grep -q 'json-c' '$cm/rdsiamConfig.cmake'"
check "rdsiamConfig.cmake: no cJSON" \
    sh -c "! grep -q 'cjson' '$cm/rdsiamConfig.cmake'"

python3 - tests/vectors/rds-token/known-answers.json >"$tmp/r1" <<'EOF2' || {
import calendar, json, sys, time
r = json.load(open(sys.argv[1]))[0]
t = calendar.timegm(time.strptime(r["time"], "%Y%m%dT%H%M%SZ"))
for v in (r["hostname"], r["port"], r["username"], r["region"], t,
          r["access_key_id"], r["secret_access_key"], r["botocore_output"]):
    print(v)
EOF2
    notok "read vector R1"; exit 1; }
r1() { sed -n "${1}p" "$tmp/r1"; }
expected=$(printf '%s\n%s' "$version" "$(r1 8)")

# The consumer project: TARGET picks rdsiam::rdsiam or rdsiam::static,
# WANT the version asked of find_package.
mkdir -p "$tmp/app"
cat >"$tmp/app/CMakeLists.txt" <<'EOF2'
cmake_minimum_required(VERSION 3.13)
project(rdsiam_consumer C)
set(WANT "0.1" CACHE STRING "version asked of find_package")
set(TARGET "rdsiam::rdsiam" CACHE STRING "imported target to link")
find_package(rdsiam ${WANT} REQUIRED)
add_executable(app app.c)
target_link_libraries(app PRIVATE ${TARGET})
EOF2
cp tests/consumer/consumer.c "$tmp/app/app.c" || exit 1

consumer() { # consumer NAME TARGET: configure, build, run, check
    name=$1
    b=$tmp/app-$name
    if cmake -S "$tmp/app" -B "$b" -DCMAKE_PREFIX_PATH="$stage/usr" \
        -DTARGET="$2" -DWANT="$major.$minor" >"$tmp/$name.log" 2>&1 &&
        cmake --build "$b" >>"$tmp/$name.log" 2>&1; then
        ok "$name: find_package(rdsiam $major.$minor) and target_link_libraries(app $2) build"
    else
        notok "$name: find_package(rdsiam $major.$minor) and target_link_libraries(app $2) build"
        sed 's/^/#   /' "$tmp/$name.log" | tail -n 30
        return 1
    fi
    got=$(LD_LIBRARY_PATH=$stage/usr/lib "$b/app" "$(r1 1)" "$(r1 2)" "$(r1 3)" "$(r1 4)" \
        "$(r1 5)" "$(r1 6)" "$(r1 7)" 2>&1)
    check "$name: the program prints version and botocore's token for R1" \
        test "$got" = "$expected"
    readelf -d "$b/app" >"$tmp/$name.dyn"
}

if consumer shared rdsiam::rdsiam; then
    check "shared: linked against $soname" \
        grep -q "NEEDED.*\\[$soname\\]" "$tmp/shared.dyn"
fi
if consumer static rdsiam::static; then
    check "static: librdsiam.a linked in (no librdsiam.so needed)" \
        sh -c "! grep -q 'NEEDED.*librdsiam' '$tmp/static.dyn'"
fi

for want in 1.0 "$major.$((minor + 1))" "$version.1"; do
    if cmake -S "$tmp/app" -B "$tmp/app-want" -DCMAKE_PREFIX_PATH="$stage/usr" \
        -DWANT="$want" >"$tmp/want.log" 2>&1; then
        notok "find_package(rdsiam $want) refused by $version"
    elif tr '\n' ' ' <"$tmp/want.log" | tr -s ' ' | grep -q 'is compatible with requested version'; then
        ok "find_package(rdsiam $want) refused by $version"
    else
        notok "find_package(rdsiam $want) refused by $version, for the version"
        sed 's/^/#   /' "$tmp/want.log" | tail -n 20
    fi
    rm -rf "$tmp/app-want"
done
exit 0
