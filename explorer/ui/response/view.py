"""The response: a status line, the error explanation, and the body in several views.

Rendering must never freeze the window, even for a 10 MB body. Small bodies are formatted at
once. Larger ones are formatted in the helper process (``run_in_process``, driven by a
``RenderJob`` on the thread pool: a process shares no GIL with the window) while a
"Formatting…" note shows. Pretty text up to ``RICH_TEXT_LIMIT`` characters is highlighted in
a ``QTextEdit``; beyond that, and Raw beyond ``PLAIN_TEXT_LIMIT``, the text shows in a
``LinesView`` (rows drawn and coloured only when on screen; long lines cut every
``DISPLAY_WIDTH`` characters for display only), where Find searches the Python string.
Copy and Save body… always take the exact body.
"""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.curl import to_curl
from explorer.core.exchange import Exchange
from explorer.core.limits import DEFAULT_BODY_LIMIT
from explorer.core.process_pool import run_in_process
from explorer.core.render import (
    HIGHLIGHT_LIMIT,
    BodyLayout,
    FileLines,
    TextLines,
    json_colours,
    layout_body,
)
from explorer.core.response import RpcResponse, is_text_type
from explorer.core.units import human_ms, human_size
from explorer.store.files import write_atomic
from explorer.ui.accessibility import name_clear_button
from explorer.ui.jobs import RenderJob
from explorer.ui.response.error_panel import FAILURE_TITLES, ErrorPanel
from explorer.ui.response.lines_view import LinesView
from explorer.ui.theme import status_colour
from explorer.ui.widgets.flow_layout import FlowLayout
from explorer.ui.widgets.json_editor import monospace_font

SYNC_RENDER_LIMIT = 64 * 1024  # bodies up to this size are formatted without a thread hop
# Up to this many characters Pretty is highlighted in a QTextEdit; ``setHtml`` costs the UI
# thread about 1 ms per 10 KB of text (a QPlainTextEdit about half that).
RICH_TEXT_LIMIT = min(HIGHLIGHT_LIMIT, 100_000)
PLAIN_TEXT_LIMIT = SYNC_RENDER_LIMIT  # Raw over this many characters goes to a LinesView


def size_text(response: RpcResponse) -> str:
    """``Size 2.0 MB`` plus what crossed the wire when it came compressed."""
    text = f"Size {human_size(response.size)}"
    if response.wire_size is not None:
        coding = response.content_encoding or "compressed"
        text += f" ({human_size(response.wire_size)} on the wire, {coding})"
    return text


TextView = QTextEdit | QPlainTextEdit
FindTarget = TextView | LinesView


class _Rendered:
    """What the view shows of one body: Raw's text, the Pretty text with its HTML (small) or
    its display lines (big), and Raw's display lines when Raw is too big for a text edit."""

    def __init__(self, layout: BodyLayout, raw: str, *, is_json: bool, dark: bool) -> None:
        self.raw = raw
        self.pretty = layout.pretty if layout.pretty is not None else raw
        self.html = layout.html
        self.pretty_lines = (
            TextLines.build(self.pretty, layout.pretty_index) if layout.pretty_index else None
        )
        self.raw_lines = TextLines.build(raw, layout.raw_index) if layout.raw_index else None
        self.colours = json_colours(dark) if is_json else None


class _FindEdit(QLineEdit):
    """Claims Esc, Enter and Shift+Enter before window shortcuts (Cancel) can take them;
    Ctrl+Enter still sends.

    Signals:
        escape_pressed(): Esc, to close the find bar.
        previous_requested(): Shift+Enter, to find the previous match.
    """

    escape_pressed = Signal()
    previous_requested = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier  # Ctrl+Enter sends
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.previous_requested.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Find in the visible text: Enter = next, Shift+Enter = previous, Esc closes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target: FindTarget | None = None
        self.edit = _FindEdit()
        self.edit.setPlaceholderText("Find in response")
        self.edit.setAccessibleName("Find in response")
        self.edit.setAccessibleDescription(
            "Enter finds the next match, Shift+Enter the previous one, Esc closes"
        )
        self.edit.setClearButtonEnabled(True)
        name_clear_button(self.edit, "Clear the search")
        self.edit.returnPressed.connect(lambda: self.find_next(backward=False))
        self.edit.previous_requested.connect(lambda: self.find_next(backward=True))
        self.edit.escape_pressed.connect(self.close_bar)
        self.edit.textChanged.connect(lambda _t: self.find_next(backward=False, from_start=True))
        self.result_label = QLabel()
        previous = QToolButton()
        previous.setText("↑")
        previous.setToolTip("Previous match (Shift+Enter)")
        previous.setAccessibleName("Previous match")
        previous.clicked.connect(lambda: self.find_next(backward=True))
        following = QToolButton()
        following.setText("↓")
        following.setToolTip("Next match (Enter)")
        following.setAccessibleName("Next match")
        following.clicked.connect(lambda: self.find_next(backward=False))
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setAccessibleName("Close the find bar")
        close.clicked.connect(self.close_bar)
        self.buttons = [previous, following, close]
        label = QLabel("Find:")
        label.setBuddy(self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(self.result_label)
        layout.addWidget(close)
        self.hide()

    def open_on(self, target: FindTarget | None) -> None:
        self._target = target
        self.show()
        cursor = target.textCursor() if isinstance(target, QTextEdit | QPlainTextEdit) else None
        if cursor is not None and cursor.hasSelection() and "\u2029" not in cursor.selectedText():
            self.edit.setText(cursor.selectedText())
        self.edit.selectAll()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_target(self, target: FindTarget | None) -> None:
        if self._target is not target and isinstance(self._target, LinesView):
            self._target.clear_match()
        self._target = target

    def close_bar(self) -> None:
        self.hide()
        if self._target is not None:
            self._target.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_next(self, *, backward: bool, from_start: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around at the end."""
        text = self.edit.text()
        target = self._target
        if target is None or not text:
            self.result_label.setText("")
            return False
        if isinstance(target, LinesView):
            found = target.find_text(text, backward=backward, from_start=from_start)
            self.result_label.setText("" if found else "No matches")
            return found
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if from_start:
            cursor = target.textCursor()
            cursor.setPosition(cursor.selectionStart())
            target.setTextCursor(cursor)
        found = target.find(text, flags)
        if not found:  # wrap around
            cursor = target.textCursor()
            cursor.movePosition(
                cursor.MoveOperation.End if backward else cursor.MoveOperation.Start
            )
            target.setTextCursor(cursor)
            found = target.find(text, flags)
        self.result_label.setText("" if found else "No matches")
        return found


class ResponseView(QWidget):
    """Shows one ``Exchange``: status line, error panel, and Pretty/Raw/Headers/Request/curl.

    Signals:
        cancel_requested(): the in-flight page's Cancel button was pressed.
        retry_requested(): forwarded from the error panel.
        auto_retry_requested(): forwarded from the error panel.
        auto_retry_changed(bool): forwarded from the error panel.
        manage_profiles_requested(): forwarded from the error panel.
        message(str): a short note for the status bar (e.g. "Copied").
    """

    cancel_requested = Signal()
    retry_requested = Signal()
    auto_retry_requested = Signal()
    auto_retry_changed = Signal(bool)
    manage_profiles_requested = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._dark = False
        self._exchange: Exchange | None = None
        self._live = False  # the exchange shown is the one just sent (``show_exchange``)
        self._generation = 0
        self._jobs: dict[int, QObject] = {}  # generation -> the job's signals, until done
        # Save number -> (its job's signals, the file, the size), until the write is done.
        self._saves: dict[int, tuple[QObject, Path, int]] = {}
        self._save_count = 0
        self._pretty_text = ""
        self._body_limit = DEFAULT_BODY_LIMIT

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

        # -- status line ----------------------------------------------------------------------
        self.status_label = QLabel()
        self.status_label.setObjectName("statusCode")
        font = self.status_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.status_label.setFont(font)
        self.time_label = QLabel()
        self.size_label = QLabel()
        self.request_id_label = QLabel()
        self.request_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request_id_label.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        self.copy_id_button = QPushButton("Copy &id")
        self.copy_id_button.setToolTip("Copy the x-request-id (support asks for it)")
        self.copy_id_button.clicked.connect(self.copy_request_id)
        self.save_body_button = QPushButton("Save body…")
        self.save_body_button.setToolTip("Save the whole response body to a file")
        self.save_body_button.clicked.connect(self.save_body_as)
        first = FlowLayout()  # wraps when narrow instead of widening the pane and window
        first.setSpacing(12)
        for label in (self.status_label, self.time_label, self.size_label):
            first.addWidget(label)
        first.addWidget(self.save_body_button)
        second = QHBoxLayout()
        second.addWidget(self.request_id_label, 1)
        second.addWidget(self.copy_id_button)
        status_line = QVBoxLayout()
        status_line.setSpacing(2)
        status_line.addLayout(first)
        status_line.addLayout(second)

        self.error_panel = ErrorPanel()
        self.error_panel.retry_requested.connect(self.retry_requested)
        self.error_panel.auto_retry_requested.connect(self.auto_retry_requested)
        self.error_panel.auto_retry_changed.connect(self.auto_retry_changed)
        self.error_panel.manage_profiles_requested.connect(self.manage_profiles_requested)

        # -- tabs -------------------------------------------------------------------------------
        self.pretty_rich = self._text_edit()
        self.pretty_plain = self._plain_edit()
        self.pretty_lines = LinesView()
        self.binary_page = QWidget()
        self.binary_label = QLabel()
        self.binary_label.setWordWrap(True)
        self.binary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save as…")
        self.save_button.clicked.connect(self.save_body_as)
        binary_layout = QVBoxLayout(self.binary_page)
        binary_layout.addWidget(self.binary_label)
        binary_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        binary_layout.addStretch(1)
        self.pretty_stack = QStackedWidget()
        for widget in (self.pretty_rich, self.pretty_plain, self.pretty_lines, self.binary_page):
            self.pretty_stack.addWidget(widget)

        self.raw_view = self._plain_edit()
        self.raw_lines = LinesView()
        self.raw_stack = QStackedWidget()
        self.raw_stack.addWidget(self.raw_view)
        self.raw_stack.addWidget(self.raw_lines)
        self.headers_table = QTableWidget(0, 2)
        self.headers_table.setHorizontalHeaderLabels(["Header", "Value"])
        self.headers_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.headers_table.verticalHeader().setVisible(False)
        self.headers_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.headers_table.horizontalHeader().setStretchLastSection(True)
        self.headers_table.setTabKeyNavigation(False)  # one Tab stop; the arrows move inside
        self.request_view = self._plain_edit()
        self.request_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)  # one long line
        self.curl_view = self._plain_edit()
        for view, name, description in (
            (self.pretty_rich, "Response body", "Formatted and highlighted"),
            (self.pretty_plain, "Response body", "Formatted"),
            (self.pretty_lines, "Response body", "Formatted; a long body, one row per line"),
            (self.raw_view, "Raw response body", "Exactly as received"),
            (self.raw_lines, "Raw response body", "Exactly as received, one row per line"),
            (self.headers_table, "Response headers", "One header per row: name and value"),
            (
                self.request_view,
                "Request as sent",
                "Method, URL, headers and body; the key redacted",
            ),
            (self.curl_view, "Request as curl", "The key stays $STACKONE_API_KEY"),
        ):
            view.setAccessibleName(name)
            view.setAccessibleDescription(description)
        copy_curl = QPushButton("Copy curl")
        copy_curl.setToolTip("Copy the command; the key stays $STACKONE_API_KEY")
        copy_curl.clicked.connect(self.copy_curl)
        self.copy_curl_button = copy_curl
        curl_page = QWidget()
        curl_layout = QVBoxLayout(curl_page)
        curl_layout.setContentsMargins(0, 0, 0, 0)
        curl_layout.addWidget(self.curl_view, 1)
        curl_layout.addWidget(copy_curl, 0, Qt.AlignmentFlag.AlignRight)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.pretty_stack, "Pretty")
        self.tabs.addTab(self.raw_stack, "Raw")
        self.tabs.addTab(self.headers_table, "Headers")
        self.tabs.addTab(self.request_view, "Request")
        self.tabs.addTab(curl_page, "curl")
        self.find_bar = FindBar()
        self.tabs.currentChanged.connect(lambda _i: self.find_bar.set_target(self._find_target()))

        result = QWidget()
        result_layout = QVBoxLayout(result)
        result_layout.setContentsMargins(0, 0, 0, 0)
        result_layout.addLayout(status_line)
        result_layout.addWidget(self.error_panel)
        result_layout.addWidget(self.tabs, 1)
        result_layout.addWidget(self.find_bar)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(in_flight)
        self.stack.addWidget(result)
        self._result_page = result
        self._in_flight_page = in_flight
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    @staticmethod
    def _text_edit() -> QTextEdit:
        view = QTextEdit()
        view.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
        return _read_only(view)

    @staticmethod
    def _plain_edit() -> QPlainTextEdit:
        view = QPlainTextEdit()
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        return _read_only(view)

    def tab_chain(self) -> list[QWidget]:
        """The view's controls in reading order, for Tab: Cancel while sending; then the
        status line's buttons, the error panel, the tabs with each page's view and button,
        the find bar. Only those on the page shown are reached."""
        return [
            self.in_flight_cancel,
            self.save_body_button,
            self.copy_id_button,
            *self.error_panel.tab_chain(),
            self.tabs.tabBar(),
            self.pretty_rich,
            self.pretty_plain,
            self.pretty_lines,
            self.save_button,
            self.raw_view,
            self.raw_lines,
            self.headers_table,
            self.request_view,
            self.curl_view,
            self.copy_curl_button,
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
            elif widget is self.curl_view.parentWidget():
                widget = self.curl_view
            if widget is self.binary_page:
                widget = self.save_button
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
        self._generation += 1
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
        if self._exchange is not None:
            self.show_exchange(self._exchange, keep_tab=True, live=self._live)

    def set_auto_retry(self, on: bool) -> None:
        self.error_panel.set_auto_retry(on)

    def show_exchange(
        self, exchange: Exchange, *, keep_tab: bool = False, live: bool = False
    ) -> None:
        """Show a finished exchange (a response or a failure). Only a ``live`` one (just sent)
        may retry by itself when its ``Retry-After`` ends; a history entry is only read."""
        self._exchange = exchange
        self._live = live
        self._generation += 1
        response = exchange.response
        self.stack.setCurrentWidget(self._result_page)
        if not keep_tab:
            self.tabs.setCurrentIndex(0)
        self._show_status(exchange)
        self._show_error(exchange)
        if response is not None:
            self._show_body(response)
            self._show_headers(response)
        else:
            self._pretty_text = ""
            self.pretty_plain.setPlainText(
                "No response body: the request failed before a response arrived."
            )
            self.pretty_stack.setCurrentWidget(self.pretty_plain)
            self._set_raw_plain("")
            self.headers_table.setRowCount(0)
        self.request_view.setPlainText(
            exchange.sent.text() if exchange.sent else "The request was not sent."
        )
        self.curl_view.setPlainText(to_curl(exchange.request))
        self.find_bar.set_target(self._find_target())

    def pretty_text(self) -> str:
        """What the Pretty tab currently shows, as plain text (for tests and copying)."""
        widget = self.pretty_stack.currentWidget()
        if widget is self.pretty_rich:
            return self.pretty_rich.toPlainText()
        if widget is self.pretty_plain:
            return self.pretty_plain.toPlainText()
        if widget is self.pretty_lines:
            return self.pretty_lines.text()
        return self.binary_label.text()

    def raw_text(self) -> str:
        """What the Raw tab currently shows, as plain text."""
        if self.raw_stack.currentWidget() is self.raw_lines:
            return self.raw_lines.text()
        return self.raw_view.toPlainText()

    def is_rendering(self) -> bool:
        return bool(self._jobs)

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
        QGuiApplication.clipboard().setText(self.curl_view.toPlainText())
        self.message.emit("Copied the curl command (the key stays $STACKONE_API_KEY)")

    def save_body_as(self) -> Path | None:
        """Ask where, then write the body atomically on the thread pool.

        A download can be hundreds of megabytes on a slow disk: written here, it would freeze
        the window. ``message`` says when the file is written, or why it could not be.

        Returns:
            The file chosen (being written), or ``None`` if there is nothing to save or the
            user cancelled.
        """
        response = self._exchange.response if self._exchange else None
        if response is None:
            return None
        suggested = response.filename or _default_name(response)
        start = Path.home() / suggested
        path_text, _filter = QFileDialog.getSaveFileName(
            self, "Save response body", str(start), "All files (*)"
        )
        if not path_text:
            return None
        path = Path(path_text)
        body, on_disk = response.body, response.body_file
        self._save_count += 1
        number = self._save_count
        if on_disk is not None:  # over the limit: streamed from its file, whole
            job = RenderJob(number, lambda: on_disk.copy_to(path))
        else:
            job = RenderJob(number, lambda: write_atomic(path, body))
        job.signals.done.connect(self._on_saved)
        self._saves[number] = (job.signals, path, response.size)
        self.message.emit(f"Saving {human_size(response.size)} to {path}…")
        self._pool.start(job)
        return path

    def is_saving(self) -> bool:
        """Whether a Save as… is still writing its file."""
        return bool(self._saves)

    # -- internals --------------------------------------------------------------------------------
    def _find_target(self) -> FindTarget | None:
        widget = self.tabs.currentWidget()
        if widget is self.pretty_stack or widget is self.raw_stack:
            current = widget.currentWidget()
            return current if isinstance(current, QTextEdit | QPlainTextEdit | LinesView) else None
        if isinstance(widget, QTextEdit | QPlainTextEdit):
            return widget
        if widget is self.curl_view.parentWidget():
            return self.curl_view
        return None

    def _show_status(self, exchange: Exchange) -> None:
        response = exchange.response
        if response is None:
            kind = exchange.failure.kind if exchange.failure else ""
            self.status_label.setText(f"No response · {FAILURE_TITLES.get(kind, kind)}")
            colour = status_colour("none", self._dark)
            self.time_label.setText("")
            self.size_label.setText("")
            self.request_id_label.setText("")
            self.copy_id_button.hide()
            self.save_body_button.hide()
        else:
            self.save_body_button.setVisible(response.size > 0)
            self.status_label.setText(f"{response.status} {response.reason}".strip())
            colour = status_colour(response.status_class, self._dark)
            timing = response.timing
            self.time_label.setText(
                f"Time {human_ms(timing.total_ms)} (TTFB {human_ms(timing.ttfb_ms)})"
            )
            self.size_label.setText(size_text(response))
            if response.request_id:
                self.request_id_label.setText(f"x-request-id: {response.request_id}")
                self.copy_id_button.show()
            else:
                self.request_id_label.setText("no x-request-id")
                self.copy_id_button.hide()
        self.status_label.setStyleSheet(f"color: {colour.name()};")

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

    def _show_headers(self, response: RpcResponse) -> None:
        self.headers_table.setRowCount(len(response.headers))
        for row, (name, value) in enumerate(response.headers):
            self.headers_table.setItem(row, 0, QTableWidgetItem(name))
            self.headers_table.setItem(row, 1, QTableWidgetItem(value))

    def _show_body(self, response: RpcResponse) -> None:
        if response.over_limit and response.kind != "binary":
            self._show_from_disk(response)
            return
        if response.kind == "binary":
            textual = is_text_type(response.content_type)  # a text file also reads in Raw
            name = response.filename or "(no file name given)"
            what = "Text file" if textual else "File" if response.filename else "Binary response"
            self.binary_label.setText(
                f"<b>{what}</b><br>Type: {escape(response.content_type or 'unknown')}"
                f"<br>Size: {human_size(response.size)} ({response.size} bytes)"
                f"<br>File name: {escape(name)}"
            )
            self.pretty_stack.setCurrentWidget(self.binary_page)
            self._pretty_text = ""
            readable = textual and response.size <= PLAIN_TEXT_LIMIT
            self._set_raw_plain(
                response.text()
                if readable
                else f"{human_size(response.size)} of {'text' if textual else 'binary data'} "
                f"({response.content_type}). Use Save as… on the Pretty tab to keep it."
            )
            return
        if response.kind == "empty":
            self._set_pretty_plain("(empty body)")
            self._set_raw_plain("")
            return
        decode, is_json, dark = response.text, response.kind == "json", self._dark
        prepare = partial(  # picklable: it may run in the helper process
            layout_body,
            response.body,
            response.encoding,
            is_json=is_json,
            dark=dark,
            rich_limit=RICH_TEXT_LIMIT,
            plain_limit=PLAIN_TEXT_LIMIT,
        )

        generation = self._generation

        def render() -> _Rendered:
            # The formatting in the helper process, which shares no GIL with the window;
            # decoding and case folding here, on the pool thread (in short C calls).
            layout = run_in_process(prepare, abandoned=lambda: generation != self._generation)
            return _Rendered(layout, decode(), is_json=is_json, dark=dark)

        if response.size <= SYNC_RENDER_LIMIT:
            self._apply_render(_Rendered(prepare(), decode(), is_json=is_json, dark=dark))
            return
        note = f"Formatting {human_size(response.size)}…"
        self._set_pretty_plain(note)
        self._set_raw_plain(note)
        job = RenderJob(generation, render)
        job.signals.done.connect(self._on_rendered)
        self._jobs[generation] = job.signals
        self._pool.start(job)

    def _show_from_disk(self, response: RpcResponse) -> None:
        """A body over the limit: no formatting or search, Raw read from its file."""
        on_disk = response.body_file
        assert on_disk is not None
        self._pretty_text = ""
        self.binary_label.setText(
            f"<b>Over the body size limit</b><br>This body is {human_size(response.size)}, "
            f"over the {human_size(self._body_limit)} body size limit (Preferences), so it is "
            "kept on disk, not in memory: formatting and Find are off for it.<br><br>"
            "The Raw tab shows it from disk; Save as… writes it whole. It is in the history "
            "like any response."
        )
        self.pretty_stack.setCurrentWidget(self.binary_page)
        self._set_raw_plain(f"Reading {human_size(response.size)} from disk…")
        generation = self._generation
        encoding = response.encoding
        job = RenderJob(generation, lambda: FileLines.scan(on_disk, encoding))
        job.signals.done.connect(self._on_rendered)
        self._jobs[generation] = job.signals
        self._pool.start(job)

    def _on_rendered(self, generation: int, result: object) -> None:
        self._jobs.pop(generation, None)
        if generation != self._generation:
            return  # the user moved on to another response meanwhile
        if isinstance(result, Exception):
            self._set_pretty_plain(f"Could not format the body: {result}")
            self._set_raw_plain(f"Could not show the body: {result}. Save body… keeps it.")
            return
        if isinstance(result, FileLines):
            self.raw_lines.set_lines(result)
            self.raw_stack.setCurrentWidget(self.raw_lines)
            return
        assert isinstance(result, _Rendered)
        self._apply_render(result)
        self.find_bar.set_target(self._find_target())

    def _on_saved(self, number: int, result: object) -> None:
        """The write of save ``number`` ended: ``result`` is ``None`` or the exception."""
        entry = self._saves.pop(number, None)
        if entry is None:
            return
        _signals, path, size = entry
        if isinstance(result, Exception):
            reason = result.strerror if isinstance(result, OSError) and result.strerror else result
            self.message.emit(f"Could not save {path}: {reason}")
        else:
            self.message.emit(f"Saved {human_size(size)} to {path}")

    def _apply_render(self, result: _Rendered) -> None:
        self._pretty_text = result.pretty
        if result.html is not None:
            self.pretty_rich.setHtml(result.html)
            self.pretty_stack.setCurrentWidget(self.pretty_rich)
        elif result.pretty_lines is not None:
            self.pretty_lines.set_lines(result.pretty_lines, result.colours)
            self.pretty_stack.setCurrentWidget(self.pretty_lines)
        else:
            self._set_pretty_plain(result.pretty)
        if result.raw_lines is not None:
            self.raw_lines.set_lines(result.raw_lines)
            self.raw_stack.setCurrentWidget(self.raw_lines)
        else:
            self._set_raw_plain(result.raw)

    def _set_pretty_plain(self, text: str) -> None:
        self.pretty_plain.setPlainText(text)
        self.pretty_stack.setCurrentWidget(self.pretty_plain)

    def _set_raw_plain(self, text: str) -> None:
        self.raw_view.setPlainText(text)
        self.raw_stack.setCurrentWidget(self.raw_view)


def _default_name(response: RpcResponse) -> str:
    mime = response.content_type.split(";", 1)[0].strip().lower()
    extension = {
        "application/json": ".json",
        "application/pdf": ".pdf",
        "text/plain": ".txt",
        "text/csv": ".csv",
    }.get(mime, ".bin")
    return "response" + extension


_View = TypeVar("_View", QTextEdit, QPlainTextEdit)


def _read_only(view: _View) -> _View:
    """A monospace, selectable, read-only text view: how every response tab shows text."""
    view.setReadOnly(True)
    view.setFont(monospace_font())
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return view
