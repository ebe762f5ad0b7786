"""The provider calls of a trace as a table: one row a step, in time order, failures marked."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QStyle

from explorer.core.trace import TraceStep, human_duration
from explorer.ui.theme import is_dark, status_colour
from explorer.ui.widgets.row_table import RowsModel

_Index = QModelIndex | QPersistentModelIndex


class StepColumn(IntEnum):
    NUMBER = 0
    METHOD = 1
    STATUS = 2
    DURATION = 3
    URL = 4


HEADERS = {
    StepColumn.NUMBER: "#",
    StepColumn.METHOD: "Method",
    StepColumn.STATUS: "Status",
    StepColumn.DURATION: "Duration",
    StepColumn.URL: "URL",
}


def status_text(step: TraceStep) -> str:
    if step.status is None:
        return "no answer"
    return f"{step.status} FAILED" if step.failed else str(step.status)


def status_class(step: TraceStep) -> str:
    if step.status is None:
        return "none"
    return f"{min(max(step.status // 100, 1), 5)}xx"


class TraceStepsModel(RowsModel[TraceStep]):
    """A thin adapter over the trace's ``TraceStep`` list.

    A failing step stays in its place in time (the story reads in order) but stands out: red
    and bold status, a warning icon, and "FAILED" in the text a screen reader reads.
    """

    headers = HEADERS

    def set_rows(self, steps: list[TraceStep]) -> None:
        self.beginResetModel()
        self._rows = list(steps)
        self.endResetModel()

    def step(self, row: int) -> TraceStep | None:
        return self.row(row)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        step = self.step(index.row()) if index.isValid() else None
        if step is None:
            return None
        column = StepColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(step, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return step.line()
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(step, column) + (" (failed)" if step.failed else "")
        if role == Qt.ItemDataRole.ForegroundRole and column == StepColumn.STATUS:
            return status_colour(status_class(step), is_dark())
        if role == Qt.ItemDataRole.FontRole and step.failed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == StepColumn.NUMBER and step.failed:
            style = QApplication.style()
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            StepColumn.STATUS,
            StepColumn.DURATION,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(step: TraceStep, column: StepColumn) -> str:
        if column == StepColumn.NUMBER:
            return str(step.number)
        if column == StepColumn.METHOD:
            return step.method or "?"
        if column == StepColumn.STATUS:
            return status_text(step)
        if column == StepColumn.DURATION:
            return human_duration(step.duration_ms)
        return step.url
