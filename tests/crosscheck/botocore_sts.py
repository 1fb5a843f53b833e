#!/usr/bin/env python3
"""Cross-check STS calls, ours against botocore's, through the same
loopback stand-in (tests/helpers/aws_standin.py).

Usage: botocore_sts.py PROBE

PROBE is tests/crosscheck/sts-probe.c (our library). For each case both
sides run with the same environment, pointed at the stand-in through
AWS_ENDPOINT_URL_STS: botocore through its own credential resolver
(Session.get_credentials() for web identity) or its STS client (AssumeRole,
signed), our side through the probe. They must yield the same credentials
and expiration, and the stand-in must have received the same form
parameters, encoded byte for byte alike (their order is not compared:
botocore sends them in the order its caller's dict has them). Each side
uses its own path on the stand-in, so scripted failures (/s/TAG/STEPS)
happen to both. The
default endpoints are compared without any network: botocore's
create_client('sts', region_name=R).meta.endpoint_url against the probe's.

Nothing leaves loopback: every endpoint is the stand-in or a name that is
resolved by neither side (endpoint cases only resolve URLs).

Prints TAP-style lines: ok - ..., not ok - ...
"""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

from xcheck import missing, skip

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN = os.path.join(HERE, "..", "helpers", "aws_standin.py")

SRC_AKID = "AKIDCROSSCHECKSOURCE"
SRC_SECRET = "crossCheckSecretKeyEXAMPLE/abcdefghijk+12"
ROLE = "arn:aws:iam::123456789012:role/CrossRole"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjcm9zcyJ9.c2ln+/="
CONFIG = {
    "region": "us-west-2",
    "keys": {SRC_AKID: {"secret": SRC_SECRET, "token": None}},
    "roles": {
        ROLE: {
            "AccessKeyId": "ASIACROSSROLEEXAMPLE",
            "SecretAccessKey": "crossRoleSecretEXAMPLE/abcdefghijklmn+12",
            "SessionToken": "crossRoleSessionToken/abc+def==",
            "Expiration": "2100-01-01T00:00:00Z",
            "WebIdentityToken": TOKEN,
        }
    },
}
EXPIRATION = 4102444800  # 2100-01-01T00:00:00Z

BOTOCORE_WEB_IDENTITY = r'''
import calendar
import botocore.session
import botocore.exceptions as E
s = botocore.session.Session()
try:
    c = s.get_credentials()
    f = c.get_frozen_credentials()
    exp = calendar.timegm(c._expiry_time.utctimetuple())
    print("creds %s %s %s %d" % (f.access_key, f.secret_key, f.token, exp))
except E.ClientError as e:
    err = e.response["Error"]
    print("error %s %s" % (err["Code"], err["Message"]))
'''

BOTOCORE_ASSUME_ROLE = r'''
import calendar, sys
import botocore.session
import botocore.exceptions as E
s = botocore.session.Session()
sts = s.create_client("sts", region_name="us-west-2")
args = {"RoleArn": sys.argv[1], "RoleSessionName": sys.argv[2]}
if len(sys.argv) > 3:
    args["ExternalId"] = sys.argv[3]
if len(sys.argv) > 4:
    args["DurationSeconds"] = int(sys.argv[4])
try:
    c = sts.assume_role(**args)["Credentials"]
    exp = calendar.timegm(c["Expiration"].utctimetuple())
    print("creds %s %s %s %d" % (c["AccessKeyId"], c["SecretAccessKey"],
                                 c["SessionToken"], exp))
except E.ClientError as e:
    err = e.response["Error"]
    print("error %s %s" % (err["Code"], err["Message"]))
'''

# One line per region argument ("-": none), each from a client of its own
# of one session: one Python start, and one load of the STS model and
# endpoint rules, for all the regions of an environment.
BOTOCORE_ENDPOINTS = r'''
import sys
import botocore.session
s = botocore.session.Session()
for region in sys.argv[1:]:
    c = s.create_client("sts", region_name=None if region == "-" else region,
                        aws_access_key_id="a", aws_secret_access_key="b")
    print("endpoint %s" % c.meta.endpoint_url)
'''

failures = 0


def report(ok, text):
    global failures
    if not ok:
        failures += 1
    print("%s - %s" % ("ok" if ok else "not ok", text))


def run(cmd, env):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True,
                         timeout=60)
    return out.stdout.strip() or ("(no output; stderr: %s)" %
                                  out.stderr.strip()[-300:])


def base_env(tmp):
    return {
        "PATH": os.environ["PATH"],
        "HOME": tmp,
        "AWS_CONFIG_FILE": os.path.join(tmp, "none-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "none-creds"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def log_bodies(port, path):
    url = "http://127.0.0.1:%d/_log?p=%s" % (port, urllib.request.quote(
        path, safe=""))
    with urllib.request.urlopen(url) as r:
        return [entry["body"] for entry in json.load(r)]


def main():
    # Every case points botocore at the stand-in or at configured endpoint
    # URLs (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, ...).
    reason = missing("endpoint_url")
    if reason:
        return 0 if skip("botocore STS cross-check", reason) else 1
    probe = sys.argv[1]
    tmp = tempfile.mkdtemp()
    cfg = os.path.join(tmp, "standin.json")
    with open(cfg, "w") as f:
        json.dump(CONFIG, f)
    server = subprocess.Popen([sys.executable, STANDIN, "--config", cfg],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = int(server.stdout.readline())
    token_file = os.path.join(tmp, "token")
    with open(token_file, "w") as f:
        f.write(TOKEN)
    try:
        web_identity(probe, tmp, port, token_file)
        default_session_name(probe, tmp, port, token_file)
        assume_role(probe, tmp, port)
        endpoints(probe, tmp)
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    return 1 if failures else 0


def web_identity(probe, tmp, port, token_file):
    cases = [
        ("web identity from the environment", "/s/xw1/ok",
         {"AWS_ROLE_SESSION_NAME": "cross-session"}),
        ("web identity, STS refuses (AccessDenied)",
         "/s/xw2/AccessDenied", {"AWS_ROLE_SESSION_NAME": "cross-session"}),
        ("web identity after Throttling and 503", "/s/xw3/Throttling.503",
         {"AWS_ROLE_SESSION_NAME": "cross-session"}),
    ]
    for name, path, extra in cases:
        env = base_env(tmp)
        env.update({
            "AWS_WEB_IDENTITY_TOKEN_FILE": token_file,
            "AWS_ROLE_ARN": ROLE,
        })
        env.update(extra)
        ours = run([probe, "web-identity"], at(env, port, path, "ours"))
        boto = run([sys.executable, "-c", BOTOCORE_WEB_IDENTITY],
                   at(env, port, path, "boto"))
        compare(name, ours, boto, port, path)


def default_session_name(probe, tmp, port, token_file):
    """No AWS_ROLE_SESSION_NAME: both send botocore-session-<unix time>
    (the seconds may differ by the time between the two runs)."""
    env = base_env(tmp)
    env.update({"AWS_WEB_IDENTITY_TOKEN_FILE": token_file,
                "AWS_ROLE_ARN": ROLE})
    path = "/s/xw4/ok"
    run([probe, "web-identity"], at(env, port, path, "ours"))
    run([sys.executable, "-c", BOTOCORE_WEB_IDENTITY],
        at(env, port, path, "boto"))
    names = []
    for side in ("ours", "boto"):
        body = log_bodies(port, side_path(path, side))[-1]
        name = [p for p in body.split("&")
                if p.startswith("RoleSessionName=")]
        names.append(name[0].split("=", 1)[1] if name else "")
    ok = all(n.startswith("botocore-session-") and n[17:].isdigit()
             for n in names) and abs(int(names[0][17:]) -
                                     int(names[1][17:])) <= 60
    report(ok, "web identity default session name: ours %s, botocore %s"
           % tuple(names))


def assume_role(probe, tmp, port):
    cases = [
        ("AssumeRole signed with static keys", "/s/xa1/ok",
         ["cross-session"]),
        ("AssumeRole with ExternalId and DurationSeconds", "/s/xa2/ok",
         ["app@example.com", "ext-id:42/x", "1800"]),
        ("AssumeRole refused (ExpiredToken)", "/s/xa3/ExpiredToken",
         ["cross-session"]),
    ]
    for name, path, args in cases:
        env = base_env(tmp)
        env.update({
            "AWS_ACCESS_KEY_ID": SRC_AKID,
            "AWS_SECRET_ACCESS_KEY": SRC_SECRET,
            "AWS_REGION": "us-west-2",
        })
        ours = run([probe, "assume-role", ROLE] + args,
                   at(env, port, path, "ours"))
        boto = run([sys.executable, "-c", BOTOCORE_ASSUME_ROLE, ROLE] + args,
                   at(env, port, path, "boto"))
        compare(name, ours, boto, port, path)


def side_path(path, side):
    """/s/TAG/STEPS -> /s/TAG-side/STEPS: one script per side."""
    parts = path.split("/")
    parts[2] += "-" + side
    return "/".join(parts)


def at(env, port, path, side):
    env = dict(env)
    env["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:%d%s" % (
        port, side_path(path, side))
    return env


def params(body):
    return sorted(body.split("&"))


def compare(name, ours, boto, port, path):
    ours_bodies = [params(b) for b in log_bodies(port, side_path(path, "ours"))]
    boto_bodies = [params(b) for b in log_bodies(port, side_path(path, "boto"))]
    if ours.startswith("creds") or boto.startswith("creds"):
        same = ours == boto
        report(same, "%s: %s" % (name, "same credentials and expiration"
                                 if same else "ours %r, botocore %r"
                                 % (ours, boto)))
    else:
        # ours: "error <rc> STS <Action>: <Code> (HTTP n): <Message>";
        # botocore: "error <Code> <Message>".
        code, _, message = boto[len("error "):].partition(" ")
        ok = boto.startswith("error ") and ours.startswith("error ") and \
            (": %s (HTTP " % code) in ours and ours.endswith(message)
        report(ok, "%s: %s" % (name, "same STS error %s" % code if ok else
                               "ours %r, botocore %r" % (ours, boto)))
    # Both sides made the same attempts with the same parameters.
    same = ours_bodies == boto_bodies and ours_bodies
    report(same, "%s: same form parameters, %d attempt(s) each" %
           (name, len(ours_bodies)) if same else
           "%s: request bodies differ: ours %r, botocore %r" %
           (name, ours_bodies, boto_bodies))


def endpoints(probe, tmp):
    regions = [None, "us-east-1", "eu-west-1", "ap-southeast-5",
               "cn-north-1", "cn-northwest-1", "us-gov-west-1",
               "us-iso-east-1", "us-isob-east-1", "us-isof-south-1",
               "eu-isoe-west-1", "eusc-de-east-1"]
    envs = [
        ("default", {}),
        ("AWS_ENDPOINT_URL", {"AWS_ENDPOINT_URL": "https://all.example.test"}),
        ("AWS_ENDPOINT_URL_STS over AWS_ENDPOINT_URL",
         {"AWS_ENDPOINT_URL": "https://all.example.test",
          "AWS_ENDPOINT_URL_STS": "https://sts.example.test:8443/base"}),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
         {"AWS_ENDPOINT_URL_STS": "https://sts.example.test",
          "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}),
    ]
    for label, extra in envs:
        bad = []
        env = base_env(tmp)
        env.update(extra)
        boto_all = run([sys.executable, "-c", BOTOCORE_ENDPOINTS] +
                       [region or "-" for region in regions], env).splitlines()
        for i, region in enumerate(regions):
            args = [region] if region else []
            ours = run([probe, "endpoint"] + args, env)
            boto = boto_all[i] if i < len(boto_all) else "\n".join(boto_all)
            if ours.split()[:2] != boto.split()[:2]:
                bad.append("%s: ours %r, botocore %r" % (region, ours, boto))
        report(not bad, "STS endpoint, %s, %d regions%s" %
               (label, len(regions), ": " + "; ".join(bad) if bad else
                ": same as botocore"))


if __name__ == "__main__":
    sys.exit(main())
