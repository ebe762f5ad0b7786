"""Save body…: the exact response body written to a file the user picks, off the UI thread.

A download can be hundreds of megabytes on a slow disk: written on the UI thread, it would
freeze the window. A body over the in-memory limit is copied from its spool file, whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal

from explorer.core.units import human_size
from explorer.store.files import write_atomic
from explorer.ui.jobs import RenderJob

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from explorer.core.response import RpcResponse


class BodySaver(QObject):
    """Asks where, then writes the body atomically on the thread pool.

    Signals:
        message(str): "Saving…", then that the file is written, or why it could not be.
    """

    message = Signal(str)

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        # Save number -> (its job's signals, the file, the size), until the write is done.
        self._saves: dict[int, tuple[QObject, Path, int]] = {}
        self._count = 0

    @property
    def busy(self) -> bool:
        """Whether a save is still writing its file."""
        return bool(self._saves)

    def save(self, response: RpcResponse, parent: QWidget) -> Path | None:
        """The file chosen (being written), or ``None`` when the user cancelled."""
        # Named here, not at import: the first frame has no file dialog, and PySide makes a Qt
        # class's Python type (with its enum classes) where a module first names it.
        from PySide6.QtWidgets import QFileDialog

        suggested = response.filename or default_name(response)
        path_text, _filter = QFileDialog.getSaveFileName(
            parent, "Save response body", str(Path.home() / suggested), "All files (*)"
        )
        if not path_text:
            return None
        path = Path(path_text)
        body, on_disk = response.body, response.body_file
        self._count += 1
        number = self._count
        if on_disk is not None:  # over the limit: streamed from its file, whole
            job = RenderJob(number, lambda: on_disk.copy_to(path))
        else:
            job = RenderJob(number, lambda: write_atomic(path, body))
        job.signals.done.connect(self._on_saved)
        self._saves[number] = (job.signals, path, response.size)
        self.message.emit(f"Saving {human_size(response.size)} to {path}…")
        self._pool.start(job)
        return path

    def _on_saved(self, number: int, result: object) -> None:
        """The write of save ``number`` ended: ``result`` is ``None`` or the exception."""
        entry = self._saves.pop(number, None)
        if entry is None:
            return
        _signals, path, size = entry
        if isinstance(result, Exception):
            reason = result.strerror if isinstance(result, OSError) and result.strerror else result
            self.message.emit(f"Could not save {path}: {reason}")
        else:
            self.message.emit(f"Saved {human_size(size)} to {path}")


def default_name(response: RpcResponse) -> str:
    """``response.json`` and the like, by the content type, when the server named no file."""
    mime = response.content_type.split(";", 1)[0].strip().lower()
    extension = {
        "application/json": ".json",
        "application/pdf": ".pdf",
        "text/plain": ".txt",
        "text/csv": ".csv",
    }.get(mime, ".bin")
    return "response" + extension
