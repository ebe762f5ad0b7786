"""STYLE §10: every QObject with signals says what they carry in a ``Signals:`` section.

A signal is an API between threads and widgets; its arguments are only discoverable from the
docstring, so an undocumented one is a bug for the next reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import explorer.ui

UI_DIR = Path(explorer.ui.__file__).resolve().parent


def _undocumented() -> list[str]:
    found: list[str] = []
    for path in sorted(UI_DIR.rglob("*.py")):  # feature folders too
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
            doc = ast.get_docstring(node) or ""
            section = doc.split("Signals:", 1)[1] if "Signals:" in doc else ""
            missing = [name for name in signals if f"{name}(" not in section]
            if missing:
                found.append(f"{path.name}:{node.lineno} {node.name}: {', '.join(missing)}")
    return found


def test_every_signal_is_documented() -> None:
    assert _undocumented() == []
