"""The save dialog can put a request into a new collection, named there and then.

Issue 8, item 10: the save dialog could only pick an existing collection.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, find_collections
from explorer.store.paths import AppPaths
from explorer.ui.collections.dialogs import SaveRequestDialog
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.modals import answering

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def type_new_collection(name: str) -> Callable[[QWidget], None]:
    """Answer the save dialog: type ``name`` as the collection, then Enter (Save)."""

    def answer(widget: QWidget) -> None:
        if not isinstance(widget, SaveRequestDialog) or not widget.collection_combo.isEditable():
            QTest.keyClick(widget, Qt.Key.Key_Escape)
            return
        edit = widget.collection_combo.lineEdit()
        assert edit is not None
        edit.setFocus()
        edit.selectAll()
        QTest.keyClicks(edit, name)
        QTest.keyClick(edit, Qt.Key.Key_Return)

    return answer


def test_ctrl_s_saves_into_a_collection_named_in_the_dialog(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    CollectionStore.create(home.collections_dir / "team", "Team")
    window = make_window()
    window.editor.load_request(
        RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    window.new_request()
    qtbot.keyClicks(window.editor.action_edit, "bamboohr_list_employees")
    with answering(type_new_collection("Smoke tests")) as seen:
        qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [s.kind for s in seen] == ["SaveRequestDialog"]

    roots = find_collections(home.collections_dir)
    names = {}
    for root in roots:
        store = CollectionStore(root)
        store.load()
        names[store.collection.name] = store
    assert set(names) == {"Team", "Smoke tests"}
    saved = names["Smoke tests"].collection.requests()
    assert [s.request.action for s in saved] == ["bamboohr_list_employees"]
    assert names["Team"].collection.requests() == []
    pane = window.collections_pane
    assert pane is not None
    assert "Smoke tests" in [s.collection.name for s in pane.stores]
