#!/bin/sh
# tests/check-lambda-package.sh - the Lambda package starts on
# provided.al2023 (Amazon Linux 2023, glibc 2.34):
#
#   - the package of the function as built (make tests builds bootstrap):
#     package.sh writes it, and in the zip every ELF object needs at most
#     GLIBC_2.34 (read here with objdump, apart from the checker) and no
#     libexpat is shipped (the function's library is built with HTTP=no);
#   - examples/lambda/check-package.sh, which package.sh runs, refuses a
#     package with an object that needs a newer glibc symbol (naming the
#     object and the symbol, as Debian 12's libexpat needs
#     arc4random_buf@GLIBC_2.36) or a library neither shipped nor the
#     runtime's, and package.sh then writes no zip. Those objects are
#     built here, so what they need is known.
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
CC=${CC:-cc}
BOOT=$B/lambda/bootstrap
LIST=examples/lambda/al2023-libs.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-lpkg.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # check NAME GOT EXPECTED
    if [ "$2" = "$3" ]; then ok "$1"; else
        notok "$1"; echo "#   got:      $2"; echo "#   expected: $3"; fi
}
for t in zip unzip objdump readelf; do
    command -v "$t" >/dev/null 2>&1 || { notok "$t is not installed (make deps)"; exit 1; }
done
[ -f "$BOOT" ] || { notok "$BOOT is missing (make tests builds it)"; exit 1; }

# --- the function's package --------------------------------------------------------
function_package() {
    if sh examples/lambda/package.sh "$tmp/out/function.zip" "$BOOT" >"$tmp/pkg.log" 2>&1 &&
        mkdir "$tmp/zip" && (cd "$tmp/zip" && unzip -q "$tmp/out/function.zip"); then
        ok "package.sh writes the function's zip: $(tail -n 1 "$tmp/pkg.log")"
    else
        notok "package.sh writes the function's zip"; sed 's/^/#   /' "$tmp/pkg.log"; return
    fi
    # The newest GLIBC_ version any object in the zip needs, and which one.
    newest=$(for f in "$tmp/zip/bootstrap" "$tmp/zip"/lib/*; do
        objdump -T "$f" | grep -o 'GLIBC_[0-9.]*' | sed "s|^|${f#"$tmp"/zip/} |"
    done | sort -k2,2V | tail -n 1)
    case ${newest#* } in
    GLIBC_2.[0-9] | GLIBC_2.[0-9].* | GLIBC_2.[12][0-9] | GLIBC_2.[12][0-9].* | GLIBC_2.3[0-4] | GLIBC_2.3[0-4].*)
        ok "every object in the zip needs GLIBC_2.34 at most (newest: ${newest#* }, ${newest% *})" ;;
    *) notok "every object in the zip needs GLIBC_2.34 at most (${newest% *} needs ${newest#* })" ;;
    esac
    check "no libexpat in the zip (the function's library is built with HTTP=no)" \
        "$(ls "$tmp/zip/lib" | grep -c '^libexpat')" 0
    check "check-package.sh passes the zip's contents" \
        "$(sh examples/lambda/check-package.sh "$tmp/zip" "$LIST" 2>&1; echo "status $?")" "status 0"
}
# A sanitizer build of bootstrap (make check-asan) is no deployable
# package: package.sh packages it unchecked, and this part is skipped.
san=$(readelf -d "$BOOT" | sed -n 's/.*(NEEDED).*\[\(lib[a-z]*san\.so[.0-9]*\)\].*/\1/p' | head -n 1)
if [ -n "$san" ]; then
    ok "the function's package # SKIP $BOOT is a sanitizer build (it needs $san)"
else
    function_package
fi

# --- refusals ----------------------------------------------------------------------
# newglibc.so needs arc4random_buf, which glibc has since 2.36; libother.so.1
# is a library the runtime does not have.
cat >"$tmp/newglibc.c" <<'EOF'
#include <stdlib.h>
void fill(unsigned char *b, size_t n);
void fill(unsigned char *b, size_t n) { arc4random_buf(b, n); }
EOF
echo 'int other(void); int other(void) { return 1; }' >"$tmp/other.c"
echo 'int main(void) { return 0; }' >"$tmp/main.c"
echo 'int other(void); int main(void) { return other(); }' >"$tmp/main-other.c"
if $CC -fPIC -shared -Wl,-soname,libnewglibc.so.1 -o "$tmp/libnewglibc.so.1" "$tmp/newglibc.c" &&
    $CC -fPIC -shared -Wl,-soname,libother.so.1 -o "$tmp/libother.so.1" "$tmp/other.c" &&
    $CC -o "$tmp/plain" "$tmp/main.c" &&
    $CC -o "$tmp/needs-other" "$tmp/main-other.c" "$tmp/libother.so.1" 2>"$tmp/cc.log"; then
    ok "build the test objects"
else
    notok "build the test objects (a glibc with arc4random_buf, 2.36 or later, is needed)"
    sed 's/^/#   /' "$tmp/cc.log"; exit 1
fi

# stage NAME BOOTSTRAP [LIB...]: a package directory.
stage() {
    d=$tmp/$1; shift
    mkdir -p "$d/lib"; cp "$1" "$d/bootstrap"; shift
    for l in "$@"; do cp "$l" "$d/lib/"; done
}
stage newglibc "$tmp/plain" "$tmp/libnewglibc.so.1"
sh examples/lambda/check-package.sh "$tmp/newglibc" "$LIST" >"$tmp/out1" 2>&1
check "a library that needs a newer glibc: refused, naming object and symbol" "$? $(cat "$tmp/out1")" \
    "1 lib/libnewglibc.so.1: needs arc4random_buf@GLIBC_2.36 from libc.so.6; provided.al2023 has GLIBC_2.34 at most"

stage missing "$tmp/needs-other"
sh examples/lambda/check-package.sh "$tmp/missing" "$LIST" >"$tmp/out2" 2>&1
check "a library neither shipped nor the runtime's: refused" "$? $(cat "$tmp/out2")" \
    "1 bootstrap: needs libother.so.1, which is neither in lib/ nor in al2023-libs.txt (the runtime's libraries)"

stage shipped "$tmp/needs-other" "$tmp/libother.so.1"
sh examples/lambda/check-package.sh "$tmp/shipped" "$LIST" >"$tmp/out3" 2>&1
check "the same library shipped in lib/: accepted" "$? $(cat "$tmp/out3")" "0 "

# package.sh runs the check and writes no zip for a package that would not
# start: here bootstrap itself needs the newer symbol.
$CC -o "$tmp/boot-new" "$tmp/main.c" "$tmp/newglibc.c"
sh examples/lambda/package.sh "$tmp/bad/function.zip" "$tmp/boot-new" >"$tmp/out4" 2>&1
rc=$?
check "package.sh: no zip for a bootstrap that needs GLIBC_2.36" \
    "$rc $([ -e "$tmp/bad/function.zip" ] && echo written || echo absent) $(grep -c 'bootstrap: needs arc4random_buf@GLIBC_2.36 from libc.so.6' "$tmp/out4")" \
    "1 absent 1"
