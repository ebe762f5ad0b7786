"""The window's first frame is painted by the UI thread alone.

Qt's raster engine hands every fill taller than ~96 lines to a thread pool of its own and
waits for it; the pool is made, and its threads started, on the first such fill: the
window's first paint. On a busy two-core machine starting and waking those threads cost
the first frame ~4 ms (the usable window later by as much), for fills the UI thread does in
less. The app turns that pool off (``explorer.ui.app.SERIAL_FILLS``); the pixels are Qt's
same. Times are measured in ``benchmarks/startup.py``, never here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.mainwindow.test_start_up import _saved_home, run_the_app

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="counts the process's threads in /proc"
)


def test_the_first_frame_starts_no_thread(tmp_path: Path) -> None:
    """The real entry point over a saved home: the threads the process has as the window
    starts its first paint, and once the paint is done (the event loop's next turn, before
    anything the window leaves for later starts a thread of its own)."""
    _saved_home(tmp_path)
    hook = (
        "import os\n"
        "from explorer.ui.mainwindow.window import MainWindow\n"
        "painted = MainWindow._first_painted\n"
        "def threads():\n"
        "    return len(os.listdir('/proc/self/task'))\n"
        "def after(before):\n"
        "    print(threads() - before, flush=True)\n"
        "    QApplication.instance().quit()\n"
        "def first_painted(window):\n"
        "    if not seen:\n"
        "        seen.append(window)\n"
        "        before = threads()\n"
        "        QTimer.singleShot(0, lambda: after(before))\n"
        "    painted(window)\n"
        "MainWindow._first_painted = first_painted\n"
    )
    lines = run_the_app(tmp_path, setup=hook)
    assert lines == ["0", "0 True"], lines
