"""A secret header survives a restart as written when it is a ``{{variable}}``; a literal secret
value is dropped, the editor says so and Send is blocked: ``<redacted>`` is never sent.

Issue 8, item 4: ``{"x-tenant-token": "{{tenant_token}}"}`` was stored in ``settings.json``
as ``"<redacted>"``, shown so after a restart, and Ctrl+Enter sent it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.secrets import REDACTED
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import ctrl_enter, open_history_entry

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
SECRET = "tenant-secret-canary-0042"
HEADERS_TAB = 2


def type_headers(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Click the Headers tab and type ``text`` into its (emptied) editor."""
    bar = window.editor.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(HEADERS_TAB).center())
    editor = window.editor.json_editors["headers"]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, text)


def type_request(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor
    for edit, text in (
        (editor.action_edit, "bamboohr_list_employees"),
        (editor.account_edit, "acct_bamboohr_demo"),
    ):
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClicks(edit, text)


def test_a_variable_in_a_secret_header_is_kept_as_written_over_a_restart(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    type_request(qtbot, window)
    type_headers(qtbot, window, '{"x-tenant-token": "{{tenant_token}}"}')
    window.close()

    stored = json.loads(home.settings_file.read_text(encoding="utf-8"))
    assert stored["last_request"]["headers"] == {"x-tenant-token": "{{tenant_token}}"}

    again = make_window()
    assert again.editor.draft_request().headers == {"x-tenant-token": "{{tenant_token}}"}
    assert REDACTED not in again.editor.json_editors["headers"].toPlainText()


def test_a_dropped_secret_value_is_named_and_blocks_send_until_retyped(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    type_request(qtbot, window)
    type_headers(qtbot, window, '{"x-tenant-token": "' + SECRET + '"}')
    window.close()
    assert SECRET not in home.settings_file.read_text(encoding="utf-8")

    again = make_window()
    editor = again.editor
    # The editor says what happened and what to do; Send is blocked, Ctrl+Enter sends nothing.
    assert not editor.send_button.isEnabled()
    reason = editor.reason_label.text()
    assert "x-tenant-token" in reason and "again" in reason
    with qtbot.assertNotEmitted(again.send_control.started, wait=300):
        ctrl_enter(qtbot, again)
    assert again.history.entries() == []

    type_headers(qtbot, again, '{"x-tenant-token": "' + SECRET + '"}')
    assert editor.send_button.isEnabled()
    with qtbot.waitSignal(again.send_control.finished, timeout=15_000) as blocker:
        ctrl_enter(qtbot, again)
    sent = blocker.args[0].request
    assert sent.headers == {"x-tenant-token": SECRET}


def test_a_history_entry_with_a_scrubbed_secret_cannot_be_sent_as_is(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    type_request(qtbot, window)
    type_headers(qtbot, window, '{"x-tenant-token": "' + SECRET + '"}')
    with qtbot.waitSignal(window.send_control.finished, timeout=15_000):
        ctrl_enter(qtbot, window)
    window.history_pane.flush()

    open_history_entry(qtbot, window)
    assert window.editor.draft_request().headers == {"x-tenant-token": REDACTED}
    assert not window.editor.send_button.isEnabled()
    assert "x-tenant-token" in window.editor.reason_label.text()
    with qtbot.assertNotEmitted(window.send_control.started, wait=300):
        ctrl_enter(qtbot, window)
