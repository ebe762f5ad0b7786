"""Choosing the accounts a request goes to: the profile's linked accounts, filtered by
provider, customer, status and type, ticked one by one or a whole provider at once.

The filter is ``explorer.run.accounts.select_accounts`` (the same words a command would
use); ticks survive a change of filter, so "all BambooHR accounts, and Globex's HiBob" is two
clicks. Accounts the list does not show (a key without the scope to list them) can be typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.account_context import is_production, type_word
from explorer.core.discovery import Account
from explorer.run.accounts import providers, select_accounts
from explorer.ui.guard.marks import account_tooltip, blank_icon, production_colour, production_icon
from explorer.ui.widgets.row_table import RowsModel, row_table

_Index = QModelIndex | QPersistentModelIndex
ANY = ""


class ChoiceColumn(IntEnum):
    ACCOUNT = 0
    CUSTOMER = 1
    PROVIDER = 2
    TYPE = 3
    STATUS = 4


HEADERS = {
    ChoiceColumn.ACCOUNT: "Account",
    ChoiceColumn.CUSTOMER: "Customer",
    ChoiceColumn.PROVIDER: "Provider",
    ChoiceColumn.TYPE: "Type",
    ChoiceColumn.STATUS: "Status",
}


def provider_title(account: Account) -> str:
    return account.provider_name or account.provider


def status_words(account: Account) -> str:
    codes = ", ".join(r.code for r in account.status_reasons if r.code)
    status = account.status or "not given"
    return f"{status} ({codes})" if codes and not account.usable else status


class AccountChoiceModel(RowsModel[Account]):
    """The accounts the filter shows, each with a tick; ticks are kept by id.

    Signals:
        chosen_changed(): a tick was set or cleared.
    """

    chosen_changed = Signal()
    headers = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[Account] = []
        self._filters: dict[str, str] = {}
        self.chosen: set[str] = set()

    def set_accounts(self, accounts: Iterable[Account]) -> None:
        self._all = list(accounts)
        known = {a.id for a in self._all}
        self.chosen &= known
        self._refilter()

    def accounts(self) -> list[Account]:
        return list(self._all)

    def set_filters(self, **filters: str) -> None:
        """``provider``, ``owner``, ``status``, ``account_type`` as ``select_accounts`` takes."""
        self._filters = {k: v for k, v in filters.items() if v}
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = select_accounts(self._all, **self._filters)
        self.endResetModel()

    def shown(self) -> list[Account]:
        return list(self._rows)

    def chosen_accounts(self) -> list[Account]:
        """The ticked accounts, in the list's order (shown by the filter or not)."""
        return [a for a in self._all if a.id in self.chosen]

    def choose(self, accounts: Iterable[Account], on: bool = True) -> None:
        ids = {a.id for a in accounts}
        self.chosen = self.chosen | ids if on else self.chosen - ids
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))
        self.chosen_changed.emit()

    def account(self, row: int) -> Account | None:
        return self.row(row)

    # -- Qt ----------------------------------------------------------------------------------
    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ChoiceColumn.ACCOUNT:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        account = self.account(index.row()) if index.isValid() else None
        if account is None or role != Qt.ItemDataRole.CheckStateRole:
            return False
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        self.choose([account], on)
        return True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        account = self.account(index.row()) if index.isValid() else None
        if account is None:
            return None
        column = ChoiceColumn(index.column())
        if column == ChoiceColumn.ACCOUNT:
            return self._account_data(account, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(account, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return account_tooltip(account)
        if role == Qt.ItemDataRole.ForegroundRole and column == ChoiceColumn.TYPE:
            return production_colour() if is_production(account) else None
        return None

    def _account_data(self, account: Account, role: int) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole:
            ticked = account.id in self.chosen
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            title = account.title()
            return account.id if title == account.id else f"{title}  ({account.id})"
        if role == Qt.ItemDataRole.DecorationRole:
            return production_icon() if is_production(account) else blank_icon()
        if role == Qt.ItemDataRole.ToolTipRole:
            return account_tooltip(account)
        return None

    @staticmethod
    def _text(account: Account, column: ChoiceColumn) -> str:
        if column == ChoiceColumn.CUSTOMER:
            return account.origin_owner_name or account.origin_owner_id
        if column == ChoiceColumn.PROVIDER:
            return provider_title(account)
        if column == ChoiceColumn.TYPE:
            return type_word(account)
        return status_words(account)


def _combo(name: str, everything: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(everything, ANY)
    return combo


class AccountChooser(QWidget):
    """The filters, the ticked list and a count; "Select all of" a provider in one click.

    Signals:
        chosen_changed(int): how many accounts are ticked (typed ids included).
    """

    chosen_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AccountChoiceModel(self)
        self.model.chosen_changed.connect(self._changed)

        self.provider_combo = _combo("Provider", "All providers")
        self.owner_edit = QLineEdit()
        self.owner_edit.setPlaceholderText("Customer name or id")
        self.owner_edit.setAccessibleName("Customer")
        self.owner_edit.setClearButtonEnabled(True)
        self.status_combo = _combo("Status", "Any status")
        self.type_combo = _combo("Type", "Any type")
        for combo in (self.provider_combo, self.status_combo, self.type_combo):
            combo.currentIndexChanged.connect(lambda _i: self._filter())
        self.owner_edit.textChanged.connect(lambda _t: self._filter())
        filters = QHBoxLayout()
        for label, widget in (
            ("&Provider", self.provider_combo),
            ("C&ustomer", self.owner_edit),
            ("S&tatus", self.status_combo),
            ("T&ype", self.type_combo),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 1 if widget is self.owner_edit else 0)

        self.table = row_table(
            self.model,
            name="Accounts to send to",
            widths=(
                (ChoiceColumn.ACCOUNT, "Acme - BambooHR sandbox  (acct_bamboohr_sandbox)"),
                (ChoiceColumn.CUSTOMER, "Globex Corporation"),
                (ChoiceColumn.PROVIDER, "Google Drive"),
                (ChoiceColumn.TYPE, "PRODUCTION"),
            ),
            pad=44,
        )
        self.table.setAccessibleDescription("Tick the accounts to send the request to (Space)")

        self.all_of_button = QToolButton()
        self.all_of_button.setText("Select all of")
        self.all_of_button.setToolTip("Tick every account of one provider")
        self.all_of_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.all_of_menu = QMenu(self.all_of_button)
        self.all_of_button.setMenu(self.all_of_menu)
        self.shown_button = QPushButton("Select &shown")
        self.shown_button.setToolTip("Tick every account the filters show")
        self.shown_button.clicked.connect(lambda: self.model.choose(self.model.shown()))
        self.none_button = QPushButton("Select &none")
        self.none_button.clicked.connect(self.clear)
        self.extra_edit = QLineEdit()
        self.extra_edit.setPlaceholderText(
            "More account ids, comma-separated (when the list cannot show them)"
        )
        self.extra_edit.setAccessibleName("More account ids")
        self.extra_edit.textChanged.connect(lambda _t: self._changed())
        self.count_label = QLabel()
        self.count_label.setObjectName("chosenCount")
        picks = QHBoxLayout()
        for button in (self.all_of_button, self.shown_button, self.none_button):
            picks.addWidget(button)
        picks.addWidget(self.count_label, 1)

        self.status_label = QLabel()
        self.status_label.setObjectName("accountsStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(picks)
        layout.addWidget(self.extra_edit)
        self._changed()

    # -- data in ------------------------------------------------------------------------------
    def set_accounts(self, accounts: Iterable[Account]) -> None:
        self.model.set_accounts(accounts)
        every = self.model.accounts()
        self._fill(self.provider_combo, {a.provider: provider_title(a) for a in every})
        self._fill(self.status_combo, {a.status.lower(): a.status.lower() for a in every})
        self._fill(self.type_combo, {a.type.lower(): type_word(a) for a in every})
        self.all_of_menu.clear()
        for key, group in providers(every).items():
            title = provider_title(group[0]) or "no provider"
            action = QAction(f"{title} ({len(group)})", self.all_of_menu)
            action.triggered.connect(lambda _c=False, g=group: self.model.choose(g))
            self.all_of_menu.addAction(action)
            action.setData(key)
        self.all_of_button.setEnabled(bool(every))
        self.set_status("" if every else "This profile lists no linked accounts.")
        self._changed()

    def set_status(self, text: str) -> None:
        """Why the list is empty or loading ("" hides the line)."""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    @staticmethod
    def _fill(combo: QComboBox, values: dict[str, str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for key, title in sorted(values.items(), key=lambda kv: kv[1].lower()):
            if key:
                combo.addItem(title, key)
        found = combo.findData(current)
        combo.setCurrentIndex(max(0, found))
        combo.blockSignals(False)

    # -- choosing -----------------------------------------------------------------------------
    def select_provider(self, provider: str) -> None:
        """Tick every account of ``provider`` (its key, as ``Account.provider``)."""
        self.model.choose(providers(self.model.accounts()).get(provider, []))

    def clear(self) -> None:
        self.model.choose(self.model.accounts(), on=False)
        self.extra_edit.clear()

    def extra_ids(self) -> list[str]:
        known = {a.id for a in self.model.accounts()}
        typed = (p.strip() for p in self.extra_edit.text().replace("\n", ",").split(","))
        return list(dict.fromkeys(p for p in typed if p and p not in known))

    def chosen(self) -> list[Account | str]:
        """The ticked accounts, then the typed ids the list does not know."""
        return [*self.model.chosen_accounts(), *self.extra_ids()]

    def _filter(self) -> None:
        self.model.set_filters(
            provider=self.provider_combo.currentData() or "",
            owner=self.owner_edit.text(),
            status=self.status_combo.currentData() or "",
            account_type=self.type_combo.currentData() or "",
        )

    def _changed(self) -> None:
        accounts = self.model.chosen_accounts()
        count = len(accounts) + len(self.extra_ids())
        production = sum(1 for a in accounts if is_production(a))
        text = f"{count} account{'s' if count != 1 else ''} chosen"
        if production:
            text += f", {production} PRODUCTION"
        self.count_label.setText(text)
        self.chosen_changed.emit(count)
