"""The window's support tools, built and wired in one place: a request's trace and the
pages of a list (and, as they come, a request run across many accounts, the account's
context).

Each lives in its feature folder (``ui/trace``, ``ui/response``); this module only builds
them over the
window's parts and connects them, so ``MainWindow`` stays glue. The editor and the response
view are always reached through the window when used, never kept: they are "the current
ones".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from explorer.core.agent import envelope_schema
from explorer.ui.response.all_pages import PageWalkControl
from explorer.ui.trace.control import TraceControl

if TYPE_CHECKING:
    from explorer.ui.mainwindow.window import MainWindow

TRACE_KEYS = "Ctrl+Shift+L"


class SupportTools:
    """The request trace and all pages of one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        client = window.client
        self.traces = TraceControl(client, profiles=window.profile_selector, window=window)
        self.pages = PageWalkControl(
            client,
            profiles=window.profile_selector,
            sender=window.send_control,
            history_pane=window.history_pane,
            guard=window.guard,
            window=window,
        )
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
        status = window.statusBar()
        for source in (self.traces, self.pages):
            source.message.connect(status.showMessage)
        view = window.response_view
        view.trace_requested.connect(self.traces.open_for_exchange)
        view.next_page_requested.connect(window.send_control.send_following)
        view.all_pages_requested.connect(self.pages.walk)
        view.pages.set_schema_lookup(self.schema_for)

    def schema_for(self, action: str) -> Mapping[str, Any] | None:
        """The action's envelope input schema: the catalogue's, else the account's MCP tool's."""
        discovery = self.window.discovery
        info = discovery.find_action(action)
        if info is not None and info.input_schema is not None:
            return info.input_schema
        tool = discovery.find_tool(action)
        if tool is not None and tool.input_schema is not None:
            return envelope_schema(tool.input_schema)
        return None

    def shutdown(self) -> None:
        """Stop every fetch and walk and wait for their threads (on window close)."""
        self.traces.shutdown()
        self.pages.shutdown()
