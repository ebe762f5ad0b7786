"""The explorer window end to end: a real demo server over loopback, stores in ``tmp_path``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.response import Timing, read_response
from explorer.demo import EXAMPLE_REQUEST, DemoServer
from explorer.demo.records import EMPLOYEES
from explorer.store.credentials import KeyringUnavailable, MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.store.profiles import Profile, ProfileStore
from explorer.ui.mainwindow.window import MainWindow
from explorer.ui.request.options import set_tri_state
from tests.ui.driving import send_and_wait
from tests.ui.response.test_response_view import click_tab

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
SLOW_SECONDS = 30.0  # the demo fixture's slow action; see conftest.py
WindowFactory = Callable[..., MainWindow]


def load(window: MainWindow, **fields: object) -> None:
    data = {**EXAMPLE_REQUEST, **fields}
    window.editor.load_request(RpcRequest.from_dict(data))
    window.editor.set_base_url(window.profile_selector.current().base_url)  # type: ignore[union-attr]


def test_sending_a_list_action_shows_its_data(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    load(window)
    assert window.editor.send_button.isEnabled()

    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        qtbot.mouseClick(window.editor.send_button, Qt.MouseButton.LeftButton)

    window.history_pane.flush()  # the history is written off the UI thread
    view = window.response_view
    assert view.status_label.text().startswith("200")
    assert view.error_panel.isHidden()
    first = EMPLOYEES[0]
    assert first["first_name"] in view.body.pretty_text()
    assert "x-request-id: " in view.request_id_label.text()
    # The Request tab shows what was sent, with the key redacted; curl uses the variable.
    click_tab(qtbot, view, "Request")
    request_text = view.request_view.toPlainText()
    assert "authorization: <redacted>" in request_text.lower()
    assert "x-account-id: acct_bamboohr_demo" in request_text
    click_tab(qtbot, view, "Code")
    assert "$STACKONE_API_KEY" in view.curl_view.toPlainText()
    # ...and the exchange is on top of the history.
    assert window.history.entries()[0].action == "bamboohr_list_employees"


def test_ctrl_enter_sends(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    load(window)
    window.editor.json_editors["query"].setFocus()
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        qtbot.keyClick(
            window.editor.json_editors["query"],
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.ControlModifier,
        )
    window.history_pane.flush()  # the history is written off the UI thread
    assert window.response_view.status_label.text().startswith("200")
    # The shortcut sent the request; it did not type a newline into the editor.
    assert window.editor.to_request().query == {"page_size": 5}


def test_missing_account_id_blocks_send_with_its_message(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    load(window)
    window.editor.account_edit.clear()

    assert not window.editor.send_button.isEnabled()
    assert not window.send_control.send_action.isEnabled()
    reason = window.editor.reason_label.text()
    assert "Account id" in reason and "x-account-id" in reason
    assert "x-account-id" in window.editor.send_button.toolTip()
    assert window.send_control.send() is False
    assert window.history.entries() == []

    window.editor.account_edit.setText("acct_bamboohr_demo")
    assert window.editor.send_button.isEnabled()
    assert window.editor.reason_label.isHidden()


def test_invalid_json_names_line_and_column_and_marks_the_tab(make_window: WindowFactory) -> None:
    window = make_window()
    load(window)
    editor = window.editor
    editor.json_editors["body"].setPlainText('{\n  "first_name": "Ada",\n  oops\n}')

    assert not editor.send_button.isEnabled()
    body_tab = 3
    assert not editor.tabs.tabIcon(body_tab).isNull()
    assert "line 3" in editor.tabs.tabToolTip(body_tab).lower()
    assert "Line 3, column 3" in editor.reason_label.text().replace("line", "Line")

    editor.json_editors["body"].setPlainText('{"first_name":"Ada"}')
    editor.tabs.setCurrentIndex(body_tab)
    window.format_action.trigger()
    assert editor.json_editors["body"].toPlainText() == '{\n  "first_name": "Ada"\n}'
    assert editor.tabs.tabIcon(body_tab).isNull()
    assert editor.send_button.isEnabled()


def test_wrong_key_shows_401_explained(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(key="not-the-right-key")
    load(window)
    # The key cannot list accounts either: the guard asks about an account it cannot know.
    exchange = send_and_wait(qtbot, window, guarded=True)

    assert exchange.response is not None and exchange.response.status == 401
    panel = window.response_view.error_panel
    assert panel.isVisible()
    assert panel.title_label.text().startswith("401")
    assert "API key" in panel.meaning_label.text()
    assert panel.profiles_button.isVisible()


def test_rate_limit_shows_countdown_and_retry_succeeds(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    load(window, action="hibob_search_employees", account_id="acct_hibob_demo", query=None)
    first = send_and_wait(qtbot, window)
    assert first.response is not None and first.response.status == 429

    panel = window.response_view.error_panel
    assert "retry in" in panel.countdown_label.text()
    assert panel.retry_button.isVisible() and not panel.retry_button.isEnabled()
    assert panel.auto_retry_check.isVisible() and not panel.auto_retry_check.isChecked()

    qtbot.waitUntil(panel.retry_button.isEnabled, timeout=WAIT_MS)
    assert "retry now" in panel.countdown_label.text()
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    window.history_pane.flush()  # the history is written off the UI thread
    retried = blocker.args[0]
    assert retried.response is not None and retried.response.status == 200
    assert retried.request.action == "hibob_search_employees"
    assert window.response_view.error_panel.isHidden()


def test_auto_retry_is_remembered_and_retries_by_itself(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    load(window, action="hibob_search_employees", account_id="acct_hibob_demo", query=None)
    send_and_wait(qtbot, window)
    panel = window.response_view.error_panel
    panel.auto_retry_check.setChecked(True)
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        pass  # the countdown ends and the panel retries without a click
    window.history_pane.flush()  # the history is written off the UI thread
    assert blocker.args[0].response.status == 200
    window.close()
    assert json.loads(home.settings_file.read_text())["auto_retry"] is True


def start_slow_send(qtbot: QtBot, window: MainWindow) -> None:
    """Send an action the demo takes ``SLOW_SECONDS`` over, and wait until it is in flight."""
    # The sandbox: a test account, which the production guard lets "generate" write to.
    load(
        window,
        action="bamboohr_generate_report",
        account_id="acct_bamboohr_sandbox",
        body={"seconds": SLOW_SECONDS},
        query=None,
    )
    with qtbot.waitSignal(window.send_control.started, timeout=WAIT_MS):
        window.send_control.send()


def test_slow_action_is_cancelled_with_escape(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    start_slow_send(qtbot, window)
    assert window.response_view.is_in_flight()
    assert window.editor.send_button.text() == "Cancel"
    # Editing stays possible while the request runs.
    window.editor.connector_profile_edit.setText("cp_bamboohr_default")
    qtbot.waitUntil(lambda: "s" in window.send_control.elapsed_label.text(), timeout=WAIT_MS)

    started = time.monotonic()
    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(window.editor.action_edit, Qt.Key.Key_Escape)
    window.history_pane.flush()  # the history is written off the UI thread
    took = time.monotonic() - started

    exchange = blocker.args[0]
    assert exchange.failure is not None and exchange.failure.kind == "Cancelled"
    assert took < SLOW_SECONDS / 3  # relative to the server's delay, not a wall-clock budget
    assert "Cancelled" in window.response_view.status_label.text()
    assert window.response_view.error_panel.title_label.text() == "Cancelled"
    assert window.editor.send_button.text() == "&Send"
    assert window.history.entries()[0].failure == "Cancelled"


def test_second_send_while_in_flight_is_ignored(qtbot: QtBot, make_window: WindowFactory) -> None:
    """Defined behaviour: one request in flight; another Send is refused with a note."""
    window = make_window()
    start_slow_send(qtbot, window)

    with qtbot.assertNotEmitted(window.send_control.started, wait=100):
        assert window.send_control.send() is False
        assert window.editor.send_button.text() == "Cancel"
        window.statusBar().clearMessage()  # the note must come from the key press too
        qtbot.keyClick(
            window.editor.action_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert "already in flight" in window.statusBar().currentMessage()

    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS):
        window.send_control.cancel()
    window.history_pane.flush()  # the history is written off the UI thread
    assert len(window.history.entries()) == 1
    assert window.send_control.send_action.isEnabled()


def test_binary_response_is_saved_with_save_as(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    load(
        window,
        action="documents_download_file",
        account_id="acct_drive_demo",
        path={"id": "file_q1_overview"},
        query=None,
    )
    exchange = send_and_wait(qtbot, window)
    response = exchange.response
    assert response is not None and response.kind == "binary"
    view = window.response_view
    assert view.body.pretty_stack.currentWidget() is view.body.binary_page
    assert response.filename and response.filename in view.body.binary_label.text()

    target = tmp_path / "saved" / "report.pdf"
    target.parent.mkdir()
    offered: list[str] = []

    def fake_dialog(
        _parent: object, _caption: str, directory: str, _filter: str
    ) -> tuple[str, str]:
        offered.append(directory)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    qtbot.mouseClick(view.body.save_button, Qt.MouseButton.LeftButton)

    # The file is written off the UI thread; the status bar says when it is done.
    qtbot.waitUntil(lambda: "Saved" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    assert target.read_bytes() == response.body
    assert offered[0].endswith(response.filename)


def test_transport_failure_names_the_base_url(qtbot: QtBot, make_window: WindowFactory) -> None:
    closed = DemoServer().start()
    url = closed.url
    closed.stop()  # nothing listens there any more: the connection is refused
    window = make_window(base_url=url)
    load(window)
    exchange = send_and_wait(qtbot, window, guarded=True)  # no account list either

    assert exchange.failure is not None and exchange.failure.kind == "ConnectFailed"
    panel = window.response_view.error_panel
    assert panel.title_label.text() == "Could not connect"
    assert url in panel.message_label.text() + panel.meaning_label.text()
    assert panel.retry_button.isVisible()


def test_provider_errors_are_listed(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    load(window, action="workday_list_workers", account_id="acct_workday_demo", query=None)
    exchange = send_and_wait(qtbot, window)
    assert exchange.response is not None and exchange.response.status == 502
    table = window.response_view.error_panel.provider_table
    assert table.isVisible() and table.rowCount() >= 1
    item = table.item(0, 0)
    assert item is not None and item.text() == "503"
    assert "Bad gateway" in window.response_view.error_panel.meaning_label.text()


def test_find_in_response(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    load(window)
    send_and_wait(qtbot, window)
    bar = window.response_view.find_bar
    window.find_action.trigger()
    assert bar.isVisible()
    qtbot.keyClicks(bar.edit, EMPLOYEES[0]["first_name"])
    target = window.response_view.body.pretty_rich
    assert target.textCursor().selectedText() == EMPLOYEES[0]["first_name"]
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.send_control.in_flight is False


def test_state_and_last_request_survive_restart(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    session = MemoryCredentials()
    window = make_window(session_keys=session)
    load(window, query={"page_size": 3})
    window.editor.options.debug_check.setChecked(True)
    set_tri_state(window.editor.options.defender_combos["block_high_risk"], True)
    send_and_wait(qtbot, window)
    window.resize(1111, 777)
    window.outer_splitter.setSizes([250, 861])
    sizes = window.outer_splitter.sizes()
    window.close()

    text = home.settings_file.read_text()
    assert "window_geometry" in text and "last_request" in text

    again = make_window(session_keys=session)
    # The geometry was restored rather than defaulted (1400x860). Qt fits a restored window
    # onto the screen, and the offscreen screen is only 800x800, so exact sizes are not compared.
    assert (again.width(), again.height()) != (1400, 860)
    # Fitted onto that screen, the side pane shrinks to its narrowest, which is the widest of
    # its tabs' narrowest: the Collections tab's, built once the window is on screen.
    again.show()
    qtbot.waitUntil(lambda: again.collections is not None and again.collections.built is not None)
    qtbot.waitUntil(lambda: again.outer_splitter.sizes()[0] == sizes[0])
    request = again.editor.to_request()
    assert request.query == {"page_size": 3}
    assert request.debug is True and request.defender.block_high_risk is True
    assert again.profile_selector.current().name == "Demo"  # type: ignore[union-attr]
    # History survives too, and selecting it shows the stored exchange.
    assert [e.action for e in again.history_pane.shown_entries()] == ["bamboohr_list_employees"]


def test_history_replay_loads_the_request(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    load(window, query={"page_size": 2})
    send_and_wait(qtbot, window)
    window.new_action.trigger()
    assert window.editor.draft_request().query is None
    assert window.editor.draft_request().action == ""

    stored = window.history.load(window.history.entries()[0].id)
    window.history_pane.open_in_editor.emit(stored.request)
    assert window.editor.to_request().query == {"page_size": 2}
    assert window.editor.to_request().action == "bamboohr_list_employees"


def test_curl_import_loads_request_and_never_stores_the_key(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    window = make_window()
    command = (
        "curl -X POST https://api.stackone.com/actions/rpc -u 'sk_pasted_key_123:' "
        "-H 'x-account-id: acct_greenhouse_demo' "
        '--data-raw \'{"action": "greenhouse_create_candidate", "body": {"first_name": "Ada"}}\''
    )
    assert window.curl_importer.import_text(command)
    request = window.editor.to_request()
    assert request.action == "greenhouse_create_candidate"
    assert request.account_id == "acct_greenhouse_demo"
    assert request.body == {"first_name": "Ada"}
    assert request.base_url == window.profile_selector.current().base_url  # type: ignore[union-attr]
    assert "not saved" in window.banner.text()
    window.close()
    for path in home.home.rglob("*"):
        if path.is_file():
            assert b"sk_pasted_key_123" not in path.read_bytes(), path


class _LockedKeyring(MemoryCredentials):
    """A keyring whose daemon is gone: every read fails the way KeyringCredentials does."""

    def get(self, profile: str) -> str | None:
        raise KeyringUnavailable("no Secret Service is running")


def test_a_profile_without_a_key_says_so(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(key="")
    load(window)
    with qtbot.assertNotEmitted(window.send_control.started):
        assert window.send_control.send()  # on its way: the key is read off the UI thread
        qtbot.waitUntil(lambda: "has no API key" in window.banner.text())
    assert not window.send_control.busy
    assert window.banner.action_button.text() == "Manage profiles…"


def test_an_unavailable_keyring_is_explained(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(key="", credentials=_LockedKeyring())
    load(window)
    with qtbot.assertNotEmitted(window.send_control.started):
        window.send_control.send()
        qtbot.waitUntil(lambda: "keyring is not available" in window.banner.text())
    text = window.banner.text()
    assert "keyring is not available" in text and "no Secret Service" in text
    assert "memory for this run" in text


class _DismissedKeyring(MemoryCredentials):
    """A keyring left locked: its password prompt was dismissed."""

    def get(self, profile: str) -> str | None:
        raise KeyringUnavailable("KeyringLocked: Failed to unlock the collection!", locked=True)


def test_a_locked_keyring_says_to_unlock_it(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(key="", credentials=_DismissedKeyring())
    load(window)
    with qtbot.assertNotEmitted(window.send_control.started):
        window.send_control.send()
        qtbot.waitUntil(lambda: "keyring is locked" in window.banner.text())
    text = window.banner.text()
    assert "unlock it (answer its password prompt) and try again" in text
    assert "not available" not in text and "install" not in text.lower()
    assert "memory for this run" in text


def test_switching_profile_changes_the_target(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths
) -> None:
    profiles = ProfileStore(home.profiles_file)
    profiles.upsert(Profile("EU", base_url="https://api.eu1.stackone.com", account_id="acct_eu"))
    profiles.save()
    window = make_window()
    window.editor.clear()
    window.editor.account_edit.clear()
    assert window.profile_selector.select("EU")
    assert window.editor.url_label.text() == "https://api.eu1.stackone.com/actions/rpc"
    assert window.editor.account_edit.text() == "acct_eu"  # the profile's default account
    assert window.profile_selector.select("Demo")
    assert window.editor.base_url() == window.profile_selector.current().base_url  # type: ignore[union-attr]


def test_selecting_history_shows_that_exchange(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    load(window, query={"page_size": 1})
    first = send_and_wait(qtbot, window)
    load(window, account_id="acct_suspended")
    second = send_and_wait(qtbot, window, guarded=True)  # not active: the guard asks
    assert second.response is not None and second.response.status == 412

    with qtbot.waitSignal(window.history_pane.selected, timeout=WAIT_MS):
        assert window.history_pane.select_entry(first.id)
    assert window.response_view.exchange is not None
    assert window.response_view.exchange.id == first.id
    assert window.response_view.status_label.text().startswith("200")


def test_keyboard_only_tab_order_through_the_editor(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    editor = window.editor
    editor.action_edit.setFocus()
    order: list[QWidget | None] = [editor.action_edit]
    for _ in range(7):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    # Reading order: each field, then what sits beside it ("Fill from schema" is disabled
    # until the action's schema is known, so it is skipped here).
    assert order[1] is editor.account_edit
    assert order[2] is window.discovery_controls.pick_button
    assert order[3] is editor.connector_profile_edit
    assert order[4] is editor.tabs.tabBar()
    assert order[5] is editor.format_button
    assert order[6] is editor.current_json_editor()
    # The JSON editors hand Tab on instead of typing it.
    assert order[7] is editor.options.sync_check
    # Alt+letter mnemonics reach the fields too.
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is editor.account_edit


def test_the_remembered_draft_hides_every_secret_looking_header(
    make_window: WindowFactory, home: AppPaths
) -> None:
    """Provider keys come in many names (``X-Api-Token``): none is written to settings.json."""
    window = make_window()
    load(window, headers={"X-Api-Token": "tok_CANARY_77", "Accept-Language": "en"})
    window.close()

    text = home.settings_file.read_text()
    assert "tok_CANARY_77" not in text
    saved = json.loads(text)["last_request"]["headers"]
    assert saved == {"X-Api-Token": "<redacted>", "Accept-Language": "en"}


def _saved_exchange(action: str, body: bytes) -> Exchange:
    request = RpcRequest(action=action, account_id="acc_1", base_url="http://127.0.0.1:9")
    response = read_response(
        200, [("content-type", "application/json")], body, timing=Timing(total_ms=5.0)
    )
    return Exchange(request=request, response=response)


def test_reopening_a_big_old_entry_then_a_newer_one_shows_the_newer(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    pane = window.history_pane
    big = json.dumps({"data": ["old" * 400] * 400}).encode()  # read back on a thread
    pane.add(_saved_exchange("old_big_action", big), select=False)
    pane.add(_saved_exchange("newer_action", b'{"data": ["newer"]}'), select=False)
    pane.flush()

    pane.view.setCurrentIndex(pane.model.index(1, 0))  # the old, big one
    assert window.response_view.is_in_flight()
    assert "Loading old_big_action" in window.response_view.in_flight_label.text()
    assert not window.response_view.in_flight_cancel.isVisible()  # nothing to cancel
    pane.view.setCurrentIndex(pane.model.index(0, 0))  # the newer one, before the old is read
    pane.reader.wait()
    qtbot.wait(50)  # a stale result would arrive now
    shown = window.response_view.exchange
    assert shown is not None and shown.request.action == "newer_action"

    def shown_action() -> str | None:
        exchange = window.response_view.exchange
        return exchange.request.action if exchange is not None else None

    pane.view.setCurrentIndex(pane.model.index(1, 0))
    qtbot.waitUntil(lambda: shown_action() == "old_big_action", timeout=WAIT_MS)
    assert not window.response_view.is_in_flight()
