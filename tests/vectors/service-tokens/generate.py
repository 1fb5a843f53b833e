#!/usr/bin/env python3
"""Write botocore-derived.json: ElastiCache, MemoryDB and MSK token known
answers, computed with the installed botocore (1.43.11 when the file was
made) through tests/crosscheck/botocore_services.py's functions: botocore's
RequestSigner.generate_presigned_url() for ElastiCache and MemoryDB, and
AWS's aws-msk-iam-sasl-signer-python steps on botocore's SigV4QueryAuth for
MSK, each with botocore's clock frozen at the vector's time.

Usage (from the repository root):
    python3 tests/vectors/service-tokens/generate.py \
        > tests/vectors/service-tokens/botocore-derived.json
"""

import datetime
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "crosscheck"))
import botocore  # noqa: E402
import botocore_services as bs  # noqa: E402

AKID, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
AKID2 = "ASIAQXAMPLEQXAMPLEQX"
SECRET2 = "qVdyD1tkZ3G0EXAMPLEQXAMPLEQXAMPLE+/a=bcd"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token=="
T1 = 1700000000  # 2023-11-14T22:13:20Z
T2 = 1735689599  # 2024-12-31T23:59:59Z

CACHE = [
    ("elasticache", AKID, SECRET, None, "my-cache", "iam-user-01", False,
     "us-east-1", T1),
    ("elasticache", AKID2, SECRET2, TOKEN, "Cache-01", "iam user+01/ü",
     True, "eu-west-1", T2),
    ("elasticache", AKID, SECRET, None, "serverless-7", "iam-user-01", True,
     "us-east-1", T1),
    ("memorydb", AKID, SECRET, None, "my-cluster", "iam-user-01", False,
     "us-east-1", T1),
    ("memorydb", AKID2, SECRET2, TOKEN, "Prod-Cluster", "app_user", False,
     "ap-southeast-2", T2),
]
MSK = [
    (AKID, SECRET, None, "aws-msk-iam-sasl-signer-python/1.0.1", False,
     "us-east-1", T1),
    (AKID2, SECRET2, TOKEN, "my app/1.0 (linux; +x)", True, "eu-central-1",
     T2),
    (AKID, SECRET, None, "a", False, "cn-north-1", T2),
    (AKID2, SECRET2, TOKEN, "ab", False, "us-west-2", T1),
]


def stamp(t):
    return (bs.EPOCH + datetime.timedelta(seconds=t)).strftime(
        "%Y%m%dT%H%M%SZ")


def main():
    out = []
    src = ("derived: botocore %s, run locally with its clock frozen (not "
           "from any test suite)" % botocore.__version__)
    for kind, akid, secret, tok, name, user, serverless, region, t in CACHE:
        out.append({"source": src, "service": kind, "access_key_id": akid,
                    "secret_access_key": secret, "session_token": tok,
                    "name": name, "username": user, "serverless": serverless,
                    "region": region, "time": stamp(t),
                    "expected": bs.botocore_cache(
                        kind, (akid, secret, tok, name, user, serverless,
                               region, t))})
    for akid, secret, tok, ua, serverless, region, t in MSK:
        tok_ms = bs.botocore_msk((akid, secret, tok, ua, serverless, region,
                                  t))
        token, expires_ms = tok_ms.split(" ")
        out.append({"source": src, "service": "msk", "access_key_id": akid,
                    "secret_access_key": secret, "session_token": tok,
                    "user_agent": ua, "serverless": serverless,
                    "region": region, "time": stamp(t), "expected": token,
                    "expires_ms": int(expires_ms)})
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
