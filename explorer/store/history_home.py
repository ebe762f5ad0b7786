"""The history's folder: opening its database, moving an old home in, keeping damage aside.

What ``HistoryStore`` does before it has any rows, and what it does when the folder or the
database fails it: a new home has no folder yet (the first entry makes it); an old home
(``index.jsonl``) is moved into the database (``history_legacy``), at once or, for a lazy
store, where the rows are read; a damaged database is never written over: the whole folder
(database, WAL, body files) is renamed ``history.corrupt`` for recovery and a new history
starts; a folder or database that cannot be opened leaves the history empty for the session,
with the reason in ``load_error``, and every file as it was.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from explorer.store.files import StoreFileError
from explorer.store.history_db import DB_NAME, HistoryDatabase, HistoryDatabaseDamaged
from explorer.store.history_entry import SAFE_ID

# The old layout's index (``history_legacy`` moves it in; imported only then).
INDEX_NAME = "index.jsonl"
# Index lines that could not be read, kept (appended) before the index goes.
DAMAGED_NAME = "index.jsonl.corrupt"
CORRUPT_SUFFIX = ".corrupt"
# Written when SQLite reports damage after opening (a bad page is found when it is read):
# the next start keeps that database aside instead of failing on it again and again.
DAMAGE_MARK = DB_NAME + ".damaged"


class HistoryHome:
    """The opening half of ``HistoryStore`` (its base class): the folder and the database.

    Attributes:
        directory: where the database and body files live.
        load_error: what was skipped or set aside while opening, in words, else None.
    """

    directory: Path
    load_error: str | None
    read_only: bool
    _db: HistoryDatabase | None
    _unavailable: StoreFileError | None  # why nothing can be kept this session
    _names: set[str]  # the folder's names, when opened
    _old_files: bool  # old exchange files are leftovers (the index has moved)
    _defer_move: bool  # a lazy store moves an old home in where it reads its rows
    _moving: threading.Event  # an old home is still to be moved in

    @property
    def database_path(self) -> Path:
        return self.directory / DB_NAME

    def _problem(self, text: str | None) -> None:
        if text:
            self.load_error = " ".join(filter(None, [self.load_error, text]))

    def _open(self) -> None:
        names = self._listing()
        if names is None:
            return
        if DAMAGE_MARK in names and DB_NAME in names and not self.read_only:
            seen = self._damage_seen()
            self._set_aside(
                HistoryDatabaseDamaged(self.database_path, message=f"was found damaged ({seen})")
            )
            return
        # Old exchange files are leftovers once no index names them (it moved in earlier);
        # while the index is there, only a move that went through makes them so.
        self._names, self._old_files = names, INDEX_NAME not in names
        if DB_NAME not in names and INDEX_NAME not in names:
            return
        try:
            self._old_files = self._open_database(names) or INDEX_NAME not in names
        except HistoryDatabaseDamaged as exc:
            self._set_aside(exc)
        except StoreFileError as exc:
            self._unavailable_now(exc)

    def _unavailable_now(self, exc: StoreFileError) -> None:
        self._close_database()
        self._unavailable = exc
        self._problem(f"History: {_sentence(exc)} History is empty this session; nothing is kept.")

    def _listing(self) -> set[str] | None:
        """The history folder's names; ``None`` when there is nothing to open."""
        try:
            return set(os.listdir(self.directory))
        except (FileNotFoundError, NotADirectoryError):
            return None  # a new home: the folder and the database come with the first entry
        except OSError as exc:
            self._unavailable = StoreFileError(
                self.directory, message=f"could not be read ({exc.strerror or exc})"
            )
            self._problem(f"History: {self._unavailable}; history is empty.")
            return None

    def _open_database(self, names: set[str]) -> bool:
        """Open the database (moving an old index in first); whether an old index moved.

        Raises:
            StoreFileError: the database cannot be opened or read (``HistoryDatabaseDamaged``
                when it is damaged).
        """
        has_database = DB_NAME in names
        if self.read_only:
            self._db = HistoryDatabase(self.database_path, read_only=True, memory=not has_database)
        else:
            self._db = HistoryDatabase(self.database_path, on_damage=self._mark_damage)
        # A read-only session cannot move an old index into an existing database: it reads
        # the database alone.
        move = INDEX_NAME in names and (not self.read_only or not has_database)
        if move and self._defer_move:
            self._moving.set()
            return False  # not moved yet: its files are not leftovers
        if move:
            from explorer.store.history_legacy import migrate

            self._problem(migrate(self.directory, self._db, remove=not self.read_only))
        return move

    def _move_old_home(self) -> None:
        """A lazy store's deferred move (in ``load_rows``, before the rows are read)."""
        from explorer.store.history_legacy import migrate

        try:
            if self._db is not None:
                self._problem(migrate(self.directory, self._db))
                self._old_files = True
        except HistoryDatabaseDamaged as exc:
            self._problem(f"History: {exc}. It is kept aside when the explorer next starts.")
        except StoreFileError as exc:
            self._unavailable_now(exc)
        finally:
            self._moving.clear()

    def _set_aside(self, damage: StoreFileError) -> None:
        """Keep a damaged database, with everything beside it, as ``history.corrupt``."""
        self._close_database()
        self._names = set()  # what was listed is kept aside with it
        if self.read_only:
            self._unavailable = damage
            self._problem(f"History: {damage}. History is empty this session.")
            return
        target = self.directory.with_name(self.directory.name + CORRUPT_SUFFIX)
        number = 1
        while target.exists():
            number += 1
            target = self.directory.with_name(f"{self.directory.name}{CORRUPT_SUFFIX}-{number}")
        try:
            os.rename(self.directory, target)
            self.directory.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            self._unavailable = damage
            self._problem(
                f"History: {damage}. It could not be moved aside ({exc.strerror or exc}), so "
                "nothing is kept this session."
            )
            return
        self._problem(
            f"History: {damage}. The history folder was kept as {target} for recovery; a "
            "new, empty history was started."
        )

    def _mark_damage(self, reason: str) -> None:
        """Remember, for the next start, that SQLite found the database damaged."""
        with contextlib.suppress(OSError):
            (self.directory / DAMAGE_MARK).write_text(reason, encoding="utf-8", errors="replace")

    def _damage_seen(self) -> str:
        try:
            return (self.directory / DAMAGE_MARK).read_text(encoding="utf-8", errors="replace")[
                :300
            ]
        except OSError:
            return "reported in an earlier session"

    def _database(self) -> HistoryDatabase:
        """The database, created with the first entry. Call with the write lock held.

        Raises:
            StoreFileError: it cannot be created (or could not be opened at start).
        """
        if self._db is None:
            if self._unavailable is not None:
                reason = self._unavailable
                raise StoreFileError(reason.path, reason.line, reason.column, reason.message)
            self._make_directory()
            self._db = HistoryDatabase(self.database_path, on_damage=self._mark_damage)
        return self._db

    def _make_directory(self) -> None:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreFileError(
                self.directory, message=f"could not be created ({exc.strerror or exc})"
            ) from exc

    def _close_database(self) -> None:
        if self._db is not None:
            with contextlib.suppress(StoreFileError, OSError):
                self._db.close()
        self._db = None


def is_old_exchange_file(name: str) -> bool:
    """``<id>.json``: an exchange file of the old layout (once moved, a leftover)."""
    stem, dot, suffix = name.rpartition(".")
    return bool(dot) and suffix == "json" and SAFE_ID.match(stem) is not None


def _sentence(error: Exception) -> str:
    """An error's text ending with one full stop (some already end with one)."""
    return str(error).rstrip().rstrip(".") + "."
