"""What Send, Retry and Cancel do in the window.

Sending is defined as: **one request in flight per tab**, and at most ``MAX_IN_FLIGHT`` at
once across the window. Each tab is a ``SendSlot``: its editor, its response view and its
own ``RequestSender``. While a tab's request runs, its Send button turns into Cancel, Esc
cancels the current tab's request, and Ctrl+Enter there is ignored with a status-bar note, so
the response in a tab always belongs to the request last sent from it. The worker pool and
the rate limit are shared: every send of a profile passes one ``Throttle`` (a StackOne 429
for the key holds back every tab; a provider's 429 for one account does not).

A retry sends the exchange on screen again exactly as it was; an automatic one (after a
``Retry-After``) only for the exchange its tab just sent, while that tab still shows it, a few
times at most, and never for a tab in the background that the user has changed since:
browsing the history never sends. An exchange picked from the history holds no secret value
(``<redacted>`` stands there): its secrets are taken from the active environment again,
through the ``{{variables}}`` its entry kept (``core.replay``); where none says where a value
came from, nothing is sent and the banner offers to open the entry in the editor instead.

Between Send and the wire every send passes ``request.preflight``: the keyring read (on a
thread of its own; Esc forgets it as it cancels a send), the production guard and the rate
limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from explorer.core.client import RpcClient
from explorer.core.errors import InvalidRequest
from explorer.core.replay import SecretsNotKept, hidden_places, restore, template_of
from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED
from explorer.core.units import human_ms
from explorer.core.variables import UnresolvedVariables, find_locations
from explorer.ui.accessibility import announce
from explorer.ui.jobs import BlockingCall
from explorer.ui.request.editor import SEND_TIP, RequestEditor, describe_issue
from explorer.ui.request.sender import RequestSender
from explorer.ui.widgets.after_paint import AfterPaint

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.run.environment import EnvironmentValues
    from explorer.ui.guard.gate import SendGate
    from explorer.ui.history.pane import HistoryPane
    from explorer.ui.profiles.selector import ProfileSelector
    from explorer.ui.request.preflight import Preflight
    from explorer.ui.response.view import ResponseView
    from explorer.ui.widgets.banner import Banner

# Automatic retries in a row before the window stops and leaves it to the user (StackOne's
# SDKs also give up after a few attempts).
MAX_AUTO_RETRIES = 3
# Requests in flight at once across all tabs: enough to compare a few accounts side by side,
# few enough that a stray key press cannot flood a customer's account.
MAX_IN_FLIGHT = 4
IN_FLIGHT_TIP = "A request is in flight in this tab: Esc cancels it"
FULL_TIP = (
    f"{MAX_IN_FLIGHT} requests are in flight, the most at once: wait for one to finish, or "
    "cancel one (Esc in its tab)"
)
READING_TIP = "This tab's send is reading the OS keyring: wait for it, or press Esc to cancel it"
GUARDED_TIP = (
    "This tab's send waits for the production guard (the account check, or your answer): "
    "answer it, or press Esc to cancel it"
)
OTHER_GUARDED_TIP = "Another send waits for the production guard: answer it (or press Esc) first"


class Variables(Protocol):
    """Where ``{{variables}}`` get their values: the active environment
    (``ui.collections.environments.EnvironmentChoice``)."""

    def reader(self, request: RpcRequest) -> tuple[Callable[[], EnvironmentValues], bool]: ...

    def report(self, read: EnvironmentValues) -> None: ...


class SendSlot:
    """One tab's sending: its editor and response view, its own sender and keyring read, and
    what an automatic retry needs to know (what it sent last, and whether it was edited
    since)."""

    def __init__(
        self,
        editor: RequestEditor,
        response_view: ResponseView,
        sender: RequestSender,
        keyring: BlockingCall,
    ) -> None:
        self.editor = editor
        self.response_view = response_view
        self.sender = sender
        self.keyring = keyring
        self.said_reading = False
        self.last_sent: Exchange | None = None
        self.auto_retries = 0
        self.pending_secrets: list[str] = []
        self.pending_template: RpcRequest | None = None
        self.edited_since_send = False
        self.closed = False

    @property
    def in_flight(self) -> bool:
        return self.sender.in_flight

    @property
    def reading(self) -> bool:
        """Its send is reading the keyring (not sent yet)."""
        return self.keyring.busy


class SendControl(QObject):
    """Sends a tab's request with the selected profile's key, shows it going and coming.

    Owns the Send, Cancel and Retry actions (the window puts them in its menus and toolbar;
    they act on the current tab) and the elapsed-time label for the status bar.

    Signals:
        started(object): the ``RpcRequest`` that just went out (from any tab).
        finished(object): the finished ``Exchange`` (of any tab, closed ones too), once its
            response view and the history have it.
        message(str, int): a status-bar note and how many milliseconds it shows.
        slot_changed(object): a ``SendSlot`` started or finished a send (tab labels follow).
        open_requested(object, str): the ``RpcRequest`` of a history entry that cannot be
            sent again as it is, and the entry's id: the user chose to open it in the editor.
    """

    started = Signal(object)
    finished = Signal(object)
    message = Signal(str, int)
    slot_changed = Signal(object)
    open_requested = Signal(object, str)

    def __init__(
        self,
        client: RpcClient,
        *,
        history_pane: HistoryPane,
        profiles: ProfileSelector,
        banner: Banner,
        guard: SendGate,
        variables: Variables | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._pool = pool or QThreadPool(self)
        self._history_pane = history_pane
        self._profiles = profiles
        self._banner = banner
        self._guard = guard
        self._variables = variables
        self._slots: list[SendSlot] = []
        self._current: SendSlot | None = None
        self._preflight: Preflight | None = None  # made on the first send (``_way``)
        self._hinted: SendSlot | None = None  # its "Send is blocked" stays in the status bar
        self._hint = ""
        self._after_paint = AfterPaint(self)
        self.elapsed_label = QLabel()
        self.send_action = self._action("&Send", self.send, SEND_TIP)
        keys = [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")]
        self.send_action.setShortcuts(keys)
        # A disabled action's keys do nothing: this one takes them then, and says why.
        self.blocked_action = QAction("Why Send is blocked", self)
        self.blocked_action.setShortcuts(keys)
        self.blocked_action.setEnabled(False)
        self.blocked_action.triggered.connect(lambda _checked=False: self.send())
        self.cancel_action = self._action("&Cancel", self.cancel, "Abort this tab's request (Esc)")
        self.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_action.setEnabled(False)
        self.retry_action = self._action("&Retry", self.retry, "Send the last request again")
        guard.waiting.connect(self._on_guard_waiting)

    def _action(self, text: str, slot: Callable[[], Any], tip: str) -> QAction:
        action = QAction(text, self)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def actions(self) -> list[QAction]:
        return [self.send_action, self.cancel_action, self.retry_action]

    # -- tabs -----------------------------------------------------------------------------------
    def add_slot(self, editor: RequestEditor, response_view: ResponseView) -> SendSlot:
        """A new tab's sending, wired to its editor and response view."""
        sender = RequestSender(self._client, self._pool, self)
        slot = SendSlot(editor, response_view, sender, BlockingCall(self))
        self._slots.append(slot)
        editor.send_requested.connect(lambda: self.send(slot))
        editor.cancel_requested.connect(lambda: self.cancel(slot))
        editor.validity_changed.connect(lambda _issues: self._on_validity(slot))
        editor.changed.connect(lambda: setattr(slot, "edited_since_send", True))
        response_view.cancel_requested.connect(lambda: self.cancel(slot))
        response_view.retry_requested.connect(lambda: self.retry(slot))
        response_view.auto_retry_requested.connect(lambda: self.auto_retry(slot))
        sender.started.connect(lambda request: self._on_started(slot, request))
        sender.elapsed.connect(lambda seconds: self._on_elapsed(slot, seconds))
        sender.finished.connect(
            lambda exchange, prepared: self._on_finished(slot, exchange, prepared)
        )
        if self._current is None:
            self.set_current(slot)
        return slot

    def remove_slot(self, slot: SendSlot) -> None:
        """The tab closes: its keyring read is forgotten and its request in flight
        cancelled; that request's result still reaches the history (the sender outlives the
        tab until then)."""
        slot.closed = True
        slot.keyring.cancel()
        slot.keyring.deleteLater()
        if self._guarded is slot:
            self._guard.cancel_pending()
        if self._current is slot:
            self._current = None
        if self._hinted is slot:
            self._hinted = None
        if slot.sender.cancel():
            return  # dropped when its (cancelled) exchange arrives
        self._slots.remove(slot)
        slot.sender.deleteLater()
        self._update_actions()

    def set_current(self, slot: SendSlot) -> None:
        """The tab shown now: the actions, Esc and the elapsed time are about it."""
        if self._hinted is not None and self._hinted is not slot:
            self._hinted = None
            self.message.emit("", 0)  # its "Send is blocked" is about the tab left
        self._current = slot
        self._update_actions()
        seconds = slot.sender.seconds()
        self.elapsed_label.setText(f"{seconds:.1f} s" if slot.in_flight else "")

    @property
    def current(self) -> SendSlot | None:
        return self._current

    @property
    def in_flight(self) -> bool:
        """The current tab's request is in flight."""
        return self._current is not None and self._current.in_flight

    @property
    def busy(self) -> bool:
        """The current tab's send is reading the keyring, waiting for the production guard,
        or in flight."""
        slot = self._current
        return slot is not None and self._busy(slot)

    def in_flight_count(self) -> int:
        """Requests in flight (or about to be) across all tabs, those of tabs just closed
        included."""
        running = sum(1 for s in self._slots if s.in_flight or s.reading)
        return running + (1 if self._guarded is not None and self._guard.pending else 0)

    # -- commands -------------------------------------------------------------------------------
    def send(self, slot: SendSlot | None = None) -> bool:
        """Send a tab's request (the current tab's by default). Returns False (saying why) if
        nothing will be sent; True when it is sent, or on its way (reading the keyring, or
        waiting for the production guard), where a later problem is said in the banner."""
        slot = slot or self._current
        if slot is None or slot.closed:
            return False
        # Ctrl+Enter with the action's suggestions open: what goes is the field's text, and
        # the list is not left standing over the response.
        suggestions = slot.editor.action_completer.popup()
        if suggestions is not None:
            suggestions.hide()
        if not self._may_send(slot):
            return False
        slot.auto_retries = 0
        try:
            request = slot.editor.to_request()
        except InvalidRequest as exc:
            self.message.emit(self.blocked_hint(slot) or describe_issue(exc.issues[0]), 8000)
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
        return self._way().read_then_send(
            slot, request, profile.name, values, slow, template=template_of(request)
        )

    def auto_retry(self, slot: SendSlot | None = None) -> bool:
        """A tab's Retry-After wait ended with automatic retry on: retry, a few times at most.

        Only the exchange that tab just sent, while it still shows it (browsing the history
        never sends), and not for a tab in the background edited since it sent.
        """
        slot = slot or self._current
        if slot is None or slot.closed or slot.last_sent is None:
            return False
        if slot.response_view.exchange is not slot.last_sent:
            return False
        if slot is not self._current and slot.edited_since_send:
            return False
        if slot.auto_retries >= MAX_AUTO_RETRIES:
            self.message.emit(
                f"Stopped retrying automatically after {MAX_AUTO_RETRIES} attempts; "
                "press Retry to try again.",
                10_000,
            )
            return False
        slot.auto_retries += 1
        return self._retry(slot)

    def retry(self, slot: SendSlot | None = None) -> bool:
        """Send the request of the exchange a tab shows again, exactly as it was."""
        slot = slot or self._current
        if slot is None:
            return False
        slot.auto_retries = 0
        return self._retry(slot)

    def cancel(self, slot: SendSlot | None = None) -> None:
        """Stop a tab's send (the current tab's): reading the keyring, waiting at the guard
        or in flight."""
        slot = slot or self._current
        if slot is not None and slot.keyring.cancel():
            self._reading(slot)
            self.message.emit("Cancelled: nothing was sent.", 3000)
            return
        if self._guard.pending and self._guarded in (slot, None):
            self._guard.cancel_pending()  # (a run waiting at the guard is stopped too)
            return
        if slot is not None and slot.sender.cancel():
            self.message.emit("Cancelling…", 3000)

    def shutdown(self) -> None:
        """Cancel anything waiting or running and wait for it (on window close)."""
        self._guard.cancel_pending()
        for slot in self._slots:
            slot.keyring.cancel()
            slot.sender.cancel()
        self._pool.waitForDone(3000)
        self._after_paint.flush()  # an answer shown but not yet in the history goes there now

    def send_following(self, exchange: Exchange, request: RpcRequest) -> bool:
        """Send ``request``, made from ``exchange``'s (e.g. its next page), with the profile
        that sent ``exchange``, from the tab showing ``exchange`` (else the current one); the
        editor keeps what the user is typing."""
        slot = next((s for s in self._slots if s.response_view.exchange is exchange), None)
        slot = slot or self._current
        if slot is None or slot.closed or not self._may_send(slot):
            return False
        slot.auto_retries = 0
        return self._replay(slot, exchange, request)

    def blocked_hint(self, slot: SendSlot | None = None) -> str:
        """What keeps a tab's request (the current tab's) from being sent as it is written,
        and what to do, for the status bar; "" when nothing does."""
        slot = slot or self._current
        issues = slot.editor.issues() if slot is not None else []
        if slot is None or not issues:
            return ""
        places = hidden_places(slot.editor.draft_request())
        if not places:
            return "Can't send yet: " + describe_issue(issues[0])
        one = len(places) == 1
        it = "it" if one else "them"
        return (
            f"Send is blocked: {', '.join(places)} held "
            f"{'a secret value' if one else 'secret values'}, which the history never keeps. "
            f"Give {it} again (type {it} over {REDACTED}, or use a {{{{variable}}}}) to send."
        )

    def say_loaded(self) -> None:
        """A request was just loaded into the current tab (from the history): say that
        Ctrl+Enter sends it, or what blocks Send and what to do. That stays in the status bar
        until the user gives what is missing; then the normal hint comes back."""
        hint = self.blocked_hint()
        if not hint:
            self.message.emit("Loaded into the editor: press Ctrl+Enter to send", 5000)
            return
        self._hinted, self._hint = self._current, hint
        self.message.emit("Loaded into the editor. " + hint, 0)

    def replay_target(
        self, exchange: Exchange, request: RpcRequest | None = None
    ) -> tuple[RpcRequest, str]:
        """What sending ``exchange``'s request (or ``request``, made from it) again means: the
        request and the profile to send it with.

        An exchange from the history holds no secret: its request comes with the
        ``{{variables}}`` of its template where secrets stood (``core.replay.restore``), to
        be filled in before sending; where none was written, ``<redacted>`` stays, which no
        send accepts."""
        current = self._profiles.current()
        profile = exchange.profile or (current.name if current else "")
        request = (request or exchange.request).copy()
        if not self._live(exchange):
            request = restore(request, exchange.template)
            stored = self._profiles.profiles.get(profile)
            if stored is not None:
                # Replaying from history: use the profile's current address (the demo's port
                # and a profile's URL may have changed since).
                request = request.copy(base_url=stored.base_url)
        return request, profile

    # -- internals --------------------------------------------------------------------------------
    def _way(self) -> Preflight:
        """The steps between Send and the wire (``request.preflight``), made on the first send:
        the first frame does not need its module."""
        if self._preflight is None:
            from explorer.ui.request.preflight import Preflight

            self._preflight = Preflight(
                profiles=self._profiles,
                banner=self._banner,
                guard=self._guard,
                variables=self._variables,
                is_current=lambda slot: slot is self._current,
                parent=self,
            )
            self._preflight.message.connect(self.message)
            self._preflight.reading.connect(self._reading)
            self._preflight.open_requested.connect(self.open_requested)
        return self._preflight

    @property
    def _guarded(self) -> SendSlot | None:
        """The slot whose send waits at the production guard."""
        return None if self._preflight is None else self._preflight.guarded

    def _busy(self, slot: SendSlot) -> bool:
        return slot.reading or slot.in_flight or self._guarded is slot

    def _held(self, slot: SendSlot) -> str:
        """Why a send from ``slot`` would not go now, whatever its request ("" if it would):
        the one place the status bar, the tooltips and the Send button take it from."""
        if slot.in_flight:
            return IN_FLIGHT_TIP
        if slot.reading:
            return READING_TIP
        if self._guarded is slot:
            return GUARDED_TIP
        if self.in_flight_count() >= MAX_IN_FLIGHT:
            return FULL_TIP
        if self._guard.pending:
            return OTHER_GUARDED_TIP
        return ""

    def _may_send(self, slot: SendSlot) -> bool:
        """Whether a send from ``slot`` may start now; if not, the status bar says why."""
        held = self._held(slot)
        if slot.in_flight:
            held = (
                "A request is already in flight in this tab: wait for it, press Esc to "
                "cancel it, or send from another tab (Ctrl+T opens one)."
            )
        elif held == OTHER_GUARDED_TIP:
            return True  # said when the send reaches the guard (after the keyring read)
        if held:
            self.message.emit(held if held.endswith(".") else held + ".", 8000)
        return not held

    def _retry(self, slot: SendSlot) -> bool:
        exchange = slot.response_view.exchange
        if exchange is None:
            return self.send(slot)
        if not self._may_send(slot):
            return False
        return self._replay(slot, exchange)

    def _live(self, exchange: Exchange) -> bool:
        """``exchange`` is one a tab just sent, held in memory with its secrets (not the
        history's scrubbed copy)."""
        return any(s.last_sent is exchange for s in self._slots)

    def _replay(
        self, slot: SendSlot, exchange: Exchange, request: RpcRequest | None = None
    ) -> bool:
        """Send ``exchange``'s request (or ``request``, made from it) again. One from the
        history gets its secrets from the active environment through its template's
        ``{{variables}}``; where that cannot be done, nothing is sent (see ``Preflight.refuse``)."""
        request, profile = self.replay_target(exchange, request)
        template = exchange.template
        if self._live(exchange):
            return self._way().read_then_send(
                slot, request, profile, None, False, template=template
            )
        places = hidden_places(request)
        if places:
            return self._way().refuse(exchange, SecretsNotKept(places))
        values, slow = None, False
        if find_locations(request):
            try:
                if self._variables is None:
                    raise UnresolvedVariables(find_locations(request))
                values, slow = self._variables.reader(request)
            except UnresolvedVariables as exc:
                return self._way().refuse(
                    exchange, SecretsNotKept(hidden_places(exchange.request), exc)
                )
        return self._way().read_then_send(
            slot, request, profile, values, slow, template=template, replayed=exchange
        )

    def _reading(self, slot: SendSlot) -> None:
        """While the keyring is read, Esc forgets the read and Send only says why not."""
        self._update_actions()
        self.slot_changed.emit(slot)

    def _on_guard_waiting(self, waiting: bool) -> None:
        """Esc stops a send held by the production guard as it stops one in flight."""
        if not waiting and self._preflight is not None:
            self._preflight.guarded = None
        self._update_actions()

    def _update_actions(self) -> None:
        """The actions (for the current tab) and every tab's Send button say what Send would
        do now: send, or what holds it back (the tab in flight, the most in flight...)."""
        for each in self._slots:
            if not each.closed:
                each.editor.set_held(self._held(each))
        slot = self._current
        busy = slot is not None and self._busy(slot)
        self.cancel_action.setEnabled(busy or self._guard.pending)
        if slot is None:
            return
        issues = slot.editor.issues()
        # Enabled in flight too, so a second Ctrl+Enter reaches send() and its note.
        self.send_action.setEnabled(not issues)
        self.blocked_action.setEnabled(bool(issues))
        tip = describe_issue(issues[0]) if issues else self._held(slot) or SEND_TIP
        self.send_action.setToolTip(tip)
        self.send_action.setStatusTip(tip)

    def _on_started(self, slot: SendSlot, request: RpcRequest) -> None:
        slot.edited_since_send = False
        slot.editor.set_in_flight(True)
        slot.response_view.show_in_flight(request.action)
        if slot is self._current:
            announce(slot.editor.window(), f"Sending {request.action}…")
            self.elapsed_label.setText("0.0 s")
        self._update_actions()
        self.started.emit(request)
        self.slot_changed.emit(slot)

    def _on_elapsed(self, slot: SendSlot, seconds: float) -> None:
        if slot.closed:
            return
        slot.response_view.set_elapsed(seconds, slot.editor.action_edit.text())
        if slot is self._current:
            self.elapsed_label.setText(f"{seconds:.1f} s")

    def _on_finished(self, slot: SendSlot, exchange: Exchange, prepared: object = None) -> None:
        self._way().note_limit(exchange)
        response = exchange.response
        current = slot is self._current
        secrets = slot.pending_secrets
        exchange.template = slot.pending_template  # so the history can send it again
        if slot.closed:  # its tab is gone: the history keeps what came back
            self._history_pane.add(exchange, secrets, select=current)
            self._slots.remove(slot)
            slot.sender.deleteLater()
            self._update_actions()  # one fewer in flight
            self.finished.emit(exchange)
            return
        slot.editor.set_in_flight(False)
        slot.response_view.show_exchange(exchange, live=True, prepared=prepared)
        slot.last_sent = exchange
        slot.edited_since_send = False
        if current:
            self.elapsed_label.setText("")
        self._update_actions()
        if response is not None:
            text = f"{response.status} {response.reason} in {human_ms(response.timing.total_ms)}"
        elif exchange.failure is not None:
            text = exchange.failure.message
        else:
            text = ""
        if text:
            where = "" if current else f"{exchange.request.action or 'Another tab'}: "
            self.message.emit(where + text, 8000)
        # Once the response has painted: the history's write starts (serialising the exchange
        # on its thread competes with the paint for the interpreter), then the listeners.
        self._after_paint.call(partial(self._record, slot, exchange, secrets, current))

    def _record(
        self, slot: SendSlot, exchange: Exchange, secrets: list[str], current: bool
    ) -> None:
        # Written on the history's own thread (a big body must not freeze the window).
        self._history_pane.add(exchange, secrets, select=current)
        self.finished.emit(exchange)
        self.slot_changed.emit(slot)

    def _on_validity(self, slot: SendSlot) -> None:
        if slot is self._current:
            self._update_actions()
        if slot is not self._hinted:
            return
        hint = self.blocked_hint(slot)
        if not hint:
            self._hinted = None
            self.message.emit("All values given: press Ctrl+Enter to send", 5000)
        elif hint != self._hint:  # some given, some still missing
            self._hint = hint
            self.message.emit(hint, 0)
