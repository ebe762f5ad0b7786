"""Search actions by what they do, from the action field: ``POST /actions/search`` on the demo
over loopback, off the UI thread, driven with keys and clicks."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.core.action_search import ActionMatch
from explorer.demo import DemoServer
from explorer.ui.discovery.search import MatchesModel
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.accessible_tree import unnamed
from tests.ui.discovery.test_discovery_window import loaded_window
from tests.ui.keyboard import focused

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
WindowFactory = Callable[..., MainWindow]


def search_for(qtbot: QtBot, window: MainWindow, words: str) -> list[str]:
    """Type ``words`` in the search field and press Enter; the names listed."""
    popup = window.discovery_controls.search_popup
    popup.query_edit.selectAll()
    qtbot.keyClicks(popup.query_edit, words)
    with qtbot.waitSignal(window.discovery.searched, timeout=WAIT_MS):
        qtbot.keyClick(popup.query_edit, Qt.Key.Key_Return)
    return popup.names()


def test_alt_down_in_the_action_field_searches_and_picks_an_action(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer
) -> None:
    window = loaded_window(qtbot, make_window)
    edit = window.editor.action_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = window.discovery_controls.search_popup
    assert popup.isVisible()
    assert focused() is popup.query_edit
    # The profile's account is a BambooHR one: its connector is offered, and ticked.
    assert popup.connector_check.isVisible() and popup.connector_check.isChecked()
    assert "bamboohr" in popup.connector_check.text()

    names = search_for(qtbot, window, "list employees")
    assert names[0] == "bamboohr_list_employees"
    assert all(name.startswith("bamboohr_") for name in names)
    assert "3 actions" in popup.status_label.text()
    assert window.discovery.last_worker_thread != threading.get_ident()  # off the UI thread
    [asked] = [log for log in demo.logs.platform() if log["path"] == "/actions/search"]
    assert asked["status"] == 200

    # Down to the second match, Enter: it goes into the field (still free text).
    qtbot.keyClick(popup.query_edit, Qt.Key.Key_Down)
    qtbot.keyClick(popup.query_edit, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert edit.text() == names[1]
    assert focused() is edit


def test_all_connectors_and_the_mouse(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = loaded_window(qtbot, make_window)
    controls = window.discovery_controls
    # The magnifier inside the action field.
    [button] = [
        b
        for b in window.editor.action_edit.findChildren(QToolButton)
        if b.defaultAction() is controls.search_action
    ]
    assert button.isVisible() and button.defaultAction().text() == "Search actions"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    popup = controls.search_popup
    assert popup.isVisible()
    names = search_for(qtbot, window, "list employees")
    assert "workday_list_workers" not in names  # this account's connector only
    with qtbot.waitSignal(window.discovery.searched, timeout=WAIT_MS):
        qtbot.mouseClick(popup.connector_check, Qt.MouseButton.LeftButton)  # every connector
    assert not popup.connector_check.isChecked()
    names = popup.names()
    assert "workday_list_workers" in names

    row = names.index("workday_list_workers")
    index = popup.model.index(row, 0)
    assert "List Workers" in index.data(Qt.ItemDataRole.DisplayRole)
    assert "% match" in index.data(Qt.ItemDataRole.DisplayRole)
    popup.view.scrollTo(index)
    qtbot.mouseClick(
        popup.view.viewport(), Qt.MouseButton.LeftButton, pos=popup.view.visualRect(index).center()
    )
    assert window.editor.action_edit.text() == "workday_list_workers"


def test_nothing_found_and_a_refused_key_are_said_in_the_popup(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = loaded_window(qtbot, make_window)
    window.search_actions_action.trigger()  # Request > Search actions… (Ctrl+Shift+A)
    popup = window.discovery_controls.search_popup
    assert popup.isVisible()
    assert search_for(qtbot, window, "xyzzy plugh") == []
    assert "No action matches" in popup.status_label.text()
    qtbot.keyClick(popup.query_edit, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert window.editor.action_edit.text() == ""  # nothing chosen, nothing changed

    wrong = make_window(key="not-the-demo-key")
    qtbot.waitUntil(lambda: wrong.discovery.accounts_loading() is False, timeout=WAIT_MS)
    wrong.discovery_controls.open_search()
    popup = wrong.discovery_controls.search_popup
    qtbot.keyClicks(popup.query_edit, "list employees")
    qtbot.keyClick(popup.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Couldn't search" in popup.status_label.text(), timeout=WAIT_MS)
    assert "Couldn't search actions: 401" in popup.status_label.text()
    assert "check the API key" in popup.status_label.text()


def test_the_search_popup_names_every_control(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = loaded_window(qtbot, make_window)
    window.discovery_controls.open_search()
    popup = window.discovery_controls.search_popup
    search_for(qtbot, window, "employees")
    assert popup.model.rowCount() > 0
    assert unnamed(popup) == []
    assert popup.query_edit.accessibleName() == "Search actions"
    assert popup.view.accessibleName() == "Matching actions"


def test_the_matches_model_is_a_sound_qt_model(qtmodeltester: ModelTester) -> None:
    model = MatchesModel()
    model.set_rows([ActionMatch("slack_send_message", "slack", "Send Message", score=0.9)])
    qtmodeltester.check(model)
    assert model.index(0, 0).data(Qt.ItemDataRole.DisplayRole) == (
        "slack_send_message · Send Message · 90% match"
    )
