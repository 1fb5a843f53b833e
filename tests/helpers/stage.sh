# tests/helpers/stage.sh - sourced by the check scripts that use the
# library as a user installs it (check-install, check-cmake, check-lambda,
# check-emulator-mariadb, check-emulator-postgres): one staged install per
# build configuration and test run, built by the first script that asks
# for it and shared by the others.
#
# stage_install NAME [MAKE-ARGUMENT...]: build the library in a build
# directory of its own with the arguments given, and install it with
# PREFIX=/usr into a stage (DESTDIR). Sets STAGE_B (the build directory),
# STAGE (the stage: $STAGE/usr/lib/librdsiam.so, ...) and STAGE_LOG (the
# build's output). Returns 0 once built, 1 if the build or the install
# failed (every caller sees the same failure and the same log). A script
# never changes what is in STAGE or STAGE_B: it copies what it changes.
#
# stage_pc DIR: rdsiam.pc and rdsiam-static.pc of the stage, written into
# DIR with their paths moved into the stage, so that
#   PKG_CONFIG_PATH=DIR pkg-config --cflags --libs rdsiam
# names the stage's header and library and the system's for the others
# (PKG_CONFIG_SYSROOT_DIR would move those too).
#
# The stages are kept in $RDSIAM_RUN_DIR/stage (tests/run-tests.sh gives
# each run that directory, removed with the run); a script run alone makes
# its own, removed when it exits (stage_cleanup, from its EXIT trap).
#
# SPDX-License-Identifier: MIT
stage_install() {
    _st_name=$1
    shift
    if [ -n "${RDSIAM_RUN_DIR:-}" ]; then
        _st_dir=$RDSIAM_RUN_DIR/stage
    elif [ -z "${_st_own:-}" ]; then
        _st_own=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-stage.XXXXXX") || return 1
        _st_dir=$_st_own
    fi
    mkdir -p "$_st_dir" || return 1
    STAGE_B=$_st_dir/$_st_name
    STAGE=$STAGE_B/stage
    STAGE_LOG=$STAGE_B.log
    # Under the lock: the first caller builds; a later one finds the
    # outcome ("ok" or "failed") the first one wrote.
    flock "$_st_dir/$_st_name.lock" sh -c '
        b=$1; shift
        [ -f "$b.outcome" ] && exit 0
        unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
        if make -s -j2 B="$b" "$@" >"$b.log" 2>&1 &&
            make -s B="$b" PREFIX=/usr DESTDIR="$b/stage" LDCONFIG=false "$@" install >>"$b.log" 2>&1; then
            echo ok >"$b.outcome"
        else
            echo failed >"$b.outcome"
        fi' sh "$STAGE_B" "$@" || return 1
    [ "$(cat "$STAGE_B.outcome")" = ok ]
}

stage_pc() {
    mkdir -p "$1" || return 1
    for _st_pc in rdsiam rdsiam-static; do
        sed "s|=/usr|=$STAGE/usr|" "$STAGE/usr/lib/pkgconfig/$_st_pc.pc" >"$1/$_st_pc.pc" || return 1
    done
}

stage_cleanup() {
    [ -n "${_st_own:-}" ] && rm -rf "$_st_own"
    return 0
}
