"""Qt models over the history index: a thin table adapter and the filters the pane offers.

The models hold the light ``HistoryEntry`` rows only (never bodies), and compute display text on
demand for the rows a view actually paints, so 10,000 entries cost one list and nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from explorer.ui.theme import is_dark, status_colour

if TYPE_CHECKING:
    from explorer.store.history import HistoryEntry

AnyIndex = QModelIndex | QPersistentModelIndex

# Roles beyond Qt's own: the entry itself and a value that sorts naturally.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    """The table's columns, in display order."""

    TIME = 0
    STATUS = 1
    ACTION = 2
    ACCOUNT = 3
    DURATION = 4
    SIZE = 5


HEADERS = {
    Column.TIME: "Time",
    Column.STATUS: "Status",
    Column.ACTION: "Action",
    Column.ACCOUNT: "Account",
    Column.DURATION: "Duration",
    Column.SIZE: "Size",
}

_NUMERIC = (Column.STATUS, Column.DURATION, Column.SIZE)


# English month names whatever the C locale says, so the column width is predictable.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_time(started_at: str) -> datetime | None:
    """``started_at`` (ISO 8601, UTC) in the local time zone; ``None`` if unreadable."""
    try:
        return datetime.fromisoformat(started_at).astimezone()
    except ValueError:
        return None


def short_time(started_at: str, today: datetime | None = None) -> str:
    """``14:03:27`` today, ``27 Nov 14:03`` this year, ``2025-11-27`` before: short enough for
    a narrow pane; the tooltip has the full date and time."""
    when = local_time(started_at)
    if when is None:
        return started_at
    today = today or datetime.now().astimezone()
    if when.date() == today.date():
        return when.strftime("%H:%M:%S")
    if when.year == today.year:
        return f"{when.day} {_MONTHS[when.month - 1]} {when:%H:%M}"
    return when.strftime("%Y-%m-%d")


def failure_label(kind: str) -> str:
    """``"ConnectFailed"`` -> ``"Connect failed"``, ``"DNSFailed"`` -> ``"DNS failed"``."""
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]?[a-z]+|\d+", kind)
    if not words:
        return kind
    first, rest = words[0], [w if w.isupper() else w.lower() for w in words[1:]]
    return " ".join([first, *rest])


def status_text(entry: HistoryEntry) -> str:
    if entry.status is not None:
        return str(entry.status)
    if entry.failure:
        return failure_label(entry.failure)
    return "No response"


def duration_text(total_ms: float | None) -> str:
    if total_ms is None:
        return ""
    if total_ms < 1000:
        return f"{total_ms:.0f} ms"
    return f"{total_ms / 1000:.2f} s"


def size_text(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class HistoryModel(QAbstractTableModel):
    """The history index as a table, newest first, in the order the store gives it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._given: list[HistoryEntry] = []  # as the store ordered them: newest first
        self._rows: list[HistoryEntry] = []  # as shown: sorted by the user's column, if any
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- plain data in and out ---------------------------------------------------------------
    def set_rows(self, rows: Sequence[HistoryEntry]) -> None:
        """Replace every row (the store already trimmed and ordered them, newest first)."""
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._sorted()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (``-1``: the store's order), keeping selections on their entries.

        Sorting here, with one Python ``list.sort``, is what keeps 10,000 rows instant: a
        ``QSortFilterProxyModel`` would call back into Python for every comparison.
        """
        self._sort_column = column if 0 <= column < len(Column) else -1
        self._sort_order = order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [
            self._rows[i.row()].id if 0 <= i.row() < len(self._rows) else None for i in persistent
        ]
        self._rows = self._sorted()
        rows = {entry.id: row for row, entry in enumerate(self._rows)}
        moved = [
            self.index(rows[entry_id], i.column()) if entry_id in rows else QModelIndex()
            for i, entry_id in zip(persistent, ids, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sorted(self) -> list[HistoryEntry]:
        if self._sort_column < 0:
            return list(self._given)
        column = Column(self._sort_column)
        # Python's sort is stable, also reversed: equal keys keep the newest first.
        return sorted(
            self._given,
            key=lambda e: self._sort_key(e, column),
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    def rows(self) -> list[HistoryEntry]:
        return list(self._rows)

    def entry(self, row: int) -> HistoryEntry:
        return self._rows[row]

    def row_of(self, entry_id: str) -> int | None:
        for row, entry in enumerate(self._rows):
            if entry.id == entry_id:
                return row
        return None

    # -- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= col < len(Column)):
            return None
        entry = self._rows[row]
        column = Column(col)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.STATUS:
            return status_colour(entry.status_class, is_dark())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return self._sort_key(entry, column)
        if role == ENTRY_ROLE:
            return entry
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # -- presentation ----------------------------------------------------------------------
    @staticmethod
    def _display(entry: HistoryEntry, column: Column) -> str:
        if column == Column.TIME:
            return short_time(entry.started_at)
        if column == Column.STATUS:
            return status_text(entry)
        if column == Column.ACTION:
            return entry.action
        if column == Column.ACCOUNT:
            return entry.account_id
        if column == Column.DURATION:
            return duration_text(entry.total_ms)
        return size_text(entry.size)

    @staticmethod
    def _tooltip(entry: HistoryEntry, column: Column) -> str | None:
        if column == Column.TIME:
            when = local_time(entry.started_at)
            shown = when.strftime("%Y-%m-%d %H:%M:%S %Z") if when else entry.started_at
            return f"{shown}\nProfile: {entry.profile or '-'}\n{entry.base_url}"
        if column == Column.STATUS:
            if entry.status is None:
                return f"No response: {entry.failure or 'unknown failure'}"
            if entry.request_id:
                return f"HTTP {entry.status}\nx-request-id: {entry.request_id}"
            return f"HTTP {entry.status}"
        if column == Column.SIZE and entry.size is not None:
            return f"{entry.size:,} bytes"
        if column in (Column.ACTION, Column.ACCOUNT):
            return entry.action if column == Column.ACTION else entry.account_id
        return None

    @staticmethod
    def _sort_key(entry: HistoryEntry, column: Column) -> Any:
        # Missing numbers sort before every real one, in either direction consistently.
        if column == Column.TIME:
            return entry.started_at
        if column == Column.STATUS:
            return entry.status if entry.status is not None else -1
        if column == Column.ACTION:
            return entry.action.lower()
        if column == Column.ACCOUNT:
            return entry.account_id.lower()
        if column == Column.DURATION:
            return entry.total_ms if entry.total_ms is not None else -1.0
        return entry.size if entry.size is not None else -1


class HistoryFilterModel(QSortFilterProxyModel):
    """Filters the history by free text, status class, action and account (all combined).

    ``None`` (or an empty string) for a filter means "any". The free text is matched by
    ``HistoryEntry.matches`` so the search covers the same fields everywhere.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._status_class: str | None = None
        self._action: str | None = None
        self._account: str | None = None
        self.setSortRole(SORT_ROLE)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Let a ``HistoryModel`` sort itself (fast); the proxy then keeps its order."""
        model = self.sourceModel()
        if isinstance(model, HistoryModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    @property
    def text(self) -> str:
        return self._text

    @property
    def status_class(self) -> str | None:
        return self._status_class

    @property
    def action(self) -> str | None:
        return self._action

    @property
    def account(self) -> str | None:
        return self._account

    def set_text(self, text: str) -> None:
        self._set("_text", text.strip())

    def set_status_class(self, status_class: str | None) -> None:
        self._set("_status_class", status_class or None)

    def set_action(self, action: str | None) -> None:
        self._set("_action", action or None)

    def set_account(self, account: str | None) -> None:
        # An empty account id is a real value (requests sent without one), so only None is "any".
        self._set("_account", account)

    def _set(self, name: str, value: Any) -> None:
        if getattr(self, name) == value:
            return
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9 wants the change bracketed
            self.beginFilterChange()
            setattr(self, name, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            setattr(self, name, value)
            self.invalidateRowsFilter()

    def entry(self, index: AnyIndex) -> HistoryEntry | None:
        """The entry behind a proxy index (any column)."""
        if not index.isValid():
            return None
        entry: HistoryEntry | None = index.data(ENTRY_ROLE)
        return entry

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, HistoryModel) or source_parent.isValid():
            return True
        entry = model.entry(source_row)
        if self._status_class and entry.status_class != self._status_class:
            return False
        if self._action and entry.action != self._action:
            return False
        if self._account is not None and entry.account_id != self._account:
            return False
        return not self._text or entry.matches(self._text)
