#!/bin/sh
# tests/check-emulator-mariadb.sh - end to end against the MariaDB RDS
# emulator: the stock `mariadb` client and rdsiam-mysql-users logging in
# with tokens from rdsiam-token over verified TLS, and the logins RDS
# refuses, each checked for the access-denied error AND for the reason the
# server logs (the messages are those of lib/verify.c).
#
# Two emulators run side by side: A with a long-term key, B with a key
# that requires a session token of realistic length (over 1 KB).
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
# The emulator runs this build's plugin (make check-asan: build/asan's).
RDSIAM_BUILD=${RDSIAM_BUILD:-$(pwd)/$B}
export RDSIAM_BUILD
EMU=examples/rds-emulator/rds-emulator
TOKEN_TOOL=$B/bin/rdsiam-token
USERS=$B/bin/rdsiam-mysql-users
PLUGIN=$B/rds-emulator/mariadb/auth_rdsiam.so

skip_all() { echo "ok - mariadb emulator # SKIP $*"; exit 0; }
CLIENT=$(command -v mariadb || command -v mysql) || skip_all "no mariadb client (install mariadb-client)"
command -v mariadb-install-db >/dev/null || skip_all "no mariadb-install-db (install mariadb-server)"
for f in "$TOKEN_TOOL" "$USERS" "$PLUGIN"; do
    [ -f "$f" ] || { echo "not ok - $f is missing (make tests builds it)"; exit 1; }
done

unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION \
    AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION MYSQL_PWD
export AWS_EC2_METADATA_DISABLED=true

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-emu-mariadb.XXXXXX") || exit 1
chmod 755 "$tmp"
A=$tmp/a
Bdir=$tmp/b
cleanup() {
    for d in "$A" "$Bdir" "$tmp/nobody/emu"; do
        [ -f "$d/emulator.conf" ] && sh "$EMU" stop "$d" >/dev/null 2>&1
    done
    rm -rf "$tmp"
    stage_cleanup
}
. tests/helpers/stage.sh # stage_install NAME [MAKE-ARGUMENT...], stage_pc DIR
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
diag() { sed 's/^/#   /' "$@" | head -n 20; }

# Start both emulators; without them nothing else can run.
if ! EMU_QUIET=1 sh "$EMU" start "$A" --engine mariadb >"$tmp/start-a.log" 2>&1; then
    notok "start emulator A"; diag "$tmp/start-a.log"; exit 1
fi
ok "start emulator A (long-term key)"
if ! EMU_QUIET=1 sh "$EMU" start "$Bdir" --engine mariadb --session-token >"$tmp/start-b.log" 2>&1; then
    notok "start emulator B"; diag "$tmp/start-b.log"; exit 1
fi
ok "start emulator B (key with a session token)"

# token DIR [rdsiam-token options...]: a token for DIR's server with DIR's
# keys (options override host, port, user, region, signing time).
token() {
    (
        . "$1/env"
        shift
        "$TOKEN_TOOL" --hostname "$RDS_HOST" --port "$RDS_PORT" \
            --username "$RDS_USER" "$@"
    )
}

# token_as DIR NAME VALUE: the same, with one AWS_* variable changed
# (VALUE empty: unset).
token_as() {
    (
        . "$1/env"
        if [ -n "$3" ]; then export "$2=$3"; else unset "$2"; fi
        "$TOKEN_TOOL" --hostname "$RDS_HOST" --port "$RDS_PORT" \
            --username "$RDS_USER"
    )
}

# login DIR TOKEN [tls|plain]: run the stock client as DIR's user, over
# verified TLS (default) or without TLS; stdout in $tmp/out, stderr in
# $tmp/err. The token goes through MYSQL_PWD, not the command line, where
# other users could read it.
login() {
    _d=$1
    _t=$2
    _mode=${3:-tls}
    (
        . "$_d/env"
        if [ "$_mode" = tls ]; then
            set -- --ssl --ssl-ca="$RDS_CA_BUNDLE" --ssl-verify-server-cert
        else
            set -- --skip-ssl
        fi
        # --enable-cleartext-plugin: MySQL's client needs it; MariaDB's
        # always allows mysql_clear_password and calls the option obsolete.
        MYSQL_PWD=$_t timeout 30 "$CLIENT" --no-defaults --protocol=tcp \
            -h "$RDS_HOST" -P "$RDS_PORT" -u "$RDS_USER" "$@" \
            --enable-cleartext-plugin --batch --skip-column-names \
            -e "SELECT CURRENT_USER(); SHOW SESSION STATUS LIKE 'Ssl_version'"
    ) >"$tmp/out.raw" 2>"$tmp/err"
    _rc=$?
    # (MariaDB's client prints that obsolescence warning on stdout.)
    grep -v "^WARNING: option '--enable-cleartext-plugin' is obsolete" \
        "$tmp/out.raw" >"$tmp/out"
    return $_rc
}

# The last reason AWSAuthenticationPlugin logged in DIR.
last_reason() {
    grep 'AWSAuthenticationPlugin: access denied' "$1/mariadb/error.log" |
        tail -n 1 | sed 's/.*AWSAuthenticationPlugin: //'
}

# refused NAME DIR TOKEN REASON [tls|plain]: the login fails with access
# denied (1045) and the server logs REASON (a fixed string; "" when the
# server, not the plugin, refuses).
refused() {
    _name=$1
    _d=$2
    _t=$3
    _why=$4
    shift 4
    _before=$(grep -c 'AWSAuthenticationPlugin: access denied' "$_d/mariadb/error.log")
    if login "$_d" "$_t" "$@"; then
        notok "$_name: login was accepted"; diag "$tmp/out" "$tmp/err"; return
    fi
    if ! grep -q "ERROR 1045 (28000): Access denied for user '$(. "$_d/env"; echo "$RDS_USER")'" "$tmp/err"; then
        notok "$_name: not an access-denied error"; diag "$tmp/err"; return
    fi
    if [ -n "$_why" ]; then
        _after=$(grep -c 'AWSAuthenticationPlugin: access denied' "$_d/mariadb/error.log")
        _r=$(last_reason "$_d")
        case $_r in
        *"$_why"*) [ "$_after" -gt "$_before" ] && { ok "$_name: refused ($_why)"; return; } ;;
        esac
        notok "$_name: server log reason is '$_r', expected '$_why'"
        return
    fi
    ok "$_name: refused"
}

. "$A/env"
A_PORT=$RDS_PORT
A_USER=$RDS_USER

# --- accepted logins --------------------------------------------------------
ta=$(token "$A")
if login "$A" "$ta" && [ "$(head -n 1 "$tmp/out")" = "$A_USER@%" ] &&
    grep -q '^Ssl_version	TLSv1\.[23]$' "$tmp/out"; then
    ok "mariadb client logs in with an rdsiam-token token over verified TLS"
else
    notok "mariadb client logs in with an rdsiam-token token over verified TLS"; diag "$tmp/out" "$tmp/err"
fi

# The same token again: RDS accepts a token for any number of new
# connections during its 15 minutes.
if login "$A" "$ta"; then ok "the same token opens a second connection"; else
    notok "the same token opens a second connection"; diag "$tmp/out" "$tmp/err"; fi

# As on RDS, mysql.plugin lists the plugin (checked by the administrator,
# the invoking OS user over the emulator's socket).
(
    . "$A/emulator.conf"
    timeout 30 "$CLIENT" --no-defaults --socket="$EMU_MARIADB_SOCKET" -u "$(id -un)" \
        --batch --skip-column-names -e "SELECT name, dl FROM mysql.plugin;
            SELECT user FROM mysql.user ORDER BY user;
            SELECT COUNT(*) FROM mysql.user WHERE user = ''"
) >"$tmp/admin" 2>&1
if [ "$(head -n 1 "$tmp/admin")" = "AWSAuthenticationPlugin	auth_rdsiam.so" ] &&
    [ "$(tail -n 1 "$tmp/admin")" = 0 ]; then
    ok "mysql.plugin lists AWSAuthenticationPlugin; no anonymous accounts"
else
    notok "mysql.plugin lists AWSAuthenticationPlugin; no anonymous accounts"; diag "$tmp/admin"
fi

# rdsiam-mysql-users prints every account the administrator sees, as JSON.
expect=$(sed -n '2,$p' "$tmp/admin" | sed '$d' |
    awk 'BEGIN { printf "{\"users\":[" } { printf "%s\"%s\"", (NR > 1 ? "," : ""), $0 } END { print "]}" }')
if out=$(. "$A/env" && timeout 30 "$USERS" 2>&1) && [ "$out" = "$expect" ]; then
    case $out in
    *"\"$A_USER\""*) ok "rdsiam-mysql-users prints $out" ;;
    *) notok "rdsiam-mysql-users: $A_USER missing from $out" ;;
    esac
else
    notok "rdsiam-mysql-users prints the users as JSON"
    echo "#   got:      $out"
    echo "#   expected: $expect"
fi

# Its errors are JSON too, with a non-zero status.
if out=$(. "$A/env" && RDS_PORT=0 timeout 30 "$USERS" 2>&1); then
    notok "rdsiam-mysql-users with RDS_PORT=0 succeeded"
else
    [ "$out" = '{"error":"RDS_PORT is not a port number (1-65535)","stage":"config"}' ] &&
        ok "rdsiam-mysql-users reports a bad setting as a JSON error" ||
        notok "rdsiam-mysql-users bad setting: $out"
fi

# No credentials anywhere (environment cleared, empty HOME): a JSON error
# from the token stage, before any connection.
mkdir -p "$tmp/home"
out=$(. "$A/env" && unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY &&
    HOME=$tmp/home timeout 30 "$USERS" 2>&1)
rc=$?
case $rc:$out in
1:'{"error":"'*'","stage":"token"}') ok "rdsiam-mysql-users without credentials: JSON error from the token stage" ;;
*) notok "rdsiam-mysql-users without credentials: status $rc, output $out" ;;
esac

# The example as a user builds it: against the installed library (the
# run's staged install, tests/helpers/stage.sh), with nothing but
# pkg-config (the command in its header comment).
stage_install werror WERROR=1
L=$STAGE/usr/lib
(
    cat "$STAGE_LOG" && stage_pc "$tmp/pc" &&
        PKG_CONFIG_PATH=$tmp/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} &&
        export PKG_CONFIG_PATH &&
        ${CC:-cc} -o "$tmp/users-installed" examples/rdsiam-mysql-users.c \
            $(pkg-config --cflags --libs rdsiam libmariadb json-c)
) >"$tmp/inst.log" 2>&1
if [ -x "$tmp/users-installed" ] &&
    out=$(. "$A/env" && LD_LIBRARY_PATH=$L timeout 30 "$tmp/users-installed" 2>&1) &&
    [ "$out" = "$expect" ] && LD_LIBRARY_PATH=$L ldd "$tmp/users-installed" | grep -q "$L/librdsiam.so"; then
    ok "rdsiam-mysql-users built with pkg-config against the installed library logs in"
else
    notok "rdsiam-mysql-users built with pkg-config against the installed library logs in"
    diag "$tmp/inst.log"; echo "#   $out"
fi

# --- what RDS refuses -------------------------------------------------------
now=$(date -u +%s)
stamp() { date -u -d "@$1" +%Y%m%dT%H%M%SZ; }

secret=$(. "$A/env"; echo "$AWS_SECRET_ACCESS_KEY")
case $secret in *x) other=${secret%?}y ;; *) other=${secret%?}x ;; esac
wrong=$(token_as "$A" AWS_SECRET_ACCESS_KEY "$other")
refused "token signed with the wrong secret" "$A" "$wrong" "signature does not match"

refused "token signed with another access key" "$A" \
    "$(token_as "$A" AWS_ACCESS_KEY_ID AKIAEXAMPLEOTHERKEY1)" \
    "no key in the key store has the token's access key id"

refused "token for another user" "$A" "$(token "$A" --username john_doe)" \
    "token DBUser is not the login user"

refused "token for another host (localhost for 127.0.0.1)" "$A" \
    "$(token "$A" --hostname localhost)" "token is for another host than 127.0.0.1"

refused "token for another port" "$A" "$(token "$A" --port $((A_PORT + 1)))" \
    "token is for another port than $A_PORT"

refused "token for another region" "$A" "$(token "$A" --region eu-west-1)" \
    "token is for another region than us-east-1"

refused "expired token (signed 16 minutes ago)" "$A" \
    "$(token "$A" --signing-time "$(stamp $((now - 960)))")" "token expired"

refused "token from the future (10 minutes ahead)" "$A" \
    "$(token "$A" --signing-time "$(stamp $((now + 600)))")" "token is dated"

t=$(token "$A")
last=$(printf '%s' "$t" | tail -c 1)
[ "$last" = 0 ] && flip=1 || flip=0
refused "tampered signature" "$A" "${t%?}$flip" "signature does not match"

refused "token with a tampered DBUser" "$A" \
    "$(printf '%s' "$t" | sed 's/DBUser=jane_doe/DBUser=jane_dof/')" \
    "token DBUser is not the login user"

refused "truncated token" "$A" "${t%????????}" "X-Amz-Signature is not 64 hex digits"

# Over a connection without TLS the account's REQUIRE SSL refuses the
# login, while the same (valid) token works over TLS right after.
t=$(token "$A")
refused "valid token over a connection without TLS" "$A" "$t" "" plain
if login "$A" "$t"; then ok "the same token over TLS is accepted"; else
    notok "the same token over TLS is accepted"; diag "$tmp/out" "$tmp/err"; fi

# --- a user name with control characters is logged escaped -----------------
# The plugin logs the login user name, which the client chooses: an ESC
# sequence or a newline in it must not reach the log raw (issue 11 item 5).
# (mariadbd's own "[Warning] Access denied for user" line prints the name
# raw; that line is the server's, so only the plugin's lines are checked.)
esc_user=$(printf 'evil\033]0;T\007\nX')
esc_sql="EXECUTE IMMEDIATE CONCAT('CREATE USER ''evil', CHAR(27), ']0;T', CHAR(7), CHAR(10), 'X''@''%'' IDENTIFIED WITH AWSAuthenticationPlugin AS ''RDS''')"
if (. "$A/env"; timeout 30 "$CLIENT" --defaults-file="$A/mariadb/my.cnf" \
        --socket="$A/mariadb/run/mariadb.sock" --user="$(id -un)" --batch \
        -e "$esc_sql") >"$tmp/esc.out" 2>&1; then
    (. "$A/env"; MYSQL_PWD=not-a-token timeout 30 "$CLIENT" --no-defaults \
        --protocol=tcp -h "$RDS_HOST" -P "$RDS_PORT" -u "$esc_user" --ssl \
        --ssl-ca="$RDS_CA_BUNDLE" --ssl-verify-server-cert \
        --enable-cleartext-plugin -e "SELECT 1") >/dev/null 2>&1
    if grep -qF "access denied for 'evil\\x1B]0;T\\x07\\x0AX'" "$A/mariadb/error.log" &&
        ! grep -a AWSAuthenticationPlugin "$A/mariadb/error.log" |
            grep -q "$(printf '\033')"; then
        ok "a user name with ESC, BEL and a newline is logged escaped"
    else
        notok "a user name with ESC, BEL and a newline is logged escaped"
        grep -a AWSAuthenticationPlugin "$A/mariadb/error.log" | tail -n 3 |
            cat -v | sed 's/^/#   /'
    fi
else
    notok "create a user whose name has control characters"; diag "$tmp/esc.out"
fi

# --- session tokens, and two emulators side by side -------------------------
. "$Bdir/env"
B_PORT=$RDS_PORT
if [ "${#AWS_SESSION_TOKEN}" -gt 1024 ]; then
    ok "emulator B's session token is ${#AWS_SESSION_TOKEN} bytes"
else
    notok "emulator B's session token is only ${#AWS_SESSION_TOKEN} bytes"
fi
tb=$(token "$Bdir")
if login "$Bdir" "$tb" && [ "$(head -n 1 "$tmp/out")" = "$RDS_USER@%" ]; then
    ok "a token carrying a ${#AWS_SESSION_TOKEN}-byte session token (${#tb}-byte token) logs in intact"
else
    notok "a token carrying a long session token logs in"; diag "$tmp/out" "$tmp/err"
fi
if out=$(. "$Bdir/env" && timeout 30 "$USERS" 2>&1) && case $out in *"\"$RDS_USER\""*) true ;; *) false ;; esac; then
    ok "rdsiam-mysql-users logs in with a session token"
else
    notok "rdsiam-mysql-users logs in with a session token: $out"
fi
refused "session token not the key's" "$Bdir" \
    "$(token_as "$Bdir" AWS_SESSION_TOKEN "${AWS_SESSION_TOKEN%????}AAAA")" \
    "the session token is not the key's"
refused "session token missing" "$Bdir" \
    "$(token_as "$Bdir" AWS_SESSION_TOKEN "")" \
    "the key requires a session token"

if [ "$A_PORT" != "$B_PORT" ]; then
    refused "emulator B refuses emulator A's token" "$Bdir" "$(token "$A")" \
        "token is for another port than $B_PORT"
    ta=$(token "$A")
    if login "$A" "$ta"; then ok "emulator A still accepts its own token beside B"; else
        notok "emulator A still accepts its own token beside B"; diag "$tmp/out" "$tmp/err"; fi
else
    notok "emulators A and B got the same port"
fi

# --- stop -------------------------------------------------------------------
pid=$(cat "$A/mariadb/run/mariadb.pid" 2>/dev/null)
if sh "$EMU" stop "$A" >"$tmp/stop.log" 2>&1 && [ ! -e "$A" ] &&
    [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
    ok "stop: the server is gone and the directory removed"
else
    notok "stop: the server is gone and the directory removed"; diag "$tmp/stop.log"
fi
if login "$Bdir" "$(token "$Bdir")"; then ok "emulator B still serves after A stopped"; else
    notok "emulator B still serves after A stopped"; diag "$tmp/out" "$tmp/err"; fi
sh "$EMU" stop "$Bdir" >/dev/null 2>&1

# --- as an unprivileged user -------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    mkdir -p "$tmp/nobody" && chown nobody "$tmp/nobody"
    ng=$(id -g nobody)
    # The checkout may sit where nobody cannot read (a private home, a
    # mode-700 temporary folder): the user runs a world-readable copy of the
    # emulator and of the plugin, as it would an installed one.
    pub=$tmp/pub
    mkdir -p "$pub/rds-emulator" "$pub/build/rds-emulator/mariadb" &&
        cp examples/rds-emulator/rds-emulator examples/rds-emulator/*.sh "$pub/rds-emulator/" &&
        cp "$PLUGIN" "$pub/build/rds-emulator/mariadb/" &&
        chmod -R a+rX "$pub"
    if setpriv --reuid=nobody --regid="$ng" --clear-groups env HOME="$tmp/nobody" \
        EMU_QUIET=1 RDSIAM_BUILD="$pub/build" sh "$pub/rds-emulator/rds-emulator" \
        start "$tmp/nobody/emu" >"$tmp/nobody.log" 2>&1 &&
        login "$tmp/nobody/emu" "$(token "$tmp/nobody/emu")" &&
        setpriv --reuid=nobody --regid="$ng" --clear-groups env HOME="$tmp/nobody" \
            sh "$pub/rds-emulator/rds-emulator" stop "$tmp/nobody/emu" \
            >>"$tmp/nobody.log" 2>&1 &&
        [ ! -e "$tmp/nobody/emu" ]; then
        ok "an unprivileged user (nobody) starts, uses and stops an emulator"
    else
        notok "an unprivileged user (nobody) starts, uses and stops an emulator"
        diag "$tmp/nobody.log"; diag "$tmp/out" "$tmp/err"
    fi
else
    ok "unprivileged user # SKIP not root, or no setpriv or nobody"
fi
