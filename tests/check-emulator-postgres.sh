#!/bin/sh
# check-emulator-postgres.sh - the PostgreSQL RDS IAM emulator end to end:
# stock psql and rdsiam-pg-users logging in with tokens over verified TLS,
# and every login RDS refuses, refused.
#
# Needs root (the engine writes its PAM service file into /etc/pam.d and
# runs the server as an unprivileged user); otherwise every case is skipped.
# Expected error codes are the RDSIAM_ERR_TOKEN_* values of
# include/rdsiam.h; each refusal below breaks exactly one of the checks
# rdsiam_verify_token() documents, so exactly one code is right.
set -u
B=${B:-build}
ROOT=$(pwd)
EMU=$ROOT/examples/rds-emulator/rds-emulator
TOKEN=$ROOT/$B/bin/rdsiam-token
USERS=$ROOT/$B/bin/rdsiam-pg-users
export AWS_EC2_METADATA_DISABLED=true

CASES="psql-login pg-users pg-users-error pg-users-pkgconfig wrong-secret unknown-key other-user
other-host other-port other-region expired future tampered tampered-dbuser
truncated no-tls
session-token session-token-missing side-by-side log-has-no-secret
not-root-refused stop"

skip_all() {
    for c in $CASES; do echo "ok - postgres emulator: $c # SKIP $1"; done
    exit 0
}

# --- the PAM module's arguments and answers, through libpam itself
# (tests/emulator/pam_driver.c logs in once with a service file of our own;
# no server, no root). Each bad argument fails the login with the module's
# one-line reason on stderr.
pam_args_checks() {
    pdir=$(mktemp -d /tmp/rdsiam-check-pam.XXXXXX) || return
    if ! ${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$pdir/driver" \
        tests/emulator/pam_driver.c -lpam -pthread >"$pdir/cc.log" 2>&1; then
        sed 's/^/# /' "$pdir/cc.log"
        echo "not ok - pam module: build the PAM driver (libpam0g-dev)"
        rm -rf "$pdir"
        return
    fi
    printf 'AKIDPAMCHECK0000 pamCheckSecret\n' >"$pdir/keys"
    chmod 600 "$pdir/keys"
    common="keyfile=$pdir/keys host=db.example.com region=us-east-1 stderr"
    # pam_case NAME WANT_OUT WANT_ERR PASSWORD MODULE-ARGS...
    pam_case() {
        _n=$1 _out=$2 _err=$3 _pw=$4
        shift 4
        echo "auth required $MODULE $*" >"$pdir/svc"
        got=$(RDSIAM_PAM_PASSWORD=$_pw "$pdir/driver" "$pdir" svc jane \
            2>"$pdir/err")
        if [ "$got" = "$_out" ] && grep -qF -- "$_err" "$pdir/err"; then
            echo "ok - pam module: $_n"
        else
            echo "not ok - pam module: $_n (got '$got', stderr: $(head -c 300 "$pdir/err"))"
        fi
    }
    bad_port="error 3: Error in service module"
    port_msg="pam_rdsiam: module argument port= must be a number from 1 to 65535"
    for p in 0 65536 99999 +80 -1 8a 0x50 ""; do
        pam_case "port=$p refused" "$bad_port" "$port_msg" x $common "port=$p"
    done
    pam_case "no port= refused" "$bad_port" \
        "pam_rdsiam: module arguments keyfile=, host=, port= and region= are all required" \
        x $common
    pam_case "an unknown argument refused" "$bad_port" \
        "pam_rdsiam: unknown module argument 'color=blue'" x $common port=5432 color=blue
    tok=$(env -i PATH="$PATH" AWS_EC2_METADATA_DISABLED=true \
        AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
        AWS_ACCESS_KEY_ID=AKIDPAMCHECK0000 AWS_SECRET_ACCESS_KEY=pamCheckSecret \
        "$TOKEN" --hostname db.example.com --port 5432 --username jane \
        --region us-east-1 2>&1)
    pam_case "port=5432 accepts a token for port 5432" "PAM_SUCCESS" \
        "pam_rdsiam: accepted 'jane'" "$tok" $common port=5432
    pam_case "port=05432 is the same port" "PAM_SUCCESS" \
        "pam_rdsiam: accepted 'jane'" "$tok" $common port=05432
    pam_case "port=5433 refuses a token for port 5432" \
        "error 7: Authentication failure" "(error -206)" "$tok" $common port=5433
    # libpam loads the module at pam_start and unloads it at pam_end: 300
    # logins in one process, each on a thread that exits after the unload.
    echo "auth required $MODULE $common port=5432" >"$pdir/svc"
    got=$(RDSIAM_PAM_PASSWORD=$tok RDSIAM_PAM_REPEAT=300 RDSIAM_PAM_MODULE=$MODULE \
        "$pdir/driver" "$pdir" svc jane 2>"$pdir/err")
    if [ "$got" = "PAM_SUCCESS" ] && [ "$(grep -c "pam_rdsiam: accepted 'jane'" "$pdir/err")" = 300 ]; then
        echo "ok - pam module: loaded and unloaded by libpam 300 times in one process"
    else
        echo "not ok - pam module: loaded and unloaded 300 times (got '$got', stderr: $(tail -c 300 "$pdir/err"))"
    fi
    rm -rf "$pdir"
}

# --- the PAM module, checked without a server: it exports the PAM entry
# points only, and carries librdsiam inside (no librdsiam.so at run time).
MODULE=$ROOT/$B/rds-emulator/postgres/pam_rdsiam.so
if [ -f "$MODULE" ]; then
    got=$(nm -D --defined-only "$MODULE" | awk '{print $NF}' | LC_ALL=C sort | tr '\n' ' ')
    want="pam_sm_acct_mgmt pam_sm_authenticate pam_sm_chauthtok pam_sm_close_session pam_sm_open_session pam_sm_setcred "
    if [ "$got" = "$want" ]; then
        echo "ok - pam module: exports only the six pam_sm_* entry points"
    else
        echo "not ok - pam module: exports '$got', wanted '$want'"
    fi
    if readelf -d "$MODULE" | grep NEEDED | grep -q librdsiam; then
        echo "not ok - pam module: needs librdsiam.so at run time"
    else
        echo "ok - pam module: librdsiam is linked in statically"
    fi
    pam_args_checks
else
    echo "ok - pam module # SKIP $MODULE not built (make emulator)"
fi

[ "$(id -u)" -eq 0 ] || skip_all "needs root for /etc/pam.d"
for t in "$TOKEN" "$USERS" "$MODULE"; do
    [ -x "$t" ] || [ -f "$t" ] || skip_all "$t not built (make tests)"
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 ||
    skip_all "PostgreSQL server not installed"
command -v psql >/dev/null || skip_all "psql not installed"

# Everything lives under one temporary directory; the trap stops whatever
# was started, whichever way the script ends.
WORK=$(mktemp -d /tmp/rdsiam-check-pg.XXXXXX)
chmod 755 "$WORK"
E1=$WORK/one
E2=$WORK/two
cleanup() {
    for d in "$E1" "$E2"; do
        [ -f "$d/emulator.conf" ] && sh "$EMU" stop "$d" >/dev/null 2>&1
    done
    rm -rf "$WORK"
    stage_cleanup
}
. tests/helpers/stage.sh # stage_install NAME [MAKE-ARGUMENT...], stage_pc DIR
trap cleanup EXIT
# A closed output pipe (| head) must not skip the cleanup either.
trap 'exit 1' INT TERM HUP PIPE

ok() { echo "ok - postgres emulator: $*"; }
notok() { echo "not ok - postgres emulator: $*"; }

# start DIR [OPTION...]: an emulator; clients find it through DIR/env.
start() {
    _d=$1
    shift
    if ! RDSIAM_BUILD=$ROOT/$B timeout 90 \
        sh "$EMU" start "$_d" --engine postgres "$@" >"$WORK/start.log" 2>&1; then
        sed 's/^/# /' "$WORK/start.log"
        return 1
    fi
}

if ! start "$E1"; then
    for c in $CASES; do notok "$c (the emulator did not start)"; done
    exit 1
fi
. "$E1/env"
LOG=$E1/postgres/run/server.log
CONN="host=$RDS_HOST port=$RDS_PORT user=$RDS_USER dbname=postgres"
CONN="$CONN sslmode=verify-full sslrootcert=$RDS_CA_BUNDLE connect_timeout=10"

# token [rdsiam-token options]: a token for the emulator, options overriding.
token() {
    "$TOKEN" --hostname "$RDS_HOST" --port "$RDS_PORT" \
        --username "$RDS_USER" "$@"
}

# login TOKEN [CONNINFO]: psql with the token as the password; prints what
# the server says about the session, or psql's error.
login() {
    PGPASSWORD=$1 timeout 20 psql -X -A -t -q "${2:-$CONN}" -c \
        "SELECT current_user || ' ssl=' || ssl FROM pg_stat_ssl
         WHERE pid = pg_backend_pid()" 2>&1
}

iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# refused NAME CODE TOKEN: the login fails with PostgreSQL's ordinary PAM
# failure, and the server log names the check that failed (error CODE).
refused() {
    name=$1
    code=$2
    tok=$3
    if [ -z "$tok" ]; then
        notok "$name (no token generated)"
        return
    fi
    before=$(wc -c <"$LOG")
    out=$(login "$tok")
    rc=$?
    reason=$(tail -c +"$((before + 1))" "$LOG" | grep 'pam_rdsiam: refused')
    want="PAM authentication failed for user \"$RDS_USER\""
    if [ $rc -ne 0 ] && echo "$out" | grep -qF "$want" &&
        echo "$reason" | grep -q "^pam_rdsiam: refused '$RDS_USER': .* (error $code)\$"; then
        ok "$name refused (error $code)"
    else
        notok "$name: psql exit $rc, said: $out; log: $reason"
    fi
}

# --- a token from rdsiam-token, stock psql, verified TLS ------------------
out=$(login "$(token)")
if [ "$out" = "$RDS_USER ssl=true" ]; then
    ok "psql-login: psql logs in as $RDS_USER over TLS"
else
    notok "psql-login: got '$out'"
fi

# --- rdsiam-pg-users: the login roles are the IAM user and the bootstrap
# superuser the engine's initdb creates (-U postgres), sorted. -------------
out=$(timeout 20 "$USERS" 2>&1)
rc=$?
want='{"users":["'$RDS_USER'","postgres"]}'
if [ $rc -eq 0 ] && [ "$out" = "$want" ]; then
    ok "pg-users: prints $out"
else
    notok "pg-users: exit $rc, printed '$out', wanted '$want'"
fi

out=$(AWS_SECRET_ACCESS_KEY=wrong-$AWS_SECRET_ACCESS_KEY timeout 20 "$USERS" 2>&1)
rc=$?
if [ $rc -ne 0 ] && printf '%s' "$out" | python3 -c '
import json, sys
o = json.load(sys.stdin)
assert sorted(o) == ["error", "stage"], o
assert o["stage"] == "connect", o
assert "PAM authentication failed" in o["error"], o' 2>/dev/null; then
    ok "pg-users-error: a refused login prints a JSON error and exits $rc"
else
    notok "pg-users-error: exit $rc, printed '$out'"
fi

# Built against a staged install with pkg-config alone, as its comment
# shows, it prints the same. The install is the run's staged one
# (tests/helpers/stage.sh), from a build of its own: installing from $B
# would rebuild it with other flags (under make check-asan, without the
# sanitizers) while other tests use it. Its rdsiam.pc, pointed at the
# stage, is read from $WORK/pc (stage_pc).
if stage_install werror WERROR=1 && stage=$STAGE && cp "$STAGE_LOG" "$WORK/pc.log" &&
    stage_pc "$WORK/pc" &&
    PKG_CONFIG_PATH=$WORK/pc sh -c 'cc -o "$1" examples/rdsiam-pg-users.c \
            $(pkg-config --cflags --libs rdsiam libpq json-c)' sh \
        "$WORK/pg-users" >>"$WORK/pc.log" 2>&1; then
    out=$(LD_LIBRARY_PATH=$stage/usr/lib timeout 20 "$WORK/pg-users" 2>&1)
    if [ "$out" = "$want" ] && readelf -d "$WORK/pg-users" | grep -q 'NEEDED.*librdsiam\.so'; then
        ok "pg-users-pkgconfig: built with pkg-config against the installed library, prints $out"
    else
        notok "pg-users-pkgconfig: printed '$out'"
    fi
else
    notok "pg-users-pkgconfig: build failed"
    sed 's/^/# /' "$WORK/pc.log" | tail -n 20
fi

# --- the logins RDS refuses ----------------------------------------------
now=$(date +%s)
refused wrong-secret -202 \
    "$(AWS_SECRET_ACCESS_KEY=x$AWS_SECRET_ACCESS_KEY token)"
refused unknown-key -201 "$(AWS_ACCESS_KEY_ID=AKIAUNKNOWNKEY0000000 token)"
refused other-user -207 "$(token --username someone_else)"
refused other-host -206 "$(token --hostname db.other.example)"
refused other-port -206 "$(token --port $((RDS_PORT == 65535 ? 1 : RDS_PORT + 1)))"
refused other-region -205 "$(token --region eu-west-3)"
# 16 minutes old: past X-Amz-Expires=900.
refused expired -208 "$(token --signing-time "$(iso $((now - 960)))")"
# 10 minutes ahead: past the 5 minutes of clock skew allowed.
refused future -209 "$(token --signing-time "$(iso $((now + 600)))")"
# The last hex digit of X-Amz-Signature changed.
t=$(token)
case $t in
*0) t=${t%?}1 ;;
*) t=${t%?}0 ;;
esac
refused tampered -202 "$t"
# A token for another user with DBUser rewritten to ours: the user check
# passes, the signature does not.
t=$(token --username jane_dox)
refused tampered-dbuser -202 "$(printf '%s' "$t" | sed "s/DBUser=jane_dox/DBUser=$RDS_USER/")"
# Cut short inside the signature.
t=$(token)
refused truncated -200 "${t%??????????}"

# A good token over a connection without TLS: pg_hba.conf refuses it before
# PAM is asked.
out=$(login "$(token)" "host=$RDS_HOST port=$RDS_PORT user=$RDS_USER dbname=postgres sslmode=disable connect_timeout=10")
rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -qF 'pg_hba.conf rejects connection' &&
    echo "$out" | grep -qF 'no encryption'; then
    ok "no-tls: a valid token without TLS is refused by pg_hba.conf"
else
    notok "no-tls: psql exit $rc, said: $out"
fi

# --- a second emulator, side by side, whose key is temporary credentials:
# its session token (STS tokens run 700-2000 bytes) makes tokens over 1 KB.
if start "$E2" --session-token; then
    two=$(. "$E2/env" && echo "$RDS_PORT")
    t2=$(. "$E2/env" && token --port "$two")
    t2plain=$(. "$E2/env" && unset AWS_SESSION_TOKEN && token --port "$two")
    conn2="host=$RDS_HOST port=$two user=$RDS_USER dbname=postgres"
    conn2="$conn2 sslmode=verify-full sslrootcert=$E2/tls/ca.pem connect_timeout=10"
    out=$(login "$t2" "$conn2")
    if [ ${#t2} -gt 1024 ] && [ "$out" = "$RDS_USER ssl=true" ]; then
        ok "session-token: a ${#t2}-byte token with a session token logs in"
    else
        notok "session-token: token of ${#t2} bytes, psql said: $out"
    fi
    LOG1=$LOG
    LOG=$E2/postgres/run/server.log
    CONN_SAVE=$CONN
    CONN=$conn2
    refused session-token-missing -210 "$t2plain"
    CONN=$CONN_SAVE
    LOG=$LOG1
    a=$(login "$(token)")
    c=$(login "$t2")
    d=$(login "$(token --port "$two")" "$conn2")
    if [ "$a" = "$RDS_USER ssl=true" ] &&
        echo "$c" | grep -qF 'PAM authentication failed' &&
        echo "$d" | grep -qF 'PAM authentication failed'; then
        ok "side-by-side: two emulators at once, each taking only its own keys"
    else
        notok "side-by-side: first '$a', second's token on first '$c', first's key on second '$d'"
    fi
    STOKEN=$(. "$E2/env" && echo "$AWS_SESSION_TOKEN")
    SSECRET=$(. "$E2/env" && echo "$AWS_SECRET_ACCESS_KEY")
else
    notok "session-token: the second emulator did not start"
    notok "session-token-missing: the second emulator did not start"
    notok "side-by-side: the second emulator did not start"
    STOKEN=unset
    SSECRET=unset
fi

# --- the server log explains refusals but holds no secret -----------------
leak=""
for s in "$AWS_SECRET_ACCESS_KEY" "$SSECRET" "$STOKEN" "X-Amz-Signature=" \
    "X-Amz-Credential="; do
    grep -qF -- "$s" "$LOG" "$E2/postgres/run/server.log" 2>/dev/null &&
        leak="$leak ${s%"${s#????}"}..."
done
if [ -z "$leak" ] && grep -q 'pam_rdsiam: refused' "$LOG"; then
    ok "log-has-no-secret: refusals logged without keys, session token or signature"
else
    notok "log-has-no-secret: found$leak"
fi

# --- without root the engine says why, and leaves nothing behind ---------
# The checkout may sit where nobody cannot read (a private home, a mode-700
# temporary folder): the user runs a world-readable copy of the emulator.
nb=$(mktemp -d /tmp/rdsiam-check-pg-nobody.XXXXXX)
chmod 755 "$nb"
mkdir "$nb/pub" && cp "$ROOT"/examples/rds-emulator/rds-emulator \
    "$ROOT"/examples/rds-emulator/*.sh "$nb/pub/" && chmod -R a+rX "$nb/pub"
mkdir "$nb/home" && chown nobody "$nb/home"
out=$(cd / && runuser -u nobody -- sh "$nb/pub/rds-emulator" start "$nb/home/emu" \
    --engine postgres 2>&1)
rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -qF 'needs root' &&
    echo "$out" | grep -qF '/etc/pam.d' && [ ! -e "$nb/home/emu" ]; then
    ok "not-root-refused: as an ordinary user the engine explains it needs root"
else
    notok "not-root-refused: exit $rc, said: $out"
fi
rm -rf "$nb"

# --- stop removes everything start made -----------------------------------
service=$(sed -n 's/^service=//p' "$E1/postgres/state")
sockdir=$(sed -n 's/^sockdir=//p' "$E1/postgres/state")
sh "$EMU" stop "$E1" >"$WORK/stop.log" 2>&1
rc=$?
out=$(login "$(token)")
if [ $rc -eq 0 ] && [ -n "$service" ] && [ ! -e "/etc/pam.d/$service" ] &&
    [ -n "$sockdir" ] && [ ! -e "$sockdir" ] && [ ! -e "$E1" ] &&
    echo "$out" | grep -qF 'Connection refused'; then
    ok "stop: server, PAM service file and socket directory are gone"
else
    notok "stop: exit $rc ($(cat "$WORK/stop.log")), service '$service', sockdir '$sockdir', psql: $out"
fi
