"""A plain-text JSON editor: syntax colours, line numbers and a marked error line.

The editor stays a ``QPlainTextEdit`` (fast on large documents, keeps undo) and adds only what
a person editing an action's ``path``/``query``/``headers``/``body`` needs to see: which line
the JSON error is on, and a highlighter cheap enough to run on every keystroke.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from explorer.ui.widgets.viewport import viewport

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTextEdit

# JSON tokens, one pass per line: a string followed by a colon is a key.
_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*"?)(?P<colon>\s*:)?'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
    r"|(?P<punct>[{}\[\],:])"
)

_LIGHT = {
    "key": "#0b5394",
    "string": "#1a7f37",
    "number": "#b35900",
    "literal": "#8250df",
    "punct": "#57606a",
}
_DARK = {
    "key": "#79c0ff",
    "string": "#7ee787",
    "number": "#ffa657",
    "literal": "#d2a8ff",
    "punct": "#8b949e",
}


def pretty(value: object) -> str:
    """``value`` as the editors show JSON: indented by two, non-ASCII left readable."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def monospace_font() -> QFont:
    """The system's fixed-width font: JSON columns only line up in one."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


class JsonHighlighter(QSyntaxHighlighter):
    """Colours JSON line by line; JSON strings never span lines, so no block state is needed."""

    def __init__(self, document: QTextDocument, *, dark: bool = False) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        palette = _DARK if dark else _LIGHT
        self._formats = {}
        for name, colour in palette.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if name == "key":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            self._formats[name] = fmt
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if len(text) > 20_000:  # a minified megabyte on one line: colour nothing, stay responsive
            return
        for match in _TOKEN.finditer(text):
            if match.group("string") is not None:
                kind = "key" if match.group("colon") else "string"
                start, end = match.span("string")
            else:
                kind = match.lastgroup or "punct"
                start, end = match.span()
            self.setFormat(start, end - start, self._formats[kind])


class _LineNumbers(QWidget):
    """The gutter; painting is delegated to the editor, which knows the block geometry."""

    def __init__(self, editor: JsonEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        # Qt fills it with the palette's alternate base before each paint: a fill from Python
        # (``QPainter.fillRect``) made PySide create QGradient's enum classes in the first
        # frame, ~1-2 ms, whichever overload it took.
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setAutoFillBackground(True)

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_gutter(event)


class JsonEditor(QPlainTextEdit):
    """A JSON editor with colours, line numbers and ``mark_error(line, column)``.

    ``format_json()`` re-indents valid JSON in place as one undoable edit.
    """

    _marked = False  # whether the error line is tinted (the editor's only extra selection)

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setFont(monospace_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)  # keyboard users must be able to Tab out of the editor
        self.setPlaceholderText(placeholder)
        self.highlighter = JsonHighlighter(self.document())
        self._gutter = _LineNumbers(self)
        self._error_line: int | None = None
        self._dark = False
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._scroll_gutter)
        self._update_gutter_width()

    # -- public -------------------------------------------------------------------------
    def set_dark(self, dark: bool) -> None:
        if dark == self._dark:
            return  # each new tab is told the window's (light) look: no work then
        self._dark = dark
        self.highlighter.set_dark(dark)
        self._apply_error_selection()
        self._gutter.update()

    def mark_error(self, line: int | None, column: int | None = None) -> None:
        """Tint the line of a JSON error (1-based); ``None`` clears the mark."""
        self._error_line = line
        self._apply_error_selection()
        self._gutter.update()

    def go_to(self, line: int, column: int = 1) -> None:
        """Put the cursor at a 1-based line and column, e.g. where a JSON error is."""
        block = self.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            return
        from PySide6.QtGui import QTextCursor  # named where used: see ``replace_text``

        cursor = QTextCursor(block)
        cursor.movePosition(
            QTextCursor.MoveOperation.Right,
            QTextCursor.MoveMode.MoveAnchor,
            min(max(0, column - 1), block.length() - 1),
        )
        self.setTextCursor(cursor)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def format_json(self) -> bool:
        """Re-indent the JSON (2 spaces). Returns False, changing nothing, if it does not parse."""
        text = self.toPlainText()
        if not text.strip():
            return True
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return False
        self.replace_text(pretty(value))
        return True

    def set_value(self, value: object) -> None:
        """Show ``value`` as indented JSON (empty for ``None``): a new document, undo included."""
        self.setPlainText("" if value is None else pretty(value))

    def replace_text(self, text: str) -> None:
        """Replace the whole text as one edit, so Ctrl+Z brings the old text back."""
        if self.toPlainText() == text:
            return
        # Named where used: PySide makes QTextCursor's type (and its enum classes, ~0.6-0.8 ms)
        # where a module first names it, and the first frame edits no text by hand.
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()

    # -- gutter ---------------------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = max(2, len(str(self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * digits

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)  # its background is Qt's to fill (see _LineNumbers)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        height = self.fontMetrics().height()
        width = self._gutter.width() - 5
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                is_error = self._error_line == number + 1
                colour = QColor("#d1242f") if is_error else muted
                painter.setPen(colour)
                painter.drawText(
                    0, top, width, height, Qt.AlignmentFlag.AlignRight, str(number + 1)
                )
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def _update_gutter_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(viewport(self).rect()):
            self._update_gutter_width()

    def _apply_error_selection(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        if self._error_line is not None:
            block = self.document().findBlockByNumber(self._error_line - 1)
            if block.isValid():
                # Named for a mark only: PySide makes a Qt class's Python type (with its enum
                # classes) where a module first names it, or a list of its selections is
                # passed; the first frame has no mark (nor any other extra selection).
                from PySide6.QtGui import QTextCursor
                from PySide6.QtWidgets import QTextEdit

                fmt = QTextCharFormat()
                fmt.setBackground(QColor("#5a1e1e" if self._dark else "#ffebe9"))
                fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection = QTextEdit.ExtraSelection()
                selection.format = fmt
                selection.cursor = QTextCursor(block)
                selections.append(selection)
        if selections or self._marked:
            self.setExtraSelections(selections)
            self._marked = bool(selections)
