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
import tempfile
from pathlib import Path
from typing import Any

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
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{self.path}{where}: {message}" if message else f"{self.path}{where}")


class StoreFileMissing(StoreFileError):
    """The file does not exist: for most stores that simply means "nothing saved yet"."""


def write_atomic(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` so that readers see either the old or the new file.

    Text is written as UTF-8. A replaced file keeps its permissions; a new one is private
    to the user (mode 0600).

    Raises:
        StoreFileError: the file could not be written (disk full, no permission...). The old
            file, if any, is unchanged and no temporary file is left behind.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = NEW_FILE_MODE
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
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


def read_json(path: Path) -> Any:
    """Read a JSON file, turning every failure into an error a person can act on.

    Raises:
        StoreFileMissing: the file does not exist.
        StoreFileError: it cannot be read, is not UTF-8, or is not valid JSON (with the
            line and column of the problem).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise StoreFileMissing(path, message="the file does not exist") from exc
    except OSError as exc:
        raise StoreFileError(path, message=f"could not be read ({exc.strerror or exc})") from exc
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
