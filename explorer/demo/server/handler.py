"""The demo's HTTP layer: connections, bodies, authentication, compression, the error envelope.

Routes (``explorer.demo.routes``) decide what to answer; this module decides how it travels.
Checks run in StackOne's order: route and method (404/405), authentication (401), User-Agent
(403); each route then checks its own input. Any method the route does not take, including
``TRACE`` and methods HTTP has not got, answers 405 with ``Allow``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import hmac
import secrets
import socket
import time
import traceback
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from explorer.demo.actions import ApiError, RequestAborted
from explorer.demo.logs import PlatformCall, is_platform_path
from explorer.demo.routes import resolve
from explorer.demo.routes.context import Answer, DemoRequest, error_body

# The paths a key with only the Actions scope may use.
ACTIONS_SCOPE = ("/actions", "/mcp")

if TYPE_CHECKING:
    from collections.abc import Callable

    from explorer.demo.server.demo_server import DemoServer

MAX_BODY_BYTES = 5 * 1024 * 1024
IDLE_CONNECTION_SECONDS = 60.0


class HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], demo: DemoServer, family: int) -> None:
        self.address_family = family
        self.demo = demo
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that vanished mid-response is normal for a demo; anything else is logged.
        if self.demo.log is not None and not self.demo.stopping:
            self.demo.log(f"error while serving {client_address}:\n{traceback.format_exc()}")


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (``gzip``/``x-gzip``/``*`` with a q above 0)."""
    allowed: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name.strip():
            allowed[name.strip().lower()] = quality
    for name in ("gzip", "x-gzip"):
        if name in allowed:
            return allowed[name] > 0
    return allowed.get("*", 0.0) > 0


class Handler(BaseHTTPRequestHandler):
    """Reads, routes and answers one connection's requests."""

    server: HttpServer
    server_version = "StackOne-Demo/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = IDLE_CONNECTION_SECONDS

    def version_string(self) -> str:
        # The base class joins server_version and sys_version with a space; send no stray one.
        return self.server_version

    # -- connection life ------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        # Headers and body go out as separate writes: without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every keep-alive response.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._request_id = secrets.token_hex(16)
        self._registered = self.server.demo._register(self.connection)

    def handle(self) -> None:
        if self._registered:
            super().handle()

    def finish(self) -> None:
        try:
            with contextlib.suppress(OSError):
                super().finish()
        finally:
            self.server.demo._unregister(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.demo.log is not None:
            self.server.demo.log(f"{self.address_string()} {format % args}")

    def __getattr__(self, name: str) -> Callable[[], None]:
        # The standard library answers 501 for a method without a ``do_`` handler; StackOne
        # answers an unsupported method with 405 and ``Allow``, so every method is dispatched.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    # -- sending ----------------------------------------------------------------------------
    def _send(self, answer: Answer) -> None:
        payload = answer.body
        headers = dict(answer.headers)
        demo = self.server.demo
        if (
            len(payload) >= demo.compress_min_bytes
            and answer.status != HTTPStatus.NO_CONTENT
            and accepts_gzip(self.headers.get("Accept-Encoding", ""))
        ):
            # mtime=0: the same body always compresses to the same bytes.
            payload = gzip.compress(payload, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(answer.status)
        if answer.content_type:
            self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-request-id", self._request_id)
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection or demo.stopping:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, oversized headers...) in StackOne's envelope."""
        self.close_connection = True
        # An unreadable request line leaves the stdlib assuming HTTP/0.9, which would send the
        # body without a status line or headers; every client today speaks HTTP/1.x.
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        if not hasattr(self, "_request_id"):
            self._request_id = secrets.token_hex(16)
        text = message or HTTPStatus(code).phrase
        if explain:
            text = f"{text}: {explain}"
        self._send(Answer.json(code, error_body(code, text)))

    # -- answering ----------------------------------------------------------------------------
    def _dispatch(self) -> None:
        self._request_id = secrets.token_hex(16)
        demo = self.server.demo
        demo._count_request(+1)
        try:
            self._answer()
        finally:
            demo._count_request(-1)

    def _answer(self) -> None:
        demo = self.server.demo
        try:
            body = self._read_body()
            self._send(self._route(body))
        except ApiError as error:
            self._send(Answer.error(error))
        except RequestAborted:
            self.close_connection = True
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception:
            if demo.log is not None:
                demo.log(traceback.format_exc())
            self.close_connection = True
            self._send(Answer.json(500, error_body(500, "Internal server error")))
        if demo.stopping:
            self.close_connection = True

    def _read_body(self) -> bytes:
        """Read the whole body first, so an early error still leaves keep-alive in step."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        if not length_text.strip().isdigit():
            self.close_connection = True
            raise ApiError(400, "Invalid Content-Length header")
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            raise ApiError(413, f"Request body too large (limit {MAX_BODY_BYTES} bytes)")
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        data = bytearray()
        while True:
            line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                self.close_connection = True
                raise ApiError(400, "Malformed chunked request body") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(data)
            data += self.rfile.read(size)
            self.rfile.readline(1024)
            if len(data) > MAX_BODY_BYTES:
                self.close_connection = True
                raise ApiError(413, f"Request body too large (limit {MAX_BODY_BYTES} bytes)")

    def _route(self, body: bytes) -> Answer:
        url = urlsplit(self.path)
        found = resolve(url.path)
        if found is None:
            raise ApiError(404, f"Cannot {self.command} {url.path}")
        methods, path_params = found
        endpoint = methods.get(self.command)
        if endpoint is None:
            raise ApiError(
                405,
                f"Method {self.command} is not allowed on {url.path}; use {', '.join(methods)}",
                headers={"Allow": ", ".join(methods)},
            )
        api_key = self._authenticate()
        if api_key != self.server.demo.api_key and not url.path.startswith(ACTIONS_SCOPE):
            raise ApiError(
                403,
                f"Forbidden: this API key lacks the scope for {url.path} (it has only the "
                "Actions scope)",
            )
        if not self.headers.get("User-Agent", "").strip():
            raise ApiError(
                403,
                "Forbidden: requests without a User-Agent header are blocked as suspicious. "
                "Send a User-Agent that names your application.",
            )
        host = self.headers.get("Host", "") or self.server.demo.url.split("//", 1)[-1]
        request = DemoRequest(
            demo=self.server.demo,
            method=self.command,
            path=url.path,
            params=parse_qs(url.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
            api_key=api_key,
            request_id=self._request_id,
            connection=self.connection,
            url=f"http://{host}{self.path}",
            path_params=path_params,
        )
        if not is_platform_path(url.path):
            return endpoint(request)
        started, clock = datetime.now(UTC), time.monotonic()
        status = 500
        try:
            answer = endpoint(request)
            status = answer.status
            return answer
        except ApiError as error:
            status = error.status
            raise
        finally:
            call = PlatformCall(
                request_id=self._request_id,
                method=self.command,
                url=request.url,
                status=status,
                account_id=self.headers.get("x-account-id"),
                source_ip=self.client_address[0] if self.client_address else None,
                started_at=started,
                elapsed_ms=(time.monotonic() - clock) * 1000,
            )
            self.server.demo.logs.record_platform(call)

    def _authenticate(self) -> str:
        """The API key from ``Authorization: Basic base64(key:)``; 401 for anything else."""
        unauthorized = ApiError(
            401, "Unauthorized", headers={"WWW-Authenticate": 'Basic realm="StackOne"'}
        )
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            raise unauthorized
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise unauthorized from None
        user, colon, password = decoded.partition(":")
        keys = [self.server.demo.api_key, self.server.demo.actions_only_key]
        known = [k for k in keys if k and hmac.compare_digest(user.encode(), k.encode())]
        if not colon or password or not known:
            raise unauthorized
        return user
