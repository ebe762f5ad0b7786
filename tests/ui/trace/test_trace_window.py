"""The trace of a request in the window, against the demo over real sockets: opened from a
response's Trace button or from a pasted request id, fetched off the UI thread, each provider
call in time order with the failing one marked and shown with its body, a step's request as
text and as curl without the StackOne key, and a missing scope or an old id said in words."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.demo import DEMO_ACTIONS_ONLY_KEY
from explorer.demo.provider_calls import GOOGLE_AUTH
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.trace.model import StepColumn
from explorer.ui.trace.window import TraceWindow
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
WindowFactory = Callable[..., MainWindow]
DRIVE = RpcRequest(action="google_drive_list_files", account_id="acct_drive_demo")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def loaded(qtbot: QtBot, window: MainWindow) -> TraceWindow:
    """The trace window once its fetch has ended (a trace or a problem)."""
    qtbot.waitUntil(lambda: window.support.traces.window is not None, timeout=WAIT_MS)
    trace_window = window.support.traces.window
    assert trace_window is not None
    qtbot.waitUntil(lambda: not trace_window.loading, timeout=WAIT_MS)
    return trace_window


def test_the_trace_button_shows_the_failing_provider_step_with_its_body(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    exchange = send(qtbot, window, DRIVE)
    assert exchange.response is not None and exchange.response.request_id
    button = window.response_view.trace_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    trace_window = loaded(qtbot, window)

    trace = trace_window.trace
    assert trace is not None and trace.request_id == exchange.response.request_id
    model = trace_window.model
    # Every provider call in time order: Google's 401, the token refresh, the answer.
    rows = [
        [model.index(r, c).data() for c in (StepColumn.NUMBER, StepColumn.METHOD)]
        + [model.index(r, StepColumn.STATUS).data()]
        for r in range(model.rowCount())
    ]
    assert rows == [["1", "GET", "401 FAILED"], ["2", "POST", "200"], ["3", "GET", "200"]]
    assert model.index(0, StepColumn.NUMBER).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(1, StepColumn.NUMBER).data(Qt.ItemDataRole.DecorationRole) is None
    # The failing step is named above and is the one shown, its error body pretty.
    assert "1 failed: step 1 GET https://www.googleapis.com" in trace_window.summary_label.text()
    assert trace_window.steps_table.currentIndex().row() == 0
    shown = trace_window.response_view.toPlainText()
    assert shown.startswith("HTTP 401")
    assert '"error": {' in shown and '\n  "error"' in shown  # indented, not one line
    assert json.loads(shown[shown.index("{") :])["error"]["code"] == 401
    # Masked by the one policy: the provider's bearer token never reaches the screen.
    assert GOOGLE_AUTH.split()[1] not in shown
    assert GOOGLE_AUTH.split()[1] not in trace_window.request_view.toPlainText()


def test_a_step_opens_as_text_and_copies_as_curl_without_the_stackone_key(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(qtbot, window, DRIVE)
    qtbot.mouseClick(window.response_view.trace_button, Qt.MouseButton.LeftButton)
    trace_window = loaded(qtbot, window)
    table = trace_window.steps_table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the token refresh
    assert trace_window.current_step() is not None
    assert trace_window.current_step().number == 2  # type: ignore[union-attr]
    assert trace_window.step_label.text().startswith(
        "Step 2 of 3: POST https://oauth2.googleapis.com/token answered 200"
    )

    qtbot.mouseClick(trace_window.open_text_button, Qt.MouseButton.LeftButton)
    text_window = trace_window.text_windows[-1]
    assert text_window.isVisible()
    text = text_window.text_view.toPlainText()
    assert text.startswith("POST https://oauth2.googleapis.com/token\n")
    assert "refresh_token=<redacted>" in text

    qtbot.mouseClick(trace_window.copy_curl_button, Qt.MouseButton.LeftButton)
    curl = QGuiApplication.clipboard().text()
    assert curl.startswith("curl -X POST https://oauth2.googleapis.com/token")
    key = window.session_keys.get("Demo")
    assert key and key not in curl and "STACKONE_API_KEY" not in curl


def test_a_pasted_request_id_opens_its_trace_from_the_menu_shortcut(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    failed = send(
        qtbot, window, RpcRequest(action="workday_list_workers", account_id="acct_workday_demo")
    )
    assert failed.response is not None and failed.response.status == 502
    request_id = failed.response.request_id
    assert request_id
    # A line pasted from a ticket, not only the bare id.
    QGuiApplication.clipboard().setText(f"x-request-id: {request_id}")
    window.response_view.clear()
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: window.support.traces.window is not None, timeout=WAIT_MS)
    trace_window = window.support.traces.window
    assert trace_window is not None
    assert trace_window.request_edit.text() == request_id
    assert trace_window.request_edit.hasFocus() or QApplication.focusWidget() is not None
    qtbot.keyClick(trace_window.request_edit, Qt.Key.Key_Return)
    trace_window = loaded(qtbot, window)
    assert trace_window.trace is not None
    assert [s.failed for s in trace_window.trace.steps] == [True, True]
    assert "2 provider calls, 2 failed" in trace_window.summary_label.text()
    assert "Workday" in trace_window.response_view.toPlainText() or "503" in (
        trace_window.response_view.toPlainText()
    )


def test_an_old_id_and_a_key_without_the_scope_are_said_in_words(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    QGuiApplication.clipboard().setText("")
    window.support.traces.open_for_id()
    trace_window = window.support.traces.window
    assert trace_window is not None
    qtbot.keyClicks(trace_window.request_edit, "0123456789abcdef0123456789abcdef")
    qtbot.keyClick(trace_window.request_edit, Qt.Key.Key_Return)
    trace_window = loaded(qtbot, window)
    words = trace_window.summary_label.text()
    assert "no log for request id 0123456789abcdef0123456789abcdef" in words
    assert "90 days" in words
    assert trace_window.model.rowCount() == 0

    trace_window.request_edit.setText("not an id!")
    qtbot.keyClick(trace_window.request_edit, Qt.Key.Key_Return)
    assert "That is not a request id" in trace_window.summary_label.text()


def test_a_key_with_only_the_actions_scope_cannot_read_logs_and_says_so(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(key=DEMO_ACTIONS_ONLY_KEY)
    exchange = send(
        qtbot,
        window,
        RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_sandbox"),
    )
    assert exchange.response is not None and exchange.response.ok
    qtbot.mouseClick(window.response_view.trace_button, Qt.MouseButton.LeftButton)
    trace_window = loaded(qtbot, window)
    words = trace_window.summary_label.text()
    assert "may not read request logs" in words and "Actions scope" in words


def test_the_log_is_fetched_off_the_ui_thread_and_cancel_stops_waiting(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    exchange = send(qtbot, window, DRIVE)
    trace_window = window.support.traces.open_for_exchange(exchange)
    # Back at once, still fetching: the window never waited on the network.
    assert trace_window is not None
    assert trace_window.loading and trace_window.cancel_button.isVisible()
    qtbot.mouseClick(trace_window.cancel_button, Qt.MouseButton.LeftButton)
    assert not trace_window.loading
    assert "Stopped." in trace_window.summary_label.text()
    window.support.traces.pool.waitForDone(WAIT_MS)
    qtbot.wait(50)
    # The late answer of a cancelled fetch is dropped: the window still says "Stopped."
    assert trace_window.trace is None and "Stopped." in trace_window.summary_label.text()

    # Fetching again works.
    qtbot.mouseClick(trace_window.fetch_button, Qt.MouseButton.LeftButton)
    trace_window = loaded(qtbot, window)
    assert trace_window.trace is not None and len(trace_window.trace.steps) == 3
