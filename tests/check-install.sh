#!/bin/sh
# tests/check-install.sh - packaging checks, as a user of the installed
# library sees it:
#
#   - a staged `make install PREFIX=/usr DESTDIR=...` installs exactly the
#     expected files (header, static and shared library, SONAME symlinks,
#     rdsiam.pc, rdsiam-static.pc, the CMake package, rdsiam-token, man
#     pages stamped with the header's version), and does not run ldconfig;
#     an install into the live system as root does;
#   - the shared library's SONAME is librdsiam.so.0.MINOR while the version
#     is 0.x (librdsiam.so.MAJOR from 1.0) and it exports only rdsiam_*
#     symbols, each declared in rdsiam.h;
#   - rdsiam.pc names libcrypto under Requires.private and the prefix the
#     install was made for;
#   - a program that includes <rdsiam.h> and uses nothing but
#     `pkg-config --cflags --libs rdsiam` builds and prints the known token
#     (shared link), and one built with `pkg-config --cflags --libs
#     rdsiam-static` (the README's static recipe) links librdsiam.a and
#     runs, for the default build and for HTTP=no;
#   - the hiredis and librdkafka examples build the same way (with
#     `pkg-config --cflags --libs rdsiam hiredis` / `rdkafka`);
#   - `make uninstall` removes every installed file;
#   - the library builds with -Werror under gcc and clang, and with HTTP=no.
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

CC=${CC:-cc}
# Run sub-makes on their own: nothing from an outer make's command line
# (B=, CFLAGS=, ...) may leak into them.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
JOBS=$(nproc 2>/dev/null || echo 2)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-install.XXXXXX") || exit 1
. tests/helpers/stage.sh # stage_install NAME [MAKE-ARGUMENT...]
trap 'rm -rf "$tmp"; stage_cleanup' EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # check DESCRIPTION COMMAND...: ok if COMMAND succeeds
    d=$1; shift
    if "$@" >"$tmp/out" 2>&1; then ok "$d"; else notok "$d"; sed 's/^/#   /' "$tmp/out" | head -n 30; fi
}

major=$(sed -n 's/^#define RDSIAM_VERSION_MAJOR \([0-9]*\).*/\1/p' include/rdsiam.h)
minor=$(sed -n 's/^#define RDSIAM_VERSION_MINOR \([0-9]*\).*/\1/p' include/rdsiam.h)
patch=$(sed -n 's/^#define RDSIAM_VERSION_PATCH \([0-9]*\).*/\1/p' include/rdsiam.h)
version=$major.$minor.$patch
# The SONAME policy (Makefile): major.minor while 0.x, then major alone.
if [ "$major" = 0 ]; then soname_want=librdsiam.so.0.$minor; else soname_want=librdsiam.so.$major; fi

# ---------------------------------------------------------------------------
# Staged install (tests/helpers/stage.sh: the run's one for this build,
# with -Werror). The build directory is built first with the default
# prefix, then installed for PREFIX=/usr LDCONFIG=false: rdsiam.pc must
# follow the prefix given at install time, not the one of an earlier
# build.
if stage_install werror WERROR=1; then
    ok "make WERROR=1; make install PREFIX=/usr DESTDIR=<stage> (and no ldconfig: LDCONFIG=false did not fail it)"
else
    notok "make WERROR=1; make install PREFIX=/usr DESTDIR=<stage>"
    sed 's/^/#   /' "$STAGE_LOG" | tail -n 30
    exit 1
fi
bld=$STAGE_B
stage=$STAGE

# Exactly these files (regular files and symlinks), nothing else.
{
    echo "usr/include/rdsiam.h"
    echo "usr/lib/librdsiam.a"
    echo "usr/lib/librdsiam.so"
    echo "usr/lib/$soname_want"
    echo "usr/lib/librdsiam.so.$version"
    echo "usr/lib/pkgconfig/rdsiam.pc"
    echo "usr/lib/pkgconfig/rdsiam-static.pc"
    echo "usr/lib/cmake/rdsiam/rdsiamConfig.cmake"
    echo "usr/lib/cmake/rdsiam/rdsiamConfigVersion.cmake"
    echo "usr/bin/rdsiam-token"
    for m in docs/man/*.1; do [ -f "$m" ] && echo "usr/share/man/man1/${m##*/}"; done
    for m in docs/man/*.3; do [ -f "$m" ] && echo "usr/share/man/man3/${m##*/}"; done
} | LC_ALL=C sort >"$tmp/expected"
(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort) >"$tmp/installed"
if cmp -s "$tmp/expected" "$tmp/installed"; then
    ok "installed file list ($(wc -l <"$tmp/installed") files)"
else
    notok "installed file list"
    diff "$tmp/expected" "$tmp/installed" | sed 's/^/#   /'
fi

# The installed man pages carry the header's version in their footer
# (the Makefile stamps it; docs/man/ itself names no version).
stamped=0 unstamped=""
for m in "$stage"/usr/share/man/man*/*; do
    case $(head -n 1 "$m") in
    ".so "*) ;;
    ".TH "*" \"librdsiam $version\" "*) stamped=$((stamped + 1)) ;;
    *) unstamped="$unstamped ${m##*/}" ;;
    esac
done
if [ -z "$unstamped" ] && [ "$stamped" -gt 0 ]; then
    ok "installed man pages say librdsiam $version ($stamped pages, the rest .so links)"
else
    notok "installed man pages say librdsiam $version (not:$unstamped)"
fi

L=$stage/usr/lib
check "librdsiam.so -> $soname_want -> librdsiam.so.$version" \
    test "$(readlink "$L/librdsiam.so")" = "$soname_want" -a \
    "$(readlink "$L/$soname_want")" = "librdsiam.so.$version" -a \
    -f "$L/librdsiam.so.$version" -a ! -h "$L/librdsiam.so.$version"

soname=$(readelf -d "$L/librdsiam.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
check "SONAME is $soname_want (got '$soname')" test "$soname" = "$soname_want"

# Exported symbols: rdsiam_* only, never the internal rdsiam__*, and each
# one declared in the public header. (nm prints NAME@@VERSION, and the
# version node itself as an absolute symbol: the version is checked by
# tests/check-abi.sh.)
nm -D --defined-only "$L/librdsiam.so.$version" | awk '$2 != "A" { sub(/@.*/, "", $NF); print $NF }' |
    LC_ALL=C sort -u >"$tmp/exported"
bad=$(grep -v '^rdsiam_[a-z0-9]' "$tmp/exported" | tr '\n' ' ')
n=$(wc -l <"$tmp/exported")
if [ -z "$bad" ] && [ "$n" -gt 0 ]; then
    ok "shared library exports only rdsiam_* ($n symbols)"
else
    notok "shared library exports only rdsiam_* (also: $bad)"
fi
grep -v '^#' include/rdsiam.h | tr -s ' \t\n' '   ' | grep -o 'RDSIAM_API [^(]*(' |
    sed 's/($//; s/.*[ *]\([a-z_0-9]*\)$/\1/' | LC_ALL=C sort -u >"$tmp/declared"
undeclared=$(LC_ALL=C comm -23 "$tmp/exported" "$tmp/declared" | tr '\n' ' ')
check "every exported symbol is declared in rdsiam.h${undeclared:+ (not declared: $undeclared)}" \
    test -z "$undeclared"
missing=$(LC_ALL=C comm -13 "$tmp/exported" "$tmp/declared" | tr '\n' ' ')
if [ -z "$missing" ]; then
    ok "every function declared in rdsiam.h is exported ($(wc -l <"$tmp/declared"))"
else
    notok "functions declared in rdsiam.h but not exported: $missing"
fi

# ---------------------------------------------------------------------------
# rdsiam.pc
pc=$stage/usr/lib/pkgconfig/rdsiam.pc
check "rdsiam.pc: prefix=/usr (the install prefix)" grep -qx 'prefix=/usr' "$pc"
check "rdsiam.pc: libcrypto in Requires.private" \
    grep -Eq '^Requires\.private:.*(^|[ :,])libcrypto([ ,]|$)' "$pc"
check "rdsiam.pc: no libcjson (the library reads JSON with its own reader)" \
    sh -c "! grep -q 'cjson' '$pc'"
check "rdsiam.pc: no json-c (the library no longer uses it)" \
    sh -c "! grep -q 'json-c' '$pc'"
check "rdsiam.pc: Version: $version" grep -qx "Version: $version" "$pc"

PKG_CONFIG_PATH=$stage/usr/lib/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$stage
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
check "pkg-config --modversion rdsiam = $version" \
    test "$(pkg-config --modversion rdsiam 2>&1)" = "$version"

# ---------------------------------------------------------------------------
# A consumer program built with pkg-config only. It prints the token for
# the first vector of rds-token/known-answers.json (botocore's
# generate_db_auth_token test, whose botocore_output is what botocore
# 1.43.11 prints for those inputs with the clock frozen).
cp tests/consumer/consumer.c "$tmp/consumer.c" || exit 1

kav=tests/vectors/rds-token/known-answers.json
if ! python3 - "$kav" >"$tmp/r1" 2>"$tmp/r1.err" <<'EOF'
import calendar, json, sys, time
r = json.load(open(sys.argv[1]))[0]
t = calendar.timegm(time.strptime(r["time"], "%Y%m%dT%H%M%SZ"))
for v in (r["hostname"], r["port"], r["username"], r["region"], t,
          r["access_key_id"], r["secret_access_key"], r["botocore_output"]):
    print(v)
EOF
then
    notok "read vector R1 from $kav"
    sed 's/^/#   /' "$tmp/r1.err"
    exit 1
fi
# Lines of $tmp/r1: host port user region time akid secret expected.
r1() { sed -n "${1}p" "$tmp/r1"; }
expected=$(printf '%s\n%s' "$version" "$(r1 8)")
run_consumer() { "$@" "$(r1 1)" "$(r1 2)" "$(r1 3)" "$(r1 4)" "$(r1 5)" "$(r1 6)" "$(r1 7)"; }

# shellcheck disable=SC2046 # word splitting of pkg-config output is wanted
if $CC -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$tmp/consumer" "$tmp/consumer.c" \
    $(pkg-config --cflags --libs rdsiam) >"$tmp/out" 2>&1; then
    ok "consumer builds with pkg-config --cflags --libs rdsiam"
    got=$(LD_LIBRARY_PATH=$L run_consumer "$tmp/consumer" 2>&1)
    check "consumer (shared) prints version and botocore's token for R1" \
        test "$got" = "$expected"
    check "consumer is linked against $soname_want" \
        sh -c "readelf -d '$tmp/consumer' | grep -q 'NEEDED.*\\[$soname_want\\]'"
else
    notok "consumer builds with pkg-config --cflags --libs rdsiam"
    sed 's/^/#   /' "$tmp/out"
fi

# The header is also usable from C++ (extern "C", no C-only syntax).
if command -v c++ >/dev/null 2>&1; then
    printf '#include <rdsiam.h>\nint main() { return rdsiam_strerror(0) ? 0 : 1; }\n' >"$tmp/cxx.cc"
    # shellcheck disable=SC2046
    check "rdsiam.h compiles and links as C++" \
        c++ -Wall -Wextra -Werror -o "$tmp/cxx" "$tmp/cxx.cc" $(pkg-config --cflags --libs rdsiam)
fi

# The hiredis and librdkafka examples build against the installed library
# with nothing but pkg-config, as their comments say.
for ex in valkey:hiredis msk:rdkafka; do
    # shellcheck disable=SC2046 # word splitting of pkg-config output is wanted
    check "examples/rdsiam-${ex%%:*}.c builds with pkg-config --cflags --libs rdsiam ${ex#*:}" \
        $CC -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$tmp/rdsiam-${ex%%:*}" \
        "examples/rdsiam-${ex%%:*}.c" $(pkg-config --cflags --libs rdsiam "${ex#*:}")
done

got=$(LD_LIBRARY_PATH=$L "$stage/usr/bin/rdsiam-token" --version 2>&1)
check "installed rdsiam-token --version" test "$got" = "rdsiam-token $version"

# ---------------------------------------------------------------------------
# Static link, as the README shows it:
#   cc -o app app.c $(pkg-config --cflags --libs rdsiam-static)
# librdsiam.a goes into the program; OpenSSL, libcurl and expat are linked
# as the system has them (Debian ships no static archives of libcurl's own
# dependencies, so `pkg-config --static --libs rdsiam` cannot link there).
# Checked on a staged install of the default build and of HTTP=no.
static_check() { # static_check NAME STAGE
    name=$1
    PKG_CONFIG_PATH=$2/usr/lib/pkgconfig
    PKG_CONFIG_SYSROOT_DIR=$2
    export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
    # shellcheck disable=SC2046 # word splitting of pkg-config output is wanted
    if $CC -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$tmp/consumer-$name" "$tmp/consumer.c" \
        $(pkg-config --cflags --libs rdsiam-static) >"$tmp/out" 2>&1; then
        ok "$name: consumer links with pkg-config --cflags --libs rdsiam-static"
        got=$(run_consumer "$tmp/consumer-$name" 2>&1)
        check "$name: static consumer prints version and botocore's token for R1" \
            test "$got" = "$expected"
        check "$name: static consumer does not need librdsiam.so" \
            sh -c "! readelf -d '$tmp/consumer-$name' | grep -q 'NEEDED.*librdsiam'"
    else
        notok "$name: consumer links with pkg-config --cflags --libs rdsiam-static"
        sed 's/^/#   /' "$tmp/out"
    fi
    unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
}
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
static_check "static (default build)" "$stage"
# HTTP=no, built with -Werror: the same build the -Werror checks below
# count.
if stage_install nohttp-werror HTTP=no WERROR=1; then
    ok "make WERROR=1 HTTP=no; make install HTTP=no PREFIX=/usr DESTDIR=<stage>"
    stage2=$STAGE
    static_check "static (HTTP=no)" "$stage2"
    check "static (HTTP=no): rdsiam-static.pc does not require libcurl" \
        sh -c "! grep -q libcurl '$stage2/usr/lib/pkgconfig/rdsiam-static.pc'"
    check "HTTP=no: rdsiam.pc does not require libcurl" \
        sh -c "! grep -q libcurl '$STAGE_B/rdsiam.pc'"
    check "HTTP=no: librdsiam.so does not need libcurl" \
        sh -c "! readelf -d '$STAGE_B/lib/librdsiam.so.$version' | grep -q 'NEEDED.*libcurl'"
else
    notok "make WERROR=1 HTTP=no; make install HTTP=no PREFIX=/usr DESTDIR=<stage>"
    sed 's/^/#   /' "$STAGE_LOG" | tail -n 30
fi

# ---------------------------------------------------------------------------
# A copy of the staged build (times kept: nothing is compiled again),
# which this install and `make uninstall` below change.
cp -a "$bld" "$tmp/build" && cp -a "$stage" "$tmp/stage" || { notok "copy the staged build"; exit 1; }
bld=$tmp/build
stage=$tmp/stage

# An install into the live system (no DESTDIR) as root runs ldconfig, so
# programs find librdsiam.so.N at once. LDCONFIG names a stand-in that
# records its calls, and PREFIX a temporary folder: the system itself is
# not touched.
if [ "$(id -u)" = 0 ]; then
    printf '#!/bin/sh\necho "$*" >>"%s"\n' "$tmp/ldconfig.calls" >"$tmp/ldconfig"
    chmod 755 "$tmp/ldconfig"
    if make -s B="$bld" WERROR=1 PREFIX="$tmp/live" LDCONFIG="$tmp/ldconfig" install \
        >"$tmp/live.log" 2>&1; then
        check "make install as root (no DESTDIR) runs ldconfig" \
            test -f "$tmp/ldconfig.calls" -a -z "$(head -n 1 "$tmp/ldconfig.calls")"
        check "make install: a LIBDIR the loader does not search is pointed out" \
            grep -q "is not searched by the dynamic loader" "$tmp/live.log"
    else
        notok "make install PREFIX=<tmp> (live)"
        sed 's/^/#   /' "$tmp/live.log" | tail -n 30
    fi
else
    ok "make install runs ldconfig # SKIP not root"
fi

# ---------------------------------------------------------------------------
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
if make -s B="$bld" WERROR=1 PREFIX=/usr DESTDIR="$stage" uninstall >"$tmp/out" 2>&1; then
    left=$(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\./||' | tr '\n' ' ')
    check "make uninstall removes every installed file${left:+ (left: $left)}" test -z "$left"
else
    notok "make uninstall"
    sed 's/^/#   /' "$tmp/out"
fi

# ---------------------------------------------------------------------------
# -Werror builds: gcc and clang (and HTTP=no, above). The staged build
# is cc's: when cc is gcc, it is the gcc build.
build_check() { # build_check NAME MAKE-ARGS...
    name=$1; shift
    if make -s -j"$JOBS" B="$tmp/$name" WERROR=1 "$@" >"$tmp/$name.log" 2>&1; then
        ok "make WERROR=1 $*"
        return 0
    fi
    notok "make WERROR=1 $*"
    sed 's/^/#   /' "$tmp/$name.log" | tail -n 30
    return 1
}
if [ "$(readlink -f "$(command -v "$CC")")" = "$(readlink -f "$(command -v gcc)")" ]; then
    ok "make WERROR=1 CC=gcc (the staged build: $CC is gcc)"
else
    build_check gcc CC=gcc
fi
if command -v clang >/dev/null 2>&1; then
    build_check clang CC=clang
else
    ok "make WERROR=1 CC=clang # SKIP clang not installed"
fi
exit 0
