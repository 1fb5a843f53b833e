# tests/crosscheck/botocore.sh - sourced by the tests/check-botocore*.sh
# scripts: which python3 runs a cross-check, and what a skip means.
#
#   xcheck_python NAME   sets PY to the interpreter with the newest
#                        botocore and prints it as a "# " line; with none,
#                        reports NAME skipped (xcheck_skip) and exits
#   xcheck_skip NAME REASON
#                        "ok - NAME # SKIP REASON", or, with
#                        RDSIAM_REQUIRE_CROSSCHECK=1 (.ci/run sets it),
#                        "not ok - NAME: ..." and exit status 1: where a
#                        cross-check must run, a skip is a failure
#
# The candidates: BOTOCORE_PYTHON alone when it is set (one interpreter or
# several, separated by spaces); otherwise python3
# in each directory of PATH, and /usr/bin/python3 (Debian's
# python3-botocore, 1.29, installs for that one; tests/deps.sh installs
# it). A python3 of one's own (pyenv, a virtual environment) often has a
# newer botocore: the newest wins, since 1.29 cannot cross-check DSQL
# tokens, STS, SSO or IMDSv1 settings (tests/crosscheck/xcheck.py).
# Each interpreter is asked once (the same file twice on PATH is one), and
# once per test run: the first script's choice is kept in
# $RDSIAM_RUN_DIR/botocore-python (tests/run-tests.sh) for the same
# candidates.
#
# SPDX-License-Identifier: MIT

xcheck_skip() {
    if [ "${RDSIAM_REQUIRE_CROSSCHECK:-}" = 1 ]; then
        echo "not ok - $1: not cross-checked: $2 (RDSIAM_REQUIRE_CROSSCHECK=1: no cross-check may be skipped)"
        exit 1
    fi
    echo "ok - $1 # SKIP $2"
    exit 0
}

xcheck_python() {
    if [ -n "${BOTOCORE_PYTHON:-}" ]; then
        _cands=$BOTOCORE_PYTHON
    else
        _cands=$(
            IFS=:
            for _d in $PATH; do [ -x "${_d:-.}/python3" ] && echo "${_d:-.}/python3"; done
            echo /usr/bin/python3
        )
    fi
    PY=
    _best=
    _cache=${RDSIAM_RUN_DIR:+$RDSIAM_RUN_DIR/botocore-python}
    if [ -n "$_cache" ] && [ -f "$_cache" ] && [ "$(sed -n 1p "$_cache")" = "$(echo $_cands)" ]; then
        PY=$(sed -n 2p "$_cache")
        _best=$(sed -n 3p "$_cache")
    else
        _seen=" "
        for _p in $_cands; do
            _r=$(readlink -f "$_p" 2>/dev/null) || _r=$_p
            case $_seen in *" $_r "*) continue ;; esac
            _seen="$_seen$_r "
            _v=$("$_p" -c 'import botocore; print(botocore.__version__)' 2>/dev/null) || continue
            case $_v in [0-9]*) ;; *) continue ;; esac
            if [ -z "$_best" ] || [ "$(printf '%s\n%s\n' "$_best" "$_v" | sort -V | tail -n 1)" != "$_best" ]; then
                _best=$_v
                PY=$_p
            fi
        done
        # Written whole, then renamed: a script reading it at the same
        # time sees the old state (no file) or this one.
        if [ -n "$_cache" ]; then
            printf '%s\n%s\n%s\n' "$(echo $_cands)" "$PY" "$_best" >"$_cache.$$" &&
                mv "$_cache.$$" "$_cache"
        fi
    fi
    if [ -z "$PY" ]; then
        xcheck_skip "$1" "no python3 here can import botocore (tried: $(echo $_cands)); install python3-botocore (make deps) or set BOTOCORE_PYTHON"
    fi
    echo "# $1: botocore $_best ($PY)"
}
