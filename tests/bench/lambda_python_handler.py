#!/usr/bin/env python3
"""The reference the C function (examples/lambda/) is measured against: the
same handler written the usual way in Python, with boto3's
generate_db_auth_token and PyMySQL, plus a minimal Runtime API loop (what
Lambda's Python runtime does around a handler), so both run the same way
against the same stand-ins (tests/bench/lambda_bench.py).

Same behaviour as handler.c: settings from RDS_HOST, RDS_PORT, RDS_USER,
RDS_CA_BUNDLE, AWS_REGION; the connection is opened once (verified TLS,
clear-text password plugin) and reused: a warm invocation runs the query
on it straight away and, only when that finds the connection gone, logs in
again with a fresh token and runs it once more; a failed invocation goes
to /invocation/ID/error. Benchmark code, not a second product.
"""
import json
import os
import sys
import urllib.request

import boto3

try:
    import pymysql
except ImportError:  # Debian's python3-pymysql, for another Python 3
    sys.path.append("/usr/lib/python3/dist-packages")
    import pymysql

API = "http://%s/2018-06-01/runtime" % os.environ["AWS_LAMBDA_RUNTIME_API"]

# Init, as a Lambda Python module would do it at import time.
HOST = os.environ["RDS_HOST"]
PORT = int(os.environ.get("RDS_PORT", "3306"))
USER = os.environ["RDS_USER"]
CA = os.environ.get("RDS_CA_BUNDLE") or os.path.join(
    os.environ.get("LAMBDA_TASK_ROOT", "/var/task"), "global-bundle.pem")
rds = boto3.client("rds", region_name=os.environ["AWS_REGION"])
conn = None
# The MySQL error numbers handler.c takes for "the connection is gone":
# CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_SSL_CONNECTION_ERROR,
# ER_SERVER_SHUTDOWN, ER_CONNECTION_KILLED, ER_CLIENT_INTERACTION_TIMEOUT.
LOST = (2006, 2013, 2026, 1053, 1927, 4031)


def connect():
    token = rds.generate_db_auth_token(DBHostname=HOST, Port=PORT, DBUsername=USER)
    return pymysql.connect(host=HOST, port=PORT, user=USER, password=token,
                           ssl_ca=CA, ssl_verify_cert=True,
                           ssl_verify_identity=True, connect_timeout=5,
                           read_timeout=5, write_timeout=5)


def list_users():
    with conn.cursor() as cur:
        cur.execute("SELECT user FROM mysql.user ORDER BY user")
        return [row[0] for row in cur.fetchall()]


def handler(event, context):
    global conn
    users = None
    if conn is not None:
        try:
            users = list_users()
        except (pymysql.OperationalError, pymysql.InterfaceError) as e:
            # InterfaceError: PyMySQL had already seen the socket close.
            lost = isinstance(e, pymysql.InterfaceError) or e.args[0] in LOST
            conn = None
            if not lost:
                raise
    if users is None:
        conn = connect()
        users = list_users()
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"users": users}, separators=(",", ":"))}


def post(path, body):
    req = urllib.request.Request(API + path, data=json.dumps(body, separators=(",", ":")).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(req, timeout=10).read()


def main():
    while True:
        with urllib.request.urlopen(API + "/invocation/next") as r:
            rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
            event = json.loads(r.read())
        try:
            result = handler(event, None)
        except Exception as e:  # reported, and the loop goes on
            post("/invocation/%s/error" % rid,
                 {"errorMessage": str(e), "errorType": type(e).__name__})
            continue
        post("/invocation/%s/response" % rid, result)


if __name__ == "__main__":
    main()
