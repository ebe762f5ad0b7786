"""A history folder with many realistic entries, written fast (no Qt).

Going through ``HistoryStore.add`` would commit (and fsync) once per entry (minutes for
100,000); the benchmarks need the *result* of a long history, so ``write_history`` fills the
store's own database through ``HistoryDatabase.insert_many``, thousands of entries per
transaction. ``write_legacy_history`` writes the layout before the database (``index.jsonl``
plus one ``<id>.json`` per entry), to time moving an old home in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.core.wire import SentRequest
from explorer.store.history import DB_NAME, INDEX_NAME, HistoryEntry
from explorer.store.history_db import HistoryDatabase

ACTIONS = [
    f"{provider}_{verb}"
    for provider in ("bamboohr", "hibob", "workday", "greenhouse", "personio")
    for verb in ("list_employees", "get_employee", "create_employee", "list_time_off")
]
STATUSES = (200, 200, 200, 200, 201, 400, 404, 429, 500, None)
# One entry in this many has a note and tags, as a support engineer marks the calls of a case.
NOTED_EVERY = 50
CUSTOMERS = 7


def example_exchange(number: int, started: datetime) -> Exchange:
    """Entry ``number`` of a varied history: 20 actions, 10 accounts, some failures."""
    action = ACTIONS[number % len(ACTIONS)]
    account = f"acct_{number % 10:08d}"
    request = RpcRequest(
        action=action,
        account_id=account,
        path={"id": f"emp_{number}"},
        query={"page_size": 25},
        base_url="http://127.0.0.1:8765",
    )
    body = json.dumps(request.rpc_body())
    exchange = Exchange(
        request=request,
        sent=SentRequest(
            "POST",
            request.url(),
            [("content-type", "application/json"), ("x-account-id", account)],
            body,
        ),
        id=f"bench{number:08d}",
        started_at=started.isoformat(),
        profile="Bench",
    )
    if number % NOTED_EVERY == 0:
        exchange.note = f"ticket {4700 + number % 100}: the customer sees errors"
        exchange.tags = (f"customer-{number % CUSTOMERS}", "support")
    status = STATUSES[number % len(STATUSES)]
    if status is None:
        exchange.failure = Failure("ConnectFailed", "Could not connect to 127.0.0.1:8765.")
        return exchange
    payload = {"data": [{"id": f"emp_{number}_{i}", "name": f"Person {i}"} for i in range(5)]}
    exchange.response = read_response(
        status,
        [("content-type", "application/json"), ("x-request-id", f"req_{number:08d}")],
        json.dumps(payload).encode(),
        timing=Timing(total_ms=120.0 + number % 900, ttfb_ms=80.0),
    )
    return exchange


def _exchanges(count: int) -> Iterator[Exchange]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(count):
        yield example_exchange(number, start + timedelta(minutes=number))


def write_history(directory: Path, count: int) -> None:
    """Fill ``directory`` with ``count`` entries in the store's database, oldest first."""
    directory.mkdir(parents=True, exist_ok=True)
    database = HistoryDatabase(directory / DB_NAME)
    batch: list[tuple[HistoryEntry, bytes]] = []
    for exchange in _exchanges(count):
        data = exchange.to_dict()
        data.pop("note", None)
        data.pop("tags", None)
        saved = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        batch.append((HistoryEntry.from_exchange(exchange), saved))
        if len(batch) == 5000:
            database.insert_many(batch)
            batch = []
    database.insert_many(batch)
    database.close()


def write_legacy_history(directory: Path, count: int) -> None:
    """The layout before the database: ``index.jsonl`` and one ``<id>.json`` per entry."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = []
    for exchange in _exchanges(count):
        entry = HistoryEntry.from_exchange(exchange).to_dict()
        for new in ("note", "tags"):  # the old index lines had neither
            entry.pop(new)
        lines.append(json.dumps(entry, separators=(",", ":")) + "\n")
        (directory / f"{exchange.id}.json").write_text(
            json.dumps(exchange.to_dict(), separators=(",", ":")), encoding="utf-8"
        )
    (directory / INDEX_NAME).write_text("".join(lines), encoding="utf-8")
