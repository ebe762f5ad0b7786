"""Screen reader and keyboard: every interactive object is named, in the window, its dialogs and
the response views, and each dialog can be walked with Tab without a trap.

The tree is Qt's accessibility interface, the one Qt's AT-SPI bridge hands to Orca (see
``accessible_tree.py``); ``test_atspi.py`` reads the real bridge from outside the process.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QToolBar, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.credentials import MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.accessible_tree import interactive_count, unnamed
from tests.ui.driving import collection_plan, send_example
from tests.ui.keyboard import cycle_problems, describe, focused, press

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
WindowFactory = Callable[..., MainWindow]


def team(home: AppPaths, credentials: MemoryCredentials) -> CollectionStore:
    store = CollectionStore.create(home.collections_dir / "team", "Team", credentials=credentials)
    store.save_request(
        SavedRequest(
            name="List employees",
            request=RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo"),
        )
    )
    store.set_environment(Environment("dev", variables={"account": "acct_bamboohr_demo"}))
    return store


def check_modal(qtbot: QtBot, open_it: Callable[[], object]) -> dict[str, list[str]]:
    """Open a modal dialog with ``open_it`` and, while it runs, name-check its tree and walk
    it with Tab; then close it. Returns the problems found, by dialog title."""
    found: dict[str, list[str]] = {}
    waits = [0]

    def inspect() -> None:
        dialog = QApplication.activeModalWidget()
        waits[0] += 1
        if dialog is None or (not dialog.isActiveWindow() and waits[0] < 100):
            QTimer.singleShot(20, inspect)  # shown and given focus, as a user first sees it
            return
        title = dialog.windowTitle() or type(dialog).__name__
        try:
            problems = unnamed(dialog)
            start = QApplication.focusWidget()
            if start is None or start.window() is not dialog:
                problems.append("nothing in the dialog has focus when it opens")
            else:
                problems += cycle_problems(qtbot, dialog)
        except Exception as exc:  # reported after exec() returns, not lost in the event loop
            problems = [f"check failed: {exc!r}"]
        found[title] = problems
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()

    QTimer.singleShot(0, inspect)
    open_it()
    assert found, "no dialog opened"
    return found


def test_every_interactive_object_of_the_window_is_named(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    team(home, credentials)
    window = make_window()
    assert interactive_count(window) > 100  # the walk reaches the whole window
    assert unnamed(window) == []

    # After a Send whose error lists the provider's errors, with the find bar open.
    send_example(
        qtbot, window, action="workday_list_workers", account_id="acct_workday_demo", query=None
    )
    assert window.response_view.error_panel.provider_table.isVisible()
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.response_view.find_bar.isVisible()
    assert unnamed(window) == []
    # ...after a plain 200, and with a notice whose button suggests what to do.
    send_example(qtbot, window)
    window.session_keys.delete("Demo")
    window.send_control.send()  # the key is read off the UI thread, and there is none
    qtbot.waitUntil(window.banner.action_button.isVisible)
    assert window.banner.action_button.accessibleName() == "Manage profiles"
    assert unnamed(window) == []


def test_history_filters_and_find_fields_say_what_they_are(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    pane = window.history_pane
    assert pane.filters.edit.accessibleName() == "Filter history"
    # The combo boxes are read with their label: "Status: All statuses".
    for combo, label in (
        (pane.filters.status_combo, "Status"),
        (pane.filters.action_combo, "Action"),
        (pane.filters.account_combo, "Account"),
    ):
        buddies = [w for w in pane.findChildren(QLabel) if w.buddy() is combo]
        assert [w.text() for w in buddies] == [label]
    find = window.response_view.find_bar
    assert find.edit.accessibleName() == "Find in response"
    assert [b.accessibleName() for b in find.buttons] == [
        "Previous match",
        "Next match",
        "Close the find bar",
    ]


def test_dialogs_name_every_control_and_tab_round_them(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    team(home, credentials)
    window = make_window()
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    pane.view.setCurrentIndex(pane.model.index(0, 0))
    send_example(qtbot, window)  # an entry in the history, to write a note on

    found: dict[str, list[str]] = {}
    for open_it in (
        window.history_pane.note_action.trigger,
        window.import_curl_action.trigger,
        window.preferences_action.trigger,
        window.profiles_action.trigger,
        window.catalogue_action.trigger,
        window.about_action.trigger,
        window.save_as_action.trigger,
        pane.environments_action.trigger,
        pane.library.new_collection_action.trigger,
        pane.transfer.import_curl_action.trigger,
    ):
        found |= check_modal(qtbot, open_it)
    assert len(found) == 10, sorted(found)
    assert {title: problems for title, problems in found.items() if problems} == {}


def test_the_account_picker_action_search_and_run_dialog_are_named_and_walkable(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    team(home, credentials)
    window = make_window()

    window.editor.account_edit.setFocus()
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = window.discovery_controls.popup
    qtbot.waitUntil(popup.isVisible)
    assert unnamed(popup) == []
    assert focused() is popup.filter_edit
    press(qtbot, Qt.Key.Key_Escape)
    # The action search drops down the same way under the action field.
    window.editor.action_edit.setFocus()
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    search = window.discovery_controls.search_popup
    qtbot.waitUntil(search.isVisible)
    assert unnamed(search) == []
    assert focused() is search.query_edit
    press(qtbot, Qt.Key.Key_Escape)

    plan = collection_plan(window)
    window.run_control.run(plan)
    # The production guard may first wait a moment for the account list (it reads, so no
    # question follows).
    qtbot.waitUntil(lambda: window.run_control.dialog is not None, timeout=WAIT_MS)
    dialog = window.run_control.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert unnamed(dialog) == []
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    dialog.table.setFocus()
    assert cycle_problems(qtbot, dialog) == []
    dialog.close()


def test_toolbar_buttons_are_in_menus_with_their_shortcut_shown(
    make_window: WindowFactory,
) -> None:
    """Toolbar buttons take no Tab focus (as in every toolbar): each is reachable from the
    menu bar, where its shortcut is written beside it."""
    window = make_window()
    toolbar = window.findChild(QToolBar, "profileToolbar")
    assert toolbar is not None
    in_menus = {
        action
        for menu in window.menuBar().findChildren(QWidget)
        for action in menu.actions()
        if not action.isSeparator()
    }
    buttons = [b for b in toolbar.findChildren(QToolButton) if b.defaultAction() is not None]
    assert {b.defaultAction().text() for b in buttons} >= {
        "&Send",
        "&Cancel",
        "&Import curl…",
        "&Manage profiles…",
    }
    for button in buttons:
        action = button.defaultAction()
        assert action in in_menus, action.text()
        assert not action.shortcut().isEmpty(), f"{action.text()} has no shortcut"
    # Pick… and Fill from schema are Tab stops beside their field, and in the Request menu;
    # the action search is in the menu (and Alt+Down in the action field).
    controls = window.discovery_controls
    for widget in (controls.pick_button, controls.fill_button):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, describe(widget)
    texts = {action.text() for action in in_menus if isinstance(action, QAction)}
    assert {"Search ac&tions…", "&Pick a linked account…", "Fill inputs from sc&hema"} <= texts


def test_focus_starts_on_action_or_on_the_history_filter(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    assert focused() is window.editor.action_edit
    send_example(qtbot, window)
    window.close()
    # With history, the next start puts the user where they left off: finding an exchange.
    again = make_window()
    assert focused() is again.history_pane.filters.edit
