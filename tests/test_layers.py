"""The layering rule: ``core``, ``store``, ``demo`` and ``run`` work without Qt.

They are used by the command-line runner, the demo server and the tests without a display; a
Qt import sneaking in would make them slow to start and impossible to use headless. The check
runs in a fresh interpreter, because this test process may already have loaded PySide6.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PURE_PACKAGES = ("explorer.core", "explorer.store", "explorer.demo", "explorer.run")

PROBE = f"""
import importlib, json, pkgutil, sys
imported = []
for name in {PURE_PACKAGES!r}:
    package = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        if info.name.endswith(".__main__"):
            continue  # an entry point: importing it would run it
        importlib.import_module(info.name)
        imported.append(info.name)
qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith(("PySide6.", "shiboken6")))
ui = sorted(m for m in sys.modules if m.startswith("explorer.ui"))
print(json.dumps({{"imported": imported, "qt": qt, "ui": ui}}))
"""


def test_core_store_and_demo_import_without_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "explorer.core.request" in report["imported"]
    assert "explorer.core.curl" in report["imported"]
    assert report["qt"] == [], f"Qt was imported by a pure layer: {report['qt']}"
    assert report["ui"] == [], f"a pure layer imports the UI: {report['ui']}"
