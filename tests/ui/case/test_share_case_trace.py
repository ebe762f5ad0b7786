"""A shared case carries the trace the user fetched: the report's "Trace" section lists what
StackOne did with the request (each provider call, the failing one marked), and no secret
reaches a written byte: not the StackOne key (a canary, in every form the log may hold it),
not the provider's token that StackOne's log holds.

Issue 13, item 4 ("trace summary when fetched"). Driven as a user does: Send, the response's
Trace… button, then Share a case with Ctrl+Shift+E.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.core.trace import secrets_of
from explorer.demo import DemoServer
from explorer.demo.provider_calls import GOOGLE_AUTH
from explorer.ui.case.dialog import ShareCaseDialog
from explorer.ui.mainwindow.window import MainWindow
from tests.canaries import LONG, assert_no_canary, blobs, leaks
from tests.private_demo import private_demo
from tests.ui.case.test_share_case_window import WAIT_MS, wait_planned
from tests.ui.driving import send
from tests.ui.trace.test_trace_window import loaded

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
# Google answers 401 first; StackOne refreshes the token and asks again (three provider calls).
DRIVE = RpcRequest(action="google_drive_list_files", account_id="acct_drive_demo")


@pytest.fixture
def server() -> Iterator[DemoServer]:
    """A demo whose API key is the long canary: every form of it must stay out of the case."""
    yield from private_demo(LONG)


def share(qtbot: QtBot, window: MainWindow) -> ShareCaseDialog:
    """Ctrl+Shift+E in the editor: the response on screen as a case; wait for its preview."""
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_E, CTRL_SHIFT)
    dialog = window.analysis.case_dialog
    assert dialog is not None
    wait_planned(qtbot, dialog)
    return dialog


def test_the_fetched_trace_goes_in_the_report_and_no_secret_does(
    qtbot: QtBot, make_window: WindowFactory, server: DemoServer, tmp_path: Path
) -> None:
    window = make_window(key=LONG, base_url=server.url)
    window.analysis.case_folder = tmp_path
    exchange = send(qtbot, window, DRIVE)
    assert exchange.response is not None
    request_id = exchange.response.request_id
    assert request_id

    # Before a trace is fetched, the dialog says how to get one into the case.
    dialog = share(qtbot, window)
    assert dialog.traces() == [""]
    assert "No trace fetched" in dialog.trace_label.text()
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.analysis.case_dialog is None)

    qtbot.mouseClick(window.response_view.trace_button, Qt.MouseButton.LeftButton)
    trace_window = loaded(qtbot, window)
    assert trace_window.trace is not None and trace_window.trace.request_id == request_id
    qtbot.keyClick(trace_window.request_edit, Qt.Key.Key_Escape)  # back to the window
    qtbot.waitUntil(lambda: not trace_window.isVisible())
    with qtbot.waitActive(window):
        window.activateWindow()

    dialog = share(qtbot, window)
    assert "goes in the report for 1 of 1 exchange(s)" in dialog.trace_label.text()
    target = tmp_path / "drive-case"
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.analysis.case_dialog is None, timeout=WAIT_MS)
    assert dialog.written == target

    report = (target / "README.md").read_text()
    section = report[report.index("### Trace (StackOne request logs)") :]
    assert f"Request {request_id}: google_drive_list_files on google_drive -> 200" in section
    assert "  1. GET https://www.googleapis.com/" in section and "-> 401" in section
    assert "FAILED" in section.split("\n  2.")[0]  # the first call, the failing one
    assert "  2. POST https://oauth2.googleapis.com/token -> 200" in section
    assert "  3. GET https://www.googleapis.com/" in section

    # No secret in any written byte: the key (also as StackOne logs it, in Basic form) and
    # the provider's bearer token from the log's step headers.
    secrets = [LONG, *secrets_of(LONG), GOOGLE_AUTH.split()[1]]
    assert_no_canary(target, secrets)
    # The scan reads the files it should: the report with the trace, and the HAR.
    names = [Path(name).name for name, _data in blobs(target)]
    assert "README.md" in names and "exchanges.har" in names
    assert leaks(report.encode(), [request_id]) == [request_id]
