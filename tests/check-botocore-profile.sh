#!/bin/sh
# tests/check-botocore-profile.sh - which profile credentials and region
# win, ours against botocore's, for temporary config/credentials file pairs
# (tests/crosscheck/botocore_profile.py). Known divergences between
# botocore's configparser-based loader and the AWS configuration-file
# format are reported, not failed. Skipped, saying so, when botocore cannot
# be imported.
set -u
B=${B:-build}
if ! python3 -c 'import botocore' >/dev/null 2>&1; then
    echo "ok - botocore profile cross-check # SKIP botocore not importable"
    exit 0
fi
if [ ! -x "$B/tests/profile-probe" ]; then
    echo "not ok - botocore profile cross-check: $B/tests/profile-probe is not built (make tests)"
    exit 1
fi
timeout 300 python3 tests/crosscheck/botocore_profile.py "$B/tests/profile-probe"
rc=$?
if [ "$rc" -eq 124 ]; then
    echo "not ok - botocore profile cross-check: timed out"
fi
exit "$rc"
