"""A run across accounts and the history, against the demo over real sockets: when the run
says it has finished, every account's exchange is on disk and listed; closing the window
right after the sends end (their reports still queued) keeps every account's exchange."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.store.history import HistoryStore
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.accounts.test_account_run_window import (
    BAMBOOHR,
    WAIT_MS,
    list_employees,
    open_dialog,
    select_all_of,
)
from tests.ui.production import answer

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]


def on_disk(window: MainWindow) -> list[str]:
    """The accounts of the history's entries as another process would read them now."""
    store = HistoryStore(window.history.directory, read_only=True)
    try:
        return [entry.account_id for entry in store.entries()]
    finally:
        store.close()


def test_when_the_run_says_finished_every_account_is_on_disk_and_listed(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window, list_employees())
    select_all_of(dialog, "BambooHR")
    seen: dict[str, object] = {}

    def finished(_rows: object) -> None:
        seen["on disk"] = on_disk(window)
        seen["listed"] = window.history_pane.model.total()
        seen["said"] = dialog.results_label.text()

    window.support.account_runs.finished.connect(finished)
    with qtbot.waitSignal(window.support.account_runs.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
        answer(qtbot, window, yes=True)  # two of them need a second look
    assert sorted(seen["on disk"]) == sorted(BAMBOOHR)  # type: ignore[call-overload]
    assert seen["listed"] == len(BAMBOOHR)
    assert str(seen["said"]).startswith("Sent <b>bamboohr_list_employees</b> to 5 accounts")


def test_closing_the_window_right_after_the_sends_keeps_every_account_in_the_history(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window, list_employees())
    select_all_of(dialog, "BambooHR")
    control = window.support.account_runs
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    answer(qtbot, window, yes=True)
    qtbot.waitUntil(lambda: control.pool.activeThreadCount() == 1, timeout=WAIT_MS)
    # The sends end while the window handles nothing: their reports are still queued when
    # the user closes it.
    assert control.pool.waitForDone(WAIT_MS)
    assert all(row.done for row in dialog.model.rows())
    window.close()
    accounts = on_disk(window)
    assert sorted(accounts) == sorted(BAMBOOHR)  # each account once
