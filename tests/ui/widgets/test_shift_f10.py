"""Shift+F10 opens the context menu of whatever has the keyboard focus, as a right-click
there would, at the text cursor: line edits, the request editor's JSON fields, an editable
combo box's text, plain and rich text views. Only Qt's Menu key did it before; a keyboard
user on any desktop expects Shift+F10 too.

Widgets that place their own menu (``widgets.menu_key``: the history list, the response's
Pretty view) open it once, not twice.

The menu is a popup with its own event loop: a timer reads it once it is up and closes it
with Esc, as a person would, and counts the menus that came up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.ui.collections.dialogs import SaveRequestDialog
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.response.body import text_edit
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
# The menu stands at the text cursor: its corner within this many pixels of the cursor.
NEAR = 24


@dataclass
class Seen:
    """The menus that came up after a key press, each closed with Esc once read."""

    texts: list[list[str]] = field(default_factory=list)
    corners: list[QPoint] = field(default_factory=list)


def shift_f10(qtbot: QtBot, widget: QWidget) -> Seen:
    """Press Shift+F10 on ``widget`` (focused first) and read what pops up."""
    seen = Seen()
    menus: list[QMenu] = []

    def read() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu) and menu.isVisible() and menu not in menus:
            menus.append(menu)
            seen.texts.append([a.text() for a in menu.actions() if not a.isSeparator()])
            seen.corners.append(menu.geometry().topLeft())
            QTest.keyClick(menu, Qt.Key.Key_Escape)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(read)
    timer.start()
    top = widget.window()
    if not top.isActiveWindow():  # as a window manager gives it back after a popup
        with qtbot.waitActive(top):
            top.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.wait(150)  # a second menu (or one not opened by the press itself) would show by now
    timer.stop()
    return seen


def cursor_on_screen(widget: QWidget) -> QPoint:
    """The text cursor's middle in screen coordinates."""
    if isinstance(widget, QAbstractScrollArea):
        rect: QRect = widget.cursorRect()  # type: ignore[attr-defined]
        return widget.viewport().mapToGlobal(rect.center())
    rect = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    return widget.mapToGlobal(rect.center())


def a_text_menu(seen: Seen, widget: QWidget) -> None:
    """One menu came up, the standard text menu, at ``widget``'s text cursor."""
    assert len(seen.texts) == 1, f"{len(seen.texts)} menus opened"
    assert any("Select All" in text.replace("&", "") for text in seen.texts[0]), seen.texts
    corner, cursor = seen.corners[0], cursor_on_screen(widget)
    assert (corner - cursor).manhattanLength() <= NEAR, (corner, cursor)


def test_shift_f10_opens_the_menu_of_the_editors_fields_at_the_cursor(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    editor = window.editor
    editor.load_request(
        RpcRequest(
            action="bamboohr_list_employees",
            account_id="acct_bamboohr_demo",
            body={"first_name": "Ada", "last_name": "Lovelace"},
        )
    )
    action = editor.action_edit
    action.setFocus()
    action.setCursorPosition(8)
    a_text_menu(shift_f10(qtbot, action), action)

    editor.tabs.setCurrentIndex(3)
    body = editor.json_editors["body"]
    body.setFocus()
    cursor = body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Down)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfLine)
    body.setTextCursor(cursor)
    a_text_menu(shift_f10(qtbot, body), body)


def test_shift_f10_in_a_dialogs_combo_box_and_text_box(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    dialog = SaveRequestDialog([], name="List employees", parent=window)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    combo = dialog.collection_combo
    edit = combo.lineEdit()
    assert isinstance(edit, QLineEdit)
    a_text_menu(shift_f10(qtbot, combo), edit)
    a_text_menu(shift_f10(qtbot, dialog.description_edit), dialog.description_edit)


def test_shift_f10_in_a_rich_text_view(qtbot: QtBot, make_window: WindowFactory) -> None:
    make_window()
    page = QWidget()
    qtbot.addWidget(page)
    view = text_edit()
    view.setHtml("<p>line one</p><p><b>line two</b></p>")
    QVBoxLayout(page).addWidget(view)
    with qtbot.waitExposed(page):
        page.show()
    with qtbot.waitActive(page):
        page.activateWindow()
    a_text_menu(shift_f10(qtbot, view), view)


def test_widgets_placing_their_own_menu_open_it_once(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(
        qtbot, window, RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    history = window.history_pane.view
    seen = shift_f10(qtbot, history)
    assert len(seen.texts) == 1 and any("Open in editor" in t for t in seen.texts[0])
    assert window.response_view.focus_content()
    focused = window.focusWidget()  # the Pretty view
    assert focused is not None and window.response_view.isAncestorOf(focused)
    seen = shift_f10(qtbot, focused)
    assert len(seen.texts) == 1, seen.texts
