"""Validation messages never move the form under the mouse.

Issue 8, item 10: messages appearing above and below fields pushed the fields down while the
user was typing or about to click.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.ui.mainwindow.window import MainWindow

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def places(window: MainWindow) -> dict[str, QPoint]:
    editor = window.editor
    widgets: dict[str, QWidget] = {
        "action": editor.action_edit,
        "account": editor.account_edit,
        "connector": editor.connector_profile_edit,
        "tabs": editor.tabs,
        "send": editor.send_button,
    }
    return {name: w.mapTo(window, QPoint(0, 0)) for name, w in widgets.items()}


def test_typing_an_invalid_value_moves_no_field(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.editor.load_request(
        RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    qtbot.wait(20)
    before = places(window)
    assert window.editor.send_button.isEnabled()

    action = window.editor.action_edit
    action.setFocus()
    qtbot.keyClick(action, Qt.Key.Key_End)
    qtbot.keyClicks(action, " x")  # action names contain no spaces
    qtbot.wait(20)
    assert not window.editor.send_button.isEnabled()
    assert "no spaces" in window.editor.reason_label.text()
    assert places(window) == before

    account = window.editor.account_edit
    account.setFocus()
    account.selectAll()
    qtbot.keyClick(account, Qt.Key.Key_Backspace)  # now empty: a second problem
    qtbot.wait(20)
    assert places(window) == before

    qtbot.keyClicks(account, "acct_bamboohr_demo")
    action.setFocus()
    qtbot.keyClick(action, Qt.Key.Key_Backspace)
    qtbot.keyClick(action, Qt.Key.Key_Backspace)
    qtbot.wait(20)
    assert window.editor.send_button.isEnabled()
    assert places(window) == before
