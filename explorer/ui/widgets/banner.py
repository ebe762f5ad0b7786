"""Notices shown above a pane instead of a modal dialog: the window's banner, tinted labels.

A problem the user must know about but that must not stop them (a damaged settings file, a
missing API key, a file that could not be loaded) is shown in place: a modal dialog would
block keyboard flow and tests.
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
        self.setStyleSheet(
            f"#banner {{ background: rgba({NOTICE_RGB}, 0.16); border: 1px solid "
            f"rgba({NOTICE_RGB}, 0.6); border-radius: 4px; }}"
        )
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

    def _run_action(self) -> None:
        callback = self._callback
        self.hide()
        if callback is not None:
            callback()


def tinted_label(rgb: str = NOTICE_RGB) -> QLabel:
    """A hidden, selectable, word-wrapped message box tinted with ``rgb`` ("r, g, b")."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(
        f"QLabel {{ background: rgba({rgb}, 0.14); border: 1px solid rgba({rgb}, 0.55); "
        "border-radius: 4px; padding: 6px; }"
    )
    label.hide()
    return label
