#!/bin/sh
# tests/check-botocore.sh - our RDS and DSQL tokens, and the rdsiam-token
# tool, byte for byte against botocore's on thousands of generated inputs
# (tests/crosscheck/botocore_crosscheck.py), with the newest botocore a
# python3 here has (tests/crosscheck/botocore.sh). Skipped, saying so, when
# none has one (and the DSQL part when it predates DSQL); under
# RDSIAM_REQUIRE_CROSSCHECK=1 a skip fails.
set -u
B=${B:-build}
. tests/crosscheck/botocore.sh
xcheck_python "botocore cross-check"
if [ ! -x "$B/tests/crosscheck-tokengen" ]; then
    echo "not ok - botocore cross-check: $B/tests/crosscheck-tokengen is not built (make tests)"
    exit 1
fi
timeout 300 "$PY" tests/crosscheck/botocore_crosscheck.py \
    "$B/tests/crosscheck-tokengen" "$B/bin/rdsiam-token"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore cross-check: timed out"
fi
exit "$rc"
