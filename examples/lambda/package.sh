#!/bin/sh
# examples/lambda/package.sh - put bootstrap, the RDS CA bundle and the
# shared libraries the provided.al2023 runtime lacks into a Lambda zip:
#
#   function.zip
#     bootstrap            (mode 755: Lambda runs it)
#     global-bundle.pem    (when a CA bundle is given; RDS_CA_BUNDLE's default)
#     lib/libmariadb.so.3 ...  ($LAMBDA_TASK_ROOT/lib is on the runtime's
#                          library path)
#
# Usage: package.sh OUT.zip BOOTSTRAP [CA_BUNDLE]
# Which libraries the runtime has: examples/lambda/al2023-libs.txt. Before
# zipping, examples/lambda/check-package.sh checks that every object will
# load there (its libraries shipped or the runtime's, glibc 2.34 at most);
# a package that would not start is never written. A bootstrap built with
# a sanitizer (make check-asan) is a test build, never deployed: it is
# packaged for the tests without that check, saying so.
# SPDX-License-Identifier: MIT
set -eu
out=$1
exe=$2
ca=${3:-}
here=$(dirname "$0")
stage=$(dirname "$out")/pkg

rm -rf "$stage" "$out"
mkdir -p "$stage/lib"
install -m 755 "$exe" "$stage/bootstrap"
if [ -n "$ca" ]; then
    install -m 644 "$ca" "$stage/global-bundle.pem"
else
    echo "note: no RDS_CA_BUNDLE_FILE given: the package has no CA bundle," \
        "so RDS_CA_BUNDLE must name one" >&2
fi

# "libfoo.so.1 => /path/libfoo.so.1 (0x...)": ship each library whose
# soname the runtime does not have, under that soname.
have=$(sed 's/#.*//' "$here/al2023-libs.txt" | awk 'NF { print $1 }')
ldd "$exe" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' |
    while read -r soname path; do
        echo "$have" | grep -qxF "$soname" || cp -L "$path" "$stage/lib/$soname"
    done
chmod 644 "$stage"/lib/* 2>/dev/null || true

san=$(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(lib[a-z]*san\.so[.0-9]*\)\].*/\1/p' | head -n 1)
if [ -n "$san" ]; then
    echo "note: $exe needs $san (a sanitizer build): packaged for tests, not checked for provided.al2023" >&2
elif ! sh "$here/check-package.sh" "$stage" "$here/al2023-libs.txt" >"$stage.problems"; then
    echo "$out: not written: the package would not start on provided.al2023:" >&2
    sed 's/^/  /' "$stage.problems" >&2
    rm -f "$stage.problems"
    exit 1
fi
rm -f "$stage.problems"

# zip keeps the Unix mode bits, so bootstrap stays executable.
(cd "$stage" && zip -q -X -r "$(basename "$out")" bootstrap $(ls | grep -v '^bootstrap$') &&
    mv "$(basename "$out")" ../)
n=$(ls "$stage/lib" | wc -l)
echo "$out: $(wc -c <"$out") bytes (bootstrap${ca:+, global-bundle.pem}, $n libraries under lib/)"
