"""The dialog a curl command is pasted into (Ctrl+I, the collections pane's "New request from
curl…"); ``curl_import.ask_curl_command`` opens it.

A module of its own, imported when first opened: the window imports ``curl_import`` before its
first paint, and PySide makes a Qt class's Python type (with all its enum classes:
``QDialog``, ``QDialogButtonBox``) where a module first names it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class CurlDialog(QDialog):
    """Paste a curl command; the caller does the parsing."""

    def __init__(self, title: str = "Import curl", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)  # a pasted command keeps its tabs; Tab moves on
        self.edit.setPlaceholderText(
            'curl -X POST https://api.stackone.com/actions/rpc -u "$STACKONE_API_KEY:" '
            "-H 'x-account-id: ...' --data-raw '{\"action\": \"...\"}'"
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        label = QLabel("&Paste a curl command for POST /actions/rpc:")
        label.setBuddy(self.edit)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.resize(640, 320)
