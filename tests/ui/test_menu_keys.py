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


def menu_after(
    qtbot: QtBot, view: QAbstractItemView, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> Popup | None:
    """Press ``key`` on ``view``; the menu that pops up (then closed with Esc), or None."""
    seen: list[Popup] = []

    def read() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            texts = [a.text() for a in menu.actions() if not a.isSeparator()]
            seen.append(Popup(texts, menu.geometry().topLeft()))
            QTest.keyClick(menu, Qt.Key.Key_Escape)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(read)
    timer.start()
    view.setFocus()
    qtbot.keyClick(view, key, modifier)
    qtbot.wait(100)  # a menu not opened by the key press itself would show by now
    timer.stop()
    return seen[0] if seen else None


def at_row(view: QAbstractItemView, index: QModelIndex, popup: Popup) -> bool:
    """The menu stands on ``index``'s row (not at the pointer, not at the view's corner)."""
    rect = view.visualRect(index)
    top = view.viewport().mapToGlobal(rect.topLeft())
    bottom = view.viewport().mapToGlobal(rect.bottomLeft())
    return top.y() <= popup.top_left.y() <= bottom.y() + 1


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
