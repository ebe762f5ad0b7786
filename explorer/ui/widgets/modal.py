"""Modal dialogs run to their end, then deleted by Qt, not by Python's garbage collector.

``QDialog.exec()`` hands a dialog parented to the window over to Python when it returns. A
dialog in a reference cycle (a slot that refers to it, a keyring read still pending) then lives
until the collector runs, and the collector deletes the real Qt object at whatever allocation
triggers it: once inside a loop over the window's children at exit, which read the freed dialog
and crashed. ``run_modal`` schedules the deletion at a safe point instead: when control returns
to the event loop that opened the dialog (a nested loop, such as a message box the caller opens
next, does not run it), so the caller may still read the dialog's fields afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog


def run_modal(dialog: QDialog) -> bool:
    """``dialog.exec()``; whether it was accepted. The dialog is deleted once the caller's
    code has returned to the event loop."""
    # Named here: the window imports this module before its first paint, which has no dialog
    # (PySide makes a Qt class's Python type, with its enum classes, where a module names it).
    from PySide6.QtWidgets import QDialog

    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
