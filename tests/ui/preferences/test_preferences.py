"""Preferences: each setting takes effect at once in the window and survives a restart."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import DEFAULT_TIMEOUT, RpcRequest
from explorer.store.paths import AppPaths
from explorer.store.settings import Settings
from explorer.ui.app import apply_start_theme
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.preferences.dialog import PreferencesDialog
from explorer.ui.preferences.values import Preferences
from explorer.ui.theme import apply_theme, is_dark

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def system_theme(qapp: QApplication) -> Iterator[QApplication]:
    """Whatever a test forces, the next test starts following the system again."""
    yield qapp
    apply_theme(qapp, dark=None)


def choose(qtbot: QtBot, window: MainWindow, fill: Callable[[PreferencesDialog], None]) -> None:
    """Open Preferences with its shortcut, change it like a user would, press OK."""
    seen: list[PreferencesDialog] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        seen.append(dialog)
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, drive)
    assert QKeySequence("Ctrl+,") in window.preferences_action.shortcuts()
    window.preferences_action.trigger()
    assert seen, "the Preferences dialog did not open"


def stored(home: AppPaths) -> dict[str, object]:
    data = json.loads(home.settings_file.read_text())
    assert isinstance(data, dict)
    return data


def fill_history(window: MainWindow, count: int) -> None:
    for n in range(count):
        window.history.add(Exchange(request=RpcRequest(action=f"action_{n}")))
    window.history_pane.reload()


def test_preferences_is_in_the_file_menu(make_window: WindowFactory) -> None:
    window = make_window()
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert window.preferences_action in file_menu.actions()


def test_history_limit_trims_at_once_and_persists(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    fill_history(window, 5)
    assert len(window.history_pane.shown_entries()) == 5

    choose(qtbot, window, lambda d: d.history_spin.setValue(2))
    window.history_pane.flush()  # the oldest are deleted on the history's thread
    assert [e.action for e in window.history_pane.shown_entries()] == ["action_4", "action_3"]
    assert window.history.limit == 2
    assert stored(home)["history_limit"] == 2
    window.close()

    again = make_window()
    assert again.history.limit == 2
    fill_history(again, 1)
    assert len(again.history.entries()) == 2


def test_no_history_at_all(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    fill_history(window, 2)
    choose(qtbot, window, lambda d: d.history_spin.setValue(0))
    window.history_pane.flush()
    assert window.history_pane.shown_entries() == []
    assert window.history_pane.empty_text().startswith("No history yet")


def test_default_timeout_applies_to_new_requests_and_persists(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    window.editor.load_request(RpcRequest(action="bamboohr_list_employees", timeout=90))
    choose(qtbot, window, lambda d: d.timeout_spin.setValue(12.5))
    # The request being edited keeps its own timeout; a new one starts with the default.
    assert window.editor.draft_request().timeout == 90
    window.new_action.trigger()
    assert window.editor.draft_request().timeout == 12.5
    assert stored(home)["default_timeout"] == 12.5
    window.close()

    again = make_window()
    again.new_action.trigger()
    assert again.editor.draft_request().timeout == 12.5
    assert Preferences.from_settings(Settings(home.settings_file)).default_timeout == 12.5


def test_auto_retry_is_switched_on_and_persists(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    assert not window.response_view.error_panel.auto_retry_check.isChecked()
    choose(qtbot, window, lambda d: d.auto_retry_check.setChecked(True))
    assert window.response_view.error_panel.auto_retry_check.isChecked()
    assert stored(home)["auto_retry"] is True
    window.close()
    again = make_window()
    assert again.response_view.error_panel.auto_retry_check.isChecked()

    # The dialog shows the current choice (also when set from the error panel).
    def check(dialog: PreferencesDialog) -> None:
        assert dialog.auto_retry_check.isChecked()
        dialog.auto_retry_check.setChecked(False)

    choose(qtbot, again, check)
    assert not again.response_view.error_panel.auto_retry_check.isChecked()
    assert stored(home)["auto_retry"] is False


def test_theme_can_be_forced_and_followed_again(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, system_theme: QApplication
) -> None:
    window = make_window()
    light_window = system_theme.palette().color(QPalette.ColorRole.Window)

    choose(qtbot, window, lambda d: d.theme_combo.setCurrentIndex(d.theme_combo.findData("dark")))
    assert is_dark(system_theme)
    assert system_theme.palette().color(QPalette.ColorRole.Window).lightness() < 100
    # The highlighted JSON follows: the editors and response view use the dark style.
    assert window.response_view._dark is True
    assert stored(home)["theme"] == "dark"

    choose(qtbot, window, lambda d: d.theme_combo.setCurrentIndex(d.theme_combo.findData("light")))
    assert not is_dark(system_theme)
    assert stored(home)["theme"] == "light"

    choose(qtbot, window, lambda d: d.theme_combo.setCurrentIndex(d.theme_combo.findData("system")))
    assert stored(home)["theme"] == "system"
    assert system_theme.palette().color(QPalette.ColorRole.Window) == light_window


def test_the_saved_theme_is_used_at_start(system_theme: QApplication, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark"}))
    apply_start_theme(system_theme, Preferences.from_settings(Settings(path)))
    assert is_dark(system_theme)
    # Screenshots force a palette whatever the preference.
    apply_start_theme(system_theme, Preferences.from_settings(Settings(path)), forced=False)
    assert not is_dark(system_theme)


def test_a_hand_broken_settings_file_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"history_limit": -3, "default_timeout": "soon", "theme": "purple"}))
    prefs = Preferences.from_settings(Settings(path))
    assert prefs == Preferences()
    assert prefs.default_timeout == DEFAULT_TIMEOUT and prefs.theme == "system"
