"""Notices shown above a pane instead of a modal dialog: the window's banner, tinted labels.

A problem the user must know about but that must not stop them (a damaged settings file, a
missing API key, a file that could not be loaded) is shown in place: a modal dialog would
block keyboard flow and tests.

Each is tinted by a style sheet given as it is first shown: both start hidden, and a style
sheet on any widget of the window's first frame costs its start-up ~3-6 ms (Qt's style-sheet
style is set up, and every widget under the tinted one is styled through it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from explorer.ui.accessibility import announce

# "r, g, b" tints: amber for notices, red for what could not be done or loaded.
NOTICE_RGB = "191, 135, 0"
PROBLEM_RGB = "207, 34, 46"


class Banner(QFrame):
    """A non-blocking notice above the panes, with an optional action button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.setAccessibleName("Suggested action")  # until a message names it
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleDescription("Hide this notice")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self._callback: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.hide()

    def show_message(
        self, text: str, action: str | None = None, callback: Callable[[], None] | None = None
    ) -> None:
        self.label.setText(text)
        self._callback = callback
        self.action_button.setVisible(bool(action and callback))
        self.action_button.setText(action or "")
        self.action_button.setAccessibleName((action or "Suggested action").rstrip("…"))
        self.action_button.setAccessibleDescription(text)
        self.show()
        announce(self, text, assertive=True)

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def setVisible(self, visible: bool) -> None:
        if visible and not self.styleSheet():
            self.setStyleSheet(
                f"#banner {{ background: rgba({NOTICE_RGB}, 0.16); border: 1px solid "
                f"rgba({NOTICE_RGB}, 0.6); border-radius: 4px; }}"
            )
        super().setVisible(visible)

    def _run_action(self) -> None:
        callback = self._callback
        self.hide()
        if callback is not None:
            callback()


class TintedLabel(QLabel):
    """A selectable, word-wrapped message box tinted with ``rgb`` ("r, g, b") once shown."""

    def __init__(self, rgb: str = NOTICE_RGB, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._style = (
            f"QLabel {{ background: rgba({rgb}, 0.14); border: 1px solid rgba({rgb}, 0.55); "
            "border-radius: 4px; padding: 6px; }"
        )
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def setVisible(self, visible: bool) -> None:
        if visible and not self.styleSheet():
            self.setStyleSheet(self._style)
        super().setVisible(visible)


def tinted_label(rgb: str = NOTICE_RGB) -> QLabel:
    """A hidden, selectable, word-wrapped message box tinted with ``rgb`` ("r, g, b")."""
    label = TintedLabel(rgb)
    label.hide()
    return label
