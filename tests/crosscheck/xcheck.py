"""What the botocore cross-checks share: the pinned inputs and clock, a
scoped environment for botocore, one way to run rdsiam-token, and what a
part botocore cannot check means.

botocore reads os.environ (and the files it names) when a Session is made,
so each scenario swaps os.environ for its own with in_env(). freeze_clock()
pins botocore's signing time to TIME, which run_tool() passes to the tool.

Which botocore: tests/crosscheck/botocore.sh picks the python3 with the
newest. What an older one cannot cross-check, missing() says (Debian 12's
python3-botocore, 1.29, lacks all three features below; the token,
profile and chain cross-checks and the instance metadata cases run on it).
skip() reports such a part: a SKIP, or a failure where
RDSIAM_REQUIRE_CROSSCHECK=1 (.ci/run sets it: a skipped cross-check there
would let the byte-identical claim go unchecked).

SPDX-License-Identifier: MIT
"""
import datetime
import os
import subprocess
import types

HOST, PORT, USER = "db.example.com", 5432, "app_user"
TIME = "20161107T173933Z"
REQUIRED = os.environ.get("RDSIAM_REQUIRE_CROSSCHECK") == "1"


def freeze_clock(now=None):
    """botocore signs at now() (default TIME, 2016-11-07T17:39:33Z) from
    now on: a naive UTC datetime."""
    import botocore.auth
    if now is None:
        def now():
            return datetime.datetime(2016, 11, 7, 17, 39, 33)
    if hasattr(botocore.auth, "get_current_datetime"):
        botocore.auth.get_current_datetime = lambda remove_tzinfo=True: now()
        return
    # Older botocore (1.29) calls datetime.datetime.utcnow() through the
    # datetime module it imported: give it one whose clock is now().
    class Clock(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return now()
    shim = types.ModuleType("datetime")
    shim.__dict__.update(datetime.__dict__)
    shim.datetime = Clock
    botocore.auth.datetime = shim


def _session_variables():
    import botocore.configprovider
    return botocore.configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES


def missing(feature):
    """Why this botocore cannot cross-check FEATURE, or None if it can."""
    import botocore
    import botocore.session
    v = botocore.__version__
    if feature == "dsql":
        if "dsql" not in botocore.session.get_session().get_available_services():
            return ("botocore %s has no Aurora DSQL signer "
                    "(generate_db_connect_auth_token)" % v)
    elif feature == "endpoint_url":
        # AWS_ENDPOINT_URL_<SERVICE> came with ignore_configured_endpoint_urls.
        if "ignore_configured_endpoint_urls" not in _session_variables():
            return ("botocore %s cannot be pointed at a local STS or SSO "
                    "endpoint (no AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO)" % v)
    elif feature == "imds_v1_disabled":
        if "ec2_metadata_v1_disabled" not in _session_variables():
            return ("botocore %s has no AWS_EC2_METADATA_V1_DISABLED "
                    "(ec2_metadata_v1_disabled)" % v)
    else:
        raise ValueError("unknown feature " + feature)
    return None


def skip(name, reason):
    """The TAP line for a part not cross-checked; False when it fails."""
    if REQUIRED:
        print("not ok - %s: not cross-checked: %s "
              "(RDSIAM_REQUIRE_CROSSCHECK=1: no cross-check may be skipped)"
              % (name, reason))
        return False
    print("ok - %s # SKIP %s" % (name, reason))
    return True


def in_env(env, fn):
    """fn() with os.environ replaced by env; the old one put back after."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return fn()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_tool(tool, env, profile):
    """rdsiam-token for HOST:PORT as USER at TIME in env (and --profile).

    {"status": N, "stderr": text} when it fails; else {"status": 0,
    "token": the token, "creds": its access key id, "region": its region}.
    """
    args = [tool, "--hostname", HOST, "--port", str(PORT), "--username",
            USER, "--signing-time", TIME]
    if profile:
        args += ["--profile", profile]
    r = subprocess.run(args, env=env, capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        return {"status": r.returncode, "stderr": r.stderr.strip()}
    tok = r.stdout.strip()
    cred = tok.split("X-Amz-Credential=")[1].split("&")[0].split("%2F")
    return {"status": 0, "token": tok, "creds": cred[0], "region": cred[2]}
