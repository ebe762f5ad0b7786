"""A window over work in progress (a run, a batch, a walk of pages): closing it stops the work.

Esc and the window's close button cancel the work while it runs rather than hide it going on
unseen; once it has ended they close as usual.
"""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog


class WorkDialog(QDialog):
    """A dialog whose ``running`` work ``cancel()`` stops; Esc and closing cancel it first.

    Subclasses set ``running`` while the work goes and implement ``cancel()``.
    """

    running = False

    def cancel(self) -> None:
        raise NotImplementedError

    def esc_cancels(self) -> bool:
        """Whether Esc cancels the work now instead of closing; after this, it closes."""
        return self.running

    def reject(self) -> None:
        """Esc: cancel the work in progress first; then close."""
        if self.esc_cancels():
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self.cancel()
        super().closeEvent(event)
