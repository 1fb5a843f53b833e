"""The default chain's precedence and the region, rdsiam-token against
botocore (tests/check-botocore-chain.sh runs it: TOOL TMPDIR).

botocore runs in this process: os.environ is swapped for each scenario and
a fresh Session reads it (and the files) from scratch. Tokens are signed by
an RDS client made from one template session (so the service model loads
once) with the credentials the scenario's session found.

Prints TAP-style lines: ok - ..., not ok - ...

SPDX-License-Identifier: MIT
"""
import os
import sys

import botocore.session

from xcheck import HOST, PORT, USER, freeze_clock, in_env, run_tool

tool, tmp = sys.argv[1], sys.argv[2]
freeze_clock()
NEUTRAL = {"PATH": os.environ["PATH"], "HOME": os.path.join(tmp, "home"),
           "AWS_EC2_METADATA_DISABLED": "true"}

template = in_env(NEUTRAL, botocore.session.Session)

def sign(f, region):
    rds = template.create_client(
        "rds", region_name=region, aws_access_key_id=f.access_key,
        aws_secret_access_key=f.secret_key, aws_session_token=f.token)
    return rds.generate_db_auth_token(DBHostname=HOST, Port=PORT,
                                      DBUsername=USER, Region=region)

def boto(env, profile, region):
    out = {}

    def find():
        s = botocore.session.Session(profile=profile)
        out["region"] = s.get_config_variable("region")
        c = s.get_credentials()
        return c.get_frozen_credentials() if c else None
    try:
        f = in_env(env, find)
        out["creds"] = f.access_key if f else None
        if f and region:
            out["token"] = in_env(NEUTRAL, lambda: sign(f, region))
    except Exception as e:
        out["error"] = type(e).__name__
    return out

def base_env(extra):
    env = dict(NEUTRAL, AWS_CONFIG_FILE=os.path.join(tmp, "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"))
    env.update(extra)
    return env

def ours(env, profile):
    return run_tool(tool, env, profile)

os.makedirs(os.path.join(tmp, "home"), exist_ok=True)
proc = os.path.join(tmp, "process.sh")
with open(proc, "w") as f:
    f.write('#!/bin/sh\nprintf \'{"Version": 1, "AccessKeyId": "AKIDPROCESS00000", '
            '"SecretAccessKey": "processsecret", "SessionToken": "proctoken"}\'\n')
os.chmod(proc, 0o755)

KEYS = {"AWS_ACCESS_KEY_ID": "AKIDENV000000000", "AWS_SECRET_ACCESS_KEY": "envsecret"}
REGION = {"AWS_DEFAULT_REGION": "us-east-1"}
CREDS_DEFAULT = "[default]\naws_access_key_id = AKIDCREDSFILE000\naws_secret_access_key = credsfilesecret\n"
CREDS_DEV = "[dev]\naws_access_key_id = AKIDDEV000000000\naws_secret_access_key = devsecret\naws_session_token = devtoken\n"
CONF_DEFAULT_KEYS = "[default]\naws_access_key_id = AKIDCONFIG000000\naws_secret_access_key = configsecret\n"

# name, environment, config text, credentials text, explicit profile,
# expectation: "same" (both pick the same credentials and region, and
# botocore signs the same token), or a dict of documented outcomes.
S = [
    ("environment keys", dict(KEYS, **REGION), None, CREDS_DEFAULT, None, "same"),
    ("environment keys with AWS_SESSION_TOKEN",
     dict(KEYS, AWS_SESSION_TOKEN="envtoken", **REGION), None, None, None, "same"),
    ("AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN",
     dict(KEYS, AWS_SESSION_TOKEN="envtoken", AWS_SECURITY_TOKEN="sectoken",
          **REGION), None, None, None, "same"),
    ("credentials file default profile", REGION, None, CREDS_DEFAULT, None, "same"),
    ("config file static keys", REGION, CONF_DEFAULT_KEYS, None, None, "same"),
    ("credentials file beats config file", REGION, CONF_DEFAULT_KEYS,
     CREDS_DEFAULT, None, "same"),
    ("AWS_PROFILE selects a profile", dict(REGION, AWS_PROFILE="dev"), None,
     CREDS_DEFAULT + CREDS_DEV, None, "same"),
    ("AWS_DEFAULT_PROFILE selects a profile",
     dict(REGION, AWS_DEFAULT_PROFILE="dev"), None, CREDS_DEFAULT + CREDS_DEV,
     None, "same"),
    ("AWS_PROFILE does not beat environment keys",
     dict(KEYS, AWS_PROFILE="dev", **REGION), None, CREDS_DEV, None, "same"),
    ("explicit profile ignores environment keys", dict(KEYS, **REGION), None,
     CREDS_DEFAULT + CREDS_DEV, "dev", "same"),
    ("credential_process", REGION,
     "[default]\ncredential_process = %s\n" % proc, None, None, "same"),
    ("credentials file keys beat credential_process", REGION,
     "[default]\ncredential_process = %s\n" % proc, CREDS_DEFAULT, None, "same"),
    ("credential_process beats config file keys", REGION,
     "[default]\naws_access_key_id = AKIDCONFIG000000\naws_secret_access_key = s\n"
     "credential_process = %s\n" % proc, None, None, "same"),
    ("profile region", dict(KEYS), "[default]\nregion = eu-central-1\n", None,
     None, "same"),
    ("AWS_DEFAULT_REGION beats the profile region",
     dict(KEYS, AWS_DEFAULT_REGION="ap-south-1"),
     "[default]\nregion = eu-central-1\n", None, None, "same"),
    ("named profile region", dict(KEYS, AWS_PROFILE="dev"),
     "[profile dev]\nregion = sa-east-1\n", None, None, "same"),
    # Keys indented under their section, as the AWS CLI accepts them.
    ("indented keys in the credentials file", REGION, None,
     "[default]\n  aws_access_key_id = AKIDINDENTED0000\n"
     "  aws_secret_access_key = indentedsecret\n", None, "same"),
    ("indented keys and region in the config file", {},
     "[profile ops]\n    region = eu-north-1\n"
     "    aws_access_key_id = AKIDINDENTED0000\n"
     "    aws_secret_access_key = indentedsecret\n", None, "ops", "same"),
    ("tab-indented keys, a continuation indented further", REGION, None,
     "[dev]\n\taws_access_key_id = AKIDINDENTED0000\n"
     "\taws_secret_access_key = indentedsecret\n"
     "\toutput = json\n\t\taws_secret_access_key = continued\n", "dev",
     "same"),
    ("nothing configured", REGION, None, None, None, "none"),
    ("key id without secret", {"AWS_ACCESS_KEY_ID": "AKIDENV000000000"}, None,
     CREDS_DEFAULT, None, "error"),
    # Documented divergences.
    ("AWS_REGION (botocore reads only AWS_DEFAULT_REGION)",
     dict(KEYS, AWS_REGION="eu-west-1", AWS_DEFAULT_REGION="us-west-2"),
     "[default]\nregion = eu-central-1\n", None, None,
     {"ours_region": "eu-west-1", "boto_region": "us-west-2"}),
    ("AWS_REGION alone (botocore falls back to the profile)",
     dict(KEYS, AWS_REGION="eu-west-1"), "[default]\nregion = eu-central-1\n",
     None, None, {"ours_region": "eu-west-1", "boto_region": "eu-central-1"}),
    ("AWS_PROFILE and AWS_DEFAULT_PROFILE (botocore prefers the latter)",
     dict(REGION, AWS_PROFILE="dev", AWS_DEFAULT_PROFILE="default"), None,
     CREDS_DEFAULT + CREDS_DEV, None,
     {"ours_creds": "AKIDDEV000000000", "boto_creds": "AKIDCREDSFILE000"}),
    ("secret without key id (botocore skips the environment)",
     dict(REGION, AWS_SECRET_ACCESS_KEY="envsecret"), None, CREDS_DEFAULT, None,
     {"ours_error": "AWS_ACCESS_KEY_ID is not set", "boto_creds": "AKIDCREDSFILE000"}),
]

for name, extra, conf, creds, profile, want in S:
    for fn, text in (("config", conf), ("credentials", creds)):
        path = os.path.join(tmp, fn)
        if text is None:
            if os.path.exists(path):
                os.unlink(path)
        else:
            with open(path, "w") as f:
                f.write(text)
    env = base_env(extra)
    o = ours(env, profile)
    b = boto(env, profile, o.get("region"))
    why = ""
    if want == "same":
        good = (o["status"] == 0 and "error" not in b and
                o["creds"] == b.get("creds") and o["region"] == b.get("region")
                and o["token"] == b.get("token"))
        if not good:
            why = "ours %s, botocore %s" % (
                {k: o.get(k) for k in ("status", "creds", "region", "stderr")},
                {k: b.get(k) for k in ("creds", "region", "error")})
    elif want == "none":
        good = (o["status"] == 1 and "no credentials found" in o["stderr"]
                and "error" not in b and b.get("creds") is None)
        if not good:
            why = "ours %s, botocore %s" % (o, b)
    elif want == "error":
        good = o["status"] == 1 and "error" in b
        if not good:
            why = "ours %s, botocore %s" % (o, b)
    else:
        good = "error" not in b or "boto_creds" not in want
        for k, v in want.items():
            side, field = k.split("_", 1)
            if side == "ours" and field == "error":
                good = good and o["status"] == 1 and v in o["stderr"]
            elif side == "ours":
                good = good and o["status"] == 0 and o.get(field) == v
            else:
                good = good and b.get(field) == v
        if not good:
            why = "ours %s, botocore %s" % (
                {k: o.get(k) for k in ("status", "creds", "region", "stderr")},
                {k: b.get(k) for k in ("creds", "region", "error")})
        name += " [documented divergence]"
    print("%s - %s" % ("ok" if good else "not ok", name))
    if why:
        print("# " + why)
