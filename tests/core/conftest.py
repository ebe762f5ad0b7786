"""Real loopback servers for the transport tests: each failure is produced the way it happens.

Every server binds ``127.0.0.1`` on a free port, runs in a daemon thread and is shut down by
its fixture, so a failing test cannot leave a blocked socket behind.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

Handler = Callable[[socket.socket, "RawServer"], None]


def read_http_request(conn: socket.socket) -> bytes:
    """Read one HTTP request (headers and a ``Content-Length`` body) from ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@dataclass
class RawServer:
    """A TCP server whose ``handler`` decides what to do with each connection.

    ``release`` lets a handler that waits be woken at teardown; ``received`` is set once a
    handler has read the whole request (so a test knows the request is in flight).
    """

    handler: Handler
    sock: socket.socket = field(init=False)
    release: threading.Event = field(default_factory=threading.Event)
    received: threading.Event = field(default_factory=threading.Event)
    requests: list[bytes] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()
        return f"http://{host}:{port}"

    def read_request(self, conn: socket.socket) -> bytes:
        request = read_http_request(conn)
        self.requests.append(request)
        self.received.set()
        return request

    @staticmethod
    def reply(
        conn: socket.socket, status: int, body: bytes, content_type: str = "application/json"
    ) -> None:
        """Send a complete HTTP/1.1 response that closes the connection."""
        head = (
            f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed by close()
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            self.handler(conn, self)

    def close(self) -> None:
        self.release.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        for thread in self._threads:
            thread.join(timeout=5)


# The ``raw_server`` fixture: ``raw_server(handler)`` starts a server.
StartServer = Callable[[Handler], RawServer]


@pytest.fixture
def raw_server() -> Iterator[StartServer]:
    """Factory: ``raw_server(handler)`` starts a server; all are closed after the test."""
    servers: list[RawServer] = []

    def start(handler: Handler) -> RawServer:
        server = RawServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, never listened, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
