"""Unchecked "Secret" boxes stand out in the dark theme too.

Issue 8, item 10: in dark mode an unchecked box in the environments table was drawn in almost
the colour of the table, so it could not be found.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import MemoryCredentials
from explorer.ui import theme
from explorer.ui.collections.environments_dialog import EnvironmentsDialog

pytestmark = pytest.mark.gui

# Lightness steps (0-255) between the box's outline and the table behind it: WCAG asks 3:1
# for the parts of a control; a difference this size is comfortably visible on either theme.
MIN_STEP = 45


@pytest.fixture(params=[True, False], ids=["dark", "light"])
def themed(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[bool]:
    palette, style = QPalette(qapp.palette()), qapp.style().name()
    override = qapp.property(theme._OVERRIDE_PROPERTY)
    theme.apply_theme(qapp, dark=request.param)
    yield request.param
    qapp.setProperty(theme._OVERRIDE_PROPERTY, override)
    qapp.setStyle(style)
    qapp.setPalette(palette)


def test_an_unchecked_secret_box_is_visible(qtbot: QtBot, tmp_path: Path, themed: bool) -> None:
    store = CollectionStore.create(tmp_path / "team", "Team", credentials=MemoryCredentials())
    store.set_environment(Environment("dev", variables={"account": "acct_1"}))
    dialog = EnvironmentsDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    table = dialog.table
    index = table.model().index(0, 2)
    option = QStyleOptionViewItem()
    option.initFrom(table.viewport())
    option.rect = table.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = table.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table
    )
    image = table.viewport().grab(box.adjusted(-2, -2, 2, 2)).toImage()
    background = QColor(image.pixel(0, 0)).lightness()
    darkest_or_lightest = max(
        abs(QColor(image.pixel(x, y)).lightness() - background)
        for x in range(image.width())
        for y in range(image.height())
    )
    assert darkest_or_lightest >= MIN_STEP, "the box's outline is lost in the table"
