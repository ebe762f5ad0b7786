"""The send pipeline: validate, build, send, read. Synchronous, cancellable from another thread.

The UI runs ``RpcClient.exchange`` on a worker thread; the command-line runner calls it directly.
Time is bounded: the request's timeout covers the whole exchange, so a server trickling a byte
a second still times out at the configured total. Cancellation returns at once in every phase
and really aborts: ``CancelToken.cancel()`` shuts the request's socket down (or, while the
connection is still being made, shuts it the moment it exists, so a server that accepts late
receives nothing). Memory is bounded: see ``explorer.core.body``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core import errors
from explorer.core.body import BodyDecoder, BodySink
from explorer.core.limits import DEFAULT_BODY_LIMIT
from explorer.core.request import RpcRequest

# httpx (with the email and urllib machinery it loads, ~20-40 ms) is imported by the functions
# that build or send a request, not at start-up: the window imports this module but sends
# nothing before the first paint. So are the exchange, response and wire modules (~5 ms with
# their dataclasses; the window imports them after its first paint). Annotations only need
# the names.
if TYPE_CHECKING:
    import queue

    import httpx

    from explorer.core.exchange import Exchange
    from explorer.core.response import RpcResponse
    from explorer.core.wire import SentRequest

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
    import socket  # loaded by then (httpx imports it); not at the window's start-up

    with contextlib.suppress(OSError, ValueError):
        sock.shutdown(socket.SHUT_RDWR)


def map_transport_error(exc: Exception, base_url: str, cancelled: bool) -> errors.TransportError:
    """Translate an httpx failure into the explorer's hierarchy."""
    import socket  # as httpx: loaded by then, not at the window's start-up

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
        import ssl  # loaded by then (httpx imports it); not at the window's start-up

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

    Every request opens its own connection unless ``keep_alive``: then a connection is kept
    for the next request to the same server, as any HTTP client does, which spares a run of
    many requests a connection each. The price is in cancelling: a request sent on a kept
    connection has no socket to shut until its answer starts, so a cancel (or the deadline)
    returns at once but cannot stop that request from being sent. Only callers without a
    Cancel button (the command-line run) keep connections.
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        verify: bool = True,
        body_limit: int = DEFAULT_BODY_LIMIT,
        spool_dir: Path | None = None,
        keep_alive: bool = False,
    ) -> None:
        self._transport = transport
        self._verify = verify
        self._keep_alive = keep_alive
        # Bodies up to this many bytes are held in memory; an RPC response over it goes to a
        # file in ``spool_dir`` (the history's folder, so keeping it is a link, not a copy).
        self.body_limit = body_limit
        self.spool_dir = spool_dir
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()

    @property
    def _http(self) -> httpx.Client:
        """The ``httpx.Client``, built on first use (on a worker thread), not at start-up;
        the CA bundle (~45 ms) is only loaded for the first ``https://`` request."""
        import httpx

        from explorer.core.transport import SchemeTransport

        with self._client_lock:
            if self._client is None:
                # Without keep-alive every request opens its own connection, so cancel can
                # always find (and shut) the socket. Human-paced calls lose nothing by it.
                kept = None if self._keep_alive else 0
                limits = httpx.Limits(max_keepalive_connections=kept)
                transport = self._transport or SchemeTransport(verify=self._verify, limits=limits)
                self._client = httpx.Client(
                    transport=transport,
                    # For the proxy transports httpx makes from the environment, if any.
                    verify=self._verify,
                    limits=limits,
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
        from explorer.core.wire import SentRequest, build_http_request

        cancel = cancel or CancelToken()
        http_request = build_http_request(request, api_key)
        if on_sent is not None:
            on_sent(SentRequest.from_http(http_request))
        return self.send_http(
            http_request,
            base_url=request.base_url,
            timeout=request.timeout,
            cancel=cancel,
            spool=True,
        )

    def send_http(
        self,
        http_request: httpx.Request,
        *,
        base_url: str,
        timeout: float,
        cancel: CancelToken | None = None,
        spool: bool = False,
    ) -> RpcResponse:
        """Send any prepared request (e.g. ``GET /accounts``) the way ``send`` sends an RPC call.

        Shared so every StackOne endpoint gets the same cancellation, time and size bounds,
        error mapping and reading. ``timeout`` bounds the whole exchange (connecting, sending,
        waiting, reading every byte), not each read. The exchange runs on a thread of its
        own while this one waits: a cancel or the deadline returns at once in any phase, even
        while the operating system is still connecting or resolving the name; the socket is
        shut the moment it exists, so nothing is sent after a cancel. ``spool`` lets a body
        over the body limit go to a file (``RpcResponse.body_file``); without it, such a
        body is refused with ``BodyTooLarge``.

        Raises:
            TransportError: a subclass saying why no complete response arrived.
        """
        import httpx

        cancel = cancel or CancelToken()
        deadline = time.monotonic() + timeout
        # httpx's own per-phase timeouts come a little after the deadline: the deadline knows
        # the phase and says it the same way every time (under load either could fire first).
        grace = httpx.Timeout(timeout + _TIMEOUT_GRACE).as_dict()
        http_request.extensions = {"timeout": grace}
        if cancel.cancelled:
            raise errors.Cancelled(base_url)
        transfer = _Transfer(
            self._http,
            http_request,
            base_url=base_url,
            body_limit=self.body_limit,
            spool_dir=self.spool_dir if spool else None,
            spool=spool,
        )
        _workers().run(transfer.run)
        while not transfer.done.wait(min(_POLL, max(0.0, deadline - time.monotonic()))):
            if cancel.cancelled:
                transfer.abandon()
                raise errors.Cancelled(base_url)
            if time.monotonic() >= deadline:
                phase = transfer.phase
                transfer.abandon()
                raise errors.TimedOut(
                    base_url, f"no complete response within {timeout:g} s (while {phase})"
                )
        return transfer.result()

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
        from explorer.core.exchange import Exchange, Failure
        from explorer.core.secrets import redact_exchange

        record = Exchange(request=request.copy(), profile=profile)

        def remember(sent: SentRequest) -> None:
            record.sent = sent

        try:
            record.response = self.send(request, api_key, cancel=cancel, on_sent=remember)
        except errors.TransportError as exc:
            record.failure = Failure.from_error(exc)
        # The key never comes back out, even where a server echoes it (the secrets policy).
        return redact_exchange(record, [api_key])


def _tracer(
    cancel: CancelToken, phases: Callable[[str], None] | None = None
) -> Callable[[str, dict[str, Any]], None]:
    """An httpcore trace hook that hands every new socket to the cancel token (which shuts
    it at once if the exchange was cancelled or timed out meanwhile), and tells ``phases``
    what the exchange is doing."""

    def trace(event: str, info: dict[str, Any]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            if stream is not None:
                cancel.attach(stream.get_extra_info("socket"))
        if phases is not None and event.endswith(".started"):
            phases(_PHASES.get(event.rsplit(".", 2)[-2], "waiting"))

    return trace


# httpcore's trace steps, as a person would say them.
_PHASES = {
    "connect_tcp": "connecting",
    "start_tls": "setting up TLS",
    "send_request_headers": "sending the request",
    "send_request_body": "sending the request",
    "receive_response_headers": "waiting for the response",
    "receive_response_body": "reading the body",
}
# How often the waiting thread looks at the cancel token and the deadline.
_POLL = 0.02
_TIMEOUT_GRACE = 1.0  # s: httpx's timeouts after the deadline, for the transfer left behind


class _Workers:
    """The threads exchanges run on, kept between exchanges: starting a thread for each one
    cost a run of many requests about half a millisecond apiece on a busy machine.

    Daemon threads, started when none is idle and then kept, so a transfer never waits for a
    thread. Not ``ThreadPoolExecutor``: it joins its threads when the interpreter exits, and a
    transfer abandoned on a server that never answers would hold the process past its
    deadline; a daemon thread is dropped at exit.
    """

    def __init__(self) -> None:
        import queue  # with the first exchange (``_workers``): not with the window

        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0

    def run(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._idle:
                self._idle -= 1
                self._jobs.put(job)
                return
        threading.Thread(target=self._work, args=(job,), name="rpc-exchange", daemon=True).start()

    def _work(self, job: Callable[[], None]) -> None:
        while True:
            job()  # _Transfer.run catches everything; a job that raised would end the thread
            with self._lock:
                self._idle += 1
            job = self._jobs.get()


_WORKERS: _Workers | None = None
_WORKERS_LOCK = threading.Lock()


def _workers() -> _Workers:
    """The shared workers, made by the first exchange of the process."""
    global _WORKERS
    with _WORKERS_LOCK:
        if _WORKERS is None:
            _WORKERS = _Workers()
        return _WORKERS


class _Transfer:
    """One exchange on its own thread; the caller waits for ``done`` and takes ``result``.

    When the caller gives up (cancel, deadline) it calls ``abandon``: the sockets are shut,
    and whatever the thread still produces (a spooled body) is thrown away by the thread.
    """

    def __init__(
        self,
        client: httpx.Client,
        request: httpx.Request,
        *,
        base_url: str,
        body_limit: int,
        spool_dir: Path | None,
        spool: bool,
    ) -> None:
        self._client = client
        self._request = request
        self._base_url = base_url
        # The thread's own token: shut by a user cancel or by the deadline alike (the caller
        # watches the user's token and calls ``abandon``).
        self._token = CancelToken()
        request.extensions["trace"] = _tracer(self._token, self._set_phase)
        self._limit = body_limit
        self._spool_dir = spool_dir
        self._spool = spool
        self.done = threading.Event()
        self.phase = "connecting"
        self._lock = threading.Lock()
        self._abandoned = False
        self._response: RpcResponse | None = None
        self._error: BaseException | None = None

    def _set_phase(self, phase: str) -> None:
        self.phase = phase

    def abandon(self) -> None:
        with self._lock:
            self._abandoned = True
            response = self._response
            self._response = None
        self._token.cancel()
        if response is not None:
            _drop_body(response)

    def result(self) -> RpcResponse:
        """The response (handed over: the transfer keeps no reference to it), or raises."""
        with self._lock:
            response, self._response = self._response, None
            error, self._error = self._error, None
        if error is not None:
            raise error
        assert response is not None
        return response

    def run(self) -> None:
        if self._token.cancelled:  # given up before a thread took it: send nothing
            self.done.set()
            return
        try:
            response: RpcResponse | None = self._exchange()
            error: BaseException | None = None
        except errors.TransportError as exc:
            response, error = None, exc
        except Exception as exc:  # whatever happens reaches the caller, typed
            response = None
            error = map_transport_error(exc, self._base_url, self._token.cancelled)
        with self._lock:
            abandoned = self._abandoned
            if not abandoned:
                self._response, self._error = response, error
        if abandoned and response is not None:
            _drop_body(response)
        self.done.set()

    def _exchange(self) -> RpcResponse:
        import httpx

        from explorer.core.response import Timing, read_response

        start = time.perf_counter()
        sink = BodySink(
            self._limit, spool_dir=self._spool_dir, spool=self._spool, base_url=self._base_url
        )
        try:
            http_response = self._client.send(self._request, stream=True)
            try:
                ttfb = time.perf_counter() - start
                self.phase = "reading the body"
                stream = http_response.extensions.get("network_stream")
                if stream is not None:
                    self._token.attach(stream.get_extra_info("socket"))
                # A response built in memory (httpx.MockTransport in tests) arrives already
                # read and decoded by httpx; a real one is read raw and decoded here, capped.
                in_memory = http_response.is_stream_consumed
                decoder = BodyDecoder(
                    None if in_memory else http_response.headers.get("content-encoding"),
                    body_limit=self._limit,
                    base_url=self._base_url,
                )
                chunks = [http_response.content] if in_memory else http_response.iter_raw(_CHUNK)
                for raw in chunks:
                    if self._token.cancelled:
                        raise errors.Cancelled(self._base_url)
                    for piece in decoder.feed(raw):
                        sink.write(piece)
                for piece in decoder.flush():
                    sink.write(piece)
            finally:
                http_response.close()
            body, body_file = sink.finish()
        except httpx.HTTPError as exc:
            sink.discard()
            raise map_transport_error(exc, self._base_url, self._token.cancelled) from exc
        except OSError as exc:  # the spool file could not be written (disk full)
            sink.discard()
            raise errors.TransportError(
                self._base_url, f"the body could not be written to disk ({exc.strerror or exc})"
            ) from exc
        except BaseException:
            sink.discard()
            raise
        total = time.perf_counter() - start
        return read_response(
            http_response.status_code,
            list(http_response.headers.multi_items()),
            body,
            reason=http_response.reason_phrase,
            timing=Timing(total_ms=total * 1000, ttfb_ms=ttfb * 1000),
            body_file=body_file,
            wire_size=decoder.wire_size if decoder.compressed else None,
        )


def _drop_body(response: RpcResponse) -> None:
    """Delete the spool file of a response nobody will see."""
    if response.body_file is not None:
        response.body_file.discard()
