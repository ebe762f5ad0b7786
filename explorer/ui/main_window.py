"""The explorer window: history on the left, the request editor, the response.

The window wires parts together and translates user intent into calls; it holds no HTTP or
storage logic of its own. Sending is defined as: **one request in flight at a time**. While
one runs, the Send button turns into Cancel, Esc cancels, and Ctrl+Enter is ignored with a
status-bar note, so a response on screen always belongs to the request the user last sent.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QThreadPool, QTimer
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
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__
from explorer.core.client import CancelToken, RpcClient
from explorer.core.curl import CurlImport, from_curl, reads_files, to_curl
from explorer.core.errors import CurlImportError, ExplorerError, InvalidRequest
from explorer.core.exchange import Exchange
from explorer.core.guard import AccountBook, Target
from explorer.core.request import DEFAULT_BASE_URL, OBJECT_FIELDS, RpcRequest
from explorer.core.secrets import redact_header_object
from explorer.core.variables import UnresolvedVariables
from explorer.store.credentials import CredentialStore, KeyringUnavailable, MemoryCredentials
from explorer.store.history import HistoryRow, HistoryStore
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.accessibility import FocusRing, announce, name_toolbar_extension, tab_chain
from explorer.ui.collections_pane import CollectionsPane
from explorer.ui.discovery import DiscoveryControls, DiscoveryService, quiet_key_lookup
from explorer.ui.guard.gate import SendGate
from explorer.ui.guard.marks import ProductionMarks
from explorer.ui.history_pane import HistoryPane
from explorer.ui.preferences_dialog import Preferences, PreferencesDialog
from explorer.ui.request_editor import RequestEditor, describe_issue
from explorer.ui.response_view import ResponseView, human_ms
from explorer.ui.theme import apply_theme, is_dark
from explorer.ui.worker import CollectionRunJob, RenderJob, RequestRunner

if TYPE_CHECKING:
    # Dialogs and the collection runner are imported when first used, not at start-up.
    from explorer.runner import RunResult
    from explorer.ui.run_dialog import RunDialog, RunPlan

APP_TITLE = "StackOne RPC Explorer"
# Discovery reads the profile's key after the window's first paint, or this long after it is
# shown if the window itself is never painted.
FIRST_PAINT_BACKSTOP_MS = 1000
# Automatic retries in a row before the window stops and leaves it to the user (StackOne's
# SDKs also give up after a few attempts).
MAX_AUTO_RETRIES = 3


class Banner(QFrame):
    """A non-blocking notice above the panes, with an optional action button.

    Used for problems the user must know about but that must not stop them (a damaged
    settings file, a missing API key): a modal dialog would block keyboard flow and tests.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(
            "#banner { background: rgba(191, 135, 0, 0.16); border: 1px solid "
            "rgba(191, 135, 0, 0.6); border-radius: 4px; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.setAccessibleName("Suggested action")  # until a message names it
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleDescription("Hide this notice")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self._callback: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.hide()

    def show_message(
        self, text: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> None:
        self.label.setText(text)
        self._callback = callback
        self.action_button.setVisible(bool(action and callback))
        self.action_button.setText(action or "")
        self.action_button.setAccessibleName((action or "Suggested action").rstrip("…"))
        self.action_button.setAccessibleDescription(text)
        self.show()
        announce(self, text, assertive=True)

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _run_action(self) -> None:
        callback = self._callback
        self.hide()
        if callback is not None:
            callback()


class CurlDialog(QDialog):
    """Paste a curl command; the window does the parsing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import curl")
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)  # a pasted command keeps its tabs; Tab moves on
        self.edit.setPlaceholderText(
            'curl -X POST https://api.stackone.com/actions/rpc -u "$STACKONE_API_KEY:" '
            "-H 'x-account-id: ...' --data-raw '{\"action\": \"...\"}'"
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        label = QLabel("&Paste a curl command for POST /actions/rpc:")
        label.setBuddy(self.edit)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.resize(640, 320)


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
        self.setWindowTitle(APP_TITLE)

        self.runner = RequestRunner(self.client, parent=self)
        self.editor = RequestEditor()
        # Accounts and actions of the selected profile, listed off the UI thread.
        # Its first key read waits for the first paint (see ``paintEvent``).
        self.discovery = DiscoveryService(
            self.client, quiet_key_lookup(session_keys, credentials), held=True, parent=self
        )
        self._painted = False
        self.discovery_controls = DiscoveryControls(self.editor, self.discovery, parent=self)
        self.discovery_controls.message.connect(
            lambda text: self.statusBar().showMessage(text, 5000)
        )
        self.response_view = ResponseView(pool=self.runner.pool)
        self.history_pane = HistoryPane(history)
        # The production guard: marks production accounts, asks before writing to one.
        self.guard = SendGate(self.discovery, self)
        self.marks = ProductionMarks(
            self.editor, self.discovery, self, self.history_pane.model, APP_TITLE, parent=self
        )
        self.banner = Banner()
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.history_pane, "History")  # Ctrl+1 goes there
        self.collections_pane: CollectionsPane | None = None
        if collections_dir is not None:
            self.collections_pane = CollectionsPane(
                collections_dir, credentials=credentials, settings=settings
            )
            self.side_tabs.addTab(self.collections_pane, "Collections")  # Ctrl+4
        self._pending_secrets: list[str] = []
        self._curl_jobs: list[object] = []  # signals of curl imports reading a body file
        self._loading_saved = False
        self._last_sent: Exchange | None = None
        self._auto_retries = 0
        # Collection runs: one at a time, on their own thread, beside a single Send.
        self.run_pool = QThreadPool(self)
        self.run_pool.setMaxThreadCount(1)
        self.run_dialog: RunDialog | None = None

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

        self.elapsed_label = QLabel()
        self.statusBar().addPermanentWidget(self.elapsed_label)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._connect()
        self.set_known_actions(known_actions)
        self.editor.set_dark(dark)
        self.response_view.set_dark(dark)
        self.reload_profiles(select=self.settings.get("last_profile"))
        self._restore()
        problems = [p for p in startup_problems if p]
        if problems:
            self.banner.show_message(" ".join(problems))
        elif not self.profiles.list():
            self.banner.show_message(
                "Welcome! To call your StackOne project, add a profile: a name, the base URL "
                "and an API key (kept in the OS keyring). To try the explorer first without "
                "one, start it with --demo: a built-in demo server answers, nothing leaves "
                "this machine.",
                "Add a profile…",
                self.manage_profiles,
            )
        self._set_tab_order()
        self.focus_ring = FocusRing(self)
        # The status bar draws its messages; a screen reader hears them only as announcements.
        self.statusBar().messageChanged.connect(lambda text: announce(self, text))
        self.statusBar().showMessage("Ready", 3000)

    # -- construction ---------------------------------------------------------------------------
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
        self.send_action = self._action(
            "&Send",
            self.send,
            ["Ctrl+Return", "Ctrl+Enter"],
            "Send the request (Ctrl+Enter)",
        )
        self.cancel_action = self._action(
            "&Cancel", self.cancel, [QKeySequence(Qt.Key.Key_Escape)], "Abort the request (Esc)"
        )
        self.cancel_action.setEnabled(False)
        self.retry_action = self._action("&Retry", self.retry, [], "Send the last request again")
        self.format_action = self._action(
            "&Format JSON", self.editor.format_current, ["Ctrl+Shift+F"], "Re-indent the JSON"
        )
        self.new_action = self._action(
            "&New request", self.new_request, [QKeySequence.StandardKey.New], "Start afresh"
        )
        self.import_curl_action = self._action(
            "&Import curl…", self.import_curl, ["Ctrl+I"], "Paste a curl command"
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
            "&Manage profiles…", self.manage_profiles, ["Ctrl+Shift+P"], "Profiles and API keys"
        )
        self.find_action = self._action(
            "&Find in response…", self.response_view.open_find, [QKeySequence.StandardKey.Find]
        )
        self.focus_history_action = self._action("Go to &history", self._focus_history, ["Ctrl+1"])
        self.focus_editor_action = self._action(
            "Go to the &editor", lambda: self.editor.action_edit.setFocus(), ["Ctrl+2"]
        )
        self.focus_collections_action = self._action(
            "Go to &collections", self._focus_collections, ["Ctrl+4"]
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
            "Go to the &response", self._focus_response, ["Ctrl+3"]
        )
        self.stack_action = self._action(
            "Response &below the editor", self._toggle_stacking, [], "Switch the layout"
        )
        self.stack_action.setCheckable(True)
        self.catalogue_action = self._action(
            "&Demo catalogue", self.show_catalogue, [], "Demo accounts and actions"
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
        self.about_action = self._action("&About", self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for action in (self.import_curl_action, self.copy_curl_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        file_menu.addAction(self.save_history_action)
        file_menu.addAction(self.history_pane.clear_action)
        file_menu.addSeparator()
        file_menu.addAction(self.preferences_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        request_menu = bar.addMenu("&Request")
        for action in (
            self.send_action,
            self.cancel_action,
            self.retry_action,
            self.format_action,
            self.new_action,
        ):
            request_menu.addAction(action)
        request_menu.addSeparator()
        request_menu.addAction(self.pick_account_action)
        request_menu.addAction(self.fill_schema_action)
        request_menu.addAction(self.reload_discovery_action)
        request_menu.addSeparator()
        request_menu.addAction(self.profiles_action)
        view_menu = bar.addMenu("&View")
        for action in (
            self.find_action,
            self.focus_history_action,
            self.focus_editor_action,
            self.focus_response_action,
            self.focus_collections_action,
            self.stack_action,
        ):
            view_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.catalogue_action)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Profile")
        toolbar.setObjectName("profileToolbar")
        toolbar.setMovable(False)
        self.profile_combo = QComboBox()
        self.profile_combo.setMinimumContentsLength(16)
        self.profile_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.profile_combo.setToolTip("The profile gives the base URL and the API key")
        label = QLabel("Profi&le: ")
        label.setBuddy(self.profile_combo)
        toolbar.addWidget(label)
        toolbar.addWidget(self.profile_combo)
        toolbar.addAction(self.profiles_action)
        toolbar.addSeparator()
        toolbar.addAction(self.send_action)
        toolbar.addAction(self.cancel_action)
        toolbar.addAction(self.import_curl_action)
        # Its buttons take no Tab focus (as in every toolbar); each is in a menu with its key.
        name_toolbar_extension(toolbar)
        self.addToolBar(toolbar)

    def _connect(self) -> None:
        self.editor.send_requested.connect(self.send)
        self.editor.cancel_requested.connect(self.cancel)
        self.editor.validity_changed.connect(self._on_validity_changed)
        self.runner.started.connect(self._on_started)
        self.runner.elapsed.connect(self._on_elapsed)
        self.runner.finished.connect(self._on_finished)
        self.response_view.cancel_requested.connect(self.cancel)
        self.response_view.retry_requested.connect(self.retry)
        self.response_view.auto_retry_requested.connect(self.auto_retry)
        self.response_view.auto_retry_changed.connect(self._on_auto_retry_changed)
        self.response_view.manage_profiles_requested.connect(self.manage_profiles)
        self.response_view.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.guard.waiting.connect(self._on_guard_waiting)
        self.guard.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.history_pane.selected.connect(self._on_history_selected)
        self.history_pane.loading.connect(self._on_history_loading)
        self.history_pane.open_in_editor.connect(self.open_in_editor)
        self.history_pane.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.history_pane.save_to_collection.connect(self.save_history_to_collection)
        self.history_pane.save_to_collection_action.setVisible(self.collections_pane is not None)
        self.profile_combo.currentIndexChanged.connect(self._on_profile_changed)
        if self.collections_pane is not None:
            pane = self.collections_pane
            pane.open_request.connect(self.open_saved_request)
            pane.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            pane.run_requested.connect(self.run_collection)
            self.editor.changed.connect(self._on_editor_changed)
        self._on_validity_changed(self.editor.issues())

    # -- profiles and keys ----------------------------------------------------------------------
    def current_profile(self) -> Profile | None:
        name = self.profile_combo.currentData()
        return self.profiles.get(name) if isinstance(name, str) else None

    def reload_profiles(self, select: str | None = None) -> None:
        """Refill the selector, keeping (or choosing) the selected profile."""
        keep = select or self.profile_combo.currentData()
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for profile in self.profiles.list():
            self.profile_combo.addItem(profile.name, profile.name)
        index = self.profile_combo.findData(keep) if keep else -1
        self.profile_combo.setCurrentIndex(index if index >= 0 else 0)
        self.profile_combo.blockSignals(False)
        self._on_profile_changed()

    def select_profile(self, name: str) -> bool:
        index = self.profile_combo.findData(name)
        if index < 0:
            return False
        self.profile_combo.setCurrentIndex(index)
        self._on_profile_changed()
        return True

    def _on_profile_changed(self, _index: int = -1) -> None:
        profile = self.current_profile()
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

    def api_key_for(self, profile: str) -> str | None:
        """The key for ``profile``: this run's memory first, then the OS keyring.

        Tells the user plainly (banner) when there is none or the keyring cannot be read.
        """
        key = self.session_keys.get(profile)
        if key:
            return key
        try:
            key = self.credentials.get(profile)
        except KeyringUnavailable as exc:
            self.banner.show_message(
                f"The OS keyring is not available, so the API key of profile '{profile}' "
                f"cannot be read: {exc} You can keep a key in memory for this run in "
                "Manage profiles.",
                "Manage profiles…",
                self.manage_profiles,
            )
            return None
        except ExplorerError as exc:
            self.banner.show_message(f"Could not read the API key: {exc}")
            return None
        if not key:
            self.banner.show_message(
                f"Profile '{profile}' has no API key yet. Set one in Manage profiles "
                "(it goes to the OS keyring, or into memory for this run only).",
                "Manage profiles…",
                self.manage_profiles,
            )
            return None
        return key

    def manage_profiles(self) -> None:
        from explorer.ui.profiles_dialog import ProfilesDialog

        dialog = ProfilesDialog(self.profiles, self.credentials, self.session_keys, self)
        dialog.profiles_changed.connect(lambda: self.reload_profiles())
        current = self.current_profile()
        if current is not None:
            dialog.select_profile(current.name)
        dialog.exec()
        self.reload_profiles()

    # -- sending ------------------------------------------------------------------------------
    def send(self) -> bool:
        """Send the editor's request. Returns False (saying why) if nothing was sent."""
        if self.runner.in_flight:
            self.statusBar().showMessage(
                "A request is already in flight: wait for it, or press Esc to cancel it.", 5000
            )
            return False
        self._auto_retries = 0
        try:
            request = self.editor.to_request()
        except InvalidRequest as exc:
            self.statusBar().showMessage("Can't send yet: " + describe_issue(exc.issues[0]), 8000)
            return False
        try:
            request, self._pending_secrets = self._resolve_variables(request)
        except UnresolvedVariables as exc:
            self.banner.show_message(f"Not sent: {exc}")
            return False
        profile = self.current_profile()
        if profile is None:
            self.banner.show_message(
                "Add a profile (name, base URL and API key) before sending.",
                "Manage profiles…",
                self.manage_profiles,
            )
            return False
        return self._send(request, profile.name)

    def auto_retry(self) -> bool:
        """The Retry-After wait ended with automatic retry on: retry, a few times at most.

        Only the exchange just sent, while it is on screen: browsing the history never sends.
        """
        if self.response_view.exchange is not self._last_sent or self._last_sent is None:
            return False
        if self._auto_retries >= MAX_AUTO_RETRIES:
            self.statusBar().showMessage(
                f"Stopped retrying automatically after {MAX_AUTO_RETRIES} attempts; "
                "press Retry to try again.",
                10_000,
            )
            return False
        self._auto_retries += 1
        return self._retry()

    def retry(self) -> bool:
        """Send the request of the exchange on screen again, exactly as it was."""
        self._auto_retries = 0
        return self._retry()

    def _retry(self) -> bool:
        exchange = self.response_view.exchange
        if exchange is None:
            return self.send()
        if self.runner.in_flight:
            self.statusBar().showMessage("A request is already in flight.", 5000)
            return False
        profile = exchange.profile or (self.current_profile() or Profile("")).name
        request = exchange.request.copy()
        stored = self.profiles.get(profile)
        if stored is not None and exchange is not self._last_sent:
            # Replaying from history: use the profile's current address (the demo's port and
            # a profile's URL may have changed since).
            request = request.copy(base_url=stored.base_url)
        return self._send(request, profile)

    def _send(self, request: RpcRequest, profile: str) -> bool:
        """Send through the production guard: at once, or after the account list or the
        user's yes (True then too); False if nothing will be sent."""
        key = self.api_key_for(profile)
        if key is None:
            return False
        return self.guard.request(
            scope=request.base_url,
            profile=profile,
            build=lambda book: [self.guard.target(book, request.action, request.account_id)],
            go=lambda: self.runner.start(request, key, profile),
        )

    def _on_guard_waiting(self, waiting: bool) -> None:
        """Esc stops a send held by the production guard as it stops one in flight."""
        self.cancel_action.setEnabled(waiting or self.runner.in_flight)

    def _resolve_variables(self, request: RpcRequest) -> tuple[RpcRequest, list[str]]:
        """Fill ``{{variables}}`` from the collection's active environment.

        Returns the request to send and the secret values that went into it, so they can be
        scrubbed before the exchange is written to the history.
        """
        pane = self.collections_pane
        if pane is None:
            return request, []
        resolved = pane.resolve(request)
        store = pane.current_store()
        env = store.collection.environments.get(pane.active_environment_name()) if store else None
        if env is None or not env.secrets:
            return resolved, []
        values = pane.active_environment()
        return resolved, [values[name] for name in env.secrets if values.get(name)]

    def cancel(self) -> None:
        if self.guard.cancel_pending():
            return
        if self.runner.cancel():
            self.statusBar().showMessage("Cancelling…", 3000)

    def _on_started(self, request: RpcRequest) -> None:
        announce(self, f"Sending {request.action}…")
        self.editor.set_in_flight(True)
        self.cancel_action.setEnabled(True)
        # Send stays enabled: Ctrl+Enter (or Send) now only says why nothing more is sent.
        self.send_action.setToolTip("A request is in flight: Esc cancels it")
        self.response_view.show_in_flight(request.action)
        self.elapsed_label.setText("0.0 s")

    def _on_elapsed(self, seconds: float) -> None:
        self.elapsed_label.setText(f"{seconds:.1f} s")
        self.response_view.set_elapsed(seconds, self.editor.action_edit.text())

    def _on_finished(self, exchange: Exchange) -> None:
        self.editor.set_in_flight(False)
        self.cancel_action.setEnabled(False)
        self._on_validity_changed(self.editor.issues())
        self.elapsed_label.setText("")
        self.response_view.show_exchange(exchange, live=True)
        self._last_sent = exchange
        # Written on the history's own thread (a big body must not freeze the window).
        self.history_pane.add(exchange, self._pending_secrets)
        if exchange.response is not None:
            r = exchange.response
            self.statusBar().showMessage(
                f"{r.status} {r.reason} in {human_ms(r.timing.total_ms)}", 8000
            )
        elif exchange.failure is not None:
            self.statusBar().showMessage(exchange.failure.message, 8000)

    def _on_validity_changed(self, issues: list[Any]) -> None:
        # Enabled in flight too, so a second Ctrl+Enter reaches send() and its note.
        self.send_action.setEnabled(not issues)
        if self.runner.in_flight and not issues:
            self.send_action.setToolTip("A request is in flight: Esc cancels it")
            return
        self.send_action.setToolTip(
            "Send the request (Ctrl+Enter)" if not issues else describe_issue(issues[0])
        )

    def _on_auto_retry_changed(self, on: bool) -> None:
        self.settings.set("auto_retry", bool(on))

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
        profile = self.current_profile()
        self.editor.load_request(request)
        self.editor.set_base_url(profile.base_url if profile else request.base_url)
        self._detach_saved()
        self.editor.action_edit.setFocus()
        self.statusBar().showMessage("Loaded into the editor: press Ctrl+Enter to send", 5000)

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
        profile = self.current_profile()
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
        saved = self.collections_pane.save_requests(requests)
        if saved:
            self._focus_collections()

    def run_collection(self, plan: RunPlan) -> RunDialog | None:
        """Run a collection or folder with the current profile's key on a worker thread,
        results live in a ``RunDialog``; each exchange also goes into the history.

        The production guard asks once for the whole run when it writes to production (or
        sends to accounts that need a word): ``None`` is returned then, and the dialog opens
        on "yes"."""
        if self.run_dialog is not None and self.run_dialog.running:
            self.statusBar().showMessage(
                "A collection run is in progress: cancel it or wait for it to end.", 5000
            )
            self.run_dialog.raise_()
            self.run_dialog.activateWindow()
            return None
        profile = self.current_profile()
        if profile is None:
            self.banner.show_message(
                "Add a profile (name, base URL and API key) before running a collection.",
                "Manage profiles…",
                self.manage_profiles,
            )
            return None
        key = self.api_key_for(profile.name)
        if key is None:
            return None

        def build(book: AccountBook) -> list[Target]:
            return self.guard.run_targets(book, plan.requests, plan.values, profile)

        started: list[RunDialog] = []

        def go() -> bool:
            started.append(
                self._start_run(plan, profile, key, build(self.guard.book(profile.name)))
            )
            return True

        self.guard.request(
            scope=profile.base_url,
            profile=profile.name,
            build=build,
            go=go,
            what=f"'{plan.title}'",
            total=len(plan.requests),
        )
        return started[0] if started else None

    def _start_run(
        self, plan: RunPlan, profile: Profile, key: str, targets: list[Target]
    ) -> RunDialog:
        from explorer.runner import summary
        from explorer.ui.run_dialog import RunDialog

        token = CancelToken()
        dialog = RunDialog(plan, where=profile.base_url, token=token, parent=self)
        dialog.set_accounts({t.label: t for t in targets})
        job = CollectionRunJob(
            self.client,
            plan.requests,
            api_key=key,
            values=plan.values,
            profile=profile,
            masked=plan.secrets,
            token=token,
        )
        dialog.keep_signals(job.signals)
        job.signals.progress.connect(dialog.on_progress)
        job.signals.finished.connect(dialog.on_finished)

        def to_history(_index: int, result: RunResult | None) -> None:
            if result is not None and result.exchange is not None:
                self.history_pane.add(result.exchange, plan.secrets, select=False)

        def finished(results: list[RunResult]) -> None:
            self.statusBar().showMessage(
                f"Ran {plan.title}: {summary(results, plan.problems, 0).split(' (')[0]}", 10_000
            )

        job.signals.progress.connect(to_history)
        job.signals.finished.connect(finished)
        if self.run_dialog is not None:
            self.run_dialog.deleteLater()
        self.run_dialog = dialog
        dialog.show()
        self.run_pool.start(job)
        return dialog

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

    # -- keyboard ---------------------------------------------------------------------------
    def _set_tab_order(self) -> None:
        """Tab in reading order across the window (after the response it comes back round to
        the profile): the profile, a notice's buttons, the side pane, the editor, the
        response. Focus starts in the editor, or in the history's filter when there is one."""
        panes = self.collections_pane.tab_chain() if self.collections_pane else []
        tab_chain(
            [
                self.profile_combo,
                self.banner.action_button,
                self.banner.close_button,
                self.side_tabs.tabBar(),
                *self.history_pane.tab_chain(),
                *panes,
                *self.editor.tab_chain(),
                *self.response_view.tab_chain(),
            ]
        )
        # Start where the work starts: the history's filter when there is history.
        start = self.history_pane.filter_edit if len(self.history) else None
        (start or self.editor.action_edit).setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_history(self) -> None:
        self.side_tabs.setCurrentWidget(self.history_pane)
        self.history_pane.focus_list()

    def _focus_response(self) -> None:
        if not self.response_view.focus_content():
            self.statusBar().showMessage("No response yet: Ctrl+Enter sends the request", 5000)

    def _apply_body_limits(self, prefs: Preferences) -> None:
        """One body size limit for sending, viewing and the history; the history's budget."""
        self.client.body_limit = prefs.body_limit
        self.response_view.set_body_limit(prefs.body_limit)
        self.history_pane.flush()
        self.history.body_limit = prefs.body_limit
        if self.history.budget != prefs.history_budget:
            self.history_pane.set_budget(prefs.history_budget)

    def _focus_collections(self) -> None:
        if self.collections_pane is not None:
            self.side_tabs.setCurrentWidget(self.collections_pane)
            self.collections_pane.focus_tree()

    def copy_as_curl(self) -> None:
        QGuiApplication.clipboard().setText(to_curl(self.editor.draft_request()))
        self.statusBar().showMessage(
            "Copied as curl; the key stays $STACKONE_API_KEY in the command", 5000
        )

    def import_curl(self) -> None:
        dialog = CurlDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.import_curl_text(dialog.edit.toPlainText())

    def import_curl_text(self, command: str) -> bool:
        """Load a pasted curl command. A key found in it is never stored in a file.

        A command reading its body from a file (``-d @file``) is read on the thread pool
        (the disk may be slow): it loads when that is done, and this returns True.
        """
        limit = self.preferences().body_limit
        if reads_files(command):
            self.statusBar().showMessage("Reading the curl command's body file…", 5000)
            job = RenderJob(0, lambda: from_curl(command, max_size=limit))
            signals = job.signals  # kept until done: the pool deletes the job itself

            def done(_generation: int, result: object) -> None:
                self._curl_jobs.remove(signals)
                self._curl_imported(result)

            signals.done.connect(done)
            self._curl_jobs.append(signals)
            self.runner.pool.start(job)
            return True
        try:
            return self._curl_imported(from_curl(command, max_size=limit))
        except CurlImportError as exc:
            return self._curl_imported(exc)

    def _curl_imported(self, imported: object) -> bool:
        if isinstance(imported, Exception):
            self.banner.show_message(f"That curl command could not be imported: {imported}")
            return False
        assert isinstance(imported, CurlImport)
        profile = self.current_profile()
        self.editor.load_request(imported.request)
        if profile is not None:
            self.editor.set_base_url(profile.base_url)
        self._detach_saved()
        notes = list(imported.warnings)
        if profile is not None and imported.request.base_url.rstrip("/") != profile.base_url.rstrip(
            "/"
        ):
            notes.append(
                f"The command targets {imported.request.base_url}; the profile "
                f"'{profile.name}' sends to {profile.base_url}."
            )
        key = imported.api_key
        if key and profile is not None:
            name = profile.name

            def use_key() -> None:
                self.session_keys.set(name, key)
                self.statusBar().showMessage(f"Using that key for '{name}' until you quit", 5000)

            self.banner.show_message(
                "The command contained an API key. It was not saved anywhere. " + " ".join(notes),
                f"Use it for '{name}' this run",
                use_key,
            )
        elif notes:
            self.banner.show_message("Imported. " + " ".join(notes))
        self.statusBar().showMessage("Imported the curl command", 5000)
        return True

    # -- help -------------------------------------------------------------------------------
    def show_catalogue(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Demo catalogue")
        browser = QTextBrowser()
        browser.setAccessibleName("Demo accounts and actions")
        browser.setPlainText(self._catalogue or "Start with --demo to use the demo server.")
        browser.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        from explorer.ui.json_editor import monospace_font

        browser.setFont(monospace_font())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        dialog.resize(860, 600)
        dialog.exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_TITLE}",
            f"<b>{APP_TITLE}</b> {__version__}<br>Call StackOne's POST /actions/rpc by hand, "
            "read every error, keep a history and replay it.<br><br>"
            f"API keys: {self.credentials.location()}",
        )

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.editor.set_dark(dark)
        self.response_view.set_dark(dark)

    # -- persistence ----------------------------------------------------------------------------
    def _toggle_stacking(self) -> None:
        below = self.stack_action.isChecked()
        self.inner_splitter.setOrientation(
            Qt.Orientation.Vertical if below else Qt.Orientation.Horizontal
        )

    def _restore(self) -> None:
        geometry = _decode(self.settings.get("window_geometry"))
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self._first_size()
        state = _decode(self.settings.get("window_state"))
        if state is not None:
            self.restoreState(state)
        splitters = self.settings.get("splitters") or {}
        if isinstance(splitters, dict):
            if splitters.get("below") is True:
                self.stack_action.setChecked(True)
                self._toggle_stacking()
            for key, splitter in (("outer", self.outer_splitter), ("inner", self.inner_splitter)):
                sizes = splitters.get(key)
                if isinstance(sizes, list) and all(
                    isinstance(s, int) and 0 <= s < 100_000 for s in sizes
                ):
                    splitter.setSizes(sizes)
        prefs = self.preferences()
        self._apply_body_limits(prefs)
        if self.history.limit != prefs.history_limit:
            self.history_pane.set_limit(prefs.history_limit)
        self.response_view.set_auto_retry(prefs.auto_retry)
        self.guard.policy.ask_for_test_accounts = prefs.guard_test_accounts
        self.editor.set_default_timeout(prefs.default_timeout)
        last = self.settings.get("last_request")
        request = None
        if isinstance(last, dict):
            try:
                request = RpcRequest.from_dict(last)
            except ValueError:
                request = None
        if request is not None:
            profile = self.current_profile()
            self.editor.load_request(request)
            self.editor.set_base_url(profile.base_url if profile else request.base_url)
        else:
            self.editor.timeout_spin.setValue(prefs.default_timeout)
        drafts = self.settings.get("last_request_drafts")
        if isinstance(drafts, dict):
            self.editor.load_drafts({k: v for k, v in drafts.items() if k != "headers"})

    def _first_size(self) -> None:
        """1400x860, or the screen's free area if smaller (a 1024x700 laptop), with the
        panes in proportion: history a fifth, editor and response sharing the rest."""
        width, height = 1400, 860
        screen = self.screen()
        if screen is not None:
            free = screen.availableGeometry()
            width, height = min(width, free.width()), min(height, free.height())
        self.resize(width, height)
        side = max(220, min(320, round(width * 0.215)))
        self.outer_splitter.setSizes([side, width - side])
        self.inner_splitter.setSizes([(width - side) // 2, (width - side) // 2])

    def save_state(self) -> None:
        """Remember geometry, splitters and the request being edited (never a key)."""
        self.settings.set("window_geometry", _encode(self.saveGeometry()))
        self.settings.set("window_state", _encode(self.saveState()))
        self.settings.set(
            "splitters",
            {
                "outer": self.outer_splitter.sizes(),
                "inner": self.inner_splitter.sizes(),
                "below": self.stack_action.isChecked(),
            },
        )
        self.settings.set("last_request", _without_secrets(self.editor.draft_request().to_dict()))
        drafts = {k: v for k, v in self.editor.draft_texts().items() if k in OBJECT_FIELDS}
        drafts.pop("headers", None)  # headers may hold a token: only the parsed, redacted form
        self.settings.set("last_request_drafts", drafts or None)
        self.settings.save()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A backstop in case a platform never paints the window itself (only its children).
        QTimer.singleShot(FIRST_PAINT_BACKSTOP_MS, self, self.discovery.release)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            # Reading the profile's key imports ``keyring`` on a pool thread, which still holds
            # the GIL for much of ~60 ms: let the window appear first.
            self._painted = True
            QTimer.singleShot(0, self, self.discovery.release)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.guard.cancel_pending()
        self.runner.shutdown()
        self.discovery.shutdown()
        if self.run_dialog is not None:
            self.run_dialog.cancel()
        self.run_pool.waitForDone(3000)
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


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: Any) -> QByteArray | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return QByteArray(base64.b64decode(text))
    except ValueError:
        return None


def _without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    """The draft for settings.json with secret header values redacted by the one shared rule
    (``is_secret_header``), so a provider key named ``X-Api-Token`` is hidden too."""
    headers = data.get("headers")
    if isinstance(headers, dict):
        data["headers"] = redact_header_object(headers)
    return data
