"""The Defender check in the window: the demo's poisoned note is flagged at its field, a clean
list is not, the server's verdict stands beside it, and re-checking with other settings sends
nothing.

Driven as a user does: Ctrl+Shift+D on the response, the tier and blocking boxes clicked, Check
again clicked, Esc to close. StackOne's own library runs (tier 2 too: the dev extra installs its
classifier).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.core.defender import tier2_available
from explorer.core.request import DefenderConfig, RpcRequest
from explorer.ui.defender.window import DefenderWindow
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import click_row, send

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
WAIT_MS = 120_000
NOTES = RpcRequest(action="bamboohr_list_employee_notes", account_id="acct_bamboohr_demo")
POISONED = "$['data'][2]['content']"


def open_check(qtbot: QtBot, window: MainWindow) -> DefenderWindow:
    """Ctrl+Shift+D where the user typed last; wait for the verdict."""
    qtbot.keyClick(
        window.editor.action_edit,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.analysis.defender_windows, "no Defender window opened"
    check = window.analysis.defender_windows[-1]
    wait_checked(qtbot, check)
    return check


def wait_checked(qtbot: QtBot, check: DefenderWindow) -> None:
    qtbot.waitUntil(lambda: not check.job.is_busy(), timeout=WAIT_MS)
    assert check.verdict is not None, check.error_label.text()


def test_the_poisoned_note_is_flagged_at_its_field_and_rechecked_without_sending(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(qtbot, window, NOTES)
    sent = window.history_pane.model.rowCount()
    check = open_check(qtbot, window)
    verdict = check.verdict
    assert verdict is not None
    assert verdict.tiers_ran == ((1, 2) if tier2_available() else (1,))
    ran = "tiers 1 and 2 ran" if tier2_available() else "tier 1 ran"
    assert ran in check.facts_label.text()
    assert verdict.risk_level in ("high", "critical")
    assert check.risk_label.text() == f"{verdict.risk_level.capitalize()} risk"
    # The note's content, found by tier 1's rule, is the first row; its words are shown.
    first = check.model.detection_at(0)
    assert first is not None and first.path == POISONED and first.tier == 1
    assert check.model.index(0, 0).data() == POISONED
    assert "Ignore all previous instructions" in check.why_label.text()
    assert "would be blocked with block high risk on" in check.facts_label.text().lower()
    # The demo's Defender reported the same finding in metadata.defender.
    assert "On the server" in check.server_label.text()
    assert POISONED in check.server_label.text() or "ignore" in check.server_label.text()

    # Copy path: the field's JSONPath for the Filter tab.
    click_row(qtbot, check.table, check.model.index(0, 0))
    qtbot.mouseClick(check.copy_path_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == POISONED

    # Tier 1 only, block high risk on: checked again here, nothing sent.
    if check.tier2_box.isChecked():
        qtbot.mouseClick(check.tier2_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(check.block_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(check.check_button, Qt.MouseButton.LeftButton)
    wait_checked(qtbot, check)
    qtbot.waitUntil(lambda: check.verdict is not None and check.verdict.tiers_ran == (1,))
    again = check.verdict
    assert again is not None and again.blocked and again.tier2_score is None
    assert "blocked: block high risk is on" in check.facts_label.text().lower()
    assert "Locally, tier 1 ran." in check.facts_label.text()
    assert window.history_pane.model.rowCount() == sent  # nothing was sent

    # Both tiers off: nothing screened, and the window says so.
    qtbot.mouseClick(check.tier1_box, Qt.MouseButton.LeftButton)
    qtbot.keyClick(check.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: check.verdict is not None and not check.verdict.tiers_ran)
    assert check.risk_label.text() == "Nothing screened"
    assert check.model.rowCount() == 0

    qtbot.keyClick(check, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.analysis.defender_windows)


def test_a_clean_list_is_not_flagged_and_the_server_agrees(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    send(qtbot, window, NOTES.copy(account_id="acct_bamboohr_globex"))
    check = open_check(qtbot, window)
    verdict = check.verdict
    assert verdict is not None and not verdict.detections and not verdict.would_block
    assert check.risk_label.text() == "Low risk"
    assert "would not be blocked" in check.facts_label.text().lower()
    assert check.differences_label.text() == "This check and the server agree."


def test_a_response_the_server_blocked_says_why_and_what_to_check(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    blocked = NOTES.copy(defender=DefenderConfig(block_high_risk=True))
    exchange = send(qtbot, window, blocked)
    assert exchange.response is not None and exchange.response.status == 403
    check = open_check(qtbot, window)
    assert check.risk_label.text() == "Nothing screened"
    assert "The server blocked it" in check.server_label.text()
    assert "block_high_risk off" in check.differences_label.text()
    # The same request with blocking off, checked from the history: flagged here too.
    qtbot.keyClick(check, Qt.Key.Key_Escape)
    window.activateWindow()  # back in the main window, where its keys work
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    send(qtbot, window, NOTES)
    click_row(qtbot, window.history_pane.view, window.history_pane.model.index(0, 0))
    window.analysis.entry_defender_action.trigger()
    from_history = window.analysis.defender_windows[-1]
    wait_checked(qtbot, from_history)
    assert from_history.verdict is not None and from_history.verdict.would_block
