"""The response view on its own: empty state, big bodies off the UI thread, dark mode, find."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRunnable, Qt, QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange, Failure
from explorer.core.render import json_colours
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.ui.response.body import PLAIN_TEXT_LIMIT, RICH_TEXT_LIMIT
from explorer.ui.response.view import ResponseView

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


def test_loading_says_so_and_offers_no_cancel(view: ResponseView) -> None:
    view.show_loading("Loading old_action from the history…")
    assert view.is_in_flight() and not view.in_flight_cancel.isVisible()
    view.set_elapsed(2.5, "running_action")  # a send still running keeps ticking meanwhile
    assert view.in_flight_label.text() == "Loading old_action from the history…"

    view.show_in_flight("running_action")  # a new send: its time and Cancel are back
    assert view.in_flight_cancel.isVisible()
    view.set_elapsed(1.5, "running_action")
    assert view.in_flight_label.text() == "Sending running_action… 1.5 s"


def test_status_line_shows_code_time_size_and_request_id(view: ResponseView) -> None:
    view.show_exchange(exchange(200, b'{"data": [{"name": "Ada"}]}'))
    assert view.status_label.text() == "200 OK"
    assert "12 ms" in view.time_label.text() and "TTFB 5 ms" in view.time_label.text()
    assert view.size_label.text() == "Size 27 B"
    assert view.request_id_label.text() == "x-request-id: req-1"
    assert '"name": "Ada"' in view.body.pretty_text()


def test_a_big_body_is_formatted_off_the_ui_thread(qtbot: QtBot, view: ResponseView) -> None:
    rows = [{"id": i, "name": f"Employee {i}", "note": "x" * 40} for i in range(60_000)]
    body = json.dumps({"data": rows}).encode()
    assert len(body) > RICH_TEXT_LIMIT and len(body) > PLAIN_TEXT_LIMIT

    view.show_exchange(exchange(200, body))
    # show_exchange returned before the formatting was done: the window stayed responsive.
    assert view.body.is_rendering()
    assert view.body.pretty_text().startswith("Formatting")

    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=60_000)
    assert view.body.pretty_stack.currentWidget() is view.body.pretty_lines  # too big for colours
    assert '"name": "Employee 59999"' in view.body.pretty_text()
    assert view.body.raw_text() == body.decode()  # all of it, not a truncated preview


def test_a_stale_render_does_not_overwrite_a_newer_response(
    qtbot: QtBot, view: ResponseView
) -> None:
    big = json.dumps({"data": ["y" * 100] * 3000}).encode()
    view.show_exchange(exchange(200, big))
    view.show_exchange(exchange(200, b'{"data": "small"}'))
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=60_000)
    assert '"data": "small"' in view.body.pretty_text()


def test_dark_mode_recolours_the_body(view: ResponseView) -> None:
    view.show_exchange(exchange(200, b'{"data": {"name": "Ada"}}'))
    light = view.body.pretty_rich.toHtml()
    view.set_dark(True)
    assert view.body.pretty_rich.toHtml() != light
    assert '"name": "Ada"' in view.body.pretty_text()


def click_tab(qtbot: QtBot, view: ResponseView, title: str) -> None:
    tabs = view.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def test_failure_shows_no_response_and_the_request_tab(qtbot: QtBot, view: ResponseView) -> None:
    failed = Exchange(
        request=RpcRequest(action="a", account_id="b", base_url="https://nowhere.invalid"),
        failure=Failure("DNSFailed", "The server's host name could not be resolved."),
    )
    view.show_exchange(failed)
    assert view.status_label.text() == "No response · Host name not found (DNS)"
    assert "nowhere.invalid" in view.error_panel.meaning_label.text()
    click_tab(qtbot, view, "Request")
    assert view.request_view.toPlainText() == "The request was not sent."
    click_tab(qtbot, view, "Code")
    assert "https://nowhere.invalid/actions/rpc" in view.curl_view.toPlainText()


def test_find_wraps_around_and_says_when_nothing_matches(qtbot: QtBot, view: ResponseView) -> None:
    view.show_exchange(exchange(200, b'{"a": "needle", "b": "hay", "c": "needle"}'))
    view.open_find()
    bar = view.find_bar
    qtbot.keyClicks(bar.edit, "needle")
    first = view.body.pretty_rich.textCursor().selectionStart()
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    second = view.body.pretty_rich.textCursor().selectionStart()
    assert second > first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)  # wraps to the first again
    assert view.body.pretty_rich.textCursor().selectionStart() == first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert view.body.pretty_rich.textCursor().selectionStart() == second
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


TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def ten_mb_body() -> bytes:
    """About 10 MB of compact JSON, as a list action sends it; a needle in the last record."""
    rows = [
        {"id": f"emp_{i:06d}", "name": f"Employee {i}", "team": f"team-{i % 40}", "pad": "x" * 60}
        for i in range(TEN_MB // 120)
    ]
    rows[-1]["name"] = "Needle Lastperson"
    body = json.dumps({"data": rows, "next": None}, separators=(",", ":")).encode()
    assert len(body) > TEN_MB * 0.9
    return body


def shown(view: ResponseView) -> ResponseView:
    view.tabs.setCurrentIndex(0)
    return view


def test_a_10_mb_body_shows_its_first_and_last_lines(
    qtbot: QtBot, view: ResponseView, ten_mb_body: bytes
) -> None:
    view.show_exchange(exchange(200, ten_mb_body))
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=120_000)
    lines = view.body.pretty_lines
    assert view.body.pretty_stack.currentWidget() is lines
    model = lines.model()
    assert model.index(0, 0).data() == "{"
    assert model.index(1, 0).data() == '  "data": ['
    assert model.index(model.rowCount() - 1, 0).data() == "}"
    assert model.index(model.rowCount() - 2, 0).data() == '  "next": null'
    # Scrolled to the end, the last lines are what the view draws.
    lines.scrollToBottom()
    bottom = lines.indexAt(lines.viewport().rect().bottomLeft() - QPoint(0, 5))
    assert bottom.row() >= model.rowCount() - 3
    assert json.loads(view.body.pretty_text()) == json.loads(ten_mb_body)


def test_find_in_a_10_mb_body_reaches_the_last_record_and_wraps(
    qtbot: QtBot, view: ResponseView, ten_mb_body: bytes
) -> None:
    view.show_exchange(exchange(200, ten_mb_body))
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=120_000)
    view.open_find()
    bar = view.find_bar
    qtbot.keyClicks(bar.edit, "needle lastPERSON")  # case does not matter, as in small bodies
    assert bar.result_label.text() == ""
    lines = view.body.pretty_lines
    row = lines.currentIndex().row()
    assert "Needle Lastperson" in lines.model().index(row, 0).data()
    assert row > lines.model().rowCount() - 20
    # The match is on screen: the view scrolled there.
    assert lines.viewport().rect().contains(lines.visualRect(lines.currentIndex()))
    assert lines.match_in_row(row) is not None
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)  # the only match: wraps onto itself
    assert lines.currentIndex().row() == row
    bar.edit.setText("zz-not-in-the-body")
    assert bar.result_label.text() == "No matches"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert bar.isHidden()


def test_raw_shows_a_10_mb_single_line_in_display_rows(
    qtbot: QtBot, view: ResponseView, ten_mb_body: bytes
) -> None:
    view.show_exchange(exchange(200, ten_mb_body))
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=120_000)
    view.tabs.setCurrentIndex(1)
    raw = view.body.raw_lines
    assert view.body.raw_stack.currentWidget() is raw
    assert view.body.raw_text() == ten_mb_body.decode()
    lines = raw.model().lines
    rows = [lines.row(i) for i in range(lines.row_count)]
    assert len(rows) > 1000 and max(map(len, rows)) <= 2000  # cut for display only
    assert "".join(rows) == ten_mb_body.decode()
    # Find works on the Raw tab too, and copying takes the exact body.
    view.open_find()
    view.find_bar.edit.setText("Needle Lastperson")
    assert view.find_bar.result_label.text() == ""
    raw.selectAll()
    raw.copy_selection()
    assert QGuiApplication.clipboard().text() == ten_mb_body.decode()


def test_copying_lines_of_a_big_body_copies_the_text(qtbot: QtBot, view: ResponseView) -> None:
    rows = [{"id": i, "name": f"Employee {i}"} for i in range(5000)]
    view.show_exchange(exchange(200, json.dumps({"data": rows}).encode()))
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=60_000)
    lines = view.body.pretty_lines
    assert view.body.pretty_stack.currentWidget() is lines
    lines.setFocus()
    lines.selectRow(2)
    qtbot.keyClick(lines, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(lines, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == '    {\n      "id": 0,'


def colours_in(widget: QWidget) -> set[str]:
    image = widget.grab().toImage()
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 1)
        for y in range(0, min(image.height(), 120))
    }


def test_big_bodies_are_coloured_like_small_ones(qtbot: QtBot, view: ResponseView) -> None:
    rows = [{"id": i, "name": f"Employee {i}", "active": True} for i in range(5000)]
    view.show_exchange(exchange(200, json.dumps({"data": rows}).encode()))
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=60_000)
    assert view.body.pretty_stack.currentWidget() is view.body.pretty_lines
    seen = colours_in(view.body.pretty_lines.viewport())
    colours = json_colours(dark=False)
    assert {colours["key"].lower(), colours["string"].lower()} <= seen
    view.set_dark(True)
    qtbot.waitUntil(lambda: not view.body.is_rendering(), timeout=60_000)
    assert json_colours(dark=True)["key"].lower() in colours_in(view.body.pretty_lines.viewport())
