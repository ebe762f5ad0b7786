"""The environments dialog never drops typed values: Enter applies, closing asks first.

Issue 8, item 5: after typing a cell and Enter, another Enter closed the dialog (its Close
button was the default) without applying and without asking.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import SECRET_VARIABLES, KeyringUnavailable, MemoryCredentials
from explorer.ui.collections.environments_dialog import EnvironmentsDialog
from tests.ui.conftest import LockedKeyring
from tests.ui.modals import answering
from tests.ui.modals import click as modal_click

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


# -- writing secret values: off the UI thread, and the dialog waits for the keyring ----------

TOKEN = "sk_ENV_DIALOG_CANARY_5c1e"


@pytest.fixture
def locked(tmp_path: Path) -> tuple[CollectionStore, LockedKeyring]:
    """A collection whose "dev" has a plain ``account`` and a secret ``token``, its keyring
    locked from here on."""
    keyring = LockedKeyring()
    keyring.unlock()
    store = CollectionStore.create(tmp_path / "team", "Team", credentials=keyring)
    store.set_environment(Environment("dev", variables={"account": "acct_old"}))
    store.set_variable("dev", "token", "old_token", secret=True)
    keyring.lock()
    keyring.written_on.clear()
    return store, keyring


def row_of(dialog: EnvironmentsDialog, name: str) -> int:
    rows = [r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == name]  # type: ignore[union-attr]
    assert rows, f"no row {name!r}"
    return rows[0]


def files_text(store: CollectionStore) -> str:
    return "".join(p.read_text() for p in store.root.rglob("*.json"))


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def applied_with_a_secret(qtbot: QtBot, store: CollectionStore) -> EnvironmentsDialog:
    """The dialog open, an account typed and a secret token, then Apply clicked."""
    dialog = open_dialog(qtbot, store)
    edit_cell(qtbot, dialog, row_of(dialog, "account"), 1, "acct_new")
    edit_cell(qtbot, dialog, row_of(dialog, "token"), 1, TOKEN)
    click(qtbot, dialog.apply_button)
    return dialog


def test_apply_writes_the_secret_off_the_ui_thread_and_holds_still_until_it_is_written(
    qtbot: QtBot, locked: tuple[CollectionStore, LockedKeyring]
) -> None:
    store, keyring = locked
    dialog = applied_with_a_secret(qtbot, store)

    # The keyring waits for its password: the dialog says so and keeps what was typed.
    assert dialog.writing
    assert dialog.stop_button.isVisible()
    assert dialog.status.isVisible() and "OS keyring" in dialog.status.text()
    assert not dialog.table.isEnabled() and not dialog.apply_button.isEnabled()
    with answering() as seen:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closing now would hide the outcome
        qtbot.wait(50)
    assert seen == [] and dialog.isVisible()
    assert "Still writing to the OS keyring" in dialog.error.text()
    assert value_in(store, "account") == "acct_old"  # nothing claimed before the keyring

    keyring.unlock()
    qtbot.waitUntil(lambda: not dialog.writing)
    assert keyring.get(store.secret_key("dev", "token")) == TOKEN
    assert keyring.written_on and threading.main_thread().name not in keyring.written_on
    assert value_in(store, "account") == "acct_new"
    assert TOKEN not in files_text(store)
    assert not dialog.has_changes() and dialog.error.text() == ""
    assert dialog.table.isEnabled() and not dialog.stop_button.isVisible()
    assert not dialog.status.isVisible()
    with answering() as seen:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert seen == [] and not dialog.isVisible()


def test_stop_waiting_applies_nothing_and_keeps_the_typing(
    qtbot: QtBot, locked: tuple[CollectionStore, LockedKeyring]
) -> None:
    store, keyring = locked
    dialog = applied_with_a_secret(qtbot, store)
    assert dialog.writing
    click(qtbot, dialog.stop_button)

    assert not dialog.writing and not dialog.stop_button.isVisible()
    assert "not applied" in dialog.error.text() and "still in the table" in dialog.error.text()
    assert dialog.has_changes() and dialog.table.isEnabled()
    assert dialog.table.item(row_of(dialog, "account"), 1).text() == "acct_new"
    assert dialog.table.item(row_of(dialog, "token"), 1).text() == TOKEN
    assert value_in(store, "account") == "acct_old"

    keyring.unlock()  # the user unlocks it and applies again
    click(qtbot, dialog.apply_button)
    qtbot.waitUntil(lambda: not dialog.writing and not dialog.has_changes())
    assert value_in(store, "account") == "acct_new"
    assert keyring.get(store.secret_key("dev", "token")) == TOKEN


class RefusingKeyring(MemoryCredentials):
    """A keyring that is there but refuses writes (a locked one whose prompt was dismissed)."""

    def set(self, profile: str, secret: str) -> None:
        raise KeyringUnavailable("the keyring refused the write", what=SECRET_VARIABLES)


def test_a_refused_write_says_why_and_loses_nothing_typed(qtbot: QtBot, tmp_path: Path) -> None:
    store = CollectionStore.create(tmp_path / "team", "Team", credentials=RefusingKeyring())
    store.set_environment(Environment("dev", variables={"account": "acct_old"}))
    dialog = open_dialog(qtbot, store)
    click(qtbot, dialog.add_var)
    row = dialog.table.rowCount() - 1
    edit_cell(qtbot, dialog, row, 0, "token")
    dialog.table.item(row, 2).setCheckState(Qt.CheckState.Checked)  # type: ignore[union-attr]
    edit_cell(qtbot, dialog, row, 1, TOKEN)
    click(qtbot, dialog.apply_button)
    qtbot.waitUntil(lambda: not dialog.writing)

    assert dialog.error.text().startswith("Not applied:")
    assert "refused" in dialog.error.text() and "still in the table" in dialog.error.text()
    assert dialog.has_changes()
    assert dialog.table.item(row, 0).text() == "token"  # type: ignore[union-attr]
    assert dialog.table.item(row, 1).text() == TOKEN  # type: ignore[union-attr]
    store.load()
    assert store.collection.environments["dev"].secrets == []
    with answering(modal_click(QMessageBox.StandardButton.Discard)) as seen:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert [s.kind for s in seen] == ["QMessageBox"]  # closing still asks: typing is kept


def rename_to(name: str) -> Callable[[QWidget], None]:
    def answer(widget: QWidget) -> None:
        field = widget.findChild(QLineEdit)
        assert field is not None
        field.selectAll()
        QTest.keyClicks(field, name)
        QTest.keyClick(field, Qt.Key.Key_Return)

    return answer


def test_renaming_carries_the_secret_values_over_off_the_ui_thread(
    qtbot: QtBot, locked: tuple[CollectionStore, LockedKeyring]
) -> None:
    store, keyring = locked
    dialog = open_dialog(qtbot, store)
    with answering(rename_to("staging")):
        click(qtbot, dialog.rename_env)
    assert dialog.writing and "dev" in store.collection.environments  # not before the keyring
    keyring.unlock()
    qtbot.waitUntil(lambda: not dialog.writing)
    assert dialog.current() == "staging" and dialog.error.text() == ""
    store.load()
    assert sorted(store.collection.environments) == ["staging"]
    assert keyring.get(store.secret_key("staging", "token")) == "old_token"
    assert keyring.get(store.secret_key("dev", "token")) is None
    assert threading.main_thread().name not in keyring.written_on


def test_deleting_waits_for_the_keyring_and_stop_waiting_deletes_nothing(
    qtbot: QtBot, locked: tuple[CollectionStore, LockedKeyring]
) -> None:
    store, keyring = locked
    dialog = open_dialog(qtbot, store)
    with answering(modal_click(QMessageBox.StandardButton.Yes)):
        click(qtbot, dialog.delete_env)
    assert dialog.writing
    click(qtbot, dialog.stop_button)
    assert "'dev' is not deleted" in dialog.error.text()
    store.load()
    assert "dev" in store.collection.environments

    keyring.unlock()
    with answering(modal_click(QMessageBox.StandardButton.Yes)):
        click(qtbot, dialog.delete_env)
    qtbot.waitUntil(lambda: not dialog.writing)
    store.load()
    assert "dev" not in store.collection.environments
    assert keyring.get(store.secret_key("dev", "token")) is None
    assert dialog.current() is None


def test_closing_with_a_typed_secret_closes_once_the_keyring_took_it(
    qtbot: QtBot, locked: tuple[CollectionStore, LockedKeyring]
) -> None:
    store, keyring = locked
    dialog = open_dialog(qtbot, store)
    edit_cell(qtbot, dialog, row_of(dialog, "token"), 1, TOKEN)
    with answering() as seen:  # "Apply the changes?": Enter applies
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert [s.default for s in seen] == ["Apply"]
    assert dialog.isVisible() and dialog.writing  # not closed before the keyring answered
    keyring.unlock()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert keyring.get(store.secret_key("dev", "token")) == TOKEN
