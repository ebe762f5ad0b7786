"""The explorer window: history on the left, the request editor, the response.

The window builds the features' parts, lays them out, and wires them together; it holds no
HTTP or storage logic of its own, and each feature's behaviour lives with the feature: what
Send, Retry and Cancel mean in ``request.send_control``, pasting curl in
``request.curl_import``, collection runs in ``run.control``, the profile choice and its keys
in ``profiles.selector``, what the window remembers in ``mainwindow.state``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.client import RpcClient
from explorer.core.curl import to_curl
from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.store.credentials import CredentialStore, MemoryCredentials
from explorer.store.history import HistoryRow, HistoryStore
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.accessibility import FocusRing, announce
from explorer.ui.collections.pane import CollectionsPane
from explorer.ui.discovery import DiscoveryControls, DiscoveryService, quiet_key_lookup
from explorer.ui.guard.gate import SendGate
from explorer.ui.guard.marks import ProductionMarks
from explorer.ui.history.pane import HistoryPane
from explorer.ui.mainwindow import keyboard, menus, state
from explorer.ui.mainwindow.deferred import AfterFirstPaint
from explorer.ui.mainwindow.help import APP_TITLE, show_about, show_catalogue
from explorer.ui.mainwindow.support import SupportTools
from explorer.ui.preferences.dialog import Preferences, PreferencesDialog
from explorer.ui.profiles.selector import ProfileSelector
from explorer.ui.request.curl_import import CurlImporter
from explorer.ui.request.editor import RequestEditor
from explorer.ui.request.send_control import SendControl
from explorer.ui.response.view import ResponseView
from explorer.ui.run.control import RunControl
from explorer.ui.theme import apply_theme, is_dark
from explorer.ui.widgets.banner import Banner

__all__ = ["APP_TITLE", "MainWindow"]

# Discovery reads the profile's key (and the rest of ``after_first_paint`` runs) after the
# window's first paint, or this long after it is shown if the window itself is never painted.
FIRST_PAINT_BACKSTOP_MS = 1000


class MainWindow(QMainWindow):
    """The one window of the app. Everything it needs is injected, so tests use ``tmp_path``."""

    def __init__(
        self,
        *,
        settings: Settings,
        profiles: ProfileStore,
        credentials: CredentialStore,
        session_keys: MemoryCredentials,
        history: HistoryStore,
        client: RpcClient | None = None,
        known_actions: Iterable[str] = (),
        catalogue: str = "",
        startup_problems: Iterable[str] = (),
        collections_dir: Path | None = None,
        dark: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.profiles = profiles
        self.credentials = credentials
        self.session_keys = session_keys
        self.history = history
        self._own_client = client is None
        self.client = client or RpcClient()
        # A body over the limit streams to a file beside the history, which keeps it by a link.
        self.client.spool_dir = None if history.read_only else history.directory
        self._catalogue = catalogue
        self._dark = dark
        self._loading_saved = False
        self.setWindowTitle(APP_TITLE)

        self.banner = Banner()
        self.profile_selector = ProfileSelector(
            profiles, credentials, session_keys, self.banner, parent=self
        )
        self.editor = RequestEditor()
        # Accounts and actions of the selected profile, listed off the UI thread.
        # Its first key read waits for the first paint (see ``paintEvent``).
        key_of = quiet_key_lookup(session_keys, credentials)
        self.discovery = DiscoveryService(self.client, key_of, held=True, parent=self)
        self._painted = False
        self.discovery_controls = DiscoveryControls(self.editor, self.discovery, parent=self)
        # A key pasted into a note is hidden before it is kept (read off the UI thread).
        self.history_pane = HistoryPane(
            history, keys=lambda: [key for key in map(key_of, profiles.names()) if key]
        )
        # The production guard: marks production accounts, asks before writing to one.
        self.guard = SendGate(self.discovery, self)
        self.marks = ProductionMarks(
            self.editor, self.discovery, self, self.history_pane.model, APP_TITLE, parent=self
        )
        self.collections_pane: CollectionsPane | None = None
        if collections_dir is not None:
            self.collections_pane = CollectionsPane(
                collections_dir, credentials=credentials, settings=settings
            )
        # Sends, and quick jobs of the window (rendering, reading a curl body file).
        pool = QThreadPool(self)
        self.response_view = ResponseView(pool=pool)
        self.send_control = SendControl(
            self.client,
            editor=self.editor,
            response_view=self.response_view,
            history_pane=self.history_pane,
            profiles=self.profile_selector,
            banner=self.banner,
            guard=self.guard,
            variables=self.collections_pane.environment if self.collections_pane else None,
            pool=pool,
            parent=self,
        )
        self.run_control = RunControl(
            self.client,
            profiles=self.profile_selector,
            history_pane=self.history_pane,
            guard=self.guard,
            window=self,
            notice=self.collections_pane.show_notice if self.collections_pane else None,
        )
        self.curl_importer = CurlImporter(
            self.editor,
            self.profile_selector,
            self.banner,
            body_limit=lambda: self.preferences().body_limit,
            pool=pool,
            parent=self,
        )
        self._lay_out()
        self.statusBar().addPermanentWidget(self.send_control.elapsed_label)

        self._build_actions()
        self.support = SupportTools(self)  # trace, runs across accounts, pages, account context
        # What the first paint does not show, built once the window is on screen.
        self.after_first_paint = AfterFirstPaint(self)
        self.after_first_paint.add(self.discovery.release)
        self.support.build_later(self.after_first_paint)
        menus.build_menu_bar(self)
        self.addToolBar(menus.build_toolbar(self))
        self._connect()
        self.set_known_actions(known_actions)
        self.editor.set_dark(dark)
        self.response_view.set_dark(dark)
        self.profile_selector.reload(select=self.settings.get("last_profile"))
        self._restore()
        self._welcome([p for p in startup_problems if p])
        keyboard.set_tab_order(self)
        self.focus_ring = FocusRing(self)
        # The status bar draws its messages; a screen reader hears them only as announcements.
        self.statusBar().messageChanged.connect(lambda text: announce(self, text))
        self.statusBar().showMessage("Ready", 3000)

    # -- construction ---------------------------------------------------------------------------
    def _lay_out(self) -> None:
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.history_pane, "History")  # Ctrl+1 goes there
        if self.collections_pane is not None:
            self.side_tabs.addTab(self.collections_pane, "Collections")  # Ctrl+4
        self.inner_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.inner_splitter.setObjectName("innerSplitter")
        self.inner_splitter.addWidget(self.editor)
        self.inner_splitter.addWidget(self.response_view)
        self.inner_splitter.setChildrenCollapsible(False)
        self.outer_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.outer_splitter.setObjectName("outerSplitter")
        self.outer_splitter.addWidget(self.side_tabs)
        self.outer_splitter.addWidget(self.inner_splitter)
        # A smaller window (or a layout saved on a bigger screen) shrinks the history too, not
        # only the response: the editor keeps its width and the response stays readable.
        self.outer_splitter.setStretchFactor(0, 1)
        self.outer_splitter.setStretchFactor(1, 4)
        self.inner_splitter.setStretchFactor(0, 1)
        self.inner_splitter.setStretchFactor(1, 1)
        self.outer_splitter.setSizes([300, 1100])
        self.inner_splitter.setSizes([520, 580])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.outer_splitter, 1)
        self.setCentralWidget(central)

    def _welcome(self, problems: list[str]) -> None:
        """Problems found at start-up, or on a first start a word on what to do first."""
        if problems:
            self.banner.show_message(" ".join(problems))
        elif not self.profiles.list():
            self.banner.show_message(
                "Welcome! To call your StackOne project, add a profile: a name, the base URL "
                "and an API key (kept in the OS keyring). To try the explorer first without "
                "one, start it with --demo: a built-in demo server answers, nothing leaves "
                "this machine.",
                "Add a profile…",
                self.profile_selector.manage,
            )

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcuts: Iterable[QKeySequence | QKeySequence.StandardKey | str] = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        keys = [QKeySequence(s) for s in shortcuts]
        if keys:
            action.setShortcuts(keys)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.addActions(self.send_control.actions())
        self.format_action = self._action(
            "&Format JSON", self.editor.format_current, ["Ctrl+Shift+F"], "Re-indent the JSON"
        )
        self.new_action = self._action(
            "&New request", self.new_request, [QKeySequence.StandardKey.New], "Start afresh"
        )
        self.import_curl_action = self._action(
            "&Import curl…", self.curl_importer.ask, ["Ctrl+I"], "Paste a curl command"
        )
        self.copy_curl_action = self._action(
            "Copy as c&url",
            self.copy_as_curl,
            ["Ctrl+Shift+C"],
            "Copy the request as a curl command (the key stays $STACKONE_API_KEY)",
        )
        self.save_history_action = self._action(
            "&Save history…", self.history_pane.save_action.trigger, [], "Export history"
        )
        self.quit_action = self._action(
            "&Quit", self.close, [QKeySequence("Ctrl+Q")], "Close the explorer"
        )
        self.preferences_action = self._action(
            "&Preferences…",
            self.show_preferences,
            ["Ctrl+,"],
            "History size, default timeout, automatic retry, appearance",
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.profiles_action = self._action(
            "&Manage profiles…",
            self.profile_selector.manage,
            ["Ctrl+Shift+P"],
            "Profiles and API keys",
        )
        self.find_action = self._action(
            "&Find in response…", self.response_view.open_find, [QKeySequence.StandardKey.Find]
        )
        self.focus_history_action = self._action(
            "Go to &history", lambda: keyboard.focus_history(self), ["Ctrl+1"]
        )
        self.focus_editor_action = self._action(
            "Go to the &editor", lambda: self.editor.action_edit.setFocus(), ["Ctrl+2"]
        )
        self.focus_collections_action = self._action(
            "Go to &collections", lambda: keyboard.focus_collections(self), ["Ctrl+4"]
        )
        self.save_action = self._action(
            "&Save to collection", lambda: self.save_to_collection(save_as=False), ["Ctrl+S"]
        )
        self.save_as_action = self._action(
            "Save to collection &as…",
            lambda: self.save_to_collection(save_as=True),
            ["Ctrl+Shift+S"],
        )
        for action in (self.save_action, self.save_as_action, self.focus_collections_action):
            action.setEnabled(self.collections_pane is not None)
        self.focus_response_action = self._action(
            "Go to the &response", lambda: keyboard.focus_response(self), ["Ctrl+3"]
        )
        self.stack_action = self._action(
            "Response &below the editor", self.toggle_stacking, [], "Switch the layout"
        )
        self.stack_action.setCheckable(True)
        self.catalogue_action = self._action(
            "&Demo catalogue",
            lambda: show_catalogue(self, self._catalogue),
            [],
            "Demo accounts and actions",
        )
        self.fill_schema_action = self._action(
            "Fill inputs from sc&hema",
            self.discovery_controls.fill_from_schema,
            ["Ctrl+Shift+K"],
            "Replace Path, Query, Headers and Body with the action's input skeleton",
        )
        self.pick_account_action = self._action(
            "&Pick a linked account…",
            self.discovery_controls.open_picker,
            [],
            "Choose one of this profile's linked accounts (Alt+Down in the account field)",
        )
        self.reload_discovery_action = self._action(
            "Re&load accounts and actions",
            self.discovery_controls.refresh,
            [],
            "List this profile's linked accounts and action catalogue again",
        )
        self.about_action = self._action(
            "&About", lambda: show_about(self, self.credentials.location())
        )

    def _connect(self) -> None:
        for source in (
            self.send_control,
            self.run_control,
            self.curl_importer,
        ):
            source.message.connect(self.statusBar().showMessage)
        for part in (self.discovery_controls, self.response_view, self.history_pane):
            part.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.guard.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.curl_importer.loaded.connect(self._detach_saved)
        self.response_view.auto_retry_changed.connect(
            lambda on: self.settings.set("auto_retry", bool(on))
        )
        self.response_view.manage_profiles_requested.connect(self.profile_selector.manage)
        self.history_pane.selected.connect(self._on_history_selected)
        self.history_pane.loading.connect(self._on_history_loading)
        self.history_pane.open_in_editor.connect(self.open_in_editor)
        self.history_pane.save_to_collection.connect(self.save_history_to_collection)
        self.history_pane.save_to_collection_action.setVisible(self.collections_pane is not None)
        self.profile_selector.changed.connect(self._on_profile_changed)
        if self.collections_pane is not None:
            pane = self.collections_pane
            pane.open_request.connect(self.open_saved_request)
            pane.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            pane.run_requested.connect(self.run_control.run)
            self.editor.changed.connect(self._on_editor_changed)

    # -- profiles ---------------------------------------------------------------------------
    def _on_profile_changed(self, profile: Profile | None) -> None:
        self.guard.cancel_pending()  # a send held for the old profile's accounts
        self.editor.set_base_url(profile.base_url if profile else DEFAULT_BASE_URL)
        if self.collections_pane is not None:
            self.collections_pane.set_profile_base_url(profile.base_url if profile else None)
        if profile is not None:
            # A profile of this run only (``--demo``) is not the one to reopen next time.
            if not self.profiles.is_transient(profile.name):
                self.settings.set("last_profile", profile.name)
            if not self.editor.account_edit.text().strip() and profile.account_id:
                self.editor.account_edit.setText(profile.account_id)
            self.statusBar().showMessage(f"Profile {profile.name}: {profile.base_url}", 4000)
        self.discovery_controls.set_profile(
            profile.name if profile else None, profile.base_url if profile else None
        )

    # -- editor commands ------------------------------------------------------------------------
    def set_known_actions(self, names: Iterable[str]) -> None:
        """Offer ``names`` (and every action in the history) as the action field's suggestions.

        Also callable after start-up: the app adds the demo's action names once the window has
        painted, so their module is not imported before the first paint.
        """
        self.editor.set_known_actions([*names, *self.history.actions()])

    def new_request(self) -> None:
        """A new, unsaved request: tied to no saved one, so Ctrl+S asks where to save it."""
        self.editor.clear()
        self._detach_saved()
        self.editor.action_edit.setFocus()

    def _detach_saved(self) -> None:
        if self.collections_pane is not None:
            self.collections_pane.detach()

    def open_in_editor(self, request: RpcRequest) -> None:
        """Replay from history: the request's fields, the current profile's base URL."""
        profile = self.profile_selector.current()
        self.editor.load_request(request)
        self.editor.set_base_url(profile.base_url if profile else request.base_url)
        self._detach_saved()
        self.editor.action_edit.setFocus()
        self.statusBar().showMessage("Loaded into the editor: press Ctrl+Enter to send", 5000)

    def copy_as_curl(self) -> None:
        QGuiApplication.clipboard().setText(to_curl(self.editor.draft_request()))
        self.statusBar().showMessage(
            "Copied as curl; the key stays $STACKONE_API_KEY in the command", 5000
        )

    def _on_history_selected(self, exchange: Exchange) -> None:
        # Reading an old exchange while a request runs is fine: its result replaces this view
        # when it arrives, and the elapsed time stays in the status bar meanwhile.
        self.response_view.show_exchange(exchange)

    def _on_history_loading(self, entry: HistoryRow) -> None:
        """A big entry is being read back on a thread: say so where it will appear."""
        # Nothing to cancel: the next selection (or a response arriving) replaces it.
        self.response_view.show_loading(
            f"Loading {entry.action or 'the exchange'} from the history…"
        )

    # -- collections ------------------------------------------------------------------------
    def open_saved_request(self, saved: object) -> None:
        """Load a saved request; its base URL is the profile's unless the file pins one."""
        request = getattr(saved, "request", None)
        if not isinstance(request, RpcRequest):
            return
        profile = self.profile_selector.current()
        self._loading_saved = True
        try:
            self.editor.load_request(request)
            if request.base_url == DEFAULT_BASE_URL and profile is not None:
                self.editor.set_base_url(profile.base_url)
        finally:
            self._loading_saved = False
        if self.collections_pane is not None:
            self.collections_pane.mark_dirty(False)
        name = getattr(saved, "name", "")
        self.statusBar().showMessage(f"Opened '{name}': Ctrl+Enter sends, Ctrl+S saves", 5000)

    def save_to_collection(self, *, save_as: bool) -> None:
        if self.collections_pane is None:
            return
        self.collections_pane.save_current(self.editor.draft_request(), save_as=save_as)

    def _on_editor_changed(self) -> None:
        if self.collections_pane is not None and not self._loading_saved:
            self.collections_pane.mark_dirty(True)

    def save_history_to_collection(self, requests: list[RpcRequest]) -> None:
        """History entries into the current collection (or "My requests"), as they were
        sent: secret variable values are already scrubbed in the history."""
        if self.collections_pane is None or not requests:
            return
        saved = self.collections_pane.transfer.save_requests(requests)
        if saved:
            keyboard.focus_collections(self)

    # -- preferences -----------------------------------------------------------------------
    def preferences(self) -> Preferences:
        return Preferences.from_settings(self.settings)

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.preferences(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_preferences(dialog.preferences())

    def apply_preferences(self, prefs: Preferences) -> None:
        """Take effect now and persist: history trimmed, new-request timeout, automatic
        retry, light or dark."""
        prefs.store(self.settings)
        self._apply_body_limits(prefs)
        self.history_pane.set_limit(prefs.history_limit)
        self.editor.set_default_timeout(prefs.default_timeout)
        self.response_view.set_auto_retry(prefs.auto_retry)
        self.guard.policy.ask_for_test_accounts = prefs.guard_test_accounts
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, dark=prefs.forced_dark())
            self.set_dark(is_dark(app))
        try:
            self.settings.save()
        except (OSError, ExplorerError, TypeError, ValueError) as exc:
            self.banner.show_message(f"The preferences could not be saved: {exc}")
            return
        self.statusBar().showMessage("Preferences saved", 4000)

    def _apply_body_limits(self, prefs: Preferences) -> None:
        """One body size limit for sending, viewing and the history; the history's budget."""
        self.client.body_limit = prefs.body_limit
        self.response_view.set_body_limit(prefs.body_limit)
        self.history_pane.flush()
        self.history.body_limit = prefs.body_limit
        if self.history.budget != prefs.history_budget:
            self.history_pane.set_budget(prefs.history_budget)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.editor.set_dark(dark)
        self.response_view.set_dark(dark)

    # -- persistence ----------------------------------------------------------------------------
    def toggle_stacking(self) -> None:
        below = self.stack_action.isChecked()
        self.inner_splitter.setOrientation(
            Qt.Orientation.Vertical if below else Qt.Orientation.Horizontal
        )

    def _restore(self) -> None:
        state.restore_layout(self)
        prefs = self.preferences()
        self._apply_body_limits(prefs)
        if self.history.limit != prefs.history_limit:
            self.history_pane.set_limit(prefs.history_limit)
        self.response_view.set_auto_retry(prefs.auto_retry)
        self.guard.policy.ask_for_test_accounts = prefs.guard_test_accounts
        self.editor.set_default_timeout(prefs.default_timeout)
        state.restore_draft(
            self.editor, self.settings, self.profile_selector.current(), prefs.default_timeout
        )

    def save_state(self) -> None:
        """Remember geometry, splitters and the request being edited (never a key)."""
        state.save_layout(self)
        state.save_draft(self.editor, self.settings)
        self.settings.save()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A backstop in case a platform never paints the window itself (only its children).
        QTimer.singleShot(FIRST_PAINT_BACKSTOP_MS, self, self.after_first_paint.start)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            # Reading the profile's key imports ``keyring`` on a pool thread, which still holds
            # the GIL for much of ~60 ms: let the window appear (and take a key) first.
            self._painted = True
            self.after_first_paint.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.after_first_paint.cancel()
        self.send_control.shutdown()
        self.support.shutdown()
        self.discovery.shutdown()
        self.run_control.shutdown()
        self.history_pane.flush()  # every exchange on disk before the app may exit
        try:
            self.save_state()
        except (OSError, ExplorerError, TypeError, ValueError) as exc:
            # Losing the layout is not worth refusing to quit; say so on stderr.
            import sys

            print(f"stackone-explorer: could not save settings: {exc}", file=sys.stderr)
        if self._own_client:
            self.client.close()
        event.accept()
