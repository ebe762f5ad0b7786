"""A read-only table of one item a row, as the history and a run's results show them."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def row_table(
    model: QAbstractItemModel,
    *,
    name: str,
    widths: Iterable[tuple[int, str]],
    pad: int = 20,
    parent: QWidget | None = None,
) -> QTableView:
    """A table of ``model`` whose rows are chosen whole and never edited in place.

    One Tab stop (the arrows move inside). Rows have a fixed height and each column the width
    of its typical content (``widths``: column and a sample text, plus ``pad``), never
    measured per row, so ten thousand rows stay instant; long texts are cut in the middle.
    """
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    metrics = table.fontMetrics()
    for column, sample in widths:
        table.setColumnWidth(column, metrics.horizontalAdvance(sample) + pad)
    return table
