#!/bin/sh
# tests/check-botocore.sh - our RDS and DSQL tokens, and the rdsiam-token
# tool, byte for byte against botocore's on thousands of generated inputs
# (tests/crosscheck/botocore_crosscheck.py). Skipped, saying so, when
# botocore cannot be imported.
set -u
B=${B:-build}
if ! python3 -c 'import botocore' >/dev/null 2>&1; then
    echo "ok - botocore cross-check # SKIP botocore not importable"
    exit 0
fi
if [ ! -x "$B/tests/crosscheck-tokengen" ]; then
    echo "not ok - botocore cross-check: $B/tests/crosscheck-tokengen is not built (make tests)"
    exit 1
fi
timeout 300 python3 tests/crosscheck/botocore_crosscheck.py \
    "$B/tests/crosscheck-tokengen" "$B/bin/rdsiam-token"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore cross-check: timed out"
fi
exit "$rc"
