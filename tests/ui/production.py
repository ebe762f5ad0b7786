"""Answering the production guard's question in window tests, with a click as a user would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from explorer.ui.mainwindow.window import MainWindow

WAIT_MS = 15_000


@dataclass(frozen=True)
class Asked:
    """What the question said (the box itself is deleted once answered)."""

    title: str
    text: str
    details: str
    yes: str
    no: str


def question(qtbot: QtBot, window: MainWindow, timeout: int = WAIT_MS) -> QMessageBox:
    """The guard's question once it is on screen."""
    qtbot.waitUntil(
        lambda: window.guard.question is not None and window.guard.question.isVisible(),
        timeout=timeout,
    )
    box = window.guard.question
    assert box is not None
    return box


def answer(qtbot: QtBot, window: MainWindow, *, yes: bool) -> Asked:
    """Wait for the question and click its "send" (``yes``) or "don't send" button."""
    box = question(qtbot, window)
    yes_button = box.findChild(QAbstractButton, "guardYes")
    no_button = box.findChild(QAbstractButton, "guardNo")
    assert yes_button is not None and no_button is not None
    asked = Asked(
        box.windowTitle(), box.text(), box.informativeText(), yes_button.text(), no_button.text()
    )
    qtbot.mouseClick(yes_button if yes else no_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.guard.question is None, timeout=WAIT_MS)
    # Keys go on to the window (or the run dialog "yes" opened), as they do once a window
    # manager gives the focus back.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is not None, timeout=WAIT_MS)
    return asked


def answer_if_asked(qtbot: QtBot, window: MainWindow, *, sent: Callable[[], bool]) -> bool:
    """After a send, say "send" to the guard's question if it comes (a write to a production
    account, or any account the server cannot describe); ``sent()`` tells that the request
    went without one. Whether it was asked."""

    def settled() -> bool:
        asked = window.guard.question is not None and window.guard.question.isVisible()
        return asked or sent() or window.send_control.in_flight

    qtbot.waitUntil(settled, timeout=WAIT_MS)
    if window.guard.question is None:
        return False
    answer(qtbot, window, yes=True)
    return True
