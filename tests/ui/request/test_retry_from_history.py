"""Browsing the history never sends: an automatic retry belongs to the exchange just sent.

Issue 8, item 1: with "retry automatically" on, re-selecting a 429 in the history sent the
request again once its old Retry-After had counted down.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.demo import DemoServer
from explorer.store.paths import AppPaths
from explorer.store.settings import Settings
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import click_row, send

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
RETRY_AFTER_S = 1  # the window fixture's demo server answers 429 with Retry-After: 1
WindowFactory = Callable[..., MainWindow]


def type_request(qtbot: QtBot, window: MainWindow, action: str, account: str) -> None:
    """Fill Action and Account id by typing, as a person would, and empty the JSON tabs."""
    editor = window.editor
    for edit, text in ((editor.action_edit, action), (editor.account_edit, account)):
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        qtbot.keyClicks(edit, text)
    for json_editor in editor.json_editors.values():
        json_editor.clear()


def test_reselecting_a_429_in_the_history_never_sends(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, demo: DemoServer
) -> None:
    settings = Settings(home.settings_file)
    settings.set("auto_retry", True)  # Preferences: retry automatically when Retry-After ends
    settings.save()
    window = make_window()
    assert window.response_view.error_panel.auto_retry_check.isChecked()

    type_request(qtbot, window, "bamboohr_list_employees", "acct_bamboohr_demo")
    send(qtbot, window)
    type_request(qtbot, window, "hibob_search_employees", "acct_hibob_demo")
    send(qtbot, window)
    assert window.response_view.status_label.text().startswith("429")

    history = window.history_pane
    model, view = history.model, history.view
    assert model.rowCount() == 2
    # Away from the 429 before its wait ends, then back to it: only reading the history.
    click_row(qtbot, view, model.index(1, 0))
    qtbot.waitUntil(lambda: window.response_view.status_label.text().startswith("200"))
    click_row(qtbot, view, model.index(0, 0))
    qtbot.waitUntil(lambda: window.response_view.status_label.text().startswith("429"))

    with qtbot.assertNotEmitted(window.send_control.started, wait=(RETRY_AFTER_S + 2) * 1000):
        pass
    window.history_pane.flush()
    assert len(window.history.entries()) == 2
    assert window.banner.text() == ""  # no "no API key" either: the retry path never ran
    panel = window.response_view.error_panel
    assert "automatically" not in panel.countdown_label.text()
    assert panel.retry_button.isEnabled()  # retrying stays the user's choice


def test_the_429_just_sent_still_retries_by_itself_while_on_screen(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    settings = Settings(home.settings_file)
    settings.set("auto_retry", True)
    settings.save()
    window = make_window()
    type_request(qtbot, window, "hibob_search_employees", "acct_hibob_demo")
    send(qtbot, window)
    assert window.response_view.status_label.text().startswith("429")

    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        pass  # the countdown ends and the exchange just sent is retried once
    window.history_pane.flush()
    assert blocker.args[0].response.status == 200
    assert len(window.history.entries()) == 2
