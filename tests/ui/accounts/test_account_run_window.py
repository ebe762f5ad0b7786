"""Running the editor's request across accounts from the window, against the demo over real
sockets: choose the accounts (filters, a whole provider), one guard question for the batch,
a row per account as it answers, sorted and filtered, a row opened in the response view, two
rows compared, the table exported, every exchange in the history, Cancel."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.run.accounts import NOT_RUN, OK
from explorer.ui.accounts.chooser import ChoiceColumn
from explorer.ui.accounts.dialog import AccountRunDialog
from explorer.ui.accounts.results import ResultColumn
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import click_row
from tests.ui.production import answer

pytestmark = pytest.mark.gui

WAIT_MS = 20_000
WindowFactory = Callable[..., MainWindow]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
BAMBOOHR = {
    "acct_bamboohr_demo",
    "acct_bamboohr_globex",
    "acct_bamboohr_sandbox",
    "acct_bamboohr_initech",
    "acct_suspended",
}


def list_employees() -> RpcRequest:
    return RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")


def open_dialog(qtbot: QtBot, window: MainWindow, request: RpcRequest) -> AccountRunDialog:
    """The editor holds ``request``; Ctrl+Shift+R opens the window once the accounts are in."""
    qtbot.waitUntil(lambda: window.discovery.accounts() is not None, timeout=WAIT_MS)
    window.editor.load_request(request)
    window.editor.set_base_url(window.profile_selector.current().base_url)  # type: ignore[union-attr]
    window.editor.action_edit.setFocus()
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_R, CTRL_SHIFT)
    dialog = window.support.account_runs.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.chooser.model.rowCount() > 0, timeout=WAIT_MS)
    return dialog


def select_all_of(dialog: AccountRunDialog, provider_title: str) -> None:
    """ "Select all of" ▸ the provider (its menu entry, as a click in the menu does)."""
    entry = next(
        a for a in dialog.chooser.all_of_menu.actions() if a.text().startswith(provider_title)
    )
    entry.trigger()


def run_and_wait(qtbot: QtBot, window: MainWindow, dialog: AccountRunDialog) -> None:
    with qtbot.waitSignal(window.support.account_runs.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
        # Two BambooHR accounts are not active: one question for the whole batch.
        asked = answer(qtbot, window, yes=True)
        assert asked.title == "Run against accounts that need a second look?"
        assert "acct_bamboohr_initech" in asked.details and "acct_suspended" in asked.details


def listed_on_every_bamboohr_account(qtbot: QtBot, window: MainWindow) -> AccountRunDialog:
    """The employees listed on all BambooHR accounts, the run over."""
    dialog = open_dialog(qtbot, window, list_employees())
    select_all_of(dialog, "BambooHR")
    run_and_wait(qtbot, window, dialog)
    return dialog


def results(dialog: AccountRunDialog) -> dict[str, dict[str, str]]:
    proxy = dialog.proxy
    out = {}
    for row in range(proxy.rowCount()):
        texts = {c.name: str(proxy.index(row, c).data() or "") for c in ResultColumn}
        out[texts["ACCOUNT"].removeprefix("PROD · ")] = texts
    return out


def test_one_action_across_all_bamboohr_accounts_compared_and_in_the_history(
    qtbot: QtBot, make_window: WindowFactory, qtmodeltester: ModelTester
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window, list_employees())
    assert "bamboohr_list_employees" in dialog.request_label.text()
    qtmodeltester.check(dialog.chooser.model, force_py=True)
    select_all_of(dialog, "BambooHR")
    assert {a.id for a in dialog.chooser.model.chosen_accounts()} == BAMBOOHR
    assert dialog.chooser.count_label.text() == "5 accounts chosen, 4 PRODUCTION"
    assert dialog.run_button.text() == "&Run on 5 accounts"

    run_and_wait(qtbot, window, dialog)
    qtmodeltester.check(dialog.model, force_py=True)
    rows = results(dialog)
    assert set(rows) == BAMBOOHR
    assert (rows["acct_bamboohr_demo"]["STATUS"], rows["acct_bamboohr_demo"]["RECORDS"]) == (
        "200",
        "10",
    )
    assert rows["acct_bamboohr_globex"]["CUSTOMER"] == "Globex Corporation"
    assert rows["acct_bamboohr_globex"]["RECORDS"] == "8"
    assert rows["acct_bamboohr_initech"]["STATUS"] == "412"
    assert rows["acct_bamboohr_initech"]["ERROR"]
    assert all(rows[a]["REQUEST_ID"] for a in BAMBOOHR)
    assert dialog.tally_label.text() == "5 of 5 done: 3 succeeded, 2 errors"
    assert dialog.progress_bar.value() == 5

    # Every exchange is in the history.
    window.history_pane.flush()
    qtbot.waitUntil(lambda: window.history_pane.model.total() == 5, timeout=WAIT_MS)
    assert {e.account_id for e in window.history.entries()} == BAMBOOHR

    # Two rows selected with Ctrl+click: compared through the one hook.
    table = dialog.table
    order = [dialog.proxy.index(r, 0).data().removeprefix("PROD · ") for r in range(5)]
    click_row(qtbot, table, dialog.proxy.index(order.index("acct_bamboohr_demo"), 0))
    second = dialog.proxy.index(order.index("acct_bamboohr_globex"), 0)
    table.scrollTo(second)
    with qtbot.waitSignal(window.support.account_runs.compare_requested) as hook:
        qtbot.mouseClick(
            table.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            table.visualRect(second).center(),
        )
        assert dialog.compare_button.isEnabled()
        qtbot.mouseClick(dialog.compare_button, Qt.MouseButton.LeftButton)
    left, right = hook.args
    assert isinstance(left, Exchange) and isinstance(right, Exchange)
    assert {left.request.account_id, right.request.account_id} == {
        "acct_bamboohr_demo",
        "acct_bamboohr_globex",
    }
    # The JSON-aware compare window: each side named by its account, the records matched by id.
    compare = window.analysis.compare.windows[-1]
    qtbot.waitUntil(lambda: compare.comparison is not None, timeout=WAIT_MS)
    assert compare.comparison is not None
    labels = {compare.body_model.headerData(c, Qt.Orientation.Horizontal) for c in (2, 3)}
    assert labels == {"acct_bamboohr_demo · 200", "acct_bamboohr_globex · 200"}
    paths = {change.path for change in compare.body_model.changes()}
    assert any(path.startswith("data[id=") for path in paths)  # Acme's and Globex's people


def test_a_row_opens_in_the_response_view_and_the_table_sorts_and_filters(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    dialog = listed_on_every_bamboohr_account(qtbot, window)

    header = dialog.table.horizontalHeader()
    x = header.sectionViewportPosition(ResultColumn.RECORDS) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    records = [dialog.proxy.index(r, ResultColumn.RECORDS).data() for r in range(5)]
    assert records in (["", "", "5", "8", "10"], ["10", "8", "5", "", ""])  # numbers as numbers

    qtbot.keyClicks(dialog.filter_edit, "globex")
    assert dialog.proxy.rowCount() == 1
    dialog.filter_edit.clear()
    dialog.outcome_combo.setCurrentIndex(2)  # errors and failures
    assert {r for r in results(dialog)} == {"acct_bamboohr_initech", "acct_suspended"}

    # Enter on a row: its exchange in the window's response view.
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.proxy.index(0, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    shown = window.response_view.exchange
    assert shown is not None and shown.request.account_id in {
        "acct_bamboohr_initech",
        "acct_suspended",
    }
    assert shown.response is not None and shown.response.status == 412
    assert window.response_view.status_label.text().startswith("412")


def test_a_write_across_production_accounts_asks_once_listing_them(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    dialog = open_dialog(
        qtbot,
        window,
        RpcRequest(
            action="bamboohr_generate_report",
            account_id="acct_bamboohr_sandbox",
            body={"seconds": 0},
        ),
    )
    dialog.chooser.provider_combo.setCurrentIndex(
        dialog.chooser.provider_combo.findText("BambooHR")
    )
    dialog.chooser.status_combo.setCurrentIndex(dialog.chooser.status_combo.findText("active"))
    assert {a.id for a in dialog.chooser.model.shown()} == {
        "acct_bamboohr_demo",
        "acct_bamboohr_globex",
        "acct_bamboohr_sandbox",
    }
    qtbot.mouseClick(dialog.chooser.shown_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    asked = answer(qtbot, window, yes=False)
    assert asked.title == "Run against production accounts?"
    assert "2 PRODUCTION accounts" in asked.text
    assert "Acme Demo Ltd" in asked.details and "Globex Corporation" in asked.details
    assert "acct_bamboohr_sandbox" not in asked.details  # a test account needs no word
    assert asked.no == "Don't run"
    qtbot.wait(200)
    assert window.history_pane.model.total() == 0  # nothing was sent
    assert dialog.stack.currentIndex() == 0

    with qtbot.waitSignal(window.support.account_runs.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
        answer(qtbot, window, yes=True)
    assert all(r.outcome == OK for r in dialog.model.rows())

    # Asked once per account and session: the same batch again goes at once.
    dialog.back_to_accounts()
    with qtbot.waitSignal(window.support.account_runs.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert window.guard.question is None


def test_the_table_exports_as_csv_and_json_without_the_key(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    dialog = listed_on_every_bamboohr_account(qtbot, window)
    key = window.session_keys.get("Demo")
    assert key

    for kind in ("csv", "json"):
        target = tmp_path / f"results.{kind}"
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *_a, t=target, **_k: (str(t), "")
        )
        button = dialog.csv_button if kind == "csv" else dialog.json_button
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(target.exists, timeout=WAIT_MS)
        text = target.read_text(encoding="utf-8")
        assert key not in text
        if kind == "csv":
            table = list(csv.DictReader(io.StringIO(text)))
            assert {r["account_id"] for r in table} == BAMBOOHR
            demo = next(r for r in table if r["account_id"] == "acct_bamboohr_demo")
            assert (demo["status"], demo["records"], demo["customer"]) == (
                "200",
                "10",
                "Acme Demo Ltd",
            )
        else:
            report = json.loads(text)
            assert report["action"] == "bamboohr_list_employees"
            assert len(report["results"]) == 5


def test_cancel_stops_the_batch_and_says_which_accounts_were_not_run(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window, list_employees())
    for account_id in ("acct_bamboohr_demo", "acct_bamboohr_globex", "acct_bamboohr_sandbox"):
        row = next(
            r
            for r in range(dialog.chooser.model.rowCount())
            if dialog.chooser.model.account(r).id == account_id  # type: ignore[union-attr]
        )
        index = dialog.chooser.model.index(row, ChoiceColumn.ACCOUNT)
        dialog.chooser.model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    dialog.pace_spin.setValue(1)  # one a minute: the second account waits its turn
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(r.outcome == OK for r in dialog.model.rows()), timeout=WAIT_MS)
    assert dialog.running and dialog.cancel_button.isVisible()
    with qtbot.waitSignal(window.support.account_runs.finished, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc cancels a running batch
    assert dialog.isVisible()  # the first Esc only cancelled
    outcomes = sorted(r.outcome for r in dialog.model.rows())
    assert outcomes == sorted([OK, NOT_RUN, NOT_RUN])
    assert "Cancelled" in dialog.results_label.text()
    window.history_pane.flush()
    qtbot.waitUntil(lambda: window.history_pane.model.total() == 1, timeout=WAIT_MS)
    dialog.table.selectionModel().select(
        dialog.proxy.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
