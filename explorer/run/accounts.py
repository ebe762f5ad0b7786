"""One request, many accounts: "why does this fail for customer X and not for Y?".

``AccountRun`` sends the same RPC request to each chosen account (only ``x-account-id``
changes), a few at a time, spaced under StackOne's rate limit (1000 requests a minute per API
key; the run keeps below ``DEFAULT_PER_MINUTE``). A 429 pauses every worker for its
``Retry-After`` and the account is tried again (at most ``MAX_ATTEMPTS`` times); other
statuses, 408 included, are results, not retried: a timed-out write may have happened. Cancel
aborts the requests in flight and starts no more. Progress is reported per account as it
starts and ends; each row keeps its ``Exchange`` for the history and for comparing two rows.

The production guard is the caller's business (``explorer.core.guard``): ask once for the
batch before ``run``. No Qt here: the window runs this on a worker thread, and a command could
run it as it is.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from explorer.core.client import CancelToken, RpcClient
from explorer.core.discovery import Account
from explorer.core.errors import InvalidRequest
from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.secrets import mask

# StackOne allows 1000 requests a minute per key; stay well under it, so the person running
# this (and anything else using the key) keeps some room.
STACKONE_PER_MINUTE = 1000
DEFAULT_PER_MINUTE = 600
DEFAULT_WORKERS = 4
MAX_ATTEMPTS = 3
# When a 429 comes without Retry-After: StackOne's documented default.
DEFAULT_RETRY_AFTER = 60.0

PENDING = "pending"
RUNNING = "running"
OK = "ok"  # a 2xx answer
ERROR = "error"  # an error status: StackOne's or the provider's
FAILED = "failed"  # no answer (transport failure)
CANCELLED = "cancelled"
NOT_RUN = "not run"

COLUMNS = (
    "account_id",
    "customer",
    "provider",
    "type",
    "status",
    "time_ms",
    "request_id",
    "records",
    "error",
)


@dataclass
class AccountRow:
    """The outcome for one account: who it is, what came back, and how."""

    account_id: str
    customer: str = ""
    provider: str = ""
    account_type: str = ""
    label: str = ""
    outcome: str = PENDING
    status: int | None = None
    time_ms: float | None = None
    request_id: str | None = None
    records: int | None = None
    error: str = ""
    attempts: int = 0
    # What was sent and received, for comparing rows; never exported. ``sent`` holds every
    # exchange of the row (a 429 waited out included), for the history.
    exchange: Exchange | None = field(default=None, repr=False, compare=False)
    sent: list[Exchange] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def for_account(cls, account: Account | str) -> AccountRow:
        if isinstance(account, str):
            return cls(account_id=account.strip())
        return cls(
            account_id=account.id,
            customer=account.origin_owner_name or account.origin_owner_id,
            provider=account.provider_name or account.provider,
            account_type=account.type,
            label=account.title() if account.title() != account.id else "",
        )

    @property
    def done(self) -> bool:
        return self.outcome not in (PENDING, RUNNING)

    def to_dict(self) -> dict[str, Any]:
        """The exported columns (``COLUMNS``), nothing of the exchange."""
        return {
            "account_id": self.account_id,
            "customer": self.customer,
            "provider": self.provider,
            "type": self.account_type,
            "status": self.status,
            "time_ms": None if self.time_ms is None else round(self.time_ms, 1),
            "request_id": self.request_id,
            "records": self.records,
            "error": self.error,
            "outcome": self.outcome,
        }


def record_count(data: Any) -> int | None:
    """How many records an answer's ``data`` holds: a list's length, 1 for an object."""
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict):
        return 1
    return None


class Throttle:
    """Spaces sends at least ``60 / per_minute`` seconds apart, across threads, and holds
    everyone back after a ``Retry-After`` (the limit is the key's, not one thread's)."""

    def __init__(
        self,
        per_minute: int = DEFAULT_PER_MINUTE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = 60.0 / max(1, min(per_minute, STACKONE_PER_MINUTE))
        self._clock = clock
        self._next = 0.0
        self._lock = threading.Lock()

    def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` from now (a 429's ``Retry-After``)."""
        with self._lock:
            self._next = max(self._next, self._clock() + max(0.0, seconds))

    def delay(self) -> float:
        """Seconds before a send may go now (0 when it may go at once)."""
        with self._lock:
            return max(0.0, self._next - self._clock())

    def wait(self, cancel: CancelToken | None = None) -> bool:
        """Block until this thread may send; False if cancelled while waiting."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        while True:
            if cancel is not None and cancel.cancelled:
                return False
            left = slot - self._clock()
            if left <= 0:
                return True
            time.sleep(min(left, 0.05))


Progress = Callable[[int, AccountRow], None]


class AccountRun:
    """Sends ``request`` to each of ``accounts`` and collects an ``AccountRow`` for each.

    Args:
        request: the editor's request; its ``account_id`` is replaced per account.
        accounts: ``Account``s (their customer, provider and type fill the rows) or bare ids.
        per_minute: the pace, capped at StackOne's limit.
        workers: requests in flight at once.
        progress: ``progress(index, row)`` when a row starts (``RUNNING``) and when it ends;
            called on worker threads, so it must be quick and thread-safe (the window emits a
            queued signal).
        cancel: ``cancel.cancel()`` from any thread aborts what is in flight and runs no more.
    """

    def __init__(
        self,
        client: RpcClient,
        request: RpcRequest,
        accounts: Sequence[Account | str],
        *,
        api_key: str,
        profile: str = "",
        per_minute: int = DEFAULT_PER_MINUTE,
        workers: int = DEFAULT_WORKERS,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        self.client = client
        self.request = request
        self.rows = [AccountRow.for_account(a) for a in accounts]
        self.api_key = api_key
        self.profile = profile
        self.throttle = Throttle(per_minute)
        self.workers = max(1, workers)
        self.progress = progress
        self.cancel = cancel or CancelToken()
        self._secrets = [api_key, *secrets]

    def run(self) -> list[AccountRow]:
        """Run every account (blocking) and return the rows, in the accounts' order."""
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="accounts") as pool:
            list(pool.map(self._run_one, range(len(self.rows))))
        return self.rows

    def _report(self, index: int) -> None:
        if self.progress is not None:
            self.progress(index, self.rows[index])

    def _run_one(self, index: int) -> None:
        try:
            self._run_row(index)
        except Exception as exc:  # one account's bug must not cost the others their rows
            row = self.rows[index]
            row.outcome = FAILED
            row.error = mask(f"Unexpected error: {type(exc).__name__}: {exc}", self._secrets)
            self._report(index)

    def _run_row(self, index: int) -> None:
        row = self.rows[index]
        if self.cancel.cancelled:
            row.outcome = NOT_RUN
            self._report(index)
            return
        row.outcome = RUNNING
        self._report(index)
        request = self.request.copy(account_id=row.account_id)
        while True:
            if not self.throttle.wait(self.cancel):
                row.outcome = CANCELLED if row.attempts else NOT_RUN
                break
            row.attempts += 1
            exchange = self._send(request)
            self._read(row, exchange)
            response = exchange.response
            if response is None or response.status != 429 or row.attempts >= MAX_ATTEMPTS:
                break
            self.throttle.pause(response.retry_after or DEFAULT_RETRY_AFTER)
        self._report(index)

    def _send(self, request: RpcRequest) -> Exchange:
        try:
            return self.client.exchange(
                request, self.api_key, cancel=self.cancel, profile=self.profile
            )
        except InvalidRequest as exc:
            exchange = Exchange(request=request.copy(), profile=self.profile)
            exchange.failure = Failure("InvalidRequest", f"Not sent: {exc}")
            return exchange

    def _read(self, row: AccountRow, exchange: Exchange) -> None:
        row.exchange = exchange
        row.sent.append(exchange)
        response = exchange.response
        if response is None:
            failure = exchange.failure
            row.outcome = CANCELLED if failure and failure.kind == "Cancelled" else FAILED
            row.error = mask(failure.message if failure else "no response", self._secrets)
            return
        row.status = response.status
        row.time_ms = response.timing.total_ms
        row.request_id = response.request_id
        if response.ok:
            row.outcome = OK
            row.error = ""
            row.records = record_count(response.result.data if response.result else None)
            return
        row.outcome = ERROR
        message = response.error.message if response.error else ""
        row.error = mask(message or f"HTTP {response.status} {response.reason}", self._secrets)


# -- choosing accounts ----------------------------------------------------------------------


def select_accounts(
    accounts: Iterable[Account],
    *,
    provider: str = "",
    owner: str = "",
    status: str = "",
    account_type: str = "",
) -> list[Account]:
    """The accounts matching every filter given (case-insensitive; ``owner`` matches the
    customer's name or id, in part), in their order: "all BambooHR accounts", "Acme's"..."""
    provider, owner = provider.strip().lower(), owner.strip().lower()
    status, account_type = status.strip().lower(), account_type.strip().lower()
    chosen = []
    for account in accounts:
        if provider and provider not in (account.provider.lower(), account.provider_name.lower()):
            continue
        customer = f"{account.origin_owner_name} {account.origin_owner_id}".lower()
        if owner and owner not in customer:
            continue
        if status and account.status.lower() != status:
            continue
        if account_type and account.type.lower() != account_type:
            continue
        chosen.append(account)
    return chosen


def providers(accounts: Iterable[Account]) -> dict[str, list[Account]]:
    """Accounts by provider key, for "select all of a provider"."""
    grouped: dict[str, list[Account]] = {}
    for account in accounts:
        grouped.setdefault(account.provider or "", []).append(account)
    return grouped


# -- exports --------------------------------------------------------------------------------


def to_csv(rows: Iterable[AccountRow]) -> str:
    """The results table as CSV (``COLUMNS`` plus the outcome), for a spreadsheet or a ticket."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "outcome"])
    for row in rows:
        data = row.to_dict()
        writer.writerow(["" if data[c] is None else data[c] for c in (*COLUMNS, "outcome")])
    return out.getvalue()


def to_json(rows: Iterable[AccountRow], context: dict[str, Any] | None = None) -> str:
    """The results as JSON: what was run (``context``: action, base URL, time) and each row."""
    report = {
        "format": "stackone-explorer-accounts",
        "version": 1,
        **(context or {}),
        "results": [row.to_dict() for row in rows],
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
