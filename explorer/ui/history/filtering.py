"""Filtering a long history off the UI thread.

At 100,000 entries one pass of ``HistoryFilter.apply`` is 20-50 ms of Python (more under
load): on the UI thread, every keystroke froze the list that long. On a thread it gives the
UI thread the interpreter back every few milliseconds; the newest filter's rows replace the
list when they are ready, and an older filter's, still running, are dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool

from explorer.ui.jobs import RenderJob

# From this many entries the filter runs on a thread (below, it takes a few milliseconds).
FILTER_ON_THREAD = 20_000


class BackgroundFilter(QObject):
    """Runs one filter at a time on its own thread; only the newest one's result is kept."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._signals: dict[int, QObject] = {}  # generation -> its job's signals, until done

    def start(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        """Run ``work`` on the thread; ``done`` gets its result unless another ``start``
        (or ``forget``) comes first."""
        self._generation += 1
        job = RenderJob(self._generation, work)
        job.signals.done.connect(lambda generation, result: self._on_done(generation, result, done))
        self._signals[self._generation] = job.signals
        self._pool.clear()  # a filter not started yet is not wanted any more
        self._pool.start(job)

    def forget(self) -> None:
        """A filter applied at once makes the one running stale."""
        self._generation += 1

    def wait(self) -> None:
        """Wait for the filter running (for tests and closing)."""
        self._pool.waitForDone(-1)

    def _on_done(self, generation: int, result: object, done: Callable[[object], None]) -> None:
        self._signals.pop(generation, None)
        if generation == self._generation and not isinstance(result, Exception):
            done(result)
