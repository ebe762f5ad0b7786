"""Answering the production guard's question in window tests, with a click as a user would."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox
from pytestqt.qtbot import QtBot

from explorer.ui.main_window import MainWindow

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
    return asked
