"""Answer the modal dialogs code under test opens, with keys, and remember what they were.

A modal dialog runs its own event loop inside ``exec()``, so a test cannot press its keys
after the call that opened it. ``Modals`` polls for the active modal widget from a timer (which
runs inside that loop), records it and answers it as a person would: Enter (the dialog's
default button) or Esc. Nothing is faked: the real ``QMessageBox``/``QDialog`` runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox, QWidget

POLL_MS = 20
# Polls a shown modal dialog is given to become the active window before it is answered.
ACTIVE_POLLS = 100


@dataclass
class Seen:
    """One modal dialog as it first appeared."""

    kind: str  # the class name: "QMessageBox", "SaveRequestDialog"...
    title: str
    text: str  # a message box's text; "" for other dialogs
    default: str  # the default button's text ("&No"), "" when there is none
    widget: QWidget = field(repr=False, compare=False)


def press(key: Qt.Key) -> Callable[[QWidget], None]:
    """An answer: press ``key`` on the dialog (Enter clicks its default button)."""

    def answer(widget: QWidget) -> None:
        QTest.keyClick(widget, key)

    return answer


def describe(widget: QWidget) -> Seen:
    if isinstance(widget, QMessageBox):
        default = widget.defaultButton()
        return Seen(
            type(widget).__name__,
            widget.windowTitle(),
            widget.text(),
            default.text() if default is not None else "",
            widget,
        )
    return Seen(type(widget).__name__, widget.windowTitle(), "", "", widget)


def _close(widget: QWidget) -> None:
    if shiboken6.isValid(widget) and isinstance(widget, QDialog) and widget.isVisible():
        widget.reject()


def click(button: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
    """An answer: click a message box's ``button`` (e.g. Discard), as with the mouse."""

    def answer(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox), f"not a message box: {widget!r}"
        found = widget.button(button)
        assert found is not None, f"the question has no {button!r} button"
        QTest.mouseClick(found, Qt.MouseButton.LeftButton)

    return answer


def choose_from_popup(text: str) -> None:
    """Once a context menu pops up: the arrow keys to the item ``text``, then Enter."""

    def act() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(POLL_MS, act)
            return
        [action] = [a for a in menu.actions() if a.text() == text]
        assert action.isEnabled(), f"{text!r} is disabled"
        while menu.activeAction() is not action:
            QTest.keyClick(menu, Qt.Key.Key_Up)
        QTest.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(POLL_MS, act)


ENTER = press(Qt.Key.Key_Return)


@contextmanager
def answering(answer: Callable[[QWidget], None] = ENTER) -> Iterator[list[Seen]]:
    """While inside, every modal dialog that opens is recorded, then answered with ``answer``.

    Yields the list of ``Seen`` dialogs, filled as they appear.
    """
    seen: list[Seen] = []
    already = QApplication.activeModalWidget()  # e.g. a modal dialog under test: not an answer
    handled: list[QWidget] = [already] if already is not None else []
    timer = QTimer()
    timer.setInterval(POLL_MS)
    waited: list[tuple[QWidget, int]] = []  # a dialog shown but not active yet, polls waited

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or any(widget is w for w in handled) or not widget.isVisible():
            return
        # A person answers a dialog once it has come up in front (is the active window):
        # before that, on a loaded machine, Enter may not reach its default button yet.
        # Answered anyway after ``ACTIVE_POLLS``, as before, where a platform never says so.
        polls = next((n for w, n in waited if w is widget), 0)
        if not widget.isActiveWindow() and polls < ACTIVE_POLLS:
            waited[:] = [(w, n) for w, n in waited if w is not widget] + [(widget, polls + 1)]
            return
        handled.append(widget)
        seen.append(describe(widget))
        try:
            answer(widget)
        finally:
            # An answer that did not close it (e.g. Enter on a disabled default, or one that
            # failed an assertion): close it, so a failing test fails instead of hanging.
            QTimer.singleShot(POLL_MS * 5, lambda: _close(widget))

    timer.timeout.connect(poll)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()
