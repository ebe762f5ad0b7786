"""Shift+F10 opens the context menu of whatever has the keyboard focus, as a right-click
there would, at the text cursor: line edits, the request editor's JSON fields, an editable
combo box's text, plain and rich text views. Only Qt's Menu key did it before; a keyboard
user on any desktop expects Shift+F10 too.

Widgets that place their own menu (``widgets.menu_key``: the history list, the response's
Pretty view) open it once, not twice.

Every window has it, whether the app builds it (the main window, a comparison, Manage
profiles, the environments) or Qt does (a name asked with ``QInputDialog``): a shortcut on
each window the focus enters, not an event filter on the application.

The menu is a popup with its own event loop: a timer reads it once it is up and closes it
with Esc, as a person would, and counts the menus that came up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.ui.collections.dialogs import SaveRequestDialog, ask_name
from explorer.ui.collections.environments_dialog import EnvironmentsDialog
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.profiles.dialog import ProfilesDialog
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
    # Where the widget's text cursor was on screen as the key was pressed (the window may
    # still move its parts afterwards, e.g. a finished comparison's progress row going away).
    cursor: QPoint | None = None


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
    # Laid out as a person sees it before pressing a key: a layout change still queued (a
    # comparison that finished fast hides its progress row) would move the field after the
    # menu was placed.
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    seen.cursor = cursor_on_screen(widget)
    qtbot.keyClick(widget, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.wait(150)  # a second menu (or one not opened by the press itself) would show by now
    timer.stop()
    return seen


def cursor_on_screen(widget: QWidget) -> QPoint | None:
    """The text cursor's middle in screen coordinates (``None``: a list, no text cursor)."""
    if isinstance(widget, QAbstractItemView):
        return None
    if isinstance(widget, QAbstractScrollArea):
        rect: QRect = widget.cursorRect()  # type: ignore[attr-defined]
        return widget.viewport().mapToGlobal(rect.center())
    rect = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    return widget.mapToGlobal(rect.center())


def a_text_menu(seen: Seen, widget: QWidget) -> None:
    """One menu came up, the standard text menu, at ``widget``'s text cursor."""
    assert len(seen.texts) == 1, f"{len(seen.texts)} menus opened"
    assert any("Select All" in text.replace("&", "") for text in seen.texts[0]), seen.texts
    corner, cursor = seen.corners[0], seen.cursor
    assert cursor is not None and (corner - cursor).manhattanLength() <= NEAR, (corner, cursor)


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


def in_modal(qtbot: QtBot, open_it: Callable[[], object], check: Callable[[QDialog], None]) -> None:
    """Open a modal dialog with ``open_it``; once it is up and active, ``check`` it (inside its
    own event loop, as a person at the keyboard), then close it."""
    failures: list[BaseException] = []
    checked: list[QDialog] = []
    polls = [0]

    def inspect() -> None:
        dialog = QApplication.activeModalWidget()
        polls[0] += 1
        if not isinstance(dialog, QDialog) or not dialog.isActiveWindow():
            if polls[0] < 250:
                QTimer.singleShot(20, inspect)
            return
        checked.append(dialog)
        try:
            check(dialog)
        except BaseException as exc:  # raised below, once exec() has returned
            failures.append(exc)
        finally:
            dialog.reject()

    QTimer.singleShot(0, inspect)
    open_it()
    if failures:
        raise failures[0]
    assert checked, "no dialog opened"


def test_shift_f10_in_manage_profiles(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()

    def check(dialog: QDialog) -> None:
        assert isinstance(dialog, ProfilesDialog)
        edit = dialog.account_edit
        edit.setCursorPosition(4)
        a_text_menu(shift_f10(qtbot, edit), edit)

    in_modal(qtbot, window.profiles_action.trigger, check)


def test_shift_f10_in_an_environments_cell_being_edited(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    store = CollectionStore.create(home.collections_dir / "team", "Team", credentials=credentials)
    store.set_environment(Environment("dev", variables={"account": "acct_bamboohr_demo"}))
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    pane.view.setCurrentIndex(pane.model.index(0, 0))

    def check(dialog: QDialog) -> None:
        assert isinstance(dialog, EnvironmentsDialog)
        item = dialog.table.item(0, 0)
        assert item is not None and item.text() == "account"
        dialog.table.setFocus()
        dialog.table.editItem(item)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit) and editor.window() is dialog
        a_text_menu(shift_f10(qtbot, editor), editor)
        QTest.keyClick(editor, Qt.Key.Key_Escape)  # the edit called off: nothing to ask

    in_modal(qtbot, pane.environments_action.trigger, check)


def test_shift_f10_in_a_dialog_qt_builds(qtbot: QtBot, make_window: WindowFactory) -> None:
    """A name asked with Qt's own ``QInputDialog`` (a new folder, a renamed request...)."""
    window = make_window()

    def check(dialog: QDialog) -> None:
        edit = dialog.findChild(QLineEdit)
        assert edit is not None
        edit.setCursorPosition(2)  # room for the menu on the screen, right of the cursor
        a_text_menu(shift_f10(qtbot, edit), edit)

    in_modal(qtbot, lambda: ask_name(window, "New folder", "Name:", "Employees"), check)


def test_shift_f10_in_a_comparison_window(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    employees = RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    acme = send(qtbot, window, employees)
    globex = send(qtbot, window, employees.copy(account_id="acct_bamboohr_globex"))
    compare = window.compare(acme, globex)
    qtbot.waitUntil(lambda: not compare.job.is_busy(), timeout=15_000)
    with qtbot.waitExposed(compare):
        compare.show()
    a_text_menu(shift_f10(qtbot, compare.path_filter), compare.path_filter)
    table = compare.body_table  # places its own menu, on the current change
    table.setCurrentIndex(table.model().index(0, 0))
    seen = shift_f10(qtbot, table)
    assert seen.texts == [["Ignore this field", "Copy JSONPath"]], seen.texts
    row = table.visualRect(table.currentIndex())
    corner = table.viewport().mapFromGlobal(seen.corners[0])
    assert row.top() - NEAR <= corner.y() <= row.bottom() + NEAR, (corner, row)
    compare.close()
