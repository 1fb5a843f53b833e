#!/bin/sh
# tests/check-botocore-services.sh - our ElastiCache, MemoryDB and MSK
# tokens byte for byte against botocore's presigner and AWS's MSK signer
# steps, with and without session tokens, serverless and not
# (tests/crosscheck/botocore_services.py, through the batch generator
# tests/crosscheck/tokengen.c), with the newest botocore a python3 here
# has (tests/crosscheck/botocore.sh). Skipped, saying so, when none has
# one; under RDSIAM_REQUIRE_CROSSCHECK=1 a skip fails.
# SPDX-License-Identifier: MIT
set -u
B=${B:-build}
. tests/crosscheck/botocore.sh
xcheck_python "botocore services cross-check"
if [ ! -x "$B/tests/crosscheck-tokengen" ]; then
    echo "not ok - botocore services cross-check: $B/tests/crosscheck-tokengen is not built (make tests)"
    exit 1
fi
# The default MSK user agent is librdsiam/VERSION, VERSION from the header.
version=$(sed -n 's/^#define RDSIAM_VERSION_STRING "\(.*\)"$/\1/p' include/rdsiam.h)
timeout 300 "$PY" tests/crosscheck/botocore_services.py \
    "$B/tests/crosscheck-tokengen" "$version"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore services cross-check: timed out"
fi
exit "$rc"
