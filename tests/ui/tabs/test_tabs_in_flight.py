"""Several requests at once: one in flight per tab, up to four, each cancelled on its own.

Issue 14, item 1: a support engineer keeps customer A's failing call open while trying
customer B's. Every key is a real key press on the focused widget.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.request.send_control import MAX_IN_FLIGHT
from explorer.ui.tabs.tab import IN_FLIGHT_MARK, RequestTab
from tests.ui.driving import send, type_into
from tests.ui.keyboard import focused, press
from tests.ui.modals import answering, click
from tests.ui.production import answer_if_asked

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WAIT_MS = 15_000
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
# The test account: a slow report there is a write, but no customer's live data.
SANDBOX = "acct_bamboohr_sandbox"


def slow_report(seconds: float) -> RpcRequest:
    return RpcRequest(
        action="bamboohr_generate_report", account_id=SANDBOX, body={"seconds": seconds}
    )


def type_request(qtbot: QtBot, window: MainWindow, request: RpcRequest) -> None:
    """Fill the current tab as a person would: action and account typed, the body pasted."""
    type_into(qtbot, window, request.action, SANDBOX)
    editor = window.editor
    editor.json_editors["body"].setPlainText(json.dumps(request.body) if request.body else "")
    editor.action_edit.setFocus()


def start(qtbot: QtBot, window: MainWindow) -> RpcRequest:
    """Ctrl+Enter in the current tab and wait until its request is on its way."""
    with qtbot.waitSignal(window.send_control.started, timeout=WAIT_MS) as blocker:
        press(qtbot, Qt.Key.Key_Return, CTRL)
        answer_if_asked(qtbot, window, sent=lambda: blocker.signal_triggered)
    request = blocker.args[0]
    assert isinstance(request, RpcRequest)
    return request


def status_text(tab: RequestTab) -> str:
    return tab.label().status


def test_two_tabs_in_flight_at_once_and_esc_cancels_only_the_current_ones(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    first = window.tabs.current
    type_request(qtbot, window, slow_report(20))
    start(qtbot, window)

    press(qtbot, Qt.Key.Key_T, CTRL)  # a new tab, while the first one waits
    second = window.tabs.current
    assert second is not first and len(window.tabs.tabs) == 2
    assert window.editor is second.editor and window.response_view is second.response_view
    type_request(qtbot, window, slow_report(1))
    start(qtbot, window)

    assert first.send.in_flight and second.send.in_flight
    assert window.send_control.in_flight_count() == 2
    assert status_text(first) == status_text(second) == IN_FLIGHT_MARK
    assert first.response_view.is_in_flight() and second.response_view.is_in_flight()

    # Back to the first tab (Ctrl+Shift+Tab) and Esc: only its request is cancelled.
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert window.tabs.current is first
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        press(qtbot, Qt.Key.Key_Escape)
    cancelled = blocker.args[0]
    assert isinstance(cancelled, Exchange)
    assert cancelled.failure is not None and cancelled.failure.kind == "Cancelled"
    assert cancelled.request.body == {"seconds": 20}
    assert not first.send.in_flight and second.send.in_flight

    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        pass
    finished = blocker.args[0]
    assert finished.response is not None and finished.response.status == 200
    assert finished.request.body == {"seconds": 1}

    # Each tab shows its own answer, and says it in the tab bar.
    assert first.response_view.exchange is cancelled
    assert second.response_view.exchange is finished
    assert status_text(first) == "Cancelled"
    assert status_text(second) == "200"
    assert window.response_view is first.response_view  # the first tab is still shown
    window.history_pane.flush()
    assert len(window.history.entries()) == 2


def test_at_most_four_in_flight_and_the_fifth_says_why(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    for index in range(MAX_IN_FLIGHT):
        if index:
            press(qtbot, Qt.Key.Key_T, CTRL)
        type_request(qtbot, window, slow_report(20))
        start(qtbot, window)
    assert window.send_control.in_flight_count() == MAX_IN_FLIGHT

    press(qtbot, Qt.Key.Key_T, CTRL)
    type_request(qtbot, window, slow_report(1))
    window.statusBar().clearMessage()
    with qtbot.assertNotEmitted(window.send_control.started, wait=300):
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert f"{MAX_IN_FLIGHT} requests are in flight" in window.statusBar().currentMessage()

    # One cancelled (Esc in its tab) makes room.
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Tab, CTRL)
    start(qtbot, window)
    assert window.send_control.in_flight_count() == MAX_IN_FLIGHT


def test_a_tab_closed_in_flight_cancels_its_request_and_keeps_it_in_the_history(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    type_request(qtbot, window, slow_report(20))
    start(qtbot, window)
    # Typed and never saved: closing asks first; "Discard" closes it.
    with (
        qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker,
        answering(click(QMessageBox.StandardButton.Discard)) as seen,
    ):
        qtbot.keyClick(focused(), Qt.Key.Key_W, CTRL)
    assert [s.title for s in seen] == ["Unsaved edits"]
    # Typing goes on in the tab left open (here a new, empty one).
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor.action_edit)
    assert blocker.args[0].failure.kind == "Cancelled"
    assert len(window.tabs.tabs) == 1 and not window.send_control.in_flight
    window.history_pane.flush()
    assert len(window.history.entries()) == 1


@pytest.fixture
def strict_demo() -> Iterator[DemoServer]:
    with DemoServer(rate_limit_per_minute=1) as server:
        yield server


def test_stackones_429_for_the_key_holds_the_other_tabs_until_retry_after(
    qtbot: QtBot, make_window: WindowFactory, strict_demo: DemoServer
) -> None:
    """The rate limit is the key's, shared by the tabs: after StackOne's own 429, another
    tab's send waits for Retry-After (saying so) instead of being refused too; Esc stops it."""
    window = make_window(base_url=strict_demo.url, key=strict_demo.api_key)
    listing = RpcRequest(action="bamboohr_list_employees", account_id=SANDBOX)
    for _attempt in range(2):  # the account listing may have used the minute's one request
        exchange = send(qtbot, window, listing)
        if exchange.response is not None and exchange.response.status == 429:
            break
    assert exchange.response is not None and exchange.response.status == 429

    press(qtbot, Qt.Key.Key_T, CTRL)
    type_request(qtbot, window, listing)
    start(qtbot, window)
    assert "slow down" in window.statusBar().currentMessage()
    # The server answers at once (another 429): still in flight means it was not sent.
    qtbot.wait(500)
    assert window.send_control.in_flight
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        press(qtbot, Qt.Key.Key_Escape)
    held = blocker.args[0]
    assert held.failure.kind == "Cancelled" and held.response is None


RETRY_AFTER_S = 1  # the window fixture's demo server answers HiBob's 429 with Retry-After: 1
RATE_LIMITED = RpcRequest(action="hibob_search_employees", account_id="acct_hibob_demo")


def rate_limited_tab(qtbot: QtBot, window: MainWindow) -> RequestTab:
    """The current tab sends a call the provider limits; automatic retry is on."""
    window.response_view.error_panel.auto_retry_check.setChecked(True)
    exchange = send(qtbot, window, RATE_LIMITED)
    assert exchange.response is not None and exchange.response.status == 429
    return window.tabs.current


def test_a_background_tab_retries_its_own_429_by_itself(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    limited = rate_limited_tab(qtbot, window)
    press(qtbot, Qt.Key.Key_T, CTRL)  # away to another tab while the wait runs
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        pass  # the countdown ends in the background
    retried = blocker.args[0]
    assert retried.response.status == 200 and retried.request.action == RATE_LIMITED.action
    assert limited.response_view.exchange is retried
    assert window.tabs.current is not limited  # the shown tab stays shown
    assert status_text(limited) == "200"


def test_a_background_tab_changed_since_its_429_never_retries_by_itself(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    limited = rate_limited_tab(qtbot, window)
    # The user changes the request, then goes to another tab before the wait ends.
    query = window.editor.json_editors["query"]
    query.setFocus()
    qtbot.keyClicks(query, '{"limit": "1"}')
    press(qtbot, Qt.Key.Key_T, CTRL)
    with qtbot.assertNotEmitted(window.send_control.started, wait=(RETRY_AFTER_S + 2) * 1000):
        pass
    assert limited.response_view.exchange.response.status == 429  # type: ignore[union-attr]
    assert not limited.send.in_flight
