"""The production guard in the window, against the demo over real sockets: production accounts
are marked wherever an account is named, and writing to one (or sending anything to an account
that is not active, or that nothing is known about) asks once per account and session, naming
the customer, with "Don't send" as the default answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from explorer.core.request import RpcRequest
from explorer.demo import DEMO_ACTIONS_ONLY_KEY
from explorer.store.collections import CollectionStore, SavedRequest
from explorer.store.paths import AppPaths
from explorer.ui.guard.marks import production_icon
from explorer.ui.history.model import Column
from explorer.ui.mainwindow.window import APP_TITLE, MainWindow
from explorer.ui.preferences.dialog import PreferencesDialog
from explorer.ui.run.dialog import RunColumn
from tests.ui.accessible_tree import unnamed
from tests.ui.driving import collection_plan, type_account
from tests.ui.production import answer, question

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
WindowFactory = Callable[..., MainWindow]
CTRL = Qt.KeyboardModifier.ControlModifier


def ready(qtbot: QtBot, make_window: WindowFactory) -> MainWindow:
    """A window whose account list has arrived."""
    window = make_window()
    qtbot.waitUntil(lambda: window.discovery.accounts() is not None, timeout=WAIT_MS)
    return window


def send_unasked(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Enter sends at once: the guard asks nothing."""
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        ctrl_enter(qtbot, window)
    assert window.guard.question is None


def load(window: MainWindow, action: str, account_id: str, **fields: object) -> None:
    window.editor.load_request(RpcRequest(action=action, account_id=account_id, **fields))  # type: ignore[arg-type]
    window.editor.set_base_url(window.profile_selector.current().base_url)  # type: ignore[union-attr]


def ctrl_enter(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Enter in the action field (shortcuts reach only the active window)."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    window.editor.action_edit.setFocus()  # where the user was typing
    qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Return, CTRL)


def button(box: QMessageBox, name: str) -> QAbstractButton:
    found = box.findChild(QAbstractButton, name)
    assert found is not None
    return found


def test_a_production_account_is_marked_beside_the_field_in_the_title_and_the_picker(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = ready(qtbot, make_window)
    badge = window.marks.badge

    type_account(qtbot, window, "acct_greenhouse_demo")
    assert badge.isVisible() and badge.text() == "PROD"
    assert badge.accessibleName() == "Account: PRODUCTION"
    assert "Acme Demo Ltd" in badge.toolTip()
    assert window.windowTitle().startswith(
        "PRODUCTION · Acme Demo Ltd · Acme - Greenhouse (acct_greenhouse_demo)"
    )
    assert "PRODUCTION" in window.editor.account_edit.accessibleDescription()

    type_account(qtbot, window, "acct_bamboohr_sandbox")
    assert badge.text() == "test"
    assert window.windowTitle() == APP_TITLE

    type_account(qtbot, window, "acct_bamboohr_initech")
    assert badge.text() == "PROD · inactive"

    type_account(qtbot, window, "acct_typed_by_hand")
    assert not badge.isVisible()
    assert window.windowTitle() == APP_TITLE

    # The picker: a red dot beside every production account, none beside the others.
    qtbot.keyClick(window.editor.account_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    model = window.discovery_controls.accounts_model
    red = production_icon().cacheKey()
    dots = {
        model.account(row).id: model.index(row).data(Qt.ItemDataRole.DecorationRole).cacheKey()  # type: ignore[union-attr]
        == red
        for row in range(model.rowCount())
    }
    assert dots["acct_bamboohr_demo"] and dots["acct_greenhouse_demo"]
    assert not dots["acct_bamboohr_sandbox"] and not dots["acct_workday_demo"]
    qtbot.keyClick(window.discovery_controls.popup.filter_edit, Qt.Key.Key_Escape)


def test_reading_from_production_goes_at_once_and_history_marks_the_account(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = ready(qtbot, make_window)
    load(window, "bamboohr_list_employees", "acct_bamboohr_demo")
    send_unasked(qtbot, window)  # a read asks nothing
    window.history_pane.flush()
    model = window.history_pane.model
    index = model.index(0, Column.ACCOUNT)
    assert index.data() == "PROD · acct_bamboohr_demo"
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "Acme Demo Ltd" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_writing_to_production_asks_once_naming_the_customer_and_no_is_the_default(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = ready(qtbot, make_window)
    load(
        window,
        "greenhouse_create_candidate",
        "acct_greenhouse_demo",
        body={"first_name": "Ada", "last_name": "Lovelace", "emails": []},
    )
    # Enter takes the default answer: nothing is sent.
    with qtbot.assertNotEmitted(window.send_control.started, wait=200):
        ctrl_enter(qtbot, window)
        box = question(qtbot, window)
        assert box.windowTitle() == "Write to a production account?"
        assert "greenhouse_create_candidate" in box.text() and "PRODUCTION" in box.text()
        details = box.informativeText()
        assert "Customer: Acme Demo Ltd" in details
        assert "Acme - Greenhouse (acct_greenhouse_demo), Greenhouse, PRODUCTION" in details
        assert "Status: active" in details
        assert box.defaultButton() is button(box, "guardNo")
        assert unnamed(box) == []
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.guard.question is None, timeout=WAIT_MS)
    assert window.history.entries() == []
    assert window.statusBar().currentMessage().startswith("Not sent")

    # Asked again after a no; "Send to production" sends.
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as sent:
        ctrl_enter(qtbot, window)
        asked = answer(qtbot, window, yes=True)
    assert asked.yes == "Send to production"
    assert sent.args[0].response.status == 200

    # Once per account and session: the next write goes without a question.
    send_unasked(qtbot, window)


def test_an_account_that_is_not_active_is_asked_about_with_its_reasons(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = ready(qtbot, make_window)
    load(window, "bamboohr_list_employees", "acct_bamboohr_initech")
    with qtbot.assertNotEmitted(window.send_control.started, wait=200):
        ctrl_enter(qtbot, window)
        box = question(qtbot, window)
        details = box.informativeText()
        assert "Customer: Initech" in details
        assert "Status: inactive" in details
        assert "token_expired: BambooHR rejected the stored API key" in details
        assert "reconnect_requested" in details
        qtbot.keyClick(box, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: window.guard.question is None, timeout=WAIT_MS)
    assert not window.guard.pending


def test_a_send_waits_for_the_account_list_and_esc_stops_it(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = ready(qtbot, make_window)
    load(window, "greenhouse_create_candidate", "acct_greenhouse_demo", body={})
    # The list is being fetched again (Request > Reload): the send waits for it, and the
    # question that follows knows the account rather than calling it unknown.
    window.reload_discovery_action.trigger()
    assert window.discovery.accounts_loading()
    ctrl_enter(qtbot, window)
    assert window.guard.pending and window.guard.question is None
    assert "Checking the account" in window.statusBar().currentMessage()
    box = question(qtbot, window)
    assert "Customer: Acme Demo Ltd" in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.guard.pending, timeout=WAIT_MS)

    # Esc while it waits: nothing is sent.
    window.reload_discovery_action.trigger()
    with qtbot.assertNotEmitted(window.send_control.started, wait=300):
        ctrl_enter(qtbot, window)
        assert window.guard.pending
        qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Escape)
        assert not window.guard.pending
    assert window.guard.question is None


def test_the_preference_leaves_test_accounts_alone_but_never_production(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = ready(qtbot, make_window)
    # Acme's HiBob sandbox: a test account that has expired.
    load(window, "hibob_search_employees", "acct_hibob_sandbox")
    ctrl_enter(qtbot, window)
    box = question(qtbot, window)
    assert "sandbox_expired" in box.informativeText()
    qtbot.mouseClick(button(box, "guardNo"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.guard.question is None, timeout=WAIT_MS)

    dialog = PreferencesDialog(window.preferences(), window)
    dialog.show()
    assert dialog.guard_test_check.isChecked()
    qtbot.mouseClick(dialog.guard_test_check, Qt.MouseButton.LeftButton)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[union-attr]
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    window.apply_preferences(dialog.preferences())
    dialog.deleteLater()
    assert window.settings.get("guard_test_accounts") is False

    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as sent:
        ctrl_enter(qtbot, window)
    assert window.guard.question is None
    assert sent.args[0].response.status == 412  # StackOne's answer for an expired account

    load(window, "greenhouse_create_candidate", "acct_greenhouse_demo", body={})
    ctrl_enter(qtbot, window)
    answer(qtbot, window, yes=False)  # production is always asked about


def test_a_collection_run_asks_once_for_the_batch_listing_the_production_accounts(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    store = CollectionStore.create(home.collections_dir / "writes", "Writes")
    for name, action, account in (
        ("List", "bamboohr_list_employees", "acct_bamboohr_sandbox"),
        ("Create", "greenhouse_create_candidate", "acct_greenhouse_demo"),
        ("Update", "bamboohr_update_employee", "acct_bamboohr_globex"),
    ):
        store.save_request(SavedRequest(name, RpcRequest(action=action, account_id=account)))
    window = ready(qtbot, make_window)
    plan = collection_plan(window)

    with qtbot.assertNotEmitted(window.send_control.finished, wait=200):
        assert window.run_control.run(plan) is None
        asked = answer(qtbot, window, yes=False)
    assert asked.title == "Run against production accounts?"
    assert "2 PRODUCTION accounts" in asked.text
    details = asked.details
    assert "Customer: Acme Demo Ltd" in details and "Customer: Globex Corporation" in details
    assert "Sends: greenhouse_create_candidate" in details
    assert "acct_bamboohr_sandbox" not in details  # a test account needs no word
    assert window.run_control.dialog is None and window.history.entries() == []

    window.run_control.run(plan)
    answer(qtbot, window, yes=True)
    dialog = window.run_control.dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.run_finished, timeout=WAIT_MS):
        pass
    cells = [dialog.model.index(row, RunColumn.ACCOUNT) for row in range(3)]
    assert [c.data() for c in cells] == [
        "acct_bamboohr_sandbox",
        "PROD · acct_greenhouse_demo",
        "PROD · acct_bamboohr_globex",
    ]
    assert cells[1].data(Qt.ItemDataRole.DecorationRole) is not None
    assert cells[0].data(Qt.ItemDataRole.DecorationRole) is None
    dialog.close()

    # The batch's yes covers those accounts for the session.
    load(window, "greenhouse_create_candidate", "acct_greenhouse_demo", body={})
    send_unasked(qtbot, window)


def test_a_key_that_cannot_list_accounts_fails_closed(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    # A key with only the Actions scope: GET /accounts answers 403, so nothing is known about
    # any account, and even a read asks once, saying why.
    window = make_window(key=DEMO_ACTIONS_ONLY_KEY)
    qtbot.waitUntil(lambda: not window.discovery.accounts_loading(), timeout=WAIT_MS)
    assert window.discovery.accounts() is None
    load(window, "bamboohr_list_employees", "acct_bamboohr_demo")
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as sent:
        ctrl_enter(qtbot, window)
        asked = answer(qtbot, window, yes=True)
    assert asked.title == "Send to an account the explorer does not know?"
    assert "403" in asked.details and "acct_bamboohr_demo" in asked.text
    assert sent.args[0].response.status == 200  # the key may still run actions
    send_unasked(qtbot, window)  # once per account and session


def test_a_question_about_many_accounts_keeps_to_the_screen(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = ready(qtbot, make_window)
    accounts = window.discovery.accounts()
    assert accounts is not None
    production = [a.id for a in accounts if a.type == "production"]
    store = CollectionStore.create(home.collections_dir / "many", "Many")
    for account in production:
        request = RpcRequest(action="bamboohr_update_employee", account_id=account)
        store.save_request(SavedRequest(f"Update {account}", request))
    plan = collection_plan(window)
    window.run_control.run(plan)
    box = question(qtbot, window)
    assert f"{len(production)} PRODUCTION accounts" in box.text()
    assert "more lines under Show Details" in box.informativeText()
    assert box.informativeText().count("\n") < 30  # the box stays on the screen
    assert all(account in box.detailedText() for account in production)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.guard.question is None, timeout=WAIT_MS)
    assert window.run_control.dialog is None
