"""A history folder with many realistic entries, written fast (no Qt).

Going through ``HistoryStore.add`` would fsync once per entry (minutes for 10,000); the
benchmarks need the *result* of a long history, so this writes the same files the store
writes - ``index.jsonl`` plus one ``<id>.json`` per entry - directly, in the store's format
(``HistoryEntry.from_exchange`` and ``Exchange.to_dict``), without fsync.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from explorer.core.exchange import Exchange, Failure
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.core.wire import SentRequest
from explorer.store.history import INDEX_NAME, HistoryEntry

ACTIONS = [
    f"{provider}_{verb}"
    for provider in ("bamboohr", "hibob", "workday", "greenhouse", "personio")
    for verb in ("list_employees", "get_employee", "create_employee", "list_time_off")
]
STATUSES = (200, 200, 200, 200, 201, 400, 404, 429, 500, None)


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


def write_history(directory: Path, count: int) -> None:
    """Fill ``directory`` with ``count`` entries, oldest first, one minute apart."""
    directory.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    lines = []
    for number in range(count):
        exchange = example_exchange(number, start + timedelta(minutes=number))
        entry = HistoryEntry.from_exchange(exchange)
        lines.append(json.dumps(entry.to_dict(), separators=(",", ":")) + "\n")
        data = exchange.to_dict()
        (directory / f"{exchange.id}.json").write_text(
            json.dumps(data, separators=(",", ":")), encoding="utf-8"
        )
    (directory / INDEX_NAME).write_text("".join(lines), encoding="utf-8")
