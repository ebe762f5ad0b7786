"""Tabs across a restart, closing and reopening, and where opened requests go.

Issue 14, item 1: a user keeps three requests open, restarts, and finds them again, with
their unsaved edits and the selected one; no secret value reaches the settings file. Every
command is a real key press.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.paths import AppPaths
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.request.editor import describe_issue
from explorer.ui.tabs.tab import DIRTY_MARK
from tests.ui.driving import click_row, open_history_entry, send, type_into
from tests.ui.keyboard import focused, press
from tests.ui.modals import answering, click

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WAIT_MS = 15_000
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LITERAL_TOKEN = "Bearer sk_live_tabs_0123456789abcdef"


def tab_texts(window: MainWindow) -> list[str]:
    bar = window.tabs.bar
    return [bar.tabText(i) for i in range(bar.count())]


def test_three_tabs_come_back_after_a_restart_with_their_edits_and_no_secret(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    type_into(qtbot, window, "bamboohr_list_employees", "acct_bamboohr_demo")
    send(qtbot, window)  # sent: the tab holds what it sent, plus an edit below
    window.editor.json_editors["query"].setPlainText('{"page_size": "{{size}}"}')

    press(qtbot, Qt.Key.Key_T, CTRL)
    type_into(qtbot, window, "hibob_list_employees", "acct_hibob_demo")
    window.editor.json_editors["headers"].setPlainText(
        json.dumps({"Authorization": LITERAL_TOKEN, "x-api-token": "{{token}}"})
    )
    press(qtbot, Qt.Key.Key_T, CTRL)
    type_into(qtbot, window, "workday_get_worker", "acct_workday_demo")
    window.editor.json_editors["body"].setPlainText('{"half typed": ')  # not JSON yet
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)  # the second tab is the selected one
    assert window.tabs.index_of(window.tabs.current) == 1
    assert all(text.endswith(DIRTY_MARK) for text in tab_texts(window))

    window.close()  # quitting saves the session
    saved = home.settings_file.read_text()
    assert "sk_live_tabs" not in saved
    assert "{{token}}" in saved and "{{size}}" in saved  # templates kept as written

    again = make_window()
    tabs = again.tabs.tabs
    assert [t.editor.action_edit.text() for t in tabs] == [
        "bamboohr_list_employees",
        "hibob_list_employees",
        "workday_get_worker",
    ]
    assert again.tabs.current is tabs[1]
    assert again.editor is tabs[1].editor
    assert tabs[0].editor.to_request().query == {"page_size": "{{size}}"}
    headers = tabs[1].editor.draft_request().headers
    assert headers == {"Authorization": REDACTED, "x-api-token": "{{token}}"}
    assert "type it again" in describe_issue(tabs[1].editor.issues()[0])
    assert tabs[2].editor.json_editors["body"].toPlainText() == '{"half typed": '
    assert all(t.is_dirty() for t in tabs)  # still unsaved: closing one asks

    # A literal secret comes back redacted, and is not sent until typed again.
    with qtbot.assertNotEmitted(again.send_control.started, wait=300):
        qtbot.keyClick(again.editor.action_edit, Qt.Key.Key_Return, CTRL)


def test_ctrl_w_closes_a_clean_tab_without_asking_and_ctrl_shift_t_brings_it_back(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    type_into(qtbot, window, "bamboohr_list_employees", "acct_bamboohr_demo")
    exchange = send(qtbot, window)
    window.tabs.current.mark_clean()  # as if opened from a saved request: nothing to lose
    first = window.tabs.current
    press(qtbot, Qt.Key.Key_T, CTRL)
    assert len(window.tabs.tabs) == 2
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert window.tabs.current is first

    with answering() as seen:
        press(qtbot, Qt.Key.Key_W, CTRL)
    assert seen == []  # nothing would be lost: no question
    assert len(window.tabs.tabs) == 1 and first not in window.tabs.tabs

    press(qtbot, Qt.Key.Key_T, CTRL | SHIFT)
    back = window.tabs.current
    assert len(window.tabs.tabs) == 2 and window.tabs.index_of(back) == 0
    assert back.editor.action_edit.text() == "bamboohr_list_employees"
    assert back.response_view.exchange is exchange  # its response too


def test_ctrl_w_on_unsaved_edits_asks_and_cancel_keeps_the_tab(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    press(qtbot, Qt.Key.Key_T, CTRL)
    type_into(qtbot, window, "bamboohr_list_employees", "acct_bamboohr_demo")
    edited = window.tabs.current
    with answering(click(QMessageBox.StandardButton.Cancel)) as seen:
        qtbot.keyClick(focused(), Qt.Key.Key_W, CTRL)
    assert [s.title for s in seen] == ["Unsaved edits"]
    # Enter on the question never discards: its default keeps the edits.
    assert seen[0].default != "Discard"
    assert edited in window.tabs.tabs and window.tabs.current is edited
    assert window.editor.action_edit.text() == "bamboohr_list_employees"


def test_a_history_entry_opens_in_its_own_tab_and_again_in_the_same_one(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(
        qtbot, window, RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    sender = window.tabs.current
    open_history_entry(qtbot, window)
    entry_tab = window.tabs.current
    assert entry_tab is not sender and len(window.tabs.tabs) == 2
    assert entry_tab.editor.action_edit.text() == "bamboohr_list_employees"
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert window.tabs.current is sender
    open_history_entry(qtbot, window)  # already open: its tab comes forward, none is added
    assert window.tabs.current is entry_tab and len(window.tabs.tabs) == 2


def test_the_replace_preference_opens_into_the_current_tab_unless_it_has_edits(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    settings = Settings(home.settings_file)
    settings.set("open_in_new_tab", False)
    settings.save()
    window = make_window()
    first = send(
        qtbot, window, RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    send(qtbot, window, RpcRequest(action="hibob_list_employees", account_id="acct_hibob_demo"))
    window.tabs.current.mark_clean()
    history = window.history_pane
    open_history_entry(qtbot, window, row=1)
    assert len(window.tabs.tabs) == 1  # replaced: nothing was lost
    assert window.editor.action_edit.text() == first.request.action

    window.editor.json_editors["query"].setPlainText('{"page_size": "5"}')  # an edit
    click_row(qtbot, history.view, history.model.index(0, 0))
    with qtbot.waitSignal(history.open_in_editor):
        qtbot.keyClick(history.view, Qt.Key.Key_Return)
    assert len(window.tabs.tabs) == 2  # the edited tab is kept; a new one holds the entry
    assert window.tabs.tabs[0].editor.to_request().query == {"page_size": "5"}


def test_a_saved_request_opens_in_its_tab_if_open_else_in_a_new_one(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    store = CollectionStore.create(home.collections_dir / "team", "Team")
    for name, action in (("List", "bamboohr_list_employees"), ("Workers", "workday_list_workers")):
        store.save_request(SavedRequest(name, RpcRequest(action=action)))
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    view = pane.view

    def activate(name: str) -> None:
        """Select the request in the tree and press Enter, as a keyboard user opens it."""
        view.expandAll()
        found = pane.model.match(
            pane.model.index(0, 0), Qt.ItemDataRole.DisplayRole, name, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )  # fmt: skip
        assert found, name
        view.setCurrentIndex(found[0])
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_Return)

    activate("List")
    first = window.tabs.current
    assert len(window.tabs.tabs) == 1  # the empty tab is used
    assert window.editor.action_edit.text() == "bamboohr_list_employees"
    window.editor.json_editors["query"].setPlainText('{"page_size": "2"}')  # an edit

    activate("Workers")
    assert len(window.tabs.tabs) == 2 and window.tabs.current is not first
    assert window.editor.action_edit.text() == "workday_list_workers"

    activate("List")  # open already: its tab comes forward, with its edit
    assert len(window.tabs.tabs) == 2 and window.tabs.current is first
    assert first.editor.draft_request().query == {"page_size": "2"}
    assert pane.open_saved is not None and pane.open_saved.name == "List" and pane.dirty


def test_the_tab_bar_is_named_and_each_tab_says_all_it_shows(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Issue 16's rules for the tab bar: a named control; each tab's accessible name has what
    the label shows (and more: the status in words); every tab command is in a menu."""
    window = make_window()
    qtbot.waitUntil(lambda: window.discovery.accounts() is not None)
    send(
        qtbot, window, RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    bar = window.tabs.bar
    assert bar.accessibleName() == "Request tabs"
    spoken = bar.accessibleTabName(0)
    assert spoken.startswith("bamboohr_list_employees, production account acct_bamboohr_demo")
    assert "Last send: 200 OK" in spoken and "unsaved edits" in spoken
    assert bar.tabText(0).startswith("PROD bamboohr_list_employees")
    menus = [a for menu in window.menuBar().findChildren(QMenu) for a in menu.actions()]
    for action in (
        window.new_action,
        window.close_tab_action,
        window.reopen_tab_action,
        window.next_tab_action,
        window.previous_tab_action,
    ):
        assert action in menus and not action.shortcut().isEmpty(), action.text()


def test_a_tab_tied_to_a_saved_request_comes_back_tied_with_its_unsaved_edit(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    store = CollectionStore.create(home.collections_dir / "team", "Team")
    store.save_request(SavedRequest("List", RpcRequest(action="bamboohr_list_employees")))
    [saved] = store.collection.find("List")
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    window.open_saved_request(pane.saved_at(saved.path))  # type: ignore[arg-type]
    window.editor.json_editors["query"].setPlainText('{"page_size": "2"}')
    assert window.tabs.current.is_dirty()
    window.close()

    again = make_window()
    tab = again.tabs.current
    assert tab.saved_path == saved.path and tab.is_dirty()
    assert tab.editor.draft_request().query == {"page_size": "2"}
    pane = again.collections_pane
    assert pane is not None and pane.open_saved is not None and pane.dirty
    assert pane.open_saved.path == saved.path
    # Ctrl+S writes the edit to that request's file, asking nothing.
    with answering() as seen:
        qtbot.keyClick(tab.editor.action_edit, Qt.Key.Key_S, CTRL)
    assert seen == [] and not tab.is_dirty()
    [written] = CollectionStore(store.root).load()[0].find("List")
    assert written.request.query == {"page_size": "2"}
