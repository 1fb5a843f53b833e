#!/usr/bin/env python3
"""A credential endpoint on 127.0.0.1 for tests/test_container.c.

Usage: container_server.py [--tls CERT KEY]

Binds a free port (serving https with --tls), prints it on one line, and
serves until its stdin closes (the test closes it, or dies) or
standin_server.LIFETIME seconds pass, whichever comes first. Modes, chosen
by path:

  /good               200, good credentials
  /status/CODE        that status with an error body
  /flaky/N            503 for the first N hits of this exact path, then good
  /slow/MS            sleep MS milliseconds, then good
  /big                200, 100 KiB body with Content-Length
  /bigstream          200, 100 KiB body without Content-Length
  /malformed          200, truncated JSON
  /missing/FIELD      200, good credentials without FIELD
  /expired            200, credentials that expired in 2009
  /codefail           200, {"Code": "AssumeRoleError", ...}
  /redirect           302 to /good
  /flakycode/CODE/N   status CODE (body {"code":"Throttling"...}) for the
                      first N hits of this exact path, then good
  /auth               401 without an Authorization header, else good
  /_hits?p=PATH       number of requests PATH received (text)
  /_auth?p=PATH       last Authorization header PATH received (text),
                      "<none>" when it had none, "<never>" when never hit

GET, PUT and POST are all served; PUT and POST bodies are read (by their
Content-Length) before the mode runs.

Requests are counted by their full path, query included, so each test
uses its own query string to get its own counters.
"""
import json
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import standin_server  # noqa: E402

GOOD = {
    "Code": "Success",
    "LastUpdated": "2026-01-01T00:00:00Z",
    "Type": "AWS-HMAC",
    "AccessKeyId": "ASIACONTAINEREXAMPLE",
    "SecretAccessKey": "containerSecretKeyEXAMPLE/abcdefghijklmno+1",
    "Token": "containerSessionTokenEXAMPLE/xyz+abc==",
    "Expiration": "2100-01-01T00:00:00Z",
}

lock = threading.Lock()
hits = {}
auths = {}


class Handler(standin_server.Handler):
    def send_body(self, code, body, length=True):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if length:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def good(self, **changes):
        doc = dict(GOOD)
        doc.update(changes)
        doc = {k: v for k, v in doc.items() if v is not None}
        self.send_body(200, json.dumps(doc))

    def do_PUT(self):
        self.do_GET()

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        self.read_body()  # a PUT or POST body is read, whatever the mode
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        mode = parts[0]
        arg = parts[1] if len(parts) > 1 else ""
        if mode.startswith("_"):
            return self.report(mode, urllib.parse.parse_qs(url.query))
        with lock:
            n = hits.get(self.path, 0) + 1
            hits[self.path] = n
            auths[self.path] = self.headers.get("Authorization", "<none>")
        if mode == "good":
            self.good()
        elif mode == "status":
            self.send_body(int(arg), '{"code":"Failed","message":"test"}')
        elif mode == "flaky":
            if n <= int(arg):
                self.send_body(503, '{"code":"Busy","message":"try again"}')
            else:
                self.good()
        elif mode == "flakycode":
            code, count = (int(x) for x in parts[1:3])
            if n <= count:
                self.send_body(code, '{"code":"Throttling","message":"slow down"}')
            else:
                self.good()
        elif mode == "slow":
            time.sleep(int(arg) / 1000.0)
            self.good()
        elif mode == "big":
            self.send_body(200, "x" * (100 * 1024))
        elif mode == "bigstream":
            self.send_body(200, "x" * (100 * 1024), length=False)
        elif mode == "malformed":
            self.send_body(200, '{"AccessKeyId": "ASIA')
        elif mode == "missing":
            self.good(**{arg: None})
        elif mode == "nul":
            # "ASIA\u0000X"-style: the field named by arg with an escaped NUL
            # in the middle (json.dumps writes it as \u0000).
            self.good(**{arg: GOOD[arg][:4] + "\u0000" + GOOD[arg][4:]})
        elif mode == "expired":
            self.good(Expiration="2009-02-13T23:31:30Z")
        elif mode == "codefail":
            self.send_body(200, '{"Code":"AssumeRoleError","Message":"no"}')
        elif mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "/good?redirected")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "auth":
            if "Authorization" not in self.headers:
                self.send_body(401, '{"code":"NoToken","message":"no"}')
            else:
                self.good()
        else:
            self.send_body(404, '{"code":"NotFound","message":"no mode"}')

    def report(self, mode, query):
        path = query.get("p", [""])[0]
        with lock:
            if mode == "_hits":
                text = str(hits.get(path, 0))
            else:
                text = auths.get(path, "<never>")
        self.send_body(200, text)


def main():
    tls = None
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        tls = (sys.argv[2], sys.argv[3])
    standin_server.serve(Handler, tls)


if __name__ == "__main__":
    main()
