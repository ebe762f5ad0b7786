"""Quitting while the window's threads still work: the app ends at once, cleanly.

A 10 MB history entry is read back and formatted on the window's threads for a second or
more. A user who clicks it and quits right away (Ctrl+Q) must get their shell back at once,
with no crash and no thread killed half-way while Python shuts down. Each run is the real app
(``python -m explorer``) in a process of its own, so a hang fails the test instead of
hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths
from tests.big_bodies import big_body

pytestmark = [pytest.mark.gui, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
# Far above a clean exit (a second or two), far below "the user gave up and killed it".
EXIT_TIMEOUT_S = 60

# Clicks the history's only row (the 10 MB entry) once the window is up, then presses Ctrl+Q
# after ``delay`` ms: 0 quits while the entry is read, later ones while it is formatted.
DRIVER = """
import sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from explorer.__main__ import main
from explorer.ui.mainwindow.window import MainWindow

home, delay = sys.argv[1], int(sys.argv[2])
app = QApplication(sys.argv[:1])

def window():
    return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))

def click_entry():
    view = window().history_pane.view
    rect = view.visualRect(view.model().index(0, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    print("clicked", flush=True)
    QTimer.singleShot(delay, quit_)

def quit_():
    QTest.keyClick(window(), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

QTimer.singleShot(1500, click_entry)
sys.exit(main(["--home", home]))
"""


@pytest.fixture
def home_with_a_big_entry(tmp_path: Path) -> Path:
    home = AppPaths(tmp_path / "home").ensure()
    store = HistoryStore(home.history_dir)
    request = RpcRequest(action="hris_list_employees", account_id="acc_1")
    response = read_response(
        200, [("content-type", "application/json")], big_body(), timing=Timing(total_ms=5.0)
    )
    store.add(Exchange(request=request, response=response))
    store.close()
    return home.home


@pytest.mark.parametrize("delay_ms", [0, 300, 1200])
def test_quitting_while_a_big_entry_is_read_and_formatted_exits_at_once(
    home_with_a_big_entry: Path, delay_ms: int
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-X", "faulthandler", "-c", DRIVER]
    done = subprocess.run(
        [*command, str(home_with_a_big_entry), str(delay_ms)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=EXIT_TIMEOUT_S,
    )
    assert "clicked" in done.stdout, done.stderr[-3000:]
    assert done.returncode == 0, done.stderr[-3000:]
    # A pool thread still running Python when the interpreter ends is killed mid-work: Qt
    # reports it as an exception from a worker thread (and, now and then, the app crashes).
    assert "worker thread" not in done.stderr, done.stderr[-3000:]
    assert "Fatal Python error" not in done.stderr, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
