"""A Send (and a collection run) reads the OS keyring off the UI thread.

A locked keyring asks for its password and may take as long as the user does: meanwhile the
window keeps working, says what it waits for, and Esc forgets the send. The keyring here is
the in-memory one, made to wait like a locked keyring until the test "types the password".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.conftest import LockedKeyring
from tests.ui.driving import WAIT_MS, ctrl_enter, open_in_environment

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
PROFILE = "Demo"
SECRET_ACCOUNT = "acct_bamboohr_demo"


def _window(make_window: WindowFactory, keyring: LockedKeyring, demo: DemoServer) -> MainWindow:
    """A window whose profile's key is in the (locked) keyring, not in this run's memory."""
    keyring.set(PROFILE, demo.api_key)
    window = make_window(key="", credentials=keyring)
    window.editor.load_request(
        RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    window.editor.set_base_url(demo.url)
    return window


def test_a_send_waiting_for_the_keyring_leaves_the_window_working(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer
) -> None:
    keyring = LockedKeyring()
    window = _window(make_window, keyring, demo)
    before = time.monotonic()
    ctrl_enter(qtbot, window)
    assert time.monotonic() - before < 1  # the window did not wait for the password
    qtbot.waitUntil(lambda: "Reading the OS keyring" in window.statusBar().currentMessage())
    assert threading.main_thread().name not in keyring.read_on

    # Typing still works meanwhile; a second Ctrl+Enter only says why nothing more is sent.
    window.editor.action_edit.setFocus()
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_End)
    qtbot.keyClicks(window.editor.action_edit, "_x")
    assert window.editor.action_edit.text() == "bamboohr_list_employees_x"
    assert window.send_control.send() is False

    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as sent:
        keyring.unlock()
    exchange = sent.args[0]
    assert exchange.request.action == "bamboohr_list_employees"  # what was sent: before typing
    assert exchange.response is not None and exchange.response.status == 200
    assert window.statusBar().currentMessage() != "Reading the OS keyring… (Esc cancels)"


def test_escape_forgets_a_send_waiting_for_the_keyring(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer
) -> None:
    keyring = LockedKeyring()
    window = _window(make_window, keyring, demo)
    ctrl_enter(qtbot, window)
    assert window.send_control.cancel_action.isEnabled()
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Escape)
    assert "nothing was sent" in window.statusBar().currentMessage()
    with qtbot.assertNotEmitted(window.send_control.started, wait=500):
        keyring.unlock()
    assert not window.send_control.busy

    # The next Send goes as usual.
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        ctrl_enter(qtbot, window)


def test_secret_variables_are_read_off_the_ui_thread_and_kept_out_of_the_history(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, demo: DemoServer
) -> None:
    keyring = LockedKeyring()
    keyring.unlock()  # unlocked while the collection is set up
    store = CollectionStore.create(home.collections_dir / "team", "Team", credentials=keyring)
    store.set_environment(Environment("dev"))
    store.set_variable("dev", "account", SECRET_ACCOUNT, secret=True)
    store.save_request(
        SavedRequest("List", RpcRequest(action="bamboohr_list_employees", account_id="{{account}}"))
    )
    window = make_window(credentials=keyring)  # the key itself is in this run's memory
    open_in_environment(window, store, "dev")
    keyring.lock()
    keyring.read_on.clear()

    ctrl_enter(qtbot, window)
    qtbot.waitUntil(lambda: keyring.read_on != [])
    assert threading.main_thread().name not in keyring.read_on
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as sent:
        keyring.unlock()
    assert len(keyring.read_on) == 1  # one read, of the one secret the request uses
    assert sent.args[0].request.account_id == SECRET_ACCOUNT
    window.history_pane.flush()
    assert window.history.entries()[0].account_id != SECRET_ACCOUNT


def test_a_run_waiting_for_the_keyring_starts_when_it_answers(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, demo: DemoServer
) -> None:
    keyring = LockedKeyring()
    store = CollectionStore.create(home.collections_dir / "one", "One")
    store.save_request(SavedRequest("One", RpcRequest(action="bamboohr_list_employees")))
    window = _window(make_window, keyring, demo)
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    plan = pane.run_plan(next(s for s in pane.stores if s.root == store.root))
    assert plan is not None
    before = time.monotonic()
    assert window.run_control.run(plan) is None  # the keyring is read first
    assert time.monotonic() - before < 1
    assert window.run_control.dialog is None
    keyring.unlock()
    qtbot.waitUntil(lambda: window.run_control.dialog is not None, timeout=WAIT_MS)
    dialog = window.run_control.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert [r.outcome for r in dialog.results] == ["passed"]
