"""The history pane: filtering, selecting, replaying, deleting and exporting exchanges."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.core.wire import SentRequest
from explorer.store.history import DB_NAME, HistoryEntry, HistoryFilter, HistoryRow, HistoryStore
from explorer.ui.history.cells import failure_label, short_time
from explorer.ui.history.export import HAR_FILTER, JSON_FILTER
from explorer.ui.history.filtering import FILTER_ON_THREAD
from explorer.ui.history.model import Column, HistoryModel
from explorer.ui.history.pane import EMPTY_TEXT, NO_MATCH_TEXT, HistoryPane

pytestmark = pytest.mark.gui

CANARY_KEY = "sk_canary_history_0123456789"
BASE_URL = "http://127.0.0.1:9"


def make_exchange(
    action: str = "bamboohr_list_employees",
    account: str = "acc_1",
    status: int | None = 200,
    *,
    started_at: str | None = None,
    body: bytes | None = None,
) -> Exchange:
    """A finished exchange as the worker produces it (the sent record already redacted)."""
    request = RpcRequest(action=action, account_id=account, base_url=BASE_URL)
    sent = SentRequest(
        method="POST",
        url=f"{BASE_URL}/actions/rpc",
        headers=[("Authorization", "<redacted>"), ("x-account-id", account)],
        body=json.dumps({"action": action}),
    )
    extra: dict[str, Any] = {"started_at": started_at} if started_at else {}
    if status is None:
        return Exchange(
            request=request,
            sent=sent,
            failure=Failure("ConnectFailed", "Could not connect"),
            **extra,
        )
    response = read_response(
        status,
        [("content-type", "application/json"), ("x-request-id", f"req-{action}-{status}")],
        body if body is not None else json.dumps({"data": [{"id": action}]}).encode(),
        timing=Timing(total_ms=123.0, ttfb_ms=100.0),
    )
    return Exchange(request=request, sent=sent, response=response, **extra)


def record(pane: HistoryPane, exchange: Exchange) -> None:
    """Add and wait for the background write, so the row is there to assert on."""
    pane.add(exchange)
    pane.flush()


@pytest.fixture
def history_dir(tmp_path: Path) -> Path:
    return tmp_path / "history"


@pytest.fixture
def store(history_dir: Path) -> HistoryStore:
    return HistoryStore(history_dir)


@pytest.fixture
def pane(qtbot: QtBot, store: HistoryStore) -> HistoryPane:
    widget = HistoryPane(store)
    qtbot.addWidget(widget)
    widget.resize(640, 400)
    return widget


@pytest.fixture
def filled(pane: HistoryPane) -> HistoryPane:
    """Five exchanges across actions, accounts and status classes (oldest added first)."""
    record(pane, make_exchange("bamboohr_list_employees", "acc_1", 200))
    record(pane, make_exchange("bamboohr_get_employee", "acc_1", 404))
    record(pane, make_exchange("greenhouse_create_candidate", "acc_2", 500))
    record(pane, make_exchange("hibob_search_employees", "acc_2", None))
    record(pane, make_exchange("bamboohr_list_employees", "acc_3", 201))
    return pane


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    """Shortcuts only fire in the active window."""
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def shown_actions(pane: HistoryPane) -> list[str]:
    return [e.action for e in pane.shown_entries()]


def test_models_pass_qtmodeltester(qtmodeltester: ModelTester, store: HistoryStore) -> None:
    for status in (200, 404, None, 503):
        store.add(make_exchange(status=status))
    model = HistoryModel(details=store.get)
    model.set_rows(store.rows())
    qtmodeltester.check(model, force_py=True)
    # The tester keeps watching: filtering, sorting, adding and notes must signal correctly.
    model.set_filter(HistoryFilter(text="bamboohr"))
    model.sort(Column.STATUS, Qt.SortOrder.DescendingOrder)
    model.add_entry(store.add(make_exchange(status=201)).row())
    model.update_entry(store.set_note(model.entry(1).id, "ticket 4711", "customer-x"))
    assert model.index(1, Column.NOTE).data() == "#customer-x ticket 4711"
    model.remove_ids([model.entry(0).id])
    assert model.rowCount() == 4


def test_model_shows_status_code_or_failure_with_class_colours(store: HistoryStore) -> None:
    ok = store.add(make_exchange(status=200))
    failed = store.add(make_exchange(status=None))
    model = HistoryModel(details=store.get)
    model.set_rows([failed.row(), ok.row()])
    status_ok = model.index(1, Column.STATUS)
    status_failed = model.index(0, Column.STATUS)
    assert status_ok.data() == "200"
    assert status_failed.data() == "Connect failed"
    assert model.index(1, Column.DURATION).data() == "123 ms"
    assert "req-bamboohr_list_employees-200" in status_ok.data(Qt.ItemDataRole.ToolTipRole)
    # Success and failure must not look alike.
    assert status_ok.data(Qt.ItemDataRole.ForegroundRole) != status_failed.data(
        Qt.ItemDataRole.ForegroundRole
    )


def test_labels_read_like_words() -> None:
    assert failure_label("DNSFailed") == "DNS failed"
    assert failure_label("TimedOut") == "Timed out"
    assert failure_label("Cancelled") == "Cancelled"
    assert short_time("not a date") == "not a date"
    now = datetime(2026, 11, 28, 15, 0).astimezone()
    at = datetime(2026, 11, 28, 9, 5, 7).astimezone()
    assert short_time(at.isoformat(), today=now) == "09:05:07"
    assert short_time(at.replace(month=3, day=4).isoformat(), today=now) == "4 Mar 09:05"
    assert short_time(at.replace(year=2025).isoformat(), today=now) == "2025-11-28"


def test_empty_history_says_so(pane: HistoryPane) -> None:
    assert pane.empty_text().startswith(EMPTY_TEXT)
    assert not pane.clear_action.isEnabled()
    assert not pane.save_action.isEnabled()


def test_add_puts_newest_on_top_selected_without_reemitting(
    qtbot: QtBot, pane: HistoryPane
) -> None:
    record(pane, make_exchange("first_action"))
    with qtbot.assertNotEmitted(pane.selected):
        record(pane, make_exchange("second_action"))
    assert shown_actions(pane) == ["second_action", "first_action"]
    current = pane.current_entry()
    assert current is not None and current.action == "second_action"
    assert pane.empty_text() == ""
    assert pane.count_label.text() == "2 entries"


def test_filter_by_text(filled: HistoryPane) -> None:
    filled.filters.edit.setText("GREENHOUSE")
    assert shown_actions(filled) == ["greenhouse_create_candidate"]
    filled.filters.edit.setText("404")
    assert shown_actions(filled) == ["bamboohr_get_employee"]
    filled.filters.edit.setText("")
    assert len(shown_actions(filled)) == 5


def test_filter_by_status_class(filled: HistoryPane) -> None:
    combo = filled.filters.status_combo
    combo.setCurrentIndex(combo.findText("2xx"))
    assert shown_actions(filled) == ["bamboohr_list_employees", "bamboohr_list_employees"]
    combo.setCurrentIndex(combo.findText("5xx"))
    assert shown_actions(filled) == ["greenhouse_create_candidate"]
    combo.setCurrentIndex(combo.findText("No response"))
    assert shown_actions(filled) == ["hibob_search_employees"]
    assert filled.count_label.text() == "1 of 5"


def test_filter_by_action_and_account_combined(filled: HistoryPane) -> None:
    actions = [
        filled.filters.action_combo.itemText(i) for i in range(filled.filters.action_combo.count())
    ]
    assert actions == [
        "All actions",
        "bamboohr_get_employee",
        "bamboohr_list_employees",
        "greenhouse_create_candidate",
        "hibob_search_employees",
    ]
    filled.filters.action_combo.setCurrentIndex(
        filled.filters.action_combo.findText("bamboohr_list_employees")
    )
    assert len(shown_actions(filled)) == 2
    filled.filters.account_combo.setCurrentIndex(filled.filters.account_combo.findText("acc_3"))
    assert [e.account_id for e in filled.shown_entries()] == ["acc_3"]


def test_filtering_to_nothing_says_no_match(filled: HistoryPane) -> None:
    filled.filters.edit.setText("no such thing anywhere")
    assert filled.empty_text() == NO_MATCH_TEXT
    filled.filters.edit.clear()
    assert filled.empty_text() == ""


def test_selecting_a_row_emits_the_loaded_exchange(qtbot: QtBot, filled: HistoryPane) -> None:
    index = filled.model.index(2, 0)  # third newest: the 500
    with qtbot.waitSignal(filled.selected) as blocker:
        filled.view.setCurrentIndex(index)
    exchange = blocker.args[0]
    assert isinstance(exchange, Exchange)
    assert exchange.request.action == "greenhouse_create_candidate"
    assert exchange.response is not None and exchange.response.status == 500
    assert exchange.response.json == {"data": [{"id": "greenhouse_create_candidate"}]}


def test_enter_and_double_click_open_the_request_in_the_editor(
    qtbot: QtBot, filled: HistoryPane
) -> None:
    show_active(qtbot, filled)
    filled.view.setCurrentIndex(filled.model.index(1, Column.ACTION))  # the ConnectFailed one
    filled.view.setFocus()
    with qtbot.waitSignal(filled.open_in_editor) as blocker:
        qtbot.keyClick(filled.view, Qt.Key.Key_Return)
    request = blocker.args[0]
    assert isinstance(request, RpcRequest)
    assert (request.action, request.account_id) == ("hibob_search_employees", "acc_2")

    index = filled.model.index(0, Column.ACTION)
    with qtbot.waitSignal(filled.open_in_editor) as blocker:
        filled.view.doubleClicked.emit(index)
    assert blocker.args[0].action == "bamboohr_list_employees"


def test_delete_selected_entries(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, filled: HistoryPane, store: HistoryStore
) -> None:
    asked: list[str] = []

    def yes(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    show_active(qtbot, filled)
    filled.view.setFocus()
    filled.view.selectRow(0)
    qtbot.keyClick(filled.view, Qt.Key.Key_Delete)
    assert not asked  # one entry goes without a question
    assert len(filled.shown_entries()) == 4  # at once; the store deletes on its thread
    filled.flush()
    assert "acc_3" not in [e.account_id for e in store.entries()]
    assert len(filled.shown_entries()) == 4

    filled.view.selectAll()
    filled.delete_action.trigger()
    assert asked and "4" in asked[0]
    assert filled.empty_text().startswith(EMPTY_TEXT)
    filled.flush()
    assert store.entries() == []
    assert filled.empty_text().startswith(EMPTY_TEXT)


def test_delete_key_in_the_filter_box_edits_text(qtbot: QtBot, filled: HistoryPane) -> None:
    show_active(qtbot, filled)
    filled.view.selectRow(0)
    filled.filters.edit.setFocus()
    filled.filters.edit.setText("abc")
    filled.filters.edit.setCursorPosition(0)
    qtbot.keyClick(filled.filters.edit, Qt.Key.Key_Delete)
    assert filled.filters.edit.text() == "bc"
    assert len(filled.store.entries()) == 5


def test_clear_all_asks_first(
    monkeypatch: pytest.MonkeyPatch, filled: HistoryPane, store: HistoryStore
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    filled.clear_action.trigger()
    assert len(store.entries()) == 5

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    filled.clear_action.trigger()
    assert filled.empty_text().startswith(EMPTY_TEXT)
    filled.flush()
    assert store.entries() == []
    assert filled.empty_text().startswith(EMPTY_TEXT)
    assert not HistoryStore(store.directory).entries()


def test_history_survives_a_new_pane(qtbot: QtBot, filled: HistoryPane, history_dir: Path) -> None:
    before = shown_actions(filled)
    reopened = HistoryPane(HistoryStore(history_dir))
    qtbot.addWidget(reopened)
    assert shown_actions(reopened) == before
    with qtbot.waitSignal(reopened.selected) as blocker:
        reopened.view.setCurrentIndex(reopened.model.index(0, 0))
    assert blocker.args[0].response.status == 201


def test_store_load_error_is_shown(qtbot: QtBot, history_dir: Path) -> None:
    store = HistoryStore(history_dir)
    store.add(make_exchange())
    store.close()
    (history_dir / DB_NAME).write_bytes(b"not a database at all" * 100)
    pane = HistoryPane(HistoryStore(history_dir))
    qtbot.addWidget(pane)
    assert not pane.error_label.isHidden()
    assert "damaged" in pane.error_label.text() and "history.corrupt" in pane.error_label.text()
    assert pane.shown_entries() == []
    record(pane, make_exchange("after_the_damage"))  # a new history works at once
    assert shown_actions(pane) == ["after_the_damage"]


def _save(
    monkeypatch: pytest.MonkeyPatch, pane: HistoryPane, target: Path, chosen_filter: str
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), chosen_filter)
    )
    pane.save_action.trigger()
    pane.flush()  # the export is written on the history's own thread


def test_save_history_as_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, filled: HistoryPane
) -> None:
    target = tmp_path / "exports" / "history.json"
    target.parent.mkdir()
    _save(monkeypatch, filled, target, JSON_FILTER)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["format"] == "stackone-explorer-history"
    assert document["version"] == 1
    exchanges = document["exchanges"]
    assert len(exchanges) == 5
    # Oldest first, as a log reads; and each one can be read back.
    assert exchanges[0]["request"]["action"] == "bamboohr_list_employees"
    assert exchanges[0]["request"]["account_id"] == "acc_1"
    third = Exchange.from_dict(exchanges[2]).response
    assert third is not None and third.status == 500


def test_save_history_as_har_has_the_har_1_2_structure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, filled: HistoryPane
) -> None:
    target = tmp_path / "history.har"
    _save(monkeypatch, filled, target, HAR_FILTER)
    log = json.loads(target.read_text(encoding="utf-8"))["log"]
    assert log["version"] == "1.2"
    assert set(log["creator"]) >= {"name", "version"}
    assert len(log["entries"]) == 5
    for entry in log["entries"]:
        assert set(entry) >= {
            "startedDateTime",
            "time",
            "request",
            "response",
            "cache",
            "timings",
        }
        request, response = entry["request"], entry["response"]
        assert set(request) >= {
            "method",
            "url",
            "httpVersion",
            "cookies",
            "headers",
            "queryString",
            "headersSize",
            "bodySize",
        }
        assert set(response) >= {
            "status",
            "statusText",
            "httpVersion",
            "cookies",
            "headers",
            "content",
            "redirectURL",
            "headersSize",
            "bodySize",
        }
        assert set(response["content"]) >= {"size", "mimeType"}
        assert all(entry["timings"][k] >= -1 for k in ("send", "wait", "receive"))
    statuses = sorted(e["response"]["status"] for e in log["entries"])
    assert statuses == [0, 200, 201, 404, 500]  # 0: no response (the refused connection)


def test_save_uses_the_selection_when_several_rows_are_selected(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, filled: HistoryPane
) -> None:
    filled.view.selectRow(0)
    filled.view.selectionModel().select(
        filled.model.index(2, 0),
        filled.view.selectionModel().SelectionFlag.Select
        | filled.view.selectionModel().SelectionFlag.Rows,
    )
    target = tmp_path / "two"  # no suffix: the chosen format adds it
    _save(monkeypatch, filled, target, HAR_FILTER)
    log = json.loads(target.with_suffix(".har").read_text(encoding="utf-8"))["log"]
    assert sorted(e["response"]["status"] for e in log["entries"]) == [201, 500]


def test_exports_and_history_never_hold_the_api_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pane: HistoryPane, history_dir: Path
) -> None:
    exchange = make_exchange()
    exchange.request.headers = {"Authorization": f"Basic {CANARY_KEY}"}
    record(pane, exchange)
    _save(monkeypatch, pane, tmp_path / "h.json", JSON_FILTER)
    _save(monkeypatch, pane, tmp_path / "h.har", HAR_FILTER)
    written = [*history_dir.iterdir(), tmp_path / "h.json", tmp_path / "h.har"]
    assert len(written) >= 3
    for path in written:
        assert CANARY_KEY.encode() not in path.read_bytes(), path


def test_ten_thousand_rows_filter_through_the_models() -> None:
    rows = [
        HistoryEntry(
            id=f"e{i}",
            started_at=f"2026-11-28T10:{i % 60:02d}:00.000+00:00",
            action=f"action_{i % 7}",
            account_id=f"acc_{i % 3}",
            status=(200, 404, 500)[i % 3],
            status_class=("2xx", "4xx", "5xx")[i % 3],
            total_ms=float(i),
            size=i,
        ).row()
        for i in range(10_000)
    ]
    model = HistoryModel()
    model.set_rows(rows)
    assert model.rowCount() == 10_000
    model.set_filter(HistoryFilter(status_class="4xx", action="action_1"))
    assert model.rows() == [r for r in rows if r.status_class == "4xx" and r.action == "action_1"]


def test_clicking_a_header_sorts_and_keeps_the_selected_entry(
    qtbot: QtBot, filled: HistoryPane
) -> None:
    filled.view.setCurrentIndex(filled.model.index(2, 0))  # the 500
    header = filled.view.horizontalHeader()
    filled.show()
    qtbot.waitExposed(filled)
    x = header.sectionViewportPosition(Column.STATUS) + header.sectionSize(Column.STATUS) // 2
    with qtbot.assertNotEmitted(filled.selected):
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )
    assert header.sortIndicatorSection() == Column.STATUS
    statuses = [e.status for e in filled.shown_entries()]
    order = header.sortIndicatorOrder()
    expected = sorted(statuses, key=lambda s: -1 if s is None else s)
    assert statuses == (expected if order == Qt.SortOrder.AscendingOrder else expected[::-1])
    current = filled.current_entry()
    assert current is not None and current.status == 500
    # Back to time, newest first: the store's order.
    filled.view.sortByColumn(Column.TIME, Qt.SortOrder.DescendingOrder)
    assert [e.account_id for e in filled.shown_entries()] == [
        "acc_3",
        "acc_2",
        "acc_2",
        "acc_1",
        "acc_1",
    ]


def _many_entries(count: int) -> list[HistoryRow]:
    return [
        HistoryEntry(
            id=f"e{i:05d}",
            started_at=f"2026-11-28T10:{i % 60:02d}:{i % 59:02d}.000+00:00",
            action=("hibob_list_employees", "greenhouse_list_jobs", "bamboohr_get_employee")[i % 3],
            account_id=f"acc_{i % 4}",
            status=(200, 400, 404, 500)[i % 4],
            status_class=("2xx", "4xx", "4xx", "5xx")[i % 4],
            total_ms=float(i),
            size=i,
        ).row()
        for i in range(count)
    ]


@pytest.fixture
def big_pane(qtbot: QtBot, store: HistoryStore) -> tuple[HistoryPane, list[HistoryRow]]:
    """A pane over 10,000 entries (set straight into its model: no files needed to filter)."""
    widget = HistoryPane(store)
    qtbot.addWidget(widget)
    rows = _many_entries(10_000)
    widget.model.set_rows(rows)
    widget._refill_combos()
    widget._on_filter_changed()
    return widget, rows


def test_filtering_ten_thousand_entries_shows_the_right_rows(
    big_pane: tuple[HistoryPane, list[HistoryRow]],
) -> None:
    pane, rows = big_pane

    def newest_first(entries: list[HistoryRow]) -> list[HistoryRow]:
        return sorted(entries, key=lambda e: e.started_at, reverse=True)

    pane.filters.edit.setText("greenhouse 400")
    expected = [r for r in rows if r.action.startswith("greenhouse") and r.status == 400]
    assert pane.shown_entries() == newest_first(expected)
    assert pane.count_label.text() == f"{len(expected)} of 10000"

    pane.filters.edit.setText("GREENHOUSE")
    pane.filters.status_combo.setCurrentIndex(pane.filters.status_combo.findText("5xx"))
    pane.filters.account_combo.setCurrentIndex(pane.filters.account_combo.findText("acc_3"))
    expected = [
        r
        for r in rows
        if r.action.startswith("greenhouse") and r.status_class == "5xx" and r.account_id == "acc_3"
    ]
    assert expected and pane.shown_entries() == newest_first(expected)


def test_typing_a_filter_then_clearing_restores_every_row_and_the_selection(
    qtbot: QtBot, big_pane: tuple[HistoryPane, list[HistoryRow]]
) -> None:
    pane, _rows = big_pane
    pane.view.setCurrentIndex(pane.model.index(3, 0))
    chosen = pane.current_entry()
    assert chosen is not None
    show_active(qtbot, pane)
    pane.filters.edit.setFocus()
    with qtbot.assertNotEmitted(pane.selected):
        qtbot.keyClicks(pane.filters.edit, chosen.action[:6])
        assert pane.current_entry() == chosen  # still shown, still selected
        qtbot.keyClicks(pane.filters.edit, " zzz")
        assert pane.empty_text() == NO_MATCH_TEXT
        pane.filters.edit.clear()
    assert len(pane.shown_entries()) == 10_000
    assert pane.count_label.text() == "10000 entries"
    assert pane.current_entry() == chosen  # hidden by the filter for a while, selected again
    assert pane.selected_entries() == [chosen]


def test_sorted_and_filtered_a_new_entry_arrives_in_its_place(
    qtbot: QtBot, filled: HistoryPane
) -> None:
    filled.view.sortByColumn(Column.STATUS, Qt.SortOrder.AscendingOrder)
    filled.filters.edit.setText("bamboohr")
    filled.view.setCurrentIndex(filled.model.index(0, 0))
    kept = filled.current_entry()
    assert [e.status for e in filled.shown_entries()] == [200, 201, 404]
    with (
        qtbot.waitSignal(filled.model.rowsInserted),
        qtbot.assertNotEmitted(filled.model.modelReset),
    ):
        filled.add(make_exchange("bamboohr_list_employees", "acc_9", 204), select=False)
        filled.flush()
    assert [e.status for e in filled.shown_entries()] == [200, 201, 204, 404]
    assert filled.current_entry() == kept  # the user's selection stays
    # Hidden by the filter: counted, not shown.
    record(filled, make_exchange("greenhouse_list_jobs", "acc_9", 202))
    assert [e.status for e in filled.shown_entries()] == [200, 201, 204, 404]
    assert filled.count_label.text() == "4 of 7"
    filled.filters.edit.clear()
    assert [e.status for e in filled.shown_entries()] == [None, 200, 201, 202, 204, 404, 500]


def test_at_the_limit_a_new_entry_pushes_out_the_oldest_row(
    qtbot: QtBot, history_dir: Path
) -> None:
    pane = HistoryPane(HistoryStore(history_dir, limit=3))
    qtbot.addWidget(pane)
    for n in range(4):
        record(pane, make_exchange(f"action_{n}"))
    assert shown_actions(pane) == ["action_3", "action_2", "action_1"]
    assert [
        pane.filters.action_combo.itemText(i) for i in range(pane.filters.action_combo.count())
    ] == [
        "All actions",
        "action_1",
        "action_2",
        "action_3",
    ]


def test_reopening_an_old_big_entry_then_a_newer_one_shows_the_newer(
    qtbot: QtBot, pane: HistoryPane
) -> None:
    big = json.dumps({"data": ["x" * 1000] * 600}).encode()  # over the inline limit: a thread
    record(pane, make_exchange("old_big_action", body=big))
    record(pane, make_exchange("newer_action"))
    record(pane, make_exchange("newest_big_action", body=big))
    shown: list[str] = []
    pane.selected.connect(lambda exchange: shown.append(exchange.request.action))
    with qtbot.waitSignal(pane.loading) as loading:
        pane.view.setCurrentIndex(pane.model.index(2, 0))  # the old big one: read on a thread
    assert loading.args[0].action == "old_big_action"
    pane.view.setCurrentIndex(pane.model.index(1, 0))  # the user moves on before it is read
    pane.reader.wait()
    qtbot.wait(50)  # let a stale result arrive, if it were to be shown
    assert shown == ["newer_action"]

    pane.view.setCurrentIndex(pane.model.index(0, 0))
    qtbot.waitUntil(lambda: shown[-1:] == ["newest_big_action"])


def test_a_long_history_filters_off_the_ui_thread_and_the_last_typed_filter_wins(
    qtbot: QtBot, store: HistoryStore
) -> None:
    # From FILTER_ON_THREAD entries each keystroke's filter runs on a thread; a key typed
    # while one runs makes it stale, and the list ends up showing what the box says.
    pane = HistoryPane(store)
    qtbot.addWidget(pane)
    rows = _many_entries(FILTER_ON_THREAD + 1_000)
    pane.model.set_rows(rows)
    pane._refill_combos()
    pane._on_filter_changed()
    pane.view.setCurrentIndex(pane.model.index(5, 0))
    chosen = pane.current_entry()
    assert chosen is not None
    show_active(qtbot, pane)
    pane.filters.edit.setFocus()
    expected = [r for r in rows if r.action.startswith("greenhouse") and r.status == 400]
    with qtbot.assertNotEmitted(pane.selected):
        qtbot.keyClicks(pane.filters.edit, "greenhouse 400")
        qtbot.waitUntil(lambda: len(pane.shown_entries()) == len(expected))
    assert set(pane.shown_entries()) == set(expected)
    assert pane.count_label.text() == f"{len(expected)} of {len(rows)}"
    pane.filters.edit.clear()
    qtbot.waitUntil(lambda: len(pane.shown_entries()) == len(rows))
    assert pane.current_entry() == chosen  # hidden by the filter for a while, selected again


def test_clicking_the_action_header_orders_by_action_newest_first_within_each(
    qtbot: QtBot, big_pane: tuple[HistoryPane, list[HistoryRow]]
) -> None:
    pane, rows = big_pane
    header = pane.view.horizontalHeader()
    show_active(qtbot, pane)
    x = header.sectionViewportPosition(Column.ACTION) + header.sectionSize(Column.ACTION) // 2
    for _direction in range(2):
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )
        assert header.sortIndicatorSection() == Column.ACTION
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        shown = pane.shown_entries()
        # By action, either way; within one action the store's order (newest first) stays.
        assert shown == sorted(rows, key=lambda e: e.action, reverse=descending)
        assert [e.action for e in shown[:1]] == [
            "hibob_list_employees" if descending else "bamboohr_get_employee"
        ]
