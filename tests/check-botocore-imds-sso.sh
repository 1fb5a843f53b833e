#!/bin/sh
# tests/check-botocore-imds-sso.sh - do our instance metadata and IAM
# Identity Center (SSO) sources and botocore's get the same credentials
# (key id, secret, session token and expiry) from the same stand-ins and
# files, and fail in the same places?
#
# tests/helpers/aws_standin.py serves IMDS and the SSO portal on 127.0.0.1;
# both sides reach it through AWS_EC2_METADATA_SERVICE_ENDPOINT (or the
# profile's ec2_metadata_service_endpoint) and AWS_ENDPOINT_URL_SSO, and
# read the same config file and ~/.aws/sso/cache in a temporary HOME.
# botocore: botocore.session.Session(profile=...).get_credentials(), its
# whole chain with nothing else configured. Ours: the two sources on
# their own, through tests/crosscheck/imds-sso-probe.c (built with the
# unit tests), given the profile's settings as the chain gives them.
#
# Then the refresh of an SSO token inside its 15-minute window
# (tests/crosscheck/botocore_sso_refresh.py): rdsiam-token and botocore
# take turns on one cache file through SSO-OIDC at the same stand-in
# (AWS_ENDPOINT_URL_SSO_OIDC); each reads what the other wrote, and both
# sign the same RDS token, byte for byte.
#
# Needs a python3 with botocore (tests/crosscheck/botocore.sh picks the
# newest; none: skipped, or failed under RDSIAM_REQUIRE_CROSSCHECK=1).
# Nothing leaves loopback.
# SPDX-License-Identifier: MIT
set -u
B=${B:-build}
TOOL=$B/bin/rdsiam-token


. tests/crosscheck/botocore.sh
xcheck_python "botocore IMDS/SSO cross-check"
if [ ! -f "$B/lib/librdsiam.a" ]; then
    echo "not ok - librdsiam.a is built ($B/lib/librdsiam.a)"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$B/tests/imds-sso-probe" ] || [ ! -x "$TOOL" ]; then
    echo "not ok - $B/tests/imds-sso-probe and $TOOL are built (make tests)"
    exit 1
fi
ln -s "$(cd "$B/tests" && pwd)/imds-sso-probe" "$tmp/driver"

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
HOME="$tmp/home" "$PY" tests/crosscheck/botocore_imds_sso.py "$tmp" "$port"
HOME="$tmp/home" \
    "$PY" tests/crosscheck/botocore_sso_refresh.py "$TOOL" "$tmp" "$port"
exec 3>&-
wait "$standin" 2>/dev/null
exit 0
