"""Manage profiles, once closed, is deleted there and then, not whenever Python's garbage
collector next runs.

PySide hands a dialog to Python when ``exec()`` returns; the profiles dialog is in reference
cycles (its slots), so it was left to the collector, which deletes it at whatever allocation
happens to run it. Once that was inside a loop over the window's children (closing the window:
``wait_for_pools``), which then read the deleted dialog: a crash at exit.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.profiles.dialog import ProfilesDialog
from tests.ui.modals import answering, press

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def no_collector() -> Iterator[None]:
    """The collector off: only the app may decide when the dialog goes."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("no_collector")
def test_closing_manage_profiles_deletes_the_dialog(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    with answering(press(Qt.Key.Key_Escape)) as seen:
        window.profile_selector.manage()
    assert [dialog.kind for dialog in seen] == ["ProfilesDialog"]
    qtbot.waitUntil(lambda: not window.findChildren(ProfilesDialog))
