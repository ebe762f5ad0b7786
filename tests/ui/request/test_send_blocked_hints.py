"""Wherever Send is blocked, the status bar, the Send button's tooltip and its accessible
description say what blocks it and what to do, never "press Ctrl+Enter to send".

A walk found a history entry whose secret values were redacted (and no ``{{variable}}`` said
where they came from) opened in the editor with Send blocked, while the status bar still
said "press Ctrl+Enter to send". The other blocked states are checked the same way: a tab
with its request in flight, and a tab idle while ``MAX_IN_FLIGHT`` requests run elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED, redact_exchange
from explorer.demo import DemoServer
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.request.send_control import MAX_IN_FLIGHT
from tests.ui.driving import WAIT_MS, ctrl_enter, open_history_entry
from tests.ui.production import answer_if_asked

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
SECRET = "canary-blocked-hint-5521"
SLOW_SECONDS = 30.0  # the window fixture's slow action; see conftest.py


def says_send(text: str) -> bool:
    """``text`` invites the user to send."""
    return "to send" in text.lower() and "ctrl+enter" in text.lower()


def window_with_redacted_entry(
    make_window: WindowFactory, home: AppPaths, demo: DemoServer
) -> MainWindow:
    """A window whose history holds an entry with a secret in the body and no template."""
    history = HistoryStore(home.history_dir)
    sent = RpcRequest(
        action="hibob_search_employees",
        account_id="acct_hibob_demo",
        body={"query": "ada", "note": f"signed {SECRET}"},
        base_url=demo.url,
    )
    history.add(redact_exchange(Exchange(request=sent, profile="Demo"), [SECRET]))
    history.close()
    return make_window()


def test_an_entry_with_redacted_values_says_what_blocks_send_until_they_are_given(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, demo: DemoServer
) -> None:
    window = window_with_redacted_entry(make_window, home, demo)
    open_history_entry(qtbot, window)
    status = window.statusBar()
    editor = window.editor
    button = editor.send_button
    action = window.send_control.send_action

    assert not action.isEnabled() and not button.isEnabled()
    text = status.currentMessage()
    assert not says_send(text), text
    assert "body.note" in text and "again" in text, text
    for said in (button.toolTip(), button.accessibleDescription(), action.statusTip()):
        assert "body.note" in said and not says_send(said), said

    # Ctrl+Enter says so too, and sends nothing.
    count = len(demo.logs.all())
    status.clearMessage()
    with qtbot.assertNotEmitted(window.send_control.started, wait=200):
        ctrl_enter(qtbot, window)
    assert "body.note" in status.currentMessage()
    assert len(demo.logs.all()) == count

    # The value given again (typed over the placeholder): back to the normal hint.
    body = editor.json_editors["body"]
    editor.tabs.setCurrentIndex(3)
    body.setFocus()
    text = body.toPlainText()
    cursor = body.textCursor()
    start = text.index(REDACTED)
    cursor.setPosition(start)
    cursor.setPosition(start + len(REDACTED), cursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)
    qtbot.keyClicks(body, "the value again")
    assert REDACTED not in body.toPlainText()
    assert action.isEnabled() and button.isEnabled()
    assert says_send(status.currentMessage()), status.currentMessage()
    for said in (button.toolTip(), button.accessibleDescription(), action.statusTip()):
        assert "Ctrl+Enter" in said and "body.note" not in said, said


def start_slow(qtbot: QtBot, window: MainWindow) -> None:
    """Send the demo's slow action from the current tab and wait for it to go out."""
    window.editor.load_request(
        RpcRequest(
            action="bamboohr_generate_report",
            account_id="acct_bamboohr_demo",
            body={"seconds": SLOW_SECONDS},
        )
    )
    profile = window.profile_selector.current()
    assert profile is not None
    window.editor.set_base_url(profile.base_url)
    with qtbot.waitSignal(window.send_control.started, timeout=WAIT_MS) as blocker:
        ctrl_enter(qtbot, window)
        answer_if_asked(qtbot, window, sent=lambda: blocker.signal_triggered)


def test_in_flight_and_at_most_in_flight_the_send_button_says_so(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    start_slow(qtbot, window)
    button = window.editor.send_button
    assert button.text() == "Cancel"
    assert "Esc" in button.toolTip()
    assert "Esc" in button.accessibleDescription() and not says_send(button.accessibleDescription())
    assert not says_send(window.send_control.send_action.statusTip())

    for _ in range(MAX_IN_FLIGHT - 1):
        window.tabs.new_tab()
        start_slow(qtbot, window)
    window.tabs.new_tab()
    idle = window.editor
    idle.load_request(RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo"))
    action = window.send_control.send_action
    for said in (idle.send_button.toolTip(), idle.send_button.accessibleDescription()):
        assert f"{MAX_IN_FLIGHT} requests are in flight" in said, said
    assert f"{MAX_IN_FLIGHT} requests are in flight" in action.statusTip()
    assert f"{MAX_IN_FLIGHT} requests are in flight" in action.toolTip()

    # One finishes (cancelled in its tab): this tab may send again, and says so.
    first = window.tabs.tabs[0]
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        qtbot.mouseClick(first.editor.send_button, Qt.MouseButton.LeftButton)
    for said in (idle.send_button.toolTip(), idle.send_button.accessibleDescription()):
        assert said == "Send the request (Ctrl+Enter)", said
    assert action.statusTip() == "Send the request (Ctrl+Enter)"
