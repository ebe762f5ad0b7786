"""The demo server's life cycle and shared state; see ``explorer.demo`` for what it offers.

It plays StackOne for demo mode and for the test suite, so it follows the published contract
(``resources/spec/actions-rpc.openapi.yaml``) and StackOne's SDK models, including errors. It
deliberately shares no code with ``explorer.core``: a client tested against a server built from
the client's own assumptions would prove nothing.

Standard library only (``http.server``); one daemon thread per connection, HTTP/1.1 keep-alive.
``stop()`` is prompt even while a slow action is running: it wakes the action's wait and shuts
every open connection.
"""

from __future__ import annotations

import contextlib
import ipaddress
import selectors
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from explorer.demo.actions import ApiError, RequestAborted
from explorer.demo.logs import RequestLogStore
from explorer.demo.mcp import McpSessions
from explorer.demo.server.handler import HttpServer
from explorer.demo.server.limits import HibobGate, RateLimiter

DEMO_API_KEY = "demo_live_key_0123456789"
# A second key with only the Actions scope: RPC, the catalogue and MCP work; listing accounts
# and reading request logs answer 403, as StackOne does for such a key.
DEMO_ACTIONS_ONLY_KEY = "demo_actions_only_key_0123456789"
DEMO_ACCOUNT_ID = "acct_bamboohr_demo"
EXAMPLE_REQUEST: dict[str, Any] = {
    "action": "bamboohr_list_employees",
    "account_id": DEMO_ACCOUNT_ID,
    "query": {"page_size": 5},
}

RATE_LIMIT_PER_MINUTE = 1000
# Bodies at least this long travel gzip-compressed when the client accepts gzip (StackOne's
# own SDK clients always do); shorter ones are not worth the CPU.
COMPRESS_MIN_BYTES = 1024
# What ``GET /actions?include=`` takes: the TypeScript SDK's value and the docs' value.
INCLUDE_VALUES = ("operation_details", "action_details")


class RequestRuntime:
    """``actions.Runtime`` for one request: the server's settings and this request's socket."""

    def __init__(self, demo: DemoServer, sock: socket.socket, api_key: str) -> None:
        self.slow_seconds = demo.slow_seconds
        self.action_timeout = demo.action_timeout
        self._demo = demo
        self._sock = sock
        self._api_key = api_key

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``, ending early (``RequestAborted``) on ``stop()`` or a hang-up.

        The client's socket is watched while waiting: an HTTP client that gives up (Cancel, a
        timeout) closes it, and there is no point finishing work nobody will read.
        """
        deadline = time.monotonic() + seconds
        with selectors.DefaultSelector() as selector:
            try:
                selector.register(self._sock, selectors.EVENT_READ)
            except (OSError, ValueError):
                raise RequestAborted from None
            watching = True
            while (remaining := deadline - time.monotonic()) > 0:
                step = min(0.1, remaining)
                if watching and selector.select(step):
                    if self._client_hung_up():
                        raise RequestAborted
                    # The client sent more bytes (a pipelined request): stop watching.
                    selector.unregister(self._sock)
                    watching = False
                elif not watching:
                    self._demo.wait_for_stop(step)
                if self._demo.stopping:
                    raise RequestAborted

    def _client_hung_up(self) -> bool:
        try:
            return self._sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def next_candidate_id(self) -> int:
        return self._demo.next_candidate_id()

    def hibob_wait(self) -> int | None:
        return self._demo.hibob.wait(self._api_key)


class DemoServer:
    """The demo server. ``start()`` serves on a daemon thread; ``stop()`` ends it promptly.

    Args:
        host: address to bind; loopback by default (the API key is public knowledge).
        port: 0 picks a free port; read ``url`` after ``start()``.
        api_key: the key with every scope (Basic auth username, empty password).
        actions_only_key: a key with only the Actions scope (``None``: no such key).
        rate_limit_retry_after: the ``Retry-After`` of ``hibob_search_employees``'s 429.
        slow_seconds: how long ``bamboohr_generate_report`` takes unless ``body.seconds`` says.
        rate_limit_per_minute: StackOne's per-key limit; lower it to exercise the 429 path.
        action_timeout: actions running longer answer 408 (StackOne's limit is 60 s).
        log: receives one line per request (never headers or bodies); ``None`` for silence.
        compress_min_bytes: answer bodies at least this long gzip-compressed when accepted.
        include_values: the ``GET /actions?include=`` values taken; any other answers 400
            (pass ``("operation_details",)`` to play a server that knows only the SDK's value).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = DEMO_API_KEY,
        actions_only_key: str | None = DEMO_ACTIONS_ONLY_KEY,
        rate_limit_retry_after: int = 3,
        slow_seconds: float = 10.0,
        rate_limit_per_minute: int = RATE_LIMIT_PER_MINUTE,
        action_timeout: float = 60.0,
        log: Callable[[str], None] | None = None,
        compress_min_bytes: int = COMPRESS_MIN_BYTES,
        include_values: tuple[str, ...] = INCLUDE_VALUES,
    ) -> None:
        self.host = host
        self.port = port
        self.api_key = api_key
        self.actions_only_key = actions_only_key
        self.slow_seconds = slow_seconds
        self.action_timeout = action_timeout
        self.log = log
        self.compress_min_bytes = max(0, compress_min_bytes)
        self.include_values = include_values
        self.logs = RequestLogStore()
        self.mcp_sessions = McpSessions()
        self.limiter = RateLimiter(rate_limit_per_minute)
        self.hibob = HibobGate(rate_limit_retry_after)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._candidate_ids = 7_000_000
        self._active_requests = 0
        self._httpd: HttpServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> DemoServer:
        if self._httpd is not None or self._stopping.is_set():
            raise RuntimeError("a DemoServer can be started once")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._httpd = HttpServer((self.host, self.port), self, family)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"demo-server:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, wake running actions, close every connection and wait for them."""
        httpd = self._httpd
        if httpd is None or self._stopping.is_set():
            return
        with self._lock:
            self._stopping.set()
            connections = dict(self._connections)
        httpd.shutdown()
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for thread in connections.values():
            thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def wait_for_stop(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; ``True`` as soon as ``stop()`` has begun."""
        return self._stopping.wait(timeout)

    @property
    def active_requests(self) -> int:
        """Requests being answered right now: lets tests see a slow action start or end."""
        return self._active_requests

    @property
    def url(self) -> str:
        """The base URL clients use, e.g. ``http://127.0.0.1:54321``."""
        if self._httpd is None:
            raise RuntimeError("start() the DemoServer before asking for its url")
        host = self.host
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is not None and address.is_unspecified:
            host = "127.0.0.1" if address.version == 4 else "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def is_loopback(self) -> bool:
        """Whether only this machine can reach the server."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    # -- used by the request handlers ---------------------------------------------------------
    def _register(self, sock: socket.socket) -> bool:
        """Track a connection so ``stop()`` can close it; ``False`` if already stopping."""
        with self._lock:
            if self._stopping.is_set():
                return False
            self._connections[sock] = threading.current_thread()
            return True

    def _unregister(self, sock: socket.socket) -> None:
        with self._lock:
            self._connections.pop(sock, None)

    def _count_request(self, delta: int) -> None:
        with self._lock:
            self._active_requests += delta

    def check_rate(self, api_key: str) -> None:
        """Count one request against the key's limit; 429 with ``Retry-After`` when over it."""
        wait = self.limiter.hit(api_key)
        if wait is not None:
            raise ApiError(
                429,
                f"Too many requests: the limit is {self.limiter.limit} requests "
                f"per minute per API key. Retry after {wait} s.",
                headers={"Retry-After": str(wait)},
            )

    def runtime(self, sock: socket.socket, api_key: str) -> RequestRuntime:
        """What an action may ask of the server while answering on ``sock``."""
        return RequestRuntime(self, sock, api_key)

    def next_candidate_id(self) -> int:
        with self._lock:
            self._candidate_ids += 1
            return self._candidate_ids
