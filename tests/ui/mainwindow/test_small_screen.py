"""At 1024x700 the request editor stays usable: fields and Defender choices read whole.

Issue 8, item 10: at 1024x700 the action field read "bam" and the Defender combos "Proje".
The window must fit, each field must show a typical value entirely, and the response keeps a
readable width, also when the layout was saved on a big screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.store.paths import AppPaths
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.production import answer_if_asked

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WIDTH, HEIGHT = 1024, 700
LONGEST_ACTION = "greenhouse_create_candidate"
MIN_RESPONSE_WIDTH = 300


def reads_whole(edit: QLineEdit) -> bool:
    """Whether the field shows its whole text: with the cursor at its end, the first
    character is still at the left edge (a field too narrow scrolls its start away)."""
    edit.end(False)
    return edit.cursorPositionAt(QPoint(4, edit.height() // 2)) == 0


def combo_reads_whole(combo: QComboBox) -> bool:
    return combo.width() >= combo.sizeHint().width()


def check_usable(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(WIDTH, HEIGHT)
    qtbot.wait(50)
    assert window.width() <= WIDTH and window.height() <= HEIGHT
    editor = window.editor
    editor.load_request(
        RpcRequest(action=LONGEST_ACTION, account_id="acct_greenhouse_demo", body={"a": 1})
    )
    qtbot.wait(20)
    assert reads_whole(editor.action_edit)
    assert reads_whole(editor.account_edit)
    for combo in editor.options.defender_combos.values():
        assert combo_reads_whole(combo), combo.accessibleName()
    assert editor.send_button.isVisible()
    assert window.response_view.width() >= MIN_RESPONSE_WIDTH


def test_a_1024x700_window_keeps_the_editor_usable(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    check_usable(qtbot, window)
    # After an error with provider errors, and history rows with long action names.
    with qtbot.waitSignal(window.send_control.finished, timeout=15_000) as blocker:
        qtbot.keyClick(
            window.editor.action_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
        answer_if_asked(qtbot, window, sent=lambda: blocker.signal_triggered)  # a production write
    window.history_pane.flush()
    check_usable(qtbot, window)


def test_a_layout_saved_on_a_big_screen_still_fits_1024x700(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    settings = Settings(home.settings_file)
    settings.set("splitters", {"outer": [420, 1480], "inner": [560, 920], "below": False})
    settings.save()
    window = make_window()
    check_usable(qtbot, window)
