"""A secret kept for this session only (Set variable… on a token) never reaches a shared case.

The value went out in the request (a query parameter, where no header rule hides it); the
case of the response on screen must hide it as it hides the API key and the environment's
secrets. Issue 13, item 4 with issue 14, item 2.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.ui.mainwindow.window import MainWindow
from tests.canaries import LONG, assert_no_canary, blobs
from tests.ui.case.test_share_case_window import WAIT_MS, wait_planned
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WITH_TOKEN = RpcRequest(
    action="bamboohr_list_employees",
    account_id="acct_bamboohr_demo",
    query={"page_size": 1, "cursor_hint": "{{session_token}}"},
)


def test_a_session_secret_sent_in_a_request_is_hidden_in_the_case(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, demo: DemoServer
) -> None:
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    # What Set variable… does for a secret-looking value kept for this session.
    pane.environment.set_session("session_token", LONG, secret=True)
    exchange = send(qtbot, window, WITH_TOKEN)
    assert exchange.response is not None

    window.analysis.case_folder = tmp_path
    qtbot.keyClick(
        window.editor.action_edit,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.analysis.case_dialog
    assert dialog is not None
    wait_planned(qtbot, dialog)
    target = tmp_path / "case"
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (target / "exchanges.har").exists(), timeout=WAIT_MS)
    assert "cursor_hint" in (target / "README.md").read_text()  # the parameter is reported
    assert [Path(name).name for name, _data in blobs(target)] == ["README.md", "exchanges.har"]
    assert_no_canary(target, [demo.api_key, LONG])
