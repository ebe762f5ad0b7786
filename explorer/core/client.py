"""The send pipeline: validate, build, send, read. Synchronous, cancellable from another thread.

The UI runs ``RpcClient.exchange`` on a worker thread; the command-line runner calls it directly.
Cancellation really aborts: ``CancelToken.cancel()`` shuts the request's socket down, which
wakes the blocked read at once instead of waiting for the server or the timeout.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from explorer.core import errors
from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.response import RpcResponse, Timing, read_response
from explorer.core.secrets import redact_exchange
from explorer.core.wire import SentRequest, build_http_request

# httpx (with the email and urllib machinery it loads, ~20-40 ms) is imported by the functions
# that build or send a request, not at start-up: the window imports this module but sends
# nothing before the first paint. Annotations only need the names.
if TYPE_CHECKING:
    import httpx

_CHUNK = 64 * 1024


class CancelToken:
    """Shared between the UI thread (``cancel``) and the worker (everything else)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._sockets: list[Any] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def attach(self, sock: Any) -> None:
        """Remember the request's socket; shut it at once if cancel came first."""
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            cancelled = self._cancelled
        if cancelled:
            _shutdown(sock)


def _shutdown(sock: Any) -> None:
    with contextlib.suppress(OSError, ValueError):
        sock.shutdown(socket.SHUT_RDWR)


def map_transport_error(exc: Exception, base_url: str, cancelled: bool) -> errors.TransportError:
    """Translate an httpx failure into the explorer's hierarchy."""
    import httpx

    detail = str(exc) or type(exc).__name__
    if cancelled:
        return errors.Cancelled(base_url)
    if isinstance(exc, httpx.TimeoutException):
        phase = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
        return errors.TimedOut(base_url, f"timed out while {phase}")
    if isinstance(exc, httpx.ConnectError):
        chain = _causes(exc)
        if any(isinstance(c, socket.gaierror) for c in chain) or _looks_like_dns(detail):
            return errors.DNSFailed(base_url, detail)
        if any(isinstance(c, ssl.SSLError) for c in chain) or "ssl" in detail.lower():
            return errors.TLSFailed(base_url, detail)
        return errors.ConnectFailed(base_url, detail)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return errors.ConnectionDropped(base_url, detail)
    if isinstance(exc, httpx.DecodingError):
        return errors.BadResponse(base_url, detail)
    # Anything else httpx may raise still becomes one of ours, so callers that catch
    # TransportError (exchange(), the UI worker) never see a raw httpx exception.
    return errors.TransportError(base_url, detail)


def _causes(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(out) < 10:
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def _looks_like_dns(detail: str) -> bool:
    text = detail.lower()
    return any(
        marker in text
        for marker in (
            "name or service not known",
            "nodename nor servname",
            "temporary failure in name resolution",
            "getaddrinfo failed",
            "no address associated",
        )
    )


class RpcClient:
    """Sends ``RpcRequest``s. Pass ``transport`` (e.g. ``httpx.MockTransport``) in tests.

    One instance may be shared by threads; each call gets its own ``CancelToken``.
    """

    def __init__(
        self, *, transport: httpx.BaseTransport | None = None, verify: bool = True
    ) -> None:
        self._transport = transport
        self._verify = verify
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()

    @property
    def _http(self) -> httpx.Client:
        """The ``httpx.Client``, built on first use (on a worker thread): its SSL context
        loads the CA bundle (~45 ms), which the window's start-up should not pay."""
        import httpx

        with self._client_lock:
            if self._client is None:
                # No keep-alive: every request opens its own connection, so cancel can always
                # find (and shut) the socket. Human-paced calls lose nothing by it.
                self._client = httpx.Client(
                    transport=self._transport,
                    verify=self._verify,
                    limits=httpx.Limits(max_keepalive_connections=0),
                    follow_redirects=False,
                )
            return self._client

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()

    def __enter__(self) -> RpcClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(
        self,
        request: RpcRequest,
        api_key: str,
        *,
        cancel: CancelToken | None = None,
        on_sent: Callable[[SentRequest], None] | None = None,
    ) -> RpcResponse:
        """Send and read the whole response.

        Raises:
            InvalidRequest: the request fails validation (nothing is sent).
            TransportError: a subclass saying why no complete response arrived.
        """
        cancel = cancel or CancelToken()
        http_request = build_http_request(request, api_key)
        if on_sent is not None:
            on_sent(SentRequest.from_http(http_request))
        return self.send_http(
            http_request, base_url=request.base_url, timeout=request.timeout, cancel=cancel
        )

    def send_http(
        self,
        http_request: httpx.Request,
        *,
        base_url: str,
        timeout: float,
        cancel: CancelToken | None = None,
    ) -> RpcResponse:
        """Send any prepared request (e.g. ``GET /accounts``) the way ``send`` sends an RPC call.

        Shared so every StackOne endpoint gets the same cancellation, error mapping and reading.

        Raises:
            TransportError: a subclass saying why no complete response arrived.
        """
        import httpx

        cancel = cancel or CancelToken()
        http_request.extensions = {
            "timeout": httpx.Timeout(timeout).as_dict(),
            "trace": _tracer(cancel),
        }
        if cancel.cancelled:
            raise errors.Cancelled(base_url)
        start = time.perf_counter()
        try:
            http_response = self._http.send(http_request, stream=True)
            try:
                ttfb = time.perf_counter() - start
                stream = http_response.extensions.get("network_stream")
                if stream is not None:
                    cancel.attach(stream.get_extra_info("socket"))
                chunks = []
                for chunk in http_response.iter_bytes(_CHUNK):
                    if cancel.cancelled:
                        raise errors.Cancelled(base_url)
                    chunks.append(chunk)
            finally:
                http_response.close()
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, base_url, cancel.cancelled) from exc
        total = time.perf_counter() - start
        if cancel.cancelled:
            raise errors.Cancelled(base_url)
        body = b"".join(chunks)
        return read_response(
            http_response.status_code,
            list(http_response.headers.multi_items()),
            body,
            reason=http_response.reason_phrase,
            timing=Timing(total_ms=total * 1000, ttfb_ms=ttfb * 1000),
        )

    def exchange(
        self,
        request: RpcRequest,
        api_key: str,
        *,
        cancel: CancelToken | None = None,
        profile: str = "",
    ) -> Exchange:
        """Like ``send`` but never raises for transport failures: they become ``failure``.

        The record never holds ``api_key``: a server that echoes it shows ``<redacted>``.

        Raises:
            InvalidRequest: the request fails validation (nothing is sent).
        """
        record = Exchange(request=request.copy(), profile=profile)

        def remember(sent: SentRequest) -> None:
            record.sent = sent

        try:
            record.response = self.send(request, api_key, cancel=cancel, on_sent=remember)
        except errors.TransportError as exc:
            record.failure = Failure.from_error(exc)
        # The key never comes back out, even where a server echoes it (the secrets policy).
        return redact_exchange(record, [api_key])


def _tracer(cancel: CancelToken) -> Callable[[str, dict[str, Any]], None]:
    """An httpcore trace hook that hands every new socket to the cancel token."""

    def trace(event: str, info: dict[str, Any]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            if stream is not None:
                cancel.attach(stream.get_extra_info("socket"))

    return trace
