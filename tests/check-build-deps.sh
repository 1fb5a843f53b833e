#!/bin/sh
# tests/check-build-deps.sh - the build says what is missing, and needs no
# package manager:
#
#   - with a library's .pc file out of pkg-config's reach, `make` stops
#     before compiling anything, naming the module and the packages that
#     hold it (tests/deps.sh pc), not with a compiler error about a header;
#     the same for the test programs' cmocka;
#   - without pkg-config, `make` says so;
#   - `make check` builds and passes where dpkg-query and apt-get do not
#     exist (a PATH without them, as on Fedora, Arch or macOS), and
#     tests/deps.sh there installs nothing and succeeds.
#
# Builds into temporary directories. Prints TAP-style lines. Run from the
# repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

# Sub-makes get nothing from an outer make's command line.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
B=${B:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-deps.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # check NAME GOT EXPECTED
    if [ "$2" = "$3" ]; then ok "$1"; else
        notok "$1"; echo "#   got:      $2" | head -n 10; echo "#   expected: $3"; fi
}

# A pkg-config directory holding some of the .pc files this system has.
pcdir() { # pcdir DIR MODULE...
    d=$1; shift
    mkdir -p "$d"
    for m in "$@"; do
        cp "$(pkg-config --variable=pcfiledir "$m")/$m.pc" "$d/" || return 1
    done
}

# --- a missing module is named ----------------------------------------------------
pcdir "$tmp/pc1" libcrypto libcurl libssl || { notok "copy .pc files"; exit 1; }
PKG_CONFIG_LIBDIR=$tmp/pc1 PKG_CONFIG_PATH= make -s B="$tmp/b1" >"$tmp/out1" 2>&1
rc=$?
check "expat.pc missing: make stops, naming expat and its packages" \
    "$([ "$rc" -ne 0 ] && echo failed) $(grep '^make: pkg-config' "$tmp/out1")" \
    "failed make: pkg-config cannot find expat (expat.pc): install its development files (Debian: libexpat1-dev; Fedora, Amazon Linux: expat-devel), or build without it: make HTTP=no, or add the directory holding expat.pc to PKG_CONFIG_PATH"
check "expat.pc missing: nothing compiled, no compiler error" \
    "$(ls "$tmp/b1/obj" 2>/dev/null | wc -l) $(grep -c 'No such file' "$tmp/out1")" "0 0"

# The same .pc files with HTTP=no, which needs no expat: the library's
# objects compile (one stands for all: they share the flags).
if PKG_CONFIG_LIBDIR=$tmp/pc1 PKG_CONFIG_PATH= make -s B="$tmp/b1" HTTP=no \
    "$tmp/b1/obj/lib/token.o" >"$tmp/out1b" 2>&1; then
    ok "HTTP=no with the same .pc files: the library compiles"
else
    notok "HTTP=no with the same .pc files: the library compiles"; sed 's/^/#   /' "$tmp/out1b" | tail -n 10
fi

# Two missing: each named on its own line.
pcdir "$tmp/pc2" libcrypto || { notok "copy .pc files"; exit 1; }
PKG_CONFIG_LIBDIR=$tmp/pc2 PKG_CONFIG_PATH= make -s B="$tmp/b2" >"$tmp/out2" 2>&1
check "libcurl.pc, libssl.pc and expat.pc missing: each named" \
    "$(grep '^make: pkg-config' "$tmp/out2" | sed 's/ (.*//')" \
    "make: pkg-config cannot find libcurl
make: pkg-config cannot find libssl
make: pkg-config cannot find expat"

# The test programs: cmocka named before any test is compiled.
pcdir "$tmp/pc3" libcrypto libcurl libssl expat json-c || { notok "copy .pc files"; exit 1; }
PKG_CONFIG_LIBDIR=$tmp/pc3 PKG_CONFIG_PATH= make -s -j2 B="$tmp/b3" check TESTS=test_error >"$tmp/out3" 2>&1
rc=$?
check "cmocka.pc missing: make check stops, naming cmocka" \
    "$([ "$rc" -ne 0 ] && echo failed) $(grep '^make: pkg-config' "$tmp/out3")" \
    "failed make: pkg-config cannot find cmocka (cmocka.pc): install its development files (Debian: libcmocka-dev; Fedora, Amazon Linux: libcmocka-devel), or add the directory holding cmocka.pc to PKG_CONFIG_PATH"

make -s B="$tmp/b4" PKG_CONFIG="$tmp/no/pkg-config" >"$tmp/out4" 2>&1
check "no pkg-config: make says so" "$(grep '^make: ' "$tmp/out4" | head -n 1)" \
    "make: $tmp/no/pkg-config not found: install pkg-config (Debian: pkg-config; Fedora, Amazon Linux: pkgconf-pkg-config), or set PKG_CONFIG"

# --- no dpkg-query, no apt-get ------------------------------------------------------
# A PATH of links to every command on this one except the Debian package
# tools.
mkdir "$tmp/path"
(
    IFS=:
    for d in $PATH; do
        [ -d "$d" ] || continue
        for f in "$d"/*; do
            n=${f##*/}
            case $n in dpkg* | apt* | aptitude) continue ;; esac
            [ -x "$f" ] && [ ! -e "$tmp/path/$n" ] && ln -s "$f" "$tmp/path/$n"
        done
    done
)
check "the PATH without Debian's tools has no dpkg-query or apt-get" \
    "$(PATH=$tmp/path command -v dpkg-query apt-get | wc -l)" 0
out=$(PATH=$tmp/path sh tests/deps.sh test 2>&1)
check "deps.sh without dpkg-query: installs nothing, succeeds" "$? $out" \
    "0 deps.sh: no dpkg-query (not Debian): installing nothing; the build names any library pkg-config cannot find"
if PATH=$tmp/path make -s -j2 B="$B/no-dpkg" check TESTS="test_error test_encoding" >"$tmp/out5" 2>&1; then
    ok "make check without dpkg-query: $(tail -n 1 "$tmp/out5")"
else
    notok "make check without dpkg-query"; sed 's/^/#   /' "$tmp/out5" | tail -n 15
fi
