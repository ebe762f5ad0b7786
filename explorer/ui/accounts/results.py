"""The results of one request across many accounts: a row per account, filled in as each
answer comes back; sorted by any column, filtered by text or outcome.

A thin model over ``explorer.run.accounts.AccountRow`` (the rows the run fills in); the proxy
does the sorting (numbers as numbers) and the filtering. Production accounts carry the same
mark as everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from explorer.core.account_context import is_production
from explorer.core.discovery import Account
from explorer.core.units import human_ms
from explorer.run.accounts import (
    CANCELLED,
    ERROR,
    FAILED,
    NOT_RUN,
    OK,
    PENDING,
    RUNNING,
    AccountRow,
)
from explorer.ui.guard.marks import SHORT_MARK, account_tooltip, production_colour, production_icon
from explorer.ui.theme import is_dark, status_colour
from explorer.ui.widgets.row_table import RoleSpan, RowsModel, each_role

_Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

# The outcome filter: its choices and what each keeps.
SHOW_ALL = "all"
SHOW_OK = "ok"
SHOW_PROBLEMS = "problems"
_PROBLEMS = (ERROR, FAILED, CANCELLED)


class ResultColumn(IntEnum):
    ACCOUNT = 0
    CUSTOMER = 1
    STATUS = 2
    TIME = 3
    REQUEST_ID = 4
    RECORDS = 5
    ERROR = 6


HEADERS = {
    ResultColumn.ACCOUNT: "Account",
    ResultColumn.CUSTOMER: "Customer",
    ResultColumn.STATUS: "Status",
    ResultColumn.TIME: "Time",
    ResultColumn.REQUEST_ID: "Request id",
    ResultColumn.RECORDS: "Records",
    ResultColumn.ERROR: "Error",
}
_NUMERIC = (ResultColumn.STATUS, ResultColumn.TIME, ResultColumn.RECORDS)
_COLUMNS = tuple(ResultColumn)
# The roles ``data`` answers. A view asks ~10 per cell (font, background, check state...):
# each is a Python call needing the interpreter, which the run's sending threads share, so
# the others end at once, before any lookup.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_SORT = int(SORT_ROLE)
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _FOREGROUND, _DECORATION, _ALIGNMENT, _SORT))
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

OUTCOME_WORDS = {
    PENDING: "waiting",
    RUNNING: "sending…",
    FAILED: "no response",
    CANCELLED: "cancelled",
    NOT_RUN: "not run",
}


def status_text(row: AccountRow) -> str:
    if row.status is not None:
        return str(row.status)
    return OUTCOME_WORDS.get(row.outcome, row.outcome)


def _sort_value(row: AccountRow, column: ResultColumn) -> Any:
    """Numbers as numbers (missing ones first), text without case."""
    if column == ResultColumn.STATUS:
        return -1 if row.status is None else row.status
    if column == ResultColumn.TIME:
        return -1.0 if row.time_ms is None else row.time_ms
    if column == ResultColumn.RECORDS:
        return -1 if row.records is None else row.records
    return AccountResultsModel.text(row, column).lower()


class AccountResultsModel(RowsModel[AccountRow]):
    """One row per account, in the order chosen; ``update`` as the run reports."""

    headers = HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accounts: dict[str, Account] = {}

    def set_rows(self, rows: Sequence[AccountRow], accounts: Sequence[Account] = ()) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._accounts = {a.id: a for a in accounts}
        self.endResetModel()

    def update(self, index: int, row: AccountRow) -> None:
        if 0 <= index < len(self._rows):
            self._rows[index] = row
            self.dataChanged.emit(self.index(index, 0), self.index(index, len(ResultColumn) - 1))

    def update_all(self, rows: Sequence[AccountRow]) -> None:
        """Every row at once (the run's end): one change for the views, not one a row."""
        if len(rows) != len(self._rows):
            self.set_rows(rows, list(self._accounts.values()))
            return
        self._rows = list(rows)
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, 0), self.index(last, len(ResultColumn) - 1))

    def rows(self) -> list[AccountRow]:
        return list(self._rows)

    def account(self, account_id: str) -> Account | None:
        return self._accounts.get(account_id)

    # -- Qt ----------------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:
            return None
        cell = self._cell(index)
        return None if cell is None else self._answer(*cell, role)

    def multiData(self, index: _Index, roleDataSpan: RoleSpan, /) -> None:
        """Every role a painted cell asks, in one call into Python (see ``answer_each_role``),
        the row and its account looked up once."""
        cell = self._cell(index)
        for role_data in each_role(roleDataSpan):
            role = role_data.role()
            if cell is None or role not in _ROLES:
                role_data.setData(None)
            else:
                role_data.setData(self._answer(*cell, role))

    def _cell(self, index: _Index) -> tuple[AccountRow, ResultColumn, Account | None] | None:
        row = self.row(index.row()) if index.isValid() else None
        if row is None or not 0 <= index.column() < len(_COLUMNS):
            return None
        return row, _COLUMNS[index.column()], self._accounts.get(row.account_id)

    def _answer(
        self, row: AccountRow, column: ResultColumn, account: Account | None, role: int
    ) -> Any:
        production = is_production(account)
        # Plain ints compared (an enum member is an attribute lookup and a conversion).
        if role == _DISPLAY:
            text = self.text(row, column)
            if column == ResultColumn.ACCOUNT and production:
                return f"{SHORT_MARK} · {text}"
            return text
        if role == _FOREGROUND:
            return self._colour(row, column, production)
        if role == _ALIGNMENT:
            return _ALIGN_RIGHT if column in _NUMERIC else None
        if role == _DECORATION:
            return production_icon() if production and column == ResultColumn.ACCOUNT else None
        if role == _SORT:
            return _sort_value(row, column)
        if role == _TOOLTIP:
            return self._tooltip(row, column, account)
        return None

    @staticmethod
    def text(row: AccountRow, column: ResultColumn) -> str:
        if column == ResultColumn.ACCOUNT:
            return row.account_id
        if column == ResultColumn.CUSTOMER:
            return row.customer
        if column == ResultColumn.STATUS:
            return status_text(row)
        if column == ResultColumn.TIME:
            return human_ms(row.time_ms) if row.time_ms is not None else ""
        if column == ResultColumn.REQUEST_ID:
            return row.request_id or ""
        if column == ResultColumn.RECORDS:
            return "" if row.records is None else str(row.records)
        return row.error

    @staticmethod
    def _tooltip(row: AccountRow, column: ResultColumn, account: Account | None) -> str | None:
        if column == ResultColumn.ACCOUNT and account is not None:
            return account_tooltip(account)
        if column == ResultColumn.ERROR and row.error:
            return row.error
        if column == ResultColumn.STATUS and row.attempts > 1:
            return f"{status_text(row)} after {row.attempts} attempts (429 waited out)"
        return AccountResultsModel.text(row, column) or None

    @staticmethod
    def _colour(row: AccountRow, column: ResultColumn, production: bool) -> Any:
        if column == ResultColumn.ACCOUNT and production:
            return production_colour()
        if column in (ResultColumn.STATUS, ResultColumn.ERROR):
            kind = {OK: "2xx", ERROR: "4xx", FAILED: "5xx"}.get(row.outcome)
            if row.status is not None and row.status >= 500:
                kind = "5xx"
            return status_colour(kind, is_dark()) if kind else None
        return None


class ResultsFilter(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE``; keeps rows whose text holds every word typed, and the
    outcome chosen (all, succeeded, or problems)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self._words: list[str] = []
        self._outcome = SHOW_ALL

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_words", text.lower().split()))

    def set_outcome(self, outcome: str) -> None:
        self._refilter(lambda: setattr(self, "_outcome", outcome))

    def _refilter(self, change: Callable[[], None]) -> None:
        """Apply ``change`` to the filter and show its rows (Qt 6.9 has a call for this and
        deprecates the older one)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:  # pragma: no cover - Qt before 6.9
            change()
            self.invalidateFilter()

    def multiData(self, index: _Index, roleDataSpan: RoleSpan, /) -> None:
        """The source's ``multiData``: Qt's proxy asks its source role by role (seven calls
        into Python a painted cell, each with two more to map the index)."""
        model = self.sourceModel()
        if isinstance(model, AccountResultsModel):
            model.multiData(self.mapToSource(index), roleDataSpan)
        else:  # pragma: no cover - the dialog always sets its results model
            super().multiData(index, roleDataSpan)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AccountResultsModel):
            return True
        row = model.row(source_row)
        if row is None:
            return False
        if self._outcome == SHOW_OK and row.outcome != OK:
            return False
        if self._outcome == SHOW_PROBLEMS and row.outcome not in _PROBLEMS:
            return False
        if not self._words:
            return True
        text = " ".join(AccountResultsModel.text(row, c) for c in ResultColumn).lower()
        return all(word in text for word in self._words)


def tally(rows: Sequence[AccountRow]) -> str:
    """``9 of 11 done: 7 succeeded, 1 error, 1 no response``."""
    done = [r for r in rows if r.done]
    counts = {
        "succeeded": sum(r.outcome == OK for r in done),
        "error": sum(r.outcome == ERROR for r in done),
        "no response": sum(r.outcome == FAILED for r in done),
        "cancelled": sum(r.outcome == CANCELLED for r in done),
        "not run": sum(r.outcome == NOT_RUN for r in done),
    }
    parts = []
    for word, count in counts.items():
        if count:
            plural = "s" if word == "error" and count != 1 else ""
            parts.append(f"{count} {word}{plural}")
    return f"{len(done)} of {len(rows)} done" + (": " + ", ".join(parts) if parts else "")
