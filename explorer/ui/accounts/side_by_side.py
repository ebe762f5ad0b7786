"""Two responses side by side: the plain compare of two accounts' answers.

The JSON-aware compare (``explorer.core.compare``, its own window) takes over through the
run's single ``compare_requested(Exchange, Exchange)`` hook once it is there; until then
this shows both bodies pretty-printed next to each other, scrolled together, formatted on
the pool so a big body never freezes the window.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Qt, QThreadPool
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.core.exchange import Exchange
from explorer.core.render import pretty_json
from explorer.ui.jobs import RenderJob
from explorer.ui.response.body import plain_edit


def _title(exchange: Exchange) -> str:
    response = exchange.response
    answer = (
        f"{response.status} {response.reason}".strip()
        if response is not None
        else (exchange.failure.message if exchange.failure else "no response")
    )
    return f"<b>{exchange.request.account_id}</b> · {answer}"


def body_text(exchange: Exchange) -> str:
    """What to compare: the body pretty (JSON indented), or why there is none."""
    response = exchange.response
    if response is None:
        return exchange.failure.message if exchange.failure else "(no response)"
    if response.over_limit:
        return "(the body is over the body size limit: open it in the response view)"
    if response.kind == "json":
        return pretty_json(response.json)
    if response.kind == "binary":
        return f"(a file: {response.filename or response.content_type}, {response.size} bytes)"
    return response.text()


class SideBySide(QDialog):
    """Two exchanges' bodies next to each other, scrolling together."""

    def __init__(self, left: Exchange, right: Exchange, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sideBySide")
        self.setWindowTitle(
            f"Compare {left.request.account_id} and {right.request.account_id}: "
            f"{left.request.action}"
        )
        self.setModal(False)
        self.views: list[QPlainTextEdit] = []
        self._signals: list[QObject] = []
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for exchange in (left, right):
            pane = QWidget()
            layout = QVBoxLayout(pane)
            layout.setContentsMargins(0, 0, 0, 0)
            label = QLabel(_title(exchange))
            view = plain_edit()
            view.setAccessibleName(f"Response of {exchange.request.account_id}")
            view.setPlainText("Formatting…")
            layout.addWidget(label)
            layout.addWidget(view, 1)
            splitter.addWidget(pane)
            self.views.append(view)
        first, second = (v.verticalScrollBar() for v in self.views)
        first.valueChanged.connect(second.setValue)
        second.valueChanged.connect(first.setValue)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1100, 700)
        for number, exchange in enumerate((left, right)):
            job = RenderJob(number, partial(body_text, exchange))
            job.signals.done.connect(self._formatted)
            self._signals.append(job.signals)
            QThreadPool.globalInstance().start(job)

    def _formatted(self, number: int, text: object) -> None:
        shown = text if isinstance(text, str) else f"Could not format the body: {text}"
        self.views[number].setPlainText(shown)

    def texts(self) -> list[str]:
        return [v.toPlainText() for v in self.views]
