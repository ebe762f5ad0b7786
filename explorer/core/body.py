"""Response bodies in bounded memory: a capped decoder, and a file for bodies over the limit.

The client reads a body in chunks as they come off the wire. ``BodyDecoder`` undoes the
``Content-Encoding`` (gzip, deflate) in steps of at most ``CHUNK`` bytes, so a small
compressed chunk never expands into memory at once, and stops with ``BodyTooLarge`` when the
decoded size passes the cap (``limits.decoded_cap``) or, beyond the body limit, grows more
than ``limits.MAX_EXPANSION`` times the compressed size: a decompression bomb is a typed
error, not exhausted memory or a full disk. ``BodySink`` keeps the decoded body in memory up
to the body limit and streams the rest to a ``BodyFile`` (see ``explorer.core.limits``).

A ``BodyFile`` made for a response is temporary: it lives as long as the response object
that holds it (it is deleted when that is garbage collected, or at the next start if the app
crashed), and it is held open and locked meanwhile, so another instance's leftover cleanup
leaves it alone. The history keeps a body by linking the file into its own folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import weakref
import zlib
from collections.abc import Iterator
from pathlib import Path

from explorer.core.errors import BadResponse, BodyTooLarge
from explorer.core.limits import MAX_EXPANSION, decoded_cap

CHUNK = 64 * 1024
# What ``BodyFile.head`` reads for a glimpse (an error message, a preview line).
HEAD_SIZE = 64 * 1024
SUPPORTED_ENCODINGS = ("gzip", "deflate")
# What the explorer sends as ``Accept-Encoding``: only what ``BodyDecoder`` undoes.
ACCEPT_ENCODING = ", ".join(SUPPORTED_ENCODINGS)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class _Inflater:
    """One zlib stream (gzip members one after another, or deflate with or without its
    zlib header), decompressed at most ``CHUNK`` bytes per step."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._gzip = encoding in ("gzip", "x-gzip")
        self._started = False
        self._object = self._new()

    def _new(self, raw: bool = False) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._object.decompress(data, CHUNK)
            except zlib.error:
                if self._gzip or self._started:
                    raise
                # Some servers send raw deflate without the zlib header (as browsers accept).
                self._object = self._new(raw=True)
                out = self._object.decompress(data, CHUNK)
            self._started = True
            if out:
                yield out
            data = self._object.unconsumed_tail
            if self._object.eof and self._object.unused_data:
                data = self._object.unused_data
                if not self._gzip:
                    return  # trailing bytes after a deflate stream: ignored, as httpx does
                self._object = self._new()  # the next gzip member

    def flush(self) -> Iterator[bytes]:
        while True:
            out = self._object.flush(CHUNK) if hasattr(self._object, "flush") else b""
            if not out:
                return
            yield out


class BodyDecoder:
    """Undoes ``Content-Encoding`` in bounded steps, refusing bodies that expand too far.

    Args:
        content_encoding: the response header's value (``None``/empty: nothing to undo).
            Unknown codings are passed through as they came (as httpx does).
        body_limit: the body limit; the cap and the expansion rule derive from it.
        base_url: names the server in errors.
    """

    def __init__(self, content_encoding: str | None, *, body_limit: int, base_url: str) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        # Applied in the order listed, so undone last to first.
        self._stages = [
            _Inflater(c) for c in reversed(codings) if c in (*SUPPORTED_ENCODINGS, "x-gzip")
        ]
        self.encoding = ", ".join(c for c in codings if c != "identity")
        self._limit = body_limit
        self._cap = decoded_cap(body_limit)
        self._base_url = base_url
        self.wire_size = 0
        self.size = 0

    @property
    def compressed(self) -> bool:
        return bool(self._stages)

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Decoded pieces of ``raw`` (each at most ``CHUNK`` bytes when compressed).

        Raises:
            BodyTooLarge: the decoded body passed the cap or the expansion rule.
            BadResponse: the compressed data is corrupt.
        """
        self.wire_size += len(raw)
        yield from self._checked(self._through(0, raw))

    def flush(self) -> Iterator[bytes]:
        """What the decoders still hold once the wire is done."""
        for index, stage in enumerate(self._stages):
            for piece in self._guarded(stage.flush):
                yield from self._checked(self._through(index + 1, piece))

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._stages):
            yield data
            return
        stage = self._stages[index]
        for piece in self._guarded(lambda: stage.feed(data)):
            yield from self._through(index + 1, piece)

    def _guarded(self, pieces: object) -> Iterator[bytes]:
        assert callable(pieces)
        try:
            yield from pieces()
        except zlib.error as exc:
            raise BadResponse(
                self._base_url, f"the {self.encoding} body is corrupt ({exc})"
            ) from None

    def _checked(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            self.size += len(piece)
            if self.size > self._cap:
                raise BodyTooLarge(
                    self._base_url,
                    f"the body is larger than {_mb(self._cap)}, the most the explorer accepts "
                    f"with a body limit of {_mb(self._limit)}",
                )
            if (
                self.compressed
                and self.size > self._limit
                and self.size > MAX_EXPANSION * max(self.wire_size, 1)
            ):
                raise BodyTooLarge(
                    self._base_url,
                    f"{_mb(self.wire_size)} of {self.encoding} expands past {_mb(self.size)} "
                    f"(over {MAX_EXPANSION} times), which no real response does: likely a "
                    "decompression bomb",
                )
            yield piece


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.0f} MB"


class BodyFile:
    """A response body on disk: its path, its size, and reads of any part of it.

    A temporary file (``owned``) is deleted when this object is garbage collected; one the
    history keeps is only read. Reads go through the descriptor opened here, so they keep
    working if the path is removed meanwhile.
    """

    def __init__(self, path: Path, *, owned: bool = False, fd: int | None = None) -> None:
        self.path = Path(path)
        self.owned = owned
        self._fd = fd if fd is not None else os.open(self.path, os.O_RDONLY | _BINARY)
        self.size = os.fstat(self._fd).st_size
        self._finalizer = weakref.finalize(self, _release, self._fd, self.path, owned)

    def discard(self) -> None:
        """Close it now (and delete it, if temporary) rather than when collected."""
        self._finalizer()

    def read(self, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes from ``offset``."""
        if hasattr(os, "pread"):
            return os.pread(self._fd, size, offset)
        os.lseek(self._fd, offset, os.SEEK_SET)  # pragma: no cover - Windows
        return os.read(self._fd, size)  # pragma: no cover

    def head(self, size: int = HEAD_SIZE) -> bytes:
        return self.read(0, size)

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        offset = 0
        while piece := self.read(offset, size):
            yield piece
            offset += len(piece)

    def copy_to(self, target: Path) -> None:
        """Write the whole body to ``target``, streamed (never all in memory) and atomically
        (a temporary file renamed over it: a full disk leaves ``target`` as it was).

        Raises:
            OSError: the target cannot be written.
        """
        target = Path(target)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            for piece in self.chunks(1024 * 1024):
                _write_all(fd, piece)
            os.fsync(fd)
            os.close(fd)
            fd = -1
            os.chmod(name, 0o600)
            os.replace(name, target)
        except BaseException:
            if fd >= 0:
                os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise

    def link_to(self, target: Path) -> None:
        """Make ``target`` hold the body: a hard link when the disk allows, else a copy.

        Raises:
            OSError: neither works.
        """
        try:
            os.link(self.path, target)
        except OSError:
            self.copy_to(target)


def _release(fd: int, path: Path, owned: bool) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
    if owned:
        with contextlib.suppress(OSError):
            os.unlink(path)


_BINARY = getattr(os, "O_BINARY", 0)


class BodySink:
    """Collects a decoded body: in memory up to ``limit`` bytes, then in a temporary file.

    ``spool_dir`` (``None``: the system's temporary folder) should be on the same disk as
    the history, so that keeping the body there is a link, not a copy. ``spool=False``
    refuses a body over the limit instead (for answers that must be parsed whole).
    """

    def __init__(
        self, limit: int, *, spool_dir: Path | None, spool: bool = True, base_url: str = ""
    ) -> None:
        self._limit = limit
        self._spool_dir = spool_dir
        self._spool = spool
        self._base_url = base_url
        self._memory: list[bytes] = []
        self._held = 0
        self._file: BodyFile | None = None
        self._writer: int | None = None

    def write(self, data: bytes) -> None:
        """Raises:
        BodyTooLarge: over the limit with ``spool=False``.
        OSError: the spool file cannot be written (disk full).
        """
        if self._writer is not None:
            _write_all(self._writer, data)
            return
        if self._held + len(data) <= self._limit:
            self._memory.append(data)
            self._held += len(data)
            return
        if not self._spool:
            raise BodyTooLarge(
                self._base_url,
                f"the answer is larger than the body limit of {_mb(self._limit)}",
            )
        self._open_spool()
        assert self._writer is not None
        for piece in self._memory:
            _write_all(self._writer, piece)
        self._memory = []
        _write_all(self._writer, data)

    def _open_spool(self) -> None:
        directory = self._spool_dir
        if directory is not None:
            with contextlib.suppress(OSError):
                directory.mkdir(parents=True, exist_ok=True)
        try:
            fd, name = tempfile.mkstemp(prefix=".response.", suffix=".tmp", dir=directory)
        except OSError:
            fd, name = tempfile.mkstemp(prefix=".response.", suffix=".tmp")
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._writer = fd
        self._file = BodyFile(Path(name), owned=True, fd=os.dup(fd))

    def finish(self) -> tuple[bytes, BodyFile | None]:
        """``(body, None)`` for a body held in memory, ``(b"", file)`` for a spooled one."""
        if self._writer is None:
            return b"".join(self._memory), None
        os.close(self._writer)  # the duplicate in the BodyFile keeps the lock
        self._writer = None
        assert self._file is not None
        self._file.size = os.fstat(self._file._fd).st_size
        return b"", self._file

    def discard(self) -> None:
        """Drop everything (a failed or cancelled exchange): the spool file is deleted."""
        if self._writer is not None:
            with contextlib.suppress(OSError):
                os.close(self._writer)
            self._writer = None
        if self._file is not None:
            self._file.discard()
            self._file = None
        self._memory = []


def read_regular_file(path: Path, max_size: int) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes.

    Opened without blocking, and checked before a byte is read: a FIFO (``/dev/stdin``), a
    device (``/dev/zero``) or a huge file in its place is refused instead of waited on or
    read into all memory. For the small files a person points the explorer at.

    Raises:
        OSError: it cannot be opened or read, or is not a regular file or too big (then with
            a ``strerror`` saying which).
        ValueError: the path holds a NUL character.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _BINARY)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(
                errno.EINVAL, "it is not a regular file (a device or a pipe is never read)"
            )
        if info.st_size > max_size:
            raise OSError(
                errno.EFBIG, f"it is {info.st_size:,} bytes, over the size limit of {max_size:,}"
            )
        data = handle.read(max_size + 1)
    if len(data) > max_size:
        raise OSError(errno.EFBIG, f"it is over the size limit of {max_size:,} bytes")
    return data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def file_contains(source: BodyFile, values: list[str]) -> bool:
    """Whether any of ``values`` occurs in ``source``, streamed (across chunk edges too)."""
    needles = [v.encode("utf-8", "surrogatepass") for v in values if v]
    if not needles:
        return False
    keep = max(len(n) for n in needles) - 1
    tail = b""
    for piece in source.chunks(1024 * 1024):
        window = tail + piece
        if any(n in window for n in needles):
            return True
        tail = window[-keep:] if keep else b""
    return False


def replace_in_file(source: BodyFile, values: list[str], placeholder: str) -> BodyFile:
    """A temporary copy of ``source`` with each of ``values`` replaced by ``placeholder``,
    streamed (a match across two chunks is found too).

    For scrubbing secrets out of a body too big to hold in memory.
    """
    needles = [v.encode("utf-8", "surrogatepass") for v in values if v]
    keep = max((len(n) for n in needles), default=1) - 1
    spool_dir = source.path.parent
    fd, name = tempfile.mkstemp(prefix=".response.", suffix=".tmp", dir=spool_dir)
    try:
        pending = b""
        for piece in source.chunks(1024 * 1024):
            pending += piece
            for needle in needles:
                pending = pending.replace(needle, placeholder.encode())
            cut = max(0, len(pending) - keep)
            _write_all(fd, pending[:cut])
            pending = pending[cut:]
        _write_all(fd, pending)
        return BodyFile(Path(name), owned=True, fd=os.dup(fd))
    finally:
        os.close(fd)
