"""Driving the window as a person does: clicks on rows, Enter, Ctrl+Enter.

Shared by the window tests so each reads as the journey it checks.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.demo import EXAMPLE_REQUEST
from explorer.run.plan import RunPlan
from explorer.ui.collections.dialogs import EnvironmentsDialog
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.keyboard import press
from tests.ui.production import answer, answer_if_asked

WAIT_MS = 15_000


def click_row(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    """A left click in the middle of ``index``'s cell."""
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def ctrl_enter(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Enter, pressed while typing in the action field."""
    qtbot.keyClick(
        window.editor.action_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )


def type_account(qtbot: QtBot, window: MainWindow, account_id: str) -> None:
    """Replace the account field's text by typing ``account_id`` into it."""
    edit = window.editor.account_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, account_id)


def type_into(qtbot: QtBot, window: MainWindow, action: str, account: str) -> None:
    """Type the action and the account id into the current tab's editor, as a person does."""
    edit = window.editor.action_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, action)
    type_account(qtbot, window, account)


def send(qtbot: QtBot, window: MainWindow, request: RpcRequest | None = None) -> Exchange:
    """Load ``request`` (to the profile's server), press Ctrl+Enter and wait for the answer."""
    if request is not None:
        window.editor.load_request(request)
        profile = window.profile_selector.current()
        assert profile is not None
        window.editor.set_base_url(profile.base_url)
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        ctrl_enter(qtbot, window)
        # A write to a production account asks first: the journeys here mean to send it.
        answer_if_asked(qtbot, window, sent=lambda: blocker.signal_triggered)
    window.history_pane.flush()  # the history is written off the UI thread
    exchange = blocker.args[0]
    assert isinstance(exchange, Exchange)
    return exchange


def send_and_wait(qtbot: QtBot, window: MainWindow, *, guarded: bool = False) -> Exchange:
    """Send what the editor holds and wait for the exchange; ``guarded``: say yes to the
    production guard's question first (an account it does not know, or one not active)."""
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        assert window.send_control.send()
        if guarded:
            answer(qtbot, window, yes=True)
    window.history_pane.flush()  # the history is written off the UI thread
    exchange = blocker.args[0]
    assert isinstance(exchange, Exchange)
    return exchange


def send_example(qtbot: QtBot, window: MainWindow, **fields: object) -> None:
    """The demo's example request with ``fields`` changed, sent with Ctrl+Enter on whatever
    has focus (as the keyboard delivers it)."""
    window.editor.load_request(RpcRequest.from_dict({**EXAMPLE_REQUEST, **fields}))
    profile = window.profile_selector.current()
    assert profile is not None
    window.editor.set_base_url(profile.base_url)
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.history_pane.flush()


def collection_plan(window: MainWindow) -> RunPlan:
    """The run of the first collection on disk (re-read, as after a ``git pull``)."""
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    plan = pane.run_plan(pane.stores[0])
    assert plan is not None
    return plan


def open_history_entry(qtbot: QtBot, window: MainWindow, row: int = 0) -> None:
    """Click a history row and press Enter: its request goes into the editor."""
    history = window.history_pane
    click_row(qtbot, history.view, history.model.index(row, 0))
    with qtbot.waitSignal(history.open_in_editor):
        qtbot.keyClick(history.view, Qt.Key.Key_Return)


def apply_environments(qtbot: QtBot, dialog: EnvironmentsDialog) -> None:
    """Click Apply in the environments dialog and wait until it is written (secret values go
    to the keyring off the UI thread first); it must succeed."""
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.writing, timeout=WAIT_MS)
    assert dialog.error.text() == ""
    assert not dialog.has_changes()
