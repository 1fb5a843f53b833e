"""The server half of the loopback stand-ins the tests start
(aws_standin.py, container_server.py, lambda_runtime_api.py): a threaded
HTTP server on 127.0.0.1 at a free port, quiet about clients that give
up, and the way a stand-in started by a test lives and dies.

    import standin_server
    class Handler(standin_server.Handler): ...
    standin_server.serve(Handler, tls=(cert, key) or None)

serve() binds, prints the port on one line, and serves until its stdin
closes (the test closes it, or dies) or LIFETIME seconds pass, whichever
comes first.
"""
import os
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIFETIME = 120


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (the timeout tests, a runtime killed in
        # the middle of a request) is expected.
        pass


class Handler(BaseHTTPRequestHandler):
    """Silent, with the request body read by its Content-Length."""

    def log_message(self, *args):
        pass

    def read_body(self):
        n = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(n) if n > 0 else b""


def bind(handler):
    """A server for handler on 127.0.0.1 at a free port (not started)."""
    return Server(("127.0.0.1", 0), handler)


def _watch_stdin():
    # The parent holds our stdin open; EOF means it is done (or gone).
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def serve(handler, tls=None):
    """Serve handler (over https with tls = (cert file, key file)) until
    stdin closes or LIFETIME seconds pass; the port goes to stdout first."""
    server = bind(handler)
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*tls)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=_watch_stdin, daemon=True).start()
    threading.Timer(LIFETIME, lambda: os._exit(0)).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()
