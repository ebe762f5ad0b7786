"""A loopback server that answers each POST with the next of some big JSON bodies.

No demo action answers 10 MB, and a comparison needs two runs that differ: the first call gets
``bodies[0]``, the second ``bodies[1]`` and so on (the last one again after that). The window
shows any JSON a server returns, so StackOne's envelope is not needed. ``GET`` (the window
listing accounts) answers 404, as for an unknown path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def big_server(bodies: Sequence[bytes], headers: Sequence[dict[str, str]] = ()) -> Iterator[str]:
    """Serve ``bodies`` in turn (with ``headers[i]`` added, when given); yields the base URL."""
    served = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            with lock:
                body = bodies[min(served[0], len(bodies) - 1)]
                extra = headers[min(served[0], len(headers) - 1)] if headers else {}
                served[0] += 1
                number = served[0]
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.send_header("x-request-id", f"req_big_{number}")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
