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
