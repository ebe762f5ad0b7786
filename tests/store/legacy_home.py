"""A history folder written the way the explorer wrote it before the database (commit 0abe35a).

The write path of the old ``HistoryStore``, kept as it was: the entry file (and a body file
over 256 KiB) atomically first, then one durable index line; deletions append a tombstone
line; lines that did not load were appended to ``index.jsonl.corrupt`` before a rewrite. The
index line holds exactly the old entry's twelve fields (``OLD_FIELDS``), so the migration
tests read a home as an existing user has it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from explorer.core.exchange import Exchange
from explorer.store.files import encode_text, write_atomic
from explorer.store.history import BODY_INLINE_LIMIT, INDEX_NAME, HistoryEntry

OLD_FIELDS = (
    "id",
    "started_at",
    "profile",
    "action",
    "account_id",
    "status",
    "status_class",
    "total_ms",
    "size",
    "request_id",
    "failure",
    "base_url",
)


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


class LegacyHome:
    """Writes ``index.jsonl``, ``<id>.json`` and ``<id>.body`` as the old store did."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    @property
    def index(self) -> Path:
        return self.directory / INDEX_NAME

    def add(self, exchange: Exchange, **extra: object) -> str:
        """The old ``HistoryStore.add``; ``extra`` adds keys to the index line."""
        entry = HistoryEntry.from_exchange(exchange)
        response = exchange.response
        body_beside = response is not None and response.size > BODY_INLINE_LIMIT
        data = exchange.to_dict(include_body=not body_beside)
        data["id"] = exchange.id
        if response is not None and body_beside:
            data["body_file"] = f"{exchange.id}.body"
            write_atomic(self.directory / f"{exchange.id}.body", response.body)
        write_atomic(
            self.directory / f"{exchange.id}.json",
            json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        )
        old = {name: value for name, value in entry.to_dict().items() if name in OLD_FIELDS}
        self.append(_line({**old, **extra}))
        return exchange.id

    def delete(self, entry_ids: list[str]) -> None:
        """A tombstone line, then the files (the old order)."""
        self.append(_line({"deleted": entry_ids}))
        for entry_id in entry_ids:
            for suffix in (".json", ".body"):
                path = self.directory / f"{entry_id}{suffix}"
                if path.exists():
                    path.unlink()

    def append(self, text: str | bytes) -> None:
        """Raw index text, appended durably (a torn line is written this way too)."""
        payload = encode_text(text) if isinstance(text, str) else text
        with open(self.index, "ab") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
