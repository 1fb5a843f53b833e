#!/bin/sh
# tests/check-example-msk.sh - the librdkafka example (examples/rdsiam-msk.c)
# without a broker: its OAUTHBEARER refresh callback runs inside the real
# librdkafka, and what it hands rd_kafka_oauthbearer_set_token() is
# recorded by an LD_PRELOAD shim (tests/emulator/rdkafka_token_shim.c).
# Checked: librdkafka accepted the token; it decodes to the presigned URL
# AWS's MSK signers make (host, action, expiry, User-Agent last); it
# verifies (rdsiam_verify_service_token, tests/emulator/verify_token.c)
# with the key that signed it, serverless or not, with a session token;
# md_lifetime_ms is X-Amz-Date + 900 s; without credentials the callback
# reports the failure to librdkafka. The bootstrap address is a closed
# loopback port, so the example ends with a transport error (exit 1).
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
EX=$B/bin/rdsiam-msk
SHIM=$B/tests/rdkafka-token-shim.so
VERIFY=$B/tests/verify-token
for f in "$EX" "$SHIM" "$VERIFY"; do
    [ -f "$f" ] || { echo "not ok - $f is missing (make tests builds it)"; exit 1; }
done
version=$(sed -n 's/^#define RDSIAM_VERSION_STRING "\(.*\)"$/\1/p' include/rdsiam.h)
# Under make check-asan the example is built with AddressSanitizer, whose
# runtime must be the first library loaded: it goes before the shim.
PRELOAD=$SHIM
asan=$(ldd "$EX" 2>/dev/null | awk '/libasan/ { print $3 }')
[ -n "$asan" ] && PRELOAD="$asan $SHIM"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-msk.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@" >"$tmp/check.out" 2>&1; then ok "$d"; else notok "$d"; sed 's/^/#   /' "$tmp/check.out" | head -n 20; fi
}

AKID=AKIAMSKEXAMPLE000001
SECRET=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
STS_AKID=ASIAMSKEXAMPLE000002
STS_TOKEN=IQoJb3JpZ2luX2VjEXAMPLE$(printf '%01200d' 0 | tr 0 A)+/w==
printf '%s %s\n%s %s %s\n' "$AKID" "$SECRET" "$STS_AKID" "$SECRET" \
    "$STS_TOKEN" >"$tmp/keys"

# run NAME [VAR=VALUE...] -- [example arguments...]: the example with the
# shim, against a closed port, in an environment of the given variables
# only; its record in $tmp/NAME.rec, its stderr in $tmp/NAME.err.
run() {
    name=$1; shift
    vars=""
    while [ "$1" != -- ]; do vars="$vars $1"; shift; done
    shift
    # shellcheck disable=SC2086 # $vars: VAR=VALUE words
    env -i PATH="$PATH" HOME="$tmp" AWS_EC2_METADATA_DISABLED=true \
        AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        RDSIAM_SHIM_OUT="$tmp/$name.rec" LD_PRELOAD="$PRELOAD" $vars \
        timeout 60 "$EX" 127.0.0.1:1 --timeout-ms 2000 "$@" \
        >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
}

# The first set_token line of NAME: token, lifetime, principal, rc.
field() { awk -v n="$2" '$1 == "set_token" { print $n; exit }' "$tmp/$1.rec"; }

# The URL a token encodes (base64url, no padding).
decode() {
    python3 -c 'import base64, sys
t = sys.argv[1]
sys.stdout.write(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)).decode())' "$1"
}

# expect_token NAME HOST [verify-token options...]
expect_token() {
    name=$1 host=$2; shift 2
    if [ ! -s "$tmp/$name.rec" ] || [ -z "$(field "$name" 2)" ]; then
        notok "$name: the refresh callback set a token"
        sed 's/^/#   /' "$tmp/$name.err" | head -n 20
        return
    fi
    ok "$name: the refresh callback set a token"
    tok=$(field "$name" 2)
    check "$name: librdkafka accepted it (rd_kafka_oauthbearer_set_token: 0), principal msk-iam" \
        test "$(field "$name" 5) $(field "$name" 4)" = "0 msk-iam"
    check "$name: the example ran to its transport error (exit 1)" \
        test "$(cat "$tmp/$name.rc")" = 1
    url=$(decode "$tok")
    case $url in
    "https://$host/?Action=kafka-cluster%3AConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="*"%2Fkafka-cluster%2Faws4_request&X-Amz-Date="*"&X-Amz-Expires=900&X-Amz-SignedHeaders=host&"*"X-Amz-Signature="*"&User-Agent=librdsiam%2F$version")
        ok "$name: it is base64url of the presigned URL for $host, User-Agent last" ;;
    *) notok "$name: it is base64url of the presigned URL for $host, User-Agent last"
       echo "#   $url" | cut -c1-300 ;;
    esac
    date=$(printf '%s' "$url" | sed -n 's/.*X-Amz-Date=\([0-9T]*Z\).*/\1/p')
    want=$(python3 -c 'import calendar, sys, time
print((calendar.timegm(time.strptime(sys.argv[1], "%Y%m%dT%H%M%SZ")) + 900) * 1000)' "$date")
    check "$name: md_lifetime_ms is X-Amz-Date + 900 s ($want)" \
        test "$(field "$name" 3)" = "$want"
    check "$name: the token verifies" \
        sh -c 't=$1 v=$2 k=$3; shift 3; printf "%s" "$t" | "$v" "$k" msk us-east-1 "$@"' _ \
        "$tok" "$VERIFY" "$tmp/keys" "$@"
}

run plain AWS_ACCESS_KEY_ID="$AKID" AWS_SECRET_ACCESS_KEY="$SECRET" \
    AWS_REGION=us-east-1 --
expect_token plain kafka.us-east-1.amazonaws.com
check "plain: a token for MSK Serverless is refused by a provisioned cluster's check" \
    sh -c '! printf "%s" "$1" | "$2" "$3" msk us-east-1 --serverless' _ \
    "$(field plain 2)" "$VERIFY" "$tmp/keys"

run serverless AWS_ACCESS_KEY_ID="$AKID" AWS_SECRET_ACCESS_KEY="$SECRET" \
    AWS_REGION=us-east-1 -- --serverless
expect_token serverless kafka-serverless.us-east-1.amazonaws.com --serverless

run session AWS_ACCESS_KEY_ID="$STS_AKID" AWS_SECRET_ACCESS_KEY="$SECRET" \
    AWS_SESSION_TOKEN="$STS_TOKEN" AWS_REGION=us-east-1 --
expect_token session kafka.us-east-1.amazonaws.com
check "session: the URL carries the session token" \
    sh -c 'case "$1" in *"&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE"*) ;; *) exit 1 ;; esac' _ \
    "$(decode "$(field session 2)")"

# No credentials: the callback tells librdkafka why, and no token is set.
run nocreds AWS_REGION=us-east-1 --
check "no credentials: rd_kafka_oauthbearer_set_token_failure with the chain's message" \
    grep -q '^set_token_failure .*no credentials' "$tmp/nocreds.rec"
check "no credentials: no token set" sh -c '! grep -q "^set_token " "$1"' _ "$tmp/nocreds.rec"
check "no credentials: exit 1" test "$(cat "$tmp/nocreds.rc")" = 1
exit 0
