"""Share a case reads the secrets to hide from the keyring on a thread nobody waits for: a
locked keyring's prompt can stay up for ever, and neither the dialog nor quitting may wait
on it. Export pressed before the keyring answered waits for it, then hides the key.

The keyring is the in-memory one, made to wait like a locked keyring until the test "types
the password"; the real locked keyring at exit is ``tests/ui/test_locked_keyring_exit.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.demo import DemoServer
from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import SECRET_VARIABLES, KeyringUnavailable, MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.canaries import LONG, assert_no_canary
from tests.ui.case.test_share_case_window import ONE, WAIT_MS, wait_planned
from tests.ui.conftest import PROFILE, LockedKeyring
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def sent_with_the_key_in(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer
) -> tuple[MainWindow, LockedKeyring]:
    """A window whose key is in a (still open) keyring, once it has sent ``ONE``."""
    keyring = LockedKeyring()
    keyring.unlock()  # open until the test locks it
    keyring.set(PROFILE, demo.api_key)
    window = make_window(key="", credentials=keyring)
    send(qtbot, window, ONE)
    return window, keyring


def test_export_waits_for_the_locked_keyring_then_hides_the_key(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, demo: DemoServer
) -> None:
    window, keyring = sent_with_the_key_in(qtbot, make_window, demo)
    window.analysis.case_folder = tmp_path
    keyring.lock()  # its password prompt is up
    keyring.read_on.clear()
    qtbot.keyClick(
        window.editor.action_edit,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.analysis.case_dialog
    assert dialog is not None
    wait_planned(qtbot, dialog)  # the exchanges do not wait for the keyring
    assert dialog.reading_secrets and dialog.keyring_label.isVisible()
    target = tmp_path / "case"
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    assert not target.exists()  # nothing is written before the secrets to hide are known
    assert dialog.isVisible()

    keyring.unlock()  # the user typed the password
    qtbot.waitUntil(lambda: (target / "exchanges.har").exists(), timeout=WAIT_MS)
    assert keyring.read_on == ["keyring-read"]  # a thread of its own, not a pool's
    assert_no_canary(target, [demo.api_key])


def test_cancelling_while_the_keyring_waits_closes_at_once(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, demo: DemoServer
) -> None:
    window, keyring = sent_with_the_key_in(qtbot, make_window, demo)
    cases = tmp_path / "cases"
    cases.mkdir()
    window.analysis.case_folder = cases
    keyring.lock()
    window.analysis.share_action.trigger()
    dialog = window.analysis.case_dialog
    assert dialog is not None and dialog.reading_secrets
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.analysis.case_dialog is None)
    assert not dialog.reading_secrets
    assert list(cases.iterdir()) == []
    keyring.unlock()


class RefusingKeyring(MemoryCredentials):
    """A keyring whose password prompt was dismissed: every read of a secret refuses."""

    def get(self, profile: str) -> str | None:
        if profile.startswith("collection:"):
            raise KeyringUnavailable("prompt dismissed", what=SECRET_VARIABLES)
        return super().get(profile)


def test_a_refusing_keyring_writes_no_case_and_says_why(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, tmp_path: Path
) -> None:
    keyring = RefusingKeyring()
    store = CollectionStore.create(home.collections_dir / "team", "Team", credentials=keyring)
    store.set_environment(Environment("dev", {"account_id": "acct_bamboohr_demo"}))
    store.set_variable("dev", "token", LONG, secret=True)
    window = make_window(credentials=keyring)
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    assert pane.environment.set_active("dev")
    send(qtbot, window, ONE)
    cases = tmp_path / "cases"
    cases.mkdir()
    window.analysis.case_folder = cases
    window.analysis.share_action.trigger()
    dialog = window.analysis.case_dialog
    assert dialog is not None
    wait_planned(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.reading_secrets)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "could not be read, so the case cannot be written" in dialog.error_label.text()
    assert "prompt dismissed" in dialog.error_label.text()
    assert list(cases.iterdir()) == []
