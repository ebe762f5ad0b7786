"""Every Send, kept on disk so it can be found, re-opened and replayed.

Layout of the history directory::

    index.jsonl      one light HistoryEntry per line (what the list shows), oldest first;
                     a line {"deleted": [ids]} removes earlier entries (a tombstone)
    <id>.json        the full exchange (Exchange.to_dict), secrets already redacted
    <id>.body        the response body, only when it is larger than 256 KiB; a body over
                     the body limit arrives as a file and is linked here, never read whole

Why this shape: the list must open instantly with 10,000 entries, so loading reads one
small file and never the exchanges; big downloads must not sit in memory or bloat the index.
Adding a Send appends one line (durably) instead of rewriting the index; deletions append a
tombstone, and the index is rewritten atomically once dead lines outnumber live ones.

Crash safety: entry files are written atomically *before* their index line, and removed
*after* their tombstone, so the index never points at a half-written file. A torn last line
(power cut mid-append) is skipped on read and reported in ``load_error``.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from explorer.core.body import BodyFile
from explorer.core.errors import ExplorerError
from explorer.core.exchange import Exchange
from explorer.core.limits import DEFAULT_BODY_LIMIT, DEFAULT_HISTORY_BUDGET
from explorer.core.request import RpcRequest
from explorer.store.files import (
    NEW_FILE_MODE,
    StoreFileError,
    encode_text,
    read_json,
    remove_leftovers,
    remove_old_files,
    write_atomic,
)

INDEX_NAME = "index.jsonl"
# Index lines that could not be read, kept (appended) before the index is rewritten without them.
DAMAGED_NAME = "index.jsonl.corrupt"
BODY_INLINE_LIMIT = 256 * 1024  # larger response bodies go in <id>.body
DEFAULT_LIMIT = 1000

# Entry ids become file names: only accept ids that cannot escape the directory.
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class HistoryEntryMissing(ExplorerError):
    """The entry (or its body file) is no longer on disk."""


@dataclass
class HistoryEntry:
    """The light row shown in the history list: enough to filter and sort, not the bodies."""

    id: str
    started_at: str
    profile: str = ""
    action: str = ""
    account_id: str = ""
    status: int | None = None
    status_class: str = "none"  # "2xx".."5xx", or "none" when no response came back
    total_ms: float | None = None
    size: int | None = None
    request_id: str | None = None
    failure: str | None = None  # failure kind, e.g. "ConnectFailed"
    base_url: str = ""

    @classmethod
    def from_exchange(cls, exchange: Exchange) -> HistoryEntry:
        response = exchange.response
        return cls(
            id=exchange.id,
            started_at=exchange.started_at,
            profile=exchange.profile,
            action=exchange.request.action,
            account_id=exchange.request.account_id,
            status=response.status if response else None,
            status_class=exchange.status_class,
            total_ms=response.timing.total_ms if response else None,
            size=response.size if response else None,
            request_id=response.request_id if response else None,
            failure=exchange.failure.kind if exchange.failure else None,
            base_url=exchange.request.base_url,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> HistoryEntry:
        """Read an index line, coercing types.

        Raises:
            ValueError: not an object, or without a usable ``id`` and ``started_at``.
        """
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        entry_id, started = data.get("id"), data.get("started_at")
        if not isinstance(entry_id, str) or not _SAFE_ID.match(entry_id):
            raise ValueError("missing or invalid id")
        if not isinstance(started, str):
            raise ValueError("missing started_at")
        # Inline type checks rather than a helper call per field: this runs 10,000 times when
        # the app opens, and the calls were most of the cost.
        get = data.get
        profile, action, account_id = get("profile"), get("action"), get("account_id")
        status, status_class, size = get("status"), get("status_class"), get("size")
        total_ms, request_id, failure = get("total_ms"), get("request_id"), get("failure")
        base_url = get("base_url")
        return cls(
            id=entry_id,
            started_at=started,
            profile=profile if type(profile) is str else "",
            action=action if type(action) is str else "",
            account_id=account_id if type(account_id) is str else "",
            status=status if type(status) is int else _whole(status),
            status_class=status_class if type(status_class) is str and status_class else "none",
            total_ms=total_ms
            if type(total_ms) is float and _isfinite(total_ms)
            else _milliseconds(total_ms),
            size=size if type(size) is int else _whole(size),
            request_id=request_id if type(request_id) is str else None,
            failure=failure if type(failure) is str else None,
            base_url=base_url if type(base_url) is str else "",
        )

    @property
    def search_text(self) -> str:
        """Everything the free-text filter searches, casefolded, computed once per entry.

        Cached because the list filters 10,000 entries on every keystroke; the fields it is
        made of do not change once an entry is in the history. (By hand rather than with
        ``functools.cached_property``, whose lock tripled the cost of a first filter.) The
        fields are joined by spaces: a search word never holds one, so it cannot match
        across two fields.
        """
        text: str | None = self.__dict__.get("_search_text")
        if text is None:
            status = "" if self.status is None else self.status
            text = (
                f"{self.action} {self.account_id} {self.request_id or ''} {status} "
                f"{self.status_class} {self.failure or ''} {self.profile}"
            ).casefold()
            self.__dict__["_search_text"] = text
        return text

    def matches(self, text: str) -> bool:
        """Case-insensitive search; every word must appear in the action, account id,
        request id, status ("404", "4xx", "ConnectFailed") or profile."""
        haystack = self.search_text
        return all(word in haystack for word in text.casefold().split())


_isfinite = math.isfinite


def _milliseconds(value: object) -> float | None:
    """An int as a float of milliseconds; ``None`` for one no float can hold (400 digits)."""
    if type(value) is not int:
        return None
    try:
        return float(value)
    except OverflowError:
        return None


def _whole(value: object) -> int | None:
    """A JSON number written as a float (``200.0``) as an int; anything else (``true``, text,
    infinity) as missing."""
    if type(value) is float and math.isfinite(value):
        return int(value)
    return None


class HistoryStore:
    """The history of one app home, newest first, trimmed to ``limit`` entries.

    Attributes:
        directory: where the index and entry files live.
        load_error: what was skipped while loading (damaged lines, missing files), else None.

    Thread-safe: the window reads while a background thread adds. One re-entrant lock guards
    the in-memory list and the index file, so a reader never sees the list half-trimmed. The
    slow part of ``add`` (writing the entry file, maybe megabytes, fsynced) runs outside the
    lock, so reading the list never waits for a big body to reach the disk.
    """

    def __init__(
        self,
        directory: Path,
        *,
        limit: int = DEFAULT_LIMIT,
        budget: int = DEFAULT_HISTORY_BUDGET,
        body_limit: int = DEFAULT_BODY_LIMIT,
        read_only: bool = False,
    ) -> None:
        if limit < 0:
            raise ValueError("the history limit cannot be negative")
        self.directory = Path(directory)
        self.load_error: str | None = None
        self._limit = limit
        # The bodies' total size kept on disk; the oldest entries go beyond it.
        self._budget = budget
        # A body over this is never read into memory when an entry is loaded (``BodyFile``).
        self.body_limit = body_limit
        # A home the explorer cannot write: the entries there can be read, nothing is kept.
        self.read_only = read_only
        self._entries: list[HistoryEntry] = []  # oldest first
        self._positions: dict[str, int] = {}
        self._dead_lines = 0
        self._lock = threading.RLock()
        self._pending: set[str] = set()  # ids whose files ``add`` is writing outside the lock
        self._damaged_lines: list[bytes] = []  # raw index lines that did not load
        self._load()
        if read_only:
            return
        try:
            self._trim()
        except StoreFileError as exc:  # e.g. a read-only disk: the history still opens
            self.load_error = " ".join(filter(None, [self.load_error, f"History: {exc}"]))

    # -- reading -------------------------------------------------------------------------
    @property
    def index_path(self) -> Path:
        return self.directory / INDEX_NAME

    def _load(self) -> None:
        try:
            raw = self.index_path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            with contextlib.suppress(OSError):
                self._remove_leftovers(set(os.listdir(self.directory)))
            return
        except OSError as exc:
            self.load_error = (
                f"The history index {self.index_path} could not be read "
                f"({exc.strerror or exc}); history starts empty."
            )
            return
        try:
            names = set(os.listdir(self.directory))
        except OSError:
            names = set()
        entries, bad_lines, dead = self._replay(raw)
        missing = [e.id for e in entries.values() if f"{e.id}.json" not in names]
        for entry_id in missing:
            del entries[entry_id]
        self._entries = list(entries.values())
        self._reindex()
        self._dead_lines = dead + len(bad_lines) + len(missing)
        self._remove_leftovers(names)
        problems = []
        if bad_lines:
            shown = ", ".join(str(n) for n in bad_lines[:5])
            more = f" and {len(bad_lines) - 5} more" if len(bad_lines) > 5 else ""
            problems.append(
                f"{len(bad_lines)} damaged line(s) of {self.index_path} (line {shown}{more}, "
                f"kept in {DAMAGED_NAME})"
            )
        if missing:
            problems.append(
                f"{len(missing)} entr{'y' if len(missing) == 1 else 'ies'} whose file is missing"
            )
        if problems:
            self.load_error = (
                "History: skipped " + " and ".join(problems) + "; the other entries are intact."
            )

    def _replay(self, raw: bytes) -> tuple[dict[str, HistoryEntry], list[int], int]:
        """The index's lines in order: ``(entries by id, oldest first; numbers of the damaged
        lines, which are kept aside; how many lines a later one made dead)``."""
        entries: dict[str, HistoryEntry] = {}  # insertion-ordered: oldest first
        bad_lines: list[int] = []
        dead = 0
        for number, line, data in _parse_lines(raw):
            if isinstance(data, dict) and isinstance(data.get("deleted"), list):
                dead += 1 + sum(
                    isinstance(entry_id, str) and entries.pop(entry_id, None) is not None
                    for entry_id in data["deleted"]
                )
                continue
            try:
                entry = None if isinstance(data, _Damaged) else HistoryEntry.from_dict(data)
            except ValueError:
                entry = None
            if entry is None:
                bad_lines.append(number)
                self._damaged_lines.append(line)
                continue
            if entries.pop(entry.id, None) is not None:
                dead += 1  # the same id written again: the later line wins
            entries[entry.id] = entry
        return entries, bad_lines, dead

    def _remove_leftovers(self, names: set[str]) -> None:
        """Delete what a crash left behind: temporary files, and entry files no index line
        points to, once they are older than a minute and not being written (another
        process adding an entry writes its files just before its index line)."""
        live = set(self._positions)
        orphans = []
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix in ("json", "body") and _SAFE_ID.match(stem) and stem not in live:
                orphans.append(name)
        remove_old_files(self.directory, orphans)
        remove_leftovers(self.directory, names)

    def _reindex(self) -> None:
        self._positions = {entry.id: index for index, entry in enumerate(self._entries)}

    def entries(self) -> list[HistoryEntry]:
        """All entries, newest first (the list is a copy; the rows are shared)."""
        with self._lock:
            return self._entries[::-1]

    def __contains__(self, entry_id: object) -> bool:
        with self._lock:
            return entry_id in self._positions

    def get(self, entry_id: str) -> HistoryEntry | None:
        with self._lock:
            position = self._positions.get(entry_id)
            return self._entries[position] if position is not None else None

    def load(self, entry_id: str) -> Exchange:
        """The full exchange of an entry, its response body read from disk.

        Raises:
            HistoryEntryMissing: the entry was deleted or trimmed, or its files vanished.
            StoreFileError: the entry file is damaged.
        """
        path, data = self._read_entry(entry_id)
        body: bytes | None = None
        on_disk: BodyFile | None = None
        if isinstance(data.get("body_file"), str):
            body_path = self.directory / f"{entry_id}.body"
            try:
                on_disk = BodyFile(body_path)
                if on_disk.size <= self.body_limit:
                    body = on_disk.head(on_disk.size + 1)
                    on_disk.discard()
                    on_disk = None
            except OSError as exc:
                raise HistoryEntryMissing(
                    f"The response body of history entry {entry_id} is missing ({body_path}); "
                    "send the request again to see it."
                ) from exc
        try:
            return Exchange.from_dict(data, body=body, body_file=on_disk)
        except (ValueError, TypeError, AttributeError) as exc:
            raise StoreFileError(path, message=f"is not a readable saved exchange ({exc})") from exc

    def load_request(self, entry_id: str) -> RpcRequest:
        """Only the request of an entry, as it was sent: what a replay needs.

        Cheaper than ``load`` for a big download: the response body is neither read nor
        parsed (and a lost body file does not stop the request from being replayed).

        Raises:
            HistoryEntryMissing: the entry was deleted or trimmed, or its file vanished.
            StoreFileError: the entry file is damaged.
        """
        path, data = self._read_entry(entry_id)
        request = data.get("request")
        try:
            return RpcRequest.from_dict(request if isinstance(request, dict) else {})
        except (ValueError, TypeError, AttributeError) as exc:
            raise StoreFileError(path, message=f"is not a readable saved request ({exc})") from exc

    def _read_entry(self, entry_id: str) -> tuple[Path, dict[str, Any]]:
        """The entry file's path and its JSON object."""
        if entry_id not in self:
            raise HistoryEntryMissing(
                f"History entry {entry_id} is no longer in the history (it was deleted or "
                "trimmed to the history limit)."
            )
        path = self.directory / f"{entry_id}.json"
        try:
            data = read_json(path)
        except StoreFileError as exc:
            if not path.exists():
                raise HistoryEntryMissing(
                    f"The file of history entry {entry_id} has vanished ({path}). Delete the "
                    "entry from the history; the request can no longer be shown."
                ) from exc
            raise
        if not isinstance(data, dict):
            raise StoreFileError(path, message="is not a saved exchange (expected an object)")
        return path, data

    # -- writing -------------------------------------------------------------------------
    @property
    def limit(self) -> int:
        return self._limit

    @limit.setter
    def limit(self, value: int) -> None:
        if value < 0:
            raise ValueError("the history limit cannot be negative")
        with self._lock:
            self._limit = value
            if not self.read_only:
                self._trim()

    def add(self, exchange: Exchange) -> HistoryEntry:
        """Persist one finished exchange and trim the oldest beyond ``limit``.

        An exchange whose id is unsafe as a file name or already used gets a fresh id (the
        returned entry has the id to use from now on); ``exchange`` itself is not changed.

        Raises:
            StoreFileError: the disk refused the write; the history is unchanged.
        """
        with self._lock:
            entry_id = exchange.id
            taken = entry_id in self._positions or entry_id in self._pending
            if not _SAFE_ID.match(entry_id) or taken:
                entry_id = uuid.uuid4().hex
            entry = HistoryEntry.from_exchange(exchange)
            entry.id = entry_id
            if self._limit == 0 or self.read_only:
                return entry  # the user keeps no history: nothing touches the disk
            self._pending.add(entry_id)
        try:
            self._write_entry(exchange, entry_id)
            with self._lock:
                try:
                    self._append_lines([entry.to_dict()])
                except StoreFileError:
                    self._remove_files([entry_id])
                    raise
                self._entries.append(entry)
                self._positions[entry_id] = len(self._entries) - 1
                self._trim()
        finally:
            with self._lock:
                self._pending.discard(entry_id)
        return entry

    def _write_entry(self, exchange: Exchange, entry_id: str) -> None:
        """The entry's files, written atomically before its index line (see the module)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        response = exchange.response
        body_beside = response is not None and response.size > BODY_INLINE_LIMIT
        data = exchange.to_dict(include_body=not body_beside)
        data["id"] = entry_id
        if response is not None and body_beside:
            data["body_file"] = f"{entry_id}.body"
            target = self.directory / f"{entry_id}.body"
            if response.body_file is not None:
                # A body over the limit is already on this disk: linked, not copied.
                try:
                    response.body_file.link_to(target)
                except OSError as exc:
                    raise StoreFileError(
                        target, message=f"could not be written ({exc.strerror or exc})"
                    ) from exc
            else:
                write_atomic(target, response.body)
        write_atomic(
            self.directory / f"{entry_id}.json",
            json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        )

    def delete(self, entry_ids: Iterable[str]) -> None:
        """Remove entries and their files; unknown ids are ignored.

        Raises:
            StoreFileError: the index cannot be written, or the history is read-only.
        """
        self._refuse_if_read_only()
        with self._lock:
            doomed = [i for i in dict.fromkeys(entry_ids) if i in self._positions]
            if not doomed:
                return
            gone = set(doomed)
            self._entries = [e for e in self._entries if e.id not in gone]
            self._reindex()
            self._dead_lines += len(doomed) + 1
            if self._dead_lines > max(len(self._entries), 100):
                self._rewrite_index()
            else:
                self._append_lines([{"deleted": doomed}])
            self._remove_files(doomed)

    def clear(self) -> None:
        """Forget everything: an empty index, then every entry and body file removed.

        Files of an ``add`` still being written are left: its index line follows.
        """
        self._refuse_if_read_only()
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._entries = []
            self._positions = {}
            self._rewrite_index("")
            try:
                names = os.listdir(self.directory)
            except OSError:
                return
            for name in names:
                stem, dot, suffix = name.rpartition(".")
                if dot and suffix in ("json", "body") and _SAFE_ID.match(stem):
                    if stem in self._pending:
                        continue
                    with contextlib.suppress(OSError):
                        os.unlink(self.directory / name)

    @property
    def budget(self) -> int:
        return self._budget

    @budget.setter
    def budget(self, value: int) -> None:
        with self._lock:
            self._budget = value
            if not self.read_only:
                self._trim()

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreFileError(
                self.directory,
                message="is read-only in this session (the explorer started read-only); "
                "nothing is deleted",
            )

    def _trim(self) -> None:
        """Beyond the entry limit, and beyond the size budget, the oldest entries go (the
        newest one stays, even when it alone is over the budget)."""
        entries = self._entries
        first_kept = max(0, len(entries) - self._limit)
        total = sum(e.size or 0 for e in entries[first_kept:])
        while total > self._budget and first_kept < len(entries) - 1:
            total -= entries[first_kept].size or 0
            first_kept += 1
        if first_kept > 0:
            self.delete([e.id for e in entries[:first_kept]])

    def _rewrite_index(self, lines: str | None = None) -> None:
        """Replace the index with the live entries (or ``lines``), damaged lines kept aside
        first (``DAMAGED_NAME``): they may hold the only trace of an exchange."""
        self._keep_damaged_lines()
        if lines is None:
            lines = "".join(_line(e.to_dict()) for e in self._entries)
        write_atomic(self.index_path, lines)
        self._dead_lines = 0

    def _keep_damaged_lines(self) -> None:
        if not self._damaged_lines:
            return
        path = self.directory / DAMAGED_NAME
        payload = b"".join(line.rstrip(b"\r") + b"\n" for line in self._damaged_lines)
        try:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(path, flags, NEW_FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise StoreFileError(
                path, message=f"could not be written ({exc.strerror or exc})"
            ) from exc
        self._damaged_lines = []

    def _append_lines(self, rows: list[dict[str, Any]]) -> None:
        """Append rows durably; if the last line was torn, start on a fresh line."""
        payload = encode_text("".join(_line(row) for row in rows))
        try:
            # O_APPEND: each write lands at the end even if another writer appended meanwhile.
            flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(self.index_path, flags, NEW_FILE_MODE)
            with os.fdopen(fd, "rb+") as handle:
                handle.seek(0, os.SEEK_END)
                if handle.tell() > 0:
                    handle.seek(-1, os.SEEK_END)
                    if handle.read(1) != b"\n":
                        payload = b"\n" + payload
                handle.seek(0, os.SEEK_END)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise StoreFileError(
                self.index_path,
                message=f"could not be written ({exc.strerror or exc}). "
                "Check free disk space and that the folder is writable.",
            ) from exc

    def _remove_files(self, entry_ids: Iterable[str]) -> None:
        for entry_id in entry_ids:
            for suffix in (".json", ".body"):
                with contextlib.suppress(FileNotFoundError, OSError):
                    os.unlink(self.directory / f"{entry_id}{suffix}")


class _Damaged:
    """Stands for an index line that is not JSON (torn by a crash, or edited by hand)."""


_DAMAGED = _Damaged()


def _parse_lines(raw: bytes) -> list[tuple[int, bytes, Any]]:
    """``(line number, line, parsed JSON or _DAMAGED)`` for each non-blank line of the index.

    The whole index is parsed by one ``json.loads`` of the lines joined into an array: half
    the time of a call per line with 10,000 lines. Only if that fails (a damaged line) is each
    line parsed alone, so one bad line costs its own entry and nothing else. The element count
    is checked too: a torn line that happens to join its neighbour into valid JSON must not
    pass as one entry.
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


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
