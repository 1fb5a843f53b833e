#!/bin/sh
# tests/check-botocore-sources.sh - the default chain's network sources
# (assumed roles, web identity, SSO, instance metadata, container) and the
# endpoints the profile configures for STS and the SSO portal, ours
# through rdsiam-token against botocore's credential resolver, both pointed
# at the same loopback stand-in; they must choose the same access key id and
# print the same token byte for byte (tests/crosscheck/botocore_sources.py).
# Skipped, saying so, when no python3 has botocore (or an old one:
# tests/crosscheck/xcheck.py) or HTTP=no; under RDSIAM_REQUIRE_CROSSCHECK=1
# a skip fails.
set -u
B=${B:-build}
TOOL=$B/bin/rdsiam-token
. tests/crosscheck/botocore.sh
xcheck_python "botocore sources cross-check"
if [ ! -x "$TOOL" ]; then
    echo "not ok - botocore sources cross-check: $TOOL is not built"
    exit 1
fi
if grep -q 'RDSIAM_HTTP=0' "$B/cflags.stamp" 2>/dev/null; then
    xcheck_skip "botocore sources cross-check" "built with HTTP=no"
fi
timeout 300 "$PY" tests/crosscheck/botocore_sources.py "$TOOL"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore sources cross-check: timed out"
fi
exit "$rc"
