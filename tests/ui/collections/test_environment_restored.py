"""The active environment comes back after a restart, ready to send.

Issue 8, item 9: ``settings.json`` held the environment, but after a restart the Env box said
"No environment" and Send was blocked until the collection was clicked in the tree.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.paths import AppPaths
from explorer.ui.collections.pane import CollectionsPane
from explorer.ui.mainwindow.window import MainWindow

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def make_collections(home: AppPaths, *, with_other: bool) -> None:
    team = CollectionStore.create(home.collections_dir / "team", "Team")
    team.save_request(
        SavedRequest(
            "List employees",
            RpcRequest(action="bamboohr_list_employees", account_id="{{account}}"),
        )
    )
    team.set_environment(Environment("dev", variables={"account": "acct_bamboohr_demo"}))
    if not with_other:
        return
    other = CollectionStore.create(home.collections_dir / "other", "Other")
    other.set_environment(Environment("prod", variables={"account": "acct_hibob_demo"}))


def click_collection(qtbot: QtBot, pane: CollectionsPane, name: str) -> None:
    model, view = pane.model, pane.view
    row = next(r for r in range(model.rowCount()) if pane.stores[r].collection.name == name)
    index = model.index(row, 0)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


@pytest.mark.parametrize("collections", [1, 2])
def test_the_environment_chosen_is_active_after_a_restart(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, collections: int
) -> None:
    make_collections(home, with_other=collections == 2)
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    window.focus_collections_action.trigger()  # Ctrl+4
    click_collection(qtbot, pane, "Team")
    combo = pane.environment.combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # "No environment" -> "dev"
    assert combo.currentText() == "dev"
    window.close()

    again = make_window()
    pane = again.collections_pane
    assert pane is not None
    assert pane.environment.combo.currentText() == "dev"
    assert pane.environment.name() == "dev"

    # Ready to send without touching the tree: {{account}} resolves.
    again.editor.load_request(
        RpcRequest(action="bamboohr_list_employees", account_id="{{account}}")
    )
    again.editor.set_base_url(again.profile_selector.current().base_url)  # type: ignore[union-attr]
    with qtbot.waitSignal(again.send_control.finished, timeout=15_000) as blocker:
        qtbot.keyClick(
            again.editor.action_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert blocker.args[0].request.account_id == "acct_bamboohr_demo"
    assert blocker.args[0].response.status == 200
