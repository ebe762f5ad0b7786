"""Typing a secret: masked by default, shown only while the user asks to see it.

Used wherever a key or a secret variable value is typed (the profiles dialog, the environments
dialog), so a screen share or a screenshot taken while typing does not show it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLineEdit

DOTS = "••••••••"  # how a secret cell reads on screen (echo mode, not a stored placeholder)
_ICON_SIZE = 16


def mask_secret_entry(edit: QLineEdit) -> QAction:
    """Make ``edit`` a password field with a show/hide toggle at its end; returns the toggle."""
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    colour = edit.palette().color(QPalette.ColorRole.Text)
    # Created with its text: that names the button for screen readers (only the eye is drawn).
    toggle = QAction(_eye_icon(colour), "Show the value", edit)
    edit.addAction(toggle, QLineEdit.ActionPosition.TrailingPosition)
    toggle.setCheckable(True)
    toggle.setToolTip("Show the value")

    def flip(shown: bool) -> None:
        edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        what = "Hide the value" if shown else "Show the value"
        toggle.setText(what)
        toggle.setToolTip(what)

    toggle.toggled.connect(flip)
    return toggle


def _eye_icon(colour: QColor) -> QIcon:
    """An eye, drawn in the text colour (no icon theme is needed)."""
    pixmap = QPixmap(_ICON_SIZE, _ICON_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(colour, 1.4))
    outline = QPainterPath()
    outline.moveTo(1.5, 8)
    outline.quadTo(8, 1.5, 14.5, 8)
    outline.quadTo(8, 14.5, 1.5, 8)
    painter.drawPath(outline)
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(QPointF(5.5, 5.5), QPointF(10.5, 10.5)))
    painter.end()
    return QIcon(pixmap)
