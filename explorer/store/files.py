"""Reading and writing the store's files safely.

Every file the explorer owns is replaced whole and atomically: the new content goes to a
temporary file in the same directory, is flushed to the disk, and only then renamed over the
old one. A crash, a full disk or a bug half-way through leaves the previous file untouched,
never a truncated one (the approach of qutebrowser's save manager).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from explorer.core.body import read_regular_file
from explorer.core.errors import ExplorerError
from explorer.core.request import parse_json

# New store files are private: history and collections hold customer data from HR/ATS systems.
NEW_FILE_MODE = 0o600


class StoreFileError(ExplorerError):
    """A store file could not be read (or written). Names the file, and the line/column when
    the problem is inside JSON, so the user can fix or remove it.

    Attributes:
        path: the file concerned.
        line: 1-based line of a JSON syntax error, else ``None``.
        column: 1-based column of a JSON syntax error, else ``None``.
        message: what is wrong, without the file name.
        unreadable: the disk refused the read (the content was never seen).
    """

    def __init__(
        self,
        path: Path | str,
        line: int | None = None,
        column: int | None = None,
        message: str = "",
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message
        # The disk refused the read (permissions, I/O): the content itself may be fine, so
        # there is nothing to keep aside as damaged.
        self.unreadable = False
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{self.path}{where}: {message}" if message else f"{self.path}{where}")


class StoreFileMissing(StoreFileError):
    """The file does not exist: for most stores that simply means "nothing saved yet"."""


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` so that readers see either the old or the new file.

    Text is written as UTF-8 (``encode_text``). A replaced file keeps its permissions; a new
    one is private to the user (mode 0600). The temporary file is locked while it is written,
    so ``remove_leftovers`` in another process never takes it for a crash's leftover.

    Raises:
        StoreFileError: the file could not be written (disk full, no permission...). The old
            file, if any, is unchanged and no temporary file is left behind.
    """
    payload = encode_text(data) if isinstance(data, str) else data
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = NEW_FILE_MODE
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            hold_lock(handle.fileno())
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_directory(path.parent)
    except OSError as exc:
        raise StoreFileError(
            path,
            message=f"could not be written ({exc.strerror or exc}). "
            "Check free disk space and that the folder is writable.",
        ) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def encode_text(text: str) -> bytes:
    """``text`` as UTF-8; a lone surrogate (``"\\ud800"``, which UTF-8 cannot hold) is written
    as its escape ``\\ud800``.

    A request body may hold one on purpose (the wire sends it escaped); in the JSON the
    stores write, that escape is exactly the JSON for the same string, so what was sent is
    kept and reads back unchanged instead of failing the whole write.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="backslashreplace")


def hold_lock(fd: int) -> None:
    """Take an exclusive advisory lock on a file being written (released when it closes).

    Best effort: where ``fcntl`` is missing (Windows) only the age rule of
    ``remove_leftovers`` protects a file being written.
    """
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _is_locked(path: Path) -> bool:
    """Whether another open file holds ``hold_lock`` on ``path``."""
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True  # cannot even look: leave it alone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also releases the probe's own lock
    return False


# ``tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")``: eight random [a-z0-9_] characters.
_LEFTOVER = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
# A temporary file older than this, that nobody holds locked, was left by a crash.
LEFTOVER_AGE = 60.0


def is_leftover_name(name: str) -> bool:
    """``.<name>.<random>.tmp``: what ``write_atomic`` and the response spool write first."""
    return _LEFTOVER.match(name) is not None


def remove_leftovers(
    directory: Path, names: Iterable[str] | None = None, *, now: float | None = None
) -> list[str]:
    """Delete the temporary files a crash (kill -9, power cut) left in ``directory``.

    Only files named like ``write_atomic``'s temporary files, last changed more than
    ``LEFTOVER_AGE`` seconds ago and not locked by a writer: never a file another process
    is still writing. Never raises.

    Args:
        names: the directory's listing, if the caller has it already.

    Returns:
        The names removed.
    """
    directory = Path(directory)
    if names is None:
        try:
            names = os.listdir(directory)
        except OSError:
            return []
    return remove_old_files(directory, [n for n in names if is_leftover_name(n)], now=now)


def remove_old_files(
    directory: Path, names: Iterable[str], *, now: float | None = None
) -> list[str]:
    """Delete each of ``names`` in ``directory`` that is older than ``LEFTOVER_AGE`` and not
    locked by a writer (see ``remove_leftovers``); returns the names removed. Never raises."""
    limit = (time.time() if now is None else now) - LEFTOVER_AGE
    removed = []
    for name in names:
        path = Path(directory) / name
        try:
            info = path.lstat()
        except (OSError, ValueError):
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_mtime > limit or _is_locked(path):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(name)
    return removed


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable. Best effort: Windows cannot open directories."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# Store files are small (settings, profiles, one saved request, one history entry); anything
# bigger is not one of ours, and reading it whole would only cost memory.
MAX_STORE_FILE = 64 * 1024 * 1024


def read_json(path: Path, *, max_size: int = MAX_STORE_FILE) -> Any:
    """Read a JSON file, turning every failure into an error a person can act on.

    Total: whatever the file holds (any bytes, deep nesting, huge numbers, a folder or a
    pipe in its place), the result is the data or one of the errors below.

    Raises:
        StoreFileMissing: the file does not exist.
        StoreFileError: it cannot be read, is not a regular file, is larger than
            ``max_size``, is not UTF-8, or is not valid JSON within the explorer's limits
            (with the line and column of the problem).
    """
    path = Path(path)
    try:
        raw = read_regular_file(path, max_size)
    except (FileNotFoundError, NotADirectoryError) as exc:  # a file in a folder's place
        raise StoreFileMissing(path, message="the file does not exist") from exc
    except OSError as exc:
        error = StoreFileError(path, message=f"could not be read ({exc.strerror or exc})")
        error.unreadable = True
        raise error from exc
    except ValueError as exc:  # e.g. a NUL in the path
        error = StoreFileError(path, message=f"could not be read ({exc})")
        error.unreadable = True
        raise error from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StoreFileError(
            path, message=f"is not UTF-8 text (bad byte at offset {exc.start})"
        ) from exc
    try:
        # NaN/Infinity would load here and then fail on the next save (dump_json refuses them).
        return parse_json(text)
    except json.JSONDecodeError as exc:
        raise StoreFileError(path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from exc


@dataclass(frozen=True)
class LoadedFile:
    """A store's own JSON object file as read at start-up (``load_store_file``).

    Attributes:
        data: the file's object; empty when the file is missing or could not be used.
        missing: there is no file yet (nothing was saved): not a problem.
        error: why the file could not be used, else ``None``.
    """

    data: dict[str, Any] = field(default_factory=dict)
    missing: bool = False
    error: StoreFileError | None = None

    @property
    def damaged(self) -> bool:
        """The file was read and is not usable: the store keeps it as ``<name>.corrupt``
        before its next save overwrites it (``save_store_file``). A file the disk refused to
        read is not damaged: its content may be fine, and there is nothing to keep."""
        return self.error is not None and not self.error.unreadable


def load_store_file(path: Path) -> LoadedFile:
    """Read a store file that holds one JSON object (``settings.json``, ``profiles.json``,
    ``collection.json``...) without raising, so a damaged file never stops the app.

    The stores differ only in what they say about it and what they fall back to; whether the
    file is missing, unreadable or damaged (and must be kept aside) is decided here, once.
    """
    try:
        data = read_json(path)
    except StoreFileMissing:
        return LoadedFile(missing=True)
    except StoreFileError as exc:
        return LoadedFile(error=exc)
    if not isinstance(data, dict):
        return LoadedFile(error=StoreFileError(path, message="must hold a JSON object {...}"))
    return LoadedFile(data)


def dump_json(obj: Any) -> str:
    """The one JSON style of the store: stable (sorted keys) and diff-friendly.

    Raises:
        TypeError: ``obj`` holds something JSON cannot represent (a programming error).
        ValueError: ``obj`` contains NaN/Infinity or a reference cycle.
    """
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def keep_damaged(path: Path) -> Path | None:
    """Copy a file that failed to load to ``<name>.corrupt`` before it gets overwritten.

    Stores call this on their first save after a failed load, so a damaged file is never
    silently lost: the user can still open it and recover what was in it.

    Returns:
        The copy's path, or ``None`` if there was nothing to keep.
    """
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError:
        return None
    backup = path.with_name(path.name + ".corrupt")
    write_atomic(backup, content)
    return backup


def save_store_file(path: Path, text: str, *, damaged: bool) -> None:
    """Replace a store's own file (``profiles.json``, ``settings.json``) with ``text``.

    ``damaged`` says the file on disk failed to load: it is kept as ``<name>.corrupt`` first
    (``keep_damaged``), because this save is about to overwrite what the user may want back.
    The folder is created on the first save, so a new home needs no set-up step.

    Raises:
        StoreFileError: the disk refused the write (the file is unchanged).
    """
    path = Path(path)
    if damaged:
        keep_damaged(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
