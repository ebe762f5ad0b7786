"""PySide's import hook and the app's way around it (``explorer.ui.pyside_scan``).

The real entry point's use is checked in ``tests/ui/mainwindow/test_start_up.py``; here the
block itself: what it puts in place, that the hook always comes back, and that it leaves
alone an import someone else installed.
"""

from __future__ import annotations

import builtins
from types import ModuleType
from typing import Any

import pytest

from explorer.ui.pyside_scan import PlainImports


def test_inside_the_block_imports_skip_the_feature_hook_and_it_is_back_after() -> None:
    before = builtins.__import__  # other tests in this process may have left another one
    hook = builtins.__dict__["__feature_import__"]  # PySide's, as a fresh start has it
    try:
        builtins.__import__ = hook
        with PlainImports():
            assert builtins.__import__ is builtins.__dict__["__orig_import__"]
            import json.decoder  # an import still imports

            assert json.decoder.JSONDecoder is not None
        assert builtins.__import__ is hook
    finally:
        builtins.__import__ = before


def test_the_hook_comes_back_when_an_import_fails() -> None:
    hook = builtins.__import__
    with pytest.raises(ModuleNotFoundError), PlainImports():
        import explorer.no_such_module  # noqa: F401
    assert builtins.__import__ is hook


def test_an_import_installed_by_someone_else_is_left_as_it_is() -> None:
    hook = builtins.__import__

    def theirs(*args: Any, **kwargs: Any) -> ModuleType:
        return hook(*args, **kwargs)

    try:
        builtins.__import__ = theirs
        with PlainImports():  # not PySide's hook in place: nothing changes
            assert builtins.__import__ is theirs
        assert builtins.__import__ is theirs
        builtins.__import__ = hook
        with PlainImports():
            builtins.__import__ = theirs  # replaced meanwhile: kept
        assert builtins.__import__ is theirs
    finally:
        builtins.__import__ = hook
