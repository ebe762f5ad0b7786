"""The window's first frame reads the history rows it paints, not all of them; the rest are
read the moment anything needs them, and nothing the user sees or does differs from a list
that read every row first: the picture, the count, the scroll bar, the filter boxes, Ctrl+End,
sorting, filtering, selecting, a new entry."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from benchmarks.history_data import example_exchange
from explorer.store.history import DB_NAME, HistoryEntry, HistoryRow, HistoryStore
from explorer.store.history_db import HistoryDatabase
from explorer.ui.history.model import Column
from explorer.ui.history.pane import HistoryPane

pytestmark = pytest.mark.gui

COUNT = 300  # more than a tall screen shows, fewer than the pane lists at once (2,000)


def write_history(directory: Path, count: int) -> None:
    """``count`` varied entries whose times are not in the order they were written (a long
    request finishes after shorter ones started later), some at the same minute."""
    directory.mkdir(parents=True, exist_ok=True)
    database = HistoryDatabase(directory / DB_NAME)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    batch = []
    for number in range(count):
        minutes = (number * 37) % count // 2  # a permutation, in pairs of equal times
        exchange = example_exchange(number, start + timedelta(minutes=minutes))
        data = exchange.to_dict()
        data.pop("note", None)
        data.pop("tags", None)
        saved = json.dumps(data, separators=(",", ":")).encode()
        batch.append((HistoryEntry.from_exchange(exchange), saved))
    database.insert_many(batch)
    database.close()


class CountingStore(HistoryStore):
    """A real store that counts the list rows it hands out."""

    rows_read = 0

    def newest(self, count: int) -> list[HistoryRow]:
        rows = super().newest(count)
        self.rows_read += len(rows)
        return rows

    def first_frame(
        self, count: int
    ) -> tuple[list[HistoryRow], int, tuple[set[str], set[str]], Callable[[], list[HistoryRow]]]:
        rows, total, names, rest = super().first_frame(count)
        self.rows_read += len(rows)

        def counted() -> list[HistoryRow]:
            read = rest()
            self.rows_read += len(read)
            return read

        return rows, total, names, counted

    def snapshot(self) -> tuple[int, list[HistoryRow]]:
        version, rows = super().snapshot()
        self.rows_read += len(rows)
        return version, rows


def pane_over(qtbot: QtBot, store: HistoryStore) -> HistoryPane:
    pane = HistoryPane(store, read_later=True)  # as the window makes it
    qtbot.addWidget(pane)
    pane.resize(520, 640)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def focus_list(qtbot: QtBot, pane: HistoryPane) -> None:
    pane.activateWindow()
    pane.view.setFocus()
    qtbot.waitUntil(pane.view.hasFocus)


def rows_fewer_than(pane: HistoryPane, count: int) -> bool:
    return pane.model.rowCount() < count


def has_rows(pane: HistoryPane, count: int) -> bool:
    return pane.model.rowCount() == count


def shown(pane: HistoryPane, rows: range) -> list[list[str]]:
    model = pane.model
    return [[model.index(r, c).data() for c in range(len(Column))] for r in rows]


def test_the_first_frame_reads_the_rows_it_paints_and_the_rest_when_needed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    write_history(tmp_path, COUNT)
    store = CountingStore(tmp_path, lazy=True)
    pane = pane_over(qtbot, store)
    assert pane.model.rowCount() == COUNT
    assert pane.count_label.text() == f"{COUNT} entries"
    assert store.rows_read <= 150  # the rows a tall screen shows, not the 300
    focus_list(qtbot, pane)
    QTest.keyClick(pane.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert store.rows_read > COUNT  # read at once, as Ctrl+End asked for the last row
    last = pane.current_entry()
    assert last is not None and last.started_at == min(r.started_at for r in store.rows())


def test_a_list_started_with_its_first_rows_looks_and_works_as_one_started_with_all(
    qtbot: QtBot, tmp_path: Path
) -> None:
    write_history(tmp_path, COUNT)
    lazy = pane_over(qtbot, HistoryStore(tmp_path, lazy=True))
    whole = pane_over(qtbot, HistoryStore(tmp_path))  # every row read before the list
    assert not lazy.store.rows_loaded and whole.store.rows_loaded
    assert lazy.grab().toImage() == whole.grab().toImage()  # the first frame, to the pixel
    bar, whole_bar = lazy.view.verticalScrollBar(), whole.view.verticalScrollBar()
    assert (bar.maximum(), bar.pageStep()) == (whole_bar.maximum(), whole_bar.pageStep())
    for mine, theirs in zip(lazy.filters.combos(), whole.filters.combos(), strict=True):
        assert [mine.itemText(i) for i in range(mine.count())] == [
            theirs.itemText(i) for i in range(theirs.count())
        ]
    assert shown(lazy, range(40)) == shown(whole, range(40))
    # Scrolled to the bottom: the same rows, the same picture (each with the focus).
    pictures = []
    for pane in (lazy, whole):
        focus_list(qtbot, pane)
        QTest.keyClick(pane.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(10)
        pictures.append(pane.grab().toImage())
    assert lazy.current_entry() == whole.current_entry() == whole.model.entry(COUNT - 1)
    assert shown(lazy, range(COUNT)) == shown(whole, range(COUNT))
    assert pictures[0] == pictures[1]


@pytest.mark.parametrize("first", ["sort", "filter", "select", "add"])
def test_whatever_needs_every_row_first_gets_them_all(
    qtbot: QtBot, tmp_path: Path, first: str
) -> None:
    for name in ("lazy", "whole"):  # each its own, as each adds an entry
        write_history(tmp_path / name, COUNT)
    lazy = pane_over(qtbot, HistoryStore(tmp_path / "lazy", lazy=True))
    whole = pane_over(qtbot, HistoryStore(tmp_path / "whole"))
    for pane in (lazy, whole):
        if first == "sort":  # a click on the Action header
            header = pane.view.horizontalHeader()
            x = header.sectionViewportPosition(Column.ACTION) + 5
            QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
        elif first == "filter":
            qtbot.keyClicks(pane.filters.edit, "workday")
            pane.filtering.wait()
            qtbot.waitUntil(partial(rows_fewer_than, pane, COUNT))
        elif first == "add":  # a new exchange, the latest
            pane.add(example_exchange(COUNT, datetime(2026, 2, 1, tzinfo=UTC)))
            pane.flush()
            qtbot.waitUntil(partial(has_rows, pane, COUNT + 1))
        elif first == "select":
            focus_list(qtbot, pane)
            QTest.keyClick(pane.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if first == "sort":
        assert whole.model.entry(0).action != whole.store.newest(1)[0].action  # it did sort
    if first == "select":
        assert len(whole.selected_entries()) == COUNT
    assert lazy.shown_entries() == whole.shown_entries()
    assert lazy.count_label.text() == whole.count_label.text()
    assert lazy.current_entry() == whole.current_entry()
    assert lazy.selected_entries() == whole.selected_entries()
    assert lazy.model.all_rows() == whole.model.all_rows()


def test_a_list_started_with_its_first_rows_passes_qtmodeltester(
    qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    write_history(tmp_path, COUNT)
    store = CountingStore(tmp_path, lazy=True)
    pane = pane_over(qtbot, store)
    assert store.rows_read <= 150
    qtmodeltester.check(pane.model, force_py=True)  # asks for every row: they are read
    assert pane.model.rowCount() == COUNT and store.rows_read > COUNT
