#!/bin/sh
# demo.sh - `make demo`: the whole IAM login flow on this machine.
#
# Starts the MariaDB RDS emulator in a temporary directory, runs the
# example handler rdsiam-mysql-users (token from the environment's keys,
# verified TLS, clear-text plugin), then shows a login refused for a token
# signed with another key, and stops the emulator, also on failure.
# Exit status 0 only when every step did what it should.
#
# SPDX-License-Identifier: MIT
set -u

B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
emu=$here/rds-emulator
users=$B/bin/rdsiam-mysql-users
[ -x "$users" ] || { echo "demo: $users is missing: run make examples" >&2; exit 1; }

# Nothing from the developer's own AWS setup takes part.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION \
    AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
export AWS_EC2_METADATA_DISABLED=true

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-demo.XXXXXX") || exit 1
dir=$tmp/emulator
cleanup() {
    [ -f "$dir/emulator.conf" ] && sh "$emu" stop "$dir" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n== %s\n' "$*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

step "Starting a throwaway MariaDB server that accepts RDS IAM tokens"
EMU_QUIET=1 sh "$emu" start "$dir" --engine mariadb || fail "the emulator did not start"
. "$dir/env"
echo "   $RDS_HOST:$RDS_PORT, TLS with its own CA, user $RDS_USER created with"
echo "   CREATE USER $RDS_USER IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;"

step "rdsiam-mysql-users: IAM token as password, verified TLS, SELECT user FROM mysql.user"
out=$("$users") || { echo "$out"; fail "rdsiam-mysql-users could not log in"; }
echo "$out"
case $out in
*"\"$RDS_USER\""*) ;;
*) fail "the user list does not hold $RDS_USER" ;;
esac

step "The same login with a token signed with another key (a function with the wrong IAM role)"
other_id=AKIA$(openssl rand -hex 8 | tr a-f A-F)
other_secret=$(openssl rand -base64 30)
if out=$(AWS_ACCESS_KEY_ID=$other_id AWS_SECRET_ACCESS_KEY=$other_secret "$users"); then
    echo "$out"
    fail "a token signed with an unknown key was accepted"
fi
echo "$out"
case $out in
*"Access denied"*) ;;
*) fail "expected an access-denied error" ;;
esac
why=$(grep 'AWSAuthenticationPlugin: access denied' "$dir/mariadb/error.log" | tail -n 1 |
    sed 's/.*AWSAuthenticationPlugin: //')
echo "   refused; the server log says: $why"

step "Stopping the emulator"
sh "$emu" stop "$dir" || fail "the emulator did not stop cleanly"
echo
echo "demo: OK"
