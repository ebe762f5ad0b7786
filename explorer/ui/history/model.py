"""The Qt model over the history: a table adapter that also sorts and filters.

The model holds the light ``HistoryRow`` tuples only (never bodies, never the profile or base
URL), and computes display text on demand for the rows a view actually paints, so 100,000
entries cost one list and nothing more. A tooltip that needs more asks ``details``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import compress, count, repeat
from operator import attrgetter, is_
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QGuiApplication

from explorer.store.history_entry import HistoryFilter, HistoryRow
from explorer.ui.guard.marks import SHORT_MARK, production_colour, production_icon
from explorer.ui.history.cells import Column, display_text, tooltip_text
from explorer.ui.theme import is_dark, status_colour
from explorer.ui.widgets.row_table import RoleSpan, each_role

if TYPE_CHECKING:
    from explorer.store.history import HistoryEntry

__all__ = ["ENTRY_ROLE", "SORT_ROLE", "Column", "HistoryModel", "PreparedRows"]
AnyIndex = QModelIndex | QPersistentModelIndex

# Roles beyond Qt's own: the entry itself and a value that sorts naturally.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


HEADERS = {
    Column.TIME: "Time",
    Column.STATUS: "Status",
    Column.ACTION: "Action",
    Column.ACCOUNT: "Account",
    Column.DURATION: "Duration",
    Column.SIZE: "Size",
    Column.NOTE: "Note",
}

_NUMERIC = frozenset(map(int, (Column.STATUS, Column.DURATION, Column.SIZE)))
_COLUMNS = tuple(Column)
_COLUMN_COUNT = len(Column)  # ``len(Column)`` is a Python call: asked per cell painted
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
# What ``multiData`` asks of ``_answer``: the roles a paint does not ask.
_LOOKED_UP = frozenset({_TOOLTIP, int(SORT_ROLE), int(ENTRY_ROLE)})
_STATUS = int(Column.STATUS)
_ACCOUNT_COLUMN = int(Column.ACCOUNT)
# The header's answers, by (section, role): a header asks ~170 times before the first paint.
_HEADER_ANSWERS: dict[tuple[int, int], str | int] = {
    **{(int(c), _DISPLAY): title for c, title in HEADERS.items()},
    **{(c, _ALIGNMENT): _ALIGN_RIGHT for c in _NUMERIC},
}

# A value that sorts naturally, per column; missing numbers sort before every real one, in
# either direction consistently. One small function per column (no dispatch per call): a
# sort calls it 100,000 times.
SORT_KEYS: dict[Column, Callable[[HistoryRow], Any]] = {
    Column.TIME: attrgetter("started_at"),
    Column.STATUS: lambda e: -1 if e.status is None else e.status,
    Column.ACTION: lambda e: e.action.lower(),
    Column.ACCOUNT: lambda e: e.account_id.lower(),
    Column.DURATION: lambda e: -1.0 if e.total_ms is None else e.total_ms,
    Column.SIZE: lambda e: -1 if e.size is None else e.size,
    # Entries with a note or tags first (ascending), then by the text shown.
    Column.NOTE: lambda e: (not (e.note or e.tag_text), e.tag_text.lower(), e.note.lower()),
}


@dataclass(frozen=True)
class PreparedRows:
    """Rows made ready for ``HistoryModel.set_rows`` off the UI thread (``prepare``)."""

    rows: list[HistoryRow]  # as given: the store's order
    ordered: list[HistoryRow]  # sorted by ``sort``
    sort: tuple[int, Qt.SortOrder]  # the column (-1: the store's order) and the order
    actions: set[str]
    accounts: set[str]
    by_id: dict[str, HistoryRow]  # every entry by id (~10-50 ms for 100,000: not on the UI)


def _sorted(
    rows: list[HistoryRow],
    column: int,
    order: Qt.SortOrder,
    actions: set[str],
    accounts: set[str],
) -> list[HistoryRow]:
    if column < 0:
        return list(rows)
    key = SORT_KEYS[Column(column)]
    # Action names and account ids are nearly always lower case already: then the names
    # themselves are the key, read in C (a Python call per row was half of the sort).
    names = {Column.ACTION: actions, Column.ACCOUNT: accounts}.get(Column(column))
    reverse = order == Qt.SortOrder.DescendingOrder
    if names is not None and all(name == name.lower() for name in names):
        return _grouped(rows, _ACTION if column == Column.ACTION else _ACCOUNT, names, reverse)
    # Python's sort is stable, also reversed: equal keys keep the newest first.
    return sorted(rows, key=key, reverse=reverse)


def _grouped(
    rows: list[HistoryRow], key: Callable[[HistoryRow], str], names: set[str], reverse: bool
) -> list[HistoryRow]:
    """``sorted(rows, key=key, reverse=reverse)`` for a column of few names (actions,
    accounts): each row put in its name's group, the groups joined in order. A third less
    time than the sort at 100,000 rows, where the sort was ~25 ms on the UI thread (more
    under load); rows keep their order within a name, as the stable sort keeps them."""
    groups: dict[str, list[HistoryRow]] = {name: [] for name in sorted(names, reverse=reverse)}
    for group, row in zip(map(groups.__getitem__, map(key, rows)), rows, strict=True):
        group.append(row)
    ordered: list[HistoryRow] = []
    for group in groups.values():
        ordered += group
    return ordered


class _Descending:
    """Wraps a sort key so ``bisect`` can search a list sorted in descending order."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.key < self.key)


class HistoryTable(QAbstractTableModel):
    """The rows shown, as Qt's views ask for them: counts, indexes, headers and each cell's
    text, alignment, colour, tooltip and production mark, computed for the cells a view
    paints. ``HistoryModel`` fills, sorts and filters the rows.

    Rows are read-only and selectable, as ``QAbstractTableModel``'s own ``flags()`` says (a
    ``flags()`` here was two more calls into Python a painted cell).
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        details: Callable[[str], HistoryEntry | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._details = details
        self._rows: list[HistoryRow] = []  # shown, in the order shown
        # ``set_first_rows``: how many rows there are, and what reads them all, until read.
        self._promised = 0
        self._rest: Callable[[], Sequence[HistoryRow]] | None = None
        # Production accounts (id -> what to say about them), marked in the account column.
        self._production: dict[str, str] = {}
        # The status colours of the application palette whose key is ``_palette_key``.
        self._palette_key: int | None = None  # None: not asked yet
        self._status_colours: dict[str, QColor] = {}

    def _read_all(self) -> None:
        """Read every row, when only the first are (``HistoryModel.set_first_rows``)."""

    def set_account_marks(self, production: dict[str, str]) -> None:
        """Mark these accounts as production (id -> tooltip) in the account column."""
        if production != self._production:
            self._production = dict(production)
            if self.rowCount():
                column = int(Column.ACCOUNT)
                last = self.rowCount() - 1
                self.dataChanged.emit(self.index(0, column), self.index(last, column))

    # -- QAbstractTableModel -------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self._promised if self._rest is not None else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        return _HEADER_ANSWERS.get((section, role))

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """As Qt's, in one Python call: Qt's own asks ``rowCount`` and ``columnCount`` (two
        calls into Python) for every index a view makes, once per painted cell."""
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < _COLUMN_COUNT):
            if self._rest is None or parent.isValid() or not 0 <= column < _COLUMN_COUNT:
                return QModelIndex()
            if not 0 <= row < self._promised:
                return QModelIndex()
            self._read_all()  # a row not read yet: read them all (same rows, same count)
            if not 0 <= row < len(self._rows):
                return QModelIndex()
        return self.createIndex(row, column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:
            return None  # most of a view's questions (font, icon, background...) end here
        entry = self._cell(index)
        return None if entry is None else self._answer(entry, _COLUMNS[index.column()], role)

    def multiData(self, index: AnyIndex, roleDataSpan: RoleSpan, /) -> None:
        """Every role a painted cell asks (seven), in one call into Python, the entry looked
        up once (see ``row_table.answer_each_role``). The roles a paint asks of every cell
        (the text, its alignment, the status colour) are answered here directly; the rest as
        ``data`` answers them."""
        row, column = index.row(), index.column()
        if self._rest is not None and row >= len(self._rows):
            self._read_all()
        rows = self._rows
        # An invalid index has row -1; a table model's indexes have no parent.
        entry = rows[row] if 0 <= row < len(rows) and 0 <= column < _COLUMN_COUNT else None
        if entry is None or (column == _ACCOUNT_COLUMN and entry.account_id in self._production):
            self._answer_rare_cell(entry, roleDataSpan)
            return
        for role_data in each_role(roleDataSpan):
            role = role_data.role()
            if role == _DISPLAY:
                role_data.setData(display_text(entry, column))
            elif role == _ALIGNMENT:
                role_data.setData(_ALIGN_RIGHT if column in _NUMERIC else _ALIGN_LEFT)
            elif role == _FOREGROUND:
                role_data.setData(
                    self._status_colour(entry.status_class) if column == _STATUS else None
                )
            elif role in _LOOKED_UP:
                role_data.setData(self._answer(entry, _COLUMNS[column], role))
            else:
                role_data.setData(None)  # no icon, font, background or check box

    def _answer_rare_cell(self, entry: HistoryRow | None, roles: RoleSpan) -> None:
        """``multiData`` outside the rows (nothing), or for a production account (marked)."""
        for role_data in each_role(roles):
            role = role_data.role()
            if entry is None or role not in _ROLES:
                role_data.setData(None)
            else:
                role_data.setData(self._production_account(entry, role))

    def _cell(self, index: AnyIndex) -> HistoryRow | None:
        if not index.isValid() or index.parent().isValid():
            return None
        row, col = index.row(), index.column()
        if self._rest is not None and row >= len(self._rows):
            self._read_all()
        if not (0 <= row < len(self._rows) and 0 <= col < _COLUMN_COUNT):
            return None
        return self._rows[row]

    def _answer(self, entry: HistoryRow, column: Column, role: int) -> Any:
        # Plain ints compared, constants computed once: a view asks ~1,000 times per screen.
        if column == Column.ACCOUNT and entry.account_id in self._production:
            return self._production_account(entry, role)
        if role == _DISPLAY:
            return display_text(entry, column)
        if role == _TOOLTIP:
            return tooltip_text(entry, column, self._details)
        if role == _FOREGROUND and column == Column.STATUS:
            return self._status_colour(entry.status_class)
        if role == _ALIGNMENT:
            return _ALIGN_RIGHT if column in _NUMERIC else _ALIGN_LEFT
        if role == SORT_ROLE:
            return SORT_KEYS[column](entry)
        if role == ENTRY_ROLE:
            return entry
        return None

    def _production_account(self, entry: HistoryRow, role: int) -> Any:
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

    def _status_colour(self, status_class: str) -> QColor:
        """The status column's colour for this theme. ``is_dark()`` is asked once per
        application palette (every theme change sets a new one), not once per status cell
        painted: in the first frame each answer took 20-80 µs."""
        app = QGuiApplication.instance()
        key = QGuiApplication.palette().cacheKey() if isinstance(app, QGuiApplication) else -1
        if key != self._palette_key:
            dark = is_dark()
            self._status_colours = {name: status_colour(name, dark) for name in _STATUS_CLASSES}
            self._palette_key = key
        colours = self._status_colours
        return colours[status_class] if status_class in colours else colours["none"]


class HistoryModel(HistoryTable):
    """The history as a table: sorted by the user's column and filtered, both in Python.

    Sorting and filtering here (one ``list.sort``, one pass of list comprehensions) keep
    100,000 rows within a keystroke: a ``QSortFilterProxyModel`` would call back into Python
    for every row on every keystroke, sort and reset. ``set_rows`` gives every entry (the
    store's order, newest first); ``set_filter`` chooses which are shown; ``add_entry``
    inserts one row in its place without a reset, so selections and scrolling stay put.
    What a view asks of the rows (each cell's text, colour, tooltip) is ``HistoryTable``'s.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        details: Callable[[str], HistoryEntry | None] | None = None,
    ) -> None:
        """``details`` reads an entry in full (profile, base URL, request id) for a tooltip."""
        super().__init__(parent, details=details)
        self._given: list[HistoryRow] = []  # every entry, as the store ordered them
        self._ordered: list[HistoryRow] = []  # every entry, sorted by the user's column
        self._filter = HistoryFilter()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        # The action names and account ids: the filter boxes list them, and change only
        # when a name comes or goes (not with every one of 100,000 entries).
        self._actions: set[str] = set()
        self._accounts: set[str] = set()
        self._names_changed = False
        self._by_id: dict[str, HistoryRow] | None = {}  # see ``_known``
        # Changes whenever the entries or the rows shown do: a filter worked out on another
        # thread from older lists is not used (``set_filter``).
        self.version = 0

    # -- plain data in and out ---------------------------------------------------------------
    def set_rows(self, rows: Sequence[HistoryRow], prepared: PreparedRows | None = None) -> None:
        """Replace every entry (the store already trimmed and ordered them, newest first).

        ``prepared`` (from ``prepare``, on another thread) is used when it is of these rows and
        the sort has not changed since: then only the filter and the reset are left here.
        """
        sort = (self._sort_column, self._sort_order)
        if prepared is None or prepared.rows is not rows or prepared.sort != sort:
            prepared = self.prepare(rows)
        self._rest = None
        self.beginResetModel()
        self._given = prepared.rows
        self._ordered = prepared.ordered
        self._rows = self._filter.apply(self._ordered)
        self._actions, self._accounts = prepared.actions, prepared.accounts
        self._names_changed = True
        self._by_id = prepared.by_id
        self.version += 1
        self.endResetModel()

    def set_first_rows(
        self,
        first: Sequence[HistoryRow],
        total: int,
        names: tuple[set[str], set[str]],
        rest: Callable[[], Sequence[HistoryRow]],
    ) -> None:
        """Show ``total`` entries of which only ``first``, the first rows as the list orders
        them (by time, latest first, unfiltered: as the window starts), are read yet: the
        window's first frame reads the rows it paints, not 1,000 (~2 ms).

        ``rest()`` gives every entry (as ``set_rows`` takes them); it is called, once, the
        moment anything needs more than ``first``: a row further down (scrolling, End, a
        screen reader's question), a sort, a filter, a new entry, the list of entries; or
        ``set_rows`` replaces them all. The count, the scroll bar and the filter boxes'
        ``names`` (actions, accounts) are every entry's from the start, so nothing moves
        when the rest is read.
        """
        if (
            total <= len(first)
            or (self._sort_column, self._sort_order) != _LATEST_FIRST
            or self._filter != HistoryFilter()
        ):
            self.set_rows(list(rest()))
            return
        self.beginResetModel()
        self._given, self._ordered, self._rows = list(first), list(first), list(first)
        self._actions, self._accounts = set(names[0]), set(names[1])
        self._names_changed = True
        self._by_id = None
        self._promised, self._rest = total, rest
        self.version += 1
        self.endResetModel()

    def _read_all(self) -> None:
        """Read every entry now if only the first rows are (``set_first_rows``): the same
        rows, so the view is told nothing; should they differ (another process changed the
        history meanwhile), the view is reset once the current event is done."""
        rest, self._rest = self._rest, None
        if rest is None:
            return
        first = self._rows
        prepared = self.prepare(list(rest()))
        self._given, self._ordered = prepared.rows, prepared.ordered
        self._rows = self._filter.apply(self._ordered)
        if (prepared.actions, prepared.accounts) != (self._actions, self._accounts):
            self._actions, self._accounts = prepared.actions, prepared.accounts
            self._names_changed = True
        self._by_id = prepared.by_id
        self.version += 1
        if len(self._rows) != self._promised or any(
            a.id != b.id for a, b in zip(first, self._rows, strict=False)
        ):
            # Not in the middle of a view's question (a paint, a key): just after it.
            QTimer.singleShot(0, self, self._reset_view)

    def _reset_view(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def prepare(self, rows: Sequence[HistoryRow]) -> PreparedRows:
        """The work of ``set_rows`` that needs no Qt (sorting 100,000 rows, collecting their
        names): safe to run on another thread, where it does not hold up the window."""
        given = list(rows)
        actions: set[str] = set()
        accounts: set[str] = set()
        by_id: dict[str, HistoryRow] = {}
        # In steps: each is one call in C that holds the interpreter (~1 ms); between them
        # the UI thread gets it back, where one call over 100,000 rows held it 10-30 ms.
        for start in range(0, len(given), _PREPARE_STEP):
            part = given[start : start + _PREPARE_STEP]
            actions.update(map(_ACTION, part))
            accounts.update(map(_ACCOUNT, part))
            by_id.update(zip(map(_ID, part), part, strict=True))
        sort = (self._sort_column, self._sort_order)
        return PreparedRows(
            given, _sorted(given, *sort, actions, accounts), sort, actions, accounts, by_id
        )

    def actions(self) -> list[str]:
        """Every action named in the history, once, sorted."""
        return sorted(filter(None, self._actions), key=str.lower)

    def accounts(self) -> list[str]:
        """Every account id in the history (``""``: sent without one), once, sorted."""
        return sorted(self._accounts, key=str.lower)

    def take_names_changed(self) -> bool:
        """Whether ``actions()`` or ``accounts()`` changed since this was last asked."""
        changed, self._names_changed = self._names_changed, False
        return changed

    @property
    def filter(self) -> HistoryFilter:
        return self._filter

    def filtering(self, history_filter: HistoryFilter) -> Callable[[], list[HistoryRow]] | None:
        """The work of ``set_filter`` on the rows of now, to run on another thread (then
        given back to ``set_filter`` with ``version``); ``None`` if nothing would change."""
        if history_filter == self._filter:
            return None
        self._read_all()
        # Typing narrows: when every word of the old text is inside a word of the new one
        # (and the boxes are the same), only the rows shown can still match.
        base = self._rows if history_filter.narrows(self._filter) else self._ordered
        return partial(history_filter.apply, list(base))  # a copy: the lists change in place

    def set_filter(
        self,
        history_filter: HistoryFilter,
        rows: list[HistoryRow] | None = None,
        version: int | None = None,
    ) -> bool:
        """Show only the entries ``history_filter`` accepts; ``False`` if nothing changed.

        ``rows`` is what ``filtering``'s work returned, used if the model is still at
        ``version``. A reset (cheap for the view with fixed row heights) rather than
        thousands of row removals; the caller restores the selection of the entries still
        shown.
        """
        if history_filter == self._filter:
            return False
        self._read_all()
        if rows is None or version != self.version:
            work = self.filtering(history_filter)
            assert work is not None
            rows = work()
        self.version += 1
        self.beginResetModel()
        self._filter = history_filter
        self._rows = rows
        self.endResetModel()
        return True

    def add_entry(self, entry: HistoryRow) -> None:
        """Add the newest entry in its sorted place; only a visible row is inserted."""
        self._read_all()
        self._take_in(entry)
        self._given.insert(0, entry)
        self._ordered.insert(self._position(self._ordered, entry), entry)
        if not self._filter.accepts(entry):
            return
        row = self._position(self._rows, entry)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, entry)
        self.endInsertRows()

    def add_entries(self, entries: Sequence[HistoryRow]) -> None:
        """Add several new entries, oldest first (a batch's): in the store's order, the
        visible ones in one insertion at the top; sorted, each in its place. Either way
        the view repaints once, not once an entry."""
        self._read_all()
        if self._sort_column >= 0:
            for entry in entries:
                self.add_entry(entry)
            return
        newest_first = list(reversed(entries))
        for entry in newest_first:
            self._take_in(entry)
        self._given[:0] = newest_first
        self._ordered[:0] = newest_first
        shown = [entry for entry in newest_first if self._filter.accepts(entry)]
        if shown:
            self.beginInsertRows(QModelIndex(), 0, len(shown) - 1)
            self._rows[:0] = shown
            self.endInsertRows()

    def _take_in(self, entry: HistoryRow) -> None:
        """Note a new entry's names and id (the rows themselves are the caller's)."""
        if entry.action not in self._actions or entry.account_id not in self._accounts:
            self._actions.add(entry.action)
            self._accounts.add(entry.account_id)
            self._names_changed = True
        if self._by_id is not None:
            self._by_id[entry.id] = entry
        self.version += 1

    def update_entry(self, entry: HistoryRow) -> None:
        """Show an entry's new note and tags where it is; the filter is not applied again
        (the row does not vanish under the user: the next change of the filter decides)."""
        self._read_all()
        old = self._known().get(entry.id)
        if old is None:
            return
        self._known()[entry.id] = entry
        self.version += 1
        for rows in (self._given, self._ordered):
            for position in _locate(rows, [old]).values():
                rows[position] = entry
        for row in _locate(self._rows, [old]).values():
            self._rows[row] = entry
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def remove_ids(self, entry_ids: Iterable[str]) -> None:
        """Forget some entries (e.g. the oldest, trimmed by the store), row by row."""
        gone = set(entry_ids)
        if not gone:
            return
        self._read_all()
        self.version += 1
        self._given, removed = _without(self._given, gone)
        for entry in removed:
            if self._by_id is not None:
                del self._by_id[entry.id]
        self._forget_names(removed)
        self._ordered = _without(self._ordered, gone)[0]
        shown = sorted(_locate(self._rows, removed).values(), reverse=True)
        if len(shown) > _ROW_BY_ROW:  # thousands: one reset (the caller selects again)
            self.beginResetModel()
            self._rows = _without(self._rows, gone)[0]
            self.endResetModel()
            return
        for row in shown:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def _forget_names(self, removed: list[HistoryRow]) -> None:
        """Drop the names no entry left has (usually one look finds another entry with it)."""
        for names, read in ((self._actions, _ACTION), (self._accounts, _ACCOUNT)):
            for name in set(map(read, removed)):
                if name in names and not any(read(entry) == name for entry in self._given):
                    names.discard(name)
                    self._names_changed = True

    def _position(self, rows: list[HistoryRow], entry: HistoryRow) -> int:
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
        self._read_all()
        self._sort_column = column if 0 <= column < len(Column) else -1
        self._sort_order = order
        self.version += 1
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [self._rows[i.row()] if 0 <= i.row() < len(self._rows) else None for i in persistent]
        self._ordered = self._sorted()
        self._rows = self._filter.apply(self._ordered)
        # Only the few rows Qt keeps track of (the selection, the current row) are looked up.
        rows = _locate(self._rows, list({id(e): e for e in kept if e is not None}.values()))
        moved = [
            self.index(rows[entry.id], i.column())
            if entry is not None and entry.id in rows
            else QModelIndex()
            for i, entry in zip(persistent, kept, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sorted(self) -> list[HistoryRow]:
        return _sorted(
            self._given, self._sort_column, self._sort_order, self._actions, self._accounts
        )

    def rows(self) -> list[HistoryRow]:
        """The entries shown, in the order shown."""
        self._read_all()
        return list(self._rows)

    def all_rows(self) -> list[HistoryRow]:
        """Every entry, shown or filtered out, newest first."""
        self._read_all()
        return list(self._given)

    def total(self) -> int:
        """How many entries there are, shown or not."""
        return self._promised if self._rest is not None else len(self._given)

    def entry(self, row: int) -> HistoryRow:
        if row >= len(self._rows):
            self._read_all()
        return self._rows[row]

    def entry_at(self, index: AnyIndex) -> HistoryRow | None:
        """The entry of a shown row (any column), ``None`` for an invalid index."""
        row = index.row()
        if not index.isValid() or row < 0:
            return None
        if row >= len(self._rows):
            self._read_all()
        return self._rows[row] if row < len(self._rows) else None

    def row_of(self, entry_id: str) -> int | None:
        """The shown row of an entry, ``None`` if it is unknown or filtered out."""
        self._read_all()
        for row, entry in enumerate(self._rows[:_NEAR_THE_TOP]):  # a new entry: on top
            if entry.id == entry_id:
                return row
        return self.rows_of([entry_id]).get(entry_id)

    def rows_of(self, entry_ids: Iterable[str]) -> dict[str, int]:
        """The shown rows of several entries at once (those filtered out are left out)."""
        wanted = set(entry_ids)
        if not wanted:
            return {}
        self._read_all()
        if len(self._rows) <= _SCAN_ROWS:  # a filtered list: read its ids
            return {e.id: row for row, e in enumerate(self._rows) if e.id in wanted}
        known = self._known()
        return _locate(self._rows, [known[i] for i in wanted if i in known])

    def _known(self) -> dict[str, HistoryRow]:
        """Every entry by id, made when first needed (~10 ms for 100,000) and then kept."""
        self._read_all()
        if self._by_id is None:
            self._by_id = {entry.id: entry for entry in self._given}
        return self._by_id


_STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx", "none")
# The order the window starts in (``set_first_rows``): by time, latest first.
_LATEST_FIRST = (int(Column.TIME), Qt.SortOrder.DescendingOrder)
# Removing more rows than this is one model reset rather than a signal per row.
_ROW_BY_ROW = 64
_PREPARE_STEP = 5_000
# Rows looked at one by one before searching them all (where a new entry usually is).
_NEAR_THE_TOP = 8
# Up to this many rows shown, finding a few by id reads every id; beyond, the rows are found
# by identity through a dictionary of every entry (made once, ~10 ms for 100,000).
_SCAN_ROWS = 5000
_ID = attrgetter("id")
_ACTION = attrgetter("action")
_ACCOUNT = attrgetter("account_id")


def _locate(rows: list[HistoryRow], entries: list[HistoryRow]) -> dict[str, int]:
    """Where each of ``entries`` (the row objects themselves) is in ``rows``: compared by
    identity, in C (reading 100,000 ids sorted out of memory order took ~15 ms); many at
    once in one pass."""
    if len(entries) > _ROW_BY_ROW:
        wanted = {id(entry) for entry in entries}
        return {entry.id: row for row, entry in enumerate(rows) if id(entry) in wanted}
    found = {}
    for entry in entries:
        # The first position where ``is`` holds, without a list of 100,000 answers.
        row = next(compress(count(), map(is_, rows, repeat(entry))), None)
        if row is not None:
            found[entry.id] = row
    return found


def _without(rows: list[HistoryRow], gone: set[str]) -> tuple[list[HistoryRow], list[HistoryRow]]:
    """``rows`` less the ``gone`` ids, and the rows taken out. Trimming takes the oldest, at
    the end of the store's order: then two slices."""
    end = len(rows)
    while end and rows[end - 1].id in gone:
        end -= 1
    if len(rows) - end == len(gone):
        return rows[:end], rows[end:]
    return [row for row in rows if row.id not in gone], [row for row in rows if row.id in gone]
