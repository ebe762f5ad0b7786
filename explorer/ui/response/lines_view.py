"""A read-only view of a very long text that shows instantly: one row per display line.

``QPlainTextEdit.setPlainText`` of a 10 MB response (17 MB, 726,000 lines once pretty-printed)
blocks the UI thread for 2.5 s while it builds its document. ``LinesView`` is a table over
a one-column model of the lines, prepared off the UI thread as ``TextLines``: Qt asks only
for the rows on screen, so showing, scrolling and finding take milliseconds at any size.

Selection and copy work on whole lines (Ctrl+C, Ctrl+A, the context menu); copying takes the
exact text, also where a long line is shown cut into several rows. ``find`` searches the
Python string and scrolls to the match, which is painted highlighted.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontMetricsF,
    QGuiApplication,
    QKeySequence,
    QPainter,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from explorer.core.render import TextLines, display_lines, json_line_spans
from explorer.ui.widgets import menu_key
from explorer.ui.widgets.json_editor import monospace_font

_Index = QModelIndex | QPersistentModelIndex
MATCH_COLOUR = QColor(255, 200, 0, 130)  # over the text, readable in light and dark themes
TEXT_MARGIN = 4  # pixels left of the text
COLOUR_LIMIT = 500  # longer rows (cut from a long string) are drawn in one colour


class LinesModel(QAbstractTableModel):
    """One column: row ``i`` is ``lines.rows[i]``. A thin adapter over ``TextLines``."""

    def __init__(self) -> None:
        super().__init__()
        self._lines = display_lines("")

    @property
    def lines(self) -> TextLines:
        return self._lines

    def set_lines(self, lines: TextLines) -> None:
        self.beginResetModel()
        self._lines = lines
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._lines.row_count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return self._lines.row(index.row())
        return None


class _LineDelegate(QStyledItemDelegate):
    """Paints a row's visible characters only (JSON tokens coloured when the view has
    colours; a selected row in the selection colour), over the find match.

    The style's own painting lays out the whole row: 1 ms for a 2,000-character row of Raw,
    40 ms for a screenful. The font is monospaced, so the characters in view follow from the
    horizontal scroll position.
    """

    def __init__(self, view: LinesView) -> None:
        super().__init__(view)
        self._view = view

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        view = self._view
        rect = option.rect
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.highlight())
        pen = palette.highlightedText().color() if selected else palette.text().color()
        text = view.model().lines.row(index.row())
        advance = view.char_width()
        left = rect.left() + TEXT_MARGIN
        first = max(0, int(-left / advance))  # the first character in view (x >= 0)
        count = int(view.viewport().width() / advance) + 2
        match = view.match_in_row(index.row())
        if match is not None:
            column, length = match
            painter.fillRect(
                QRectF(left + column * advance, rect.top(), length * advance, rect.height()),
                MATCH_COLOUR,
            )
        end = first + count
        pieces: list[tuple[int, int, QColor]] = []  # (start, end, colour), left to right
        colours = view.colours()
        if colours and not selected and len(text) <= COLOUR_LIMIT:
            done = first
            for start, stop, kind in json_line_spans(text):
                if stop <= first or start >= end:
                    continue
                start, stop = max(start, first), min(stop, end)
                if start > done:
                    pieces.append((done, start, pen))
                pieces.append((start, stop, colours[kind]))
                done = stop
            if done < end:
                pieces.append((done, end, pen))
        else:
            pieces.append((first, end, pen))
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for start, stop, colour in pieces:
            painter.setPen(colour)
            width = (stop - start + 1) * advance
            box = QRectF(left + start * advance, rect.top(), width, rect.height())
            painter.drawText(box, flags, text[start:stop])


class LinesView(QTableView):
    """Shows ``TextLines``; whole-line selection and copy; ``find`` with a painted match."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = LinesModel()
        self.setModel(self._model)
        self._match: tuple[int, int] | None = None  # (offset in the text, length)
        self._colours: dict[str, QColor] = {}
        self.setFont(monospace_font())
        self.setItemDelegate(_LineDelegate(self))
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        self.horizontalHeader().hide()
        rows = self.verticalHeader()
        rows.hide()
        # Fixed heights: the view never asks 726,000 rows for their size.
        rows.setMinimumSectionSize(1)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 2)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        copy = QAction("Copy", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        select_all = QAction("Select all", self)
        select_all.setShortcut(QKeySequence.StandardKey.SelectAll)
        select_all.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        select_all.triggered.connect(self.selectAll)
        self.addActions([copy, select_all])
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        menu_key.install(self)  # Shift+F10 and the Menu key, at the current row

    # -- content ---------------------------------------------------------------------------------
    def model(self) -> LinesModel:
        return self._model

    def set_lines(self, lines: TextLines, colours: dict[str, str] | None = None) -> None:
        """Show ``lines`` (built off the UI thread for big texts), from the top.

        ``colours`` (``render.json_colours``) colours the JSON tokens of the rows on screen.
        """
        self._match = None
        self._colours = {kind: QColor(name) for kind, name in (colours or {}).items()}
        self._model.set_lines(lines)
        # From the longest row, never by measuring rows (that would visit all of them).
        width = int(self.char_width() * (lines.longest + 2)) + 2 * TEXT_MARGIN
        self.setColumnWidth(0, max(width, self.viewport().width()))
        self.scrollToTop()

    def set_text(self, text: str) -> None:
        """Show a short text (cut into lines here, on the calling thread)."""
        self.set_lines(display_lines(text))

    def text(self) -> str:
        return self._model.lines.text

    def colours(self) -> dict[str, QColor]:
        """The JSON token colours in use (empty: one colour)."""
        return self._colours

    def char_width(self) -> float:
        """The advance of one character of the (monospaced) font, in pixels."""
        return max(1.0, QFontMetricsF(self.font()).horizontalAdvance("M"))

    def selected_text(self) -> str:
        """The selected lines as in the text (rows of one long line are not split)."""
        selection = self.selectionModel().selection()
        ranges = sorted(
            (part.top(), part.bottom())
            for part in (selection.at(i) for i in range(selection.count()))
            if part.isValid()
        )
        merged: list[list[int]] = []
        for top, bottom in ranges:  # whole rows: ranges, never one index per row
            if merged and top <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], bottom)
            else:
                merged.append([top, bottom])
        lines = self._model.lines
        return "\n".join(lines.span(top, bottom) for top, bottom in merged)

    def offset_at(self, pos: QPoint) -> int | None:
        """The offset in the text of the character at ``pos`` (viewport coordinates)."""
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        lines = self._model.lines
        left = self.visualRect(index).left() + TEXT_MARGIN
        column = int((pos.x() - left) / self.char_width())
        return lines.row_start(index.row()) + max(0, min(column, len(lines.row(index.row()))))

    def current_offset(self) -> int | None:
        """Where a keyboard user points: the first character (not a space) of the current row."""
        index = self.currentIndex()
        if not index.isValid():
            return None
        row = self._model.lines.row(index.row())
        return self._model.lines.row_start(index.row()) + len(row) - len(row.lstrip(" "))

    def copy_selection(self) -> None:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    # -- find ------------------------------------------------------------------------------------
    def find_text(self, needle: str, *, backward: bool = False, from_start: bool = False) -> bool:
        """Move the match to the next (previous) occurrence of ``needle``, ignoring case and
        wrapping around; ``from_start`` searches from the current match's start (so typing
        more letters keeps a match in place). Returns whether there is one."""
        lines = self._model.lines
        if self._match is not None:
            start, length = self._match
            origin = start if (backward or from_start) else start + max(length, 1)
        else:
            current = self.currentIndex()
            origin = lines.row_start(current.row()) if current.isValid() else 0
        found = lines.find(needle, origin, backward=backward)
        if found < 0:
            self._match = None
            self.viewport().update()
            return False
        self._match = (found, len(needle))
        row = lines.row_of(found)
        index = self._model.index(row, 0)
        self.selectionModel().setCurrentIndex(index, self.selectionModel().SelectionFlag.NoUpdate)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._show_column(found - lines.row_start(row), len(needle))
        self.viewport().update()
        return True

    def match_in_row(self, row: int) -> tuple[int, int] | None:
        """``(column, length)`` of the find match within ``row``, if it is there."""
        if self._match is None:
            return None
        lines = self._model.lines
        start, length = self._match
        row_start = lines.row_start(row)
        row_end = row_start + len(lines.row(row))
        if start + length <= row_start or start >= row_end:
            return None
        column = max(0, start - row_start)
        return column, min(start + length, row_end) - row_start - column

    def clear_match(self) -> None:
        self._match = None
        self.viewport().update()

    def _show_column(self, column: int, length: int) -> None:
        """Scroll sideways so that the match in a long line is in view."""
        left = int(column * self.char_width())
        right = left + int(length * self.char_width()) + 16
        bar = self.horizontalScrollBar()
        visible = self.viewport().width()
        if left < bar.value() or right > bar.value() + visible:
            bar.setValue(max(0, left - visible // 3))

    def sizeHint(self) -> QSize:
        return QSize(400, 300)
