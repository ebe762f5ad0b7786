"""The request tabs in the window: what a new tab starts with, which tab something opens in,
and what ties a tab to the collections pane.

The collections pane shows one open saved request (its ● while edited, the target of Ctrl+S):
the current tab's. Each tab keeps its own tie while in the background, and the pane is told
again when the tab is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.ui.confirm import confirm_destructive, settle_changes
from explorer.ui.mainwindow import keyboard
from explorer.ui.tabs.session import TabState, restored_tabs, save_tabs
from explorer.ui.tabs.tab import UNTITLED, RequestTab
from explorer.ui.widgets.modal import run_modal

if TYPE_CHECKING:
    from explorer.core.json_position import PickedValue
    from explorer.store.collections import SavedRequest
    from explorer.ui.collections.pane import CollectionsPane
    from explorer.ui.mainwindow.window import MainWindow


class Workspace(QObject):
    """Connects ``window.tabs`` to the profile, the preferences, the collections and the
    history; the window calls it to open, save and restore requests."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.tabs = window.tabs
        self.tabs.added.connect(self._prepare)
        self.tabs.leaving.connect(self._leave)
        self.tabs.current_changed.connect(self._enter)
        self._focus_was_in_tab = False
        self.built = False  # the window is laid out: Tab order and focus may be set

    def _built_pane(self) -> CollectionsPane | None:
        """The collections pane if built: one not built yet has nothing to keep up to date
        (it is synced with the current tab when it is built)."""
        slot = self.window.collections
        return slot.built if slot is not None else None

    # -- a tab's life --------------------------------------------------------------------------
    def _prepare(self, tab: RequestTab) -> None:
        """A new tab: the window's look and preferences, the profile's target, an empty
        request for the account the current tab (or the profile) uses."""
        window = self.window
        prefs = window.preferences()
        editor, view = tab.editor, tab.response_view
        editor.set_known_actions(window.known_actions)
        editor.set_dark(window.dark)
        view.set_dark(window.dark)
        editor.set_default_timeout(prefs.default_timeout)
        view.set_body_limit(prefs.body_limit)
        view.set_auto_retry(prefs.auto_retry)
        profile = window.profile_selector.current()
        editor.set_base_url(profile.base_url if profile else DEFAULT_BASE_URL)
        current = self.tabs.shown
        account = current.editor.account_edit.text() if current is not None else ""
        if not account.strip() and profile is not None:
            account = profile.account_id
        editor.account_edit.setText(account)
        editor.clear()
        status = window.statusBar()
        for part in (view, tab):
            part.message.connect(lambda text: status.showMessage(text, 5000))
        view.auto_retry_changed.connect(lambda on: window.settings.set("auto_retry", bool(on)))
        view.manage_profiles_requested.connect(window.profile_selector.manage)
        view.set_variable_requested.connect(lambda picked: self.set_variable(tab, picked))
        tab.changed.connect(lambda: self._on_changed(tab))
        # The Tab order on the next turn: building the page is a long enough turn already.
        view.result_built.connect(
            lambda: QTimer.singleShot(0, tab, lambda: self._on_result_built(tab))
        )

    def _on_result_built(self, tab: RequestTab) -> None:
        if self.built and tab is self.tabs.shown:
            keyboard.chain_tabs(self.window)  # the page's controls join the Tab order

    def _leave(self, tab: RequestTab) -> None:
        focus = QApplication.focusWidget()
        self._focus_was_in_tab = focus is not None and any(
            part.isAncestorOf(focus) for part in (tab.editor, tab.response_view)
        )
        pane = self._built_pane()
        if pane is not None:
            saved = pane.open_saved
            tab.tie(saved.path if saved else None, saved.name if saved else "")

    def _enter(self, tab: RequestTab) -> None:
        self.sync_pane()
        if not self.built:
            return
        keyboard.chain_tabs(self.window)
        if self._focus_was_in_tab:
            # The focus was in the tab just hidden: it goes on in this one, not elsewhere.
            self._focus_was_in_tab = False
            tab.editor.action_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def sync_pane(self) -> None:
        """Show the current tab's tie (and ●) in the collections pane."""
        pane = self._built_pane()
        tab = self.tabs.current
        if pane is not None and not pane.show_open(tab.saved_path, tab.is_dirty()):
            tab.tie(None)  # removed or moved on disk meanwhile: Ctrl+S asks where

    def _on_changed(self, tab: RequestTab) -> None:
        pane = self._built_pane()
        if pane is not None and tab is self.tabs.shown:
            pane.mark_dirty(tab.is_dirty())

    def ask_close(self, tab: RequestTab) -> bool:
        """Before a tab with unsaved edits closes: save (the default), discard or stay."""
        name = tab.saved_name or tab.editor.action_edit.text().strip() or UNTITLED
        window = self.window
        self.tabs.select(tab)  # what is saved, and where the question is about
        if window.collections_pane is None:
            close = confirm_destructive(
                window, "Close tab", f"Close '{name}' and discard its unsaved edits?"
            )
        else:
            close = settle_changes(
                window,
                "Unsaved edits",
                f"'{name}' has unsaved edits. Save them before closing the tab?",
                lambda: self.save(save_as=False),
            )
        # Back to where the user was typing, also without a window manager to do it.
        window.activateWindow()
        return close

    # -- opening -------------------------------------------------------------------------------
    def base_url_for(self, request: RpcRequest) -> str:
        profile = self.window.profile_selector.current()
        return profile.base_url if profile else request.base_url

    def open_saved(self, saved: SavedRequest) -> RequestTab | None:
        """A saved request: to its tab if open, else where ``target_for_open`` says."""
        request, path = saved.request, saved.path
        pane = self.window.collections_pane
        current = self.tabs.current
        if pane is not None:
            # The pane made it the open one already; until a tab holds it, the current tab
            # keeps its own tie.
            pane.show_open(pane.previous_open, current.is_dirty())
        existing = self.tabs.find_saved(path) if path is not None else None
        if existing is not None:
            self.tabs.select(existing)
            return existing
        tab = self.tabs.target_for_open()
        profile = self.window.profile_selector.current()
        pinned = request.base_url != DEFAULT_BASE_URL or profile is None
        tab.load(request, request.base_url if pinned else self.base_url_for(request))
        tab.tie(path, saved.name)
        self.tabs.select(tab)
        self.sync_pane()
        return tab

    def open_entry(self, request: RpcRequest, history_id: str | None = None) -> RequestTab:
        """A history entry (to replay): to its tab if open, else a tab of its own that shows
        the exchange the history shows for it."""
        existing = self.tabs.find_history(history_id) if history_id else None
        if existing is not None:
            self.tabs.select(existing)
            return existing
        shown = self.tabs.current.response_view.exchange
        tab = self.tabs.target_for_open()
        tab.load(request, self.base_url_for(request))
        tab.tie(None)
        tab.history_id = history_id
        self.tabs.select(tab)
        shows_entry = shown is not None and history_id is not None and shown.id == history_id
        if shows_entry and shown is not None and tab.response_view.exchange is not shown:
            tab.response_view.show_exchange(shown)
        self.sync_pane()
        tab.changed.emit()
        return tab

    def for_import(self) -> RequestTab:
        """Where a pasted curl command goes: like anything opened, tied to nothing."""
        tab = self.tabs.target_for_open()
        self.tabs.select(tab)
        tab.tie(None)
        tab.history_id = None
        self.sync_pane()
        return tab

    def new_tab(self) -> RequestTab:
        tab = self.tabs.new_tab()
        tab.editor.action_edit.setFocus()
        return tab

    # -- carrying a value ----------------------------------------------------------------
    def set_variable(self, tab: RequestTab, picked: PickedValue) -> None:
        """ "Set variable…" on a tab's response: ask, then keep it (``collections.carry``)."""
        from explorer.ui.collections.carry import SetVariableDialog, carry

        window = self.window
        pane = window.collections_pane
        if pane is None:
            window.statusBar().showMessage("Variables need the Collections pane.", 5000)
            return
        saved = pane.saved_at(tab.saved_path) if tab.saved_path and picked.path else None
        dialog = SetVariableDialog(
            picked, environment=pane.environment.name(), saved=saved, parent=window
        )
        focus = QApplication.focusWidget()
        accepted = run_modal(dialog)
        # Back to where the user was, also without a window manager to do it.
        window.activateWindow()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        if accepted:
            say = lambda text: window.statusBar().showMessage(text, 8000)  # noqa: E731
            carry(pane, dialog.carried(), picked, saved, say)

    # -- saving ------------------------------------------------------------------------------
    def save(self, *, save_as: bool) -> bool:
        """Ctrl+S / Ctrl+Shift+S for the current tab; True when it was saved."""
        pane = self.window.collections_pane
        if pane is None:
            return False
        tab = self.tabs.current
        saved = pane.save_current(tab.editor.draft_request(), save_as=save_as)
        if saved is None:
            return False
        tab.tie(saved.path, saved.name)
        tab.mark_clean()
        return True

    # -- across a restart --------------------------------------------------------------------
    def restore(self) -> None:
        """The tabs open at the last quit, each with its unsaved edits, the selected one
        selected; a first start keeps its one empty tab."""
        states, current = restored_tabs(self.window.settings)
        for index, state in enumerate(states):
            if 0 < index != current and state.saved is None:
                # Not shown: in the bar now, its widgets built when first needed.
                self.tabs.add_later(state, self._restore_tab)
                continue
            tab = self.tabs.current if index == 0 else self.tabs.new_tab(select=False)
            self._restore_tab(tab, state)
        if states:
            self.tabs.select(self.tabs.tabs[current])
            self.sync_pane()

    def _restore_tab(self, tab: RequestTab, state: TabState) -> None:
        # Only a tab tied to a saved request needs the pane built before the first paint.
        pane = self.window.collections_pane if state.saved else None
        saved = pane.saved_at(state.saved) if pane is not None and state.saved else None
        if saved is None:
            if state.saved is not None:
                state.saved, state.edited = None, True  # its file is gone: keep the text
            self.tabs.restore(tab, state)
            if state.request is not None:
                tab.editor.set_base_url(self.base_url_for(state.request))
            return
        self.open_saved_into(tab, saved)
        if state.request is not None:
            tab.editor.load_request(state.request)
            tab.editor.set_base_url(self.base_url_for(state.request))
        tab.editor.load_drafts(state.drafts)

    def open_saved_into(self, tab: RequestTab, saved: SavedRequest) -> None:
        request = saved.request
        pinned = request.base_url != DEFAULT_BASE_URL
        tab.load(request, request.base_url if pinned else self.base_url_for(request))
        tab.tie(saved.path, saved.name)

    def save_state(self) -> None:
        tabs = self.tabs.tabs
        if self._built_pane() is not None:
            self._leave(self.tabs.current)
        save_tabs(tabs, tabs.index(self.tabs.current), self.window.settings)
