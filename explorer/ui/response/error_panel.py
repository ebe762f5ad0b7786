"""What went wrong, in words a support engineer can act on.

Shown above the response tabs for every error status and every transport failure: the
StackOne message, what the status means, the error code and request id to quote, the
provider's own errors as a table, and for 408/429 a ``Retry-After`` countdown with a Retry
button (automatic retry only when the user ticks the box).
"""

from __future__ import annotations

import json
import math
import time
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.exchange import Failure
from explorer.core.response import RpcResponse, explain_status
from explorer.ui.accessibility import announce
from explorer.ui.widgets.flow_layout import FlowLayout

# A title per transport failure kind (the class names in explorer.core.errors).
FAILURE_TITLES = {
    "ConnectFailed": "Could not connect",
    "DNSFailed": "Host name not found (DNS)",
    "TLSFailed": "Secure connection (TLS) failed",
    "TimedOut": "Timed out",
    "ConnectionDropped": "Connection dropped",
    "BadResponse": "Unreadable response",
    "BodyTooLarge": "Response too large",
    "Cancelled": "Cancelled",
    "TransportError": "No response",
}
RETRY_STATUSES = (408, 429)
DEFAULT_RETRY_AFTER = 60.0  # StackOne's documented default when the header is missing


class ErrorPanel(QFrame):
    """Explains one error response or transport failure.

    Signals:
        retry_requested(): the user pressed Retry.
        auto_retry_requested(): the countdown ended with "Retry automatically" ticked.
        auto_retry_changed(bool): the "Retry automatically" box was toggled (to remember it).
        manage_profiles_requested(): the user wants to check the profile's key (after a 401).
    """

    retry_requested = Signal()
    auto_retry_requested = Signal()
    auto_retry_changed = Signal(bool)
    manage_profiles_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._deadline: float | None = None
        self._live = False  # the exchange shown was just sent (see ``show_response``)

        self.title_label = QLabel()
        self.title_label.setObjectName("errorTitle")
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        _shrinkable(self.title_label)
        self.message_label = self._text_label()
        self.meaning_label = self._text_label()
        self.details_label = self._text_label()

        self.provider_table = QTableWidget(0, 3)
        self.provider_table.setHorizontalHeaderLabels(["Status", "URL", "Raw"])
        self.provider_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.provider_table.verticalHeader().setVisible(False)
        header = self.provider_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.provider_table.setWordWrap(False)
        self.provider_table.horizontalScrollBar().rangeChanged.connect(self._fit_provider_table)
        self.provider_table.setAccessibleName("Provider errors")
        self.provider_table.setAccessibleDescription(
            "What the provider itself answered: status, URL and raw error, one row each"
        )
        self.provider_table.setTabKeyNavigation(False)  # one Tab stop; the arrows move inside
        self.provider_caption = QLabel("Provider errors (what the provider itself answered):")
        self.provider_caption.setWordWrap(True)
        _shrinkable(self.provider_caption)

        self.countdown_label = QLabel()
        self.retry_button = QPushButton("Re&try")
        self.retry_button.setToolTip("Send the same request again")
        self.retry_button.clicked.connect(self.retry_requested)
        self.auto_retry_check = QCheckBox("Retry a&utomatically")
        self.auto_retry_check.setToolTip(
            "When the wait is over, send the request again without asking (off by default)"
        )
        self.auto_retry_check.toggled.connect(self.auto_retry_changed)
        self.profiles_button = QPushButton("Check the API &key…")
        self.profiles_button.clicked.connect(self.manage_profiles_requested)
        actions = FlowLayout(align_right=True)  # wraps rather than widening the window
        actions.addWidget(self.countdown_label)
        actions.addWidget(self.auto_retry_check)
        actions.addWidget(self.profiles_button)
        actions.addWidget(self.retry_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.meaning_label)
        layout.addWidget(self.details_label)
        layout.addWidget(self.provider_caption)
        layout.addWidget(self.provider_table)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self.clear()

    @staticmethod
    def _text_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)  # a word longer than the line still wraps
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return _shrinkable(label)

    def tab_chain(self) -> list[QWidget]:
        """The panel's controls in reading order, for Tab."""
        return [self.provider_table, self.auto_retry_check, self.profiles_button, self.retry_button]

    # -- public -----------------------------------------------------------------------------
    def clear(self) -> None:
        self._timer.stop()
        self._deadline = None
        self._live = False
        for label in (self.title_label, self.message_label, self.meaning_label):
            label.clear()
        self.details_label.clear()
        self.provider_table.setRowCount(0)
        self.provider_table.hide()
        self.provider_caption.hide()
        self.countdown_label.clear()
        self.retry_button.hide()
        self.auto_retry_check.hide()
        self.profiles_button.hide()

    def set_auto_retry(self, on: bool) -> None:
        self.auto_retry_check.setChecked(on)

    def show_response(
        self, response: RpcResponse, *, live: bool = True, waited: float = 0.0
    ) -> None:
        """Explain an error status (4xx/5xx).

        Args:
            response: the error response.
            live: the user just sent it and it is on screen: only then may the end of a
                ``Retry-After`` wait retry by itself. An exchange re-opened from the history
                never sends on its own; its Retry button stays the user's choice.
            waited: seconds since the response arrived, taken off its ``Retry-After`` wait.
        """
        self.clear()
        self._live = live
        error = response.error
        self.title_label.setText(f"{response.status} {response.reason}".strip())
        message = error.message if error and error.message else ""
        self.message_label.setText(
            f"<b>StackOne says:</b> {escape(message)}" if message else "StackOne sent no message."
        )
        self.meaning_label.setText(escape(explain_status(response), quote=False))
        details = []
        if error and error.error_code:
            details.append(f"Error code: <code>{escape(error.error_code)}</code>")
        if response.request_id:
            details.append(
                f"Request id: <code>{escape(response.request_id)}</code> (quote it to support)"
            )
        if error and error.timestamp:
            details.append(f"At: {escape(error.timestamp)}")
        self.details_label.setText(" · ".join(details))
        self.details_label.setVisible(bool(details))
        if error and error.provider_errors:
            self.provider_table.setRowCount(len(error.provider_errors))
            for row, item in enumerate(error.provider_errors):
                raw = item.raw if isinstance(item.raw, str) else json.dumps(item.raw)
                cells = ("" if item.status is None else str(item.status), item.url or "", raw)
                for column, text in enumerate(cells):
                    cell = QTableWidgetItem(text)
                    cell.setToolTip(text)
                    self.provider_table.setItem(row, column, cell)
            self.provider_table.resizeColumnToContents(1)
            self._fit_provider_table()
            self.provider_caption.show()
            self.provider_table.show()
        if response.status == 401:
            self.profiles_button.show()
        if response.status in RETRY_STATUSES:
            wait = response.retry_after if response.retry_after is not None else DEFAULT_RETRY_AFTER
            self._start_countdown(max(0.0, wait - max(0.0, waited)))

    def _fit_provider_table(self, *_range: int) -> None:
        """Up to four rows tall, plus the horizontal scroll bar while one is needed (a long
        URL in a narrow pane), so the bar never covers the only row."""
        table = self.provider_table
        rows = min(table.rowCount(), 4)
        height = table.horizontalHeader().height() + 4
        height += sum(table.rowHeight(r) for r in range(rows))
        bar = table.horizontalScrollBar()
        if bar.maximum() > 0:
            height += bar.sizeHint().height()
        if table.height() != height:
            table.setFixedHeight(height)

    def show_failure(self, failure: Failure, base_url: str) -> None:
        """Explain why no response arrived; the message already names the base URL."""
        self.clear()
        self.title_label.setText(FAILURE_TITLES.get(failure.kind, failure.kind or "No response"))
        self.message_label.setText(escape(failure.message))
        if base_url and base_url not in failure.message:
            self.meaning_label.setText(f"Base URL: {escape(base_url)}")
        if failure.kind == "Cancelled":
            self.meaning_label.setText("Nothing was received; the request was aborted.")
        self.retry_button.show()
        self.retry_button.setEnabled(True)

    def seconds_left(self) -> float:
        if self._deadline is None:
            return 0.0
        return max(0.0, self._deadline - time.monotonic())

    # -- countdown --------------------------------------------------------------------------
    def _start_countdown(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self.retry_button.show()
        self.auto_retry_check.setVisible(self._live)
        self._tick()
        if self._deadline is not None:
            self._timer.start()
            # After the status line is announced ("429 Too Many Requests"), not before it.
            text = self.countdown_label.text()
            QTimer.singleShot(0, self, lambda: announce(self, text))

    def _tick(self) -> None:
        left = self.seconds_left()
        if left > 0:
            self.countdown_label.setText(f"Retry-After: you can retry in {math.ceil(left)} s")
            self.retry_button.setEnabled(False)
            return
        self._timer.stop()
        self._deadline = None
        self.countdown_label.setText("The wait is over: you can retry now.")
        self.retry_button.setEnabled(True)
        announce(self, self.countdown_label.text())
        if self._live and self.auto_retry_check.isChecked():
            self.countdown_label.setText("Retrying automatically…")
            self.auto_retry_requested.emit()


def _shrinkable(label: QLabel) -> QLabel:
    """Let a word-wrapped label take any width: a long message or URL wraps inside the panel
    instead of setting the window's minimum width (its height still follows its width)."""
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    label.setSizePolicy(policy)
    return label
