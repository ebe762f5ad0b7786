"""The history's filters: words to find, and a status class, an action or an account.

The words search action, account, status, request id, profile and notes (``#tag`` the start
of a tag); the three boxes offer what the history holds, and keep the user's choice while it
still exists when entries come and go.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.store.history import HistoryFilter
from explorer.ui.accessibility import name_clear_button

# (label, status class) for the status filter; None means "any".
STATUS_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("All statuses", None),
    ("2xx", "2xx"),
    ("4xx", "4xx"),
    ("5xx", "5xx"),
    ("No response", "none"),
)
ALL_ACTIONS = "All actions"
ALL_ACCOUNTS = "All accounts"
NO_ACCOUNT = "(no account)"


class HistoryFilters(QWidget):
    """The filter box and the Status, Action and Account choices above the history list.

    Signals:
        changed(): the user changed a filter.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Filter history")
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip(
            "Search action, account, status, request id, profile and notes; #tag finds tags"
        )
        self.edit.setAccessibleName("Filter history")
        name_clear_button(self.edit, "Clear the history filter")
        self.edit.textChanged.connect(lambda _text: self.changed.emit())

        self.status_combo = QComboBox(self)
        self.status_combo.setToolTip("Show only responses of one status class")
        for label, value in STATUS_FILTERS:
            self.status_combo.addItem(label, value)
        self.action_combo = QComboBox(self)
        self.action_combo.setToolTip("Show only one action")
        self.account_combo = QComboBox(self)
        self.account_combo.setToolTip("Show only one account")
        for combo in self.combos():
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(3)  # a narrow pane cuts the text, not the window
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())

        # Each filter box has a label (its buddy), so a screen reader says "Status: 2xx",
        # not just "2xx". (No mnemonics: their letters are taken by the editor and response.)
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(0)
        for place, (caption, combo) in enumerate(
            (
                ("Status", self.status_combo),
                ("Action", self.action_combo),
                ("Account", self.account_combo),
            )
        ):
            buddy = QLabel(caption, self)
            buddy.setBuddy(combo)
            grid.addWidget(buddy, 0, place)
            grid.addWidget(combo, 1, place)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        layout.addLayout(grid)

    def combos(self) -> list[QComboBox]:
        return [self.status_combo, self.action_combo, self.account_combo]

    def current(self) -> HistoryFilter:
        """What the filters ask for now."""
        return HistoryFilter(
            text=self.edit.text().strip(),
            status_class=self.status_combo.currentData() or None,
            action=self.action_combo.currentData() or None,
            # An empty account id is a real value (sent without one): only None is "any".
            account=self.account_combo.currentData(),
        )

    def offer(self, actions: Iterable[str], accounts: Iterable[str]) -> None:
        """The actions and accounts to choose from (the model's names, each once)."""
        _refill(self.action_combo, ALL_ACTIONS, [(a, a) for a in actions])
        _refill(self.account_combo, ALL_ACCOUNTS, [(a or NO_ACCOUNT, a) for a in accounts])


def _refill(combo: QComboBox, all_label: str, items: list[tuple[str, str]]) -> None:
    """Replace a combo's items but keep the user's choice while it still exists."""
    current = combo.currentData()
    combo.blockSignals(True)
    try:
        combo.clear()
        combo.addItem(all_label, None)
        for label, value in items:
            combo.addItem(label, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))  # back to "All" if the value vanished
    finally:
        combo.blockSignals(False)
