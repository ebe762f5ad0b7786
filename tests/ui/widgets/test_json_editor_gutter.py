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
