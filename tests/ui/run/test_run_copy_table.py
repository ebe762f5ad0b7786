"""Copy table gives the run as the dialog showed it, including its time.

Issue 8, item 10: "Copy table" after a run stated 5.79 s where the dialog said 0.02 s (it timed
the run up to the click).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from explorer.store.credentials import MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.smoke_collection import create_smoke_collection
from tests.ui.production import answer

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
SECONDS = re.compile(r"in (\d+\.\d\d) s\)")


def test_copy_table_states_the_time_the_dialog_shows(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    create_smoke_collection(home.collections_dir / "smoke", credentials=credentials)
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    pane.view.setCurrentIndex(pane.model.index(0, 0))
    assert pane.environment.set_active("demo")
    pane.run_collection_action.trigger()
    answer(qtbot, window, yes=True)  # the smoke collection writes to a production account
    dialog = window.run_control.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    shown = SECONDS.findall(dialog.summary_label.text())
    assert len(shown) == 1

    qtbot.wait(1200)  # the user reads the results before copying them
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert SECONDS.findall(copied) == shown
    assert dialog.summary_label.text() in copied
