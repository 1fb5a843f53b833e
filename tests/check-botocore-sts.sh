#!/bin/sh
# tests/check-botocore-sts.sh - STS calls, ours against botocore's, through
# the same loopback STS stand-in: AssumeRoleWithWebIdentity from the
# environment (botocore's own credential resolver), AssumeRole signed with
# static keys, STS errors, retries, and the default and configured STS
# endpoints (tests/crosscheck/botocore_sts.py). Skipped, saying so, when no
# python3 has a botocore that can be pointed at the stand-in
# (tests/crosscheck/botocore.sh, xcheck.py); under
# RDSIAM_REQUIRE_CROSSCHECK=1 a skip fails.
set -u
B=${B:-build}
. tests/crosscheck/botocore.sh
xcheck_python "botocore STS cross-check"
if [ ! -x "$B/tests/sts-probe" ]; then
    echo "not ok - botocore STS cross-check: $B/tests/sts-probe is not built (make tests)"
    exit 1
fi
if "$B/tests/sts-probe" endpoint | grep -q '^skip'; then
    xcheck_skip "botocore STS cross-check" "built with HTTP=no"
fi
timeout 300 "$PY" tests/crosscheck/botocore_sts.py "$B/tests/sts-probe"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore STS cross-check: timed out"
fi
exit "$rc"
