"""The production guard in the window: every send and every run passes through ``SendGate``.

The rule is ``explorer.core.guard``'s; this module finds what the window knows (the selected
profile's account list from discovery, the catalogue's details), asks the question when the
rule says so, and lets the send go on "yes". The question is window-modal but not a nested
event loop (``QMessageBox.open``): the window keeps painting, and tests answer it with clicks.

When Send is pressed while the account list is still loading (just after start or a profile
switch), the send waits for it, a second or so, rather than asking about an account that is
about to be known; Esc stops the wait. Waiting ends at the latest after ``WAIT_LIMIT_MS``, and
what is still unknown then is asked about (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from explorer.store.profiles import Profile
from explorer.ui.discovery.service import DiscoveryService

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractButton, QMessageBox

    from explorer.core.discovery import Account, Listing
    from explorer.core.guard import AccountBook, Concern, Confirmations, Question, Target
    from explorer.store.collections import SavedRequest
    from explorer.ui.discovery.results import DiscoveryFailure

# Longer than a listing's own timeout (30 s): the listing ends first, by result or failure.
WAIT_LIMIT_MS = 5_000
# A question about more lines than this shows the first of them, the rest under "Show Details".
SHOWN_LINES = 24


def import_rules() -> None:
    """The guard's rules (``core.guard``: five dataclasses, ~2 ms), imported on a pool thread
    after the first paint: the first frame only says why an account is not known yet, and
    the rules are first read when the account list arrives or a send is checked."""
    import explorer.core.guard  # noqa: F401


class _Pending:
    # A plain class, not a dataclass: made at import, before the first paint (~0.4 ms less).
    __slots__ = ("build", "go", "profile", "scope", "total", "what")

    def __init__(
        self,
        scope: str,
        profile: str,
        build: Callable[[AccountBook], list[Target]],
        go: Callable[[], bool],
        what: str,  # "" for a single send; a run's title for a batch
        total: int,
    ) -> None:
        self.scope = scope
        self.profile = profile
        self.build = build
        self.go = go
        self.what = what
        self.total = total


class SendGate(QObject):
    """Lets a send (or a run of many) go at once, after the account list arrives, or after
    the user says yes; at most one waits at a time.

    Signals:
        waiting(bool): a send started (True) or stopped (False) waiting for the account list
            or an answer; the window enables Esc meanwhile.
        asked(object): the ``QMessageBox`` just opened with the question.
        message(str): a status-bar line ("Checking the account…", "Not sent: …").
    """

    waiting = Signal(bool)
    asked = Signal(object)
    message = Signal(str)

    def __init__(self, service: DiscoveryService, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.service = service
        # The preference the rule is made with (``core.guard.GuardPolicy``, per decision).
        self.ask_for_test_accounts = True
        self.question: QMessageBox | None = None
        self._pending: _Pending | None = None
        self._accounts_problem = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(WAIT_LIMIT_MS)
        self._timer.timeout.connect(self._decide_pending)
        service.accounts_loaded.connect(self._on_accounts)
        service.failed.connect(self._on_failed)

    @cached_property
    def confirmations(self) -> Confirmations:
        """What the user agreed to this session (made with the first send checked)."""
        from explorer.core.guard import Confirmations

        return Confirmations()

    # -- what is known ---------------------------------------------------------------------
    def book(self, profile: str) -> AccountBook:
        """The accounts discovery listed for ``profile``, or why there are none."""
        from explorer.core.guard import AccountBook

        listing, problem = self._listing(profile)
        if listing is None:
            return AccountBook(None, problem=problem)
        return AccountBook(listing, complete=listing.complete)

    def why_unknown(self, profile: str, account_id: str) -> str:
        """``book(profile).why_unknown(account_id)``; while there is no listing, without
        making the book (nor importing the rules): the first frame says so."""
        listing, problem = self._listing(profile)
        return problem if listing is None else self.book(profile).why_unknown(account_id)

    def _listing(self, profile: str) -> tuple[Listing[Account] | None, str]:
        """The accounts discovery listed for ``profile``; else ``None`` and why not."""
        if profile != self.service.profile:
            return None, f"the accounts of profile '{profile}' are not listed right now"
        listing = self.service.accounts()
        if listing is None:
            return None, self._accounts_problem or "the account list has not been loaded"
        return listing, ""

    def target(self, book: AccountBook, action: str, account_id: str, label: str = "") -> Target:
        """A ``Target`` with the catalogue's details of ``action`` where discovery has them."""
        info = self.service.find_action(action)
        connectors = {a.connector_key for a in self.service.actions() or () if a.connector_key}
        return book.target(action, account_id, info=info, connectors=connectors, label=label)

    def run_targets(
        self,
        book: AccountBook,
        requests: Sequence[SavedRequest],
        values: Mapping[str, str],
        profile: Profile | None,
    ) -> list[Target]:
        """What a collection run will send, resolved as the runner resolves it; requests that
        cannot be sent (unresolved variables, no account) send nothing and need no word."""
        from explorer.run.engine import target_request  # loaded when a run starts

        targets: list[Target] = []
        for saved in requests:
            request, problem = target_request(saved, values, profile, None)
            if request is not None and not problem:
                targets.append(self.target(book, request.action, request.account_id, saved.label))
        return targets

    @property
    def pending(self) -> bool:
        """A send waits for the account list or for the user's answer."""
        return self._pending is not None

    # -- the gate ----------------------------------------------------------------------------
    def request(
        self,
        *,
        scope: str,
        profile: str,
        build: Callable[[AccountBook], list[Target]],
        go: Callable[[], bool],
        what: str = "",
        total: int = 1,
    ) -> bool:
        """Run ``go`` when the rule allows the sends ``build`` describes.

        ``scope`` is the server (base URL) answers are remembered for; ``what`` names a run
        ("Smoke") for the one question of a batch. Returns ``go()``'s result when it ran now,
        True while the send waits (for the list or an answer), False when another send is
        already waiting.
        """
        if self._pending is not None:
            self.message.emit("Answer the question about the account first (or press Esc).")
            return False
        pending = _Pending(scope, profile, build, go, what, total)
        if profile == self.service.profile and self.service.accounts_loading():
            self._pending = pending
            self._timer.start()
            self.waiting.emit(True)
            self.message.emit("Checking the account before sending… (Esc cancels)")
            return True
        return self._decide(pending)

    def cancel_pending(self) -> bool:
        """Stop a send waiting for the list or an answer; True if there was one."""
        pending, self._pending = self._pending, None
        self._timer.stop()
        if self.question is not None:
            from PySide6.QtWidgets import QMessageBox  # asked: its class is made by now

            box, self.question = self.question, None
            box.done(int(QMessageBox.StandardButton.Cancel))
            box.deleteLater()
        if pending is None:
            return False
        self.waiting.emit(False)
        self.message.emit("Not sent.")
        return True

    def _decide(self, pending: _Pending) -> bool:
        from explorer.core.guard import GuardPolicy

        book = self.book(pending.profile)
        policy = GuardPolicy(ask_for_test_accounts=self.ask_for_test_accounts)
        concerns = policy.concerns(pending.build(book))
        left = self.confirmations.unconfirmed(pending.scope, concerns)
        if not left:
            if self._pending is not None:
                self._pending = None
                self.waiting.emit(False)
            return pending.go()
        if self._pending is None:
            self._pending = pending
            self.waiting.emit(True)
        self._ask(pending, left)
        return True

    def _decide_pending(self) -> None:
        self._timer.stop()
        if self._pending is not None and self.question is None:
            self._decide(self._pending)

    def _ask(self, pending: _Pending, concerns: list[Concern]) -> None:
        from explorer.core.guard import batch_question, single_question

        if pending.what:
            question = batch_question(concerns, pending.what, pending.total)
        else:
            action = concerns[0].targets[0].action if concerns[0].targets else ""
            question = single_question(concerns[0], action)
        box, yes = _question_box(question, self._parent)
        self.question = box

        def answered(_result: int) -> None:
            if self.question is not box:
                return  # cancelled meanwhile
            self.question = None
            self._pending = None
            self.waiting.emit(False)
            clicked = box.clickedButton()
            box.deleteLater()
            # Back to where the user was typing, also without a window manager to do it.
            self._parent.activateWindow()
            if clicked is not None and clicked is yes:
                self.confirmations.confirm(pending.scope, concerns)
                pending.go()
            else:
                self.message.emit("Not sent: you answered no to the question about the account.")

        box.finished.connect(answered)
        box.open()
        self.asked.emit(box)

    # -- discovery's news ------------------------------------------------------------------
    def _on_accounts(self, _accounts: object) -> None:
        self._accounts_problem = ""
        self._decide_pending()

    def _on_failed(self, failure: DiscoveryFailure) -> None:
        if failure.kind != "accounts":
            return
        self._accounts_problem = f"the account list could not be read ({failure.text})"
        self._decide_pending()


def _question_box(question: Question, parent: QWidget) -> tuple[QMessageBox, QAbstractButton]:
    """The question as a message box whose default (Enter, Esc) is the safe answer."""
    # Named here, not at import: the window imports this module before its first paint, and
    # PySide makes a Qt class's Python type (with its enum classes) where a module names it.
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setObjectName("productionQuestion")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(question.title)
    box.setText(question.lead)
    details = question.details
    if len(details) > SHOWN_LINES:
        # A run over many accounts: keep the box on the screen, every word still there.
        rest = len(details) - SHOWN_LINES
        shown = [*details[:SHOWN_LINES], f"… {rest} more lines under Show Details."]
        box.setInformativeText("\n".join(shown))
        box.setDetailedText("\n".join(details))
    else:
        box.setInformativeText("\n".join(details))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    yes: QAbstractButton = box.addButton(question.yes, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(question.no, QMessageBox.ButtonRole.RejectRole)
    yes.setObjectName("guardYes")
    no.setObjectName("guardNo")
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAccessibleName(question.title)
    box.setAccessibleDescription(question.text())
    return box, yes
