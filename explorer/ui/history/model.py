"""The Qt model over the history index: a table adapter that also sorts and filters.

The model holds the light ``HistoryEntry`` rows only (never bodies), and compute display text on
demand for the rows a view actually paints, so 10,000 entries cost one list and nothing more.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from explorer.core.units import human_size
from explorer.ui.guard.marks import SHORT_MARK, production_colour, production_icon
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
_COLUMNS = tuple(Column)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ROLES = frozenset(
    {_DISPLAY, _TOOLTIP, _FOREGROUND, _DECORATION, _ALIGNMENT, int(SORT_ROLE), int(ENTRY_ROLE)}
)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

# A value that sorts naturally, per column; missing numbers sort before every real one, in
# either direction consistently. One small function per column (no dispatch per call): a
# sort calls it 10,000 times.
SORT_KEYS: dict[Column, Callable[[HistoryEntry], Any]] = {
    Column.TIME: attrgetter("started_at"),
    Column.STATUS: lambda e: -1 if e.status is None else e.status,
    Column.ACTION: lambda e: e.action.lower(),
    Column.ACCOUNT: lambda e: e.account_id.lower(),
    Column.DURATION: lambda e: -1.0 if e.total_ms is None else e.total_ms,
    Column.SIZE: lambda e: -1 if e.size is None else e.size,
}


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


@dataclass(frozen=True)
class HistoryFilter:
    """What the pane's filters ask for; ``None`` (or ``""`` for text) means "any".

    Attributes:
        text: words that must all appear in an entry's ``search_text`` (any case).
        status_class: ``"2xx"``..``"5xx"`` or ``"none"`` (no response).
        action: one action name.
        account: one account id; ``""`` is a real value (requests sent without an account).
    """

    text: str = ""
    status_class: str | None = None
    action: str | None = None
    account: str | None = None

    def accepts(self, entry: HistoryEntry) -> bool:
        return bool(self.apply([entry]))

    def apply(self, entries: Sequence[HistoryEntry]) -> list[HistoryEntry]:
        """The entries that pass, in the given order: one list comprehension per active
        criterion over cached per-entry text, so 10,000 entries take a few milliseconds."""
        rows = list(entries)
        if self.status_class:
            status_class = self.status_class
            rows = [e for e in rows if e.status_class == status_class]
        if self.action:
            action = self.action
            rows = [e for e in rows if e.action == action]
        if self.account is not None:
            account = self.account
            rows = [e for e in rows if e.account_id == account]
        for word in self.text.casefold().split():
            rows = [e for e in rows if word in e.search_text]
        return rows


class _Descending:
    """Wraps a sort key so ``bisect`` can search a list sorted in descending order."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.key < self.key)


class HistoryModel(QAbstractTableModel):
    """The history index as a table: sorted by the user's column and filtered, both in Python.

    Sorting and filtering here (one ``list.sort``, one pass of list comprehensions) keep
    10,000 rows instant: a ``QSortFilterProxyModel`` would call back into Python for every
    row on every keystroke, sort and reset. ``set_rows`` gives every entry (the store's order,
    newest first); ``set_filter`` chooses which are shown; ``add_entry`` inserts one row in
    its place without a reset, so selections and scrolling stay put.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._given: list[HistoryEntry] = []  # every entry, as the store ordered them
        self._ordered: list[HistoryEntry] = []  # every entry, sorted by the user's column
        self._rows: list[HistoryEntry] = []  # shown: the filter's pick of _ordered
        self._filter = HistoryFilter()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        # Production accounts (id -> what to say about them), marked in the account column.
        self._production: dict[str, str] = {}

    # -- plain data in and out ---------------------------------------------------------------
    def set_rows(self, rows: Sequence[HistoryEntry]) -> None:
        """Replace every entry (the store already trimmed and ordered them, newest first)."""
        self.beginResetModel()
        self._given = list(rows)
        self._ordered = self._sorted()
        self._rows = self._filter.apply(self._ordered)
        self.endResetModel()

    def set_account_marks(self, production: dict[str, str]) -> None:
        """Mark these accounts as production (id -> tooltip) in the account column."""
        if production != self._production:
            self._production = dict(production)
            if self._rows:
                column = int(Column.ACCOUNT)
                last = len(self._rows) - 1
                self.dataChanged.emit(self.index(0, column), self.index(last, column))

    @property
    def filter(self) -> HistoryFilter:
        return self._filter

    def set_filter(self, history_filter: HistoryFilter) -> bool:
        """Show only the entries ``history_filter`` accepts; ``False`` if nothing changed.

        A reset (cheap for the view with fixed row heights) rather than thousands of row
        removals; the caller restores the selection of the entries still shown.
        """
        if history_filter == self._filter:
            return False
        rows = history_filter.apply(self._ordered)
        self.beginResetModel()
        self._filter = history_filter
        self._rows = rows
        self.endResetModel()
        return True

    def add_entry(self, entry: HistoryEntry) -> None:
        """Add the newest entry in its sorted place; only a visible row is inserted."""
        self._given.insert(0, entry)
        self._ordered.insert(self._position(self._ordered, entry), entry)
        if not self._filter.accepts(entry):
            return
        row = self._position(self._rows, entry)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, entry)
        self.endInsertRows()

    def remove_ids(self, entry_ids: Iterable[str]) -> None:
        """Forget some entries (e.g. the oldest, trimmed by the store), row by row."""
        gone = set(entry_ids)
        if not gone:
            return
        self._given = [e for e in self._given if e.id not in gone]
        self._ordered = [e for e in self._ordered if e.id not in gone]
        for row in sorted((r for r, e in enumerate(self._rows) if e.id in gone), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def _position(self, rows: list[HistoryEntry], entry: HistoryEntry) -> int:
        """Where ``entry``, the newest, goes in ``rows`` (sorted as the model sorts): before
        the entries of an equal key, as the stable sort of newest-first entries puts it."""
        if self._sort_column < 0:
            return 0
        column = Column(self._sort_column)
        sort_key = SORT_KEYS[column]
        key = sort_key(entry)
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            return bisect_left(rows, _Descending(key), key=lambda e: _Descending(sort_key(e)))
        return bisect_left(rows, key, key=sort_key)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (``-1``: the store's order), keeping selections on their entries."""
        self._sort_column = column if 0 <= column < len(Column) else -1
        self._sort_order = order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [
            self._rows[i.row()].id if 0 <= i.row() < len(self._rows) else None for i in persistent
        ]
        self._ordered = self._sorted()
        self._rows = self._filter.apply(self._ordered)
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
            key=SORT_KEYS[column],
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    def rows(self) -> list[HistoryEntry]:
        """The entries shown, in the order shown."""
        return list(self._rows)

    def all_rows(self) -> list[HistoryEntry]:
        """Every entry, shown or filtered out, newest first."""
        return list(self._given)

    def total(self) -> int:
        """How many entries there are, shown or not."""
        return len(self._given)

    def entry(self, row: int) -> HistoryEntry:
        return self._rows[row]

    def entry_at(self, index: AnyIndex) -> HistoryEntry | None:
        """The entry of a shown row (any column), ``None`` for an invalid index."""
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        return self._rows[row]

    def row_of(self, entry_id: str) -> int | None:
        """The shown row of an entry, ``None`` if it is unknown or filtered out."""
        for row, entry in enumerate(self._rows):
            if entry.id == entry_id:
                return row
        return None

    def rows_of(self, entry_ids: Iterable[str]) -> dict[str, int]:
        """The shown rows of several entries at once (those filtered out are left out)."""
        wanted = set(entry_ids)
        return {e.id: row for row, e in enumerate(self._rows) if e.id in wanted}

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
            return _ALIGN_RIGHT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or index.parent().isValid():
            return None  # most of a view's questions (font, icon, background...) end here
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= col < len(Column)):
            return None
        entry = self._rows[row]
        column = _COLUMNS[col]
        # Plain ints compared, constants computed once: a view asks ~1,000 times per screen.
        if column == Column.ACCOUNT and entry.account_id in self._production:
            return self._production_account(entry, role)
        if role == _DISPLAY:
            return self._display(entry, column)
        if role == _TOOLTIP:
            return self._tooltip(entry, column)
        if role == _FOREGROUND and column == Column.STATUS:
            return status_colour(entry.status_class, is_dark())
        if role == _ALIGNMENT:
            return _ALIGN_RIGHT if column in _NUMERIC else _ALIGN_LEFT
        if role == SORT_ROLE:
            return SORT_KEYS[column](entry)
        if role == ENTRY_ROLE:
            return entry
        return None

    def _production_account(self, entry: HistoryEntry, role: int) -> Any:
        """The account column of an entry sent to a production account: marked."""
        if role == _DISPLAY:
            return f"{SHORT_MARK} · {entry.account_id}"
        if role == _TOOLTIP:
            return self._production[entry.account_id]
        if role == _DECORATION:
            return production_icon()
        if role == _FOREGROUND:
            return production_colour()
        if role == _ALIGNMENT:
            return _ALIGN_LEFT
        if role == SORT_ROLE:
            return SORT_KEYS[Column.ACCOUNT](entry)
        return entry if role == ENTRY_ROLE else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

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
        return "" if entry.size is None else human_size(entry.size)

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
