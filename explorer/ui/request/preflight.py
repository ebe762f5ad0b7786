"""The steps between Send and the wire, each of which may hold a send back.

What a send needs from the OS keyring (the profile's key, the secret variables the request
uses) is read on a thread of its own, one read per tab: a locked keyring may ask for its
password, and the window must not freeze meanwhile. Then the production guard
(``ui.guard``), which may wait for the account list or ask; then the profile's rate limit,
shared by every tab (a StackOne 429 for the key holds back every tab; a provider's 429 for
one account does not). Only then does the tab's ``RequestSender`` start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.core.replay import SecretsNotKept, hidden_places, restore
from explorer.core.request import RpcRequest
from explorer.core.variables import UnresolvedVariables, resolve

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.run.accounts import Throttle
    from explorer.run.environment import EnvironmentValues
    from explorer.ui.guard.gate import SendGate
    from explorer.ui.profiles.selector import ProfileSelector
    from explorer.ui.request.send_control import SendSlot, Variables
    from explorer.ui.widgets.banner import Banner

# A shared rate-limit wait longer than this is said in the status bar.
NOTED_WAIT_SECONDS = 1.0
# A keyring read taking longer than this is said in the status bar (a locked keyring asks).
SLOW_READ_MS = 300


class _Needs:
    """What a send needs from the keyring: how to read it, and what was read.

    A plain class, not a dataclass: made at import, on the first send's way (~0.4 ms less).
    """

    __slots__ = (
        "key",
        "profile",
        "read_key",
        "read_values",
        "replayed",
        "request",
        "secrets",
        "template",
        "unresolved",
        "values",
    )

    def __init__(
        self,
        request: RpcRequest,
        profile: str,
        key: Callable[[], str | BaseException | None],
        values: Callable[[], EnvironmentValues] | None = None,
        *,
        template: RpcRequest | None = None,
        replayed: Exchange | None = None,
    ) -> None:
        self.request = request
        self.profile = profile
        self.key = key
        self.values = values
        self.read_values: EnvironmentValues | None = None
        self.read_key: str | BaseException | None = None
        self.unresolved: UnresolvedVariables | None = None
        self.secrets: list[str] = []
        # The request as written (its ``{{variables}}``), for the history; and the history's
        # exchange when this send replays one.
        self.template = template
        self.replayed = replayed

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


class Preflight(QObject):
    """Takes a send the user asked for from Send to its tab's sender: the keyring read, the
    production guard and the rate limit, saying in the banner why nothing was sent.

    Apart from ``SendControl`` (which tab sends what, and showing it going and coming)
    because each of these steps may hold a send back for seconds, on a thread or on a
    question, and none of them is about tabs: the control only asks whether a tab's send
    waits here (``guarded``, ``SendSlot.reading``). Made on the first send (the first frame
    does not import it).

    Signals:
        message(str, int): a status-bar note and how many milliseconds it shows.
        reading(object): a ``SendSlot``'s keyring read started or ended.
        open_requested(object, str): the user chose to open a history entry that was not
            sent again (``refuse``) in the editor; ``SendControl`` passes it on.
    """

    message = Signal(str, int)
    reading = Signal(object)
    open_requested = Signal(object, str)

    def __init__(
        self,
        *,
        profiles: ProfileSelector,
        banner: Banner,
        guard: SendGate,
        variables: Variables | None,
        is_current: Callable[[SendSlot], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._profiles = profiles
        self._banner = banner
        self._guard = guard
        self._variables = variables
        self._is_current = is_current
        # The slot whose send waits at the guard (the control forgets it when the guard
        # stops waiting: Esc, or the user's answer).
        self.guarded: SendSlot | None = None
        self._throttles: dict[str, Throttle] = {}  # per profile: one key, one limit

    def refuse(self, exchange: Exchange, error: SecretsNotKept) -> bool:
        """Say why a history entry is not sent again, and offer to open it in the editor."""
        request = restore(exchange.request, exchange.template)

        def open_it() -> None:
            self.open_requested.emit(request, exchange.id)

        self._banner.show_message(f"Not sent: {error}", "Open in editor", open_it)
        return False

    def read_then_send(
        self,
        slot: SendSlot,
        request: RpcRequest,
        profile: str,
        values: Callable[[], EnvironmentValues] | None,
        values_slow: bool,
        *,
        template: RpcRequest | None = None,
        replayed: Exchange | None = None,
    ) -> bool:
        """Read what the send needs (off the UI thread when that is the keyring), then send.
        True when the send goes or is on its way; False if nothing will be sent."""
        key, key_slow = self._profiles.key_reader(profile)
        needs = _Needs(request, profile, key, values, template=template, replayed=replayed)
        if not (values_slow or key_slow):
            return self._send(slot, needs.read())
        slot.keyring.start(needs.read, lambda read: self._on_read(slot, read))
        self.reading.emit(slot)
        QTimer.singleShot(SLOW_READ_MS, lambda: self._say_reading(slot))
        return True

    def _say_reading(self, slot: SendSlot) -> None:
        if slot.reading and self._is_current(slot):
            slot.said_reading = True
            self.message.emit("Reading the OS keyring… (Esc cancels)", 0)

    def _on_read(self, slot: SendSlot, needs: object) -> None:
        self.reading.emit(slot)
        if slot.said_reading:
            slot.said_reading = False
            self.message.emit("", 0)
        if slot.closed:
            return
        if isinstance(needs, _Needs):
            self._send(slot, needs)
        else:  # a bug in the read: say it, send nothing
            self._banner.show_message(f"Not sent: the keyring could not be read: {needs}")

    def _throttle(self, profile: str) -> Throttle:
        """The profile's rate-limit throttle (one key, one limit), made on its first send."""
        throttle = self._throttles.get(profile)
        if throttle is None:
            # Imported on the first send: its module (a thread pool, csv) is ~4 ms of start-up.
            from explorer.run.accounts import STACKONE_PER_MINUTE, Throttle

            throttle = self._throttles[profile] = Throttle(STACKONE_PER_MINUTE)
        return throttle

    def note_limit(self, exchange: Exchange) -> None:
        """A StackOne 429 for the key: every tab of its profile waits it out."""
        from explorer.core.response import limits_the_key  # imported by then (the send's)

        response = exchange.response
        throttle = self._throttles.get(exchange.profile)
        if throttle is not None and response is not None and limits_the_key(response):
            from explorer.run.accounts import DEFAULT_RETRY_AFTER

            throttle.pause(response.retry_after or DEFAULT_RETRY_AFTER)

    def _send(self, slot: SendSlot, needs: _Needs) -> bool:
        """Send through the production guard: at once, or after the account list or the
        user's yes (True then too); False if nothing will be sent."""
        if needs.read_values is not None and self._variables is not None:
            self._variables.report(needs.read_values)
        if needs.unresolved is not None:
            if needs.replayed is not None:  # a secret of a history entry, not in the keyring
                places = hidden_places(needs.replayed.request)
                return self.refuse(needs.replayed, SecretsNotKept(places, needs.unresolved))
            self._banner.show_message(f"Not sent: {needs.unresolved}")
            return False
        profile, request = needs.profile, needs.request
        key = self._profiles.explain_key(profile, needs.read_key)
        if key is None:
            return False
        # A retry keeps the secrets of the send it repeats: its request holds the same values.
        secrets = needs.secrets if needs.values is not None else slot.pending_secrets
        template = needs.template
        throttle = self._throttle(profile)

        def go() -> bool:
            self.guarded = None
            if slot.closed or slot.in_flight:
                return False
            slot.pending_secrets = secrets
            slot.pending_template = template
            wait = throttle.delay()
            if wait > NOTED_WAIT_SECONDS:
                self.message.emit(
                    f"StackOne asked this API key to slow down: sending in {wait:.0f} s "
                    "(Esc cancels).",
                    int(wait * 1000),
                )
            return slot.sender.start(
                request, key, profile, throttle=throttle, prepare=slot.response_view.preparer()
            )

        guard = self._guard
        if guard.pending:
            self.message.emit("Answer the question about the account first (or press Esc).", 5000)
            return False
        self.guarded = slot
        sent = guard.request(
            scope=request.base_url,
            profile=profile,
            build=lambda book: [guard.target(book, request.action, request.account_id)],
            go=go,
        )
        if not guard.pending:
            self.guarded = None  # sent at once, or refused
        return sent
