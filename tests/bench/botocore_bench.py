#!/usr/bin/env python3
"""botocore's token rate on the inputs of tests/bench/bench.c.

    botocore_bench.py SHAPE TOKEN_BYTES SECONDS

SHAPE is one of bench.c's shapes ("dsql" signs an Aurora DSQL token with
generate_db_connect_auth_token; anything else an RDS token with
generate_db_auth_token). Prints "tokens/s N", or exits 3 when botocore is
not importable. Presigning is local: nothing leaves the machine.
"""
import sys
import time

try:
    import botocore.session
except ImportError:
    sys.exit(3)

AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
HOST = "mydb.cluster-c9akciq32example.us-east-1.rds.amazonaws.com"
DSQL_HOST = "abcdefghijklmnopqrst.dsql.us-east-1.on.aws"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def session_token(n):
    """The same base64-shaped token as bench.c's make_session_token()."""
    x, out = 2463534242, []
    for _ in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out.append(B64[x & 63])
    return "".join(out)


def main():
    shape, nbytes, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    session = botocore.session.get_session()
    kw = dict(region_name="us-east-1", aws_access_key_id=AKID,
              aws_secret_access_key=SECRET)
    if nbytes:
        kw["aws_session_token"] = session_token(nbytes)
    if shape == "dsql":
        client = session.create_client("dsql", **kw)
        one = lambda: client.generate_db_connect_auth_token(DSQL_HOST, "us-east-1")
    else:
        client = session.create_client("rds", **kw)
        one = lambda: client.generate_db_auth_token(HOST, 5432, "app_user")
    one()
    n, start = 0, time.process_time()
    while True:
        for _ in range(100):
            one()
        n += 100
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            break
    print(f"tokens/s {n / elapsed:.0f}")


main()
