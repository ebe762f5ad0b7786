"""Importing a feature's modules after the first paint, with no pool thread touching PySide.

PySide6 (since 6.7) creates most of its Python types lazily, when their module's attribute is
first read (``from PySide6.QtWidgets import QTreeView`` the first time, a QObject subclass's
class statement, an event of a new kind reaching a Python event filter). That creation is not
safe against another thread doing the same: it runs Python code midway (the type's enums), the
other thread gets the GIL and enters shiboken's table of types not yet created, and the process
dies with SIGSEGV (seen in the start-up benchmark: a pool thread importing the collections pane
while the window handled events; two threads reading PySide6.QtWidgets' classes in turn crash
one run in two with PySide6 6.11).

So a feature's modules are imported in two steps. On a pool thread, ``import_plain`` imports
what the feature's UI modules import that never touches PySide (``explorer.core``, ``store``,
``run``, third-party libraries, the standard library). The
UI modules are found by reading their import statements (``ast``: nothing of them runs on
the thread). Then the UI thread imports the UI modules themselves, each running only its own
body (``AfterFirstPaint.add_imports``: one per event-loop turn).
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterable

# Modules whose import runs PySide: the window's own, PySide's and shiboken's.
_QT_ROOTS = ("explorer.ui", "PySide6", "shiboken6")


def _touches_qt(name: str) -> bool:
    return any(name == root or name.startswith(f"{root}.") for root in _QT_ROOTS)


_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # explorer/


def _source_of(name: str) -> str | None:
    """The path of the app module ``name`` (a file or a package's ``__init__``), or None."""
    base = os.path.join(_PACKAGE, *name.split(".")[1:])
    for path in (f"{base}.py", os.path.join(base, "__init__.py")):
        if os.path.isfile(path):
            return path
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_at_import(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """``(module, names from it)`` for each import statement a module runs when imported:
    at its top level, in ``try``/``if`` blocks, not under ``if TYPE_CHECKING`` nor in a
    function or class (those run later, or never)."""
    found: list[tuple[str, list[str]]] = []
    statements: list[ast.stmt] = list(tree.body)
    while statements:
        node = statements.pop(0)
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.If):
            statements += node.orelse if _is_type_checking(node.test) else node.body + node.orelse
        elif isinstance(node, ast.Try):
            statements += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                statements += handler.body
    return found


class ImportPlan:
    """Which modules importing ``modules`` (app UI modules) would import, not yet imported:
    ``plain`` (safe on any thread) as ``(module, from-list)``, and ``ui`` (PySide touching,
    for the UI thread) in the order their imports need them (what a module imports first)."""

    def __init__(self, modules: Iterable[str]) -> None:
        self.plain: list[tuple[str, list[str]]] = []
        self.ui: list[str] = []
        self._seen: set[str] = set()
        for name in modules:
            self._visit(name)

    def _visit(self, name: str) -> None:
        if name in self._seen or name in sys.modules:
            return
        self._seen.add(name)
        parent = name.rpartition(".")[0]
        if parent.startswith("explorer.ui"):
            self._visit(parent)  # a package's __init__ runs before its module
        path = _source_of(name)
        if path is None:
            return
        with open(path, encoding="utf-8") as file:
            tree = ast.parse(file.read(), path)
        for module, names in _imports_at_import(tree):
            if not _touches_qt(module):
                if module not in sys.modules or names:
                    self.plain.append((module, names))
                continue
            if not module.startswith("explorer.ui"):
                continue  # PySide itself: imported at start, its types made on use
            self._visit(module)
            for sub in names:  # ``from explorer.ui.x import y``: y may be a module
                if _source_of(f"{module}.{sub}") is not None:
                    self._visit(f"{module}.{sub}")
        self.ui.append(name)


def import_plain(modules: Iterable[str]) -> list[str]:
    """On a pool thread: import what ``modules`` need that does not touch PySide; returns the
    UI modules still to import on the UI thread, in order."""
    plan = ImportPlan(modules)
    for module, names in plan.plain:
        try:
            __import__(module, fromlist=names)
        except ImportError:
            continue  # optional (``try: import jq``): the UI module's own import decides
    return plan.ui
