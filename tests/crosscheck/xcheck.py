"""What the botocore cross-checks share: the pinned inputs and clock, a
scoped environment for botocore, and one way to run rdsiam-token.

botocore reads os.environ (and the files it names) when a Session is made,
so each scenario swaps os.environ for its own with in_env(). freeze_clock()
pins botocore's signing time to TIME, which run_tool() passes to the tool.

SPDX-License-Identifier: MIT
"""
import datetime
import os
import subprocess

HOST, PORT, USER = "db.example.com", 5432, "app_user"
TIME = "20161107T173933Z"


def freeze_clock():
    """botocore signs at TIME (2016-11-07T17:39:33Z) from now on."""
    import botocore.auth
    botocore.auth.get_current_datetime = (
        lambda remove_tzinfo=True: datetime.datetime(2016, 11, 7, 17, 39, 33))


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
