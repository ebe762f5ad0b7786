"""Enter never opens a destructive question, and every destructive question defaults to No.

Issue 8, item 2: in Manage profiles, typing a key and pressing Enter saved it, then opened
"Delete the API key...?" with Yes as the default, so a second Enter deleted the key just typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.store.credentials import MemoryCredentials
from explorer.store.history import HistoryStore
from explorer.store.profiles import Profile, ProfileStore
from explorer.ui.history.pane import HistoryPane
from explorer.ui.profiles.dialog import ProfilesDialog
from tests.ui.modals import answering

pytestmark = pytest.mark.gui

KEY = "sk_live_canary_ENTER_0001"


def open_dialog(
    qtbot: QtBot, profiles: ProfileStore, credentials: MemoryCredentials
) -> ProfilesDialog:
    dialog = ProfilesDialog(profiles, credentials, MemoryCredentials())
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    qtbot.waitUntil(lambda: not dialog.key_box.busy)  # the key is read off the UI thread
    return dialog


def test_enter_after_typing_a_key_saves_it_and_asks_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    profiles = ProfileStore(tmp_path / "profiles.json")
    credentials = MemoryCredentials()
    dialog = open_dialog(qtbot, profiles, credentials)

    qtbot.keyClicks(dialog.name_edit, "Production EU")
    dialog.key_box.key_edit.setFocus()
    qtbot.keyClicks(dialog.key_box.key_edit, KEY)
    with answering() as seen:  # a second Enter, as the reporter pressed
        qtbot.keyClick(dialog.key_box.key_edit, Qt.Key.Key_Return)
        qtbot.wait(200)
        qtbot.waitUntil(lambda: not dialog.key_box.busy)  # the keyring took the key

    assert [s.text for s in seen] == []
    assert credentials.get("Production EU") == KEY
    assert ProfileStore(tmp_path / "profiles.json").get("Production EU") is not None
    assert "No key stored" not in dialog.key_box.key_status.text()

    # Enter again, with nothing typed: still nothing destructive.
    with answering() as seen:
        qtbot.keyClick(dialog.key_box.key_edit, Qt.Key.Key_Return)
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
        qtbot.wait(200)
    assert [s.text for s in seen] == []
    assert credentials.get("Production EU") == KEY


def test_enter_in_the_form_saves_the_edit(qtbot: QtBot, tmp_path: Path) -> None:
    profiles = ProfileStore(tmp_path / "profiles.json")
    profiles.upsert(Profile("Prod"))
    profiles.save()
    dialog = open_dialog(qtbot, profiles, MemoryCredentials())
    dialog.account_edit.setFocus()
    qtbot.keyClicks(dialog.account_edit, "acct_42")
    with answering() as seen:
        qtbot.keyClick(dialog.account_edit, Qt.Key.Key_Return)
        qtbot.wait(100)
    assert seen == []
    assert ProfileStore(tmp_path / "profiles.json").get("Prod").account_id == "acct_42"  # type: ignore[union-attr]


def test_deleting_a_key_asks_with_no_as_the_default(qtbot: QtBot, tmp_path: Path) -> None:
    profiles = ProfileStore(tmp_path / "profiles.json")
    profiles.upsert(Profile("Prod"))
    profiles.save()
    credentials = MemoryCredentials()
    credentials.set("Prod", KEY)
    dialog = open_dialog(qtbot, profiles, credentials)

    with answering() as seen:  # Enter on the question takes its default
        qtbot.mouseClick(dialog.key_box.delete_key_button, Qt.MouseButton.LeftButton)
    assert [(s.kind, s.default) for s in seen] == [("QMessageBox", "&No")]
    assert credentials.get("Prod") == KEY

    with answering() as seen:
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert [(s.kind, s.default) for s in seen] == [("QMessageBox", "&No")]
    assert ProfileStore(tmp_path / "profiles.json").get("Prod") is not None


def test_history_questions_default_to_no(qtbot: QtBot, tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history")
    for action in ("a_one", "a_two"):
        store.add(Exchange(RpcRequest(action=action, account_id="acct")))
    pane = HistoryPane(store)
    qtbot.addWidget(pane)
    with qtbot.waitExposed(pane):
        pane.show()

    pane.view.selectAll()
    with answering() as seen:
        pane.delete_action.trigger()
    with answering() as more:
        pane.clear_action.trigger()
    assert [(s.kind, s.default) for s in seen + more] == [("QMessageBox", "&No")] * 2
    assert len(store.entries()) == 2
