"""The response: a status line, the error explanation, and the exchange in several tabs.

Pretty and Raw are the body's pages (``response.body``: big bodies are formatted off the UI
thread); Filter (JSONPath or jq over the body, ``ui.filter``), Headers, Request (as sent, the
key redacted) and Code (curl, or a script for StackOne's SDKs) follow. Copy and Save body…
always take the exact body. The ⋯ button holds what other features do with the exchange
shown (compare, Defender check, share): the window gives it those actions.

Showing an exchange fills what is on screen first (the status line and the current tab);
the tabs not on screen (Raw, Headers, Request, Code) are filled when one is shown, or on the
same turn of the event loop, after the paint: Send to rendered is timed to that paint.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.limits import DEFAULT_BODY_LIMIT
from explorer.core.units import human_size
from explorer.ui.response.save_body import BodySaver
from explorer.ui.widgets.after_paint import AfterPaint

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.core.response import RpcResponse
    from explorer.store.recent_filters import RecentFilters
    from explorer.ui.response.find_bar import FindTarget
    from explorer.ui.response.pages import SchemaLookup

# Describes an account for the exchange's details: ``(line, tooltip)``, ``None``: unknown.
AccountLookup = Callable[[str], "tuple[str, str] | None"]


def _nothing_known(_account_id: str) -> tuple[str, str] | None:
    return None


# The result page's modules, imported ahead of building it (``AfterFirstPaint.add_imports``:
# what does not touch PySide on a pool thread, the modules themselves on the UI thread).
RESULT_MODULES = (
    "explorer.ui.response.body",
    "explorer.ui.response.code_page",
    "explorer.ui.response.error_panel",
    "explorer.ui.response.find_bar",
    "explorer.ui.response.pages",
    "explorer.ui.response.status_line",
    "explorer.ui.filter.panel",
)


def load_jq() -> None:
    """jq's binding, which the Filter tab loads to offer jq (~5 ms): pure Python, so on a
    pool thread."""
    from explorer.core.filters import jq_available

    jq_available()


class ResponseView(QWidget):
    """Shows one ``Exchange``: status line, error panel, and Pretty/Raw/Filter/Headers/Request/Code.

    Signals:
        cancel_requested(): the in-flight page's Cancel button was pressed.
        retry_requested(): forwarded from the error panel.
        auto_retry_requested(): forwarded from the error panel.
        auto_retry_changed(bool): forwarded from the error panel.
        manage_profiles_requested(): forwarded from the error panel.
        message(str): a short note for the status bar (e.g. "Copied").
        trace_requested(object): the ``Exchange`` shown, whose request id's trace to open.
        next_page_requested(object, object): forwarded from the pages bar.
        all_pages_requested(object): forwarded from the pages bar.
        set_variable_requested(object): "Set variable…" on the body or a filter result: the
            ``PickedValue``.
        result_built(): the result page was built (its controls join the Tab order).
    """

    cancel_requested = Signal()
    retry_requested = Signal()
    auto_retry_requested = Signal()
    auto_retry_changed = Signal(bool)
    manage_profiles_requested = Signal()
    message = Signal(str)
    trace_requested = Signal(object)
    next_page_requested = Signal(object, object)
    all_pages_requested = Signal(object)
    set_variable_requested = Signal(object)
    result_built = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        pool: QThreadPool | None = None,
        recent_filters: RecentFilters | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._dark = False
        self._exchange: Exchange | None = None
        self._live = False  # the exchange shown is the one just sent (``show_exchange``)
        self._saver = BodySaver(self._pool, self)
        self._saver.message.connect(self.message)
        self._body_limit = DEFAULT_BODY_LIMIT
        self._describe_account: AccountLookup = _nothing_known
        # Kept for the result page, built when first needed (``build_result``).
        self._result_page: QWidget | None = None
        self._recent_filters = recent_filters
        self._auto_retry: bool | None = None
        self._schema_lookup: SchemaLookup | None = None
        self._tool_actions: list[QAction] = []
        # The tabs not yet filled for the exchange shown: filled when shown or after the paint.
        self._unfilled: set[QWidget] = set()
        self._after_paint = AfterPaint(self)

        # -- empty and in-flight pages ----------------------------------------------------
        self.empty_label = QLabel("Send a request to see its response")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setEnabled(False)
        self.in_flight_label = QLabel("Sending…")
        self.in_flight_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.in_flight_label.setWordWrap(True)
        cancel = QPushButton("Cancel (Esc)")
        cancel.clicked.connect(self.cancel_requested)
        self.in_flight_cancel = cancel
        self._loading = False  # the page says "Loading…" (no Cancel), not "Sending…"
        in_flight = QWidget()
        flight_layout = QVBoxLayout(in_flight)
        flight_layout.addStretch(1)
        flight_layout.addWidget(self.in_flight_label)
        flight_layout.addWidget(cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        flight_layout.addStretch(1)
        self._in_flight_page = in_flight
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(in_flight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    if not TYPE_CHECKING:  # (mypy checks every attribute as declared)

        def __getattr__(self, name: str) -> object:
            # Reached only for a name not set yet: a part of the result page, built now.
            if name.startswith("_") or self.__dict__.get("_result_page") is not None:
                raise AttributeError(name)
            self.build_result()
            return getattr(self, name)

    @property
    def built(self) -> bool:
        """Whether the result page (status line, error panel, tabs) exists yet."""
        return self._result_page is not None

    def build_result(self) -> None:
        """Build the page that shows an exchange (~10-20 ms: a dozen widgets, six tabs).

        Nothing shows it until a response does: the first exchange shown builds it, as does
        anything that needs one of its parts.
        """
        if self._result_page is not None:
            return
        # Qt classes only the page uses are named here too: PySide makes a class's Python
        # type (with its enum classes) where a module first names it, before the first paint.
        from PySide6.QtWidgets import QTableWidget

        from explorer.ui.filter.panel import FilterPanel
        from explorer.ui.response import value_menu
        from explorer.ui.response.body import BodyPages, plain_edit
        from explorer.ui.response.code_page import CodePage
        from explorer.ui.response.error_panel import ErrorPanel
        from explorer.ui.response.find_bar import FindBar
        from explorer.ui.response.status_line import StatusLine

        # -- status line ----------------------------------------------------------------------
        line = self.status_line = StatusLine(self._pool)
        self.status_label, self.time_label, self.size_label = (
            line.status_label,
            line.time_label,
            line.size_label,
        )
        self.request_id_label, self.account_label = line.request_id_label, line.account_label
        self.copy_id_button, self.trace_button = line.copy_id_button, line.trace_button
        self.save_body_button, self.tools_button = line.save_body_button, line.tools_button
        self.pages = line.pages
        self.copy_id_button.clicked.connect(self.copy_request_id)
        self.trace_button.clicked.connect(
            lambda: self.trace_requested.emit(self._exchange) if self._exchange else None
        )
        self.pages.next_page_requested.connect(self.next_page_requested)
        self.pages.all_pages_requested.connect(self.all_pages_requested)
        self.save_body_button.clicked.connect(self.save_body_as)

        self.error_panel = ErrorPanel()
        self.error_panel.retry_requested.connect(self.retry_requested)
        self.error_panel.auto_retry_requested.connect(self.auto_retry_requested)
        self.error_panel.auto_retry_changed.connect(self.auto_retry_changed)
        self.error_panel.manage_profiles_requested.connect(self.manage_profiles_requested)

        # -- tabs -------------------------------------------------------------------------------
        self.body = BodyPages(self._pool, self)
        self.body.save_requested.connect(self.save_body_as)
        for text_view in (self.body.pretty_rich, self.body.pretty_plain, self.body.raw_view):
            value_menu.install(
                text_view, self.set_variable_requested.emit, self.message.emit, self._pool
            )
        self.headers_table = QTableWidget(0, 2)
        self.headers_table.setHorizontalHeaderLabels(["Header", "Value"])
        self.headers_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.headers_table.verticalHeader().setVisible(False)
        self.headers_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.headers_table.horizontalHeader().setStretchLastSection(True)
        self.headers_table.setTabKeyNavigation(False)  # one Tab stop; the arrows move inside
        self.request_view = plain_edit()
        self.request_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)  # one long line
        self.code_page = CodePage()
        self.code_page.message.connect(self.message)
        self.curl_view = self.code_page.view  # curl until another form is chosen
        self.copy_curl_button = self.code_page.copy_button
        self.filter_panel = FilterPanel(self._recent_filters)
        self.filter_panel.message.connect(self.message)
        self.filter_panel.set_variable_requested.connect(self.set_variable_requested)
        for view, name, description in (
            (self.headers_table, "Response headers", "One header per row: name and value"),
            (
                self.request_view,
                "Request as sent",
                "Method, URL, headers and body; the key redacted",
            ),
        ):
            view.setAccessibleName(name)
            view.setAccessibleDescription(description)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.body.pretty_stack, "Pretty")
        self.tabs.addTab(self.body.raw_stack, "Raw")
        self.tabs.addTab(self.filter_panel, "Filter")
        self.tabs.addTab(self.headers_table, "Headers")
        self.tabs.addTab(self.request_view, "Request")
        self.tabs.addTab(self.code_page, "Code")
        self.find_bar = FindBar()
        self.body.rendered.connect(lambda: self.find_bar.set_target(self._find_target()))
        self.tabs.currentChanged.connect(lambda _i: self._fill(self.tabs.currentWidget()))
        self.tabs.currentChanged.connect(lambda _i: self.find_bar.set_target(self._find_target()))

        result = QWidget()
        result_layout = QVBoxLayout(result)
        result_layout.setContentsMargins(0, 0, 0, 0)
        result_layout.addWidget(line)
        result_layout.addWidget(self.error_panel)
        result_layout.addWidget(self.tabs, 1)
        result_layout.addWidget(self.find_bar)
        self.stack.addWidget(result)
        self._result_page = result
        # What the window set before the page existed.
        self.filter_panel.set_dark(self._dark)
        if self._auto_retry is not None:
            self.error_panel.set_auto_retry(self._auto_retry)
        if self._schema_lookup is not None:
            self.pages.set_schema_lookup(self._schema_lookup)
        self._fill_tools_menu()
        self.result_built.emit()

    def tab_chain(self) -> list[QWidget]:
        """The view's controls in reading order, for Tab: Cancel while sending; then the
        status line's buttons, the error panel, the tabs with each page's view and button,
        the find bar. Only those on the page shown are reached; the result page's from when
        it is built (``result_built``)."""
        if self._result_page is None:
            return [self.in_flight_cancel]
        return [
            self.in_flight_cancel,
            self.save_body_button,
            self.tools_button,
            self.copy_id_button,
            self.trace_button,
            *self.pages.tab_chain(),
            *self.error_panel.tab_chain(),
            self.tabs.tabBar(),
            *self.body.tab_chain(),
            *self.filter_panel.tab_chain(),
            self.headers_table,
            self.request_view,
            *self.code_page.tab_chain(),
            self.find_bar.edit,
            *self.find_bar.buttons,
        ]

    def focus_content(self) -> bool:
        """Focus what is shown: the current tab's view (arrows scroll, Ctrl+F finds), or
        Cancel while sending. False when there is nothing yet (focus stays put)."""
        page = self.stack.currentWidget()
        widget: QWidget | None
        if page is self._result_page:
            widget = self.tabs.currentWidget()
            if isinstance(widget, QStackedWidget):
                widget = widget.currentWidget()
            elif widget is self.code_page:
                widget = self.code_page.view
            elif widget is self.filter_panel:
                widget = self.filter_panel.edit
            if widget is self.body.binary_page:
                widget = self.body.save_button
        elif page is self._in_flight_page and self.in_flight_cancel.isVisible():
            widget = self.in_flight_cancel
        else:
            widget = None
        if widget is None:
            return False
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    # -- public ---------------------------------------------------------------------------------
    @property
    def exchange(self) -> Exchange | None:
        return self._exchange

    def clear(self) -> None:
        self._exchange = None
        self.stack.setCurrentWidget(self.empty_label)
        if self._result_page is None:
            return
        self.filter_panel.set_exchange(None)
        self.body.invalidate()
        self.error_panel.clear()
        self.stack.setCurrentWidget(self.empty_label)

    def show_in_flight(self, action: str = "") -> None:
        """A request is on its way: the elapsed time and a Cancel button."""
        self._loading = False
        self.set_elapsed(0.0, action)
        self.in_flight_cancel.show()
        self.stack.setCurrentWidget(self._in_flight_page)

    def show_loading(self, text: str) -> None:
        """Something is being read back (e.g. a big history entry): ``text``, no Cancel.

        There is nothing to cancel: whatever is shown next replaces this page. Elapsed ticks
        of a request still running meanwhile leave the text alone.
        """
        self._loading = True
        self.in_flight_label.setText(text)
        self.in_flight_cancel.hide()
        self.stack.setCurrentWidget(self._in_flight_page)

    def set_elapsed(self, seconds: float, action: str = "") -> None:
        if self._loading:
            return
        what = f" {action}" if action else ""
        self.in_flight_label.setText(f"Sending{what}… {seconds:.1f} s")

    def is_in_flight(self) -> bool:
        return self.stack.currentWidget() is self._in_flight_page

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        if self._result_page is not None:
            self.filter_panel.set_dark(dark)
        if self._exchange is not None:
            self.show_exchange(self._exchange, keep_tab=True, live=self._live)

    def set_auto_retry(self, on: bool) -> None:
        self._auto_retry = on
        if self._result_page is not None:
            self.error_panel.set_auto_retry(on)

    def set_recent_filters(self, recent: RecentFilters | None) -> None:
        """Where the Filter tab remembers expressions that ran (the window's settings)."""
        self._recent_filters = recent
        if self._result_page is not None:
            self.filter_panel.set_recent(recent)

    def set_schema_lookup(self, lookup: SchemaLookup) -> None:
        """How the pages bar finds an action's input schema (the window's discovery)."""
        self._schema_lookup = lookup
        if self._result_page is not None:
            self.pages.set_schema_lookup(lookup)

    def stop(self) -> None:
        """Format nothing more for the screen (the window is closing)."""
        if self._result_page is not None:
            self.body.invalidate()

    def preparer(self) -> Callable[[Exchange], object]:
        """What to do to an exchange off the UI thread before ``show_exchange`` (its
        ``prepared``): format and highlight a small body, in the theme shown now."""
        from explorer.ui.response.body import prepare_small

        dark = self._dark
        return lambda exchange: prepare_small(exchange.response, dark)

    def show_exchange(
        self,
        exchange: Exchange,
        *,
        keep_tab: bool = False,
        live: bool = False,
        prepared: object = None,
    ) -> None:
        """Show a finished exchange (a response or a failure). Only a ``live`` one (just sent)
        may retry by itself when its ``Retry-After`` ends; a history entry is only read.
        ``prepared``: what ``preparer()`` made of it on another thread."""
        self.build_result()
        assert self._result_page is not None
        same = exchange is self._exchange
        self._exchange = exchange
        self._live = live
        response = exchange.response
        self.stack.setCurrentWidget(self._result_page)
        filtering = self.tabs.currentWidget() is self.filter_panel and self.filter_panel.applied()
        if not keep_tab and not filtering:  # a filter in use is applied to the next one
            self.tabs.setCurrentIndex(0)
        self._show_status(exchange)
        self._show_error(exchange)
        if response is not None:
            self.body.show(
                response, dark=self._dark, body_limit=self._body_limit, prepared=prepared
            )
        else:
            self.body.show_text("No response body: the request failed before a response arrived.")
        # The filter gets a new exchange (not the same one again: the theme changed) when it
        # is shown, or after the paint, as the other tabs do (~0.6 ms of a small response).
        refilter = not same or self.filter_panel in self._unfilled
        self._unfilled = {self.body.raw_stack, self.headers_table, self.request_view}
        self._unfilled.add(self.code_page)
        if refilter:
            self._unfilled.add(self.filter_panel)
        self._fill(self.tabs.currentWidget())
        self.find_bar.set_target(self._find_target())
        self._show_account(exchange.request.account_id)
        self.pages.show_for(exchange)
        self._after_paint.call(self._fill_the_rest)

    def _fill(self, page: QWidget | None) -> None:
        """Fill ``page`` (a tab) for the exchange shown, if it is not yet."""
        exchange = self._exchange
        if page not in self._unfilled or exchange is None:
            return
        self._unfilled.discard(page)
        if page is self.body.raw_stack:
            self.body.fill_raw()
        elif page is self.headers_table:
            self._show_headers(exchange.response)
        elif page is self.request_view:
            self.request_view.setPlainText(
                exchange.sent.text() if exchange.sent else "The request was not sent."
            )
        elif page is self.code_page:
            self.code_page.set_request(exchange.request)
        elif page is self.filter_panel:
            self.filter_panel.set_exchange(exchange)

    def _fill_the_rest(self) -> None:
        """The tabs not on screen, after the shown one's paint."""
        for page in list(self._unfilled):
            self._fill(page)

    def set_account_lookup(self, lookup: AccountLookup) -> None:
        """How to describe an exchange's account: ``(line, tooltip)`` or ``None``."""
        self._describe_account = lookup
        if self._exchange is not None:
            self._show_account(self._exchange.request.account_id)

    def _show_account(self, account_id: str) -> None:
        known = self._describe_account(account_id) if account_id else None
        line, tooltip = known or ("", "")
        text = f"Account {account_id}: {line}" if line else f"Account {account_id}"
        self.account_label.setText(text if account_id else "")
        self.account_label.setToolTip(tooltip or text)
        self.account_label.setVisible(bool(account_id))

    def set_body_limit(self, limit: int) -> None:
        """The body size limit (Preferences), named when a body is over it."""
        self._body_limit = limit

    def open_find(self) -> None:
        if self.stack.currentWidget() is not self._result_page:
            self.message.emit("Nothing to search yet: send a request first")
            return
        response = self._exchange.response if self._exchange else None
        if response is not None and response.over_limit:
            self.message.emit(
                f"Find is off for this body: it is {human_size(response.size)}, over the "
                f"{human_size(self._body_limit)} body size limit (Preferences)"
            )
            return
        self.find_bar.open_on(self._find_target())

    def copy_request_id(self) -> None:
        response = self._exchange.response if self._exchange else None
        if response is not None and response.request_id:
            QGuiApplication.clipboard().setText(response.request_id)
            self.message.emit(f"Copied request id {response.request_id}")

    def copy_curl(self) -> None:
        """Copy the Code tab's code (curl unless another form is chosen)."""
        self.code_page.copy()

    def open_filter(self, expression: str | None = None, language: str | None = None) -> None:
        """Show the Filter tab with the cursor in its box (``expression`` put there first)."""
        self.tabs.setCurrentWidget(self.filter_panel)
        if expression is not None:
            self.filter_panel.set_expression(expression, language or "jsonpath")
        self.filter_panel.focus_box()

    def set_tool_actions(self, actions: list[QAction]) -> None:
        """The ⋯ button's menu: what the window's other features do with this exchange."""
        self._tool_actions = list(actions)
        if self._result_page is not None:
            self._fill_tools_menu()

    def _fill_tools_menu(self) -> None:
        actions = self._tool_actions
        menu = self.tools_button.menu()
        if menu is None:
            menu = QMenu(self.tools_button)
            self.tools_button.setMenu(menu)
        menu.clear()
        for action in actions:
            if action.isSeparator():
                menu.addSeparator()
            else:
                menu.addAction(action)
        self.tools_button.setVisible(bool(actions))

    def save_body_as(self) -> Path | None:
        """Ask where, then write the body on the thread pool (``save_body``); ``message``
        says when the file is written, or why it could not be.

        Returns:
            The file chosen (being written), or ``None`` if there is nothing to save or the
            user cancelled.
        """
        response = self._exchange.response if self._exchange else None
        return self._saver.save(response, self) if response is not None else None

    def is_saving(self) -> bool:
        """Whether a Save as… is still writing its file."""
        return self._saver.busy

    # -- internals --------------------------------------------------------------------------------
    def _find_target(self) -> FindTarget | None:
        from PySide6.QtWidgets import QTextEdit  # see ``build_result``

        from explorer.ui.response.lines_view import LinesView

        widget = self.tabs.currentWidget()
        if widget is self.body.pretty_stack or widget is self.body.raw_stack:
            current = widget.currentWidget()
            return current if isinstance(current, QTextEdit | QPlainTextEdit | LinesView) else None
        if isinstance(widget, QTextEdit | QPlainTextEdit):
            return widget
        if widget is self.code_page:
            return self.code_page.view
        if widget is self.filter_panel:
            return self.filter_panel.result
        return None

    def _show_status(self, exchange: Exchange) -> None:
        self.status_line.show_exchange(exchange, self._dark)

    def _show_error(self, exchange: Exchange) -> None:
        response = exchange.response
        if response is not None and not response.ok:
            # Just sent: it arrived now, and the full wait counts (the exchange's start time
            # includes queueing, so subtracting it would retry before the server allows).
            waited = 0.0 if self._live else exchange.seconds_since_response()
            self.error_panel.show_response(response, live=self._live, waited=waited)
            self.error_panel.show()
        elif response is None and exchange.failure is not None:
            self.error_panel.show_failure(exchange.failure, exchange.request.base_url)
            self.error_panel.show()
        else:
            self.error_panel.clear()
            self.error_panel.hide()

    def _show_headers(self, response: RpcResponse | None) -> None:
        from PySide6.QtWidgets import QTableWidgetItem  # see ``build_result``

        headers = response.headers if response is not None else []
        self.headers_table.setRowCount(len(headers))
        for row, (name, value) in enumerate(headers):
            self.headers_table.setItem(row, 0, QTableWidgetItem(name))
            self.headers_table.setItem(row, 1, QTableWidgetItem(value))
