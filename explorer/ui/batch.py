"""What the window's batch controls share: a collection run, a run across accounts, a walk of
all pages.

Each starts its batch on a pool thread of its own (one batch of its kind at a time, beside a
single Send), with the selected profile's key, after the production guard's word, and puts
the exchanges into the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, Unpack

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from explorer.core.client import CancelToken, RpcClient

if TYPE_CHECKING:
    from explorer.ui.guard.gate import SendGate
    from explorer.ui.history.pane import HistoryPane
    from explorer.ui.profiles.selector import ProfileSelector


class Parts(TypedDict):
    """What every batch control is built with besides the client (keywords)."""

    profiles: ProfileSelector
    history_pane: HistoryPane
    guard: SendGate
    window: QWidget


class BatchControl(QObject):
    """Holds what a batch control works with, and the one-thread pool its batch runs on.

    Signals:
        message(str, int): a status-bar note and how many milliseconds it shows.
    """

    message = Signal(str, int)

    def __init__(self, client: RpcClient, **parts: Unpack[Parts]) -> None:
        super().__init__(parts["window"])
        self._client = client
        self._profiles = parts["profiles"]
        self._history_pane = parts["history_pane"]
        self._guard = parts["guard"]
        self._window = parts["window"]
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one batch at a time; its own workers may fan out
        self._token: CancelToken | None = None  # the batch in progress, if it has one here

    def shutdown(self) -> None:
        """Cancel the batch in progress and wait for its thread (on window close)."""
        if self._token is not None:
            self._token.cancel()
        self.pool.waitForDone(3000)
