"""The window with the collections pane: open a saved request, send it with variables."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.store.collections import CollectionStore, Environment, SavedRequest
from explorer.store.credentials import MemoryCredentials
from explorer.store.paths import AppPaths
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import send_and_wait

pytestmark = pytest.mark.gui

WindowFactory = Callable[..., MainWindow]
SECRET = "canary-env-secret-123"


def team_collection(home: AppPaths, credentials: MemoryCredentials) -> CollectionStore:
    store = CollectionStore.create(home.collections_dir / "team", "Team", credentials=credentials)
    store.save_request(
        SavedRequest(
            name="List employees",
            request=RpcRequest(
                action="bamboohr_list_employees",
                account_id="{{account}}",
                query={"page_size": 2},
                headers={"x-provider-token": "{{token}}"},
            ),
        )
    )
    store.set_environment(Environment("dev", variables={"account": "acct_bamboohr_demo"}))
    store.set_variable("dev", "token", SECRET, secret=True)
    return store


def open_saved(window: MainWindow, store: CollectionStore) -> None:
    pane = window.collections_pane
    assert pane is not None
    pane.reload()
    mine = next(s for s in pane.stores if s.root == store.root)
    pane.open(mine, mine.collection.requests()[0])


def test_saved_request_opens_with_the_profiles_base_url_and_sends_with_variables(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    store = team_collection(home, credentials)
    window = make_window()
    open_saved(window, store)
    assert window.editor.action_edit.text() == "bamboohr_list_employees"
    assert window.editor.base_url() == window.profile_selector.current().base_url  # type: ignore[union-attr]

    pane = window.collections_pane
    assert pane is not None and pane.environment.set_active("dev")
    exchange = send_and_wait(qtbot, window)
    assert exchange.response is not None and exchange.response.status == 200
    assert exchange.request.account_id == "acct_bamboohr_demo"

    # The secret went on the wire but never into a file.
    assert window.history.entries()[0].account_id == "acct_bamboohr_demo"
    for path in home.home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_unresolved_variable_is_not_sent(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.editor.load_request(
        RpcRequest(action="bamboohr_list_employees", account_id="{{nowhere}}")
    )
    with qtbot.assertNotEmitted(window.send_control.started):
        assert window.send_control.send() is False
    assert "nowhere" in window.banner.text()


def test_history_entries_are_saved_into_a_collection_as_sent(
    qtbot: QtBot, make_window: WindowFactory, home: AppPaths, credentials: MemoryCredentials
) -> None:
    store = team_collection(home, credentials)
    window = make_window()
    open_saved(window, store)
    pane = window.collections_pane
    assert pane is not None and pane.environment.set_active("dev")
    send_and_wait(qtbot, window)
    window.editor.load_request(
        RpcRequest(action="bamboohr_get_employee", account_id="acct_bamboohr_demo", path={"id": 7})
    )
    window.editor.set_base_url(window.profile_selector.current().base_url)  # type: ignore[union-attr]
    send_and_wait(qtbot, window)

    history = window.history_pane
    history.view.clearSelection()
    assert not history.save_to_collection_action.isEnabled()
    history.view.selectAll()
    assert history.save_to_collection_action.isEnabled()
    # Offered in the list's context menu and under the Save button's arrow.
    assert history.save_to_collection_action in history.view.actions()
    menu = history.save_button.menu()
    assert menu is not None and history.save_to_collection_action in menu.actions()

    before = len(store.collection.requests())
    history.save_to_collection_action.trigger()
    assert pane.isVisible()  # its tab is shown

    store.load()
    saved = store.collection.requests()[before:]
    # Oldest first, named after their actions, the variables resolved as they were sent,
    # the secret one scrubbed, and the base URL left to the profile.
    assert [s.name for s in saved] == ["bamboohr_list_employees", "bamboohr_get_employee"]
    first = saved[0].request
    assert first.account_id == "acct_bamboohr_demo"
    # The header carried a secret, redacted in the history: saved as the variable it came
    # from (the entry keeps the request's template), not as the placeholder.
    assert first.headers == {"x-provider-token": "{{token}}"}
    assert saved[1].request.path == {"id": 7}
    assert all(s.request.base_url == DEFAULT_BASE_URL for s in saved)
    for path in store.root.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
