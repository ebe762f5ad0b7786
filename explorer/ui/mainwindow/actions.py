"""The window's commands as ``QAction``s, each with its shortcut and tip.

What a command does belongs to its feature; this module only names the commands, gives them
their keys and sets them on the window (``menus`` arranges them). Commands about "the
request" act on the current tab, looked up when they run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from explorer.ui.mainwindow import keyboard
from explorer.ui.mainwindow.help import show_about, show_catalogue

if TYPE_CHECKING:
    from explorer.ui.mainwindow.window import MainWindow

Shortcut = QKeySequence | QKeySequence.StandardKey | str


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], Any],
    shortcuts: Iterable[Shortcut] = (),
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    keys = [QKeySequence(s) for s in shortcuts]
    if keys:
        action.setShortcuts(keys)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def build_actions(window: MainWindow) -> None:
    """Create every command of the window as an attribute (``window.new_action``...)."""
    w = window
    w.addActions(w.send_control.actions())
    w.addAction(w.send_control.blocked_action)  # Ctrl+Enter while Send is disabled
    w.format_action = _action(
        w, "&Format JSON", lambda: w.editor.format_current(), ["Ctrl+Shift+F"], "Re-indent the JSON"
    )
    _tab_actions(w)
    w.import_curl_action = _action(
        w, "&Import curl…", w.curl_importer.ask, ["Ctrl+I"], "Paste a curl command"
    )
    w.copy_curl_action = _action(
        w,
        "Copy as c&url",
        w.copy_as_curl,
        ["Ctrl+Shift+C"],
        "Copy the request as a curl command (the key stays $STACKONE_API_KEY)",
    )
    w.save_history_action = _action(
        w, "&Save history…", w.history_pane.save_action.trigger, [], "Export history"
    )
    w.quit_action = _action(w, "&Quit", w.close, [QKeySequence("Ctrl+Q")], "Close the explorer")
    w.preferences_action = _action(
        w,
        "&Preferences…",
        w.show_preferences,
        ["Ctrl+,"],
        "History size, default timeout, automatic retry, tabs, appearance",
    )
    w.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    w.profiles_action = _action(
        w, "&Manage profiles…", w.profile_selector.manage, ["Ctrl+Shift+P"], "Profiles and API keys"
    )
    w.find_action = _action(
        w,
        "&Find in response…",
        lambda: w.response_view.open_find(),
        [QKeySequence.StandardKey.Find],
    )
    _focus_actions(w)
    w.save_action = _action(
        w, "&Save to collection", lambda: w.workspace.save(save_as=False), ["Ctrl+S"]
    )
    w.save_as_action = _action(
        w,
        "Save to collection &as…",
        lambda: w.workspace.save(save_as=True),
        ["Ctrl+Shift+S"],
    )
    for action in (w.save_action, w.save_as_action, w.focus_collections_action):
        action.setEnabled(w.collections is not None)
    w.stack_action = _action(
        w, "Response &below the editor", w.toggle_stacking, [], "Switch the layout"
    )
    w.stack_action.setCheckable(True)
    w.catalogue_action = _action(
        w,
        "&Demo catalogue",
        lambda: show_catalogue(w, w.catalogue),
        [],
        "Demo accounts and actions",
    )
    _discovery_actions(w)
    w.about_action = _action(w, "&About", lambda: show_about(w, w.credentials.location()))


def _tab_actions(w: MainWindow) -> None:
    tabs = w.tabs
    w.new_action = _action(
        w,
        "&New tab",
        w.new_request,
        ["Ctrl+T", QKeySequence.StandardKey.New],
        "A new request in a tab of its own (Ctrl+T, Ctrl+N)",
    )
    w.close_tab_action = _action(
        w,
        "&Close tab",
        lambda: tabs.close_tab(),
        ["Ctrl+W"],
        "Close this tab (asks first if it has unsaved edits)",
    )
    w.reopen_tab_action = _action(
        w,
        "&Reopen closed tab",
        tabs.reopen_closed,
        ["Ctrl+Shift+T"],
        "Bring back the tab closed last, with what it held",
    )
    w.next_tab_action = _action(w, "Ne&xt tab", tabs.next_tab, ["Ctrl+Tab", "Ctrl+PgDown"])
    w.previous_tab_action = _action(
        w, "Pre&vious tab", tabs.previous_tab, ["Ctrl+Shift+Tab", "Ctrl+PgUp"]
    )


def _focus_actions(w: MainWindow) -> None:
    w.focus_history_action = _action(
        w, "Go to &history", lambda: keyboard.focus_history(w), ["Ctrl+1"]
    )
    w.focus_editor_action = _action(
        w, "Go to the &editor", lambda: w.editor.action_edit.setFocus(), ["Ctrl+2"]
    )
    w.focus_response_action = _action(
        w, "Go to the &response", lambda: keyboard.focus_response(w), ["Ctrl+3"]
    )
    w.focus_collections_action = _action(
        w, "Go to &collections", lambda: keyboard.focus_collections(w), ["Ctrl+4"]
    )


def _discovery_actions(w: MainWindow) -> None:
    w.fill_schema_action = _action(
        w,
        "Fill inputs from sc&hema",
        lambda: w.discovery_controls.fill_from_schema(),
        ["Ctrl+Shift+K"],
        "Replace Path, Query, Headers and Body with the action's input skeleton",
    )
    w.pick_account_action = _action(
        w,
        "&Pick a linked account…",
        lambda: w.discovery_controls.open_picker(),
        [],
        "Choose one of this profile's linked accounts (Alt+Down in the account field)",
    )
    w.search_actions_action = _action(
        w,
        "Search ac&tions…",
        lambda: w.discovery_controls.open_search(),
        ["Ctrl+Shift+A"],
        "Find an action by what it should do (Alt+Down in the action field)",
    )
    w.reload_discovery_action = _action(
        w,
        "Re&load accounts and actions",
        lambda: w.discovery_controls.refresh(),
        [],
        "List this profile's linked accounts and action catalogue again",
    )
