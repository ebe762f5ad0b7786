"""The production guard before a command-line run: which requests would write to production.

The rule is ``explorer.core.guard``'s. A terminal cannot ask, so ``stackone-explorer run``
refuses instead (exit status 3) unless ``--allow-production-writes`` is given: a request that
writes is refused when its account is production, or when its type cannot be read (the
listing failed, e.g. a key with only the Actions scope, or does not list the account). Test
accounts are written to freely; the status of an account does not matter here (an inactive
account answers 412, which the run reports like any failure).

Nothing is listed when no request writes by its verb, so read-only runs cost no extra call.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from explorer.core.account_context import account_kind, type_word
from explorer.core.client import RpcClient
from explorer.core.discovery import Account, DiscoveryClient
from explorer.core.errors import ExplorerError
from explorer.core.guard import READING_VERBS, AccountBook, Target, action_writes
from explorer.core.request import RpcRequest

ALLOW_PRODUCTION_WRITES = "--allow-production-writes"
# The rule in words for ``stackone-explorer run --help``.
GUARD_HELP = textwrap.fill(
    'An action writes unless its verb (the word after the connector: "list" in '
    f"bamboohr_list_employees) only reads: {', '.join(READING_VERBS)}. Every other verb "
    "writes: create, update, delete, send_message, upload, invite, terminate... When a "
    "request writes, the run first lists the project's accounts (GET /accounts) to learn "
    "each account's type; test accounts are written to without the flag.",
    width=78,
    initial_indent="  ",
    subsequent_indent="  ",
)


def production_writes(
    planned: Sequence[tuple[str, RpcRequest]],
    *,
    api_key: str,
    client: RpcClient | None = None,
) -> list[Target]:
    """The requests of ``planned`` (label, request as it will be sent) that would write to a
    production account or to one whose type is not known, in run order.

    The accounts are listed once per server (``GET /accounts``) with ``client`` (or a client
    of its own, opened only when something writes); a listing that fails leaves every account
    of that server unknown, and unknown fails closed.
    """
    if not any(action_writes(request.action) for _label, request in planned):
        return []
    own = client is None
    client = client or RpcClient()
    books: dict[str, AccountBook] = {}
    refused: list[Target] = []
    try:
        for label, request in planned:
            root = request.base_url.strip().rstrip("/")
            if root not in books:
                books[root] = account_book(client, root, api_key)
            target = books[root].target(request.action, request.account_id, label=label)
            if target.writes and (target.account is None or account_kind(target.account) != "test"):
                refused.append(target)
    finally:
        if own:
            client.close()
    return refused


def account_book(client: RpcClient, root: str, api_key: str) -> AccountBook:
    """The accounts at ``root``, or an empty book that says why there are none."""
    try:
        listing = DiscoveryClient(client).list_accounts(root, api_key)
    except ExplorerError as exc:
        return AccountBook(None, problem=f"GET /accounts failed: {exc}")
    return AccountBook(listing, complete=listing.complete)


def _account_words(account: Account | None, why_unknown: str) -> str:
    if account is None:
        return f"type unknown: {why_unknown}"
    facts = [type_word(account) or "type not given"]
    if account.origin_owner_name:
        facts.append(account.origin_owner_name)
    if account.status and account.status.lower() != "active":
        facts.append(account.status)
    return ", ".join(facts)


def target_lines(targets: Sequence[Target]) -> list[str]:
    """One indented line per send: ``  Name: action -> account (PRODUCTION, Customer)``."""
    return [
        f"  {t.label or t.action}: {t.action} -> {t.account_id} "
        f"({_account_words(t.account, t.unknown_because)})"
        for t in targets
    ]


def refusal(targets: Sequence[Target]) -> str:
    """What the run prints when the guard refuses it (exit status 3)."""
    count = len(targets)
    return "\n".join(
        [
            f"refused: {count} request{'s' if count != 1 else ''} would write to a production "
            "account (or to one whose type could not be read):",
            *target_lines(targets),
            "Nothing was sent. Point the requests at a test account, or pass "
            f"{ALLOW_PRODUCTION_WRITES} to send them anyway.",
        ]
    )
