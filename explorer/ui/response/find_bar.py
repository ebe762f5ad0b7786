"""Find in the response's text: Enter = next, Shift+Enter = previous, Esc closes.

It searches what the current tab shows: a text view through Qt's own find, a ``LinesView``
(a big body) in its Python string.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from explorer.ui.accessibility import name_clear_button
from explorer.ui.response.lines_view import LinesView

TextView = QTextEdit | QPlainTextEdit
FindTarget = TextView | LinesView


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
