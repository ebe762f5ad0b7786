"""The documented error hierarchy at the top of ``core/errors.py`` matches the code.

The docstring is where a reader learns what can go wrong and which class to catch
(STYLE.md section 9); a class missing from it, or shown under the wrong parent, misleads.
The classes are found by reading the source, so the UI's modules need not be imported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import explorer
from explorer.core import errors

PACKAGE = Path(explorer.__file__).parent
TREE_LINE = re.compile(r"^(?P<indent>[ |]*)\+-- (?P<name>\w+)\s*(?P<rest>.*)$")


def explorer_errors() -> dict[str, tuple[str, str]]:
    """``{class name: (direct base, file relative to explorer/)}`` for every ExplorerError."""
    bases: dict[str, tuple[str, str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.bases:
                base = node.bases[0]
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                bases[node.name] = (name, path.relative_to(PACKAGE).as_posix())
    found: dict[str, tuple[str, str]] = {}
    changed = True
    while changed:
        changed = False
        for name, (parent, where) in bases.items():
            if name not in found and (parent == "ExplorerError" or parent in found):
                found[name] = (parent, where)
                changed = True
    return found


def documented() -> dict[str, tuple[str, str]]:
    """``{class name: (parent in the drawn tree, rest of its line)}`` from the docstring."""
    assert errors.__doc__ is not None
    tree: dict[str, tuple[str, str]] = {}
    parents: list[tuple[int, str]] = [(-1, "ExplorerError")]
    for line in errors.__doc__.splitlines():
        match = TREE_LINE.match(line.removeprefix("    "))
        if not match:
            continue
        depth = len(match["indent"])
        while parents[-1][0] >= depth:
            parents.pop()
        tree[match["name"]] = (parents[-1][1], match["rest"])
        parents.append((depth, match["name"]))
    return tree


def test_the_code_has_the_errors_this_test_expects_to_find() -> None:
    # Guards the source scan itself: if it found nothing, the next test would prove nothing.
    found = explorer_errors()
    assert found["StoreFileMissing"] == ("StoreFileError", "store/files.py")
    assert found["TimedOut"] == ("TransportError", "core/errors.py")


def test_every_explorer_error_is_in_the_hierarchy_under_its_parent_with_its_home() -> None:
    tree = documented()
    for name, (base, where) in explorer_errors().items():
        assert name in tree, f"{name} ({where}) is missing from the core/errors.py docstring"
        parent, rest = tree[name]
        assert parent == base, f"{name} is drawn under {parent}, but derives from {base}"
        if where != "core/errors.py":
            assert f"[{where}]" in rest, f"{name}'s line should say where it lives: [{where}]"


def test_the_hierarchy_names_no_class_that_does_not_exist() -> None:
    assert set(documented()) <= set(explorer_errors())
