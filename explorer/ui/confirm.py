"""Questions before something is destroyed: one place decides how they are asked.

The explorer acts on customers' accounts and keeps keys and history the user cannot get back,
so a destructive question defaults to No: a reflexive Enter (or a second one, pressed while the
question opened) keeps everything as it was.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_destructive(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask Yes/No with No as the default; ``True`` only when the user chose Yes."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
