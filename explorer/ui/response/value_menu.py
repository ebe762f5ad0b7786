"""The response body's context menu: the usual Copy and Select All, plus "Set variable…" for
the value under the pointer (or the selected text).

Which value is under the pointer is ``core.json_position``'s answer on the text as shown;
the menu key and Shift+F10 (``widgets.menu_key``) ask about the text cursor's place instead, so
a keyboard user moves the cursor onto a value and opens the menu there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from explorer.core.json_position import PickedValue, value_at
from explorer.ui.widgets import menu_key

SET_VARIABLE = "Set &variable…"

TextView = QTextEdit | QPlainTextEdit


def picked_at(view: TextView, offset: int) -> PickedValue | None:
    """The selection when there is one, else the JSON value at ``offset`` in the text."""
    selected = view.textCursor().selectedText().replace("\u2029", "\n")
    if selected.strip():
        return PickedValue(key="", value=selected, path="")
    return value_at(view.toPlainText(), offset)


class ValueMenu(QObject):
    """Watches a text view's context menu requests (mouse and keyboard) and shows the menu."""

    def __init__(self, view: TextView, pick: Callable[[PickedValue], None]) -> None:
        super().__init__(view)
        self.view = view
        self.pick = pick
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        menu_key.install(view)  # the keys, as a keyboard context-menu event

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = self.view
        if event.type() != QEvent.Type.ContextMenu or not isinstance(event, QContextMenuEvent):
            return False
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            pos = event.pos()
            if watched is view:
                pos = view.viewport().mapFrom(view, pos)
            offset = view.cursorForPosition(pos).position()
        else:
            pos = view.cursorRect().center()
            offset = view.textCursor().position()
        self.show(pos, picked_at(view, offset))
        return True

    def show(self, pos: QPoint, picked: PickedValue | None) -> None:
        view = self.view
        menu = view.createStandardContextMenu(pos)
        menu.addSeparator()
        action = menu.addAction(SET_VARIABLE)
        action.setEnabled(picked is not None)
        if picked is not None:
            action.setStatusTip(f"{{{{name}}}} = {picked.value[:60]}")
            action.triggered.connect(lambda _checked=False: self.pick(picked))
        else:
            action.setStatusTip("Right-click a value (a string, number, true, false or null)")
        menu.exec(view.viewport().mapToGlobal(pos))
        menu.deleteLater()


def install(view: TextView, pick: Callable[[PickedValue], None]) -> ValueMenu:
    """Give ``view`` the menu; ``pick`` gets the value when "Set variable…" is chosen."""
    return ValueMenu(view, pick)
