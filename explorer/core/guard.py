"""The production guard: which sends need the user's say-so before they reach a customer.

A support engineer acts on customers' live accounts. Two kinds of send deserve a question:

- an action that **writes** to an account of ``type: production`` (a customer's live data);
- **anything** sent to an account that is not ``active`` (StackOne answers 412, and repeated
  failing calls can lock the customer's provider account; better to know first).

"Writes" is decided from the action's catalogue details where they give an HTTP method
(``GET``/``HEAD``/``OPTIONS`` read; ``PUT``/``PATCH``/``DELETE`` write), and otherwise by its
verb (``{connector}_{verb}_{resource}``): a short list of *reading* verbs, and every other verb
writes, so ``send_message``, ``upload``, ``invite`` and ``terminate`` are caught without being
listed. A ``POST`` is judged by its verb too, because providers search with ``POST``.

What is not known fails closed: an account the listing did not return (``GET /accounts``
failed, a key with only the Actions scope, offline), or one whose ``type`` or ``status`` is
missing, is asked about as if it were the riskiest kind.

Questions are asked once per account per session: ``Confirmations`` remembers, per server and
account, which reasons the user has accepted; a new reason (the account turned out to be
production after the user accepted "unknown") asks again.

Plain data and text only: the window turns a ``Concern`` into a dialog, the command-line
runner into a refusal with its own exit status.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from explorer.core.account_context import account_kind, account_name, status_lines, type_word

# Verbs that only read. Everything else writes (fail closed): a verb missing here costs one
# question, a writing verb wrongly listed here could cost a customer their data.
READING_VERBS: tuple[str, ...] = (
    "list",
    "get",
    "search",
    "retrieve",
    "read",
    "fetch",
    "find",
    "query",
    "lookup",
    "count",
    "describe",
    "view",
    "download",
)

if TYPE_CHECKING:
    from explorer.core.discovery import Account, ActionInfo
_READING = frozenset(READING_VERBS)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})
# Keys of a catalogue action's details that may hold the provider's HTTP method.
METHOD_KEYS = ("method", "http_method", "httpMethod")


class Reason(StrEnum):
    """Why a send needs the user's say-so (the values are stable: tests and reports use them)."""

    PRODUCTION = "production"  # writes to a production account
    NOT_ACTIVE = "not_active"  # any action to an account whose status is not active
    UNKNOWN_ACCOUNT = "unknown_account"  # the account list does not tell us about it
    UNKNOWN_TYPE = "unknown_type"  # writes, and the account's type is neither word we know
    UNKNOWN_STATUS = "unknown_status"  # the account came without a status


def action_verb(action: str, connectors: Iterable[str] = ()) -> str:
    """The verb of ``action``: the word after its connector key, lower case.

    ``connectors`` are keys known to prefix action names (the account's provider, the
    catalogue's connectors); the longest that matches is stripped, so ``google_drive_list_files``
    gives ``list``. Without a match the connector is taken to be one word.
    """
    name = action.strip().lower()
    for key in sorted({c.strip().lower() for c in connectors if c and c.strip()}, key=len)[::-1]:
        if name.startswith(key + "_"):
            rest = name[len(key) + 1 :]
            return rest.split("_", 1)[0]
    words = [w for w in name.split("_") if w]
    if len(words) >= 2:
        return words[1]
    return words[0] if words else ""


def details_method(info: ActionInfo | None) -> str:
    """The HTTP method the catalogue's details give for the action, upper case, or ``""``."""
    details = info.details if info is not None else None
    if not isinstance(details, Mapping):
        return ""
    for key in METHOD_KEYS:
        value = details.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip().upper()
    return ""


def action_writes(
    action: str, *, info: ActionInfo | None = None, connectors: Iterable[str] = ()
) -> bool:
    """Whether sending ``action`` may change the customer's data.

    The catalogue's HTTP method decides when it is a safe one or a clearly writing one; a
    ``POST`` or no method falls back to the verb. An action with no verb at all writes.
    """
    method = details_method(info)
    if method in SAFE_METHODS:
        return False
    if method in WRITE_METHODS:
        return True
    keys = [*connectors]
    if info is not None and info.connector_key:
        keys.append(info.connector_key)
    return action_verb(action, keys) not in _READING


@dataclass(frozen=True)
class Target:
    """One send the guard looks at: an action to an account, with what is known about both.

    ``account`` is ``None`` when the account list does not include the id; ``unknown_because``
    then says why in words ("GET /accounts failed: 403 Forbidden ...").
    """

    action: str
    account_id: str
    account: Account | None = None
    writes: bool = True
    unknown_because: str = ""
    label: str = ""  # what the user calls this send, e.g. a saved request's name


@dataclass(frozen=True)
class Concern:
    """An account the user must agree to send to, with every reason and the sends concerned."""

    account_id: str
    account: Account | None
    reasons: frozenset[Reason]
    targets: tuple[Target, ...] = ()
    unknown_because: str = ""

    @property
    def production(self) -> bool:
        return Reason.PRODUCTION in self.reasons

    @property
    def customer(self) -> str:
        """The customer (``origin_owner_name``), else its id, else ``""``."""
        if self.account is None:
            return ""
        return self.account.origin_owner_name or self.account.origin_owner_id

    def writing_actions(self) -> list[str]:
        return list(dict.fromkeys(t.action for t in self.targets if t.writes))

    def actions(self) -> list[str]:
        return list(dict.fromkeys(t.action for t in self.targets))


@dataclass
class GuardPolicy:
    """The rule. ``ask_for_test_accounts=False`` (a preference) never asks about an account
    known to be of type ``test``; production and unknown accounts are always asked about."""

    ask_for_test_accounts: bool = True

    def reasons(self, target: Target) -> frozenset[Reason]:
        """Why ``target`` needs a question; empty when it may go without one."""
        account = target.account
        if account is None:
            return frozenset({Reason.UNKNOWN_ACCOUNT})
        kind = account_kind(account)
        if kind == "test" and not self.ask_for_test_accounts:
            return frozenset()
        found: set[Reason] = set()
        if target.writes and kind == "production":
            found.add(Reason.PRODUCTION)
        elif target.writes and not kind:
            found.add(Reason.UNKNOWN_TYPE)
        status = account.status.strip().lower()
        if not status:
            found.add(Reason.UNKNOWN_STATUS)
        elif status != "active":
            found.add(Reason.NOT_ACTIVE)
        return frozenset(found)

    def concerns(self, targets: Iterable[Target]) -> list[Concern]:
        """One ``Concern`` per account that needs a question, in the order first met."""
        grouped: dict[str, list[Target]] = {}
        reasons: dict[str, set[Reason]] = {}
        for target in targets:
            found = self.reasons(target)
            if not found:
                continue
            grouped.setdefault(target.account_id, []).append(target)
            reasons.setdefault(target.account_id, set()).update(found)
        return [
            Concern(
                account_id=account_id,
                account=items[0].account,
                reasons=frozenset(reasons[account_id]),
                targets=tuple(items),
                unknown_because=items[0].unknown_because,
            )
            for account_id, items in grouped.items()
        ]


class Confirmations:
    """What the user agreed to this session, per server and account (thread-safe).

    Forgotten when the app quits: the question comes back next session on purpose.
    """

    def __init__(self) -> None:
        self._given: dict[tuple[str, str], set[Reason]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(scope: str, account_id: str) -> tuple[str, str]:
        return (scope.strip().rstrip("/"), account_id.strip())

    def unconfirmed(self, scope: str, concerns: Iterable[Concern]) -> list[Concern]:
        """The concerns still to ask about, each keeping only the reasons not yet accepted."""
        left: list[Concern] = []
        with self._lock:
            for concern in concerns:
                given = self._given.get(self._key(scope, concern.account_id), set())
                missing = concern.reasons - given
                if missing:
                    left.append(
                        Concern(
                            concern.account_id,
                            concern.account,
                            frozenset(missing),
                            concern.targets,
                            concern.unknown_because,
                        )
                    )
        return left

    def confirm(self, scope: str, concerns: Iterable[Concern]) -> None:
        with self._lock:
            for concern in concerns:
                key = self._key(scope, concern.account_id)
                self._given.setdefault(key, set()).update(concern.reasons)

    def forget(self) -> None:
        with self._lock:
            self._given.clear()


# -- looking accounts up ------------------------------------------------------------------


@dataclass
class AccountBook:
    """What the explorer knows about a project's accounts for the guard.

    ``accounts`` is the listing (``None`` when there is none: it failed, or was never made);
    ``complete`` is false when it stopped early; ``problem`` says why there is none.
    """

    accounts: Sequence[Account] | None = None
    complete: bool = True
    problem: str = ""
    _by_id: dict[str, Account] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {a.id: a for a in self.accounts or ()}

    def find(self, account_id: str) -> Account | None:
        return self._by_id.get(account_id.strip())

    def why_unknown(self, account_id: str) -> str:
        """Words for an account ``find`` does not know."""
        if self.accounts is None:
            return self.problem or "the account list has not been loaded"
        if not self.complete:
            return (
                f"it is not among the first {len(self.accounts)} accounts listed "
                "(the list stopped early)"
            )
        return f"it is not among the {len(self.accounts)} accounts this API key lists"

    def target(
        self,
        action: str,
        account_id: str,
        *,
        info: ActionInfo | None = None,
        connectors: Iterable[str] = (),
        label: str = "",
    ) -> Target:
        """A ``Target`` for sending ``action`` to ``account_id``, with what the book knows."""
        account = self.find(account_id)
        keys = [*connectors]
        if account is not None and account.provider:
            keys.append(account.provider)
        return Target(
            action=action,
            account_id=account_id.strip(),
            account=account,
            writes=action_writes(action, info=info, connectors=keys),
            unknown_because="" if account is not None else self.why_unknown(account_id),
            label=label,
        )


# -- words --------------------------------------------------------------------------------


def concern_lines(concern: Concern) -> list[str]:
    """What the question says about one account: customer, account, type, status, reasons."""
    account = concern.account
    lines = []
    if account is None:
        lines.append(f"Account: {concern.account_id}")
        lines.append(
            "Customer, type and status unknown: "
            + (concern.unknown_because or "the account list has not been loaded")
            + ". Treat it as a customer's live production account."
        )
        return lines
    lines.append(f"Customer: {concern_customer(concern)}")
    provider = account.provider_name or account.provider
    kind = type_word(account) or "type not given"
    lines.append(
        f"Account: {account_name(account, concern.account_id)}"
        + (f", {provider}" if provider else "")
        + f", {kind}"
    )
    lines += status_lines(account)
    return lines


def concern_customer(concern: Concern) -> str:
    """The customer's name for the question, ``not given`` when StackOne sent none."""
    return concern.customer or "not given"


def _reason_sentence(concern: Concern) -> str:
    reasons = concern.reasons
    writes = ", ".join(concern.writing_actions())
    parts = []
    if Reason.PRODUCTION in reasons:
        parts.append(f"{writes} may change this customer's live data")
    if Reason.UNKNOWN_TYPE in reasons:
        parts.append(f"{writes} may change data, and the account's type is not known")
    if Reason.UNKNOWN_ACCOUNT in reasons:
        parts.append("nothing is known about this account")
    if Reason.NOT_ACTIVE in reasons:
        parts.append("the account is not active: StackOne will probably answer 412")
    if Reason.UNKNOWN_STATUS in reasons:
        parts.append("the account's status is not known")
    return "; ".join(parts) + "."


@dataclass(frozen=True)
class Question:
    """The words of one question: a title, a lead sentence, details, and the two answers.

    ``yes`` never is the default answer: Enter and Esc both mean ``no``.
    """

    title: str
    lead: str
    details: list[str]
    yes: str
    no: str

    def text(self) -> str:
        return "\n".join([self.lead, "", *self.details])


def single_question(concern: Concern, action: str) -> Question:
    """The question before sending ``action`` to the account of ``concern``."""
    who = concern_customer(concern) if concern.account is not None else concern.account_id
    if concern.production:
        title = "Write to a production account?"
        lead = f"Send {action} to {who}'s PRODUCTION account?"
        yes = "Send to production"
    elif Reason.UNKNOWN_ACCOUNT in concern.reasons or Reason.UNKNOWN_TYPE in concern.reasons:
        title = "Send to an account the explorer does not know?"
        lead = f"Send {action} to {concern.account_id}? It may be a customer's live account."
        yes = "Send anyway"
    else:
        title = "Send to an account that is not active?"
        lead = f"Send {action} to {who}'s account, which is not active?"
        yes = "Send anyway"
    details = [*concern_lines(concern), "", "Why you are asked: " + _reason_sentence(concern)]
    details.append("You will not be asked again about this account until you quit.")
    return Question(title, lead, details, yes, "Don't send")


def batch_question(concerns: Sequence[Concern], what: str, total: int) -> Question:
    """One question before a run of ``total`` sends (``what``: "Smoke", "12 accounts"...),
    listing the production accounts first, then the others that need a word."""
    production = [c for c in concerns if c.production]
    others = [c for c in concerns if not c.production]
    count = len(concerns)
    if production:
        title = "Run against production accounts?"
        lead = (
            f"Run {what} ({total} request{'s' if total != 1 else ''})? It writes to "
            f"{len(production)} PRODUCTION account{'s' if len(production) != 1 else ''}"
            + (
                f"; {len(others)} more account{'s need' if len(others) != 1 else ' needs'} "
                "a second look"
                if others
                else ""
            )
            + "."
        )
        yes = "Run on production"
    else:
        title = "Run against accounts that need a second look?"
        lead = (
            f"Run {what} ({total} request{'s' if total != 1 else ''})? "
            f"{count} account{'s' if count != 1 else ''} need a second look."
        )
        yes = "Run anyway"
    details: list[str] = []
    for concern in [*production, *others]:
        if details:
            details.append("")
        details += concern_lines(concern)
        actions = concern.writing_actions() if concern.production else concern.actions()
        if actions:
            details.append("Sends: " + ", ".join(actions))
        details.append("Why: " + _reason_sentence(concern))
    details += ["", "You will not be asked again about these accounts until you quit."]
    return Question(title, lead, details, yes, "Don't run")
