"""A read-only table of one item a row, as the history and a run's results show them, and the
model under such a table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
RoleSpan = QModelRoleDataSpan | QModelRoleData  # what ``multiData`` is given
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


def each_role(roles: RoleSpan) -> Iterable[QModelRoleData]:
    """The roles asked (PySide's stubs do not say that a span iterates; it does)."""
    return (roles,) if isinstance(roles, QModelRoleData) else cast(Iterable[QModelRoleData], roles)


def answer_each_role(model: QAbstractItemModel, index: Index, roles: RoleSpan) -> None:
    """``multiData`` answered by the model's own ``data``, one role after another.

    Why: a view's delegate asks seven roles of each cell it paints in one ``multiData``
    call (Qt 6); a model in Python without it is entered seven times a cell, each entry
    waiting for the interpreter, which a batch's threads share. With it, once; the answers
    are ``data``'s, so the list shows exactly what it showed. Every role is set (``None``
    for those not answered): a caller may reuse its span.
    """
    for role_data in each_role(roles):
        role_data.setData(model.data(index, role_data.role()))


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

    def multiData(self, index: Index, roleDataSpan: RoleSpan, /) -> None:
        answer_each_role(self, index, roleDataSpan)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """As Qt's, in one Python call: Qt's own asks ``rowCount`` and ``columnCount`` (two
        calls into Python) for every index a view or a proxy makes, once per painted cell."""
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < len(self.headers)):
            return QModelIndex()
        return self.createIndex(row, column)

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
