#!/bin/sh
# tests/deps.sh - make sure the Debian packages the build, the tests and the
# demo need are installed. As root it installs what is missing; otherwise
# it names the missing packages and the command to install them, and fails.
#
# Usage: deps.sh [build|test|demo]   (default: test)
set -u
what=${1:-test}

BUILD="build-essential pkg-config libssl-dev libcurl4-openssl-dev libjson-c-dev libexpat1-dev"
TEST="$BUILD libcmocka-dev libmariadb-dev libpq-dev mariadb-server mariadb-client \
postgresql postgresql-client libpam0g-dev libmariadbd-dev openssl python3 valgrind clang"
DEMO="$BUILD libmariadb-dev mariadb-server mariadb-client libmariadbd-dev openssl"

case $what in
build) pkgs=$BUILD ;;
demo) pkgs=$DEMO ;;
*) pkgs=$TEST ;;
esac

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
apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null
