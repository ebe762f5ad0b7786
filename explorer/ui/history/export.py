"""Saving history entries to a file: our JSON export, or HAR 1.2 for browser devtools.

``HistoryExport`` is the pane's "Save history…": it asks where, then reads every entry back
and writes the file on the history's writer thread (seconds with big bodies), after the
entries still being written, so the file holds everything sent until then.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from explorer import __version__
from explorer.store.files import dump_json, write_atomic

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from explorer.store.history import HistoryRow, HistoryStore
    from explorer.ui.history.writer import HistoryWriter

JSON_FILTER = "StackOne Explorer history (*.json)"
HAR_FILTER = "HAR 1.2, opens in browser devtools (*.har)"


def ask_target(parent: QWidget, what: str) -> tuple[Path, str] | None:
    """Where to save ``what`` ("3 entries") and in which format ("json" or "har"), by the
    filter chosen or the file's ending; ``None`` when the user cancels."""
    # Named here, not at import: the pane (and so the first frame) imports this module, and
    # PySide makes a Qt class's Python type (with its enum classes) where a module names it.
    from PySide6.QtWidgets import QFileDialog

    path, chosen = QFileDialog.getSaveFileName(
        parent,
        f"Save history ({what})",
        str(Path.home() / "stackone-history.json"),
        f"{JSON_FILTER};;{HAR_FILTER}",
    )
    if not path:
        return None
    fmt = "har" if chosen == HAR_FILTER or path.lower().endswith(".har") else "json"
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(f".{fmt}")
    return target, fmt


def save_entries(
    store: HistoryStore, path: Path, entries: list[HistoryRow], *, fmt: str = "json"
) -> None:
    """Write ``entries`` to ``path`` as our JSON format (``"json"``) or HAR 1.2 (``"har"``).

    Raises:
        ExplorerError: an entry could not be read back from the history.
        OSError: the file could not be written.
    """
    from explorer.core import har  # only an export needs it: not imported at start-up

    # Oldest first, as a log reads (and as browser devtools list requests).
    ordered = sorted(entries, key=lambda e: e.started_at)
    exchanges = [store.load(e.id) for e in ordered]
    if fmt == "har":
        document = har.to_har(exchanges, creator_version=__version__)
    elif fmt == "json":
        document = har.history_export(exchanges)
    else:
        raise ValueError(f"unknown history format {fmt!r}")
    write_atomic(path, dump_json(document))


class HistoryExport(QObject):
    """ "Save history…": the action, the question where to, and the write in the background.

    ``entries`` gives what to save and, when that is nothing, why (for the message box).

    Signals:
        message(str): a status-bar text (saving, saved).
        finished(): the write is over (the action may be enabled again).
    """

    message = Signal(str)
    finished = Signal()

    def __init__(
        self,
        store: HistoryStore,
        writer: HistoryWriter,
        entries: Callable[[], tuple[list[HistoryRow], str]],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._store, self._writer, self._entries, self._parent = store, writer, entries, parent
        self.action = QAction("Save history…", parent)
        self.action.setToolTip("Save the selected entries (or all shown) as JSON or as HAR 1.2")
        self.action.triggered.connect(self.save_dialog)

    def save_dialog(self) -> None:
        """Ask where and in which format, then save the entries."""
        from PySide6.QtWidgets import QMessageBox  # when asked (see ``ask_target``)

        entries, why = self._entries()
        if not entries:
            QMessageBox.information(self._parent, "Save history", why)
            return
        what = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        chosen = ask_target(self._parent, what)
        if chosen is None:
            return
        target, fmt = chosen
        self.action.setEnabled(False)
        self.message.emit(f"Saving {what} to {target}…")

        def done(_result: object, error: Exception | None) -> None:
            self.finished.emit()
            if error is not None:
                QMessageBox.warning(
                    self._parent, "Save history", f"Could not save {target}:\n{error}"
                )
            else:
                self.message.emit(f"Saved {what} to {target}")

        self._writer.run(partial(save_entries, self._store, target, entries, fmt=fmt), done)
