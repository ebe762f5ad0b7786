"""The response's headline: status, time and size, Save body… and ⋯; the request id with Copy
id and Trace…; the account the exchange went to; the pages bar of a paged list.

Part of the result page (``response.view``), built with it: the view connects the buttons
and says what each shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.exchange import Exchange
from explorer.core.response import RpcResponse
from explorer.core.units import human_ms, human_size
from explorer.ui.response.error_panel import FAILURE_TITLES
from explorer.ui.response.pages import PagesBar
from explorer.ui.theme import status_colour
from explorer.ui.widgets.elided_label import ElidedLabel
from explorer.ui.widgets.flow_layout import FlowLayout


def size_text(response: RpcResponse) -> str:
    """``Size 2.0 MB`` plus what crossed the wire when it came compressed."""
    text = f"Size {human_size(response.size)}"
    if response.wire_size is not None:
        coding = response.content_encoding or "compressed"
        text += f" ({human_size(response.wire_size)} on the wire, {coding})"
    return text


class StatusLine(QWidget):
    """The labels and buttons above the error panel and the tabs."""

    def __init__(self, pool: QThreadPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.trace_button = QPushButton("Trace…")
        self.trace_button.setToolTip(
            "What StackOne did with this request: each provider call, its request and response"
        )
        # The account the exchange went to: customer, provider, type, status (as listed now).
        self.account_label = ElidedLabel()
        self.account_label.setObjectName("exchangeAccount")
        self.pages = PagesBar(pool, self)
        self.save_body_button = QPushButton("Save body…")
        self.save_body_button.setToolTip("Save the whole response body to a file")
        self.tools_button = QToolButton()
        self.tools_button.setText("⋯")
        self.tools_button.setAccessibleName("More for this response")
        self.tools_button.setToolTip("Compare, pin as baseline, Defender check, share as a case")
        self.tools_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tools_button.hide()  # until the window gives it actions

        first = FlowLayout()  # wraps when narrow instead of widening the pane and window
        first.setSpacing(12)
        for label in (self.status_label, self.time_label, self.size_label):
            first.addWidget(label)
        first.addWidget(self.save_body_button)
        first.addWidget(self.tools_button)
        second = QHBoxLayout()
        second.addWidget(self.request_id_label, 1)
        second.addWidget(self.copy_id_button)
        second.addWidget(self.trace_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.account_label)
        layout.addWidget(self.pages)

    def show_exchange(self, exchange: Exchange, dark: bool) -> None:
        """Status (coloured by its class), time, size and request id, or why none came."""
        response = exchange.response
        if response is None:
            kind = exchange.failure.kind if exchange.failure else ""
            self.status_label.setText(f"No response · {FAILURE_TITLES.get(kind, kind)}")
            colour = status_colour("none", dark)
            self.time_label.setText("")
            self.size_label.setText("")
            self.request_id_label.setText("")
            self.copy_id_button.hide()
            self.trace_button.hide()
            self.save_body_button.hide()
        else:
            self.save_body_button.setVisible(response.size > 0)
            self.status_label.setText(f"{response.status} {response.reason}".strip())
            colour = status_colour(response.status_class, dark)
            timing = response.timing
            self.time_label.setText(
                f"Time {human_ms(timing.total_ms)} (TTFB {human_ms(timing.ttfb_ms)})"
            )
            self.size_label.setText(size_text(response))
            if response.request_id:
                self.request_id_label.setText(f"x-request-id: {response.request_id}")
                self.copy_id_button.show()
                self.trace_button.show()
            else:
                self.request_id_label.setText("no x-request-id")
                self.copy_id_button.hide()
                self.trace_button.hide()
        self.status_label.setStyleSheet(f"color: {colour.name()};")
