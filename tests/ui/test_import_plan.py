"""The after-paint imports' pool-thread part makes no PySide type (explorer/ui/import_plan.py).

PySide6 makes its Python types when first used, and two threads doing so at once crash the
process; the after-paint queue imports the window's later modules on a pool thread while the
UI thread runs. Checked in a fresh process (PySide imported, as at start-up, no type of the
later modules made yet), where every type the imports need is still to be made.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

CODE = textwrap.dedent(
    """
    import json, sys, threading
    import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
    from explorer.ui.import_plan import import_plain
    from explorer.ui.mainwindow.collections_slot import PANE_MODULE
    from explorer.ui.mainwindow.support import TOOL_MODULES
    from explorer.ui.response.view import RESULT_MODULES

    MODULES = (PANE_MODULE, *TOOL_MODULES, *RESULT_MODULES)
    qt = [m for n, m in sys.modules.items() if n.startswith("PySide6.Qt")]

    def qt_types():
        return {f"{m.__name__}.{name}" for m in qt for name in vars(m)}

    def window_modules():
        return {n for n in sys.modules if n.startswith("explorer.ui")}

    types, window = qt_types(), window_modules()
    planned = []
    thread = threading.Thread(target=lambda: planned.extend(import_plain(MODULES)))
    thread.start()
    thread.join()
    made_on_thread = sorted(qt_types() - types)
    window_on_thread = sorted(window_modules() - window)
    for name in planned:  # what the UI thread then imports, one a turn
        __import__(name)
    print(json.dumps({
        "made_on_thread": made_on_thread,
        "window_on_thread": window_on_thread,
        "planned": planned,
        "all_loaded": all(m in sys.modules for m in MODULES),
        "made_after": len(qt_types() - types),
        "plain_loaded": "explorer.store.collections" in sys.modules,
    }))
    """
)


def test_the_plain_part_of_the_later_imports_makes_no_pyside_type_on_its_thread() -> None:
    """On a thread, ``import_plain`` for every module the after-paint queue imports adds no
    class to PySide's modules and imports no window module, yet imports what they need below
    the UI; the window modules it leaves, imported in its order on the main thread, load them
    all (and make the Qt types there)."""
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["made_on_thread"] == []
    assert report["window_on_thread"] == []
    assert report["plain_loaded"]  # the collections' store, below the UI: on the thread
    planned = report["planned"]
    assert planned.index("explorer.ui.collections.model") < planned.index(
        "explorer.ui.collections.pane"
    )  # a module after those it imports
    assert report["all_loaded"]
    assert report["made_after"] > 0  # the Qt types exist: made on the main thread
