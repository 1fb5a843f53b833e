#!/bin/sh
# tests/check-botocore-sso-refresh.sh - an IAM Identity Center token inside
# its 15-minute refresh window: does rdsiam-token refresh it through
# SSO-OIDC as botocore does, write the cache file back so that botocore
# reads it (and the other way round), and sign the same RDS token, byte for
# byte? Also a refused refresh, an expired token, an expired registration.
#
# tests/helpers/aws_standin.py serves the portal and SSO-OIDC on 127.0.0.1;
# both sides reach it through AWS_ENDPOINT_URL_SSO and
# AWS_ENDPOINT_URL_SSO_OIDC and share ~/.aws/sso/cache in a temporary HOME.
# Scenarios: tests/crosscheck/botocore_sso_refresh.py.
#
# Needs python3 with botocore; skipped otherwise. Nothing leaves loopback.
# SPDX-License-Identifier: MIT
set -u
B=${B:-build}
TOOL=$B/bin/rdsiam-token

if ! command -v python3 >/dev/null 2>&1 ||
    ! python3 -c 'import botocore.session' >/dev/null 2>&1; then
    echo "ok - botocore SSO refresh cross-check # SKIP botocore is not importable"
    exit 0
fi
if [ ! -x "$TOOL" ]; then
    echo "not ok - rdsiam-token is built ($TOOL)"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The stand-in: its port on the first line of its output; it exits when
# its stdin (this fifo's writer) closes.
mkfifo "$tmp/in"
python3 tests/helpers/aws_standin.py <"$tmp/in" >"$tmp/port" &
standin=$!
exec 3>"$tmp/in"
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
port=$(head -n 1 "$tmp/port")

# botocore fixes its SSO token cache directory (~/.aws/sso/cache) when it
# is imported: HOME must point at the temporary one from the start.
mkdir -p "$tmp/home/.aws/sso/cache"
HOME="$tmp/home" \
    python3 tests/crosscheck/botocore_sso_refresh.py "$TOOL" "$tmp" "$port"
exec 3>&-
wait "$standin" 2>/dev/null
exit 0
