"""The response view on its own: empty state, big bodies off the UI thread, dark mode, find."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QRunnable, Qt, QThreadPool
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.ui.response_view import RAW_LIMIT, RICH_TEXT_LIMIT, ResponseView

pytestmark = pytest.mark.gui

JSON = [("content-type", "application/json"), ("x-request-id", "req-1")]


def exchange(status: int, body: bytes, headers: list[tuple[str, str]] = JSON) -> Exchange:
    response = read_response(status, headers, body, timing=Timing(total_ms=12.0, ttfb_ms=5.0))
    return Exchange(request=RpcRequest(action="a", account_id="b"), response=response)


@pytest.fixture
def view(qtbot: QtBot) -> ResponseView:
    widget = ResponseView()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


def test_empty_state_until_something_is_sent(view: ResponseView) -> None:
    assert view.stack.currentWidget() is view.empty_label
    assert view.empty_label.text() == "Send a request to see its response"
    view.show_in_flight("bamboohr_list_employees")
    assert view.is_in_flight() and "bamboohr_list_employees" in view.in_flight_label.text()


def test_status_line_shows_code_time_size_and_request_id(view: ResponseView) -> None:
    view.show_exchange(exchange(200, b'{"data": [{"name": "Ada"}]}'))
    assert view.status_label.text() == "200 OK"
    assert "12 ms" in view.time_label.text() and "TTFB 5 ms" in view.time_label.text()
    assert view.size_label.text() == "Size 27 B"
    assert view.request_id_label.text() == "x-request-id: req-1"
    assert '"name": "Ada"' in view.pretty_text()


def test_a_big_body_is_formatted_off_the_ui_thread(qtbot: QtBot, view: ResponseView) -> None:
    rows = [{"id": i, "name": f"Employee {i}", "note": "x" * 40} for i in range(60_000)]
    body = json.dumps({"data": rows}).encode()
    assert len(body) > RICH_TEXT_LIMIT and len(body) > RAW_LIMIT

    view.show_exchange(exchange(200, body))
    # show_exchange returned before the formatting was done: the window stayed responsive.
    assert view.is_rendering()
    assert view.pretty_text().startswith("Formatting")

    qtbot.waitUntil(lambda: not view.is_rendering(), timeout=60_000)
    assert view.pretty_stack.currentWidget() is view.pretty_plain  # too big for colours
    assert '"name": "Employee 59999"' in view.pretty_text()
    raw = view.raw_view.toPlainText()
    assert "the rest is not shown here" in raw and len(raw) < RAW_LIMIT + 500


def test_a_stale_render_does_not_overwrite_a_newer_response(
    qtbot: QtBot, view: ResponseView
) -> None:
    big = json.dumps({"data": ["y" * 100] * 3000}).encode()
    view.show_exchange(exchange(200, big))
    view.show_exchange(exchange(200, b'{"data": "small"}'))
    qtbot.waitUntil(lambda: not view.is_rendering(), timeout=60_000)
    assert '"data": "small"' in view.pretty_text()


def test_dark_mode_recolours_the_body(view: ResponseView) -> None:
    view.show_exchange(exchange(200, b'{"data": {"name": "Ada"}}'))
    light = view.pretty_rich.toHtml()
    view.set_dark(True)
    assert view.pretty_rich.toHtml() != light
    assert '"name": "Ada"' in view.pretty_text()


def test_failure_shows_no_response_and_the_request_tab(view: ResponseView) -> None:
    failed = Exchange(
        request=RpcRequest(action="a", account_id="b", base_url="https://nowhere.invalid"),
        failure=Failure("DNSFailed", "The server's host name could not be resolved."),
    )
    view.show_exchange(failed)
    assert view.status_label.text() == "No response · Host name not found (DNS)"
    assert "nowhere.invalid" in view.error_panel.meaning_label.text()
    assert view.request_view.toPlainText() == "The request was not sent."
    assert "https://nowhere.invalid/actions/rpc" in view.curl_view.toPlainText()


def test_find_wraps_around_and_says_when_nothing_matches(qtbot: QtBot, view: ResponseView) -> None:
    view.show_exchange(exchange(200, b'{"a": "needle", "b": "hay", "c": "needle"}'))
    view.open_find()
    bar = view.find_bar
    qtbot.keyClicks(bar.edit, "needle")
    first = view.pretty_rich.textCursor().selectionStart()
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    second = view.pretty_rich.textCursor().selectionStart()
    assert second > first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)  # wraps to the first again
    assert view.pretty_rich.textCursor().selectionStart() == first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert view.pretty_rich.textCursor().selectionStart() == second
    bar.edit.setText("absent")
    assert bar.result_label.text() == "No matches"


class _Blocker(QRunnable):
    """Holds the pool's only thread until released, to see what waits for the pool."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def run(self) -> None:
        self.release.wait(30)


def test_save_body_writes_the_file_off_the_ui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    view = ResponseView(pool=pool)
    qtbot.addWidget(view)
    body = b'{"data": "' + b"x" * 100_000 + b'"}'
    view.show_exchange(exchange(200, body))
    target = tmp_path / "body.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_args: (str(target), ""))
    )
    messages: list[str] = []
    view.message.connect(messages.append)
    blocker = _Blocker()
    pool.start(blocker)
    try:
        assert view.save_body_as() == target
        # Returned while the pool was busy: the write did not happen on this (the UI) thread.
        assert not target.exists() and view.is_saving()
        assert len(messages) == 1 and messages[0].startswith("Saving")
    finally:
        blocker.release.set()
    qtbot.waitUntil(lambda: not view.is_saving(), timeout=30_000)
    assert target.read_bytes() == body
    assert messages[-1].startswith("Saved ") and str(target) in messages[-1]
    pool.waitForDone(5000)


def test_a_failed_save_says_why_in_the_status_bar(
    qtbot: QtBot, view: ResponseView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.show_exchange(exchange(200, b'{"data": 1}'))
    target = tmp_path / "no such folder" / "body.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_args: (str(target), ""))
    )
    with qtbot.waitSignal(view.message, timeout=30_000, check_params_cb=lambda t: "Could" in t):
        view.save_body_as()
    assert not target.exists()
