"""Words about a linked account, for every place that names one: the production guard's
question, the marks and tooltips beside an account, the account context in the editor and in
the history, and the command-line runner's messages.

Plain text from ``explorer.core.discovery.Account`` (no Qt), so the window and the command
line describe an account the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.core.discovery import Account


def account_kind(account: Account) -> str:
    """``production``, ``test`` or ``""`` (missing or a word StackOne does not document)."""
    kind = account.type.strip().lower()
    return kind if kind in ("production", "test") else ""


def is_production(account: Account | None) -> bool:
    """Whether the account holds a customer's live data (the production guard's first
    question; here, apart from the guard's rules, for the marks the first frame draws)."""
    return account is not None and account_kind(account) == "production"


def type_word(account: Account) -> str:
    """``PRODUCTION`` in capitals (a customer's live data), other types as StackOne sends them."""
    kind = account.type.strip()
    return kind.upper() if kind.lower() == "production" else kind.lower()


def account_name(account: Account | None, account_id: str) -> str:
    """``Acme - BambooHR (acct_1)``, or the bare id when nothing more is known."""
    if account is None or account.title() == account_id:
        return account_id
    return f"{account.title()} ({account_id})"


def status_lines(account: Account) -> list[str]:
    """The status and each reason StackOne gave for it, one line each."""
    status = account.status.strip() or "not given"
    lines = [f"Status: {status}"]
    for reason in account.status_reasons:
        text = ": ".join(p for p in (reason.code, reason.description) if p)
        at = f" ({when(reason.timestamp)})" if reason.timestamp else ""
        if text:
            lines.append(f"  - {text}{at}")
    return lines


def when(timestamp: str) -> str:
    """``2026-02-03T14:05:00.000Z`` as ``2026-02-03 14:05 UTC``; other text as it came."""
    try:
        moment = datetime.fromisoformat(timestamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return timestamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M")


def context_lines(account: Account) -> list[tuple[str, str]]:
    """The account's context as (label, value) pairs: customer, provider, type, status with
    each reason, label, who connected it, last update. Shown beside the account field and in
    an exchange's details; fields StackOne did not send are left out."""
    facts: list[tuple[str, str]] = []
    customer = account.origin_owner_name or account.origin_owner_id
    if account.origin_owner_name and account.origin_owner_id:
        customer += f" ({account.origin_owner_id})"
    if customer:
        facts.append(("Customer", customer))
    provider = account.provider_name or account.provider
    if account.provider_name and account.provider and account.provider_name != account.provider:
        provider += f" ({account.provider})"
    if provider:
        facts.append(("Provider", provider))
    facts.append(("Type", type_word(account) or "not given"))
    facts.append(("Status", account.status.strip() or "not given"))
    for reason in account.status_reasons:
        text = ": ".join(p for p in (reason.code, reason.description) if p)
        if text:
            at = f" ({when(reason.timestamp)})" if reason.timestamp else ""
            facts.append(("Reason", text + at))
    if account.label:
        facts.append(("Label", account.label))
    if account.origin_username:
        facts.append(("Connected by", account.origin_username))
    if account.updated_at:
        facts.append(("Last update", when(account.updated_at)))
    return facts


def context_text(account: Account) -> str:
    """``context_lines`` as text, one ``Label: value`` a line."""
    return "\n".join(f"{label}: {value}" for label, value in context_lines(account))


def context_line(account: Account) -> str:
    """The context on one line, for beside the field: ``Acme Demo Ltd · BambooHR ·
    PRODUCTION · inactive (token_expired) · updated 2026-02-21 03:12 UTC``."""
    facts = [account.origin_owner_name or account.origin_owner_id]
    facts.append(account.provider_name or account.provider)
    facts.append(type_word(account))
    status = account.status.strip()
    if status:
        codes = ", ".join(r.code for r in account.status_reasons if r.code)
        facts.append(f"{status} ({codes})" if codes and status.lower() != "active" else status)
    if account.updated_at:
        facts.append(f"updated {when(account.updated_at)}")
    return " · ".join(f for f in facts if f)


def unknown_context(account_id: str, why: str) -> str:
    """What to say beside an account nothing is known about, and why."""
    if not account_id.strip():
        return ""
    return f"{account_id.strip()}: customer, type and status unknown ({why})"
