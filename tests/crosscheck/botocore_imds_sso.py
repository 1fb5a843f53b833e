"""IMDS and SSO credentials, librdsiam (tests/crosscheck/imds-sso-probe.c)
against botocore, both pointed at one aws_standin.py
(tests/check-botocore-imds-sso.sh runs it: TMPDIR PORT, with HOME set to
TMPDIR/home before botocore is imported).

Prints TAP-style lines: ok - ..., not ok - ...

SPDX-License-Identifier: MIT
"""
import datetime
import hashlib
import json
import os
import subprocess
import sys

from xcheck import in_env, missing, skip

tmp, port = sys.argv[1], sys.argv[2]
base = "http://127.0.0.1:%s" % port
home = os.path.join(tmp, "home")
cache = os.path.join(home, ".aws", "sso", "cache")
os.makedirs(cache, exist_ok=True)
config = os.path.join(home, ".aws", "config")

import botocore.session

NEUTRAL = {"PATH": os.environ["PATH"], "HOME": home,
           "AWS_CONFIG_FILE": config,
           "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "nocreds"),
           "AWS_EC2_METADATA_DISABLED": "true"}


def epoch(dt):
    return int(dt.timestamp())


def boto(env, profile):
    def find():
        s = botocore.session.Session(profile=profile)
        c = s.get_credentials()
        if c is None:
            return "NONE"
        f = c.get_frozen_credentials()
        return "OK %s %s %s %d" % (f.access_key, f.secret_key, f.token,
                                   epoch(c._expiry_time))
    try:
        return in_env(env, find)
    except Exception as e:
        return "ERR %s: %s" % (type(e).__name__, e)


def ours(env, args):
    out = subprocess.run([os.path.join(tmp, "driver")] + args, env=env,
                         capture_output=True, text=True, timeout=60)
    return out.stdout.strip() or ("ERR exit %d %s" % (out.returncode,
                                                       out.stderr.strip()))


results = []


def check(name, env_extra, config_text, args, profile, expect, why=None,
          needs=None):
    """expect: "same" (both OK and equal), "extended" (see below), or
    "both-fail" (both refuse;
    messages differ by design; why: a piece of each side's message).
    needs: a botocore feature the case needs (xcheck.missing())."""
    reason = missing(needs) if needs else None
    if reason:
        results.append(("skip", name, reason, None))
        return
    with open(config, "w") as f:
        f.write(config_text)
    env = dict(NEUTRAL)
    env.update(env_extra)
    b = boto(env, profile)
    o = ours(env, args)
    if expect == "same":
        ok = b.startswith("OK ") and b == o
    elif expect == "extended":
        # Static stability: both give the keys with an expiry moved to
        # now + 900 s + a random 120..600 s.
        now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
        bs, os_ = b.split(), o.split()
        ok = (b.startswith("OK ") and o.startswith("OK ")
              and bs[:4] == os_[:4]
              and all(now + 1020 - 30 <= int(x[4]) <= now + 1500
                      for x in (bs, os_)))
    else:
        ok = not b.startswith("OK ") and o.startswith("ERR ")
        if why:
            ok = ok and why[0] in b and why[1] in o
    results.append((ok, name, b, o))


# ---- IMDS
IMDS = ["imds"]
imds_env = {"AWS_EC2_METADATA_DISABLED": "false"}
check("IMDSv2, token required", dict(imds_env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x1.v2"),
      "", IMDS, None, "same")
for code in ("403", "404", "405"):
    check("token refused with %s: IMDSv1" % code, dict(imds_env,
          AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x.t" + code),
          "", IMDS, None, "same")
check("token 500 on every attempt: IMDSv1", dict(imds_env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x2.t500",
      AWS_METADATA_SERVICE_NUM_ATTEMPTS="2"), "", IMDS, None, "same")
check("token slower than the timeout: IMDSv1", dict(imds_env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x3.tslow1500"),
      "", IMDS, None, "same")
check("throttled twice, three attempts", dict(imds_env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x4.v2.c429x2",
      AWS_METADATA_SERVICE_NUM_ATTEMPTS="3"), "", IMDS, None, "same")
check("503 then 200 from the profile's settings", imds_env,
      "[default]\nec2_metadata_service_endpoint = %s/imds/x5.v2.l503x1\n"
      "metadata_service_num_attempts = 2\n" % base, IMDS, None, "same")
check("v1 disabled and the token refused", dict(imds_env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x6.t403",
      AWS_EC2_METADATA_V1_DISABLED="true"), "", IMDS, None, "both-fail",
      ("IMDSv1 has been disabled", "IMDSv1 is disabled"),
      needs="imds_v1_disabled")
check("v1 disabled in the profile", imds_env,
      "[default]\nec2_metadata_service_endpoint = %s/imds/x7.t405\n"
      "ec2_metadata_v1_disabled = true\n" % base, IMDS, None, "both-fail",
      ("IMDSv1 has been disabled", "IMDSv1 is disabled"),
      needs="imds_v1_disabled")
check("expired credentials extended (static stability)", dict(imds_env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x10.stale"),
      "", IMDS, None, "extended")
check("malformed credentials", dict(imds_env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x8.malformed"),
      "", IMDS, None, "both-fail")
check("no role attached", dict(imds_env,
      AWS_EC2_METADATA_SERVICE_ENDPOINT=base + "/imds/x9.norole"),
      "", IMDS, None, "both-fail")

# ---- SSO
START = "https://my-sso-portal.awsapps.com/start"
sso_env = {"AWS_ENDPOINT_URL_SSO": base}
session_cfg = ("[profile dev]\nsso_session = my-sso\n"
               "sso_account_id = 111122223333\nsso_role_name = ReadOnly\n"
               "[sso-session my-sso]\nsso_start_url = %s\n"
               "sso_region = us-east-1\n" % START)
legacy_cfg = ("[profile legacy]\nsso_start_url = %s\nsso_region = us-east-1\n"
              "sso_account_id = 111122223333\nsso_role_name = ReadOnly\n"
              % START)


def token_file(key, token, expires):
    name = hashlib.sha1(key.encode()).hexdigest() + ".json"
    with open(os.path.join(cache, name), "w") as f:
        json.dump({"startUrl": START, "region": "us-east-1",
                   "accessToken": token, "expiresAt": expires}, f)


SSO_S = ["sso", "dev", "my-sso", START, "us-east-1", "111122223333",
         "ReadOnly"]
SSO_L = ["sso", "legacy", "-", START, "us-east-1", "111122223333",
         "ReadOnly"]
token_file("my-sso", "ssoAccessTokenEXAMPLE", "2100-01-01T00:00:00Z")
token_file(START, "ssoAccessTokenEXAMPLE", "2100-01-01T00:00:00UTC")
# Every SSO case reaches the portal through AWS_ENDPOINT_URL_SSO.
E = "endpoint_url"
check("SSO, sso-session form", sso_env, session_cfg, SSO_S, "dev", "same",
      needs=E)
check("SSO, legacy form", sso_env, legacy_cfg, SSO_L, "legacy", "same",
      needs=E)
check("SSO portal 503 once, then 200",
      {"AWS_ENDPOINT_URL_SSO": base + "/sso/y1.503x1"}, session_cfg, SSO_S,
      "dev", "same", needs=E)
check("SSO, role not assigned (403)", sso_env,
      legacy_cfg.replace("ReadOnly", "Admin"),
      SSO_L[:6] + ["Admin"], "legacy", "both-fail",
      ("ForbiddenException", "HTTP 403 ForbiddenException"), needs=E)
token_file(START, "ssoAccessTokenEXAMPLE", "2020-01-01T00:00:00Z")
check("SSO, legacy token expired", sso_env, legacy_cfg, SSO_L, "legacy",
      "both-fail", ("UnauthorizedSSOTokenError",
                    "run `aws sso login --profile legacy`"), needs=E)
token_file(START, "wrongToken", "2100-01-01T00:00:00Z")
check("SSO, token refused (401)", sso_env, legacy_cfg, SSO_L, "legacy",
      "both-fail", ("UnauthorizedSSOTokenError", "HTTP 401 Unauthorized"),
      needs=E)
os.unlink(os.path.join(cache, hashlib.sha1(START.encode()).hexdigest()
                       + ".json"))
check("SSO, no cached token", sso_env, legacy_cfg, SSO_L, "legacy",
      "both-fail", ("SSOTokenLoadError", "no cached SSO token"), needs=E)

for ok, name, b, o in results:
    if ok == "skip":
        skip("botocore and librdsiam: " + name, b)
        continue
    print(("ok - " if ok else "not ok - ") + "botocore and librdsiam: " + name)
    if not ok:
        print("#   botocore: " + b)
        print("#   ours:     " + o)
