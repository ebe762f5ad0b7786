"""The environments dialog never drops typed values: Enter applies, closing asks first.

Issue 8, item 5: after typing a cell and Enter, another Enter closed the dialog (its Close
button was the default) without applying and without asking.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import MemoryCredentials
from explorer.ui.collections.dialogs import EnvironmentsDialog
from tests.ui.modals import answering

pytestmark = pytest.mark.gui


@pytest.fixture
def store(tmp_path: Path) -> CollectionStore:
    store = CollectionStore.create(tmp_path / "team", "Team", credentials=MemoryCredentials())
    store.set_environment(Environment("dev", variables={"account": "acct_old"}))
    return store


def open_dialog(qtbot: QtBot, store: CollectionStore) -> EnvironmentsDialog:
    dialog = EnvironmentsDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def edit_cell(qtbot: QtBot, dialog: EnvironmentsDialog, row: int, column: int, text: str) -> None:
    """Click the cell, F2, replace its text and press Enter, as a person edits a table."""
    table = dialog.table
    item = table.item(row, column)
    assert item is not None
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center()
    )
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QWidget) and editor is not table
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop, as after a real key press.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert item.text() == text


def value_in(store: CollectionStore, name: str) -> str:
    store.load()
    return store.collection.environments["dev"].variables[name]


def test_a_second_enter_applies_instead_of_closing(qtbot: QtBot, store: CollectionStore) -> None:
    dialog = open_dialog(qtbot, store)
    edit_cell(qtbot, dialog, 0, 1, "acct_new")
    with answering() as seen:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
        qtbot.wait(50)
    assert seen == []
    assert dialog.isVisible()
    assert value_in(store, "account") == "acct_new"


def test_closing_with_typed_values_asks_and_enter_applies(
    qtbot: QtBot, store: CollectionStore
) -> None:
    dialog = open_dialog(qtbot, store)
    edit_cell(qtbot, dialog, 0, 1, "acct_typed")
    with answering() as seen:  # Enter on the question: its default keeps the typing
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert [s.kind for s in seen] == ["QMessageBox"]
    assert "dev" in seen[0].text
    assert not dialog.isVisible()
    assert value_in(store, "account") == "acct_typed"


def test_closing_without_edits_asks_nothing(qtbot: QtBot, store: CollectionStore) -> None:
    dialog = open_dialog(qtbot, store)
    with answering() as seen:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert seen == []
    assert not dialog.isVisible()


def test_switching_environment_with_typed_values_asks_first(
    qtbot: QtBot, store: CollectionStore
) -> None:
    store.set_environment(Environment("prod", variables={"account": "acct_prod"}))
    dialog = open_dialog(qtbot, store)
    dialog.env_combo.setCurrentIndex(dialog.env_combo.findText("dev"))
    edit_cell(qtbot, dialog, 0, 1, "acct_switch")
    with answering() as seen:
        dialog.env_combo.setCurrentIndex(dialog.env_combo.findText("prod"))
    assert [s.default for s in seen] == ["Apply"]
    assert value_in(store, "account") == "acct_switch"
    assert dialog.table.item(0, 1).text() == "acct_prod"  # type: ignore[union-attr]


def test_deleting_an_environment_asks_with_no_as_the_default(
    qtbot: QtBot, store: CollectionStore
) -> None:
    dialog = open_dialog(qtbot, store)
    with answering() as seen:
        qtbot.mouseClick(dialog.delete_env, Qt.MouseButton.LeftButton)
    assert [s.default for s in seen] == ["&No"]
    store.load()
    assert "dev" in store.collection.environments


class LockedKeyring(MemoryCredentials):
    """The keyring, locked: every read waits until ``unlock`` (the user typed the password),
    and remembers the thread it ran on."""

    def __init__(self) -> None:
        super().__init__()
        self.unlocked = threading.Event()
        self.read_on: list[str] = []

    def get(self, profile: str) -> str | None:
        if threading.current_thread() is not threading.main_thread():
            self.unlocked.wait(30)  # a hang guard; unlock ends it
        self.read_on.append(threading.current_thread().name)
        return super().get(profile)

    def unlock(self) -> None:
        self.unlocked.set()


def test_which_secrets_are_set_is_read_off_the_ui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    keyring = LockedKeyring()
    store = CollectionStore.create(tmp_path / "team", "Team", credentials=keyring)
    store.set_environment(Environment("dev", variables={"account": "acct_1"}))
    store.set_variable("dev", "token", "s3cret_value", secret=True)
    store.set_variable("dev", "other", "x", secret=True)
    keyring.delete(store.secret_key("dev", "other"))  # named in the file, no value here
    keyring.read_on.clear()
    dialog = open_dialog(qtbot, store)

    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}  # type: ignore[union-attr]

    def status(name: str) -> str:
        item = dialog.table.item(rows[name], 2)
        assert item is not None
        return item.text()

    # The keyring waits for its password: the dialog is up and says it is checking.
    assert status("token") == "checking the keyring…"
    keyring.unlock()
    qtbot.waitUntil(lambda: status("token") == "in keyring")
    assert status("other") == "not set here"
    assert keyring.read_on and threading.main_thread().name not in keyring.read_on
    assert not dialog.has_changes()  # a status shown is not an edit to apply
