"""The changes of a comparison as a Qt table: path, kind, and the value on each side.

A thin adapter over the plain ``Change`` list (``set_rows``), narrowed by ``set_filter`` (a
text in the path, the kinds shown). Cells show values as one line of JSON, cut short; the
whole value is in the detail panes under the table. Nothing is computed until a row is painted.

A big comparison stays in the helper process (``core.compare_pages``): the model then holds
the pages received so far (``set_page``, ``add_page``) and, as Qt's views do for incremental
models, asks for the next one (``more_wanted``) when the table is scrolled to its end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from explorer.core.compare import ADDED, CHANGED, MISSING, REMOVED, Change
from explorer.core.compare_pages import Page, View
from explorer.ui.widgets.row_table import RoleSpan, answer_each_role

AnyIndex = QModelIndex | QPersistentModelIndex
CELL_CHARS = 200  # a value longer than this is cut in its cell (the detail pane has it whole)
PATH, KIND, LEFT, RIGHT = range(4)
KINDS = (CHANGED, ADDED, REMOVED)
# Readable on light and dark backgrounds: green added, red removed, amber changed.
KIND_COLOURS = {ADDED: "#2da44e", REMOVED: "#cf222e", CHANGED: "#bf8700"}
ABSENT = "—"  # the side where a field does not exist


def one_line(value: Any, limit: int = CELL_CHARS) -> str:
    """A value as one line of JSON (``—`` where it is missing), cut at ``limit``."""
    if value is MISSING:
        return ABSENT
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pretty(value: Any) -> str:
    """A value as indented JSON for a detail pane (``—`` where it is missing)."""
    if value is MISSING:
        return f"{ABSENT} (not there on this side)"
    if isinstance(value, str) and not value.startswith(("{", "[")):
        return value if "\n" in value else json.dumps(value, ensure_ascii=False)
    try:
        return json.dumps(value, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


class ChangesModel(QAbstractTableModel):
    """One change a row: Path, Change, and the two sides' values under their labels.

    Rows are read-only and selectable, as ``QAbstractTableModel``'s own ``flags()`` says
    (like ``RowsModel``'s; this one is paged, so it is not one).

    Signals:
        more_wanted(int): the view reached the last row received of a paged comparison: the
            page from this offset is wanted (``add_page`` it when it comes).
    """

    more_wanted = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Change] = []
        self._rows: list[Change] = []
        self._labels = ("Left", "Right")
        self._text = ""
        self._kinds: frozenset[str] = frozenset(KINDS)
        self._matching: int | None = None  # paged: how many changes the helper's view holds
        self._view = View()  # paged: which changes the pages hold
        self._asked = False  # the next page was asked for

    def set_rows(self, changes: Iterable[Change], labels: tuple[str, str] | None = None) -> None:
        """All the changes (filtered here by ``set_filter``)."""
        self.beginResetModel()
        self._all = list(changes)
        if labels is not None:
            self._labels = labels
        self._matching = None
        self._rows = self._filtered()
        self.endResetModel()

    def set_page(self, page: Page, labels: tuple[str, str] | None = None) -> None:
        """The first page of a view kept in the helper process (filtered there)."""
        self.beginResetModel()
        self._all = []
        if labels is not None:
            self._labels = labels
        self._rows = list(page.changes)
        self._matching = page.matching
        self._view = page.view
        self._asked = False
        self.endResetModel()

    def add_page(self, page: Page) -> None:
        """The page asked for by ``more_wanted`` (one for another offset or view is left
        out)."""
        self._asked = False
        if (
            self._matching is None
            or page.view != self._view
            or page.offset != len(self._rows)
            or not page.changes
        ):
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), page.end - 1)
        self._rows.extend(page.changes)
        self._matching = page.matching
        self.endInsertRows()

    def view(self) -> View:
        """Which changes the pages received hold."""
        return self._view

    def matching(self) -> int:
        """How many changes the view holds, also those not received yet."""
        return self._matching if self._matching is not None else len(self._rows)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return (
            not parent.isValid()
            and self._matching is not None
            and not self._asked
            and len(self._rows) < self._matching
        )

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._asked = True
            self.more_wanted.emit(len(self._rows))

    def set_filter(self, text: str = "", kinds: Iterable[str] = KINDS) -> None:
        """Show only changes whose path holds ``text`` (any case) and of ``kinds``."""
        self.beginResetModel()
        self._text = text.strip().lower()
        self._kinds = frozenset(kinds)
        self._rows = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[Change]:
        text, kinds = self._text, self._kinds
        if not text and kinds == frozenset(KINDS):
            return list(self._all)
        return [c for c in self._all if c.kind in kinds and (not text or text in c.path.lower())]

    def change_at(self, row: int) -> Change | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def changes(self) -> list[Change]:
        """The changes shown, in document order."""
        return list(self._rows)

    def total(self) -> int:
        return len(self._all)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return ("Path", "Change", *self._labels)[section] if 0 <= section < 4 else None

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """As Qt's, in one Python call (Qt's own asks ``rowCount`` and ``columnCount``)."""
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < 4):
            return QModelIndex()
        return self.createIndex(row, column)

    def multiData(self, index: AnyIndex, roleDataSpan: RoleSpan, /) -> None:
        answer_each_role(self, index, roleDataSpan)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        change = self.change_at(index.row()) if index.isValid() else None
        if change is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == PATH:
                return change.path
            if column == KIND:
                return change.kind
            return one_line(change.left if column == LEFT else change.right)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (LEFT, RIGHT):
                return one_line(change.left if column == LEFT else change.right, 2000)
            return f"{change.path} ({change.kind}); ignore it with {change.query()}"
        if role == Qt.ItemDataRole.ForegroundRole and column == KIND:
            return QColor(KIND_COLOURS[change.kind])
        return None
