"""The history's list and the buttons under it, as the pane lays them out, and the list's
selection as the user made it.

Built here so the pane keeps to what it does with them (``pane.py``): the table's column
widths come from typical contents, the buttons wrap in a narrow pane, and a selection that a
filter hid comes back when the filter is cleared.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMenu, QTableView, QToolButton, QWidget

from explorer.ui.history.model import Column, HistoryModel
from explorer.ui.widgets import menu_key
from explorer.ui.widgets.flow_layout import FlowLayout
from explorer.ui.widgets.row_table import row_table


def history_table(model: HistoryModel, row_menu: Sequence[QAction], parent: QWidget) -> QTableView:
    """The list of entries: several rows can be selected, sorted by any column (newest
    first at the start), ``row_menu`` on a right click or the Menu key."""
    # Widths from typical contents. The action, what people scan for, gets room for a
    # typical name; in a narrow pane the numbers scroll, not the action.
    view = row_table(
        model,
        name="History",
        widths=(
            (Column.TIME, "27 Nov 14:03"),
            (Column.STATUS, "Connect failed"),
            (Column.ACTION, "greenhouse_create_candidate"),
            (Column.ACCOUNT, "acc_12345678"),
            (Column.DURATION, "12.34 s"),
            (Column.SIZE, "123.4 KB"),
            (Column.NOTE, "#customer-x ticket 4711"),
        ),
        pad=18,
        parent=parent,
    )
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    # Newest first, like the store; a click on another header sorts by that column.
    view.horizontalHeader().setSortIndicator(Column.TIME, Qt.SortOrder.DescendingOrder)
    view.setSortingEnabled(True)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    menu_key.install(view)  # Shift+F10 and the Menu key, at the current entry
    view.setAccessibleDescription(
        "Every request sent, newest first. Enter opens one in the editor, F2 writes a note, "
        "Delete deletes."
    )
    metrics = view.fontMetrics()
    view.horizontalHeader().setMinimumSectionSize(metrics.horizontalAdvance("Size") + 18)
    for action in row_menu:
        view.addAction(action)
    return view


def button_row(
    actions: Sequence[QAction], save_to_collection: QAction, count: QLabel, parent: QWidget
) -> tuple[FlowLayout, list[QToolButton]]:
    """A button for each of ``actions`` (the last one saves, with ``save_to_collection``
    on its arrow), then ``count``; returns the layout and the buttons, in order."""
    buttons = FlowLayout()  # wraps in a narrow pane instead of widening the window
    buttons.setSpacing(4)
    made: list[QToolButton] = []
    for action in actions:
        button = QToolButton(parent)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        buttons.addWidget(button)
        made.append(button)
    button = made[-1]
    # "Save history…" also offers saving the selection into a collection, from its arrow.
    save_menu = QMenu(parent)
    save_menu.addAction(actions[-1])
    save_menu.addAction(save_to_collection)
    button.setMenu(save_menu)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    buttons.addWidget(count)
    return buttons, made


class HeldSelection:
    """The selection as the user made it, kept while a filter (or a new list of rows) hides
    some of it: restoring selects again what is shown of it."""

    def __init__(self, view: QTableView, model: HistoryModel) -> None:
        self._view, self._model = view, model
        self.ids: list[str] = []
        self.current: str | None = None

    def hold(self) -> None:
        """Keep what is selected now (the user chose it)."""
        rows = sorted(self._view.selectionModel().selectedRows(), key=lambda i: i.row())
        self.ids = [e.id for e in (self._model.entry_at(i) for i in rows) if e is not None]
        current = self._model.entry_at(self._view.currentIndex())
        self.current = current.id if current is not None else None

    def hold_only(self, entry_id: str) -> None:
        self.ids, self.current = [entry_id], entry_id

    def restore(self) -> None:
        """Select the held entries again (those still shown), the current one as current."""
        selection = self._view.selectionModel()
        current = self.current
        rows = self._model.rows_of([*self.ids, *([current] if current else [])])
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        chosen = QItemSelection()
        for row in sorted(rows[i] for i in self.ids if i in rows):
            index = self._model.index(row, 0)
            chosen.select(index, index)
        if not chosen.isEmpty():
            selection.select(chosen, flags)
        if current in rows:
            index = self._model.index(rows[current], 0)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    def select(self, entry_id: str) -> bool:
        """Select and reveal one entry; ``False`` if it is unknown or hidden by the filters."""
        row = self._model.row_of(entry_id)
        if row is None:
            return False
        index = self._model.index(row, 0)
        self._view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._view.scrollTo(index)
        return True
