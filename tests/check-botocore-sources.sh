#!/bin/sh
# tests/check-botocore-sources.sh - the default chain's network sources
# (assumed roles, web identity, SSO, instance metadata, container), ours
# through rdsiam-token against botocore's credential resolver, both pointed
# at the same loopback stand-in; they must choose the same access key id and
# print the same token byte for byte (tests/crosscheck/botocore_sources.py).
# Skipped, saying so, when botocore cannot be imported or HTTP=no.
set -u
B=${B:-build}
TOOL=$B/bin/rdsiam-token
if ! python3 -c 'import botocore' >/dev/null 2>&1; then
    echo "ok - botocore sources cross-check # SKIP botocore not importable"
    exit 0
fi
if [ ! -x "$TOOL" ]; then
    echo "not ok - botocore sources cross-check: $TOOL is not built"
    exit 1
fi
if grep -q 'RDSIAM_HTTP=0' "$B/cflags.stamp" 2>/dev/null; then
    echo "ok - botocore sources cross-check # SKIP built with HTTP=no"
    exit 0
fi
timeout 300 python3 tests/crosscheck/botocore_sources.py "$TOOL"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore sources cross-check: timed out"
fi
exit "$rc"
