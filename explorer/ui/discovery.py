"""Account and action discovery in the editor: pick an account, complete actions, fill inputs.

``DiscoveryService`` lists a profile's linked accounts and its action catalogue with
``explorer.core.discovery`` on a ``QThreadPool`` (never the UI thread) and caches what it got
for the session, per profile, base URL and key, so switching back and forth fetches nothing.
The profile's key is read on the pool too: the OS keyring means importing ``keyring`` and a
D-Bus round trip, which must never hold up the window (at start-up least of all).
``DiscoveryControls`` puts it into a ``RequestEditor``: a "Pick…" button beside the account id
(a filterable popup), catalogue completion for the action field, and "Fill from schema".

Discovery is a convenience, never a gate: a failed listing is one quiet line under the account
field (with Retry), the fields stay free text, and Send works whatever discovery thinks.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.client import CancelToken, RpcClient
from explorer.core.discovery import Account, ActionInfo, DiscoveryClient, Listing
from explorer.core.errors import Cancelled, ExplorerError, RemoteError, TransportError
from explorer.core.request import OBJECT_FIELDS
from explorer.core.skeleton import skeleton_from_schema, with_skeleton
from explorer.store.credentials import CredentialStore
from explorer.ui.discovery_model import (
    SEARCH_ROLE,
    VALUE_ROLE,
    AccountsModel,
    ActionsModel,
    muted_css,
)
from explorer.ui.json_editor import JsonEditor
from explorer.ui.request_editor import RequestEditor

_PICK_TIP = "Choose one of this profile's linked accounts (Alt+Down in the account field)"
# Wait this long after the last keystroke in the account field before listing its actions.
ACCOUNT_SETTLE_MS = 400

# Reads a profile's key. ``DiscoveryService`` calls it on a pool thread, never the UI thread.
KeyLookup = Callable[[str], "str | None"]


def quiet_key_lookup(session_keys: CredentialStore, credentials: CredentialStore) -> KeyLookup:
    """The profile's key like the window finds it (this run's memory, then the keyring), but
    silent: a missing key is a discovery failure to show in a line, not a banner.

    The lookup runs on a discovery pool thread; both stores must allow that (the keyring
    opens its own D-Bus connection per call; ``MemoryCredentials`` only reads a dict).
    """

    def lookup(profile: str) -> str | None:
        try:
            return session_keys.get(profile) or credentials.get(profile) or None
        except ExplorerError:
            return None

    return lookup


def _fingerprint(key: str) -> str:
    """Tells keys apart in the in-memory cache without keeping the key itself there."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class DiscoveryFailure:
    """A listing that did not work, worded for the line under the account field.

    ``kind`` is ``"accounts"`` or ``"actions"``; ``error`` the exception (a ``RemoteError``
    keeps the response); ``text`` one short sentence; ``detail`` the long form for a tooltip.
    """

    kind: str
    error: BaseException
    text: str
    detail: str = ""


def describe_failure(kind: str, error: BaseException, profile: str) -> DiscoveryFailure:
    """What went wrong and what to do, e.g. "401 Unauthorized - check the API key"."""
    lead = f"Couldn't load {kind}"
    if isinstance(error, RemoteError):
        response = error.response
        status = f"{response.status} {response.reason}".strip()
        hints = {
            401: f"check the API key of profile '{profile}'",
            403: f"the key may lack the scope to list {kind}",
            404: "this server does not offer the listing",
            429: "rate limited; try again in a moment",
        }
        hint = hints.get(response.status) or (
            "StackOne had a problem; retry later" if response.status >= 500 else ""
        )
        text = f"{lead}: {status}" + (f" - {hint}" if hint else "")
        return DiscoveryFailure(kind, error, text, str(error))
    if isinstance(error, TransportError):
        return DiscoveryFailure(kind, error, f"{lead}: {error.what}", error.describe())
    if isinstance(error, ExplorerError):
        return DiscoveryFailure(kind, error, f"{lead}: {error}", str(error))
    return DiscoveryFailure(kind, error, f"{lead}: unexpected error {error!r}", repr(error))


# -- the worker ---------------------------------------------------------------------------------
@dataclass
class _Outcome:
    key: tuple[Hashable, ...]
    kind: str
    result: Any = None
    error: BaseException | None = None
    thread: int = 0
    token: CancelToken | None = None


class _FetchSignals(QObject):
    """Lives on the UI thread (kept by the service); the job emits through it.

    Signals:
        done(object): the ``_Outcome`` of the fetch: its result, or the error it raised.
    """

    done = Signal(object)


class FetchJob(QRunnable):
    """Runs one listing on a pool thread; ``done`` always arrives, with a result or an error."""

    def __init__(
        self, key: tuple[Hashable, ...], kind: str, fetch: Callable[[CancelToken], Any]
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _FetchSignals()
        self.token = CancelToken()
        self._key = key
        self._kind = kind
        self._fetch = fetch

    def run(self) -> None:
        outcome = _Outcome(self._key, self._kind, thread=threading.get_ident(), token=self.token)
        try:
            outcome.result = self._fetch(self.token)
        except Exception as exc:  # every failure is shown, none may leave the UI waiting
            outcome.error = exc
        self.signals.done.emit(outcome)


class DiscoveryService(QObject):
    """Lists accounts and actions for the selected profile, off the UI thread, cached.

    The cache lives for the session and is keyed by base URL, profile and a fingerprint of the
    key (so a corrected key fetches again); failures are never cached. Results for a profile or
    account that is no longer selected are cached but not emitted, so the UI never shows one
    profile's accounts under another.

    Selecting a profile (``set_target``, ``refresh``) first reads its key with ``keys`` on the
    pool; the listings start (or come from the cache) when the key arrives. Until then the
    service is ``busy()`` and load requests wait for the key rather than fail.

    ``held=True`` keeps key reads queued until ``release()``: the window releases them after
    its first paint, because importing ``keyring`` on the pool still competes with the UI
    thread for the GIL (~40-60 ms of first paint with a saved profile, measured).

    Signals:
        accounts_loaded(object): the ``Listing[Account]`` of the selected profile.
        actions_loaded(object): the ``Listing[ActionInfo]`` for the selected account.
        failed(object): a ``DiscoveryFailure`` (never for a cancelled fetch).
        loading(str): ``"accounts"`` or ``"actions"`` started loading.
    """

    accounts_loaded = Signal(object)
    actions_loaded = Signal(object)
    failed = Signal(object)
    loading = Signal(str)

    def __init__(
        self,
        client: RpcClient,
        keys: KeyLookup,
        *,
        pool: QThreadPool | None = None,
        held: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._held = held
        self._closed = False
        self._discovery = DiscoveryClient(client)
        self._keys = keys
        self._pool = pool or QThreadPool(self)
        self._profile: str | None = None
        self._base_url: str | None = None
        self._account_id = ""
        # Read on the pool when the target is set, not per keystroke: a keyring read is slow.
        self._api_key: str | None = None
        # The key read in progress for the selected profile (a newer one makes it stale).
        self._key_job: FetchJob | None = None
        self._cache: dict[tuple[Hashable, ...], Any] = {}
        self._running: dict[tuple[Hashable, ...], FetchJob] = {}
        # The pool deletes a job after ``run``; its signals must live until ``done`` lands here.
        self._signals: dict[int, _FetchSignals] = {}
        self.last_worker_thread: int | None = None

    # -- what is selected ----------------------------------------------------------------------
    @property
    def profile(self) -> str | None:
        return self._profile

    @property
    def account_id(self) -> str:
        return self._account_id

    def set_target(self, profile: str | None, base_url: str | None, account_id: str = "") -> None:
        """The selected profile changed (or was re-saved): show its accounts and actions."""
        target = (profile, (base_url or "").rstrip("/"))
        if target != (self._profile, (self._base_url or "").rstrip("/")):
            self._cancel_all()
        self._profile, self._base_url = profile, base_url
        self._account_id = account_id.strip()
        self._read_key()

    def set_account(self, account_id: str) -> None:
        """The account id changed: its catalogue (the connectors it links) is what to offer."""
        account_id = account_id.strip()
        if account_id != self._account_id:
            self._account_id = account_id
            self.load_actions(account_id)

    def refresh(self) -> None:
        """Forget this profile's cached listings and fetch them again (reading its key anew)."""
        if self._profile and self._base_url:
            target = (self._base_url.rstrip("/"), self._profile)
            for key in [k for k in self._cache if k[1:3] == target]:
                del self._cache[key]
        self._read_key()

    # -- cached data ------------------------------------------------------------------------
    def accounts(self) -> Listing[Account] | None:
        key = self._key("accounts")
        return self._cache.get(key) if key is not None else None

    def actions(self, account_id: str | None = None) -> Listing[ActionInfo] | None:
        account = self._account_id if account_id is None else account_id.strip()
        key = self._key("actions", account)
        return self._cache.get(key) if key is not None else None

    def find_action(self, name: str) -> ActionInfo | None:
        """``name`` in the selected account's catalogue, else in any catalogue of this profile
        (the whole one is fetched when no account is set)."""
        name = name.strip()
        prefix = self._target_key()
        if not name or prefix is None:
            return None
        listings: list[Listing[ActionInfo] | None] = [self.actions()]
        listings += [v for k, v in self._cache.items() if k[0] == "actions" and k[1:4] == prefix]
        for listing in listings:
            for action in listing or ():
                if isinstance(action, ActionInfo) and action.name == name:
                    return action
        return None

    def busy(self) -> bool:
        """True while the key is being read or a listing is being fetched."""
        return self._key_job is not None or bool(self._running)

    # -- fetching -----------------------------------------------------------------------------
    def load_accounts(self) -> None:
        self._load("accounts", "")

    def load_actions(self, account_id: str) -> None:
        self._load("actions", account_id.strip())

    def release(self) -> None:
        """Start the key read that ``held=True`` kept queued (if any); later reads start at once."""
        if self._held:
            self._held = False
            if self._key_job is not None:
                self._start(self._key_job)

    def shutdown(self, wait_ms: int = 3000) -> None:
        """Cancel every listing and wait for the pool (on window close). Nothing starts
        after: a job starting while Qt destroys the pool would wait for the GIL that the
        destroying thread holds, and hang the app at exit."""
        self._closed = True
        self._cancel_all()
        self._key_job = None
        self._pool.waitForDone(wait_ms)

    def _read_key(self) -> None:
        """Read the selected profile's key on the pool; ``_on_key`` then starts the listings.

        A read still running for an earlier selection is left to finish and then ignored: a
        keyring call cannot be interrupted, and the newest selection is the one that counts.
        """
        self._api_key = None
        profile = self._profile
        if not profile:
            self._key_job = None
            return
        keys = self._keys
        job = FetchJob(("key", profile), "key", lambda _token: keys(profile))
        self._key_job = job
        if not self._held:
            self._start(job)

    def _target_key(self) -> tuple[Hashable, ...] | None:
        if not self._profile or not self._base_url or not self._api_key:
            return None
        return (self._base_url.rstrip("/"), self._profile, _fingerprint(self._api_key))

    def _key(self, kind: str, account_id: str = "") -> tuple[Hashable, ...] | None:
        prefix = self._target_key()
        return None if prefix is None else (kind, *prefix, account_id)

    def _load(self, kind: str, account_id: str) -> None:
        profile, base_url, api_key = self._profile, self._base_url, self._api_key
        if not profile or not base_url or self._key_job is not None:
            return  # nothing selected, or the key is still being read (it loads both then)
        if not api_key:
            self.failed.emit(
                DiscoveryFailure(
                    kind,
                    LookupError(profile),
                    f"Couldn't load {kind}: profile '{profile}' has no API key yet "
                    "(Manage profiles)",
                )
            )
            return
        key = (kind, base_url.rstrip("/"), profile, _fingerprint(api_key), account_id)
        if key in self._cache:
            self._emit_loaded(kind, self._cache[key])
            return
        if key in self._running:
            return
        discovery = self._discovery

        def fetch(token: CancelToken) -> Any:
            if kind == "accounts":
                return discovery.list_accounts(base_url, api_key, cancel=token)
            return discovery.list_actions(
                base_url, api_key, account_id=account_id or None, cancel=token
            )

        job = FetchJob(key, kind, fetch)
        self._running[key] = job
        self.loading.emit(kind)
        self._start(job)

    def _start(self, job: FetchJob) -> None:
        if self._closed:
            return
        job.signals.done.connect(self._on_done)
        self._signals[id(job.token)] = job.signals
        self._pool.start(job)

    def _cancel_all(self) -> None:
        """Cancel every listing; forgetting them at once lets the same one start afresh."""
        for job in self._running.values():
            job.token.cancel()
        self._running.clear()

    def _on_done(self, outcome: _Outcome) -> None:
        self._signals.pop(id(outcome.token), None)
        self.last_worker_thread = outcome.thread
        if outcome.kind == "key":
            self._on_key(outcome)
            return
        running = self._running.get(outcome.key)
        if running is not None and running.token is outcome.token:
            del self._running[outcome.key]
        current = self._key(outcome.kind, self._account_id if outcome.kind == "actions" else "")
        if outcome.error is None:
            self._cache[outcome.key] = outcome.result
            if outcome.key == current:
                self._emit_loaded(outcome.kind, outcome.result)
        elif outcome.key == current and not isinstance(outcome.error, Cancelled):
            self.failed.emit(describe_failure(outcome.kind, outcome.error, self._profile or ""))

    def _on_key(self, outcome: _Outcome) -> None:
        job = self._key_job
        if job is None or outcome.token is not job.token:
            return  # read for a profile that is no longer selected
        self._key_job = None
        if outcome.error is not None:
            # ``quiet_key_lookup`` turns keyring trouble into "no key"; anything else is a bug
            # that is shown, never left as a picker stuck on "Loading".
            for kind in ("accounts", "actions"):
                self.failed.emit(describe_failure(kind, outcome.error, self._profile or ""))
            return
        self._api_key = outcome.result if isinstance(outcome.result, str) else None
        self.load_accounts()
        self.load_actions(self._account_id)

    def _emit_loaded(self, kind: str, listing: Any) -> None:
        (self.accounts_loaded if kind == "accounts" else self.actions_loaded).emit(listing)


# -- the account picker ---------------------------------------------------------------------------
class AccountPopup(QFrame):
    """A filterable list of linked accounts that drops down below the account field.

    Typing filters (any part of the label, provider, id, owner or status); Enter or a click
    picks, Esc closes. Unusable accounts are listed last and marked, not hidden.

    Signals:
        chosen(str): the account id picked.
        reload_requested(): the user asked to list the accounts again.
    """

    chosen = Signal(str)
    reload_requested = Signal()

    def __init__(self, model: AccountsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("accountPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._model = model
        self._anchor: QWidget | None = None
        model.modelReset.connect(lambda: self._fit() if self.isVisible() else None)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter accounts: name, provider, id…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.filter_edit.installEventFilter(self)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setUniformItemSizes(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.activated.connect(self._choose)
        self.view.clicked.connect(self._choose)
        self.status_label = QLabel()
        self.status_label.setStyleSheet(f"color: {muted_css()};")
        self.status_label.setWordWrap(True)
        self.reload_button = QToolButton()
        self.reload_button.setText("Reload")
        self.reload_button.setToolTip("List this profile's accounts again")
        self.reload_button.setAutoRaise(True)
        self.reload_button.clicked.connect(self.reload_requested)
        footer = QHBoxLayout()
        footer.addWidget(self.status_label, 1)
        footer.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        self._layout = layout
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

    def set_status(self, text: str, tooltip: str = "") -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(tooltip)

    def open_below(self, anchor: QWidget, current: str = "") -> None:
        """Show under ``anchor`` with an empty filter and ``current`` selected if listed."""
        self.filter_edit.clear()
        self._select(current)
        self._anchor = anchor
        self._fit()
        self.move(anchor.mapToGlobal(anchor.rect().bottomLeft()))
        self.show()
        self.filter_edit.setFocus()

    def _fit(self) -> None:
        """Size to the accounts; with none (failed, loading) only the filter and status show."""
        anchor = self._anchor
        if anchor is None:
            return
        self.view.setVisible(self._model.rowCount() > 0)
        # Wide enough for the longest line (up to a limit), tall enough for up to ten rows.
        frame = 2 * self.view.frameWidth()
        margins = self._layout.contentsMargins()
        text_width = self.view.sizeHintForColumn(0) + frame + margins.left() + margins.right()
        width = min(max(anchor.width(), 460, text_width + 8), 820)
        rows = min(max(self.proxy.rowCount(), 3), 10)
        self.view.setFixedHeight(rows * max(self.view.sizeHintForRow(0), 18) + frame)
        self._layout.activate()
        self.resize(width, self.sizeHint().height())

    def visible_ids(self) -> list[str]:
        """The ids the filter leaves, top to bottom (for tests and keyboard users alike)."""
        return [
            str(self.proxy.data(self.proxy.index(row, 0), VALUE_ROLE))
            for row in range(self.proxy.rowCount())
        ]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arrow keys and Enter act on the list while the typing stays in the filter field.
        if (
            watched is self.filter_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._step(key)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.view.currentIndex()
                if not index.isValid() and self.proxy.rowCount():
                    index = self.proxy.index(0, 0)
                if index.isValid():
                    self._choose(index)
                return True
        return super().eventFilter(watched, event)

    def _step(self, key: int) -> None:
        rows = self.proxy.rowCount()
        if not rows:
            return
        row = self.view.currentIndex().row()
        jump = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5}.get(Qt.Key(key), -5)
        row = min(max(row + jump if row >= 0 else 0, 0), rows - 1)
        self.view.setCurrentIndex(self.proxy.index(row, 0))

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def _select(self, account_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, VALUE_ROLE) == account_id:
                self.view.setCurrentIndex(index)
                return
        self.view.setCurrentIndex(QModelIndex())

    def _choose(self, index: QModelIndex) -> None:
        account_id = self.proxy.data(index, VALUE_ROLE)
        if isinstance(account_id, str) and account_id:
            self.hide()
            self.chosen.emit(account_id)


# -- the editor integration ---------------------------------------------------------------------
class DiscoveryControls(QObject):
    """Discovery inside a ``RequestEditor``: the picker, action completion, fill from schema.

    Signals:
        message(str): something worth a status-bar line (e.g. "Filled … from the schema").
    """

    message = Signal(str)

    def __init__(
        self, editor: RequestEditor, service: DiscoveryService, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.service = service
        self.accounts_model = AccountsModel(self)
        self.actions_model = ActionsModel(self)
        self._failures: dict[str, DiscoveryFailure] = {}
        self._undo: dict[str, str] | None = None

        self.pick_button = QToolButton()
        self.pick_button.setText("Pick…")
        self.pick_button.setObjectName("pickAccount")
        self.pick_button.setToolTip(_PICK_TIP)
        self.pick_button.clicked.connect(self.open_picker)
        self.fill_button = QToolButton()
        self.fill_button.setText("Fill from schema")
        self.fill_button.setObjectName("fillFromSchema")
        self.fill_button.setToolTip(
            "Replace Path, Query, Headers and Body with a skeleton of this action's inputs "
            "(Ctrl+Shift+K)"
        )
        self.fill_button.clicked.connect(self.fill_from_schema)
        self.status_label = QLabel()
        self.status_label.setObjectName("discoveryStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(f"color: {muted_css()};")
        self.status_label.linkActivated.connect(self._on_link)
        self.status_label.setVisible(False)
        # What the last fill did, under the action it came from, with Undo when it replaced text.
        self.fill_label = QLabel()
        self.fill_label.setObjectName("fillNote")
        self.fill_label.setWordWrap(True)
        self.fill_label.setStyleSheet(f"color: {muted_css()};")
        self.fill_label.linkActivated.connect(self._on_link)
        self.fill_label.setVisible(False)
        editor.field_rows["action"].addWidget(self.fill_button)
        editor.field_columns["action"].addWidget(self.fill_label)
        editor.field_rows["account_id"].addWidget(self.pick_button)
        editor.field_columns["account_id"].addWidget(self.status_label)
        # Tab keeps walking the fields; the keyboard reaches these through Alt+Down (or F4)
        # in the account field, as in a combo box, and Ctrl+Shift+K.
        self.pick_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fill_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        editor.account_edit.installEventFilter(self)

        self.popup = AccountPopup(self.accounts_model, editor)
        self.popup.chosen.connect(self.choose_account)
        self.popup.reload_requested.connect(self.refresh)

        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(ACCOUNT_SETTLE_MS)
        self._settle.timeout.connect(
            lambda: self.service.set_account(self.editor.account_edit.text())
        )
        editor.account_edit.textChanged.connect(lambda _text: self._settle.start())
        editor.action_edit.textChanged.connect(self._on_action_edited)

        service.accounts_loaded.connect(self._on_accounts)
        service.actions_loaded.connect(self._on_actions)
        service.failed.connect(self._on_failed)
        service.loading.connect(self._on_loading)
        self._update_fill_button()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.editor.account_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and (
                event.key() == Qt.Key.Key_F4
                or (
                    event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier
                )
            )
        ):
            self.open_picker()
            return True
        return super().eventFilter(watched, event)

    # -- commands -------------------------------------------------------------------------------
    def set_profile(self, profile: str | None, base_url: str | None) -> None:
        """The window's profile changed: forget what the old one showed, load the new one."""
        self._settle.stop()
        self._failures.clear()
        self.accounts_model.set_rows([])
        self._use_fallback_actions()
        self._show_status()
        self.service.set_target(profile, base_url, self.editor.account_edit.text())

    def refresh(self) -> None:
        """List accounts and actions again (e.g. after linking an account elsewhere)."""
        self._failures.clear()
        self._show_status()
        self.service.refresh()

    def open_picker(self) -> None:
        if self.service.accounts() is None and not self.service.busy():
            self.service.load_accounts()
        self._update_popup_status()
        self.popup.open_below(self.editor.account_edit, self.editor.account_edit.text().strip())

    def choose_account(self, account_id: str) -> None:
        """Fill the account id (the field stays free text) and list that account's actions."""
        self.editor.account_edit.setText(account_id)
        self._settle.stop()
        self.service.set_account(account_id)
        self.editor.account_edit.setFocus()

    def schema_action(self) -> ActionInfo | None:
        """The catalogue entry of the action in the field, if it has an input schema."""
        info = self.service.find_action(self.editor.action_edit.text())
        return info if info is not None and info.input_schema is not None else None

    def fill_from_schema(self) -> bool:
        """Replace the four JSON editors with the action's input skeleton (undoable).

        Returns False, saying why in the status line, when no schema is known for the action.
        """
        name = self.editor.action_edit.text().strip()
        info = self.schema_action()
        if info is None:
            if not name:
                why = "Type or pick an action first, then fill its inputs from its schema."
            elif self.service.actions() is None:
                why = f"No schema for '{name}' yet: the action list is not loaded."
            else:
                why = f"No input schema known for '{name}' in this account's catalogue."
            self._show_fill_note(why)
            self.message.emit(why)
            return False
        skeleton = skeleton_from_schema(info.input_schema)
        request = with_skeleton(self.editor.draft_request(), skeleton)
        before = {n: e.toPlainText() for n, e in self.editor.json_editors.items()}
        for field_name, editor in self.editor.json_editors.items():
            value = getattr(request, field_name)
            _replace_text(editor, "" if value is None else _pretty(value))
        for index, field_name in enumerate(OBJECT_FIELDS):
            if field_name in skeleton:
                self.editor.tabs.setCurrentIndex(index)
                break
        held_text = any(text.strip() for text in before.values())
        self._undo = before if held_text else None
        filled = ", ".join(n for n in OBJECT_FIELDS if n in skeleton) or "nothing (no inputs)"
        text = f"Filled {filled} from the schema of {name}."
        self._show_fill_note(text + (' <a href="undo">Undo</a>' if held_text else ""))
        self.message.emit(text)
        return True

    def undo_fill(self) -> bool:
        """Put back what the editors held before the last fill."""
        if self._undo is None:
            return False
        for field_name, text in self._undo.items():
            _replace_text(self.editor.json_editors[field_name], text)
        self._undo = None
        self._show_fill_note("")
        self.message.emit("Restored the inputs from before the fill.")
        return True

    def _on_action_edited(self, _text: str) -> None:
        self._update_fill_button()
        if self._undo is None:
            self._show_fill_note("")

    # -- service results ------------------------------------------------------------------------
    def _on_loading(self, kind: str) -> None:
        self._update_popup_status()

    def _on_accounts(self, accounts: Listing[Account]) -> None:
        self._failures.pop("accounts", None)
        self.accounts_model.set_rows(accounts)
        self._update_popup_status()
        self._show_status()

    def _on_actions(self, actions: Listing[ActionInfo]) -> None:
        self._failures.pop("actions", None)
        self.actions_model.set_rows(actions)
        # An id the catalogue knows nothing about lists no actions: keep completing the known
        # names rather than offering nothing.
        self.editor.use_action_model(self.actions_model if actions else None)
        self._fit_completer()
        self._update_fill_button()
        self._show_status()

    def _on_failed(self, failure: DiscoveryFailure) -> None:
        self._failures[failure.kind] = failure
        if failure.kind == "actions":
            self._use_fallback_actions()
        self._update_popup_status()
        self._show_status()

    def _use_fallback_actions(self) -> None:
        self.editor.use_action_model(None)
        self._fit_completer()
        self._update_fill_button()

    def _fit_completer(self) -> None:
        """Let the suggestions be wider than the field, so each label is read in full."""
        popup = self.editor.action_completer.popup()
        model = self.editor.action_completer.model()
        if popup is None or model is None:
            return
        metrics = popup.fontMetrics()
        widest = max(
            (
                metrics.horizontalAdvance(str(model.index(r, 0).data()))
                for r in range(model.rowCount())
            ),
            default=0,
        )
        popup.setMinimumWidth(min(widest + 40, 720))

    # -- presentation ---------------------------------------------------------------------------
    def _show_fill_note(self, note: str) -> None:
        self.fill_label.setText(note)
        self.fill_label.setVisible(bool(note))

    def _show_status(self) -> None:
        """One quiet line while a listing fails (with Retry); hidden when all is well."""
        failures = list(self._failures.values())
        if failures:
            # Accounts and actions usually fail for the same reason: say it once.
            reasons = {f.text.split(": ", 1)[-1] for f in failures}
            if len(failures) > 1 and len(reasons) == 1:
                line = f"Couldn't load accounts or actions: {reasons.pop()}"
            else:
                line = "; ".join(dict.fromkeys(f.text for f in failures))
            text = _escape(line) + ' <a href="retry">Retry</a>'
            tip = "\n\n".join(f.detail or f.text for f in failures)
            tip += "\n\nThe fields stay free text and Send works as usual."
            self.status_label.setText(f"⚠ {text}")
            self.status_label.setToolTip(tip)
            self.pick_button.setToolTip(tip)
            self.status_label.setVisible(True)
            return
        self.pick_button.setToolTip(_PICK_TIP)
        self.status_label.setToolTip("")
        self.status_label.setText("")
        self.status_label.setVisible(False)

    def _update_popup_status(self) -> None:
        failure = self._failures.get("accounts")
        accounts = self.service.accounts()
        if failure is not None:
            self.popup.set_status(failure.text, failure.detail)
        elif accounts is None:
            self.popup.set_status("Loading accounts…" if self.service.busy() else "No accounts")
        else:
            unusable = sum(1 for a in accounts if not a.usable)
            text = f"{len(accounts)} account{'s' if len(accounts) != 1 else ''}"
            if unusable:
                text += f", {unusable} not active (listed last)"
            if not accounts.complete:
                text += " (the first pages only)"
            self.popup.set_status(text)

    def _update_fill_button(self) -> None:
        info = self.schema_action()
        self.fill_button.setEnabled(info is not None)
        if info is None:
            self.fill_button.setToolTip(
                "Fill Path, Query, Headers and Body from the action's input schema "
                "(available once the action list is loaded and the action is in it)"
            )
        else:
            self.fill_button.setToolTip(
                f"Replace Path, Query, Headers and Body with a skeleton of {info.name}'s "
                "inputs (Ctrl+Shift+K)"
            )

    def _on_link(self, link: str) -> None:
        if link == "retry":
            self.refresh()
        elif link == "undo":
            self.undo_fill()


def _replace_text(editor: JsonEditor, text: str) -> None:
    """Set the text as one edit, so Ctrl+Z in that editor also brings the old text back."""
    if editor.toPlainText() == text:
        return
    cursor = QTextCursor(editor.document())
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    cursor.endEditBlock()


def _pretty(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
