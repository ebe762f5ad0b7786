"""Shift+F10 and the Menu key open a list's context menu at its current item, as a right-click
would there: the history list, the collections tree, the compare window's differences, the
Defender check's findings and the response's line views.

The menu is a popup that runs its own event loop: a timer reads it once it is up (what it
offers and where it stands) and closes it with Esc, as a person would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
SHIFT = Qt.KeyboardModifier.ShiftModifier
KEYS = pytest.mark.parametrize(
    ("key", "modifier"),
    [(Qt.Key.Key_F10, SHIFT), (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier)],
    ids=["shift-f10", "menu-key"],
)


@dataclass
class Popup:
    """A context menu as it was on screen."""

    texts: list[str]
    top_left: QPoint
    bottom: int
    row: tuple[int, int]  # the current row's top and bottom on screen meanwhile


def settle(qtbot: QtBot, view: QAbstractItemView) -> None:
    """Let a window just opened finish its layout (labels wrapping, headers sizing), so the
    current row stays where it is between the key press and the reading of the menu."""
    where = None
    for _ in range(50):
        now = view.viewport().mapToGlobal(view.visualRect(view.currentIndex()).topLeft())
        if now == where:
            return
        where = now
        qtbot.wait(20)


def menu_after(
    qtbot: QtBot, view: QAbstractItemView, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> Popup | None:
    """Press ``key`` on ``view``; the menu that pops up (then closed with Esc), or None."""
    seen: list[Popup] = []

    def read() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            texts = [a.text() for a in menu.actions() if not a.isSeparator()]
            geometry = menu.geometry()
            rect = view.visualRect(view.currentIndex())
            row = (
                view.viewport().mapToGlobal(rect.topLeft()).y(),
                view.viewport().mapToGlobal(rect.bottomLeft()).y(),
            )
            seen.append(Popup(texts, geometry.topLeft(), geometry.bottom(), row))
            QTest.keyClick(menu, Qt.Key.Key_Escape)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(read)
    timer.start()
    view.setFocus()
    settle(qtbot, view)
    qtbot.keyClick(view, key, modifier)
    qtbot.wait(100)  # a menu not opened by the key press itself would show by now
    timer.stop()
    return seen[0] if seen else None


def at_row(view: QAbstractItemView, index: QModelIndex, popup: Popup) -> bool:
    """The menu stands on ``index``'s row (not at the pointer, not at the view's corner):
    below the point, or above it where the screen ends."""
    assert view.currentIndex() == index
    top, bottom = popup.row
    below = top <= popup.top_left.y() <= bottom + 1
    above = top - 1 <= popup.bottom + 1 <= bottom + 1
    assert below or above, f"menu {popup} not at the row from y={top} to {bottom}"
    return True


@KEYS
def test_the_history_list_opens_its_menu_at_the_current_entry(
    qtbot: QtBot, make_window: WindowFactory, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    window = make_window()
    for page_size in (1, 2, 3):
        send(
            qtbot,
            window,
            RpcRequest(
                action="bamboohr_list_employees",
                account_id="acct_bamboohr_demo",
                query={"page_size": page_size},
            ),
        )
    history = window.history_pane
    view = history.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)  # from the newest entry to the one below it
    current = view.currentIndex()
    assert current.row() == 1
    QTest.mouseMove(view.viewport(), view.visualRect(history.model.index(2, 0)).center())

    popup = menu_after(qtbot, view, key, modifier)
    assert popup is not None, "no menu opened"
    assert "Open in editor" in popup.texts and "Delete" in popup.texts
    assert at_row(view, current, popup), "the menu is not at the current entry"
    assert view.currentIndex().row() == 1


@KEYS
def test_the_collections_tree_opens_the_current_items_menu(
    qtbot: QtBot,
    make_window: WindowFactory,
    home: AppPaths,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier,
) -> None:
    store = CollectionStore.create(home.collections_dir / "team", "Team")
    for name in ("List employees", "Get employee"):
        store.save_request(
            SavedRequest(
                name,
                RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo"),
            )
        )
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    pane.focus_tree()
    tree = pane.view
    tree.expandAll()
    for _ in range(2):  # from the collection down to its second request
        qtbot.keyClick(tree, Qt.Key.Key_Down)
    current = tree.currentIndex()
    assert current.parent().isValid() and current.row() == 1

    popup = menu_after(qtbot, tree, key, modifier)
    assert popup is not None, "no menu opened"
    # A request's menu (the collection's would offer "Run collection"), for the current one.
    assert "Move to" in popup.texts and "Run collection" not in popup.texts
    assert at_row(tree, current, popup), "the menu is not at the current item"
    assert tree.currentIndex() == current


EMPLOYEES = RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")


def down_to_row(qtbot: QtBot, view: QAbstractItemView, row: int) -> QModelIndex:
    """Focus ``view`` and arrow down to ``row`` (from its first), as a keyboard user does."""
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    for _ in range(row):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == row
    return view.currentIndex()


@KEYS
def test_the_compare_windows_differences_open_their_menu_at_the_current_one(
    qtbot: QtBot, make_window: WindowFactory, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    window = make_window()
    acme = send(qtbot, window, EMPLOYEES)
    globex = send(qtbot, window, EMPLOYEES.copy(account_id="acct_bamboohr_globex"))
    compare = window.compare(acme, globex)
    qtbot.waitUntil(lambda: not compare.job.is_busy(), timeout=60_000)
    table = compare.body_table
    assert table.model().rowCount() >= 2
    current = down_to_row(qtbot, table, 1)

    popup = menu_after(qtbot, table, key, modifier)
    assert popup is not None, "no menu opened"
    assert popup.texts == ["Ignore this field", "Copy JSONPath"]
    assert at_row(table, current, popup)
    compare.close()


@KEYS
def test_the_defender_findings_open_their_menu_at_the_current_one(
    qtbot: QtBot, make_window: WindowFactory, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    window = make_window()
    send(
        qtbot,
        window,
        RpcRequest(action="bamboohr_list_employee_notes", account_id="acct_bamboohr_demo"),
    )
    check = window.analysis.check_shown()
    assert check is not None
    qtbot.waitUntil(lambda: not check.job.is_busy(), timeout=120_000)
    table = check.table
    assert table.model().rowCount() >= 1
    current = down_to_row(qtbot, table, table.model().rowCount() - 1)

    popup = menu_after(qtbot, table, key, modifier)
    assert popup is not None, "no menu opened"
    assert popup.texts == ["Copy path"]
    assert at_row(table, current, popup)
    check.close()
