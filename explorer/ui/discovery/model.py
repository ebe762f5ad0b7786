"""Qt models over what discovery found: the linked accounts and the action catalogue.

Both are thin adapters over plain lists (``set_rows()``), so the picker and the completer stay
views; the data itself is ``explorer.core.discovery``'s ``Account`` and ``ActionInfo``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from explorer.core.account_context import is_production, type_word
from explorer.ui.guard.marks import blank_icon, production_icon

if TYPE_CHECKING:
    from explorer.core.discovery import Account, ActionInfo

_Index = QModelIndex | QPersistentModelIndex

# What a picker filters on: every word of the account a person might type.
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
# The value to put in the field (the account id, the action name).
VALUE_ROLE = Qt.ItemDataRole.UserRole


def _muted() -> QBrush:
    """The palette's placeholder colour: readable in light and dark themes, yet clearly "off"."""
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return QBrush(palette.color(QPalette.ColorRole.PlaceholderText))


def account_type(account: Account) -> str:
    """``PRODUCTION`` in capitals (a customer's live data), other types as StackOne sends them."""
    return type_word(account)


def account_line(account: Account) -> str:
    """One picker row: the name, the customer, the provider, the type, the status if not active,
    and the id, e.g. ``Acme - BambooHR · Acme Demo Ltd · BambooHR · PRODUCTION  acct_1``."""
    facts = [account.title()]
    if account.origin_owner_name and account.origin_owner_name != account.title():
        facts.append(account.origin_owner_name)
    facts.append(account.provider_name or account.provider)
    if account.type:
        facts.append(account_type(account))
    if account.status and not account.usable:
        reason = account.status_reasons[0].code if account.status_reasons else ""
        facts.append(f"{account.status}: {reason}" if reason else account.status)
    line = " · ".join(f for f in facts if f)
    return line if account.title() == account.id else f"{line}   {account.id}"


def account_tooltip(account: Account) -> str:
    """Everything the picker row leaves out, including why an account is not usable."""
    lines = [account.title(), f"id: {account.id}"]
    if account.origin_owner_name or account.origin_owner_id:
        owner = account.origin_owner_name or account.origin_owner_id
        if account.origin_owner_name and account.origin_owner_id:
            owner += f" ({account.origin_owner_id})"
        lines.append(f"customer: {owner}")
    if account.provider_name or account.provider:
        lines.append(f"provider: {account.provider_name or account.provider}")
    if account.type:
        lines.append(f"type: {account_type(account)}")
    if account.origin_username:
        lines.append(f"connected by: {account.origin_username}")
    if account.status:
        lines.append(f"status: {account.status}")
    for reason in account.status_reasons:
        when = f" ({reason.timestamp})" if reason.timestamp else ""
        lines.append(f"  {reason.code}: {reason.description}".rstrip(": ") + when)
    if account.updated_at:
        lines.append(f"last updated: {account.updated_at}")
    if not account.usable:
        lines.append("Actions on this account answer 412 until it is reconnected.")
    return "\n".join(lines)


class AccountsModel(QAbstractListModel):
    """Linked accounts, usable ones first (each group in the server's order).

    An inactive or suspended account stays listed, greyed and marked, because its id is still
    what the user may need to paste, e.g. to see the 412 it answers.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Account] = []

    def set_rows(self, accounts: Iterable[Account]) -> None:
        items = list(accounts)
        self.beginResetModel()
        # ``sorted`` is stable: the server's order survives inside each group.
        self._rows = sorted(items, key=lambda a: not a.usable)
        self.endResetModel()

    def rows(self) -> list[Account]:
        return list(self._rows)

    def account(self, row: int) -> Account | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        account = self.account(index.row()) if index.isValid() else None
        if account is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = account_line(account)
            return text if account.usable else f"⚠ {text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return account_tooltip(account)
        if role == Qt.ItemDataRole.DecorationRole:
            return production_icon() if is_production(account) else blank_icon()
        if role == Qt.ItemDataRole.ForegroundRole and not account.usable:
            return _muted()
        if role == VALUE_ROLE:
            return account.id
        if role == SEARCH_ROLE:
            return " ".join(
                (
                    account_line(account),
                    account.origin_username,
                    account.origin_owner_id,
                    account.provider,
                    account.status,
                )
            )
        return None


class ActionsModel(QAbstractListModel):
    """Action names for the action field's completer, with the label beside each name and the
    description as tooltip.

    Holds either the catalogue of the chosen account or, offline, bare fallback names (the demo
    actions and the history's), so completion never goes empty just because the network did.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ActionInfo] = []
        self._from_catalogue = False

    def set_rows(self, actions: Iterable[ActionInfo]) -> None:
        self.beginResetModel()
        self._rows = list(actions)
        self._from_catalogue = True
        self.endResetModel()

    def set_names(self, names: Iterable[str]) -> None:
        """Fallback: names only, sorted, no tooltip."""
        self.beginResetModel()
        from explorer.core.discovery import ActionInfo  # imported after the first paint

        self._rows = [ActionInfo(name=n) for n in sorted(set(names)) if n]
        self._from_catalogue = False
        self.endResetModel()

    @property
    def from_catalogue(self) -> bool:
        return self._from_catalogue

    def names(self) -> list[str]:
        return [a.name for a in self._rows]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        action = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            # The completer matches and inserts the EditRole (the bare name); the popup shows
            # this, so the label reads like a second column.
            return f"{action.name}  ·  {action.label}" if action.label else action.name
        if role in (Qt.ItemDataRole.EditRole, VALUE_ROLE):
            return action.name
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [p for p in (action.label, action.description) if p]
            if action.connector_name:
                parts.append(f"connector: {action.connector_name}")
            return "\n".join(parts) or None
        return None


def muted_css() -> str:
    """The colour of secondary text as a style-sheet value (keeping the palette's alpha)."""
    # The palette's colour, not ``_muted()``'s brush: the window's first frame uses this,
    # and a QBrush made from a colour makes PySide create QGradient's and QImage's enum
    # classes (~2-3 ms) while it picks the constructor.
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    colour = palette.color(QPalette.ColorRole.PlaceholderText)
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {colour.alpha()})"
