"""The Undo of "Fill from schema" belongs to the request it was made on.

Issue 8, item 6: after a fill, opening a history entry kept the Undo link; clicking it pasted
the old path/headers over the replayed request and emptied its body.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import open_history_entry, send

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
WindowFactory = Callable[..., MainWindow]


def replace_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select all, type ``text``; close the suggestions a line edit may show meanwhile."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)
    completer = widget.completer() if isinstance(widget, QLineEdit) else None
    popup = completer.popup() if completer is not None else None
    if popup is not None and popup.isVisible():
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
    window = widget.window()
    if QApplication.activeWindow() is not window:
        # The suggestions took the activation; a window manager gives it back, offscreen not.
        with qtbot.waitActive(window):
            window.activateWindow()


def test_opening_a_history_entry_drops_the_undo_of_an_earlier_fill(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.discovery.actions() is not None, timeout=WAIT_MS)
    editor, controls = window.editor, window.discovery_controls

    # A candidate is sent and lands in the history.
    replace_text(qtbot, editor.account_edit, "acct_greenhouse_demo")
    replace_text(qtbot, editor.action_edit, "greenhouse_create_candidate")
    for json_editor in editor.json_editors.values():
        json_editor.clear()
    replace_text(
        qtbot,
        editor.json_editors["body"],
        '{"first_name": "Ada", "last_name": "Lovelace", "emails": []}',
    )
    send(qtbot, window)

    # Path and headers typed by hand, then replaced from the schema (Ctrl+Shift+K).
    replace_text(qtbot, editor.json_editors["path"], '{"id": "40001"}')
    replace_text(qtbot, editor.json_editors["headers"], '{"x-trace": "t1"}')
    # The account typed above settles (and its catalogue arrives) before the fill.
    qtbot.waitUntil(
        lambda: (
            window.discovery.account_id == "acct_greenhouse_demo"
            and window.discovery.actions() is not None
        ),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(controls.fill_button.isEnabled, timeout=WAIT_MS)
    qtbot.keyClick(
        editor.action_edit,
        Qt.Key.Key_K,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    # The schema may come from the catalogue at once or from the account's MCP tools later.
    qtbot.waitUntil(lambda: "Undo" in controls.fill_label.text(), timeout=WAIT_MS)
    assert controls.fill_label.isVisible()

    # Replay the sent candidate from the history (click the row, Enter): it opens in a tab
    # of its own, and the filled request keeps its tab and its Undo.
    filled = editor.to_request()
    open_history_entry(qtbot, window)
    replayed = window.editor.to_request()
    assert window.editor is not editor
    assert replayed.body == {"first_name": "Ada", "last_name": "Lovelace", "emails": []}

    # No Undo is offered for it, and none can be applied to it.
    replay_controls = window.discovery_controls
    assert replay_controls is not controls
    label = replay_controls.fill_label
    assert not (label.isVisible() and "Undo" in label.text())
    label.linkActivated.emit("undo")  # what a click on a stale link would do
    assert window.editor.to_request() == replayed

    # Undo belongs to the request it was made on: back in its tab, it still puts the typed
    # path and headers back, and touches nothing else.
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.editor is editor
    assert editor.to_request() == filled
    controls.fill_label.linkActivated.emit("undo")
    assert editor.to_request().path == {"id": "40001"}
    assert editor.to_request().headers == {"x-trace": "t1"}
    assert window.tabs.tabs[1].editor.to_request() == replayed
