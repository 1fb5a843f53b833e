#!/bin/sh
# tests/check-man-examples.sh - every man page's EXAMPLE works as printed.
#
# Section 3 pages: the C program between .EX and .EE in the EXAMPLE
# section is extracted, compiled with -Werror against build/lib/librdsiam.a
# and run offline (no AWS configuration but fixed test keys in the
# environment, instance metadata disabled); it must exit 0.
# Section 1 pages: the shell example must at least parse (sh -n).
# Pages that only source another page (.so) are skipped.
#
# Prints TAP-style lines. Run from the repository root.
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -f "$B/lib/librdsiam.a" ]; then
    echo "not ok - $B/lib/librdsiam.a is missing (run make first)"
    exit 1
fi
DEPS=$(pkg-config --libs libcrypto 2>/dev/null)
if pkg-config --exists libcurl 2>/dev/null; then
    # libssl: lib/http.c sets an option on libcurl's OpenSSL context.
    DEPS="$DEPS $(pkg-config --libs libcurl libssl)"
fi
# The STS calls parse XML with expat (HTTP=yes builds).
if pkg-config --exists expat 2>/dev/null; then
    DEPS="$DEPS $(pkg-config --libs expat)"
fi
# An archive built with the sanitizers (make check-asan, check-tsan) needs
# a program linked with them: their runtime calls are in its objects.
if nm "$B/lib/librdsiam.a" 2>/dev/null | grep -q ' U __asan_'; then
    DEPS="$DEPS -fsanitize=address,undefined"
elif nm "$B/lib/librdsiam.a" 2>/dev/null | grep -q ' U __tsan_'; then
    DEPS="$DEPS -fsanitize=thread"
fi

# The text of the EXAMPLE section's .EX/.EE blocks, with the roff escapes
# this project's pages use turned back into plain characters.
extract() {
    awk '/^\.SH / { ex = ($0 ~ /^\.SH "?EXAMPLES?"?$/); inblk = 0; next }
         ex && /^\.EE/ { inblk = 0; next }
         ex && inblk { print }
         ex && /^\.EX/ { inblk = 1 }' "$1" |
        sed -e 's/\\&//g' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
            -e 's/\\e/\\/g'
}

n=0
for page in docs/man/*.[13]; do
    [ -f "$page" ] || continue
    name=${page##*/}
    if grep -q '^\.so ' "$page"; then
        continue
    fi
    n=$((n + 1))
    extract "$page" >"$tmp/$name.txt"
    if [ ! -s "$tmp/$name.txt" ]; then
        echo "not ok - $name has an EXAMPLE section with code"
        continue
    fi
    case $name in
    *.1)
        if sh -n "$tmp/$name.txt" 2>"$tmp/err"; then
            echo "ok - $name: the shell example parses"
        else
            echo "not ok - $name: the shell example parses"
            sed 's/^/#   /' "$tmp/err"
        fi
        ;;
    *.3)
        cp "$tmp/$name.txt" "$tmp/$name.c"
        # shellcheck disable=SC2086 # DEPS is a list of flags
        if ! $CC -std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude \
            -o "$tmp/$name.bin" "$tmp/$name.c" "$B/lib/librdsiam.a" $DEPS \
            -pthread >"$tmp/err" 2>&1; then
            echo "not ok - $name: the example compiles"
            sed 's/^/#   /' "$tmp/err" | head -n 20
            continue
        fi
        echo "ok - $name: the example compiles"
        (
            cd "$tmp" || exit 1
            env -i PATH="$PATH" HOME="$tmp" AWS_EC2_METADATA_DISABLED=true \
                AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" \
                AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
                AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
                AWS_REGION=us-east-1 \
                timeout 20 "./$name.bin"
        ) >"$tmp/out" 2>&1
        rc=$?
        if [ "$rc" -eq 0 ]; then
            echo "ok - $name: the example runs (exit 0)"
        else
            echo "not ok - $name: the example runs (exit $rc)"
            sed 's/^/#   /' "$tmp/out" | head -n 20
        fi
        ;;
    esac
done
# Every page renders without groff warnings.
if command -v groff >/dev/null 2>&1; then
    for page in docs/man/*.[13]; do
        [ -f "$page" ] || continue
        if target=$(sed -n 's/^\.so man[13]\///p' "$page") && [ -n "$target" ]; then
            if [ -f "docs/man/$target" ]; then
                echo "ok - ${page##*/} links to $target"
            else
                echo "not ok - ${page##*/} links to $target, which does not exist"
            fi
            continue
        fi
        if groff -man -Tutf8 -ww -z "$page" >"$tmp/err" 2>&1 && [ ! -s "$tmp/err" ]; then
            echo "ok - ${page##*/} renders without warnings"
        else
            echo "not ok - ${page##*/} renders without warnings"
            sed 's/^/#   /' "$tmp/err" | head -n 10
        fi
    done
else
    echo "ok - man pages render # SKIP groff not installed"
fi

# Every function the library implements (exported by the shared library)
# is named in the NAME section of some section 3 page.
# (librdsiam.so: the link to this build's library, never an older one the
# build directory may still hold.)
so=$B/lib/librdsiam.so
if [ -f "$so" ]; then
    for p in docs/man/*.3; do
        [ -f "$p" ] || continue
        awk '/^\.SH NAME/ { on = 1; next } /^\.SH/ { on = 0 } on' "$p"
    done | sed 's/\\-.*//' | tr ', ' '\n\n' | grep '^rdsiam_' | sort -u >"$tmp/named"
    undocumented=$(nm -D --defined-only "$so" | awk '{ sub(/@.*/, "", $NF); print $NF }' | grep '^rdsiam_' |
        sort -u | comm -23 - "$tmp/named" | tr '\n' ' ')
    if [ -z "$undocumented" ]; then
        echo "ok - every exported function has a man page"
    else
        echo "not ok - exported functions without a man page: $undocumented"
    fi
fi

if [ "$n" -eq 0 ]; then
    echo "ok - man page examples # SKIP no man pages in docs/man"
fi
exit 0
