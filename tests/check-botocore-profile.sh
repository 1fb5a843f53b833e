#!/bin/sh
# tests/check-botocore-profile.sh - which profile credentials and region
# win, ours against botocore's, for temporary config/credentials file pairs
# (tests/crosscheck/botocore_profile.py). Known divergences between
# botocore's configparser-based loader and the AWS configuration-file
# format are reported, not failed. Skipped, saying so, when no python3 has
# botocore (tests/crosscheck/botocore.sh); under RDSIAM_REQUIRE_CROSSCHECK=1
# a skip fails.
set -u
B=${B:-build}
. tests/crosscheck/botocore.sh
xcheck_python "botocore profile cross-check"
if [ ! -x "$B/tests/profile-probe" ]; then
    echo "not ok - botocore profile cross-check: $B/tests/profile-probe is not built (make tests)"
    exit 1
fi
timeout 300 "$PY" tests/crosscheck/botocore_profile.py "$B/tests/profile-probe"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore profile cross-check: timed out"
fi
exit "$rc"
