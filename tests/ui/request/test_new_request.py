"""A new request is unsaved and untied: Ctrl+S on it asks where to save, never overwrites.

Issue 8, item 3: after opening "Get employee" from a collection, Ctrl+N kept the editor tied to
it (the dirty mark stayed) and Ctrl+S wrote the new request over the saved one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.paths import AppPaths
from explorer.ui.collections.pane import CollectionsPane
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.modals import answering, press

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def saved_get_employee(home: AppPaths) -> CollectionStore:
    store = CollectionStore.create(home.collections_dir / "team", "Team")
    store.save_request(
        SavedRequest(
            "Get employee",
            RpcRequest(
                action="bamboohr_get_employee",
                account_id="acct_bamboohr_demo",
                path={"id": "40001"},
            ),
        )
    )
    return store


def open_from_tree(qtbot: QtBot, pane: CollectionsPane, name: str) -> None:
    """Select the request in the tree with the mouse and open it with Enter."""
    pane.view.expandAll()
    index = next(
        pane.model.index_of_path(saved.path)
        for store in pane.stores
        for saved in store.collection.requests()
        if saved.name == name and saved.path is not None
    )
    pane.view.scrollTo(index)
    qtbot.mouseClick(
        pane.view.viewport(), Qt.MouseButton.LeftButton, pos=pane.view.visualRect(index).center()
    )
    with qtbot.waitSignal(pane.open_request):
        qtbot.keyClick(pane.view, Qt.Key.Key_Return)


def ctrl(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    qtbot.keyClick(window.editor.action_edit, key, Qt.KeyboardModifier.ControlModifier)


@dataclass
class Opened:
    """A window whose editor holds "Get employee", opened from the collections tree."""

    window: MainWindow
    pane: CollectionsPane
    saved_path: Path
    on_disk: bytes


@pytest.fixture
def opened(qtbot: QtBot, make_window: WindowFactory, home: AppPaths) -> Opened:
    store = saved_get_employee(home)
    saved_path = store.collection.requests()[0].path
    assert saved_path is not None
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    window.focus_collections_action.trigger()  # Ctrl+4
    open_from_tree(qtbot, pane, "Get employee")
    assert window.editor.action_edit.text() == "bamboohr_get_employee"
    return Opened(window, pane, saved_path, saved_path.read_bytes())


def ctrl_s_asks_where(qtbot: QtBot, opened: Opened) -> None:
    with answering(press(Qt.Key.Key_Escape)) as seen:  # where to save? Cancel
        ctrl(qtbot, opened.window, Qt.Key.Key_S)
    assert [s.kind for s in seen] == ["SaveRequestDialog"]
    assert opened.saved_path.read_bytes() == opened.on_disk


def test_ctrl_n_then_ctrl_s_asks_where_and_keeps_the_saved_request(
    qtbot: QtBot, opened: Opened
) -> None:
    window, pane = opened.window, opened.pane
    # An edit marks it dirty...
    window.editor.action_edit.setFocus()
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_End)
    qtbot.keyClicks(window.editor.action_edit, "s")
    assert pane.dirty

    # ...and a new request leaves it: no dirty mark, nothing open.
    ctrl(qtbot, window, Qt.Key.Key_N)
    assert window.editor.action_edit.text() == ""
    assert not pane.dirty
    assert pane.open_saved is None
    qtbot.keyClicks(window.editor.action_edit, "bamboohr_list_employees")
    ctrl_s_asks_where(qtbot, opened)


def test_a_history_entry_opened_in_the_editor_is_untied_too(qtbot: QtBot, opened: Opened) -> None:
    opened.window.open_in_editor(
        RpcRequest(action="hibob_search_employees", account_id="acct_hibob_demo")
    )
    assert opened.pane.open_saved is None and not opened.pane.dirty
    ctrl_s_asks_where(qtbot, opened)
