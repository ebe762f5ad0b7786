"""A secret value is masked while it is typed, with a toggle to show it.

Issue 8, item 10: a secret variable's value was shown in clear while typed (and after).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import MemoryCredentials
from explorer.store.profiles import ProfileStore
from explorer.ui.collections.environments_dialog import EnvironmentsDialog
from explorer.ui.profiles.dialog import ProfilesDialog
from tests.ui.driving import apply_environments

pytestmark = pytest.mark.gui

SECRET = "s3cret-canary-value"


def shown_text(dialog: EnvironmentsDialog, row: int, column: int) -> str:
    """The text the table paints in a cell."""
    index = dialog.table.model().index(row, column)
    option = QStyleOptionViewItem()
    delegate = dialog.table.itemDelegateForIndex(index)
    assert isinstance(delegate, QStyledItemDelegate)
    delegate.initStyleOption(option, index)
    return option.text


def reveal_button(edit: QLineEdit) -> QToolButton:
    buttons = [b for b in edit.findChildren(QToolButton) if b.isVisible() and b.isCheckable()]
    assert len(buttons) == 1, "one show/hide toggle in the field"
    return buttons[0]


def test_a_secret_value_is_masked_while_typed_and_after(qtbot: QtBot, tmp_path: Path) -> None:
    credentials = MemoryCredentials()
    store = CollectionStore.create(tmp_path / "team", "Team", credentials=credentials)
    store.set_environment(Environment("dev", variables={"account": "acct_1"}))
    store.set_variable("dev", "token", "old-value", secret=True)
    dialog = EnvironmentsDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    table = dialog.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "token")  # type: ignore[union-attr]

    item = table.item(row, 1)
    assert item is not None
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center()
    )
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, SECRET)
    if editor.echoMode() != QLineEdit.EchoMode.Password:
        qtbot.keyClick(editor, Qt.Key.Key_Escape)  # leave nothing typed: closing would ask
        pytest.fail(f"the secret was shown while typed: {editor.displayText()!r}")
    assert SECRET not in editor.displayText()

    toggle = reveal_button(editor)
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert editor.displayText() == SECRET  # shown on request
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert SECRET not in editor.displayText()

    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert SECRET not in shown_text(dialog, row, 1)
    apply_environments(qtbot, dialog)
    assert store.environment_values("dev")["token"] == SECRET


def test_marking_a_value_secret_masks_it(qtbot: QtBot, tmp_path: Path) -> None:
    store = CollectionStore.create(tmp_path / "team", "Team", credentials=MemoryCredentials())
    store.set_environment(Environment("dev", variables={"token": SECRET}))
    dialog = EnvironmentsDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    assert shown_text(dialog, 0, 1) == SECRET  # a plain variable reads as it is
    check = dialog.table.item(0, 2)
    assert check is not None
    check.setCheckState(Qt.CheckState.Checked)  # what a click on the Secret box does
    try:
        assert SECRET not in shown_text(dialog, 0, 1)
    finally:
        apply_environments(qtbot, dialog)  # nothing left unapplied: closing would ask


def test_the_api_key_field_has_a_show_toggle(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ProfilesDialog(
        ProfileStore(tmp_path / "profiles.json"), MemoryCredentials(), MemoryCredentials()
    )
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.key_box.key_edit.setFocus()
    qtbot.keyClicks(dialog.key_box.key_edit, SECRET)
    try:
        assert SECRET not in dialog.key_box.key_edit.displayText()
        qtbot.mouseClick(reveal_button(dialog.key_box.key_edit), Qt.MouseButton.LeftButton)
        assert dialog.key_box.key_edit.displayText() == SECRET
    finally:
        dialog.key_box.key_edit.clear()  # nothing typed left: closing would ask to save it
