"""A batch of exchanges (a run across accounts) reaches the history list as single sends do:
the same rows in the same places, with the list sorted by a column and filtered, and in the
store's order; the user's selection stays where it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.store.history import HistoryStore
from explorer.ui.history.model import Column
from explorer.ui.history.pane import HistoryPane
from tests.ui.driving import click_row
from tests.ui.history.test_history_pane import make_exchange

pytestmark = pytest.mark.gui


def a_pane(qtbot: QtBot, folder: Path) -> HistoryPane:
    pane = HistoryPane(HistoryStore(folder))
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.show()
    qtbot.waitExposed(pane)
    for n in range(3):  # already there: one selected by a click
        pane.add(make_exchange("hibob_list_employees", f"acc_old{n}"), select=False)
    pane.flush()
    click_row(qtbot, pane.view, pane.model.index(1, Column.ACTION))
    return pane


@pytest.mark.parametrize("sorted_by_action", [False, True])
@pytest.mark.parametrize("order", ["by time", "the store's"])
def test_a_batch_is_listed_as_the_same_exchanges_sent_one_by_one(
    qtbot: QtBot,
    tmp_path: Path,
    qtmodeltester: ModelTester,
    sorted_by_action: bool,
    order: str,
) -> None:
    run = [
        make_exchange(action, f"acc_{n}", status)
        for n, (action, status) in enumerate(
            [
                ("hibob_list_employees", 200),
                ("bamboohr_list_employees", 412),
                ("hibob_list_employees", 404),
                ("workday_list_workers", 200),
                ("hibob_list_employees", 500),
            ]
        )
    ]
    one_by_one, batched = a_pane(qtbot, tmp_path / "a"), a_pane(qtbot, tmp_path / "b")
    chosen = batched.current_entry()
    assert chosen is not None
    for pane in (one_by_one, batched):
        if order == "the store's":  # as a view with no sort column asks
            pane.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        if sorted_by_action:
            header = pane.view.horizontalHeader()
            at = QPoint(header.sectionViewportPosition(Column.ACTION) + 5, 5)
            qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
            assert header.sortIndicatorSection() == Column.ACTION
        qtbot.keyClicks(pane.filters.edit, "employees")  # not Workday's workers
    for exchange in run:
        one_by_one.add(exchange, select=False)
    one_by_one.flush()
    finished: list[bool] = []
    batched.add_many(run, then=lambda: finished.append(True))
    batched.flush()
    assert finished == [True]

    def listed(pane: HistoryPane) -> list[tuple[str, str]]:
        return [(e.action, e.account_id) for e in pane.shown_entries()]

    assert listed(batched) == listed(one_by_one)
    assert [account for _action, account in listed(batched)].count("acc_0") == 1
    assert len(listed(batched)) == 7  # four of the run and the three before
    if sorted_by_action:
        assert listed(batched)[0] == ("bamboohr_list_employees", "acc_1")
    current = batched.current_entry()
    assert current is not None and current.id == chosen.id  # the selection stayed
    qtmodeltester.check(batched.model, force_py=True)
    batched.filters.edit.clear()
    assert len(batched.shown_entries()) == 8
    assert len(HistoryStore(tmp_path / "b").entries()) == 8
