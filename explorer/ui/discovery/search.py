"""Search actions: find an action by what it should do ("send a Slack message"), with
StackOne's ``POST /actions/search``, and put the one picked into the action field.

It drops down below the action field (Alt+Down or F4 there, the "Search…" button, or
Request > Search actions…). The search itself runs on discovery's pool
(``DiscoveryService.search``); this popup only asks and lists. Keyboard first: type, Enter
searches, Up and Down choose, Enter picks, Esc closes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.accessibility import announce, name_clear_button
from explorer.ui.discovery.model import VALUE_ROLE, muted_css
from explorer.ui.widgets.driven_list import DrivenList

if TYPE_CHECKING:
    from explorer.core.action_search import ActionMatch

_Index = QModelIndex | QPersistentModelIndex
HINT = "Describe what the action should do, then press Enter."


# Mid grey: reads on the light and the dark palette alike.
def match_line(match: ActionMatch) -> str:
    """One result row: the action name, its label, its connector and how well it matched."""
    facts = [match.name]
    if match.label and match.label != match.name:
        facts.append(match.label)
    if match.connector_key and not match.name.startswith(match.connector_key):
        facts.append(match.connector_key)
    if match.score is not None:
        facts.append(f"{match.score:.0%} match")
    return " · ".join(facts)


class MatchesModel(QAbstractListModel):
    """The matches of the last search, best first (a thin adapter over a plain list)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ActionMatch] = []

    def set_rows(self, rows: Iterable[ActionMatch]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ActionMatch]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        match = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return match_line(match)
        if role == Qt.ItemDataRole.ToolTipRole:
            return match.description or match.label or match.name
        if role == VALUE_ROLE:
            return match.name
        return None


class ActionSearchPopup(QFrame):
    """A search field and the matching actions, dropping down below the action field.

    Signals:
        search_requested(str, str): the query and the connector to search in ("" for all).
        chosen(str): the action name picked.
    """

    search_requested = Signal(str, str)
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("actionSearchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = MatchesModel(self)
        self._answered = ""  # the query the list answers ("" while it answers none)
        self._connector = ""
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText("What should the action do? e.g. send a message")
        self.query_edit.setAccessibleName("Search actions")
        self.query_edit.setAccessibleDescription(
            "Describe what the action should do; Enter searches StackOne's actions, Up and "
            "Down choose a match, Enter puts it in the action field, Esc closes"
        )
        self.query_edit.setClearButtonEnabled(True)
        name_clear_button(self.query_edit, "Clear the action search")
        self.search_button = QToolButton()
        self.search_button.setText("Search")
        self.search_button.setToolTip("Search StackOne's actions for this description (Enter)")
        self.search_button.clicked.connect(self.search)
        self.connector_check = QCheckBox()
        self.connector_check.setChecked(True)
        self.connector_check.setVisible(False)
        self.connector_check.toggled.connect(self._on_scope)
        # Up/Down move in the list while the typing stays in the field; Enter picks or searches.
        self.view = DrivenList(
            self.query_edit,
            self.model,
            name="Matching actions",
            elide=Qt.TextElideMode.ElideRight,
            choose=self._choose,
            enter=self._on_enter,
        )
        self.status_label = QLabel(HINT)
        self.status_label.setStyleSheet(f"color: {muted_css()};")
        self.status_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.query_edit, 1)
        row.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.connector_check)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)

    # -- showing -----------------------------------------------------------------------------
    def open_below(self, anchor: QWidget, query: str = "", connector: str = "") -> None:
        """Show under ``anchor``, the field holding ``query`` (selected, so typing replaces
        it); ``connector`` (the account's) offers to search only its actions."""
        self._connector = connector
        self.connector_check.blockSignals(True)
        self.connector_check.setChecked(True)
        self.connector_check.blockSignals(False)
        self.connector_check.setText(f"Only {connector} actions (this account's connector)")
        self.connector_check.setVisible(bool(connector))
        self.query_edit.setText(query)
        self.query_edit.selectAll()
        self.view.setFixedHeight(8 * max(self.view.sizeHintForRow(0), 18) + 4)
        self.resize(max(anchor.width(), 520), self.sizeHint().height())
        self.move(anchor.mapToGlobal(anchor.rect().bottomLeft()))
        self.show()
        self.query_edit.setFocus()

    def connector(self) -> str:
        """The connector to search in: the account's when the box is ticked, else all."""
        return self._connector if self.connector_check.isChecked() else ""

    # -- searching ---------------------------------------------------------------------------
    def search(self) -> None:
        """Ask for the matches of the field's text (nothing for an empty field)."""
        query = self.query_edit.text().strip()
        if not query:
            self.set_status(HINT)
            return
        self._answered = ""
        self.set_status(f"Searching for “{query}”…")
        self.search_requested.emit(query, self.connector())

    def _on_scope(self, _checked: bool) -> None:
        """Another scope: the list no longer answers the question, so ask again."""
        self._answered = ""
        if self.isVisible() and self.query_edit.text().strip():
            self.search()

    def show_matches(self, query: str, matches: list[ActionMatch]) -> None:
        """The answer to ``query``: listed, the best one current, the count said."""
        self.model.set_rows(matches)
        self._answered = query
        if matches:
            self.view.setCurrentIndex(self.model.index(0, 0))
            count = f"{len(matches)} action{'s' if len(matches) != 1 else ''}"
            self.set_status(f"{count} for “{query}”: Up and Down choose, Enter picks.")
        else:
            self.set_status(f"No action matches “{query}”: try other words.")
        announce(self, self.status_label.text())

    def show_failure(self, text: str, detail: str = "") -> None:
        self._answered = ""
        self.set_status(text, detail)
        announce(self, text, assertive=True)

    def set_status(self, text: str, tooltip: str = "") -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(tooltip)

    def names(self) -> list[str]:
        """The listed action names, best first (for tests and keyboard users alike)."""
        return [match.name for match in self.model.rows()]

    # -- keys --------------------------------------------------------------------------------
    def _on_enter(self, index: QModelIndex) -> None:
        """Enter in the field: pick the current match when the list answers what is typed,
        else search."""
        answered = self._answered and self._answered == self.query_edit.text().strip()
        if answered and index.isValid():
            self._choose(index)
        else:
            self.search()

    def _choose(self, index: QModelIndex) -> None:
        name = self.model.data(index, VALUE_ROLE)
        if isinstance(name, str) and name:
            self.hide()
            self.chosen.emit(name)
