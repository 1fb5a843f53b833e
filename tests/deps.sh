#!/bin/sh
# tests/deps.sh - make sure the Debian packages the build, the tests and the
# demo need are installed. As root it installs what is missing; otherwise
# it names the missing packages and the command to install them, and fails.
#
# Usage: deps.sh [build|check|fuzz|demo|test|bench]   (default: test)
#
#   build  the libraries and rdsiam-token (`make`)
#   check  the unit tests (`make check`, `make check-asan`)
#   fuzz   the libFuzzer targets (`make fuzz`: clang's fuzzer runtime)
#   demo   `make demo`: the MariaDB emulator and its client
#   test   the whole suite (`make test`, `.ci/run`): all of the above, the
#          PostgreSQL emulator, the install checks (cmake), valgrind, and
#          for the Lambda function and its template: zip, unzip, Node.js
#          with npm (tests/check-template.sh) and PyMySQL (make bench-lambda)
#   bench  `make bench-deps`: the Go SDK the benchmark compares with (the JS
#          SDK comes from npm into build/bench/js)
set -u
what=${1:-test}

BUILD="build-essential pkg-config libssl-dev libcurl4-openssl-dev libexpat1-dev"
# json-c: the tests' own reader of vector files and server logs, and the
# examples' JSON output; the library reads JSON with a reader of its own.
# python3-cryptography: the sign-in stand-in verifies DPoP proofs (ES256).
CHECK="$BUILD libcmocka-dev libjson-c-dev python3 python3-cryptography openssl"
FUZZ="$BUILD clang"
BENCH="$BUILD python3 valgrind golang-go golang-github-aws-aws-sdk-go-v2-dev"
DEMO="$BUILD libjson-c-dev libmariadb-dev mariadb-server mariadb-client libmariadbd-dev openssl"
TEST="$CHECK $FUZZ $DEMO libpq-dev postgresql postgresql-client libpam0g-dev \
valgrind cmake groff-base zip unzip python3-pymysql nodejs clang-tools"
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
*) echo "usage: deps.sh [build|check|fuzz|demo|test|bench]" >&2; exit 2 ;;
esac
# Each package once, in order.
pkgs=$(printf '%s\n' $pkgs | awk '!seen[$0]++' | tr '\n' ' ')

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
