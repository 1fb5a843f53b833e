#!/usr/bin/env python3
"""Compare librdsiam's ElastiCache, MemoryDB and MSK tokens with botocore's.

Usage: botocore_services.py TOKENGEN VERSION

VERSION is the library's (include/rdsiam.h): the default MSK user agent
is librdsiam/VERSION.

Byte for byte, on deterministic pseudo-random inputs (fixed seed), with
botocore's clock frozen at each input's signing time:

- ElastiCache and MemoryDB: botocore's own presigner,
  RequestSigner.generate_presigned_url(), on the request AWS's
  documentation builds ("Authenticating with IAM", ElastiCache User Guide
  and MemoryDB Developer Guide): GET http://NAME/?Action=connect&User=USER
  (ElastiCache serverless caches: &ResourceType=ServerlessCache), service
  "elasticache" or "memorydb", expires_in=900, and the scheme removed;
- MSK: the steps of AWS's aws-msk-iam-sasl-signer-python
  (MSKAuthTokenProvider.__construct_auth_token): botocore's SigV4QueryAuth
  (service "kafka-cluster", expires=900) on an AWSRequest for
  https://kafka.REGION.amazonaws.com/ with params {Action:
  kafka-cluster:Connect}, then request.params = {User-Agent: UA} and
  prepare(), then base64.urlsafe_b64encode(url).rstrip("="); the expiry in
  milliseconds as its __get_expiration_time_ms() computes it (X-Amz-Date +
  900 s). MSK Serverless: the same for kafka-serverless.REGION.amazonaws.com.

One TAP line per group. Nothing here talks to a network.
"""

import base64
import datetime
import os
import random
import sys
from urllib.parse import parse_qs, urlencode, urlparse

# The RDS cross-check's setup, shared: botocore kept away from the
# developer's own AWS setup, its clock frozen at botocore_crosscheck._now,
# and the input alphabets and generators.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from botocore_crosscheck import (B64, EPOCH, NON_ASCII, REGIONS,  # noqa: E402
                                 RESERVED, TIME_MAX, UNRESERVED, _now,
                                 check_group, hexf, rand_akid, rand_secret)

import botocore.auth  # noqa: E402
import botocore.credentials  # noqa: E402
import botocore.session  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.model import ServiceId  # noqa: E402
from botocore.signers import RequestSigner  # noqa: E402

_emitter = botocore.session.get_session().get_component("event_emitter")
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7f))


def _creds(akid, secret, token):
    # An empty session token means none (rdsiam.h); botocore would sign an
    # empty X-Amz-Security-Token, so it is handed None.
    return botocore.credentials.Credentials(akid, secret, token or None)


def botocore_cache(service, inp):
    akid, secret, token, name, user, serverless, region, t = inp
    signer = RequestSigner(ServiceId(service), region, service, "v4",
                           _creds(akid, secret, token), _emitter)
    query = {"Action": "connect", "User": user}
    if serverless:
        query["ResourceType"] = "ServerlessCache"
    # The services store names lowercased; AWS's guide: "Ensure
    # authenticating code supplies the cache name in lowercase".
    url = "http://%s/?%s" % (name.lower(), urlencode(query))
    _now[0] = EPOCH + datetime.timedelta(seconds=t)
    signed = signer.generate_presigned_url(
        {"method": "GET", "url": url, "body": {}, "headers": {},
         "context": {}},
        operation_name="connect", expires_in=900, region_name=region)
    assert signed.startswith("http://")
    return signed[len("http://"):]


def botocore_msk(inp):
    akid, secret, token, user_agent, serverless, region, t = inp
    host = "kafka-serverless" if serverless else "kafka"
    _now[0] = EPOCH + datetime.timedelta(seconds=t)
    sig_v4 = botocore.auth.SigV4QueryAuth(_creds(akid, secret, token),
                                          "kafka-cluster", region,
                                          expires=900)
    request = AWSRequest(method="GET",
                         url="https://%s.%s.amazonaws.com/" % (host, region),
                         params={"Action": "kafka-cluster:Connect"})
    sig_v4.add_auth(request)
    request.params = {"User-Agent": user_agent or "librdsiam/" + VERSION}
    url = request.prepare().url
    tok = base64.urlsafe_b64encode(url.encode("utf-8")).decode().rstrip("=")
    date = parse_qs(urlparse(request.url).query)["X-Amz-Date"][0]
    signed_at = datetime.datetime.strptime(date, "%Y%m%dT%H%M%SZ")
    expires_ms = (int((signed_at - EPOCH).total_seconds()) + 900) * 1000
    return "%s %d" % (tok, expires_ms)


def line_for(kind, inp):
    if kind == "msk":
        akid, secret, token, user_agent, serverless, region, t = inp
        return " ".join(["msk", hexf(akid), hexf(secret), hexf(token),
                         hexf(user_agent), str(int(serverless)),
                         hexf(region), str(t)])
    akid, secret, token, name, user, serverless, region, t = inp
    return " ".join([kind, hexf(akid), hexf(secret), hexf(token), hexf(name),
                     hexf(user), str(int(serverless)), hexf(region), str(t)])


def expected(kind, inp):
    return botocore_msk(inp) if kind == "msk" else botocore_cache(kind, inp)


# ---------------------------------------------------------------------------
# Input generators

def rand_token(r, with_token):
    if not with_token:
        return None if r.random() < 0.9 else ""
    body = "".join(r.choice(B64) for _ in range(r.randint(16, 1400)))
    return body + "=" * r.randint(0, 2)


def rand_time(r):
    if r.random() < 0.3:  # around a midnight
        return min(TIME_MAX, max(1, r.randint(1, TIME_MAX // 86400) * 86400
                                 + r.randint(-2, 2)))
    return r.randint(1, TIME_MAX)


def rand_name(r):
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
    return r.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") + \
        "".join(r.choice(alphabet) for _ in range(r.randint(0, 62)))


def rand_username(r):
    if r.random() < 0.5:
        return "iam-user-%d" % r.randint(0, 99999)
    pools = [RESERVED, UNRESERVED, NON_ASCII]
    n = r.randint(1, 40)
    return "".join(r.choice(r.choices(pools, [3, 5, 3])[0]) for _ in range(n))


def rand_user_agent(r):
    kind = r.random()
    if kind < 0.2:
        return None  # ours: "librdsiam/VERSION"
    if kind < 0.5:
        return "aws-msk-iam-sasl-signer-python/1.0.%d" % r.randint(0, 20)
    return "".join(r.choice(PRINTABLE) for _ in range(r.randint(1, 256)))


def gen_cache(r, kind, serverless, with_token, n):
    for _ in range(n):
        yield (kind, (rand_akid(r), rand_secret(r), rand_token(r, with_token),
                      rand_name(r), rand_username(r), serverless,
                      r.choice(REGIONS), rand_time(r)))


def gen_msk(r, serverless, with_token, n):
    for _ in range(n):
        yield ("msk", (rand_akid(r), rand_secret(r), rand_token(r, with_token),
                       rand_user_agent(r), serverless, r.choice(REGIONS),
                       rand_time(r)))


# ---------------------------------------------------------------------------
# Running

VERSION = ""


def main():
    global VERSION
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    tokengen, VERSION = sys.argv[1], sys.argv[2]
    r = random.Random(20240521)
    groups = []
    for kind, label in (("elasticache", "ElastiCache"),
                        ("memorydb", "MemoryDB")):
        for serverless in ((False, True) if kind == "elasticache"
                           else (False,)):
            for with_token in (False, True):
                groups.append((
                    "%s%s tokens, %s session token" % (
                        label, " serverless" if serverless else "",
                        "with a" if with_token else "without a"),
                    list(gen_cache(r, kind, serverless, with_token, 400))))
    for serverless in (False, True):
        for with_token in (False, True):
            groups.append((
                "MSK%s tokens and expiry, %s session token" % (
                    " Serverless" if serverless else "",
                    "with a" if with_token else "without a"),
                list(gen_msk(r, serverless, with_token, 400))))
    ok = True
    for name, cases in groups:
        ok = check_group(name, tokengen, cases, expected, line_for) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
