"""Screen reader and keyboard in the analysis windows: the Defender check, the share-a-case
dialog and the compare window name every interactive object, and Tab walks each without a trap.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.accessible_tree import unnamed
from tests.ui.driving import send
from tests.ui.keyboard import cycle_problems

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WAIT_MS = 120_000
NOTES = RpcRequest(action="bamboohr_list_employee_notes", account_id="acct_bamboohr_demo")


def walk(qtbot: QtBot, top: QWidget) -> list[str]:
    """Name-check ``top`` and walk it with Tab from its first control."""
    top.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is top)
    top.focusNextChild()
    return unnamed(top) + cycle_problems(qtbot, top)


def test_the_analysis_windows_are_named_and_walked_with_tab(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    first = send(qtbot, window, NOTES)
    second = send(qtbot, window, NOTES.copy(account_id="acct_bamboohr_globex"))
    analysis = window.analysis

    check = analysis.check_shown()
    assert check is not None
    qtbot.waitUntil(lambda: check.verdict is not None, timeout=WAIT_MS)
    assert walk(qtbot, check) == []
    check.close()

    compare = window.compare(first, second)
    qtbot.waitUntil(lambda: compare.comparison is not None, timeout=WAIT_MS)
    assert walk(qtbot, compare) == []
    compare.close()

    dialog = analysis.share_shown()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=WAIT_MS)
    assert walk(qtbot, dialog) == []
    dialog.reject()
