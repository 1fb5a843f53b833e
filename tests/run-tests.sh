#!/bin/sh
# tests/run-tests.sh - run every unit-test program and check script and
# print one summary. Unit tests are cmocka programs (build/tests/test_*);
# check scripts (tests/check-*.sh) print TAP-style "ok - ..." /
# "not ok - ..." / "ok - ... # SKIP ..." lines.
#
# Usage: run-tests.sh [NAME...]   (default: everything)
#
# TEST_JOBS tests run at a time (default 2; 1 runs them one after
# another). Each test's output is printed in one piece when it has
# finished, then its seconds and CPU seconds ("-- NAME: 3 s (CPU 1.2 s)":
# what it and the processes it waited for used); the summary adds the CPU
# seconds of all. The slowest tests of the last run (their seconds are kept in
# $B/tests/last-run-seconds) start first, so that a long one does not
# start last; the summary counts in the usual order (unit tests, then
# check scripts, each by name). Tests must not share anything they change
# (ports, files, the build directory): each makes its own.
#
# Each test gets TEST_TIMEOUT seconds (default 900; check-valgrind gives
# more): one that hangs is killed with everything it started, counted as
# failed and named, and the run goes on.
set -u
B=${B:-build}
TEST_TIMEOUT=${TEST_TIMEOUT:-900}
TEST_JOBS=${TEST_JOBS:-2}
case $TEST_JOBS in '' | *[!0-9]* | 0) echo "TEST_JOBS must be a number of at least 1" >&2; exit 2 ;; esac
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

work=$(mktemp -d) || exit 1
# What the check scripts share within the run, made by the first that
# needs it: one staged install per build configuration
# (tests/helpers/stage.sh), the python3 the botocore cross-checks use
# (tests/crosscheck/botocore.sh).
RDSIAM_RUN_DIR=$work/shared
mkdir "$RDSIAM_RUN_DIR" || exit 1
export RDSIAM_RUN_DIR
times=$B/tests/last-run-seconds
trap 'rm -rf "$work"' EXIT
# Interrupted: stop the tests under way (timeout passes the signal on to
# everything each one started), then leave.
trap 'for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; exit 130' INT TERM

wanted() {
    [ -z "$SELECT" ] && return 0
    for w in $SELECT; do [ "$w" = "$1" ] && return 0; done
    return 1
}
SELECT="$*"

# The tests, in printing order: "N KIND PATH NAME" lines in $work/list.
n=0
for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    wanted "$(basename "$t")" || continue
    n=$((n + 1)); echo "$n unit $t $(basename "$t")"
done >"$work/list"
for c in tests/check-*.sh; do
    [ -f "$c" ] || continue
    wanted "$(basename "$c" .sh)" || continue
    n=$((n + 1)); echo "$n check $c $(basename "$c" .sh)"
done >>"$work/list"
total=$n

# Starting order: by the seconds each took last time, slowest first (a
# test not timed yet counts as slow); equal times keep the printing order.
while read -r i kind path name; do
    s=$(awk -v n="$name" '$1 == n { print $2; exit }' "$times" 2>/dev/null)
    echo "${s:-100000} $i $kind $path $name"
done <"$work/list" | sort -k1,1nr -k2,2n | cut -d' ' -f2- >"$work/order"

# Counting, as before: cmocka's summary lines for a unit test, TAP lines
# for a check script; a non-zero exit without a failure counted is one
# failure, and so is a test that reported nothing at all.
count() { # count KIND LOG RC -> "passed failed skipped"
    if [ "$1" = unit ]; then
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$2" | awk '{s+=$1} END {print s+0}')
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$2" | awk '{s+=$1} END {print s+0}')
        s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$2" | awk '{s+=$1} END {print s+0}')
    else
        s=$(grep -c '^ok .*# SKIP' "$2")
        p=$(grep -c '^ok ' "$2"); p=$((p - s))
        f=$(grep -c '^not ok ' "$2")
    fi
    if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then f=1; fi
    echo "$p $f $s"
}

# One test, in the background: its output, its seconds and its counts go
# to files of its own; $work/N.done appears when it is over, before its
# slot is given back.
run_one() { # run_one N KIND PATH NAME
    t0=$(date +%s)
    if [ "$2" = unit ]; then
        timeout -k 10 "$TEST_TIMEOUT" "$3" >"$work/$1.log" 2>&1 &
    else
        timeout -k 10 "$TEST_TIMEOUT" sh "$3" >"$work/$1.log" 2>&1 &
    fi
    echo $! >"$work/$1.pid"
    wait $!
    rc=$?
    rm -f "$work/$1.pid"
    # timeout(1) exits 124 (or 137 after -k's KILL) when the limit struck.
    case $rc in 124 | 137)
        echo "not ok - $4: killed after $TEST_TIMEOUT s (TEST_TIMEOUT)" >>"$work/$1.log" ;;
    esac
    secs=$(($(date +%s) - t0))
    # The CPU seconds of the test and everything it waited for: the
    # second line of `times` (this subshell's children), as 0m1.230000s
    # 0m0.450000s (a builtin: no subshell of its own, which would count
    # nothing).
    times >"$work/$1.times"
    cpu=$(awk 'NR == 2 { n = split($0, f, /[ms ]+/); c = 0
        for (i = 1; i + 1 <= n; i += 2) c += f[i] * 60 + f[i + 1]
        printf "%.1f", c }' "$work/$1.times")
    echo "$(count "$2" "$work/$1.log" "$rc") $4 $secs ${cpu:-0}" >"$work/$1.result"
    : >"$work/$1.done"
}

# Print every test that has finished and is not printed yet.
printed=0
flush() {
    for d in "$work"/*.done; do
        [ -f "$d" ] || continue
        k=${d%.done}
        read -r _ _ _ name secs cpu <"$k.result"
        echo "== $name"
        cat "$k.log"
        echo "-- $name: $secs s (CPU $cpu s)"
        mv "$d" "$k.printed"
        printed=$((printed + 1))
    done
}

# A slot is a line in the FIFO: a test takes one to start and puts it back
# when it ends, so TEST_JOBS run at a time.
mkfifo "$work/slots" && exec 3<>"$work/slots" || exit 1
i=0
while [ $i -lt "$TEST_JOBS" ]; do echo >&3; i=$((i + 1)); done
while read -r i kind path name; do
    read -r _ <&3
    (
        run_one "$i" "$kind" "$path" "$name"
        echo >&3
    ) &
    flush
done <"$work/order"
# Each test that ends gives its slot back: wait for that, then print it.
while [ "$printed" -lt "$total" ]; do
    read -r _ <&3
    flush
done
wait
exec 3>&-

passed=0; failed=0; skipped=0; failed_names=""; cpu_all=0
: >"$work/times"
i=0
while [ $i -lt "$total" ]; do
    i=$((i + 1))
    read -r p f s name secs cpu <"$work/$i.result"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    cpu_all=$(awk -v a="$cpu_all" -v b="$cpu" 'BEGIN { printf "%.1f", a + b }')
    [ "$f" -gt 0 ] && failed_names="$failed_names $name"
    echo "$name $secs" >>"$work/times"
done
# Keep the times of tests that did not run this time.
[ -f "$times" ] && awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen)' \
    "$work/times" "$times" >"$work/times.kept"
[ -d "${times%/*}" ] && cat "$work/times" "$work/times.kept" 2>/dev/null >"$times"

echo
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed, $skipped skipped (CPU $cpu_all s)"
if [ $((passed + failed + skipped)) -eq 0 ]; then
    echo "no tests ran${SELECT:+ (selected: $SELECT)}" >&2
    exit 1
fi
[ "$failed" -eq 0 ]
