"""Heavy analysis work (filter, compare, Defender check, case export) in a helper process that
the user can stop, driven from a pool thread, the result back by signal.

Each feature has its own ``HelperProcess`` (``helper(name)``), so a Defender check that runs
for minutes never makes a filter wait. A ``HelperJob`` is one feature's current piece of work:
starting another stops the one before (its process is ended: a jq filter may never end by
itself), and only the newest result is delivered. ``stop_helpers`` ends every helper when the
window closes, so quitting never waits on one.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.core.helper_process import HelperProcess, HelperStopped
from explorer.ui.jobs import hand_back, let_go

_helpers: dict[str, HelperProcess] = {}
_helpers_lock = threading.Lock()
_threads: QThreadPool | None = None

FILTER, COMPARE, DEFENDER, CASE = "filter", "comparison", "Defender check", "case export"


def helper(name: str) -> HelperProcess:
    """The helper process of one feature (started on its first call)."""
    with _helpers_lock:
        found = _helpers.get(name)
        if found is None:
            found = _helpers[name] = HelperProcess(name)
        return found


def stop_helpers() -> None:
    """End every helper process; calls in progress end with ``HelperStopped``."""
    with _helpers_lock:
        running = list(_helpers.values())
        _helpers.clear()
    for each in running:
        each.close()


atexit.register(stop_helpers)


def finish_helpers(timeout_ms: int) -> bool:
    """End every helper process and wait (``timeout_ms`` at most) for the threads that waited
    on them (when the app exits: none may still run Python when the interpreter ends). False
    if one still runs."""
    stop_helpers()
    return _threads is None or _threads.waitForDone(timeout_ms)


def _thread_pool() -> QThreadPool:
    """The threads that wait on the helpers: the app's, never a window's. A pool destroyed
    with its window would wait there for a thread that needs the GIL the UI thread holds."""
    global _threads
    if _threads is None:
        _threads = QThreadPool()
        _threads.setMaxThreadCount(8)  # each waits on a process; none computes
    return _threads


class _Token:
    """A job's generation, plain Python: its threads read it after the window is gone."""

    def __init__(self) -> None:
        self.generation = 0


class _JobSignals(QObject):
    """Carries a job's news to the UI thread (queued).

    It has no parent: the job and each of its runs keep it, so it lives as long as a thread
    may still emit through it. A child of the job would go with the window that closes (a
    case dialog, a Compare window), and a thread emitting at that moment would be inside the
    object Qt deletes: PySide lets go of the GIL during ``emit``, and the app crashes. The
    receiving job is what goes with the window; Qt then drops the connection, thread-safely.

    Signals:
        progress(int, float, str): generation, fraction done, stage.
        done(int, object, object): generation, result (or None), error (or None).
    """

    progress = Signal(int, float, str)
    done = Signal(int, object, object)


class _Run(QRunnable):
    def __init__(
        self,
        job: HelperJob,
        generation: int,
        prepare: Callable[[], Callable[..., Any]],
        with_progress: bool,
        after: Callable[[Any], Any] | None,
        stoppable: bool = True,
    ) -> None:
        super().__init__()
        self._stoppable = stoppable
        self._after = after
        self.setAutoDelete(True)
        self._token = job._token
        self._signals = job._signals
        self._name = job.name
        self._generation = generation
        self._prepare = prepare
        self._with_progress = with_progress

    def run(self) -> None:
        generation = self._generation

        def stale() -> bool:  # polled every 50 ms while the helper works
            return self._token.generation != generation

        def report(fraction: float, stage: str) -> None:
            self._signals.progress.emit(generation, fraction, stage)

        result: Any = None
        error: Exception | None = None
        try:
            call = self._prepare()
            if stale():
                raise HelperStopped("no longer wanted")
            progress = report if self._with_progress else None
            stop = stale if self._stoppable else None
            result = helper(self._name).run(call, progress=progress, stop=stop)
            if self._after is not None and not stale():
                result = self._after(result)
        except Exception as exc:  # every failure is shown to the user, none is lost
            result, error = None, exc
        self._signals.done.emit(generation, result, error)
        hand_back(self, "_signals")


class HelperJob(QObject):
    """One feature's work in its helper process; the newest ``start`` wins.

    Args:
        name: the helper process to use (``FILTER``, ``COMPARE``, ``DEFENDER``, ``CASE``).

    Signals:
        progress(float, str): the fraction done and what is being done, while it runs.
        finished(object): what the call returned.
        failed(object): the exception it raised (never ``HelperStopped`` of a ``cancel``).
        busy_changed(bool): work started (True) or ended, however it ended.
    """

    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._token = _Token()
        self._busy = False
        self.started_at = 0.0
        self._signals = _JobSignals()  # no parent: see ``_JobSignals``
        token = self._token
        # Gone with its window: the helper's work is no longer wanted.
        self.destroyed.connect(lambda _o=None: setattr(token, "generation", -1))
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)

    def start(
        self,
        call: Callable[..., Any] | None = None,
        *,
        prepare: Callable[[], Any] | None = None,
        progress: bool = False,
        after: Callable[[Any], Any] | None = None,
        stoppable: bool = True,
    ) -> None:
        """Run ``call`` in the helper process, stopping the work before it.

        Args:
            prepare: instead of ``call``: run on a pool thread first (reading history
                entries...), and returns the call to run.
            progress: the call takes ``progress=``, a ``(fraction, stage)`` callback, and
                ``progress`` is emitted from it.
            after: run on the pool thread with the call's result; ``finished`` gets what it
                returns (laying out a long text for display...).
            stoppable: False for a short call to a helper that keeps state between calls
                (a page of a comparison): one replaced meanwhile finishes and is dropped
                rather than ending the process, which would lose that state.
        """
        if prepare is None:
            if call is None:
                raise TypeError("start needs a call or prepare")
            given = call
            prepare = lambda: given  # noqa: E731
        self._token.generation += 1
        self.started_at = time.monotonic()
        self._set_busy(True)
        let_go()
        run = _Run(self, self._token.generation, prepare, progress, after, stoppable)
        _thread_pool().start(run)

    @property
    def generation(self) -> int:
        return self._token.generation

    def cancel(self) -> None:
        """Stop the work in progress (its process is ended); nothing more is delivered."""
        self._token.generation += 1
        self._set_busy(False)

    def is_busy(self) -> bool:
        return self._busy

    def _on_progress(self, generation: int, fraction: float, stage: str) -> None:
        if generation == self._token.generation:
            self.progress.emit(fraction, stage)

    def _on_done(self, generation: int, result: object, error: object) -> None:
        if generation != self._token.generation:
            return  # replaced or cancelled meanwhile
        self._set_busy(False)
        if isinstance(error, Exception):
            self.failed.emit(error)
        else:
            self.finished.emit(result)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
