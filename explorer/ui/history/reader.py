"""Reading the history off the UI thread: a big entry (megabytes of body, parsed), or the rows
of a lazy store (100,000 take ~0.2 s).

Only the newest choice counts: selecting another row while one is being read makes the
older read's result stale, and it is dropped when it arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.core.errors import ExplorerError

if TYPE_CHECKING:
    from explorer.store.history import HistoryRow, HistoryStore

# How long the rows' reader waits, between two batches, for the UI thread's turn: a busy
# window slows the read at most this much a batch, and a blocked one never stops it.
_TURN_WAIT_S = 0.05


class _LoadSignals(QObject):
    """Carries a background read back to the UI thread (queued).

    Signals:
        loaded(int, object, object): the selection generation, the ``Exchange`` (or None) and
            the error (or None).
    """

    loaded = Signal(int, object, object)


class _LoadJob(QRunnable):
    """Reads one entry's full exchange (maybe megabytes of body) off the UI thread."""

    def __init__(
        self, store: HistoryStore, entry_id: str, generation: int, signals: _LoadSignals
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


class EntryReader(QObject):
    """Reads entries' full exchanges on its own threads; the newest request wins.

    Signals:
        loaded(object): the ``Exchange`` of the entry asked for last.
        failed(object): the error that entry could not be read with.
    """

    loaded = Signal(object)
    failed = Signal(object)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._signals = _LoadSignals()  # no parent, so no thread emits into a deleted one
        self._signals.loaded.connect(self._on_loaded)
        self._generation = 0  # the newest request; older loads are dropped

    def read(self, entry: HistoryRow) -> None:
        """Read ``entry`` on a pool thread: ``loaded`` (or ``failed``) follows unless another
        read (or ``forget``) comes first."""
        self.forget()
        self._pool.start(_LoadJob(self._store, entry.id, self._generation, self._signals))

    def forget(self) -> None:
        """Whatever is being read is no longer wanted."""
        self._generation += 1

    def stop(self) -> None:
        """Read nothing more (the window is closing): queued reads are dropped, and the
        result of the one running is too."""
        self.forget()
        self._pool.clear()

    def wait(self) -> None:
        """Wait for entries being read (for tests and closing)."""
        self._pool.waitForDone(-1)

    def _on_loaded(self, generation: int, exchange: object, error: object) -> None:
        if generation != self._generation:
            return  # another entry was asked for since: this one is stale
        if isinstance(error, Exception):
            self.failed.emit(error)
        else:
            self.loaded.emit(exchange)


class _RowsSignals(QObject):
    """Signals:
    read(int, object): the store's version of its rows, and ``prepare``'s result on them.
    turn(object): a ``threading.Event`` for the UI thread to set when its event loop gets
        there (queued behind what it had to do: a paint, a key).
    """

    read = Signal(int, object)
    turn = Signal(object)


class _RowsJob(QRunnable):
    def __init__(
        self,
        store: HistoryStore,
        prepare: Callable[[list[HistoryRow]], object],
        signals: _RowsSignals,
        no_turns: threading.Event,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._store, self._prepare, self._signals = store, prepare, signals
        self._no_turns = no_turns

    def run(self) -> None:
        self._store.load_rows(between=self._ui_turn)  # errors: ``load_error``
        version, rows = self._store.snapshot()
        self._signals.read.emit(version, self._prepare(rows))

    def _ui_turn(self) -> None:
        """Between two batches of rows, wait until the UI thread's event loop has come round
        (at most ``_TURN_WAIT_S``): what it had queued (a paint: ~1,000 Python calls) then
        runs without racing this thread for the interpreter. Not while the UI thread waits
        for this read (``RowsReader.wait``) or the window closes."""
        if self._no_turns.is_set():
            return
        turn = threading.Event()
        self._signals.turn.emit(turn)
        turn.wait(_TURN_WAIT_S)


class RowsReader(QObject):
    """Reads a lazy store's rows into memory on its own thread, and prepares them for the
    list there too (sorting 100,000 rows is better done off the UI thread).

    Signals:
        read(int, object): the store's version of the rows (``HistoryStore.snapshot``) and
            ``prepare``'s result on them.
    """

    read = Signal(int, object)

    def __init__(
        self,
        store: HistoryStore,
        prepare: Callable[[list[HistoryRow]], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._prepare = store, prepare
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _RowsSignals()  # no parent, so no thread emits into a deleted one
        self._signals.read.connect(self.read)
        self._signals.turn.connect(self._take_turn)
        self._no_turns = threading.Event()

    def start(self) -> None:
        self._pool.start(_RowsJob(self._store, self._prepare, self._signals, self._no_turns))

    def stop(self) -> None:
        """Start no read that has not started yet, and let the one running finish without
        waiting for the window's turns (it is closing)."""
        self._no_turns.set()
        self._pool.clear()

    def wait(self) -> None:
        """Wait for the rows (for tests and closing): the UI thread, blocked here, takes no
        turns meanwhile, so the read does not wait for them."""
        stopped = self._no_turns.is_set()
        self._no_turns.set()
        try:
            self._pool.waitForDone(-1)
        finally:
            if not stopped:
                self._no_turns.clear()

    def _take_turn(self, turn: object) -> None:
        """On the UI thread (a method of this object: queued, where a plain function would
        run on the emitting thread)."""
        if isinstance(turn, threading.Event):
            turn.set()
