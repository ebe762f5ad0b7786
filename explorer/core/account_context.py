"""Words about a linked account, for every place that names one: the production guard's
question, the marks and tooltips beside an account, the account context in the editor and in
the history, and the command-line runner's messages.

Plain text from ``explorer.core.discovery.Account`` (no Qt), so the window and the command
line describe an account the same way.
"""

from __future__ import annotations

from explorer.core.discovery import Account


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
        when = f" ({reason.timestamp})" if reason.timestamp else ""
        if text:
            lines.append(f"  - {text}{when}")
    return lines


def describe_account(account: Account) -> str:
    """One line naming an account with its customer, provider, type and status, for tooltips
    and the window title, e.g. ``Acme Demo Ltd · Acme - BambooHR · BambooHR · PRODUCTION``."""
    facts: list[str] = []
    if account.origin_owner_name:
        facts.append(account.origin_owner_name)
    if account.title() != account.id:
        facts.append(account.title())
    facts.append(account.provider_name or account.provider)
    if account.type:
        facts.append(type_word(account))
    if account.status and account.status.lower() != "active":
        facts.append(account.status)
    return " · ".join(f for f in facts if f)
