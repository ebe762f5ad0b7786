"""Discovery's data side: list a profile's accounts, its catalogue and an account's MCP tools
off the UI thread, cached for the session, and search its actions by what they do.

``DiscoveryService`` runs ``explorer.core.discovery`` (accounts, actions) and
``explorer.core.mcp`` (an account's tools, the second schema source) on a ``QThreadPool``
(never the UI thread) and caches what it got per profile, base URL and key, so switching back
and forth fetches nothing. The profile's key is read off the UI thread too, on a daemon
thread of its own: the OS keyring means importing ``keyring`` and a D-Bus round trip, which
must never hold up the window (at start-up least of all), and a locked keyring waits for its
password prompt, which must never hold up the app's exit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.core.client import CancelToken, RpcClient
from explorer.core.errors import Cancelled, ExplorerError
from explorer.store.credentials import CredentialStore
from explorer.ui.jobs import emit_unless_ending, hand_back, let_go

if TYPE_CHECKING:
    from explorer.core.discovery import Account, ActionInfo, DiscoveryClient, Listing
    from explorer.core.mcp import McpClient, McpTool
    from explorer.ui.discovery.results import ActionSearch, DiscoveryFailure

# Reads a profile's key. ``DiscoveryService`` calls it off the UI thread, never on it.
KeyLookup = Callable[[str], "str | None"]


def quiet_key_lookup(session_keys: CredentialStore, credentials: CredentialStore) -> KeyLookup:
    """The profile's key like the window finds it (this run's memory, then the keyring), but
    silent: a missing key is a discovery failure to show in a line, not a banner.

    The lookup runs on a thread of its own; both stores must allow that (the keyring
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
    import hashlib  # OpenSSL's library (~3 ms): after the first paint, with the first key

    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def import_discovery() -> None:
    """Discovery's client module (~3 ms with its dataclasses) and what a listing or a search
    answers with (``results``: ~1 ms of dataclasses), imported on a pool thread after the
    window's first paint, before ``release`` lets the first listing start."""
    import explorer.core.discovery
    import explorer.ui.discovery.results  # noqa: F401


def _failure(kind: str, error: BaseException, text: str) -> DiscoveryFailure:
    from explorer.ui.discovery.results import DiscoveryFailure  # after the first paint

    return DiscoveryFailure(kind, error, text)


def _describe(kind: str, error: BaseException, profile: str) -> DiscoveryFailure:
    from explorer.ui.discovery.results import describe_failure  # after the first paint

    return describe_failure(kind, error, profile)


# -- the worker ---------------------------------------------------------------------------------
class _Outcome:
    # A plain class, not a dataclass: made at import, before the first paint (~0.4 ms less).
    __slots__ = ("error", "key", "kind", "result", "thread", "token")

    def __init__(
        self,
        key: tuple[Hashable, ...],
        kind: str,
        result: Any = None,
        error: BaseException | None = None,
        thread: int = 0,
        token: CancelToken | None = None,
    ) -> None:
        self.key = key
        self.kind = kind
        self.result = result
        self.error = error
        self.thread = thread
        self.token = token


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
        let_go()  # made on the UI thread
        self.signals = _FetchSignals()
        self.token = CancelToken()
        self._key = key
        self.kind = kind
        self._fetch = fetch

    def run(self) -> None:
        outcome = _Outcome(self._key, self.kind, thread=threading.get_ident(), token=self.token)
        try:
            outcome.result = self._fetch(self.token)
        except Exception as exc:  # every failure is shown, none may leave the UI waiting
            outcome.error = exc
        emit_unless_ending(self.signals.done, outcome)  # a key's read: a daemon thread
        hand_back(self)  # freed on the UI thread, never under its receiver's destruction


class DiscoveryService(QObject):
    """Lists accounts and actions for the selected profile, off the UI thread, cached.

    The cache lives for the session and is keyed by base URL, profile and a fingerprint of the
    key (so a corrected key fetches again); failures are never cached. Results for a profile or
    account that is no longer selected are cached but not emitted, so the UI never shows one
    profile's accounts under another.

    Selecting a profile (``set_target``, ``refresh``) first reads its key with ``keys`` on a
    daemon thread; the listings start (or come from the cache) when the key arrives. Until then the
    service is ``busy()`` and load requests wait for the key rather than fail.

    ``held=True`` keeps key reads queued until ``release()``: the window releases them after
    its first paint, because importing ``keyring`` on the pool still competes with the UI
    thread for the GIL (~40-60 ms of first paint with a saved profile, measured).

    MCP tools (``load_tools``) are fetched only when asked for: they are the fallback schema
    source when the catalogue has no details for an action.

    Signals:
        accounts_loaded(object): the ``Listing[Account]`` of the selected profile.
        actions_loaded(object): the ``Listing[ActionInfo]`` for the selected account.
        tools_loaded(object): the ``Listing[McpTool]`` (MCP ``tools/list``) of the selected
            account.
        searched(object): the ``ActionSearch`` of the newest ``search`` (never cached: a
            search is asked for, not browsed).
        failed(object): a ``DiscoveryFailure`` (never for a cancelled fetch); ``"search"`` for
            a search.
        loading(str): ``"accounts"``, ``"actions"``, ``"tools"`` or ``"search"`` started.
    """

    accounts_loaded = Signal(object)
    actions_loaded = Signal(object)
    tools_loaded = Signal(object)
    searched = Signal(object)
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
        self._client = client
        self._discovery: DiscoveryClient | None = None  # with the first listing (``_load``)
        self._search_job: FetchJob | None = None  # the newest search; an older one is stale
        self._mcp: McpClient | None = None  # with the first tools listing (``_load``)
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
        if all(listing is None for listing in listings):
            return None  # nothing listed yet
        from explorer.core.discovery import ActionInfo  # imported by then, with the listing

        for listing in listings:
            for action in listing or ():
                if isinstance(action, ActionInfo) and action.name == name:
                    return action
        return None

    def tools(self, account_id: str | None = None) -> Listing[McpTool] | None:
        """The MCP tools of the account (the selected one by default), if fetched."""
        account = self._account_id if account_id is None else account_id.strip()
        key = self._key("tools", account)
        return self._cache.get(key) if key is not None and account else None

    def can_ask_tools(self, action: str) -> bool:
        """Whether "Fill from schema" can ask the selected account's MCP tools for ``action``
        (an action, an account and a profile, the tools not fetched yet)."""
        return bool(action.strip() and self.account_id and self.profile and self.tools() is None)

    def find_tool(self, name: str, account_id: str | None = None) -> McpTool | None:
        name = name.strip()
        return next((t for t in self.tools(account_id) or () if t.name == name), None)

    def tools_loading(self) -> bool:
        key = self._key("tools", self._account_id)
        return key is not None and key in self._running

    def accounts_loading(self) -> bool:
        """True while the selected profile's key or its account list is being fetched."""
        if self._key_job is not None:
            return True
        key = self._key("accounts")
        return key is not None and key in self._running

    def busy(self) -> bool:
        """True while the key is being read or a listing is being fetched."""
        return self._key_job is not None or bool(self._running)

    # -- fetching -----------------------------------------------------------------------------
    def load_accounts(self) -> None:
        self._load("accounts", "")

    def load_actions(self, account_id: str) -> None:
        self._load("actions", account_id.strip())

    def load_tools(self, account_id: str) -> None:
        """List the account's MCP tools (cached); ``tools_loaded`` or ``failed`` follows."""
        if account_id.strip():
            self._load("tools", account_id.strip())

    def search(self, query: str, connector: str = "") -> bool:
        """Search the selected profile's actions by what they do (``POST /actions/search``),
        on the pool; ``searched`` or ``failed`` follows. A newer search cancels this one.
        False (with ``failed``) when there is nothing to search with yet."""
        profile, base_url, api_key = self._profile, self._base_url, self._api_key
        if self._search_job is not None:
            self._search_job.token.cancel()
            self._search_job = None
        if self._closed or not query.strip():
            return False
        if not profile or not base_url or not api_key:
            why = "choose a profile with an API key first (Manage profiles)"
            if profile and self._key_job is not None:
                why = "the profile's key is still being read; try again in a moment"
            self.failed.emit(
                _failure("search", LookupError(why), f"Couldn't search actions: {why}")
            )
            return False
        client = self._client

        def fetch(token: CancelToken) -> ActionSearch:
            from explorer.core.action_search import search_actions  # on the pool: first search
            from explorer.ui.discovery.results import ActionSearch

            matches = search_actions(
                client, base_url, api_key, query.strip(), connector=connector or None, cancel=token
            )
            return ActionSearch(query.strip(), connector, matches)

        job = FetchJob(("search", query, connector), "search", fetch)
        self._search_job = job
        self.loading.emit("search")
        self._start(job)
        return True

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
        if self._search_job is not None:
            self._search_job.token.cancel()
        self._key_job = None
        self._pool.waitForDone(wait_ms)

    def _read_key(self) -> None:
        """Read the selected profile's key off the UI thread; ``_on_key`` then starts the
        listings.

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
        if self._closed or not profile or not base_url or self._key_job is not None:
            return  # nothing selected, or the key is still being read (it loads both then)
        if not api_key:
            self.failed.emit(
                _failure(
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
        if self._discovery is None:
            # Discovery's modules are imported after the first paint (``import_discovery``),
            # MCP and action search when first used: the window lists nothing to show itself.
            from explorer.core.discovery import DiscoveryClient

            self._discovery = DiscoveryClient(self._client)
        discovery = self._discovery
        if kind == "tools" and self._mcp is None:
            from explorer.core.mcp import McpClient

            self._mcp = McpClient(self._client)
        mcp = self._mcp

        def fetch(token: CancelToken) -> Any:
            if kind == "accounts":
                return discovery.list_accounts(base_url, api_key, cancel=token)
            if kind == "tools":
                assert mcp is not None
                return mcp.list_tools(base_url, api_key, account_id, cancel=token)
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
        if job.kind == "key":
            # A locked keyring blocks the read for as long as its prompt stays open: on a
            # daemon thread nobody waits for at exit (a pool's destructor would wait forever).
            threading.Thread(target=job.run, name="keyring-read", daemon=True).start()
        else:
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
        if outcome.kind == "search":
            self._on_searched(outcome)
            return
        running = self._running.get(outcome.key)
        if running is not None and running.token is outcome.token:
            del self._running[outcome.key]
        current = self._key(outcome.kind, "" if outcome.kind == "accounts" else self._account_id)
        if outcome.error is None:
            self._cache[outcome.key] = outcome.result
            if outcome.key == current:
                self._emit_loaded(outcome.kind, outcome.result)
        elif outcome.key == current and not isinstance(outcome.error, Cancelled):
            self.failed.emit(_describe(outcome.kind, outcome.error, self._profile or ""))

    def _on_searched(self, outcome: _Outcome) -> None:
        job = self._search_job
        if job is None or outcome.token is not job.token:
            return  # a search the user has since replaced
        self._search_job = None
        if outcome.error is None:
            self.searched.emit(outcome.result)
        elif not isinstance(outcome.error, Cancelled):
            self.failed.emit(_describe("search", outcome.error, self._profile or ""))

    def _on_key(self, outcome: _Outcome) -> None:
        job = self._key_job
        if job is None or outcome.token is not job.token:
            return  # read for a profile that is no longer selected
        self._key_job = None
        if outcome.error is not None:
            # ``quiet_key_lookup`` turns keyring trouble into "no key"; anything else is a bug
            # that is shown, never left as a picker stuck on "Loading".
            for kind in ("accounts", "actions"):
                self.failed.emit(_describe(kind, outcome.error, self._profile or ""))
            return
        self._api_key = outcome.result if isinstance(outcome.result, str) else None
        self.load_accounts()
        self.load_actions(self._account_id)

    def _emit_loaded(self, kind: str, listing: Any) -> None:
        signals = {"accounts": self.accounts_loaded, "tools": self.tools_loaded}
        signals.get(kind, self.actions_loaded).emit(listing)
