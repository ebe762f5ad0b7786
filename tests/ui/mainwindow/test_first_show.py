"""What the window's show and first paint make before the window is usable.

``QTimer.singleShot(ms, receiver, callable)`` makes PySide create ``QMetaMethod``'s Python
type and its enum classes the first time (~0.3 ms); the window's timers from its show to
the work after its first paint are timer objects instead, which make neither.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.mainwindow.test_start_up import _saved_home, run_the_app

pytestmark = pytest.mark.gui


def _at_first_paint(module: str, body: str) -> str:
    """A ``run_the_app`` setup that runs ``body`` (lines, indented 8) once, as the window
    first paints, with ``module`` imported, then quits."""
    return (
        f"import {module}\n"
        "from explorer.ui.mainwindow.window import MainWindow\n"
        "painted = MainWindow._first_painted\n"
        "def first_painted(window):\n"
        "    painted(window)\n"
        "    if not seen:\n"
        "        seen.append(window)\n"
        f"{body}"
        "        QTimer.singleShot(0, QApplication.instance().quit)\n"
        "MainWindow._first_painted = first_painted\n"
    )


def test_the_window_shows_and_paints_without_making_qmetamethod(tmp_path: Path) -> None:
    """The real entry point over a saved home, in a process of its own: once the window has
    painted and queued its work for later (its second stage, the after-paint queue),
    ``QMetaMethod`` has no Python type yet, and the timers are set. (That the queued work
    runs: ``test_once_on_screen_the_window_builds_its_second_stage_without_being_asked`` and
    ``..._its_tools_without_being_asked`` in ``test_start_up.py``.)"""
    _saved_home(tmp_path)
    hook = _at_first_paint(
        "PySide6.QtCore",
        "        made = 'QMetaMethod' in vars(PySide6.QtCore)\n"
        "        timers = [window._second_stage.isActive(), window._backstop.isActive(),\n"
        "                  window.after_first_paint._timer.isActive()]\n"
        "        print(window.editor.action_edit.text(), made, timers, flush=True)\n",
    )
    lines = run_the_app(tmp_path, setup=hook)
    assert lines[0] == "bamboohr_list_employees False [True, True, True]"


def test_the_first_frame_is_painted_without_qiconengine(tmp_path: Path) -> None:
    """``QIcon(pixmap)`` makes PySide create ``QIconEngine``'s type and enum class to choose
    the constructor (~0.3 ms); the icons drawn for the first frame (the action field's
    magnifier) are made without it. The real entry point, at its first paint."""
    _saved_home(tmp_path)
    hook = _at_first_paint(
        "PySide6.QtGui",
        "        made = 'QIconEngine' in vars(PySide6.QtGui)\n"
        "        icons = [a.icon() for a in window.editor.action_edit.actions()\n"
        "                 if a.text() == 'Search actions']\n"
        "        sizes = [s.toTuple() for i in icons for s in i.availableSizes()]\n"
        "        print(made, sizes, flush=True)\n",
    )
    assert run_the_app(tmp_path, setup=hook)[0] == "False [(32, 32)]"  # the magnifier drawn
