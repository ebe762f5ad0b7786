"""A loopback HTTP server that answers ``POST /actions/rpc`` badly on purpose, by action.

For the runner and window tests (the transport tests in ``tests/core`` use raw sockets):

* ``deep``: a JSON body nested 100,000 deep;
* ``bomb``: a gzip bomb (64 MB of zeros, about 64 KB on the wire);
* ``big``: ``query.mb`` megabytes of JSON records (default 3, or ``$HOSTILE_BIG_MB``), gzipped
  when ``query.gzip``;
* ``gzipped``: a small JSON list, gzipped;
* ``trickle``: the headers, then a byte every 100 ms;
* anything else: ``{"data": []}``.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

MB = 1024 * 1024


@functools.lru_cache(maxsize=4)
def records(megabytes: float) -> bytes:
    """About ``megabytes`` MB of compact JSON employee records (made once per size)."""
    one = {"id": "emp_0000000", "name": "Ada Lovelace", "title": "Engineer", "team": "Core"}
    count = int(megabytes * MB / (len(json.dumps(one)) + 1))
    rows = [{**one, "id": f"emp_{n:07d}"} for n in range(count)]
    return json.dumps({"data": rows}, separators=(",", ":")).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        rpc = json.loads(self.rfile.read(length))
        action, query = rpc.get("action"), rpc.get("query") or {}
        headers = {"Content-Type": "application/json", "x-request-id": f"req-{action}"}
        if action == "deep":
            body = b"[" * 100_000 + b"]" * 100_000
        elif action == "bomb":
            body = gzip.compress(b"\0" * (64 * MB), compresslevel=9)
            headers["Content-Encoding"] = "gzip"
        elif action == "big":
            body = records(float(query.get("mb", os.environ.get("HOSTILE_BIG_MB", 3))))
            if query.get("gzip"):
                body = gzip.compress(body, compresslevel=1)
                headers["Content-Encoding"] = "gzip"
        elif action == "gzipped":
            body = gzip.compress(records(0.2))
            headers["Content-Encoding"] = "gzip"
        elif action == "trickle":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            while not self.server.stopping.wait(0.1):
                self.wfile.write(b" ")
                self.wfile.flush()
            return
        else:
            body = b'{"data": []}'
        self.send_response(200)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stopping: threading.Event


class HostileServer:
    """``with HostileServer() as server: ... server.url``."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stopping = threading.Event()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._server.stopping.set()
        time.sleep(0.15)  # let a trickling handler see it
        self._server.shutdown()
        self._server.server_close()


if __name__ == "__main__":  # for walking through the window by hand: serves until killed
    with HostileServer() as running:
        print(running.url, flush=True)
        threading.Event().wait()
