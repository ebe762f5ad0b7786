"""A one-line label that keeps its height: long text is cut with "…", whole in the tooltip.

For messages that come and go while the user types (why Send is blocked): a word-wrapped label
grows and shrinks with its text and moves everything below it under the mouse. This one always
takes one line, and keeps that line while hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """``text()`` is the whole text; what is painted is cut to the width with "…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(False)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setMinimumHeight(self.fontMetrics().height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text if text else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, rect.width()
        )
        if not shown:
            return
        # What Fusion's ``QStyle.drawItemText`` does, without asking the style: a QStyle
        # reaching Python makes PySide create its 11 enum classes (~6 ms) before the first
        # paint.
        painter = QPainter(self)
        painter.setPen(QPen(self.palette().brush(self.foregroundRole()), painter.pen().widthF()))
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
