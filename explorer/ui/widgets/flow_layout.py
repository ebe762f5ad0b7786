"""A layout that puts its widgets in a row and wraps them onto more rows when narrow.

Rows of buttons and short labels (the response's status line, the error panel's actions, the
history's buttons) must never make a pane wider than the user made it: in a row layout their
widths add up to the pane's minimum, and a window whose panes cannot shrink grows past the
screen. Here the minimum width is only that of the widest item; the rest wraps.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping to a new row when the next one does not fit.

    Within a row, items are vertically centred; ``align_right`` pushes each row's items to
    the right edge (where dialog-like action buttons are expected).
    """

    def __init__(self, parent: QWidget | None = None, *, align_right: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._align_right = align_right
        # heightForWidth by width until the layout changes: Qt asks it many times per layout
        # pass (40 times when a response shows its pages bar), and each is a Python walk.
        self._heights: dict[int, int] = {}
        if parent is None:
            self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout's container interface ------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        self.invalidate()
        return self._items.pop(index)

    def invalidate(self) -> None:
        """Qt calls this when an item is added, shown, hidden or changes its size hint."""
        self._heights.clear()
        super().invalidate()

    # -- sizes ------------------------------------------------------------------------------
    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), move=False)
        return height

    def sizeHint(self) -> QSize:
        """Everything on one row."""
        width = height = 0
        for item in self._visible():
            hint = item.sizeHint()
            width += hint.width() + (self._spacing() if width else 0)
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        """As narrow as the widest item: everything else can go on another row."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    # -- internals --------------------------------------------------------------------------
    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _spacing(self) -> int:
        spacing = self.spacing()
        if spacing >= 0:
            return spacing
        parent = self.parentWidget()
        if parent is None:
            return 6
        from PySide6.QtWidgets import QStyle  # its enum classes: ~6 ms, only if asked

        return parent.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing)

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (only measuring unless ``move``); returns the height."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        gap = self._spacing()
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        used = 0
        for item in self._visible():
            hint = item.sizeHint().boundedTo(QSize(area.width(), item.sizeHint().height()))
            hint = hint.expandedTo(item.minimumSize())
            needed = hint.width() + (gap if rows[-1] else 0)
            if rows[-1] and used + needed > area.width():
                rows.append([])
                used = 0
                needed = hint.width()
            rows[-1].append((item, hint))
            used += needed
        y = area.y()
        for row in rows:
            if not row:
                continue
            height = max(hint.height() for _item, hint in row)
            width = sum(hint.width() for _item, hint in row) + gap * (len(row) - 1)
            x = area.right() + 1 - width if self._align_right else area.x()
            for item, hint in row:
                if move:
                    top = y + (height - hint.height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), hint))
                x += hint.width() + gap
            y += height + gap
        return y - gap - area.y() + margins.top() + margins.bottom() if y > area.y() else 0
