"""The JSON editor's line numbers: a gutter in the palette's alternate base colour, light or
dark, beside the text's base colour (Qt fills it; the editor draws only the numbers)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from explorer.ui.widgets.json_editor import JsonEditor


@pytest.mark.parametrize(("base", "alternate"), [("#ffffff", "#e8ecf0"), ("#1e1e1e", "#2d333b")])
def test_the_gutter_is_painted_in_the_alternate_base_colour(
    qtbot: QtBot, base: str, alternate: str
) -> None:
    editor = JsonEditor()
    qtbot.addWidget(editor)
    palette = editor.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(alternate))
    editor.setPalette(palette)
    editor.setPlainText('{\n  "page_size": 25\n}')
    editor.resize(300, 200)
    editor.show()
    qtbot.waitExposed(editor)
    image = editor.grab().toImage()
    inside = editor.contentsRect()
    below_the_numbers = inside.bottom() - 4
    gutter = editor.viewportMargins().left()
    assert image.pixelColor(inside.left() + gutter // 2, below_the_numbers).name() == alternate
    assert image.pixelColor(inside.left() + gutter + 20, below_the_numbers).name() == base


def test_the_error_line_is_tinted_and_the_tint_goes_once_fixed(qtbot: QtBot) -> None:
    """The mark is set only when there is one to show (an empty list passed at start made
    PySide create QTextEdit's classes), and cleared when the error is gone."""
    editor = JsonEditor()
    qtbot.addWidget(editor)
    editor.setPlainText('{\n  "page_size": \n}')
    editor.resize(300, 200)
    editor.show()
    qtbot.waitExposed(editor)
    inside = editor.viewport()
    block = editor.document().findBlockByNumber(1)
    y = round(editor.blockBoundingGeometry(block).translated(editor.contentOffset()).center().y())
    editor.mark_error(None)  # nothing marked: nothing to clear
    assert editor.extraSelections() == []
    editor.mark_error(2)
    marked = editor.extraSelections()
    assert [s.cursor.blockNumber() for s in marked] == [1]
    tint = inside.grab().toImage().pixelColor(inside.width() - 5, y)
    editor.mark_error(None)
    assert editor.extraSelections() == []
    plain = inside.grab().toImage().pixelColor(inside.width() - 5, y)
    assert tint != plain
