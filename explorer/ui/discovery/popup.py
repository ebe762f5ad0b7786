"""The account picker: a filterable list of linked accounts under the account field."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.accessibility import name_clear_button
from explorer.ui.discovery.model import SEARCH_ROLE, VALUE_ROLE, AccountsModel, muted_css
from explorer.ui.widgets.driven_list import DrivenList


class AccountPopup(QFrame):
    """A filterable list of linked accounts that drops down below the account field.

    Typing filters (any part of the label, provider, id, owner or status); Enter or a click
    picks, Esc closes. Unusable accounts are listed last and marked, not hidden.

    Signals:
        chosen(str): the account id picked.
        reload_requested(): the user asked to list the accounts again.
    """

    chosen = Signal(str)
    reload_requested = Signal()

    def __init__(self, model: AccountsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("accountPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._model = model
        self._anchor: QWidget | None = None
        model.modelReset.connect(lambda: self._fit() if self.isVisible() else None)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter accounts: name, customer, provider, id…")
        self.filter_edit.setAccessibleName("Filter accounts")
        self.filter_edit.setAccessibleDescription(
            "Type to filter; Up and Down choose, Enter picks, Esc closes"
        )
        self.filter_edit.setClearButtonEnabled(True)
        name_clear_button(self.filter_edit, "Clear the account filter")
        self.filter_edit.textChanged.connect(self._on_filter)
        # Arrow keys and Enter act on the list while the typing stays in the filter field.
        self.view = DrivenList(
            self.filter_edit,
            self.proxy,
            name="Linked accounts",
            elide=Qt.TextElideMode.ElideMiddle,
            choose=self._choose,
            enter=self._pick,
        )
        self.status_label = QLabel()
        self.status_label.setStyleSheet(f"color: {muted_css()};")
        self.status_label.setWordWrap(True)
        self.reload_button = QToolButton()
        self.reload_button.setText("Reload")
        self.reload_button.setToolTip("List this profile's accounts again")
        self.reload_button.setAutoRaise(True)
        self.reload_button.clicked.connect(self.reload_requested)
        footer = QHBoxLayout()
        footer.addWidget(self.status_label, 1)
        footer.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        self._layout = layout
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

    def set_status(self, text: str, tooltip: str = "") -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(tooltip)

    def open_below(self, anchor: QWidget, current: str = "") -> None:
        """Show under ``anchor`` with an empty filter and ``current`` selected if listed."""
        self.filter_edit.clear()
        self._select(current)
        self._anchor = anchor
        self._fit()
        self.move(anchor.mapToGlobal(anchor.rect().bottomLeft()))
        self.show()
        self.filter_edit.setFocus()

    def _fit(self) -> None:
        """Size to the accounts; with none (failed, loading) only the filter and status show."""
        anchor = self._anchor
        if anchor is None:
            return
        self.view.setVisible(self._model.rowCount() > 0)
        # Wide enough for the longest line (up to a limit), tall enough for up to ten rows.
        frame = 2 * self.view.frameWidth()
        margins = self._layout.contentsMargins()
        text_width = self.view.sizeHintForColumn(0) + frame + margins.left() + margins.right()
        width = min(max(anchor.width(), 460, text_width + 8), 820)
        rows = min(max(self.proxy.rowCount(), 3), 10)
        self.view.setFixedHeight(rows * max(self.view.sizeHintForRow(0), 18) + frame)
        self._layout.activate()
        self.resize(width, self.sizeHint().height())

    def visible_ids(self) -> list[str]:
        """The ids the filter leaves, top to bottom (for tests and keyboard users alike)."""
        return [
            str(self.proxy.data(self.proxy.index(row, 0), VALUE_ROLE))
            for row in range(self.proxy.rowCount())
        ]

    def _pick(self, index: QModelIndex) -> None:
        """Enter in the filter: the current account, else the first one listed."""
        if not index.isValid() and self.proxy.rowCount():
            index = self.proxy.index(0, 0)
        if index.isValid():
            self._choose(index)

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def _select(self, account_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, VALUE_ROLE) == account_id:
                self.view.setCurrentIndex(index)
                return
        self.view.setCurrentIndex(QModelIndex())

    def _choose(self, index: QModelIndex) -> None:
        account_id = self.proxy.data(index, VALUE_ROLE)
        if isinstance(account_id, str) and account_id:
            self.hide()
            self.chosen.emit(account_id)
