"""A local StackOne-compatible server: ``POST /actions/rpc``, ``GET /accounts``, ``GET /actions``.

It plays StackOne for demo mode and for the test suite, so it follows the published contract
(``resources/spec/actions-rpc.openapi.yaml``) including its errors, checked in StackOne's order:
authentication, User-Agent, request body, ``x-account-id``, account, account status, connector
profile, action, rate limit. It deliberately shares no code with ``explorer.core``: a client
tested against a server built from the client's own assumptions would prove nothing.

Standard library only (``http.server``); one daemon thread per connection, HTTP/1.1 keep-alive.
``stop()`` is prompt even while a slow action is running: it wakes the action's wait and shuts
every open connection.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import ipaddress
import json
import math
import re
import secrets
import selectors
import socket
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from explorer.demo.accounts import ACCOUNTS, CONNECTOR_PROFILES, CONNECTORS
from explorer.demo.actions import (
    ACTIONS,
    ApiError,
    Call,
    Options,
    RequestAborted,
    actions_for,
    encode_cursor,
    run,
)
from explorer.demo.defender import DefenderSettings
from explorer.demo.records import DemoFile

DEMO_API_KEY = "demo_live_key_0123456789"
DEMO_ACCOUNT_ID = "acct_bamboohr_demo"
EXAMPLE_REQUEST: dict[str, Any] = {
    "action": "bamboohr_list_employees",
    "account_id": DEMO_ACCOUNT_ID,
    "query": {"page_size": 5},
}

RATE_LIMIT_PER_MINUTE = 1000
# After HiBob's demo 429 has been waited out, calls succeed for this long before the next cycle.
HIBOB_OPEN_SECONDS = 60.0
MAX_BODY_BYTES = 5 * 1024 * 1024
IDLE_CONNECTION_SECONDS = 60.0

_RPC_FIELDS = frozenset(
    {"action", "path", "query", "headers", "body", "defender_enabled", "defender_config"}
)
_DEFENDER_FLAGS = (
    "enabled",
    "block_high_risk",
    "use_tier1_classification",
    "use_tier2_classification",
)
_ACCOUNT_STATUSES = ("active", "inactive", "suspended", "archived", "expired", "error")


def _timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def error_body(
    status: int,
    message: str,
    *,
    provider_errors: list[dict[str, Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """StackOne's error envelope; ``data``/``provider_errors`` only when there is something."""
    body: dict[str, Any] = {"statusCode": status, "message": message, "timestamp": _timestamp()}
    if data is not None:
        body["data"] = data
    if provider_errors is not None:
        body["provider_errors"] = provider_errors
    return body


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename=`` fallback and the exact name in ``filename*=``."""
    fallback = "".join(
        ch if " " <= ch <= "~" and ch not in '"\\' else "_"
        for ch in unicodedata.normalize("NFKD", filename)
        if not unicodedata.combining(ch)
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class _RateLimiter:
    """StackOne's documented limit: ``limit`` requests per minute per API key (fixed window)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> int | None:
        """Count one request; the seconds to wait if it is over the limit, else ``None``."""
        now = time.monotonic()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            count += 1
            self._windows[key] = (start, count)
        if count > self.limit:
            return max(1, math.ceil(start + self.window - now))
        return None


class _HibobGate:
    """The deterministic HiBob rate limit of ``hibob_search_employees``, per API key.

    The rule: the first call of a cycle is refused with 429 and ``Retry-After: retry_after``;
    calls during those seconds are refused with the time still left; after that, calls succeed
    for ``HIBOB_OPEN_SECONDS``, then the next call starts a new cycle. So "wait Retry-After,
    then retry" always works, and a first try always shows the 429.
    """

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(0, retry_after)
        self._lock = threading.Lock()
        self._cycles: dict[str, float] = {}

    def wait(self, key: str) -> int | None:
        now = time.monotonic()
        with self._lock:
            start = self._cycles.get(key)
            if start is None or now >= start + self.retry_after + HIBOB_OPEN_SECONDS:
                self._cycles[key] = now
                return self.retry_after
        if now < start + self.retry_after:
            return max(1, math.ceil(start + self.retry_after - now))
        return None


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], demo: DemoServer, family: int) -> None:
        self.address_family = family
        self.demo = demo
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that vanished mid-response is normal for a demo; anything else is logged.
        if self.demo.log is not None and not self.demo.stopping:
            self.demo.log(f"error while serving {client_address}:\n{traceback.format_exc()}")


class _RequestRuntime:
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
        return self._demo._next_candidate_id()

    def hibob_wait(self) -> int | None:
        return self._demo._hibob.wait(self._api_key)


class _Handler(BaseHTTPRequestHandler):
    """Routes, checks and answers one connection's requests."""

    server: _HttpServer
    server_version = "StackOne-Demo/1.0"
    sys_version = ""

    def version_string(self) -> str:
        # The base class joins server_version and sys_version with a space; send no stray one.
        return self.server_version

    protocol_version = "HTTP/1.1"
    timeout = IDLE_CONNECTION_SECONDS

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

    # -- sending ----------------------------------------------------------------------------
    def _send(
        self,
        status: int,
        payload: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-request-id", self._request_id)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection or self.server.demo.stopping:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode()
        self._send(status, payload, "application/json; charset=utf-8", headers)

    def _send_error_envelope(self, error: ApiError) -> None:
        self._send_json(
            error.status,
            error_body(
                error.status,
                error.message,
                provider_errors=error.provider_errors,
                data=error.data,
            ),
            error.headers,
        )

    def _send_file(self, demo_file: DemoFile) -> None:
        self._send(
            200,
            demo_file.content,
            demo_file.mime_type,
            {"Content-Disposition": content_disposition(demo_file.name)},
        )

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
        self._send_json(code, error_body(code, text))

    # -- routing ------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    def _dispatch(self) -> None:
        self._request_id = secrets.token_hex(16)
        demo = self.server.demo
        demo._count_request(+1)
        try:
            self._answer()
        finally:
            demo._count_request(-1)

    def _answer(self) -> None:
        try:
            body = self._read_body()
            self._route(body)
        except ApiError as error:
            self._send_error_envelope(error)
        except RequestAborted:
            self.close_connection = True
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception:
            demo = self.server.demo
            if demo.log is not None:
                demo.log(traceback.format_exc())
            self.close_connection = True
            self._send_json(500, error_body(500, "Internal server error"))
        if self.server.demo.stopping:
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

    def _route(self, body: bytes) -> None:
        url = urlsplit(self.path)
        routes: dict[str, dict[str, Callable[[dict[str, list[str]], bytes], None]]] = {
            "/actions/rpc": {"POST": self._rpc},
            "/accounts": {"GET": self._accounts},
            "/actions": {"GET": self._actions},
        }
        methods = routes.get(url.path)
        if methods is None:
            raise ApiError(404, f"Cannot {self.command} {url.path}")
        endpoint = methods.get(self.command)
        if endpoint is None:
            raise ApiError(
                405,
                f"Method {self.command} is not allowed on {url.path}; use {', '.join(methods)}",
                headers={"Allow": ", ".join(methods)},
            )
        self._api_key = self._authenticate()
        if not self.headers.get("User-Agent", "").strip():
            raise ApiError(
                403,
                "Forbidden: requests without a User-Agent header are blocked as suspicious. "
                "Send a User-Agent that names your application.",
            )
        endpoint(parse_qs(url.query, keep_blank_values=True), body)

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
        if (
            not colon
            or password
            or not hmac.compare_digest(user.encode(), self.server.demo.api_key.encode())
        ):
            raise unauthorized
        return user

    def _rate_limit(self) -> None:
        wait = self.server.demo._limiter.hit(self._api_key)
        if wait is not None:
            raise ApiError(
                429,
                f"Too many requests: the limit is {self.server.demo._limiter.limit} requests "
                f"per minute per API key. Retry after {wait} s.",
                headers={"Retry-After": str(wait)},
            )

    # -- POST /actions/rpc ------------------------------------------------------------------
    def _rpc(self, params: dict[str, list[str]], raw: bytes) -> None:
        demo = self.server.demo
        request = _parse_rpc_body(raw)
        sync = _bool_param(params, "sync")
        debug = _bool_param(params, "debug")
        run_id = params.get("run_id", [None])[-1] or None

        account_id = self.headers.get("x-account-id", "").strip()
        if not account_id:
            raise ApiError(400, "Missing x-account-id header in request")
        account = ACCOUNTS.get(account_id)
        if account is None:
            raise ApiError(404, f"Account {account_id} not found in this project")
        if account.status == "suspended":
            raise ApiError(
                412,
                f"The linked account {account_id} is suspended: ask its owner to reconnect it "
                "in StackOne, then retry.",
            )
        if account.status != "active":
            raise ApiError(
                412, f"The linked account {account_id} is {account.status}: reconnect it first."
            )
        profile_id = self.headers.get("x-connector-profile-id", "").strip()
        if profile_id:
            profile_connector = CONNECTOR_PROFILES.get(profile_id)
            if profile_connector is None:
                raise ApiError(
                    400, f"Connector profile {profile_id} does not exist in this project"
                )
            if profile_connector != account.provider:
                raise ApiError(
                    400,
                    f"Connector profile {profile_id} belongs to connector {profile_connector}, "
                    f"but account {account_id} uses {account.provider}",
                )
        spec = ACTIONS.get(request["action"])
        if spec is None or spec.connector != account.provider:
            available = ", ".join(s.name for s in actions_for(account.provider))
            raise ApiError(
                404,
                f"Action {request['action']} not found for connector {account.provider} "
                f"(account {account_id}). Available: {available}",
            )
        self._rate_limit()

        query = request.get("query") or {}
        call = Call(
            action=spec.name,
            account=account,
            runtime=_RequestRuntime(demo, self.connection, self._api_key),
            path=request.get("path") or {},
            query=query,
            headers=request.get("headers") or {},
            body=request.get("body") or {},
        )
        options = Options(
            sync=sync,
            debug=debug or query.get("debug") is True,
            run_id=run_id if sync else None,
            defender=DefenderSettings.from_request(
                request.get("defender_config"), request.get("defender_enabled")
            ),
            request_id=self._request_id,
        )
        outcome = run(spec, call, options)
        if outcome.file is not None:
            self._send_file(outcome.file)
        else:
            self._send_json(200, outcome.json)

    # -- GET /accounts ------------------------------------------------------------------------
    def _accounts(self, params: dict[str, list[str]], raw: bytes) -> None:
        self._rate_limit()
        providers = _list_param(params, "providers")
        account_ids = _list_param(params, "account_ids")
        statuses = _list_param(params, "status")
        owners = _list_param(params, "origin_owner_id")
        for status in statuses:
            if status not in _ACCOUNT_STATUSES:
                raise ApiError(
                    400, f"status must be one of {', '.join(_ACCOUNT_STATUSES)}, got {status!r}"
                )
        page = _int_param(params, "page", 1, minimum=1)
        page_size = _int_param(params, "page_size", 25, minimum=1, maximum=100)
        items = [
            a.to_json()
            for a in ACCOUNTS.values()
            if (not providers or a.provider in providers)
            and (not account_ids or a.id in account_ids)
            and (not statuses or a.status in statuses)
            and (not owners or a.origin_owner_id in owners)
        ]
        start = (page - 1) * page_size
        self._send_json(200, items[start : start + page_size])

    # -- GET /actions -------------------------------------------------------------------------
    def _actions(self, params: dict[str, list[str]], raw: bytes) -> None:
        self._rate_limit()
        connectors = _list_param(params, "filter[connectors]")
        account_ids = _list_param(params, "filter[account_ids]")
        action_keys = _list_param(params, "filter[action_key]")
        include = _list_param(params, "include")
        search = params.get("search", [""])[-1].strip().casefold()
        page_size = _int_param(params, "page_size", 25, minimum=1, maximum=100)
        details = "action_details" in include
        wanted = set(connectors) if connectors else set(CONNECTORS)
        if account_ids:
            wanted &= {ACCOUNTS[a].provider for a in account_ids if a in ACCOUNTS}

        metas = []
        for connector in CONNECTORS.values():
            if connector.key not in wanted:
                continue
            specs = [
                s
                for s in actions_for(connector.key)
                if (not action_keys or s.name in action_keys)
                and (
                    not search
                    or search in s.name.casefold()
                    or search in s.label.casefold()
                    or search in s.description.casefold()
                )
            ]
            if (search or action_keys) and not specs:
                continue
            metas.append(
                {
                    "key": connector.key,
                    "name": connector.name,
                    "description": connector.description,
                    "icon": connector.icon(),
                    "version": connector.version,
                    "release_stage": connector.release_stage,
                    "categories": list(connector.categories),
                    "actions": [s.to_json(details=details) for s in specs],
                }
            )
        cursor = params.get("next", [""])[-1]
        start = _offset_cursor(cursor, len(metas)) if cursor else 0
        end = start + page_size
        self._send_json(
            200,
            {"data": metas[start:end], "next": encode_cursor(end) if end < len(metas) else None},
        )


# -- request parsing ------------------------------------------------------------------------


def _parse_rpc_body(raw: bytes) -> dict[str, Any]:
    """Validate ``ActionsRpcRequestDto`` the way StackOne's NestJS API does: 400 with a reason."""
    if not raw.strip():
        raise ApiError(400, 'Request body is required: a JSON object with at least "action"')
    try:
        request = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc}") from None
    if not isinstance(request, dict):
        raise ApiError(400, "Request body must be a JSON object (ActionsRpcRequestDto)")
    unknown = sorted(set(request) - _RPC_FIELDS)
    if unknown:
        raise ApiError(400, "; ".join(f"property {name} should not exist" for name in unknown))
    action = request.get("action")
    if not isinstance(action, str) or not action.strip():
        raise ApiError(400, "action should not be empty; action must be a string")
    for name in ("path", "query", "headers", "body", "defender_config"):
        if request.get(name) is not None and not isinstance(request[name], dict):
            raise ApiError(400, f"{name} must be an object")
    if request.get("defender_enabled") is not None and not isinstance(
        request["defender_enabled"], bool
    ):
        raise ApiError(400, "defender_enabled must be a boolean value")
    config = request.get("defender_config") or {}
    for flag in config:
        if flag not in _DEFENDER_FLAGS:
            raise ApiError(400, f"defender_config.property {flag} should not exist")
        if config[flag] is not None and not isinstance(config[flag], bool):
            raise ApiError(400, f"defender_config.{flag} must be a boolean value")
    return request


def _bool_param(params: dict[str, list[str]], name: str) -> bool:
    values = params.get(name)
    if not values:
        return False
    value = values[-1].strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ApiError(400, f"{name} must be a boolean value (true or false), got {values[-1]!r}")


def _list_param(params: dict[str, list[str]], name: str) -> list[str]:
    """``name[]=a&name[]=b``, ``name=a&name=b`` and ``name=a,b`` all mean ``[a, b]``."""
    values = params.get(name, []) + params.get(f"{name}[]", [])
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def _int_param(
    params: dict[str, list[str]],
    name: str,
    default: int,
    *,
    minimum: int,
    maximum: int | None = None,
) -> int:
    values = params.get(name)
    if not values:
        return default
    text = values[-1].strip()
    if not re.fullmatch(r"\d+", text) or int(text) < minimum or (maximum and int(text) > maximum):
        bounds = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise ApiError(400, f"{name} must be an integer {bounds}, got {values[-1]!r}")
    return int(text)


def _offset_cursor(cursor: str, total: int) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["offset"]
        if isinstance(offset, int) and not isinstance(offset, bool) and 0 <= offset <= total:
            return offset
    except (binascii.Error, ValueError, KeyError, TypeError):
        pass
    raise ApiError(400, f"Invalid cursor {cursor!r}: pass the previous page's next value unchanged")


# -- the server --------------------------------------------------------------------------------


class DemoServer:
    """The demo server. ``start()`` serves on a daemon thread; ``stop()`` ends it promptly.

    Args:
        host: address to bind; loopback by default (the API key is public knowledge).
        port: 0 picks a free port; read ``url`` after ``start()``.
        api_key: the only key accepted (Basic auth username, empty password).
        rate_limit_retry_after: the ``Retry-After`` of ``hibob_search_employees``'s 429.
        slow_seconds: how long ``bamboohr_generate_report`` takes unless ``body.seconds`` says.
        rate_limit_per_minute: StackOne's per-key limit; lower it to exercise the 429 path.
        action_timeout: actions running longer answer 408 (StackOne's limit is 60 s).
        log: receives one line per request (never headers or bodies); ``None`` for silence.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = DEMO_API_KEY,
        rate_limit_retry_after: int = 3,
        slow_seconds: float = 10.0,
        rate_limit_per_minute: int = RATE_LIMIT_PER_MINUTE,
        action_timeout: float = 60.0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.api_key = api_key
        self.slow_seconds = slow_seconds
        self.action_timeout = action_timeout
        self.log = log
        self._limiter = _RateLimiter(rate_limit_per_minute)
        self._hibob = _HibobGate(rate_limit_retry_after)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._candidate_ids = 7_000_000
        self._active_requests = 0
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> DemoServer:
        if self._httpd is not None or self._stopping.is_set():
            raise RuntimeError("a DemoServer can be started once")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._httpd = _HttpServer((self.host, self.port), self, family)
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

    def _next_candidate_id(self) -> int:
        with self._lock:
            self._candidate_ids += 1
            return self._candidate_ids
