#!/bin/sh
# tests/check-botocore-chain.sh - for a set of environments and temporary
# profile files, do our default chain (through rdsiam-token) and botocore's
# (botocore.session.Session().get_credentials()) pick the same credentials
# and region?
#
# Credentials are compared through whole tokens: botocore's RDS signer, with
# its clock frozen, signs the same request with the credentials it found, so
# key id, secret and session token must all agree. Where our documented
# behaviour differs from botocore's on purpose (AWS_REGION, which botocore
# does not read; AWS_PROFILE over AWS_DEFAULT_PROFILE; a lone secret in the
# environment), the scenario asserts the documented outcome for both sides.
#
# Needs python3 with botocore; skipped otherwise. Nothing leaves loopback:
# no scenario configures a network source and AWS_EC2_METADATA_DISABLED is
# set for both sides.
set -u
B=${B:-build}
TOOL=$B/bin/rdsiam-token

if ! command -v python3 >/dev/null 2>&1 ||
    ! python3 -c 'import botocore.session' >/dev/null 2>&1; then
    echo "ok - botocore cross-check # SKIP botocore is not importable"
    exit 0
fi
if [ ! -x "$TOOL" ]; then
    echo "not ok - rdsiam-token is built ($TOOL)"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 tests/crosscheck/botocore_chain.py "$TOOL" "$tmp"
