"""Where comparisons start, and pinned baselines.

Two history entries (the older on the left: "what changed since it worked"), an entry or the
response on screen against the baseline pinned for its action and account, or any two
exchanges (``compare``: the rows of a run across accounts). Pinning keeps an exchange as the
history holds it (secrets already hidden); replacing a baseline asks first, No by default.
Every read and write of an exchange happens on a pool thread: a baseline may hold 10 MB.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from explorer.core.errors import ExplorerError
from explorer.store.history import HistoryEntry, HistoryStore
from explorer.store.history_entry import HistoryRow
from explorer.ui.confirm import confirm_destructive
from explorer.ui.history.cells import short_time
from explorer.ui.jobs import RenderJob
from explorer.ui.widgets.opened import show_kept

if TYPE_CHECKING:
    from pathlib import Path

    from explorer.core.exchange import Exchange
    from explorer.store.baselines import BaselineStore
    from explorer.ui.compare.window import CompareWindow, Source

# An entry as the history's list holds it (a row) or as read from its file: the same fields.
Entry = HistoryEntry | HistoryRow
NO_STORE = "Baselines need a data folder that can be written (this session is read-only)."


def exchange_label(started_at: str, status: int | None) -> str:
    """``14:03:27 · 200`` for a side of a comparison."""
    return f"{short_time(started_at)} · {status if status is not None else 'no response'}"


class CompareControl(QObject):
    """Opens comparison windows and pins baselines.

    Signals:
        message(str): what happened, for the status bar.
        pinned(str, str): a baseline was pinned for (action, account id).
    """

    message = Signal(str)
    pinned = Signal(str, str)

    def __init__(
        self,
        history: HistoryStore,
        baselines: BaselineStore | None,
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._history = history
        self._baselines = baselines
        self._window = window
        self._jobs: dict[int, QObject] = {}  # job number -> its signals, until done
        self._count = 0
        self.windows: list[CompareWindow] = []  # open ones (tests, closing)

    @property
    def baselines(self) -> BaselineStore | None:
        return self._baselines

    # -- comparing ---------------------------------------------------------------------------
    def compare(
        self, left: Exchange, right: Exchange, labels: tuple[str, str] | None = None
    ) -> CompareWindow:
        """Compare two exchanges in memory (the rows of a run across accounts, say: each side
        is then named by its account)."""
        names = labels or (_side_label(left, left, right), _side_label(right, left, right))
        actions = (left.request.action, right.request.action)
        return self._open(lambda: left, lambda: right, names, actions, _account(left, right))

    def compare_entries(self, entries: Sequence[Entry]) -> CompareWindow | None:
        """Two history entries, the older on the left (of two actions: see ``CompareWindow``)."""
        if len(entries) != 2:
            self.message.emit("Select two history entries to compare (Ctrl+click the second)")
            return None
        older, newer = sorted(entries, key=lambda e: e.started_at)
        account = older.account_id if older.account_id == newer.account_id else ""
        return self._open(
            self._reader(older.id),
            self._reader(newer.id),
            (
                exchange_label(older.started_at, older.status),
                exchange_label(newer.started_at, newer.status),
            ),
            (older.action, newer.action),
            account,
        )

    def compare_with_baseline(
        self, action: str, account_id: str, right: Source, right_label: str
    ) -> CompareWindow | None:
        """The baseline of ``action`` on ``account_id`` (left) against ``right``."""
        store = self._baselines
        if store is None:
            self.message.emit(NO_STORE)
            return None
        if not store.exists(action, account_id):
            self.message.emit(
                f"No baseline is pinned for {action} on {account_id}: pin a good response "
                "first (⋯ → Pin as baseline)"
            )
            return None

        def baseline() -> Exchange:
            found = store.get(action, account_id)
            if found is None:
                raise ExplorerError(store.load_error or "The baseline was unpinned meanwhile.")
            return found.exchange

        return self._open(baseline, right, ("Baseline", right_label), (action, action), account_id)

    def entry_against_baseline(self, entry: Entry) -> CompareWindow | None:
        label = exchange_label(entry.started_at, entry.status)
        return self.compare_with_baseline(
            entry.action, entry.account_id, self._reader(entry.id), label
        )

    def exchange_against_baseline(self, exchange: Exchange) -> CompareWindow | None:
        label = exchange_label(exchange.started_at, _status(exchange))
        request = exchange.request
        return self.compare_with_baseline(
            request.action, request.account_id, lambda: exchange, label
        )

    def _reader(self, entry_id: str) -> Source:
        history = self._history
        return lambda: history.load_saved(entry_id)  # the helper process reads the body

    def _open(
        self,
        left: Source,
        right: Source,
        labels: tuple[str, str],
        actions: tuple[str, str],
        account: str,
    ) -> CompareWindow:
        # The window (and the diff under it) is imported when first opened: not at start-up.
        from explorer.ui.compare.window import CompareWindow

        window = CompareWindow(
            left,
            right,
            labels=labels,
            action=actions[0],
            right_action=actions[1],
            account_id=account,
            rules=self._baselines,
            parent=self._window,
        )
        window.message.connect(self.message)
        show_kept(window, self.windows).start()
        return window

    def close_all(self) -> None:
        for window in list(self.windows):
            window.close()

    # -- pinning -----------------------------------------------------------------------------
    def pin_entry(self, entry: Entry) -> bool:
        """Pin a history entry as the baseline of its action and account (asks before
        replacing one). Returns whether the pin was started."""
        store = self._baselines
        if store is None:
            self.message.emit(NO_STORE)
            return False
        if entry.status is None:
            self.message.emit("Only a response can be a baseline: this request got none")
            return False
        where = f"{entry.action} on {entry.account_id}"
        if store.exists(entry.action, entry.account_id) and not confirm_destructive(
            self._window,
            "Replace the baseline",
            f"A baseline is already pinned for {where}. Replace it with this response?",
        ):
            return False
        history = self._history

        def pin() -> tuple[str, str]:
            baseline = store.pin(history.load(entry.id))
            return baseline.action, baseline.account_id

        self._run(pin, lambda done: self._on_pinned(*done), f"Pinning the baseline of {where}…")
        return True

    def pin_exchange(self, exchange: Exchange) -> bool:
        """Pin the exchange on screen, as the history keeps it (its secrets hidden). The
        caller flushes the history first (the newest exchange may still be being written)."""
        if exchange.id in self._history:
            return self.pin_entry(HistoryEntry.from_exchange(exchange))
        self.message.emit(
            "Only an exchange kept in the history can be pinned (its secrets hidden there); "
            "the history is off (Preferences) or this one was trimmed"
        )
        return False

    def unpin(self, action: str, account_id: str) -> bool:
        store = self._baselines
        if store is None or not store.exists(action, account_id):
            self.message.emit(f"No baseline is pinned for {action} on {account_id}")
            return False
        if not confirm_destructive(
            self._window, "Unpin the baseline", f"Unpin the baseline of {action} on {account_id}?"
        ):
            return False
        store.unpin(action, account_id)
        self.message.emit(f"Unpinned the baseline of {action} on {account_id}")
        return True

    def export_baseline(self, action: str, account_id: str, collection_root: Path) -> bool:
        """Write the baseline into a collection folder to share it, scrubbed by the case rules
        (personal data replaced by placeholders; secrets were never in it)."""
        store = self._baselines
        if store is None or not store.exists(action, account_id):
            self.message.emit(f"No baseline is pinned for {action} on {account_id}")
            return False
        target = store.shared_path(action, account_id, collection_root)
        if target.exists() and not confirm_destructive(
            self._window,
            "Replace the shared baseline",
            f"{target} exists. Replace it with the baseline pinned here?",
        ):
            return False

        def clean(exchange: Exchange) -> Exchange:
            from explorer.core.case import clean_exchange
            from explorer.core.secrets import PersonalData

            return clean_exchange(exchange, (), PersonalData().plan([exchange]))

        def export() -> Path:
            return store.export(action, account_id, collection_root, clean=clean)

        self._run(
            export,
            lambda path: self.message.emit(f"Shared the baseline (personal data scrubbed): {path}"),
            f"Sharing the baseline of {action} on {account_id}…",
        )
        return True

    def _on_pinned(self, action: str, account_id: str) -> None:
        self.message.emit(f"Pinned as the baseline of {action} on {account_id}")
        self.pinned.emit(action, account_id)

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], note: str) -> None:
        self._count += 1
        number = self._count
        job = RenderJob(number, work)

        def finished(_number: int, result: object) -> None:
            self._jobs.pop(number, None)
            if isinstance(result, Exception):
                self.message.emit(f"Could not do it: {result}")
            else:
                done(result)

        job.signals.done.connect(finished)
        self._jobs[number] = job.signals
        self.message.emit(note)
        QThreadPool.globalInstance().start(job)

    def wait(self) -> None:
        """Wait for pins and exports being written (tests)."""
        QThreadPool.globalInstance().waitForDone(-1)


def _status(exchange: Exchange) -> int | None:
    return exchange.response.status if exchange.response is not None else None


def _side_label(exchange: Exchange, left: Exchange, right: Exchange) -> str:
    if left.request.account_id != right.request.account_id:
        status = _status(exchange)
        return f"{exchange.request.account_id} · {status if status is not None else 'no response'}"
    return exchange_label(exchange.started_at, _status(exchange))


def _account(left: Exchange, right: Exchange) -> str:
    a, b = left.request.account_id, right.request.account_id
    return a if a == b else f"{a} and {b}"
