"""Opening a trace from the window: for a response's request id, or one pasted from a ticket.

The profile's key is read off the UI thread (``ProfileSelector.read_key``: a locked keyring
waits for its prompt), then the log is fetched with it on a pool thread
(``explorer.core.trace``), never on the UI thread; a newer fetch (or Cancel) makes an older
one's answer stale. One trace window serves them all. A response's trace is read from the
profile that sent it (at that profile's current address: the demo's port changes between
runs); a pasted id from the selected profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from explorer.core.client import CancelToken, RpcClient
from explorer.core.exchange import Exchange
from explorer.core.trace import Trace, load_trace, parse_request_id, problem_words
from explorer.ui.jobs import BlockingCall, RenderJob
from explorer.ui.trace.window import TraceWindow

if TYPE_CHECKING:
    from explorer.ui.profiles.selector import ProfileSelector


@dataclass(frozen=True)
class _Source:
    """Where logs are read: a profile (for its key) and its server."""

    profile: str
    base_url: str

    def describe(self) -> str:
        return f"Logs of profile '{self.profile}' ({self.base_url})"


class TraceControl(QObject):
    """Opens the trace window and fetches traces into it, one at a time.

    Signals:
        message(str, int): a status-bar note and how many milliseconds it shows.
        loaded(object): a ``Trace`` the window now shows (the case export may reuse it).
    """

    message = Signal(str, int)
    loaded = Signal(object)

    def __init__(self, client: RpcClient, *, profiles: ProfileSelector, window: QWidget) -> None:
        super().__init__(window)
        self._client = client
        self._profiles = profiles
        self._parent = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)  # a cancelled fetch may still be closing its socket
        self.window: TraceWindow | None = None
        self._source: _Source | None = None
        self._token: CancelToken | None = None
        self._generation = 0
        self._signals: QObject | None = None  # the running job's, kept until it reports
        self._keyring = BlockingCall(self)  # the key of the fetch about to start
        self.traces: dict[str, Trace] = {}  # this session's, by request id

    @property
    def reading_key(self) -> bool:
        """The profile's key is being read from the OS keyring (nothing started yet)."""
        return self._keyring.busy

    # -- opening -------------------------------------------------------------------------------
    def open_for_exchange(self, exchange: Exchange | None) -> TraceWindow | None:
        """The trace of an exchange's request id, read with the profile that sent it."""
        response = exchange.response if exchange is not None else None
        if exchange is None or response is None or not response.request_id:
            self.message.emit("This response has no x-request-id to trace.", 5000)
            return None
        current = self._profiles.current()
        name = exchange.profile or (current.name if current else "")
        stored = self._profiles.profiles.get(name)
        base_url = stored.base_url if stored is not None else exchange.request.base_url
        self._source = _Source(name, base_url)
        window = self._show_window()
        self.fetch(response.request_id)
        return window

    def open_for_id(self) -> TraceWindow | None:
        """The trace window for a pasted id, read with the selected profile; the field is
        filled from the clipboard when it holds a request id."""
        current = self._profiles.current()
        if current is None:
            self._profiles.ask_for_profile("reading a request's trace")
            return None
        self._source = _Source(current.name, current.base_url)
        window = self._show_window()
        pasted = parse_request_id(QGuiApplication.clipboard().text() or "")
        if pasted and not window.loading:
            window.request_edit.setText(pasted)
        window.request_edit.setFocus()
        window.request_edit.selectAll()
        return window

    def _show_window(self) -> TraceWindow:
        if self.window is None:
            self.window = TraceWindow(self._parent)
            self.window.fetch_requested.connect(self.fetch)
            self.window.cancel_requested.connect(self.cancel)
            self.window.message.connect(lambda text: self.message.emit(text, 5000))
        if self._source is not None:
            self.window.set_where(self._source.describe())
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        return self.window

    # -- fetching ------------------------------------------------------------------------------
    def fetch(self, text: str) -> bool:
        """Fetch the trace of the request id in ``text`` (a bare id or a pasted line)."""
        window, source = self.window, self._source
        if window is None or source is None:
            return False
        request_id = parse_request_id(text)
        if request_id is None:
            window.show_problem(
                text.strip() or "(nothing)",
                "That is not a request id: paste the x-request-id of a response "
                "(letters and digits, like 3f2a9c…).",
            )
            return False
        self.cancel(quiet=True)
        token = self._token = CancelToken()
        self._generation += 1
        window.show_loading(request_id)

        def with_key(key: str | None) -> None:
            if token is not self._token or self.window is None:
                return  # cancelled, or a newer fetch
            if key is None:  # the banner says why
                self._token = None
                self.window.show_problem(request_id, f"Profile '{source.profile}' has no API key.")
                return
            self._start(request_id, source, key, token)

        if self._profiles.read_key(source.profile, self._keyring, with_key):
            window.show_loading(request_id, f"Reading the API key of profile '{source.profile}'")
        return self._token is token

    def _start(self, request_id: str, source: _Source, key: str, token: CancelToken) -> None:
        """Fetch the log on the pool, the key read."""
        client = self._client
        window = self.window
        assert window is not None

        def load() -> Trace:
            return load_trace(client, source.base_url, key, request_id, cancel=token)

        job = RenderJob(self._generation, load)
        job.signals.done.connect(
            lambda generation, result: self._on_done(generation, result, request_id, source)
        )
        self._signals = job.signals
        window.show_loading(request_id)
        self.pool.start(job)

    def cancel(self, quiet: bool = False) -> None:
        """Stop the fetch in progress; its answer, should it still come, is dropped."""
        token, self._token = self._token, None
        self._keyring.cancel()
        if token is None:
            return
        token.cancel()
        self._generation += 1
        if not quiet and self.window is not None:
            self.window.show_problem(self.window.request_edit.text(), "Stopped.")

    def _on_done(self, generation: int, result: object, request_id: str, source: _Source) -> None:
        if generation != self._generation or self.window is None:
            return  # a newer fetch, or a cancel, made this one stale
        self._token = None
        self._signals = None
        if isinstance(result, Trace):
            self.traces[result.request_id] = result
            self.window.show_trace(result)
            self.message.emit(f"Trace of {request_id}: {result.summary()}", 8000)
            self.loaded.emit(result)
            return
        error = result if isinstance(result, BaseException) else RuntimeError(repr(result))
        words = problem_words(error, request_id, source.profile)
        self.window.show_problem(request_id, words)
        self.message.emit(words, 8000)

    def shutdown(self) -> None:
        """Stop a fetch and wait for its thread (on window close)."""
        self.cancel(quiet=True)
        self.pool.waitForDone(3000)
