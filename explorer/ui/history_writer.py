"""Writing finished exchanges into the history off the UI thread, in the order they finished.

``HistoryStore.add`` writes the entry file, the body file (a 10 MB download is 10 MB written
and fsynced) and an index line. Done on the UI thread that would freeze the window for as
long as the disk takes, so the window hands each exchange to a ``HistoryWriter``: one
background thread that runs the adds strictly one after another (the index stays in the
order the user sent), scrubbing secret variable values first (a JSON round trip of the
whole exchange, also too slow for the UI thread with a big body).

Sharing the store between threads: only the writer thread calls ``add``; the UI thread calls
``flush()`` before anything else that changes the store (delete, clear, a new limit), so two
writers never overlap. The UI thread may read while an add runs: the store writes an entry's
files before its index line and publishes the entry last, so a reader sees either the old
state or the whole new entry.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.store.history import HistoryEntry, HistoryStore

SECRET_PLACEHOLDER = "<secret>"
# Shorter values are left alone: replacing every "1" would garble the exchange.
MIN_SECRET_LENGTH = 3


def scrub_secrets(exchange: Exchange, secrets: Iterable[str]) -> Exchange:
    """A copy of ``exchange`` with each secret value replaced by ``<secret>``.

    Secret values come from a collection environment (resolved into the request before it was
    sent); the history must keep the request as sent, but never a secret.
    """
    values = sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)
    if not values:
        return exchange
    text = json.dumps(exchange.to_dict())
    for secret in values:
        # The raw value and its JSON-escaped form (a quote or backslash inside the secret).
        for form in {secret, json.dumps(secret)[1:-1]}:
            text = text.replace(form, SECRET_PLACEHOLDER)
    return Exchange.from_dict(json.loads(text))


class _WriterSignals(QObject):
    """Lives on the UI thread for the writer's whole life; jobs emit through it (queued)."""

    ready = Signal()


class _AddJob(QRunnable):
    def __init__(self, writer: HistoryWriter, ticket: int, exchange: Exchange, secrets: list[str]):
        super().__init__()
        self.setAutoDelete(True)
        self._writer = writer
        self._ticket = ticket
        self._exchange = exchange
        self._secrets = secrets

    def run(self) -> None:
        result: HistoryEntry | Exception
        try:
            result = self._writer.store.add(scrub_secrets(self._exchange, self._secrets))
        except (ExplorerError, OSError, ValueError, TypeError) as exc:
            result = exc
        self._writer._done(self._ticket, result)


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
        self._signals = _WriterSignals(self)
        self._signals.ready.connect(self._deliver)
        self._lock = threading.Lock()
        self._results: dict[int, HistoryEntry | Exception] = {}
        self._next_ticket = 0
        self._next_delivery = 0

    @property
    def pending(self) -> int:
        """Adds not yet delivered through ``written``."""
        return self._next_ticket - self._next_delivery

    def add(self, exchange: Exchange, secrets: Iterable[str] = ()) -> None:
        """Queue ``exchange`` (scrubbed of ``secrets``) for the history; returns at once."""
        ticket = self._next_ticket
        self._next_ticket += 1
        self._pool.start(_AddJob(self, ticket, exchange, list(secrets)))

    def flush(self) -> None:
        """Wait for every queued add and deliver its ``written`` now (before a delete, a
        clear, closing the window, or a test's assertion)."""
        self._pool.waitForDone(-1)
        self._deliver()

    def _done(self, ticket: int, result: HistoryEntry | Exception) -> None:
        """Called on the writer thread."""
        with self._lock:
            self._results[ticket] = result
        self._signals.ready.emit()

    def _deliver(self) -> None:
        while True:
            with self._lock:
                result = self._results.pop(self._next_delivery, None)
            if result is None:
                return
            self._next_delivery += 1
            if isinstance(result, Exception):
                self.written.emit(None, result)
            else:
                self.written.emit(result, None)
