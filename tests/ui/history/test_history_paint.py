"""What the history list's paint asks of Python: the status colours follow the theme, and
the theme is asked once, not once a painted status cell (each answer reads the application's
palette and style hints: 20-80 µs a cell in the window's first frame)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from explorer.ui import theme
from explorer.ui.history.model import Column, HistoryModel
from explorer.ui.history.table import history_table
from tests.ui.widgets.test_lists_painted_in_one_call import history_rows

pytestmark = pytest.mark.gui


def calls_of(function: Callable[..., Any], during: Callable[[], object]) -> int:
    """How many times ``function`` ran while ``during`` ran (from anywhere)."""
    code = function.__code__
    count = 0

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal count
        if event == "call" and frame.f_code is code:
            count += 1

    sys.setprofile(profile)
    try:
        during()
    finally:
        sys.setprofile(None)
    return count


def test_a_repaint_of_the_history_asks_the_theme_once_and_follows_its_changes(
    qtbot: QtBot, qapp: QApplication
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    model = HistoryModel(parent)
    model.set_rows(history_rows())
    view = history_table(model, (), parent)
    view.resize(900, 500)
    parent.resize(900, 500)
    parent.show()
    qtbot.waitExposed(parent)
    status = model.index(0, Column.STATUS)
    colour = Qt.ItemDataRole.ForegroundRole
    try:
        for dark in (True, False, True):
            theme.apply_theme(qapp, dark=dark)
            qtbot.wait(10)  # the view laid out, the palette's change handled
            asked = calls_of(theme.is_dark, view.viewport().repaint)
            assert asked <= 1  # ~20 status cells painted
            assert model.data(status, colour) == theme.status_colour(
                model.entry(0).status_class, dark
            )
        # Painted again with nothing changed: the theme is not asked again.
        assert calls_of(theme.is_dark, view.viewport().repaint) == 0
    finally:
        theme.apply_theme(qapp, dark=False)
        theme.apply_theme(qapp)  # back to following the system, light as before
