"""What Send, Retry and Cancel do in the window.

Sending is defined as: **one request in flight at a time**. While one runs, the Send button
turns into Cancel, Esc cancels, and Ctrl+Enter is ignored with a status-bar note, so a
response on screen always belongs to the request the user last sent. A retry sends the
exchange on screen again exactly as it was; an automatic one (after a ``Retry-After``) only
for the exchange just sent, a few times at most: browsing the history never sends. Every
send passes the production guard (``ui.guard``), which may wait for the account list or ask.

Before that, what a send needs from the OS keyring (the profile's key, the secret variables
the request uses) is read on a thread of its own: a locked keyring may ask for its password,
and the window must not freeze meanwhile. Esc forgets that read as it cancels a send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from explorer.core.client import RpcClient
from explorer.core.errors import InvalidRequest
from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.units import human_ms
from explorer.core.variables import UnresolvedVariables, resolve
from explorer.ui.accessibility import announce
from explorer.ui.jobs import BlockingCall
from explorer.ui.request.editor import RequestEditor, describe_issue
from explorer.ui.request.sender import RequestSender

if TYPE_CHECKING:
    from explorer.run.environment import EnvironmentValues
    from explorer.ui.guard.gate import SendGate
    from explorer.ui.history.pane import HistoryPane
    from explorer.ui.profiles.selector import ProfileSelector
    from explorer.ui.response.view import ResponseView
    from explorer.ui.widgets.banner import Banner

# Automatic retries in a row before the window stops and leaves it to the user (StackOne's
# SDKs also give up after a few attempts).
MAX_AUTO_RETRIES = 3
IN_FLIGHT_TIP = "A request is in flight: Esc cancels it"
# A keyring read taking longer than this is said in the status bar (a locked keyring asks).
SLOW_READ_MS = 300


class Variables(Protocol):
    """Where ``{{variables}}`` get their values: the active environment
    (``ui.collections.environments.EnvironmentChoice``)."""

    def reader(self, request: RpcRequest) -> tuple[Callable[[], EnvironmentValues], bool]: ...

    def report(self, read: EnvironmentValues) -> None: ...


@dataclass
class _Needs:
    """What a send needs from the keyring: how to read it, and what was read."""

    request: RpcRequest
    profile: str
    key: Callable[[], str | BaseException | None]
    values: Callable[[], EnvironmentValues] | None = None
    read_values: EnvironmentValues | None = None
    read_key: str | BaseException | None = None
    unresolved: UnresolvedVariables | None = None
    secrets: list[str] = field(default_factory=list)

    def read(self) -> _Needs:
        """Read the environment (and fill the request in), then the key. May block on the
        keyring: called off the UI thread when it reads it."""
        if self.values is not None:
            self.read_values = self.values()
            try:
                self.request = resolve(self.request, self.read_values.values)
            except UnresolvedVariables as exc:
                self.unresolved = exc
                return self
            self.secrets = self.read_values.secrets
        self.read_key = self.key()
        return self


class SendControl(QObject):
    """Sends the editor's request with the selected profile's key, shows it going and coming.

    Owns the Send, Cancel and Retry actions (the window puts them in its menus and toolbar)
    and the elapsed-time label for the status bar.

    Signals:
        started(object): the ``RpcRequest`` that just went out.
        finished(object): the finished ``Exchange``, once the response view and the history
            have it.
        message(str, int): a status-bar note and how many milliseconds it shows.
    """

    started = Signal(object)
    finished = Signal(object)
    message = Signal(str, int)

    def __init__(
        self,
        client: RpcClient,
        *,
        editor: RequestEditor,
        response_view: ResponseView,
        history_pane: HistoryPane,
        profiles: ProfileSelector,
        banner: Banner,
        guard: SendGate,
        variables: Variables | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.request_sender = RequestSender(client, pool, parent=self)
        self._editor = editor
        self._response_view = response_view
        self._history_pane = history_pane
        self._profiles = profiles
        self._banner = banner
        self._guard = guard
        self._variables = variables
        self._keyring = BlockingCall(self)
        self._said_reading = False
        self._pending_secrets: list[str] = []
        self._last_sent: Exchange | None = None
        self._auto_retries = 0
        self.elapsed_label = QLabel()
        self.send_action = self._action("&Send", self.send, "Send the request (Ctrl+Enter)")
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.cancel_action = self._action("&Cancel", self.cancel, "Abort the request (Esc)")
        self.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_action.setEnabled(False)
        self.retry_action = self._action("&Retry", self.retry, "Send the last request again")

        editor.send_requested.connect(self.send)
        editor.cancel_requested.connect(self.cancel)
        editor.validity_changed.connect(self._on_validity_changed)
        response_view.cancel_requested.connect(self.cancel)
        response_view.retry_requested.connect(self.retry)
        response_view.auto_retry_requested.connect(self.auto_retry)
        self.request_sender.started.connect(self._on_started)
        self.request_sender.elapsed.connect(self._on_elapsed)
        self.request_sender.finished.connect(self._on_finished)
        guard.waiting.connect(self._on_guard_waiting)
        self._on_validity_changed(editor.issues())

    def _action(self, text: str, slot: Callable[[], Any], tip: str) -> QAction:
        action = QAction(text, self)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def actions(self) -> list[QAction]:
        return [self.send_action, self.cancel_action, self.retry_action]

    @property
    def in_flight(self) -> bool:
        return self.request_sender.in_flight

    @property
    def busy(self) -> bool:
        """A send is reading the keyring, waiting for the production guard, or in flight."""
        return self._keyring.busy or self._guard.pending or self.request_sender.in_flight

    def send(self) -> bool:
        """Send the editor's request. Returns False (saying why) if nothing will be sent; True
        when it is sent, or on its way (reading the keyring, or waiting for the production
        guard), where a later problem is said in the banner."""
        if self.request_sender.in_flight or self._keyring.busy:
            self.message.emit(
                "A request is already in flight: wait for it, or press Esc to cancel it.", 5000
            )
            return False
        self._auto_retries = 0
        try:
            request = self._editor.to_request()
        except InvalidRequest as exc:
            self.message.emit("Can't send yet: " + describe_issue(exc.issues[0]), 8000)
            return False
        try:
            values, slow = self._variables.reader(request) if self._variables else (None, False)
        except UnresolvedVariables as exc:
            self._banner.show_message(f"Not sent: {exc}")
            return False
        profile = self._profiles.current()
        if profile is None:
            self._profiles.ask_for_profile("sending")
            return False
        return self._read_then_send(request, profile.name, values, slow)

    def auto_retry(self) -> bool:
        """The Retry-After wait ended with automatic retry on: retry, a few times at most.

        Only the exchange just sent, while it is on screen: browsing the history never sends.
        """
        if self._response_view.exchange is not self._last_sent or self._last_sent is None:
            return False
        if self._auto_retries >= MAX_AUTO_RETRIES:
            self.message.emit(
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

    def cancel(self) -> None:
        if self._keyring.cancel():
            self._reading(False)
            self.message.emit("Cancelled: nothing was sent.", 3000)
            return
        if self._guard.cancel_pending():
            return
        if self.request_sender.cancel():
            self.message.emit("Cancelling…", 3000)

    def shutdown(self) -> None:
        """Cancel anything waiting or running and wait for it (on window close)."""
        self._keyring.cancel()
        self._guard.cancel_pending()
        self.request_sender.shutdown()

    def send_following(self, exchange: Exchange, request: RpcRequest) -> bool:
        """Send ``request``, made from ``exchange``'s (e.g. its next page), with the profile
        that sent ``exchange``; the editor keeps what the user is typing."""
        if self.request_sender.in_flight or self._keyring.busy:
            self.message.emit("A request is already in flight.", 5000)
            return False
        self._auto_retries = 0
        return self._read_then_send(*self.replay_target(exchange, request), None, False)

    def replay_target(
        self, exchange: Exchange, request: RpcRequest | None = None
    ) -> tuple[RpcRequest, str]:
        """What sending ``exchange``'s request (or ``request``, made from it) again means: the
        request and the profile to send it with."""
        current = self._profiles.current()
        profile = exchange.profile or (current.name if current else "")
        request = (request or exchange.request).copy()
        stored = self._profiles.profiles.get(profile)
        if stored is not None and exchange is not self._last_sent:
            # Replaying from history: use the profile's current address (the demo's port and
            # a profile's URL may have changed since).
            request = request.copy(base_url=stored.base_url)
        return request, profile

    def _retry(self) -> bool:
        exchange = self._response_view.exchange
        if exchange is None:
            return self.send()
        if self.request_sender.in_flight or self._keyring.busy:
            self.message.emit("A request is already in flight.", 5000)
            return False
        return self._read_then_send(*self.replay_target(exchange), None, False)

    def _read_then_send(
        self,
        request: RpcRequest,
        profile: str,
        values: Callable[[], EnvironmentValues] | None,
        values_slow: bool,
    ) -> bool:
        """Read what the send needs (off the UI thread when that is the keyring), then send.
        True when the send goes or is on its way; False if nothing will be sent."""
        key, key_slow = self._profiles.key_reader(profile)
        needs = _Needs(request, profile, key, values)
        if not (values_slow or key_slow):
            return self._send(needs.read())
        self._keyring.start(needs.read, self._on_read)
        self._reading(True)
        QTimer.singleShot(SLOW_READ_MS, self._say_reading)
        return True

    def _reading(self, reading: bool) -> None:
        """While the keyring is read, Esc forgets the read and Send only says why not."""
        self.cancel_action.setEnabled(reading or self.busy)

    def _say_reading(self) -> None:
        if self._keyring.busy:
            self._said_reading = True
            self.message.emit("Reading the OS keyring… (Esc cancels)", 0)

    def _on_read(self, needs: object) -> None:
        self._reading(False)
        if self._said_reading:
            self._said_reading = False
            self.message.emit("", 0)
        if isinstance(needs, _Needs):
            self._send(needs)
        else:  # a bug in the read: say it, send nothing
            self._banner.show_message(f"Not sent: the keyring could not be read: {needs}")

    def _send(self, needs: _Needs) -> bool:
        """Send through the production guard: at once, or after the account list or the
        user's yes (True then too); False if nothing will be sent."""
        if needs.read_values is not None and self._variables is not None:
            self._variables.report(needs.read_values)
        if needs.unresolved is not None:
            self._banner.show_message(f"Not sent: {needs.unresolved}")
            return False
        profile, request = needs.profile, needs.request
        key = self._profiles.explain_key(profile, needs.read_key)
        if key is None:
            return False
        if needs.values is not None:
            # A retry keeps those of the send it repeats: its request holds the same values.
            self._pending_secrets = needs.secrets
        guard = self._guard
        return guard.request(
            scope=request.base_url,
            profile=profile,
            build=lambda book: [guard.target(book, request.action, request.account_id)],
            go=lambda: self.request_sender.start(request, key, profile),
        )

    def _on_guard_waiting(self, waiting: bool) -> None:
        """Esc stops a send held by the production guard as it stops one in flight."""
        self.cancel_action.setEnabled(waiting or self.request_sender.in_flight)

    def _on_started(self, request: RpcRequest) -> None:
        announce(self._editor.window(), f"Sending {request.action}…")
        self._editor.set_in_flight(True)
        self.cancel_action.setEnabled(True)
        # Send stays enabled: Ctrl+Enter (or Send) now only says why nothing more is sent.
        self.send_action.setToolTip(IN_FLIGHT_TIP)
        self._response_view.show_in_flight(request.action)
        self.elapsed_label.setText("0.0 s")
        self.started.emit(request)

    def _on_elapsed(self, seconds: float) -> None:
        self.elapsed_label.setText(f"{seconds:.1f} s")
        self._response_view.set_elapsed(seconds, self._editor.action_edit.text())

    def _on_finished(self, exchange: Exchange) -> None:
        self._editor.set_in_flight(False)
        self.cancel_action.setEnabled(False)
        self._on_validity_changed(self._editor.issues())
        self.elapsed_label.setText("")
        self._response_view.show_exchange(exchange, live=True)
        self._last_sent = exchange
        # Written on the history's own thread (a big body must not freeze the window).
        self._history_pane.add(exchange, self._pending_secrets)
        if exchange.response is not None:
            r = exchange.response
            self.message.emit(f"{r.status} {r.reason} in {human_ms(r.timing.total_ms)}", 8000)
        elif exchange.failure is not None:
            self.message.emit(exchange.failure.message, 8000)
        self.finished.emit(exchange)

    def _on_validity_changed(self, issues: list[Any]) -> None:
        # Enabled in flight too, so a second Ctrl+Enter reaches send() and its note.
        self.send_action.setEnabled(not issues)
        if self.request_sender.in_flight and not issues:
            self.send_action.setToolTip(IN_FLIGHT_TIP)
            return
        self.send_action.setToolTip(
            "Send the request (Ctrl+Enter)" if not issues else describe_issue(issues[0])
        )
