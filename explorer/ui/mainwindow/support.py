"""The window's support tools, built and wired in one place: a request's trace, a request
run across many accounts, the pages of a list, and the account's context.

Each lives in its feature folder (``ui/trace``, ``ui/accounts``, ``ui/response``); this
module only builds them over the window's parts and connects them, so ``MainWindow`` stays
glue. The editor and the response view are always reached through the window when used,
never kept: they are "the current ones".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from explorer.core.agent import envelope_schema
from explorer.core.exchange import Exchange
from explorer.ui.accounts.context import AccountContext, describe_account
from explorer.ui.accounts.control import AccountRunControl
from explorer.ui.response.all_pages import PageWalkControl
from explorer.ui.trace.control import TraceControl

if TYPE_CHECKING:
    from explorer.ui.mainwindow.window import MainWindow
    from explorer.ui.response.view import ResponseView

TRACE_KEYS = "Ctrl+Shift+L"
ACCOUNTS_KEYS = "Ctrl+Shift+R"


class SupportTools:
    """The trace, runs across accounts, all pages and the account context of one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        client = window.client
        collections = window.collections_pane
        self.traces = TraceControl(client, profiles=window.profile_selector, window=window)
        self.account_runs = AccountRunControl(
            client,
            profiles=window.profile_selector,
            history_pane=window.history_pane,
            guard=window.guard,
            window=window,
            resolve=collections.environment.resolve_for_sending if collections else None,
        )
        self.pages = PageWalkControl(
            client,
            profiles=window.profile_selector,
            sender=window.send_control,
            history_pane=window.history_pane,
            guard=window.guard,
            window=window,
        )
        self.account_context = AccountContext(window.editor, window.marks, window.guard, window)
        self.trace_action = self._action(
            "Open the &trace of a request id…",
            self.traces.open_for_id,
            TRACE_KEYS,
            "What StackOne did with a request (paste its x-request-id): each provider call",
        )
        self.run_accounts_action = self._action(
            "Run across &accounts…",
            lambda: self.account_runs.open_from(window.editor),
            ACCOUNTS_KEYS,
            "Send the editor's request to many linked accounts and compare the answers",
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
        return [self.run_accounts_action, self.trace_action]

    def _connect(self) -> None:
        window = self.window
        status = window.statusBar()
        for source in (self.traces, self.account_runs, self.pages):
            source.message.connect(status.showMessage)
        self.account_runs.open_requested.connect(self.show_exchange)
        # The one compare hook: the plain side by side until the JSON-aware compare lands.
        self.account_runs.compare_requested.connect(self.account_runs.show_side_by_side)
        self.attach_response_view(window.response_view)
        # Newly listed accounts describe the exchange on screen better (the marks learn first).
        window.discovery.accounts_loaded.connect(
            lambda _accounts: window.response_view.set_account_lookup(self.describe_account)
        )

    def attach_response_view(self, view: ResponseView) -> None:
        """Give a response view its Trace button, pages and account line (once per view)."""
        view.trace_requested.connect(self.traces.open_for_exchange)
        view.next_page_requested.connect(self.window.send_control.send_following)
        view.all_pages_requested.connect(self.pages.walk)
        view.set_account_lookup(self.describe_account)
        view.pages.set_schema_lookup(self.schema_for)

    def describe_account(self, account_id: str) -> tuple[str, str] | None:
        return describe_account(self.window.marks, account_id)

    def show_exchange(self, exchange: Exchange) -> None:
        """A run's row in the response view of the window (which comes to the front)."""
        self.window.response_view.show_exchange(exchange)
        self.window.raise_()
        self.window.activateWindow()

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
        """Stop every fetch and run and wait for their threads (on window close)."""
        self.traces.shutdown()
        self.account_runs.shutdown()
        self.pages.shutdown()
