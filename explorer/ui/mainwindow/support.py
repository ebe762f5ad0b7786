"""The window's support tools, built and wired in one place: a request's trace (and, as
they come, a request run across many accounts, the pages of a list, the account's context).

Each lives in its feature folder (``ui/trace``); this module only builds them over the
window's parts and connects them, so ``MainWindow`` stays glue. The editor and the response
view are always reached through the window when used, never kept: they are "the current
ones".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from explorer.ui.trace.control import TraceControl

if TYPE_CHECKING:
    from explorer.ui.mainwindow.window import MainWindow

TRACE_KEYS = "Ctrl+Shift+L"


class SupportTools:
    """The request trace of one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.traces = TraceControl(window.client, profiles=window.profile_selector, window=window)
        self.trace_action = self._action(
            "Open the &trace of a request id…",
            self.traces.open_for_id,
            TRACE_KEYS,
            "What StackOne did with a request (paste its x-request-id): each provider call",
        )
        self._connect()

    def _action(self, text: str, slot: Any, keys: str, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def actions(self) -> list[QAction]:
        """For the Request menu."""
        return [self.trace_action]

    def _connect(self) -> None:
        window = self.window
        self.traces.message.connect(window.statusBar().showMessage)
        window.response_view.trace_requested.connect(self.traces.open_for_exchange)

    def shutdown(self) -> None:
        """Stop every fetch and wait for its thread (on window close)."""
        self.traces.shutdown()
