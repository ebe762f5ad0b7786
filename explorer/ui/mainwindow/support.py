"""The window's support tools, built and wired in one place: a request's trace, a request
run across many accounts, the pages of a list, and the account's context.

Each lives in its feature folder (``ui/trace``, ``ui/accounts``, ``ui/response``); this
module only builds them over the window's parts and connects them, so ``MainWindow`` stays
glue. The editor and the response view are always reached through the window when used,
never kept: they are "the current ones" (the current request tab's). Each tab's response
view and account field get their part through ``attach_tab``.

The trace, account-run and pages controls (and their windows' modules, ~30 ms to import) are
built on first use, or once the window is on screen (``build_later``): their menu entries and
shortcuts exist from the start, so nothing the user sees changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from explorer.ui.accounts.context import AccountContext, describe_account

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.core.trace import Trace
    from explorer.ui.accounts.control import AccountRunControl
    from explorer.ui.mainwindow.deferred import AfterFirstPaint
    from explorer.ui.mainwindow.window import MainWindow
    from explorer.ui.request.editor import RequestEditor
    from explorer.ui.response.all_pages import PageWalkControl
    from explorer.ui.response.view import ResponseView
    from explorer.ui.tabs.tab import RequestTab
    from explorer.ui.trace.control import TraceControl

TRACE_KEYS = "Ctrl+Shift+L"
ACCOUNTS_KEYS = "Ctrl+Shift+R"


# The three tools' modules (~30-50 ms of module code), imported before the UI thread builds
# them: what does not touch PySide on a pool thread (``AfterFirstPaint.add_imports``).
TOOL_MODULES = (
    "explorer.ui.trace.control",
    "explorer.ui.accounts.control",
    "explorer.ui.response.all_pages",
)


class SupportTools:
    """The trace, runs across accounts, all pages and the account context of one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._contexts: dict[RequestEditor, AccountContext] = {}
        self.trace_action = self._action(
            "Open the &trace of a request id…",
            lambda: self.traces.open_for_id(),
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

    # -- built on first use --------------------------------------------------------------------
    @cached_property
    def traces(self) -> TraceControl:
        from explorer.ui.trace.control import TraceControl

        window = self.window
        traces = TraceControl(window.client, profiles=window.profile_selector, window=window)
        traces.message.connect(window.statusBar().showMessage)
        return traces

    @cached_property
    def account_runs(self) -> AccountRunControl:
        from explorer.ui.accounts.control import AccountRunControl

        window = self.window
        collections = window.collections_pane
        runs = AccountRunControl(
            window.client,
            profiles=window.profile_selector,
            history_pane=window.history_pane,
            guard=window.guard,
            window=window,
            resolve=collections.environment.resolve_for_sending if collections else None,
        )
        runs.message.connect(window.statusBar().showMessage)
        runs.open_requested.connect(self.show_exchange)
        # The one compare hook: two rows in the JSON-aware compare window.
        runs.compare_requested.connect(lambda a, b: window.compare(a, b))
        return runs

    @cached_property
    def pages(self) -> PageWalkControl:
        from explorer.ui.response.all_pages import PageWalkControl

        window = self.window
        pages = PageWalkControl(
            window.client,
            profiles=window.profile_selector,
            sender=window.send_control,
            history_pane=window.history_pane,
            guard=window.guard,
            window=window,
        )
        pages.message.connect(window.statusBar().showMessage)
        return pages

    def fetched_trace(self, request_id: str) -> Trace | None:
        """The trace fetched this session for ``request_id`` (for a shared case), if any; the
        trace tool is not built to answer."""
        traces: TraceControl | None = self.__dict__.get("traces")
        return traces.traces.get(request_id) if traces is not None else None

    def build_later(self, queue: AfterFirstPaint) -> None:
        """Build each part once the window is on screen, one per event-loop turn, their
        modules imported first (their plain part on a pool thread)."""
        queue.add_imports(*TOOL_MODULES)
        queue.add(lambda: self.traces)
        queue.add(lambda: self.account_runs)
        queue.add(lambda: self.pages)

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
        for tab in window.tabs.built:  # a restored tab built later comes by ``added``
            self.attach_tab(tab)
        window.tabs.added.connect(self.attach_tab)
        # Newly listed accounts describe the exchanges on screen better (the marks learn first).
        window.discovery.accounts_loaded.connect(lambda _accounts: self._describe_again())

    @property
    def account_context(self) -> AccountContext:
        """The current tab's account context line."""
        return self._contexts[self.window.editor]

    def attach_tab(self, tab: RequestTab) -> None:
        """A request tab's part of the tools: its response view's, its account context."""
        self.attach_response_view(tab.response_view)
        editor = tab.editor
        window = self.window
        self._contexts[editor] = AccountContext(editor, window.marks, window.guard, tab)
        editor.destroyed.connect(lambda _obj=None: self._contexts.pop(editor, None))

    def _describe_again(self) -> None:
        for tab in self.window.tabs.built:
            tab.response_view.set_account_lookup(self.describe_account)

    def attach_response_view(self, view: ResponseView) -> None:
        """Give a response view its Trace button, pages and account line (once per view)."""
        view.trace_requested.connect(lambda exchange: self.traces.open_for_exchange(exchange))
        view.next_page_requested.connect(self.window.send_control.send_following)
        view.all_pages_requested.connect(lambda request: self.pages.walk(request))
        view.set_account_lookup(self.describe_account)
        view.set_schema_lookup(self.schema_for)

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
            from explorer.core.agent import envelope_schema  # an account's tools: when listed

            return envelope_schema(tool.input_schema)
        return None

    def shutdown(self) -> None:
        """Stop every fetch and run and wait for their threads (on window close); a part never
        built has none."""
        for name in ("traces", "account_runs", "pages"):
            part = self.__dict__.get(name)
            if part is not None:
                part.shutdown()
