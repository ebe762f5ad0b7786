"""Reading one history entry back: its full exchange (body from its file), or only its
request (for a replay: no body read or parsed, its secrets' ``{{variables}}`` put back).

The saved exchange is JSON in the database's ``exchanges`` table; a body over 256 KiB is in
``<id>.body`` beside it, and one over the body limit is never read into memory (``BodyFile``).
Every reader is total: a damaged saved exchange is a ``StoreFileError`` naming the database
and the entry, a vanished one ``HistoryEntryMissing``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.body import BodyFile
from explorer.core.errors import ExplorerError
from explorer.core.replay import restore
from explorer.core.request import RpcRequest, parse_json
from explorer.store.files import StoreFileError
from explorer.store.history_db import DB_NAME, HistoryDatabase
from explorer.store.history_entry import SAFE_ID

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange


class HistoryEntryMissing(ExplorerError):
    """The entry (or its body file) is no longer on disk."""


def read_exchange(
    database: HistoryDatabase | None, directory: Path, entry_id: str, body_limit: int
) -> Exchange:
    """The full exchange of an entry, with its note and tags, its body read from disk (a body
    over ``body_limit`` stays in its file).

    Raises:
        HistoryEntryMissing: the entry was deleted or trimmed, or its files vanished.
        StoreFileError: the saved exchange is damaged.
    """
    data, note, tags = _saved(database, directory, entry_id)
    body: bytes | None = None
    on_disk: BodyFile | None = None
    if isinstance(data.get("body_file"), str):
        body_path = directory / f"{entry_id}.body"
        try:
            on_disk = BodyFile(body_path)
            if on_disk.size <= body_limit:
                body = on_disk.head(on_disk.size + 1)
                on_disk.discard()
                on_disk = None
        except OSError as exc:
            raise HistoryEntryMissing(
                f"The response body of history entry {entry_id} is missing ({body_path}); "
                "send the request again to see it."
            ) from exc
    from explorer.core.exchange import Exchange  # not needed to list the history

    try:
        exchange = Exchange.from_dict(data, body=body, body_file=on_disk)
    except (ValueError, TypeError, AttributeError) as exc:
        raise _damaged(directory, entry_id, f"is not a readable saved exchange ({exc})") from exc
    exchange.note, exchange.tags = note, tags
    return exchange


def read_saved(
    database: HistoryDatabase | None, directory: Path, entry_id: str, body_limit: int
) -> tuple[dict[str, Any], Path | None]:
    """An entry's saved exchange as its JSON object and the file its body is in, neither read
    nor parsed (see ``HistoryStore.load_saved``). ``None`` for a body inside the object, or
    one over ``body_limit`` (left out, as ``read_exchange`` never reads it).

    Raises:
        HistoryEntryMissing: the entry was deleted or trimmed, or its body file vanished.
        StoreFileError: the saved exchange is damaged.
    """
    data, _note, _tags = _saved(database, directory, entry_id)
    if not isinstance(data.get("body_file"), str):
        return data, None
    body_path = directory / f"{entry_id}.body"
    try:
        size = body_path.stat().st_size
    except OSError as exc:
        raise HistoryEntryMissing(
            f"The response body of history entry {entry_id} is missing ({body_path}); "
            "send the request again to see it."
        ) from exc
    return data, body_path if size <= body_limit else None


def read_request(database: HistoryDatabase | None, directory: Path, entry_id: str) -> RpcRequest:
    """Only the request of an entry, to send again (see ``HistoryStore.load_request``).

    Raises:
        HistoryEntryMissing: the entry was deleted or trimmed.
        StoreFileError: the saved exchange is damaged.
    """
    data, _note, _tags = _saved(database, directory, entry_id)
    request, template = data.get("request"), data.get("template")
    try:
        return restore(
            RpcRequest.from_dict(request if isinstance(request, dict) else {}),
            RpcRequest.from_dict(template) if isinstance(template, dict) else None,
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise _damaged(directory, entry_id, f"is not a readable saved request ({exc})") from exc


def _saved(
    database: HistoryDatabase | None, directory: Path, entry_id: str
) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    """The entry's saved exchange as a JSON object, its note and its tags."""
    found = database.exchange(entry_id) if database and SAFE_ID.match(entry_id) else None
    if found is None:
        raise HistoryEntryMissing(
            f"History entry {entry_id} is no longer in the history (it was deleted or "
            "trimmed to the history limit)."
        )
    raw, note, tags = found
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _damaged(directory, entry_id, f"is not UTF-8 (bad byte at {exc.start})") from exc
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        raise StoreFileError(
            directory / DB_NAME,
            exc.lineno,
            exc.colno,
            f"the saved exchange of history entry {entry_id} is damaged: invalid JSON: {exc.msg}",
        ) from exc
    if not isinstance(data, dict):
        raise _damaged(directory, entry_id, "is not a saved exchange (expected an object)")
    return data, note, tags


def _damaged(directory: Path, entry_id: str, problem: str) -> StoreFileError:
    return StoreFileError(
        directory / DB_NAME, message=f"the saved exchange of history entry {entry_id} {problem}"
    )
