#!/usr/bin/env python3
"""A stand-in for the Lambda Runtime API on 127.0.0.1, for
tests/check-lambda.sh and tests/bench/lambda_bench.py.

It serves what a custom runtime calls (paths and headers as in "Using the
Lambda runtime API for custom runtimes", AWS Lambda Developer Guide):

  GET  /2018-06-01/runtime/invocation/next        blocks until an invocation
       is queued; 200 with the event, Lambda-Runtime-Aws-Request-Id,
       Lambda-Runtime-Deadline-Ms, Lambda-Runtime-Invoked-Function-Arn,
       Lambda-Runtime-Trace-Id
  POST /2018-06-01/runtime/invocation/ID/response 202, records the body
  POST /2018-06-01/runtime/invocation/ID/error    202, records the body
  POST /2018-06-01/runtime/init/error             202, records the body
  (an unknown or already answered ID gets 400 and is recorded as a fault)

and, for the test, control paths:

  GET /_invoke?timeout_ms=N   queue an invocation whose deadline is N ms away
                              (default 20000), wait for its answer, return
                              {"kind": "response"|"error", "body": ...,
                               "error_type": header or null, "handler_ms":
                               ms from handing it out to the answer}
      &id=ID                  with ID as its request id (default: a new
                              UUID, as Lambda's), sent as it is
      &wait=S                 waiting S seconds at most (default 60), then
                              {"kind": "timeout", ...}
  GET /_init_error            the init error body, or 404
  GET /_faults                protocol faults seen, one per line

Usage as a program: lambda_runtime_api.py serve  -> prints the port, serves
until stdin closes; lambda_runtime_api.py invoke PORT [TIMEOUT_MS] -> prints
the /_invoke answer as KIND<TAB>ERROR_TYPE<TAB>BODY; lambda_runtime_api.py
invoke PORT TIMEOUT_MS ID WAIT_S -> the same with a request id of the
test's and a shorter wait.
"""
import json
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import standin_server  # noqa: E402

PREFIX = "/2018-06-01/runtime"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:rdsiam-users"
# An API Gateway proxy event for GET /users, trimmed to what matters here.
EVENT = json.dumps({"resource": "/users", "path": "/users", "httpMethod": "GET",
                    "headers": {"Host": "example.execute-api.us-east-1.amazonaws.com"},
                    "requestContext": {"stage": "prod"}, "body": None})


class RuntimeAPI:
    def __init__(self):
        self.cond = threading.Condition()
        self.queue = []          # (id, deadline_ms) waiting for /next
        self.results = {}        # id -> dict, once answered
        self.pending = {}        # id -> time handed out, not answered
        self.init_error = None
        self.faults = []
        self.server = standin_server.bind(self._handler())
        self.port = self.server.server_address[1]

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()

    def enqueue(self, timeout_ms=20000, rid=None):
        rid = rid if rid is not None else str(uuid.uuid4())
        with self.cond:
            self.queue.append((rid, int(time.time() * 1000) + timeout_ms))
            self.cond.notify_all()
        return rid

    def wait(self, rid, timeout=60):
        end = time.monotonic() + timeout
        with self.cond:
            while rid not in self.results:
                left = end - time.monotonic()
                if left <= 0:
                    return {"kind": "timeout", "body": None, "error_type": None}
                self.cond.wait(left)
            return self.results[rid]

    def invoke(self, timeout_ms=20000, wait=60, rid=None):
        return self.wait(self.enqueue(timeout_ms, rid), wait)

    def _handler(self):
        api = self

        class Handler(standin_server.Handler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this,
            # Nagle's algorithm and delayed ACKs add ~40 ms per request.
            disable_nagle_algorithm = True

            def reply(self, code, body, headers=()):
                data = body.encode() if isinstance(body, str) else body
                self.send_response(code)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                q = urllib.parse.parse_qs(url.query)
                if url.path == PREFIX + "/invocation/next":
                    with api.cond:
                        while not api.queue:
                            api.cond.wait()
                        rid, deadline = api.queue.pop(0)
                        api.pending[rid] = time.perf_counter()
                    self.reply(200, EVENT, [
                        ("Content-Type", "application/json"),
                        ("Lambda-Runtime-Aws-Request-Id", rid),
                        ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                        ("Lambda-Runtime-Invoked-Function-Arn", ARN),
                        ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")])
                elif url.path == "/_invoke":
                    ms = int(q.get("timeout_ms", ["20000"])[0])
                    wait = float(q.get("wait", ["60"])[0])
                    rid = q.get("id", [None])[0]
                    self.reply(200, json.dumps(api.invoke(ms, wait, rid)))
                elif url.path == "/_init_error":
                    with api.cond:
                        e = api.init_error
                    self.reply(200, e) if e is not None else self.reply(404, "")
                elif url.path == "/_faults":
                    with api.cond:
                        self.reply(200, "".join(f + "\n" for f in api.faults))
                else:
                    self.reply(404, "")

            def do_POST(self):
                body = self.read_body().decode("utf-8", "replace")
                path = urllib.parse.urlparse(self.path).path
                etype = self.headers.get("Lambda-Runtime-Function-Error-Type")
                with api.cond:
                    if path == PREFIX + "/init/error":
                        api.init_error = body
                        api.cond.notify_all()
                        return self.reply(202, '{"status":"OK"}')
                    parts = path[len(PREFIX):].split("/")
                    # ["", "invocation", ID, "response"|"error"]
                    if (not path.startswith(PREFIX) or len(parts) != 4 or
                            parts[1] != "invocation" or parts[3] not in ("response", "error") or
                            parts[2] not in api.pending):
                        api.faults.append("POST " + path)
                        return self.reply(400, '{"errorType":"InvalidRequestID"}')
                    t = api.pending.pop(parts[2])
                    api.results[parts[2]] = {"kind": parts[3], "body": body,
                                             "error_type": etype,
                                             "handler_ms": (time.perf_counter() - t) * 1000}
                    api.cond.notify_all()
                return self.reply(202, '{"status":"OK"}')

        return Handler


def main():
    if sys.argv[1:2] == ["serve"]:
        api = RuntimeAPI().start()
        print(api.port, flush=True)
        sys.stdin.read()       # until the test closes our stdin
        return 0
    if sys.argv[1:2] == ["invoke"]:
        port = int(sys.argv[2])
        ms = sys.argv[3] if len(sys.argv) > 3 else "20000"
        extra = ""
        if len(sys.argv) > 5:
            extra = "&" + urllib.parse.urlencode({"id": sys.argv[4],
                                                  "wait": sys.argv[5]})
        with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/_invoke?timeout_ms={ms}{extra}",
                timeout=90) as r:
            a = json.load(r)
        print("%s\t%s\t%s" % (a["kind"], a["error_type"], a["body"]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
