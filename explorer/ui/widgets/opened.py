"""Tool windows the main window keeps a list of while they are open (to close them on quit,
and for tests), shown in front."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def show_kept(window: W, opened: list[W]) -> W:
    """Add ``window`` to ``opened`` until it is destroyed, and show it in front."""
    opened.append(window)
    window.destroyed.connect(lambda _o=None: opened.remove(window) if window in opened else None)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
