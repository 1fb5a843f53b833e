#!/bin/sh
# tests/run-tests.sh - run every unit-test program and check script and
# print one summary. Unit tests are cmocka programs (build/tests/test_*);
# check scripts (tests/check-*.sh) print TAP-style "ok - ..." /
# "not ok - ..." / "ok - ... # SKIP ..." lines.
#
# Usage: run-tests.sh [NAME...]   (default: everything)
#
# Each test gets TEST_TIMEOUT seconds (default 900; check-valgrind gives
# more): one that hangs is killed with everything it started, counted as
# failed and named, and the run goes on.
set -u
B=${B:-build}
TEST_TIMEOUT=${TEST_TIMEOUT:-900}
export AWS_EC2_METADATA_DISABLED=true
# Nothing the developer's own AWS setup holds may leak into a test.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY \
      AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_REGION AWS_DEFAULT_REGION \
      AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE \
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI \
      AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \
      AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN AWS_ROLE_SESSION_NAME \
      AWS_ENDPOINT_URL AWS_ENDPOINT_URL_STS AWS_IGNORE_CONFIGURED_ENDPOINT_URLS \
      AWS_CA_BUNDLE 2>/dev/null

passed=0; failed=0; skipped=0; failed_names=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

wanted() {
    [ -z "$SELECT" ] && return 0
    for w in $SELECT; do [ "$w" = "$1" ] && return 0; done
    return 1
}
SELECT="$*"

# timeout(1) exits 124 (or 137 after -k's KILL) when the limit struck.
timed_out() {
    case $1 in 124 | 137)
        echo "not ok - $name: killed after $TEST_TIMEOUT s (TEST_TIMEOUT)" >>"$log";;
    esac
}

# A slow test shows in the log: each one's wall-clock seconds follow it.
took() { echo "-- $1: $(( $(date +%s) - $2 )) s"; }

run_unit() {
    name=$(basename "$1")
    echo "== $name"
    t0=$(date +%s)
    timeout -k 10 "$TEST_TIMEOUT" "$1" >"$log" 2>&1
    rc=$?
    timed_out "$rc"
    cat "$log"
    took "$name" "$t0"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    [ "$f" -gt 0 ] && failed_names="$failed_names $name"
}

run_check() {
    name=$(basename "$1" .sh)
    echo "== $name"
    t0=$(date +%s)
    timeout -k 10 "$TEST_TIMEOUT" sh "$1" >"$log" 2>&1
    rc=$?
    timed_out "$rc"
    cat "$log"
    took "$name" "$t0"
    s=$(grep -c '^ok .*# SKIP' "$log")
    p=$(grep -c '^ok ' "$log"); p=$((p - s))
    f=$(grep -c '^not ok ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    [ "$f" -gt 0 ] && failed_names="$failed_names $name"
}

for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    wanted "$(basename "$t")" || continue
    run_unit "$t"
done
for c in tests/check-*.sh; do
    [ -f "$c" ] || continue
    wanted "$(basename "$c" .sh)" || continue
    run_check "$c"
done

echo
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed, $skipped skipped"
if [ $((passed + failed + skipped)) -eq 0 ]; then
    echo "no tests ran${SELECT:+ (selected: $SELECT)}" >&2
    exit 1
fi
[ "$failed" -eq 0 ]
