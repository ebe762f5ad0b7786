"""Carry a value: right-click a value in a response, "Set variable…", use ``{{name}}`` next.

Issue 14, item 2. Session only by default (nothing on disk); the environment only when chosen,
saying it goes to collection.json; a secret-looking value to the keyring; a capture declared
on the saved request. The menu is opened with the menu key on the text cursor's value, as a
keyboard user does, and answered with keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.captures import Capture
from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.paths import AppPaths
from explorer.ui.collections.captures import CapturesDialog
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.response.value_menu import SET_VARIABLE
from tests.ui.conftest import LockedKeyring
from tests.ui.driving import (
    employee_id_fills_the_next_request,
    name_variable,
    select_collection,
    send,
    window_in_environment,
)
from tests.ui.modals import answering, choose_from_popup

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
LISTING = RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
FIRST_ID = "40001"


def saved_listing_sent(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> tuple[MainWindow, CollectionStore]:
    """A "Chain" collection's saved "List employees", opened in the window and sent."""
    store = CollectionStore.create(home.collections_dir / "chain", "Chain")
    store.save_request(SavedRequest("List employees", LISTING.copy()))
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    [saved] = store.collection.find("List employees")
    window.open_saved_request(pane.saved_at(saved.path))  # type: ignore[arg-type]
    send(qtbot, window)
    return window, store


def set_variable_on(
    qtbot: QtBot, window: MainWindow, needle: str, answer: Callable[[QWidget], None]
) -> list[str]:
    """Put the text cursor on ``needle`` in the Pretty body, press the menu key, choose
    "Set variable…" and answer its dialog with ``answer``; the dialogs' titles."""
    view = window.response_view.body.pretty_rich
    qtbot.waitUntil(lambda: needle in view.toPlainText())
    cursor = view.textCursor()
    cursor.setPosition(view.toPlainText().index(needle) + 1)
    view.setTextCursor(cursor)
    view.setFocus()
    assert view.textCursor().selectedText() == ""
    choose_from_popup(SET_VARIABLE)
    with answering(answer) as seen:
        qtbot.keyClick(view, Qt.Key.Key_Menu)
    # The window is active again (the app asks for it; a window manager would anyway).
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return [s.title for s in seen]


def test_a_value_set_for_the_session_fills_the_next_request_and_touches_no_file(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    CollectionStore.create(home.collections_dir / "chain", "Chain")
    window = make_window()
    send(qtbot, window, LISTING)
    titles = set_variable_on(qtbot, window, f'"{FIRST_ID}"', name_variable("employee_id"))
    assert titles == ["Set variable"]
    assert "{{employee_id}} set for this session" in window.statusBar().currentMessage()
    employee_id_fills_the_next_request(qtbot, window, home, FIRST_ID)
    # Nor did the value reach the settings (the tab keeps its {{template}}).
    assert FIRST_ID not in home.settings_file.read_text()


def test_keeping_it_in_the_environment_is_explicit_and_a_token_goes_to_the_keyring(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window, store, credentials = window_in_environment(make_window, home)
    send(qtbot, window, LISTING)

    set_variable_on(qtbot, window, f'"{FIRST_ID}"', name_variable("employee_id", environment=True))
    meta = json.loads((store.root / "collection.json").read_text())
    assert meta["environments"]["demo"]["variables"]["employee_id"] == FIRST_ID
    assert "collection.json" in window.statusBar().currentMessage()

    email = "amara.okafor@acme.example"
    set_variable_on(qtbot, window, email, name_variable("session_token", environment=True))
    qtbot.waitUntil(lambda: "hidden everywhere" in window.statusBar().currentMessage())
    text = (store.root / "collection.json").read_text()
    assert email not in text and "session_token" in text  # its name only
    assert credentials.get(store.secret_key("demo", "session_token")) == email


def test_a_secret_kept_in_the_environment_waits_for_a_locked_keyring_off_the_ui_thread(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    """The keyring asks for its password: the window goes on taking keys meanwhile, and the
    file names the variable only once its value is in the keyring."""
    keyring = LockedKeyring()
    window, store, _ = window_in_environment(make_window, home, keyring)
    send(qtbot, window, LISTING)
    email = "amara.okafor@acme.example"
    set_variable_on(qtbot, window, email, name_variable("session_token", environment=True))
    assert "Saving {{session_token}} to the OS keyring" in window.statusBar().currentMessage()
    assert "session_token" not in (store.root / "collection.json").read_text()
    # The window is not waiting: a key typed in the editor lands.
    editor = window.editor.action_edit
    editor.setFocus()
    qtbot.keyClicks(editor, "_x")
    assert "_x" in editor.text()

    keyring.unlock()
    qtbot.waitUntil(lambda: "hidden everywhere" in window.statusBar().currentMessage())
    text = (store.root / "collection.json").read_text()
    assert "session_token" in text and email not in text
    assert keyring.written_on and not keyring.on_ui_thread  # before this test's own read
    assert keyring.get(store.secret_key("demo", "session_token")) == email


def test_a_value_of_a_saved_request_can_be_captured_on_every_run(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window, store = saved_listing_sent(qtbot, make_window, home)
    set_variable_on(qtbot, window, f'"{FIRST_ID}"', name_variable("employee_id", capture=True))
    assert "captures it on every run" in window.statusBar().currentMessage()
    [again] = CollectionStore(store.root).load()[0].find("List employees")
    assert again.captures == [Capture("employee_id", "$.data[0].id")]
    assert FIRST_ID not in again.path.read_text()  # type: ignore[union-attr]


def test_captures_are_listed_edited_and_checked_from_the_requests_menu(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    store = CollectionStore.create(home.collections_dir / "chain", "Chain")
    saved = SavedRequest(
        "List employees",
        LISTING.copy(),
        captures=[Capture("employee_id", "$.data[0].id"), Capture("old", "$.data[1].id")],
    )
    store.save_request(saved)
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    select_collection(window, "Chain")
    view = pane.view
    view.expandAll()
    request_index = view.model().index(0, 0, view.currentIndex())
    view.setCurrentIndex(request_index)

    def edit(widget: QWidget) -> None:
        try:
            answer_captures(widget)
        except BaseException:
            widget.close()  # fail on the assertion, not hang on the open dialog
            raise

    def answer_captures(widget: QWidget) -> None:
        assert isinstance(widget, CapturesDialog)
        table = widget.table
        table.selectRow(1)
        QTest.mouseClick(widget.remove_button, Qt.MouseButton.LeftButton)
        QTest.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
        editor = table.viewport().findChild(QLineEdit)  # Add opened the new name for typing
        assert editor is not None
        QTest.keyClicks(editor, "bad name")
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()  # the cell takes the typed text on the next turn
        box = widget.findChild(QDialogButtonBox)
        assert box is not None
        save = box.button(QDialogButtonBox.StandardButton.Save)
        QTest.mouseClick(save, Qt.MouseButton.LeftButton)
        assert widget.isVisible()  # not saved: the wrong row is named
        assert "Row 2 (bad name)" in widget.problem_label.text()
        item = table.item(1, 0)
        assert item is not None
        item.setText("employee_name")  # fixed
        QTest.mouseClick(save, Qt.MouseButton.LeftButton)

    choose_from_popup("&Captures (2)…")
    with answering(edit) as seen:
        view.customContextMenuRequested.emit(view.visualRect(request_index).center())
    assert [s.title for s in seen] == ["Captures of 'List employees'"]
    [again] = CollectionStore(store.root).load()[0].find("List employees")
    assert again.captures == [
        Capture("employee_id", "$.data[0].id"),
        Capture("employee_name", "$.data[0].id"),
    ]
