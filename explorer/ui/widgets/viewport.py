"""A scroll area's viewport, without making PySide load every type of QtWidgets.

The first ``viewport()`` call of a process makes PySide look for the C++ object's most derived
type among the subclasses of ``QWidget`` it has bindings for, which loads every lazily
registered QtWidgets type and creates their Python enum classes at once: ~40-60 classes, 5-9
ms, paid wherever that first call happens (before round eight: building the history list, in
the window's construction). Asked for by its name and class, the same child is wrapped as the
``QWidget`` it is; later ``viewport()`` calls find that wrapper.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

# The object name Qt gives the viewport it makes for every scroll area.
VIEWPORT_NAME = "qt_scrollarea_viewport"


def viewport(area: QAbstractScrollArea) -> QWidget:
    """``area.viewport()``, wrapped for Python the cheap way the first time (see above)."""
    found = area.findChild(QWidget, VIEWPORT_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    # A viewport set with ``setViewport`` has another name: that one is asked for.
    return found if found is not None else area.viewport()
