"""The lists painted while work runs on threads (the history, a run's results, the compare
window's changes) answer each painted cell in one call (``multiData``) rather than one call a
role: on screen they look exactly as when Qt asks role by role, production marks, status
colours and right-aligned numbers included, and Qt does use the one call (a Qt that stopped
calling it would make every cell seven calls into Python again)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.qtbot import QtBot

from benchmarks.cells import entries_during
from explorer.core.compare import Change
from explorer.core.discovery import Account
from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.response import read_response
from explorer.core.wire import SentRequest
from explorer.run.accounts import ERROR, OK, AccountRow
from explorer.store.history_entry import HistoryEntry
from explorer.ui.accounts.dialog import AccountRunDialog
from explorer.ui.accounts.results import AccountResultsModel, ResultsFilter
from explorer.ui.compare.model import ChangesModel
from explorer.ui.history.model import HistoryModel
from explorer.ui.history.table import history_table
from explorer.ui.widgets.row_table import row_table

pytestmark = pytest.mark.gui


class RoleByRoleHistory(HistoryModel):
    multiData = QAbstractTableModel.multiData  # Qt's own: ``data`` once a role


class RoleByRoleResults(AccountResultsModel):
    multiData = QAbstractTableModel.multiData


class RoleByRoleFilter(ResultsFilter):
    multiData = QSortFilterProxyModel.multiData


class RoleByRoleChanges(ChangesModel):
    multiData = QAbstractTableModel.multiData


def painted(qtbot: QtBot, view: QTableView, model: QAbstractItemModel) -> tuple[QImage, Any]:
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no focus frame on either
    view.clearFocus()
    view.setModel(model)
    view.selectionModel().clearCurrentIndex()
    qtbot.wait(10)
    counts = entries_during(view.viewport().repaint)
    return view.viewport().grab().toImage(), counts


def history_rows() -> list[Any]:
    now = datetime.now(UTC)
    rows = []
    for n in range(40):
        request = RpcRequest(action=f"bamboohr_action_{n % 3}", account_id=f"acct_{n % 4}")
        sent = SentRequest(method="POST", url="http://127.0.0.1/actions/rpc", headers=[], body="")
        started = (now - timedelta(minutes=n)).isoformat()
        if n % 7 == 3:
            failure = Failure("ConnectFailed", "no")
            exchange = Exchange(request=request, sent=sent, failure=failure, started_at=started)
        else:
            status = (200, 404, 500)[n % 3]
            response = read_response(status, [("content-type", "application/json")], b"{}")
            exchange = Exchange(request=request, sent=sent, response=response, started_at=started)
        entry = HistoryEntry.from_exchange(exchange)
        entry.note, entry.tags = ("ticket 4711", ("customer-x",)) if n % 5 == 0 else ("", ())
        rows.append(entry.row())
    return rows


def test_the_history_list_looks_the_same_painted_in_one_call_a_cell(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    rows = history_rows()
    models = []
    for kind in (HistoryModel, RoleByRoleHistory):
        model = kind(parent)
        model.set_rows(rows)
        model.set_account_marks({"acct_1": "PRODUCTION: Acme"})  # marked, with its icon
        models.append(model)
    view = history_table(models[0], (), parent)
    view.resize(900, 500)
    parent.resize(900, 500)
    parent.show()
    qtbot.waitExposed(parent)
    one_call, counts = painted(qtbot, view, models[0])
    role_by_role, plain_counts = painted(qtbot, view, models[1])
    assert one_call == role_by_role
    assert counts["multiData"] > 20 and counts["data"] == 0 and counts["flags"] == 0
    assert plain_counts["data"] >= 7 * counts["multiData"]


def test_a_runs_results_look_the_same_painted_in_one_call_a_cell(qtbot: QtBot) -> None:
    dialog = AccountRunDialog(None)
    qtbot.addWidget(dialog)
    dialog.set_request(RpcRequest(action="bamboohr_list_employees"), "http://127.0.0.1")
    accounts = [
        Account(
            id=f"acct_{n:02d}",
            provider="bamboohr",
            origin_owner_name=f"Customer {n}",
            type="production" if n % 4 == 0 else "test",
        )
        for n in range(30)
    ]
    rows = []
    for n, account in enumerate(accounts):
        row = AccountRow.for_account(account)
        row.outcome = OK if n % 3 else ERROR
        row.status, row.time_ms, row.records = (200 if n % 3 else 412), 40.0 + n, n
        row.error = "" if n % 3 else "Account not active"
        rows.append(row)
    dialog.start(rows, accounts)
    dialog.finish(rows)
    dialog.resize(1000, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.table.sortByColumn(3, dialog.table.horizontalHeader().sortIndicatorOrder())
    images = []
    all_counts = []
    for source_kind, proxy_kind in (
        (AccountResultsModel, ResultsFilter),
        (RoleByRoleResults, RoleByRoleFilter),
    ):
        source = source_kind(dialog)
        source.set_rows(rows, accounts)
        proxy = proxy_kind(dialog)
        proxy.setSourceModel(source)
        proxy.sort(3)
        image, counts = painted(qtbot, dialog.table, proxy)
        images.append(image)
        all_counts.append(counts)
    assert images[0] == images[1]
    assert all_counts[0]["multiData"] > 20 and all_counts[0]["data"] == 0
    assert all_counts[1]["data"] >= 7 * all_counts[0]["multiData"]


def test_the_compare_windows_changes_look_the_same_painted_in_one_call_a_cell(
    qtbot: QtBot,
) -> None:
    changes = [
        Change(("changed", "added", "removed")[n % 3], ("data", n, "salary"), n * 10, n * 11)
        for n in range(60)
    ]
    models = []
    for kind in (ChangesModel, RoleByRoleChanges):
        model = kind()
        model.set_rows(changes, ("acct_a · 200", "acct_b · 200"))
        models.append(model)
    view = row_table(models[0], name="Changes", widths=((0, "data[id=e1].salary"),))
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    qtbot.waitExposed(view)
    one_call, counts = painted(qtbot, view, models[0])
    role_by_role, plain_counts = painted(qtbot, view, models[1])
    assert one_call == role_by_role
    assert counts["multiData"] > 20 and counts["data"] == 0
    assert plain_counts["data"] >= 7 * counts["multiData"]
