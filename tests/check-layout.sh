#!/bin/sh
# tests/check-layout.sh - rules of the source layout that a reader relies
# on and a compiler does not check:
#   - no include cycle among lib/ files, and no .c file includes another;
#   - every credential source is a lib/source_*.c file, and chain.c names
#     sources only through their constructors (it includes no source's
#     private header);
#   - every file the library opens is opened with O_CLOEXEC (no fopen);
#   - one is_hex;
#   - no signing with placeholder "probe" keys anywhere (lib, CLI,
#     examples): inputs are checked with rdsiam_token_params_check();
#   - the examples use only the public header; the command-line tool too,
#     but for the profile parser its config.c reads --config files with
#     and the JSON writer of format.c, compiled into the tool when it links
#     the shared library.
# Prints TAP-style lines.
set -u
n=0
fail=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; fail=1; }

# --- include graph ---------------------------------------------------------
if python3 - <<'EOF'
import os, re, sys
lib = "lib"
edges = {}
for f in os.listdir(lib):
    if not f.endswith((".c", ".h")):
        continue
    inc = re.findall(r'^#include "([^"]+)"', open(os.path.join(lib, f)).read(), re.M)
    edges[f] = [i for i in inc if os.path.exists(os.path.join(lib, i))]
bad = [(f, i) for f, incs in edges.items() for i in incs if i.endswith(".c")]
if bad:
    print("# .c included: %r" % bad)
    sys.exit(1)
state = {}
def visit(f, path):
    if state.get(f) == 1:
        print("# include cycle: %s" % " -> ".join(path + [f]))
        sys.exit(1)
    if state.get(f) == 2:
        return
    state[f] = 1
    for i in edges.get(f, []):
        visit(i, path + [f])
    state[f] = 2
for f in sorted(edges):
    visit(f, [])
EOF
then ok "lib/: no include cycle, no .c file included"
else notok "lib/: no include cycle, no .c file included"
fi

# --- sources ---------------------------------------------------------------
if grep -l 'rdsiam__source_[a-z_]*(rdsiam__source \*out' lib/*.c |
    grep -v '^lib/source_[a-z_]*\.c$' | grep -q .; then
    notok "every source constructor is defined in a lib/source_*.c file"
else
    ok "every source constructor is defined in a lib/source_*.c file"
fi
if grep -q '#include "source_' lib/chain.c lib/provider.c; then
    notok "chain.c and provider.c include no source's own header"
else
    ok "chain.c and provider.c include no source's own header"
fi

# --- files -----------------------------------------------------------------
if grep -n 'fopen(' lib/*.c | grep -q .; then
    notok "lib/ reads no file through stdio (unwiped buffers)"
else
    ok "lib/ reads no file through stdio (unwiped buffers)"
fi
if grep -n '[^_]open(' lib/*.c | grep -v 'O_CLOEXEC' | grep -q .; then
    grep -n '[^_]open(' lib/*.c | grep -v 'O_CLOEXEC' | sed 's/^/# /'
    notok "every open() in lib/ uses O_CLOEXEC"
else
    ok "every open() in lib/ uses O_CLOEXEC"
fi
c=$(grep -c 'bool rdsiam__is_hex\|bool is_hex' lib/*.c lib/*.h | awk -F: '{s += $2} END {print s}')
if [ "$c" -eq 1 ]; then ok "one is_hex"; else notok "one is_hex (found $c)"; fi

# --- no probe keys, public API only -----------------------------------------
if grep -rn 'AKIDPROBE\|probe = {' lib examples | grep -q .; then
    grep -rn 'AKIDPROBE\|probe = {' lib examples | sed 's/^/# /'
    notok "no placeholder probe credentials in lib/ or examples/"
else
    ok "no placeholder probe credentials in lib/ or examples/"
fi
if grep -n '#include "internal.h"\|rdsiam__' examples/*.c \
    examples/rds-emulator/mariadb/*.c examples/rds-emulator/pam/*.c | grep -q .; then
    grep -n '#include "internal.h"\|rdsiam__' examples/*.c \
        examples/rds-emulator/mariadb/*.c examples/rds-emulator/pam/*.c | sed 's/^/# /'
    notok "the examples use only the public API"
else
    ok "the examples use only the public API"
fi
# The tool uses the public API, and two parts of the library in one file
# each: lib/cli/config.c the parser of the AWS shared files for its
# --config file (profile.h, its file reader file.h and buffer), and
# lib/cli/format.c the JSON writer for its json format (json_reader.h and
# buffer). TOOL_INTERNALS below are the library files those need; the
# shared-library link further down compiles exactly them into the tool.
TOOL_INTERNALS="lib/profile.c lib/file.c lib/buf.c lib/error.c lib/sys.c lib/encoding.c lib/json.c lib/json_lex.c"
# internals FILE ALLOWED-INCLUDES ALLOWED-NAMES: what FILE uses of the
# library beyond the public API and the tool's own headers.
internals() {
    grep -o '#include "[a-z_]*\.h"\|rdsiam__[a-z_]*\|RDSIAM__[A-Z_]*' "$1" | sort -u |
        grep -v "^#include \"\($2\)\.h\"\$" | grep -v "^\($3\)\$"
}
cli_internal=$(grep -n '#include "[a-z_]*\.h"\|rdsiam__[a-z_]*\|RDSIAM__[A-Z_]*' lib/cli/*.c lib/cli/*.h |
    grep -v '^lib/cli/\(config\|format\)\.c:')
cfg_internal=$(internals lib/cli/config.c 'file\|profile' \
    'rdsiam__\(profile_[a-z_]*\|file_read\|buf_init\|buf_free\|buf\|profile\|profile_set\|profile_list\)\|RDSIAM__PROFILE_\(FILE_MAX\|CREDENTIALS\)')
fmt_internal=$(internals lib/cli/format.c 'json_reader' \
    'rdsiam__\(json_write\|json_member\|buf_init\|buf_free\|buf\)')
# The tool's own headers (lib/cli/*.h) are its own.
for h in lib/cli/*.h; do
    cli_internal=$(printf '%s\n' "$cli_internal" | grep -vF "#include \"${h##*/}\"")
    cfg_internal=$(printf '%s\n' "$cfg_internal" | grep -vxF "#include \"${h##*/}\"")
    fmt_internal=$(printf '%s\n' "$fmt_internal" | grep -vxF "#include \"${h##*/}\"")
done
all=$(printf '%s\n' "$cli_internal" "$cfg_internal" "$fmt_internal" | grep .)
if [ -n "$all" ]; then
    printf '%s\n' "$all" | sed 's/^/# /'
    notok "the tool uses the public API, the profile parser in config.c and the JSON writer in format.c only"
else
    ok "the tool uses the public API, the profile parser in config.c and the JSON writer in format.c only"
fi
# --- the tool links against the shared library too -------------------------
B=${B:-build}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A library built with the sanitizers (make check-asan) needs a program
# built with them too: their runtime must come first.
SAN=""
if readelf -d "$B/lib/librdsiam.so" 2>/dev/null | grep -q 'NEEDED.*libasan'; then
    SAN="-fsanitize=address,undefined"
fi
if [ ! -e "$B/lib/librdsiam.so" ]; then
    notok "the tool links against the shared library: $B/lib/librdsiam.so is not built"
elif ! $CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Ilib \
    $SAN -o "$tmp/rdsiam-token" lib/cli/*.c $TOOL_INTERNALS -L"$B/lib" -lrdsiam \
    -lcrypto -Wl,-rpath,"$(cd "$B/lib" && pwd)" >"$tmp/out" 2>&1; then
    sed 's/^/# /' "$tmp/out"
    notok "the tool links against the shared library"
elif ! readelf -d "$tmp/rdsiam-token" | grep -q 'NEEDED.*librdsiam\.so'; then
    notok "the tool links against the shared library (no NEEDED librdsiam.so)"
else
    # Known value: tests/crosscheck/botocore_token.py AKIDEXAMPLE00000 skid
    # prod-instance.us-east-1.rds.amazonaws.com 3306 someusername us-east-1
    # 1478540373 (botocore 1.43).
    want="prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect&DBUser=someusername&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE00000%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=4868c1852e0f96b43156c0ba2098a730088b7b4ba4fe5cdb9aeca70b0965196b"
    got=$(env -i PATH="$PATH" HOME="$tmp" AWS_EC2_METADATA_DISABLED=true \
        AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" \
        AWS_ACCESS_KEY_ID=AKIDEXAMPLE00000 AWS_SECRET_ACCESS_KEY=skid \
        "$tmp/rdsiam-token" --hostname prod-instance.us-east-1.rds.amazonaws.com \
        --port 3306 --username someusername --region us-east-1 \
        --signing-time 2016-11-07T17:39:33Z 2>&1)
    if [ "$got" = "$want" ]; then
        ok "the tool links against the shared library and signs the known answer"
    else
        echo "# got: $got"
        notok "the tool links against the shared library and signs the known answer"
    fi
fi
: "$n"
exit "$fail"
