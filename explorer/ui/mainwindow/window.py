"""The explorer window: history on the left, the request editor, the response.

The window builds the features' parts, lays them out, and wires them together; it holds no
HTTP or storage logic of its own, and each feature's behaviour lives with the feature: what
Send, Retry and Cancel mean in ``request.send_control``, the request tabs in ``tabs`` (and
how they meet the rest of the window in ``mainwindow.workspace``), pasting curl in
``request.curl_import``, collection runs in ``run.control``, the profile choice and its keys
in ``profiles.selector``, what the window remembers in ``mainwindow.state``, its commands in
``mainwindow.actions``. ``editor``, ``response_view`` and ``discovery_controls`` are the
current tab's.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.client import RpcClient
from explorer.core.errors import ExplorerError
from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.store.credentials import CredentialStore, MemoryCredentials
from explorer.store.history import HistoryRow, HistoryStore
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.accessibility import FocusRing, announce
from explorer.ui.discovery import DiscoveryService, import_discovery, quiet_key_lookup
from explorer.ui.guard.gate import SendGate, import_rules
from explorer.ui.guard.marks import ProductionMarks
from explorer.ui.history.pane import HistoryPane
from explorer.ui.jobs import wait_for_pools
from explorer.ui.mainwindow import actions, keyboard, menus, state
from explorer.ui.mainwindow.analysis import Analysis
from explorer.ui.mainwindow.collections_slot import PANE_MODULE, CollectionsSlot, LazyVariables
from explorer.ui.mainwindow.deferred import AfterFirstPaint, single_shot
from explorer.ui.mainwindow.help import APP_TITLE
from explorer.ui.mainwindow.support import SupportTools
from explorer.ui.mainwindow.workspace import Workspace
from explorer.ui.preferences.values import Preferences
from explorer.ui.profiles.selector import ProfileSelector
from explorer.ui.request.curl_import import CurlImporter
from explorer.ui.request.editor import RequestEditor
from explorer.ui.request.send_control import MAX_IN_FLIGHT, SendControl
from explorer.ui.response.view import RESULT_MODULES, ResponseView, load_jq
from explorer.ui.run.control import RunControl
from explorer.ui.tabs.tab import RequestTab, TabKit
from explorer.ui.tabs.tab_set import RequestTabs
from explorer.ui.theme import apply_theme, is_dark
from explorer.ui.widgets import menu_key
from explorer.ui.widgets.banner import Banner
from explorer.ui.widgets.modal import run_modal

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.ui.collections.pane import CollectionsPane
    from explorer.ui.compare.window import CompareWindow
    from explorer.ui.discovery.controls import DiscoveryControls

__all__ = ["APP_TITLE", "MainWindow"]

# Discovery reads the profile's key (and the rest of ``after_first_paint`` runs) after the
# window's first paint, or this long after it is shown if the window itself is never painted.
FIRST_PAINT_BACKSTOP_MS = 1000
# The window's second stage (``finish_building``) starts this long after its first paint: the
# first frame may take a second paint pass (the history's rows) and a key pressed meanwhile
# goes first. Nothing a person could press that soon is lost (see ``finish_building``).
SECOND_STAGE_MS = 20
# Closing waits this long, at most, for the work still on the window's threads (an entry being
# read, a send being cancelled): a pool left working is waited for again when it is destroyed.
CLOSE_WAIT_MS = 10_000


class MainWindow(QMainWindow):
    """The one window of the app. Everything it needs is injected, so tests use ``tmp_path``.

    Signals:
        _finish_requested(): posted once after the first paint; builds the second stage.
    """

    _finish_requested = Signal()

    # The window's commands (``mainwindow.actions`` creates them).
    format_action: QAction
    new_action: QAction
    close_tab_action: QAction
    reopen_tab_action: QAction
    next_tab_action: QAction
    previous_tab_action: QAction
    import_curl_action: QAction
    copy_curl_action: QAction
    save_history_action: QAction
    quit_action: QAction
    preferences_action: QAction
    profiles_action: QAction
    find_action: QAction
    focus_history_action: QAction
    focus_editor_action: QAction
    focus_response_action: QAction
    focus_collections_action: QAction
    save_action: QAction
    save_as_action: QAction
    stack_action: QAction
    catalogue_action: QAction
    fill_schema_action: QAction
    pick_account_action: QAction
    search_actions_action: QAction
    reload_discovery_action: QAction
    about_action: QAction

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
        baselines_dir: Path | None = None,
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
        self.catalogue = catalogue
        self.dark = dark
        self.known_actions: list[str] = []
        self.setWindowTitle(APP_TITLE)

        self.banner = Banner()
        self.profile_selector = ProfileSelector(
            profiles, credentials, session_keys, self.banner, parent=self
        )
        # Accounts and actions of the selected profile, listed off the UI thread.
        # Its first key read waits for the first paint (see ``paintEvent``).
        key_of = quiet_key_lookup(session_keys, credentials)
        self.discovery = DiscoveryService(self.client, key_of, held=True, parent=self)
        self._painted = False
        # A key pasted into a note is hidden before it is kept (read off the UI thread).
        # Its rows are read on a thread from the second stage on (``finish_building``).
        self.history_pane = HistoryPane(
            history,
            keys=lambda: [key for key in map(key_of, profiles.names()) if key],
            read_later=True,
        )
        # The production guard: marks production accounts, asks before writing to one.
        self.guard = SendGate(self.discovery, self)
        self.marks = ProductionMarks(
            self.discovery, self, self.history_pane.model, APP_TITLE, parent=self
        )
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.history_pane, "History")  # Ctrl+1 goes there
        # The Collections tab's pane is built after the first paint, or when first needed.
        self.collections: CollectionsSlot | None = None
        if collections_dir is not None:
            self.collections = CollectionsSlot(
                self.side_tabs,
                collections_dir,
                credentials=credentials,
                settings=settings,
                on_built=self._on_collections_built,
            )
        # Sends of every tab, and quick jobs of the window (rendering, reading a curl body
        # file): room for each request in flight and a few renders beside them.
        pool = QThreadPool(self)
        pool.setMaxThreadCount(max(pool.maxThreadCount(), MAX_IN_FLIGHT + 2))
        self.send_control = SendControl(
            self.client,
            history_pane=self.history_pane,
            profiles=self.profile_selector,
            banner=self.banner,
            guard=self.guard,
            variables=LazyVariables(self.collections) if self.collections else None,
            pool=pool,
            parent=self,
        )
        self.tabs = RequestTabs(
            TabKit(
                pool,
                self.discovery,
                self.marks,
                self.send_control,
                discovery_later=True,
                validate_later=True,
            ),
            ask_close=lambda tab: self.workspace.ask_close(tab),
            labels_later=True,
            parent=self,
        )
        self.workspace = Workspace(self)
        self.tabs.new_tab()
        self.run_control = RunControl(
            self.client,
            profiles=self.profile_selector,
            history_pane=self.history_pane,
            guard=self.guard,
            window=self,
            notice=self._collections_notice if self.collections else None,
        )
        self.curl_importer = CurlImporter(
            lambda: self.workspace.for_import().editor,
            self.profile_selector,
            self.banner,
            body_limit=lambda: self.preferences().body_limit,
            pool=pool,
            parent=self,
        )
        self._lay_out()
        self.statusBar().addPermanentWidget(self.send_control.elapsed_label)

        actions.build_actions(self)
        self.support = SupportTools(self)  # trace, runs across accounts, pages, account context
        # What the first paint does not show, built once the window is on screen.
        self.after_first_paint = AfterFirstPaint(self)
        # The guard's rules, imported before the account list arrives or a send is checked.
        self.after_first_paint.add_prepared(import_rules, lambda _imported: None)
        self.after_first_paint.add(self.discovery.release, prepare=import_discovery)
        if self.collections is not None:
            self.after_first_paint.add_imports(PANE_MODULE)
            self.after_first_paint.add(self.collections.make)
            self.after_first_paint.add(self.collections.get)
        self.support.build_later(self.after_first_paint)
        menus.build_menu_bar(self)
        # Filter, compare and baselines, Defender check, cases, copy as code.
        self.analysis = Analysis(self, baselines_dir)
        self.addToolBar(menus.build_toolbar(self))
        self._connect()
        self.set_known_actions(known_actions)
        self.profile_selector.reload(select=self.settings.get("last_profile"))
        self._restore()
        for tab in self.tabs.tabs:
            if not tab.built:  # restored, not shown: built a turn each once the window is up
                self.after_first_paint.add(partial(self._build_tab, tab))
        # Each tab's response page is built when first needed (a response to show): built
        # here after the first paint, it stalled the window 20-60 ms. Its modules, though,
        # are imported now (their plain part on the queue's pool thread), and jq's binding.
        self.after_first_paint.add_imports(*RESULT_MODULES)
        self.after_first_paint.add_prepared(load_jq, lambda _loaded: None)
        self._welcome([p for p in startup_problems if p])
        keyboard.set_tab_order(self)
        self.tabs.release_validation()
        self.tabs.release_labels()
        self.workspace.built = True
        self.focus_ring: FocusRing | None = None  # the second stage's (no list has focus yet)
        self.statusBar().showMessage("Ready", 3000)
        # The second stage (``finish_building``) runs on the first event-loop turn after the
        # first paint; until then each tab's discovery widgets look as they will.
        self._finishing = False
        self._finish_requested.connect(self.finish_building, Qt.ConnectionType.QueuedConnection)
        # Timer objects, not ``QTimer.singleShot(ms, self, ...)``: see ``single_shot``.
        self._backstop = single_shot(self, self._first_painted)
        self._second_stage = single_shot(self, self._finish_requested.emit)
        for tab in self.tabs.tabs:
            tab.preview_discovery()

    # -- the current tab ------------------------------------------------------------------------
    @property
    def editor(self) -> RequestEditor:
        """The current tab's request editor."""
        return self.tabs.current.editor

    @property
    def response_view(self) -> ResponseView:
        """The current tab's response."""
        return self.tabs.current.response_view

    @property
    def discovery_controls(self) -> DiscoveryControls:
        """Discovery in the current tab's editor (the picker, fill from schema)."""
        return self.tabs.current.discovery

    @property
    def collections_pane(self) -> CollectionsPane | None:
        """The collections pane (built now if it was not yet), or None without collections."""
        return self.collections.get() if self.collections is not None else None

    # -- construction ---------------------------------------------------------------------------
    def _lay_out(self) -> None:
        self.inner_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.inner_splitter.setObjectName("innerSplitter")
        self.inner_splitter.addWidget(self.tabs.editor_stack)
        self.inner_splitter.addWidget(self.tabs.response_stack)
        self.inner_splitter.setChildrenCollapsible(False)
        self.outer_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.outer_splitter.setObjectName("outerSplitter")
        work = QWidget()  # the request tabs above the current tab's editor and response
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.setSpacing(0)
        work_layout.addWidget(self.tabs.row)
        work_layout.addWidget(self.inner_splitter, 1)
        self.outer_splitter.addWidget(self.side_tabs)
        self.outer_splitter.addWidget(work)
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

    def _build_tab(self, tab: RequestTab) -> None:
        if tab in self.tabs.tabs:  # not closed meanwhile
            tab.build()

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

    def _connect(self) -> None:
        for source in (self.send_control, self.run_control, self.curl_importer):
            source.message.connect(self.statusBar().showMessage)
        self.history_pane.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.guard.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.history_pane.selected.connect(self._on_history_selected)
        self.history_pane.loading.connect(self._on_history_loading)
        self.history_pane.open_in_editor.connect(self._on_history_open)
        self.send_control.open_requested.connect(self.open_in_editor)
        self.history_pane.save_to_collection.connect(self.save_history_to_collection)
        self.history_pane.save_to_collection_action.setVisible(self.collections is not None)
        self.profile_selector.changed.connect(self._on_profile_changed)

    def _on_collections_built(self, pane: CollectionsPane) -> None:
        """Wire the collections pane, and bring it up to date with the window."""
        pane.open_request.connect(self.open_saved_request)
        pane.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        pane.run_requested.connect(self.run_control.run)
        profile = self.profile_selector.current()
        pane.set_profile_base_url(profile.base_url if profile else None)
        self.workspace.sync_pane()
        if self.workspace.built:
            keyboard.chain_tabs(self)

    def _collections_notice(self, text: str) -> None:
        if self.collections is not None:
            self.collections.get().show_notice(text)

    # -- profiles ---------------------------------------------------------------------------
    def _on_profile_changed(self, profile: Profile | None) -> None:
        self.guard.cancel_pending()  # a send held for the old profile's accounts
        for tab in self.tabs.built:
            tab.editor.set_base_url(profile.base_url if profile else DEFAULT_BASE_URL)
        pane = self.collections.built if self.collections else None
        if pane is not None:
            pane.set_profile_base_url(profile.base_url if profile else None)
        if profile is not None:
            # A profile of this run only (``--demo``) is not the one to reopen next time.
            if not self.profiles.is_transient(profile.name):
                self.settings.set("last_profile", profile.name)
            tab = self.tabs.current
            if not tab.editor.account_edit.text().strip() and profile.account_id:
                clean = not tab.is_dirty()
                tab.editor.account_edit.setText(profile.account_id)
                if clean:
                    tab.mark_clean()  # the profile's default is no edit of the user's
            self.statusBar().showMessage(f"Profile {profile.name}: {profile.base_url}", 4000)
        name, base_url = (profile.name, profile.base_url) if profile else (None, None)
        for tab in sorted(self.tabs.built, key=lambda t: t is self.tabs.current):
            # The current tab's last: its account is the one the service lists actions for.
            controls = tab.built_discovery
            if controls is not None:
                controls.set_profile(name, base_url)
            elif tab is self.tabs.current:  # its controls, when built, follow the service
                self.discovery.set_target(name, base_url, tab.editor.account_edit.text())

    # -- editor commands ------------------------------------------------------------------------
    def set_known_actions(self, names: Iterable[str]) -> None:
        """Offer ``names`` (and every action in the history) as the action field's suggestions.

        Also callable after start-up: the app adds the demo's action names once the window has
        painted, so their module is not imported before the first paint.
        """
        self.known_actions = [*names, *self.history.actions()]
        for tab in self.tabs.built:
            tab.editor.set_known_actions(self.known_actions)

    def new_request(self) -> None:
        """A new, unsaved request in a tab of its own: tied to no saved one, so Ctrl+S asks
        where to save it."""
        self.workspace.new_tab()

    def open_in_editor(self, request: RpcRequest, history_id: str | None = None) -> None:
        """Replay from history: the request's fields, the current profile's base URL, in
        the entry's tab if open, else in a tab of its own."""
        self.workspace.open_entry(request, history_id)
        self.editor.action_edit.setFocus()
        self.send_control.say_loaded()  # or what blocks Send (a secret the history never kept)

    def _on_history_open(self, request: RpcRequest) -> None:
        entry = self.history_pane.current_entry()
        self.open_in_editor(request, entry.id if entry is not None else None)

    def copy_as_curl(self) -> None:
        from explorer.core.curl import to_curl  # not with the window: start-up

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
        """Load a saved request, in its tab if open; its base URL is the profile's unless
        the file pins one."""
        # The collections' modules come with their pane, after the first paint: not here.
        from explorer.store.collections import SavedRequest

        if not isinstance(saved, SavedRequest):
            return
        self.workspace.open_saved(saved)
        self.statusBar().showMessage(f"Opened '{saved.name}': Ctrl+Enter sends, Ctrl+S saves", 5000)

    def save_to_collection(self, *, save_as: bool) -> None:
        self.workspace.save(save_as=save_as)

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
        from explorer.ui.preferences.dialog import PreferencesDialog  # imported when opened

        dialog = PreferencesDialog(self.preferences(), self)
        if run_modal(dialog):
            self.apply_preferences(dialog.preferences())

    def apply_preferences(self, prefs: Preferences) -> None:
        """Take effect now and persist: history trimmed, new-request timeout, automatic
        retry, light or dark."""
        prefs.store(self.settings)
        self._apply_body_limits(prefs)
        self.history_pane.set_limit(prefs.history_limit)
        self._apply_to_tabs(prefs)
        self.guard.ask_for_test_accounts = prefs.guard_test_accounts
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
        for tab in self.tabs.built:
            tab.response_view.set_body_limit(prefs.body_limit)
        self.history_pane.flush()
        self.history.body_limit = prefs.body_limit
        if self.history.budget != prefs.history_budget:
            self.history_pane.set_budget(prefs.history_budget)

    def _apply_to_tabs(self, prefs: Preferences) -> None:
        self.tabs.replace_current = not prefs.open_in_new_tab
        for tab in self.tabs.built:
            tab.editor.set_default_timeout(prefs.default_timeout)
            tab.response_view.set_auto_retry(prefs.auto_retry)

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        for tab in self.tabs.built:
            tab.editor.set_dark(dark)
            tab.response_view.set_dark(dark)

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
        self._apply_to_tabs(prefs)
        self.guard.ask_for_test_accounts = prefs.guard_test_accounts
        self.workspace.restore()

    def save_state(self) -> None:
        """Remember geometry, splitters and the open tabs with their edits (never a key)."""
        state.save_layout(self)
        self.workspace.save_state()
        self.settings.save()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A backstop in case a platform never paints the window itself (only its children).
        self._backstop.start(FIRST_PAINT_BACKSTOP_MS)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            # Reading the profile's key imports ``keyring`` on a pool thread, which still holds
            # the GIL for much of ~60 ms: let the window appear (and take a key) first.
            self._painted = True
            self._first_painted()

    def _first_painted(self) -> None:
        # Shift+F10 on each window the focus enters (a shortcut; no event filter).
        menu_key.install_everywhere()
        if not self._finishing:
            self._finishing = True
            # After the first frame's paints, then behind the events queued by then: a key
            # pressed as the window appears is handled first.
            self._second_stage.start(SECOND_STAGE_MS)
        self.after_first_paint.start()

    def finish_building(self) -> None:
        """The second stage of building the window: what its first frame shows but does not
        need to work yet: each tab's discovery controls (the picker, action completion, fill
        from schema), the focus ring and the status bar's announcements.

        Runs ``SECOND_STAGE_MS`` after the first paint, behind the events queued by then
        (tests call it at once); it takes ~5-10 ms. Whatever uses a part before then builds
        it on the spot (a click on "Pick…", Alt+Down or F4 in a field, Ctrl+Shift+K): nothing
        pressed is lost. Calling it again does nothing.
        """
        if self.focus_ring is not None:
            return
        self._finishing = True
        self.tabs.build_discovery()
        self.focus_ring = FocusRing(self)
        # The status bar draws its messages; a screen reader hears them only as announcements
        # (from here on: the first frame's "Ready" is announced now, with QAccessible's first
        # use, ~2-4 ms).
        status = self.statusBar()
        status.messageChanged.connect(lambda text: announce(self, text))
        announce(self, status.currentMessage())
        self.history_pane.start_reading()

    def compare(self, left: Exchange, right: Exchange) -> CompareWindow:
        """Compare two exchanges in a window of their own (e.g. two rows of a run across
        accounts): what changed from ``left`` to ``right``."""
        return self.analysis.compare.compare(left, right)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing more is read or formatted for the screen; what is running ends below.
        self.history_pane.stop_reading()
        for tab in self.tabs.built:
            tab.response_view.stop()
        self.after_first_paint.cancel()
        self.send_control.shutdown()
        self.support.shutdown()
        self.discovery.shutdown()
        self.run_control.shutdown()
        self.analysis.shutdown()
        self.history_pane.flush()  # every exchange on disk before the app may exit
        try:
            self.save_state()
        except (OSError, ExplorerError, TypeError, ValueError) as exc:
            # Losing the layout is not worth refusing to quit; say so on stderr.
            import sys

            print(f"stackone-explorer: could not save settings: {exc}", file=sys.stderr)
        if self._own_client:
            self.client.close()
        # No thread of the window may still run Python when the window (or Python) goes.
        wait_for_pools(self, CLOSE_WAIT_MS)
        event.accept()
