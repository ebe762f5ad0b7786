"""A list driven from the text field above it, as in a drop-down picker: the typing stays in
the field while Up, Down, Page Up and Page Down move the list's current row and Enter acts;
a click or activation picks a row.

Shared by the account picker and the action search, so both popups' lists look and answer
the same keys the same way; each says only what picking and Enter do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView

# The keys that move the list while the typing stays in the field above it.
STEP_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def step_current(view: QListView, key: int) -> None:
    """Move the list's current row as ``key`` (one of ``STEP_KEYS``) does: by one or by five,
    from the top when none is current, never past either end."""
    model = view.model()
    rows = model.rowCount()
    if not rows:
        return
    row = view.currentIndex().row()
    jump = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5}.get(Qt.Key(key), -5)
    row = min(max(row + jump if row >= 0 else 0, 0), rows - 1)
    view.setCurrentIndex(model.index(row, 0))


class DrivenList(QListView):
    """The read-only list under ``field`` (one line a row, cut with ``elide``): a click or
    activation calls ``choose`` with the row; in ``field``, the step keys move the current
    row and Enter calls ``enter`` with it (an invalid index when none is current). Other
    keys (typing, Esc, which closes a popup) go on to the field as usual.
    """

    def __init__(
        self,
        field: QLineEdit,
        model: QAbstractItemModel,
        *,
        name: str,
        elide: Qt.TextElideMode,
        choose: Callable[[QModelIndex], None],
        enter: Callable[[QModelIndex], None],
    ) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setModel(model)
        self.setUniformItemSizes(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(elide)
        self.activated.connect(choose)
        self.clicked.connect(choose)
        self._field = field
        self._enter = enter
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._field
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in STEP_KEYS:
                step_current(self, key)
                return True
            if key in ENTER_KEYS:
                self._enter(self.currentIndex())
                return True
        return super().eventFilter(watched, event)
