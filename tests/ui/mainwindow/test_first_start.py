"""A first start without profiles invites the user in instead of showing errors.

Issue 8, item 10: without ``--demo`` and without profiles, the window opened on red errors
(the empty Action and Account id) and said nothing about profiles or demo mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.store.credentials import MemoryCredentials
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths
from explorer.store.profiles import ProfileStore
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.modals import answering, press

pytestmark = pytest.mark.gui


def first_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    home = AppPaths(tmp_path / "home").ensure()
    window = MainWindow(
        settings=Settings(home.settings_file),
        profiles=ProfileStore(home.profiles_file),
        credentials=MemoryCredentials(),
        session_keys=MemoryCredentials(),
        history=HistoryStore(home.history_dir),
        collections_dir=home.collections_dir,
    )
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


def test_no_profile_yet_invites_to_create_one_or_try_the_demo(qtbot: QtBot, tmp_path: Path) -> None:
    window = first_window(qtbot, tmp_path)
    invitation = window.banner.text()
    assert "profile" in invitation.lower() and "--demo" in invitation
    assert window.banner.action_button.isVisible()

    with answering(press(Qt.Key.Key_Escape)) as seen:
        qtbot.mouseClick(window.banner.action_button, Qt.MouseButton.LeftButton)
    assert [s.kind for s in seen] == ["ProfilesDialog"]


def test_an_untouched_empty_form_is_calm_until_the_user_acts(qtbot: QtBot, tmp_path: Path) -> None:
    window = first_window(qtbot, tmp_path)
    editor = window.editor
    assert not editor.send_button.isEnabled()  # still blocked...
    assert not any(sign.isVisible() for sign in editor.field_warnings.values())
    assert not editor.reason_label.text().startswith("Can't send yet")  # ...but not shouted

    # Typing and clearing a field is acting on it: now it is explained.
    editor.action_edit.setFocus()
    qtbot.keyClicks(editor.action_edit, "a")
    qtbot.keyClick(editor.action_edit, Qt.Key.Key_Backspace)
    assert editor.field_warnings["action"].isVisible()
    # The sign's icon is fetched when it first shows (not at start): it is there.
    assert not editor.field_warnings["action"].icon().isNull()
    assert editor.reason_label.text().startswith("Can't send yet")
