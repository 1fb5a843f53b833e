#!/usr/bin/env python3
"""Print botocore's RDS token for given inputs, its clock frozen.

Usage: botocore_token.py AKID SECRET HOST PORT USER REGION EPOCH_SECONDS

The reference for known answers in the unit tests whose credentials are
not those of a published vector (e.g. a key id of the documented form in
place of botocore test_signers.py's "akid"). Reproduces that published
answer for its own inputs ("akid" "skid" ... 1478540373). No network.
"""
import datetime, os, sys
for v in list(os.environ):
    if v.startswith("AWS_"): del os.environ[v]
os.environ["AWS_CONFIG_FILE"]=os.devnull; os.environ["AWS_SHARED_CREDENTIALS_FILE"]=os.devnull
import botocore.auth, botocore.session
from unittest import mock
akid, secret, host, port, user, region, t = sys.argv[1:8]
when = datetime.datetime(1970,1,1)+datetime.timedelta(seconds=int(t))
s = botocore.session.get_session()
s.set_credentials(akid, secret)
c = s.create_client('rds', region_name=region)
with mock.patch.object(botocore.auth.datetime, 'datetime', mock.Mock(wraps=datetime.datetime, utcnow=lambda: when, now=lambda *a, **k: when)):
    print(c.generate_db_auth_token(host, int(port), user, region))
