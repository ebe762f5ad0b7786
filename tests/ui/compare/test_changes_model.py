"""The changes table's model: whole lists filtered here, and pages of a comparison the helper
process keeps, asked for when the table reaches its last row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from explorer.core.compare import ADDED, CHANGED, MISSING, Change
from explorer.core.compare_pages import Page, View
from explorer.ui.compare.model import ChangesModel

pytestmark = pytest.mark.gui


def _changes(first: int, count: int) -> list[Change]:
    return [Change(CHANGED, ("data", i, "updated_at"), "2025", "2026") for i in range(first, count)]


def test_pages_pass_the_model_tester_and_the_next_is_asked_for_once(
    qtmodeltester: ModelTester,
) -> None:
    model = ChangesModel()
    wanted: list[int] = []
    model.more_wanted.connect(wanted.append)
    model.set_page(Page("k", View(), 0, _changes(0, 3), matching=5), ("before", "after"))
    assert model.rowCount() == 3 and model.matching() == 5
    assert model.headerData(2, Qt.Orientation.Horizontal) == "before"
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()  # asked already: not twice
    qtmodeltester.check(model, force_py=True)  # (which fetches more too)
    assert wanted == [3] and not model.canFetchMore()
    model.add_page(Page("k", View(), 3, _changes(3, 5), matching=5))  # (watched by the tester)
    assert [change.segments[1] for change in model.changes()] == [0, 1, 2, 3, 4]
    assert not model.canFetchMore()  # all five listed

    # A page of another view or offset (an older request) is left out.
    model.set_page(Page("k", View.of("x"), 0, _changes(0, 2), matching=4))
    model.add_page(Page("k", View(), 2, _changes(2, 4), matching=5))
    model.add_page(Page("k", View.of("x"), 3, _changes(3, 5), matching=4))
    assert model.rowCount() == 2 and model.canFetchMore() and model.view() == View.of("x")
    model.add_page(Page("k", View.of("x"), 2, _changes(2, 4), matching=4))
    assert model.rowCount() == 4 and not model.canFetchMore()


def test_whole_lists_filter_here_and_never_ask_for_more(qtmodeltester: ModelTester) -> None:
    model = ChangesModel()
    added = Change(ADDED, ("data", 9), MISSING, {"id": 9})
    model.set_rows([*_changes(0, 3), added])
    qtmodeltester.check(model, force_py=True)
    assert not model.canFetchMore() and model.matching() == 4
    model.set_filter("", [ADDED])
    assert model.changes() == [added] and model.matching() == 1
