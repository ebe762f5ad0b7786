"""Sending one request off the UI thread, the result back by signal.

The send pipeline itself lives in ``explorer.core.client``; this module only moves it onto a
``QThreadPool`` and back. One ``RequestSender`` (one per tab) owns at most one request in
flight: a second Send while one runs is refused (``start`` returns False) so the user always
knows which response they are looking at. A shared ``Throttle`` may hold a send back until
the key's rate limit allows it; the wait happens on the pool thread and Cancel ends it.
Cancel calls ``CancelToken.cancel()``, which shuts the socket down, so the worker returns at
once instead of waiting for the server. A ``prepare`` function given with the request runs on
the same pool thread once the exchange is back (the response view highlights a small body
there), so the UI thread only puts the result on screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from explorer.core.client import CancelToken, RpcClient
from explorer.core.request import RpcRequest
from explorer.ui.jobs import hand_back, let_go

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.run.accounts import Throttle


class _JobSignals(QObject):
    """Lives on the UI thread; the runnable emits through it (queued across threads).

    A ``QRunnable`` is no ``QObject`` and cannot have signals of its own.

    Signals:
        finished(object, object): the ``Exchange`` of the send (a response or a ``Failure``)
            and what ``prepare`` made of it (``None`` without one, or when it failed).
    """

    finished = Signal(object, object)


Prepare = Callable[["Exchange"], object]


class SendJob(QRunnable):
    """Sends one request with ``RpcClient.exchange`` on a pool thread.

    ``finished`` always carries an ``Exchange``: transport failures are already ``Failure``s,
    and anything unexpected becomes one too, so the window never waits forever.
    """

    def __init__(
        self,
        client: RpcClient,
        request: RpcRequest,
        api_key: str,
        token: CancelToken,
        profile: str,
        throttle: Throttle | None = None,
        prepare: Prepare | None = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        let_go()  # made on the UI thread
        self.signals = _JobSignals()
        self._prepare = prepare
        self._client = client
        self._request = request
        self._api_key = api_key
        self._token = token
        self._profile = profile
        self._throttle = throttle

    def run(self) -> None:
        if self._throttle is not None:
            # A cancel during the wait leaves the token cancelled: ``exchange`` then sends
            # nothing and reports the cancel.
            self._throttle.wait(self._token)
        try:
            exchange = self._client.exchange(
                self._request, self._api_key, cancel=self._token, profile=self._profile
            )
        except Exception as exc:  # a bug must still end the in-flight state visibly
            from explorer.core.exchange import Exchange, Failure

            exchange = Exchange(request=self._request.copy(), profile=self._profile)
            exchange.failure = Failure(type(exc).__name__, f"Unexpected error: {exc}")
        prepared = None
        if self._prepare is not None:
            try:
                prepared = self._prepare(exchange)
            except Exception:  # the view then formats it itself, as before
                prepared = None
        self.signals.finished.emit(exchange, prepared)
        hand_back(self)  # freed on the UI thread, never under its receiver's destruction


class RequestSender(QObject):
    """At most one request in flight, with an elapsed-time tick for the indicator.

    Signals:
        started(object): the ``RpcRequest`` that just started.
        elapsed(float): seconds since start, about ten times a second while in flight.
        finished(object, object): the finished ``Exchange`` (response or failure, incl.
            Cancelled) and what the ``prepare`` given to ``start`` made of it (or ``None``).
    """

    started = Signal(object)
    elapsed = Signal(float)
    finished = Signal(object, object)

    def __init__(
        self, client: RpcClient, pool: QThreadPool | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._pool = pool or QThreadPool(self)
        self._token: CancelToken | None = None
        # The pool deletes a job after ``run``; its signals object must outlive it until the
        # queued ``finished`` has been delivered here, so the sender keeps it.
        self._signals: _JobSignals | None = None
        self._started_at = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)

    @property
    def in_flight(self) -> bool:
        return self._token is not None

    @property
    def pool(self) -> QThreadPool:
        return self._pool

    def start(
        self,
        request: RpcRequest,
        api_key: str,
        profile: str = "",
        *,
        throttle: Throttle | None = None,
        prepare: Prepare | None = None,
    ) -> bool:
        """Send ``request`` (after ``throttle`` allows it); returns False (and does nothing)
        if one is already in flight. ``prepare`` runs on the pool thread on the exchange."""
        if self._token is not None:
            return False
        self._token = CancelToken()
        job = SendJob(self._client, request, api_key, self._token, profile, throttle, prepare)
        job.signals.finished.connect(self._on_finished)
        self._signals = job.signals
        self._started_at = time.monotonic()
        self._timer.start()
        self._pool.start(job)  # first: the in-flight page is shown while it is on its way
        self.started.emit(request)
        return True

    def cancel(self) -> bool:
        """Abort the request in flight; ``finished`` follows with a ``Cancelled`` failure."""
        if self._token is None:
            return False
        self._token.cancel()
        return True

    def seconds(self) -> float:
        return time.monotonic() - self._started_at if self._token is not None else 0.0

    def shutdown(self, wait_ms: int = 3000) -> None:
        """Cancel anything running and wait for the pool (on window close)."""
        self.cancel()
        self._pool.waitForDone(wait_ms)

    def _tick(self) -> None:
        self.elapsed.emit(self.seconds())

    def _on_finished(self, exchange: Exchange, prepared: object) -> None:
        self._timer.stop()
        self._token = None
        self._signals = None
        self.finished.emit(exchange, prepared)
