"""Questions before something is destroyed or lost: one place decides how they are asked.

The explorer acts on customers' accounts and keeps keys and history the user cannot get back,
so a destructive question defaults to No, and a question about unsaved edits defaults to
keeping them: a reflexive Enter (or a second one, pressed while the question opened) keeps
everything as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

# QMessageBox is named where a question is asked: the window imports this module before its
# first paint, and PySide makes a Qt class's Python type (with its enum classes) where a
# module first names it.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_destructive(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask Yes/No with No as the default; ``True`` only when the user chose Yes."""
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def settle_changes(
    parent: QWidget | None,
    title: str,
    text: str,
    keep: Callable[[], bool],
    *,
    keep_button: QMessageBox.StandardButton | None = None,
) -> bool:
    """Before edits would be lost: ask to keep them (``keep_button``, Save unless given; the
    default), discard them or cancel. ``True`` when it is fine to go on: kept (``keep()``
    succeeded) or discarded; ``False`` means stay where the edits are."""
    from PySide6.QtWidgets import QMessageBox

    if keep_button is None:
        keep_button = QMessageBox.StandardButton.Save
    answer = QMessageBox.question(
        parent,
        title,
        text,
        keep_button | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        keep_button,
    )
    if answer == keep_button:
        return keep()
    return answer == QMessageBox.StandardButton.Discard
