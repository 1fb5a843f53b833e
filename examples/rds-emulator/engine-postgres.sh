#!/bin/sh
# engine-postgres.sh - the PostgreSQL engine of rds-emulator (run by it).
#
#   engine-postgres.sh start DIR    DIR/emulator.conf already written
#   engine-postgres.sh stop DIR
#
# As on RDS for PostgreSQL, members of the rds_iam role log in with an IAM
# token as the password: pg_hba.conf sends them, over TLS only, to PAM, and
# the PAM service runs pam_rdsiam, which checks the token against the
# emulator's key file. Without TLS they are refused. The administrator logs
# in only on the server's private Unix socket; nobody else at all.
#
# Needs root, for two reasons: PAM reads service files only from /etc/pam.d,
# where this engine writes one file per instance (removed by stop), and
# PostgreSQL will not run as root, so the server runs as an unprivileged
# user (RDSIAM_PG_RUNAS, default postgres).
#
# DIR/postgres holds the state, a copy of the module and run/, the server's
# own directory (owned by that user): data, TLS key, key file, log.
#
# Environment: RDSIAM_PG_BINDIR (default: the newest
# /usr/lib/postgresql/*/bin), RDSIAM_PG_RUNAS, EMU_START_TIMEOUT,
# EMU_STOP_TIMEOUT.
#
# SPDX-License-Identifier: MIT
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu_prog="rds-emulator (postgres)"
. "$here/common.sh"

START_TIMEOUT=${EMU_START_TIMEOUT:-60}
STOP_TIMEOUT=${EMU_STOP_TIMEOUT:-30}
PAMDIR=/etc/pam.d
MARK="# rds-emulator PAM service"

setup() {
    emu_load_conf "$1"
    D=$EMU_DIR/postgres
    R=$D/run
    STATE=$D/state
    LOG=$R/server.log
}

# The server binaries: RDSIAM_PG_BINDIR, else the newest installed major
# version (/usr/lib/postgresql/N/bin, as Debian and Ubuntu lay them out).
find_bindir() {
    if [ -n "${RDSIAM_PG_BINDIR-}" ]; then
        echo "$RDSIAM_PG_BINDIR"
        return
    fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -n 1
}

# as_server CMD...: run a command as the server's user, from a directory it
# may enter.
as_server() {
    (cd "$D" && runuser -u "$RUNAS" -- "$@")
}

# Start records what it did as it goes (KEY=VALUE lines), so that stop, also
# after a failed start, undoes exactly that.
state_set() {
    printf '%s=%s\n' "$1" "$2" >>"$STATE"
}
state_get() {
    sed -n "s/^$1=//p" "$STATE" 2>/dev/null | tail -n 1
}

show_log() {
    [ -f "$1" ] && tail -n 15 "$1" | sed 's/^/    /' >&2
    return 0
}

admin() {
    as_server timeout 30 psql -X -q -v ON_ERROR_STOP=1 -h "$SOCKDIR" \
        -p "$EMU_PORT" -U postgres -d postgres "$@"
}

preflight() {
    [ "$(id -u)" -eq 0 ] ||
        emu_die "needs root: PAM reads its service files only from $PAMDIR," \
            "and this engine must write one there for its server (which" \
            "then runs as an unprivileged user, as PostgreSQL requires)." \
            "Run as root (e.g. with sudo), or use --engine mariadb."
    BINDIR=$(find_bindir)
    [ -n "$BINDIR" ] && [ -x "$BINDIR/initdb" ] && [ -x "$BINDIR/pg_ctl" ] ||
        emu_die "no PostgreSQL server found: install postgresql, or set" \
            "RDSIAM_PG_BINDIR to the directory holding initdb and pg_ctl"
    command -v psql >/dev/null ||
        emu_die "psql not found: install postgresql-client"
    command -v runuser >/dev/null || emu_die "runuser not found: install util-linux"
    MODULE=$EMU_BUILD/rds-emulator/postgres/pam_rdsiam.so
    [ -f "$MODULE" ] || emu_die "$MODULE is missing: run 'make emulator' first"
    RUNAS=${RDSIAM_PG_RUNAS:-postgres}
    _uid=$(id -u "$RUNAS" 2>/dev/null) ||
        emu_die "no user '$RUNAS' to run the server as: install postgresql" \
            "or set RDSIAM_PG_RUNAS to an unprivileged user"
    [ "$_uid" -ne 0 ] || emu_die "RDSIAM_PG_RUNAS must not be root"
    # Paths go into a PAM service file, whose arguments are separated by
    # blanks.
    case $EMU_DIR in
    *[!A-Za-z0-9._/+-]*)
        emu_die "the directory may contain only letters, digits and ._/+-" \
            "(it is written into a PAM service file)" ;;
    esac
    runuser -u "$RUNAS" -- test -x "$EMU_DIR" ||
        emu_die "user '$RUNAS' cannot enter $EMU_DIR: pick a directory whose" \
            "parents others may search (e.g. under /tmp)"
    [ ! -e "$D" ] || emu_die "$D already exists"
}

start() {
    setup "$1"
    preflight
    # If anything below fails, undo it; rds-emulator calls stop too, which
    # then finds nothing left.
    trap 'stop_instance' EXIT
    trap 'exit 1' INT TERM HUP PIPE

    install -d -m 755 "$D" || emu_die "cannot create $D"
    : >"$STATE" && chmod 600 "$STATE" || emu_die "cannot write $STATE"
    state_set runas "$RUNAS"
    state_set bindir "$BINDIR"

    # Files the server reads belong to its user: PostgreSQL insists that
    # its TLS key is private to it, and the PAM module runs inside the
    # server, so it reads the key file as that user. The module itself is
    # copied so that the server can read it wherever the build tree is.
    install -d -m 700 -o "$RUNAS" "$R" &&
        install -m 600 -o "$RUNAS" "$EMU_CERT" "$R/server.crt" &&
        install -m 600 -o "$RUNAS" "$EMU_KEY" "$R/server.key" &&
        install -m 600 -o "$RUNAS" "$EMU_KEYFILE" "$R/keys" &&
        install -m 644 "$MODULE" "$D/pam_rdsiam.so" ||
        emu_die "cannot set up $R"

    # A socket directory of its own, short because socket paths must be.
    SOCKDIR=$(mktemp -d /tmp/rdsiam-pg.XXXXXX) || emu_die "mktemp failed"
    state_set sockdir "$SOCKDIR"
    chown "$RUNAS" "$SOCKDIR" && chmod 700 "$SOCKDIR" ||
        emu_die "cannot set up $SOCKDIR"
    # Linux-PAM lowercases service names before looking for the file.
    SERVICE=rdsiam-emulator-$EMU_PORT-$(emu_random 8 'a-z0-9')

    if ! as_server timeout 120 "$BINDIR/initdb" -D "$R/data" -U postgres \
        -E UTF8 --locale=C --auth=reject --no-sync \
        >"$D/initdb.log" 2>&1; then
        show_log "$D/initdb.log"
        emu_die "initdb failed (log: $D/initdb.log)"
    fi
    write_config

    # The PAM service pg_hba.conf names. noclobber: never overwrite a file
    # that is not ours.
    state_set service "$SERVICE"
    (set -C && cat >"$PAMDIR/$SERVICE") <<EOF || emu_die "cannot write $PAMDIR/$SERVICE"
$MARK for $EMU_DIR (removed by rds-emulator stop)
auth    required $D/pam_rdsiam.so keyfile=$R/keys host=$EMU_HOST port=$EMU_PORT region=$EMU_REGION stderr
account required $D/pam_rdsiam.so
EOF
    chmod 644 "$PAMDIR/$SERVICE"

    state_set started yes
    if ! as_server "$BINDIR/pg_ctl" -D "$R/data" -l "$LOG" -w \
        -t "$START_TIMEOUT" -s start >"$D/pg_ctl.log" 2>&1; then
        show_log "$LOG"
        emu_die "the server did not start within $START_TIMEOUT s (log: $LOG)"
    fi

    # The statements RDS documents for an IAM user; RDS has rds_iam
    # already, here we make it.
    if ! admin -v u="$EMU_USER" >/dev/null 2>"$D/setup.err" <<'EOF'; then
CREATE ROLE rds_iam NOLOGIN;
CREATE USER :"u";
GRANT rds_iam TO :"u";
EOF
        show_log "$D/setup.err"
        emu_die "could not create $EMU_USER"
    fi
    echo "EMU_DATABASE=postgres" >>"$EMU_DIR/emulator.conf"
    trap - EXIT INT TERM HUP PIPE
}

write_config() {
    cat >>"$R/data/postgresql.conf" <<EOF

# rds-emulator
listen_addresses = '127.0.0.1'
port = $EMU_PORT
unix_socket_directories = '$SOCKDIR'
unix_socket_permissions = 0700
ssl = on
ssl_cert_file = '$R/server.crt'
ssl_key_file = '$R/server.key'
max_connections = 20
shared_buffers = 16MB
fsync = off
logging_collector = off
log_connections = on
EOF
    # First match wins. IAM users: a token over TLS, checked by PAM; the
    # same users without TLS: refused, as on RDS. The administrator: only
    # on the private socket, as the server's system user. No entry for
    # anyone else, so they are refused.
    cat >"$R/data/pg_hba.conf" <<EOF
# TYPE  DATABASE USER      ADDRESS       METHOD
hostssl all      +rds_iam  127.0.0.1/32  pam pamservice=$SERVICE
host    all      +rds_iam  all           reject
local   all      postgres                peer map=admin
EOF
    printf 'admin %s postgres\n' "$RUNAS" >"$R/data/pg_ident.conf"
}

# Stop what the state file says was started and remove it all. Safe on a
# half-started instance and on one already stopped.
stop_instance() {
    _rc=$?
    trap - EXIT INT TERM HUP PIPE
    [ -f "$STATE" ] || { [ -d "$D" ] && rm -rf "$D"; exit $_rc; }
    RUNAS=$(state_get runas)
    BINDIR=$(state_get bindir)
    _sockdir=$(state_get sockdir)
    _service=$(state_get service)

    if [ "$(state_get started)" = yes ] && [ -f "$R/data/postmaster.pid" ]; then
        if ! as_server "$BINDIR/pg_ctl" -D "$R/data" -m fast -w \
            -t "$STOP_TIMEOUT" -s stop >/dev/null 2>&1; then
            # Only the postmaster this instance started: its pid, and only
            # while that pid still runs on this data directory.
            _pid=$(head -n 1 "$R/data/postmaster.pid" 2>/dev/null)
            case $_pid in
            '' | *[!0-9]*) ;;
            *)
                if tr '\0' ' ' <"/proc/$_pid/cmdline" 2>/dev/null |
                    grep -qF -- "$R/data"; then
                    emu_log "the server did not stop in $STOP_TIMEOUT s; killing it"
                    kill -KILL "$_pid" 2>/dev/null
                    _rc=1
                fi
                ;;
            esac
        fi
    fi
    if [ -n "$_service" ] && [ -f "$PAMDIR/$_service" ] &&
        head -n 1 "$PAMDIR/$_service" | grep -qF "$MARK"; then
        rm -f "$PAMDIR/$_service" || _rc=1
    fi
    case $_sockdir in
    /tmp/rdsiam-pg.?*) rm -rf "$_sockdir" ;;
    esac
    rm -rf "$D"
    exit $_rc
}

stop() {
    setup "$1"
    (exit 0)
    stop_instance
}

case ${1-} in
start) [ $# -eq 2 ] || emu_die "usage: engine-postgres.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || emu_die "usage: engine-postgres.sh stop DIR"; stop "$2" ;;
*) emu_die "usage: engine-postgres.sh start|stop DIR" ;;
esac
