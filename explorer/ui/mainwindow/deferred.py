"""Work the window's first paint does not show, done once the window is on screen.

A returning user wants the window, the request they were editing and their history; the
trace, account-run and pages tools, the demo's action names for the completer and the
profile's account listing can come a moment later. Each part is queued here and run after
the first paint, with a short pause first (a key pressed as the window appears is handled
before any of it) and then one part per event-loop turn, so a key press waits for one part
at most. Nothing queued here changes what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

# Long enough for the first key presses after the window appears, short enough that a tool
# opened by its shortcut right away finds its part built (it is built on demand otherwise).
PAUSE_MS = 250


class AfterFirstPaint(QObject):
    """A queue of callables run after ``start()`` (the window's first paint), in order.

    A child of the window: if the window goes, so does the queue, and nothing else runs.
    """

    def __init__(self, parent: QObject, pause_ms: int = PAUSE_MS) -> None:
        super().__init__(parent)
        self._parts: list[Callable[[], object]] = []
        self._pause_ms = pause_ms
        self._started = False
        self._scheduled = False

    def add(self, part: Callable[[], object]) -> None:
        """Run ``part`` after the first paint (soon, if the window has painted already)."""
        self._parts.append(part)
        if self._started:
            self._schedule(0)

    def start(self) -> None:
        """The window has painted: the queue runs after the pause."""
        if not self._started:
            self._started = True
            self._schedule(self._pause_ms)

    def cancel(self) -> None:
        """Run nothing more (the window is closing)."""
        self._parts.clear()

    def _schedule(self, ms: int) -> None:
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(ms, self, self._next)

    def _next(self) -> None:
        self._scheduled = False
        if self._parts:
            self._parts.pop(0)()
        if self._parts:
            self._schedule(0)
