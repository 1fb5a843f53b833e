#!/bin/sh
# engine-mariadb.sh - the MariaDB engine of rds-emulator (run by it).
#
#   engine-mariadb.sh start DIR    DIR/emulator.conf already written
#   engine-mariadb.sh stop DIR
#
# A throwaway mariadbd under DIR/mariadb: its own data directory, socket,
# pid file and error log, TCP on 127.0.0.1:PORT with TLS from DIR/tls, and
# a plugin directory holding only AWSAuthenticationPlugin. The IAM user is
# created with the statement RDS documents. Runs as root (with --user=root)
# or as an ordinary user; the administrator is the invoking OS user over the
# socket (unix_socket authentication), so no password exists anywhere.
#
# SPDX-License-Identifier: MIT
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu_prog="rds-emulator (mariadb)"
. "$here/common.sh"

START_TIMEOUT=${EMU_START_TIMEOUT:-60}
STOP_TIMEOUT=${EMU_STOP_TIMEOUT:-30}

find_prog() {
    for _c in "$@"; do
        command -v "$_c" 2>/dev/null && return 0
        for _d in /usr/sbin /usr/libexec /usr/local/sbin /usr/local/bin; do
            [ -x "$_d/$_c" ] && { echo "$_d/$_c"; return 0; }
        done
    done
    return 1
}

setup() {
    emu_load_conf "$1"
    D=$EMU_DIR/mariadb
    SOCK=$D/run/mariadb.sock
    PIDFILE=$D/run/mariadb.pid
    LOG=$D/error.log
    CNF=$D/my.cnf
    OSUSER=$(id -un)
}

admin() {
    timeout 30 "$CLIENT" --defaults-file="$CNF" --socket="$SOCK" \
        --user="$OSUSER" --batch --skip-column-names "$@"
}

show_log() {
    [ -f "$LOG" ] && tail -n 15 "$LOG" | sed 's/^/    /' >&2
}

write_cnf() {
    _runas=""
    [ "$(id -u)" = 0 ] && _runas="user=root"
    cat >"$CNF" <<EOF
# rds-emulator: a throwaway MariaDB server
[client]
socket=$SOCK

[mariadbd]
$_runas
datadir=$D/data
# Its own tmpdir: a starting server deletes leftover #sql temporary files
# in its tmpdir, which would be other instances' live ones in a shared /tmp.
tmpdir=$D/tmp
socket=$SOCK
pid-file=$PIDFILE
log-error=$LOG
port=$EMU_PORT
bind-address=127.0.0.1
skip-name-resolve
skip-log-bin
performance-schema=OFF
innodb-buffer-pool-size=32M
innodb-log-file-size=16M
# TLS, with the emulator's own CA and certificate
ssl-ca=$EMU_CA
ssl-cert=$EMU_CERT
ssl-key=$EMU_KEY
# Our plugin directory holds only auth_rdsiam.so. The plugin declares
# itself beta; a stable server loads plugins of gamma maturity and up
# unless told otherwise.
plugin-dir=$D/plugin
plugin-maturity=beta
# AWSAuthenticationPlugin settings ("loose-": unknown until it is loaded)
loose-awsauthenticationplugin-key-file=$EMU_KEYFILE
loose-awsauthenticationplugin-hostname=$EMU_HOST
loose-awsauthenticationplugin-port=$EMU_PORT
loose-awsauthenticationplugin-region=$EMU_REGION
EOF
}

start() {
    setup "$1"
    MARIADBD=$(find_prog mariadbd mysqld) ||
        emu_die "mariadbd not found: install mariadb-server"
    INSTALL_DB=$(find_prog mariadb-install-db mysql_install_db) ||
        emu_die "mariadb-install-db not found: install mariadb-server"
    CLIENT=$(find_prog mariadb mysql) ||
        emu_die "the mariadb client is not found: install mariadb-client"
    PLUGIN=$EMU_BUILD/rds-emulator/mariadb/auth_rdsiam.so
    [ -f "$PLUGIN" ] || emu_die "$PLUGIN is missing: run 'make emulator' first"
    [ -e "$D" ] && emu_die "$D already exists"

    mkdir -p "$D/data" "$D/run" "$D/plugin" "$D/tmp" || emu_die "cannot create $D"
    cp "$PLUGIN" "$D/plugin/auth_rdsiam.so" || emu_die "cannot copy the plugin"
    write_cnf
    echo "EMU_MARIADB_SOCKET=$(emu_quote "$SOCK")" >>"$EMU_DIR/emulator.conf"

    _u=""
    [ "$(id -u)" = 0 ] && _u="--user=root"
    # shellcheck disable=SC2086
    if ! timeout 120 "$INSTALL_DB" --defaults-file="$CNF" $_u \
        --auth-root-authentication-method=socket \
        --auth-root-socket-user="$OSUSER" --skip-test-db \
        >"$D/install-db.log" 2>&1; then
        # The server's own [ERROR] lines say why; the rest is boilerplate.
        { grep -i 'error' "$D/install-db.log" "$LOG" 2>/dev/null ||
            tail -n 15 "$D/install-db.log"; } | head -n 15 | sed 's/^/    /' >&2
        emu_die "mariadb-install-db failed (log: $D/install-db.log)"
    fi

    "$MARIADBD" --defaults-file="$CNF" </dev/null >"$D/mariadbd.out" 2>&1 &
    echo $! >"$D/run/launcher.pid"
    if ! emu_wait "$START_TIMEOUT" admin -e "SELECT 1"; then
        show_log
        emu_die "mariadbd did not accept connections within $START_TIMEOUT s (log: $LOG)"
    fi

    # As on RDS: the plugin is installed, so mysql.plugin lists it; the
    # user is created with the statement RDS documents; no anonymous
    # account is left to shadow it.
    anon=$(admin -e "SELECT CONCAT('DROP USER ''''@''', host, ''';') FROM mysql.user WHERE user = ''") ||
        emu_die "cannot list accounts"
    if ! admin -e "$anon
INSTALL SONAME 'auth_rdsiam';
CREATE USER $EMU_USER IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
GRANT SELECT ON mysql.user TO $EMU_USER;" 2>"$D/setup.err"; then
        sed 's/^/    /' "$D/setup.err" >&2
        show_log
        emu_die "could not install the plugin or create $EMU_USER"
    fi
    [ "$(admin -e "SELECT name FROM mysql.plugin WHERE dl = 'auth_rdsiam.so'")" = AWSAuthenticationPlugin ] ||
        emu_die "mysql.plugin does not list AWSAuthenticationPlugin"
    return 0
}

stop() {
    setup "$1"
    [ -d "$D" ] || return 0
    CLIENT=$(find_prog mariadb mysql) || CLIENT=mariadb
    ADMIN=$(find_prog mariadb-admin mysqladmin) || ADMIN=""
    if emu_pid_alive "$PIDFILE" || emu_pid_alive "$D/run/launcher.pid"; then
        [ -f "$PIDFILE" ] || cp "$D/run/launcher.pid" "$PIDFILE" 2>/dev/null
        if [ -n "$ADMIN" ]; then
            timeout "$STOP_TIMEOUT" "$ADMIN" --defaults-file="$CNF" \
                --socket="$SOCK" --user="$OSUSER" shutdown >/dev/null 2>&1
        fi
        emu_stop_pid "$PIDFILE" "$STOP_TIMEOUT"
        emu_stop_pid "$D/run/launcher.pid" 5
    fi
    rm -rf "$D"
}

case ${1-} in
start) [ $# -eq 2 ] || emu_die "usage: engine-mariadb.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || emu_die "usage: engine-mariadb.sh stop DIR"; stop "$2" ;;
*) emu_die "usage: engine-mariadb.sh start|stop DIR" ;;
esac
