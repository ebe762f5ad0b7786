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

Once they are noted, the hook has nothing left to do for the app's modules, yet it still
runs for every import statement they execute (two Python calls: ~1 µs more each time, ~1,600
times before the window's first paint). ``PlainImports`` imports the window's modules with
the import the hook itself falls back to, which PySide keeps as ``builtins.__orig_import__``
(its documented place; in 6.11 PySide's lazy import of its own modules, which calls the
interpreter's), and puts the hook back after.
"""

from __future__ import annotations

# As few imports as can be: this module is imported through PySide's hook before it can note
# anything, and the hook reads the source of each module it meets for the first time
# (``pathlib``'s, which this module used, ~0.25 ms; a built-in module's read fails at once).
import _thread
import builtins
import os
import sys


def _module_names(package: str, prefix: str) -> list[str]:
    names = []
    with os.scandir(package) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                names += _module_names(entry.path, f"{prefix}.{entry.name}")
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
    root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    names = _module_names(root, "explorer") if os.path.isfile(f"{root}/__init__.py") else []
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


class PlainImports:
    """A ``with`` block importing with ``builtins.__orig_import__``, skipping PySide's feature
    hook in front of it; the hook is put back after (unless something else replaced the
    import meanwhile).

    Only for the app's modules once ``skip_source_scan`` has noted them (none imports a
    ``__feature__``). Nothing changes when PySide's hook is not the installed import (an
    older PySide, another hook): the block runs as it would have. A class, not a
    ``contextlib`` generator: see the imports above.

    ``builtins.__import__`` is the whole process's: it is swapped only while this is the one
    thread (at the entry point, before the app starts any), so no other thread's import
    meets the swap, nor puts its own import in between. With another thread alive (a test
    run's leftovers) the block imports through the hook, as before. Nothing the window's
    modules run at import starts a thread (``test_pyside_scan.py`` checks it).
    """

    def __init__(self) -> None:
        self._hook = builtins.__dict__.get("__feature_import__")
        self._own = builtins.__dict__.get("__orig_import__")
        self._swapped = False

    def __enter__(self) -> None:
        hooked = self._hook is not None and builtins.__import__ is self._hook
        if hooked and self._own is not None and _only_thread():
            builtins.__import__ = self._own
            self._swapped = True

    def __exit__(self, *error: object) -> None:
        hook = self._hook
        if self._swapped and hook is not None and builtins.__import__ is self._own:
            builtins.__import__ = hook
        self._swapped = False


def _only_thread() -> bool:
    """No other thread can import: none started from Python is alive, and none other (a Qt
    pool's) is running Python."""
    return _thread._count() == 0 and len(sys._current_frames()) == 1
