"""Driving the window as a person does: clicks on rows, Enter, Ctrl+Enter.

Shared by the window tests so each reads as the journey it checks.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.demo import EXAMPLE_REQUEST
from explorer.run.plan import RunPlan
from explorer.store.collections import CollectionStore, Environment
from explorer.store.credentials import MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.ui.collections.carry import SetVariableDialog
from explorer.ui.collections.environments_dialog import EnvironmentsDialog
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


def select_collection(window: MainWindow, name: str) -> None:
    """The collection ``name`` selected in the pane (re-read from disk first)."""
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    for row in range(pane.model.rowCount()):
        index = pane.model.index(row, 0)
        if index.data(Qt.ItemDataRole.DisplayRole) == name:
            pane.view.setCurrentIndex(index)
            return
    raise AssertionError(f"no collection {name!r} in the tree")


def open_in_environment(window: MainWindow, store: CollectionStore, environment: str) -> None:
    """The first saved request of ``store`` open in the window, ``environment`` active."""
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    mine = next(s for s in pane.stores if s.root == store.root)
    pane.open(mine, mine.collection.requests()[0])
    assert pane.environment.set_active(environment)


# -- Set variable… (on the body or on a Filter result) --------------------------------------


def window_in_environment(
    make_window: Callable[..., MainWindow],
    home: AppPaths,
    credentials: MemoryCredentials | None = None,
) -> tuple[MainWindow, CollectionStore, MemoryCredentials]:
    """A window whose collection "Chain" is selected with its (empty) environment "demo"
    active; secret values go to the returned keyring (``credentials``, or a new one)."""
    credentials = credentials if credentials is not None else MemoryCredentials()
    store = CollectionStore.create(home.collections_dir / "chain", "Chain", credentials=credentials)
    store.set_environment(Environment("demo", {}))
    window = make_window(credentials=credentials)
    select_collection(window, "Chain")
    pane = window.collections_pane
    assert pane is not None and pane.environment.set_active("demo")
    return window, store, credentials


def name_variable(
    name: str,
    *,
    suggested: str | None = None,
    path: str | None = None,
    environment: bool = False,
    capture: bool = False,
) -> Callable[[QWidget], None]:
    """An answer to the Set variable dialog: type ``name`` over the suggested one (checked
    when given, with the value's ``path``; session only unless chosen), choose the
    environment and the capture if asked, Enter."""

    def answer(widget: QWidget) -> None:
        assert isinstance(widget, SetVariableDialog)
        if suggested is not None:
            assert widget.name_edit.text() == suggested
        if path is not None:
            assert widget.path_label.text() == path
        assert widget.session_radio.isChecked()  # session only, unless chosen
        QTest.keyClicks(widget.name_edit, name)  # the suggested name is selected: replaced
        if environment:
            QTest.mouseClick(widget.environment_radio, Qt.MouseButton.LeftButton)
        if capture:
            QTest.mouseClick(widget.capture_check, Qt.MouseButton.LeftButton)
        QTest.keyClick(widget.name_edit, Qt.Key.Key_Return)

    return answer


def employee_id_fills_the_next_request(
    qtbot: QtBot, window: MainWindow, home: AppPaths, employee_id: str
) -> None:
    """``{{employee_id}}`` was set for this session: the next request, in a tab of its own,
    is sent with the value; once the window is closed no file holds the variable."""
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    exchange = send(
        qtbot,
        window,
        RpcRequest(
            action="bamboohr_get_employee",
            account_id="acct_bamboohr_demo",
            path={"id": "{{employee_id}}"},
        ),
    )
    assert exchange.request.path == {"id": employee_id}
    assert exchange.response is not None and exchange.response.status == 200
    window.close()
    for path in home.collections_dir.rglob("*"):  # session only: no file holds it
        if path.is_file():
            assert "employee_id" not in path.read_text(), path
