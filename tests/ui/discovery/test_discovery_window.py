"""Account and action discovery in the window, against a real demo server over loopback."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.core.client import RpcClient
from explorer.core.discovery import Account, ActionInfo
from explorer.demo import DemoServer
from explorer.demo.accounts import ACCOUNTS
from explorer.store.credentials import MemoryCredentials
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.discovery import DiscoveryService, quiet_key_lookup
from explorer.ui.discovery.controls import ACCOUNT_SETTLE_MS
from explorer.ui.discovery.model import VALUE_ROLE, AccountsModel, ActionsModel
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import send_and_wait

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
WindowFactory = Callable[..., MainWindow]


def loaded_window(qtbot: QtBot, make_window: WindowFactory, **kwargs: object) -> MainWindow:
    """A window whose accounts and actions have arrived (they load when the profile is set)."""
    window = make_window(**kwargs)
    qtbot.waitUntil(lambda: window.discovery.accounts() is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.discovery.actions() is not None, timeout=WAIT_MS)
    return window


def completions(window: MainWindow) -> list[str]:
    model = window.editor.action_completer.model()
    role = Qt.ItemDataRole.EditRole  # what the completer matches and inserts
    return [str(model.index(row, 0).data(role)) for row in range(model.rowCount())]


def test_picking_an_account_fills_the_field(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = loaded_window(qtbot, make_window)
    controls = window.discovery_controls
    window.editor.account_edit.setFocus()
    qtbot.keyClick(window.editor.account_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = controls.popup
    assert popup.isVisible()
    assert "acct_greenhouse_demo" in popup.visible_ids()
    assert popup.status_label.text().startswith("11 accounts, 4 not active")

    qtbot.keyClicks(popup.filter_edit, "greenhouse")
    assert popup.visible_ids() == ["acct_greenhouse_demo"]
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Return)

    assert not popup.isVisible()
    assert window.editor.account_edit.text() == "acct_greenhouse_demo"
    controls.pick_button.click()  # the mouse way
    assert popup.isVisible()
    qtbot.keyClick(popup.filter_edit, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    # The field stays free text: typing over a pick is fine, and an id the catalogue does
    # not know still completes the known action names.
    window.editor.account_edit.setText("acct_typed_by_hand")
    assert window.editor.draft_request().account_id == "acct_typed_by_hand"
    qtbot.waitUntil(lambda: window.discovery.actions("acct_typed_by_hand") is not None)
    assert window.editor.action_completer.model() is not controls.actions_model


def test_a_suspended_account_is_marked_and_listed_last(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = loaded_window(qtbot, make_window)
    model = window.discovery_controls.accounts_model
    ids = [model.index(row, 0).data(VALUE_ROLE) for row in range(model.rowCount())]
    assert ids[-1] == "acct_suspended"
    last = model.index(model.rowCount() - 1, 0)
    assert "suspended" in last.data(Qt.ItemDataRole.DisplayRole)
    assert last.data(Qt.ItemDataRole.DisplayRole).startswith("⚠")
    assert "credentials_revoked" in last.data(Qt.ItemDataRole.ToolTipRole)
    assert last.data(Qt.ItemDataRole.ForegroundRole) is not None
    first = model.index(0, 0)
    assert "suspended" not in first.data(Qt.ItemDataRole.DisplayRole)


def test_actions_follow_the_chosen_account(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = loaded_window(qtbot, make_window)
    assert "bamboohr_list_employees" in completions(window)  # the profile's bamboohr account

    with qtbot.waitSignal(window.discovery.actions_loaded, timeout=WAIT_MS):
        window.discovery_controls.choose_account("acct_greenhouse_demo")

    names = completions(window)
    assert "greenhouse_create_candidate" in names
    assert not [n for n in names if n.startswith("bamboohr_")]
    model = window.editor.action_completer.model()
    row = names.index("greenhouse_create_candidate")
    assert "Create Candidate" in model.index(row, 0).data(Qt.ItemDataRole.DisplayRole)
    assert "bad input gives 422" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)

    # Typing part of a name and taking the suggestion inserts the bare action name.
    edit = window.editor.action_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "candidate")
    popup = window.editor.action_completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=WAIT_MS)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert edit.text() == "greenhouse_create_candidate"


def test_ctrl_enter_while_suggestions_are_open_sends_and_closes_them(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """What is sent is the field's text; the list of suggestions goes with the send, not
    left open over the response."""
    window = loaded_window(qtbot, make_window)
    edit = window.editor.action_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "bamboohr_list_employee")
    popup = window.editor.action_completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=WAIT_MS)
    qtbot.keyClicks(edit, "s")
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(popup, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].request.action == "bamboohr_list_employees"
    assert not popup.isVisible()


def test_fill_from_schema_then_send_names_the_empty_fields(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = loaded_window(qtbot, make_window)
    editor = window.editor
    editor.json_editors["query"].setPlainText('{"page_size": 5}')
    with qtbot.waitSignal(window.discovery.actions_loaded, timeout=WAIT_MS):
        window.discovery_controls.choose_account("acct_greenhouse_demo")
    editor.action_edit.setText("greenhouse_create_candidate")
    assert window.discovery_controls.fill_button.isEnabled()

    window.fill_schema_action.trigger()  # Request > Fill inputs from schema (Ctrl+Shift+K)

    request = editor.to_request()
    assert request.body == {"first_name": "", "last_name": "", "emails": []}
    assert request.query is None  # nothing of the previous action leaks into this one
    assert editor.tabs.currentIndex() == 3  # the Body tab
    assert "Undo" in window.discovery_controls.fill_label.text()

    # A create on Acme's production Greenhouse: the production guard asks first.
    exchange = send_and_wait(qtbot, window, guarded=True)
    assert exchange.response is not None
    assert exchange.response.status == 422
    text = exchange.response.text() + window.response_view.body.pretty_text()
    assert "first_name must be a non-empty string" in text
    assert "last_name must be a non-empty string" in text

    # The replaced text can be brought back.
    window.discovery_controls.undo_fill()
    assert editor.to_request().query == {"page_size": 5}


def test_fill_without_any_schema_says_why(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = loaded_window(qtbot, make_window)
    controls = window.discovery_controls
    window.editor.action_edit.setText("no_such_action")
    # Not in the catalogue: the account's MCP tools may still know it, so the button asks.
    assert controls.fill_button.isEnabled()
    with qtbot.waitSignal(window.discovery.tools_loaded, timeout=WAIT_MS):
        qtbot.mouseClick(controls.fill_button, Qt.MouseButton.LeftButton)
    assert "No input schema known for 'no_such_action'" in controls.fill_label.text()
    assert "MCP tools" in controls.fill_label.text()
    assert not controls.fill_button.isEnabled()  # asked once: nothing more to try


def test_fill_asks_mcp_when_the_catalogue_has_no_details(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """Workday's catalogue entry has no details in the demo; its MCP tool has the schema."""
    window = loaded_window(qtbot, make_window)
    controls = window.discovery_controls
    with qtbot.waitSignal(window.discovery.actions_loaded, timeout=WAIT_MS):
        controls.choose_account("acct_workday_demo")
    window.editor.action_edit.setText("workday_list_workers")
    assert controls.schema_action() is None  # the catalogue lists it without a schema
    assert controls.fill_button.isEnabled()

    with qtbot.waitSignal(window.discovery.tools_loaded, timeout=WAIT_MS):
        qtbot.mouseClick(controls.fill_button, Qt.MouseButton.LeftButton)
    assert window.editor.to_request().query == {"page_size": 10, "next": None}
    assert "(MCP tools/list)" in controls.fill_label.text()
    assert window.discovery.last_worker_thread != threading.get_ident()

    # The tools are cached for the account: a second fill needs no request.
    window.editor.json_editors["query"].setPlainText("")
    assert controls.fill_from_schema()
    assert window.editor.to_request().query == {"page_size": 10, "next": None}


def test_the_picker_shows_customer_type_and_why_an_account_is_off(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = loaded_window(qtbot, make_window)
    model = window.discovery_controls.accounts_model
    rows = {model.index(r, 0).data(VALUE_ROLE): model.index(r, 0) for r in range(model.rowCount())}
    production = rows["acct_bamboohr_globex"].data(Qt.ItemDataRole.DisplayRole)
    assert "Globex Corporation" in production and "PRODUCTION" in production
    assert "· test" in rows["acct_bamboohr_sandbox"].data(Qt.ItemDataRole.DisplayRole)
    initech = rows["acct_bamboohr_initech"]
    assert initech.data(Qt.ItemDataRole.DisplayRole).startswith("⚠")
    assert "inactive: token_expired" in initech.data(Qt.ItemDataRole.DisplayRole)
    tip = initech.data(Qt.ItemDataRole.ToolTipRole)
    assert "customer: Initech (org_initech)" in tip
    assert "reconnect_requested" in tip and "2026-02-21T09:00:00.000Z" in tip
    # The filter finds accounts by customer.
    controls = window.discovery_controls
    controls.open_picker()
    qtbot.keyClicks(controls.popup.filter_edit, "globex")
    assert controls.popup.visible_ids() == ["acct_bamboohr_globex"]
    qtbot.keyClick(controls.popup.filter_edit, Qt.Key.Key_Escape)


def test_the_request_as_an_agent_sends_it_both_ways(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = loaded_window(qtbot, make_window)
    editor = window.editor
    editor.action_edit.setText("bamboohr_get_employee")
    editor.json_editors["path"].setPlainText('{"id": "40002"}')
    qtbot.mouseClick(window.discovery_controls.agent_button, Qt.MouseButton.LeftButton)
    view = window.discovery_controls.agent_view
    assert view is not None and view.isVisible()
    assert '"path_id": "40002"' in view.tool_call_edit.toPlainText()
    wire = view.wire_view.toPlainText()
    assert '"body": {}' in wire and '"x-account-id": "acct_bamboohr_demo"' in wire
    assert "Accept-Encoding: gzip, deflate" in wire
    assert "body is always sent" in view.differences_label.text()

    # An agent's call pasted from a log becomes the editor's request.
    call = '{"name": "bamboohr_list_employees", "arguments": {"query_page_size": 3}}'
    QApplication.clipboard().setText(call)
    view.tool_call_edit.setFocus()
    qtbot.keyClick(view.tool_call_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.tool_call_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert '"query": {\n    "page_size": 3' in view.wire_view.toPlainText()
    qtbot.mouseClick(view.load_button, Qt.MouseButton.LeftButton)
    request = editor.to_request()
    assert (request.action, request.query, request.path) == (
        "bamboohr_list_employees",
        {"page_size": 3},
        None,
    )
    assert request.account_id == "acct_bamboohr_demo"  # the call does not carry the account

    # What cannot be read is said, and nothing is loaded.
    view.tool_call_edit.setPlainText('{"arguments": []}')
    assert view.problem_label.isVisible() and not view.load_button.isEnabled()
    view.close()


def test_a_wrong_key_shows_a_hint_and_send_still_works(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer
) -> None:
    window = make_window(key="wrong_key")
    controls = window.discovery_controls
    qtbot.waitUntil(lambda: controls.status_label.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.discovery.busy(), timeout=WAIT_MS)
    text = controls.status_label.text()
    assert "401" in text and "check the API key" in text
    assert window.banner.text() == ""  # quiet: no banner, no dialog
    # Completion falls back to the known names; the fields and Send are untouched.
    assert window.editor.action_completer.model() is not controls.actions_model
    window.editor.action_edit.setText("bamboohr_list_employees")
    assert window.editor.send_button.isEnabled()

    # No account list: the guard asks about an account it cannot know, then it goes.
    exchange = send_and_wait(qtbot, window, guarded=True)
    assert exchange.response is not None
    assert exchange.response.status == 401  # the RPC went out and got StackOne's answer

    # Correcting the key and retrying clears the line.
    window.session_keys.set("Demo", demo.api_key)
    window.profile_selector.reload()
    qtbot.waitUntil(lambda: window.discovery.accounts() is not None, timeout=WAIT_MS)
    assert not controls.status_label.isVisible()


def test_listing_happens_off_the_ui_thread(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    with qtbot.waitSignal(window.discovery.accounts_loaded, timeout=WAIT_MS):
        window.discovery_controls.refresh()
    worker = window.discovery.last_worker_thread
    assert worker is not None
    assert worker != threading.get_ident()


def test_listings_are_cached_per_profile(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = loaded_window(qtbot, make_window)
    first = window.discovery.accounts()
    # Re-selecting the profile emits the cached listing at once, without a fetch.
    with qtbot.waitSignal(window.discovery.accounts_loaded, timeout=1000) as blocker:
        window.profile_selector.reload()
    assert blocker.args[0] is first
    assert not window.discovery.busy()


def test_models_pass_the_model_tester(qtmodeltester: ModelTester) -> None:
    accounts = AccountsModel()
    accounts.set_rows(
        [Account("a2", status="suspended", label="Old"), Account("a1", status="active")]
    )
    assert [accounts.index(r, 0).data(VALUE_ROLE) for r in range(2)] == ["a1", "a2"]
    actions = ActionsModel()
    actions.set_rows([ActionInfo("x_list", label="List", description="Lists x")])
    for model in (accounts, actions):
        qtmodeltester.check(model)


def test_screenshot_of_the_open_picker(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = loaded_window(qtbot, make_window)
    window.discovery_controls.open_picker()
    qtbot.waitExposed(window.discovery_controls.popup)
    assert not window.discovery_controls.popup.grab().isNull()
    assert window.discovery_controls.popup.grab().save(str(tmp_path / "picker.png"))


def test_switching_profiles_shows_each_ones_accounts(
    qtbot: QtBot, make_window: WindowFactory, demo: DemoServer
) -> None:
    window = loaded_window(qtbot, make_window)
    controls = window.discovery_controls
    window.profiles.upsert(Profile("Other", base_url=demo.url))
    window.profiles.save()
    window.session_keys.set("Other", "another_projects_key")
    window.profile_selector.reload()

    assert window.profile_selector.select("Other")
    assert controls.accounts_model.rowCount() == 0  # never the previous profile's accounts
    qtbot.waitUntil(lambda: "401" in controls.status_label.text(), timeout=WAIT_MS)

    assert window.profile_selector.select("Demo")  # cached for the session: back with no fetch
    qtbot.waitUntil(lambda: controls.accounts_model.rowCount() == len(ACCOUNTS), timeout=WAIT_MS)
    assert not controls.status_label.isVisible()


class ThreadRecordingCredentials(MemoryCredentials):
    """A key store like the keyring, noting which thread asked for each key."""

    def __init__(self) -> None:
        super().__init__()
        self.reader_threads: list[int] = []

    def get(self, profile: str) -> str | None:
        self.reader_threads.append(threading.get_ident())
        return super().get(profile)


def test_the_key_is_read_off_the_ui_thread(qtbot: QtBot, demo: DemoServer) -> None:
    keyring = ThreadRecordingCredentials()
    keyring.set("Demo", demo.api_key)
    client = RpcClient()
    service = DiscoveryService(client, quiet_key_lookup(MemoryCredentials(), keyring))
    try:
        with qtbot.waitSignal(service.accounts_loaded, timeout=WAIT_MS) as blocker:
            service.set_target("Demo", demo.url)
            # The UI thread went on at once: the key is still being read, nothing failed.
            assert service.busy() and service.accounts() is None
        assert "acct_bamboohr_demo" in [a.id for a in blocker.args[0]]  # the keyring's key
        with qtbot.waitSignal(service.accounts_loaded, timeout=WAIT_MS):
            service.refresh()  # reads the key again, still on the pool
    finally:
        service.shutdown()
        client.close()
    assert len(keyring.reader_threads) == 2
    assert threading.get_ident() not in keyring.reader_threads


def test_a_missing_key_is_one_quiet_line(qtbot: QtBot, demo: DemoServer) -> None:
    client = RpcClient()
    service = DiscoveryService(client, quiet_key_lookup(MemoryCredentials(), MemoryCredentials()))
    try:
        with qtbot.waitSignal(service.failed, timeout=WAIT_MS) as blocker:
            service.set_target("Demo", demo.url)
        assert "has no API key yet" in blocker.args[0].text
        assert not service.busy()
    finally:
        service.shutdown()
        client.close()


def test_the_window_appears_before_the_key_is_read(
    qtbot: QtBot, demo: DemoServer, home: AppPaths
) -> None:
    """Reading the key imports the keyring library, whose Python code competes with the UI
    thread even on a pool thread: the window paints first, then discovery reads the key."""
    keyring = ThreadRecordingCredentials()
    keyring.set("Demo", demo.api_key)
    session = ThreadRecordingCredentials()  # this run's memory: empty, so the keyring is asked
    window = MainWindow(
        settings=Settings(home.settings_file),
        profiles=_demo_profiles(home, demo),
        credentials=keyring,
        session_keys=session,
        history=HistoryStore(home.history_dir),
    )
    qtbot.addWidget(window)
    qtbot.wait(50)
    assert keyring.reader_threads == [] and window.discovery.busy()  # not shown: not read

    with qtbot.waitSignal(window.discovery.accounts_loaded, timeout=WAIT_MS):
        window.show()
    assert keyring.reader_threads and threading.get_ident() not in keyring.reader_threads
    window.discovery.shutdown()
    window.send_control.shutdown()


def _demo_profiles(home: AppPaths, demo: DemoServer) -> ProfileStore:
    profiles = ProfileStore(home.profiles_file)
    profiles.upsert(Profile("Demo", base_url=demo.url, account_id="acct_bamboohr_demo"))
    profiles.save()
    return profiles


def test_nothing_is_fetched_once_the_window_has_closed(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    """A listing started after close (the account field's settle timer firing late) would be
    waited for by the pool's destructor while Python holds the lock the job needs to start:
    the app would hang on exit."""
    window = loaded_window(qtbot, make_window)
    window.editor.account_edit.setText("acct_greenhouse_demo")  # its catalogue is due soon
    window.close()
    with qtbot.assertNotEmitted(window.discovery.loading, wait=ACCOUNT_SETTLE_MS + 300):
        pass
    assert not window.discovery.busy()
