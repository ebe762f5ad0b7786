"""STYLE §10: every QObject with signals says what they carry in a ``Signals:`` section.

A signal is an API between threads and widgets; its arguments are only discoverable from the
docstring, so an undocumented one is a bug for the next reader.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

from PySide6.QtCore import QObject, Signal

import explorer.ui

UI_DIR = Path(explorer.ui.__file__).resolve().parent


def _signal_classes() -> dict[str, tuple[str, list[str]]]:
    """Every class in the ui sources (feature folders too) that declares signals, read from
    the source: ``"module.Class"`` -> (its docstring's ``Signals:`` section, signal names)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(UI_DIR.rglob("*.py")):
        parts = path.relative_to(UI_DIR.parent.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            signals = [
                target.id
                for statement in node.body
                if isinstance(statement, ast.Assign)
                and isinstance(statement.value, ast.Call)
                and getattr(statement.value.func, "id", "") == "Signal"
                for target in statement.targets
                if isinstance(target, ast.Name)
            ]
            if signals:
                doc = ast.get_docstring(node) or ""
                section = doc.split("Signals:", 1)[1] if "Signals:" in doc else ""
                found[f"{module}.{node.name}"] = (section, signals)
    return found


def _loaded_signal_classes() -> set[str]:
    """The same, found by importing every ui module: the classes Qt really gives signals."""
    found: set[str] = set()
    modules = [explorer.ui.__name__] + [
        info.name for info in pkgutil.walk_packages(explorer.ui.__path__, "explorer.ui.")
    ]
    for name in modules:
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or not issubclass(cls, QObject):
                continue
            if any(isinstance(value, Signal) for value in vars(cls).values()):
                found.add(f"{name}.{cls_name}")
    return found


def test_every_signal_is_documented() -> None:
    undocumented = [
        f"{where}: {', '.join(name for name in signals if f'{name}(' not in section)}"
        for where, (section, signals) in _signal_classes().items()
        if any(f"{name}(" not in section for name in signals)
    ]
    assert undocumented == []


def test_the_check_reads_every_qobject_with_signals() -> None:
    """Moving a module into a feature folder (or a new way of declaring signals) must not
    take its classes out of the check above without anyone noticing."""
    read = set(_signal_classes())
    loaded = _loaded_signal_classes()
    assert read == loaded
    # Feature folders included: the window's parts live in them, not only at the top.
    folders = {name.split(".")[2] for name in read}
    assert {"request", "response", "history", "collections", "discovery"} <= folders
