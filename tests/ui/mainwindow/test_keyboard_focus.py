"""Keyboard focus in the window: Ctrl+digit lands in a visible, useful widget, and Tab walks
every visible control once, top to bottom, and comes back to where it started (no trap).

All keys are real key events on the focused widget, as a keyboard user presses them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.credentials import MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import send_example
from tests.ui.keyboard import assert_full_cycle, describe, press

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
WindowFactory = Callable[..., MainWindow]
CTRL = Qt.KeyboardModifier.ControlModifier


def saved_collection(home: AppPaths, credentials: MemoryCredentials) -> CollectionStore:
    store = CollectionStore.create(home.collections_dir / "team", "Team", credentials=credentials)
    for name, action in (("List employees", "bamboohr_list_employees"), ("Get one", "x_get")):
        store.save_request(
            SavedRequest(name=name, request=RpcRequest(action=action, account_id="acct_1"))
        )
    return store


def test_ctrl_4_puts_focus_in_the_collections_tree_where_arrows_and_menu_work(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    saved_collection(home, credentials)
    window = make_window()
    pane = window.collections_pane
    assert pane is not None

    widget = press(qtbot, Qt.Key.Key_4, CTRL)
    assert widget is pane.view
    assert pane.view.isVisible()
    assert pane.view.currentIndex().isValid(), "arrows need a current item to move from"
    before = pane.view.currentIndex()
    press(qtbot, Qt.Key.Key_Down)
    assert pane.view.currentIndex() != before

    # The Menu key opens the current item's menu. The platform turns the key into a keyboard
    # context-menu event at the focus widget's cursor rectangle (offscreen has no such key
    # handling, so the event is delivered here as Qt's xcb plugin delivers it).
    seen: list[list[str]] = []

    def close_menu() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.append([a.text() for a in menu.actions() if a.isEnabled()])
            menu.close()

    QTimer.singleShot(200, close_menu)
    view = pane.view
    spot = view.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle).center()
    keyboard = QContextMenuEvent.Reason.Keyboard
    QApplication.sendEvent(view, QContextMenuEvent(keyboard, spot, view.mapToGlobal(spot)))
    assert seen, "the Menu key opened no menu in the tree"
    assert "Open in editor" in seen[0], f"not the menu of the current request: {seen[0]}"


def test_ctrl_1_from_collections_shows_history_and_focuses_something_visible(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    press(qtbot, Qt.Key.Key_4, CTRL)
    assert window.collections_pane is not None and window.collections_pane.isVisible()

    widget = press(qtbot, Qt.Key.Key_1, CTRL)
    assert window.side_tabs.currentWidget() is window.history_pane
    assert widget.isVisible(), f"focus went to the hidden {describe(widget)}"
    # No history yet: the filter field is the one useful place.
    assert widget is window.history_pane.filters.edit

    send_example(qtbot, window)
    press(qtbot, Qt.Key.Key_4, CTRL)
    widget = press(qtbot, Qt.Key.Key_1, CTRL)
    assert widget is window.history_pane.view and widget.isVisible()


def test_every_ctrl_digit_focuses_a_visible_widget(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    for sent in (False, True):
        if sent:
            send_example(qtbot, window)
        for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_1):
            widget = press(qtbot, key, CTRL)
            assert widget.isVisible(), f"Ctrl+{key.name[-1]} focused the hidden {describe(widget)}"
    # After a send Ctrl+3 lands in the response itself, ready for arrows and Ctrl+F.
    assert (
        press(qtbot, Qt.Key.Key_3, CTRL) is window.response_view.body.pretty_stack.currentWidget()
    )


def test_tab_walks_every_field_once_top_to_bottom_and_never_loops(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    editor = window.editor
    visited = assert_full_cycle(qtbot, window)
    # The editor's fields come in the order they are on screen, top to bottom.
    fields = [
        editor.action_edit,
        editor.account_edit,
        editor.connector_profile_edit,
        editor.tabs.tabBar(),
        editor.options.sync_check,
        editor.options.debug_check,
        *editor.options.defender_combos.values(),
        editor.options.advanced_toggle,
    ]
    order = visited[-1:] + visited[:-1]  # from the start round to just before it
    positions = [order.index(field) for field in fields]
    assert positions == sorted(positions), [describe(w) for w in order]
    # The other panes are in the walk too: the profile, the history, the response.
    assert window.profile_selector.combo in visited
    assert window.history_pane.filters.edit in visited

    # The same after a send, when the history has a row and the response has its views.
    send_example(qtbot, window)
    press(qtbot, Qt.Key.Key_2, CTRL)
    visited = assert_full_cycle(qtbot, window)
    assert window.history_pane.view in visited
    assert window.response_view.tabs.tabBar() in visited


def test_a_ring_shows_which_list_or_view_has_focus(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Fields and buttons show focus themselves; lists and text views get a ring around them."""
    window = make_window()
    send_example(qtbot, window)
    ring = window.focus_ring
    assert ring is not None
    body = press(qtbot, Qt.Key.Key_3, CTRL)
    assert ring.target() is body
    assert ring.geometry() == body.geometry() and ring.parentWidget() is body.parentWidget()
    history = press(qtbot, Qt.Key.Key_1, CTRL)
    assert ring.target() is history is window.history_pane.view
    press(qtbot, Qt.Key.Key_2, CTRL)
    assert ring.target() is None and not ring.isVisible()


def test_tab_walk_covers_every_pane_when_all_is_showing(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    """Collections shown, advanced options open, a 429 with provider errors and its retry
    controls, the find bar, a notice with its button: still one walk over everything."""
    saved_collection(home, credentials)
    window = make_window()
    send_example(qtbot, window, action="hibob_search_employees", account_id="acct_hibob_demo")
    press(qtbot, Qt.Key.Key_4, CTRL)
    window.editor.options.advanced_toggle.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert window.editor.options.timeout_spin.isVisible()
    press(qtbot, Qt.Key.Key_F, CTRL)
    press(qtbot, Qt.Key.Key_Escape)  # closes the find bar again
    press(qtbot, Qt.Key.Key_F, CTRL)
    window.banner.show_message("A notice", "Do it", lambda: None)
    panel = window.response_view.error_panel
    assert panel.provider_table.isVisible() and panel.auto_retry_check.isVisible()
    # Retry is enabled when the Retry-After wait (1 s here) ends: walk after that, not across.
    qtbot.waitUntil(panel.retry_button.isEnabled, timeout=WAIT_MS)

    press(qtbot, Qt.Key.Key_2, CTRL)
    visited = assert_full_cycle(qtbot, window)
    pane = window.collections_pane
    assert pane is not None
    for widget in (
        window.banner.action_button,
        window.banner.close_button,
        pane.environment.button,
        pane.view,
        window.editor.options.timeout_spin,
        panel.provider_table,
        panel.auto_retry_check,
        panel.retry_button,
        window.response_view.find_bar.edit,
    ):
        assert widget in visited, describe(widget)
    # Reading order across the window: notice, side pane, editor, response.
    order = visited[-1:] + visited[:-1]
    spots = [
        order.index(w)
        for w in (
            window.editor.action_edit,
            window.editor.options.timeout_spin,
            panel.provider_table,
            window.response_view.tabs.tabBar(),
            window.response_view.find_bar.edit,
            window.profile_selector.combo,
            window.banner.action_button,
            window.side_tabs.tabBar(),
            pane.view,
            window.editor.send_button,
        )
    ]
    assert spots == sorted(spots), [describe(w) for w in order]
