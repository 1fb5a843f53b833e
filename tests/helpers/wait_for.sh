# tests/helpers/wait_for.sh - sourced by the check scripts that watch a
# process through its log (check-cli-output.sh, check-poolers.sh).
#
# wait_for FILE PATTERN [N]: return 0 once FILE has N (default 1) lines
# matching the grep PATTERN. This waits for an event; the 60 s limit only
# keeps a bug from hanging the run (then it returns 1).
#
# SPDX-License-Identifier: MIT
wait_for() {
    _wf_i=0
    while :; do
        # A file not there yet (a background process has not opened its
        # log) counts as no line.
        _wf_n=$(grep -c -- "$2" "$1" 2>/dev/null)
        [ "${_wf_n:-0}" -ge "${3:-1}" ] && return 0
        _wf_i=$((_wf_i + 1))
        [ $_wf_i -gt 1200 ] && return 1
        sleep 0.05
    done
}
