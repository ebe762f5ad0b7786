"""PySide's import hook and the app's way around it (``explorer.ui.pyside_scan``).

The real entry point's use is checked in ``tests/ui/mainwindow/test_start_up.py``; here the
block itself: what it puts in place (only while no other thread could import through the
swap), that the hook always comes back, and that it leaves alone an import someone else
installed.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from explorer.ui.pyside_scan import PlainImports

ROOT = Path(__file__).resolve().parents[2]
# A fresh process, as the entry point has it: PySide's hook installed and one thread.
ALONE = """
import builtins, sys, threading
import PySide6.QtCore
from explorer.ui.pyside_scan import PlainImports
hook = builtins.__import__
assert hook is builtins.__dict__["__feature_import__"], hook
with PlainImports():
    assert builtins.__import__ is builtins.__dict__["__orig_import__"]
    import json.decoder  # an import still imports
    assert json.decoder.JSONDecoder is not None
    import explorer.ui.app  # the window's modules, as the entry point imports them
    assert threading.active_count() == 1 and len(sys._current_frames()) == 1, "a thread started"
assert builtins.__import__ is hook
print("ok")
"""


def test_inside_the_block_imports_skip_the_feature_hook_and_it_is_back_after() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.run(
        [sys.executable, "-c", ALONE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert process.stdout.split() == ["ok"], process.stderr[-3000:]


def test_with_another_thread_alive_the_hook_stays_for_every_thread() -> None:
    before = builtins.__import__
    hook = builtins.__dict__["__feature_import__"]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, name="another-importer")  # could import
    other.start()
    try:
        builtins.__import__ = hook
        with PlainImports():
            assert builtins.__import__ is hook  # not swapped under the other thread
            import json.decoder

            assert json.decoder.JSONDecoder is not None
        assert builtins.__import__ is hook
    finally:
        builtins.__import__ = before
        stop.set()
        other.join()


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
