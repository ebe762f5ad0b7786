"""Moving a history kept the old way (``index.jsonl`` + one ``<id>.json`` per entry) into the
database, with everything it holds.

The old layout::

    index.jsonl          one HistoryEntry per line, oldest first; a line {"deleted": [ids]}
                         removed earlier entries (a tombstone); later lines of an id won
    index.jsonl.corrupt  lines that could not be read, kept aside before a rewrite
    <id>.json            the full exchange
    <id>.body            a response body over 256 KiB

What moves: every live entry (with a note and tags, if its line has them) and its exchange,
byte for byte (a damaged exchange file stays damaged: opening that entry says so, as it did).
Body files stay where they are, under the same names. Damaged index lines are appended to
``index.jsonl.corrupt`` first, so nothing that could not be read is lost.

Crash safety: entries go in in batches, each one transaction that skips ids already there, and
the old files are removed only after the last batch is committed; a move interrupted at any
point is simply done again at the next start.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core.body import read_regular_file
from explorer.store.files import NEW_FILE_MODE, StoreFileError
from explorer.store.history_db import HistoryDatabase
from explorer.store.history_entry import HistoryEntry

# The old layout's names: every opening looks for them, so they live with the opening (this
# module is imported only when an old home is moved in).
from explorer.store.history_home import DAMAGED_NAME, INDEX_NAME, is_old_exchange_file

__all__ = [
    "DAMAGED_NAME",
    "INDEX_NAME",
    "LegacyIndex",
    "is_old_exchange_file",
    "migrate",
    "read_index",
]

# No exchange file of ours comes near this (bodies over 256 KiB have their own file).
MAX_EXCHANGE_FILE = 64 * 1024 * 1024
MAX_INDEX_FILE = 2 * 1024 * 1024 * 1024
_BATCH = 500


@dataclass
class LegacyIndex:
    """What an old ``index.jsonl`` says: the live entries, oldest first, and what was wrong."""

    entries: list[HistoryEntry] = field(default_factory=list)
    damaged: list[tuple[int, bytes]] = field(default_factory=list)  # (line number, line)


def read_index(raw: bytes) -> LegacyIndex:
    """Replay the old index: entries, tombstones, later lines of an id winning. Total."""
    index = LegacyIndex()
    live: dict[str, HistoryEntry] = {}  # insertion-ordered: oldest first
    for number, line, data in _parse_lines(raw):
        if isinstance(data, _Damaged):
            index.damaged.append((number, line))
            continue
        if isinstance(data, dict) and isinstance(data.get("deleted"), list):
            for entry_id in data["deleted"]:
                if isinstance(entry_id, str):
                    live.pop(entry_id, None)
            continue
        try:
            entry = HistoryEntry.from_dict(data)
        except ValueError:
            index.damaged.append((number, line))
            continue
        live.pop(entry.id, None)  # the same id written again: the later line wins
        live[entry.id] = entry
    index.entries = list(live.values())
    return index


def migrate(directory: Path, database: HistoryDatabase, *, remove: bool = True) -> str | None:
    """Move the old index in ``directory`` (if any) into ``database``.

    Args:
        remove: delete the old index and exchange files once everything is in (``False``
            for a read-only session, which fills an in-memory database and changes nothing).

    Returns:
        What could not be moved, in words, or ``None``.

    Raises:
        StoreFileError: the database could not be written (nothing was removed).
    """
    index_path = directory / INDEX_NAME
    try:
        raw = read_regular_file(index_path, MAX_INDEX_FILE)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return (
            f"History: the old index {index_path} could not be read ({exc}); it is left as it is."
        )
    index = read_index(raw)
    if index.damaged and remove:
        _keep_damaged_lines(directory, [line for _, line in index.damaged])
    missing = 0

    def exchanges(batch: list[HistoryEntry]) -> Iterator[tuple[HistoryEntry, bytes]]:
        nonlocal missing
        for entry in batch:
            try:
                data = read_regular_file(directory / f"{entry.id}.json", MAX_EXCHANGE_FILE)
            except (OSError, ValueError):
                missing += 1
                continue
            yield entry, data

    for start in range(0, len(index.entries), _BATCH):
        database.insert_many(exchanges(index.entries[start : start + _BATCH]))
    if remove:
        _remove_old_files(directory, index_path, index.entries)
    return _problems(index_path, index, missing)


def _problems(index_path: Path, index: LegacyIndex, missing: int) -> str | None:
    problems = []
    if index.damaged:
        numbers = [number for number, _ in index.damaged]
        shown = ", ".join(str(n) for n in numbers[:5])
        more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
        problems.append(
            f"{len(numbers)} damaged line(s) of {index_path} (line {shown}{more}, "
            f"kept in {DAMAGED_NAME})"
        )
    if missing:
        problems.append(f"{missing} entr{'y' if missing == 1 else 'ies'} whose file is missing")
    if not problems:
        return None
    return "History: skipped " + " and ".join(problems) + "; the other entries are intact."


def _keep_damaged_lines(directory: Path, lines: list[bytes]) -> None:
    """Append unreadable lines to the side file, durably, before the index is removed.

    Raises:
        StoreFileError: the side file could not be written (the index then stays).
    """
    path = directory / DAMAGED_NAME
    payload = b"".join(line.rstrip(b"\r") + b"\n" for line in lines)
    try:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, NEW_FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise StoreFileError(path, message=f"could not be written ({exc.strerror or exc})") from exc


def _remove_old_files(directory: Path, index_path: Path, entries: list[HistoryEntry]) -> None:
    """The index first (so an interrupted removal is not mistaken for a history to move),
    then the moved exchange files; body files stay (the database points at them)."""
    with contextlib.suppress(OSError):
        os.unlink(index_path)
    for entry in entries:
        with contextlib.suppress(OSError):
            os.unlink(directory / f"{entry.id}.json")


class _Damaged:
    """Stands for an index line that is not JSON (torn by a crash, or edited by hand)."""


_DAMAGED = _Damaged()


def _parse_lines(raw: bytes) -> list[tuple[int, bytes, Any]]:
    """``(line number, line, parsed JSON or _DAMAGED)`` for each non-blank line of the index.

    The whole index is parsed by one ``json.loads`` of the lines joined into an array; only if
    that fails (a damaged line) is each line parsed alone, so one bad line costs its own entry
    and nothing else. The element count is checked too: a torn line that happens to join its
    neighbour into valid JSON must not pass as one entry.
    """
    numbered = [(n, line) for n, line in enumerate(raw.split(b"\n"), start=1) if line.strip()]
    if not numbered:
        return []
    try:
        values = json.loads(b"[" + b",".join(line for _, line in numbered) + b"]")
    except (ValueError, RecursionError):  # UnicodeDecodeError included
        values = None
    if isinstance(values, list) and len(values) == len(numbered):
        return [(n, line, value) for (n, line), value in zip(numbered, values, strict=True)]
    parsed: list[tuple[int, bytes, Any]] = []
    for number, line in numbered:
        try:
            parsed.append((number, line, json.loads(line)))
        except (ValueError, RecursionError):  # a line nested 100,000 deep is damaged too
            parsed.append((number, line, _DAMAGED))
    return parsed
