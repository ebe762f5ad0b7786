"""A read-only table of one item a row, as the history and a run's results show them, and the
model under such a table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")


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


class RowsModel(QAbstractTableModel, Generic[RowT]):
    """A thin adapter over a plain list, one item a row: the counts, the header and ``row()``.

    Subclasses name their columns in ``headers`` (column -> title for every column, keyed by
    their ``IntEnum`` of columns, which compare as the numbers Qt asks with) and write
    ``data()`` for their rows; they keep the list in ``_rows``. Rows are read-only and
    selectable: ``QAbstractTableModel``'s own ``flags()`` (enabled, selectable, no children)
    says so, so no subclass writes one.
    """

    headers: ClassVar[Mapping[Any, str]] = {}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []

    def row(self, index: int) -> RowT | None:
        """The item of row ``index``, or ``None`` outside the table."""
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers.get(section)
        return None
