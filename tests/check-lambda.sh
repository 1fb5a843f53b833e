#!/bin/sh
# tests/check-lambda.sh - the Lambda function (examples/lambda/) end to end:
# its package unzipped as Lambda lays it out (/var/task with lib/ on the
# library path), run against a stand-in for the Lambda Runtime API
# (tests/helpers/lambda_runtime_api.py) and the MariaDB RDS emulator with
# a temporary key and session token, as Lambda's role gives.
#
# Every response is compared whole. Expected values: the proxy response is
# the shape API Gateway's Lambda proxy integration requires (statusCode,
# headers, body as a string); the user list is what the emulator's
# administrator reads from mysql.user; error bodies are the Runtime API's
# {"errorMessage", "errorType"} with the messages of handler.c and of
# MariaDB Connector/C (errmsg.c, "Can't connect to server on '%s' (%d)").
#
# Prints TAP-style lines. Run from the repository root (tests/run-tests.sh).
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
# The emulator runs this build's plugin (make check-asan: build/asan's).
RDSIAM_BUILD=${RDSIAM_BUILD:-$(pwd)/$B}
export RDSIAM_BUILD
EMU=examples/rds-emulator/rds-emulator
BOOT=$B/lambda/bootstrap
API=tests/helpers/lambda_runtime_api.py
PLUGIN=$B/rds-emulator/mariadb/auth_rdsiam.so

skip_all() { echo "ok - lambda function # SKIP $*"; exit 0; }
CLIENT=$(command -v mariadb || command -v mysql) || skip_all "no mariadb client (install mariadb-client)"
command -v mariadb-install-db >/dev/null || skip_all "no mariadb-install-db (install mariadb-server)"
command -v zip >/dev/null || skip_all "no zip (install zip)"
for f in "$BOOT" "$PLUGIN"; do
    [ -f "$f" ] || { echo "not ok - $f is missing (make tests builds it)"; exit 1; }
done

unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION \
    AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION RDS_HOST RDS_PORT \
    RDS_USER RDS_CA_BUNDLE LAMBDA_TASK_ROOT
export AWS_EC2_METADATA_DISABLED=true

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-lambda.XXXXXX") || exit 1
chmod 755 "$tmp"
E=$tmp/emu
pids=""
cleanup() {
    [ -f "$E/mariadb/run/mariadb.pid" ] && kill -CONT "$(cat "$E/mariadb/run/mariadb.pid")" 2>/dev/null
    for p in $pids; do kill "$p" 2>/dev/null; done
    exec 3>&- 4>&- 6>&- 2>/dev/null
    [ -f "$E/emulator.conf" ] && sh "$EMU" stop "$E" >/dev/null 2>&1
    rm -rf "$tmp"
    stage_cleanup
}
. tests/helpers/stage.sh # stage_install NAME [MAKE-ARGUMENT...], stage_pc DIR
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
diag() { sed 's/^/#   /' "$@" | head -n 20; }

# start_api FD NAME: a Runtime API stand-in serving until FD closes; its
# port in $tmp/NAME.port.
start_api() {
    mkfifo "$tmp/$2.ctl"
    python3 "$API" serve <"$tmp/$2.ctl" >"$tmp/$2.port" 2>"$tmp/$2.err" &
    pids="$pids $!"
    eval "exec $1>\"$tmp/$2.ctl\""
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        [ -s "$tmp/$2.port" ] && return 0
        sleep 0.2
    done
    return 1
}

# invoke NAME [TIMEOUT_MS]: queue one invocation and print
# "KIND<TAB>ERROR_TYPE<TAB>BODY" for its answer.
invoke() {
    python3 "$API" invoke "$(cat "$tmp/$1.port")" "${2:-20000}" | tee -a "$tmp/answers"
}

# check NAME GOT EXPECTED
check() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        notok "$1"; echo "#   got:      $2"; echo "#   expected: $3"; fi
}

admin() {
    (. "$E/emulator.conf" && timeout 30 "$CLIENT" --no-defaults \
        --socket="$EMU_MARIADB_SOCKET" -u "$(id -un)" --batch --skip-column-names -e "$1")
}

if ! EMU_QUIET=1 sh "$EMU" start "$E" --engine mariadb --session-token >"$tmp/start.log" 2>&1; then
    notok "start the emulator"; diag "$tmp/start.log"; exit 1
fi
ok "start the emulator (temporary key with a session token)"
. "$E/env"
SECRET=$AWS_SECRET_ACCESS_KEY
SESSION=$AWS_SESSION_TOKEN

# --- the package --------------------------------------------------------------
TASK=$tmp/task
if sh examples/lambda/package.sh "$tmp/zip/function.zip" "$BOOT" "$RDS_CA_BUNDLE" >"$tmp/pkg.log" 2>&1 &&
    mkdir -p "$TASK" && (cd "$TASK" && unzip -q "$tmp/zip/function.zip"); then
    ok "package.sh builds the zip: $(tail -n 1 "$tmp/pkg.log")"
else
    notok "package.sh builds the zip"; diag "$tmp/pkg.log"
fi
layout=$(python3 - "$tmp/zip/function.zip" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in z.infolist()}
print(oct(modes.get("bootstrap", 0)), oct(modes.get("global-bundle.pem", 0)),
      "lib/libmariadb.so.3" in modes, "lib/libjson-c.so.5" in modes,
      "lib/libc.so.6" in modes, "lib/libcrypto.so.3" in modes,
      "lib/libexpat.so.1" in modes)
EOF
)
# bootstrap runnable at the root, the CA beside it, the MariaDB client and
# json-c shipped, glibc and OpenSSL left to the runtime (al2023-libs.txt),
# and no expat: the function's library is built with HTTP=no
# (examples/lambda.mk), and Debian 12's libexpat needs glibc 2.36.
check "zip: bootstrap 0755 at the root, CA bundle, lib/ has what the runtime lacks, no expat" \
    "$layout" "0o755 0o644 True True False False False"

# --- the function, warm and cold ------------------------------------------------
start_api 3 a || { notok "start the Runtime API stand-in"; exit 1; }
ok "start the Runtime API stand-in"
# As Lambda runs it: from the task root, lib/ on the library path, the CA
# bundle found by its default name (RDS_CA_BUNDLE unset), credentials and
# region in the environment, no profile files.
mkdir -p "$tmp/home"
(
    cd "$TASK" && unset RDS_CA_BUNDLE && export LAMBDA_TASK_ROOT="$TASK" \
        LD_LIBRARY_PATH="$TASK/lib" HOME="$tmp/home" \
        AWS_LAMBDA_RUNTIME_API="127.0.0.1:$(cat "$tmp/a.port")" &&
        exec ./bootstrap
) 2>"$tmp/a.log" &
boot_a=$!
pids="$pids $boot_a"

users=$(admin "SELECT user FROM mysql.user ORDER BY user" |
    awk '{ printf "%s\\\"%s\\\"", (NR > 1 ? "," : ""), $0 }')
OKRESP="response	None	{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\"},\"body\":\"{\\\"users\\\":[$users]}\"}"
case $users in *jane_doe*) ;; *) notok "admin user list lacks jane_doe: $users" ;; esac

check "first invocation: the proxy response with the user list" "$(invoke a)" "$OKRESP"
conn1=$(admin "SELECT id FROM information_schema.processlist WHERE user = '$RDS_USER'")
check "second invocation: the same response" "$(invoke a)" "$OKRESP"
conn2=$(admin "SELECT id FROM information_schema.processlist WHERE user = '$RDS_USER'")
if [ -n "$conn1" ] && [ "$conn1" = "$conn2" ]; then
    ok "warm invocations reuse one connection (id $conn1)"
else
    notok "warm invocations reuse one connection: ids '$conn1' then '$conn2'"
fi

# The server closes the connection: the warm query finds it gone (over TLS
# Connector/C reports "TLS/SSL error: unexpected eof while reading"), and
# a new login with a fresh token runs it again within the same invocation.
# (Before, a ping ahead of every warm query found it; the query itself now
# does, and the log line is the same.)
admin "KILL $conn2" >/dev/null 2>&1
check "after the server closed the connection: the same response" "$(invoke a)" "$OKRESP"
conn3=$(admin "SELECT id FROM information_schema.processlist WHERE user = '$RDS_USER'")
if [ -n "$conn3" ] && [ "$conn3" != "$conn2" ] &&
    grep -q "^bootstrap: reconnecting: TLS/SSL error: unexpected eof while reading$" "$tmp/a.log"; then
    ok "reconnected with a new login (id $conn3) after the query found the connection closed"
else
    notok "reconnected after the query found the connection closed: ids '$conn2' then '$conn3'"; diag "$tmp/a.log"
fi

# A failure that a new connection would repeat is reported, not retried:
# without the privilege the query is refused (MariaDB's
# ER_TABLEACCESS_DENIED_ERROR text, naming the client as the server saw
# it, 127.0.0.1; a table privilege change applies to open connections at
# their next statement), and no new login is tried.
admin "REVOKE SELECT ON mysql.user FROM $RDS_USER" >/dev/null 2>&1
check "query refused: an invocation error, not retried" "$(invoke a)" \
    "error	Handler.Query	{\"errorMessage\":\"SELECT command denied to user '$RDS_USER'@'127.0.0.1' for table \`mysql\`.\`user\`\",\"errorType\":\"Handler.Query\"}"
admin "GRANT SELECT ON mysql.user TO $RDS_USER" >/dev/null 2>&1
check "privilege back: the next invocation is served" "$(invoke a)" "$OKRESP"
if [ "$(grep -c '^bootstrap: reconnecting: ' "$tmp/a.log")" = 1 ]; then
    ok "a refused query is not retried (one reconnection logged so far)"
else
    notok "a refused query is not retried"; diag "$tmp/a.log"
fi

# The database stops answering (SIGSTOP): with 4 s left the handler's
# timeouts are 1 s, also on the kept connection (handler.c, db_rearm()):
# the warm query times out after 1 s, the new login's handshake after
# another, and the invocation fails through /invocation/ID/error within
# its deadline; the next one, with the server back, succeeds.
dbpid=$(cat "$E/mariadb/run/mariadb.pid")
kill -STOP "$dbpid"
got=$(invoke a 4000)
kill -CONT "$dbpid"
check "database not answering: an invocation error" "$got" \
    "error	Handler.Connect	{\"errorMessage\":\"Lost connection to server at 'handshake: reading initial communication packet', system error: 110\",\"errorType\":\"Handler.Connect\"}"
check "database back: the next invocation is served" "$(invoke a)" "$OKRESP"
check "too little time left: refused before connecting" "$(invoke a 1000 | sed 's/only [0-9]* ms/only N ms/')" \
    "error	Handler.Deadline	{\"errorMessage\":\"only N ms left before the deadline\",\"errorType\":\"Handler.Deadline\"}"
if kill -0 "$boot_a" 2>/dev/null; then ok "bootstrap still running after the failed invocations"; else
    notok "bootstrap still running after the failed invocations"; diag "$tmp/a.log"; fi

# --- an unreachable database: a port where nothing listens ----------------------
# (Connector/C 3.3 connects without blocking and reports the errno of that
# connect() call, EINPROGRESS (115), rather than the refusal.)
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_api 4 b || { notok "start a second Runtime API stand-in"; exit 1; }
RDS_PORT=$closed HOME=$tmp/home AWS_LAMBDA_RUNTIME_API="127.0.0.1:$(cat "$tmp/b.port")" \
    "$BOOT" 2>"$tmp/b.log" &
pids="$pids $!"
REFUSED="error	Handler.Connect	{\"errorMessage\":\"Can't connect to server on '127.0.0.1' (115)\",\"errorType\":\"Handler.Connect\"}"
check "unreachable database: an invocation error" "$(invoke b)" "$REFUSED"
check "unreachable database: the next invocation is still served" "$(invoke b)" "$REFUSED"

# --- request ids the bootstrap refuses ------------------------------------------
# The id goes into the answer's URL (/invocation/ID/response): only a UUID
# is one (runtime.h). ".." once made the bootstrap POST to
# /2018-06-01/runtime/error (libcurl folds the dot segments). A refused id
# cannot be answered: the bootstrap says so and exits 1, having sent
# nothing (the stand-in records any POST it did not expect as a fault;
# the invocation is queued without waiting for an answer, and the check
# waits for the bootstrap's exit instead).
REFUSED_LOG="bootstrap: invocation/next without a deadline or exactly one request id that is a UUID (1 given); it cannot be answered, so the bootstrap exits"
n=0
for bad_id in ".." "../../init" "8476a536-e9f4-11e8-9739-2dfe598c3fcd/.." \
    "8476a536-e9f4-11e8-9739-2dfe598c3fc" "8476a536%2de9f4-11e8-9739-2dfe598c3fcd"; do
    n=$((n + 1))
    start_api 6 "d$n" || { notok "request id '$bad_id': start the stand-in"; continue; }
    HOME=$tmp/home AWS_LAMBDA_RUNTIME_API="127.0.0.1:$(cat "$tmp/d$n.port")" \
        timeout 30 "$BOOT" 2>"$tmp/d$n.log" &
    boot_d=$!
    got=$(python3 "$API" invoke "$(cat "$tmp/d$n.port")" 20000 "$bad_id" 0 |
        head -n 1 | cut -f 1)
    wait "$boot_d"
    rc=$?
    faults=$(python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode(), end="")' \
        "http://127.0.0.1:$(cat "$tmp/d$n.port")/_faults")
    exec 6>&-
    if [ "$got:$rc:$faults" = "timeout:1:" ] && [ "$(cat "$tmp/d$n.log")" = "$REFUSED_LOG" ]; then
        ok "request id '$bad_id' refused: logged, exit status 1, nothing posted"
    else
        notok "request id '$bad_id' refused (answer $got, exit $rc, faults '$faults')"; diag "$tmp/d$n.log"
    fi
done

# --- configuration errors: /runtime/init/error and exit 1 ------------------------
# init_case NAME EXPECTED-MESSAGE VAR=VALUE... (VAR= unsets VAR). A message
# ending in "..." is a prefix: the rest names paths of this run.
init_case() {
    _name=$1
    _want=$2
    shift 2
    rm -f "$tmp/c.ctl" "$tmp/c.port"
    start_api 5 c || { notok "$_name: start the stand-in"; return; }
    (
        for kv in "$@"; do
            case $kv in *=) unset "${kv%=}" ;; *) export "$kv" ;; esac
        done
        HOME=$tmp/home AWS_LAMBDA_RUNTIME_API="127.0.0.1:$(cat "$tmp/c.port")" \
            timeout 20 "$BOOT"
    ) 2>>"$tmp/c.log"
    _rc=$?
    _got=$(python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
        "http://127.0.0.1:$(cat "$tmp/c.port")/_init_error" 2>&1 | tail -n 1)
    exec 5>&-
    case $_want in
    *...)
        case $_rc:$_got in
        "1:{\"errorMessage\":\"${_want%...}"*'","errorType":"Runtime.Config"}') ok "$_name: init error, exit status 1" ;;
        *) notok "$_name: init error, exit status 1"; echo "#   got: $_rc $_got" ;;
        esac ;;
    *) check "$_name: init error, exit status 1" "$_rc $_got" \
        "1 {\"errorMessage\":\"$_want\",\"errorType\":\"Runtime.Config\"}" ;;
    esac
}
init_case "RDS_HOST unset" "RDS_HOST is not set" RDS_HOST=
init_case "RDS_USER unset" "RDS_USER is not set" RDS_USER=
init_case "AWS_REGION unset" "AWS_REGION is not set" AWS_REGION=
init_case "RDS_PORT=0" "RDS_PORT is not a port number (1-65535)" RDS_PORT=0
init_case "RDS_CA_BUNDLE missing" "RDS_CA_BUNDLE $tmp/none.pem: No such file or directory" \
    RDS_CA_BUNDLE="$tmp/none.pem"
# The library's messages (lib/chain.c, lib/validate.c). The function's
# library is built with HTTP=no: the network sources say "not built in".
init_case "no credentials" "token: no credentials found; looked in: environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); assume role, web identity, sso (not built in); shared credentials file (profile default not found in..." \
    AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_SESSION_TOKEN=
init_case "bad region" "token: region has a character outside [a-z0-9-] at offset 0" \
    AWS_REGION='US EAST'

# --- built as a user builds it --------------------------------------------------
# Against the installed library, with nothing but pkg-config (the command
# in bootstrap.c's header comment); it must run and link the shared
# librdsiam (checked on the init path: RDS_HOST unset). The install is
# the run's staged one (tests/helpers/stage.sh).
stage_install werror WERROR=1
L=$STAGE/usr/lib
(
    cat "$STAGE_LOG" && stage_pc "$tmp/pc" &&
        PKG_CONFIG_PATH=$tmp/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} &&
        export PKG_CONFIG_PATH &&
        ${CC:-cc} -o "$tmp/bootstrap-installed" examples/lambda/*.c \
            $(pkg-config --cflags --libs rdsiam libmariadb libcurl json-c)
) >"$tmp/inst.log" 2>&1
if [ -x "$tmp/bootstrap-installed" ] &&
    LD_LIBRARY_PATH=$L ldd "$tmp/bootstrap-installed" | grep -q "$L/librdsiam.so"; then
    BOOT=$tmp/bootstrap-installed
    export LD_LIBRARY_PATH="$L"
    init_case "built with pkg-config against the installed library, RDS_HOST unset" \
        "RDS_HOST is not set" RDS_HOST=
    unset LD_LIBRARY_PATH
else
    notok "bootstrap builds with pkg-config against the installed library"; diag "$tmp/inst.log"
fi

# --- no secret anywhere -------------------------------------------------------
leaks=""
for f in "$tmp/answers" "$tmp"/*.log; do
    [ -f "$f" ] || continue
    if grep -qF -e "$SECRET" -e "$SESSION" -e "X-Amz-Signature" -e "Action=connect" "$f"; then
        leaks="$leaks $(basename "$f")"
    fi
done
if [ -z "$leaks" ] && [ -s "$tmp/answers" ] && [ -s "$tmp/a.log" ]; then
    ok "no key, session token or token in any response or log line ($(wc -l <"$tmp/answers") answers, $(cat "$tmp"/*.log | wc -l) log lines)"
else
    notok "a secret or token appears in:$leaks"
fi
