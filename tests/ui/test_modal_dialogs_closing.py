"""A modal dialog, once closed, is deleted there and then, not whenever Python's garbage
collector next runs.

PySide hands a dialog to Python when ``exec()`` returns; a dialog in reference cycles (its
slots, a keyring read still pending) was left to the collector, which deletes it at whatever
allocation happens to run it. Once that was inside a loop over the window's children (closing
the window: ``wait_for_pools``), which then read the deleted Manage profiles dialog: a crash at
exit. Every dialog the window runs modally goes through ``run_modal``; these open each as a
person does (its menu action, or the function behind it) and close it with Escape.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from explorer.store.collections import CollectionStore
from explorer.store.paths import AppPaths
from explorer.ui.collections.environments_dialog import EnvironmentsDialog
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.preferences.dialog import PreferencesDialog
from explorer.ui.profiles.dialog import ProfilesDialog
from explorer.ui.request.curl_dialog import CurlDialog
from explorer.ui.request.curl_import import ask_curl_command
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


def _profiles(window: MainWindow) -> None:
    window.profile_selector.manage()


def _preferences(window: MainWindow) -> None:
    window.show_preferences()


def _curl(window: MainWindow) -> None:
    assert ask_curl_command(window) is None  # Escape: nothing imported


def _environments(window: MainWindow) -> None:
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    pane.view.setCurrentIndex(pane.model.index(0, 0))
    pane.environments_action.trigger()


DIALOGS: dict[str, tuple[Callable[[MainWindow], None], type[QDialog]]] = {
    "Manage profiles": (_profiles, ProfilesDialog),
    "Preferences": (_preferences, PreferencesDialog),
    "Import curl": (_curl, CurlDialog),
    "Environments": (_environments, EnvironmentsDialog),
}


@pytest.mark.usefixtures("no_collector")
@pytest.mark.parametrize("name", list(DIALOGS))
def test_closing_a_modal_dialog_deletes_it(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, name: str
) -> None:
    open_it, kind = DIALOGS[name]
    CollectionStore.create(home.collections_dir / "team", "Team")
    window = make_window()
    with answering(press(Qt.Key.Key_Escape)) as seen:
        open_it(window)
    assert [dialog.kind for dialog in seen] == [kind.__name__]
    qtbot.waitUntil(lambda: not window.findChildren(kind))
