#!/bin/sh
# tests/check-botocore-skip.sh - the botocore cross-checks cannot be
# skipped where they must run:
#
#   - tests/crosscheck/botocore.sh picks, of the python3 interpreters it
#     finds, the one with the newest botocore;
#   - with none, a cross-check script reports a SKIP, and with
#     RDSIAM_REQUIRE_CROSSCHECK=1 a failure (exit status 1);
#   - a part an older botocore cannot check (xcheck.missing()) is skipped
#     the same way (xcheck.skip()), naming the version;
#   - .ci/run sets RDSIAM_REQUIRE_CROSSCHECK=1.
#
# Stand-in interpreters are shell scripts printing a version, so what is
# found is known. Prints TAP-style lines. Run from the repository root.
# SPDX-License-Identifier: MIT
set -u

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdsiam-skip.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset RDSIAM_REQUIRE_CROSSCHECK BOTOCORE_PYTHON

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
check() { # check NAME GOT EXPECTED
    if [ "$2" = "$3" ]; then ok "$1"; else
        notok "$1"; echo "#   got:      $2"; echo "#   expected: $3"; fi
}

# fake DIR VERSION: DIR/python3 answers the botocore version probe with
# VERSION (empty: as if botocore were not installed).
fake() {
    mkdir -p "$1"
    if [ -n "$2" ]; then
        printf '#!/bin/sh\necho %s\n' "$2" >"$1/python3"
    else
        printf '#!/bin/sh\necho "ModuleNotFoundError: No module named botocore" >&2\nexit 1\n' >"$1/python3"
    fi
    chmod 755 "$1/python3"
}
fake "$tmp/old" 1.29.27
fake "$tmp/new" 1.43.11
fake "$tmp/newer" 1.100.0
fake "$tmp/none" ""

pick() { # pick: the interpreter chosen, in a subshell
    (. tests/crosscheck/botocore.sh && xcheck_python "pick" >/dev/null && echo "$PY")
}
check "the newest botocore wins (1.100.0 over 1.43.11 and 1.29.27, by version, not by order)" \
    "$(BOTOCORE_PYTHON="$tmp/old/python3 $tmp/newer/python3 $tmp/new/python3" pick)" "$tmp/newer/python3"
check "one without botocore is passed over" \
    "$(BOTOCORE_PYTHON="$tmp/none/python3 $tmp/old/python3" pick)" "$tmp/old/python3"
check "python3 on PATH is a candidate (without BOTOCORE_PYTHON)" \
    "$(PATH="$tmp/newer:$PATH" pick)" "$tmp/newer/python3"

# No botocore anywhere: a SKIP, or a failure where cross-checks must run.
out=$(BOTOCORE_PYTHON="$tmp/none/python3" sh tests/check-botocore-profile.sh 2>&1)
check "no botocore: the cross-check says SKIP, exit status 0" "$? $out" \
    "0 ok - botocore profile cross-check # SKIP no python3 here can import botocore (tried: $tmp/none/python3); install python3-botocore (make deps) or set BOTOCORE_PYTHON"
out=$(BOTOCORE_PYTHON="$tmp/none/python3" RDSIAM_REQUIRE_CROSSCHECK=1 sh tests/check-botocore-profile.sh 2>&1)
check "no botocore, RDSIAM_REQUIRE_CROSSCHECK=1: not ok, exit status 1" "$? $out" \
    "1 not ok - botocore profile cross-check: not cross-checked: no python3 here can import botocore (tried: $tmp/none/python3); install python3-botocore (make deps) or set BOTOCORE_PYTHON (RDSIAM_REQUIRE_CROSSCHECK=1: no cross-check may be skipped)"

# A part botocore cannot check, reported from Python (xcheck.skip()).
. tests/crosscheck/botocore.sh
xcheck_python "xcheck" >/dev/null
cd tests/crosscheck || exit 1
check "xcheck.skip: a SKIP line" \
    "$("$PY" -c 'import xcheck; print(xcheck.skip("part", "why"))')" \
    "ok - part # SKIP why
True"
check "xcheck.skip under RDSIAM_REQUIRE_CROSSCHECK=1: not ok" \
    "$(RDSIAM_REQUIRE_CROSSCHECK=1 "$PY" -c 'import xcheck; print(xcheck.skip("part", "why"))')" \
    "not ok - part: not cross-checked: why (RDSIAM_REQUIRE_CROSSCHECK=1: no cross-check may be skipped)
False"
# Debian 12's python3-botocore (1.29.27), when installed: what it lacks.
v=$(/usr/bin/python3 -c 'import botocore; print(botocore.__version__)' 2>/dev/null)
if [ "$v" = 1.29.27 ]; then
    check "xcheck.missing: botocore 1.29.27 lacks DSQL, endpoint URLs and IMDSv1 settings" \
        "$(/usr/bin/python3 -c 'import xcheck
for f in ("dsql", "endpoint_url", "imds_v1_disabled"): print(xcheck.missing(f))')" \
        "botocore 1.29.27 has no Aurora DSQL signer (generate_db_connect_auth_token)
botocore 1.29.27 cannot be pointed at a local STS or SSO endpoint (no AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO)
botocore 1.29.27 has no AWS_EC2_METADATA_V1_DISABLED (ec2_metadata_v1_disabled)"
else
    ok "xcheck.missing with Debian's botocore 1.29.27 # SKIP /usr/bin/python3 has botocore '${v:-none}'"
fi
cd ../..

# .ci/run runs the suite with skips turned into failures.
check ".ci/run exports RDSIAM_REQUIRE_CROSSCHECK=1" \
    "$(grep -c '^export RDSIAM_REQUIRE_CROSSCHECK=1$' .ci/run)" 1
