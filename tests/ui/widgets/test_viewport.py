"""A scroll area's viewport, reached without PySide creating a whole module's enum classes.

The first ``viewport()`` call of a process made PySide load every lazily registered QtWidgets
type (their enum classes, ~5-9 ms) in the window's construction; ``widgets.viewport`` reaches
the same widget by name. Counted in a process of its own: in the test process those types
are long loaded. Times are measured in ``benchmarks/startup.py``, never here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from PySide6.QtWidgets import QPlainTextEdit, QTableView
from pytestqt.qtbot import QtBot

from explorer.ui.widgets.viewport import viewport


def test_the_viewport_found_is_the_one_qt_paints_in(qtbot: QtBot) -> None:
    for area in (QPlainTextEdit(), QTableView()):
        qtbot.addWidget(area)
        assert viewport(area) is area.viewport()


def test_reaching_a_viewport_creates_no_enum_classes() -> None:
    code = textwrap.dedent(
        """
        import enum, sys
        from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTableView
        from explorer.ui.widgets.viewport import viewport

        app = QApplication(sys.argv[:1])
        areas = [QPlainTextEdit(), QTableView()]
        made = []
        create = enum.EnumType.__new__

        def counted(*args, **kwargs):
            made.append(args[1])
            return create(*args, **kwargs)

        enum.EnumType.__new__ = counted
        for area in areas:
            viewport(area).update()
            area.viewport().update()  # the wrapper is found again
        print(made)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "[]"
