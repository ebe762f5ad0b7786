"""Work that should wait until the window has painted what the user is waiting for.

Qt posts a widget's repaint (``UpdateRequest``) at low priority; a zero-length timer or a
queued call runs before it, so "later" work scheduled that way still delays the paint. An
event posted here at the same low priority after the change is delivered after that
repaint, in the same turn of the event loop: the user sees the change first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt

_AFTER_PAINT = QEvent.Type(QEvent.registerEventType())


class AfterPaint(QObject):
    """Runs functions after the repaints already asked for (in the order given)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: list[Callable[[], None]] = []

    def call(self, function: Callable[[], None]) -> None:
        """Run ``function`` once the window has painted what changed so far."""
        self._waiting.append(function)
        if len(self._waiting) == 1:
            QCoreApplication.postEvent(
                self, QEvent(_AFTER_PAINT), Qt.EventPriority.LowEventPriority.value
            )

    def flush(self) -> None:
        """Run what is waiting now (e.g. before closing, when no paint will come)."""
        waiting, self._waiting = self._waiting, []
        for function in waiting:
            function()

    def customEvent(self, event: QEvent) -> None:
        if event.type() != _AFTER_PAINT:
            super().customEvent(event)
            return
        self.flush()
