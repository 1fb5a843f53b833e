#!/bin/sh
# engine-valkey.sh - the valkey engine of rds-emulator (run by it): an
# ElastiCache cache or a MemoryDB cluster with IAM authentication.
#
#   engine-valkey.sh start DIR    DIR/emulator.conf already written
#   engine-valkey.sh stop DIR
#
# A throwaway redis-server under DIR/valkey on a second loopback port,
# with its default user off and one user, the IAM user, whose password
# only the front knows (DIR/valkey/server-password, 0600); and in front of
# it, on the emulator's port, rdsiam-valkey-front (valkey/valkey_front.c),
# which checks every AUTH and HELLO AUTH token as the service would and
# closes connections SESSION_SECONDS after their last login.
#
# SPDX-License-Identifier: MIT
set -u

here=$(cd "$(dirname "$0")" && pwd)
emu_prog="rds-emulator (valkey)"
. "$here/common.sh"

START_TIMEOUT=${EMU_START_TIMEOUT:-30}
STOP_TIMEOUT=${EMU_STOP_TIMEOUT:-10}

setup() {
    emu_load_conf "$1"
    D=$EMU_DIR/valkey
    CONF=$D/redis.conf
    PASSFILE=$D/server-password
    SERVER_PID=$D/redis.pid
    FRONT_PID=$D/front.pid
    FRONT_LOG=$D/front.log
}

# ping: the server answers its IAM user with its own password.
ping() {
    [ "$(REDISCLI_AUTH=$(cat "$PASSFILE") timeout 5 redis-cli -h 127.0.0.1 \
        -p "$EMU_SERVER_PORT" --user "$EMU_USER" --no-auth-warning ping)" = PONG ]
}

start() {
    setup "$1"
    SERVER=$(command -v redis-server) || emu_die "redis-server not found: install redis-server"
    command -v redis-cli >/dev/null || emu_die "redis-cli not found: install redis-tools"
    FRONT=$EMU_BUILD/rds-emulator/valkey/rdsiam-valkey-front
    [ -x "$FRONT" ] || emu_die "$FRONT is missing: run 'make emulator' first"
    [ -e "$D" ] && emu_die "$D already exists"
    mkdir -p "$D/data" || emu_die "cannot create $D"

    EMU_SERVER_PORT=$(emu_free_port) || exit 1
    [ "$EMU_SERVER_PORT" != "$EMU_PORT" ] || EMU_SERVER_PORT=$(emu_free_port) || exit 1
    echo "EMU_SERVER_PORT=$(emu_quote "$EMU_SERVER_PORT")" >>"$EMU_DIR/emulator.conf"
    (
        umask 077
        emu_random 40 'A-Za-z0-9' >"$PASSFILE" && echo >>"$PASSFILE" &&
            cat >"$CONF" <<CONF
# rds-emulator: a throwaway redis-server behind rdsiam-valkey-front
bind 127.0.0.1
port $EMU_SERVER_PORT
protected-mode yes
daemonize yes
pidfile $SERVER_PID
logfile $D/redis.log
dir $D/data
save ""
appendonly no
# Only the front logs in, as the IAM user, with a password of its own.
user default off
user $EMU_USER on >$(cat "$PASSFILE") ~* &* +@all
CONF
    ) || emu_die "cannot write $CONF"
    "$SERVER" "$CONF" >"$D/redis.out" 2>&1 ||
        { sed 's/^/    /' "$D/redis.out" >&2; emu_die "redis-server did not start"; }
    emu_wait "$START_TIMEOUT" ping ||
        { tail -n 15 "$D/redis.log" | sed 's/^/    /' >&2
          emu_die "redis-server did not answer within $START_TIMEOUT s"; }

    set -- --listen "$EMU_PORT" --backend "$EMU_SERVER_PORT" \
        --keys "$EMU_KEYFILE" --service "$EMU_CACHE_SERVICE" \
        --name "$EMU_CACHE_NAME" --region "$EMU_REGION" --user "$EMU_USER" \
        --backend-password-file "$PASSFILE" \
        --session-seconds "$EMU_SESSION_SECONDS" --clock-skew "$EMU_CLOCK_SKEW"
    [ "$EMU_SERVERLESS" = 1 ] && set -- "$@" --serverless
    "$FRONT" "$@" </dev/null >>"$FRONT_LOG" 2>&1 &
    echo $! >"$FRONT_PID"
    emu_wait "$START_TIMEOUT" grep -q "listening on" "$FRONT_LOG" ||
        { sed 's/^/    /' "$FRONT_LOG" >&2
          emu_die "rdsiam-valkey-front did not start (log: $FRONT_LOG)"; }
    return 0
}

stop() {
    setup "$1"
    [ -d "$D" ] || return 0
    emu_stop_pid "$FRONT_PID" "$STOP_TIMEOUT"
    emu_stop_pid "$SERVER_PID" "$STOP_TIMEOUT"
    rm -rf "$D"
}

case ${1-} in
start) [ $# -eq 2 ] || emu_die "usage: engine-valkey.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || emu_die "usage: engine-valkey.sh stop DIR"; stop "$2" ;;
*) emu_die "usage: engine-valkey.sh start|stop DIR" ;;
esac
