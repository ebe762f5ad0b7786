"""Saving history entries to a file: our JSON export, or HAR 1.2 for browser devtools."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from explorer import __version__
from explorer.store.files import dump_json, write_atomic

if TYPE_CHECKING:
    from explorer.store.history import HistoryRow, HistoryStore

JSON_FILTER = "StackOne Explorer history (*.json)"
HAR_FILTER = "HAR 1.2, opens in browser devtools (*.har)"


def ask_target(parent: QWidget, what: str) -> tuple[Path, str] | None:
    """Where to save ``what`` ("3 entries") and in which format ("json" or "har"), by the
    filter chosen or the file's ending; ``None`` when the user cancels."""
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
