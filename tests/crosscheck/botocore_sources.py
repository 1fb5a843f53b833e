#!/usr/bin/env python3
"""Cross-check the default chain's network sources, ours against botocore's,
through the same loopback stand-in (tests/helpers/aws_standin.py) for STS,
the SSO portal, instance metadata and a container endpoint.

Usage: botocore_sources.py RDSIAM_TOKEN

For each scenario (environment, config and credentials files, explicit
profile) botocore resolves credentials with Session(profile=...)
.get_credentials() and signs an RDS token with them (its clock frozen),
and rdsiam-token, run with the same environment and --signing-time, prints
its token. They must pick the same access key id and print the same token
byte for byte. Where our behaviour differs from botocore's on purpose, the
scenario asserts the documented outcome for each side instead.

STS verifies every AssumeRole signature and each role trusts exactly one
key, so both sides must sign each hop with the previous hop's credentials.

Nothing leaves loopback: every endpoint is set to the stand-in
(AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO, or the profile's services
section and endpoint_url; AWS_EC2_METADATA_SERVICE_ENDPOINT,
AWS_CONTAINER_CREDENTIALS_FULL_URI) and AWS_EC2_METADATA_DISABLED=true
unless a scenario points IMDS there; where configured endpoints are
ignored, STS's own https endpoint is reached only through HTTPS_PROXY on a
loopback port nothing listens on.

Prints TAP-style lines: ok - ..., not ok - ...
"""
import hashlib
import json
import os
import atexit
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN = os.path.join(HERE, "..", "helpers", "aws_standin.py")

tool = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="rdsiam-sources-")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)
HOME = os.path.join(tmp, "home")
os.makedirs(os.path.join(HOME, ".aws", "sso", "cache"))
# botocore computes its SSO token cache directory from HOME when it is
# imported: point HOME at the scenario's home first.
os.environ["HOME"] = HOME

import botocore.session  # noqa: E402

from xcheck import HOST, PORT, USER, freeze_clock, in_env, missing, run_tool, skip  # noqa: E402

freeze_clock()

STATIC_A = "AKIDSTATICAAAAAA"
SELF_KEY = "AKIDSELFSTATIC00"
ENV_KEY = "AKIDENVIRONMENT0"
IMDS_KEY = "ASIAIMDSEXAMPLE12345"   # the stand-in's IMDS answer
IMDS_SECRET = "imdsSecretKeyEXAMPLE/abcdefghijklmnopqrstu+1"
IMDS_TOKEN = "imdsSessionTokenEXAMPLE/xyz+abc=="
SSO_KEY = "ASIASSOEXAMPLE123456"    # the stand-in's SSO default
WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.web-identity-token.sig"


def role(name):
    return "arn:aws:iam::123456789012:role/" + name


def role_creds(key, trusted):
    return {"AccessKeyId": key, "SecretAccessKey": key + "-secret",
            "SessionToken": key + "-token", "Trusted": [trusted]}


CONFIG = {
    # Both sides sign STS requests with the frozen 2016 clock: only the
    # date of the scope is checked against X-Amz-Date.
    "max_skew": 0,
    "now": 4102444800,
    "keys": {
        STATIC_A: {"secret": "staticSecretA", "token": None},
        SELF_KEY: {"secret": "selfSecret", "token": None},
        ENV_KEY: {"secret": "envSecret", "token": None},
        IMDS_KEY: {"secret": IMDS_SECRET, "token": IMDS_TOKEN},
    },
    "roles": {
        role("RoleA"): role_creds("ASIAROLEAEXAMPLE0001", STATIC_A),
        role("RoleB"): role_creds("ASIAROLEBEXAMPLE0002",
                                  "ASIAROLEAEXAMPLE0001"),
        role("RoleSelf"): role_creds("ASIAROLESELFEXAMPL03", SELF_KEY),
        role("RoleEnv"): role_creds("ASIAROLEENVEXAMPLE04", ENV_KEY),
        role("RoleImds"): role_creds("ASIAROLEIMDSEXAMPL05", IMDS_KEY),
        role("RoleW2"): role_creds("ASIAROLEW2EXAMPLE007",
                                   "ASIAWEBIDEXAMPLE0006"),
        role("RoleWeb"): {"AccessKeyId": "ASIAWEBIDEXAMPLE0006",
                          "SecretAccessKey": "web-secret",
                          "SessionToken": "web-token",
                          "WebIdentityToken": WEB_TOKEN},
    },
}

TOKEN_FILE = os.path.join(tmp, "web-token")
CREDENTIALS = ("[base]\naws_access_key_id = %s\n"
               "aws_secret_access_key = staticSecretA\n" % STATIC_A)
CONF = """[profile one]
role_arn = {A}
source_profile = base
[profile hop1]
role_arn = {A}
source_profile = base
[profile hop2]
role_arn = {B}
source_profile = hop1
[profile params]
role_arn = {A}
source_profile = base
external_id = ext-42
role_session_name = my-session
duration_seconds = 900
[profile both]
role_arn = {A}
source_profile = base
aws_access_key_id = AKIDBOTHSTATIC00
aws_secret_access_key = bothSecret
[profile self]
role_arn = {Self}
source_profile = self
aws_access_key_id = {SELF_KEY}
aws_secret_access_key = selfSecret
[profile skip]
role_arn = {B}
source_profile = base
[profile missingsource]
role_arn = {A}
source_profile = nosuch
[profile nosource]
role_arn = {A}
[profile badsource]
role_arn = {A}
credential_source = Elsewhere
[profile twosources]
role_arn = {A}
source_profile = base
credential_source = Environment
[profile la]
role_arn = {A}
source_profile = lb
[profile lb]
role_arn = {B}
source_profile = la
[profile mfa]
role_arn = {A}
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/someone
[profile badduration]
role_arn = {A}
source_profile = base
duration_seconds = an hour
[profile envrole]
role_arn = {Env}
credential_source = Environment
[profile imdsrole]
role_arn = {Imds}
credential_source = Ec2InstanceMetadata
[profile ecsrole]
role_arn = {Imds}
credential_source = EcsContainer
[profile webp]
web_identity_token_file = {TOKEN_FILE}
role_arn = {Web}
role_session_name = web-session
[profile w2]
role_arn = {W2}
source_profile = webp
[profile empty]
region = us-east-1
[profile ssonew]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly
[sso-session my-sso]
sso_start_url = https://my-sso-portal.awsapps.com/start
sso_region = us-east-1
[profile ssoold]
sso_start_url = https://legacy-portal.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly
[profile imdsprofile]
ec2_metadata_service_endpoint = {IMDS}
[profile svctop]
role_arn = {B}
source_profile = svcmid
services = local
[profile svcmid]
role_arn = {A}
source_profile = base
endpoint_url = {DEAD}
[services local]
sts =
  endpoint_url = {BASE}/sts/services
sso =
  endpoint_url = {BASE}
[profile epsts]
role_arn = {A}
source_profile = base
endpoint_url = {BASE}/sts/profile
[profile ssosvc]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly
services = local
endpoint_url = {DEAD}
[profile ssoep]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly
endpoint_url = {BASE}
[profile svcign]
role_arn = {A}
source_profile = base
services = local
ignore_configured_endpoint_urls = true
[profile svcmissing]
role_arn = {A}
source_profile = base
services = nosuch
""".replace("{A}", role("RoleA")).replace("{B}", role("RoleB")) \
    .replace("{Self}", role("RoleSelf")).replace("{SELF_KEY}", SELF_KEY) \
    .replace("{Env}", role("RoleEnv")).replace("{Imds}", role("RoleImds")) \
    .replace("{Web}", role("RoleWeb")).replace("{W2}", role("RoleW2")) \
    .replace("{TOKEN_FILE}", TOKEN_FILE)


def sso_cache(key):
    # botocore SSOTokenLoader._generate_cache_key: SHA-1 hex of the
    # session name, or of the start URL for the legacy form.
    name = hashlib.sha1(key.encode()).hexdigest() + ".json"
    with open(os.path.join(HOME, ".aws", "sso", "cache", name), "w") as f:
        json.dump({"accessToken": "ssoAccessTokenEXAMPLE",
                   "expiresAt": "2100-01-01T00:00:00Z",
                   "startUrl": "https://my-sso-portal.awsapps.com/start",
                   "region": "us-east-1"}, f)


def boto(env, profile):
    out = {}

    def find():
        s = botocore.session.Session(profile=profile)
        c = s.get_credentials()
        f = c.get_frozen_credentials() if c else None
        if f:
            rds = s.create_client(
                "rds", region_name="us-east-1", aws_access_key_id=f.access_key,
                aws_secret_access_key=f.secret_key, aws_session_token=f.token)
            out["token"] = rds.generate_db_auth_token(
                DBHostname=HOST, Port=PORT, DBUsername=USER,
                Region="us-east-1")
        return f
    try:
        f = in_env(env, find)
        out["creds"] = f.access_key if f else None
    except Exception as e:  # noqa: BLE001 - any failure is an outcome
        out["error"] = "%s: %s" % (type(e).__name__, e)
    return out


def ours(env, profile):
    return run_tool(tool, env, profile)


def main():
    # Every role and SSO scenario reaches the stand-in through
    # AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_SSO.
    reason = missing("endpoint_url")
    if reason:
        return 0 if skip("botocore sources cross-check", reason) else 1
    cfg = os.path.join(tmp, "standin.json")
    with open(cfg, "w") as f:
        json.dump(CONFIG, f)
    server = subprocess.Popen([sys.executable, STANDIN, "--config", cfg],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = int(server.stdout.readline())
    base = "http://127.0.0.1:%d" % port
    with open(TOKEN_FILE, "w") as f:
        f.write(WEB_TOKEN)
    with open(os.path.join(tmp, "config"), "w") as f:
        # {DEAD}: a loopback port nothing listens on, where a side that
        # read the wrong profile's endpoint would go (and fail).
        f.write(CONF.replace("{IMDS}", base + "/imds/v2.profile")
                .replace("{BASE}", base)
                .replace("{DEAD}", "http://127.0.0.1:9/wrong"))
    with open(os.path.join(tmp, "credentials"), "w") as f:
        f.write(CREDENTIALS)
    sso_cache("my-sso")
    sso_cache("https://legacy-portal.awsapps.com/start")

    neutral = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": HOME,
        "AWS_CONFIG_FILE": os.path.join(tmp, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "credentials"),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL_SSO": base,
        "AWS_ENDPOINT_URL_STS": base + "/sts",
    }
    keys = {"AWS_ACCESS_KEY_ID": ENV_KEY, "AWS_SECRET_ACCESS_KEY": "envSecret"}
    web_env = {"AWS_WEB_IDENTITY_TOKEN_FILE": TOKEN_FILE,
               "AWS_ROLE_ARN": role("RoleWeb"),
               "AWS_ROLE_SESSION_NAME": "env-session"}

    def imds(tag):
        return {"AWS_EC2_METADATA_DISABLED": "false",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": base + "/imds/v2." + tag}

    container = {"AWS_CONTAINER_CREDENTIALS_FULL_URI":
                 base + "/imds/ecs/latest/meta-data/iam/security-credentials/"
                 "rdsiam-test-role"}

    # The endpoints configured in the profile alone (botocore 1.43's
    # ConfiguredEndpointProvider): the variables set empty count as unset.
    no_env_ep = {"AWS_ENDPOINT_URL_STS": "", "AWS_ENDPOINT_URL_SSO": ""}
    dead_proxy = {"HTTPS_PROXY": "http://127.0.0.1:9",
                  "https_proxy": "http://127.0.0.1:9"}

    # name, extra environment, explicit profile, expectation: "same" (both
    # pick the same key and print the same token), "none" (neither has
    # credentials), "error" (both refuse), or documented outcomes.
    S = [
        ("role_arn with source_profile (AWS_PROFILE)",
         {"AWS_PROFILE": "one"}, None, "same"),
        ("two-hop source_profile chain", {}, "hop2", "same"),
        ("external_id, role_session_name, duration_seconds", {}, "params",
         "same"),
        ("role_arn beats static keys in the same profile", {}, "both", "same"),
        ("a profile its own source_profile with static keys", {}, "self",
         "same"),
        ("credential_source Environment (explicit profile)", keys, "envrole",
         "same"),
        ("credential_source Ec2InstanceMetadata", imds("csimds"), "imdsrole",
         "same"),
        ("credential_source EcsContainer", container, "ecsrole", "same"),
        ("web identity from the environment", web_env, None, "same"),
        ("web identity from the profile (role_arn + token file)", {}, "webp",
         "same"),
        ("source_profile resolved through web identity", {}, "w2", "same"),
        ("explicit profile ignores web identity variables", web_env, "empty",
         "none"),
        ("environment keys beat AWS_PROFILE's role",
         dict(keys, AWS_PROFILE="one"), None, "same"),
        ("explicit profile's role beats environment keys", keys, "one",
         "same"),
        ("SSO with sso_session", {}, "ssonew", "same"),
        ("SSO legacy sso_start_url", {}, "ssoold", "same"),
        ("instance metadata last in the chain", imds("last"), None, "same"),
        ("instance metadata kept for an explicit profile", imds("explicit"),
         "empty", "same"),
        ("IMDS endpoint from the profile",
         {"AWS_EC2_METADATA_DISABLED": "false"}, "imdsprofile", "same"),
        ("container before instance metadata",
         dict(container, **imds("after")), None, "same"),
        ("source_profile loop", {}, "la", "error"),
        ("STS AccessDenied (a hop signed with the wrong key)", {}, "skip",
         "error"),
        ("source_profile that does not exist", {}, "missingsource", "error"),
        ("role_arn without a source", {}, "nosource", "error"),
        ("unknown credential_source", {}, "badsource", "error"),
        ("both source_profile and credential_source", {}, "twosources",
         "error"),
        ("nothing configured", {}, "empty", "none"),
        ("STS of both hops from the selected profile's services section",
         no_env_ep, "svctop", "same"),
        ("STS from the profile's endpoint_url", no_env_ep, "epsts", "same"),
        ("SSO portal from the profile's services section", no_env_ep,
         "ssosvc", "same"),
        ("SSO portal from the profile's endpoint_url", no_env_ep, "ssoep",
         "same"),
        ("AWS_ENDPOINT_URL_STS beats the services section", {}, "svctop",
         "same"),
        # Ignored endpoints leave STS's own https endpoint, reached only
        # through a proxy on a loopback port nothing listens on: refused.
        ("the profile's ignore_configured_endpoint_urls = true",
         dict(no_env_ep, **dead_proxy), "svcign", "error"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false beats the profile's "
         "true", dict(no_env_ep, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS="false",
                      **dead_proxy), "svcign", "same"),
        ("services section that does not exist", no_env_ep, "svcmissing",
         "error"),
        # Documented divergences.
        ("mfa_serial (botocore would prompt on the terminal)", {}, "mfa",
         {"ours_error": "sets mfa_serial", "skip_boto": True}),
        ("duration_seconds not a number (botocore drops it silently)", {},
         "badduration",
         {"ours_error": "duration_seconds is not a whole number",
          "boto_creds": "ASIAROLEAEXAMPLE0001"}),
    ]

    failed = 0
    try:
        for name, extra, profile, want in S:
            env = dict(neutral, **extra)
            o = ours(env, profile)
            skip_boto = isinstance(want, dict) and want.get("skip_boto")
            b = {} if skip_boto else boto(env, profile)
            why = ""
            if want == "same":
                good = (o["status"] == 0 and "error" not in b and
                        o["creds"] == b.get("creds") and
                        o["token"] == b.get("token"))
            elif want == "none":
                good = (o["status"] == 1 and
                        "no credentials found" in o["stderr"] and
                        "error" not in b and b.get("creds") is None)
            elif want == "error":
                good = o["status"] == 1 and "error" in b
            else:
                good = True
                for k, v in want.items():
                    if k == "skip_boto":
                        continue
                    side, field = k.split("_", 1)
                    if side == "ours" and field == "error":
                        good = good and o["status"] == 1 and v in o["stderr"]
                    elif side == "ours":
                        good = good and o.get(field) == v
                    else:
                        good = good and b.get(field) == v
                name += " [documented divergence]"
            if not good:
                why = "ours %s, botocore %s" % (
                    {k: o.get(k) for k in ("status", "creds", "stderr")},
                    {k: b.get(k) for k in ("creds", "error")})
                failed += 1
            print("%s - %s" % ("ok" if good else "not ok", name))
            if why:
                print("# " + why)
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
