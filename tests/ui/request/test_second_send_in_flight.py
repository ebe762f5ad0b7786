"""A second Ctrl+Enter while a request is in flight sends nothing and says why.

Issue 8, item 10: the README promises a status-bar note; none appeared, because the Send
action was disabled while in flight and the shortcut never reached the window.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import ctrl_enter
from tests.ui.production import answer_if_asked

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
SLOW_SECONDS = 30.0  # the window fixture's slow action; see conftest.py


def test_ctrl_enter_in_flight_notes_it_and_sends_nothing(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.editor.load_request(
        RpcRequest(
            action="bamboohr_generate_report",
            account_id="acct_bamboohr_demo",
            body={"seconds": SLOW_SECONDS},
        )
    )
    window.editor.set_base_url(window.profile_selector.current().base_url)  # type: ignore[union-attr]
    with qtbot.waitSignal(window.send_control.started, timeout=15_000) as blocker:
        ctrl_enter(qtbot, window)
        # Generating a report writes, and the account is a production one: say "send".
        answer_if_asked(qtbot, window, sent=lambda: blocker.signal_triggered)
    window.statusBar().clearMessage()

    with qtbot.assertNotEmitted(window.send_control.started, wait=200):
        ctrl_enter(qtbot, window)
    assert "in flight" in window.statusBar().currentMessage()
    assert "Esc" in window.statusBar().currentMessage()

    with qtbot.waitSignal(window.send_control.finished, timeout=15_000) as blocker:
        qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Escape)
    assert blocker.args[0].failure is not None  # cancelled: only one request ever went out
    window.history_pane.flush()
    assert len(window.history.entries()) == 1
