"""Sending a history entry again never sends the placeholder a secret was hidden behind.

The history keeps only the scrubbed copy of what was sent: a secret variable's value reads
``<redacted>`` there. Retrying such an entry (the window's Retry, after picking it in the
history) or opening it in the editor and sending it used to send ``<redacted>`` to the live
account. Now the entry also keeps the request's ``{{variable}}`` template, so a replay takes
the secret from the active environment again (through the real OS keyring, off the UI
thread, as Send does); where no variable says where a value came from, Retry refuses, names
the fields and offers to open the entry in the editor, where Send stays blocked.

The demo server over loopback keeps what it received (its request logs): the assertions are
on that.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.core.exchange import Exchange
from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED, redact_exchange
from explorer.demo import DemoServer
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.credentials import KeyringCredentials
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import (
    WAIT_MS,
    click_row,
    ctrl_enter,
    open_history_entry,
    open_in_environment,
    send,
)

pytestmark = [pytest.mark.gui, pytest.mark.keyring]

WindowFactory = Callable[..., MainWindow]
SECRET = "canary-retry-secret-7731"
ACCOUNT = "acct_hibob_demo"
# 429 first, then (after the demo fixture's 1 s Retry-After) 200: a Retry button to press.
ACTION = "hibob_search_employees"
TEMPLATE = RpcRequest(
    action=ACTION,
    account_id=ACCOUNT,
    headers={"x-provider-token": "{{token}}"},
    body={"query": "ada", "note": "signed {{token}}"},
)


@pytest.fixture
def keyring_store(home: AppPaths, secret_service: KeyringCredentials) -> Iterator[CollectionStore]:
    """A collection whose "dev" environment keeps ``token`` in the real OS keyring."""
    store = CollectionStore.create(
        home.collections_dir / "team", "Team", credentials=secret_service
    )
    store.save_request(SavedRequest(name="Search", request=TEMPLATE))
    store.set_environment(Environment("dev", variables={}))
    store.set_variable("dev", "token", SECRET, secret=True)
    yield store
    store.delete_variable("dev", "token")


def received(demo: DemoServer) -> list[str]:
    """The RPC bodies the demo received, oldest first, as JSON text."""
    return [json.dumps(log["request"]["body"]) for log in reversed(demo.logs.all())]


def window_with_env(
    make_window: WindowFactory, store: CollectionStore, secret_service: KeyringCredentials
) -> MainWindow:
    window = make_window(credentials=secret_service)
    open_in_environment(window, store, "dev")
    return window


@pytest.fixture
def env_window(
    make_window: WindowFactory, keyring_store: CollectionStore, secret_service: KeyringCredentials
) -> MainWindow:
    """A window with the collection's saved "Search" open and its environment "dev" active."""
    return window_with_env(make_window, keyring_store, secret_service)


def away_and_back(qtbot: QtBot, window: MainWindow) -> None:
    """Send something else, then pick the first (429) entry in the history again."""
    profile = window.profile_selector.current()
    assert profile is not None
    send(
        qtbot, window, RpcRequest(action="bamboohr_list_employees", account_id="acct_bamboohr_demo")
    )
    history = window.history_pane
    with qtbot.waitSignal(history.selected, timeout=WAIT_MS):
        click_row(qtbot, history.view, history.model.index(1, 0))
    assert window.response_view.status_label.text().startswith("429")
    assert window.send_control.current is not None
    assert window.send_control.current.last_sent is not window.response_view.exchange


def press_retry(qtbot: QtBot, window: MainWindow) -> None:
    button = window.response_view.error_panel.retry_button
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_retry_from_history_sends_the_secret_from_the_environment_not_the_placeholder(
    qtbot: QtBot, demo: DemoServer, env_window: MainWindow
) -> None:
    window = env_window
    first = send(qtbot, window)
    assert first.response is not None and first.response.status == 429
    assert SECRET in received(demo)[-1]
    away_and_back(qtbot, window)

    with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as sent:
        press_retry(qtbot, window)
    exchange = sent.args[0]
    assert isinstance(exchange, Exchange) and exchange.response is not None
    last = received(demo)[-1]
    assert REDACTED not in last
    assert json.loads(last)["body"] == {"query": "ada", "note": f"signed {SECRET}"}
    assert json.loads(last)["headers"]["x-provider-token"] == SECRET
    # The retried entry is scrubbed in turn, and can be retried again the same way.
    window.history_pane.flush()
    for path in window.history.directory.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_retry_without_the_variable_refuses_and_offers_the_editor(
    qtbot: QtBot, demo: DemoServer, env_window: MainWindow
) -> None:
    window = env_window
    send(qtbot, window)
    away_and_back(qtbot, window)
    pane = window.collections_pane
    assert pane is not None and pane.environment.set_active("")  # no environment now
    count = len(demo.logs.all())

    with qtbot.assertNotEmitted(window.send_control.started, wait=200):
        press_retry(qtbot, window)
        qtbot.waitUntil(lambda: "Not sent" in window.banner.text(), timeout=WAIT_MS)
    text = window.banner.text()
    assert "headers.x-provider-token" in text and "body.note" in text
    assert "{{token}}" in text
    assert len(demo.logs.all()) == count
    banner = window.banner.action_button
    assert banner.isVisible() and banner.text() == "Open in editor"
    qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)
    assert window.editor.to_request().body == {"query": "ada", "note": "signed {{token}}"}


def test_an_entry_without_a_template_is_never_retried_with_the_placeholder(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, demo: DemoServer
) -> None:
    # What an older version kept: the scrubbed copy only.
    history = HistoryStore(home.history_dir)
    sent = RpcRequest(
        action=ACTION,
        account_id=ACCOUNT,
        body={"query": "ada", "note": f"signed {SECRET}"},
        base_url=demo.url,
    )
    old = Exchange(request=sent, profile="Demo")
    history.add(redact_exchange(old, [SECRET]))
    history.close()
    window = make_window()
    count = len(demo.logs.all())
    view = window.history_pane.view
    with qtbot.waitSignal(window.history_pane.selected, timeout=WAIT_MS):
        click_row(qtbot, view, window.history_pane.model.index(0, 0))

    # The Request menu's Retry, with the entry on screen.
    with qtbot.assertNotEmitted(window.send_control.started, wait=200):
        window.send_control.retry_action.trigger()
        qtbot.waitUntil(lambda: "Not sent" in window.banner.text(), timeout=WAIT_MS)
    assert "body.note" in window.banner.text()
    assert window.banner.action_button.text() == "Open in editor"

    # Opened in the editor instead (Enter on the row): the placeholder shows, Send is blocked.
    open_history_entry(qtbot, window)
    assert REDACTED in json.dumps(window.editor.draft_request().body)
    assert not window.send_control.send_action.isEnabled()
    with qtbot.assertNotEmitted(window.send_control.started, wait=200):
        ctrl_enter(qtbot, window)
    assert len(demo.logs.all()) == count
    assert all(REDACTED not in body for body in received(demo))


def test_open_in_editor_then_send_takes_the_secret_from_the_environment(
    qtbot: QtBot, demo: DemoServer, env_window: MainWindow
) -> None:
    window = env_window
    send(qtbot, window)
    open_history_entry(qtbot, window)
    # The variable is back where the secret was; the rest as it was sent.
    assert window.editor.to_request().headers == {"x-provider-token": "{{token}}"}
    send(qtbot, window)
    last = received(demo)[-1]
    assert REDACTED not in last and SECRET in last


def test_next_page_of_a_history_entry_takes_the_secret_again_and_all_pages_asks_for_retry(
    qtbot: QtBot,
    make_window: WindowFactory,
    home: AppPaths,
    demo: DemoServer,
    secret_service: KeyringCredentials,
) -> None:
    store = CollectionStore.create(
        home.collections_dir / "pages", "Pages", credentials=secret_service
    )
    listing = RpcRequest(
        action="bamboohr_list_employees",
        account_id="acct_bamboohr_demo",
        query={"page_size": 5},
        headers={"x-provider-token": "{{token}}"},
    )
    store.save_request(SavedRequest(name="Employees", request=listing))
    store.set_environment(Environment("dev", variables={}))
    store.set_variable("dev", "token", SECRET, secret=True)
    try:
        window = window_with_env(make_window, store, secret_service)
        qtbot.waitUntil(lambda: window.discovery.actions() is not None, timeout=WAIT_MS)
        send(qtbot, window)
        send(
            qtbot,
            window,
            RpcRequest(
                action="bamboohr_get_employee",
                account_id="acct_bamboohr_demo",
                path={"id": "40001"},
            ),
        )
        history = window.history_pane
        with qtbot.waitSignal(history.selected, timeout=WAIT_MS):
            click_row(qtbot, history.view, history.model.index(1, 0))  # the first page, again
        bar = window.response_view.pages
        qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)

        count = len(demo.logs.all())
        qtbot.mouseClick(bar.all_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: "Press Retry" in window.statusBar().currentMessage(), timeout=WAIT_MS
        )
        assert len(demo.logs.all()) == count  # nothing sent

        with qtbot.waitSignal(window.send_control.finished, timeout=WAIT_MS) as page:
            qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
        assert page.args[0].response.status == 200
        last = received(demo)[-1]
        assert REDACTED not in last
        assert json.loads(last)["headers"]["x-provider-token"] == SECRET
        assert json.loads(last)["query"]["next"]
    finally:
        store.delete_variable("dev", "token")
