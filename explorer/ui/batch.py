"""What the window's batch controls share: a collection run, a run across accounts, a walk of
all pages.

Each starts its batch on a pool thread of its own (one batch of its kind at a time, beside a
single Send), with the selected profile's key, after the production guard's word, and puts
the exchanges into the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from explorer.core.client import RpcClient

if TYPE_CHECKING:
    from explorer.ui.guard.gate import SendGate
    from explorer.ui.history.pane import HistoryPane
    from explorer.ui.profiles.selector import ProfileSelector


class BatchControl(QObject):
    """Holds what a batch control works with, and the one-thread pool its batch runs on.

    Signals:
        message(str, int): a status-bar note and how many milliseconds it shows.
    """

    message = Signal(str, int)

    def __init__(
        self,
        client: RpcClient,
        *,
        profiles: ProfileSelector,
        history_pane: HistoryPane,
        guard: SendGate,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._client = client
        self._profiles = profiles
        self._history_pane = history_pane
        self._guard = guard
        self._window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one batch at a time; its own workers may fan out
