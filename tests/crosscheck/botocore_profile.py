#!/usr/bin/env python3
"""Cross-check which profile credentials and region win, ours against
botocore's, for pairs of temporary config/credentials files.

Usage: botocore_profile.py PROBE

For each case the files are written to a fresh directory, then both
PROBE (tests/crosscheck/profile-probe.c, our library) and botocore (a
fresh botocore.session.Session in a child process) run with the same
environment. Our answer must equal `ours`: the rule of the AWS
configuration-file format's conformance data (profile-parser-tests.json)
or of the issue (AWS_PROFILE before AWS_DEFAULT_PROFILE). botocore must
agree, except where its configparser-based loader is known to differ
(reference/credential-providers.md section 2.6): there the case names the
divergence and the answer botocore gives, and the line reports it instead
of failing. An answer from botocore that matches neither is a failure.

Prints TAP-style lines: ok - ..., not ok - ...
"""
import os
import subprocess
import sys
import tempfile

BOTOCORE_SIDE = r'''
import sys
import botocore.session
import botocore.exceptions as E
profile = sys.argv[1] if len(sys.argv) > 1 else None
s = botocore.session.Session(profile=profile)
try:
    c = s.get_credentials()
    if c is None:
        out = "NONE"
    else:
        out = "creds %s %s %s" % (c.access_key, c.secret_key, c.token or "-")
except E.ProfileNotFound:
    out = "error NOT_FOUND"
except E.PartialCredentialsError:
    out = "error INCOMPLETE"
except E.ConfigParseError:
    out = "error PARSE"
except Exception as e:
    out = "error OTHER %s" % type(e).__name__
print(out)
try:
    r = s.get_config_variable("region")
    print("region %s" % (r or "-"))
except E.ProfileNotFound:
    print("region -")
except Exception:
    print("region error")
'''

K = "aws_access_key_id"
S = "aws_secret_access_key"
T = "aws_session_token"

# Key ids have the documented form ([A-Z0-9], 16 to 128 characters): the
# library refuses others where it reads them; botocore does not check.
#
# name, config text, credentials text, extra env, explicit profile,
# our expected (creds line, region line), divergence (why, botocore's lines)
CASES = [
    ("same profile in both files: credentials file wins per property",
     "[profile dev]\n%s = CFGKEY0000000000\n%s = CFGSECRET\n%s = CFGTOKEN\nregion = us-west-2\n" % (K, S, T),
     "[dev]\n%s = CREDKEY000000000\n%s = CREDSECRET\n%s = CREDTOKEN\n" % (K, S, T),
     {}, "dev", ("creds CREDKEY000000000 CREDSECRET CREDTOKEN", "region us-west-2"), None),
    ("region in both files: credentials file wins",
     "[profile dev]\nregion = us-west-2\n",
     "[dev]\n%s = K000000000000000\n%s = S\nregion = eu-west-1\n" % (K, S),
     {}, "dev", ("creds K000000000000000 S -", "region eu-west-1"), None),
    ("keys only in the config file",
     "[profile dev]\n%s = CFGKEY0000000000\n%s = CFGSECRET\n" % (K, S), "",
     {}, "dev", ("creds CFGKEY0000000000 CFGSECRET -", "region -"), None),
    ("[dev] without prefix in the config file is not a profile",
     "[dev]\n%s = K000000000000000\n%s = S\n" % (K, S), "",
     {}, "dev", ("error NOT_FOUND", "region -"), None),
    ("[profile dev] in the credentials file is not profile dev",
     "", "[profile dev]\n%s = K000000000000000\n%s = S\n" % (K, S),
     {}, "dev", ("error NOT_FOUND", "region -"), None),
    ("[default] in the config file",
     "[default]\n%s = DEF0000000000000\n%s = S\nregion = ap-south-1\n" % (K, S), "",
     {}, None, ("creds DEF0000000000000 S -", "region ap-south-1"), None),
    ("AWS_DEFAULT_PROFILE alone selects the profile",
     "", "[a]\n%s = A000000000000000\n%s = S\n[b]\n%s = B000000000000000\n%s = S\n" % (K, S, K, S),
     {"AWS_DEFAULT_PROFILE": "b"}, None, ("creds B000000000000000 S -", "region -"), None),
    ("AWS_PROFILE alone selects the profile",
     "", "[a]\n%s = A000000000000000\n%s = S\n[b]\n%s = B000000000000000\n%s = S\n" % (K, S, K, S),
     {"AWS_PROFILE": "a"}, None, ("creds A000000000000000 S -", "region -"), None),
    ("AWS_PROFILE and AWS_DEFAULT_PROFILE both set",
     "", "[a]\n%s = A000000000000000\n%s = S\n[b]\n%s = B000000000000000\n%s = S\n" % (K, S, K, S),
     {"AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"}, None,
     ("creds A000000000000000 S -", "region -"),
     ("botocore reads AWS_DEFAULT_PROFILE first; the issue follows the "
      "AWS CLI v2 and the Go SDK (AWS_PROFILE first)",
      ("creds B000000000000000 S -", "region -"))),
    ("explicit profile beats AWS_PROFILE",
     "", "[a]\n%s = A000000000000000\n%s = S\n[b]\n%s = B000000000000000\n%s = S\n" % (K, S, K, S),
     {"AWS_PROFILE": "a"}, "b", ("creds B000000000000000 S -", "region -"), None),
    ("profile named by AWS_PROFILE does not exist",
     "", "[a]\n%s = A000000000000000\n%s = S\n" % (K, S),
     {"AWS_PROFILE": "nope"}, None, ("error NOT_FOUND", "region -"), None),
    ("no files, default profile: no credentials",
     None, None, {}, None, ("NONE", "region -"), None),
    ("key id without secret",
     "", "[dev]\n%s = K000000000000000\n" % K, {}, "dev", ("error INCOMPLETE", "region -"),
     None),
    ("key id in the credentials file, secret in the config file",
     "[profile dev]\n%s = S\n" % S, "[dev]\n%s = K000000000000000\n" % K, {}, "dev",
     ("creds K000000000000000 S -", "region -"),
     ("botocore reads each file's keys on its own (PartialCredentialsError); "
      "the format merges the files per property",
      ("error INCOMPLETE", "region -"))),
    ("secret without key id",
     "", "[dev]\n%s = S\n" % S, {}, "dev", ("error INCOMPLETE", "region -"),
     ("botocore ignores a lone secret; we report the missing key id",
      ("NONE", "region -"))),
    ("legacy aws_security_token",
     "", "[dev]\n%s = K000000000000000\n%s = S\naws_security_token = LEGACY\n" % (K, S),
     {}, "dev", ("creds K000000000000000 S LEGACY", "region -"), None),
    ("property names are case-insensitive",
     "", "[dev]\nAWS_ACCESS_KEY_ID = K000000000000000\n%s = S\n" % S, {}, "dev",
     ("creds K000000000000000 S -", "region -"), None),
    ("[profile default] beats [default] when it comes first",
     "[profile default]\n%s = PREF000000000000\n%s = S\n[default]\n%s = BARE000000000000\n%s = S\n"
     % (K, S, K, S), "", {}, None, ("creds PREF000000000000 S -", "region -"),
     ("botocore lets the later section win; the format says \"profile "
      "default\" always supersedes \"default\"",
      ("creds BARE000000000000 S -", "region -"))),
    ("[profile default] beats [default] when it comes last",
     "[default]\n%s = BARE000000000000\n%s = S\n[profile default]\n%s = PREF000000000000\n%s = S\n"
     % (K, S, K, S), "", {}, None, ("creds PREF000000000000 S -", "region -"), None),
    ("inline comment after a value",
     "[profile dev]\n%s = K000000000000000 # the key\n%s = S\n" % (K, S), "", {}, "dev",
     ("creds K000000000000000 S -", "region -"),
     ("botocore has no inline comments: the value is 'K000000000000000 # the key'",
      ("creds K000000000000000 # the key S -", "region -"))),
    ("duplicate key in one section: last one wins",
     "", "[dev]\n%s = OLD0000000000000\n%s = NEW0000000000000\n%s = S\n" % (K, K, S), {}, "dev",
     ("creds NEW0000000000000 S -", "region -"),
     ("botocore's configparser is strict: duplicate option is a parse error",
      ("error PARSE", "region -"))),
    ("section name with spaces inside the brackets",
     "", "[ dev ]\n%s = K000000000000000\n%s = S\n" % (K, S), {}, "dev",
     ("creds K000000000000000 S -", "region -"),
     ("botocore keeps the spaces: the section is ' dev ', not dev",
      ("error NOT_FOUND", "region -"))),
    ("keys indented under their section (credentials file)",
     "", "[dev]\n  %s = K000000000000000\n  %s = S\n" % (K, S), {}, "dev",
     ("creds K000000000000000 S -", "region -"), None),
    ("keys and region indented under their section (config file)",
     "[profile dev]\n\tregion = eu-north-1\n\t%s = K000000000000000\n\t%s = S\n"
     % (K, S), "", {}, "dev", ("creds K000000000000000 S -", "region eu-north-1"),
     None),
    ("indented keys, then one indented less: still properties",
     "", "[dev]\n    %s = K000000000000000\n  %s = S\n" % (K, S), {}, "dev",
     ("creds K000000000000000 S -", "region -"), None),
    ("a line indented further than its property continues it",
     "[profile dev]\n  region = eu-north-1\n  %s = K000000000000000\n  %s = S\n"
     "  output = json\n    %s = NOTASECRET\n" % (K, S, S), "", {}, "dev",
     ("creds K000000000000000 S -", "region eu-north-1"), None),
    ("credential_process with static keys in the config file: process wins",
     "[profile dev]\n%s = CFGKEY0000000000\n%s = CFGSECRET\ncredential_process = %%PROC%%\n"
     % (K, S), "", {}, "dev", ("creds PROCKEY000000000 PROCSECRET PROCTOKEN", "region -"),
     None),
    ("credential_process with static keys in the credentials file: keys win",
     "[profile dev]\ncredential_process = %PROC%\n",
     "[dev]\n%s = CREDKEY000000000\n%s = CREDSECRET\n" % (K, S), {}, "dev",
     ("creds CREDKEY000000000 CREDSECRET -", "region -"), None),
]

PROCESS = (
    "#!/bin/sh\n"
    "echo '{\"Version\": 1, \"AccessKeyId\": \"PROCKEY000000000\", "
    "\"SecretAccessKey\": \"PROCSECRET\", \"SessionToken\": \"PROCTOKEN\"}'\n"
)


def run(cmd, env):
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return tuple(p.stdout.decode("utf-8", "replace").splitlines()[:2])


def main():
    probe = sys.argv[1]
    failed = 0
    for name, config, creds, extra, profile, ours, divergence in CASES:
        with tempfile.TemporaryDirectory() as d:
            proc = os.path.join(d, "proc.sh")
            with open(proc, "w") as f:
                f.write(PROCESS)
            os.chmod(proc, 0o700)
            cfg_path = os.path.join(d, "config")
            cred_path = os.path.join(d, "credentials")
            for path, text in ((cfg_path, config), (cred_path, creds)):
                if text is not None:
                    with open(path, "w") as f:
                        f.write(text.replace("%PROC%", proc))
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": os.path.join(d, "home"),
                "AWS_CONFIG_FILE": cfg_path,
                "AWS_SHARED_CREDENTIALS_FILE": cred_path,
                "AWS_EC2_METADATA_DISABLED": "true",
            }
            env.update(extra)
            args = [profile] if profile else []
            got = run([probe] + args, env)
            boto = run([sys.executable, "-c", BOTOCORE_SIDE] + args, env)
        if got != ours:
            failed += 1
            print("not ok - %s: ours %r, expected %r" % (name, got, ours))
        elif boto == ours:
            print("ok - %s: same as botocore (%s)" % (name, "; ".join(ours)))
        elif divergence and boto == divergence[1]:
            print("ok - %s: %s; known divergence: %s (botocore: %s)"
                  % (name, "; ".join(ours), divergence[0], "; ".join(boto)))
        else:
            failed += 1
            print("not ok - %s: ours %r, botocore %r (undocumented difference)"
                  % (name, got, boto))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
