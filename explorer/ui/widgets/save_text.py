"""Save a text the user is looking at (a table export, joined pages) to a file they choose.

The file is written atomically on the pool, never on the UI thread: a disk can be slow or
gone. ``done(path, error)`` follows on the UI thread, ``error`` ``None`` when it worked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog, QWidget

from explorer.store.files import write_atomic
from explorer.ui.delivery import Delivery
from explorer.ui.jobs import RenderJob

Done = Callable[[Path, "Exception | None"], None]


def save_text_as(
    parent: QWidget, title: str, suggested: Path, name_filter: str, text: str, done: Done
) -> Path | None:
    """Ask where (starting at ``suggested``), then write ``text`` as UTF-8. The file chosen,
    or ``None`` when the user cancelled."""
    path_text, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), name_filter)
    if not path_text:
        return None
    path, data = Path(path_text), text.encode("utf-8")
    job = RenderJob(0, lambda: write_atomic(path, data))
    delivery = Delivery(job.signals, parent)  # ``done`` only while ``parent`` lives

    def written(_generation: int, result: object) -> None:
        delivery.release()
        done(path, result if isinstance(result, Exception) else None)

    delivery.on(job.signals.done, written)
    QThreadPool.globalInstance().start(job)
    return path
