#!/usr/bin/env python3
"""Compare librdsiam's RDS and DSQL tokens with botocore's, byte for byte.

Usage: botocore_crosscheck.py TOKENGEN RDSIAM_TOKEN_CLI

Generates deterministic pseudo-random inputs (fixed seed), asks botocore
(generate_db_auth_token, generate_db_connect_auth_token,
generate_db_connect_admin_auth_token) for each token with its clock frozen
at the input's signing time, asks our library through TOKENGEN (one
process reads every input line and writes one token per line), and prints
one TAP line per group of inputs. The rdsiam-token command-line tool is
checked the same way on a few inputs. Nothing here talks to a network.
"""

import datetime
import os
import random
import re
import subprocess
import sys

# Keep botocore away from the developer's own AWS setup.
for _v in list(os.environ):
    if _v.startswith("AWS_"):
        del os.environ[_v]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import botocore.auth  # noqa: E402
import botocore.credentials  # noqa: E402
import botocore.session  # noqa: E402

import xcheck  # noqa: E402

EPOCH = datetime.datetime(1970, 1, 1)
TIME_MAX = 253402300799  # 9999-12-31T23:59:59Z
_now = [EPOCH]

# botocore's SigV4 query signer reads the time at _now[0].
xcheck.freeze_clock(lambda: _now[0])

_session = botocore.session.get_session()
_rds = _session.create_client(
    "rds", region_name="us-east-1", aws_access_key_id="x",
    aws_secret_access_key="x")
NO_DSQL = xcheck.missing("dsql")
_dsql = None if NO_DSQL else _session.create_client(
    "dsql", region_name="us-east-1", aws_access_key_id="x",
    aws_secret_access_key="x")

REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "ap-southeast-2",
           "sa-east-1", "us-gov-west-1", "cn-north-1", "il-central-1"]
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
RESERVED = " !\"#$%&'()*+,/:;<=>?@[\\]^`{|}"
UNRESERVED = ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
              "0123456789-_.~")
NON_ASCII = ("\u00e9\u00fc\u00df\u00ff\u0100\u03a9\u0416\u05d0\u0627\u0939"
             "\u1234\u3042\u4e2d\uac00\ud7ff\ue000\ufffd\uffff\U0001f600"
             "\U00010000\U0010ffff")


# An empty session token: rdsiam.h documents "" as "no token", which is
# also how botocore's environment provider reads an empty
# AWS_SESSION_TOKEN; botocore's signer itself would sign an empty
# X-Amz-Security-Token, so it is handed None.

def botocore_rds(inp):
    akid, secret, token, host, port, user, region, t = inp
    _rds._request_signer._credentials = botocore.credentials.Credentials(
        akid, secret, token or None)
    _now[0] = EPOCH + datetime.timedelta(seconds=t)
    return _rds.generate_db_auth_token(host, port, user, Region=region)


def botocore_dsql(inp):
    akid, secret, token, host, admin, expires, region, t = inp
    _dsql._request_signer._credentials = botocore.credentials.Credentials(
        akid, secret, token or None)
    _now[0] = EPOCH + datetime.timedelta(seconds=t)
    fn = (_dsql.generate_db_connect_admin_auth_token if admin
          else _dsql.generate_db_connect_auth_token)
    if expires == 0:  # our 0 means botocore's default, 900
        return fn(host, region)
    return fn(host, region, expires)


def hexf(s):
    return "-" if s is None else s.encode("utf-8").hex()


def line_for(kind, inp):
    if kind == "rds":
        akid, secret, token, host, port, user, region, t = inp
        return " ".join(["rds", hexf(akid), hexf(secret), hexf(token),
                         hexf(host), str(port), hexf(user), hexf(region),
                         str(t)])
    akid, secret, token, host, admin, expires, region, t = inp
    return " ".join(["dsql", hexf(akid), hexf(secret), hexf(token),
                     hexf(host), str(int(admin)), str(expires), hexf(region),
                     str(t)])


# ---------------------------------------------------------------------------
# Input generators

def rand_akid(r):
    return r.choice(["AKIA", "ASIA"]) + "".join(
        r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


def rand_secret(r):
    return "".join(r.choice(B64) for _ in range(40))


def rand_token(r, lo=16, hi=800):
    if r.random() < 0.3:
        return None
    if r.random() < 0.05:
        return ""  # empty means none, for botocore and for us
    body = "".join(r.choice(B64) for _ in range(r.randint(lo, hi)))
    return body + "=" * r.randint(0, 2)


def rand_time(r):
    return r.randint(1, TIME_MAX)


def rand_label(r, mixed=True):
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    if mixed:
        alphabet += "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n = r.randint(1, 20)
    s = "".join(r.choice(alphabet) for _ in range(n))
    if n > 2 and r.random() < 0.3:
        k = r.randint(1, n - 2)
        s = s[:k] + "-" + s[k + 1:]
    return s


def rand_rds_host(r, mixed=True):
    kind = r.random()
    if kind < 0.1:
        return ".".join(str(r.randint(0, 255)) for _ in range(4))
    if kind < 0.2:
        groups = ["%x" % r.randint(0, 0xFFFF) for _ in range(r.randint(2, 8))]
        if len(groups) < 8:
            k = r.randint(0, len(groups) - 1)
            addr = ":".join(groups[:k]) + "::" + ":".join(groups[k:])
        else:
            addr = ":".join(groups)
        if mixed and r.random() < 0.5:
            addr = addr.upper()
        return "[" + addr + "]"
    labels = [rand_label(r, mixed) for _ in range(r.randint(1, 4))]
    return ".".join(labels) + "." + r.choice(REGIONS) + ".rds.amazonaws.com"


def rand_username(r):
    pools = [RESERVED, UNRESERVED, NON_ASCII, "\t\x01\x7f"]
    weights = [3, 5, 3, 0.2]
    n = r.randint(1, 40)
    out = "".join(r.choice(r.choices(pools, weights)[0]) for _ in range(n))
    if r.random() < 0.02:  # up to the 512-byte limit, in 2-byte characters
        out = "\u00e9" * 256
    return out


def gen_usernames(r, n):
    for _ in range(n):
        yield ("rds", (rand_akid(r), rand_secret(r), rand_token(r),
                       rand_rds_host(r), r.randint(1, 65535),
                       rand_username(r), r.choice(REGIONS), rand_time(r)))


def gen_session_tokens(r, n):
    for _ in range(n):
        tok = "".join(r.choice("+/=" + B64) for _ in range(r.randint(1, 2000)))
        yield ("rds", (rand_akid(r), rand_secret(r), tok,
                       "db.cluster-x.us-east-1.rds.amazonaws.com", 5432,
                       "iam_user", "us-east-1", rand_time(r)))


def gen_ports(r):
    akid, secret = rand_akid(r), rand_secret(r)
    token = "IQoJb3JpZ2luX2VjE+/tok=="
    hosts = ["mydb.abc.us-east-1.rds.amazonaws.com",
             "MyDB.Cluster-ABC.us-east-1.RDS.amazonaws.com", "10.1.2.3",
             "[fd00::1]"]
    for port in range(1, 65536):
        yield ("rds", (akid, secret, token if port % 2 else None,
                       hosts[port % len(hosts)], port, "jane_doe",
                       "us-east-1", 1700000000 + port))


def gen_dates(r, n):
    akid, secret = rand_akid(r), rand_secret(r)
    fixed = [1, 86399, 86400, 946684799, 946684800, 951825600, 2147483647,
             2147483648, 4107542399, 4107542400, TIME_MAX - 1, TIME_MAX]
    times = list(fixed)
    while len(times) < n:
        kind = r.random()
        if kind < 0.4:  # around a new year
            y = r.randint(1971, 9999)
            base = int((datetime.datetime(y, 1, 1) - EPOCH).total_seconds())
        elif kind < 0.8:  # around a midnight
            base = r.randint(1, TIME_MAX // 86400) * 86400
        else:  # after 2038
            base = r.randint(2147483648, TIME_MAX - 2)
        times.append(min(TIME_MAX, max(1, base + r.randint(-2, 2))))
    for t in times:
        yield ("rds", (akid, secret, rand_token(r), "db.example.com",
                       3306, "u", r.choice(REGIONS), t))


def gen_hostnames(r, n):
    for _ in range(n):
        port = r.choice([443, 443, 443, 80, 3306, 5432, r.randint(1, 65535)])
        yield ("rds", (rand_akid(r), rand_secret(r), rand_token(r),
                       rand_rds_host(r), port, "admin", r.choice(REGIONS),
                       rand_time(r)))


def gen_dsql(r, n):
    expiries = [0, 1, 60, 900, 3600, 43200, 604800]
    for _ in range(n):
        host = rand_label(r) + ".dsql." + r.choice(REGIONS) + ".on.aws"
        if r.random() < 0.2:
            host = host.upper()
        exp = r.choice(expiries + [r.randint(1, 604800)])
        yield ("dsql", (rand_akid(r), rand_secret(r), rand_token(r), host,
                        r.random() < 0.5, exp, r.choice(REGIONS),
                        rand_time(r)))


# ---------------------------------------------------------------------------
# Running

def ours(tokengen, cases, line=None):
    """TOKENGEN's answers to cases, written as line(kind, input) says."""
    line = line or line_for
    data = "".join(line(k, i) + "\n" for k, i in cases).encode()
    res = subprocess.run([tokengen], input=data, stdout=subprocess.PIPE,
                         timeout=120, check=False)
    if res.returncode != 0:
        raise RuntimeError("%s exited with %d" % (tokengen, res.returncode))
    return res.stdout.decode("utf-8").split("\n")[:len(cases)]


def check_group(name, tokengen, cases, expected=None, line=None):
    """One TAP line: TOKENGEN's tokens for cases against expected(kind,
    input) (botocore's RDS or DSQL token by default)."""
    expected = expected or (lambda k, i: botocore_rds(i) if k == "rds"
                            else botocore_dsql(i))
    want = [expected(k, i) for k, i in cases]
    got = ours(tokengen, cases, line)
    bad = [j for j in range(len(cases)) if j >= len(got) or got[j] != want[j]]
    if not bad:
        print("ok - botocore cross-check: %s (%d inputs, all byte-identical)"
              % (name, len(cases)))
        return True
    print("not ok - botocore cross-check: %s (%d of %d inputs differ)"
          % (name, len(bad), len(cases)))
    for j in bad[:3]:
        print("#   input: %r" % (cases[j],))
        print("#   want:  %s" % want[j])
        print("#   got:   %s" % (got[j] if j < len(got) else "<missing>"))
    return False


def check_cli(cli, r):
    """The rdsiam-token tool prints what botocore returns (a few inputs)."""
    cases = []
    for j in range(6):
        t = r.randint(1, TIME_MAX)
        cases.append((rand_akid(r), rand_secret(r),
                      rand_token(r) if j % 2 else None, rand_rds_host(r),
                      r.choice([443, 3306, 5432]), rand_username(r),
                      r.choice(REGIONS), t))
    bad = 0
    for j, inp in enumerate(cases):
        akid, secret, token, host, port, user, region, t = inp
        when = EPOCH + datetime.timedelta(seconds=t)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ" if j % 2
                              else "%Y%m%dT%H%M%SZ")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "AWS_ACCESS_KEY_ID": akid, "AWS_SECRET_ACCESS_KEY": secret,
               "AWS_EC2_METADATA_DISABLED": "true",
               "AWS_CONFIG_FILE": os.devnull,
               "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
        if token:
            env["AWS_SESSION_TOKEN"] = token
        args = [cli, "--hostname", host, "--port", str(port), "--username",
                user, "--signing-time", stamp]
        if j % 3:
            args += ["--region", region]
        else:
            env["AWS_REGION"] = region
        res = subprocess.run(args, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=30, check=False)
        want = botocore_rds(inp) + "\n"
        got = res.stdout.decode("utf-8", "replace")
        # The tool signs for the region it is given, as botocore does, and
        # warns when an RDS host name names another one.
        m = re.match(r"(?i)^.+\.([^.]{1,64})\.rds\.amazonaws\.com(\.cn)?\.?$",
                     host)
        warn = b""
        if m and m.group(1).lower() != region:
            warn = ("rdsiam-token: warning: the host name %s is in %s, but "
                    "the token is signed for %s: the database will refuse "
                    "it\n" % (host, m.group(1).lower(), region)).encode()
        if res.returncode != 0 or got != want or res.stderr != warn:
            bad += 1
            print("#   cli input: %r" % (inp,))
            print("#   want: %s" % want.rstrip("\n"))
            print("#   got:  %s (exit %d, stderr %r)"
                  % (got.rstrip("\n"), res.returncode, res.stderr[:200]))
    if bad:
        print("not ok - botocore cross-check: rdsiam-token tool (%d of %d "
              "differ)" % (bad, len(cases)))
        return False
    print("ok - botocore cross-check: rdsiam-token tool (%d inputs, output "
          "identical)" % len(cases))
    return True


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    tokengen, cli = sys.argv[1], sys.argv[2]
    r = random.Random(20161107)
    groups = [
        ("usernames with reserved and non-ASCII characters",
         list(gen_usernames(r, 2500))),
        ("session tokens with + / =", list(gen_session_tokens(r, 1000))),
        ("every port 1..65535", list(gen_ports(r))),
        ("dates across day and year boundaries, past 2038, to 9999",
         list(gen_dates(r, 2500))),
        ("mixed-case hostnames, IP literals, port 443",
         list(gen_hostnames(r, 1500))),
        ("DSQL tokens, both actions, several expiries",
         list(gen_dsql(r, 1500))),
    ]
    ok = True
    for name, cases in groups:
        if NO_DSQL and cases[0][0] == "dsql":
            ok = xcheck.skip("botocore cross-check: " + name, NO_DSQL) and ok
            continue
        ok = check_group(name, tokengen, cases) and ok
    if os.access(cli, os.X_OK):
        ok = check_cli(cli, r) and ok
    else:
        print("not ok - botocore cross-check: %s is not built" % cli)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
