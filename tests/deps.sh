#!/bin/sh
# tests/deps.sh - the one list of the Debian packages the build, the tests
# and the demo need, and the names of the development packages behind each
# pkg-config module the Makefile asks for.
#
# Usage: deps.sh [build|check|fuzz|demo|test|bench]   (default: test)
#   Installs, as root on Debian, what is missing from that set; as another
#   user it names the missing packages and the command to install them,
#   and fails. Where dpkg-query does not exist (not Debian) it installs
#   nothing and succeeds: the build then names any library it cannot find.
#   Installing is opt-in: `make deps` runs this; of the make targets only
#   `make test` and `make demo` (the README's two commands) do too.
#
#   build  the libraries and rdsiam-token (`make`)
#   check  the unit tests (`make check`, `make check-asan`)
#   fuzz   the libFuzzer targets (`make fuzz`: clang's fuzzer runtime)
#   demo   `make demo`: the MariaDB emulator and its client
#   test   the whole suite (`make test`, `.ci/run`): all of the above, the
#          PostgreSQL emulator, PgBouncer in front of it
#          (tests/check-poolers.sh), the valkey emulator (redis-server,
#          redis-tools), the hiredis and librdkafka examples, the install
#          checks (cmake), valgrind, the ABI check (abigail-tools), botocore
#          for the cross-checks (Debian's is 1.29: tests/crosscheck/botocore.sh
#          uses a newer one when a python3 here has it), and for the Lambda
#          function and its template: zip, unzip, Node.js with npm
#          (tests/check-template.sh) and PyMySQL (make bench-lambda)
#   bench  `make bench-deps`: the Go SDK the benchmark compares with (the JS
#          SDK comes from npm into build/bench/js)
#
# Usage: deps.sh pc MODULE...
#   Succeeds when pkg-config ($PKG_CONFIG) finds every MODULE; otherwise
#   names each missing one with the packages that hold its .pc file, and
#   fails. The Makefile runs it before the first compile that needs the
#   modules' flags. Installs nothing.
set -u
what=${1:-test}

# pc_packages MODULE: "DEBIAN|FEDORA" development packages holding MODULE.pc
# (Fedora's names are also Amazon Linux 2023's).
pc_packages() {
    case $1 in
    libcrypto | libssl | openssl) echo "libssl-dev|openssl-devel" ;;
    libcurl) echo "libcurl4-openssl-dev|libcurl-devel" ;;
    expat) echo "libexpat1-dev|expat-devel" ;;
    cmocka) echo "libcmocka-dev|libcmocka-devel" ;;
    json-c) echo "libjson-c-dev|json-c-devel" ;;
    libmariadb) echo "libmariadb-dev|mariadb-connector-c-devel" ;;
    libpq) echo "libpq-dev|libpq-devel" ;;
    hiredis) echo "libhiredis-dev|hiredis-devel" ;;
    rdkafka) echo "librdkafka-dev|librdkafka-devel" ;;
    *) echo "|" ;;
    esac
}

if [ "$what" = pc ]; then
    shift
    pc=${PKG_CONFIG:-pkg-config}
    if ! command -v "$pc" >/dev/null 2>&1; then
        echo "make: $pc not found: install pkg-config (Debian: pkg-config; Fedora, Amazon Linux: pkgconf-pkg-config), or set PKG_CONFIG" >&2
        exit 1
    fi
    status=0
    for m in "$@"; do
        "$pc" --exists "$m" 2>/dev/null && continue
        p=$(pc_packages "$m")
        hint=""
        [ -n "${p%%|*}" ] && hint=" (Debian: ${p%%|*}; Fedora, Amazon Linux: ${p#*|})"
        case $m in libcurl | expat) hint="$hint, or build without it: make HTTP=no" ;; esac
        echo "make: pkg-config cannot find $m ($m.pc): install its development files$hint, or add the directory holding $m.pc to PKG_CONFIG_PATH" >&2
        status=1
    done
    exit $status
fi

BUILD="build-essential pkg-config libssl-dev libcurl4-openssl-dev libexpat1-dev"
# json-c: the tests' own reader of vector files and server logs, and the
# examples' JSON output; the library reads JSON with a reader of its own.
# python3-cryptography: the sign-in stand-in verifies DPoP proofs (ES256).
CHECK="$BUILD libcmocka-dev libjson-c-dev python3 python3-cryptography openssl"
FUZZ="$BUILD clang"
BENCH="$BUILD python3 valgrind golang-go golang-github-aws-aws-sdk-go-v2-dev"
DEMO="$BUILD libjson-c-dev libmariadb-dev mariadb-server mariadb-client libmariadbd-dev openssl"
TEST="$CHECK $FUZZ $DEMO libpq-dev postgresql postgresql-client libpam0g-dev \
valgrind cmake groff-base zip unzip python3-pymysql nodejs clang-tools abigail-tools \
python3-botocore pgbouncer redis-server redis-tools libhiredis-dev \
librdkafka-dev"
# Debian ships npm as its own package; NodeSource's nodejs package bundles
# it and conflicts with Debian's, so npm is only asked for when no npm
# command exists.
command -v npm >/dev/null 2>&1 || TEST="$TEST npm"

case $what in
build) pkgs=$BUILD ;;
check) pkgs=$CHECK ;;
fuzz) pkgs=$FUZZ ;;
demo) pkgs=$DEMO ;;
test) pkgs=$TEST ;;
bench) pkgs=$BENCH ;;
*) echo "usage: deps.sh [build|check|fuzz|demo|test|bench] | deps.sh pc MODULE..." >&2; exit 2 ;;
esac
# Each package once, in order.
pkgs=$(printf '%s\n' $pkgs | awk '!seen[$0]++' | tr '\n' ' ')

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps.sh: no dpkg-query (not Debian): installing nothing; the build names any library pkg-config cannot find" >&2
    exit 0
fi
missing=""
for p in $pkgs; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
    [ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages:$missing" >&2
    echo "install them with: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null; }; then
    echo "deps.sh: could not install:$missing" >&2
    exit 1
fi
