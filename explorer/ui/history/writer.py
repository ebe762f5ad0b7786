"""Writing the history off the UI thread: new exchanges in the order they finished, and exports.

``HistoryStore.add`` writes the entry file, the body file (a 10 MB download is 10 MB written
and fsynced) and an index line. Done on the UI thread that would freeze the window for as
long as the disk takes, so the window hands each exchange to a ``HistoryWriter``: one
background thread that runs the adds strictly one after another (the index stays in the
order the user sent), hiding secret variable values first (``core.secrets``: a JSON round trip
of the whole exchange, also too slow for the UI thread with a big body). Exports ("Save history…",
which read every body back and write one JSON or HAR file) run on the same thread, after the
adds queued before them, so an export holds everything sent until then.

Sharing the store between threads: only the writer thread calls ``add``; the UI thread calls
``flush()`` before anything else that changes the store (delete, clear, a new limit), so two
writers never overlap. The UI thread may read while an add runs: the store guards its list
with a lock and writes an entry's files before its index line, publishing the entry last, so
a reader sees either the old state or the whole new entry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.core.errors import ExplorerError
from explorer.core.secrets import redact_exchange
from explorer.store.history import HistoryStore

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange


class _WriterSignals(QObject):
    """Lives on the UI thread for the writer's whole life; jobs emit through it (queued).

    Signals:
        ready(): a job finished; the writer then delivers finished results in ticket order.
    """

    ready = Signal()


class _Job(QRunnable):
    """Runs one piece of the writer's work and hands its result (or error) back."""

    def __init__(self, writer: HistoryWriter, ticket: int, work: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._writer = writer
        self._ticket = ticket
        self._work = work

    def run(self) -> None:
        outcome: tuple[Any, Exception | None]
        try:
            outcome = (self._work(), None)
        except (ExplorerError, OSError, ValueError, TypeError) as exc:
            outcome = (None, exc)
        self._writer._done(self._ticket, outcome)


class HistoryWriter(QObject):
    """Adds exchanges to a ``HistoryStore`` on one background thread, oldest first.

    Signals:
        written(object, object): the ``HistoryEntry`` (or ``None``) and the error (or ``None``)
            of one add, on the UI thread, in the order ``add`` was called.
    """

    written = Signal(object, object)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        # One thread: adds run in submission order, so the index keeps the send order.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _WriterSignals()  # no parent, so no thread emits into a deleted one
        self._signals.ready.connect(self._deliver)
        self._lock = threading.Lock()
        self._results: dict[int, tuple[Any, Exception | None]] = {}
        self._callbacks: dict[int, Callable[[Any, Exception | None], None]] = {}
        self._next_ticket = 0
        self._next_delivery = 0

    @property
    def pending(self) -> int:
        """Adds not yet delivered through ``written``."""
        return self._next_ticket - self._next_delivery

    def add(self, exchange: Exchange, secrets: Iterable[str] = ()) -> None:
        """Queue ``exchange`` (``secrets`` hidden) for the history; returns at once."""
        values = list(secrets)
        self.run(
            lambda: self.store.add(redact_exchange(exchange, values)),
            lambda entry, error: self.written.emit(entry, error),
        )

    def add_many(
        self,
        exchanges: Sequence[Exchange],
        secrets: Iterable[str],
        done: Callable[[Any, Exception | None], None],
    ) -> None:
        """Queue several exchanges (oldest first, ``secrets`` hidden) for one transaction;
        ``done(entries, error)`` follows on the UI thread (not ``written``)."""
        values, items = list(secrets), list(exchanges)
        self.run(
            lambda: self.store.add_many([redact_exchange(item, values) for item in items]),
            done,
        )

    def run(self, work: Callable[[], Any], done: Callable[[Any, Exception | None], None]) -> None:
        """Queue ``work`` after everything queued before; ``done(result, error)`` follows on
        the UI thread. ``work`` may read the store but must not change it except by
        ``add`` or ``set_note`` (the store is not shared with another writer)."""
        ticket = self._next_ticket
        self._next_ticket += 1
        self._callbacks[ticket] = done
        self._pool.start(_Job(self, ticket, work))

    def flush(self) -> None:
        """Wait for every queued add and deliver its ``written`` now (before a delete, a
        clear, closing the window, or a test's assertion)."""
        self._pool.waitForDone(-1)
        self._deliver()

    def _done(self, ticket: int, outcome: tuple[Any, Exception | None]) -> None:
        """Called on the writer thread."""
        with self._lock:
            self._results[ticket] = outcome
        self._signals.ready.emit()

    def _deliver(self) -> None:
        while True:
            with self._lock:
                outcome = self._results.pop(self._next_delivery, None)
            if outcome is None:
                return
            done = self._callbacks.pop(self._next_delivery)
            self._next_delivery += 1
            done(*outcome)
