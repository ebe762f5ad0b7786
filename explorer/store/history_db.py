"""The history's database: one SQLite file (Python's standard library), in WAL mode.

Why a database: with 100,000 entries the old one-file JSONL index took ~1 s to open (parsing
28 MB and building 100,000 objects) and every change meant rewriting or appending to it. Here
the list's light columns load in one query, an added entry is one transaction, a note is one
``UPDATE``, and trimming the oldest is a ``DELETE``.

Tables::

    entries    one row per entry, oldest first by ``seq``: the ``HistoryEntry`` fields, the
               note and tags, and the text the filter searches
    exchanges  the full exchange of each entry (``Exchange.to_dict`` as UTF-8 JSON, secrets
               already redacted), by the entry's ``seq``: apart, so that loading the list
               never reads the exchanges' pages

Response bodies over 256 KiB are not in here: they stay in ``<id>.body`` files beside it.

Durability: WAL with ``synchronous=FULL``: when a write returns, it is on the disk; a kill -9
or a power cut loses nothing already acknowledged, and a half-done transaction is rolled back
when the file is next opened. Privacy: ``secure_delete`` overwrites what is deleted (customer
data from HR systems, even with the secrets redacted), and ``clear`` also rebuilds the file and
empties the WAL, so nothing of a cleared history can be read back from either.

Threads: each thread gets its own connection, so reading (the window) never waits for a
write's ``fsync`` (the history's writer thread): WAL lets readers and one writer work at once.
The store serialises its own writes; other processes wait for each other (``BUSY_SECONDS``).
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from pathlib import Path

from explorer.core import collector
from explorer.store.files import StoreFileError
from explorer.store.history_entry import HistoryEntry, HistoryRow

DB_NAME = "history.sqlite3"
SCHEMA_VERSION = 1
# How long a write waits for another process's write to finish before giving up.
BUSY_SECONDS = 10.0
# SQLite's primary result codes for a file that is not (or no longer) a database.
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    started_at TEXT NOT NULL,
    profile TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL DEFAULT '',
    account_id TEXT NOT NULL DEFAULT '',
    status INTEGER,
    status_class TEXT NOT NULL DEFAULT 'none',
    total_ms REAL,
    size INTEGER,
    request_id TEXT,
    failure TEXT,
    base_url TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    search TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS exchanges (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""

_STATEMENTS = [statement.strip() for statement in _SCHEMA.split(";") if statement.strip()]
# What SQLite keeps of each ``CREATE TABLE`` (checked on opening: a damaged schema can still
# parse, e.g. with ``seq`` no longer the row id, and then silently lose the join).
_TABLE_SQL = {
    statement.split()[5]: statement.replace("IF NOT EXISTS ", "") for statement in _STATEMENTS
}
_ENTRY_COLUMNS = (
    "id, started_at, profile, action, account_id, status, status_class, total_ms, size, "
    "request_id, failure, base_url, note, tags, search"
)
# The list's columns, in ``HistoryRow`` order, typed in C rather than by a Python check per
# row: text as text (a blob, i.e. ``_text``'s lone surrogates or a hand edit, is then not
# UTF-8 and the query runs again decoding leniently: see ``_fetch``); numbers of the wrong
# type as missing; a text column that is NULL (only damage writes one: every column the explorer
# writes is text) as empty, which no id matches.
_ROW_COLUMNS = """
SELECT IFNULL(CAST(id AS TEXT), ''), IFNULL(CAST(started_at AS TEXT), ''),
    CASE typeof(status) WHEN 'integer' THEN status END,
    CAST(failure AS TEXT), IFNULL(CAST(action AS TEXT), ''), IFNULL(CAST(account_id AS TEXT), ''),
    CASE typeof(total_ms) WHEN 'real' THEN total_ms WHEN 'integer' THEN total_ms * 1.0 END,
    CASE typeof(size) WHEN 'integer' THEN size END,
    IFNULL(CAST(note AS TEXT), ''), IFNULL(CAST(tags AS TEXT), ''), IFNULL(CAST(search AS TEXT), '')
FROM entries"""
_ROW_QUERY = _ROW_COLUMNS + " ORDER BY seq"
_NEWEST_QUERY = _ROW_COLUMNS + " ORDER BY seq DESC LIMIT ?"
# As the list sorts by time, latest first: by the time text, then newest first (Python's
# stable sort of newest-first rows keeps that order among equal times). The few rows are
# chosen first and only their columns read: sorting every row's columns took 3x as long.
_LATEST_SEQ = (
    "SELECT seq FROM entries ORDER BY IFNULL(CAST(started_at AS TEXT), '') DESC, seq DESC LIMIT ?"
)
_LATEST_QUERY = (
    _ROW_COLUMNS.replace("FROM entries", f"FROM ({_LATEST_SEQ}) AS latest JOIN entries USING (seq)")
    + " ORDER BY 2 DESC, entries.seq DESC"
)
_NEWEST_UNTIL_QUERY = _ROW_COLUMNS + " WHERE seq <= ? ORDER BY seq DESC LIMIT ?"
_NAMES_QUERY = (
    "SELECT DISTINCT IFNULL(CAST(action AS TEXT), ''), IFNULL(CAST(account_id AS TEXT), '') "
    "FROM entries"
)
# An entry's saved exchange, note and tags (``{}``: "NOT INDEXED" to look for it in the table
# itself, not through the index of ids).
_EXCHANGE_QUERY = (
    "SELECT x.data, e.note, e.tags FROM entries e {} JOIN exchanges x ON x.seq = e.seq "
    "WHERE e.id = ?"
)
# Rows read this many at a time (``_read_rows``): a few ms of work, after which the window's
# reader lets the UI thread have its turn.
_BATCH = 2000
_IDS = "SELECT value FROM json_each(?)"


# ``HistoryDatabase.first_frame``: the first rows by time, how many rows, the action names
# and account ids, the newest row's number (a plain tuple: no class to make at import).
FirstFrame = tuple[list[HistoryRow], int, tuple[set[str], set[str]], int]


class HistoryDatabaseDamaged(StoreFileError):
    """The file is not a readable SQLite database (damaged, truncated, or something else)."""


class HistoryDatabase:
    """The history's SQLite file: the queries the store needs, and nothing else.

    Every method raises ``StoreFileError`` (``HistoryDatabaseDamaged`` when SQLite says the
    file is damaged) rather than ``sqlite3`` errors, naming the file.
    """

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        memory: bool = False,
        on_damage: Callable[[str], None] | None = None,
    ) -> None:
        """Open (and when writable, create or upgrade) the database.

        Args:
            path: the database file (also the name used in messages).
            read_only: never write; an existing file is opened read-only.
            memory: a private in-memory database instead of ``path`` (a read-only session
                over an old home fills one from the old index).
            on_damage: called with the reason whenever SQLite reports the file damaged,
                also long after opening (a damaged page is found when it is read).

        Raises:
            HistoryDatabaseDamaged: the file is not a readable database.
            StoreFileError: it cannot be opened, or was written by a newer explorer.
        """
        self.path = Path(path)
        self.read_only = read_only and not memory
        self._on_damage = on_damage
        self._local = threading.local()
        self._keeper: sqlite3.Connection | None = None
        if memory:
            import uuid  # a database in memory only (tests, a read-only home): not at start-up

            self._target = f"file:stackone-history-{uuid.uuid4().hex}?mode=memory&cache=shared"
        elif read_only:
            self._target = self.path.absolute().as_uri() + "?mode=ro"
        else:
            self._target = str(self.path)
        with self._errors("opened"):
            connection = self._opened()
            if memory:
                self._keeper = connection  # the memory database lives while one is open
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreFileError(
                    self.path,
                    message=f"was written by a newer explorer (format {version}); "
                    "update the explorer to read this history",
                )
            self._check_tables(connection)

    # -- connections -------------------------------------------------------------------
    def _opened(self) -> sqlite3.Connection:
        """This thread's connection, the tables made if they are not yet.

        Two processes opening a new file at once: switching it to WAL (or creating its
        tables) can be refused with "database is locked" at once, without SQLite's busy
        wait, while the other one does the same. Opening is then tried again, for up to
        ``BUSY_SECONDS`` as any other wait for a lock.
        """
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                connection = self._connection()
                if not self.read_only:
                    self._create(connection)
                return connection
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                self.close()
                time.sleep(0.02)

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection (readers never share one with the writer thread)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            try:
                connection = self._connect(self._target)
            except sqlite3.OperationalError:
                if not self.read_only:
                    raise
                # A read-only folder cannot hold WAL's shared-memory file: read the file
                # as it is (what a clean exit left in it).
                connection = self._connect(self.path.absolute().as_uri() + "?immutable=1")
            self._local.connection = connection
        return connection

    def _connect(self, target: str) -> sqlite3.Connection:
        connection = sqlite3.connect(
            target,
            uri=target.startswith("file:"),
            timeout=BUSY_SECONDS,
            isolation_level=None,  # transactions are explicit (BEGIN IMMEDIATE ... COMMIT)
            check_same_thread=False,  # closed from ``close`` on another thread
        )
        try:
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("PRAGMA journal_size_limit = 8388608")
            connection.execute(f"PRAGMA query_only = {1 if self.read_only else 0}")
        except (sqlite3.Error, UnicodeDecodeError):
            connection.close()
            raise
        return connection

    def _create(self, connection: sqlite3.Connection) -> None:
        connection.execute("PRAGMA journal_mode = WAL")
        if connection.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        with self._transaction(connection):
            for statement in _STATEMENTS:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _check_tables(self, connection: sqlite3.Connection) -> None:
        """The tables must be exactly ours: a damaged schema can still parse."""
        connection.text_factory = _lenient_text  # the schema's text may be damaged bytes
        try:
            found = dict(
                connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            )
        finally:
            connection.text_factory = str
        for table, sql in _TABLE_SQL.items():
            if found.get(table) != sql:
                raise self._reported(
                    HistoryDatabaseDamaged(
                        self.path,
                        message=f"is damaged (its table {table!r} is not as the explorer "
                        "writes it)",
                    )
                )

    def close(self) -> None:
        """Close this thread's connection (and the in-memory database's); others close when
        their threads end."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            self._local.connection = None
            connection.close()
        if self._keeper is not None and self._keeper is not connection:
            self._keeper.close()
        self._keeper = None

    # -- errors and transactions -------------------------------------------------------
    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._reported(self._error(exc, doing)) from exc
        except UnicodeDecodeError as exc:
            # SQLite's own message quoted bytes of the file that are not text: its structure
            # (the schema) is garbage.
            damage = HistoryDatabaseDamaged(self.path, message=f"is damaged ({exc})")
            raise self._reported(damage) from exc

    def _reported(self, error: StoreFileError) -> StoreFileError:
        if isinstance(error, HistoryDatabaseDamaged) and self._on_damage is not None:
            self._on_damage(error.message)
        return error

    def _error(self, exc: sqlite3.Error, doing: str) -> StoreFileError:
        code = getattr(exc, "sqlite_errorcode", None)
        damaged = isinstance(code, int) and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
        if damaged or "unsupported file format" in str(exc):  # a header byte gone wrong
            return HistoryDatabaseDamaged(self.path, message=f"is damaged ({exc})")
        hint = (
            "" if doing != "written" else " Check free disk space and that the folder is writable."
        )
        return StoreFileError(self.path, message=f"could not be {doing} ({exc}).{hint}")

    @contextlib.contextmanager
    def _transaction(self, connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` (the write lock at once: no deadlock with another writer)
        ... ``COMMIT``; rolled back on any error."""
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreFileError(self.path, message="is read-only in this session")
        with self._errors("written"), self._transaction(self._connection()) as connection:
            yield connection

    # -- reading -----------------------------------------------------------------------
    def _fetch(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Run a query. Text that is not UTF-8 (a hand edit, a flipped byte) fails the whole
        query in ``sqlite3``: then it runs again decoding leniently (slower, but total)."""
        connection = self._connection()
        with self._errors("read"):
            try:
                return connection.execute(sql, parameters).fetchall()
            except sqlite3.OperationalError as exc:
                if "decode" not in str(exc):
                    raise
                connection.text_factory = _lenient_text
                try:
                    return connection.execute(sql, parameters).fetchall()
                finally:
                    connection.text_factory = str

    def rows(self, between: Callable[[], object] | None = None) -> list[HistoryRow]:
        """Every entry's list row, oldest first: the one query the list opens with.
        ``between`` is called after each batch (see ``_read_rows``)."""
        connection = self._connection()
        with self._errors("read"):
            try:
                return _read_rows(connection, between)
            except sqlite3.OperationalError as exc:
                if "decode" not in str(exc):
                    raise
                connection.text_factory = _lenient_text  # see ``_fetch``
                try:
                    return _read_rows(connection, between)
                finally:
                    connection.text_factory = str

    def newest(self, count: int) -> list[HistoryRow]:
        """The newest ``count`` rows, newest first (the list's first page)."""
        return [HistoryRow._make(row) for row in self._fetch(_NEWEST_QUERY, (count,))]

    def first_frame(self, count: int) -> FirstFrame:
        """What a list sorted by time shows first, read at one moment (one read transaction):
        the ``count`` rows that sort first by time, latest first (``_LATEST_QUERY``), how many
        rows there are, every action name and account id once, and the newest row's number,
        so that ``newest_until`` reads the same rows later, whatever was added meanwhile."""
        connection = self._connection()
        with self._errors("read"):
            connection.execute("BEGIN")
            try:
                rows = self._fetch(_LATEST_QUERY, (count,))
                names = self._fetch(_NAMES_QUERY)
                total, seq = self._fetch("SELECT COUNT(*), IFNULL(MAX(seq), 0) FROM entries")[0]
            finally:
                connection.execute("COMMIT")
        return (
            list(map(tuple.__new__, repeat(HistoryRow), rows)),
            int(total),  # type: ignore[call-overload]
            ({str(row[0]) for row in names}, {str(row[1]) for row in names}),
            int(seq),  # type: ignore[call-overload]
        )

    def newest_until(self, count: int, seq: int) -> list[HistoryRow]:
        """The newest ``count`` rows up to row number ``seq`` (``first_frame``'s), newest first."""
        found = self._fetch(_NEWEST_UNTIL_QUERY, (seq, count))
        return list(map(tuple.__new__, repeat(HistoryRow), found))

    def count(self) -> int:
        found = self._fetch("SELECT COUNT(*) FROM entries")
        return int(found[0][0]) if found else 0  # type: ignore[call-overload]

    def actions(self) -> list[str]:
        """Every action named, once (the editor's suggestions before the rows are read)."""
        return [_read_text(row[0]) for row in self._fetch("SELECT DISTINCT action FROM entries")]

    def entry(self, entry_id: str) -> HistoryEntry | None:
        found = self._fetch(f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE id = ?", (entry_id,))
        return _entry(found[0]) if found else None

    def entries(self) -> list[HistoryEntry]:
        """Every entry, newest first (slow with 100,000: the list uses ``rows``)."""
        found = self._fetch(f"SELECT {_ENTRY_COLUMNS} FROM entries ORDER BY seq DESC")
        return [_entry(values) for values in found]

    def exchange(self, entry_id: str) -> tuple[bytes, str, tuple[str, ...]] | None:
        """The entry's saved exchange (JSON bytes), note and tags; ``None`` if it is gone."""
        found = self._fetch(_EXCHANGE_QUERY.format(""), (entry_id,))
        if not found:
            # Gone (deleted, trimmed), or its index is damaged: SQLite reads a damaged index
            # without a word, and the entry would be "no longer in the history" for good. A
            # scan of the table itself tells them apart (a miss is rare, so is the scan).
            found = self._fetch(_EXCHANGE_QUERY.format("NOT INDEXED"), (entry_id,))
            if not found:
                return None
            self._reported(
                HistoryDatabaseDamaged(self.path, message="is damaged (an index misses entries)")
            )
        data, note, tags = found[0]
        blob = data if isinstance(data, bytes) else str(data).encode("utf-8", "surrogatepass")
        return blob, _read_text(note), tuple(_read_text(tags).split())

    # -- writing -----------------------------------------------------------------------
    def insert(
        self, items: Sequence[tuple[HistoryEntry, bytes]], doomed: Sequence[str] = ()
    ) -> None:
        """Add entries (oldest first) and their exchanges, and delete ``doomed`` ids, in one
        transaction: one wait for the disk however many there are."""
        with self._write() as connection:
            for entry, exchange in items:
                cursor = connection.execute(
                    f"INSERT INTO entries ({_ENTRY_COLUMNS}) VALUES ({', '.join('?' * 15)})",
                    _entry_values(entry),
                )
                connection.execute(
                    "INSERT OR REPLACE INTO exchanges (seq, data) VALUES (?, ?)",
                    (cursor.lastrowid, exchange),
                )
            self._delete_in(connection, doomed)

    def insert_many(self, items: Iterable[tuple[HistoryEntry, bytes]]) -> int:
        """Add entries oldest first in one transaction, skipping ids already present (an
        interrupted move from the old index may run again); returns how many were added."""
        added = 0
        with self._write() as connection:
            for entry, exchange in items:
                values = _entry_values(entry)
                cursor = connection.execute(
                    f"INSERT OR IGNORE INTO entries ({_ENTRY_COLUMNS}) "
                    f"VALUES ({', '.join('?' * 15)})",
                    values,
                )
                if cursor.rowcount != 1:
                    continue
                connection.execute(
                    "INSERT OR REPLACE INTO exchanges (seq, data) VALUES (?, ?)",
                    (cursor.lastrowid, exchange),
                )
                added += 1
        return added

    def delete(self, entry_ids: Sequence[str]) -> None:
        if entry_ids:
            with self._write() as connection:
                self._delete_in(connection, entry_ids)

    @staticmethod
    def _delete_in(connection: sqlite3.Connection, entry_ids: Sequence[str]) -> None:
        """Delete by id in one statement per table (100,000 ids as one JSON array)."""
        if not entry_ids:
            return
        ids = json.dumps(list(entry_ids))
        connection.execute(
            f"DELETE FROM exchanges WHERE seq IN (SELECT seq FROM entries WHERE id IN ({_IDS}))",
            (ids,),
        )
        connection.execute(f"DELETE FROM entries WHERE id IN ({_IDS})", (ids,))

    def set_note(self, entry: HistoryEntry) -> bool:
        """Store ``entry``'s note and tags (and its new search text); ``False`` if it is gone."""
        values = _entry_values(entry)
        note, tags, search = values[12:15]
        with self._write() as connection:
            changed = connection.execute(
                "UPDATE entries SET note = ?, tags = ?, search = ? WHERE id = ?",
                (note, tags, search, entry.id),
            ).rowcount
        return changed == 1

    def clear(self) -> None:
        """Delete every entry, then shrink the file and empty the WAL, so nothing of the
        cleared history stays readable in either."""
        with self._write() as connection:
            connection.execute("DELETE FROM exchanges")
            connection.execute("DELETE FROM entries")
        with self._errors("written"):
            connection = self._connection()
            connection.execute("VACUUM")  # a new file of what is left: nothing
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _read_rows(
    connection: sqlite3.Connection, between: Callable[[], object] | None = None
) -> list[HistoryRow]:
    """The rows, read a batch at a time, ``between`` called after each (the window's reader
    waits there for the UI thread's turn: ``sqlite3`` lets go of the interpreter and takes it
    back for every row it steps, so a paint's ~1,000 Python calls, each needing it, lost the
    race again and again while a batch was read).

    100,000 new tuples are 100,000 objects for the garbage collector, and a namedtuple stays
    in its view for good (it never untracks one, as it does a plain tuple of text and numbers):
    left running, it passes over them again and again while they are made, 10-70 ms a pass in
    which no other thread runs Python (the window froze). So it is paused while they are made,
    and the app, which keeps them as long as it runs, then takes them out of its passes
    (``collector.freeze_long_lived``); elsewhere (tests, the command line) its next pass sees
    them once.
    """
    rows: list[HistoryRow] = []
    with collector.paused():
        cursor = connection.execute(_ROW_QUERY)
        while batch := cursor.fetchmany(_BATCH):
            # ``tuple.__new__`` in C for each row: ``HistoryRow._make`` is a Python call.
            rows += map(tuple.__new__, repeat(HistoryRow), batch)
            del batch
            if between is not None:
                between()
        collector.freeze_long_lived()
    return rows


def _text(value: str) -> str | bytes:
    """Text as SQLite can hold it. A lone surrogate (``"\\ud800"``: a request may hold one on
    purpose) has no UTF-8 form: such text is kept exactly, as a blob of its surrogate-pass
    bytes, and ``_read_text`` turns it back."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")
    return value


def _read_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return _lenient_text(value)
    return "" if value is None else str(value)


def _lenient_text(value: bytes) -> str:
    """What ``_text`` wrote back as text; any other bytes decoded as well as they can be."""
    try:
        return value.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return value.decode("utf-8", "replace")


def _entry_values(entry: HistoryEntry) -> tuple[object, ...]:
    """The row's values in ``_ENTRY_COLUMNS`` order."""
    total_ms = entry.total_ms
    return (
        _text(entry.id),
        _text(entry.started_at),
        _text(entry.profile),
        _text(entry.action),
        _text(entry.account_id),
        _integer(entry.status),
        _text(entry.status_class),
        total_ms if total_ms is not None and math.isfinite(total_ms) else None,
        _integer(entry.size),
        None if entry.request_id is None else _text(entry.request_id),
        None if entry.failure is None else _text(entry.failure),
        _text(entry.base_url),
        _text(entry.note),
        _text(entry.tag_text),
        _text(entry.search_text),
    )


def _integer(value: int | None) -> int | None:
    """SQLite holds 64-bit integers; anything beyond reads as missing."""
    return value if value is not None and -(2**63) <= value < 2**63 else None


def _number(value: object, kind: type) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if kind is int:
        return value if isinstance(value, int) else None
    return float(value) if math.isfinite(value) else None


def _entry(values: Sequence[object]) -> HistoryEntry:
    (ident, started, profile, action, account, status, status_class, total_ms, size) = values[:9]
    request_id, failure, base_url, note, tags = values[9:14]
    return HistoryEntry(
        id=_read_text(ident),
        started_at=_read_text(started),
        profile=_read_text(profile),
        action=_read_text(action),
        account_id=_read_text(account),
        status=_number(status, int),  # type: ignore[arg-type]
        status_class=_read_text(status_class) or "none",
        total_ms=_number(total_ms, float),  # type: ignore[arg-type]
        size=_number(size, int),  # type: ignore[arg-type]
        request_id=_read_text(request_id) if request_id is not None else None,
        failure=_read_text(failure) if failure is not None else None,
        base_url=_read_text(base_url),
        note=_read_text(note),
        tags=tuple(_read_text(tags).split()),
    )
