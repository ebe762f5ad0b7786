"""What the window does on a pool thread after its first paint never touches PySide.

PySide6 makes most of its Python types when first used, and doing that on two threads at once
crashes the process (SIGSEGV; see ``explorer/ui/import_plan.py``). The after-paint
queue imports features' modules on a pool thread while the UI thread runs; a module importing
a Qt class (or defining a Qt subclass) executed there was the crash seen at start-up.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from tests.ui.mainwindow.test_start_up import _saved_home, run_the_app

ROOT = Path(__file__).resolve().parents[3]

# In the app's process: every module executed, on which thread.
RECORD_THREADS = """
import json, sys, threading

class Recorder:
    def find_spec(self, fullname, path, target=None):
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = spec.loader if spec is not None else None
        if loader is not None and hasattr(loader, "exec_module"):
            run_module = loader.exec_module
            def exec_module(module):
                if threading.current_thread() is not threading.main_thread():
                    off_main.append(fullname)
                run_module(module)
            loader.exec_module = exec_module
        return spec

off_main = []
sys.meta_path.insert(0, Recorder())
"""

# Once the window's after-paint queue has run every part: what was imported off the UI thread.
WHEN_QUEUE_DONE = """
window = next((w for w in app.topLevelWidgets() if hasattr(w, "after_first_paint")), None)
queue = getattr(window, "after_first_paint", None)
done = queue is not None and queue._started and not queue._parts and queue._preparing is None
if done and "traces" in vars(window.support) and len(seen) > 10:
    print(json.dumps(off_main), flush=True)
    app.quit()
else:
    seen.append(1)
    QTimer.singleShot(50, look)
"""


def _touches_pyside(module: str) -> bool:
    """Whether executing ``module`` reads PySide's classes: PySide's own, or an app module
    importing from PySide6 or from the window's modules (Qt classes, Qt subclasses)."""
    if module.split(".")[0] in ("PySide6", "shiboken6"):
        return True
    base = ROOT.joinpath(*module.split("."))
    paths = [p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()]
    if not module.startswith("explorer.") or not paths:
        return False
    tree = ast.parse(paths[0].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
            return True
        if any(n.startswith("explorer.ui") for n in names):
            return True
    return False


def test_the_after_paint_pool_thread_imports_no_module_that_touches_pyside(
    tmp_path: Path,
) -> None:
    """The real entry point over a saved home (history, a collection, the request being
    edited), run until the after-paint queue has built everything: every module a thread
    other than the UI's executed uses no PySide class."""
    _saved_home(tmp_path)
    lines = run_the_app(tmp_path, WHEN_QUEUE_DONE, setup=RECORD_THREADS)
    assert lines[-1] == "0 True"
    off_main = json.loads(lines[-2])
    assert off_main  # the queue did import on its thread (else this proves nothing)
    assert [m for m in off_main if _touches_pyside(m)] == []
