"""Running requests (and heavy rendering) off the UI thread, results back by signal.

The send pipeline itself lives in ``explorer.core.client``; this module only moves it onto a
``QThreadPool`` and back. One ``RequestRunner`` owns at most one request in flight: a second
Send while one runs is refused (``start`` returns False) so the user always knows which
response they are looking at. Cancel calls ``CancelToken.cancel()``, which shuts the socket
down, so the worker returns at once instead of waiting for the server.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from explorer.core.client import CancelToken, RpcClient
from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.store.collections import SavedRequest
from explorer.store.profiles import Profile

if TYPE_CHECKING:
    from explorer.run.engine import RunResult

_T = TypeVar("_T")


class _JobSignals(QObject):
    """Lives on the UI thread; the runnable emits through it (queued across threads).

    A ``QRunnable`` is no ``QObject`` and cannot have signals of its own.

    Signals:
        finished(object): the ``Exchange`` of the send (a response or a ``Failure``).
    """

    finished = Signal(object)


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
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _JobSignals()
        self._client = client
        self._request = request
        self._api_key = api_key
        self._token = token
        self._profile = profile

    def run(self) -> None:
        try:
            exchange = self._client.exchange(
                self._request, self._api_key, cancel=self._token, profile=self._profile
            )
        except Exception as exc:  # a bug must still end the in-flight state visibly
            exchange = Exchange(request=self._request.copy(), profile=self._profile)
            exchange.failure = Failure(type(exc).__name__, f"Unexpected error: {exc}")
        self.signals.finished.emit(exchange)


class RequestRunner(QObject):
    """At most one request in flight, with an elapsed-time tick for the indicator.

    Signals:
        started(object): the ``RpcRequest`` that just started.
        elapsed(float): seconds since start, about ten times a second while in flight.
        finished(object): the finished ``Exchange`` (response or failure, incl. Cancelled).
    """

    started = Signal(object)
    elapsed = Signal(float)
    finished = Signal(object)

    def __init__(
        self, client: RpcClient, pool: QThreadPool | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._pool = pool or QThreadPool(self)
        self._token: CancelToken | None = None
        # The pool deletes a job after ``run``; its signals object must outlive it until the
        # queued ``finished`` has been delivered here, so the runner keeps it.
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

    def start(self, request: RpcRequest, api_key: str, profile: str = "") -> bool:
        """Send ``request``; returns False (and does nothing) if one is already in flight."""
        if self._token is not None:
            return False
        self._token = CancelToken()
        job = SendJob(self._client, request, api_key, self._token, profile)
        job.signals.finished.connect(self._on_finished)
        self._signals = job.signals
        self._started_at = time.monotonic()
        self._timer.start()
        self.started.emit(request)
        self._pool.start(job)
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

    def _on_finished(self, exchange: Exchange) -> None:
        self._timer.stop()
        self._token = None
        self._signals = None
        self.finished.emit(exchange)


class _RenderSignals(QObject):
    """Lives on the UI thread (kept by the receiver); the render job emits through it.

    Signals:
        done(int, object): the job's generation and what its function returned, or the
            exception it raised.
    """

    done = Signal(int, object)


class RenderJob(QRunnable):
    """Runs a pure function (pretty-printing, highlighting) on a pool thread.

    ``generation`` lets the receiver drop results for a response it no longer shows. The
    receiver keeps ``signals`` until ``done`` arrives: the pool deletes the job itself.
    """

    def __init__(self, generation: int, func: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _RenderSignals()
        self._generation = generation
        self._func = func

    def run(self) -> None:
        try:
            result = self._func()
        except Exception as exc:  # show *something* rather than a spinner forever
            result = exc
        self.signals.done.emit(self._generation, result)


_process_lock = threading.Lock()
_process_turn = threading.Lock()  # held by the call the process is working on
_process_pool: ProcessPoolExecutor | None = None


class Abandoned(Exception):
    """A ``run_in_process`` call given up before it started: its result was no longer wanted."""


def run_in_process(call: Callable[[], _T], *, abandoned: Callable[[], bool] | None = None) -> _T:
    """``call()`` in the app's helper process; blocks the calling thread until it is done.

    Threads share the GIL: pure-Python work on a pool thread (formatting a 10 MB body) makes
    every Python call of the UI thread wait its turn, and the window stutters. A process
    shares nothing. Call this from a pool thread (``RenderJob``), never the UI thread; ``call``
    must be picklable (``functools.partial`` of a module-level function and plain values).

    The one process runs one call at a time; the others wait here, polling ``abandoned()``:
    once it returns True the call is dropped and ``Abandoned`` raised, so that clicking
    through ten big responses does not format all ten.

    The process is started on first use (spawn: no forked Qt state; the bundle's entry point
    calls ``multiprocessing.freeze_support()`` for it) and ends with the app. If no process
    can be started, ``call`` runs on the calling thread: slower for the window, but it works.
    """
    while not _process_turn.acquire(timeout=0.05):
        if abandoned is not None and abandoned():
            raise Abandoned()
    try:
        if abandoned is not None and abandoned():
            raise Abandoned()
        return _run_in_pool(call)
    finally:
        _process_turn.release()


def _run_in_pool(call: Callable[[], _T]) -> _T:
    global _process_pool
    with _process_lock:
        if _process_pool is None:
            _process_pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        pool = _process_pool
    try:
        future = pool.submit(call)
    except (BrokenProcessPool, OSError, RuntimeError):  # cannot start, or the app is quitting
        return _without_process(pool, call)
    try:
        return future.result()
    except BrokenProcessPool:  # the process died (call's own errors are re-raised as they are)
        return _without_process(pool, call)


def _without_process(pool: ProcessPoolExecutor, call: Callable[[], _T]) -> _T:
    global _process_pool
    with _process_lock:
        if _process_pool is pool:
            _process_pool = None  # the next call tries a new process
    return call()


class _RunSignals(QObject):
    """Lives on the UI thread (kept by the receiver); the run job emits through it.

    Signals:
        progress(int, object): the index of a saved request and its ``RunResult``, or
            ``None`` just before it is sent.
        finished(object): the list of ``RunResult`` (the results so far after a cancel).
    """

    progress = Signal(int, object)
    finished = Signal(object)


class CollectionRunJob(QRunnable):
    """Runs saved requests in order with ``explorer.run.engine.run_requests`` on a pool thread.

    The command-line runner and the window share that one function, so a run gives the same
    results in both. ``progress(index, result)`` arrives before (result ``None``) and after
    each request; ``finished(results)`` once at the end, also after a cancel (with the results
    so far). Cancel through the ``CancelToken`` passed in.
    """

    def __init__(
        self,
        client: RpcClient,
        requests: Sequence[SavedRequest],
        *,
        api_key: str,
        values: Mapping[str, str],
        profile: Profile | None,
        masked: Iterable[str],
        token: CancelToken,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _RunSignals()
        self._client = client
        self._requests = list(requests)
        self._api_key = api_key
        self._values = dict(values)
        self._profile = profile
        self._masked = list(masked)
        self._token = token

    def run(self) -> None:
        # The engine is only needed once a run starts: not at start-up.
        from explorer.run.engine import RunResult, run_requests

        done: list[RunResult] = []  # what progress reported, should run_requests fail

        def progress(index: int, _saved: SavedRequest, result: RunResult | None) -> None:
            if result is not None:
                done.append(result)
            self.signals.progress.emit(index, result)

        try:
            results = run_requests(
                self._requests,
                client=self._client,
                api_key=self._api_key,
                values=self._values,
                profile=self._profile,
                masked=self._masked,
                progress=progress,
                cancel=self._token,
            )
        except Exception as exc:  # a bug must still end the run visibly
            results = list(done)
            if len(results) < len(self._requests):
                saved = self._requests[len(results)]
                results.append(RunResult.crashed(saved, exc))
        self.signals.finished.emit(results)
