"""Reading the history off the UI thread: one entry's exchange, or a lazy store's rows.

An entry with a 10 MB body takes a few hundred milliseconds to read and parse; the rows of
100,000 entries ~0.2 s. The history pane starts these jobs on its own pool and gets the result
back by a queued signal (``HistoryWriter`` does the same for writing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Signal

from explorer.core.errors import ExplorerError

if TYPE_CHECKING:
    from explorer.store.history import HistoryRow, HistoryStore


class ReadSignals(QObject):
    """Carries a background read back to the UI thread (queued).

    Signals:
        loaded(int, object, object): the selection generation, the ``Exchange`` (or None) and
            the error (or None).
        rows_read(int, object): a lazy store's rows are in memory (``HistoryStore.load_rows``):
            the store's version of them, and the result of ``prepare`` on them.
    """

    loaded = Signal(int, object, object)
    rows_read = Signal(int, object)


class ExchangeJob(QRunnable):
    """Reads one entry's full exchange (maybe megabytes of body) off the UI thread."""

    def __init__(
        self, store: HistoryStore, entry_id: str, generation: int, signals: ReadSignals
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._store = store
        self._entry_id = entry_id
        self._generation = generation
        self._signals = signals

    def run(self) -> None:
        try:
            exchange = self._store.load(self._entry_id)
        except (ExplorerError, OSError, ValueError) as exc:
            self._signals.loaded.emit(self._generation, None, exc)
            return
        self._signals.loaded.emit(self._generation, exchange, None)


class RowsJob(QRunnable):
    """Reads a lazy store's rows into memory (errors end up in ``load_error``) and prepares
    them for the list (``prepare``: sorting 100,000 rows is better done here)."""

    def __init__(
        self,
        store: HistoryStore,
        prepare: Callable[[list[HistoryRow]], object],
        signals: ReadSignals,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._store = store
        self._prepare = prepare
        self._signals = signals

    def run(self) -> None:
        version, rows = self._store.snapshot()  # reads them first
        self._signals.rows_read.emit(version, self._prepare(rows))
