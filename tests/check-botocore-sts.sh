#!/bin/sh
# tests/check-botocore-sts.sh - STS calls, ours against botocore's, through
# the same loopback STS stand-in: AssumeRoleWithWebIdentity from the
# environment (botocore's own credential resolver), AssumeRole signed with
# static keys, STS errors, retries, and the default and configured STS
# endpoints (tests/crosscheck/botocore_sts.py). Skipped, saying so, when
# botocore cannot be imported.
set -u
B=${B:-build}
if ! python3 -c 'import botocore' >/dev/null 2>&1; then
    echo "ok - botocore STS cross-check # SKIP botocore not importable"
    exit 0
fi
if [ ! -x "$B/tests/sts-probe" ]; then
    echo "not ok - botocore STS cross-check: $B/tests/sts-probe is not built (make tests)"
    exit 1
fi
if "$B/tests/sts-probe" endpoint | grep -q '^skip'; then
    echo "ok - botocore STS cross-check # SKIP built with HTTP=no"
    exit 0
fi
timeout 300 python3 tests/crosscheck/botocore_sts.py "$B/tests/sts-probe"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore STS cross-check: timed out"
fi
exit "$rc"
