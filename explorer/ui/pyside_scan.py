"""Spare PySide the reading of every app module's source at import.

PySide6 replaces ``__import__`` to support ``from __feature__ import snake_case``: after each
import it reads the new module's whole source (``inspect.getsource``) to see whether it
mentions PySide6, and notes the answer in a table. The app uses no feature, so the answer
changes nothing for it, but reading ~150 sources costs ~15-25 ms of start-up. The app's
module names are put in that table first (what the scan would find for a module that uses
PySide6: no feature), and so are the standard library's top-level modules (what it finds for
them: not using PySide), so PySide skips them. A module that does import a feature still gets
it: that import notes the module again, over this.

The table is PySide's own (``shibokensupport.feature.pyside_feature_dict``, checked with
6.11): if a PySide release renames or drops it, nothing is noted and PySide scans as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _module_names(package: Path, prefix: str) -> list[str]:
    names = []
    with os.scandir(package) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                names += _module_names(Path(entry.path), f"{prefix}.{entry.name}")
            elif entry.name.endswith(".py"):
                stem = entry.name[:-3]
                names.append(prefix if stem == "__init__" else f"{prefix}.{stem}")
    return names


def skip_source_scan() -> int:
    """Note every module of the ``explorer`` package (on disk) and the standard library's
    top-level modules as scanned; returns how many were noted (0 when PySide has no such
    table; the app's modules are left out when they are not files: a bundle, where PySide
    finds no source to read anyway)."""
    feature = sys.modules.get("shibokensupport.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    root = Path(__file__).resolve().parent.parent
    names = _module_names(root, "explorer") if (root / "__init__.py").is_file() else []
    noted = 0
    for name in names:
        if name not in table:
            table[name] = 0  # "uses PySide, no feature": what the scan finds for a window module
            noted += 1
    # The standard library's top-level modules imported later (datetime, uuid, sqlite3...):
    # "does not use PySide", what the scan finds for them.
    for name in sys.stdlib_module_names:
        if name not in table:
            table[name] = -1
            noted += 1
    return noted
