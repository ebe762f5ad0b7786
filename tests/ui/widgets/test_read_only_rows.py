"""The result tables' rows are chosen whole and never edited: the compare window's changes
and the Defender window's findings both say so through Qt's table model (one definition,
``QAbstractTableModel.flags``), so a view can select a row but offers no editor."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from explorer.core.compare import CHANGED, Change
from explorer.core.defender_check import Detection
from explorer.ui.compare.model import ChangesModel
from explorer.ui.defender.window import DetectionsModel

pytestmark = pytest.mark.gui

READ_ONLY_ROW = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


def changes() -> QAbstractTableModel:
    model = ChangesModel()
    model.set_rows([Change(CHANGED, ("data", 0, "name"), "Ada", "Ada L.")])
    return model


def detections() -> QAbstractTableModel:
    model = DetectionsModel()
    model.set_rows([Detection("$['data'][0]['note']", 1, "high", "ignore_previous")])
    return model


@pytest.mark.parametrize("make", [changes, detections], ids=["changes", "detections"])
def test_every_cell_is_selectable_and_none_is_editable(
    make: Callable[[], QAbstractTableModel],
) -> None:
    model = make()
    assert model.rowCount() == 1
    for column in range(model.columnCount()):
        assert model.flags(model.index(0, column)) == READ_ONLY_ROW
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
