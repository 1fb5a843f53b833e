#!/usr/bin/env python3
"""A loopback stand-in for AWS endpoints, for tests: STS, IMDS, the IAM
Identity Center portal and SSO-OIDC, the sign-in service; routes are easy
to add.

Usage: aws_standin.py [--config FILE] [--tls CERT KEY]

Binds a free port on 127.0.0.1, prints it on one line, and serves until its
stdin closes (the test closes it, or dies) or standin_server.LIFETIME
seconds pass.

Configuration (JSON file, all keys optional):

  {
    "keys":  {"AKID": {"secret": "...", "token": "..." or null}, ...},
    "roles": {"ROLE_ARN": {"AccessKeyId": "...", "SecretAccessKey": "...",
                           "SessionToken": "...",
                           "Expiration": "2100-01-01T00:00:00Z",  (optional)
                           "WebIdentityToken": "..." or ["...", ...],
                                                               (optional)
                           "Trusted": ["AKID", ...]},  (optional: the only
                                      keys that may AssumeRole it)
    "region": "us-east-1",   (the only region a credential scope may name;
                              absent: any)
    "max_skew": 900,          (seconds between X-Amz-Date and the clock;
                              0: not checked)
    "now": 4102444800,        (the clock for issued expirations and DPoP
                              iat checks; absent: real time)
    "sso": {...}, "sso_oidc": {...}, "login": {...}
                              (the IAM Identity Center portal, SSO-OIDC and
                              sign-in: see their sections below)
  }

STS (the Query protocol, as sts.amazonaws.com speaks it): POST to any path
with a form body Action=AssumeRole|AssumeRoleWithWebIdentity and
Version=2011-06-15. AssumeRole must carry a SigV4 Authorization header:
the signature is recomputed with the secret of the access key it names
(service "sts", region from the credential scope) and the request is
refused with STS's own error documents when the key is unknown or its
session token does not match (InvalidClientTokenId), or the signature does
not (SignatureDoesNotMatch). A role's credentials become a key as soon as
they are issued, so a chain whose second hop signs with the first hop's
credentials verifies, and one that signs with anything else fails.
AssumeRoleWithWebIdentity is unsigned; its WebIdentityToken must be the
role's WebIdentityToken or one of them (InvalidIdentityToken otherwise). A role missing
from "roles" is AccessDenied.

Scripted failures: the path /s/TAG/STEP.STEP... answers the Nth request on
that exact path with the Nth step, then normally. Steps:

  ok             the normal answer
  AccessDenied   403 AccessDenied         ExpiredToken  400 ExpiredToken
  Throttling     400 Throttling           500, 503      STS's 5xx documents
  slowMS         sleep MS milliseconds, then the normal answer
  truncated      the normal answer cut in half
  malformed      200, not XML at all
  nul            the normal answer with a NUL inside the access key id
  dup            a second AccessKeyId element
  noexp          no Expiration element       badexp  Expiration "tomorrow"
  nosecret       no SecretAccessKey element
  big            200, a 200 KiB body
  nonascii       AccessDenied whose Message holds a tab, DEL, a non-ASCII
                 character and CR LF
  echo           AccessDenied whose Message quotes the request's
                 WebIdentityToken and X-Amz-Security-Token (a leaky server)

Reports (GET; not logged):
  /_hits?p=PATH  requests PATH received (text)
  /_log?p=PATH   JSON list of what PATH received: method, path, headers
                 ([name, value] in order), body, form (name -> value)
  /_log          the same for every path

To add a route, decorate a handler with @route(METHOD, PREFIX); it gets
(handler, request, step) and answers with handler.send_body(...); a
service with scripted options, with @tagged_route(METHOD, TAG, PATH). The longest
matching prefix wins; STS is the fallback for POST.
"""
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import standin_server  # noqa: E402

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
REQUEST_ID = "c6104cbe-af31-11e0-8154-cbc7ccf896c7"

lock = threading.Lock()
config = {"keys": {}, "roles": {}, "max_skew": 900}
hits = {}
log = {}
ROUTES = []


def route(method, prefix):
    def register(fn):
        ROUTES.append((method, prefix, fn))
        return fn

    return register


def tagged_route(method, tag, path):
    """A service at PATH and at /TAG/OPTS/PATH: fn(handler, request, opts)
    gets OPTS ("" at the plain path), whose words script what it answers
    and give each test its own counters."""
    def register(fn):
        def with_opts(handler, req, step):
            parts = req.raw_path.split("/")
            if "/" + "/".join(parts[3:]) != path:
                return handler.send_body(404, '{"message":"no route"}')
            fn(handler, req, parts[2])

        ROUTES.append((method, path, lambda h, r, step: fn(h, r, "")))
        ROUTES.append((method, "/%s/" % tag, with_opts))
        return fn

    return register


class Request:
    """What one request carried, as the log records it."""

    def __init__(self, handler, body):
        url = urllib.parse.urlsplit(handler.path)
        self.method = handler.command
        self.path = handler.path
        self.raw_path = url.path
        self.query = url.query
        self.headers = handler.headers
        self.body = body
        self.form = {}
        ctype = handler.headers.get("Content-Type", "")
        if ctype.startswith("application/x-www-form-urlencoded"):
            for k, v in urllib.parse.parse_qsl(
                body.decode("latin-1"), keep_blank_values=True
            ):
                self.form[k] = v

    def record(self):
        return {
            "method": self.method,
            "path": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": self.body.decode("latin-1"),
            "form": self.form,
        }


# --------------------------------------------------------------------------
# STS documents

def xml_escape(s):
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def error_doc(code, message, kind="Sender"):
    return (
        f'<ErrorResponse xmlns="{STS_NS}">\n'
        f"  <Error>\n"
        f"    <Type>{kind}</Type>\n"
        f"    <Code>{code}</Code>\n"
        f"    <Message>{xml_escape(message)}</Message>\n"
        f"  </Error>\n"
        f"  <RequestId>{REQUEST_ID}</RequestId>\n"
        f"</ErrorResponse>\n"
    )


class StsError(Exception):
    def __init__(self, status, code, message, kind="Sender"):
        super().__init__(code)
        self.status, self.code, self.message, self.kind = (
            status, code, message, kind)


# The error documents STS answers with (codes and messages as STS sends
# them; see the STS API reference, "Common Errors" and each action's
# "Errors").
SIG_MISMATCH = (
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details."
)
INVALID_TOKEN_ID = "The security token included in the request is invalid."
CANNED = {
    "AccessDenied": (403, "AccessDenied",
                     "User: arn:aws:iam::123456789012:user/tester is not "
                     "authorized to perform: sts:AssumeRole on resource: "
                     "ROLE"),
    "ExpiredToken": (400, "ExpiredToken",
                     "The security token included in the request is "
                     "expired"),
    "Throttling": (400, "Throttling", "Rate exceeded"),
    "500": (500, "InternalFailure",
            "The request processing has failed because of an unknown error, "
            "exception or failure."),
    "503": (503, "ServiceUnavailable",
            "The request has failed due to a temporary failure of the "
            "server."),
    "nonascii": (403, "AccessDenied", "bad\tnews\x7f\u00e9\r\n"),
}


def iso8601(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def success_doc(action, creds, role_arn, session, expiration, extra=""):
    parts = role_arn.split(":")
    account = parts[4] if len(parts) > 4 else "123456789012"
    role_name = parts[-1].split("/")[-1]
    fields = [
        ("AccessKeyId", creds["AccessKeyId"]),
        ("SecretAccessKey", creds["SecretAccessKey"]),
        ("SessionToken", creds["SessionToken"]),
        ("Expiration", expiration),
    ]
    cred_xml = "".join(
        f"      <{k}>{xml_escape(v)}</{k}>\n" for k, v in fields if v is not None
    )
    web = ""
    if action == "AssumeRoleWithWebIdentity":
        web = (
            "    <SubjectFromWebIdentityToken>system:serviceaccount:default:"
            "app</SubjectFromWebIdentityToken>\n"
            "    <Audience>sts.amazonaws.com</Audience>\n"
            "    <Provider>arn:aws:iam::123456789012:oidc-provider/"
            "oidc.example.test</Provider>\n"
        )
    return (
        f'<{action}Response xmlns="{STS_NS}">\n'
        f"  <{action}Result>\n"
        f"{web}"
        f"    <AssumedRoleUser>\n"
        f"      <Arn>arn:aws:sts::{account}:assumed-role/{role_name}/"
        f"{xml_escape(session)}</Arn>\n"
        f"      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:{xml_escape(session)}"
        f"</AssumedRoleId>\n"
        f"    </AssumedRoleUser>\n"
        f"    <Credentials>\n{cred_xml}{extra}    </Credentials>\n"
        f"  </{action}Result>\n"
        f"  <ResponseMetadata>\n"
        f"    <RequestId>{REQUEST_ID}</RequestId>\n"
        f"  </ResponseMetadata>\n"
        f"</{action}Response>\n"
    )


# --------------------------------------------------------------------------
# SigV4 verification, as STS does it

def sign_key(secret, date8, region, service):
    k = ("AWS4" + secret).encode()
    for part in (date8, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def canonical_query(query):
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    enc = sorted(
        (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
        for k, v in pairs
    )
    return "&".join(f"{k}={v}" for k, v in enc)


def parse_authorization(value):
    algo, _, rest = value.partition(" ")
    if algo != "AWS4-HMAC-SHA256":
        raise StsError(400, "IncompleteSignature",
                       "Unsupported AWS 'algorithm': '%s'" % algo)
    fields = {}
    for item in rest.split(","):
        k, _, v = item.strip().partition("=")
        fields[k] = v
    for k in ("Credential", "SignedHeaders", "Signature"):
        if k not in fields:
            raise StsError(400, "IncompleteSignature",
                           "Authorization header requires '%s' parameter." % k)
    return fields


def verify_sigv4(req):
    auth = req.headers.get("Authorization")
    if auth is None:
        raise StsError(403, "MissingAuthenticationToken",
                       "Request is missing Authentication Token")
    fields = parse_authorization(auth)
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise StsError(400, "IncompleteSignature",
                       "Credential should have 5 parts, got %d" % len(scope))
    akid, date8, region, service = scope[:4]
    if service != "sts":
        raise StsError(403, "SignatureDoesNotMatch",
                       "Credential should be scoped to correct service: "
                       "'sts'. ")
    want_region = config.get("region")
    if want_region and region != want_region:
        raise StsError(403, "SignatureDoesNotMatch",
                       "Credential should be scoped to a valid region. ")
    with lock:
        key = config["keys"].get(akid)
    if key is None:
        raise StsError(403, "InvalidClientTokenId", INVALID_TOKEN_ID)
    token = req.headers.get("X-Amz-Security-Token")
    if token != key.get("token"):
        raise StsError(403, "InvalidClientTokenId", INVALID_TOKEN_ID)
    amz_date = req.headers.get("X-Amz-Date", "")
    if amz_date[:8] != date8:
        raise StsError(403, "SignatureDoesNotMatch",
                       "Date in Credential scope does not match YYYYMMDD "
                       "from ISO-8601 version of date from HTTP: '%s' != "
                       "'%s', from '%s'." % (date8, amz_date[:8], amz_date))
    skew = config.get("max_skew", 900)
    if skew:
        try:
            t = time.mktime(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
            t -= time.timezone
        except ValueError:
            raise StsError(403, "SignatureDoesNotMatch", SIG_MISMATCH)
        if abs(time.time() - t) > skew:
            raise StsError(403, "SignatureDoesNotMatch",
                           "Signature expired: %s is now earlier than %s"
                           % (amz_date, time.strftime(
                               "%Y%m%dT%H%M%SZ",
                               time.gmtime(time.time() - skew))))
    signed = fields["SignedHeaders"].split(";")
    if "host" not in signed:
        raise StsError(403, "SignatureDoesNotMatch",
                       "'Host' or ':authority' must be a 'SignedHeader' in "
                       "the AWS Authorization.")
    lines = []
    for name in signed:
        values = req.headers.get_all(name) or []
        value = ",".join(" ".join(v.split()) for v in values)
        lines.append(f"{name}:{value}\n")
    payload = hashlib.sha256(req.body).hexdigest()
    canonical = "\n".join([
        req.method,
        urllib.parse.quote(req.raw_path or "/", safe="/~"),
        canonical_query(req.query),
        "".join(lines),
        fields["SignedHeaders"],
        payload,
    ])
    to_sign = "\n".join([
        "AWS4-HMAC-SHA256",
        amz_date,
        f"{date8}/{region}/{service}/aws4_request",
        hashlib.sha256(canonical.encode()).hexdigest(),
    ])
    k = sign_key(key["secret"], date8, region, service)
    want = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, fields["Signature"]):
        raise StsError(403, "SignatureDoesNotMatch", SIG_MISMATCH)
    return akid


# --------------------------------------------------------------------------
# STS actions

def check_params(form, action):
    role = form.get("RoleArn")
    if role is None:
        raise StsError(400, "ValidationError",
                       "1 validation error detected: Value null at 'roleArn' "
                       "failed to satisfy constraint: Member must not be null")
    session = form.get("RoleSessionName")
    if session is None:
        raise StsError(400, "ValidationError",
                       "1 validation error detected: Value null at "
                       "'roleSessionName' failed to satisfy constraint: "
                       "Member must not be null")
    ok = all(c.isalnum() or c in "_+=,.@-" for c in session)
    if not ok or not 2 <= len(session) <= 64:
        raise StsError(400, "ValidationError",
                       "1 validation error detected: Value '%s' at "
                       "'roleSessionName' failed to satisfy constraint: "
                       "Member must satisfy regular expression pattern: "
                       "[\\w+=,.@-]*" % session)
    if "DurationSeconds" in form:
        d = form["DurationSeconds"]
        if not d.isdigit() or not 900 <= int(d) <= 43200:
            raise StsError(400, "ValidationError",
                           "1 validation error detected: Value '%s' at "
                           "'durationSeconds' failed to satisfy constraint: "
                           "Member must have value between 900 and 43200" % d)
    return role, session


def issue(form, action, caller=None):
    role, session = check_params(form, action)
    with lock:
        creds = config["roles"].get(role)
    # A role's "Trusted" list (optional) names the access key ids that may
    # assume it, as a trust policy names principals.
    trusted = creds.get("Trusted") if creds else None
    if creds is None or (action == "AssumeRole" and trusted is not None
                         and caller not in trusted):
        msg = CANNED["AccessDenied"][2].replace("ROLE", role)
        if action == "AssumeRoleWithWebIdentity":
            msg = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
        raise StsError(403, "AccessDenied", msg)
    if action == "AssumeRoleWithWebIdentity":
        accepted = creds.get("WebIdentityToken")
        if not isinstance(accepted, list):
            accepted = [accepted]
        if form.get("WebIdentityToken") not in accepted:
            raise StsError(400, "InvalidIdentityToken",
                           "The web identity token that was passed could "
                           "not be validated by AWS. Get a new identity "
                           "token from the identity provider and then retry "
                           "the request.")
    expiration = creds.get("Expiration")
    if expiration is None:
        now = config.get("now") or int(time.time())
        expiration = iso8601(now + int(form.get("DurationSeconds", "3600")))
    with lock:
        # Issued credentials sign the next hop of a chain.
        config["keys"][creds["AccessKeyId"]] = {
            "secret": creds["SecretAccessKey"],
            "token": creds.get("SessionToken"),
        }
    return creds, role, session, expiration


def sts_answer(req, step):
    """(status, body) for one STS request, given the scripted step."""
    if step in CANNED:
        status, code, msg = CANNED[step]
        kind = "Receiver" if status >= 500 else "Sender"
        return status, error_doc(code, msg.replace("ROLE", req.form.get(
            "RoleArn", "")), kind)
    if step == "echo":
        quoted = "%s %s" % (req.form.get("WebIdentityToken", ""),
                            req.headers.get("X-Amz-Security-Token", ""))
        return 403, error_doc("AccessDenied", "you sent " + quoted)
    if step == "malformed":
        return 200, "this is not XML\n"
    if step == "big":
        return 200, "<a>" + "x" * (200 * 1024) + "</a>"
    action = req.form.get("Action")
    try:
        if req.form.get("Version") != "2011-06-15":
            raise StsError(400, "InvalidAction",
                           "Could not find operation %s for version %s"
                           % (action, req.form.get("Version", "NO_VERSION")))
        caller = None
        if action == "AssumeRole":
            caller = verify_sigv4(req)
        elif action != "AssumeRoleWithWebIdentity":
            raise StsError(400, "InvalidAction",
                           "Could not find operation %s for version "
                           "2011-06-15" % action)
        creds, role, session, expiration = issue(req.form, action, caller)
    except StsError as e:
        return e.status, error_doc(e.code, e.message, e.kind)
    creds = dict(creds)
    extra = ""
    if step == "noexp":
        expiration = None
    elif step == "badexp":
        expiration = "tomorrow"
    elif step == "nosecret":
        creds["SecretAccessKey"] = None
    elif step == "nul":
        creds["AccessKeyId"] = creds["AccessKeyId"][:4] + "\x00" + \
            creds["AccessKeyId"][4:]
    elif step == "dup":
        extra = f"      <AccessKeyId>{creds['AccessKeyId']}</AccessKeyId>\n"
    body = success_doc(action, creds, role, session, expiration, extra)
    if step == "truncated":
        body = body[: len(body) // 2]
    return 200, body


def sts(handler, req, step):
    if step.startswith("slow"):
        time.sleep(int(step[4:]) / 1000.0)
        step = "ok"
    status, body = sts_answer(req, step)
    handler.send_body(status, body, "text/xml")


# --------------------------------------------------------------------------
# EC2 instance metadata (IMDS)
#
# Paths: /imds/OPTS/latest/api/token (PUT) and
# /imds/OPTS/latest/meta-data/iam/security-credentials/[ROLE] (GET); the
# client's endpoint is http://127.0.0.1:PORT/imds/OPTS, so the options (and
# the state: tokens, counters) belong to that endpoint. OPTS is a list of
# words joined by ".", any of:
#   v2         tokens required: a GET without one is 401 (default: IMDSv1
#              allowed too)
#   tCODE      the token PUT is answered CODE (403, 404, 405, 400, 500...)
#   tslowMS    the token PUT sleeps MS milliseconds first
#   lifeN      tokens expire after N seconds instead of their TTL
#   lCODExN    the first N role-list GETs are answered CODE (429, 503...)
#   cCODExN    the first N credentials GETs are answered CODE
#   cslowMS    the credentials GET sleeps MS milliseconds first
#   norole     the role list is 404 (no role attached)
#   malformed, truncated, nul, codefail, stale, badakid, empty
#              a bad credentials answer: not JSON; cut in half; a NUL in
#              AccessKeyId; Code "AssumeRoleUnauthorizedAccess"; expired in
#              2009; a lower-case key id; an empty 200 answer
#   big        the credentials answer padded to over 80 KiB
#   Nmalformed the first credentials answer malformed, then good
#   anything else: a tag that gives the test its own state
# GET /imds/OPTS/_expire makes every token issued for OPTS expired.
# A token must come with x-aws-ec2-metadata-token-ttl-seconds in 1..21600
# (400 otherwise, as IMDS does); a token unknown, expired, or issued for
# other OPTS is 401.

IMDS_ROLE = "rdsiam-test-role"
IMDS_CREDS = {
    "Code": "Success",
    "LastUpdated": "2026-01-01T00:00:00Z",
    "Type": "AWS-HMAC",
    "AccessKeyId": "ASIAIMDSEXAMPLE12345",
    "SecretAccessKey": "imdsSecretKeyEXAMPLE/abcdefghijklmnopqrstu+1",
    "Token": "imdsSessionTokenEXAMPLE/xyz+abc==",
    "Expiration": "2100-01-01T00:00:00Z",
}
imds_tokens = {}   # token -> [opts, issued, ttl]
imds_counts = {}   # (opts, what) -> requests seen


def imds_opts(opts):
    """The option words of OPTS as a dict word -> argument text."""
    out = {}
    for w in opts.split("."):
        for key in ("tslow", "cslow", "life", "t", "l", "c"):
            if w.startswith(key) and w[len(key):len(key) + 1].isdigit():
                out[key] = w[len(key):]
                break
        else:
            out[w] = ""
    return out


def imds_count(opts, what):
    with lock:
        n = imds_counts.get((opts, what), 0) + 1
        imds_counts[(opts, what)] = n
    return n


def imds_scripted(o, key, n):
    """Status to answer for the nth request under option key CODExN."""
    if key not in o or "x" not in o[key]:
        return None
    code, times = o[key].split("x", 1)
    return int(code) if n <= int(times) else None


@route("PUT", "/imds/")
def imds_put(handler, req, step):
    parts = req.raw_path.split("/")
    if len(parts) != 6 or parts[3:] != ["latest", "api", "token"]:
        return handler.send_body(404, "not found", "text/plain")
    opts = parts[2]
    o = imds_opts(opts)
    if "tslow" in o:
        time.sleep(int(o["tslow"]) / 1000.0)
    if "t" in o:
        return handler.send_body(int(o["t"]), "refused", "text/plain")
    ttl = req.headers.get("x-aws-ec2-metadata-token-ttl-seconds")
    if ttl is None or not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
        return handler.send_body(400, "bad ttl", "text/plain")
    n = imds_count(opts, "token")
    token = "IMDSTOKEN-%s-%d-%s" % (opts, n, os.urandom(8).hex())
    life = int(ttl)
    if "life" in o:
        life = min(life, int(o["life"]))
    with lock:
        imds_tokens[token] = [opts, time.time(), life]
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", str(len(token)))
    handler.send_header("x-aws-ec2-metadata-token-ttl-seconds", ttl)
    handler.end_headers()
    handler.wfile.write(token.encode())


def imds_token_ok(opts, token):
    with lock:
        t = imds_tokens.get(token)
    return t is not None and t[0] == opts and time.time() - t[1] < t[2]


def imds_creds_body(o, n):
    doc = dict(IMDS_CREDS)
    if "malformed" in o or ("1malformed" in o and n == 1):
        return "<html>not json</html>"
    if "empty" in o:
        return ""
    if "big" in o:
        return json.dumps(dict(doc, Padding="p" * (80 * 1024)))
    if "codefail" in o:
        doc = {"Code": "AssumeRoleUnauthorizedAccess",
               "Message": "EC2 cannot assume the role", "LastUpdated":
               doc["LastUpdated"]}
    if "stale" in o:
        doc["Expiration"] = "2009-02-13T23:31:30Z"
    if "badakid" in o:
        doc["AccessKeyId"] = "asiaimdsexample12345"
    body = json.dumps(doc)
    if "nul" in o:
        body = body.replace('"ASIAIMDS', '"ASIA\\u0000IMDS')
    if "truncated" in o:
        body = body[: len(body) // 2]
    return body


@route("GET", "/imds/")
def imds_get(handler, req, step):
    parts = req.raw_path.split("/")
    opts = parts[2] if len(parts) > 2 else ""
    o = imds_opts(opts)
    if parts[3:] == ["_expire"]:
        with lock:
            for t in imds_tokens.values():
                if t[0] == opts:
                    t[2] = 0
        return handler.send_body(200, "expired", "text/plain")
    base = ["latest", "meta-data", "iam", "security-credentials"]
    if parts[3:7] != base or len(parts) != 8:
        return handler.send_body(404, "not found", "text/plain")
    token = req.headers.get("x-aws-ec2-metadata-token")
    if token is not None and not imds_token_ok(opts, token):
        return handler.send_body(401, "", "text/plain")
    if token is None and "v2" in o:
        return handler.send_body(401, "", "text/plain")
    if parts[7] == "":
        n = imds_count(opts, "list")
        code = imds_scripted(o, "l", n)
        if code:
            return handler.send_body(code, "busy", "text/plain")
        if "norole" in o:
            return handler.send_body(404, "not found", "text/plain")
        return handler.send_body(200, IMDS_ROLE, "text/plain")
    if parts[7] != IMDS_ROLE:
        return handler.send_body(404, "not found", "text/plain")
    n = imds_count(opts, "creds")
    code = imds_scripted(o, "c", n)
    if code:
        return handler.send_body(code, "busy", "text/plain")
    if "cslow" in o:
        time.sleep(int(o["cslow"]) / 1000.0)
    handler.send_body(200, imds_creds_body(o, n), "text/plain")


# --------------------------------------------------------------------------
# IAM Identity Center (SSO) portal: GetRoleCredentials
#
# GET [/sso/OPTS]/federation/credentials?role_name=R&account_id=A with the
# header x-amz-sso_bearer_token. The access token, account and role that
# are let in come from the configuration's "sso" object:
#   {"access_token": "...", "account_id": "111122223333",
#    "role_name": "ReadOnly", "expiration_ms": 4102444800000}
# (defaults below). Answers as the portal does (restJson1): a missing or
# wrong token is 401 UnauthorizedException, another role or account 403
# ForbiddenException, a missing parameter 400 InvalidRequestException; the
# error type is in the x-amzn-ErrorType header and the body. OPTS words:
# CODExN (the first N requests answered CODE with the portal's document:
# 429 TooManyRequestsException, 5xx), slowMS, malformed, truncated, nul,
# badakid, msexp (expiration as a string), any other word: a tag.

SSO_DEFAULT = {
    "access_token": "ssoAccessTokenEXAMPLE",
    "account_id": "111122223333",
    "role_name": "ReadOnly",
    "expiration_ms": 4102444800000,
    "credentials": {
        "accessKeyId": "ASIASSOEXAMPLE123456",
        "secretAccessKey": "ssoSecretKeyEXAMPLE/abcdefghijklmnopqrstuv+1",
        "sessionToken": "ssoSessionTokenEXAMPLE/xyz+abc==",
    },
}
SSO_ERRORS = {
    400: "InvalidRequestException",
    401: "UnauthorizedException",
    403: "ForbiddenException",
    404: "ResourceNotFoundException",
    429: "TooManyRequestsException",
}


def json_error(handler, status, kind, doc):
    """A restJson1 error: the type in x-amzn-ErrorType, doc as the body."""
    data = json.dumps(doc).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.send_header("x-amzn-ErrorType", kind)
    handler.end_headers()
    handler.wfile.write(data)


def sso_error(handler, code, message):
    json_error(handler, code, SSO_ERRORS.get(code, "InternalServerException"),
               {"message": message})


@tagged_route("GET", "sso", "/federation/credentials")
def sso_portal(handler, req, opts):
    cfg = dict(SSO_DEFAULT)
    cfg.update(config.get("sso", {}))
    words = opts.split(".") if opts else []
    code = scripted(words, "sso/" + opts)
    if code:
        return sso_error(handler, code, "try again later")
    q = urllib.parse.parse_qs(req.query, keep_blank_values=True)
    token = req.headers.get("x-amz-sso_bearer_token")
    with lock:
        issued = token in oidc_issued
    if token != cfg["access_token"] and not issued:
        return sso_error(handler, 401, "Session token not found or invalid")
    if "role_name" not in q or "account_id" not in q:
        return sso_error(handler, 400, "role_name and account_id are required")
    if (q["role_name"][0] != cfg["role_name"]
            or q["account_id"][0] != cfg["account_id"]):
        return sso_error(handler, 403, "No access")
    creds = dict(cfg["credentials"])
    if issued:
        # Which refreshed access token was used shows in the credentials
        # (and so in every token signed with them).
        creds["sessionToken"] += "-" + digest(token, 8)
    if "badakid" in words:
        creds["accessKeyId"] = "asiassoexample123456"
    creds["expiration"] = cfg["expiration_ms"]
    if "msexp" in words:
        creds["expiration"] = str(cfg["expiration_ms"])
    body = json.dumps({"roleCredentials": creds})
    if "nul" in words:
        body = body.replace('"ASIASSO', '"ASIA\\u0000SSO')
    if "malformed" in words:
        body = "<html>not json</html>"
    if "truncated" in words:
        body = body[: len(body) // 2]
    handler.send_body(200, body)


def digest(text, n):
    """The first n hex digits of SHA-256 of text: deterministic issued
    values, so two clients refreshing the same token get the same answer."""
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def json_request(req):
    """The JSON object a restJson1 request carried, or None."""
    if not req.headers.get("Content-Type", "").startswith("application/json"):
        return None
    try:
        doc = json.loads(req.body.decode("utf-8"))
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def scripted(words, what):
    """The status of the first CODExN word still in force for this request
    to `what` (a counter of its own), or None; slowMS words sleep."""
    n = imds_count(what, "n")
    for w in words:
        if "x" in w and w.split("x", 1)[0].isdigit():
            code, times = w.split("x", 1)
            if n <= int(times):
                return int(code)
        if w.startswith("slow") and w[4:].isdigit():
            time.sleep(int(w[4:]) / 1000.0)
    return None


# --------------------------------------------------------------------------
# SSO-OIDC CreateToken (the refresh of an IAM Identity Center token)
#
# POST [/oidc/OPTS]/token, restJson1 body {clientId, clientSecret,
# grantType, refreshToken}. The configuration's "sso_oidc" object names
# what is let in (defaults below); refresh tokens it issues are let in too.
# Answers are deterministic: the access token issued for refresh token R is
# "ssoAccess-" + sha256(R)[:16], the next refresh token "ssoRefresh-" +
# sha256("next:" + R)[:16], and the portal above accepts every access token
# issued here (its credentials then carry the token's digest). Errors as
# the service sends them: 400 {"error": "invalid_grant", ...} with
# x-amzn-ErrorType InvalidGrantException; 401 invalid_client. OPTS words:
# CODExN (the first N requests answered CODE), slowMS, grant (every
# request invalid_grant), norefresh (no refreshToken in the answer),
# badtoken (an access token with a CR LF), malformed, any other word: a tag.

OIDC_DEFAULT = {
    "client_id": "ssoClientIdEXAMPLE",
    "client_secret": "ssoClientSecretEXAMPLE",
    "refresh_tokens": ["ssoRefreshTokenEXAMPLE"],
    "expires_in": 3600,
}
OIDC_ERRORS = {
    "invalid_grant": (400, "InvalidGrantException"),
    "invalid_client": (401, "InvalidClientException"),
    "invalid_request": (400, "InvalidRequestException"),
    "unsupported_grant_type": (400, "UnsupportedGrantTypeException"),
    "server_error": (500, "InternalServerException"),
}
oidc_refresh = set()  # refresh tokens issued
oidc_issued = set()   # access tokens issued


def oidc_error(handler, error, description):
    status, kind = OIDC_ERRORS[error]
    json_error(handler, status, kind,
               {"error": error, "error_description": description})


@tagged_route("POST", "oidc", "/token")
def oidc_token(handler, req, opts):
    cfg = dict(OIDC_DEFAULT)
    cfg.update(config.get("sso_oidc", {}))
    words = opts.split(".") if opts else []
    code = scripted(words, "oidc/" + opts)
    if code:
        return oidc_error(handler, "server_error" if code >= 500
                          else "invalid_request", "try again later")
    doc = json_request(req)
    if doc is None:
        return oidc_error(handler, "invalid_request", "not a JSON body")
    if doc.get("grantType") != "refresh_token":
        return oidc_error(handler, "unsupported_grant_type", "refresh only")
    if (doc.get("clientId") != cfg["client_id"]
            or doc.get("clientSecret") != cfg["client_secret"]):
        return oidc_error(handler, "invalid_client", "unknown client")
    refresh = doc.get("refreshToken")
    with lock:
        known = refresh in cfg["refresh_tokens"] or refresh in oidc_refresh
    if "grant" in words or not known:
        return oidc_error(handler, "invalid_grant", "Invalid refresh token")
    access = "ssoAccess-" + digest(refresh, 16)
    nxt = "ssoRefresh-" + digest("next:" + refresh, 16)
    with lock:
        oidc_issued.add(access)
        oidc_refresh.add(nxt)
    answer = {"accessToken": access, "tokenType": "Bearer",
              "expiresIn": cfg["expires_in"], "refreshToken": nxt}
    if "norefresh" in words:
        del answer["refreshToken"]
    if "badtoken" in words:
        answer["accessToken"] = "bad\r\nInjected: 1"
    body = json.dumps(answer)
    if "malformed" in words:
        body = "<html>not json</html>"
    handler.send_body(200, body)


# --------------------------------------------------------------------------
# Sign-in CreateOAuth2Token (the refresh of an `aws login` session)
#
# POST [/signin/OPTS]/v1/token, restJson1 body {clientId, grantType,
# refreshToken} and a DPoP header, which is verified as RFC 9449 asks:
# a JWT of typ dpop+jwt, alg ES256, with the public key in its jwk; the
# ES256 signature (r || s) over "header.payload" checked with that key,
# which must be the session's (the configuration's "login" dpop_key, a PEM
# private key); htm the request's method, htu its URL
# (http://HOST/PATH, no query); iat within max_skew seconds of the clock;
# jti never seen before. A proof that fails any check is 400
# ValidationException naming the check ({"error": "INVALID_REQUEST",
# "message": "DPoP: ..."}). Answers are deterministic in the refresh
# token R: accessKeyId "ASIALOGIN" + SHA-256(R)[:11] in upper case, the
# secret and session token likewise, the next refresh token "loginRefresh-"
# + sha256("next:" + R)[:16] (let in from then on). OPTS words: CODExN,
# slowMS, expired / changed / perm (AccessDeniedException TOKEN_EXPIRED,
# USER_CREDENTIALS_CHANGED, INSUFFICIENT_PERMISSIONS), otherkey (the
# session's key is another: every proof is refused), malformed, any other
# word: a tag. Needs python3's cryptography.

LOGIN_DEFAULT = {
    "client_id": "arn:aws:signin:::devtools/same-device",
    "refresh_tokens": ["loginRefreshTokenEXAMPLE"],
    "expires_in": 900,
    "max_skew": 60,
}
login_refresh = set()
dpop_seen = set()


def login_error(handler, status, kind, error, message):
    json_error(handler, status, kind, {"error": error, "message": message})


def b64url(text):
    import base64
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def dpop_problem(req, cfg, other_key):
    """None when the request's DPoP proof passes every check; else what is
    wrong with it."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import (
        encode_dss_signature)

    proof = req.headers.get("DPoP")
    if not proof:
        return "no DPoP header"
    parts = proof.split(".")
    if len(parts) != 3:
        return "not a JWT"
    try:
        header = json.loads(b64url(parts[0]))
        claims = json.loads(b64url(parts[1]))
        sig = b64url(parts[2])
    except ValueError:
        return "not base64url JSON"
    if header.get("typ") != "dpop+jwt" or header.get("alg") != "ES256":
        return "typ or alg"
    jwk = header.get("jwk") or {}
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        return "jwk is not a P-256 key"
    x = int.from_bytes(b64url(jwk["x"]), "big")
    y = int.from_bytes(b64url(jwk["y"]), "big")
    try:
        pub = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    except ValueError:
        return "jwk is not a point on P-256"
    session = serialization.load_pem_private_key(
        cfg["dpop_key"].encode(), password=None).public_key()
    if other_key or session.public_numbers() != pub.public_numbers():
        return "jwk is not the session's key"
    if len(sig) != 64:
        return "signature is not r || s"
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"),
                               int.from_bytes(sig[32:], "big"))
    try:
        pub.verify(der, (parts[0] + "." + parts[1]).encode(),
                   ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return "signature"
    if claims.get("htm") != req.method:
        return "htm"
    if claims.get("htu") != "http://%s%s" % (req.headers.get("Host"),
                                             req.raw_path):
        return "htu"
    iat = claims.get("iat")
    now = config.get("now") or time.time()
    if not isinstance(iat, int) or abs(now - iat) > cfg["max_skew"]:
        return "iat"
    jti = claims.get("jti")
    with lock:
        fresh = isinstance(jti, str) and jti and jti not in dpop_seen
        if fresh:
            dpop_seen.add(jti)
    if not fresh:
        return "jti already used"
    return None


@tagged_route("POST", "signin", "/v1/token")
def signin_token(handler, req, opts):
    cfg = dict(LOGIN_DEFAULT)
    cfg.update(config.get("login", {}))
    words = opts.split(".") if opts else []
    code = scripted(words, "signin/" + opts)
    if code:
        return login_error(handler, code, "InternalServerException"
                           if code >= 500 else "TooManyRequestsError",
                           "server_error", "try again later")
    doc = json_request(req)
    if doc is None:
        return login_error(handler, 400, "ValidationException",
                           "INVALID_REQUEST", "not a JSON body")
    problem = dpop_problem(req, cfg, "otherkey" in words)
    if problem:
        return login_error(handler, 400, "ValidationException",
                           "INVALID_REQUEST", "DPoP: " + problem)
    refresh = doc.get("refreshToken")
    with lock:
        known = refresh in cfg["refresh_tokens"] or refresh in login_refresh
    denied = {"expired": "TOKEN_EXPIRED", "changed":
              "USER_CREDENTIALS_CHANGED", "perm": "INSUFFICIENT_PERMISSIONS"}
    for w, error in denied.items():
        if w in words:
            return login_error(handler, 400, "AccessDeniedException", error,
                               "denied")
    if (doc.get("grantType") != "refresh_token"
            or doc.get("clientId") != cfg["client_id"] or not known):
        return login_error(handler, 400, "AccessDeniedException",
                           "TOKEN_EXPIRED", "unknown refresh token")
    nxt = "loginRefresh-" + digest("next:" + refresh, 16)
    with lock:
        login_refresh.add(nxt)
    answer = {
        "accessToken": {
            "accessKeyId": "ASIALOGIN" + digest(refresh, 11).upper(),
            "secretAccessKey": "loginSecret/" + digest("s" + refresh, 24),
            "sessionToken": "loginSession/" + digest("t" + refresh, 24),
        },
        "tokenType": "aws_sigv4",
        "expiresIn": cfg["expires_in"],
        "refreshToken": nxt,
    }
    body = json.dumps(answer)
    if "malformed" in words:
        body = "<html>not json</html>"
    handler.send_body(200, body)


# --------------------------------------------------------------------------
# A leaky server: /echo/FORM/... quotes back, in an error answer, the secret
# the request carried: a JSON body's refreshToken, the form's
# WebIdentityToken, else the header
# X-Amz-Security-Token, x-amz-sso_bearer_token, x-aws-ec2-metadata-token
# or Authorization. FORM says how (every encoding XML and JSON allow):
#   xml-plain      in an STS Message as is
#   xml-charref    every third character a character reference (&#x65;)
#   xml-cdata      split across CDATA sections of 7 characters
#   xml-partial    without its first and last 5 characters
#   xml-shown      every character as a reference escaped once more, so the
#                  decoded Message shows "&#x65;&#x79;..."
#   xml-percent    percent-encoded, every byte
#   xml-code       in the Code, not the Message
#   json-code      {"Code": secret, ...}
#   json-code-u    the Code with every character a \u escape
#   json-code-partial  the Code without its first and last 5 characters
#   json-dup       a member named by the secret, twice
#   json-dup-u     the same with \u escapes in the names
#   json-error     400, {"error": secret} (an OAuth error, as SSO-OIDC
#                  answers)
#   json-error-u   the same with \u escapes
# So the instance-metadata source gets that far, a PUT .../latest/api/token
# answers a session token and a GET of .../security-credentials/ the role
# name "echo-role".

ECHO_IMDS_TOKEN = "echoImdsSessionToken/0123456789abcdefghijklmnopqrstuvwxyzAB"


def echo_secret(req):
    try:
        doc = json.loads(req.body.decode("utf-8")) if req.body else {}
    except ValueError:
        doc = {}
    if not isinstance(doc, dict):
        doc = {}
    for v in (doc.get("refreshToken"),
              req.form.get("WebIdentityToken"),
              req.headers.get("X-Amz-Security-Token"),
              req.headers.get("x-amz-sso_bearer_token"),
              req.headers.get("x-aws-ec2-metadata-token"),
              req.headers.get("Authorization")):
        if v:
            return v
    return ""


def echo_xml(form, secret):
    code, message = "AccessDenied", "you sent " + xml_escape(secret)
    if form == "xml-charref":
        message = "you sent " + "".join(
            "&#x%x;" % ord(c) if i % 3 == 0 else xml_escape(c)
            for i, c in enumerate(secret))
    elif form == "xml-cdata":
        message = "you sent " + "".join(
            "<![CDATA[%s]]>" % secret[i:i + 7] for i in range(0, len(secret), 7))
    elif form == "xml-partial":
        message = "you sent " + xml_escape(secret[5:-5])
    elif form == "xml-shown":
        message = "you sent " + "".join("&amp;#x%x;" % ord(c) for c in secret)
    elif form == "xml-percent":
        message = "you sent " + "".join("%%%02X" % b for b in secret.encode())
    elif form == "xml-code":
        code, message = xml_escape(secret), "denied"
    return (f'<ErrorResponse xmlns="{STS_NS}">\n  <Error>\n'
            f"    <Type>Sender</Type>\n    <Code>{code}</Code>\n"
            f"    <Message>{message}</Message>\n  </Error>\n"
            f"  <RequestId>{REQUEST_ID}</RequestId>\n</ErrorResponse>\n")


def u_escape(s):
    return "".join("\\u%04x" % ord(c) for c in s)


def echo_json(form, secret):
    q = json.dumps(secret)
    if form == "json-code":
        return '{"Code": %s, "Message": "denied"}' % q
    if form == "json-code-u":
        return '{"Code": "%s", "Message": "denied"}' % u_escape(secret)
    if form == "json-code-partial":
        return '{"Code": %s, "Message": "denied"}' % json.dumps(secret[5:-5])
    if form == "json-dup":
        return '{%s: 1, %s: 2}' % (q, q)
    if form == "json-dup-u":
        return '{"%s": 1, "%s": 2}' % (u_escape(secret), u_escape(secret))
    if form == "json-error":
        return '{"error": %s}' % q
    if form == "json-error-u":
        return '{"error": "%s"}' % u_escape(secret)
    return '{"Code": "unknown echo form"}'


def echo(handler, req, step):
    parts = req.raw_path.split("/")
    form = parts[2] if len(parts) > 2 else ""
    if req.method == "PUT" and req.raw_path.endswith("/latest/api/token"):
        return handler.send_body(200, ECHO_IMDS_TOKEN, "text/plain")
    if req.raw_path.endswith("/security-credentials/"):
        return handler.send_body(200, "echo-role", "text/plain")
    secret = echo_secret(req)
    if form.startswith("xml-"):
        return handler.send_body(403, echo_xml(form, secret), "text/xml")
    handler.send_body(400 if form.startswith("json-error") else 200,
                      echo_json(form, secret))


for _method in ("GET", "PUT", "POST"):
    route(_method, "/echo/")(echo)


# --------------------------------------------------------------------------
# Plain answers for the HTTP client's own tests (test_http.c), any method:
#   /http/ok            200 {"message":"done"} (what arrived is in /_log)
#   /http/status/CODE   CODE {"code":"Failed","message":"test"}
#   /http/flaky/CODE/N  CODE {"code":"Throttling","message":"slow down"}
#                       for the first N requests on this exact path (query
#                       included), then 200 {"message":"done"}

HTTP_DONE = '{"message":"done"}'


def http_plain(handler, req, step):
    parts = req.raw_path.strip("/").split("/")
    if parts[1:2] == ["status"] and len(parts) == 3:
        return handler.send_body(int(parts[2]),
                                 '{"code":"Failed","message":"test"}')
    if parts[1:2] == ["flaky"] and len(parts) == 4:
        with lock:
            n = hits.get(req.path, 0)
        if n <= int(parts[3]):
            return handler.send_body(
                int(parts[2]), '{"code":"Throttling","message":"slow down"}')
        return handler.send_body(200, HTTP_DONE)
    if parts[1:] == ["ok"]:
        return handler.send_body(200, HTTP_DONE)
    handler.send_body(404, '{"message":"no route"}')


for _method in ("GET", "PUT", "POST"):
    route(_method, "/http/")(http_plain)


# --------------------------------------------------------------------------
# Oversized heads: GET /head/line/LEN answers 200 with one header line of
# LEN bytes; /head/many/N with N header lines of 100 bytes each.

@route("GET", "/head/")
def big_head(handler, req, step):
    parts = req.raw_path.split("/")
    kind, n = parts[2], int(parts[3])
    handler.send_response(200)
    if kind == "line":
        handler.send_header("X-Big", "a" * n)
    else:
        for i in range(n):
            handler.send_header("X-Many-%d" % i, "b" * 88)
    handler.send_header("Content-Length", "2")
    handler.end_headers()
    handler.wfile.write(b"{}")


# --------------------------------------------------------------------------
# The server

class Handler(standin_server.Handler):
    protocol_version = "HTTP/1.1"

    def send_body(self, code, body, ctype="application/json"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", REQUEST_ID)
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_GET(self):
        self.dispatch()

    def dispatch(self):
        req = Request(self, self.read_body())
        if req.raw_path.startswith("/_"):
            return self.report(req)
        with lock:
            n = hits.get(req.path, 0) + 1
            hits[req.path] = n
            log.setdefault(req.path, []).append(req.record())
        step = "ok"
        parts = req.raw_path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "s":
            steps = parts[2].split(".")
            if n <= len(steps):
                step = steps[n - 1]
        best = None
        for method, prefix, fn in ROUTES:
            if method == req.method and req.raw_path.startswith(prefix):
                if best is None or len(prefix) > len(best[0]):
                    best = (prefix, fn)
        if best:
            return best[1](self, req, step)
        if req.method == "POST":
            return sts(self, req, step)
        self.send_body(404, '{"message":"no route"}')

    def report(self, req):
        query = urllib.parse.parse_qs(req.query)
        path = query.get("p", [None])[0]
        with lock:
            if req.raw_path == "/_hits":
                text = str(hits.get(path, 0))
            elif req.raw_path == "/_log":
                text = json.dumps(log.get(path, []) if path else log)
            else:
                text = "unknown report"
        self.send_body(200, text)


def main():
    args = sys.argv[1:]
    tls = None
    while args:
        if args[0] == "--config" and len(args) >= 2:
            with open(args[1]) as f:
                config.update(json.load(f))
            config.setdefault("keys", {})
            config.setdefault("roles", {})
            args = args[2:]
        elif args[0] == "--tls" and len(args) >= 3:
            tls = (args[1], args[2])
            args = args[3:]
        else:
            sys.exit("usage: aws_standin.py [--config FILE] [--tls CERT KEY]")
    standin_server.serve(Handler, tls)


if __name__ == "__main__":
    main()
