"""The pages of a list in the window, against the demo over real sockets: a list answer with a
next cursor offers "Next page" (the cursor where the action's schema puts it, else the
``next`` query parameter, shown and editable first) and "All pages" (up to a limit, progress,
Cancel), shown joined, every page's exchange in the history."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.demo import DemoServer
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.response.all_pages import AllPagesWindow
from tests.ui.driving import send

pytestmark = pytest.mark.gui

WAIT_MS = 20_000
WindowFactory = Callable[..., MainWindow]
EMPLOYEES = RpcRequest(
    action="bamboohr_list_employees", account_id="acct_bamboohr_demo", query={"page_size": 5}
)


def first_page(qtbot: QtBot, window: MainWindow) -> Exchange:
    """The first page of Acme's 23 employees, once the catalogue (the schema) is known."""
    qtbot.waitUntil(lambda: window.discovery.actions() is not None, timeout=WAIT_MS)
    exchange = send(qtbot, window, EMPLOYEES)
    qtbot.waitUntil(window.response_view.pages.isVisible, timeout=WAIT_MS)
    return exchange


def ids(exchange: Exchange) -> list[str]:
    assert exchange.response is not None and exchange.response.result is not None
    return [record["id"] for record in exchange.response.result.data]


def test_next_page_sends_the_cursor_where_the_schema_says_and_leaves_the_editor_alone(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    first = first_page(qtbot, window)
    bar = window.response_view.pages
    assert ids(first)[0] == "40001"
    cursor = first.response.result.next_cursor  # type: ignore[union-attr]
    assert cursor and bar.cursor_edit.text() == cursor
    assert (bar.location_combo.currentText(), bar.name_edit.text()) == ("query", "next")
    assert bar.place_note.text() == "(schema)"
    typed = window.editor.json_editors["query"].toPlainText()

    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as page:
        qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
    second = page.args[0]
    assert second.request.query == {"page_size": 5, "next": cursor}
    assert ids(second)[0] == "40006"
    assert window.response_view.exchange is second
    assert window.editor.json_editors["query"].toPlainText() == typed  # typing kept
    window.history_pane.flush()
    qtbot.waitUntil(lambda: window.history_pane.model.total() == 2, timeout=WAIT_MS)
    # Page 2 offers page 3.
    assert bar.isVisible() and bar.cursor_edit.text() not in ("", cursor)


def test_without_a_schema_the_cursor_goes_to_query_next_and_can_be_moved_first(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    bar = window.response_view.pages
    bar.set_schema_lookup(lambda _action: None)  # as for an action the catalogue lacks
    first = send(qtbot, window, EMPLOYEES)
    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    assert (bar.location_combo.currentText(), bar.name_edit.text()) == ("query", "next")
    assert bar.place_note.text() == "(usual place)"
    assert "No schema for this action" in bar.place_note.toolTip()

    bar.name_edit.selectAll()
    qtbot.keyClicks(bar.name_edit, "cursor")
    bar.location_combo.setCurrentText("body")
    request = bar.next_request()
    assert request is not None
    cursor = first.response.result.next_cursor  # type: ignore[union-attr]
    assert request.body == {"cursor": cursor} and "next" not in (request.query or {})
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as page:
        qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
    assert page.args[0].request.body == {"cursor": cursor}


def all_pages(qtbot: QtBot, window: MainWindow, limit: int) -> AllPagesWindow:
    bar = window.response_view.pages
    bar.limit_spin.setValue(limit)
    qtbot.mouseClick(bar.all_button, Qt.MouseButton.LeftButton)
    dialog = window.support.pages.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_all_pages_reads_every_page_joins_them_and_keeps_each_in_the_history(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    first_page(qtbot, window)
    with qtbot.waitSignal(window.support.pages.finished, timeout=WAIT_MS):
        dialog = all_pages(qtbot, window, 10)
    assert not dialog.running and dialog.close_button.isVisible()
    assert dialog.summary_label.text() == (
        "5 pages, 23 records (all of them): stopped at the last page"
    )
    assert dialog.table.rowCount() == 5
    records = [dialog.table.item(r, 2) for r in range(5)]
    assert [item.text() if item else "" for item in records] == ["5", "5", "5", "5", "3"]
    joined = json.loads(dialog.joined_view.toPlainText())
    assert [r["id"] for r in joined["data"]] == [str(40001 + n) for n in range(23)]
    assert joined["next"] is None and joined["pages"] == 5
    window.history_pane.flush()
    qtbot.waitUntil(lambda: window.history_pane.model.total() == 5, timeout=WAIT_MS)

    # Saved as it is shown (the only thing faked is the file dialog).
    target = tmp_path / "everyone.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved to" in dialog.summary_label.text(), timeout=WAIT_MS)
    assert json.loads(target.read_text(encoding="utf-8")) == joined


def test_all_pages_stops_at_the_limit_and_says_more_are_left(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    first_page(qtbot, window)
    with qtbot.waitSignal(window.support.pages.finished, timeout=WAIT_MS):
        dialog = all_pages(qtbot, window, 3)
    assert dialog.summary_label.text() == (
        "3 pages, 15 records (more left): stopped at the page limit"
    )
    assert json.loads(dialog.joined_view.toPlainText())["next"]


def test_cancel_stops_a_walk_waiting_out_a_rate_limit(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer
) -> None:
    window = make_window()
    first_page(qtbot, window)
    demo.limiter.limit = 0  # every further call answers 429 with a long Retry-After
    dialog = all_pages(qtbot, window, 10)
    window.history_pane.flush()
    qtbot.waitUntil(lambda: window.history_pane.model.total() == 2, timeout=WAIT_MS)  # the 429
    assert dialog.running
    with qtbot.waitSignal(window.support.pages.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and not dialog.running
    assert dialog.summary_label.text() == "1 page, 5 records (more left): stopped at cancelled"


def test_the_next_page_bar_goes_with_a_response_that_has_no_next_page_and_comes_back(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """The bar is shown or hidden once per response (not hidden first and shown again): a
    later answer without a next page hides it at once, and one with a cursor shows that
    cursor."""
    window = make_window()
    first_page(qtbot, window)
    bar = window.response_view.pages
    everyone = send(qtbot, window, EMPLOYEES.copy(query={"page_size": 50}))
    assert everyone.response is not None and everyone.response.result is not None
    assert len(ids(everyone)) == 23 and not everyone.response.result.next_cursor
    assert not bar.isVisible()
    again = send(qtbot, window, EMPLOYEES)
    assert bar.isVisible()
    assert bar.cursor_edit.text() == again.response.result.next_cursor  # type: ignore[union-attr]


def test_all_pages_from_a_later_page_never_says_it_holds_all_of_them(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Started on page 2, the walk reads to the end, but the first page's records are not in
    it: the summary must not claim "all of them" (it did, beside the header saying so)."""
    window = make_window()
    first_page(qtbot, window)
    bar = window.response_view.pages
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    with qtbot.waitSignal(window.support.pages.finished, timeout=WAIT_MS):
        dialog = all_pages(qtbot, window, 10)
    assert "not the first" in dialog.header_label.text()
    assert dialog.summary_label.text() == (
        "4 pages, 18 records (from the page on screen to the last; the earlier pages are "
        "not included): stopped at the last page"
    )
    joined = json.loads(dialog.joined_view.toPlainText())
    assert [r["id"] for r in joined["data"]] == [str(40006 + n) for n in range(18)]
