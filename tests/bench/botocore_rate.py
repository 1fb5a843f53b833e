#!/usr/bin/env python3
"""Measure botocore's generate_db_auth_token rate on the same inputs as
tests/bench/bench.c, for the ratio printed by `make bench`.

Prints one line, "botocore tokens/s: N", or nothing (exit 3) when botocore
is not importable. Credentials and clock are fixed; nothing leaves the
machine (presigning is local)."""
import sys
import time

try:
    import botocore.session
    from botocore.credentials import Credentials
except ImportError:
    sys.exit(3)

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0

session = botocore.session.get_session()
client = session.create_client(
    "rds", region_name="us-east-1",
    aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
host = "mydb.cluster-c9akciq32example.us-east-1.rds.amazonaws.com"

n = 0
start = time.perf_counter()
while True:
    for _ in range(200):
        client.generate_db_auth_token(host, 5432, "app_user")
        n += 1
    elapsed = time.perf_counter() - start
    if elapsed >= SECONDS:
        break
print(f"botocore tokens/s: {n / elapsed:.0f}")
