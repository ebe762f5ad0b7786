"""Where the window's commands appear: the menu bar and the profile toolbar.

What each command does is its feature's; the window creates the actions (with their
shortcuts) and these functions only arrange them, so a command is found where a user of
Postman or Insomnia would look for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QToolBar

from explorer.ui.accessibility import name_toolbar_extension

if TYPE_CHECKING:
    from explorer.ui.mainwindow.window import MainWindow


def build_menu_bar(window: MainWindow) -> None:
    """File, Request, View and Help, each action with its shortcut written beside it."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for action in (window.new_action, window.close_tab_action, window.reopen_tab_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    for action in (window.import_curl_action, window.copy_curl_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(window.save_action)
    file_menu.addAction(window.save_as_action)
    file_menu.addSeparator()
    file_menu.addAction(window.save_history_action)
    file_menu.addAction(window.history_pane.clear_action)
    file_menu.addSeparator()
    file_menu.addAction(window.preferences_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    request_menu = bar.addMenu("&Request")
    for action in (*window.send_control.actions(), window.format_action, window.new_action):
        request_menu.addAction(action)
    request_menu.addSeparator()
    request_menu.addAction(window.search_actions_action)
    request_menu.addAction(window.pick_account_action)
    request_menu.addAction(window.fill_schema_action)
    request_menu.addAction(window.reload_discovery_action)
    request_menu.addSeparator()
    request_menu.addActions(window.support.actions())
    request_menu.addSeparator()
    request_menu.addAction(window.profiles_action)
    view_menu = bar.addMenu("&View")
    for action in (
        window.find_action,
        window.focus_history_action,
        window.focus_editor_action,
        window.focus_response_action,
        window.focus_collections_action,
        window.next_tab_action,
        window.previous_tab_action,
        window.stack_action,
    ):
        view_menu.addAction(action)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(window.catalogue_action)
    help_menu.addAction(window.about_action)


def build_toolbar(window: MainWindow) -> QToolBar:
    """The profile choice and the commands used most; each is also in a menu."""
    toolbar = QToolBar("Profile")
    toolbar.setObjectName("profileToolbar")
    toolbar.setMovable(False)
    toolbar.addWidget(window.profile_selector.label)
    toolbar.addWidget(window.profile_selector.combo)
    toolbar.addAction(window.profiles_action)
    toolbar.addSeparator()
    toolbar.addAction(window.send_control.send_action)
    toolbar.addAction(window.send_control.cancel_action)
    toolbar.addAction(window.import_curl_action)
    # Its buttons take no Tab focus (as in every toolbar); each is in a menu with its key.
    name_toolbar_extension(toolbar)
    return toolbar
