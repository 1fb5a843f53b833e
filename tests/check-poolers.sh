#!/bin/sh
# tests/check-poolers.sh - rdsiam-token's files read by the real programs,
# on loopback:
#   - libpq's password-file reader (tests/poolers/pgpass_probe.c: PQpass)
#     and MariaDB's option-file reader (my_print_defaults, mysql
#     --print-defaults) read back exactly what the tool escaped;
#   - PgBouncer 1.18 parses the pgbouncer format (SHOW DATABASES);
#   - PgBouncer in front of the PostgreSQL emulator, fed by
#     --format pgbouncer --every 2 --then 'kill -HUP ...': clients log in
#     through it over three token rotations, server_lifetime forcing new
#     server logins in between, and none fails;
#   - psql with PGPASSFILE (three hosts in one file, from --config) and
#     mysql --defaults-extra-file against the emulators;
#   - examples/systemd: systemd-analyze verify, and READY=1 on the
#     notify socket once the first file is written.
#
# The server parts need root (the PostgreSQL emulator writes into
# /etc/pam.d; PgBouncer refuses root and runs as postgres); without it
# they are skipped. Waits are for events (a log line, a file); their
# limits only keep a bug from hanging the run.
set -u
B=${B:-build}
ROOT=$(pwd)
TOOL=$ROOT/$B/bin/rdsiam-token
EMU=$ROOT/examples/rds-emulator/rds-emulator
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION \
    AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION MYSQL_PWD PGPASSFILE

W=$(mktemp -d /tmp/rdsiam-check-poolers.XXXXXX)
chmod 755 "$W"
pids=""
cleanup() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null; done
    [ -f "$W/pgb/pgb.pid" ] && kill -TERM "$(cat "$W/pgb/pgb.pid")" 2>/dev/null
    for d in "$W/pg" "$W/maria"; do
        [ -f "$d/emulator.conf" ] && sh "$EMU" stop "$d" >/dev/null 2>&1
    done
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }
skip() { echo "ok - $1 # SKIP $2"; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@"; then ok "$d"; else notok "$d"; fi
}
[ -x "$TOOL" ] || { notok "rdsiam-token is built ($TOOL)"; exit 1; }

. tests/helpers/wait_for.sh # wait_for FILE PATTERN [N]
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
KEYS="AWS_ACCESS_KEY_ID=AKIDEXAMPLE00000 AWS_SECRET_ACCESS_KEY=skid AWS_REGION=us-east-1"
tool() { # tool ARGS...: rdsiam-token with fixed keys, nothing else
    # shellcheck disable=SC2086
    env -i PATH="$PATH" HOME="$W" AWS_EC2_METADATA_DISABLED=true \
        AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
        $KEYS "$TOOL" "$@"
}
# token_of TEXT: the token the tool signed, from its --json output.
json_token() { python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }

# A user name with every character the readers unquote: ':' and '\'
# (libpq), a single quote and a space (PgBouncer), '"' and '\' (MySQL).
U='o:b\r"i'"'"'en x'
AT="--signing-time 2016-11-07T17:39:33Z"

# --- libpq reads the pgpass file back (PQpass) -------------------------------
if pkg-config --exists libpq 2>/dev/null &&
    ${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$W/probe" \
        tests/poolers/pgpass_probe.c $(pkg-config --cflags --libs libpq) \
        >"$W/cc.log" 2>&1; then
    want=$(tool --hostname db.example.com --port 5432 --username "$U" $AT --json | json_token)
    tool --hostname db.example.com --port 5432 --username "$U" --dbname 'a:b' \
        --format pgpass --output "$W/u.pgpass" $AT
    got=$("$W/probe" "$W/u.pgpass" db.example.com 5432 'a:b' "$U")
    check "libpq reads the token back for a user and dbname with ':' '\\' quotes" \
        test -n "$want" -a "$got" = "$want"
    got=$("$W/probe" "$W/u.pgpass" db.example.com 5432 'a:c' "$U")
    check "libpq: another dbname does not match the line" test -z "$got"
    chmod 644 "$W/u.pgpass"
    got=$("$W/probe" "$W/u.pgpass" db.example.com 5432 'a:b' "$U" 2>"$W/err")
    check "libpq ignores the file when it is not 0600 (why the tool writes 0600)" \
        grep -q 'has group or world access' "$W/err"
else
    sed 's/^/# /' "$W/cc.log" 2>/dev/null
    notok "libpq's password-file reader: build tests/poolers/pgpass_probe.c (libpq-dev)"
fi

# --- MariaDB's option-file reader reads the mycnf file back ------------------
if command -v my_print_defaults >/dev/null; then
    want=$(tool --hostname db.example.com --port 3306 --username "$U" $AT --json | json_token)
    tool --hostname db.example.com --port 3306 --username "$U" --format mycnf \
        --output "$W/u.cnf" $AT
    my_print_defaults --defaults-extra-file="$W/u.cnf" client >"$W/mpd"
    printf -- '--user=%s\n--password=%s\n' "$U" "$want" >"$W/want"
    check "my_print_defaults reads user and password back exactly" cmp -s "$W/want" "$W/mpd"
    CLIENT=$(command -v mariadb || command -v mysql)
    "$CLIENT" --defaults-extra-file="$W/u.cnf" --print-defaults >"$W/pd" 2>&1
    check "mysql --defaults-extra-file --print-defaults: the same password" \
        grep -qF -- "--password=$want" "$W/pd"
else
    skip "MariaDB's option-file reader" "my_print_defaults not installed"
fi

# --- systemd: the example units ----------------------------------------------
if command -v systemd-analyze >/dev/null; then
    mkdir -p "$W/units/pgbouncer.service.d"
    sed "s|/usr/local/bin/rdsiam-token|$TOOL|" 'examples/systemd/rdsiam-token@.service' \
        >"$W/units/rdsiam-token@.service"
    cp examples/systemd/pgbouncer.service.d/rdsiam-token.conf "$W/units/pgbouncer.service.d/"
    printf '[Service]\nExecStart=/bin/true\n' >"$W/units/pgbouncer.service"
    # --man=no: the Documentation= page is not installed in a build tree.
    for u in "rdsiam-token@pgbouncer.service" pgbouncer.service; do
        cp "$W/units/rdsiam-token@.service" "$W/units/rdsiam-token@pgbouncer.service"
        if systemd-analyze verify --man=no "$W/units/$u" >"$W/sa.log" 2>&1 &&
            [ ! -s "$W/sa.log" ]; then
            ok "systemd-analyze verify $u: no complaint"
        else
            sed 's/^/# /' "$W/sa.log"
            notok "systemd-analyze verify $u: no complaint"
        fi
    done
else
    skip "systemd-analyze verify" "systemd-analyze not installed"
fi
# Type=notify: READY=1 arrives once the file is there.
python3 - "$TOOL" "$W" <<'EOF'
import os, socket, subprocess, sys
tool, w = sys.argv[1:3]
path = os.path.join(w, "notify.sock")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
s.settimeout(60)  # only a bug would take this long
env = {"PATH": os.environ["PATH"], "HOME": w, "NOTIFY_SOCKET": path,
       "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/nonexistent",
       "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
       "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE00000", "AWS_SECRET_ACCESS_KEY": "skid",
       "AWS_REGION": "us-east-1"}
out = os.path.join(w, "notified")
p = subprocess.Popen([tool, "--hostname", "db.example.com", "--port", "5432",
                      "--username", "alice", "--output", out, "--every", "600"],
                     env=env, stderr=subprocess.DEVNULL)
try:
    msg = s.recv(4096)
    there = os.path.exists(out)
except socket.timeout:
    msg, there = b"", False
p.terminate()
p.wait(timeout=60)
print("%s - Type=notify: READY=1 once the first file is written"
      % ("ok" if msg == b"READY=1" and there else "not ok"))
EOF

# --- everything below runs servers -------------------------------------------
SERVER_CASES="pgbouncer-parses pgbouncer-rotations psql-pgpass psql-pgpass-three mysql-mycnf mysql-group-suffix"
if [ "$(id -u)" -ne 0 ]; then
    for c in $SERVER_CASES; do skip "$c" "needs root (PAM service files, PgBouncer as postgres)"; done
    exit 0
fi
id postgres >/dev/null 2>&1 || { for c in $SERVER_CASES; do skip "$c" "no postgres user"; done; exit 0; }

# --- PgBouncer parses the format ---------------------------------------------
# PgBouncer runs as postgres (it refuses root); the include file is made
# theirs first, and rdsiam-token, as root, keeps its owner.
start_pgbouncer() { # start_pgbouncer PORT EXTRA-SETTINGS
    cat >"$W/pgb/pgbouncer.ini" <<EOF
[databases]
%include $W/pgb/databases.ini

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $1
unix_socket_dir =
auth_type = any
pidfile = $W/pgb/pgb.pid
logfile = $W/pgb/pgb.log
$2
EOF
    chown postgres "$W/pgb/pgbouncer.ini"
    : >"$W/pgb/pgb.log"
    chown postgres "$W/pgb/pgb.log"
    runuser -u postgres -- pgbouncer -d "$W/pgb/pgbouncer.ini" >"$W/pgb/start.log" 2>&1 &&
        wait_for "$W/pgb/pgb.log" 'LOG listening on 127.0.0.1'
}
stop_pgbouncer() {
    [ -f "$W/pgb/pgb.pid" ] || return 0
    p=$(cat "$W/pgb/pgb.pid")
    kill -TERM "$p" 2>/dev/null
    while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
    rm -f "$W/pgb/pgb.pid"
}
mkdir -p "$W/pgb" && chown postgres "$W/pgb"
if ! command -v pgbouncer >/dev/null; then
    for c in $SERVER_CASES; do skip "$c" "pgbouncer not installed"; done
    exit 0
fi
install -m 600 -o postgres /dev/null "$W/pgb/databases.ini"
tool --hostname db.example.com --port 5432 --username "$U" --format pgbouncer \
    --dbname app --output "$W/pgb/databases.ini"
PGB=$(free_port)
if start_pgbouncer "$PGB" "" &&
    psql -X -A -t -F '|' -h 127.0.0.1 -p "$PGB" -U admin pgbouncer \
        -c 'SHOW DATABASES' >"$W/show" 2>&1 &&
    grep -qxF "app|db.example.com|5432|app|$U|20|0|0||0|0|0|0" "$W/show" &&
    [ "$(stat -c %U "$W/pgb/databases.ini")" = postgres ]; then
    ok "pgbouncer-parses: PgBouncer 1.18 reads name, host, port, dbname and a quoted user"
else
    sed 's/^/# /' "$W/show" "$W/pgb/pgb.log" 2>/dev/null | tail -n 20
    notok "pgbouncer-parses: PgBouncer 1.18 reads name, host, port, dbname and a quoted user"
fi
stop_pgbouncer

# --- the PostgreSQL emulator --------------------------------------------------
if ! RDSIAM_BUILD=$ROOT/$B timeout 120 sh "$EMU" start "$W/pg" --engine postgres \
    >"$W/pg-start.log" 2>&1; then
    sed 's/^/# /' "$W/pg-start.log" | tail -n 20
    for c in pgbouncer-rotations psql-pgpass psql-pgpass-three; do notok "$c (the PostgreSQL emulator did not start)"; done
else
    PG_LOG=$W/pg/postgres/run/server.log
    pgtool() { # rdsiam-token with the emulator's keys and region
        (. "$W/pg/env"; exec env -i PATH="$PATH" HOME="$W" AWS_EC2_METADATA_DISABLED=true \
            AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
            AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" \
            AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" AWS_REGION="$AWS_REGION" \
            "$TOOL" "$@")
    }
    . "$W/pg/env"

    # PgBouncer in front of it, fed by the loop. server_lifetime = 1 (and
    # server_idle_timeout = 1) close each server connection a second after
    # it was opened, once released: every client below needs a new server
    # login, with the password PgBouncer holds then.
    install -m 600 -o postgres /dev/null "$W/pgb/databases.ini"
    # Started directly (not through pgtool's subshell): $! is the tool.
    env -i PATH="$PATH" HOME="$W" AWS_EC2_METADATA_DISABLED=true \
        AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
        AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" \
        AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" AWS_REGION="$AWS_REGION" \
        "$TOOL" --hostname "$RDS_HOST" --port "$RDS_PORT" --username "$RDS_USER" \
        --format pgbouncer --dbname postgres --output "$W/pgb/databases.ini" \
        --every 2 --then "kill -HUP \$(cat $W/pgb/pgb.pid)" 2>"$W/loop.log" &
    lp=$!
    pids="$pids $lp"
    wait_for "$W/loop.log" ': wrote '
    PGB=$(free_port)
    start_pgbouncer "$PGB" "server_lifetime = 1
server_idle_timeout = 1
server_tls_sslmode = verify-full
server_tls_ca_file = $RDS_CA_BUNDLE"
    fails=0 logins=0 tokens=""
    for rotation in 1 2 3 4; do
        n=$(grep -c ': wrote ' "$W/loop.log")
        wait_for "$W/loop.log" ': wrote ' $((n + 1)) &&
            wait_for "$W/pgb/pgb.log" 'got SIGHUP, re-reading config' "$rotation"
        tokens="$tokens $(sed -n "s/.*password='\([^']*\)'.*/\1/p" "$W/pgb/databases.ini" | cksum | cut -d' ' -f1)"
        before=$(grep -c "pam_rdsiam: accepted '$RDS_USER'" "$PG_LOG")
        for client in 1 2; do
            got=$(timeout 30 psql -X -A -t -h 127.0.0.1 -p "$PGB" -U anyone postgres \
                -c 'SELECT current_user' 2>&1)
            if [ "$got" = "$RDS_USER" ]; then logins=$((logins + 1)); else
                echo "# rotation $rotation, client $client: $got"; fails=$((fails + 1)); fi
            # The next client must not find this server connection in the
            # pool: wait for PgBouncer to close it (its lifetime or idle
            # time over, or, in PgBouncer before 1.24, the reload: with
            # server TLS on, every reload recycles server connections,
            # src/sbuf.c sbuf_tls_setup()).
            m=$(grep -c 'S-0x[0-9a-f]*: .* closing because: ' "$W/pgb/pgb.log")
            wait_for "$W/pgb/pgb.log" 'S-0x[0-9a-f]*: .* closing because: ' $((m + 1))
        done
        after=$(grep -c "pam_rdsiam: accepted '$RDS_USER'" "$PG_LOG")
        [ "$after" -ge $((before + 2)) ] || { echo "# rotation $rotation: $((after - before)) server logins"; fails=$((fails + 1)); }
    done
    distinct=$(printf '%s\n' $tokens | sort -u | wc -l)
    if [ "$fails" -eq 0 ] && [ "$logins" -eq 8 ] && [ "$distinct" -eq 4 ]; then
        ok "pgbouncer-rotations: 8 clients over 4 rotations, each a new server login, none failed"
    else
        tail -n 20 "$W/pgb/pgb.log" | sed 's/^/# /'
        notok "pgbouncer-rotations: $logins logins, $fails failures, $distinct distinct tokens"
    fi
    kill -TERM "$lp"; wait "$lp"
    stop_pgbouncer

    # psql with PGPASSFILE, straight to the emulator.
    pgtool --hostname "$RDS_HOST" --port "$RDS_PORT" --username "$RDS_USER" \
        --format pgpass --output "$W/pgpass"
    CONN="host=$RDS_HOST port=$RDS_PORT user=$RDS_USER dbname=postgres sslmode=verify-full sslrootcert=$RDS_CA_BUNDLE"
    got=$(PGPASSFILE=$W/pgpass timeout 30 psql -X -A -t -w "$CONN" -c 'SELECT current_user' 2>&1)
    check "psql-pgpass: psql logs in with PGPASSFILE and no password of its own" \
        test "$got" = "$RDS_USER"

    # Three hosts in one file from --config: psql picks its own line.
    cat >"$W/three.conf" <<EOF
[rdsiam-token]
format = pgpass
output = $W/three.pgpass

[other]
hostname = other.example.com
port = $RDS_PORT
username = $RDS_USER

[emulator]
hostname = $RDS_HOST
port = $RDS_PORT
username = $RDS_USER
dbname = postgres

[third]
hostname = third.example.com
port = 5432
username = someone
EOF
    pgtool --config "$W/three.conf"
    got=$(PGPASSFILE=$W/three.pgpass timeout 30 psql -X -A -t -w "$CONN" -c 'SELECT current_user' 2>&1)
    if [ "$got" = "$RDS_USER" ] && [ "$(grep -c '^[^#]' "$W/three.pgpass")" -eq 3 ] &&
        [ -x "$W/probe" ] &&
        "$W/probe" "$W/three.pgpass" other.example.com "$RDS_PORT" x "$RDS_USER" | grep -q '^other\.example\.com:' &&
        "$W/probe" "$W/three.pgpass" third.example.com 5432 x someone | grep -q '^third\.example\.com:5432/'; then
        ok "psql-pgpass-three: one file for three hosts; psql and libpq pick each one's token"
    else
        notok "psql-pgpass-three: got '$got'"
    fi
fi

# --- the MariaDB emulator: mysql --defaults-extra-file -----------------------
CLIENT=$(command -v mariadb || command -v mysql)
if [ -z "$CLIENT" ] || ! command -v mariadb-install-db >/dev/null; then
    skip "mysql-mycnf" "MariaDB not installed"
    skip "mysql-group-suffix" "MariaDB not installed"
elif ! RDSIAM_BUILD=$ROOT/$B EMU_QUIET=1 timeout 120 sh "$EMU" start "$W/maria" \
    --engine mariadb >"$W/maria-start.log" 2>&1; then
    sed 's/^/# /' "$W/maria-start.log" | tail -n 20
    notok "mysql-mycnf (the MariaDB emulator did not start)"
    notok "mysql-group-suffix (the MariaDB emulator did not start)"
else
    mtool() {
        (. "$W/maria/env"; exec env -i PATH="$PATH" HOME="$W" AWS_EC2_METADATA_DISABLED=true \
            AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
            AWS_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" \
            AWS_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" AWS_REGION="$AWS_REGION" \
            "$TOOL" "$@")
    }
    (. "$W/maria/env"
        mtool --hostname "$RDS_HOST" --port "$RDS_PORT" --username "$RDS_USER" \
            --format mycnf --output "$W/my.cnf"
        # --defaults-extra-file must come first; MariaDB's client allows
        # mysql_clear_password on its own (MySQL's: --enable-cleartext-plugin).
        got=$(timeout 30 "$CLIENT" --defaults-extra-file="$W/my.cnf" --protocol=tcp \
            -h "$RDS_HOST" -P "$RDS_PORT" --ssl --ssl-ca="$RDS_CA_BUNDLE" \
            --ssl-verify-server-cert --batch --skip-column-names \
            -e 'SELECT CURRENT_USER()' 2>&1)
        if [ "$got" = "$RDS_USER@%" ]; then
            ok "mysql-mycnf: mysql --defaults-extra-file logs in with the token"
        else
            notok "mysql-mycnf: got '$got'"
        fi
        cat >"$W/m.conf" <<EOF
[rdsiam-token]
format = mycnf
output = $W/groups.cnf

[app]
hostname = $RDS_HOST
port = $RDS_PORT
username = $RDS_USER

[other]
hostname = other.example.com
port = 3306
username = someone
EOF
        mtool --config "$W/m.conf"
        got=$(timeout 30 "$CLIENT" --defaults-extra-file="$W/groups.cnf" \
            --defaults-group-suffix=_app --protocol=tcp --ssl \
            --ssl-ca="$RDS_CA_BUNDLE" --ssl-verify-server-cert --batch \
            --skip-column-names -e 'SELECT CURRENT_USER()' 2>&1)
        if [ "$got" = "$RDS_USER@%" ]; then
            ok "mysql-group-suffix: [client_app] gives host, port, user and token"
        else
            notok "mysql-group-suffix: got '$got'"
        fi
    )
fi
exit 0
