#!/bin/sh
# tests/check-emulator-valkey.sh - end to end against the emulator's valkey
# engine (redis-server behind rdsiam-valkey-front): the hiredis example
# (examples/rdsiam-valkey.c) logs in to an ElastiCache serverless cache
# and a MemoryDB cluster with tokens from the default chain, and logs in
# again before the session limit; the logins the services refuse (expired,
# another user, another cache, another key, another kind, a missing
# session token) are refused with WRONGPASS, each checked for the reason
# the front logs (lib/verify.c's messages). Tokens for the refusals the
# example cannot make come from tests/crosscheck/tokengen.c and go in with
# redis-cli, as AUTH and as HELLO 3 AUTH.
#
# Three emulators: A an ElastiCache serverless cache whose key requires a
# session token, with a 3-second session limit; B a MemoryDB cluster with
# a long-term key; C an ElastiCache cache whose clock runs 1000 s ahead.
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
# The emulator runs this build's plugin (make check-asan: build/asan's).
RDSIAM_BUILD=${RDSIAM_BUILD:-$(pwd)/$B}
export RDSIAM_BUILD
EMU=examples/rds-emulator/rds-emulator
EX=$B/bin/rdsiam-valkey
GEN=$B/tests/crosscheck-tokengen
FRONT=$B/rds-emulator/valkey/rdsiam-valkey-front

skip_all() { echo "ok - valkey emulator # SKIP $*"; exit 0; }
command -v redis-server >/dev/null || skip_all "no redis-server (install redis-server)"
command -v redis-cli >/dev/null || skip_all "no redis-cli (install redis-tools)"
for f in "$EX" "$GEN" "$FRONT"; do
    [ -f "$f" ] || { echo "not ok - $f is missing (make tests builds it)"; exit 1; }
done

unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION \
    AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION REDISCLI_AUTH
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-emu-valkey.XXXXXX") || exit 1
A=$tmp/a Bd=$tmp/b C=$tmp/c
cleanup() {
    for d in "$A" "$Bd" "$C"; do
        [ -f "$d/emulator.conf" ] && sh "$EMU" stop "$d" >/dev/null 2>&1
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
diag() { sed 's/^/#   /' "$@" | head -n 20; }

# The three start (and later stop) side by side: each mostly waits.
start() { # start DIR OPTIONS...: in the background, the status in DIR.rc
    d=$1; shift
    { EMU_QUIET=1 sh "$EMU" start "$d" --engine valkey --user iam-user-01 \
        "$@" >"$d.start.log" 2>&1; echo $? >"$d.rc"; } &
}
start "$A" --cache my-cache --serverless --session-token --session-seconds 3
start "$Bd" --cache my-cluster --memorydb
start "$C" --cache my-cache --clock-skew 1000
wait
for what in "A (ElastiCache serverless cache, session-token key, 3 s sessions)" \
    "B (MemoryDB cluster, long-term key)" "C (ElastiCache cache, clock 1000 s ahead)"; do
    case $what in A*) d=$A ;; B*) d=$Bd ;; *) d=$C ;; esac
    if [ "$(cat "$d.rc")" = 0 ]; then
        ok "start emulator $what"
    else
        notok "start emulator $what"; diag "$d.start.log"; exit 1
    fi
done

log_of() { echo "$1/valkey/front.log"; }
n_lines() { grep -c "$2" "$(log_of "$1")"; }

# example DIR NAME [example options] < commands: the example against DIR's
# front with DIR's keys (env), its output in $tmp/NAME.out/.err/.rc.
example() {
    d=$1 name=$2; shift 2
    (
        . "$d/env"
        "$EX" "$RDS_HOST" "$RDS_PORT" "$RDS_CACHE_NAME" "$RDS_USER" "$@"
    ) >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
}

# refused DIR NAME REASON: the last login DIR's front logged was refused
# for REASON, and the client saw WRONGPASS and exit 1.
refused() {
    d=$1 name=$2 reason=$3
    last=$(grep ' refused: \| accepted;' "$(log_of "$d")" | tail -n 1)
    if [ "$(cat "$tmp/$name.rc")" = 1 ] && grep -q WRONGPASS "$tmp/$name.err" "$tmp/$name.out" &&
        case $last in *" refused: "*"$reason"*) true ;; *) false ;; esac; then
        ok "$name: refused with WRONGPASS ($reason)"
    else
        notok "$name: refused with WRONGPASS ($reason)"
        echo "#   exit $(cat "$tmp/$name.rc"), front: $last"
        diag "$tmp/$name.err"
    fi
}

# --- the example logs in, and the data is there -----------------------------
printf 'SET greeting hello\nGET greeting\nINCR n\nINCR n\n' |
    example "$A" login --serverless
if [ "$(cat "$tmp/login.rc")" = 0 ] &&
    [ "$(cat "$tmp/login.out")" = "$(printf 'OK\nhello\n(integer) 1\n(integer) 2')" ]; then
    ok "A: the example logs in with a serverless-cache token and a session token, and runs commands"
else
    notok "A: the example logs in and runs commands"; diag "$tmp/login.out" "$tmp/login.err"
fi
grep -q "AUTH as iam-user-01 accepted" "$(log_of "$A")" &&
    ok "A: the front logged the accepted AUTH" || notok "A: the front logged the accepted AUTH"

printf 'SET k v\nGET k\n' | example "$Bd" memorydb --memorydb
if [ "$(cat "$tmp/memorydb.rc")" = 0 ] && [ "$(cat "$tmp/memorydb.out")" = "$(printf 'OK\nv')" ]; then
    ok "B: the example logs in to a MemoryDB cluster"
else
    notok "B: the example logs in to a MemoryDB cluster"; diag "$tmp/memorydb.err"
fi

# --- refusals through the example -------------------------------------------
echo PING | example "$A" not-serverless
refused "$A" not-serverless "token is not for a serverless cache"
echo PING | example "$Bd" elasticache-token
refused "$Bd" elasticache-token "credential scope service is not memorydb"
(
    . "$A/env"
    echo PING | "$EX" "$RDS_HOST" "$RDS_PORT" other-cache "$RDS_USER" --serverless
) >"$tmp/other-cache.out" 2>"$tmp/other-cache.err"; echo $? >"$tmp/other-cache.rc"
refused "$A" other-cache "token is for another host than my-cache"
(
    . "$A/env"
    echo PING | "$EX" "$RDS_HOST" "$RDS_PORT" "$RDS_CACHE_NAME" iam-user-02 --serverless
) >"$tmp/other-user.out" 2>"$tmp/other-user.err"; echo $? >"$tmp/other-user.rc"
refused "$A" other-user "iam-user-02 is not an IAM-enabled user here"
(
    . "$A/env"
    export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    echo PING | "$EX" "$RDS_HOST" "$RDS_PORT" "$RDS_CACHE_NAME" "$RDS_USER" --serverless
) >"$tmp/other-key.out" 2>"$tmp/other-key.err"; echo $? >"$tmp/other-key.rc"
refused "$A" other-key "signature does not match"
(
    . "$A/env"
    unset AWS_SESSION_TOKEN
    echo PING | "$EX" "$RDS_HOST" "$RDS_PORT" "$RDS_CACHE_NAME" "$RDS_USER" --serverless
) >"$tmp/no-session.out" 2>"$tmp/no-session.err"; echo $? >"$tmp/no-session.rc"
refused "$A" no-session "the key requires a session token"
echo PING | example "$C" expired
refused "$C" expired "token expired"

# --- tokens made to measure, through redis-cli -----------------------------
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# gen DIR USER TIME [AKID SECRET]: an ElastiCache serverless-cache token
# for DIR's cache, signed with DIR's keys (or the ones given).
gen() {
    (
        . "$1/env"
        akid=${4:-$AWS_ACCESS_KEY_ID} secret=${5:-$AWS_SECRET_ACCESS_KEY}
        printf 'elasticache %s %s %s %s %s %s %s %s\n' "$(hex "$akid")" \
            "$(hex "$secret")" "$(hex "${AWS_SESSION_TOKEN-}")" \
            "$(hex "$RDS_CACHE_NAME")" "$(hex "$2")" "$RDS_CACHE_SERVERLESS" \
            "$(hex "$AWS_REGION")" "$3" | "$GEN"
    )
}
cli() { # cli DIR ARGS...: redis-cli against DIR's front
    d=$1; shift
    (. "$d/env"; timeout 10 redis-cli -h "$RDS_HOST" -p "$RDS_PORT" --no-auth-warning "$@")
}
now=$(date +%s)
expect_cli() { # expect_cli NAME REASON TOKEN: AUTH iam-user-01 TOKEN refused
    out=$(cli "$A" AUTH iam-user-01 "$3" 2>&1)
    last=$(grep ' refused: \| accepted;' "$(log_of "$A")" | tail -n 1)
    case $out:$last in
    *WRONGPASS*:*" refused: "*"$2"*) ok "redis-cli AUTH, $1: refused ($2)" ;;
    *) notok "redis-cli AUTH, $1: refused ($2)"; echo "#   $out / $last" ;;
    esac
}
expect_cli "token for another user" "token User is not the login user" \
    "$(gen "$A" iam-user-02 "$now")"
expect_cli "signed 16 minutes ago" "token expired" "$(gen "$A" iam-user-01 $((now - 960)))"
expect_cli "dated 10 minutes ahead" "token is dated" "$(gen "$A" iam-user-01 $((now + 600)))"
expect_cli "unknown access key" "no key in the key store" \
    "$(gen "$A" iam-user-01 "$now" ASIAOTHERKEYEXAMPLE1 wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY)"
expect_cli "garbage" "token has no" "not-a-token"
good=$(gen "$A" iam-user-01 "$now")
out=$(cli "$A" HELLO 3 AUTH iam-user-01 "$good" 2>&1)
case $out in
*proto*3*) ok "redis-cli HELLO 3 AUTH with a good token: accepted (RESP3 hello map)" ;;
*) notok "redis-cli HELLO 3 AUTH with a good token"; echo "#   $out" | head -n 5 ;;
esac
out=$(cli "$A" AUTH iam-user-01 "$(cat "$A/valkey/server-password")" 2>&1)
case $out in
*WRONGPASS*) ok "the server's own password does not get through the front" ;;
*) notok "the server's own password does not get through the front"; echo "#   $out" ;;
esac
out=$(printf 'AUTH iam-user-01 %s\r\nPING\r\n' "$good" | cli "$A" 2>&1)
case $out in
*OK*PONG*) ok "an inline AUTH is checked like any other" ;;
*) notok "an inline AUTH is checked like any other"; echo "#   $out" ;;
esac

# --- the session limit: logging in again keeps the connection ---------------
# A closes a connection 3 s after its last login. Commands come 0.9 s apart
# for 4.5 s: with a login again every 1 s the connection lives on; with none
# (the default, 11 hours) the front closes it.
slow() { for c in PING PING PING PING 'SET after limit'; do echo "$c"; sleep 0.9; done; }
before=$(n_lines "$A" "accepted;")
slow | example "$A" reauth --serverless --reauth-seconds 1
after=$(n_lines "$A" "accepted;")
if [ "$(cat "$tmp/reauth.rc")" = 0 ] && [ $((after - before)) -ge 3 ] &&
    [ "$(grep -c 'logged in again' "$tmp/reauth.err")" -ge 2 ]; then
    ok "A: logging in again every second keeps a connection past the 3 s limit ($((after - before)) logins)"
else
    notok "A: logging in again keeps a connection past the limit"
    echo "#   exit $(cat "$tmp/reauth.rc"), $((after - before)) logins"; diag "$tmp/reauth.err"
fi
slow | example "$A" noreauth --serverless
if [ "$(cat "$tmp/noreauth.rc")" = 1 ] &&
    grep -q "closed: no new IAM login within the session limit" "$(log_of "$A")"; then
    ok "A: without a new login the front closes the connection at the limit"
else
    notok "A: without a new login the front closes the connection at the limit"
    diag "$tmp/noreauth.out" "$tmp/noreauth.err"
fi

# --- nothing secret in the logs --------------------------------------------
leak=0
for d in "$A" "$Bd" "$C"; do
    secret=$(. "$d/env"; printf '%s' "$AWS_SECRET_ACCESS_KEY")
    grep -qF -e "$secret" -e "X-Amz-Signature" -e "$(cat "$d/valkey/server-password")" \
        "$(log_of "$d")" && leak=1
done
[ "$leak" = 0 ] && ok "the front logs hold no secret key, token or server password" ||
    notok "the front logs hold no secret key, token or server password"

# --- stop ---------------------------------------------------------------------
for d in "$A" "$Bd" "$C"; do
    echo "$(cat "$d/valkey/front.pid") $(cat "$d/valkey/redis.pid")" >"$d.pids"
    { sh "$EMU" stop "$d" >"$d.stop.log" 2>&1; echo $? >"$d.rc"; } &
done
wait
for d in "$A" "$Bd" "$C"; do
    alive=0
    for pid in $(cat "$d.pids"); do kill -0 "$pid" 2>/dev/null && alive=1; done
    if [ "$(cat "$d.rc")" = 0 ] && [ "$alive" = 0 ] && [ ! -e "$d" ]; then
        ok "stop ${d##*/}: the front and the server are gone, and the directory"
    else
        notok "stop ${d##*/}"; diag "$d.stop.log"
    fi
done
exit 0
