"""The trace window: every provider call StackOne made for one request, and each call's
request and response.

The steps stay in time order, so the story reads as it happened; a failing step stands out
(red, bold, a warning sign), the summary above names the first one, and it is the step
selected when the trace arrives, its response (the provider's error, pretty-printed) shown.
Every text here is already masked by ``explorer.core.trace``; nothing is written to disk.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.account_context import when
from explorer.core.render import highlight_html
from explorer.core.trace import Trace, TraceStep, human_duration
from explorer.ui.accessibility import announce
from explorer.ui.response.body import plain_edit
from explorer.ui.theme import is_dark, status_colour
from explorer.ui.trace.model import StepColumn, TraceStepsModel
from explorer.ui.widgets.row_table import row_table

# Bodies longer than this are shown plain: highlighting happens on the UI thread.
HIGHLIGHT_CHARS = 200_000


def _body_html(text: str, dark: bool) -> str:
    """A body as HTML: JSON coloured (it is already indented), anything else as it is."""
    if text.lstrip()[:1] in ("{", "[") and len(text) <= HIGHLIGHT_CHARS:
        return highlight_html(text, dark=dark)
    return f"<pre>{html.escape(text)}</pre>"


class StepText(QDialog):
    """One step's request as text, in a window of its own: read it beside the trace, copy
    it, or paste it into another tool. Credentials in it read ``<redacted>``."""

    def __init__(self, step: TraceStep, request_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Step {step.number} of {request_id}: the provider request")
        self.text_view = plain_edit()
        self.text_view.setPlainText(step.request_text())
        self.text_view.setAccessibleName(f"Step {step.number} request as text")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.text_view.toPlainText())
        )
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_view, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)


class TraceWindow(QDialog):
    """Shows one ``Trace``, or why there is none; a request id can be typed or pasted at the
    top and fetched again (Enter).

    Signals:
        fetch_requested(str): the user asked for the trace of the id in the field.
        cancel_requested(): the user stopped the fetch in progress (Cancel, or closing).
        message(str): a note for the window's status bar ("Copied …").
    """

    fetch_requested = Signal(str)
    cancel_requested = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("traceWindow")
        self.setWindowTitle("Request trace")
        self.setModal(False)
        self.trace: Trace | None = None
        self.loading = False
        self.text_windows: list[StepText] = []

        # -- which request -----------------------------------------------------------------
        self.request_edit = QLineEdit()
        self.request_edit.setPlaceholderText("x-request-id of a response, or paste one")
        self.request_edit.setClearButtonEnabled(True)
        self.request_edit.setAccessibleName("Request id")
        self.request_edit.returnPressed.connect(self._fetch_clicked)
        id_label = QLabel("&Request id")
        id_label.setBuddy(self.request_edit)
        self.fetch_button = QPushButton("&Fetch trace")
        self.fetch_button.setAutoDefault(False)
        self.fetch_button.clicked.connect(self._fetch_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_requested)
        top = QHBoxLayout()
        top.addWidget(id_label)
        top.addWidget(self.request_edit, 1)
        top.addWidget(self.fetch_button)
        top.addWidget(self.cancel_button)
        self.where_label = QLabel()
        self.where_label.setObjectName("traceWhere")
        self.where_label.setEnabled(False)

        # -- what StackOne said -------------------------------------------------------------
        self.header_label = QLabel()
        self.header_label.setObjectName("traceHeader")
        self.header_label.setWordWrap(True)
        self.header_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("traceSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.summary_label.linkActivated.connect(self._on_link)

        # -- the steps -----------------------------------------------------------------------
        self.model = TraceStepsModel(self)
        self.steps_table = row_table(
            self.model,
            name="Provider calls",
            widths=(
                (StepColumn.NUMBER, "#10"),
                (StepColumn.METHOD, "DELETE"),
                (StepColumn.STATUS, "504 FAILED"),
                (StepColumn.DURATION, "12.34 s"),
            ),
            pad=28,
        )
        self.steps_table.setAccessibleDescription(
            "Each call StackOne made to the provider, in time order; failing ones marked"
        )
        self.steps_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_step(current.row())
        )

        self.step_label = QLabel()
        self.step_label.setObjectName("traceStep")
        self.step_label.setWordWrap(True)
        self.step_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.response_view = QTextEdit()
        self.response_view.setReadOnly(True)
        self.response_view.setAccessibleName("Step response")
        self.response_view.setAccessibleDescription(
            "The provider's status, headers and body; credentials masked"
        )
        self.request_view = plain_edit()
        self.request_view.setAccessibleName("Step request")
        self.request_view.setAccessibleDescription(
            "Method, URL, headers and body StackOne sent to the provider; credentials masked"
        )
        self.detail_tabs = QTabWidget()
        self.detail_tabs.setDocumentMode(True)
        self.detail_tabs.addTab(self.response_view, "Response")
        self.detail_tabs.addTab(self.request_view, "Request")
        self.open_text_button = QPushButton("Open request as &text…")
        self.open_text_button.setToolTip("The step's request as an HTTP message, in a window")
        self.open_text_button.clicked.connect(self.open_request_text)
        self.copy_curl_button = QPushButton("Copy as c&url")
        self.copy_curl_button.setToolTip(
            "The step's request as a curl command; credentials stay <redacted> and the "
            "StackOne API key is never in it"
        )
        self.copy_curl_button.clicked.connect(self.copy_curl)
        self.copy_body_button = QPushButton("Copy res&ponse")
        self.copy_body_button.setToolTip("The step's response as text (credentials masked)")
        self.copy_body_button.clicked.connect(self.copy_response)
        step_buttons = QHBoxLayout()
        step_buttons.addWidget(self.open_text_button)
        step_buttons.addWidget(self.copy_curl_button)
        step_buttons.addWidget(self.copy_body_button)
        step_buttons.addStretch(1)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.step_label)
        detail_layout.addWidget(self.detail_tabs, 1)
        detail_layout.addLayout(step_buttons)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.steps_table)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.where_label)
        layout.addWidget(self.header_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(close)
        self.resize(1100, 720)
        self.splitter.setSizes([170, 530])
        self._set_step_buttons(None)
        self.show_nothing()

    # -- states ------------------------------------------------------------------------------
    def set_where(self, text: str) -> None:
        """Which profile and server the logs are read from."""
        self.where_label.setText(text)

    def show_nothing(self) -> None:
        self.trace = None
        self.model.set_rows([])
        self.header_label.setText("Type or paste a request id and press Enter.")
        self.summary_label.setText("")
        self._show_step(-1)

    def show_loading(self, request_id: str, doing: str = "") -> None:
        """A fetch under way (``doing``: what it waits for first, e.g. the keyring);
        Cancel and Esc stop it."""
        self.loading = True
        self.trace = None
        self.model.set_rows([])
        self.request_edit.setText(request_id)
        self.setWindowTitle(f"Request trace: {request_id}")
        self.header_label.setText(
            f"{html.escape(doing, quote=False)} from the OS keyring… (Cancel stops)"
            if doing
            else f"Fetching StackOne's log of {html.escape(request_id)}…"
        )
        self.summary_label.setText("")
        self.cancel_button.setVisible(True)
        self.fetch_button.setEnabled(False)
        self._show_step(-1)

    def show_problem(self, request_id: str, text: str) -> None:
        """No trace, and why, in words (missing scope, an old id, offline...)."""
        self._stop_loading()
        self.trace = None
        self.model.set_rows([])
        self.header_label.setText(f"No trace for {html.escape(request_id)}")
        colour = status_colour("4xx", is_dark()).name()
        self.summary_label.setText(f'<span style="color: {colour}">⚠ {html.escape(text)}</span>')
        self._show_step(-1)
        announce(self, text)

    def show_trace(self, trace: Trace) -> None:
        self._stop_loading()
        self.trace = trace
        self.request_edit.setText(trace.request_id)
        self.setWindowTitle(f"Request trace: {trace.request_id}")
        self.header_label.setText(self._header(trace))
        self.model.set_rows(trace.steps)
        failed = trace.failures
        summary = html.escape(trace.summary())
        if failed:
            colour = status_colour("5xx", is_dark()).name()
            link = f' <a href="step:{failed[0].number}">Show step {failed[0].number}</a>'
            self.summary_label.setText(f'<b style="color: {colour}">{summary}</b>{link}')
        else:
            self.summary_label.setText(summary)
        first = failed[0].number - 1 if failed else 0
        if trace.steps:
            self.select_step(first)
        else:
            self._show_step(-1)
        announce(self, trace.summary())

    def _stop_loading(self) -> None:
        self.loading = False
        self.cancel_button.setVisible(False)
        self.fetch_button.setEnabled(True)

    @staticmethod
    def _header(trace: Trace) -> str:
        status = str(trace.status) if trace.status is not None else "no status"
        facts = [
            f"<b>{html.escape(trace.action or 'request')}</b>",
            f"account {html.escape(trace.account_id)}" if trace.account_id else "",
            html.escape(trace.provider),
            f"StackOne answered {status}"
            + (f" in {human_duration(trace.duration_ms)}" if trace.duration_ms else ""),
            html.escape(when(trace.start_time)) if trace.start_time else "",
        ]
        return " · ".join(f for f in facts if f)

    # -- one step ----------------------------------------------------------------------------
    def select_step(self, row: int) -> None:
        index = self.model.index(row, 0)
        if index.isValid():
            self.steps_table.setCurrentIndex(index)
            self.steps_table.scrollTo(index)
            self._show_step(row)

    def current_step(self) -> TraceStep | None:
        return self.model.step(self.steps_table.currentIndex().row())

    def _show_step(self, row: int) -> None:
        step = self.model.step(row)
        self._set_step_buttons(step)
        if step is None:
            self.step_label.setText("")
            self.response_view.clear()
            self.request_view.clear()
            return
        self.step_label.setText(self._step_heading(step))
        self._show_response(step)
        self.request_view.setPlainText(step.request_text())
        self.detail_tabs.setCurrentIndex(0)

    def _step_heading(self, step: TraceStep) -> str:
        """``Step 1 of 3: GET https://… answered 401 in 120 ms - FAILED`` (bold when failed)."""
        total = len(self.trace.steps) if self.trace is not None else step.number
        answer = f"answered {step.status}" if step.status is not None else "got no answer"
        took = f" in {human_duration(step.duration_ms)}" if step.duration_ms is not None else ""
        text = html.escape(
            f"Step {step.number} of {total}: {step.method or '?'} {step.url} {answer}{took}"
        )
        if not step.failed:
            return text
        colour = status_colour("5xx", is_dark()).name()
        return f'<b style="color: {colour}">{text} - FAILED</b>'

    def _show_response(self, step: TraceStep) -> None:
        """The provider's answer; its body (an error, as often as not) pretty and coloured."""
        response = step.response
        if response is None:
            self.response_view.setPlainText(step.response_text())
            return
        dark = is_dark()
        parts = [f"<pre>{html.escape(step.response_head())}</pre>"]
        for title, text in (("", response.body), ("provider_errors:", response.provider_errors)):
            if not text:
                continue
            if title:
                parts.append(f"<pre>{html.escape(title)}</pre>")
            parts.append(_body_html(text, dark))
        self.response_view.setHtml("".join(parts))

    def _set_step_buttons(self, step: TraceStep | None) -> None:
        for button in (self.open_text_button, self.copy_curl_button, self.copy_body_button):
            button.setEnabled(step is not None)

    # -- commands ----------------------------------------------------------------------------
    def open_request_text(self) -> StepText | None:
        step = self.current_step()
        if step is None or self.trace is None:
            return None
        window = StepText(step, self.trace.request_id, self)
        self.text_windows = [w for w in self.text_windows if w.isVisible()] + [window]
        window.show()
        return window

    def copy_curl(self) -> None:
        step = self.current_step()
        if step is not None:
            QGuiApplication.clipboard().setText(step.curl())
            self.message.emit(
                f"Copied step {step.number} as curl (credentials <redacted>; no StackOne key)"
            )

    def copy_response(self) -> None:
        step = self.current_step()
        if step is not None:
            QGuiApplication.clipboard().setText(step.response_text())
            self.message.emit(f"Copied the response of step {step.number}")

    def _fetch_clicked(self) -> None:
        self.fetch_requested.emit(self.request_edit.text())

    def _on_link(self, link: str) -> None:
        if link.startswith("step:"):
            self.select_step(int(link.split(":", 1)[1]) - 1)
            self.steps_table.setFocus()

    # -- closing -----------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc: stop a fetch in progress first; then close."""
        if self.loading:
            self.cancel_requested.emit()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.loading:
            self.cancel_requested.emit()
        super().closeEvent(event)
