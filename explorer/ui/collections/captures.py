"""A saved request's captures, listed and edited: "Captures…" in its context menu.

Each row is a variable name and the RFC 9535 JSONPath that takes its value from the
request's response in a run (``core.captures``); "Set variable…" on a response adds one from
a click. Only names and paths are written to the request's file, and only when every row is
valid: a wrong one is named and nothing is saved until it is fixed or removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.captures import Capture
from explorer.ui.widgets.modal import run_modal

if TYPE_CHECKING:
    from explorer.store.collections import SavedRequest
    from explorer.ui.collections.pane import CollectionsPane


class CapturesDialog(QDialog):
    """Name and path per row; Add, Remove; Save checks every row first."""

    def __init__(self, saved: SavedRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Captures of '{saved.name}'")
        intro = QLabel(
            "After this request meets its expected status in a run, each capture takes the "
            "first value its JSONPath selects in the response; the requests after it use it "
            "as {{name}}. Only names and paths are saved, never a value."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Name", "JSONPath (RFC 9535)"])
        self.table.setAccessibleName("Captures")
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, self.fontMetrics().horizontalAdvance("employee_name_x") + 24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for capture in saved.captures:
            self._add_row(capture.name, capture.path)
        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(self._add_new)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self._remove)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setObjectName("capturesProblem")
        self.problem_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        self.resize(640, 320)

    def captures(self) -> list[Capture]:
        return [Capture(*self._row(r)) for r in range(self.table.rowCount()) if any(self._row(r))]

    def problem(self) -> str | None:
        """What keeps the captures from being saved (the first one), naming the row."""
        names: set[str] = set()
        for index, capture in enumerate(self.captures(), start=1):
            why = capture.problem()
            if why is None and capture.name in names:
                why = "that name is captured twice"
            if why is not None:
                return f"Row {index} ({capture.name or 'no name'}): {why}"
            names.add(capture.name)
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.problem_label.setText(problem)
            self.problem_label.show()
            return
        super().accept()

    def _row(self, row: int) -> tuple[str, str]:
        cells = [self.table.item(row, column) for column in (0, 1)]
        name, path = (cell.text().strip() if cell is not None else "" for cell in cells)
        return name, path

    def _add_row(self, name: str, path: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(path))

    def _add_new(self) -> None:
        self._add_row("", "$.data[0].id")
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, 0)
        item = self.table.item(row, 0)
        if item is not None:
            self.table.editItem(item)

    def _remove(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows or [self.table.currentRow()]:
            if row >= 0:
                self.table.removeRow(row)


def edit_captures(pane: CollectionsPane, saved: SavedRequest) -> bool:
    """Show the dialog for ``saved`` and write what was saved; True when written."""
    dialog = CapturesDialog(saved, pane.window())
    if not run_modal(dialog):
        return False
    saved.captures = dialog.captures()
    return pane.save_captures(saved)
