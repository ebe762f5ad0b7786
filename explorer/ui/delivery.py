"""A pool job's reports, handed to the dialog or window they are for while it lives.

Its own module, not ``jobs.py``: only tools opened after the first paint use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance


class Delivery(QObject):
    """Hands a pool job's reports to functions on the UI thread while ``owner`` (the dialog or
    window they are for) lives, and never after.

    A job's signals object never has a Qt parent: the job keeps it while its thread runs, and
    this keeps it while reports queue. A child of the dialog would go with the dialog, and a
    thread emitting at that moment would be inside the object Qt deletes (PySide lets go of
    the GIL during ``emit``): the app crashes. What goes with the owner is this receiver, a
    child of it; Qt drops its connections thread-safely, so nothing reaches a closed dialog.
    The job lets go of its signals object on the UI thread (``jobs.hand_back``), so the two
    are never destroyed at once on two threads. ``HelperJob`` is built the same way.
    """

    def __init__(self, signals: QObject, owner: QObject) -> None:
        super().__init__(owner)
        self._signals = signals  # the sender of reports still queued must outlive them

    def on(self, signal: SignalInstance, func: Callable[..., object]) -> None:
        """Call ``func`` with ``signal``'s arguments, queued to the UI thread."""
        signal.connect(_Hand(self, func).give)  # a method of a QObject: it is the receiver

    def release(self) -> None:
        """Nothing more is wanted: drop the connections (and the signals object)."""
        self.deleteLater()


class _Hand(QObject):
    """One connection of a ``Delivery``: the receiver a plain function lacks."""

    def __init__(self, delivery: Delivery, func: Callable[..., object]) -> None:
        super().__init__(delivery)
        self._func = func

    def give(self, *args: object) -> None:
        self._func(*args)
