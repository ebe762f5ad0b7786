"""Moving around the window by keyboard: Tab in reading order, Ctrl+digit to a pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from explorer.ui.accessibility import tab_chain

if TYPE_CHECKING:
    from explorer.ui.mainwindow.window import MainWindow


def set_tab_order(window: MainWindow) -> None:
    """Tab in reading order (``chain_tabs``); focus starts in the editor, or in the
    history's filter when there is history."""
    chain_tabs(window)
    # Start where the work starts: the history's filter when there is history.
    start = window.history_pane.filters.edit if len(window.history) else None
    (start or window.editor.action_edit).setFocus(Qt.FocusReason.OtherFocusReason)


def chain_tabs(window: MainWindow) -> None:
    """Tab in reading order across the window (after the response it comes back round to
    the profile): the profile, a notice's buttons, the side pane, the request tabs, the
    current tab's editor and response. Set again whenever another tab is shown (the hidden
    tabs' controls are skipped while hidden)."""
    pane = window.collections.built if window.collections else None
    panes = pane.tab_chain() if pane is not None else []
    tab_chain(
        [
            window.profile_selector.combo,
            window.banner.action_button,
            window.banner.close_button,
            window.side_tabs.tabBar(),
            *window.history_pane.tab_chain(),
            *panes,
            window.tabs.bar,
            *window.editor.tab_chain(),
            *window.response_view.tab_chain(),
        ]
    )


def focus_history(window: MainWindow) -> None:
    window.side_tabs.setCurrentWidget(window.history_pane)
    window.history_pane.focus_list()


def focus_response(window: MainWindow) -> None:
    if not window.response_view.focus_content():
        window.statusBar().showMessage("No response yet: Ctrl+Enter sends the request", 5000)


def focus_collections(window: MainWindow) -> None:
    if window.collections is not None:
        window.side_tabs.setCurrentWidget(window.collections.page)
        window.collections.get().focus_tree()
