"""What the window's batch controls share: a collection run, a run across accounts, a walk of
all pages.

Each starts its batch on a pool thread of its own (one batch of its kind at a time, beside a
single Send), with the selected profile's key, after the production guard's word, and puts
the exchanges into the history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict, Unpack

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from explorer.core.client import CancelToken, RpcClient
from explorer.ui.jobs import BlockingCall

if TYPE_CHECKING:
    from explorer.ui.guard.gate import SendGate
    from explorer.ui.history.pane import HistoryPane
    from explorer.ui.profiles.selector import ProfileSelector

    # For type checking only (``**parts: Unpack[Parts]``): a TypedDict class costs ~0.1 ms to
    # make, and the window imports this module before its first paint.
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
        self._keyring = BlockingCall(self)  # the key of the batch about to start

    @property
    def reading_key(self) -> bool:
        """The profile's key is being read from the OS keyring (nothing started yet)."""
        return self._keyring.busy

    def _reading(self, profile: str, then: Callable[[str | None], object]) -> bool:
        """Read ``profile``'s key off the UI thread, then ``then(key)`` (``None``: there is
        none, the banner says why). While the keyring is read the status bar says so, and
        ``cancel_reading`` abandons it. True when ``then`` is still to come or returned
        true."""
        result: list[object] = []

        def arrived(key: str | None) -> None:
            self.message.emit("", 0)
            result.append(then(key))

        if self._profiles.read_key(profile, self._keyring, arrived):
            self.message.emit(
                f"Reading the API key of profile '{profile}' from the OS keyring…",
                0,
            )
            return True
        return bool(result and result[0])

    def cancel_reading(self) -> bool:
        """Forget a key read in progress (nothing starts); False if there was none."""
        if not self._keyring.cancel():
            return False
        self.message.emit("Cancelled: nothing was sent.", 3000)
        return True

    def shutdown(self) -> None:
        """Cancel the batch in progress and wait for its thread (on window close); a key read
        still waiting on the keyring is abandoned (its daemon thread holds nothing up)."""
        self._keyring.cancel()
        if self._token is not None:
            self._token.cancel()
        self.pool.waitForDone(3000)
