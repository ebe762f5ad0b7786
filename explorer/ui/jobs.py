"""Pure work (formatting, reading a file) on a pool thread, the result back by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal


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


class _ProgressSignals(QObject):
    """Lives on the UI thread (kept by the receiver); the progress job emits through it.

    Signals:
        progress(int, object): a step of the work and what it produced (e.g. an account's
            row, a page's exchange).
        done(object): what the function returned, or the exception it raised.
    """

    progress = Signal(int, object)
    done = Signal(object)


Report = Callable[[int, Any], None]


class ProgressJob(QRunnable):
    """Runs a long, cancellable piece of work (many sends) on a pool thread, reporting as it
    goes: ``func(report)`` calls ``report(step, item)`` from the worker, which arrives on the
    UI thread as ``progress``; ``done`` always follows, with the result or the exception.

    The receiver keeps ``signals`` until ``done`` arrives: the pool deletes the job itself.
    Cancelling is ``func``'s business (a ``CancelToken`` it closes over).
    """

    def __init__(self, func: Callable[[Report], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _ProgressSignals()
        self._func = func

    def run(self) -> None:
        try:
            result = self._func(self.signals.progress.emit)
        except Exception as exc:  # a bug must still end the work visibly
            result = exc
        self.signals.done.emit(result)
