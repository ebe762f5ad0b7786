"""The filter box over the response, driven as a user does: Ctrl+L, type, Enter.

JSONPath and jq, errors under the box with a caret at the position, a 10 MB response filtered
with jq while the window keeps running (an endless jq filter is stopped with Esc: its process
is ended), the result copied and saved whole, and the expressions offered again per action.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.ui.filter.panel import FilterPanel
from explorer.ui.helper_jobs import FILTER, helper
from explorer.ui.mainwindow.window import MainWindow
from tests.big_bodies import big_body, big_document
from tests.ui.big_server import big_server
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WAIT_MS = 60_000
EMPLOYEES = RpcRequest(
    action="bamboohr_list_employees",
    account_id="acct_bamboohr_demo",
    query={"page_size": 50},
)


def open_filter(qtbot: QtBot, window: MainWindow) -> FilterPanel:
    """Ctrl+L, pressed in the editor: the Filter tab, the cursor in its box."""
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    panel = window.response_view.filter_panel
    assert window.response_view.tabs.currentWidget() is panel
    assert panel.edit.hasFocus()
    return panel


def run(qtbot: QtBot, panel: FilterPanel, expression: str) -> None:
    """Type ``expression`` over what is in the box and press Enter; wait for the result."""
    panel.edit.selectAll()
    qtbot.keyClicks(panel.edit, expression)
    with qtbot.waitSignal(panel.job.finished, timeout=WAIT_MS):
        qtbot.keyClick(panel.edit, Qt.Key.Key_Return)


def choose_language(qtbot: QtBot, panel: FilterPanel, name: str) -> None:
    panel.language.setFocus()
    key = Qt.Key.Key_Down if name == "jq" else Qt.Key.Key_Up
    qtbot.keyClick(panel.language, key)
    assert panel.language.currentText() == name


def test_a_jsonpath_filter_finds_the_fields_and_copy_and_save_take_the_result(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    exchange = send(qtbot, window, EMPLOYEES)
    assert exchange.response is not None
    engineers = [
        e["first_name"] for e in exchange.response.json["data"] if e["department"] == "Engineering"
    ]
    assert len(engineers) >= 2
    panel = open_filter(qtbot, window)
    run(qtbot, panel, "$.data[?@.department == 'Engineering'].first_name")
    assert json.loads(panel.result.text()) == engineers
    assert panel.status_label.text().startswith(f"{len(engineers)} matches")
    assert panel.error_label.isHidden()

    qtbot.mouseClick(panel.paths_box, Qt.MouseButton.LeftButton)  # each match at its path
    qtbot.waitUntil(lambda: panel.result.text().startswith("{"), timeout=WAIT_MS)
    by_path = json.loads(panel.result.text())
    assert list(by_path.values()) == engineers
    assert all(path.startswith("$['data'][") for path in by_path)

    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text()) == by_path
    target = tmp_path / "engineers.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=WAIT_MS)
    assert json.loads(target.read_text(encoding="utf-8")) == by_path


def test_errors_show_under_the_box_with_a_caret_at_the_position(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(qtbot, window, EMPLOYEES)
    panel = open_filter(qtbot, window)

    qtbot.keyClicks(panel.edit, "$.data[?@.id = 'x']")  # a comparison needs ==
    qtbot.waitUntil(panel.error_label.isVisible)  # as you type, nothing run
    assert "JSONPath" in panel.error_label.text()
    assert "^" in panel.error_label.text() and "at character 14" in panel.error_label.text()
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert not panel.job.is_busy()
    assert panel.edit.selectedText() == "="  # Enter shows the spot in the box

    choose_language(qtbot, panel, "jq")
    panel.edit.setFocus()
    panel.edit.selectAll()
    qtbot.keyClicks(panel.edit, ".data[")
    qtbot.waitUntil(lambda: "jq:" in panel.error_label.text())
    assert "^" in panel.error_label.text()

    panel.edit.selectAll()
    qtbot.keyClicks(panel.edit, ".data[0].first_name + 1")  # valid, fails on this document
    qtbot.waitUntil(panel.error_label.isHidden)
    with qtbot.waitSignal(panel.job.failed, timeout=WAIT_MS):
        qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert "cannot be added" in panel.error_label.text()
    assert "^" not in panel.error_label.text()  # a runtime error has no position
    assert not panel.copy_button.isEnabled()

    send(
        qtbot,
        window,
        RpcRequest(
            action="documents_download_file",
            account_id="acct_drive_demo",
            path={"id": "file_q1_overview"},
        ),
    )
    panel = open_filter(qtbot, window)
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert panel.status_label.text() == "The body is not JSON, so there is nothing to filter."


def test_a_10_mb_response_is_filtered_with_jq_and_an_endless_filter_is_stopped(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    with big_server([big_body()]) as url:
        window = make_window(base_url=url)
        send(qtbot, window, RpcRequest(action="hris_list_employees", account_id="acct_big"))
    panel = open_filter(qtbot, window)
    choose_language(qtbot, panel, "jq")
    panel.edit.setFocus()
    qtbot.keyClicks(panel.edit, ".data | until(false; .)")  # never ends
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert panel.stop_button.isVisible()
    # The window goes on running meanwhile: the elapsed time under the box keeps counting.
    qtbot.waitUntil(lambda: "Filtering 10." in panel.status_label.text(), timeout=WAIT_MS)
    first = panel.status_label.text()
    qtbot.waitUntil(lambda: panel.status_label.text() != first, timeout=WAIT_MS)
    assert helper(FILTER).is_alive()
    qtbot.keyClick(panel.edit, Qt.Key.Key_Escape)
    assert panel.status_label.text() == "Stopped: the filter's process was ended."
    assert not panel.stop_button.isVisible()
    qtbot.waitUntil(lambda: not helper(FILTER).is_alive(), timeout=WAIT_MS)

    run(qtbot, panel, '.data[] | select(.id == "emp_012345") | .work_email')
    assert json.loads(panel.result.text()) == ["person12345@example.com"]
    assert panel.status_label.text().startswith("1 match")
    run(qtbot, panel, ".data | length")
    assert json.loads(panel.result.text()) == [len(big_document()["data"])]


def test_expressions_are_offered_again_for_the_same_action(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(qtbot, window, EMPLOYEES)
    panel = open_filter(qtbot, window)
    run(qtbot, panel, "$.data[0].id")
    run(qtbot, panel, "$.next")
    send(
        qtbot,
        window,
        RpcRequest(
            action="bamboohr_get_employee", account_id="acct_bamboohr_demo", path={"id": "40001"}
        ),
    )
    panel = open_filter(qtbot, window)
    run(qtbot, panel, "$.data.first_name")

    again = make_window()  # a restart: the recent expressions come from the settings
    send(qtbot, again, EMPLOYEES)
    panel = open_filter(qtbot, again)
    panel.recent_menu.popup(
        panel.recent_button.mapToGlobal(panel.recent_button.rect().bottomLeft())
    )
    qtbot.waitUntil(panel.recent_menu.isVisible)
    offered = [a.text() for a in panel.recent_menu.actions()]
    assert offered == ["$.next  (JSONPath)", "$.data[0].id  (JSONPath)"]
    with qtbot.waitSignal(panel.job.finished, timeout=WAIT_MS):
        qtbot.keyClick(panel.recent_menu, Qt.Key.Key_Down)
        qtbot.keyClick(panel.recent_menu, Qt.Key.Key_Down)
        qtbot.keyClick(panel.recent_menu, Qt.Key.Key_Return)
    assert panel.edit.text() == "$.data[0].id"
    assert json.loads(panel.result.text()) == ["40001"]


def test_the_filter_in_use_runs_again_on_the_next_response(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(qtbot, window, EMPLOYEES)
    panel = open_filter(qtbot, window)
    run(qtbot, panel, "$.data[*].id")
    first = json.loads(panel.result.text())
    with qtbot.waitSignal(panel.job.finished, timeout=WAIT_MS):
        send(qtbot, window, EMPLOYEES.copy(query={"page_size": 3}))
    assert window.response_view.tabs.currentWidget() is panel
    assert json.loads(panel.result.text()) == first[:3]


def test_the_filter_opened_after_a_later_response_runs_on_that_response(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The Filter tab gets a new response when it is shown (or after the response's paint),
    not while the response is put on screen: opened again after another send, it filters
    that send's body, not the one it filtered before."""
    window = make_window()
    send(qtbot, window, EMPLOYEES)
    panel = open_filter(qtbot, window)
    run(qtbot, panel, "$.data[*].id")
    first = json.loads(panel.result.text())
    tabs = window.response_view.tabs
    qtbot.mouseClick(
        tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(0).center()
    )
    assert tabs.currentIndex() == 0
    send(qtbot, window, EMPLOYEES.copy(query={"page_size": 2}))
    assert tabs.currentIndex() == 0  # Pretty stays in front: the filter was not in use there
    with qtbot.waitSignal(panel.job.finished, timeout=WAIT_MS):
        open_filter(qtbot, window)
    assert json.loads(panel.result.text()) == first[:2]
