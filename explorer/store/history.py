"""Every Send, kept on disk so it can be found, re-opened, annotated and replayed.

Layout of the history directory::

    history.sqlite3   the entries, their notes and tags, and each full exchange (secrets
                      already redacted): see ``history_db``
    <id>.body         a response body larger than 256 KiB; a body over the body limit
                      arrives as a file and is linked here, never read whole

Why this shape: the list must open at once with 100,000 entries, so opening reads one table
of light columns (``HistoryRow``) and never an exchange; big downloads stay in their own
files. An old home (``index.jsonl`` and one ``<id>.json`` per entry) is moved into the
database when it is first opened (``history_legacy``); a lazy store moves it where it reads
its rows, off the window's thread.

Crash safety: a body file is written (atomically) before its entry's transaction and removed
after the deletion is committed, so no entry points at a half-written file; the database's
own guarantees cover the rest (``history_db``). Files a crash left behind (a body with no
entry, temporary files) are removed at the next start, once older than a minute.

A damaged database is never written over: the whole history folder (database, WAL, body files)
is renamed ``history.corrupt`` for recovery, and a new history starts; the window says so.
Opening and that recovery are ``history_home``'s; reading an entry back ``history_read``'s.
"""

from __future__ import annotations

import contextlib
import json
import operator
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.limits import DEFAULT_BODY_LIMIT, DEFAULT_HISTORY_BUDGET
from explorer.core.request import RpcRequest
from explorer.core.secrets import Redactor
from explorer.store.files import (
    StoreFileError,
    encode_text,
    remove_leftovers,
    remove_old_files,
    write_atomic,
)
from explorer.store.history_db import DB_NAME, HistoryDatabase, HistoryDatabaseDamaged
from explorer.store.history_entry import (
    NOTE_LIMIT,
    SAFE_ID,
    HistoryEntry,
    HistoryFilter,
    HistoryRow,
    clean_note,
    clean_tags,
    parse_tags,
)
from explorer.store.history_home import (
    DAMAGED_NAME,
    INDEX_NAME,
    HistoryHome,
    is_old_exchange_file,
)
from explorer.store.history_read import (
    HistoryEntryMissing,
    read_exchange,
    read_request,
    read_saved,
)

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange

__all__ = [
    "BODY_INLINE_LIMIT",
    "DAMAGED_NAME",
    "DB_NAME",
    "DEFAULT_LIMIT",
    "INDEX_NAME",
    "NOTE_LIMIT",
    "HistoryEntry",
    "HistoryEntryMissing",
    "HistoryFilter",
    "HistoryRow",
    "HistoryStore",
]

_SIZE = operator.attrgetter("size")
BODY_INLINE_LIMIT = 256 * 1024  # larger response bodies go in <id>.body
DEFAULT_LIMIT = 1000


class HistoryStore(HistoryHome):
    """The history of one app home, newest first, trimmed to ``limit`` entries.

    Attributes:
        directory: where the database and body files live.
        load_error: what was skipped or set aside while opening, in words, else None.

    Thread-safe: the window reads while a background thread adds. The list of rows in memory
    is guarded by a short lock, so a reader never sees it half-trimmed; writes are serialised
    by a second lock held across their transaction, which readers never take. Writing a big
    body file happens before either, so the list never waits for a body to reach the disk.

    With ``lazy``, opening reads no rows (100,000 take ~0.2 s): ``load_rows`` reads them, on
    a thread of the caller's choosing; anything that needs them waits for it (or calls it).
    Until then ``newest``, ``len`` and ``actions`` ask the database.
    """

    def __init__(
        self,
        directory: Path,
        *,
        limit: int = DEFAULT_LIMIT,
        budget: int = DEFAULT_HISTORY_BUDGET,
        body_limit: int = DEFAULT_BODY_LIMIT,
        read_only: bool = False,
        lazy: bool = False,
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
        self._rows: list[HistoryRow] = []  # oldest first
        self._version = 0  # changes whenever the rows do
        self._id_set: set[str] | None = set()  # the rows' ids; None: not made yet
        self._total_size = 0
        self._lock = threading.RLock()  # the rows in memory
        self._write_lock = threading.RLock()  # one write at a time, across its transaction
        self._pending: set[str] = set()  # ids whose files ``add`` is writing
        self._db: HistoryDatabase | None = None
        self._unavailable: StoreFileError | None = None  # why nothing can be kept this session
        self._loaded = threading.Event()  # the rows are in memory
        self._load_lock = threading.Lock()
        self._rows_awaited = threading.Event()  # a caller waits on ``_load_lock`` for the rows
        self._names: set[str] = set()  # the folder's names, when opened
        self._old_files = False  # old exchange files are leftovers (the index has moved)
        # A lazy store moves an old home in where it reads its rows (a thread): 10,000 old
        # entries take over a second.
        self._defer_move = lazy and not read_only
        self._moving = threading.Event()  # an old home is still to be moved in
        self._open()
        if not lazy:
            self.load_rows()

    # -- opening (the rest: ``HistoryHome``) ---------------------------------------------------
    @property
    def rows_loaded(self) -> bool:
        return self._loaded.is_set()

    @property
    def moving_old_home(self) -> bool:
        """An old home (``index.jsonl``) is being moved in: until then the database holds
        only part of the history (``load_rows`` moves it)."""
        return self._moving.is_set()

    def load_rows(self, between: Callable[[], object] | None = None) -> None:
        """Read the list's rows into memory (once; callers meanwhile wait), then trim to the
        limits and clean what a crash left behind. A lazy store's window calls this on a
        thread, with ``between`` called after each batch of rows; every method that needs the
        rows calls it too. ``between`` is skipped once another caller waits for the rows (it
        may be the thread ``between`` waits for)."""
        if not self._load_lock.acquire(blocking=False):
            self._rows_awaited.set()
            self._load_lock.acquire()
        try:
            read_now = self._load_rows_locked(between)
        finally:
            self._load_lock.release()
        if not read_now or self.read_only:
            return
        self._remove_leftovers(self._names, old_files=self._old_files)
        try:
            self._trim()
        except StoreFileError as exc:  # e.g. a read-only disk: the history still opens
            self._problem(f"History: {exc}")

    def _load_rows_locked(self, between: Callable[[], object] | None) -> bool:
        """``load_rows``'s reading, with ``_load_lock`` held; ``False`` if already read."""
        if self._loaded.is_set():
            return False
        if self._moving.is_set():
            self._move_old_home()

        def pause_between() -> None:
            if between is not None and not self._rows_awaited.is_set():
                between()

        rows: list[HistoryRow] = []
        try:
            rows = self._db.rows(pause_between) if self._db is not None else []
        except HistoryDatabaseDamaged as exc:
            self._problem(f"History: {exc}. It is kept aside when the explorer next starts.")
        except StoreFileError as exc:
            self._unavailable_now(exc)
        with self._lock:
            self._rows = rows
            self._version += 1
            self._id_set = None  # made when first needed: 100,000 ids cost ~15 ms
            self._total_size = sum(filter(None, map(_SIZE, rows)))
        self._loaded.set()
        return True

    def _rows_needed(self) -> None:
        if not self._loaded.is_set():
            self.load_rows()

    def _remove_leftovers(self, names: set[str], *, old_files: bool) -> None:
        """Delete what a crash left behind: temporary files, body files no entry points to
        and (once the old index has been moved in) exchange files of the old layout; only
        files older than a minute and not being written (another process adding an entry
        writes its body just before its transaction)."""
        if self._db is None or self._unavailable is not None:
            # No entries could be read: every body would look orphaned. Only temporary files.
            remove_leftovers(self.directory, names)
            return
        orphans = []
        bodies = []
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix == "body" and SAFE_ID.match(stem):
                bodies.append((stem, name))
            elif old_files and is_old_exchange_file(name):
                orphans.append(name)
        if bodies:
            with self._lock:
                live = self._ids() | self._pending
            orphans += [name for stem, name in bodies if stem not in live]
        remove_old_files(self.directory, orphans)
        remove_leftovers(self.directory, names)

    def close(self) -> None:
        """Close the database connection of this thread (when the app exits, in tests)."""
        with self._write_lock:
            self._close_database()

    # -- reading -------------------------------------------------------------------------
    def rows(self) -> list[HistoryRow]:
        """Every entry's list row, newest first (the list is a copy; the rows are shared)."""
        return self.snapshot()[1]

    def snapshot(self) -> tuple[int, list[HistoryRow]]:
        """``rows()`` with a number that changes whenever they do: a list prepared from them
        on another thread is still the store's if the number is."""
        self._rows_needed()
        with self._lock:
            return self._version, self._rows[::-1]

    def newest(self, count: int) -> list[HistoryRow]:
        """The newest ``count`` rows, newest first, without reading them all (a first page)."""
        if self._loaded.is_set():
            with self._lock:
                return self._rows[: -count - 1 : -1] if count else []
        try:
            return self._db.newest(count) if self._db is not None else []
        except StoreFileError:
            return []

    def first_frame(
        self, count: int
    ) -> tuple[list[HistoryRow], int, tuple[set[str], set[str]], Callable[[], list[HistoryRow]]]:
        """For a lazy store whose rows are not read yet: the ``count`` rows a list sorted by
        time shows first (those of ``sorted(rows(), key=started_at, reverse=True)``), how many
        there are, every action name and account id once, and a function that reads all
        those rows later (newest first, as ``rows()``: none added meanwhile) - without
        reading them all now. Empty (0 rows) when the rows are read or there is no database.
        """
        database = self._db
        if self._loaded.is_set() or database is None:
            return [], 0, (set(), set()), list
        try:
            rows, total, names, seq = database.first_frame(count)
        except StoreFileError:
            return [], 0, (set(), set()), list

        def rest() -> list[HistoryRow]:
            try:
                return database.newest_until(total, seq)
            except StoreFileError:
                return []

        return rows, total, names, rest

    def entries(self) -> list[HistoryEntry]:
        """Every entry in full, newest first: a query, slow with 100,000 entries; the list
        uses ``rows``."""
        self._rows_needed()
        database = self._db
        if database is None:
            return []
        found = database.entries()
        with self._lock:
            ids = self._ids()
            return [entry for entry in found if entry.id in ids]

    def __len__(self) -> int:
        if self._loaded.is_set() or self._db is None:
            return len(self._rows)
        try:
            return self._db.count()
        except StoreFileError:
            return 0

    def __contains__(self, entry_id: object) -> bool:
        self._rows_needed()
        with self._lock:
            return entry_id in self._ids()

    def _ids(self) -> set[str]:
        """The ids of the rows (call with the lock held)."""
        if self._id_set is None:
            self._id_set = {row.id for row in self._rows}
        return self._id_set

    def get(self, entry_id: str) -> HistoryEntry | None:
        """The entry in full (for a tooltip or details), ``None`` if unknown or unreadable."""
        database = self._db
        if database is None:
            return None
        try:
            return database.entry(entry_id)
        except StoreFileError:
            return None

    def actions(self) -> list[str]:
        """The action names in the history, each once, sorted (the editor suggests them)."""
        if not self._loaded.is_set() and self._db is not None:
            try:
                return sorted(filter(None, self._db.actions()), key=str.lower)
            except StoreFileError:
                return []
        with self._lock:
            return sorted({row.action for row in self._rows if row.action}, key=str.lower)

    def load(self, entry_id: str) -> Exchange:
        """The full exchange of an entry, with its note and tags, its body read from disk.

        Raises:
            HistoryEntryMissing: the entry was deleted or trimmed, or its files vanished.
            StoreFileError: the saved exchange is damaged.
        """
        return read_exchange(self._db, self.directory, entry_id, self.body_limit)

    def load_saved(self, entry_id: str) -> tuple[dict[str, Any], Path | None]:
        """An entry as saved: its exchange's JSON object and its body's file (``None`` when
        the body is in the object, or over the body limit), neither read nor parsed. For a
        helper process that reads and parses a 10 MB body itself (a comparison): ``load``
        would do both here, and every Python step of it holds this process's GIL.

        Raises:
            HistoryEntryMissing: the entry was deleted or trimmed, or its body file vanished.
            StoreFileError: the saved exchange is damaged.
        """
        return read_saved(self._db, self.directory, entry_id, self.body_limit)

    def load_request(self, entry_id: str) -> RpcRequest:
        """Only the request of an entry, as it was sent: what a replay needs.

        The history kept no secret value: where one stood, the request's ``{{variable}}`` is
        put back from its template (``core.replay.restore``), to be filled in again from the
        environment; where none was written, the placeholder stays, which no send accepts.
        Cheaper than ``load`` for a big download: the response body is neither read nor
        parsed (and a lost body file does not stop the request from being replayed).

        Raises:
            HistoryEntryMissing: the entry was deleted or trimmed.
            StoreFileError: the saved exchange is damaged.
        """
        return read_request(self._db, self.directory, entry_id)

    # -- writing -------------------------------------------------------------------------
    @property
    def limit(self) -> int:
        return self._limit

    @limit.setter
    def limit(self, value: int) -> None:
        if value < 0:
            raise ValueError("the history limit cannot be negative")
        with self._write_lock:
            self._limit = value
            if not self.read_only:
                self._trim()

    @property
    def budget(self) -> int:
        return self._budget

    @budget.setter
    def budget(self, value: int) -> None:
        with self._write_lock:
            self._budget = value
            if not self.read_only:
                self._trim()

    def add(self, exchange: Exchange) -> HistoryEntry:
        """Persist one finished exchange and trim the oldest beyond ``limit``.

        An exchange whose id is unsafe as a file name or already used gets a fresh id (the
        returned entry has the id to use from now on); ``exchange`` itself is not changed.

        Raises:
            StoreFileError: the disk refused the write; the history is unchanged.
        """
        return self.add_many([exchange])[0]

    def add_many(self, exchanges: Sequence[Exchange]) -> list[HistoryEntry]:
        """Persist several finished exchanges, oldest first, in one transaction (one wait
        for the disk, not one per exchange: a run across 100 accounts), as ``add`` does one.

        All or none: when the disk refuses, none of them is kept and the history is
        unchanged.

        Raises:
            StoreFileError: the disk refused the write; the history is unchanged.
        """
        self._rows_needed()
        entries: list[HistoryEntry] = []
        with self._lock:
            for exchange in exchanges:
                entry_id = exchange.id
                taken = entry_id in self._ids() or entry_id in self._pending
                if not SAFE_ID.match(entry_id) or taken:
                    import uuid  # an id already taken, rarely: uuid imports platform (~2 ms)

                    entry_id = uuid.uuid4().hex
                entry = HistoryEntry.from_exchange(exchange)
                entry.id = entry_id
                entry.note = entry.note.strip()[:NOTE_LIMIT]
                entry.tags = clean_tags(entry.tags)
                entries.append(entry)
                self._pending.add(entry_id)
            if self._limit == 0 or self.read_only or not entries:
                self._pending.difference_update(entry.id for entry in entries)
                return entries  # the user keeps no history: nothing touches the disk
        body_files: list[Path] = []
        try:
            self._make_directory()
            saved: list[tuple[HistoryEntry, bytes]] = []
            for exchange, entry in zip(exchanges, entries, strict=True):
                body_file = self._write_body(exchange, entry.id)
                if body_file is not None:
                    body_files.append(body_file)
                saved.append((entry, _saved_exchange(exchange, entry.id, body_file)))
            self._insert(saved)
        except StoreFileError:
            for body_file in body_files:  # no entry points at them
                with contextlib.suppress(OSError):
                    body_file.unlink()
            raise
        finally:
            with self._lock:
                self._pending.difference_update(entry.id for entry in entries)
        return entries

    def _insert(self, saved: list[tuple[HistoryEntry, bytes]]) -> None:
        """One transaction for ``saved`` and the oldest entries they push out."""
        rows = [entry.row() for entry, _data in saved]
        with self._write_lock:
            try:
                database = self._database()
                with self._lock:
                    doomed = self._doomed(rows)
                database.insert(saved, [old.id for old in doomed])
            except HistoryDatabaseDamaged as exc:
                raise HistoryDatabaseDamaged(
                    exc.path,
                    message=f"{exc.message}; it will be kept aside and a new history "
                    "started when the explorer next starts",
                ) from exc
            with self._lock:
                self._forget(doomed)
                self._rows.extend(rows)
                self._version += 1
                self._ids().update(row.id for row in rows)
                self._total_size += sum(row.size or 0 for row in rows)
            self._remove_bodies(doomed)
            if len(rows) > 1:  # several at once may leave some of their own beyond the limit
                self._trim()

    def _write_body(self, exchange: Exchange, entry_id: str) -> Path | None:
        """A body over ``BODY_INLINE_LIMIT`` goes in its own file (linked when it is already
        on this disk); returns that file, or ``None`` when the body stays in the entry."""
        response = exchange.response
        if response is None or response.size <= BODY_INLINE_LIMIT:
            return None
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
        return target

    def set_note(
        self,
        entry_id: str,
        note: str,
        tags: str | Iterable[str],
        *,
        secrets: Iterable[str] = (),
    ) -> HistoryRow:
        """Replace an entry's note and tags (``tags`` as typed, or a list); returns its row.

        ``secrets`` (the API keys and secret values the caller knows) are hidden in both by
        the one policy (``core.secrets``) before anything is written: a key pasted into a
        note by mistake never reaches the disk, nor an export.

        Raises:
            ValueError: the note is longer than ``NOTE_LIMIT`` (the message says so).
            HistoryEntryMissing: the entry is no longer in the history.
            StoreFileError: the disk refused the write, or the history is read-only.
        """
        self._refuse_if_read_only()
        self._rows_needed()
        hide = Redactor(secrets)
        kept_note = clean_note(hide.field(note))
        typed = parse_tags(tags) if isinstance(tags, str) else clean_tags(tags)
        kept_tags = clean_tags(hide.field(tag) for tag in typed)
        with self._write_lock:
            entry = self.get(entry_id)
            if entry is None:
                raise HistoryEntryMissing(
                    f"History entry {entry_id} is no longer in the history; its note was not saved."
                )
            entry.note, entry.tags = kept_note, kept_tags
            if not self._database().set_note(entry):
                raise HistoryEntryMissing(f"History entry {entry_id} was deleted meanwhile.")
            row = entry.row()
            with self._lock:
                for position in range(len(self._rows) - 1, -1, -1):
                    if self._rows[position].id == entry_id:
                        self._rows[position] = row
                        self._version += 1
                        break
        return row

    def delete(self, entry_ids: Iterable[str]) -> None:
        """Remove entries and their body files; unknown ids are ignored.

        Raises:
            StoreFileError: the database cannot be written, or the history is read-only.
        """
        self._refuse_if_read_only()
        self._rows_needed()
        with self._write_lock:
            with self._lock:
                wanted = set(entry_ids) & self._ids()
                doomed = [row for row in self._rows if row.id in wanted] if wanted else []
            self._drop(doomed)

    def clear(self) -> None:
        """Forget everything: every entry, then every body file.

        Body files of an ``add`` still being written are left: its entry follows.
        """
        self._refuse_if_read_only()
        self._rows_needed()
        with self._write_lock:
            if self._db is not None or self.database_path.exists():
                self._database().clear()
            with self._lock:
                self._rows, self._id_set, self._total_size = [], set(), 0
                self._version += 1
                pending = set(self._pending)
            try:
                names = os.listdir(self.directory)
            except OSError:
                return
            for name in names:
                stem, dot, suffix = name.rpartition(".")
                if dot and suffix == "body" and SAFE_ID.match(stem) and stem not in pending:
                    with contextlib.suppress(OSError):
                        os.unlink(self.directory / name)

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreFileError(
                self.directory,
                message="is read-only in this session (the explorer started read-only); "
                "nothing is changed",
            )

    def _doomed(self, incoming: Sequence[HistoryRow] = ()) -> list[HistoryRow]:
        """The oldest rows to drop (with ``incoming`` added): beyond the entry limit, and
        beyond the size budget (the newest entry stays, even when it alone is over it)."""
        rows = self._rows
        count = len(rows) + len(incoming)
        total = self._total_size + sum(row.size or 0 for row in incoming)
        first_kept = min(max(0, count - self._limit), len(rows))
        total -= sum(row.size or 0 for row in rows[:first_kept])
        while total > self._budget and first_kept < count - 1:
            total -= rows[first_kept].size or 0
            first_kept += 1
        return rows[:first_kept]

    def _trim(self) -> None:
        self._rows_needed()
        with self._write_lock:
            with self._lock:
                doomed = self._doomed()
            self._drop(doomed)

    def _drop(self, doomed: list[HistoryRow]) -> None:
        """Delete these entries: from the database, then the list, then their body files
        (after the deletion is committed). Call with the write lock held."""
        if not doomed:
            return
        self._database().delete([row.id for row in doomed])
        with self._lock:
            self._forget(doomed)
        self._remove_bodies(doomed)

    def _forget(self, doomed: list[HistoryRow]) -> None:
        """Drop rows from memory (call with the lock held): the oldest ones by a slice."""
        if not doomed:
            return
        self._version += 1
        count = len(doomed)
        if self._rows[:count] == doomed:
            del self._rows[:count]
        else:
            gone = {row.id for row in doomed}
            self._rows = [row for row in self._rows if row.id not in gone]
        self._ids().difference_update(row.id for row in doomed)
        self._total_size -= sum(row.size or 0 for row in doomed)

    def _remove_bodies(self, rows: Iterable[HistoryRow]) -> None:
        """The body files of deleted entries (after the deletion is committed)."""
        for row in rows:
            if (row.size or 0) > BODY_INLINE_LIMIT and SAFE_ID.match(row.id):
                with contextlib.suppress(OSError):
                    os.unlink(self.directory / f"{row.id}.body")


def _saved_exchange(exchange: Exchange, entry_id: str, body_file: Path | None) -> bytes:
    """The exchange as the database keeps it: JSON, its body inline unless in ``body_file``,
    without the note and tags (kept in the entry's row, where they can change)."""
    data = exchange.to_dict(include_body=body_file is None)
    data["id"] = entry_id
    data.pop("note", None)
    data.pop("tags", None)
    if body_file is not None:
        data["body_file"] = body_file.name
    return encode_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
