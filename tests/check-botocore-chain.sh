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
# Needs a python3 with botocore (tests/crosscheck/botocore.sh picks the
# newest; none: skipped, or failed under RDSIAM_REQUIRE_CROSSCHECK=1).
# Nothing leaves loopback:
# no scenario configures a network source and AWS_EC2_METADATA_DISABLED is
# set for both sides.
set -u
B=${B:-build}
TOOL=$B/bin/rdsiam-token

. tests/crosscheck/botocore.sh
xcheck_python "botocore chain cross-check"
if [ ! -x "$TOOL" ]; then
    echo "not ok - rdsiam-token is built ($TOOL)"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

"$PY" tests/crosscheck/botocore_chain.py "$TOOL" "$tmp"
