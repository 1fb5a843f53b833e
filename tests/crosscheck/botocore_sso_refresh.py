"""The refresh of an IAM Identity Center token through SSO-OIDC,
rdsiam-token against botocore, both pointed at one aws_standin.py and one
token cache folder (tests/check-botocore-imds-sso.sh runs it: TOOL TMPDIR
PORT, with HOME set to TMPDIR/home before botocore is imported).

Each side takes its turn on the same cache file: the one that finds the
token inside the 15-minute window refreshes it and writes the file back;
the other then reads what was written and must not refresh again. The
stand-in issues deterministic tokens (the same refresh token always gives
the same access token) and the portal's credentials carry the digest of
the access token they were asked with, so equal RDS tokens, byte for byte,
mean both sides signed with credentials of the same refreshed token. The
files both sides write must hold the same members in the same order with
the same values (expiresAt within a few seconds: it is now + expiresIn).

Prints TAP-style lines: ok - ..., not ok - ...

SPDX-License-Identifier: MIT
"""
import datetime
import hashlib
import json
import os
import sys
import urllib.request

from xcheck import HOST, PORT, USER, freeze_clock, in_env, missing, run_tool, skip

# Both sides reach SSO-OIDC and the portal through AWS_ENDPOINT_URL_SSO_OIDC
# and AWS_ENDPOINT_URL_SSO.
_reason = missing("endpoint_url")
if _reason:
    sys.exit(0 if skip("botocore SSO token refresh cross-check", _reason) else 1)

tool, tmp, port = sys.argv[1], sys.argv[2], sys.argv[3]
base = "http://127.0.0.1:%s" % port
home = os.path.join(tmp, "home")
cache = os.path.join(home, ".aws", "sso", "cache")
os.makedirs(cache, exist_ok=True)
config = os.path.join(tmp, "config")
START = "https://my-sso-portal.awsapps.com/start"
with open(config, "w") as f:
    f.write("[profile dev]\nsso_session = my-sso\n"
            "sso_account_id = 111122223333\nsso_role_name = ReadOnly\n"
            "[sso-session my-sso]\nsso_start_url = %s\n"
            "sso_region = us-east-1\n" % START)
# SSOTokenLoader._generate_cache_key: sha1 of the session name
path = os.path.join(cache, hashlib.sha1(b"my-sso").hexdigest() + ".json")

import botocore.session

freeze_clock()
NEUTRAL = {"PATH": os.environ["PATH"], "HOME": home,
           "AWS_CONFIG_FILE": config,
           "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "nocreds"),
           "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL_SSO": base}
template = in_env(NEUTRAL, botocore.session.Session)


# One "now" for every file the scenarios write, so that what is copied
# from them (registrationExpiresAt) is the same in every run of a side.
START_TIME = datetime.datetime.now(datetime.timezone.utc)


def iso(seconds_from_now):
    t = START_TIME + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def cache_file(expires_in, registration_in=86400 * 90):
    """What `aws sso login` writes for an sso-session (the stand-in's
    client and refresh token)."""
    with open(path, "w") as f:
        json.dump({"startUrl": START, "region": "us-east-1",
                   "accessToken": "ssoAccessTokenEXAMPLE",
                   "expiresAt": iso(expires_in),
                   "clientId": "ssoClientIdEXAMPLE",
                   "clientSecret": "ssoClientSecretEXAMPLE",
                   "registrationExpiresAt": iso(registration_in),
                   "refreshToken": "ssoRefreshTokenEXAMPLE"}, f)


def read_cache():
    with open(path) as f:
        return f.read()


def hits(oidc):
    with urllib.request.urlopen("%s/_hits?p=%s/token" % (base, oidc)) as r:
        return int(r.read())


def env_for(oidc):
    return dict(NEUTRAL, AWS_ENDPOINT_URL_SSO_OIDC=base + oidc)


def boto(oidc):
    def find():
        s = botocore.session.Session(profile="dev")
        c = s.get_credentials()
        return c.get_frozen_credentials()
    try:
        f = in_env(env_for(oidc), find)
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}
    rds = template.create_client(
        "rds", region_name="us-east-1", aws_access_key_id=f.access_key,
        aws_secret_access_key=f.secret_key, aws_session_token=f.token)
    tok = in_env(NEUTRAL, lambda: rds.generate_db_auth_token(
        DBHostname=HOST, Port=PORT, DBUsername=USER, Region="us-east-1"))
    return {"token": tok, "session_token": f.token}


def ours(oidc):
    return run_tool(tool, env_for(oidc), "dev")


def same_document(a, b):
    """Both files hold the same members in the same order, with the same
    values; expiresAt (now + expiresIn) within 5 seconds."""
    da, db = json.loads(a), json.loads(b)
    if list(da) != list(db):
        return False
    for k in da:
        if k == "expiresAt":
            ta, tb = (datetime.datetime.strptime(
                d[k], "%Y-%m-%dT%H:%M:%SZ") for d in (da, db))
            if abs((ta - tb).total_seconds()) > 5:
                return False
        elif da[k] != db[k]:
            return False
    return True


results = []


def check(name, good, detail):
    results.append((good, name, detail))


# The access token the stand-in issues for ssoRefreshTokenEXAMPLE, and the
# digest its credentials then carry (see aws_standin.py).
NEW_ACCESS = "ssoAccess-" + \
    hashlib.sha256(b"ssoRefreshTokenEXAMPLE").hexdigest()[:16]
SUFFIX = "-" + hashlib.sha256(NEW_ACCESS.encode()).hexdigest()[:8]

# 1. We refresh (10 minutes left), botocore reads what we wrote.
cache_file(600)
o = ours("/oidc/x1")
written_by_us = read_cache()
b = boto("/oidc/x1")
check("librdsiam refreshes once inside the window and writes the file back",
      o["status"] == 0 and hits("/oidc/x1") == 1 and
      json.loads(written_by_us)["accessToken"] == NEW_ACCESS,
      "ours %s, hits %d, file %s" % (o, hits("/oidc/x1"), written_by_us))
check("botocore reads the file librdsiam wrote (no second refresh) and "
      "signs the same token, byte for byte",
      "token" in b and o.get("token") == b["token"] and
      b["session_token"].endswith(SUFFIX) and hits("/oidc/x1") == 1,
      "ours %s, botocore %s" % (o.get("token"), b))

# 2. botocore refreshes, we read what it wrote.
cache_file(600)
b = boto("/oidc/x2")
written_by_boto = read_cache()
o = ours("/oidc/x2")
check("botocore refreshes once; librdsiam reads the file it wrote (no "
      "second refresh) and signs the same token, byte for byte",
      "token" in b and o.get("token") == b["token"] and
      hits("/oidc/x2") == 1 and b["session_token"].endswith(SUFFIX),
      "ours %s, botocore %s, hits %d" % (o, b, hits("/oidc/x2")))
check("the file librdsiam writes holds botocore's members, in its order, "
      "with its values",
      same_document(written_by_us, written_by_boto),
      "ours %s, botocore %s" % (written_by_us, written_by_boto))

# 3. The refresh is refused: both use the token while it is valid.
cache_file(600)
before = read_cache()
o = ours("/oidc/grant")
b = boto("/oidc/grant")
check("a refused refresh: both sign with the cached, still valid token and "
      "leave the file alone",
      "token" in b and o.get("token") == b["token"] and
      not b["session_token"].endswith(SUFFIX) and read_cache() == before,
      "ours %s, botocore %s" % (o, b))

# 4. Expired, and the refresh is refused: both fail; ours names the command.
cache_file(-60)
o = ours("/oidc/grant")
b = boto("/oidc/grant")
check("an expired token whose refresh is refused: both fail; ours says to "
      "run `aws sso login --profile dev`",
      o["status"] == 1 and "error" in b and
      "run `aws sso login --profile dev`" in o["stderr"],
      "ours %s, botocore %s" % (o, b))

# 5. Expired, but refreshable: both refresh.
cache_file(-60)
o = ours("/oidc/x5")
cache_file(-60)
b = boto("/oidc/x5")
check("an expired token with a good refresh token: both refresh and sign "
      "the same token",
      "token" in b and o.get("token") == b["token"] and hits("/oidc/x5") == 2,
      "ours %s, botocore %s" % (o, b))

# 6. The client registration has expired: neither refreshes.
cache_file(-60, registration_in=-60)
o = ours("/oidc/x6")
b = boto("/oidc/x6")
check("an expired client registration: neither refreshes, both fail",
      o["status"] == 1 and "error" in b and hits("/oidc/x6") == 0 and
      "client registration expired" in o["stderr"],
      "ours %s, botocore %s" % (o, b))

for good, name, detail in results:
    print(("ok - " if good else "not ok - ") + "botocore and librdsiam: " +
          name)
    if not good:
        print("#   " + detail)
